"""Figures of notebook 04 (actors and agency). Functions draw and return a figure; they
never save (``analysis.save_figure`` does).

Every figure shows one value per text (the unit of inference), so that a reader sees
whether the texts of a group agree before reading any group summary. Texts take the
styles of :func:`analysis.plots.text_styles` (the colour of their group, a shade and a
marker per text) and are named by their doc_id; magnitudes in a heatmap take
:data:`analysis.plots.MAGNITUDE_CMAP`. Figures with one row per text grow with the number
of texts, so that a corpus of a hundred texts stays legible.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .checks import require_columns
from .plots import MAGNITUDE_CMAP, freeze_layout

#: Inches per text in figures with one row per text.
ROW_INCHES = 0.34


def text_row_labels(corpus: pd.DataFrame) -> dict[str, str]:
    """doc_id -> "doc_id  date (precision, evidence)", a one-line label for a row of a figure."""
    from .overview import text_labels

    return text_labels(corpus, "  ")


def group_styles(order: Sequence[str]) -> pd.DataFrame:
    """Styles for units that are groups (one dot per group): the group's colour
    (:func:`analysis.plots.group_colours`), a round marker, never hollow."""
    from .plots import group_colours

    colours = group_colours(order)
    return pd.DataFrame({"group": list(order), "colour": [colours[g] for g in order], "marker": "o",
                         "hollow": False}, index=pd.Index(list(order), name="doc_id"))


def _check_styles(styles: pd.DataFrame, name: str) -> None:
    require_columns(styles, ("group", "colour", "marker"), name, made_by="analysis.plots.text_styles(corpus, GROUP)")


def _mark_rows(ax, styles: pd.DataFrame, units: Sequence[str]) -> None:
    """A marker in each text's style just left of the axis, beside its tick label."""
    from matplotlib.transforms import blended_transform_factory

    where = blended_transform_factory(ax.transAxes, ax.transData)
    for y, unit in enumerate(units):
        s = styles.loc[unit]
        ax.plot(-0.012, y, s["marker"], color=s["colour"], mfc="white" if s.get("hollow", False) else s["colour"],
                ms=6, transform=where, clip_on=False)
    ax.tick_params(axis="y", pad=12)


def _group_handles(styles: pd.DataFrame, group_labels: dict[str, str] | None = None) -> list:
    """Legend handles of the groups, in the order of ``group_labels`` (that of
    :func:`analysis.groups.group_labels`, the order that gave the texts their colours) or,
    without it, in the order the groups first appear in ``styles``."""
    from .plots import group_colours

    order = list(group_labels) if group_labels else list(dict.fromkeys(styles["group"]))
    colours = group_colours(order)
    labels = group_labels or {}
    return [Line2D([], [], marker="s", ls="", color=colours[g], label=labels.get(g, g)) for g in order]


def plot_actor_heatmap(rates: pd.DataFrame, styles: pd.DataFrame, labels: dict[str, str],
                       actor_labels: dict[str, str], title: str = "Mentions of each social actor",
                       group_labels: dict[str, str] | None = None) -> plt.Figure:
    """Texts (rows, in the order of ``styles``, one per text) by actors (columns): mentions
    per 1,000 words on ONE grey scale for the whole figure (a reader compares texts and
    actors alike), the count printed in each cell. Each row is marked with its text's
    marker and colour. ``rates`` has columns actor, doc_id, count, per_1k; ``styles`` is
    :func:`analysis.plots.text_styles` (doc_id index)."""
    require_columns(rates, ("actor", "doc_id", "count", "per_1k"), "plot_actor_heatmap")
    _check_styles(styles, "plot_actor_heatmap")
    actors, docs = list(actor_labels), list(styles.index)
    per_1k = rates.pivot(index="doc_id", columns="actor", values="per_1k").reindex(index=docs, columns=actors)
    counts = rates.pivot(index="doc_id", columns="actor", values="count").reindex(index=docs, columns=actors)
    per_1k, counts = per_1k.fillna(0.0), counts.fillna(0).astype(int)
    fig, ax = plt.subplots(figsize=(1.05 * len(actors) + 4.2, ROW_INCHES * 1.45 * len(docs) + 2.6),
                           layout="constrained")
    vmax = max(float(per_1k.to_numpy().max()), 1e-9)
    image = ax.imshow(per_1k.to_numpy(), cmap=MAGNITUDE_CMAP, vmin=0, vmax=vmax, aspect="auto")
    for (i, j), value in np.ndenumerate(per_1k.to_numpy()):
        ax.text(j, i, f"{value:.1f} ({counts.iat[i, j]})", ha="center", va="center", fontsize=7,
                color="white" if value > 0.55 * vmax else "black")
    ax.set_yticks(range(len(docs)), [labels.get(d, d) for d in docs], fontsize=8)
    ax.set_xticks(range(len(actors)), [actor_labels[a] for a in actors], fontsize=8, rotation=30, ha="right",
                  rotation_mode="anchor")
    _mark_rows(ax, styles, docs)
    fig.colorbar(image, ax=ax, shrink=min(0.8, 4.0 / fig.get_figheight()),
                 label="mentions per 1,000 words (count in brackets)")
    fig.legend(handles=_group_handles(styles, group_labels), loc="outside lower center",
               ncol=min(3, styles["group"].nunique()), fontsize=8, frameon=False, title="texts by group",
               title_fontsize=8)
    ax.set_title(title, fontsize=10.5)
    return freeze_layout(fig)


def plot_text_dots(table: pd.DataFrame, rows: Sequence[str], row_labels: dict[str, str],
                   styles: pd.DataFrame, panels: Sequence[str], xlabel: str, title: str, min_n: int = 1,
                   notes: dict[str, str] | None = None, unit_name: str = "text") -> plt.Figure:
    """One panel per value of ``panel``; in each, one row per item of ``rows`` and one dot
    per unit (a text, or a group) at ``value`` with its interval (``low``-``high``) as a
    line, in the unit's colour and marker (``styles``: :func:`analysis.plots.text_styles`
    for texts, :func:`group_styles` for groups; the order of its index is the order of the
    dots). Dots resting on fewer than ``min_n`` observations (column ``n``) are drawn
    hollow: the reader should not trust them. The legend names every unit of ``styles``,
    with its note from ``notes`` (e.g. "no hand labels") if any, whether or not it has a
    dot. ``table`` has columns row, unit, panel, value, low, high, n. Each row of the
    figure grows with the number of units."""
    require_columns(table, ("row", "unit", "panel", "value", "low", "high", "n"), "plot_text_dots")
    _check_styles(styles, "plot_text_dots")
    units = list(styles.index)
    notes = notes or {}
    step = min(0.8 / max(len(units), 1), 0.14)
    offsets = {u: (k - (len(units) - 1) / 2) * step for k, u in enumerate(units)}
    row_inches = max(0.5, 0.085 * len(units) + 0.1)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.4 * len(panels) + 2.4, row_inches * len(rows) + 2.4),
                             sharey=True, squeeze=False, layout="constrained")
    index = {r: i for i, r in enumerate(rows)}
    for ax, panel in zip(axes.flat, panels):
        part = table[(table["panel"] == panel) & table["row"].isin(index) & table["unit"].isin(offsets)]
        for r in part.itertuples():
            y = index[r.row] + offsets[r.unit]
            s = styles.loc[r.unit]
            ax.plot([r.low, r.high], [y, y], color=s["colour"], lw=1.0, alpha=0.7, zorder=2)
            solid = r.n >= min_n
            ax.plot([r.value], [y], s["marker"], ms=5.5, zorder=3, color=s["colour"],
                    mfc=s["colour"] if solid else "white", mew=1.0)
        ax.set_title(panel, fontsize=9.5)
        ax.set_xlabel(xlabel, fontsize=8.5)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        for y in range(len(rows) - 1):
            ax.axhline(y + 0.5, color="#EEEEEE", lw=0.8, zorder=1)
        ax.spines[["top", "right"]].set_visible(False)
    first = axes.flat[0]
    first.set_yticks(range(len(rows)), [row_labels.get(r, r) for r in rows], fontsize=8.5)
    first.set_ylim(len(rows) - 0.5, -0.5)
    handles = [Line2D([], [], marker=styles.loc[u, "marker"], ls="", color=styles.loc[u, "colour"],
                      label=f"{u} ({notes[u]})" if u in notes else str(u)) for u in units]
    per_row = 5 if len(panels) > 1 else 3
    legend_rows = -(-len(units) // per_row)
    fig.legend(handles=handles, loc="outside lower center", ncol=max(1, -(-len(units) // legend_rows)),
               fontsize=8, frameon=False, title=f"one dot per {unit_name}, in order from top to bottom",
               title_fontsize=8)
    fig.suptitle(title + (f"\n(hollow: fewer than {min_n} observations)" if min_n > 1 else ""), fontsize=10.5)
    return freeze_layout(fig)


def plot_passives(counts: pd.DataFrame, styles: pd.DataFrame, labels: dict[str, str],
                  title: str = "Passive clauses, with and without an agent",
                  group_labels: dict[str, str] | None = None) -> plt.Figure:
    """One horizontal bar per text (rows in the order of ``styles``): passive clauses per
    1,000 words, the hidden-agent ones (no "by" phrase) solid and the ones that name their
    agent hatched, in the text's colour; the counts beside the bars. ``counts`` has
    columns doc_id, hidden, with_agent, n_words."""
    require_columns(counts, ("doc_id", "hidden", "with_agent", "n_words"), "plot_passives")
    _check_styles(styles, "plot_passives")
    docs = list(styles.index)
    table = counts.set_index("doc_id").reindex(docs)
    words = table["n_words"].where(table["n_words"] > 0)
    hidden = (table["hidden"] / words * 1000).fillna(0.0)
    named = (table["with_agent"] / words * 1000).fillna(0.0)
    fig, ax = plt.subplots(figsize=(8.5, ROW_INCHES * len(docs) + 2.2), layout="constrained")
    y = np.arange(len(docs))
    colours = [styles.loc[d, "colour"] for d in docs]
    ax.barh(y, hidden, color=colours, label="agent hidden (no by-phrase)")
    ax.barh(y, named, left=hidden, color="white", edgecolor=colours, hatch="///", label="agent named (by …)")
    for i, d in enumerate(docs):
        ax.text(hidden.iloc[i] + named.iloc[i], i, f"  {int(table['hidden'].iloc[i])} + {int(table['with_agent'].iloc[i])}",
                ha="left", va="center", fontsize=8)
    ax.set_yticks(y, [labels.get(d, d) for d in docs], fontsize=8)
    ax.set_ylim(len(docs) - 0.5, -0.5)
    _mark_rows(ax, styles, docs)
    ax.set_xlabel("passive clauses per 1,000 words")
    ax.set_xlim(0, max(float((hidden + named).max()), 1e-9) * 1.18)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(handles=ax.get_legend_handles_labels()[0] + _group_handles(styles, group_labels),
               loc="outside lower center", ncol=2, fontsize=8, frameon=False)
    ax.set_title(title + "\n(counts: hidden + named)", fontsize=10.5)
    return freeze_layout(fig)
