"""Social actors (analysis/actors.py): toy sentences with known actors run through the real
pipeline (tokens -> spaCy annotation -> mentions), the dictionary file and its errors, the
role join and profile counted by hand, tone shares against a hand computation, and the
precision annotations against the current code."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import actors as ac
from analysis.annotation import annotate
from analysis.rhetoric import wilson_interval

TOY = [
    "Hostile forces distort the Party's line.",                       # 0
    "The People's Council met.",                                       # 1
    "Cadres must serve the people.",                                   # 2
    "General Secretary To Lam said that officials must listen.",       # 3
    "Our Party leads the State.",                                      # 4
]


@pytest.fixture(scope="module")
def actors():
    return ac.load_actors()


@pytest.fixture(scope="module")
def toy_mentions(actors):
    sents = pd.DataFrame({"doc_id": "toy", "sent_id": range(len(TOY)), "para_id": range(len(TOY)), "text": TOY})
    annotated = annotate(sents, analysis.tokens(sents), cache=False)
    return ac.actor_mentions(annotated, actors), annotated


@pytest.fixture(scope="module")
def corpus_annotated():
    corpus = analysis.load_corpus()
    return annotate(analysis.sentences(corpus))


@pytest.fixture(scope="module")
def mentions(corpus_annotated, actors):
    return ac.actor_mentions(corpus_annotated, actors)


def found(toy, sent_id: int) -> list[tuple[str, str]]:
    m = toy[0]
    rows = m[m["sent_id"] == sent_id]
    return sorted(zip(rows["actor"], rows["text"]))


# ---------------------------------------------------------------------------- toy sentences

def test_hostile_forces_and_the_party(toy_mentions):
    assert found(toy_mentions, 0) == [("adversaries", "Hostile forces"), ("party", "the Party")]


def test_peoples_council_is_the_state_not_the_people(toy_mentions):
    assert found(toy_mentions, 1) == [("state", "The People's Council")]


def test_cadres_serve_the_people(toy_mentions):
    assert found(toy_mentions, 2) == [("cadres", "Cadres"), ("people", "the people")]


def test_named_leader_with_title(toy_mentions, mentions):
    # Out of context the small model tags "Lam" as an ORG, so the toy mention is the title;
    # in the corpus the name is a PERSON and the mention spans title and name.
    actors_found = dict((a, t) for a, t in found(toy_mentions, 3))
    assert actors_found["leaders"] == "General Secretary"
    assert actors_found["cadres"] == "officials"
    leaders = mentions[mentions["actor"] == "leaders"]
    assert (leaders["text"] == "General Secretary To Lam").sum() >= 2
    assert (leaders["pattern"].str.startswith("entity") & leaders["text"].str.contains("Nguyen Phu Trong")).any()


def test_possessive_we_is_its_own_mention(toy_mentions):
    assert found(toy_mentions, 4) == [("party", "Party"), ("state", "the State"), ("we", "Our")]


def test_head_position_lies_in_the_span_and_is_a_noun(toy_mentions):
    m, annotated = toy_mentions
    upos = annotated.set_index("position")["upos"]
    assert ((m["start"] <= m["head_position"]) & (m["head_position"] < m["end"])).all()
    assert set(upos[m["head_position"]]) <= {"NOUN", "PROPN", "PRON"}
    assert list(m.columns) == ac.MENTION_COLUMNS


def test_no_token_belongs_to_two_actors(mentions):
    for (_, _), part in mentions.groupby(["doc_id", "sent_id"]):
        tokens = [k for s, e in zip(part["start"], part["end"]) for k in range(s, e)]
        assert len(tokens) == len(set(tokens))


def test_mentions_are_deterministic(corpus_annotated, actors, mentions):
    pd.testing.assert_frame_equal(ac.actor_mentions(corpus_annotated, actors), mentions)


def test_actor_rates_count_the_mentions(mentions, corpus_annotated, actors):
    rates = ac.actor_rates(mentions, corpus_annotated, list(actors))
    assert rates["count"].sum() == len(mentions)
    row = rates.iloc[0]
    assert row["per_1k"] == pytest.approx(1000 * row["count"] / row["n_words"])


# ---------------------------------------------------------------------------- dictionary

def test_dictionary_loads_with_version_and_table(actors):
    assert ac.actors_version().count(".") == 2
    table = ac.actor_table(actors)
    assert {"party", "people", "cadres", "state", "adversaries", "leaders", "ho_chi_minh", "localities", "we"} <= set(table["actor"])
    assert (table["n_patterns"] > 0).all()


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["actors"]["party"].pop("definition"), r"actor 'party': missing or empty 'definition'"),
    (lambda d: d["actors"]["people"]["patterns"].append({"kind": "phrase", "lemma": ["x"]}), r"actor 'people'.*kind"),
    (lambda d: d["actors"]["state"]["patterns"].append({"kind": "entity", "name": "(unclosed"}), r"actor 'state'.*is not a regular expression"),
    (lambda d: d["actors"]["cadres"]["patterns"].append({"kind": "head", "with": ["party"]}), r"actor 'cadres'.*'lemma' or 'form'"),
    (lambda d: d["actors"]["we"]["patterns"].append({"kind": "head", "lemma": ["we"], "upos": ["VERB"]}), r"actor 'we'.*upos"),
    (lambda d: d["actors"]["leaders"]["patterns"].append({"kind": "head", "lemma": "secretary"}), r"actor 'leaders'.*list"),
    (lambda d: d["actors"]["adversaries"]["patterns"].append({"kind": "head", "lemma": ["x"], "wth": ["y"]}), r"actor 'adversaries'.*unknown key"),
    (lambda d: d["actors"]["party"].update(patterns=[]), r"actor 'party'.*non-empty list"),
    (lambda d: d.pop("version"), r"version"),
    (lambda d: d.pop("changelog"), r"changelog"),
])
def test_bad_dictionary_raises_naming_the_actor(mutate, message):
    raw = copy.deepcopy(ac.read_actor_file())
    mutate(raw)
    with pytest.raises(ac.ActorDictionaryError, match=message):
        ac.validate_actors(raw)


# ---------------------------------------------------------------------------- roles

def hand_mentions() -> pd.DataFrame:
    rows = [("d1", 0, "cadres", 3), ("d1", 0, "people", 6), ("d1", 1, "cadres", 10), ("d2", 0, "cadres", 2),
            ("d2", 0, "party", 5)]
    m = pd.DataFrame(rows, columns=["doc_id", "sent_id", "actor", "head_position"])
    return m.assign(start=m["head_position"], end=m["head_position"] + 1, text="x", author_voice=True, quote_source="")


def hand_roles() -> pd.DataFrame:
    rows = [("d1", 0, 3, "agent", "serve", "active", True), ("d1", 0, 6, "patient", "serve", "active", True),
            ("d1", 1, 10, "patient", "handle", "passive", False), ("d2", 0, 5, "agent", "lead", "active", False),
            ("d2", 0, 5, "agent", "direct", "active", False), ("d9", 0, 1, "agent", "go", "active", False)]
    return pd.DataFrame(rows, columns=ac.ROLE_COLUMNS)


def test_actor_roles_join_on_the_head_and_default_to_other():
    joined = ac.actor_roles(hand_mentions(), hand_roles())
    assert list(joined["role"]) == ["agent", "patient", "patient", "other", "agent", "agent"]
    assert list(joined["mention_id"]) == [0, 1, 2, 3, 4, 4]  # the party is the agent of two verbs
    other = joined[joined["role"] == "other"].iloc[0]
    assert (other["verb_lemma"], other["voice"], other["obligation"]) == ("", "", False)


def test_role_profile_counts_equal_the_rows_and_shares_by_hand():
    joined = ac.actor_roles(hand_mentions(), hand_roles())
    profile = ac.role_profile(joined, by="doc_id")
    assert profile["count"].sum() == len(joined)
    for (actor, doc), part in profile.groupby(["actor", "doc_id"]):
        assert part["count"].sum() == ((joined["actor"] == actor) & (joined["doc_id"] == doc)).sum()
    cadres_d1 = profile[(profile["actor"] == "cadres") & (profile["doc_id"] == "d1")].set_index("role")
    assert cadres_d1.loc["agent", "count"] == 1 and cadres_d1.loc["patient", "count"] == 1
    assert cadres_d1.loc["agent", "share"] == pytest.approx(0.5)
    assert (cadres_d1.loc["agent", "ci_low"], cadres_d1.loc["agent", "ci_high"]) == pytest.approx(wilson_interval(1, 2))
    assert set(ac.CORE_ROLES) <= set(cadres_d1.index)


def test_role_profile_groups_by_a_metadata_column():
    joined = ac.actor_roles(hand_mentions(), hand_roles())
    corpus = pd.DataFrame({"doc_id": ["d1", "d2"], "era": ["early", "late"]})
    profile = ac.role_profile(joined, by="era", corpus=corpus)
    assert profile[profile["era"] == "late"]["count"].sum() == 3
    with pytest.raises(ValueError, match="corpus="):
        ac.role_profile(joined, by="era")


def test_top_verbs_ranks_by_count_then_alphabetically():
    joined = ac.actor_roles(hand_mentions(), hand_roles())
    verbs = ac.top_verbs(joined, "agent", n=5)
    assert list(zip(verbs["actor"], verbs["verb_lemma"], verbs["rank"])) == [
        ("cadres", "serve", 1), ("party", "direct", 1), ("party", "lead", 2)]


# ---------------------------------------------------------------------------- tone

def test_actor_tone_equals_a_hand_computation():
    # cadres named in 5 sentences of d1 (one twice, one only inside a quotation, one unlabelled)
    m = pd.DataFrame({"doc_id": "d1", "actor": "cadres",
                      "sent_id": [0, 0, 1, 2, 3, 4, 5], "author_voice": [True, True, True, True, True, True, False]})
    labels = pd.DataFrame({"doc_id": "d1", "sent_id": [0, 1, 2, 3, 5],
                           "label": ["negative", "negative", "positive", "neutral", "positive"]})
    tone = ac.actor_tone(m, labels, by="doc_id", n_boot=1000, seed=3).iloc[0]
    # author's voice: sentences 0-4 (5 is quoted); 4 is unlabelled; of 0-3: 2 negative, 1 positive
    assert (tone["n_sentences"], tone["n_labelled"], tone["n_unlabelled"]) == (5, 4, 1)
    assert tone["share_negative"] == pytest.approx(2 / 4)
    assert tone["share_positive"] == pytest.approx(1 / 4)
    assert tone["neg_low"] <= tone["share_negative"] <= tone["neg_high"]
    assert tone["pos_low"] <= tone["share_positive"] <= tone["pos_high"]
    assert 0 <= tone["neg_low"] and tone["neg_high"] <= 1
    everything = ac.actor_tone(m, labels, author_voice_only=False, n_boot=1000, seed=3).iloc[0]
    assert (everything["n_sentences"], everything["share_positive"]) == (6, pytest.approx(2 / 5))
    again = ac.actor_tone(m, labels, by="doc_id", n_boot=1000, seed=3).iloc[0]
    assert again["neg_low"] == tone["neg_low"] and tone["label_source"] == "hand labels"


def test_actor_tone_on_the_corpus_with_the_hand_labels(mentions):
    from analysis.sentiment import read_labels

    tone = ac.actor_tone(mentions, read_labels(), n_boot=200)
    assert (tone["n_labelled"] + tone["n_unlabelled"] == tone["n_sentences"]).all()
    assert (tone["n_sentences"] <= mentions.groupby(["actor", "doc_id"]).size().reindex(
        pd.MultiIndex.from_frame(tone[["actor", "doc_id"]])).to_numpy()).all()


# ---------------------------------------------------------------------------- precision

def test_precision_file_matches_the_current_code(mentions):
    annotations = ac.read_actor_annotations()
    orphans = ac.orphan_actor_annotations(annotations, mentions)
    assert orphans.empty, f"stale rows: {orphans[ac.MENTION_KEY].to_dict('records')[:5]}"
    assert not annotations.duplicated(ac.MENTION_KEY).any()


def test_precision_file_reads_all_mentions_of_small_actors(mentions):
    annotations = ac.read_actor_annotations()
    counts = mentions.groupby("actor").size()
    read = annotations.groupby("actor").size()
    for actor, n in counts.items():
        assert read.get(actor, 0) == (n if n < 100 else 60), actor
    wrong = annotations[annotations["correct"] == 0]
    assert (wrong["note"].str.len() > 0).all()  # every error is explained


def test_actor_precision_by_hand():
    table = pd.DataFrame({"actor": ["a", "a", "a", "b"], "correct": [1, 0, 1, 1]})
    out = ac.actor_precision(table, ["a", "b", "c"]).set_index("actor")
    assert out.loc["a", "precision"] == pytest.approx(2 / 3)
    assert (out.loc["a", "ci_low"], out.loc["a", "ci_high"]) == pytest.approx(wilson_interval(2, 3))
    assert out.loc["c", "n"] == 0 and np.isnan(out.loc["c", "precision"])


def test_precision_sample_is_deterministic(mentions, corpus_annotated):
    a = ac.actor_precision_sample(mentions, corpus_annotated)
    b = ac.actor_precision_sample(mentions, corpus_annotated)
    pd.testing.assert_frame_equal(a, b)
    assert a["context"].str.contains(r"\[", regex=True).all()


def test_missing_annotation_is_said_not_measured():
    text = ac.not_measured("the actor matches", "actors_precision.csv")
    assert text == ("no hand annotation of the actor matches for this corpus "
                    "(expected `annotations/actors_precision.csv`): not measured")
    assert text.startswith(ac.missing_annotation("the actor matches", "actors_precision.csv"))


def test_proportion_phrase():
    assert ac.proportion_phrase(112, 130, 112 / 130, 0.79, 0.91, "assignments") == "112 of 130 assignments (0.86 [0.79, 0.91])"
    assert ac.proportion_phrase(0, 0, float("nan"), float("nan"), float("nan")) == "none read"
