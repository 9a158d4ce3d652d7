"""Tests of analysis.sentiment_model: the evidence rule, leave-one-text-out, the model,
the misclassification correction, each against a hand count or another calculation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from analysis import sentiment as S
from analysis import sentiment_model as SM


def test_split_voice_removes_quotations_and_names():
    author, quoted = SM.split_voice('They said “an oppressive atmosphere spreads” and People\'s Voice agreed.')
    assert "oppressive" not in author and "oppressive atmosphere spreads" in quoted
    assert "People's" not in author and "Voice" not in author and author.startswith("They said")
    author, quoted = SM.split_voice('The Party warned "never again')   # unclosed quote runs to the end
    assert quoted == "never again" and author == "The warned"
    assert SM.split_voice("I think so.")[0] == "I think so."


def _rows(texts):
    return pd.DataFrame({"doc_id": [d for d, _ in texts], "sent_id": range(len(texts)), "text": [t for _, t in texts]})


def test_support_rule_counts_lines_and_texts_by_hand():
    changes = pd.DataFrame({"word": ["party", "parties", "malady"], "family": ["party", "party", "malady"],
                            "genre_valence": [0.0, 0.0, -2.0], "reason": ["x" * 12] * 3})
    rows = _rows([("a", "The party met."), ("a", "Both parties agreed."), ("b", "The Party said: “party”."),
                  ("b", "A malady."), ("b", "The malady spreads.")])
    support = SM.family_support(changes, rows, min_lines=3, min_texts=2).set_index("family")
    # party: lines in a (2) and b (1; the quoted "party" is not the author's) = 3 lines, 2 texts
    assert support.loc["party", ["lines", "texts"]].tolist() == [3, 2] and support.loc["party", "supported"]
    assert support.loc["malady", ["lines", "texts"]].tolist() == [2, 1] and not support.loc["malady", "supported"]
    assert SM.supported_changes(changes, rows, 3, 2) == {"party": 0.0, "parties": 0.0}
    # without text a, party has one line left: a LOTO fold leaving a out uses no change
    assert SM.supported_changes(changes, rows[rows["doc_id"] != "a"], 3, 2) == {}


def test_landis_koch_bands():
    assert [SM.landis_koch(k) for k in (-0.1, 0.0, 0.2, 0.21, 0.4, 0.41, 0.6, 0.61, 0.8, 0.81, 1.0)] == [
        "poor", "slight", "slight", "fair", "fair", "moderate", "moderate", "substantial", "substantial",
        "almost perfect", "almost perfect"]
    assert SM.landis_koch(float("nan")) == "undefined"


def test_corrected_shares_invert_a_known_confusion():
    # true shares 0.5, 0.3, 0.2; the instrument labels 80% right, the rest to the next class
    M = np.array([[0.8, 0.2, 0.0], [0.0, 0.8, 0.2], [0.2, 0.0, 0.8]])
    p = np.array([0.5, 0.3, 0.2])
    q = M.T @ p                                   # expected predicted shares, by hand: 0.44, 0.34, 0.22
    assert np.allclose(q, [0.44, 0.34, 0.22])
    assert np.allclose(SM.corrected_shares(q * 1000, M * 50), p)
    assert np.isnan(SM.corrected_shares([1, 1, 1], np.array([[1, 0, 0], [0, 0, 0], [0, 0, 1]]))).all()


def _toy_design(n_per_text=30, texts=("a", "b", "c", "d")):
    rng = np.random.default_rng(0)
    words = {"negative": "terrible bad awful failure", "neutral": "meeting held schedule report",
             "positive": "great good excellent success"}
    rows = []
    for doc in texts:
        for k in range(n_per_text):
            label = ("negative", "neutral", "positive")[k % 3]
            w = words[label].split()
            rows.append((doc, k, f"The {rng.choice(w)} and {rng.choice(w)} of the day.", label))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "text", "label"])


def test_leave_one_text_out_never_sees_the_text_it_scores(monkeypatch):
    rows = _toy_design()
    seen = []
    real = SM.design

    def spy(method, part, **kw):
        seen.append(set(part["doc_id"]))
        return real(method, part, **kw)

    monkeypatch.setattr(SM, "design", spy)
    pred, designs = SM.leave_one_text_out("vader_genre", rows, rows)
    assert set(designs) == {"all", "a", "b", "c", "d"}
    for doc in "abcd":
        assert (pred.loc[rows["doc_id"] == doc, "fold"] == doc).all()
        assert designs[doc].texts == tuple(t for t in "abcd" if t != doc)
    assert {"a", "b", "c", "d"} in seen and {"b", "c", "d"} in seen
    other = _toy_design(texts=("z",))                 # a text with no design rows: scored by "all"
    pz, _ = SM.leave_one_text_out("vader_genre", rows, other)
    assert (pz["fold"] == "all").all()


def test_model_learns_a_separable_toy_and_matches_sklearn_probabilities():
    from sklearn.linear_model import LogisticRegression

    rows = _toy_design()
    d = SM.design("model", rows, c_grid=(1.0,))
    pred = SM.predict(d, rows)
    assert cohen_kappa_score(rows["label"], pred["label"]) > 0.9
    X = SM.text_features(list(rows["text"]), d.changes)
    mean, scale = X.mean(0), X.std(0)
    scale[scale == 0] = 1
    ref = LogisticRegression(C=1.0, max_iter=10_000, class_weight="balanced").fit((X - mean) / scale, rows["label"])
    proba = ref.predict_proba((X - mean) / scale)
    cls = list(ref.classes_)
    assert np.allclose(pred["score"], proba[:, cls.index("positive")] - proba[:, cls.index("negative")], atol=1e-6)


def test_shipped_designs_are_what_the_design_labels_give():
    fitted = SM.fit_project_instruments()
    shipped = SM.shipped_instruments()
    for method in S.DESIGNED_METHODS:
        assert SM.designs_equal(fitted[method], shipped[method]), \
            f"{method}: analysis/data/sentiment_instruments.json is out of date; run python scripts/fit_sentiment.py"


def test_agreement_by_unit_matches_sklearn():
    rng = np.random.default_rng(3)
    true = rng.choice(list(S.LABELS), 60)
    pred = np.where(rng.random(60) < 0.6, true, rng.choice(list(S.LABELS), 60))
    units = {"first": np.arange(60) < 30, "all": np.ones(60, bool), "empty": np.zeros(60, bool)}
    table = S.agreement_by_unit(true, {"m": pred}, units, n_boot=200).set_index("unit")
    assert "empty" not in table.index
    assert table.loc["all", "kappa"] == pytest.approx(cohen_kappa_score(true, pred))
    assert table.loc["first", "kappa"] == pytest.approx(cohen_kappa_score(true[:30], pred[:30]))
    assert table.loc["all", "kappa_words"] == SM.landis_koch(table.loc["all", "kappa"])


def test_score_sentiment_default_is_the_shipped_model():
    out = S.score_sentiment(["The hostile forces spread false, distorted information.", "A meeting."])
    assert (out["method"] == S.DEFAULT_METHOD).all() and S.DEFAULT_METHOD in S.DESIGNED_METHODS
    assert out["score"].between(-1, 1).all() and set(out["label"]) <= set(S.LABELS)


def test_design_problem_says_when_texts_cannot_be_left_out():
    rows = _toy_design()
    assert SM.design_problem(rows) is None
    assert "1 text" in SM.design_problem(rows[rows["doc_id"] == "a"])
    assert "at least two" in SM.design_problem(rows.iloc[:0])
    one_label = rows.assign(label=np.where(rows["doc_id"] == "a", rows["label"], "neutral"))
    assert SM.design_problem(one_label) == "without a, the design part holds 1 label(s): a model needs at least two"
    with pytest.raises(ValueError, match="at least two"):
        SM.design("model", rows.assign(label="neutral"), c_grid=(1.0,))


def test_a_model_without_a_class_scores_it_as_impossible():
    rows = _toy_design()
    rows = rows[rows["label"] != "positive"]
    d = SM.design("model", rows, c_grid=(1.0,))
    pred = SM.predict(d, rows)
    assert set(pred["label"]) <= {"negative", "neutral"} and (pred["score"] <= 0).all()
