"""Figures of the synthesis: one time axis for all three families of measures, and the
era contrasts with their intervals. Functions draw and return a figure; never save."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .groups import time_windows
from .overview import date_labels, date_positions
from .plots import POLARITY_COLOURS, dodge

MARKERS = "osD^v<>"
#: Series of a panel (terms, instruments, categories) are told apart by marker and grey
#: shade: colour in this study means a group, a text, or a sign, never a series.
SERIES_GREYS = ["#000000", "#555555", "#8a8a8a", "#b0b0b0"]
#: Signed contrasts: red below zero (less in the later group), blue above (more).
SIGN_COLOURS = (POLARITY_COLOURS["negative"], POLARITY_COLOURS["positive"])


def _series_on_time_axis(axes, corpus: pd.DataFrame, table: pd.DataFrame, position: pd.Series,
                         offsets_days: float = 6.0) -> None:
    """Plot each series of ``table`` (doc_id, series, value, low, high) on every window,
    x at each document's (dodged) date with a faint horizontal bar over its possible dates.
    Points are not joined: a few texts per group are texts, not a trend."""
    docs = corpus.set_index("doc_id")
    names = list(dict.fromkeys(table["series"]))
    for k, name in enumerate(names):
        part = table[table["series"] == name].set_index("doc_id").reindex(docs.index).dropna(subset=["value"])
        shift = pd.Timedelta(days=offsets_days * (k - (len(names) - 1) / 2))
        x = position[part.index] + shift
        lo_x = pd.to_datetime(docs.loc[part.index, "date_earliest"].replace("", None)).fillna(x) + shift
        hi_x = pd.to_datetime(docs.loc[part.index, "date_latest"].replace("", None)).fillna(x) + shift
        colour = SERIES_GREYS[k % len(SERIES_GREYS)]
        for ax in axes:
            ax.plot(x, part["value"], MARKERS[k % len(MARKERS)], ms=5, color=colour, mfc="white" if k % 2 else colour,
                    label=name if ax is axes[0] else None)
            ax.vlines(x, part["low"], part["high"], color=colour, lw=1.2, alpha=0.7)
            ax.hlines(part["value"], lo_x, hi_x, color=colour, lw=3, alpha=0.2)


def plot_time_axis(corpus: pd.DataFrame, panels: list[tuple[str, pd.DataFrame, str]]):
    """Rows of panels on one time axis, broken wherever no text falls for a long stretch
    (:func:`analysis.groups.time_windows`). Each panel is (title, table with
    doc_id/series/value/low/high, y label). Vertical bars: 95% intervals; faint horizontal
    bars: the range of possible dates. Texts of the same date are moved apart."""
    position = dodge(date_positions(corpus))
    windows = time_windows(position)
    widths = [max((end - start).days, 120) for start, end in windows]
    fig, grid = plt.subplots(len(panels), len(windows), figsize=(11, 3.0 * len(panels) + 1.0), sharey="row",
                             squeeze=False, gridspec_kw={"width_ratios": widths, "wspace": 0.04})
    for row, (title, table, ylabel) in zip(grid, panels):
        _series_on_time_axis(row, corpus, table, position)
        for k, (ax, (start, end)) in enumerate(zip(row, windows)):
            ax.set_xlim(start, end)
            ax.grid(axis="y", color="#e5e5e5", lw=0.6)
            ax.axhline(0, color="#999999", lw=0.6)
            if k > 0:
                ax.tick_params(left=False)
                ax.spines["left"].set_visible(False)
            if k < len(windows) - 1:
                ax.spines["right"].set_visible(False)
        row[0].set_ylabel(ylabel)
        row[0].set_title(title, loc="left", fontsize=10)
        row[0].legend(fontsize=7.5, loc="upper left", frameon=False)
    labels = date_labels(corpus)
    # neighbouring texts (in time order, across the breaks) take their labels on three
    # staggered lines, so that labels of close texts never overlap
    line = {d: k % 3 for k, d in enumerate(position.sort_values(kind="stable").index)}
    for ax, (start, end) in zip(grid[-1], windows):
        inside = [d for d in corpus["doc_id"] if start <= position[d] <= end]
        ax.set_xticks(position[inside], [f"{chr(10) * 2 * line[d]}{d}\n{labels[d]}" for d in inside],
                      fontsize=7, rotation=0)
    for row in grid[:-1]:
        for ax in row:
            ax.tick_params(labelbottom=False)
    broken = " (axis broken where no text falls for over 1.5 years)" if len(windows) > 1 else ""
    fig.suptitle(f"Vocabulary, tone and rhetoric on one time axis, main voice{broken}", fontsize=11)
    fig.text(0.5, 0.005, "vertical bars: 95% intervals; faint horizontal bars: the range of possible dates "
             "('~': inferred date); texts of the same date are drawn a few days apart", ha="center", fontsize=8,
             color="#444444")
    return fig


def plot_era_contrasts(panels: list[tuple[str, pd.DataFrame, str]], early: str, late: str):
    """Forest plot of the contrasts between the latest and the earliest group (``late``
    minus ``early``), one panel per family. Each table has label, estimate, low, high;
    filled markers where the interval excludes 0; blue above zero (more in ``late``),
    red below (more in ``early``)."""
    heights = [max(len(t), 2) for _, t, _ in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(8.5, 0.32 * sum(heights) + 1.6 * len(panels)),
                             gridspec_kw={"height_ratios": heights})
    for ax, (title, table, xlabel) in zip(np.atleast_1d(axes), panels):
        y = np.arange(len(table))[::-1]
        clear = (table["low"] > 0) | (table["high"] < 0)
        colours = np.where(table["estimate"] > 0, SIGN_COLOURS[1], SIGN_COLOURS[0])
        ax.hlines(y, table["low"], table["high"], color=colours, lw=1.6)
        ax.scatter(table["estimate"], y, c=np.where(clear, colours, "white"), edgecolors=colours, zorder=3, s=36)
        ax.axvline(0, color="#777777", lw=0.8)
        ax.set_yticks(y, table["label"], fontsize=8)
        ax.set_xlabel(xlabel, fontsize=8.5)
        ax.set_title(title, loc="left", fontsize=10)
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
        if not len(table):
            ax.text(0.5, 0.5, "nothing to show", transform=ax.transAxes, ha="center", va="center", color="#777777")
    fig.suptitle(f"What differs between the groups: {late} minus {early}\n"
                 f"filled: 95% interval excludes 0; blue: more in {late}, red: more in {early}", fontsize=10)
    fig.tight_layout()
    return fig
