"""Rhetorical profile (analysis/rhetoric.py): toy texts counted by hand, counts against
the evidence rows, the voice split and the scope rules on toy sentences, rates and
bootstrap checked another way, recall against a hand computation, the dictionary file
and the precision and recall annotations."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from analysis import rhetoric as rh
from analysis.annotation import annotate


@pytest.fixture(scope="module")
def categories():
    return rh.load_categories()


@pytest.fixture(scope="module")
def annotated(sentence_table, token_table):
    return annotate(sentence_table, token_table)


@pytest.fixture(scope="module")
def scanned(sentence_table, categories, annotated):
    return rh.scan_matches(sentence_table, categories, annotated)


@pytest.fixture(scope="module")
def evidence(sentence_table, categories, annotated):
    return rh.find_matches(sentence_table, categories, annotated)


@pytest.fixture(scope="module")
def sent_words(annotated):
    return rh.sentence_words(annotated, "author")


@pytest.fixture(scope="module")
def rates(evidence, sent_words, categories):
    return rh.category_rates(rh.voice_evidence(evidence, "author"), sent_words, list(categories), n_boot=500, seed=7)


def toy_sentences(*texts: str, doc_id: str = "toy") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": doc_id, "sent_id": range(len(texts)), "para_id": 0, "text": list(texts)})


def toy_evidence(texts, categories, scan=False, **kw) -> pd.DataFrame:
    sents = toy_sentences(*texts, **kw)
    layer = annotate(sents, cache=False)
    return (rh.scan_matches if scan else rh.find_matches)(sents, categories, layer)


def counts_of(texts, categories, **kw) -> dict[str, int]:
    return toy_evidence(texts, categories, **kw).groupby("category").size().to_dict()


# ------------------------------------------------------------------ toy texts by hand

def test_real_dictionary_on_a_toy_sentence_counted_by_hand(categories):
    got = counts_of(["We must fight the hostile forces and their plots; the people must be served."], categories)
    # must, must | fight | "hostile forces", plots | their | We | the people
    assert got == {"obligation_directive": 2, "struggle_military": 1, "enemy_threat": 2,
                   "they_others": 1, "we_inclusive": 1, "the_people": 1}


def test_sentence_initial_imperatives_and_enumerators(categories):
    texts = ["Focus on unity.", "First, ensure consensus.", "One: Strengthen inspection.",
             "Two: Effectively implement votes.", "They focus on work."]
    ev = toy_evidence(texts, categories)
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
    ev = toy_evidence(["Regulation No. 377-QĐ/TW cites Uncle Hồ and President Hồ Chí Minh and Ho Chi Minh."],
                      categories)
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
    evidence = rh.voice_evidence(evidence, "author")
    from_evidence = evidence.groupby(["doc_id", "category"]).size()
    table = rates.set_index(["doc_id", "category"])["count"]
    assert table.sum() == len(evidence)
    assert (table[table > 0] == from_evidence.reindex(table[table > 0].index)).all()
    assert set(from_evidence.index) == set(table[table > 0].index)


def test_n_words_is_the_number_of_author_voice_words(rates, annotated):
    words = annotated[annotated["is_word"] & annotated["author_voice"]].groupby("doc_id").size()
    per_doc = rates.drop_duplicates("doc_id").set_index("doc_id")["n_words"]
    assert per_doc.sort_index().tolist() == words.sort_index().tolist()


def test_voice_split_sums_to_the_total(evidence, annotated, categories):
    split = rh.voice_split(evidence)
    assert (split["author"] + split["quoted"] == split["total"]).all()
    assert split["total"].sum() == len(evidence) and split["quoted"].sum() > 0
    quoted = rh.category_rates(rh.voice_evidence(evidence, "quoted"), rh.sentence_words(annotated, "quoted"),
                               list(categories), n_boot=200, seed=7)
    author = rh.category_rates(rh.voice_evidence(evidence, "author"), rh.sentence_words(annotated, "author"),
                               list(categories), n_boot=200, seed=7)
    assert quoted["count"].sum() + author["count"].sum() == len(evidence)
    words = {v: rh.sentence_words(annotated, v)["n_words"].sum() for v in rh.VOICES}
    assert words["author"] + words["quoted"] == words["all"]


def test_per_1k_arithmetic(rates):
    assert rh.per_thousand(3, 1500) == pytest.approx(2.0)
    assert rh.per_thousand(0, 10) == 0.0
    np.testing.assert_allclose(rates["per_1k"], 1000 * rates["count"] / rates["n_words"])
    with pytest.raises(ValueError, match="n_words"):
        rh.per_thousand(1, 0)


def test_bootstrap_is_deterministic_and_brackets_the_estimate(evidence, sent_words, categories, rates):
    evidence = rh.voice_evidence(evidence, "author")
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
    groups = rh.party_groups(corpus_all, "era")
    comments = set(corpus_all.loc[corpus_all["voice"] == "reader-comments", "doc_id"])
    assert comments and not comments & set(groups)      # comments never pooled into a group
    evidence = rh.voice_evidence(evidence, "author")
    pooled = rh.group_rates(evidence, sent_words, list(categories), groups, n_boot=200, seed=7)
    for era, part in rates[rates["doc_id"].isin(groups)].assign(era=lambda t: t["doc_id"].map(groups)).groupby("era"):
        sums = part.groupby("category")[["count", "n_words"]].sum()
        mine = pooled[pooled["group"] == era].set_index("category")
        np.testing.assert_allclose(mine.loc[sums.index, "per_1k"], 1000 * sums["count"] / sums["n_words"])
    order = rh.group_order(corpus_all, "era")
    assert order == list(dict.fromkeys(corpus_all.sort_values("date_start")["era"]))
    diff = rh.group_difference(pooled, order[0], order[-1])
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
    frozen = rh.read_dictionary(rh.paths.data_file("rhetoric_categories_1.1.0.yaml"))
    assert frozen["version"] == "1.1.0" and raw["version"] != frozen["version"]


def _toy_dict():
    raw = rh.read_dictionary()
    return copy.deepcopy(raw)


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["categories"]["unity_consensus"].pop("definition"), "unity_consensus.*definition"),
    (lambda d: d["categories"]["the_people"].update(rationale="  "), "the_people.*rationale"),
    (lambda d: d["categories"]["enemy_threat"]["patterns"]["regex"].append("(unclosed"), "enemy_threat.*not a regular expression"),
    (lambda d: d["categories"]["we_inclusive"]["patterns"].update(phrases=["x"]), "we_inclusive.*unknown pattern kind"),
    (lambda d: d["categories"]["they_others"].update(patterns={"words": []}), "they_others.*no patterns"),
    (lambda d: d["categories"]["malady_naming"]["patterns"]["regex"].append("x*"), "malady_naming.*empty string"),
    (lambda d: d.pop("version"), "version"),
    (lambda d: d["categories"]["the_people"]["scope"].update(not_inside="x"), "the_people.*not_inside"),
    (lambda d: d["categories"]["the_people"]["scope"].update(not_quoted=True), "the_people.*unknown scope"),
    (lambda d: d.pop("reporting"), "authority_invocation.*reporting"),
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
    # every category has < 100 matches, so every match is marked (not a sample)
    assert (evidence.groupby("category").size() < 100).all()
    assert len(annotations) == len(evidence) == len(annotations[rh.EVIDENCE_KEY].drop_duplicates())


def test_orphan_check_catches_a_dictionary_change(sentence_table, annotated):
    raw = _toy_dict()
    raw["categories"]["they_others"]["patterns"]["words"] = ["they"]      # drop them/their
    changed = rh.find_matches(sentence_table, rh.validate_categories(raw), annotated)
    assert len(rh.orphan_annotations(rh.read_annotations(), changed)) > 0


def test_recall_gold_has_no_orphans_and_records_the_whole_sample(sentence_table, corpus_all, evidence):
    gold = rh.read_recall()
    party = sentence_table[sentence_table["doc_id"].isin(corpus_all.loc[corpus_all["voice"] == "party-media", "doc_id"])]
    sample = rh.recall_sample(party, 60, 2025)
    assert set(zip(gold["doc_id"], gold["sent_id"])) == set(zip(sample["doc_id"], sample["sent_id"]))
    assert set(gold["category"]) - {""} <= set(rh.load_categories())
    table = rh.recall_table(gold, evidence, sample)
    assert table["n_gold"].sum() == (gold["category"] != "").sum()


# ------------------------------------------------------------------ scope rules and voice on toy sentences

def test_report_of_a_leaders_speech_is_not_authority_invocation(categories):
    ev = toy_evidence(["General Secretary Tran Van Binh stated that the plan is clear.",
                       "The General Secretary requested that cadres act.",
                       "General Secretary Tran Van Binh once said that cadres must serve.",
                       "Cadres follow Resolution 4 and the example of President Hồ Chí Minh."], categories, scan=True)
    auth = ev[ev["category"] == "authority_invocation"]
    assert list(zip(auth["sent_id"], auth["scope"])) == [(0, "not_reporting"), (1, "not_reporting"), (2, ""),
                                                         (3, ""), (3, "")]
    assert auth["match"].iloc[0] == "General Secretary Tran Van Binh"      # title and name: one match


def test_a_malady_name_is_not_an_appeal_to_the_people(categories):
    ev = toy_evidence(["The malady of alienation from the people is dangerous, so cadres must serve the people.",
                       "Cadres are detached from the masses and distance from the people grows."], categories, scan=True)
    people = ev[ev["category"] == "the_people"]
    assert list(zip(people["sent_id"], people["match"], people["scope"])) == [
        (0, "the people", "not_inside"), (0, "serve the people", ""), (1, "the masses", "not_inside"),
        (1, "the people", "not_inside")]
    kinds = ev[ev["category"].isin(["malady_naming", "medical_metaphor"])]
    assert list(zip(kinds["category"], kinds["match"])) == [("malady_naming", "malady")]


def test_matches_inside_a_quotation_go_to_the_quoted_voice(categories):
    ev = toy_evidence(["He said: “We must fight corruption and serve the people.”",
                       "We must act."], categories)
    first = ev[ev["sent_id"] == 0]
    assert len(first) == 5 and not first["author_voice"].any()          # We, must, fight, corruption, serve the people
    assert set(first["quote_source"]) == {"person"}
    second = ev[ev["sent_id"] == 1]
    assert second["author_voice"].all() and set(second["quote_source"]) == {""}


def test_token_offsets_and_spans_by_hand():
    offsets = rh.token_offsets("The Party’s “unity”.", ["The", "Party", "’s", "“", "unity", "”", "."])
    assert offsets == [(0, 3), (4, 9), (9, 11), (12, 13), (13, 18), (18, 19), (19, 20)]
    assert rh.tokens_of_span(13, 18, offsets) == [4]
    assert rh.tokens_of_span(4, 11, offsets) == [1, 2]
    with pytest.raises(ValueError, match="not found"):
        rh.token_offsets("abc", ["x"])


def test_version_comparison_by_hand():
    before = pd.DataFrame({"category": ["a", "a", "b"], "doc_id": ["d1", "d2", "d1"]})
    after = pd.DataFrame({"category": ["a", "c"], "doc_id": ["d1", "d2"]})
    got = rh.version_comparison(before, after, ["d1", "d2"]).set_index(["category", "doc_id"])
    assert got["before"].to_dict() == {("a", "d1"): 1, ("a", "d2"): 1, ("b", "d1"): 1, ("b", "d2"): 0,
                                       ("c", "d1"): 0, ("c", "d2"): 0}
    assert got.loc[("c", "d2"), "after"] == 1 and got.loc[("a", "d2"), "change"] == -1


# ------------------------------------------------------------------ recall

def test_recall_table_on_a_toy_equals_hand_computation():
    sample = pd.DataFrame({"doc_id": ["d", "d", "d"], "sent_id": [0, 1, 2], "text": ["", "", ""]})
    gold = pd.DataFrame({"doc_id": ["d"] * 5, "sent_id": [0, 0, 0, 1, 2],
                         "category": ["x", "x", "y", "x", ""], "match": ["the people", "must", "we", "should", ""],
                         "note": [""] * 5})
    found = pd.DataFrame({"doc_id": ["d"] * 4 + ["e"], "sent_id": [0, 0, 1, 2, 0], "category": ["x", "x", "y", "x", "x"],
                          "match": ["serve the people", "citizens", "our", "must", "must"], "start": [0, 20, 0, 0, 0]})
    # x: hand {the people, must, should}; code in sample {serve the people, citizens, must(sent 2)}:
    #    hit "the people"~"serve the people"; missed "must"(0), "should"(1); spurious "citizens"(0), "must"(2)
    # y: hand {we}; code {our (sent 1)}: missed 1, spurious 1. The row of doc e is outside the sample.
    table = rh.recall_table(gold, found, sample, ["x", "y"]).set_index("category")
    assert table.loc["x", ["n_gold", "n_found", "hits", "missed", "spurious"]].tolist() == [3, 3, 1, 2, 2]
    assert table.loc["x", "recall"] == pytest.approx(1 / 3) and table.loc["x", "precision"] == pytest.approx(1 / 3)
    assert table.loc["x", "recall_low"] == pytest.approx(rh.wilson_interval(1, 3)[0])
    assert table.loc["y", ["hits", "missed", "spurious"]].tolist() == [0, 1, 1]
    with pytest.raises(ValueError, match="without a gold row"):
        rh.recall_table(gold[gold["sent_id"] != 2], found, sample)


def test_recall_sample_is_stratified_and_deterministic(sentence_table):
    sizes = pd.Series({"a": 33, "b": 48, "c": 9})
    assert rh.stratum_sizes(sizes, 30).tolist() == [11, 16, 3]       # 11.0, 16.0, 3.0 exactly
    assert rh.stratum_sizes(pd.Series({"a": 5, "b": 5, "c": 1}), 4).tolist() == [2, 1, 1]  # quotas 1.82, 1.82, 0.36
    one = rh.recall_sample(sentence_table, 40, 3)
    assert one.equals(rh.recall_sample(sentence_table, 40, 3)) and len(one) == 40
    assert not one.equals(rh.recall_sample(sentence_table, 40, 4))
    assert one["doc_id"].nunique() == sentence_table["doc_id"].nunique()
    assert not one.duplicated(["doc_id", "sent_id"]).any()


def test_wilson_interval_against_scipy():
    for k, n in [(10, 15), (15, 15), (0, 7), (3, 20)]:
        ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert rh.wilson_interval(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)
    with pytest.raises(ValueError):
        rh.wilson_interval(3, 2)


# ------------------------------------------------------------------ helpers of the findings, any corpus

def _rates(rows) -> pd.DataFrame:
    """Rates from (doc_id, category, count, n_words) rows, interval +-1."""
    table = pd.DataFrame(rows, columns=["doc_id", "category", "count", "n_words"])
    table["per_1k"] = 1000 * table["count"] / table["n_words"]
    table["ci_low"], table["ci_high"] = table["per_1k"] - 1, table["per_1k"] + 1
    return table[rh.RATE_COLUMNS]


def test_every_document_keeps_a_row_for_a_text_without_words():
    rates = _rates([("a", "x", 2, 100), ("a", "y", 0, 100)])
    full = rh.every_document(rates, ["a", "b"], ["x", "y"])
    assert list(zip(full["doc_id"], full["category"])) == [("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")]
    b = full[full["doc_id"] == "b"]
    assert (b["count"] == 0).all() and (b["n_words"] == 0).all() and b["per_1k"].isna().all()
    assert full.loc[0, "per_1k"] == pytest.approx(20.0)


def test_findings_helpers_by_hand():
    rates = _rates([("a", "x", 2, 100), ("a", "y", 1, 100), ("a", "we", 9, 100),
                    ("b", "x", 1, 200), ("b", "y", 6, 200), ("b", "we", 0, 200),
                    ("c", "x", 0, 100), ("c", "y", 0, 100), ("c", "we", 1, 100)])
    top = rh.top_category(rates, ["a", "b", "c"], leave_out=("we",))
    assert list(zip(top["doc_id"], top["category"])) == [("a", "x"), ("b", "y"), ("c", "x")]   # c: tie -> first
    spread = rh.spread_between_texts(rates, ["a", "b", "c"]).set_index("category")
    # x: rates 20, 5, 0; y: 10, 30, 0; we: 90, 0, 10
    assert spread.loc["x", ["low", "high", "range"]].tolist() == pytest.approx([0, 20, 20])
    assert (spread.loc["x", "low_doc"], spread.loc["x", "high_doc"]) == ("c", "a")
    assert spread.loc["y", ["count", "top_count", "top_doc"]].tolist() == [7, 6, "b"]
    assert spread.loc["y", "top_share"] == pytest.approx(6 / 7)
    groups = {"a": "G1", "b": "G2", "c": "G1"}
    # x: G1 {20, 0} vs G2 {5}: overlap; y: G1 {10, 0} vs G2 {30}: separated; we: G1 {90, 10} vs G2 {0}
    assert rh.separated_categories(rates, groups, "G1", "G2", ["x", "y", "we"]) == ["y", "we"]


def test_referents_and_recorded_sample():
    marks = pd.DataFrame({"category": ["they_others"] * 4 + ["we_inclusive"],
                          "correct": [1, 1, 0, 1, 1],
                          "note": ["referent: cadres", "referent: critics", "referent: cadres", "referent: cadres",
                                   "referent: cadres"]})
    assert rh.referents(marks).to_dict() == {"cadres": 2, "critics": 1}
    sents = toy_sentences("One.", "Two.", "Three.", doc_id="d")
    gold = pd.DataFrame({"doc_id": ["d", "d", "d", "gone"], "sent_id": [2, 0, 2, 5], "category": ["", "x", "y", ""],
                         "match": ["", "a", "b", ""], "note": ""})
    sample, missing = rh.recorded_sample(gold, sents)
    assert list(sample["sent_id"]) == [0, 2] and missing == [("gone", 5)]


def test_shared_values_and_group_order_follow_the_metadata():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e"], "voice": ["party-media"] * 4 + ["reader-comments"],
                           "era": ["Zeta", "Zeta", "Alpha", "Alpha", "Alpha"],
                           "date_start": pd.to_datetime(["2001-01-01", "2002-01-01", "2003-01-01", "2004-01-01",
                                                         "2000-01-01"]),
                           "outlet": ["P", "Q", "Q", "R", "P"]})
    assert rh.group_order(corpus, "era") == ["Zeta", "Alpha"]            # by time, not by name; comments ignored
    assert rh.party_groups(corpus, "era") == {"a": "Zeta", "b": "Zeta", "c": "Alpha", "d": "Alpha"}
    assert rh.shared_values(corpus, "era", "Zeta", "Alpha", "outlet") == dict(first=2, second=2, shared=["Q"])


def test_group_rates_follow_the_given_order(evidence, sent_words, categories, corpus_all):
    groups = rh.party_groups(corpus_all, "era")
    order = rh.group_order(corpus_all, "era")[::-1]
    pooled = rh.group_rates(rh.voice_evidence(evidence, "author"), sent_words, list(categories), groups,
                            n_boot=100, seed=7, order=order)
    assert list(pd.unique(pooled["group"])) == order


def test_missing_annotation_is_said_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_CORPUS_DIR", str(tmp_path))
    assert not rh.annotation_path(rh.PRECISION_FILE).exists()
    message = rh.not_measured("precision", rh.PRECISION_FILE)
    assert message == ("no hand annotation of precision for this corpus "
                       "(expected `annotations/rhetoric_precision.csv`): not measured")
    assert str(tmp_path) not in message                                   # names no machine
