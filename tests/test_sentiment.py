"""Tests of analysis.sentiment: every measure against an independent calculation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score

from analysis import load_corpus, sentences
from analysis import sentiment as S

LABELS = list(S.LABELS)


# ---------------------------------------------------------------- agreement measures

# A toy confusion matrix worked by hand (rows true, columns predicted: neg, neu, pos):
#   true neg: 4 2 0    true neu: 1 3 1    true pos: 0 1 8      n = 20
# accuracy = (4 + 3 + 8) / 20 = 0.75
# F1 neg = 2*4 / (2*4 + 1 + 2) = 8/11; F1 neu = 6 / (6 + 3 + 2) = 6/11; F1 pos = 16 / (16 + 1 + 1) = 8/9
# p_e = (6*5 + 5*6 + 9*9) / 400 = 141/400; kappa = (0.75 - 0.3525) / (1 - 0.3525) = 0.3975 / 0.6475
TOY = np.array([[4, 2, 0], [1, 3, 1], [0, 1, 8]])


def toy_labels():
    true, pred = [], []
    for i, row in enumerate(TOY):
        for j, n in enumerate(row):
            true += [LABELS[i]] * n
            pred += [LABELS[j]] * n
    return true, pred


def test_confusion_matrix_rebuilds_the_toy():
    true, pred = toy_labels()
    assert (S.confusion_matrix(true, pred) == TOY).all()


def test_measures_match_the_hand_worked_toy():
    assert S.accuracy(TOY) == pytest.approx(0.75)
    assert S.macro_f1(TOY) == pytest.approx((8 / 11 + 6 / 11 + 8 / 9) / 3)
    assert S.cohen_kappa(TOY) == pytest.approx(0.3975 / 0.6475)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_measures_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    true = rng.choice(LABELS, 60)
    pred = np.where(rng.random(60) < 0.6, true, rng.choice(LABELS, 60))
    cm = S.confusion_matrix(true, pred)
    assert S.accuracy(cm) == pytest.approx(accuracy_score(true, pred))
    assert S.macro_f1(cm) == pytest.approx(f1_score(true, pred, labels=LABELS, average="macro", zero_division=0))
    assert S.cohen_kappa(cm) == pytest.approx(cohen_kappa_score(true, pred, labels=LABELS))


def test_macro_f1_counts_an_unseen_class_as_zero_like_sklearn():
    true, pred = ["negative", "positive", "positive"], ["negative", "positive", "negative"]
    cm = S.confusion_matrix(true, pred)
    assert S.macro_f1(cm) == pytest.approx(f1_score(true, pred, labels=LABELS, average="macro", zero_division=0))


def test_kappa_is_nan_when_chance_agreement_is_total():
    assert np.isnan(S.cohen_kappa(np.array([[5, 0, 0], [0, 0, 0], [0, 0, 0]])))


def test_bootstrap_interval_brackets_the_estimate_and_is_deterministic():
    true, pred = toy_labels()
    a = S.agreement(true, pred, n_boot=500, seed=7)
    b = S.agreement(true, pred, n_boot=500, seed=7)
    assert a == b
    for m in ("accuracy", "macro_f1", "kappa"):
        assert a[f"{m}_low"] <= a[m] <= a[f"{m}_high"]
    assert a["kappa"] == pytest.approx(0.3975 / 0.6475)
    assert S.agreement(true, pred, n_boot=500, seed=8)["kappa_low"] != a["kappa_low"]


def test_bootstrap_stack_agrees_with_a_plain_loop():
    true, pred = toy_labels()
    idx = S.bootstrap_indices(len(true), 50, 3)
    t, p = np.array(true), np.array(pred)
    loop = [cohen_kappa_score(t[i], p[i], labels=LABELS) for i in idx]
    a = S.agreement(true, pred, n_boot=50, seed=3, level=0.5)
    assert a["kappa_low"] == pytest.approx(np.percentile(loop, 25))
    assert a["kappa_high"] == pytest.approx(np.percentile(loop, 75))


def test_mean_and_difference_intervals():
    values = [0, 0, 1, 1, 1]
    mean, low, high = S.mean_interval(values, n_boot=300, seed=1)
    assert mean == pytest.approx(0.6) and low <= mean <= high
    assert S.mean_interval(values, n_boot=300, seed=1) == (mean, low, high)
    diff, low, high = S.difference_interval([1, 1, 1], [0, 0, 0], n_boot=100, seed=1)
    assert (diff, low, high) == (1.0, 1.0, 1.0)


def test_threshold_grid_uses_label_scores():
    grid = S.threshold_grid([0.9, 0.2, -0.9], ["positive", "neutral", "negative"], [0.1, 0.5])
    assert grid["accuracy"].tolist() == pytest.approx([2 / 3, 1.0])


# ---------------------------------------------------------------- instruments

def test_score_sentiment_returns_one_row_per_sentence_with_valid_labels():
    texts = ["The Party is great.", "Corruption is a dangerous disease.", "The conference was held in Hanoi."]
    for method in S.METHODS:
        out = S.score_sentiment(texts, method)
        assert list(out.columns) == ["text", "method", "score", "label"]
        assert out["text"].tolist() == texts
        assert set(out["label"]) <= set(LABELS)
        assert out["score"].dtype == float
    assert (S.score_sentiment(pd.Series(texts))["method"] == S.DEFAULT_METHOD).all()
    assert S.score_sentiment([], "vader").empty


@pytest.mark.parametrize("bad, message", [
    ("one sentence", "not one string"),
    (pd.DataFrame({"text": ["a"]}), "table"),
    (["fine", None], "not strings"),
    (42, "list or Series"),
])
def test_score_sentiment_rejects_bad_input(bad, message):
    with pytest.raises(TypeError, match=message):
        S.score_sentiment(bad)


def test_score_sentiment_rejects_unknown_method():
    with pytest.raises(ValueError, match="unknown method 'nltk'"):
        S.score_sentiment(["x"], method="nltk")


def test_vader_wrapper_equals_the_reference_implementation():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    reference = SentimentIntensityAnalyzer()
    texts = ["The Party is great!", "Corruption is NOT good, but reform is very welcome.",
             "Resolutely fight against poisonous information.", "Uncle Hồ cherished the people :)"]
    ours = S.score_sentiment(texts, "vader")
    expected = [reference.polarity_scores(t)["compound"] for t in texts]
    assert ours["score"].tolist() == expected
    assert ours["label"].tolist() == ["positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral" for c in expected]


def test_afinn_wrapper_equals_the_package():
    from afinn import Afinn

    texts = ["good and bad", "a terrible, horrible day", "nothing here"]
    assert S.score_sentiment(texts, "afinn")["score"].tolist() == [Afinn().score(t) for t in texts]


def test_labels_follow_the_thresholds():
    assert S.label_scores([0.05, 0.049, -0.05, -0.049], 0.05).tolist() == ["positive", "neutral", "negative", "neutral"]


def test_genre_changes_in_use_move_their_words_in_the_documented_direction():
    changes = S.genre_lexicon_changes()
    plain, genre = S.lexicon("vader"), S.lexicon("vader_genre")
    used = changes[changes["used"]]
    assert len(used) > 0 and (~changes["used"]).any()
    for word, new in zip(used["word"], used["genre_valence"]):
        if new == 0:
            assert word not in genre
        else:
            assert genre[word] == new
    for word in changes.loc[~changes["used"], "word"]:       # unsupported changes leave VADER's value
        assert genre.get(word) == plain.get(word)
    # the targeted words change scores of single-word sentences in the stated direction
    one = lambda w, m: S.score_sentiment([w], m)["score"].iloc[0]  # noqa: E731
    assert one("party", "vader") > 0 and one("party", "vader_genre") == 0
    assert one("fight", "vader") < 0 and one("fight", "vader_genre") == 0
    assert one("disease", "vader") == 0 and one("disease", "vader_genre") < 0
    # and the plain analyzer is left untouched
    assert plain["party"] == 1.7


def test_genre_lexicon_words_are_unique_and_lower_case():
    changes = S.genre_lexicon_changes()
    assert changes["word"].is_unique and (changes["word"] == changes["word"].str.lower()).all()
    assert changes["reason"].str.len().gt(10).all()
    assert "impartiality" not in set(changes["word"])     # set negative for one mistranslated sentence: removed


# ---------------------------------------------------------------- hand labels

@pytest.fixture(scope="module")
def corpus_sentences():
    return sentences(load_corpus(include_comments=True))


def test_hand_labels_match_the_current_sentence_table(corpus_sentences):
    labels = S.read_labels()
    S.check_labels_match(labels, corpus_sentences)
    assert len(labels) == len(corpus_sentences)


def test_a_changed_sentence_is_caught(corpus_sentences):
    labels = S.read_labels()
    labels.loc[3, "text"] = labels.loc[3, "text"] + " (edited)"
    with pytest.raises(ValueError, match="differ"):
        S.check_labels_match(labels, corpus_sentences)


def test_texts_without_labels_are_allowed_and_named(corpus_sentences):
    labels = S.read_labels()
    first = labels["doc_id"].iloc[0]
    fewer = labels[labels["doc_id"] != first]
    S.check_labels_match(fewer, corpus_sentences)          # no error: the text is unlabelled, not stale
    assert S.unlabelled_texts(fewer, corpus_sentences) == [first]
    partly = labels.drop(index=labels.index[0])             # a labelled text missing one sentence is stale
    with pytest.raises(ValueError, match="differ"):
        S.check_labels_match(partly, corpus_sentences)


def test_new_labels_get_a_hash_split_that_never_moves_old_ones(tmp_path, monkeypatch):
    labels = S.read_labels()
    assert S.assign_split("d", "A sentence.") == S.assign_split("d", "A sentence.")
    draws = [S.assign_split("d", f"sentence {k}") for k in range(2000)]
    assert abs(draws.count("held-back") / 2000 - S.HELD_BACK_SHARE) < 0.04
    extra = pd.DataFrame({"doc_id": ["new-text"] * 3, "sent_id": [0, 1, 2], "text": ["One.", "Two.", "Three."],
                          "label": ["neutral"] * 3, "note": "", "split": ""})
    folder = tmp_path / "annotations"
    folder.mkdir()
    pd.concat([labels, extra]).to_csv(folder / S.LABELS_FILE, index=False)
    monkeypatch.setattr(S.paths, "annotations_dir", lambda: folder)
    grown = S.read_labels()
    assert (grown["split"].iloc[: len(labels)].to_numpy() == labels["split"].to_numpy()).all()
    assert grown["split"].iloc[len(labels):].tolist() == [S.assign_split("new-text", t) for t in extra["text"]]


def test_stored_split_is_what_the_function_gives():
    labels = S.read_labels()
    assert (S.stratified_split(labels, held_back=0.4, seed=2025) == labels["split"]).all()
    counts = labels.groupby(["doc_id", "label"])["split"].apply(lambda s: (s == "held-back").sum())
    sizes = labels.groupby(["doc_id", "label"]).size()
    assert (counts == np.floor(0.4 * sizes + 0.5)).all()


# ---------------------------------------------------------------- summaries

def test_summaries_and_arc_on_a_toy_table():
    scored = pd.DataFrame({"doc_id": ["a"] * 3 + ["b"] * 2, "sent_id": [0, 1, 2, 0, 1],
                           "score": [1.0, 0.0, -1.0, 0.5, 0.5],
                           "label": ["positive", "neutral", "negative", "positive", "positive"]})
    summary = S.summarize_groups(scored, "doc_id", n_boot=200, seed=0).set_index("doc_id")
    assert summary.loc["a", "mean_score"] == pytest.approx(0.0)
    assert summary.loc["a", "share_negative"] == pytest.approx(1 / 3)
    assert summary.loc["b", "share_positive"] == 1.0
    arc = S.sentiment_arc(scored, window=3)
    assert arc["relative_position"].tolist() == [0.0, 0.5, 1.0, 0.0, 1.0]
    assert arc["rolling_mean"].tolist() == pytest.approx([0.5, 0.0, -0.5, 0.5, 0.5])


def test_word_contributions_count_by_hand():
    toks = pd.DataFrame({"doc_id": ["a"] * 4, "lower": ["good", "good", "bad", "the"], "is_word": [True] * 4})
    out = S.word_contributions(toks, "vader").set_index("word")
    lex = S.lexicon("vader")
    assert out.loc["good", "count"] == 2 and out.loc["good", "contribution"] == pytest.approx(2 * lex["good"])
    assert out.loc["bad", "contribution"] == pytest.approx(lex["bad"])
    assert "the" not in out.index





def test_a_corpus_without_labels_reads_an_empty_table(tmp_path, monkeypatch):
    monkeypatch.setattr(S.paths, "annotations_dir", lambda: tmp_path / "annotations")
    with pytest.raises(FileNotFoundError, match="no hand labels"):
        S.read_labels()
    empty = S.read_labels(missing_ok=True)
    assert empty.empty and list(empty.columns) == S.LABEL_COLUMNS
    sents = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "text": ["One."]})
    S.check_labels_match(empty, sents)
    assert S.unlabelled_texts(empty, sents) == ["a"]


def test_agreement_by_unit_can_keep_a_unit_without_sentences():
    true = np.array(["negative", "neutral", "positive", "positive"])
    units = {"some": np.array([True, True, True, False]), "none": np.zeros(4, bool)}
    kept = S.agreement_by_unit(true, {"m": true}, units, n_boot=20, keep_empty=True).set_index("unit")
    assert list(kept.columns) == S.AGREEMENT_COLUMNS[:1] + S.AGREEMENT_COLUMNS[2:]
    assert kept.loc["none", "n"] == 0 and np.isnan(kept.loc["none", "kappa"]) and kept.loc["none", "kappa_words"] == "not measured"
    assert kept.loc["some", "kappa"] == pytest.approx(1.0)
    assert list(S.agreement_by_unit(true, {"m": true}, units, n_boot=20)["unit"]) == ["some"]
