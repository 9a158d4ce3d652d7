"""Figures of notebook 04 (actors and agency). Functions draw and return a figure; they
never save (``analysis.save_figure`` does).

Every figure shows one value per text (the unit of inference), coloured by the text's
group, so that a reader sees whether the texts of a group agree before reading any
group summary.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .checks import require_columns
from .vocabulary_plots import _freeze_layout


def _group_legend(ax, order: Sequence[str], group_colors: dict[str, str], loc: str = "lower right") -> None:
    ax.legend(handles=[Line2D([], [], marker="o", ls="", color=group_colors[g], label=g) for g in order],
              loc=loc, fontsize=8, frameon=False)


def plot_actor_heatmap(rates: pd.DataFrame, docs: Sequence[str], labels: dict[str, str],
                       actor_labels: dict[str, str], title: str = "Mentions of each social actor") -> plt.Figure:
    """Actors (rows) by texts (columns): mentions per 1,000 words on ONE colour scale for
    the whole figure (a reader compares texts and actors alike), the count printed in each
    cell. ``rates`` has columns actor, doc_id, count, per_1k."""
    require_columns(rates, ("actor", "doc_id", "count", "per_1k"), "plot_actor_heatmap")
    actors = list(actor_labels)
    per_1k = rates.pivot(index="actor", columns="doc_id", values="per_1k").reindex(index=actors, columns=list(docs))
    counts = rates.pivot(index="actor", columns="doc_id", values="count").reindex(index=actors, columns=list(docs))
    per_1k, counts = per_1k.fillna(0.0), counts.fillna(0).astype(int)
    fig, ax = plt.subplots(figsize=(1.45 * len(docs) + 3.2, 0.42 * len(actors) + 1.8), layout="constrained")
    vmax = max(float(per_1k.to_numpy().max()), 1e-9)
    image = ax.imshow(per_1k.to_numpy(), cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    for (i, j), value in np.ndenumerate(per_1k.to_numpy()):
        ax.text(j, i, f"{value:.1f}\n({counts.iat[i, j]})", ha="center", va="center", fontsize=7,
                color="white" if value > 0.6 * vmax else "black")
    ax.set_xticks(range(len(docs)), [labels.get(d, d) for d in docs], fontsize=7.5)
    ax.set_yticks(range(len(actors)), [actor_labels[a] for a in actors], fontsize=8.5)
    fig.colorbar(image, ax=ax, shrink=0.8, label="mentions per 1,000 words (count in brackets)")
    ax.set_title(title, fontsize=10.5)
    return _freeze_layout(fig)


def plot_text_dots(table: pd.DataFrame, rows: Sequence[str], row_labels: dict[str, str],
                   groups: pd.Series, group_colors: dict[str, str], panels: Sequence[str],
                   xlabel: str, title: str, min_n: int = 1) -> plt.Figure:
    """One panel per value of ``panel``; in each, one row per item of ``rows`` and one dot
    per text at ``value`` with its interval (``low``-``high``) as a line, coloured by the
    text's group. Dots resting on fewer than ``min_n`` observations (column ``n``) are drawn
    hollow: the reader should not trust them. ``table`` has columns row, doc_id, panel,
    value, low, high, n; ``groups`` maps doc_id to group."""
    require_columns(table, ("row", "doc_id", "panel", "value", "low", "high", "n"), "plot_text_dots")
    order = list(dict.fromkeys(groups))
    docs = list(groups.index)
    offsets = {d: (k - (len(docs) - 1) / 2) * min(0.7 / max(len(docs), 1), 0.14) for k, d in enumerate(docs)}
    fig, axes = plt.subplots(1, len(panels), figsize=(4.4 * len(panels) + 2.2, 0.5 * len(rows) + 1.8),
                             sharey=True, squeeze=False, layout="constrained")
    index = {r: i for i, r in enumerate(rows)}
    for ax, panel in zip(axes.flat, panels):
        part = table[(table["panel"] == panel) & table["row"].isin(index) & table["doc_id"].isin(offsets)]
        for r in part.itertuples():
            y = index[r.row] + offsets[r.doc_id]
            colour = group_colors[groups[r.doc_id]]
            ax.plot([r.low, r.high], [y, y], color=colour, lw=1.0, alpha=0.7, zorder=2)
            solid = r.n >= min_n
            ax.scatter([r.value], [y], s=26, zorder=3, color=colour if solid else "white",
                       edgecolor=colour, linewidth=1.0)
        ax.set_title(panel, fontsize=9.5)
        ax.set_xlabel(xlabel, fontsize=8.5)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        ax.spines[["top", "right"]].set_visible(False)
    first = axes.flat[0]
    first.set_yticks(range(len(rows)), [row_labels.get(r, r) for r in rows], fontsize=8.5)
    first.set_ylim(len(rows) - 0.5, -0.5)
    _group_legend(axes.flat[-1], order, group_colors)
    fig.suptitle(title + (f"\n(one dot per text; hollow: fewer than {min_n} observations)" if min_n > 1
                          else "\n(one dot per text)"), fontsize=10.5)
    return _freeze_layout(fig)


def plot_passives(counts: pd.DataFrame, docs: Sequence[str], labels: dict[str, str],
                  colors: dict[str, str], title: str = "Passive clauses, with and without an agent") -> plt.Figure:
    """Per text: passive clauses per 1,000 words, the hidden-agent ones (no "by" phrase)
    solid and the ones that name their agent hatched, the counts on the bars. ``counts``
    has columns doc_id, hidden, with_agent, n_words."""
    require_columns(counts, ("doc_id", "hidden", "with_agent", "n_words"), "plot_passives")
    table = counts.set_index("doc_id").reindex(list(docs))
    hidden = table["hidden"] / table["n_words"] * 1000
    named = table["with_agent"] / table["n_words"] * 1000
    fig, ax = plt.subplots(figsize=(1.5 * len(docs) + 3, 4.2), layout="constrained")
    x = np.arange(len(docs))
    ax.bar(x, hidden, color=[colors[d] for d in docs], label="agent hidden")
    ax.bar(x, named, bottom=hidden, color="white", edgecolor=[colors[d] for d in docs], hatch="///",
           label="agent named (by …)")
    for i, d in enumerate(docs):
        ax.text(i, hidden.iloc[i] + named.iloc[i], f"{int(table['hidden'].iloc[i])} + {int(table['with_agent'].iloc[i])}",
                ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [labels.get(d, d) for d in docs], fontsize=7.5)
    ax.set_ylabel("passive clauses per 1,000 words")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title + "\n(counts: hidden + named)", fontsize=10.5)
    return _freeze_layout(fig)
