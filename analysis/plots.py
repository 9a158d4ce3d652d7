"""Figures about the corpus itself. Functions draw and return a figure; they never save."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .overview import text_labels

#: One colour meaning per figure family, in every notebook:
#: - **groups of texts** (eras or any GROUP column): GROUP_PALETTE, which holds no red and
#:   no blue, so a group is never mistaken for a polarity or a sign;
#: - **texts**: the colour of their group, a shade per text within it, and a marker per
#:   text (:func:`text_styles`), so texts of one group and texts of the same month are told apart;
#: - **polarity** (hand labels, instrument labels): POLARITY_COLOURS, red negative, blue positive;
#: - **signed values** (differences, keyness, log ratios): SIGNED_CMAP, red below zero, blue
#:   above, the same sign convention as polarity (positive = more in the later / target group);
#: - **magnitudes** (rates in a heatmap): MAGNITUDE_CMAP, one grey scale.
GROUP_PALETTE = ["#E69F00", "#009E73", "#CC79A7", "#8C510A", "#6A3D9A", "#B8860B", "#35978F", "#555555"]
POLARITY_COLOURS = {"negative": "#b2182b", "neutral": "#8c8c8c", "positive": "#2166ac"}
SIGNED_CMAP = "RdBu"
MAGNITUDE_CMAP = "Greys"
#: Colour of texts in another voice (reader comments), drawn hollow.
OTHER_VOICE_COLOUR = "#7f7f7f"
TEXT_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h"]


def group_colours(order) -> dict:
    """Group -> colour, in the given order. Up to ``len(GROUP_PALETTE)`` groups take the
    palette's colours; more groups take evenly spaced colours of the 'viridis' map, so that
    no two groups share a colour whatever their number."""
    order = list(order)
    if len(order) <= len(GROUP_PALETTE):
        return {g: GROUP_PALETTE[k] for k, g in enumerate(order)}
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    return {g: to_hex(cmap(k / (len(order) - 1))) for k, g in enumerate(order)}


def _shade(colour: str, amount: float) -> str:
    """``colour`` mixed with black (amount < 0) or white (amount > 0), |amount| <= 1."""
    from matplotlib.colors import to_hex, to_rgb

    rgb = to_rgb(colour)
    target = 1.0 if amount > 0 else 0.0
    return to_hex(tuple(c + (target - c) * abs(amount) for c in rgb))


def text_styles(corpus: pd.DataFrame, column: str = "era") -> pd.DataFrame:
    """One row per text (doc_id index, corpus order): ``group``, ``colour`` (its group's
    colour, a darker or lighter shade for each text within the group), ``marker`` (a
    different marker for each text of a group) and ``hollow`` (texts in another voice).
    Texts in another voice take OTHER_VOICE_COLOUR. Colours and markers together keep
    every text distinct for any number of texts; with many texts, read them by group."""
    from .groups import MAIN_VOICE, group_order

    colours = group_colours(group_order(corpus, column))
    main = corpus["voice"] == MAIN_VOICE if "voice" in corpus else pd.Series(True, index=corpus.index)
    sizes = corpus.loc[main, column].astype(str).value_counts()
    rows, seen = [], {}
    for doc, is_main in zip(corpus.itertuples(), main):
        group = str(getattr(doc, column))
        k = seen[(group, is_main)] = seen.get((group, is_main), -1) + 1
        if is_main:
            size = sizes[group]
            colour = _shade(colours[group], 0.0 if size == 1 else -0.35 + 0.8 * k / (size - 1))
        else:
            colour = OTHER_VOICE_COLOUR
        rows.append(dict(doc_id=doc.doc_id, group=group, colour=colour,
                         marker=TEXT_MARKERS[k % len(TEXT_MARKERS)], hollow=not is_main))
    return pd.DataFrame(rows).set_index("doc_id")


def dodge(positions: pd.Series, width: pd.Timedelta = pd.Timedelta(days=12)) -> pd.Series:
    """Time positions moved apart where texts share a date: the texts of one date are
    spread symmetrically, ``width`` apart, in their order. Other positions are unchanged.
    So two texts of the same month are never drawn on top of each other."""
    out = positions.copy()
    for _, same in positions.groupby(positions.values):
        if len(same) > 1:
            offsets = [(k - (len(same) - 1) / 2) * width for k in range(len(same))]
            out.loc[same.index] = [p + o for p, o in zip(same.values, offsets)]
    return out


def freeze_layout(fig):
    """Run the constrained-layout solver once and fix the result, so that saving the
    figure as PNG, as SVG and showing it inline does not solve the layout three times
    (the layout is the slowest step of text-heavy figures). Returns ``fig``."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")
    return fig


def readable(identifier: str) -> str:
    """A snake_case identifier as a label: ``authority_invocation`` -> ``authority invocation``."""
    return str(identifier).replace("_", " ").strip()


def plot_timeline(corpus: pd.DataFrame, cited: pd.DataFrame | None = None, max_gap_years: float = 10.0,
                  column: str = "era"):
    """The documents on a time axis, one row each (earliest at the top, so texts of the
    same date never overplot): a marker at each date, a bar spanning the range the date
    could fall in (``date_earliest``..``date_latest``), colour and marker by text
    (:func:`text_styles`), hollow markers for another voice (reader comments), each row
    labelled with its doc_id and date (the marker in the middle of the range,
    :func:`analysis.overview.date_positions`); below, the documents the texts cite (rows of
    :func:`analysis.overview.cited_documents`). The axis runs from the earliest text or
    cited document to the latest, with room on the right for the labels; a cited
    document more than ``max_gap_years`` before the earliest text is drawn at the left
    edge, marked off scale with its date (:func:`analysis.overview.cited_off_scale`). The
    figure grows with the number of rows (dates repeated on top when there are many), so
    hundreds of texts stay legible."""
    from .groups import group_labels
    from .overview import cited_off_scale, date_positions, date_ranges

    rows = list(corpus.itertuples())
    cited = cited if cited is not None and len(cited) else None
    n_rows = len(rows) + (len(cited) if cited is not None else 0)
    row_inches = 0.3
    fig, ax = plt.subplots(figsize=(10, 1.9 + row_inches * n_rows))
    styles = text_styles(corpus, column)
    ranges = date_ranges(corpus)
    positions = date_positions(corpus)
    first_text, last_text = ranges["earliest"].min(), ranges["latest"].max()
    left, right = first_text, last_text
    off_scale = pd.Series(dtype=bool)
    if cited is not None:
        off_scale = cited_off_scale(corpus, cited, max_gap_years)
        left = min([first_text, *cited.loc[~off_scale, "date_start"]])
        right = max([last_text, *cited["date_start"]])
    left = left - pd.Timedelta(days=180)
    row_labels = text_labels(corpus, "  ")
    drawn = []      # (label, the date it starts from) of every label, to make room for them on the right
    for y, doc in enumerate(reversed(rows)):
        style = styles.loc[doc.doc_id]
        lo, hi = ranges.loc[doc.doc_id, "earliest"], ranges.loc[doc.doc_id, "latest"]
        ax.plot([lo, hi], [y, y], color=style["colour"], lw=6, alpha=0.35, solid_capstyle="butt")
        ax.plot(positions[doc.doc_id], y, style["marker"], ms=8, color=style["colour"],
                mfc="white" if style["hollow"] else style["colour"])
        drawn.append((ax.annotate(row_labels[doc.doc_id], (hi, y), xytext=(8, 0), textcoords="offset points",
                                  va="center", fontsize=8), hi))
    ticks = list(range(len(rows)))
    cited_labels = []
    if cited is not None:
        for k, (doc, off) in enumerate(zip(cited.itertuples(), off_scale), start=1):
            y = -k
            name = doc.code or doc.name.split(":")[0][:70]
            where = max(doc.date_start, left)
            cited_labels.append(f"{name} ({doc.issued}{', off scale' if off else ''})")
            ax.plot(where, y, "<" if off else "s", color="#555555", ms=6, clip_on=False)
            drawn.append((ax.annotate(cited_labels[-1], (where, y), xytext=(8, 0), textcoords="offset points",
                                      va="center", fontsize=7.5, color="#333333"), where))
        ax.axhline(-0.5, color="grey", lw=0.6)
        ax.text(0.005, -0.45, "cited documents", transform=ax.get_yaxis_transform(),
                fontsize=8, color="#333333", va="bottom")
        ticks = list(range(-len(cited), len(rows)))
    ax.set_yticks([])
    ax.set_ylim(min(ticks) - 0.7, max(ticks) + 0.7)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    if n_rows > 30:
        ax.tick_params(axis="x", top=True, labeltop=True)
    ax.set_xlim(left, right)
    ax.set_title("The corpus in time: dates with the range each could fall in (bars)")
    ax.set_xlabel("date (bars: earliest-latest possible date; '~' marks an inferred or approximate date)")
    for label, _ in drawn:      # they are placed inside the axis below: the layout ignores them
        label.set_in_layout(False)
    fig.tight_layout()
    # Room on the right for every label: a label w inches wide (with its offset) starting
    # at date x ends inside an axis W inches wide from `left` to R when
    # R >= left + (x - left) * W / (W - w).
    renderer = fig.canvas.get_renderer()
    width = ax.get_position().width * fig.get_figwidth()
    needed = [right]
    for label, x in drawn:
        w = label.get_window_extent(renderer).width / fig.dpi + 8 / 72 + 0.1
        needed.append(left + (x - left) * (width / max(width - w, 0.25 * width)))
    ax.set_xlim(left, max(needed))
    legend = group_labels(corpus, column)
    for group, colour in group_colours(legend).items():
        ax.plot([], [], "o", color=colour, label=f"{readable(column)}: {legend[group]}")
    if styles["hollow"].any():
        ax.plot([], [], "o", color=OTHER_VOICE_COLOUR, mfc="white", label="reader comments (another voice)")
    axes_inches = ax.get_position().height * fig.get_figheight()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.75 / axes_inches), ncol=1 if len(legend) < 5 else 2,
              fontsize=8, frameon=False)
    return fig
