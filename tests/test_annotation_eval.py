"""The evaluation of the annotation layer: scores counted by hand on toy tables, the
notebook's helpers for a corpus without (some) gold files, and the gold files checked
against the current tokens (a tokenizer change must be caught)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import annotation_eval as ev
from analysis.vocabulary import detokenize


def spans(*rows, label="type"):
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", label])


# ------------------------------------------------------------------ toy scores

GOLD = spans(("d", 0, 2, "PERSON"), ("d", 5, 6, "GPE"), ("d", 8, 11, "ORG"), ("e", 0, 1, "ORG"))
PRED = spans(("d", 0, 2, "PERSON"),   # exact, right type
             ("d", 5, 6, "PERSON"),   # exact span, wrong type
             ("d", 9, 11, "ORG"),     # overlaps gold 8-11, same type
             ("d", 20, 21, "ORG"),    # spurious
             ("e", 1, 2, "ORG"))      # beside gold e 0-1: no overlap


def test_exact_untyped():
    s = ev.span_scores(GOLD, PRED, "exact", typed=False)
    # exact spans shared: d0-2, d5-6 -> 2 of 5 predicted, 2 of 4 gold
    assert (s["correct_predicted"], s["gold_found"]) == (2, 2)
    assert s["precision"] == pytest.approx(2 / 5) and s["recall"] == pytest.approx(2 / 4)
    assert s["f1"] == pytest.approx(2 * 0.4 * 0.5 / 0.9)


def test_exact_typed():
    s = ev.span_scores(GOLD, PRED, "exact", typed=True)
    assert s["precision"] == pytest.approx(1 / 5) and s["recall"] == pytest.approx(1 / 4)


def test_partial_untyped_and_typed():
    s = ev.span_scores(GOLD, PRED, "partial", typed=False)
    # predicted overlapping gold: d0-2, d5-6, d9-11 -> 3/5; gold overlapped: d0-2, d5-6, d8-11 -> 3/4
    assert s["precision"] == pytest.approx(3 / 5) and s["recall"] == pytest.approx(3 / 4)
    t = ev.span_scores(GOLD, PRED, "partial", typed=True)
    assert t["precision"] == pytest.approx(2 / 5) and t["recall"] == pytest.approx(2 / 4)


def test_empty_prediction_gives_zero_recall_and_nan_precision():
    s = ev.span_scores(GOLD, PRED.iloc[0:0], "exact")
    assert s["recall"] == 0 and math.isnan(s["precision"])


def test_wilson_interval_known_values():
    lo, hi = ev.wilson_interval(8, 10)  # textbook value: 0.490 to 0.943
    assert lo == pytest.approx(0.4902, abs=1e-3) and hi == pytest.approx(0.9433, abs=1e-3)
    assert all(math.isnan(x) for x in ev.wilson_interval(0, 0))
    lo, hi = ev.wilson_interval(10, 10)
    assert hi == pytest.approx(1.0) and 0.69 < lo < 0.73


def test_allocate_is_proportional_and_sums():
    out = ev.allocate(pd.Series({"a": 50, "b": 30, "c": 20}), 7)
    assert out.sum() == 7 and list(out) == [4, 2, 1]  # quotas 3.5, 2.1, 1.4: one more to a


def toy_annotated():
    rows = []
    toks = ["Mr", "Nam", "met", "Lan", "in", "Hanoi", "."]
    upos = ["PROPN", "PROPN", "VERB", "PROPN", "ADP", "PROPN", "PUNCT"]
    ents = [("", ""), ("B", "PERSON"), ("", ""), ("B", "GPE"), ("", ""), ("B", "GPE"), ("", "")]
    names = ["", "Nam", "", "Lan", "", "Hanoi", ""]
    for k, (t, u, (iob, ty), n) in enumerate(zip(toks, upos, ents, names)):
        rows.append({"doc_id": "d", "position": k, "token": t, "upos": u, "ent_iob": iob, "ent_type": ty,
                     "entity": n, "quote_id": -1, "quote_source": "", "speaker": "", "is_word": t != "."})
    return pd.DataFrame(rows)


def test_pos_accuracy_and_per_class_on_toy():
    ann = toy_annotated()
    gold = pd.DataFrame({"doc_id": "d", "position": [1, 2, 4], "token": ["Nam", "met", "in"],
                         "upos_model": ["PROPN", "VERB", "ADP"], "upos_gold": ["PROPN", "VERB", "SCONJ"],
                         "note": ""})
    acc = ev.pos_accuracy(gold, ann)
    assert acc.loc[acc["group"] == "all", "value"].item() == pytest.approx(2 / 3)
    cls = ev.pos_per_class(gold, ann).set_index("upos")
    assert cls.loc["ADP", "precision"] == 0 and math.isnan(cls.loc["ADP", "recall"])
    assert cls.loc["SCONJ", "recall"] == 0 and cls.loc["PROPN", "f1"] == 1


def test_entity_errors_and_names_on_toy():
    ann = toy_annotated()
    gold = pd.DataFrame({"doc_id": "d", "start": [1, 3, 5], "end": [2, 4, 6], "text": ["Nam", "Lan", "Hanoi"],
                         "type": ["PERSON", "PERSON", "GPE"], "entity": ["Nam", "Lan", "Hanoi"], "note": ""})
    scores = ev.entity_scores(gold, ann).set_index(["match", "typed"])
    assert scores.loc[("exact", False), "precision"] == 1 and scores.loc[("exact", True), "recall"] == pytest.approx(2 / 3)
    names = ev.person_name_accuracy(gold, ann)
    assert (names["k"].item(), names["n"].item()) == (1, 1)  # Lan was not found as a PERSON
    quotes = pd.DataFrame(columns=["doc_id", "start", "end", "text", "source", "speaker", "note"])
    errs = ev.errors(gold.iloc[0:0].rename(columns={}).assign(position=[], token=[], upos_model=[], upos_gold=[])
                     [["doc_id", "position", "token", "upos_model", "upos_gold", "note"]], gold, quotes, ann)
    assert list(errs["kind"]) == ["wrong type"] and errs["text"].item() == "Lan"


def test_quotation_source_on_toy():
    ann = toy_annotated()
    ann.loc[[3, 4], "quote_id"] = 0
    ann.loc[[3, 4], "quote_source"] = "term"
    gold = pd.DataFrame({"doc_id": ["d"], "start": [3], "end": [5], "text": ["Lan in"], "source": ["person"],
                         "speaker": ["Lan"], "note": [""]})
    assert ev.quotation_scores(gold, ann)["f1"].tolist() == [1.0, 1.0]
    acc = ev.quotation_source_accuracy(gold, ann).set_index("measure")
    assert acc.loc["source accuracy", "value"] == 0
    conf = ev.quotation_source_confusion(gold, ann).set_index("gold source")
    assert conf.loc["person", "term"] == 1


# ------------------------------------------------------------------ annotation_eval: for the notebook


def test_missing_gold_is_reported_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_CORPUS_DIR", str(tmp_path))
    for name in ev.GOLD_FILES:
        assert ev.load_gold_if_present(name) is None
        message = ev.not_measured(name)
        assert "not measured" in message and ev.GOLD_FILES[name] in message and str(tmp_path) not in message


def test_errors_run_with_empty_gold_tables():
    errs = ev.errors(ev.empty_gold("pos"), ev.empty_gold("entities"), ev.empty_gold("quotations"), toy_annotated())
    # no gold: every entity the layer found is spurious, nothing else is wrong
    assert set(errs["kind"]) == {"spurious"} and set(errs["layer"]) == {"entity"}
    patterns = ev.error_patterns(errs)
    assert patterns["n"].sum() == len(errs) and set(patterns["description"]) == {"spurious PERSON", "spurious GPE"}


def test_error_patterns_count_and_describe():
    errs = pd.DataFrame([
        ("entity", "wrong type", "d", 0, 1, "Hanoi", "GPE", "PERSON", ""),
        ("entity", "wrong type", "d", 5, 6, "Hue", "GPE", "PERSON", ""),
        ("entity", "wrong type", "d", 9, 10, "Hanoi", "GPE", "PERSON", ""),
        ("entity", "missed", "d", 12, 14, "Resolution 26", "LAW Resolution 26", "", ""),
        ("entity", "wrong span", "d", 20, 24, "the 13th Congress", "EVENT 13th Congress", "13th Congress [ORG]", ""),
        ("quotation", "wrong source", "d", 30, 33, "a, b, c", "saying", "unknown", ""),
    ], columns=["layer", "kind", "doc_id", "start", "end", "text", "gold", "predicted", "note"])
    patterns = ev.error_patterns(errs)
    top = patterns.iloc[0]
    assert (top["description"], top["n"], top["example"]) == ("GPE taken for PERSON", 3, "Hanoi")
    assert top["examples"] == '"Hanoi"; "Hue"'
    described = set(patterns["description"])
    assert {"LAW missed", "EVENT found with other bounds (as ORG)", "saying taken for unknown"} <= described
    assert ev.error_patterns(errs, "quotation")["example"].item() == "a, b, c"


# ------------------------------------------------------------------ the gold files


@pytest.fixture(scope="module")
def gold():
    return {name: ev.load_gold(name) for name in ev.GOLD_FILES}


def test_gold_files_have_the_sample_and_unique_keys(gold):
    assert len(gold["pos"]) >= 300
    for name, table in gold.items():
        assert not table.duplicated(ev.GOLD_KEYS[name]).any(), name
        assert table.equals(table.sort_values(ev.GOLD_KEYS[name]).reset_index(drop=True)), f"{name} not sorted"


def test_pos_sample_is_the_one_drawn_and_disagreements_are_noted(gold, token_table):
    sample = ev.sample_tokens(token_table)
    pos = gold["pos"]
    assert sample[["doc_id", "position", "token"]].equals(pos[["doc_id", "position", "token"]])
    assert set(pos["doc_id"]) == set(token_table["doc_id"])  # every stratum, comments included
    differ = pos["upos_model"] != pos["upos_gold"]
    assert (pos.loc[differ, "note"] != "").all()


def test_gold_positions_still_match_the_tokens(gold, token_table):
    by_doc = {d: g.set_index("position")["token"] for d, g in token_table.groupby("doc_id")}
    for r in gold["pos"].itertuples():
        assert by_doc[r.doc_id][r.position] == r.token, (r.doc_id, r.position)
    for name in ("entities", "quotations"):
        for r in gold[name].itertuples():
            words = [by_doc[r.doc_id][k] for k in range(r.start, r.end)]
            assert detokenize(words) == r.text, (name, r.doc_id, r.start)


def test_gold_labels_are_known(gold):
    assert set(gold["entities"]["type"]) <= {"PERSON", "GPE", "LOC", "ORG", "NORP", "LAW", "WORK_OF_ART", "EVENT",
                                             "FAC", "PRODUCT"}
    assert set(gold["quotations"]["source"]) <= set(ev.QUOTE_SOURCES)
    q = gold["quotations"]
    assert ((q["source"] == "person") == (q["speaker"] != "")).all()
