"""Figures of notebook 03 (rhetorical profile). Each function draws and returns a
matplotlib Figure; none saves (the notebook calls :func:`analysis.save_figure`).

Documents appear in date order with their date and its precision in the label, because
three of the six dates are inferred to the month (see ``corpus/metadata.csv``).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .checks import require_columns
from .overview import date_label
from .plots import ERA_COLOURS

COMMENTS_COLOUR = "#7f7f7f"


def doc_label(doc: pd.Series) -> str:
    """Three lines, 'doc_id', 'date', '(precision, how known)': e.g. 'localism-2021',
    '~2021-09', '(month, inferred)' (:func:`analysis.overview.date_label`); reader
    comments are marked."""
    voice = "\nREADER COMMENTS" if doc["voice"] == "reader-comments" else ""
    date = date_label(doc["date"], doc["date_precision"], doc["date_evidence"]).replace(" (", "\n(")
    return f"{doc['doc_id']}\n{date}{voice}"


def _check(corpus: pd.DataFrame) -> None:
    require_columns(corpus, ("doc_id", "date", "date_precision", "date_evidence", "voice", "era"),
                    "rhetoric plots", made_by="analysis.load_corpus()")


def rate_heatmap(rates: pd.DataFrame, corpus: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Heatmap of rate per 1,000 words, categories (rows, in ``labels`` order) by document
    (columns, in corpus = date order); each cell shows the rate and the count. Colour is
    scaled per row (share of the row's maximum), so rows with different base rates can be
    read; the numbers give the absolute rates."""
    _check(corpus)
    docs = list(corpus["doc_id"])
    cats = list(labels)
    wide = rates.pivot(index="category", columns="doc_id", values="per_1k").loc[cats, docs]
    counts = rates.pivot(index="category", columns="doc_id", values="count").loc[cats, docs]
    scaled = wide.div(wide.max(axis=1).replace(0, 1), axis=0)
    fig, ax = plt.subplots(figsize=(10.5, 7.2))
    ax.imshow(scaled.to_numpy(), cmap="Blues", vmin=0, vmax=1.25, aspect="auto")
    for i in range(len(cats)):
        for j in range(len(docs)):
            ax.text(j, i, f"{wide.iat[i, j]:.1f}\n(n={counts.iat[i, j]})", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(docs)), [doc_label(r) for _, r in corpus.iterrows()], fontsize=8)
    ax.set_yticks(range(len(cats)), [labels[c] for c in cats], fontsize=9)
    comments = [j for j, v in enumerate(corpus["voice"]) if v == "reader-comments"]
    for j in comments:
        ax.axvline(j - 0.5, color="black", lw=2)
    for j, era in enumerate(corpus["era"]):
        if j and era != corpus["era"].iloc[j - 1] and j not in comments:
            ax.axvline(j - 0.5, color="black", lw=1, ls="--")
    ax.set_title("Rhetorical categories per 1,000 words, texts in date order\n"
                 "(shade scaled within each row; dashed line: change of General Secretary; "
                 "reader comments set apart)", fontsize=10)
    ax.set_xlabel("document (date, date precision)")
    ax.set_ylabel("category (dictionary)")
    fig.tight_layout()
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


def era_shift(era_rates: pd.DataFrame, rates: pd.DataFrame, corpus: pd.DataFrame,
              labels: dict[str, str]) -> plt.Figure:
    """Pooled rate per era (filled markers, bootstrap 95% interval) for every category,
    with each Party text's own rate as a small open marker, so the spread between texts
    (which the interval does not capture) is visible. Reader comments are not shown."""
    _check(corpus)
    eras = list(dict.fromkeys(corpus.loc[corpus["voice"] == "party-media", "era"]))
    cats = list(labels)[::-1]
    y = np.arange(len(cats))
    fig, ax = plt.subplots(figsize=(9, 7))
    party = corpus[corpus["voice"] == "party-media"]
    for k, era in enumerate(eras):
        off = 0.17 if k == 0 else -0.17
        part = era_rates[era_rates["group"] == era].set_index("category").loc[cats]
        docs = party.loc[party["era"] == era, "doc_id"]
        ax.errorbar(part["per_1k"], y + off, xerr=[part["per_1k"] - part["ci_low"], part["ci_high"] - part["per_1k"]],
                    fmt="o" if k == 0 else "s", color=ERA_COLOURS.get(era, "black"), capsize=3,
                    label=f"{era} era, pooled ({len(docs)} texts, {int(part['n_words'].iloc[0])} words)")
        per_doc = rates[rates["doc_id"].isin(docs)].pivot(index="category", columns="doc_id", values="per_1k").loc[cats]
        for doc in per_doc.columns:
            ax.scatter(per_doc[doc], y + off, s=14, facecolors="none", edgecolors=ERA_COLOURS.get(era, "black"),
                       alpha=0.7, lw=0.8)
    ax.scatter([], [], s=14, facecolors="none", edgecolors="grey", label="one text's own rate")
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_xlabel("per 1,000 words (pooled rate, 95% bootstrap interval over sentences)")
    ax.set_ylabel("category")
    ax.set_title("Shift between eras: Nguyen Phu Trong (2020-2021) vs To Lam (2025) texts\n"
                 "Party media only; different outlets per era, so era and outlet are confounded", fontsize=10)
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
    ax.errorbar(part["precision"], y, xerr=[part["precision"] - part["ci_low"], part["ci_high"] - part["precision"]],
                fmt="o", color="black", capsize=3)
    for yi, (k, n) in enumerate(zip(part["n_correct"], part["n_marked"])):
        ax.annotate(f"{k}/{n}", (0.02, yi), textcoords="offset points", xytext=(0, -3), fontsize=8)
    ax.set_yticks(y, [labels[c] for c in cats], fontsize=9)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("precision: share of sampled matches judged right (Wilson 95% interval)")
    ax.set_ylabel("category")
    ax.set_title("How often a match really expresses its category\n(one annotator, in-sample: the dictionary was written from these texts)",
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
