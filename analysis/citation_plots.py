"""Figures of intertextuality: the texts and the documents they cite on one time axis.
Functions draw and return a figure; they never save (see :func:`analysis.save_figure`).
"""
from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import ConnectionPatch

from .checks import require_columns
from .citations import issued_interval
from .groups import group_labels, time_windows
from .overview import date_labels
from .plots import OTHER_VOICE_COLOUR, group_colours, text_styles

DOCUMENT_COLOUR = "#555555"
#: A time span of less than this many days still gets a panel this wide (in days).
MIN_PANEL_DAYS = 400


def panel_limits(dates, max_gap_years: float) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The panels of a broken time axis that shows every date: the windows of
    :func:`analysis.groups.time_windows` (split where neighbouring dates are more than
    ``max_gap_years`` apart), each widened symmetrically to at least
    :data:`MIN_PANEL_DAYS` days so that a lone date still gets a readable panel."""
    out = []
    for lo, hi in time_windows(dates, min_gap_years=max_gap_years):
        extra = max(MIN_PANEL_DAYS - (hi - lo).days, 0)
        pad = pd.Timedelta(days=round(extra / 2))
        out.append((lo - pad, hi + pad))
    return out


def document_label(row) -> str:
    """A cited document as a row label: its code, or for a document without one the part
    of its name before any colon (at most 60 characters), then kind and issue date."""
    name = row.code or row.name.split(":")[0]
    name = name if len(name) <= 60 else name[:58].rstrip(" ,'(") + "…"
    return f"{name}  ({row.kind}, {row.issued})"


def citation_timeline(corpus: pd.DataFrame, register: pd.DataFrame, citations: pd.DataFrame,
                      group: str = "era", max_gap_years: float = 10.0):
    """The texts (top rows) and the documents they cite (bottom rows) on one time axis,
    with a line from each text to each document it cites (wider for more citations).

    Texts sit at the middle of their possible dates with a bar from ``date_earliest`` to
    ``date_latest``, one row each (named by doc_id and date), in the colour and marker of
    :func:`analysis.plots.text_styles` (``group`` column; reader comments grey and
    hollow); documents sit at their issue date with a bar over the period a month or year
    date stands for. Where the dates leave a gap of more than ``max_gap_years``, the axis
    is broken into panels (:func:`panel_limits`), so that a work of decades before can be
    shown without squeezing the rest. Documents of the register that no citation cites
    are not drawn; every text is, whether it cites anything or not."""
    require_columns(corpus, ("doc_id", "date", "date_precision", "date_evidence", "date_earliest",
                             "date_latest", "date_start", group), "citation_timeline", made_by="analysis.load_corpus()")
    require_columns(citations, ("doc_id", "key"), "citation_timeline",
                    made_by="analysis.citations.extract_citations(sentences, patterns)")
    texts = corpus.reset_index(drop=True)
    lo = pd.to_datetime(texts["date_earliest"].replace("", None)).fillna(texts["date_start"])
    hi = pd.to_datetime(texts["date_latest"].replace("", None)).fillna(texts["date_start"])
    texts = texts.assign(lo=lo, hi=hi, mid=lo + (hi - lo) / 2)
    cited_keys = set(citations["key"])
    docs = register[register["key"].isin(cited_keys)].join(issued_interval(register), on="key")
    docs = docs.assign(mid=docs["issued_start"] + (docs["issued_end"] - docs["issued_start"]) / 2)
    docs = docs.sort_values(["issued_start", "key"], kind="stable").reset_index(drop=True)
    links = citations.groupby(["doc_id", "key"], sort=False).size().rename("count").reset_index()
    links = links[links["doc_id"].isin(set(texts["doc_id"])) & links["key"].isin(set(docs["key"]))]
    styles = text_styles(corpus, group)

    n_texts, n_docs = len(texts), len(docs)
    y_text = {d: n_docs + n_texts - i for i, d in enumerate(texts["doc_id"])}  # earliest text on top
    y_doc = {k: n_docs - i for i, k in enumerate(docs["key"])}                 # oldest document first
    limits = panel_limits(pd.concat([texts["lo"], texts["hi"], docs["issued_start"], docs["issued_end"]]),
                          max_gap_years)
    widths = [(b - a).days for a, b in limits]
    fig, axes = plt.subplots(1, len(limits), sharey=True, squeeze=False,
                             figsize=(11, 1.9 + 0.36 * (n_texts + n_docs)),
                             gridspec_kw=dict(width_ratios=widths, wspace=0.06))
    axes = list(axes[0])

    def axis_of(day):
        return next(ax for ax, (a, b) in zip(axes, limits) if a <= day <= b)

    text_colour = styles["colour"].to_dict()
    for ax, (a, b) in zip(axes, limits):
        ax.set_xlim(a, b)
        ax.axhline(n_docs + 0.5, color="grey", lw=0.6)
        ax.grid(axis="x", color="#dddddd", lw=0.6)
        n_ticks = max(1, round(10 * (b - a).days / sum(widths)))
        ax.xaxis.set_major_locator(mdates.YearLocator(max(1, math.ceil((b - a).days / 365.25 / n_ticks))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for row in texts.itertuples():
        ax, y, colour = axis_of(row.mid), y_text[row.doc_id], text_colour[row.doc_id]
        ax.plot([row.lo, row.hi], [y, y], color=colour, lw=6, alpha=0.35, solid_capstyle="butt")
        hollow = bool(styles.loc[row.doc_id, "hollow"])
        ax.plot(row.mid, y, styles.loc[row.doc_id, "marker"], ms=7, color=colour, mfc="white" if hollow else colour,
                zorder=3)
    for row in docs.itertuples():
        ax, y = axis_of(row.mid), y_doc[row.key]
        ax.plot([row.issued_start, row.issued_end], [y, y], color=DOCUMENT_COLOUR, lw=6, alpha=0.3, solid_capstyle="butt")
        ax.plot(row.mid, y, "s", ms=6, color=DOCUMENT_COLOUR, zorder=3)
    text_mid = dict(zip(texts["doc_id"], texts["mid"]))
    doc_mid = dict(zip(docs["key"], docs["mid"]))
    for link in links.itertuples():
        start = (mdates.date2num(text_mid[link.doc_id]), y_text[link.doc_id])
        end = (mdates.date2num(doc_mid[link.key]), y_doc[link.key])
        style = dict(color=text_colour[link.doc_id], lw=0.7 + 0.5 * min(link.count, 6), alpha=0.5, zorder=2)
        ax_a, ax_b = axis_of(text_mid[link.doc_id]), axis_of(doc_mid[link.key])
        if ax_a is ax_b:
            ax_a.plot([start[0], end[0]], [start[1], end[1]], **style)
        else:
            fig.add_artist(ConnectionPatch(xyA=start, coordsA=ax_a.transData, xyB=end, coordsB=ax_b.transData, **style))
    _mark_breaks(axes)
    labels = date_labels(corpus)
    ticks = [y_text[d] for d in texts["doc_id"]] + [y_doc[k] for k in docs["key"]]
    names = [f"{d}  {labels[d]}" for d in texts["doc_id"]] + [document_label(r) for r in docs.itertuples()]
    axes[0].set_yticks(ticks, names, fontsize=8)
    axes[0].set_ylim(0.3, n_docs + n_texts + 0.7)
    legend = group_labels(corpus, group)
    colours = group_colours(list(legend))
    for name, colour in colours.items():
        axes[-1].plot([], [], "s", color=colour, label=legend[name])
    if styles["hollow"].any():
        axes[-1].plot([], [], "o", color=OTHER_VOICE_COLOUR, mfc="white", label="another voice (reader comments)")
    axes[-1].plot([], [], "s", color=DOCUMENT_COLOUR, label="cited document (issue date)")
    handles = axes[-1].get_legend_handles_labels()
    fig.legend(*handles, title=f"texts by {group} (a shade and a marker per text)", loc="lower center",
               ncol=min(len(handles[0]), 3), fontsize=8, title_fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.02))
    axes[len(axes) // 2].set_xlabel("date")
    fig.suptitle("What the texts cite: texts (top) and cited documents (bottom) on one time axis\n"
                 "lines: a text cites a document (wider = more citations); bars: the range a date could fall in",
                 fontsize=10)
    rows_of_legend = -(-len(handles[0]) // 3)
    height = fig.get_figheight()
    fig.subplots_adjust(bottom=(0.75 + 0.22 * rows_of_legend) / height, top=1 - 0.75 / height)
    return fig


def _mark_breaks(axes) -> None:
    """Hide the spines between panels and draw the usual diagonal break marks."""
    kwargs = dict(marker=[(-1, -1.5), (1, 1.5)], markersize=9, linestyle="none", color="k", mec="k", mew=1, clip_on=False)
    for left, right in zip(axes[:-1], axes[1:]):
        left.spines["right"].set_visible(False)
        right.spines["left"].set_visible(False)
        right.tick_params(axis="y", left=False)
        left.plot([1, 1], [0, 1], transform=left.transAxes, **kwargs)
        right.plot([0, 0], [0, 1], transform=right.transAxes, **kwargs)
