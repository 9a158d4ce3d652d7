"""The annotation layer on toy sentences whose tags, entities and quotations are known by
hand, the model checked against Explosion's published figures, and the cache."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import sentences
from analysis.annotation import (annotate, entities, fold, load_pipeline, mark_fixed_phrases, pos_lemma,
                                 quotations)

# Explosion's published figures for en_core_web_sm 3.8.0 (meta/en_core_web_sm-3.8.0.json in
# the explosion/spacy-models repository): what the installed model must report.
PUBLISHED_3_8_0 = {"spacy_git_version": "5010fcbd3", "tag_acc": 0.972937262, "dep_uas": 0.9176955214,
                   "dep_las": 0.8991533598, "ents_p": 0.8429743795, "ents_r": 0.8436498397,
                   "ents_f": 0.8433119744, "sents_f": 0.9068156724, "token_acc": 0.9986194413}


def toy(*texts: str) -> pd.DataFrame:
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    return annotate(sentences(corpus), cache=False)


def row(table: pd.DataFrame, token: str, nth: int = 0) -> pd.Series:
    return table[table["token"] == token].iloc[nth]


# ------------------------------------------------------------------ the model


def test_model_is_the_checked_release_and_matches_published_accuracy():
    nlp = load_pipeline()
    meta = nlp.meta
    assert meta["version"] == "3.8.0"
    assert meta["spacy_git_version"] == PUBLISHED_3_8_0["spacy_git_version"]
    for key, value in PUBLISHED_3_8_0.items():
        if key != "spacy_git_version":
            assert meta["performance"][key] == pytest.approx(value, abs=1e-9), key
    accuracy = json.loads((Path(nlp.path) / "accuracy.json").read_text())
    for key in ("tag_acc", "dep_uas", "dep_las", "ents_f"):
        assert accuracy[key] == pytest.approx(PUBLISHED_3_8_0[key], abs=1e-9)


# ------------------------------------------------------------------ word class and lemma


def test_word_class_separates_a_verb_from_a_noun_of_the_same_spelling():
    t = toy("The cadres lead the people. The lead is heavy.")
    assert row(t, "lead", 0)["upos"] == "VERB" and row(t, "lead", 0)["term"] == "lead/VERB"
    assert row(t, "lead", 1)["upos"] == "NOUN" and row(t, "lead", 1)["term"] == "lead/NOUN"
    assert row(t, "cadres")["pos_lemma"] == "cadre"


@pytest.mark.parametrize("word,upos,lemma", [
    ("leading", "VERB", "lead"), ("leading", "ADJ", "leading"), ("disciplined", "VERB", "discipline"),
    ("masses", "NOUN", "masses"), ("maladies", "NOUN", "malady"), ("is", "AUX", "be"),
    ("hồ", "PROPN", "hồ"), ("89-qđ/tw", "NOUN", "89-qđ/tw"),
])
def test_pos_lemma_by_hand(word, upos, lemma):
    assert pos_lemma(word, upos) == lemma


def test_heads_and_relations_point_inside_the_document():
    t = toy("Hostile forces distort the truth.")
    verb = row(t, "distort")
    assert verb["dep"] == "ROOT" and verb["head"] == verb["position"]
    subject = row(t, "forces")
    assert subject["dep"] == "nsubj" and subject["head"] == verb["position"]
    assert row(t, "truth")["dep"] == "dobj"


# ------------------------------------------------------------------ entities


def test_fold_removes_vietnamese_diacritics():
    assert fold("Hồ Chí Minh") == "Ho Chi Minh"
    assert fold("Đảng  Cộng sản") == "Dang Cong san"


def test_every_name_of_a_person_gets_one_id():
    t = toy("President Hồ Chí Minh wrote many letters. Uncle Hồ loved the people. "
            "The people called him Uncle Ho.")
    ents = entities(t)
    people = ents[ents["ent_type"] == "PERSON"]
    assert set(people["entity"]) == {"Ho Chi Minh"}
    assert len(people) >= 2


def test_proper_nouns_before_a_place_noun_are_a_place():
    t = toy("The cadres of Ky Son district visited the villages.")
    assert row(t, "Ky")["ent_type"] == "GPE" and row(t, "Son")["entity"] == "Ky Son"
    assert row(t, "district")["ent_type"] == "" and row(t, "district")["is_content"]


def test_names_are_not_content_words():
    t = toy("General Secretary To Lam spoke to the cadres.")
    assert not row(t, "Lam")["is_content"]
    assert row(t, "Lam")["entity"] == "To Lam"
    assert row(t, "cadres")["is_content"]


# ------------------------------------------------------------------ fixed phrases


def test_fixed_phrases_are_marked_longest_first():
    lower = pd.Series("a number of cadres and a series of issues in addition to that".split())
    marked = mark_fixed_phrases(lower, ["a number of", "a series of", "in addition to", "in addition"])
    assert list(marked) == [True, True, True, False, False, True, True, True, False, True, True, True, False]


def test_number_in_a_number_of_is_not_content():
    t = toy("A number of cadres are corrupt. The number is large.")
    assert not row(t, "number", 0)["is_content"]
    assert row(t, "number", 1)["is_content"]


# ------------------------------------------------------------------ quotations


def test_quotation_spans_and_sources_by_hand():
    t = toy("According to them, “the Party is weak and divided.” "
            "President Hồ Chí Minh taught: “Cadres are the servants of the people.” "
            "Cadres must build “immunity” against it.")
    q = quotations(t)
    assert list(q["quote_source"]) == ["adversaries", "person", "term"]
    assert list(q["words"]) == [6, 7, 1]
    assert q["speaker"].iloc[1] == "Ho Chi Minh"
    assert not row(t, "weak")["author_voice"] and row(t, "weak")["in_quote"]
    assert row(t, "immunity")["author_voice"] and row(t, "immunity")["in_quote"]
    assert row(t, "must")["author_voice"] and not row(t, "must")["in_quote"]
    assert not row(t, "“")["in_quote"]  # the marks themselves are outside the span


def test_apostrophes_are_not_quotes_but_single_quotes_are():
    t = toy("The Party’s cadres named the malady ‘alienation from the people’ in the people’s words.")
    q = quotations(t)
    assert list(q["text"]) == ["alienation from the people"]
    assert list(q["quote_source"]) == ["term"]
    assert not row(t, "cadres")["in_quote"] and not row(t, "words")["in_quote"]


def test_a_quotation_left_open_closes_at_the_end_of_its_paragraph():
    t = toy("He said: “It harms unity. It causes suspicion.\nCadres must act now.")
    assert row(t, "suspicion")["in_quote"]
    assert not row(t, "act")["in_quote"]


def test_a_quotation_without_a_cue_takes_the_source_before_it_in_the_paragraph():
    t = toy("According to them, “the leaders are all corrupt and divided.” "
            "They add that “factions within the Party are purging one another.”")
    assert list(quotations(t)["quote_source"]) == ["adversaries", "adversaries"]


def test_a_song_and_a_saying_are_not_the_author():
    t = toy("Songs about him say: “Uncle cherished the elderly and the young children.” "
            "As the saying goes, “a drop of blood is thicker than water.”")
    assert list(quotations(t)["quote_source"]) == ["verse", "saying"]


# ------------------------------------------------------------------ the layer on the corpus


def test_corpus_annotation_keeps_every_token_and_is_cached(sentence_table, token_table, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_CACHE_DIR", str(tmp_path))
    first = annotate(sentence_table, token_table)
    assert len(first) == len(token_table)
    assert (first["token"].to_numpy() == token_table["token"].to_numpy()).all()
    assert len(list(tmp_path.glob("*.pkl"))) == sentence_table["doc_id"].nunique()
    again = annotate(sentence_table, token_table)
    pd.testing.assert_frame_equal(first, again)
    heads = first.groupby("doc_id")["head"].max() < first.groupby("doc_id")["position"].max() + 1
    assert heads.all()


def test_a_participle_before_a_noun_is_an_adjective():
    t = toy("The district resolved the pressing issues of the people.")
    assert row(t, "pressing")["upos"] == "ADJ" and row(t, "pressing")["term"] == "pressing/ADJ"
    assert row(t, "resolved")["term"] == "resolve/VERB"


def test_quantifiers_and_connectives_are_not_content():
    t = toy("However, many cadres are corrupt.")
    assert not row(t, "However")["is_content"] and not row(t, "many")["is_content"]
    assert row(t, "corrupt")["is_content"]


def test_a_name_at_the_start_of_a_sentence_is_whole():
    t = toy("Raxun Gamzatop once said: “One can take a person out of their homeland.”")
    assert row(t, "Raxun")["ent_type"] == "PERSON" and row(t, "Raxun")["entity"] == "Rasul Gamzatov"
