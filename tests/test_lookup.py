"""Tests of analysis.lookup (the word lookup of notebook 05 and its widget), on token
tables made by analysis.tokens from a tiny corpus, every count made by hand."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from analysis import load_corpus, sentences, tokens  # noqa: E402
from analysis.lookup import (form_lemmas, lookup, lookup_widget, phrase_frequency, plot_phrase_frequency,  # noqa: E402
                             query_tokens)
from analysis.plots import text_styles  # noqa: E402

from conftest import make_corpus  # noqa: E402

TEXTS = {
    "one": "The Party's cadres serve the people. A cadre listens.",
    "two": "Cadres and cadres again. The Party’s line holds.",
    "three": "Nothing here but the people and the masses.",
}
#: Words (is_word tokens) per text, by hand ("'s" is not a word).
WORDS = {"one": 6 + 3, "two": 4 + 4, "three": 8}


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    folder = make_corpus(tmp_path_factory.mktemp("lookup") / "corpus", TEXTS)
    meta = pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)
    meta["era"] = ["Early", "Early", "Late"]
    meta.to_csv(folder / "metadata.csv", index=False)
    corpus = load_corpus(folder)
    return corpus, tokens(sentences(corpus))


def test_query_tokens_split_possessives_like_the_corpus():
    assert query_tokens("Party's") == ["party", "'s"]
    assert query_tokens("Party’s line") == ["party", "'s", "line"]
    assert query_tokens("  hostile   forces ") == ["hostile", "forces"]
    assert query_tokens("self-criticism") == ["self-criticism"]
    assert query_tokens("") == []


def test_query_tokens_lemmatise_in_lemma_mode(toy):
    _, toks = toy
    assert query_tokens("cadres", toks, "lemma") == ["cadre"]
    assert query_tokens("Cadres listen", toks, "lemma") == ["cadre", "listen"]
    assert query_tokens("maladies", toks, "lemma") == ["malady"]      # not in the corpus: the lemmatizer
    assert query_tokens("masses", toks, "lemma") == ["masses"]        # the project's override, as in the table
    assert query_tokens("cadres", toks, "lower") == ["cadres"]        # word forms: as written
    assert form_lemmas(toks)["cadres"] == "cadre"


def test_word_totals_by_hand(toy):
    corpus, toks = toy
    table = phrase_frequency(toks, corpus, "people")
    assert list(table["doc_id"]) == list(corpus["doc_id"])
    assert dict(zip(table["doc_id"], table["words"])) == WORDS
    assert dict(zip(table["doc_id"], table["count"])) == {"one": 1, "two": 0, "three": 1}
    assert table.loc[table["doc_id"] == "one", "per_1k"].item() == pytest.approx(1000 / 9)


def test_lemma_mode_finds_plural_and_singular(toy):
    corpus, toks = toy
    by_form = phrase_frequency(toks, corpus, "cadres", match_on="lower")
    assert dict(zip(by_form["doc_id"], by_form["count"])) == {"one": 1, "two": 2, "three": 0}
    for query in ("cadres", "cadre", "Cadres"):
        by_lemma = phrase_frequency(toks, corpus, query, match_on="lemma")
        assert dict(zip(by_lemma["doc_id"], by_lemma["count"])) == {"one": 2, "two": 2, "three": 0}
    table, fig, lines = lookup(toks, corpus, "cadres", match_on="lemma")
    assert table["count"].sum() == 4 and len(lines.splitlines()) == 4
    assert "[cadre]" in lines and "[cadres]" in lines and "[Cadres]" in lines
    plt.close(fig)


@pytest.mark.parametrize("query", ["Party's", "party’s", "PARTY'S"])
def test_possessives_are_found(toy, query):
    corpus, toks = toy
    table = phrase_frequency(toks, corpus, query)
    assert dict(zip(table["doc_id"], table["count"])) == {"one": 1, "two": 1, "three": 0}
    _, fig, lines = lookup(toks, corpus, query)
    assert "[Party's]" in lines and "[Party’s]" in lines
    plt.close(fig)


def test_no_hit_says_so_in_table_figure_and_lines(toy):
    corpus, toks = toy
    table, fig, lines = lookup(toks, corpus, "xyzzy")
    assert lines.startswith("no match for 'xyzzy' in the 3 texts")
    assert list(table.columns) == ["message"] and table["message"].item() == lines
    shown = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert shown == [lines]
    assert not any(ax.lines or ax.collections for ax in fig.axes)  # a message, not an empty plot
    plt.close(fig)
    _, fig, lines = lookup(toks, corpus, "xyzzies", match_on="lemma")
    assert lines.startswith("no match for 'xyzzies'") and "lemmas: xyzzy" in lines
    plt.close(fig)
    with pytest.raises(ValueError, match="no word"):
        phrase_frequency(toks, corpus, "   ")


def test_plot_puts_texts_on_a_time_axis_in_their_colours(toy):
    corpus, toks = toy
    table = phrase_frequency(toks, corpus, "the")
    fig = plot_phrase_frequency(table, "the", corpus)
    styles = text_styles(corpus, "era")
    drawn = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            if len(line.get_xdata()) == 1:
                drawn[to_hex(line.get_color())] = line.get_marker()
    for doc in corpus["doc_id"]:
        assert drawn[styles.loc[doc, "colour"]] == styles.loc[doc, "marker"]
    labels = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels()]
    assert all(any(lab.startswith(doc) for lab in labels) for doc in corpus["doc_id"])
    assert "per 1,000 words" in fig.axes[0].get_ylabel()
    plt.close(fig)
    # without the corpus: the texts in table order, still drawn
    fig = plot_phrase_frequency(table, "the")
    assert fig.axes[0].get_lines()
    plt.close(fig)


def test_widget_builds_and_reports_no_match(toy, capsys):
    pytest.importorskip("ipywidgets")
    corpus, toks = toy
    box = lookup_widget(toks, corpus, initial="xyzzy")
    out = capsys.readouterr().out
    assert "no match for 'xyzzy'" in out
    text, unit = box.children[0].children
    unit.value = "lemma"
    text.value = "cadres"
    out = capsys.readouterr().out
    assert "searched as the lemmas: cadre" in out and "[Cadres]" in out
    plt.close("all")
