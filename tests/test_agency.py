"""Grammatical agency (analysis.agency): toy sentences whose roles are known by hand, run
through the real pipeline (tokens -> spaCy annotation -> roles); the evaluation helpers on
tiny gold tables counted by hand; the gold files checked against the current code."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import agency as ag
from analysis.annotation import annotate
from analysis.annotation_eval import allocate

TOY = [
    "Cadres must serve the people.",                                   # 0
    "Violations will be strictly handled.",                            # 1
    "The officials were disciplined by the Party.",                    # 2
    "Cadres and party members need to listen to the people.",          # 3
    "The responsibility of leaders is great.",                         # 4
    "The leaders' responsibility is great.",                           # 5
    "Cadres are indifferent.",                                         # 6
    "A number of cadres have been disciplined.",                       # 7
    "Cadres are required to listen to the people.",                    # 8
    "It is necessary for cadres to listen to the people.",             # 9
    "Leaders should not be arrogant.",                                 # 10
    "Cadres who violate the rules will be detected and strictly handled.",  # 11
    "They have measures to resolve problems.",                         # 12
    "Cadres need to be disciplined.",                                  # 13
    "Cadres must listen and serve the people.",                        # 14
    "The Party requires cadres to listen to the people.",              # 15
]


@pytest.fixture(scope="module")
def toy():
    sents = pd.DataFrame({"doc_id": "toy", "sent_id": range(len(TOY)), "para_id": range(len(TOY)), "text": TOY})
    ann = annotate(sents, analysis.tokens(sents), cache=False)
    return {"sents": sents, "ann": ann, "roles": ag.nominal_roles(ann), "passives": ag.passive_clauses(ann, sents)}


def roles_in(toy, sent_id):
    r = toy["roles"]
    return r[r["sent_id"] == sent_id].set_index("lower")


def passives_in(toy, sent_id):
    p = toy["passives"]
    return p[p["sent_id"] == sent_id].set_index("verb")


# ------------------------------------------------------------------ roles on toy sentences


def test_modal_must_gives_an_obligated_agent_and_a_patient(toy):
    r = roles_in(toy, 0)
    assert r.loc["cadres", ["role", "verb", "voice", "obligation", "obligation_marker"]].tolist() == \
        ["agent", "serve", "active", True, "must"]
    assert r.loc["people", ["role", "verb"]].tolist() == ["patient", "serve"]
    assert len(r) == 2


def test_hidden_agent_passive(toy):
    r = roles_in(toy, 1)
    assert r.loc["violations", ["role", "verb", "voice", "obligation"]].tolist() == \
        ["patient", "handled", "passive", False]
    p = passives_in(toy, 1).loc["handled"]
    assert (p["patient"], p["agent"], p["hidden_agent"]) == ("Violations", "", True)
    assert p["sentence"] == TOY[1]


def test_passive_with_by_agent(toy):
    r = roles_in(toy, 2)
    assert r.loc["officials", ["role", "verb", "relation"]].tolist() == ["patient", "disciplined", "nsubjpass"]
    assert r.loc["party", ["role", "verb", "voice", "relation"]].tolist() == ["agent", "disciplined", "passive", "by"]
    p = passives_in(toy, 2).loc["disciplined"]
    assert (p["patient"], p["agent"], p["hidden_agent"]) == ("The officials", "the Party", False)


def test_conjuncts_share_the_role_and_need_to_reports_the_governed_verb(toy):
    r = roles_in(toy, 3)
    agents = r[r["role"] == "agent"]
    assert sorted(agents.index) == ["cadres", "members"]
    assert set(agents["verb"]) == {"listen"} and set(agents["obligation_marker"]) == {"need to"}
    assert agents.loc["members", "relation"] == "conj"
    assert "party" not in r.index  # "party" is a compound inside "party members": no role of its own


def test_possessors_of_and_genitive(toy):
    of, gen = roles_in(toy, 4), roles_in(toy, 5)
    assert of.loc["leaders", ["role", "verb", "voice", "relation"]].tolist() == \
        ["possessor", "responsibility", "", "of"]
    assert gen.loc["leaders", ["role", "verb", "relation"]].tolist() == ["possessor", "responsibility", "poss"]
    assert of.loc["responsibility", "role"] == "carrier"  # subject of a copula
    assert not of.loc["leaders", "obligation"]


def test_copular_subject_is_a_carrier(toy):
    r = roles_in(toy, 6)
    assert r.loc["cadres", ["role", "verb_lemma"]].tolist() == ["carrier", "be"]


def test_quantifier_passes_its_role_to_the_quantified_noun(toy):
    r = roles_in(toy, 7)
    assert list(r.index) == ["cadres"]  # "number" gets no role
    assert r.loc["cadres", ["role", "verb", "voice", "relation"]].tolist() == \
        ["patient", "disciplined", "passive", "quantified"]
    assert passives_in(toy, 7).loc["disciplined", "patient"] == "A number of cadres"


def test_required_to_and_necessary_for(toy):
    req, nec = roles_in(toy, 8), roles_in(toy, 9)
    assert req.loc["cadres", ["role", "verb", "voice", "obligation_marker"]].tolist() == \
        ["agent", "listen", "active", "are required to"]
    assert nec.loc["cadres", ["role", "verb", "obligation_marker"]].tolist() == ["agent", "listen", "necessary"]
    assert "it" not in nec.index  # extraposed "it" has no role


def test_should_on_a_copula_and_the_object_of_require(toy):
    r = roles_in(toy, 10)
    assert r.loc["leaders", ["role", "obligation_marker"]].tolist() == ["carrier", "should"]
    ctrl = roles_in(toy, 15)
    assert ctrl.loc["cadres", ["role", "verb", "obligation_marker", "relation"]].tolist() == \
        ["agent", "listen", "requires", "object-control"]
    assert ctrl.loc["party", ["role", "verb", "obligation"]].tolist() == ["agent", "requires", False]


def test_relative_pronoun_and_conjoined_passive(toy):
    r = roles_in(toy, 11)
    assert r.loc["who", ["role", "verb"]].tolist() == ["agent", "violate"]
    assert r.loc["who", "antecedent_position"] == r.loc["cadres", "position"]
    assert r.loc["cadres", ["role", "verb"]].tolist() == ["patient", "detected"]
    p = passives_in(toy, 11)
    assert sorted(p.index) == ["detected", "handled"]  # "handled" shares the auxiliary of "detected"
    assert set(p["patient"]) == {"Cadres"} and p["hidden_agent"].all()


def test_have_with_an_object_is_not_have_to(toy):
    r = roles_in(toy, 12)
    assert not r["obligation"].any()
    assert r.loc["they", ["role", "verb"]].tolist() == ["agent", "have"]


def test_need_to_be_done_gives_an_obligated_patient(toy):
    r = roles_in(toy, 13)
    assert r.loc["cadres", ["role", "verb", "voice", "obligation_marker"]].tolist() == \
        ["patient", "disciplined", "passive", "need to"]
    p = passives_in(toy, 13).loc["disciplined"]
    assert p["obligation"] and p["patient"] == "Cadres"


def test_conjoined_verb_shares_the_modal(toy):
    r = roles_in(toy, 14)
    assert r.loc["people", ["role", "verb", "obligation_marker"]].tolist() == ["patient", "serve", "must"]


def test_columns_order_and_of_possessors_switch(toy):
    r = toy["roles"]
    assert list(r.columns) == ag.ROLE_COLUMNS
    assert r.equals(r.sort_values(["doc_id", "position"]).reset_index(drop=True))
    assert set(r["role"]) <= set(ag.ROLES) and set(r["relation"]) <= set(ag.RELATIONS)
    without = ag.nominal_roles(toy["ann"], of_possessors=False)
    assert len(r) - len(without) == 1  # only "leaders" in "the responsibility of leaders"
    assert list(toy["passives"].columns) == ag.PASSIVE_COLUMNS


def test_obligation_subjects_counts_by_hand(toy):
    who = ag.obligation_subjects(toy["roles"]).set_index(["lemma", "role"])
    # cadre agents, six: must (sentences 0 and 14), need to (3), are required to (8),
    # necessary (9), requires (15)
    assert who.loc[("cadre", "agent"), "n"] == 6
    assert who.loc[("cadre", "agent"), "markers"] == "are required to; must; necessary; need to; requires"
    assert who.loc[("cadre", "patient"), "n"] == 1  # need to be disciplined (13)
    assert who.loc[("leader", "carrier"), "n"] == 1
    assert ("people", "patient") not in who.index  # patient of an active verb: not "who must"
    assert ("leader", "carrier") not in ag.obligation_subjects(toy["roles"], include_carriers=False) \
        .set_index(["lemma", "role"]).index


def test_role_counts_shares(toy):
    corpus = pd.DataFrame({"doc_id": ["toy"], "era": ["E"]})
    counts = ag.role_counts(toy["roles"], corpus, by="era")
    assert counts["n"].sum() == len(toy["roles"]) and counts["share"].sum() == pytest.approx(1)
    with pytest.raises(ValueError, match="pass the corpus"):
        ag.role_counts(toy["roles"], by="era")


def test_bad_input_names_the_missing_columns():
    with pytest.raises(ValueError, match="pos_lemma"):
        ag.nominal_roles(pd.DataFrame({"doc_id": [], "position": []}))


# ------------------------------------------------------------------ evaluation on tiny tables


def test_evaluate_roles_by_hand():
    pred = pd.DataFrame({"doc_id": "d", "sent_id": 0, "position": [1, 2, 3, 4, 5], "token": list("abcde"),
                         "role": ["agent", "agent", "patient", "possessor", "possessor"],
                         "verb": "v", "relation": ["nsubj", "nsubj", "dobj", "of", "poss"]})
    gold = pred.drop(columns="relation").assign(correct=[1, 0, 1, 0, 1],
                                                error_kind=["", "wrong head", "", "not a possessor", ""], note="")
    stale = pd.DataFrame([{"doc_id": "d", "sent_id": 0, "position": 9, "token": "z", "role": "agent", "verb": "v",
                           "correct": 1, "error_kind": "", "note": ""}])
    table = ag.evaluate_roles(pd.concat([gold, stale], ignore_index=True), pred).set_index("scope")
    assert table.loc["all", ["n", "correct", "stale"]].tolist() == [5, 3, 1]
    assert table.loc["all", "precision"] == pytest.approx(3 / 5)
    assert table.loc["agent", ["n", "correct", "err: wrong head", "stale"]].tolist() == [2, 1, 1, 1]
    assert table.loc["possessor: of", "precision"] == 0 and table.loc["possessor: poss", "precision"] == 1
    # Wilson (1927) for 3/5 at 95%, computed by hand: 0.2307 to 0.8824
    assert table.loc["all", "ci_low"] == pytest.approx(0.2307, abs=1e-3)
    assert table.loc["all", "ci_high"] == pytest.approx(0.8824, abs=1e-3)
    errors = ag.role_errors(gold)
    assert errors["n"].sum() == 2 and set(errors["error_kind"]) == {"wrong head", "not a possessor"}


def test_evaluate_passives_by_hand():
    key = {"doc_id": "d", "sent_id": 0}
    pred = pd.DataFrame({**key, "position": [1, 2, 3, 4], "hidden_agent": [True, True, False, True]})
    gold = pd.DataFrame({**key, "position": [1, 2, 3, 4, 7, 8], "verb": "v", "found": [1, 1, 1, 1, 0, 0],
                         "is_passive": [1, 1, 1, 0, 1, 1], "agent_absent": ["1", "0", "0", "", "1", "1"],
                         "kind": ["be-passive"] * 3 + ["adjectival", "be-passive", "participle"], "note": ""})
    got = ag.evaluate_passives(gold, pred).set_index("measure")
    assert got.loc["passive precision", ["k", "n"]].tolist() == [3, 4]
    assert got.loc["hidden-agent precision", ["k", "n"]].tolist() == [1, 3]     # 1 yes; 2 has an agent; 4 no passive
    assert got.loc["passive recall (be-passives)", ["k", "n"]].tolist() == [3, 4]   # 1, 2, 3 of 1, 2, 3, 7
    assert got.loc["passive recall (with participles)", ["k", "n"]].tolist() == [3, 5]
    assert got.loc["hidden-agent recall (be-passives)", ["k", "n"]].tolist() == [1, 2]  # 1 of 1, 7
    assert got.loc["unread predictions", "k"] == 0


def test_gold_readers_reject_bad_rows(tmp_path):
    path = tmp_path / "g.csv"
    pd.DataFrame([{"doc_id": "d", "sent_id": 0, "position": 1, "token": "a", "role": "agent", "verb": "v",
                   "correct": 0, "error_kind": "", "note": ""}]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="rows \\[2\\].*error_kind"):
        ag.read_agency_gold(path)
    pd.DataFrame([{"doc_id": "d", "sent_id": 0, "position": 1, "verb": "v", "found": 1, "is_passive": 2,
                   "agent_absent": 1, "kind": "be-passive", "note": ""}]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="'is_passive' must be 0 or 1"):
        ag.read_passives_gold(path)


# ------------------------------------------------------------------ the gold files and the real corpus


@pytest.fixture(scope="module")
def real(sentence_table, token_table):
    ann = annotate(sentence_table, token_table)
    return {"roles": ag.nominal_roles(ann), "passives": ag.passive_clauses(ann, sentence_table)}


def test_agency_gold_is_the_sample_drawn_and_still_matches(real):
    gold = ag.read_agency_gold()
    assert len(gold) >= 120
    sample = ag.agency_sample(real["roles"], ag.SAMPLE_SIZE, ag.SAMPLE_SEED)
    assert sample.equals(gold[ag.ROLE_KEY]), "the code's roles changed: re-read the changed rows of agency_gold.csv"
    assert ag.stale_rows(gold, real["roles"], ag.ROLE_KEY).empty
    shares = allocate(real["roles"].groupby("doc_id").size().sort_index(), ag.SAMPLE_SIZE)
    assert gold.groupby("doc_id").size().sort_index().equals(shares.rename(None))  # stratified by text


def test_passives_gold_has_read_every_predicted_passive(real):
    gold = ag.read_passives_gold()
    pred = real["passives"]
    found = gold[gold["found"] == 1]
    assert set(zip(found["doc_id"], found["position"])) == set(zip(pred["doc_id"], pred["position"])), \
        "passive_clauses changed: read the new clauses and update passives_gold.csv"
    assert not gold.duplicated(ag.PASSIVE_KEY).any()
    assert (gold.loc[gold["is_passive"] == 0, "note"] != "").all()
    scores = ag.evaluate_passives(gold, pred).set_index("measure")
    assert scores.loc["unread predictions", "k"] == 0


def test_real_roles_are_one_row_per_nominal(real):
    r = real["roles"]
    assert not r.duplicated(["doc_id", "position"]).any()
    assert (r.loc[r["role"] == "possessor", "voice"] == "").all()
    assert set(r.loc[r["role"] != "possessor", "voice"]) == {"active", "passive"}
