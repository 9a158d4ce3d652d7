"""Figures of notebook 02 (sentiment). Each function draws and returns a matplotlib
Figure; none saves (the notebook calls :func:`analysis.save_figure`).

Colours follow :mod:`analysis.plots`: labels (hand or instrument) take POLARITY_COLOURS,
texts take :func:`analysis.plots.text_styles` (their group's hue, a shade and a marker per
text), counts in a heat map the grey MAGNITUDE_CMAP. Instruments are told apart by marker
and by a grey shade (off the shelf lighter, designed darker), never by a hue, so that no
hue means both an instrument and a group or a polarity. Figures with one row or panel per
text grow with the number of texts.
"""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .overview import text_labels
from .plots import MAGNITUDE_CMAP, POLARITY_COLOURS, group_colours, text_styles
from .sentiment import LABELS

METHOD_NAMES = {"vader": "VADER", "vader_genre": "VADER, genre-adjusted", "afinn": "AFINN-165",
                "textblob": "TextBlob (Pattern)", "model": "model (string features)",
                "model_annotated": "model (+ annotation layer)"}
#: Instrument -> (grey shade, marker, filled): off-the-shelf lexicons light, designed instruments dark.
METHOD_STYLES = {"vader": ("#a6a6a6", "o", True), "afinn": ("#a6a6a6", "s", True), "textblob": ("#a6a6a6", "D", True),
                 "vader_genre": ("#4d4d4d", "^", True), "model": ("#000000", "v", True),
                 "model_annotated": ("#000000", "P", False)}
#: Sentences without a hand label, in figures coloured by hand label.
UNLABELLED_STYLE = dict(facecolors="none", edgecolors="#333333", linewidths=0.7)


def method_name(method: str) -> str:
    """A readable name for an instrument (its identifier if it has none)."""
    return METHOD_NAMES.get(method, method.replace("_", " "))


def _grid(n: int, max_cols: int) -> tuple[int, int]:
    ncol = max(1, min(n, max_cols))
    return int(math.ceil(max(n, 1) / ncol)), ncol


def plot_confusion_matrices(matrices: dict[str, np.ndarray], title: str, max_cols: int = 4) -> plt.Figure:
    """One heat map of counts per entry of ``matrices`` (rows: hand label; columns: the
    instrument's label), at most ``max_cols`` in a row."""
    nrow, ncol = _grid(len(matrices), max_cols)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.2 * ncol, 3.1 * nrow + 0.6), squeeze=False)
    flat = axes.ravel()
    for ax, (name, cm) in zip(flat, matrices.items()):
        ax.imshow(cm, cmap=MAGNITUDE_CMAP, vmin=0, vmax=max(1, cm.max()))
        for (i, j), n in np.ndenumerate(cm):
            ax.text(j, i, str(n), ha="center", va="center", fontsize=11,
                    color="white" if n > cm.max() / 2 else "black")
        ax.set_xticks(range(3), [lab[:3] for lab in LABELS])
        ax.set_yticks(range(3), LABELS)
        ax.set_xlabel("instrument's label")
        ax.set_ylabel("hand label")
        ax.set_title(METHOD_NAMES.get(name, name), fontsize=10)
    for ax in flat[len(matrices):]:
        ax.axis("off")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_validation(table: pd.DataFrame, units: list[str], unit_names: dict[str, str] | None = None,
                    measure: str = "kappa", title: str = "", aim: float | None = 0.6,
                    level: float = 0.95, breaks: list[int] = (), chosen: str | None = None) -> plt.Figure:
    """``measure`` with its bootstrap interval for every method (one marker each) and
    unit (one row each, in the order of ``units``: texts, groups, "all"). ``table`` has
    method, unit, n, measure, measure_low, measure_high. A unit with no labelled sentence
    (n = 0, or absent from ``table``) keeps its row, marked "not measured". A dashed line
    is drawn before each unit position in ``breaks`` (e.g. where groups follow texts); the
    method ``chosen`` is named as the one used in the legend."""
    methods = list(dict.fromkeys(table["method"]))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(units) * max(1, len(methods) / 3) + 1.6))
    step = 0.8 / max(1, len(methods))
    for k, method in enumerate(methods):
        colour, marker, filled = METHOD_STYLES.get(method, ("#000000", "x", True))
        part = table[table["method"] == method].set_index("unit").reindex(units)
        y = np.arange(len(units))[::-1] - (k - (len(methods) - 1) / 2) * step   # first method on top, as in the legend
        ax.errorbar(part[measure], y, xerr=[part[measure] - part[f"{measure}_low"], part[f"{measure}_high"] - part[measure]],
                    fmt=marker, color=colour, mfc=colour if filled else "white", capsize=2, ms=5, lw=1,
                    label=method_name(method) + (" (the instrument used)" if method == chosen else ""))
    for b in breaks:
        if 0 < b < len(units):
            ax.axhline(len(units) - b - 0.5, color="#999999", lw=0.6, ls="--")
    n = table.drop_duplicates("unit").set_index("unit")["n"].reindex(units).fillna(0)
    names = unit_names or {}
    ax.set_yticks(np.arange(len(units))[::-1],
                  [f"{names.get(u, u)} (n = {int(n[u])})" if n[u] else f"{names.get(u, u)} (no hand labels: not measured)"
                   for u in units], fontsize=8)
    ax.axvline(0, color="#cccccc", lw=0.8)
    if aim is not None:
        ax.axvline(aim, color="#444444", lw=0.8, ls=":", label=f"{measure} {aim:g} (the aim)")
    if not table[measure].notna().any():
        ax.set_xlim(-0.2, 1.0)
        ax.text(0.4, (len(units) - 1) / 2, "not measured: no hand labels", ha="center", va="center", color="#555555")
    ax.set_ylim(-0.7, len(units) - 0.3)
    ax.set_xlabel(f"{measure} against the hand labels (bootstrap {level:.0%} interval over sentences)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def plot_text_tone(per_text: pd.DataFrame, corpus: pd.DataFrame, column: str, instrument: str,
                   level: float = 0.95) -> plt.Figure:
    """Net tone per text (mean of -1/0/+1 over its sentences, bootstrap interval), one row
    per text of the main voice, grouped by ``column`` (groups earliest first, texts by
    date within a group): the hand labels (filled marker) and the instrument (hollow
    marker) side by side, in the text's colour and marker (:func:`analysis.plots.text_styles`).
    A text without hand labels shows the instrument only. ``per_text`` has doc_id,
    source ("hand" or the instrument), net_tone, low, high."""
    from .groups import group_labels, group_order, main_voice

    main = main_voice(corpus)
    styles = text_styles(corpus, column)
    order = group_order(corpus, column)
    docs = [d for g in order for d in main.loc[main[column].astype(str) == g, "doc_id"]]
    hand_docs = set(per_text.loc[per_text["source"] == "hand", "doc_id"])
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(docs) + 1.8))
    y = {d: len(docs) - 1 - k for k, d in enumerate(docs)}
    for source, offset, hollow in (("hand", 0.15, False), (instrument, -0.15, True)):
        part = per_text[(per_text["source"] == source) & per_text["doc_id"].isin(y)]
        for r in part.itertuples():
            colour, marker = styles.loc[r.doc_id, "colour"], styles.loc[r.doc_id, "marker"]
            ax.errorbar(r.net_tone, y[r.doc_id] + offset, xerr=[[r.net_tone - r.low], [r.high - r.net_tone]],
                        fmt=marker, color=colour, mfc="white" if hollow else colour, capsize=2, ms=6, lw=1.2)
    groups_of = main.set_index("doc_id")[column].astype(str)
    for before, after in zip(docs, docs[1:]):
        if groups_of[before] != groups_of[after]:
            ax.axhline(y[before] - 0.5, color="#999999", lw=0.6, ls="--")
    ax.axvline(0, color="#cccccc", lw=0.8)
    ax.set_yticks([y[d] for d in docs],
                  [f"{d} ({groups_of[d]})" + ("" if d in hand_docs else ", no hand labels") for d in docs], fontsize=8)
    ax.set_ylim(-0.7, len(docs) - 0.3)
    labels = group_labels(corpus, column)
    for g, colour in group_colours(order).items():
        ax.plot([], [], "s", color=colour, label=f"{column}: {labels[g]}")
    ax.plot([], [], "o", color="black", label="hand labels (filled)")
    ax.plot([], [], "o", color="black", mfc="white", label=f"{method_name(instrument)}, out of text (hollow)")
    ax.set_xlabel(f"net tone of the text's sentences (-1 all negative, +1 all positive; bootstrap {level:.0%} interval)")
    ax.set_xlim(-1.05, 1.05)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("Every text's tone: the reference labels and the instrument", fontsize=10)
    fig.tight_layout()
    return fig


def plot_arcs(arc: pd.DataFrame, docs: pd.DataFrame, method_name_: str, window: int, max_cols: int = 3) -> plt.Figure:
    """Small multiples, one per text in corpus (date) order, one column up to ten texts and
    up to ``max_cols`` columns beyond: each sentence's score (dot, coloured by its hand label,
    hollow where it has none) against its position in the text, and the rolling mean.
    ``arc`` is :func:`analysis.sentiment.sentiment_arc` with a ``hand_label`` column."""
    caption = text_labels(docs)
    order = [d for d in docs["doc_id"] if d in set(arc["doc_id"])]
    nrow, ncol = _grid(len(order), 1 if len(order) <= 10 else max_cols)
    fig, axes = plt.subplots(nrow, ncol, figsize=(8 if ncol == 1 else 5 * ncol, 1.7 * nrow + 1.0),
                             sharex=True, sharey=True, squeeze=False)
    flat = axes.ravel()
    for ax, doc in zip(flat, order):
        part = arc[arc["doc_id"] == doc]
        for label in LABELS:
            pts = part[part["hand_label"] == label]
            ax.scatter(pts["relative_position"], pts["score"], s=14, color=POLARITY_COLOURS[label], label=f"hand: {label}")
        pts = part[~part["hand_label"].isin(LABELS)]
        ax.scatter(pts["relative_position"], pts["score"], s=14, label="no hand label", **UNLABELLED_STYLE)
        ax.plot(part["relative_position"], part["rolling_mean"], color="black", lw=1.5, label=f"rolling mean ({window})")
        ax.axhline(0, color="#cccccc", lw=0.8)
        ax.set_title(caption[doc].replace("\n", ", ") + f", {len(part)} sentences", fontsize=8 if ncol > 1 else 9, loc="left")
    for ax in flat[len(order):]:
        ax.axis("off")
    fig.supxlabel("position in the text (0 = first sentence, 1 = last)", fontsize=10)
    fig.supylabel(f"score ({method_name_})", fontsize=10)
    handles, names = flat[0].get_legend_handles_labels()
    fig.legend(handles, names, fontsize=7, ncol=5, loc="upper center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.suptitle("Sentiment arc through each text", fontsize=11, y=1.0 + 0.25 / (1.7 * nrow + 1.0))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / (1.7 * nrow + 1.0)))
    return fig


def plot_label_shares(shares: pd.DataFrame, title: str) -> plt.Figure:
    """Stacked bars of label counts (as shares) per row of ``shares`` (index: a text and
    who labelled it; columns: the labels, holding counts)."""
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(shares) + 1.4))
    totals = shares[list(LABELS)].sum(axis=1)
    left = np.zeros(len(shares))
    y = np.arange(len(shares))[::-1]
    for label in LABELS:
        frac = (shares[label] / totals).to_numpy()
        ax.barh(y, frac, left=left, color=POLARITY_COLOURS[label], label=label)
        for yi, l0, f, n in zip(y, left, frac, shares[label]):
            if f > 0.06:
                ax.text(l0 + f / 2, yi, str(int(n)), ha="center", va="center", color="white", fontsize=8)
        left += frac
    ax.set_yticks(y, [f"{g} (n = {int(t)})" for g, t in zip(shares.index, totals)], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of sentences (numbers: sentence counts)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def plot_word_drivers(contrib: pd.DataFrame, docs: pd.DataFrame, method_name_: str, top: int = 6) -> plt.Figure:
    """Per text of ``docs`` (corpus order), the ``top`` words with the most negative and
    most positive summed lexicon valence (count x valence), red below zero and blue above.
    A text with no word of the lexicon keeps its panel, saying so."""
    caption = text_labels(docs)
    order = list(docs["doc_id"])
    nrow, ncol = _grid(len(order), 3)
    fig, axes = plt.subplots(nrow, ncol, figsize=(12, 3.4 * nrow + 0.6), squeeze=False)
    for ax, doc in zip(axes.ravel(), order):
        part = contrib[contrib["doc_id"] == doc].sort_values(["contribution", "word"])
        pick = pd.concat([part.head(top), part[part["contribution"] > 0].tail(top)]).drop_duplicates("word")
        pick = pick[pick["contribution"] != 0]
        ax.set_title(caption[doc].replace("\n", ", "), fontsize=9)
        if pick.empty:
            ax.text(0.5, 0.5, "no word of the lexicon", ha="center", va="center", transform=ax.transAxes, color="#555555")
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        ax.barh(range(len(pick)), pick["contribution"],
                color=[POLARITY_COLOURS["negative" if c < 0 else "positive"] for c in pick["contribution"]])
        ax.set_yticks(range(len(pick)), [f"{w} ({n})" for w, n in zip(pick["word"], pick["count"])], fontsize=8)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlabel("summed valence (count x valence)", fontsize=8)
    for ax in axes.ravel()[len(order):]:
        ax.axis("off")
    fig.suptitle(f"Words that drive the {method_name_} lexicon sum in each text (in brackets: count)", fontsize=11)
    fig.tight_layout()
    return fig
