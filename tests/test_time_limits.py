"""Time bombs and bad input outside the corpus loader: very long sentences in
``analysis.sentiment`` and catastrophic user patterns in the rhetoric dictionary.
Times are compared with each other (ratios), never with an absolute budget, except the
refusal of a bad pattern, which must come within the probe time of
``analysis.patterns`` (well under 5 s)."""
from __future__ import annotations

import math
import time
import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import patterns
from analysis import rhetoric as rh
from analysis import sentiment as S

LEXICON_METHODS = ("vader", "afinn", "textblob")


def _words_of(sentence_table: pd.DataFrame) -> list[str]:
    """The corpus words without punctuation: a long text that is one "sentence"."""
    text = " ".join(sentence_table["text"])
    return "".join(c if c.isalnum() or c.isspace() else " " for c in text).split()


def _text(words: list[str], n: int) -> str:
    return " ".join((words * (n // len(words) + 1))[:n])


def _best_time(fn, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------- long sentences

@pytest.mark.parametrize("method", ["vader", S.DEFAULT_METHOD])
def test_a_sentence_of_100000_words_takes_linear_not_quadratic_time(sentence_table, method):
    words = _words_of(sentence_table)
    short, long = _text(words, 1_000), _text(words, 100_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        S.score_sentiment([short], method)                      # lexicons and model loaded before timing
        t_short = _best_time(lambda: S.score_sentiment([short], method), 5)
        t_long = _best_time(lambda: S.score_sentiment([long], method), 1)
    # 100 times the words: about 100 times the time if linear, 10,000 times if quadratic
    assert t_long / t_short < 1_000, f"{t_long:.2f} s vs {t_short:.4f} s"


def test_long_sentences_are_named_in_one_deterministic_warning():
    long = " ".join(["good"] * (S.MAX_SENTENCE_WORDS + 1))
    expected = (f"score_sentiment(method='vader'): 2 sentence(s) longer than {S.MAX_SENTENCE_WORDS} words were "
                f"scored in pieces of at most {S.MAX_SENTENCE_WORDS} words (MAX_SENTENCE_WORDS); check that the "
                "text was split into sentences (a text without punctuation is one sentence).")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = S.score_sentiment([long, "A short one.", long], "vader")
    assert [str(w.message) for w in caught] == [expected]
    assert list(out.columns) == ["text", "method", "score", "label"]
    assert out["text"].tolist() == [long, "A short one.", long]


def test_corpus_sentences_score_as_the_packages_do_and_without_warning(sentence_table):
    from afinn import Afinn
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = list(sentence_table["text"])
    assert max(len(t.split()) for t in texts) <= S.MAX_SENTENCE_WORDS   # the cap is above every real sentence
    reference = {"vader": [SentimentIntensityAnalyzer().polarity_scores(t)["compound"] for t in texts],
                 "afinn": [Afinn(language="en").score(t) for t in texts],
                 "textblob": [TextBlob(t).sentiment.polarity for t in texts]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in LEXICON_METHODS:
            assert S.score_sentiment(texts, method)["score"].tolist() == reference[method], method


def test_vader_pieces_are_combined_as_vader_sums_valences(monkeypatch):
    # good = 1.9 and bad = -2.5 in VADER's lexicon; no booster, negation or "but"; one "!"
    # adds 0.292 away from zero; compound = s / sqrt(s^2 + 15) (vaderSentiment normalize)
    monkeypatch.setattr(S, "MAX_SENTENCE_WORDS", 3)
    text = "good good good bad bad bad!"
    s = 3 * 1.9 + 3 * -2.5 - 0.292
    analyzer = S._vader_analyzer(False)
    assert S.sentence_pieces(text) == ["good good good", "bad bad bad!"]
    assert S.vader_compound(analyzer, text) == round(s / math.sqrt(s * s + 15), 4)
    # with no rule across the boundary, the pieces give VADER's own score of the whole
    assert S.vader_compound(analyzer, text) == analyzer.polarity_scores(text)["compound"]


def test_vader_pieces_saturate_like_vader_instead_of_averaging(monkeypatch):
    monkeypatch.setattr(S, "MAX_SENTENCE_WORDS", 1)
    analyzer = S._vader_analyzer(False)
    one = S.vader_compound(analyzer, "good")
    assert S.vader_compound(analyzer, "good good good good") == round(4 * 1.9 / math.sqrt((4 * 1.9) ** 2 + 15), 4) > one


def test_afinn_sum_does_not_change_when_a_sentence_is_split(sentence_table):
    from afinn import Afinn

    long = _text(_words_of(sentence_table), 5 * S.MAX_SENTENCE_WORDS + 17)
    assert len(S.sentence_pieces(long)) == 6
    with pytest.warns(UserWarning, match="1 sentence"):
        ours = S.score_sentiment([long], "afinn")["score"].iloc[0]
    assert ours == Afinn(language="en").score(long) != 0


def test_textblob_pieces_average_their_assessments(monkeypatch, sentence_table):
    from textblob import TextBlob

    long = _text(_words_of(sentence_table), 3 * S.MAX_SENTENCE_WORDS)
    assert S.textblob_polarity(long) == pytest.approx(TextBlob(long).sentiment.polarity, abs=1e-12)
    monkeypatch.setattr(S, "MAX_SENTENCE_WORDS", 2)
    # pieces "very good" (one assessment, good 0.7 x very 1.3) and "bad idea" (bad -0.7)
    good, bad = TextBlob("very good").sentiment.polarity, TextBlob("bad").sentiment.polarity
    assert good == pytest.approx(0.7 * 1.3) and bad == pytest.approx(-0.7)
    assert S.textblob_polarity("very good bad idea") == pytest.approx((good + bad) / 2)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("bad, message", [
    (pd.Series(["fine", np.nan]), r"1 item\(s\), at position\(s\) \[1\].*dropna\(\)"),
    (pd.Series(["fine", None]), r"dropna\(\) or \.fillna\(''\)"),
    (pd.Series([1.5, 2.0]), r"2 item\(s\).*not numbers or other objects"),
    (b"Good news.", r"not bytes; decode them first"),
    ([b"Good news."], r"decode bytes first"),
])
def test_bad_sentences_raise_saying_how_to_fix(bad, message):
    with pytest.raises(TypeError, match=message):
        S.score_sentiment(bad, "vader")


def test_unknown_method_names_the_methods():
    with pytest.raises(ValueError, match="unknown method 'VADER'; use one of " + ", ".join(S.METHODS)):
        S.score_sentiment(["x"], "VADER")


@pytest.mark.parametrize("method", S.METHODS)
def test_no_sentence_gives_an_empty_table_with_the_columns(method):
    out = S.score_sentiment([], method)
    assert list(out.columns) == ["text", "method", "score", "label"] and len(out) == 0
    assert out["score"].dtype == float


@pytest.mark.parametrize("method", S.METHODS)
def test_a_nul_byte_separates_words(method):
    out = S.score_sentiment(["a good\x00day", "a good day", "\x00"], method)
    assert out["score"].iloc[0] == out["score"].iloc[1]
    assert out["text"].iloc[0] == "a good\x00day"             # the text is returned as given
    assert np.isfinite(out["score"]).all()


def test_vader_would_glue_words_at_a_nul_byte():
    """Why NUL is read as a space: VADER splits on white space only."""
    analyzer = S._vader_analyzer(False)
    assert analyzer.polarity_scores("good\x00day")["compound"] == 0 < analyzer.polarity_scores("good day")["compound"]


@pytest.mark.parametrize("method", S.METHODS)
def test_decomposed_text_scores_as_composed(method):
    composed = "A naïve plan of Uncle Hồ."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    out = S.score_sentiment([composed, decomposed], method)
    assert out["score"].iloc[0] == out["score"].iloc[1]
    assert out["text"].iloc[1] == decomposed


def test_afinn_finds_its_accented_word_in_decomposed_text():
    from afinn import Afinn

    decomposed = unicodedata.normalize("NFD", "a naïve plan")
    assert Afinn(language="en").score(decomposed) == 0           # the package alone misses it
    assert S.score_sentiment([decomposed], "afinn")["score"].iloc[0] == S.lexicon("afinn")["naïve"] == -2


# ---------------------------------------------------------------- rhetoric dictionary

def _dictionary(tmp_path, kind: str, pattern: str):
    path = tmp_path / "categories.yaml"
    path.write_text(yaml.safe_dump({"version": "t", "categories": {"slogans": {
        "definition": "d", "rationale": "r", "patterns": {kind: [pattern]}}}}), encoding="utf-8")
    return path


def test_a_catastrophic_pattern_is_refused_quickly_naming_file_category_and_pattern(tmp_path):
    path = _dictionary(tmp_path, "regex", "(a|aa)+$")
    start = time.perf_counter()
    with pytest.raises(rh.RhetoricDictionaryError) as err:
        rh.load_categories(path)
    assert time.perf_counter() - start < 5
    message = str(err.value)
    assert message.startswith(f"{path}: category 'slogans', regex pattern '(a|aa)+$'")
    assert "Nested quantifiers" in message


def test_a_pattern_that_explodes_on_one_sentence_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(patterns, "PATTERN_TIMEOUT", 0.2)
    path = _dictionary(tmp_path, "regex", "(x|xx)+y")                 # passes the probe lines
    categories = rh.load_categories(path)
    fine = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "text": ["xxy and xy"]})
    assert list(rh.find_matches(fine, categories)["match"]) == ["xxy", "xy"]
    bomb = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "text": ["x" * 60]})
    start = time.perf_counter()
    with pytest.raises(rh.RhetoricDictionaryError, match=r"category 'slogans', regex pattern '\(x\|xx\)\+y'.*"
                                                         r"took more than 0.2 s on one string of 60 characters"):
        rh.find_matches(bomb, categories)
    assert time.perf_counter() - start < 20 * 0.2


@pytest.mark.parametrize("kind, pattern", [("regex", "x*"), ("regex", "(?:)"), ("scope", "y?")])
def test_a_pattern_matching_the_empty_string_is_refused(tmp_path, kind, pattern):
    if kind == "scope":
        path = tmp_path / "categories.yaml"
        path.write_text(yaml.safe_dump({"version": "t", "categories": {"slogans": {
            "definition": "d", "rationale": "r", "patterns": {"words": ["slogan"]},
            "scope": {"not_inside": [pattern]}}}}), encoding="utf-8")
        named = f"scope.not_inside pattern {pattern!r}"
    else:
        path, named = _dictionary(tmp_path, kind, pattern), f"regex pattern {pattern!r}"
    with pytest.raises(rh.RhetoricDictionaryError, match="matches the empty string") as err:
        rh.load_categories(path)
    assert str(err.value).startswith(f"{path}: category 'slogans', {named}")


def test_other_dictionary_errors_name_the_file(tmp_path):
    path = tmp_path / "categories.yaml"
    path.write_text(yaml.safe_dump({"version": "t", "categories": {"slogans": {"rationale": "r",
                                                                               "patterns": {"words": ["x"]}}}}),
                    encoding="utf-8")
    with pytest.raises(rh.RhetoricDictionaryError, match="definition") as err:
        rh.load_categories(path)
    assert str(err.value).startswith(f"{path}: category 'slogans'")


def test_sentence_initial_group_m_still_gives_the_phrase():
    categories = rh.validate_categories({"version": "t", "categories": {"c": {
        "definition": "d", "rationale": "r", "patterns": {"sentence_initial": ["resolutely"]}}}})
    sents = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 1],
                          "text": ["First, Resolutely fight.", "We resolutely fight."]})
    ev = rh.find_matches(sents, categories)
    assert list(zip(ev["sent_id"], ev["match"], ev["start"])) == [(0, "Resolutely", 7)]


# ---------------------------------------------------------------- category_rates in one pass

def _category_rates_one_scan_per_text(evidence, sent_words, categories, n_boot=2000, seed=2025, level=0.95):
    """The implementation before the single groupby (one scan of the table per text)."""
    table = rh.sentence_counts(evidence, sent_words, categories)
    tail = 100 * (1 - level) / 2
    rows = []
    for doc_id in pd.unique(table["doc_id"]):
        part = table[table["doc_id"] == doc_id]
        counts, words = part[categories].to_numpy(), part["n_words"].to_numpy()
        if words.sum() == 0:
            continue
        boot = rh.bootstrap_rates(counts, words, n_boot, np.random.default_rng(rh.doc_seed(seed, doc_id)))
        low, high = np.nanpercentile(boot, [tail, 100 - tail], axis=0)
        total = counts.sum(axis=0)
        rate = rh.per_thousand(total, words.sum())
        for j, cat in enumerate(categories):
            rows.append((doc_id, cat, int(total[j]), int(words.sum()), rate[j], low[j], high[j]))
    return pd.DataFrame(rows, columns=rh.RATE_COLUMNS)


@pytest.mark.parametrize("voice", ["all", "quoted"])
def test_category_rates_equal_the_one_scan_per_text_implementation(sentence_table, token_table, voice):
    from analysis.annotation import annotate

    categories = rh.load_categories()
    annotated = annotate(sentence_table, token_table)
    evidence = rh.voice_evidence(rh.find_matches(sentence_table, categories, annotated), voice)
    words = rh.sentence_words(annotated, voice)
    ours = rh.category_rates(evidence, words, list(categories), n_boot=200)
    pd.testing.assert_frame_equal(ours, _category_rates_one_scan_per_text(evidence, words, list(categories), 200))
    assert len(ours) > 0
