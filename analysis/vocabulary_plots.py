"""Figures of the vocabulary notebook. Every function draws and returns a matplotlib
Figure; none saves (the notebook calls :func:`analysis.save_figure`).

Documents appear in date order with their date and its precision, as
:func:`document_labels` writes them ("2020-10 (month, inferred)"). Colours are the
Okabe & Ito (2008) colour-blind-safe palette, fixed per document.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .checks import require_columns
from .overview import TIME_WINDOWS, date_labels, date_positions
from .plots import ERA_COLOURS

#: Okabe & Ito (2008) palette, assigned to documents in date order; reader comments grey.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442"]
COMMENTS_COLOR = "#7F7F7F"
REFERENCE_COLOR = "#9E9E9E"
ERA_COLORS = ERA_COLOURS  # one colour per era in every notebook
ERA_LABELS = {"Nguyen Phu Trong": "Nguyen Phu Trong era (2020-2021)", "To Lam": "To Lam era (2025)"}


def _freeze_layout(fig: plt.Figure) -> plt.Figure:
    """Run the constrained-layout solver once and fix the result, so that saving the
    figure as PNG, as SVG and showing it inline does not solve the layout three times
    (the layout is the slowest step of these text-heavy figures)."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")
    return fig


def document_labels(corpus: pd.DataFrame) -> dict[str, str]:
    """doc_id -> two-line label 'doc_id\\n~2020-10 (month, inferred)', in corpus order
    (dates by :func:`analysis.overview.date_label`)."""
    require_columns(corpus, ("doc_id", "date", "date_precision", "date_evidence"), "document_labels")
    return {doc: f"{doc}\n{label}" for doc, label in date_labels(corpus).items()}


def document_colors(corpus: pd.DataFrame) -> dict[str, str]:
    """doc_id -> colour: Okabe-Ito in date order for Party media, grey for reader comments."""
    colors, i = {}, 0
    for _, row in corpus.iterrows():
        if row.get("voice") == "reader-comments":
            colors[row["doc_id"]] = COMMENTS_COLOR
        else:
            colors[row["doc_id"]] = OKABE_ITO[i % len(OKABE_ITO)]
            i += 1
    return colors


def _grid(n: int, ncols: int, width: float, row_height: float):
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, row_height * nrows), squeeze=False, layout="constrained")
    for ax in axes.flat[n:]:
        ax.set_axis_off()
    return fig, axes.flat[:n], axes.flat[n:]


# ---------------------------------------------------------------------- frequencies

def plot_top_terms(freqs: pd.DataFrame, groups: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                   by: str = "doc_id", n: int = 12, n_docs: int = 5, ncols: int = 3,
                   title: str = "Most frequent content words") -> plt.Figure:
    """Horizontal bars of the ``n`` most frequent terms of each group (per 1,000 words),
    each bar annotated with its count and in how many of the ``n_docs`` texts the term
    occurs. ``freqs`` is a :func:`analysis.vocabulary.term_frequencies` table."""
    require_columns(freqs, (by, "term", "count", "per_1000", "doc_freq", "rank"), "plot_top_terms")
    fig, axes, _ = _grid(len(groups), ncols, 4.6 * ncols, 0.25 * n + 1.5)
    xmax = freqs.loc[freqs[by].isin(groups) & (freqs["rank"] <= n), "per_1000"].max() * 1.45
    for ax, group in zip(axes, groups):
        top = freqs[(freqs[by] == group) & (freqs["rank"] <= n)].iloc[::-1]
        ax.barh(top["term"], top["per_1000"], color=colors[group])
        for y, (count, rate, df) in enumerate(zip(top["count"], top["per_1000"], top["doc_freq"])):
            ax.text(rate, y, f" {count}  ({df}/{n_docs})", va="center", fontsize=7.5, color="#333333")
        ax.set_xlim(0, xmax)
        ax.set_title(labels[group], fontsize=9.5)
        ax.set_xlabel("per 1,000 words")
        ax.tick_params(axis="y", labelsize=8.5)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"{title}\n(lemmas of content words; bar labels: count, and in brackets how many of the "
                 f"{n_docs} Party-media texts use the term)", fontsize=11)
    return _freeze_layout(fig)


# ---------------------------------------------------------------------- keyness

def top_key_terms(key: pd.DataFrame, target: str, n: int = 10) -> pd.DataFrame:
    """The significant terms of one target with the ``n`` highest and the ``n`` lowest
    log ratios (ties broken by G², then term), positive first."""
    require_columns(key, ("target", "term", "log_ratio", "g2", "significant"), "top_key_terms")
    sig = key[(key["target"] == target) & key["significant"]]
    pos = sig[sig["log_ratio"] > 0].sort_values(["log_ratio", "g2", "term"], ascending=[False, False, True]).head(n)
    neg = sig[sig["log_ratio"] < 0].sort_values(["log_ratio", "g2", "term"], ascending=[True, False, True]).head(n)
    return pd.concat([pos, neg.iloc[::-1]], ignore_index=True)


def plot_keyness(key: pd.DataFrame, targets: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                 n: int = 10, ncols: int = 1, target_label: str = "target", reference_label: str = "reference",
                 reference_color: str = REFERENCE_COLOR, show_docs: bool = False, note: str | None = None,
                 title: str = "Keyness") -> plt.Figure:
    """Diverging bars of log ratio, one panel per target: the significant terms (after
    the p-value adjustment recorded in ``key``) most over-represented in the target
    (right, target colour) and most under-represented (left, ``reference_color``), each
    labelled with its counts "target:reference" (and, with ``show_docs``, the number of
    texts on the over-using side that use it). A panel with no significant term says
    so. ``note`` is written in the first empty grid cell, if any, else under the title."""
    require_columns(key, ("target", "term", "count_target", "count_reference", "log_ratio", "significant",
                   "n_docs_target", "n_docs_reference"), "plot_keyness")
    shown = {t: top_key_terms(key, t, n) for t in targets}
    slots = max(max((len(s) for s in shown.values()), default=1), 1)
    fig, axes, spare = _grid(len(targets), ncols, 6.2 * ncols, 0.2 * slots + 1.4)
    lim = max((s["log_ratio"].abs().max() for s in shown.values() if len(s)), default=1) + 2.4
    for ax, target in zip(axes, targets):
        top = shown[target]
        tested = int((key["target"] == target).sum())
        n_sig = int(((key["target"] == target) & key["significant"]).sum())
        ax.set_title(f"{labels[target]}\n{n_sig} of {tested} tested terms significant; "
                     f"showing up to {n} each way", fontsize=9)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(slots - 0.5, -0.5)
        ax.set_xlabel(f"log ratio  (← more in {reference_label}  |  more in {target_label} →)", fontsize=8.5)
        ax.spines[["top", "right"]].set_visible(False)
        if top.empty:
            ax.text(0.5, 0.5, "no term survives the correction", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
            continue
        y = np.arange(len(top))
        ax.barh(y, top["log_ratio"], color=[colors[target] if v > 0 else reference_color for v in top["log_ratio"]])
        ax.set_yticks(y, top["term"], fontsize=8.5)
        for yi, row in zip(y, top.itertuples(index=False)):
            text = f"{row.count_target}:{row.count_reference}"
            if show_docs:
                k = row.n_docs_target if row.log_ratio > 0 else row.n_docs_reference
                text += f", {k} text{'s' if k != 1 else ''}"
            ax.text(row.log_ratio, yi, f" {text} ", va="center", ha="left" if row.log_ratio > 0 else "right",
                    fontsize=7.5, color="#333333")
    if note and len(spare):
        spare[0].text(0.05, 0.5, note, ha="left", va="center", fontsize=9, wrap=True, transform=spare[0].transAxes)
    elif note:
        title = f"{title}\n{note}"
    fig.suptitle(title, fontsize=11)
    return _freeze_layout(fig)


# ---------------------------------------------------------------------- dispersion

def plot_dispersion(disp: pd.DataFrame, docs: Sequence[str], terms: Sequence[str], labels: dict[str, str],
                    colors: dict[str, str], title: str = "Where the key terms fall in each text") -> plt.Figure:
    """A dispersion ("x-ray") plot: one panel per document, one row per term, a tick at
    each occurrence; x is the position in the document scaled to 0-1."""
    require_columns(disp, ("doc_id", "term", "relative_position"), "plot_dispersion")
    height = 0.18 * len(terms) + 0.6
    fig, axes = plt.subplots(len(docs), 1, figsize=(8, height * len(docs) + 0.8), sharex=True, squeeze=False,
                             layout="constrained")
    for ax, doc in zip(axes[:, 0], docs):
        sub = disp[disp["doc_id"] == doc]
        for i, term in enumerate(terms):
            x = sub.loc[sub["term"] == term, "relative_position"]
            ax.plot(x, np.full(len(x), i), "|", color=colors[doc], markersize=8, markeredgewidth=1.4)
            ax.text(1.005, i, str(len(x)), va="center", fontsize=7, color="#555555", transform=ax.get_yaxis_transform())
        ax.set_yticks(range(len(terms)), terms, fontsize=8)
        ax.set_ylim(len(terms) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.grid(axis="y", color="#EEEEEE", lw=0.6)
        ax.set_title(labels[doc].replace("\n", "  ·  "), fontsize=8.5, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1, 0].set_xlabel("position in the text (0 = start, 1 = end); numbers at right: occurrences")
    fig.suptitle(title, fontsize=11)
    return _freeze_layout(fig)


# ---------------------------------------------------------------------- lexical diversity

def plot_mattr_by_window(table: pd.DataFrame, docs: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                         chosen_window: int, title: str = "MATTR depends on the window") -> plt.Figure:
    """MATTR against window size (log axis), one line per document; the window used in
    the tables is marked. Reader comments, if present, are drawn dashed."""
    require_columns(table, ("doc_id", "window", "mattr"), "plot_mattr_by_window")
    fig, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")
    for doc in docs:
        sub = table[table["doc_id"] == doc].dropna()
        dashed = colors[doc] == COMMENTS_COLOR
        ax.plot(sub["window"], sub["mattr"], "o-" if not dashed else "s--", color=colors[doc], ms=4,
                label=labels[doc].replace("\n", "  ·  "))
    ax.axvline(chosen_window, color="black", lw=0.8, ls=":")
    ax.text(chosen_window, ax.get_ylim()[1], f" window used: {chosen_window}", va="top", fontsize=8)
    ax.set_xscale("log")
    windows = sorted(table["window"].unique())
    ax.set_xticks(windows, [str(w) for w in windows])
    ax.minorticks_off()
    ax.set_xlabel("MATTR window (words)")
    ax.set_ylabel("moving-average type-token ratio")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7.5, frameon=False)
    ax.set_title(title, fontsize=11)
    return _freeze_layout(fig)


# ---------------------------------------------------------------------- trajectories

def plot_term_trajectories(rates: pd.DataFrame, corpus: pd.DataFrame, colors: dict[str, str],
                           windows: Sequence[tuple[pd.Timestamp, pd.Timestamp]] = TIME_WINDOWS,
                           title: str = "Term rates across the dated texts") -> plt.Figure:
    """Rate per 1,000 words of each term (rows) in each document, on a time axis broken
    between the ``windows`` (the texts cluster in 2020-2021 and 2025). Each point sits at
    the middle of the document's date bounds (date_earliest..date_latest); the horizontal
    bar spans those bounds (none for a date known to the day), the vertical bar is the
    95% exact Poisson interval of the rate. The legend gives each date and its precision."""
    require_columns(rates, ("doc_id", "term", "per_1000", "ci_low", "ci_high"), "plot_term_trajectories")
    require_columns(corpus, ("doc_id", "date_earliest", "date_latest", "date", "date_precision"), "plot_term_trajectories")
    terms = list(dict.fromkeys(rates["term"]))
    spans = [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in windows]
    positions, labels = date_positions(corpus), date_labels(corpus)
    widths = [(b - a).days for a, b in spans]
    fig, axes = plt.subplots(len(terms), len(spans), figsize=(9.5, 1.4 * len(terms) + 1.8), squeeze=False,
                             sharex="col", sharey="row", gridspec_kw=dict(width_ratios=widths), layout="constrained")
    fig.get_layout_engine().set(wspace=0.03)
    meta = corpus.set_index("doc_id")
    docs = [d for d in corpus["doc_id"] if d in set(rates["doc_id"])]
    for r, term in enumerate(terms):
        sub = rates[rates["term"] == term].set_index("doc_id")
        for c, (start, end) in enumerate(spans):
            ax = axes[r, c]
            for doc in docs:
                row = meta.loc[doc]
                x = positions[doc]
                if not start <= x <= end:
                    continue
                rate, lo, hi = sub.loc[doc, ["per_1000", "ci_low", "ci_high"]]
                xerr = [[x - pd.Timestamp(row["date_earliest"])], [pd.Timestamp(row["date_latest"]) - x]]
                ax.errorbar([x], [rate], yerr=[[rate - lo], [hi - rate]], xerr=xerr, fmt="o", color=colors[doc],
                            ms=5, capsize=2, elinewidth=1.1)
            ax.set_xlim(start, end)
            ax.spines[["top", "right"]].set_visible(False)
            if c > 0:
                ax.spines["left"].set_visible(False)
                ax.tick_params(axis="y", left=False)
            ax.grid(axis="y", color="#EEEEEE", lw=0.6)
        axes[r, 0].set_ylabel(f"{term}\nper 1,000", fontsize=8.5)
        axes[r, 0].set_ylim(bottom=0)
    for c in range(len(spans)):
        axes[-1, c].xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        axes[-1, c].xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        axes[-1, c].tick_params(axis="x", labelsize=7.5, rotation=45)
    for r in range(len(terms)):  # break marks between the time windows
        for c in range(len(spans) - 1):
            kw = dict(transform=axes[r, c].transAxes, color="black", clip_on=False, lw=0.8)
            axes[r, c].plot([1 - 0.01, 1 + 0.01], [-0.04, 0.04], **kw)
    handles = [Line2D([], [], marker="o", ls="", color=colors[d],
                      label=f"{d}: {labels[d]}, bounds {meta.loc[d, 'date_earliest']} to "
                            f"{meta.loc[d, 'date_latest']}") for d in docs]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=7.5, frameon=False)
    fig.suptitle(f"{title}\n(time axis broken between {spans[0][1]:%Y-%m} and {spans[-1][0]:%Y-%m}; "
                 "horizontal bars: date bounds; vertical bars: 95% Poisson interval)", fontsize=10.5)
    return _freeze_layout(fig)


# ---------------------------------------------------------------------- word clouds

def _cloud(frequencies: dict[str, float], color: str, max_font_size: int, seed: int, width: int, height: int,
           relative_scaling: float = 1.0):
    from wordcloud import WordCloud

    def one_color(*_args, **_kwargs):
        return color

    cloud = WordCloud(width=width, height=height, background_color="white", max_font_size=max_font_size,
                      min_font_size=8, relative_scaling=relative_scaling, prefer_horizontal=1.0,
                      random_state=seed, color_func=one_color, max_words=len(frequencies), margin=3)
    return cloud.generate_from_frequencies(frequencies)


def plot_wordclouds(freqs: pd.DataFrame, groups: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                    by: str = "doc_id", n_words: int = 40, max_font_size: int = 120, seed: int = 1,
                    width: int = 800, height: int = 480, ncols: int = 3) -> plt.Figure:
    """One word cloud per group on a shared scale: font size proportional to the rate per
    1,000 words (``relative_scaling=1``), the largest rate of all clouds drawn at
    ``max_font_size`` and every cloud's largest word scaled from it, so sizes compare
    across clouds. The ``n_words`` most frequent content lemmas of each group; words too
    small to reach the 8 px minimum are dropped, and the packer may shrink a word that
    does not fit. DroidSansMono (shipped with wordcloud), fixed ``seed``."""
    require_columns(freqs, (by, "term", "per_1000", "rank"), "plot_wordclouds")
    chosen = freqs[freqs[by].isin(groups) & (freqs["rank"] <= n_words)]
    top_rate = chosen["per_1000"].max()
    fig, axes, _ = _grid(len(groups), ncols, 4.6 * ncols, 3.2)
    for ax, group in zip(axes, groups):
        sub = chosen[chosen[by] == group]
        size = max(int(round(max_font_size * sub["per_1000"].max() / top_rate)), 9)
        cloud = _cloud(dict(zip(sub["term"], sub["per_1000"])), colors[group], size, seed, width, height)
        ax.imshow(cloud.to_array(), interpolation="bilinear")
        ax.set_title(labels[group], fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("#DDDDDD")
    fig.suptitle("Word clouds on one shared scale: size ∝ frequency per 1,000 words "
                 "(an illustration, not evidence; see the frequency and keyness figures)", fontsize=11)
    return _freeze_layout(fig)


def comparison_cloud_terms(key: pd.DataFrame, targets: Sequence[str], n: int = 20,
                           significant_only: bool = True) -> pd.DataFrame:
    """The terms of a comparison cloud: for each target, its over-represented terms
    (log ratio > 0; significant ones only by default), the ``n`` highest log ratios; a
    term over-represented in several targets goes to the one with the highest log ratio.
    Returns target, term, log_ratio."""
    require_columns(key, ("target", "term", "log_ratio", "g2", "significant"), "comparison_cloud_terms")
    pool = key[key["target"].isin(targets) & (key["log_ratio"] > 0)]
    if significant_only:
        pool = pool[pool["significant"]]
    pool = pool.sort_values(["log_ratio", "g2", "term", "target"], ascending=[False, False, True, True])
    pool = pool.drop_duplicates("term").groupby("target", sort=True).head(n)
    return pool[["target", "term", "log_ratio"]].reset_index(drop=True)


def plot_comparison_cloud(terms: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], seed: int = 1,
                          width: int = 1400, height: int = 800, max_font_size: int = 70) -> plt.Figure:
    """One cloud of the terms of :func:`comparison_cloud_terms`, coloured by the document
    that over-uses them, sized by log ratio (``relative_scaling=1``)."""
    require_columns(terms, ("target", "term", "log_ratio"), "plot_comparison_cloud")
    from wordcloud import WordCloud

    owner = dict(zip(terms["term"], terms["target"]))

    def by_owner(word, **_kwargs):
        return colors[owner[word]]

    cloud = WordCloud(width=width, height=height, background_color="white", max_font_size=max_font_size,
                      min_font_size=8, relative_scaling=1.0, prefer_horizontal=1.0, random_state=seed,
                      color_func=by_owner, max_words=len(terms), margin=4)
    cloud.generate_from_frequencies(dict(zip(terms["term"], terms["log_ratio"])))
    fig, ax = plt.subplots(figsize=(11, 7), layout="constrained")
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    targets = list(dict.fromkeys(t for t in labels if t in set(terms["target"])))
    ax.legend(handles=[Patch(color=colors[t], label=labels[t].replace("\n", "  ·  ")) for t in targets],
              loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, fontsize=8.5, frameon=False)
    ax.set_title("Comparison cloud: words each text over-uses against the rest of the Party-media corpus\n"
                 "(size ∝ log ratio; significant terms only; an illustration, not evidence)", fontsize=11)
    return _freeze_layout(fig)


# ---------------------------------------------------------------------- texts as the unit

def plot_text_rates(rates: pd.DataFrame, contrast: pd.DataFrame, groups: pd.Series, group_colors: dict[str, str],
                    labels: dict[str, str] | None = None, title: str = "Rates in each text") -> plt.Figure:
    """One row per term, one dot per text at its rate per 1,000 words, coloured by its
    group, so that a reader sees whether the texts of a group agree. ``rates`` is a
    doc_id x term table (:func:`analysis.vocabulary.term_rates_by_text`); ``contrast`` the
    rows of :func:`analysis.vocabulary.text_level_contrast` for one group, whose
    ``separates`` column marks the rows where every text of the group lies beyond every
    other text ("all texts agree")."""
    require_columns(contrast, ("term", "group", "separates"), "plot_text_rates")
    terms = list(rates.columns)
    labels = labels or {t: t for t in terms}
    verdict = contrast.set_index("term")["separates"].reindex(terms).fillna("")
    fig, ax = plt.subplots(figsize=(8.5, 0.42 * len(terms) + 1.6), layout="constrained")
    order = list(dict.fromkeys(groups.reindex(rates.index)))
    offsets = {g: (k - (len(order) - 1) / 2) * 0.18 for k, g in enumerate(order)}
    for doc, row in rates.iterrows():
        g = groups[doc]
        ax.scatter(row.to_numpy(), np.arange(len(terms)) + offsets[g], s=28, color=group_colors[g],
                   edgecolor="white", linewidth=0.5, zorder=3)
    ax.set_yticks(np.arange(len(terms)),
                  [f"{labels[t]}  {'✓ all texts agree' if verdict[t] else ''}" for t in terms], fontsize=8.5)
    ax.set_ylim(len(terms) - 0.5, -0.5)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_xlabel("rate per 1,000 words (one dot per text)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(handles=[Line2D([], [], marker="o", ls="", color=group_colors[g], label=g) for g in order],
              loc="lower right", fontsize=8, frameon=False)
    ax.set_title(title, fontsize=10.5)
    return _freeze_layout(fig)
