"""Figures of notebook 02 (sentiment). Each function draws and returns a matplotlib
Figure; none saves (the notebook calls :func:`analysis.save_figure`)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .overview import date_labels
from .sentiment import LABELS

LABEL_COLOURS = {"negative": "#b2182b", "neutral": "#8c8c8c", "positive": "#2166ac"}
METHOD_NAMES = {"vader": "VADER", "vader_genre": "VADER, genre-adjusted", "afinn": "AFINN-165",
                "textblob": "TextBlob (Pattern)", "model": "model (string features)",
                "model_annotated": "model (+ annotation layer)"}


def doc_caption(docs: pd.DataFrame) -> dict[str, str]:
    """doc_id -> 'doc_id\\n~2020-10 (month, inferred)' labels from a corpus table
    (:func:`analysis.overview.date_label`)."""
    return {d: f"{d}\n{label}" for d, label in date_labels(docs).items()}


def plot_confusion_matrices(matrices: dict[str, np.ndarray], title: str) -> plt.Figure:
    """One heat map of counts per method (rows: hand label; columns: method's label)."""
    fig, axes = plt.subplots(1, len(matrices), figsize=(3.2 * len(matrices), 3.4), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (method, cm) in zip(axes, matrices.items()):
        ax.imshow(cm, cmap="Greys", vmin=0, vmax=max(1, cm.max()))
        for (i, j), n in np.ndenumerate(cm):
            ax.text(j, i, str(n), ha="center", va="center", fontsize=11,
                    color="white" if n > cm.max() / 2 else "black")
        ax.set_xticks(range(3), [lab[:3] for lab in LABELS])
        ax.set_yticks(range(3), LABELS)
        ax.set_xlabel("method's label")
        ax.set_title(METHOD_NAMES.get(method, method), fontsize=10)
    axes[0].set_ylabel("hand label")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_validation(table: pd.DataFrame, units: list[str], unit_names: dict[str, str] | None = None,
                    measure: str = "kappa", title: str = "") -> plt.Figure:
    """``measure`` with its bootstrap interval for every method (one marker each) and
    unit (one row each, in the order of ``units``: texts, groups, "all"). ``table`` has
    method, unit, n, measure, measure_low, measure_high."""
    methods = list(dict.fromkeys(table["method"]))
    markers = "osD^vP*X"
    greys = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(methods)))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(units) * max(1, len(methods) / 3) + 1.6))
    step = 0.8 / max(1, len(methods))
    for k, method in enumerate(methods):
        part = table[table["method"] == method].set_index("unit").reindex(units)
        y = np.arange(len(units))[::-1] + (k - (len(methods) - 1) / 2) * step
        ax.errorbar(part[measure], y, xerr=[part[measure] - part[f"{measure}_low"], part[f"{measure}_high"] - part[measure]],
                    fmt=markers[k % len(markers)], color=greys[k], capsize=2, ms=5, lw=1,
                    label=METHOD_NAMES.get(method, method))
    n = table.drop_duplicates("unit").set_index("unit")["n"].reindex(units)
    names = unit_names or {}
    ax.set_yticks(np.arange(len(units))[::-1], [f"{names.get(u, u)} (n = {int(n[u])})" for u in units], fontsize=8)
    ax.axvline(0, color="#cccccc", lw=0.8)
    ax.axvline(0.6, color="#444444", lw=0.8, ls=":", label=f"{measure} 0.6 (the aim)")
    ax.set_xlabel(f"{measure} against the hand labels (bootstrap 95% interval over sentences)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def plot_threshold_grid(grid: pd.DataFrame, chosen: float) -> plt.Figure:
    """Kappa and accuracy of the genre method on the design part against the threshold."""
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot(grid["threshold"], grid["kappa"], "o-", color="black", label="kappa")
    ax.plot(grid["threshold"], grid["accuracy"], "s--", color="#999999", label="accuracy")
    ax.axvline(chosen, color="#b2182b", ls=":", label=f"chosen: {chosen:g}")
    ax.set_xlabel("neutral band: |compound| below this is neutral")
    ax.set_ylabel("agreement (design part only)")
    ax.set_title("Choosing the genre method's threshold on the design part")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_document_summary(summary: pd.DataFrame, docs: pd.DataFrame, method_name: str) -> plt.Figure:
    """Per document (date order, top to bottom): mean score and the shares of negative
    and positive sentences, each with its bootstrap 95% interval; n in the labels."""
    caption = doc_caption(docs)
    order = [d for d in docs["doc_id"] if d in set(summary["doc_id"])]
    part = summary.set_index("doc_id").loc[order]
    y = np.arange(len(order))[::-1]
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.8 * len(order) + 1.4), sharey=True)
    ax = axes[0]
    ax.errorbar(part["mean_score"], y, xerr=[part["mean_score"] - part["mean_score_low"],
                                             part["mean_score_high"] - part["mean_score"]], fmt="o", color="black", capsize=3)
    ax.axvline(0, color="#cccccc", lw=0.8)
    ax.set_yticks(y, [f"{caption[d]}, n = {int(part.loc[d, 'n'])}" for d in order], fontsize=8)
    ax.set_xlabel(f"mean sentence score ({method_name})")
    ax.set_title("Mean score")
    ax = axes[1]
    for k, label in enumerate(["negative", "positive"]):
        col = f"share_{label}"
        ax.errorbar(part[col], y + (0.12 if k else -0.12), xerr=[part[col] - part[f"{col}_low"], part[f"{col}_high"] - part[col]],
                    fmt="o", color=LABEL_COLOURS[label], capsize=3, label=label)
    ax.set_xlim(0, 1)
    comments = [k for k, d in enumerate(order) if (docs.set_index("doc_id").loc[d, "voice"] == "reader-comments")]
    for a in axes:
        for k in comments:
            a.axhline(y[k] + 0.5, color="#666666", ls="--", lw=0.8)
    ax.set_xlabel("share of sentences")
    ax.set_title("Share of negative and positive sentences")
    ax.legend(fontsize=8)
    fig.suptitle(f"Evaluative tone per document ({method_name}); bars: bootstrap 95% intervals", fontsize=11)
    fig.tight_layout()
    return fig


def plot_arcs(arc: pd.DataFrame, docs: pd.DataFrame, method_name: str, window: int) -> plt.Figure:
    """Small multiples, one per document in date order: each sentence's score (dot,
    coloured by its hand label) against its position, and the rolling mean."""
    caption = doc_caption(docs)
    order = [d for d in docs["doc_id"] if d in set(arc["doc_id"])]
    fig, axes = plt.subplots(len(order), 1, figsize=(8, 1.7 * len(order) + 0.6), sharex=True, sharey=True)
    for ax, doc in zip(np.atleast_1d(axes), order):
        part = arc[arc["doc_id"] == doc]
        for label in LABELS:
            pts = part[part["hand_label"] == label]
            ax.scatter(pts["relative_position"], pts["score"], s=14, color=LABEL_COLOURS[label], label=f"hand: {label}")
        ax.plot(part["relative_position"], part["rolling_mean"], color="black", lw=1.5, label=f"rolling mean ({window})")
        ax.axhline(0, color="#cccccc", lw=0.8)
        ax.set_title(caption[doc].replace("\n", ", ") + f", {len(part)} sentences", fontsize=9, loc="left")
    axes[-1].set_xlabel("position in the text (0 = first sentence, 1 = last)")
    axes[len(order) // 2].set_ylabel(f"score ({method_name})")
    axes[0].legend(fontsize=7, ncol=4, loc="lower left", bbox_to_anchor=(0, 1.25))
    fig.suptitle("Sentiment arc through each text", fontsize=11, y=1.0)
    fig.tight_layout()
    return fig


def plot_label_shares(shares: pd.DataFrame, title: str) -> plt.Figure:
    """Stacked bars of label counts (as shares) per row of ``shares`` (index: group;
    columns: the labels, holding counts)."""
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(shares) + 1.4))
    totals = shares[list(LABELS)].sum(axis=1)
    left = np.zeros(len(shares))
    y = np.arange(len(shares))[::-1]
    for label in LABELS:
        frac = (shares[label] / totals).to_numpy()
        ax.barh(y, frac, left=left, color=LABEL_COLOURS[label], label=label)
        for yi, l0, f, n in zip(y, left, frac, shares[label]):
            if f > 0.06:
                ax.text(l0 + f / 2, yi, str(int(n)), ha="center", va="center", color="white", fontsize=8)
        left += frac
    ax.set_yticks(y, [f"{g} (n = {int(t)})" for g, t in zip(shares.index, totals)], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of sentences (numbers: sentence counts)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.22 - 0.6 / len(shares)))
    fig.tight_layout()
    return fig


def plot_word_drivers(contrib: pd.DataFrame, docs: pd.DataFrame, method_name: str, top: int = 6) -> plt.Figure:
    """Per document, the ``top`` words with the most negative and most positive summed
    lexicon valence (count x valence)."""
    caption = doc_caption(docs)
    order = [d for d in docs["doc_id"] if d in set(contrib["doc_id"])]
    ncol = 3
    nrow = int(np.ceil(len(order) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(12, 3.4 * nrow))
    for ax, doc in zip(axes.ravel(), order):
        part = contrib[contrib["doc_id"] == doc].sort_values(["contribution", "word"])
        pick = pd.concat([part.head(top), part[part["contribution"] > 0].tail(top)]).drop_duplicates("word")
        pick = pick[pick["contribution"] != 0]
        ax.barh(range(len(pick)), pick["contribution"],
                color=[LABEL_COLOURS["negative" if c < 0 else "positive"] for c in pick["contribution"]])
        ax.set_yticks(range(len(pick)), [f"{w} ({n})" for w, n in zip(pick["word"], pick["count"])], fontsize=8)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_title(caption[doc].replace("\n", ", "), fontsize=9)
        ax.set_xlabel("summed valence (count x valence)", fontsize=8)
    for ax in axes.ravel()[len(order):]:
        ax.axis("off")
    fig.suptitle(f"Words that drive the {method_name} lexicon sum in each document (in brackets: count)", fontsize=11)
    fig.tight_layout()
    return fig


def plot_group_tone(per_text: pd.DataFrame, groups: list[str], colours: dict[str, str], instrument: str,
                    captions: dict[str, str]) -> plt.Figure:
    """Net tone per text (mean of -1/0/+1 over its sentences, bootstrap interval),
    texts grouped by ``groups`` in order: the hand labels (filled dot) and the
    instrument (hollow dot) side by side. ``per_text`` has doc_id, group, source
    ("hand" or the instrument), net_tone, low, high, n."""
    docs = [d for g in groups for d in dict.fromkeys(per_text.loc[per_text["group"] == g, "doc_id"])]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(docs) + 1.5))
    y = {d: len(docs) - 1 - k for k, d in enumerate(docs)}
    for source, offset, face in (("hand", 0.15, None), (instrument, -0.15, "none")):
        part = per_text[per_text["source"] == source]
        for _, r in part.iterrows():
            c = colours[r["group"]]
            ax.errorbar(r["net_tone"], y[r["doc_id"]] + offset, xerr=[[r["net_tone"] - r["low"]], [r["high"] - r["net_tone"]]],
                        fmt="o", color=c, mfc=face if face else c, capsize=2, ms=6)
    ax.axvline(0, color="#cccccc", lw=0.8)
    ax.set_yticks([y[d] for d in docs], [captions.get(d, d) for d in docs], fontsize=8)
    for g in groups:
        ax.plot([], [], "s", color=colours[g], label=str(g))
    ax.plot([], [], "o", color="black", label="hand labels (filled)")
    ax.plot([], [], "o", color="black", mfc="none", label=f"{METHOD_NAMES.get(instrument, instrument)}, out of text (hollow)")
    ax.set_xlabel("net tone of the text's sentences (-1 all negative, +1 all positive; bootstrap 95% interval)")
    ax.set_xlim(-1, 1)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("Every text's tone: the reference labels and the instrument", fontsize=10)
    fig.tight_layout()
    return fig
