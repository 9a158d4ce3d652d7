"""Rhetorical profile (analysis/rhetoric.py): toy texts counted by hand, counts against
the evidence rows, rates and bootstrap checked another way, the dictionary file and the
precision annotations."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from analysis import rhetoric as rh


@pytest.fixture(scope="module")
def categories():
    return rh.load_categories()


@pytest.fixture(scope="module")
def evidence(sentence_table, categories):
    return rh.find_matches(sentence_table, categories)


@pytest.fixture(scope="module")
def sent_words(token_table):
    return rh.sentence_words(token_table)


@pytest.fixture(scope="module")
def rates(evidence, sent_words, categories):
    return rh.category_rates(evidence, sent_words, list(categories), n_boot=500, seed=7)


def toy_sentences(*texts: str, doc_id: str = "toy") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": doc_id, "sent_id": range(len(texts)), "para_id": 0, "text": list(texts)})


def counts_of(texts, categories, **kw) -> dict[str, int]:
    ev = rh.find_matches(toy_sentences(*texts, **kw), categories)
    return ev.groupby("category").size().to_dict()


# ------------------------------------------------------------------ toy texts by hand

def test_real_dictionary_on_a_toy_sentence_counted_by_hand(categories):
    got = counts_of(["We must fight the hostile forces and their plots; the people must be served."], categories)
    # must, must | fight | "hostile forces", plots | their | We | the people
    assert got == {"obligation_directive": 2, "struggle_military": 1, "enemy_threat": 2,
                   "they_others": 1, "we_inclusive": 1, "the_people": 1}


def test_sentence_initial_imperatives_and_enumerators(categories):
    texts = ["Focus on unity.", "First, ensure consensus.", "One: Strengthen inspection.",
             "Two: Effectively implement votes.", "They focus on work."]
    ev = rh.find_matches(toy_sentences(*texts), categories)
    directives = ev[ev["category"] == "obligation_directive"]
    assert list(directives["match"]) == ["Focus", "ensure", "Strengthen", "implement"]  # the verb, not the adverb
    assert (ev["category"] == "unity_consensus").sum() == 2


def test_word_boundaries_us_and_institution_names(categories):
    got = counts_of(["The US worries us.", "The People's Council met the people.",
                     "Units and disunity are not unity.", "Business thrives."], categories)
    assert got.get("we_inclusive") == 1          # "us", not "US", not inside "Business"
    assert got.get("the_people") == 1            # not "The People's Council"
    assert got.get("unity_consensus") == 1       # not "Units", not "disunity"


def test_authority_codes_and_diacritics(categories):
    ev = rh.find_matches(toy_sentences(
        "Regulation No. 377-QĐ/TW cites Uncle Hồ and President Hồ Chí Minh and Ho Chi Minh."), categories)
    auth = ev[ev["category"] == "authority_invocation"]
    assert list(auth["match"]) == ["Regulation No. 377-QĐ/TW", "Uncle Hồ", "Hồ Chí Minh", "Ho Chi Minh"]


def test_overlapping_matches_of_a_category_count_once():
    cats = rh.validate_categories({"version": "t", "categories": {"people": {
        "definition": "d", "rationale": "r",
        "patterns": {"words": ["the people", "serve the people"], "regex": ["people"]}}}})
    ev = rh.find_matches(toy_sentences("We serve the people and the people alone."), cats)
    assert list(ev["match"]) == ["serve the people", "the people"]


def test_glob_and_multiword_phrases():
    cats = rh.validate_categories({"version": "t", "categories": {"c": {
        "definition": "d", "rationale": "r", "patterns": {"words": ["purif*", "sword and shield"]}}}})
    ev = rh.find_matches(toy_sentences("Purifying, purify and purification; a sword  and\nshield; spurify."), cats)
    assert list(ev["match"].str.lower()) == ["purifying", "purify", "purification", "sword  and\nshield"]


def test_merge_spans_by_hand():
    assert rh.merge_spans([(5, 9, "b"), (0, 6, "a"), (9, 12, "c")]) == [(0, 9, "a"), (9, 12, "c")]


# ------------------------------------------------------------------ counts, rates, bootstrap

def test_counts_equal_evidence_rows(rates, evidence):
    from_evidence = evidence.groupby(["doc_id", "category"]).size()
    table = rates.set_index(["doc_id", "category"])["count"]
    assert table.sum() == len(evidence)
    assert (table[table > 0] == from_evidence.reindex(table[table > 0].index)).all()
    assert set(from_evidence.index) == set(table[table > 0].index)


def test_n_words_is_the_number_of_word_tokens(rates, token_table):
    words = token_table[token_table["is_word"]].groupby("doc_id").size()
    per_doc = rates.drop_duplicates("doc_id").set_index("doc_id")["n_words"]
    assert per_doc.sort_index().tolist() == words.sort_index().tolist()


def test_per_1k_arithmetic(rates):
    assert rh.per_thousand(3, 1500) == pytest.approx(2.0)
    assert rh.per_thousand(0, 10) == 0.0
    np.testing.assert_allclose(rates["per_1k"], 1000 * rates["count"] / rates["n_words"])
    with pytest.raises(ValueError, match="n_words"):
        rh.per_thousand(1, 0)


def test_bootstrap_is_deterministic_and_brackets_the_estimate(evidence, sent_words, categories, rates):
    again = rh.category_rates(evidence, sent_words, list(categories), n_boot=500, seed=7)
    pd.testing.assert_frame_equal(rates, again)
    other = rh.category_rates(evidence, sent_words, list(categories), n_boot=500, seed=8)
    assert not np.allclose(rates["ci_high"], other["ci_high"])   # the seed matters
    assert (rates["ci_low"] <= rates["per_1k"] + 1e-12).all()
    assert (rates["per_1k"] <= rates["ci_high"] + 1e-12).all()
    assert (rates.loc[rates["count"] > 2, "ci_high"] > rates.loc[rates["count"] > 2, "ci_low"]).all()


def test_bootstrap_against_a_plain_loop():
    counts = np.array([[1, 0], [0, 2], [3, 1]])
    words = np.array([10, 20, 30])
    fast = rh.bootstrap_rates(counts, words, 50, np.random.default_rng(1))
    rng = np.random.default_rng(1)
    idx = rng.integers(0, 3, size=(50, 3))
    slow = [[1000 * sum(counts[i, j] for i in row) / sum(words[i] for i in row) for j in range(2)] for row in idx]
    np.testing.assert_allclose(fast, slow)


def test_group_rates_pool_counts_and_words(evidence, sent_words, categories, corpus_all, rates):
    groups = rh.era_groups(corpus_all)
    assert "alienation-2025-comments" not in groups      # comments never pooled into an era
    pooled = rh.group_rates(evidence, sent_words, list(categories), groups, n_boot=200, seed=7)
    for era, part in rates[rates["doc_id"].isin(groups)].assign(era=lambda t: t["doc_id"].map(groups)).groupby("era"):
        sums = part.groupby("category")[["count", "n_words"]].sum()
        mine = pooled[pooled["group"] == era].set_index("category")
        np.testing.assert_allclose(mine.loc[sums.index, "per_1k"], 1000 * sums["count"] / sums["n_words"])
    diff = rh.group_difference(pooled, "Nguyen Phu Trong", "To Lam")
    assert (diff["ci_low"] <= diff["difference"] + 1e-12).all() and (diff["difference"] <= diff["ci_high"] + 1e-12).all()


# ------------------------------------------------------------------ structure

def test_quotes_skip_apostrophes_and_accept_both_styles():
    text = ("The Party’s “purify” and 'scare' words, citizens’ “immunity”, people's ‘Uncle Hồ’ "
            "and \"the right person, the right job\" isn’t a quote.")
    spans = [text[s:e] for s, e in rh.find_quotes(text)]
    assert spans == ["purify", "scare", "immunity", "Uncle Hồ", "the right person, the right job"]


def test_quoted_spans_classify_by_length_and_cross_sentences():
    sents = toy_sentences("He said: “It harms unity.", "It causes suspicion”.", "A “revolution” came.")
    q = rh.quoted_spans(sents)
    assert list(q["kind"]) == ["slogan_or_quotation", "scare_quote"]
    assert list(q["sent_id"]) == [0, 2]
    assert q["quote"].iloc[0] == "It harms unity. It causes suspicion"


def test_questions_enumerations_and_lengths():
    sents = toy_sentences("First, go.", "How can they not?", "She said: ‘where is it?’", "Two: stop now please.")
    qs = rh.questions(sents)
    assert list(zip(qs["sent_id"], qs["in_quote"])) == [(1, False), (2, True)]
    assert list(rh.enumerations(sents)["marker"]) == ["First,", "Two:"]
    words = pd.DataFrame({"doc_id": "toy", "sent_id": [0, 1, 2, 3], "n_words": [2, 4, 5, 4]})
    lengths = rh.sentence_lengths(words).iloc[0]
    assert (lengths["mean"], lengths["median"], lengths["max"]) == (3.75, 4.0, 5)


# ------------------------------------------------------------------ the dictionary file

def test_yaml_validates():
    raw = rh.read_dictionary()
    assert isinstance(raw["version"], str) and raw["changelog"][-1]["version"] == raw["version"]
    for name, spec in raw["categories"].items():
        assert spec["definition"].strip() and spec["rationale"].strip(), name
        assert any(spec["patterns"].get(k) for k in rh.PATTERN_KINDS), name
    cats = rh.load_categories()
    assert len(cats) >= 11 and {"we_inclusive", "they_others", "authority_invocation"} <= set(cats)


def _toy_dict():
    raw = rh.read_dictionary()
    return copy.deepcopy(raw)


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["categories"]["unity_consensus"].pop("definition"), "unity_consensus.*definition"),
    (lambda d: d["categories"]["the_people"].update(rationale="  "), "the_people.*rationale"),
    (lambda d: d["categories"]["enemy_threat"]["patterns"]["regex"].append("(unclosed"), "enemy_threat.*compile"),
    (lambda d: d["categories"]["we_inclusive"]["patterns"].update(phrases=["x"]), "we_inclusive.*unknown pattern kind"),
    (lambda d: d["categories"]["they_others"].update(patterns={"words": []}), "they_others.*no patterns"),
    (lambda d: d["categories"]["disease_medical"]["patterns"]["regex"].append("x*"), "disease_medical.*empty string"),
    (lambda d: d.pop("version"), "version"),
])
def test_bad_dictionary_raises_naming_the_category(mutate, message):
    raw = _toy_dict()
    mutate(raw)
    with pytest.raises(rh.RhetoricDictionaryError, match=message):
        rh.validate_categories(raw)


# ------------------------------------------------------------------ precision annotations

def test_every_annotation_still_matches_an_evidence_row(evidence):
    annotations = rh.read_annotations()
    orphans = rh.orphan_annotations(annotations, evidence)
    assert orphans.empty, f"re-mark these rows:\n{orphans[rh.EVIDENCE_KEY]}"
    assert set(annotations["category"]) == set(evidence["category"])


def test_orphan_check_catches_a_dictionary_change(sentence_table):
    raw = _toy_dict()
    raw["categories"]["they_others"]["patterns"]["words"] = ["they"]      # drop them/their
    changed = rh.find_matches(sentence_table, rh.validate_categories(raw))
    assert len(rh.orphan_annotations(rh.read_annotations(), changed)) > 0


def test_wilson_interval_against_scipy():
    for k, n in [(10, 15), (15, 15), (0, 7), (3, 20)]:
        ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert rh.wilson_interval(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)
    with pytest.raises(ValueError):
        rh.wilson_interval(3, 2)
