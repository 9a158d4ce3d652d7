"""Figures of the vocabulary notebook (01), and the few helpers that prepare them. Every
plotting function draws and returns a matplotlib Figure; none saves (the notebook calls
:func:`analysis.save_figure`).

Colours follow the figure families of :mod:`analysis.plots`: a text takes the colour and
marker of :func:`analysis.plots.text_styles` (its group's hue, a shade and a marker per
text; reader comments grey and hollow); a group takes :func:`analysis.plots.group_colours`;
a signed value (a log ratio) is red below zero and blue above (:data:`SIGNED_BELOW`,
:data:`SIGNED_ABOVE`, the ends of :data:`analysis.plots.SIGNED_CMAP`). Nothing here names
a text, a group or a date of the project's corpus: everything comes from the metadata.

Documents appear in date order with their date and its precision, as
:func:`document_labels` writes them ("2020-10 (month, inferred)"). Figures with a panel or
a row per text grow with the number of texts.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D

from .checks import require_columns
from .groups import time_windows
from .overview import date_labels, date_positions, text_labels
from .plots import SIGNED_CMAP, dodge, freeze_layout, text_styles

#: Bars of a log ratio: red below zero (more in the reference), blue above (more in the target).
SIGNED_BELOW = to_hex(colormaps[SIGNED_CMAP](0.1))
SIGNED_ABOVE = to_hex(colormaps[SIGNED_CMAP](0.9))


def document_labels(corpus: pd.DataFrame) -> dict[str, str]:
    """doc_id -> two-line label 'doc_id\\n~2020-10 (month, inferred)', in corpus order
    (dates by :func:`analysis.overview.date_label`)."""
    require_columns(corpus, ("doc_id", "date", "date_precision", "date_evidence"), "document_labels")
    return text_labels(corpus)


def document_colors(corpus: pd.DataFrame, column: str = "era") -> dict[str, str]:
    """doc_id -> colour of :func:`analysis.plots.text_styles`: the hue of the text's group
    (``column``), a shade per text; reader comments grey."""
    return text_styles(corpus, column)["colour"].to_dict()


def panel_columns(n: int, base: int = 3) -> int:
    """Columns of a grid of ``n`` panels: ``base`` up to 4 rows of panels, then more
    columns as the number of panels grows, so that a grid stays roughly as wide as tall."""
    return max(base, int(np.ceil(np.sqrt(n / 1.5))))


def _grid(n: int, ncols: int, width: float, row_height: float):
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, row_height * nrows), squeeze=False,
                             layout="constrained")
    for ax in axes.flat[n:]:
        ax.set_axis_off()
    return fig, axes.flat[:n], axes.flat[n:]


def _title_marker(ax, colour: str, marker: str = "s", hollow: bool = False, beside: bool = False) -> None:
    """The panel's text (or group) in its colour and marker: just above the top left corner
    of the panel (beside a centred title), or left of the axes (``beside`` a left-aligned
    title)."""
    from matplotlib.transforms import offset_copy

    where = offset_copy(ax.transAxes, fig=ax.figure, x=-12 if beside else -4, y=0 if beside else 9, units="points")
    ax.plot([0.0], [1.0], marker, transform=where, clip_on=False, ms=8, color=colour,
            mfc="white" if hollow else colour, mew=1.5)


def legible(colour: str, max_luminance: float = 0.3) -> str:
    """``colour`` darkened (mixed with black) until its relative luminance is at most
    ``max_luminance`` (0.3: a contrast of at least 3:1 with white, WCAG's floor for large
    text), so that words drawn in a light shade stay readable on white. The hue is kept:
    a text's words stay in its colour family."""
    from matplotlib.colors import to_rgb

    def luminance(rgb):
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    rgb = to_rgb(colour)
    k = 0.0
    while luminance(tuple(c * (1 - k) for c in rgb)) > max_luminance and k < 1:
        k += 0.05
    return to_hex(tuple(c * (1 - k) for c in rgb))


# ---------------------------------------------------------------------- helpers for the notebook

def safe_lexical_diversity(toks: pd.DataFrame, window: int = 100, threshold: float = 0.72) -> pd.DataFrame:
    """:func:`analysis.vocabulary.lexical_diversity`, with MATTR left empty (NaN) for a
    text shorter than the window instead of raising, and texts without words left out:
    a researcher's corpus may hold a short text."""
    from .vocabulary import document_words, mattr, mtld, ttr

    rows = [(doc, len(w), ttr(w), mattr(w, window) if len(w) >= window else np.nan, mtld(w, threshold))
            for doc, w in document_words(toks).items() if len(w)]
    return pd.DataFrame(rows, columns=["doc_id", "n_tokens", "ttr", "mattr", "mtld"])


def nested_in_groups(corpus: pd.DataFrame, group: str, column: str) -> bool:
    """True when every value of ``column`` (e.g. the outlet or the translation) occurs in
    one group only while the groups do not share one value: a difference between the
    groups is then also a difference of ``column``. Main-voice texts only."""
    from .groups import main_voice

    texts = main_voice(corpus)
    if column not in texts or texts[group].nunique() < 2:
        return False
    values = texts.groupby(column)[group].nunique()
    return bool((values == 1).all()) and texts[column].nunique() > 1


def comparison_phrase(column: str, later: str, earlier: Sequence[str]) -> str:
    """The ``comparison`` of the keyness table for groups: ``"era: C vs A + B"`` (target,
    the later group, first). Notebook 05 finds these rows by their prefix ``column``."""
    return f"{column}: {later} vs {' + '.join(earlier)}"


# ---------------------------------------------------------------------- frequencies

def plot_top_terms(freqs: pd.DataFrame, groups: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                   by: str = "doc_id", n: int = 12, n_docs: int = 5, ncols: int = 3,
                   title: str = "Most frequent content words", markers: dict[str, str] | None = None,
                   hollow: Sequence[str] = ()) -> plt.Figure:
    """Horizontal bars of the ``n`` most frequent terms of each panel (a text, or a group;
    per 1,000 words), each bar annotated with its count and in how many of the ``n_docs``
    texts the term occurs. ``freqs`` is a :func:`analysis.vocabulary.term_frequencies`
    table. Panels in ``hollow`` (reader comments) are drawn as outlined bars. A panel
    without terms says so."""
    require_columns(freqs, (by, "term", "count", "per_1000", "doc_freq", "rank"), "plot_top_terms")
    markers, hollow = markers or {}, set(hollow)
    fig, axes, _ = _grid(len(groups), ncols, 4.6, 0.25 * n + 1.5)
    shown = freqs.loc[freqs[by].isin(groups) & (freqs["rank"] <= n), "per_1000"]
    xmax = (shown.max() if len(shown) else 1.0) * 1.45
    for ax, group in zip(axes, groups):
        top = freqs[(freqs[by] == group) & (freqs["rank"] <= n)].iloc[::-1]
        outlined = group in hollow
        ax.barh(top["term"], top["per_1000"], color="white" if outlined else colors[group],
                edgecolor=colors[group], hatch="///" if outlined else None, lw=1.0)
        for y, (count, rate, df) in enumerate(zip(top["count"], top["per_1000"], top["doc_freq"])):
            ax.text(rate, y, f" {count}  ({df}/{n_docs})", va="center", fontsize=7.5, color="#333333")
        if top.empty:
            ax.text(0.5, 0.5, "no content word", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlim(0, xmax)
        ax.set_title(labels[group], fontsize=9.5)
        _title_marker(ax, colors[group], markers.get(group, "s"), outlined)
        ax.set_xlabel("per 1,000 words")
        ax.tick_params(axis="y", labelsize=8.5)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"{title}\n(lemmas of content words; bar labels: count, and in brackets how many of the "
                 f"{n_docs} Party-media texts use the term)", fontsize=11)
    return freeze_layout(fig)


# ---------------------------------------------------------------------- keyness

def top_key_terms(key: pd.DataFrame, target: str, n: int = 10) -> pd.DataFrame:
    """The significant terms of one target with the ``n`` highest and the ``n`` lowest
    log ratios (ties broken by G², then term), positive first."""
    require_columns(key, ("target", "term", "log_ratio", "g2", "significant"), "top_key_terms")
    sig = key[(key["target"] == target) & key["significant"]]
    pos = sig[sig["log_ratio"] > 0].sort_values(["log_ratio", "g2", "term"], ascending=[False, False, True]).head(n)
    neg = sig[sig["log_ratio"] < 0].sort_values(["log_ratio", "g2", "term"], ascending=[True, False, True]).head(n)
    return pd.concat([pos, neg.iloc[::-1]], ignore_index=True)


def plot_keyness(key: pd.DataFrame, targets: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                 n: int = 10, ncols: int = 1, target_label: str = "target", reference_label: str = "reference",
                 show_docs: bool = False, note: str | None = None, title: str = "Keyness",
                 markers: dict[str, str] | None = None) -> plt.Figure:
    """Diverging bars of log ratio, one panel per target: the significant terms (after
    the p-value adjustment recorded in ``key``) most over-represented in the target
    (right, blue: :data:`SIGNED_ABOVE`) and most under-represented (left, red:
    :data:`SIGNED_BELOW`), each labelled with its counts "target:reference" (and, with
    ``show_docs``, the number of texts on the over-using side that use it). The target's
    own colour and marker (``colors``, ``markers``) mark the panel title. A panel with no
    significant term says so. ``note`` is written in the first empty grid cell, if any,
    else under the title."""
    require_columns(key, ("target", "term", "count_target", "count_reference", "log_ratio", "significant",
                   "n_docs_target", "n_docs_reference"), "plot_keyness")
    markers = markers or {}
    shown = {t: top_key_terms(key, t, n) for t in targets}
    slots = max(max((len(s) for s in shown.values()), default=1), 1)
    fig, axes, spare = _grid(len(targets), ncols, 6.2, 0.2 * max(slots, 4) + 1.5)
    lim = max((s["log_ratio"].abs().max() for s in shown.values() if len(s)), default=1) + 2.4
    for ax, target in zip(axes, targets):
        top = shown[target]
        tested = int((key["target"] == target).sum())
        n_sig = int(((key["target"] == target) & key["significant"]).sum())
        ax.set_title(f"{labels[target]}\n{n_sig} of {tested} tested terms significant; "
                     f"showing up to {n} each way", fontsize=9)
        _title_marker(ax, colors[target], markers.get(target, "s"))
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(slots - 0.5, -0.5)
        ax.set_xlabel(f"log ratio  (← more in {reference_label}  |  more in {target_label} →)", fontsize=8.5)
        ax.spines[["top", "right"]].set_visible(False)
        if top.empty:
            ax.text(0.5, 0.5, "no term survives the correction", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
            continue
        y = np.arange(len(top))
        ax.barh(y, top["log_ratio"], color=[SIGNED_ABOVE if v > 0 else SIGNED_BELOW for v in top["log_ratio"]])
        ax.set_yticks(y, top["term"], fontsize=8.5)
        for yi, row in zip(y, top.itertuples(index=False)):
            text = f"{row.count_target}:{row.count_reference}"
            if show_docs:
                k = row.n_docs_target if row.log_ratio > 0 else row.n_docs_reference
                text += f", {k} text{'s' if k != 1 else ''}"
            ax.text(row.log_ratio, yi, f" {text} ", va="center", ha="left" if row.log_ratio > 0 else "right",
                    fontsize=7.5, color="#333333")
    if note and len(spare):
        spare[0].text(0.05, 0.5, note, ha="left", va="center", fontsize=9, wrap=True, transform=spare[0].transAxes)
    elif note:
        import textwrap

        flat = " ".join(line.strip() for line in note.replace("How to read", "").splitlines() if line.strip())
        title = f"{title}\n" + "\n".join(textwrap.wrap(flat, 130))
    fig.suptitle(title, fontsize=11)
    return freeze_layout(fig)


# ---------------------------------------------------------------------- dispersion

def plot_dispersion(disp: pd.DataFrame, docs: Sequence[str], terms: dict[str, Sequence[str]],
                    labels: dict[str, str], colors: dict[str, str], markers: dict[str, str] | None = None,
                    title: str = "Where the key terms fall in each text") -> plt.Figure:
    """A dispersion ("x-ray") plot: one panel per document with one row per term of
    ``terms[doc]`` (its own key terms), a tick at each occurrence; x is the position in
    the document scaled to 0-1, the number at the right the occurrences. A document
    without terms keeps a thin panel that says so. The figure grows with the documents."""
    require_columns(disp, ("doc_id", "term", "relative_position"), "plot_dispersion")
    markers = markers or {}
    rows = [max(len(terms.get(doc, [])), 1) for doc in docs]
    fig, axes = plt.subplots(len(docs), 1, figsize=(8, 0.2 * sum(rows) + 0.42 * len(docs) + 1.0), sharex=True,
                             squeeze=False, layout="constrained", gridspec_kw=dict(height_ratios=rows))
    for ax, doc in zip(axes[:, 0], docs):
        own = list(terms.get(doc, []))
        sub = disp[disp["doc_id"] == doc]
        for i, term in enumerate(own):
            x = sub.loc[sub["term"] == term, "relative_position"]
            ax.plot(x, np.full(len(x), i), "|", color=colors[doc], markersize=8, markeredgewidth=1.4)
            ax.text(1.005, i, str(len(x)), va="center", fontsize=7, color="#555555", transform=ax.get_yaxis_transform())
        if not own:
            ax.text(0.5, 0, "no significant key term", ha="center", va="center", fontsize=8, color="#555555",
                    transform=ax.get_yaxis_transform())
        ax.set_yticks(range(len(own)), own, fontsize=8)
        ax.set_ylim(max(len(own), 1) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.grid(axis="y", color="#EEEEEE", lw=0.6)
        ax.set_title(labels[doc].replace("\n", "  ·  "), fontsize=8.5, loc="left")
        _title_marker(ax, colors[doc], markers.get(doc, "s"), beside=True)
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1, 0].set_xlabel("position in the text (0 = start, 1 = end); numbers at right: occurrences")
    fig.suptitle(title, fontsize=11)
    return freeze_layout(fig)


# ---------------------------------------------------------------------- lexical diversity

def _legend_handles(docs: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                    markers: dict[str, str], hollow: set, line: bool = True) -> list:
    return [Line2D([], [], color=colors[d], marker=markers.get(d, "o"), ls=("--" if d in hollow else "-") if line else "",
                   mfc="white" if d in hollow else colors[d], label=labels[d].replace("\n", "  ·  ")) for d in docs]


def _group_legend(group_of: dict[str, str], group_colors: dict[str, str], group_labels: dict[str, str] | None) -> list:
    order = list(dict.fromkeys(group_of.values()))
    names = group_labels or {}
    return [Line2D([], [], color=group_colors[g], marker="o", ls="", label=names.get(g, g)) for g in order]


def plot_mattr_by_window(table: pd.DataFrame, docs: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                         chosen_window: int, title: str = "MATTR depends on the window",
                         markers: dict[str, str] | None = None, hollow: Sequence[str] = (),
                         group_of: dict[str, str] | None = None, group_colors: dict[str, str] | None = None,
                         group_labels: dict[str, str] | None = None) -> plt.Figure:
    """MATTR against window size (log axis), one line per document in its colour and
    marker; the window used in the tables is marked. Documents in ``hollow`` (reader
    comments) are drawn dashed with hollow markers. With ``group_of`` and
    ``group_colors`` (many texts) the legend names the groups instead of every text."""
    require_columns(table, ("doc_id", "window", "mattr"), "plot_mattr_by_window")
    markers, hollow = markers or {}, set(hollow)
    fig, ax = plt.subplots(figsize=(8.5, 4.8), layout="constrained")
    for doc in docs:
        sub = table[table["doc_id"] == doc].dropna()
        ax.plot(sub["window"], sub["mattr"], ls="--" if doc in hollow else "-", marker=markers.get(doc, "o"),
                color=colors[doc], mfc="white" if doc in hollow else colors[doc], ms=4.5, lw=1.2)
    ax.axvline(chosen_window, color="black", lw=0.8, ls=":")
    ax.text(chosen_window, 1.0, f" window used: {chosen_window}", va="top", fontsize=8,
            transform=ax.get_xaxis_transform())
    ax.set_xscale("log")
    windows = sorted(table["window"].unique())
    ax.set_xticks(windows, [str(w) for w in windows])
    ax.minorticks_off()
    ax.set_xlabel("MATTR window (words)")
    ax.set_ylabel("moving-average type-token ratio")
    ax.spines[["top", "right"]].set_visible(False)
    if group_of and group_colors:
        handles = _group_legend(group_of, group_colors, group_labels)
        handles += _legend_handles([d for d in docs if d in hollow], labels, colors, markers, hollow)
    else:
        handles = _legend_handles(docs, labels, colors, markers, hollow)
    ax.legend(handles=handles, fontsize=7.5, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.set_title(title, fontsize=11)
    return freeze_layout(fig)


# ---------------------------------------------------------------------- trajectories

def trajectory_positions(corpus: pd.DataFrame, width: pd.Timedelta = pd.Timedelta(days=12)) -> pd.Series:
    """Where each document sits on the time axis of :func:`plot_term_trajectories`: the
    middle of its date bounds (:func:`analysis.overview.date_positions`), the texts of one
    calendar month spread apart by :func:`analysis.plots.dodge` (``width`` apart, in
    their order), so two texts of the same month are never drawn on top of each other."""
    positions = date_positions(corpus)
    months = positions.dt.to_period("M").dt.to_timestamp()
    return positions + (dodge(months, width) - months)


def _date_format(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return "%Y" if (end - start).days > 3 * 365 else "%Y-%m"


def plot_term_trajectories(rates: pd.DataFrame, corpus: pd.DataFrame, colors: dict[str, str],
                           windows: Sequence[tuple[pd.Timestamp, pd.Timestamp]] | None = None,
                           title: str = "Term rates across the dated texts", markers: dict[str, str] | None = None,
                           label_points: bool = True, group_of: dict[str, str] | None = None,
                           group_colors: dict[str, str] | None = None,
                           group_labels: dict[str, str] | None = None) -> plt.Figure:
    """Rate per 1,000 words of each term (rows) in each document, on a time axis broken
    between ``windows`` (by default :func:`analysis.groups.time_windows` of the texts'
    date bounds: the axis skips the long gaps between the dates of the corpus). Each
    point sits at the middle of the document's date bounds (date_earliest..date_latest);
    the horizontal bar spans those bounds (none for a date known to the day), the
    vertical bar is the 95% exact Poisson interval of the rate. Texts of the same month
    are moved apart, point and bar together (:func:`trajectory_positions`, by 1/60 of the
    widest window, at least 12 days). Each text has its colour and marker and, with
    ``label_points``, its doc_id above its point in the top row. The legend gives each
    text's date and its precision, or (with ``group_of`` and ``group_colors``) the groups."""
    require_columns(rates, ("doc_id", "term", "per_1000", "ci_low", "ci_high"), "plot_term_trajectories")
    require_columns(corpus, ("doc_id", "date_earliest", "date_latest", "date", "date_precision"), "plot_term_trajectories")
    markers = markers or {}
    terms = list(dict.fromkeys(rates["term"]))
    docs = [d for d in corpus["doc_id"] if d in set(rates["doc_id"])]
    shown = corpus[corpus["doc_id"].isin(docs)]
    meta = shown.set_index("doc_id")
    lo = pd.to_datetime(meta["date_earliest"].replace("", None)).fillna(meta["date_start"])
    hi = pd.to_datetime(meta["date_latest"].replace("", None)).fillna(meta["date_start"])
    middle = date_positions(shown)
    if windows is None:
        windows = time_windows(pd.concat([lo, hi]))
    spans = [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in windows]
    widest = max(b - a for a, b in spans)
    shift = trajectory_positions(shown, max(pd.Timedelta(days=12), widest / 60)) - middle
    positions, lo, hi = middle + shift, lo + shift, hi + shift
    labels = date_labels(shown)
    widths = [max((b - a).days, 1) for a, b in spans]
    fig, axes = plt.subplots(len(terms), len(spans), figsize=(10, 1.45 * len(terms) + 2.2), squeeze=False,
                             sharex="col", sharey="row", gridspec_kw=dict(width_ratios=widths), layout="constrained")
    fig.get_layout_engine().set(wspace=0.03)
    for r, term in enumerate(terms):
        sub = rates[rates["term"] == term].set_index("doc_id")
        for c, (start, end) in enumerate(spans):
            ax = axes[r, c]
            for doc in docs:
                x = positions[doc]
                if not start <= x <= end:
                    continue
                rate, low, high = sub.loc[doc, ["per_1000", "ci_low", "ci_high"]]
                xerr = [[x - lo[doc]], [hi[doc] - x]]
                ax.errorbar([x], [rate], yerr=[[rate - low], [high - rate]], xerr=xerr, fmt=markers.get(doc, "o"),
                            color=colors[doc], ms=5, capsize=2, elinewidth=1.1)
                if label_points and r == 0:
                    ax.annotate(doc, (x, high), xytext=(0, 3), textcoords="offset points", rotation=60,
                                ha="left", va="bottom", fontsize=6.5, color="#333333")
            ax.set_xlim(start, end)
            ax.spines[["top", "right"]].set_visible(False)
            if c > 0:
                ax.spines["left"].set_visible(False)
                ax.tick_params(axis="y", left=False)
            ax.grid(axis="y", color="#EEEEEE", lw=0.6)
        axes[r, 0].set_ylabel(f"{term}\nper 1,000", fontsize=8.5)
        axes[r, 0].set_ylim(bottom=0)
        if label_points and r == 0:
            axes[r, 0].set_ylim(top=axes[r, 0].get_ylim()[1] * 1.45)
    for c, (start, end) in enumerate(spans):
        ax = axes[-1, c]
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=max(3, int(7 * widths[c] / max(widths)))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter(_date_format(start, end)))
        ax.tick_params(axis="x", labelsize=7.5, rotation=45)
    for r in range(len(terms)):  # break marks between the time windows
        for c in range(len(spans) - 1):
            kw = dict(transform=axes[r, c].transAxes, color="black", clip_on=False, lw=0.8)
            axes[r, c].plot([1 - 0.01, 1 + 0.01], [-0.04, 0.04], **kw)
    if group_of and group_colors:
        handles = _group_legend(group_of, group_colors, group_labels)
    else:
        handles = [Line2D([], [], marker=markers.get(d, "o"), ls="", color=colors[d],
                          label=f"{d}: {labels[d]}, bounds {meta.loc[d, 'date_earliest'] or meta.loc[d, 'date']} to "
                                f"{meta.loc[d, 'date_latest'] or meta.loc[d, 'date']}") for d in docs]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=7.5, frameon=False)
    broken = (f"\n(the time axis skips the gaps between {len(spans)} windows: "
              + " | ".join(f"{a:%Y-%m} to {b:%Y-%m}" for a, b in spans) + ")" if len(spans) > 1 else "")
    fig.suptitle(f"{title}{broken}\n(horizontal bars: date bounds; vertical bars: 95% Poisson interval; "
                 "texts of the same month moved apart)", fontsize=10.5)
    return freeze_layout(fig)


# ---------------------------------------------------------------------- word clouds

def _cloud(frequencies: dict[str, float], color: str, max_font_size: int, seed: int, width: int, height: int,
           relative_scaling: float = 1.0):
    from wordcloud import WordCloud

    def one_color(*_args, **_kwargs):
        return color

    cloud = WordCloud(width=width, height=height, background_color="white", max_font_size=max_font_size,
                      min_font_size=8, relative_scaling=relative_scaling, prefer_horizontal=1.0,
                      random_state=seed, color_func=one_color, max_words=len(frequencies), margin=3)
    return cloud.generate_from_frequencies(frequencies)


def plot_wordclouds(freqs: pd.DataFrame, groups: Sequence[str], labels: dict[str, str], colors: dict[str, str],
                    by: str = "doc_id", n_words: int = 40, max_font_size: int = 120, seed: int = 1,
                    width: int = 800, height: int = 480, ncols: int = 3,
                    markers: dict[str, str] | None = None, hollow: Sequence[str] = ()) -> plt.Figure:
    """One word cloud per panel (a text, or a group) on a shared scale: font size
    proportional to the rate per 1,000 words (``relative_scaling=1``), the largest rate
    of all clouds drawn at ``max_font_size`` and every cloud's largest word scaled from
    it, so sizes compare across clouds. The ``n_words`` most frequent content lemmas of
    each panel; words too small to reach the 8 px minimum are dropped, and the packer may
    shrink a word that does not fit. Words take the panel's colour, darkened where it is too
    light to read (:func:`legible`). DroidSansMono (shipped with wordcloud), fixed
    ``seed``. A panel without words says so."""
    require_columns(freqs, (by, "term", "per_1000", "rank"), "plot_wordclouds")
    markers, hollow = markers or {}, set(hollow)
    chosen = freqs[freqs[by].isin(groups) & (freqs["rank"] <= n_words)]
    top_rate = chosen["per_1000"].max() if len(chosen) else 1.0
    fig, axes, _ = _grid(len(groups), ncols, 4.6, 3.2)
    for ax, group in zip(axes, groups):
        sub = chosen[chosen[by] == group]
        if len(sub):
            size = max(int(round(max_font_size * sub["per_1000"].max() / top_rate)), 9)
            cloud = _cloud(dict(zip(sub["term"], sub["per_1000"])), legible(colors[group]), size, seed, width, height)
            ax.imshow(cloud.to_array(), interpolation="bilinear")
        else:
            ax.text(0.5, 0.5, "no content word", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(labels[group], fontsize=9)
        _title_marker(ax, colors[group], markers.get(group, "s"), group in hollow)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("#DDDDDD")
    fig.suptitle("Word clouds on one shared scale: size ∝ frequency per 1,000 words "
                 "(an illustration, not evidence; see the frequency and keyness figures)", fontsize=11)
    return freeze_layout(fig)


def comparison_cloud_terms(key: pd.DataFrame, targets: Sequence[str], n: int = 20,
                           significant_only: bool = True) -> pd.DataFrame:
    """The terms of a comparison cloud: for each target, its over-represented terms
    (log ratio > 0; significant ones only by default), the ``n`` highest log ratios; a
    term over-represented in several targets goes to the one with the highest log ratio.
    Returns target, term, log_ratio."""
    require_columns(key, ("target", "term", "log_ratio", "g2", "significant"), "comparison_cloud_terms")
    pool = key[key["target"].isin(targets) & (key["log_ratio"] > 0)]
    if significant_only:
        pool = pool[pool["significant"]]
    pool = pool.sort_values(["log_ratio", "g2", "term", "target"], ascending=[False, False, True, True])
    pool = pool.drop_duplicates("term").groupby("target", sort=True).head(n)
    return pool[["target", "term", "log_ratio"]].reset_index(drop=True)


def plot_comparison_cloud(terms: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], seed: int = 1,
                          width: int = 1400, height: int = 800, max_font_size: int = 70,
                          markers: dict[str, str] | None = None,
                          title: str = "Comparison cloud: words each text over-uses against the rest of the "
                                       "Party-media corpus") -> plt.Figure:
    """One cloud of the terms of :func:`comparison_cloud_terms`, coloured by the text (or
    group) that over-uses them, sized by log ratio (``relative_scaling=1``). The legend
    names every target of ``labels``, with "no significant term" for those without words
    in the cloud. Without any term the figure says so."""
    require_columns(terms, ("target", "term", "log_ratio"), "plot_comparison_cloud")
    from wordcloud import WordCloud

    markers = markers or {}
    fig, ax = plt.subplots(figsize=(11, 7 + 0.16 * max(len(labels) - 10, 0)), layout="constrained")
    if len(terms):
        owner = dict(zip(terms["term"], terms["target"]))

        def by_owner(word, **_kwargs):
            return colors[owner[word]]

        cloud = WordCloud(width=width, height=height, background_color="white", max_font_size=max_font_size,
                          min_font_size=8, relative_scaling=1.0, prefer_horizontal=1.0, random_state=seed,
                          color_func=by_owner, max_words=len(terms), margin=4)
        cloud.generate_from_frequencies(dict(zip(terms["term"], terms["log_ratio"])))
        ax.imshow(cloud.to_array(), interpolation="bilinear")
    else:
        ax.text(0.5, 0.5, "no significant over-represented term in any text", ha="center", va="center",
                transform=ax.transAxes)
    ax.set_axis_off()
    present = set(terms["target"])
    handles = [Line2D([], [], marker=markers.get(t, "s"), ls="", color=colors[t], ms=8,
                      label=labels[t].replace("\n", "  ·  ") + ("" if t in present else "  (no significant term)"))
               for t in labels]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2, fontsize=8.5, frameon=False)
    ax.set_title(f"{title}\n(size ∝ log ratio; significant terms only; an illustration, not evidence)", fontsize=11)
    return freeze_layout(fig)


# ---------------------------------------------------------------------- texts as the unit

def plot_text_rates(rates: pd.DataFrame, contrast: pd.DataFrame, groups: pd.Series, group_colors: dict[str, str],
                    labels: dict[str, str] | None = None, title: str = "Rates in each text",
                    styles: pd.DataFrame | None = None, group_labels: dict[str, str] | None = None,
                    legend_texts: bool = True) -> plt.Figure:
    """One row per term, one dot per text at its rate per 1,000 words, so that a reader
    sees whether the texts of a group agree. Dots of one group sit on one line, the groups
    in the order of ``group_colors`` (earliest first, top to bottom). With ``styles``
    (:func:`analysis.plots.text_styles`) each text has its own shade and marker, named in
    the legend (``legend_texts``), else the colour of its group. ``rates`` is a doc_id x
    term table (:func:`analysis.vocabulary.term_rates_by_text`); ``contrast`` the rows of
    :func:`analysis.vocabulary.text_level_contrast` for one group, whose ``separates``
    column marks the rows where every text of the group lies beyond every other text
    ("✓ higher in every ... text", or lower)."""
    require_columns(contrast, ("term", "group", "separates"), "plot_text_rates")
    terms = list(rates.columns)
    labels = labels or {t: t for t in terms}
    verdict = contrast.set_index("term")["separates"].reindex(terms).fillna("")
    target = str(contrast["group"].iloc[0]) if len(contrast) else ""
    words = {"above": f"✓ higher in every {target} text", "below": f"✓ lower in every {target} text"}
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(terms) + 1.8), layout="constrained")
    order = [g for g in group_colors if g in set(groups.reindex(rates.index))] if terms else []
    offsets = {g: (k - (len(order) - 1) / 2) * 0.2 for k, g in enumerate(order)}
    for doc, row in (rates.iterrows() if terms else []):
        g = groups[doc]
        colour = styles.loc[doc, "colour"] if styles is not None else group_colors[g]
        marker = styles.loc[doc, "marker"] if styles is not None else "o"
        ax.scatter(row.to_numpy(), np.arange(len(terms)) + offsets[g], s=30, color=colour, marker=marker,
                   edgecolor="white", linewidth=0.5, zorder=3)
    ax.set_yticks(np.arange(len(terms)),
                  [f"{labels[t]}  {words.get(verdict[t], '')}" for t in terms], fontsize=8.5)
    ax.set_ylim(max(len(terms), 1) - 0.5, -0.5)
    if not terms:
        ax.text(0.5, 0.5, "no term to show", ha="center", va="center", transform=ax.transAxes)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_xlabel("rate per 1,000 words (one dot per text)")
    ax.spines[["top", "right"]].set_visible(False)
    names = group_labels or {}
    if styles is not None and legend_texts:
        handles = [Line2D([], [], marker=styles.loc[d, "marker"], ls="", color=styles.loc[d, "colour"],
                          label=f"{d} ({groups[d]})") for d in rates.index]
    else:
        handles = [Line2D([], [], marker="o", ls="", color=group_colors[g], label=names.get(g, g)) for g in order]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False,
              title="texts (each group on its own line, earliest on top)" if styles is not None and legend_texts
              else "groups (earliest on top)", title_fontsize=8)
    ax.set_title(title, fontsize=10.5)
    return freeze_layout(fig)
