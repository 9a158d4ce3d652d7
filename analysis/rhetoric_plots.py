"""Figures of notebook 03 (rhetorical profile). Each function draws and returns a
matplotlib Figure; none saves (the notebook calls :func:`analysis.save_figure`).

Colours follow the families of :mod:`analysis.plots`: a text takes its colour from
:func:`analysis.plots.text_styles` (its group's hue, a shade per text; texts in another
voice grey and hollow), a group from :func:`analysis.plots.group_colours`, rates in a
heatmap one grey scale (``MAGNITUDE_CMAP``), and a difference between groups the ends of
``SIGNED_CMAP`` (red below zero, blue above; later group minus earlier). Categories and
instruments that are none of these (we against they, recall against precision) are told
apart by marker and fill, in black and grey.

Per-text figures have one row per text, texts in date order from the top, labelled with
the doc_id and the date with its precision (some dates are inferred, see
``corpus/metadata.csv``); their height grows with the number of texts, and a text in
another voice (reader comments) is drawn below a line, never as one of the main voice.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .checks import require_columns
from .groups import MAIN_VOICE, group_order
from .overview import date_label
from .plots import MAGNITUDE_CMAP, SIGNED_CMAP, group_colours, readable

#: Above this many texts, per-text figures leave out the numbers written in or beside
#: each cell (they are in the tables) and use thinner rows.
MAX_ANNOTATED_TEXTS = 40
INK, SECOND_INK = "black", "#8c8c8c"


def doc_label(doc: pd.Series) -> str:
    """One line, 'doc_id  date (precision, how known)': e.g. the doc_id, then
    '~YYYY-MM (month, inferred)' (:func:`analysis.overview.date_label`)."""
    return f"{doc['doc_id']}  {date_label(doc['date'], doc['date_precision'], doc['date_evidence'])}"


def _check(corpus: pd.DataFrame) -> None:
    require_columns(corpus, ("doc_id", "date", "date_precision", "date_evidence", "voice"),
                    "rhetoric plots", made_by="analysis.load_corpus()")


def _legend_below(fig, handles: list, labels: list[str], ncol: int) -> None:
    """A legend under the axes, in a band of the figure's own (its height in inches does
    not depend on the figure's), then a tight layout above it."""
    rows = -(-len(handles) // ncol)
    band = (0.25 + 0.2 * rows) / fig.get_figheight()
    fig.legend(handles, labels, loc="lower center", ncol=ncol, frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, band, 1, 1))


def _row_height(n: int) -> float:
    return 0.5 if n <= MAX_ANNOTATED_TEXTS else 0.22


def _voice_blocks(corpus: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(name, texts) of the main voice, then of every other voice, in corpus order."""
    blocks = [("Party media", corpus[corpus["voice"] == MAIN_VOICE])]
    for voice in pd.unique(corpus.loc[corpus["voice"] != MAIN_VOICE, "voice"]):
        blocks.append((f"{readable(voice).replace('-', ' ')} (not Party media)", corpus[corpus["voice"] == voice]))
    return [(name, frame) for name, frame in blocks if len(frame)]


def _text_rows(ax, corpus: pd.DataFrame, styles: pd.DataFrame) -> list[str]:
    """Label the rows 0..n-1 of ``ax`` (top to bottom) with the texts of ``corpus``: the
    doc_id and date as tick labels, other voices below a line and named, and a dashed line
    where the group of the main-voice texts changes (``styles["group"]``). Returns the
    doc_ids in row order."""
    docs = list(corpus["doc_id"])
    ax.set_yticks(range(len(docs)), [doc_label(r) for _, r in corpus.iterrows()],
                  fontsize=8 if len(docs) <= MAX_ANNOTATED_TEXTS else 6)
    ax.set_ylim(len(docs) - 0.5, -0.5)
    main = list(corpus["voice"] == MAIN_VOICE)
    for k in range(1, len(docs)):
        if main[k] != main[k - 1]:
            ax.axhline(k - 0.5, color="black", lw=1.2)
            ax.text(1.0, k - 0.45, f"{readable(corpus['voice'].iloc[k]).replace('-', ' ')} (not Party media)",
                    transform=ax.get_yaxis_transform(), ha="right", va="top", fontsize=7.5, style="italic")
        elif main[k] and styles.at[docs[k], "group"] != styles.at[docs[k - 1], "group"]:
            ax.axhline(k - 0.5, color="black", lw=0.8, ls="--")
    return docs


# ---------------------------------------------------------------------------- rates per text

def rate_heatmap(rates: pd.DataFrame, corpus: pd.DataFrame, labels: dict[str, str], styles: pd.DataFrame,
                 by: str = "era", title: str = "Rhetorical categories per 1,000 words") -> plt.Figure:
    """Heatmap of the rate per 1,000 words: one row per text (corpus = date order, top to
    bottom), one column per category (``labels`` order). Each cell shows the rate and the
    count (up to :data:`MAX_ANNOTATED_TEXTS` texts). One grey scale for every cell
    (logarithmic, so that rare and common categories are read on the same scale; a zero
    count is white), so a column compares texts and a row compares categories. Texts in
    another voice are a panel of their own on the same scale; a dashed line separates
    texts of different groups (metadata column ``by``), whose names are written at the
    right with their colour; a marker in each text's colour and shape (``styles``,
    :func:`analysis.plots.text_styles`) stands before its row."""
    from matplotlib.colors import LogNorm

    _check(corpus)
    cats = list(labels)
    corpus = corpus[corpus["doc_id"].isin(set(rates["doc_id"]))]
    wide = rates.pivot(index="doc_id", columns="category", values="per_1k").reindex(index=corpus["doc_id"], columns=cats)
    counts = rates.pivot(index="doc_id", columns="category", values="count").reindex(index=corpus["doc_id"], columns=cats)
    positive = wide.to_numpy(dtype=float)
    positive = positive[positive > 0]
    norm = LogNorm(vmin=max(positive.min(), 0.1) if positive.size else 0.1,
                   vmax=max(positive.max(), 0.2) if positive.size else 1.0)
    blocks = _voice_blocks(corpus)
    n_rows = [len(frame) for _, frame in blocks]
    annotate = len(corpus) <= MAX_ANNOTATED_TEXTS
    height = 2.6 + _row_height(len(corpus)) * sum(n_rows) + 0.5 * (len(blocks) - 1)
    fig, axes = plt.subplots(len(blocks), 1, figsize=(4.8 + 0.95 * len(cats), height), squeeze=False,
                             gridspec_kw={"height_ratios": n_rows})
    image = None
    for ax, (name, frame) in zip(axes[:, 0], blocks):
        docs = list(frame["doc_id"])
        values = wide.loc[docs].to_numpy(dtype=float)
        image = ax.imshow(np.where(values > 0, values, np.nan), cmap=MAGNITUDE_CMAP, norm=norm, aspect="auto",
                          interpolation="none")
        if annotate:
            for i, doc in enumerate(docs):
                for j, cat in enumerate(cats):
                    rate, n = wide.at[doc, cat], counts.at[doc, cat]
                    dark = rate > 0 and norm(rate) > 0.62
                    ax.text(j, i, f"{rate:.1f}\n(n={int(n)})", ha="center", va="center", fontsize=7,
                            color="white" if dark else "black")
        ax.set_yticks(range(len(docs)), [doc_label(r) for _, r in frame.iterrows()],
                      fontsize=8 if annotate else 6)
        ax.tick_params(axis="y", pad=14)
        for i, doc in enumerate(docs):
            style = styles.loc[doc]
            ax.plot(-0.012, i, style["marker"], ms=6 if annotate else 4, color=style["colour"],
                    mfc="white" if style["hollow"] else style["colour"], clip_on=False,
                    transform=ax.get_yaxis_transform())
        ax.set_xlim(-0.5, len(cats) - 0.5)
        last = ax is axes[-1, 0]
        ax.set_xticks(range(len(cats)), [labels[c] for c in cats] if last else [], rotation=35, ha="right",
                      fontsize=8.5)
        ax.set_title(name, fontsize=9, loc="left")
        if name.startswith("Party media"):
            groups = [str(g) for g in frame[by]]
            hues = group_colours(group_order(corpus, by))
            start = 0
            for k in range(1, len(docs) + 1):
                if k == len(docs) or groups[k] != groups[k - 1]:
                    colour = hues[groups[start]]
                    ax.text(1.01, (start + k - 1) / 2, groups[start], transform=ax.get_yaxis_transform(),
                            va="center", ha="left", fontsize=8, color=colour, fontweight="bold")
                    if k < len(docs):
                        ax.axhline(k - 0.5, color="black", lw=1, ls="--")
                    start = k
    fig.colorbar(image, ax=list(axes[:, 0]), shrink=min(0.8, 4.0 / height), pad=0.12,
                 label="per 1,000 words (log scale; white = no match)")
    fig.suptitle(f"{title}\n(one grey scale for all cells; dashed line: change of {by})"
                 + ("" if annotate else "; the numbers are in results/rhetoric_rates.csv"), fontsize=10)
    return fig


def us_them(rates: pd.DataFrame, corpus: pd.DataFrame, styles: pd.DataFrame, subtitle: str = "") -> plt.Figure:
    """'We' (first person plural) against 'they' (third person plural) per 1,000 words,
    one row per text with bootstrap 95% intervals: 'we' a filled circle, 'they' a hollow
    square, both in the text's colour (``styles``). ``subtitle`` (e.g. what 'they' refers
    to, computed by the caller) goes under the title."""
    _check(corpus)
    docs = list(corpus["doc_id"])
    annotate = len(docs) <= MAX_ANNOTATED_TEXTS
    fig, ax = plt.subplots(figsize=(10, 2.0 + _row_height(len(docs)) * 1.3 * len(docs)))
    y = np.arange(len(docs))
    for offset, cat, marker, filled in [(-0.17, "we_inclusive", "o", True), (0.17, "they_others", "s", False)]:
        part = rates[rates["category"] == cat].set_index("doc_id").reindex(docs)
        for k, doc in enumerate(docs):
            colour = styles.loc[doc, "colour"]
            rate, lo, hi = part.at[doc, "per_1k"], part.at[doc, "ci_low"], part.at[doc, "ci_high"]
            if np.isnan(rate):
                continue
            ax.errorbar(rate, y[k] + offset, xerr=[[rate - lo], [hi - rate]], fmt=marker, color=colour,
                        mfc=colour if filled else "white", mew=1.4, ms=6, capsize=2.5, lw=1.2)
            if annotate:
                ax.annotate(f"n={int(part.at[doc, 'count'])}", (hi, y[k] + offset), textcoords="offset points",
                            xytext=(4, 0), va="center", fontsize=7)
    from matplotlib.lines import Line2D

    _text_rows(ax, corpus, styles)
    ax.set_xlabel("per 1,000 words of the author's voice (95% bootstrap interval)")
    ax.set_title("Us and them: first against third person plural pronouns, texts in date order"
                 + (f"\n{textwrap.fill(subtitle, 110)}" if subtitle else "") + "\n(colour: the text's group, a shade per text)",
                 fontsize=10)
    ax.set_xlim(left=0)
    ax.grid(axis="x", alpha=0.3)
    handles = [Line2D([], [], marker="o", ls="", color=INK), Line2D([], [], marker="s", ls="", color=INK, mfc="white")]
    _legend_below(fig, handles, ["we / our / us (filled circle)", "they / them / their (hollow square)"], 2)
    return fig


def quotes_per_text(quotes: pd.DataFrame, corpus: pd.DataFrame, n_words: pd.Series, styles: pd.DataFrame,
                    scare_max_words: int = 3) -> plt.Figure:
    """Stacked horizontal bars, one per text: quoted spans, scare quotes or terms (up to
    ``scare_max_words`` words, solid) and slogans or quotations (longer, hatched), in the
    text's colour (``styles``), with the count and the rate per 1,000 words at the end."""
    _check(corpus)
    docs = list(corpus["doc_id"])
    annotate = len(docs) <= MAX_ANNOTATED_TEXTS
    table = (quotes.groupby(["doc_id", "kind"]).size().unstack("kind", fill_value=0)
             .reindex(index=docs, columns=["scare_quote", "slogan_or_quotation"], fill_value=0))
    fig, ax = plt.subplots(figsize=(10, 1.9 + _row_height(len(docs)) * len(docs)))
    y = np.arange(len(docs))
    colours = [styles.loc[d, "colour"] for d in docs]
    left = np.zeros(len(docs))
    for kind, hatch, alpha in [("scare_quote", None, 1.0), ("slogan_or_quotation", "////", 0.35)]:
        values = table[kind].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=colours, alpha=alpha, height=0.7, edgecolor=colours, lw=0.8)
        if hatch:
            ax.barh(y, values, left=left, color="none", hatch=hatch, height=0.7, edgecolor=colours, lw=0.8)
        left += values
    if annotate:
        for k, doc in enumerate(docs):
            words = n_words.get(doc, 0)
            rate = f" ({1000 * left[k] / words:.1f}/1k)" if words else ""
            ax.text(left[k], y[k], f" {int(left[k])}{rate}", va="center", fontsize=7.5)
    from matplotlib.patches import Patch

    _text_rows(ax, corpus, styles)
    ax.set_xlabel("quoted spans (count; every span is listed in results/rhetoric_quotes.csv)")
    ax.set_title("Quoted slogans, sayings and scare quotes per text, texts in date order\n"
                 "(colour: the text's group, a shade per text)", fontsize=10)
    ax.set_xlim(0, max(left.max(), 1) * 1.22)
    handles = [Patch(facecolor=SECOND_INK, edgecolor=SECOND_INK),
               Patch(facecolor="white", edgecolor=SECOND_INK, hatch="////")]
    _legend_below(fig, handles, [f"scare quote or term (1-{scare_max_words} words; solid)",
                                 f"slogan or quotation ({scare_max_words + 1}+ words; hatched)"], 2)
    return fig


# ---------------------------------------------------------------------------- groups

def group_shift(group_rates: pd.DataFrame, rates: pd.DataFrame, corpus: pd.DataFrame,
                labels: dict[str, str], by: str, order: list[str], colours: dict[str, str],
                styles: pd.DataFrame, shift: pd.DataFrame | None = None) -> plt.Figure:
    """Left: pooled rate per group (large filled circles with a black edge, bootstrap 95%
    interval), groups in ``order`` with ``colours`` (:func:`analysis.plots.group_colours`),
    and each main-voice text's own rate as a small hollow marker in its colour and shape
    (``styles``), so the spread between texts (which the interval does not capture) is
    visible. Right, if ``shift`` (:func:`analysis.rhetoric.group_difference`) is given:
    the difference of the last group of ``order`` minus the first, with its interval,
    red when the interval lies below zero, blue above, grey when it includes zero."""
    from matplotlib import colormaps

    _check(corpus)
    cats = list(labels)
    y = np.arange(len(cats))
    party = corpus[corpus["voice"] == MAIN_VOICE]
    panels = 2 if shift is not None else 1
    fig, axes = plt.subplots(1, panels, figsize=(9 + 3.6 * (panels - 1), 1.6 + 0.55 * len(cats)), squeeze=False,
                             sharey=True, gridspec_kw={"width_ratios": [2.4, 1][:panels]})
    ax = axes[0, 0]
    offsets = np.linspace(-0.25, 0.25, len(order)) if len(order) > 1 else [0.0]
    for k, group in enumerate(order):
        off = offsets[k]
        part = group_rates[group_rates["group"] == group].set_index("category").reindex(cats)
        docs = list(party.loc[party[by].astype(str) == group, "doc_id"])
        colour = colours[group]
        per_doc = rates[rates["doc_id"].isin(docs)].pivot(index="category", columns="doc_id",
                                                          values="per_1k").reindex(index=cats)
        for doc in docs:
            if doc in per_doc.columns:
                ax.scatter(per_doc[doc], y + off, s=16, marker=styles.loc[doc, "marker"], facecolors="none",
                           edgecolors=styles.loc[doc, "colour"], alpha=0.8, lw=0.8, zorder=2)
        ax.errorbar(part["per_1k"], y + off, xerr=[part["per_1k"] - part["ci_low"], part["ci_high"] - part["per_1k"]],
                    fmt="o", ms=7, color=colour, mec="black", mew=0.7, capsize=3, zorder=3,
                    label=f"{group}, pooled ({len(docs)} text{'s' if len(docs) != 1 else ''}, "
                          f"{int(part['n_words'].iloc[0]):,} words)")
    ax.scatter([], [], s=16, facecolors="none", edgecolors=SECOND_INK, label="one text's own rate (hollow)")
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xlabel("per 1,000 words of the author's voice\n(pooled rate, 95% bootstrap interval over sentences)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlim(left=-0.6)
    if shift is not None:
        cmap = colormaps[SIGNED_CMAP]
        below, above = cmap(0.1), cmap(0.9)
        right = axes[0, 1]
        part = shift.set_index("category").reindex(cats)
        for k, cat in enumerate(cats):
            d, lo, hi = part.at[cat, "difference"], part.at[cat, "ci_low"], part.at[cat, "ci_high"]
            colour = below if hi < 0 else above if lo > 0 else SECOND_INK
            right.errorbar(d, y[k], xerr=[[d - lo], [hi - d]], fmt="D", ms=6, color=colour, capsize=3)
        right.axvline(0, color="black", lw=0.8)
        right.set_xlabel(f"difference per 1,000 words\n{order[-1]} minus {order[0]} (95% interval)")
        right.set_title("later minus earlier: red less, blue more,\ngrey interval includes 0", fontsize=8.5)
        right.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Rates by {by}, groups in date order: " + " → ".join(order) +
                 "\nParty media only; a difference between groups may equally be one of outlet, genre or translation",
                 fontsize=10)
    handles, names = ax.get_legend_handles_labels()
    _legend_below(fig, handles, names, min(3, len(handles)))
    return fig


# ---------------------------------------------------------------------------- hand marks

def precision_plot(precision: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Precision per category from the hand marks, with Wilson 95% intervals and
    right/marked written beside each point; categories without a mark are left empty."""
    cats = list(labels)
    part = precision.set_index("category").reindex(cats)
    y = np.arange(len(cats))
    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.42 * len(cats)))
    est = part["precision"].to_numpy(dtype=float)
    err = np.clip([est - part["ci_low"].to_numpy(dtype=float), part["ci_high"].to_numpy(dtype=float) - est], 0, None)
    ax.errorbar(est, y, xerr=err, fmt="o", color=INK, capsize=3)
    for yi, (k, n) in enumerate(zip(part["n_correct"], part["n_marked"])):
        ax.annotate(f"{int(k)}/{int(n)}" if n == n and n else "no mark", (1.03, yi), xycoords=("axes fraction", "data"),
                    fontsize=8, va="center")
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("precision: share of marked matches judged right (Wilson 95% interval)")
    ax.set_title("How often a match really expresses its category (hand marks; right / marked at the right)",
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def recall_plot(recall: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Recall (black circles) and precision (grey squares) per category on the hand-read
    sample of whole sentences, with Wilson 95% intervals and hits/denominator written
    beside each point."""
    cats = [c for c in labels if c in set(recall["category"])]
    part = recall.set_index("category").loc[cats]
    y = np.arange(len(cats))
    fig, ax = plt.subplots(figsize=(8.5, 1.8 + 0.45 * len(cats)))
    for off, key, colour, marker, name in [(-0.15, "recall", INK, "o", "recall (hits / hand instances)"),
                                           (0.15, "precision", SECOND_INK, "s", "precision (hits / code matches)")]:
        est = part[key].to_numpy(dtype=float)
        low, high = part[f"{key}_low"].to_numpy(dtype=float), part[f"{key}_high"].to_numpy(dtype=float)
        ax.errorbar(est, y + off, xerr=np.clip([est - low, high - est], 0, None), fmt=marker, color=colour,
                    capsize=3, label=name)
        denominators = part["n_gold"] if key == "recall" else part["n_found"]
        for yi, (h, n) in enumerate(zip(part["hits"], denominators)):
            ax.annotate(f"{h}/{n}", (1.03, yi + off), xycoords=("axes fraction", "data"), fontsize=7, color=colour,
                        va="center")
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("share (Wilson 95% interval)")
    ax.set_title("Recall and precision on a random sample of whole sentences, read by hand", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    handles, names = ax.get_legend_handles_labels()
    _legend_below(fig, handles, names, 2)
    return fig
