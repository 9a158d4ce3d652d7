"""Look up any word or phrase: its frequency in each text over time, and its KWIC lines.

Used by the interactive widget of ``05_synthesis.ipynb`` (ipywidgets, imported lazily so
that the rest of the package does not need it). The same lookup runs in the browser
alone in the explorer page (:mod:`analysis.explorer`).

A query is tokenised as the corpus is (:func:`analysis.tokens.tokenize`): "Party's" and
"Party’s" become "party" + "'s", as in the tokens table, so possessives are found. In
lemma mode (``match_on`` a lemma column) each query word is replaced by its lemma: the
lemma that word form has most often in the tokens table, or else the one
:func:`analysis.tokens.lemmatize` gives it; so "cadres" finds "cadre" and "cadres".
A query with no hit says so ("no match for ..."): in the table, the figure and the lines.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .groups import DEFAULT_GROUP, MAIN_VOICE, count_phrase, group_labels, time_windows
from .overview import date_labels, date_positions
from .tokens import lemmatize, tokenize
from .vocabulary import format_kwic, kwic, word_totals

#: Token columns that hold lemmas: a query matched on one of them is lemmatised first.
LEMMA_COLUMNS = ("lemma", "pos_lemma")


def _normalise(token: str) -> str:
    """A token as the tokens table's ``lower`` column writes it."""
    return token.lower().replace("’", "'")


def form_lemmas(toks: pd.DataFrame, match_on: str = "lemma") -> dict[str, str]:
    """Word form (``lower``) -> its most frequent value of ``match_on`` in ``toks`` (ties:
    the first in alphabetical order): the corpus's own form -> lemma pairs."""
    if "lower" not in toks or match_on not in toks or not len(toks):
        return {}
    pairs = toks.groupby(["lower", match_on]).size().rename("n").reset_index()
    pairs[match_on] = pairs[match_on].astype(str).str.lower()
    pairs = pairs.sort_values(["lower", "n", match_on], ascending=[True, False, True], kind="stable")
    best = pairs.drop_duplicates("lower")
    return dict(zip(best["lower"].astype(str), best[match_on]))


def query_tokens(phrase: str, toks: pd.DataFrame | None = None, match_on: str = "lower") -> list[str]:
    """The tokens that ``phrase`` must match, in order.

    ``phrase`` is tokenised by :func:`analysis.tokens.tokenize` and written as the ``lower``
    column is (lower case, straight apostrophes): "Party’s rules" gives ``["party", "'s",
    "rules"]``. When ``match_on`` is a lemma column (:data:`LEMMA_COLUMNS`), each token is
    replaced by its lemma: the one its form has most often in ``toks``
    (:func:`form_lemmas`), or for a form not in ``toks`` :func:`analysis.tokens.lemmatize`."""
    words = [_normalise(t) for t in tokenize(phrase)]
    if match_on not in LEMMA_COLUMNS:
        return words
    pairs = form_lemmas(toks, match_on) if toks is not None else {}

    def lemma(word: str) -> str:
        if word in pairs:
            return pairs[word]
        return lemmatize(word) if word[:1].isalnum() and word.isalpha() else word

    return [lemma(w) for w in words]


def no_match_message(phrase: str, toks: pd.DataFrame, corpus: pd.DataFrame, match_on: str = "lower") -> str:
    """``no match for 'PHRASE' in the N texts (searched ...)``: what a lookup without a hit says."""
    searched = query_tokens(phrase, toks, match_on)
    how = "lemmas" if match_on in LEMMA_COLUMNS else "tokens"
    return (f"no match for '{phrase.strip()}' in the {count_phrase(len(corpus), 'text')} "
            f"(searched as the {how}: {' '.join(searched)})")


def phrase_frequency(toks: pd.DataFrame, corpus: pd.DataFrame, phrase: str, match_on: str = "lower") -> pd.DataFrame:
    """Occurrences of ``phrase`` (a word, or words that must follow each other; see
    :func:`analysis.vocabulary.kwic`; tokenised and, in lemma mode, lemmatised by
    :func:`query_tokens`) in each document of ``corpus``, in corpus (date) order: doc_id,
    date_label, count, words (``is_word`` tokens), per_1k."""
    words = query_tokens(phrase, toks, match_on)
    if not words:
        raise ValueError(f"phrase_frequency: {phrase!r} holds no word to look up; type a word or phrase.")
    hits = kwic(toks, " ".join(words), window=0, match_on=match_on)
    counts = hits.groupby("doc_id").size()
    totals = word_totals(toks)
    order = list(corpus["doc_id"])
    table = pd.DataFrame({
        "doc_id": order,
        "date_label": date_labels(corpus).reindex(order).to_numpy(),
        "count": counts.reindex(order, fill_value=0).to_numpy(),
        "words": totals.reindex(order, fill_value=0).to_numpy(),
    })
    table["per_1k"] = 1000 * table["count"] / table["words"].where(table["words"] > 0)
    return table


def _spread(x: pd.Series, min_gap: pd.Timedelta) -> pd.Series:
    """Time positions moved apart where texts are closer than ``min_gap`` (the same date,
    or nearly): each run of close texts is spread symmetrically, ``min_gap`` apart, in
    corpus order."""
    order = sorted(range(len(x)), key=lambda k: (x.iloc[k], k))
    out = x.copy()
    runs, run = [], []
    for k in order:
        if run and x.iloc[k] - x.iloc[run[-1]] >= min_gap:
            runs.append(run)
            run = []
        run.append(k)
    if run:
        runs.append(run)
    for run in runs:
        middle = x.iloc[run].min() + (x.iloc[run].max() - x.iloc[run].min()) / 2
        for j, k in enumerate(run):
            out.iloc[k] = middle + (j - (len(run) - 1) / 2) * min_gap
    return out


def _message_figure(message: str):
    """A small figure that says ``message`` (instead of an empty plot)."""
    fig, ax = plt.subplots(figsize=(8, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#8a3b00", wrap=True,
            transform=ax.transAxes)
    return fig


def plot_phrase_frequency(table: pd.DataFrame, phrase: str, corpus: pd.DataFrame | None = None,
                          group: str = DEFAULT_GROUP):
    """The rate per 1,000 words of a :func:`phrase_frequency` table in each text, on a
    time axis (broken where no text falls, :func:`analysis.groups.time_windows`): each
    text at its date (:func:`analysis.overview.date_positions`) in its colour and marker
    (:func:`analysis.plots.text_styles`; texts of another voice hollow), texts of the same
    date moved apart, each labelled with its doc_id and raw count. Without ``corpus`` the
    texts are placed in table order. A table without a hit gives a figure that says so."""
    if table.empty or table["count"].sum() == 0:
        return _message_figure(f"no match for '{phrase}' in the {count_phrase(len(table), 'text')}")
    if corpus is None or "date_start" not in corpus:
        return _plot_in_order(table, phrase)
    from .plots import OTHER_VOICE_COLOUR, group_colours, text_styles

    docs = corpus.set_index("doc_id").loc[table["doc_id"]].reset_index()
    try:
        styles = text_styles(docs, group)
    except (KeyError, ValueError):
        styles = pd.DataFrame({"colour": "#555555", "marker": "o", "hollow": False}, index=docs["doc_id"])
    positions = date_positions(docs).reindex(table["doc_id"])
    windows = time_windows(positions)
    spans = [(b - a).days or 1 for a, b in windows]
    x = _spread(positions.reset_index(drop=True), pd.Timedelta(days=max(sum(spans) / 45, 1)))
    fig, axes = plt.subplots(1, len(windows), figsize=(10, 5.0), sharey=True, squeeze=False,
                             gridspec_kw={"width_ratios": spans, "wspace": 0.05})
    axes = list(axes[0])
    top = float(table["per_1k"].max())
    for ax, (start, end) in zip(axes, windows):
        for k, row in enumerate(table.itertuples(index=False)):
            if pd.isna(row.per_1k) or not start <= positions.iloc[k] <= end:
                continue
            style = styles.loc[row.doc_id]
            ax.vlines(x.iloc[k], 0, row.per_1k, color=style["colour"], lw=1.2, alpha=0.6)
            ax.plot(x.iloc[k], row.per_1k, style["marker"], ms=9, color=style["colour"],
                    mfc="white" if style["hollow"] else style["colour"], mec=style["colour"] if style["hollow"] else "#333333",
                    mew=1.6 if style["hollow"] else 0.6, zorder=3)
            ax.annotate(f"n={row.count}", (x.iloc[k], row.per_1k), xytext=(0, 8), textcoords="offset points",
                        fontsize=7.5, ha="center", va="bottom")
        inside = [k for k in range(len(table)) if start <= positions.iloc[k] <= end]
        # each text labelled on the time axis with its doc_id and date, at its (spread) position
        ax.set_xticks([x.iloc[k] for k in inside],
                      [f"{table['doc_id'].iloc[k]}  {str(table['date_label'].iloc[k]).split(' (')[0]}" for k in inside],
                      rotation=35, ha="right", rotation_mode="anchor", fontsize=7.5)
        ax.set_xlim(start, end)
        ax.set_ylim(0, top * 1.3 if top > 0 else 1)
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
    for left, right in zip(axes, axes[1:]):
        left.spines["right"].set_visible(False)
        right.spines["left"].set_visible(False)
        right.tick_params(left=False)
    axes[0].set_ylabel("per 1,000 words")
    if "voice" in docs and group in docs:
        legend = group_labels(docs, group) if (docs["voice"] == MAIN_VOICE).any() else {}
        for g, colour in group_colours(legend).items():
            axes[0].plot([], [], "o", color=colour, label=f"{group}: {legend[g]}")
        if (docs["voice"] != MAIN_VOICE).any():
            axes[0].plot([], [], "o", color=OTHER_VOICE_COLOUR, mfc="white", label="another voice (reader comments)")
        axes[0].legend(fontsize=7.5, loc="upper left", frameon=False)
    broken = " (axis broken where no text falls)" if len(windows) > 1 else ""
    fig.suptitle(f"“{phrase}” per 1,000 words in each text, on a time axis{broken}", fontsize=11)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.3, top=0.9)
    return fig


def _plot_in_order(table: pd.DataFrame, phrase: str):
    """The rates of a :func:`phrase_frequency` table in table order, when no dates are given."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    rated = table.dropna(subset=["per_1k"])
    ax.vlines(rated.index, 0, rated["per_1k"], color="#555555", lw=1.2, alpha=0.6)
    ax.plot(rated.index, rated["per_1k"], "o", color="#555555", ms=8)
    for k, row in rated.iterrows():
        ax.annotate(f"n={row['count']}", (k, row["per_1k"]), xytext=(0, 6), textcoords="offset points",
                    ha="center", fontsize=8)
    ax.set_xticks(range(len(table)), [f"{d}\n{lab}" for d, lab in zip(table["doc_id"], table["date_label"])],
                  fontsize=7, rotation=30, ha="right")
    ax.set_ylabel("per 1,000 words")
    ax.set_title(f"“{phrase}” in each text, in date order")
    fig.tight_layout()
    return fig


def lookup(toks: pd.DataFrame, corpus: pd.DataFrame, phrase: str, window: int = 8, match_on: str = "lower",
           group: str = DEFAULT_GROUP):
    """The frequency table, its figure and the KWIC lines of ``phrase``. Without a hit, the
    table holds a message, the figure says it and the lines are it: ``no match for ...``."""
    table = phrase_frequency(toks, corpus, phrase, match_on=match_on)
    if table["count"].sum() == 0:
        message = no_match_message(phrase, toks, corpus, match_on)
        return pd.DataFrame({"message": [message]}), _message_figure(message), message
    words = query_tokens(phrase, toks, match_on)
    lines = kwic(toks, " ".join(words), window=window, match_on=match_on)
    return table, plot_phrase_frequency(table, phrase.strip(), corpus, group=group), format_kwic(lines)


def lookup_widget(toks: pd.DataFrame, corpus: pd.DataFrame, initial: str = "people", group: str = DEFAULT_GROUP):
    """An ipywidgets box: type a word or phrase, choose matching on word forms or lemmas,
    and see its frequency per text over time and its KWIC lines. In lemma mode each word
    of the query is lemmatised (:func:`query_tokens`); a word without a hit says so."""
    import ipywidgets as widgets
    from IPython.display import display

    text = widgets.Text(value=initial, description="word/phrase", continuous_update=False)
    unit = widgets.ToggleButtons(options=[("as written", "lower"), ("lemmas", "lemma")], value="lower")
    out = widgets.Output()

    def refresh(_=None):
        out.clear_output(wait=True)
        with out:
            phrase = text.value.strip()
            if not query_tokens(phrase):
                print("Type a word or phrase.")
                return
            searched = query_tokens(phrase, toks, unit.value)
            print(f"searched as the {'lemmas' if unit.value in LEMMA_COLUMNS else 'tokens'}: {' | '.join(searched)}")
            table, fig, lines = lookup(toks, corpus, phrase, match_on=unit.value, group=group)
            if "message" in table:
                plt.close(fig)
                print(lines)
                return
            display(fig)
            plt.close(fig)
            display(table)
            print(lines)

    text.observe(refresh, names="value")
    unit.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([text, unit]), out])
