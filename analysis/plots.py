"""Figures about the corpus itself. Functions draw and return a figure; they never save."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .overview import date_labels

ERA_COLOURS = {"Nguyen Phu Trong": "#1f77b4", "To Lam": "#d62728"}
#: Colours of groups of texts (eras, outlets, ...) in their order: not the documents' palette.
GROUP_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f"]


def group_colours(order) -> dict:
    """Group -> colour, in the given order (the first group blue, the second red, ...);
    groups beyond the palette cycle through it."""
    return {g: GROUP_PALETTE[k % len(GROUP_PALETTE)] for k, g in enumerate(order)}


def plot_timeline(corpus: pd.DataFrame, cited: pd.DataFrame | None = None, max_gap_years: float = 10.0):
    """The documents on a time axis: a marker at each date, a bar spanning the range the
    date could fall in (``date_earliest``..``date_latest``), colour by era, hollow
    markers for reader comments; below, the documents the texts cite (the register of
    :func:`analysis.overview.cited_documents`). The axis runs from the earliest text or
    cited document to the latest text; a cited document more than ``max_gap_years``
    before the earliest text is drawn at the left edge, marked off scale with its date."""
    fig, ax = plt.subplots(figsize=(10, 5.2 if cited is not None else 4.0))
    labels = date_labels(corpus)
    rows = list(corpus.itertuples())
    first_text = pd.to_datetime(corpus["date_earliest"].replace("", None)).fillna(corpus["date_start"]).min()
    last_text = pd.to_datetime(corpus["date_latest"].replace("", None)).fillna(corpus["date_start"]).max()
    left = first_text
    if cited is not None:
        on_scale = cited["date_start"][cited["date_start"] >= first_text - pd.Timedelta(days=round(365.25 * max_gap_years))]
        left = min([first_text, *on_scale])
    left = left - pd.Timedelta(days=180)
    for y, doc in enumerate(reversed(rows)):
        colour = ERA_COLOURS.get(doc.era, "grey")
        lo = pd.Timestamp(doc.date_earliest or doc.date_start)
        hi = pd.Timestamp(doc.date_latest or doc.date_start)
        ax.plot([lo, hi], [y, y], color=colour, lw=6, alpha=0.35, solid_capstyle="butt")
        hollow = doc.voice == "reader-comments"
        ax.plot(doc.date_start, y, "o", ms=8, color=colour, mfc="white" if hollow else colour)
        ax.annotate(f"{doc.doc_id}  {labels[doc.doc_id]}", (hi, y), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ticks = list(range(len(rows)))
    if cited is not None:
        for k, doc in enumerate(cited.itertuples(), start=1):
            y = -k
            name = doc.code or doc.name.split(":")[0][:70]
            off_scale = doc.date_start < left
            ax.plot(max(doc.date_start, left), y, "<" if off_scale else "s", color="#555555", ms=6, clip_on=False)
            ax.annotate(f"{name} ({doc.issued}{', off scale' if off_scale else ''})", (max(doc.date_start, left), y),
                        xytext=(8, 0), textcoords="offset points", va="center", fontsize=7.5, color="#333333")
        ax.axhline(-0.5, color="grey", lw=0.6)
        ax.text(0.005, -0.45, "cited documents", transform=ax.get_yaxis_transform(),
                fontsize=8, color="#333333", va="bottom")
        ticks = list(range(-len(cited), len(rows)))
    ax.set_yticks([])
    ax.set_ylim(min(ticks) - 0.7, max(ticks) + 0.7)
    ax.set_xlim(left, last_text + pd.Timedelta(days=round(365.25 * 2.6)))
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    for era, colour in ERA_COLOURS.items():
        ax.plot([], [], "o", color=colour, label=f"era of General Secretary {era}")
    ax.plot([], [], "o", color="grey", mfc="white", label="reader comments (not Party media)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    ax.set_title("The corpus in time: dates with the range each could fall in (bars)")
    ax.set_xlabel("date (bars: earliest-latest possible date; '~' marks an inferred date)")
    fig.tight_layout()
    return fig
