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
    gold = pred.drop(columns="relation").assign(sample="main", correct=[1, 0, 1, 0, 1],
                                                error_kind=["", "wrong head", "", "not a possessor", ""], note="")
    stale = pd.DataFrame([{"sample": "main", "doc_id": "d", "sent_id": 0, "position": 9, "token": "z",
                           "role": "agent", "verb": "v", "correct": 1, "error_kind": "", "note": ""}])
    table = ag.evaluate_roles(pd.concat([gold, stale], ignore_index=True), pred).set_index("scope")
    assert table.loc["all", ["n", "correct", "stale"]].tolist() == [5, 3, 1]
    assert table.loc["all", "precision"] == pytest.approx(3 / 5)
    assert table.loc["agent", ["n", "correct", "err: wrong head", "stale"]].tolist() == [2, 1, 1, 1]
    assert table.loc["agent or patient", ["n", "correct", "stale"]].tolist() == [3, 2, 1]
    assert list(table.index[:6]) == ["all", "agent", "patient", "possessor", "agent or patient", "possessor: of"]
    assert table.loc["possessor: of", "precision"] == 0 and table.loc["possessor: poss", "precision"] == 1
    # Wilson (1927) for 3/5 at 95%, computed by hand: 0.2307 to 0.8824
    assert table.loc["all", "ci_low"] == pytest.approx(0.2307, abs=1e-3)
    assert table.loc["all", "ci_high"] == pytest.approx(0.8824, abs=1e-3)
    errors = ag.role_errors(gold)
    assert errors["n"].sum() == 2 and set(errors["error_kind"]) == {"wrong head", "not a possessor"}


def test_evaluate_roles_pools_the_samples():
    pred = pd.DataFrame({"doc_id": "d", "sent_id": 0, "position": range(1, 7), "token": list("abcdef"),
                         "role": ["agent", "patient", "possessor", "agent", "agent", "patient"], "verb": "v"})
    gold = pred.assign(sample=["main"] * 3 + ["agent-patient supplement"] * 3, correct=[1, 1, 0, 0, 1, 1],
                       error_kind=["", "", "not a possessor", "conjunct", "", ""], note="")
    table = ag.evaluate_roles(gold, pred).set_index("scope")
    # agents: 1 (main, right), 4 (wrong), 5 (right) -> 2 of 3; patients 2 of 2; all 4 of 6
    assert table.loc["agent", ["n", "correct", "err: conjunct"]].tolist() == [3, 2, 1]
    assert table.loc["patient", ["n", "correct"]].tolist() == [2, 2]
    assert table.loc["agent or patient", ["n", "correct"]].tolist() == [5, 4]
    assert table.loc["all", ["n", "correct", "err: not a possessor"]].tolist() == [6, 4, 1]
    assert "possessor: of" not in table.index  # no relation column given


def _toy_roles():
    """Two texts: A with 10 agents, 10 patients and 5 possessors, B with 10 agents and 10
    patients (positions 0..24 in A, 0..19 in B)."""
    a = pd.DataFrame({"doc_id": "A", "position": range(25),
                      "role": ["agent"] * 10 + ["patient"] * 10 + ["possessor"] * 5})
    b = pd.DataFrame({"doc_id": "B", "position": range(20), "role": ["agent"] * 10 + ["patient"] * 10})
    roles = pd.concat([a, b], ignore_index=True)
    return roles.assign(sent_id=0, token=roles["position"].astype(str), verb="v")[ag.ROLE_KEY]


def test_agent_patient_supplement_by_hand():
    roles = _toy_roles()
    main = ag.agency_sample(roles, 9, 7)
    sup = ag.agent_patient_supplement(roles, n=8, seed=3, agents=5, main_size=9, main_seed=7)
    assert list(sup.columns) == ag.ROLE_KEY
    assert sup.equals(sup.sort_values(["doc_id", "position"]).reset_index(drop=True))
    assert sup.merge(main, on=ag.ROLE_KEY).empty                    # outside the main sample
    assert sup["role"].value_counts().to_dict() == {"agent": 5, "patient": 3}
    # agents left per text after the main sample, split 5 by largest remainder
    left = roles.merge(main, on=ag.ROLE_KEY, how="left", indicator=True).query("_merge == 'left_only'")
    for role, quota in (("agent", 5), ("patient", 3)):
        sizes = left[left["role"] == role].groupby("doc_id").size().sort_index()
        got = sup[sup["role"] == role].groupby("doc_id").size().reindex(sizes.index, fill_value=0)
        assert got.tolist() == allocate(sizes, quota).tolist()
    assert sup.equals(ag.agent_patient_supplement(roles, n=8, seed=3, agents=5, main_size=9, main_seed=7))
    assert not sup.equals(ag.agent_patient_supplement(roles, n=8, seed=4, agents=5, main_size=9, main_seed=7))


def test_agent_patient_supplement_small_pool_and_bad_quota():
    roles = _toy_roles()
    everything = ag.agent_patient_supplement(roles, n=100, seed=1, agents=60, main_size=0)
    # the whole pool (20 agents, 20 patients), no more: each quota is capped by its stratum
    assert everything["role"].value_counts().to_dict() == {"agent": 20, "patient": 20}
    with pytest.raises(ValueError, match="agents=9 must be between 0 and n=8"):
        ag.agent_patient_supplement(roles, n=8, agents=9)


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
    row = {"sample": "main", "doc_id": "d", "sent_id": 0, "position": 1, "token": "a", "role": "agent", "verb": "v",
           "correct": 0, "error_kind": "", "note": ""}
    pd.DataFrame([row]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="rows \\[2\\].*error_kind"):
        ag.read_agency_gold(path)
    pd.DataFrame([row | {"sample": "extra", "correct": 1}]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="rows \\[2\\] have a sample not in"):
        ag.read_agency_gold(path)
    twice = [row | {"correct": 1}, row | {"sample": "agent-patient supplement", "correct": 1}]
    pd.DataFrame(twice).to_csv(path, index=False)
    with pytest.raises(ValueError, match="rows \\[2, 3\\] are the same assignment read twice"):
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


def _gold_sample(gold, name):
    return gold[gold["sample"] == name][ag.ROLE_KEY].reset_index(drop=True)


def test_agency_gold_is_the_sample_drawn_and_still_matches(real):
    gold = ag.read_agency_gold()
    assert set(gold["sample"]) == set(ag.GOLD_SAMPLES)
    main = _gold_sample(gold, "main")
    assert len(main) == ag.SAMPLE_SIZE
    sample = ag.agency_sample(real["roles"], ag.SAMPLE_SIZE, ag.SAMPLE_SEED)
    assert sample.equals(main), "the code's roles changed: re-read the changed rows of agency_gold.csv"
    assert ag.stale_rows(gold, real["roles"], ag.ROLE_KEY).empty  # both samples
    shares = allocate(real["roles"].groupby("doc_id").size().sort_index(), ag.SAMPLE_SIZE)
    assert main.groupby("doc_id").size().sort_index().equals(shares.rename(None))  # stratified by text


def test_agency_gold_supplement_is_the_sample_drawn(real):
    gold = ag.read_agency_gold()
    supplement = _gold_sample(gold, "agent-patient supplement")
    drawn = ag.agent_patient_supplement(real["roles"])
    assert drawn.equals(supplement), \
        "the supplement no longer matches agent_patient_supplement: re-read its changed rows in agency_gold.csv"
    assert len(supplement) == ag.SUPPLEMENT_SIZE
    assert (supplement["role"] == "agent").sum() == ag.SUPPLEMENT_AGENTS >= ag.SUPPLEMENT_SIZE / 2
    assert set(supplement["role"]) == set(ag.SUPPLEMENT_ROLES)
    assert supplement.merge(_gold_sample(gold, "main"), on=ag.ROLE_KEY).empty


def test_agent_and_patient_rows_read_are_at_least_100(real):
    table = ag.evaluate_roles(ag.read_agency_gold(), real["roles"]).set_index("scope")
    assert table.loc["agent or patient", "n"] >= 100
    assert table.loc["agent or patient", "n"] == table.loc["agent", "n"] + table.loc["patient", "n"]
    assert (table["stale"] == 0).all()


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
