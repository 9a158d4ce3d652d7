"""Figures of notebook 03 (rhetorical profile). Each function draws and returns a
matplotlib Figure; none saves (the notebook calls :func:`analysis.save_figure`).

Documents appear in date order with their date and its precision in the label, because
some dates are inferred to the month (see ``corpus/metadata.csv``).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .checks import require_columns
from .overview import date_label

COMMENTS_COLOUR = "#7f7f7f"


def doc_label(doc: pd.Series) -> str:
    """Three lines, 'doc_id', 'date', '(precision, how known)': e.g. the doc_id,
    '~YYYY-MM', '(month, inferred)' (:func:`analysis.overview.date_label`); reader
    comments are marked."""
    voice = "\nREADER COMMENTS" if doc["voice"] == "reader-comments" else ""
    date = date_label(doc["date"], doc["date_precision"], doc["date_evidence"]).replace(" (", "\n(")
    return f"{doc['doc_id']}\n{date}{voice}"


def _check(corpus: pd.DataFrame) -> None:
    require_columns(corpus, ("doc_id", "date", "date_precision", "date_evidence", "voice"),
                    "rhetoric plots", made_by="analysis.load_corpus()")


def rate_heatmap(rates: pd.DataFrame, corpus: pd.DataFrame, labels: dict[str, str], by: str = "era",
                 title: str = "Rhetorical categories per 1,000 words") -> plt.Figure:
    """Heatmap of rate per 1,000 words, categories (rows, in ``labels`` order) by document
    (columns, in corpus = date order); each cell shows the rate and the count. One
    colour scale for every cell (logarithmic, so that rare and common categories can be
    read on the same scale; a zero count is white), so texts can be compared along a
    row and categories down a column. Reader comments are drawn in a panel of their own
    with the same scale, never beside the Party texts as one of them. A dashed line
    separates texts of different groups (metadata column ``by``)."""
    from matplotlib.colors import LogNorm

    _check(corpus)
    cats = list(labels)
    party = corpus[corpus["voice"] != "reader-comments"]
    comments = corpus[corpus["voice"] == "reader-comments"]
    docs_in = [d for d in corpus["doc_id"] if d in set(rates["doc_id"])]
    wide = rates.pivot(index="category", columns="doc_id", values="per_1k").reindex(index=cats, columns=docs_in)
    counts = rates.pivot(index="category", columns="doc_id", values="count").reindex(index=cats, columns=docs_in)
    positive = wide.to_numpy()[wide.to_numpy() > 0]
    norm = LogNorm(vmin=max(positive.min(), 0.1) if positive.size else 0.1,
                   vmax=positive.max() if positive.size else 1.0)
    panels = [(party, "Party media")] + ([(comments, "reader comments\n(not Party media)")] if len(comments) else [])
    widths = [max(1, sum(d in docs_in for d in frame["doc_id"])) for frame, _ in panels]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 + 1.8 * sum(widths), 7.4), squeeze=False,
                             gridspec_kw={"width_ratios": widths})
    image = None
    for ax, (frame, name) in zip(axes[0], panels):
        frame = frame[frame["doc_id"].isin(docs_in)]
        docs = list(frame["doc_id"])
        values = wide[docs].to_numpy(dtype=float)
        image = ax.imshow(np.where(values > 0, values, np.nan), cmap="Blues", norm=norm, aspect="auto")
        for i in range(len(cats)):
            for j, doc in enumerate(docs):
                rate, n = wide.at[cats[i], doc], counts.at[cats[i], doc]
                dark = rate > 0 and norm(rate) > 0.6
                ax.text(j, i, f"{rate:.1f}\n(n={int(n)})", ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "black")
        ax.set_xticks(range(len(docs)), [doc_label(r) for _, r in frame.iterrows()], fontsize=7.5)
        ax.set_yticks(range(len(cats)), [labels[c] for c in cats] if ax is axes[0][0] else [], fontsize=9)
        ax.set_title(name, fontsize=9)
        for j in range(1, len(docs)):
            if frame[by].iloc[j] != frame[by].iloc[j - 1]:
                ax.axvline(j - 0.5, color="black", lw=1, ls="--")
    fig.colorbar(image, ax=list(axes[0]), shrink=0.6, label="per 1,000 words (log scale; white = none)")
    fig.suptitle(f"{title}\n(one colour scale for all cells; dashed line: change of group)", fontsize=10)
    return fig


def _mark_comments(ax, corpus: pd.DataFrame) -> None:
    """A vertical line before the reader-comments column(s)."""
    for j, voice in enumerate(corpus["voice"]):
        if voice == "reader-comments":
            ax.axvline(j - 0.5, color="black", lw=1.2)


def us_them(rates: pd.DataFrame, corpus: pd.DataFrame, subtitle: str = "") -> plt.Figure:
    """'We' (first person plural) against 'they' (third person plural) per 1,000 words,
    per document with bootstrap 95% intervals; ``subtitle`` (e.g. what 'they' refers to,
    computed by the caller) goes under the title."""
    _check(corpus)
    docs = list(corpus["doc_id"])
    fig, ax = plt.subplots(figsize=(9, 4.8))
    x = np.arange(len(docs))
    for offset, cat, name, colour, marker in [(-0.12, "we_inclusive", "we / our / us", "#2ca02c", "o"),
                                              (0.12, "they_others", "they / them / their", "#9467bd", "s")]:
        part = rates[rates["category"] == cat].set_index("doc_id").loc[docs]
        ax.errorbar(x + offset, part["per_1k"],
                    yerr=[part["per_1k"] - part["ci_low"], part["ci_high"] - part["per_1k"]],
                    fmt=marker, color=colour, capsize=3, label=name)
        for xi, (rate, n) in enumerate(zip(part["per_1k"], part["count"])):
            ax.annotate(f"n={n}", (xi + offset, rate), textcoords="offset points", xytext=(6, -3), fontsize=7)
    ax.set_xticks(x, [doc_label(r) for _, r in corpus.iterrows()], fontsize=8)
    ax.set_ylabel("per 1,000 words (95% bootstrap interval)")
    ax.set_xlabel("document (date, date precision)")
    ax.set_title("Us and them: first against third person plural pronouns" + (f"\n{subtitle}" if subtitle else ""),
                 fontsize=10)
    _mark_comments(ax, corpus)
    ax.legend(frameon=False)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def quotes_per_text(quotes: pd.DataFrame, corpus: pd.DataFrame, n_words: pd.Series) -> plt.Figure:
    """Stacked bars: quoted spans per document, scare quotes (1-3 words) and slogans or
    quotations (4+ words), with the rate per 1,000 words written above each bar."""
    _check(corpus)
    docs = list(corpus["doc_id"])
    table = (quotes.groupby(["doc_id", "kind"]).size().unstack("kind", fill_value=0)
             .reindex(index=docs, columns=["scare_quote", "slogan_or_quotation"], fill_value=0))
    fig, ax = plt.subplots(figsize=(9, 4.8))
    x = np.arange(len(docs))
    bottom = np.zeros(len(docs))
    for kind, name, colour in [("scare_quote", "scare quote or term (1-3 words)", "#ff7f0e"),
                               ("slogan_or_quotation", "slogan or quotation (4+ words)", "#17becf")]:
        ax.bar(x, table[kind], bottom=bottom, color=colour, label=name)
        bottom += table[kind].to_numpy()
    for xi, doc in enumerate(docs):
        ax.text(xi, bottom[xi] + 0.3, f"{int(bottom[xi])} ({1000 * bottom[xi] / n_words[doc]:.1f}/1k)",
                ha="center", fontsize=8)
    ax.set_xticks(x, [doc_label(r) for _, r in corpus.iterrows()], fontsize=8)
    ax.set_ylabel("quoted spans (count)")
    ax.set_xlabel("document (date, date precision)")
    ax.set_title("Quoted slogans, sayings and scare quotes per text\n(every span is listed in results/rhetoric_quotes.csv)",
                 fontsize=10)
    ax.legend(frameon=False, loc="upper left")
    ax.set_ylim(0, bottom.max() * 1.18 + 1)
    _mark_comments(ax, corpus)
    fig.tight_layout()
    return fig


def group_shift(group_rates: pd.DataFrame, rates: pd.DataFrame, corpus: pd.DataFrame,
                labels: dict[str, str], by: str, order: list[str], colours: dict[str, str]) -> plt.Figure:
    """Pooled rate per group (filled markers, bootstrap 95% interval) for every category,
    groups in ``order`` with ``colours`` (:func:`analysis.plots.group_colours`), with each
    Party text's own rate as a small open marker, so the spread between texts (which the
    interval does not capture) is visible. Reader comments are not shown."""
    _check(corpus)
    cats = list(labels)[::-1]
    y = np.arange(len(cats))
    party = corpus[corpus["voice"] == "party-media"]
    fig, ax = plt.subplots(figsize=(9, 7))
    offsets = np.linspace(0.2, -0.2, len(order)) if len(order) > 1 else [0.0]
    markers = "os^Dv<>p"
    for k, group in enumerate(order):
        off = offsets[k]
        part = group_rates[group_rates["group"] == group].set_index("category").loc[cats]
        docs = party.loc[party[by] == group, "doc_id"]
        colour = colours.get(group, "black")
        ax.errorbar(part["per_1k"], y + off, xerr=[part["per_1k"] - part["ci_low"], part["ci_high"] - part["per_1k"]],
                    fmt=markers[k % len(markers)], color=colour, capsize=3,
                    label=f"{group}, pooled ({len(docs)} texts, {int(part['n_words'].iloc[0])} words)")
        per_doc = rates[rates["doc_id"].isin(docs)].pivot(index="category", columns="doc_id", values="per_1k").loc[cats]
        for doc in per_doc.columns:
            ax.scatter(per_doc[doc], y + off, s=14, facecolors="none", edgecolors=colour, alpha=0.7, lw=0.8)
    ax.scatter([], [], s=14, facecolors="none", edgecolors="grey", label="one text's own rate")
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_xlabel("per 1,000 words of the author's voice (pooled rate, 95% bootstrap interval over sentences)")
    ax.set_ylabel("category")
    ax.set_title(f"Rates by {by}, groups in date order: " + " vs ".join(order) +
                 "\nParty media only; outlets differ between groups, so group and outlet are confounded", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlim(left=-0.6)
    fig.tight_layout()
    return fig


def precision_plot(precision: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Precision per category from the marked sample, with Wilson 95% intervals."""
    cats = list(labels)[::-1]
    part = precision.set_index("category").loc[cats]
    y = np.arange(len(cats))
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.errorbar(part["precision"], y, xerr=np.clip([part["precision"] - part["ci_low"], part["ci_high"] - part["precision"]], 0, None),
                fmt="o", color="black", capsize=3)
    for yi, (k, n) in enumerate(zip(part["n_correct"], part["n_marked"])):
        ax.annotate(f"{k}/{n}", (0.02, yi), textcoords="offset points", xytext=(0, -3), fontsize=8)
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("precision: share of matches judged right (Wilson 95% interval)")
    ax.set_ylabel("category")
    ax.set_title("How often a match really expresses its category: every match read\n(one annotator, in-sample: the dictionary was written from these texts)",
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def recall_plot(recall: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Recall and precision per category on the hand-read sample of whole sentences,
    with Wilson 95% intervals and hits/denominator written beside each point."""
    cats = [c for c in list(labels)[::-1] if c in set(recall["category"])]
    part = recall.set_index("category").loc[cats]
    y = np.arange(len(cats))
    fig, ax = plt.subplots(figsize=(8.5, 5.8))
    for off, key, colour, marker, name in [(0.15, "recall", "#d62728", "o", "recall (hits / hand instances)"),
                                           (-0.15, "precision", "#1f77b4", "s", "precision (hits / code matches)")]:
        est = part[key].to_numpy(dtype=float)
        low, high = part[f"{key}_low"].to_numpy(dtype=float), part[f"{key}_high"].to_numpy(dtype=float)
        ax.errorbar(est, y + off, xerr=np.clip([est - low, high - est], 0, None), fmt=marker, color=colour, capsize=3, label=name)
        denominators = part["n_gold"] if key == "recall" else part["n_found"]
        for yi, (h, n) in enumerate(zip(part["hits"], denominators)):
            ax.annotate(f"{h}/{n}", (1.03, yi + off), xycoords=("axes fraction", "data"), fontsize=7, color=colour,
                        va="center")
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("share (Wilson 95% interval)")
    ax.set_title("Recall and precision on a random sample of whole sentences, read by hand\n"
                 "(one annotator; the dictionary was frozen before the sample was drawn)", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
