"""Figures of the synthesis: one time axis for all three families of measures, and the
era contrasts with their intervals. Functions draw and return a figure; never save."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .overview import TIME_WINDOWS as WINDOWS, date_labels, date_positions

MARKERS = "osD^v<>"


def _series_on_time_axis(axes, corpus: pd.DataFrame, table: pd.DataFrame, offsets_days: float = 6.0) -> None:
    """Plot each series of ``table`` (doc_id, series, value, low, high) on both windows,
    x at each document's date with a horizontal bar over its possible dates. Points are
    not joined: two or three texts per era are texts, not a trend."""
    docs = corpus.set_index("doc_id")
    position = date_positions(corpus)
    names = list(dict.fromkeys(table["series"]))
    for k, name in enumerate(names):
        part = table[table["series"] == name].set_index("doc_id").reindex(docs.index).dropna(subset=["value"])
        shift = pd.Timedelta(days=offsets_days * (k - (len(names) - 1) / 2))
        x = position[part.index] + shift
        lo_x = pd.to_datetime(docs.loc[part.index, "date_earliest"]) + shift
        hi_x = pd.to_datetime(docs.loc[part.index, "date_latest"]) + shift
        for ax in axes:
            line, = ax.plot(x, part["value"], MARKERS[k % len(MARKERS)], ms=5,
                            label=name if ax is axes[0] else None)
            colour = line.get_color()
            ax.vlines(x, part["low"], part["high"], color=colour, lw=1.2, alpha=0.7)
            ax.hlines(part["value"], lo_x, hi_x, color=colour, lw=3, alpha=0.25)


def plot_time_axis(corpus: pd.DataFrame, panels: list[tuple[str, pd.DataFrame, str]]):
    """Rows of panels on one broken time axis (2020-2021 | 2025). Each panel is
    (title, table with doc_id/series/value/low/high, y label). Vertical bars: 95%
    intervals; faint horizontal bars: the range of possible dates."""
    fig, grid = plt.subplots(len(panels), 2, figsize=(11, 3.0 * len(panels) + 0.8), sharey="row",
                             gridspec_kw={"width_ratios": [16, 10], "wspace": 0.04})
    for row, (title, table, ylabel) in zip(np.atleast_2d(grid), panels):
        _series_on_time_axis(row, corpus, table)
        for ax, (start, end) in zip(row, WINDOWS):
            ax.set_xlim(start, end)
            ax.grid(axis="y", color="#e5e5e5", lw=0.6)
            ax.axhline(0, color="#999999", lw=0.6)
        row[0].set_ylabel(ylabel)
        row[0].set_title(title, loc="left", fontsize=10)
        row[1].tick_params(left=False)
        row[0].spines["right"].set_visible(False)
        row[1].spines["left"].set_visible(False)
        row[0].legend(fontsize=7.5, loc="upper left", frameon=False)
    labels, position = date_labels(corpus), date_positions(corpus)
    for ax, (start, end) in zip(np.atleast_2d(grid)[-1], WINDOWS):
        inside = corpus[((position >= start) & (position <= end)).to_numpy()]
        # texts close in time get their labels on alternate lines, so they never overlap
        ax.set_xticks(position[inside["doc_id"]], [f"{chr(10) * 2 * (k % 2)}{d}\n{labels[d]}"
                                             for k, d in enumerate(inside["doc_id"])], fontsize=7)
    for row in np.atleast_2d(grid)[:-1]:
        for ax in row:
            ax.tick_params(labelbottom=False)
    fig.suptitle("Vocabulary, tone and rhetoric on one time axis (Party media; axis broken between 2021 and 2025)",
                 fontsize=11)
    fig.text(0.5, 0.005, "vertical bars: 95% intervals; faint horizontal bars: the range of possible dates "
             "('~': inferred date)", ha="center", fontsize=8, color="#444444")
    return fig


def plot_era_contrasts(panels: list[tuple[str, pd.DataFrame, str]]):
    """Forest plot of the era contrasts (To Lam - Trong), one panel per family. Each
    table has label, estimate, low, high; filled markers where the interval excludes 0."""
    heights = [max(len(t), 2) for _, t, _ in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(8.5, 0.32 * sum(heights) + 1.6 * len(panels)),
                             gridspec_kw={"height_ratios": heights})
    for ax, (title, table, xlabel) in zip(np.atleast_1d(axes), panels):
        y = np.arange(len(table))[::-1]
        clear = (table["low"] > 0) | (table["high"] < 0)
        colours = np.where(table["estimate"] > 0, "#d62728", "#1f77b4")
        ax.hlines(y, table["low"], table["high"], color=colours, lw=1.6)
        ax.scatter(table["estimate"], y, c=np.where(clear, colours, "white"), edgecolors=colours, zorder=3, s=36)
        ax.axvline(0, color="#777777", lw=0.8)
        ax.set_yticks(y, table["label"], fontsize=8)
        ax.set_xlabel(xlabel, fontsize=8.5)
        ax.set_title(title, loc="left", fontsize=10)
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
    fig.suptitle("What differs between the eras: To Lam (2025) minus Nguyen Phu Trong (2020-2021)\n"
                 "filled: 95% interval excludes 0; red: more in 2025, blue: more in 2020-2021", fontsize=10)
    fig.tight_layout()
    return fig
