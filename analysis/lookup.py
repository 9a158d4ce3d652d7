"""Look up any word or phrase: its frequency in each text over time, and its KWIC lines.

Used by the interactive widget of ``05_synthesis.ipynb`` (ipywidgets, imported lazily so
that the rest of the package does not need it).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .overview import date_labels
from .vocabulary import format_kwic, kwic, word_totals


def phrase_frequency(toks: pd.DataFrame, corpus: pd.DataFrame, phrase: str, match_on: str = "lower") -> pd.DataFrame:
    """Occurrences of ``phrase`` (a word, or words that must follow each other; see
    :func:`analysis.vocabulary.kwic`) in each document of ``corpus``, in corpus (date)
    order: doc_id, date_label, count, words (``is_word`` tokens), per_1k."""
    hits = kwic(toks, phrase, window=0, match_on=match_on)
    counts = hits.groupby("doc_id").size()
    words = word_totals(toks)
    order = list(corpus["doc_id"])
    table = pd.DataFrame({
        "doc_id": order,
        "date_label": date_labels(corpus).reindex(order).to_numpy(),
        "count": counts.reindex(order, fill_value=0).to_numpy(),
        "words": words.reindex(order, fill_value=0).to_numpy(),
    })
    table["per_1k"] = 1000 * table["count"] / table["words"]
    return table


def plot_phrase_frequency(table: pd.DataFrame, phrase: str):
    """Bars of a :func:`phrase_frequency` table: per 1,000 words, texts in date order,
    each bar labelled with its raw count."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    labels = [f"{d}\n{lab}" for d, lab in zip(table["doc_id"], table["date_label"])]
    bars = ax.bar(range(len(table)), table["per_1k"], color="#4c72b0")
    for bar, n in zip(bars, table["count"]):
        ax.annotate(f"n={n}", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center",
                    va="bottom", fontsize=8)
    ax.set_xticks(range(len(table)), labels, fontsize=7)
    ax.set_ylabel("per 1,000 words")
    ax.set_title(f"“{phrase}” in each text, in date order")
    fig.tight_layout()
    return fig


def lookup(toks: pd.DataFrame, corpus: pd.DataFrame, phrase: str, window: int = 8, match_on: str = "lower"):
    """The frequency table, its figure and the KWIC lines of ``phrase``."""
    table = phrase_frequency(toks, corpus, phrase, match_on=match_on)
    lines = kwic(toks, phrase, window=window, match_on=match_on)
    return table, plot_phrase_frequency(table, phrase), format_kwic(lines) if len(lines) else "(no match)"


def lookup_widget(toks: pd.DataFrame, corpus: pd.DataFrame, initial: str = "people"):
    """An ipywidgets box: type a word or phrase, choose matching on word forms or lemmas,
    and see its frequency per text over time and its KWIC lines."""
    import ipywidgets as widgets
    from IPython.display import display

    text = widgets.Text(value=initial, description="word/phrase", continuous_update=False)
    unit = widgets.ToggleButtons(options=[("as written", "lower"), ("lemmas", "lemma")], value="lower")
    out = widgets.Output()

    def refresh(_=None):
        out.clear_output(wait=True)
        with out:
            if not text.value.strip():
                print("Type a word or phrase.")
                return
            table, fig, lines = lookup(toks, corpus, text.value.strip().lower(), match_on=unit.value)
            plt.show(fig)
            display(table)
            print(lines)

    text.observe(refresh, names="value")
    unit.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([text, unit]), out])
