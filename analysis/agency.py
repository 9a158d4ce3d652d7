"""Grammatical agency: who acts, who is acted upon, who must, who is hidden.

Critical discourse analysis reads the grammar of a clause as a choice among ways of
representing an event (Halliday & Matthiessen 2014, *Halliday's Introduction to Functional
Grammar*, 4th ed., ch. 5, transitivity; van Leeuwen 2008, *Discourse and Practice*, ch. 2,
on activation, passivation and the deletion of social actors). This module gives the
grammatical half of that reading from the dependency parse of the annotation layer
(:func:`analysis.annotation.annotate`: spaCy ``en_core_web_sm``, ClearNLP labels, ``head``
is the document position of the head token):

    annotate(sentences)  ->  nominal_roles()      ->  obligation_subjects(), role_counts()
                         ->  passive_clauses(.., sentences)
    nominal_roles()      ->  agency_sample(), agent_patient_supplement()  (the rows read by hand)
    gold files           ->  evaluate_roles(), evaluate_passives()

Which noun phrases are which social actor is not decided here; the roles table is joined
on (doc_id, sent_id, position of the nominal head).

Decisions, said once here (and in ``corpus/annotations/agency_guidelines.md``):

- A *nominal* is a token of word class NOUN, PROPN or PRON. A multi-word name counts once,
  at its syntactic head (the other words are ``compound`` dependants and get no role).
- ``agent``: the subject (``nsubj``) of an active, non-copular verb, or the object of
  "by" labelled ``agent`` on a passive verb. ``patient``: the direct object (``dobj``) of
  a verb, or the subject of a passive verb. ``carrier``: the subject of a copula
  (:data:`COPULAS`: "be" always; "become", "remain", "seem", "appear", "stay" with an
  adjective or noun complement), Halliday & Matthiessen's Carrier of an attributive
  relational clause ("cadres are indifferent"): being is not acting, so carriers are kept
  apart from agents. ``possessor``: a possessive dependant (``poss``: "the leaders'
  responsibility", "their duty") or the object of "of" attached to a noun ("the
  responsibility of cadres"). The second half is a choice: English "of" also marks
  content ("signs of degradation") and source ("the Resolution of the Central
  Committee"); the gold sample measures how often it is a possessor in this corpus
  (``evaluate_roles`` reports "possessor: of" apart from "possessor: poss"), and
  ``nominal_roles(..., of_possessors=False)`` leaves these possessors out. The column
  ``relation`` says which rule gave each role.
- Conjuncts take the role and verb of their first conjunct ("cadres and party members
  must ..." gives two agents).
- Quantifier nouns ("a number of cadres were disciplined"): the parser makes "number" the
  subject; the role goes to the quantified noun ("cadres"), and "number" gets none.
- Relative pronouns ("cadres who violate ...") keep their own row; ``antecedent_position``
  gives the noun they stand for (-1 elsewhere).
- Not roles here: indirect objects (``dative``), complements of "be" (``attr``), objects of
  prepositions other than "by" (passive) and "of" (on a noun), clausal subjects, and the
  expletive "there"/"it".
- A verb is *passive* when it has an ``auxpass``, ``nsubjpass`` or ``csubjpass`` child
  ("will be handled"); participles without an auxiliary ("violations detected by the
  inspection") are not counted (the gold file measures what that misses).
- *Obligation*: the verb is under deontic modality (Palmer 2001, *Mood and Modality*,
  2nd ed., ch. 3: obligation and necessity laid on the subject): the modal auxiliaries
  "must", "should", "ought to" (:data:`DEONTIC_MODALS`); the semi-modals "have to" and
  "need to" (the verb is the ``xcomp`` of "have"/"need"); "be required/obliged to"; an
  object made to act ("the Party requires cadres to ..."); "it is necessary (essential,
  imperative) for X to ..." (:data:`NECESSITY_ADJECTIVES`). "Will", "can", "may" are not
  obligation; "shall" does not occur in the corpus and is left out. A verb conjoined to an
  obligated verb without an auxiliary of its own shares its obligation ("must listen and
  serve").
- When the subject's verb is such a semi-modal ("cadres need to listen", "cadres are
  required to listen"), the verb reported is the one it governs ("listen") and the role
  follows that verb's voice ("cadres need to be disciplined": patient).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import paths
from .checks import require_columns, rows_not_in

NOMINAL_UPOS = frozenset({"NOUN", "PROPN", "PRON"})
ROLES = ("agent", "patient", "carrier", "possessor")
#: The dependency relation that gave a role (column ``relation``): the nominal's own label
#: (nsubj, nsubjpass, dobj, poss), "by" (the object of a passive's "by"), "of" (the object
#: of "of" on a noun), "object-control" ("requires cadres to listen"), "conj" (inherited
#: from the first conjunct) or "quantified" (from the quantifier noun: "a number of cadres").
RELATIONS = ("nsubj", "nsubjpass", "dobj", "by", "poss", "of", "object-control", "conj", "quantified")
#: Modal auxiliaries of obligation (Palmer 2001, ch. 3).
DEONTIC_MODALS = frozenset({"must", "should", "ought"})
#: Verbs that lay an obligation on their subject through an ``xcomp`` ("have to", "need to",
#: "be required to", "be obliged to"); the passive ones need their auxiliary.
SEMI_MODALS = frozenset({"have", "need"})
OBLIGING_VERBS = frozenset({"require", "oblige", "compel"})
#: Adjectives of necessity: "it is necessary for cadres to listen".
NECESSITY_ADJECTIVES = frozenset({"necessary", "essential", "imperative", "obligatory", "compulsory"})
#: Copulas: subjects are carriers (for "be" always, for the others with a complement).
COPULAS = frozenset({"be", "become", "remain", "seem", "appear", "stay"})
#: Nouns that head quantifier phrases ("a number of", "a series of", "a lot of").
QUANTIFIER_NOUNS = frozenset({"number", "series", "segment", "part", "lot", "majority", "host"})
PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass", "csubjpass"})
RELATIVE_TAGS = frozenset({"WP", "WDT"})

ROLE_COLUMNS = ["doc_id", "sent_id", "position", "token", "lower", "role", "verb_position", "verb", "verb_lemma",
                "voice", "obligation", "obligation_marker", "author_voice", "lemma", "relation", "antecedent_position"]
PASSIVE_COLUMNS = ["doc_id", "sent_id", "position", "verb", "verb_lemma", "patient", "agent", "hidden_agent",
                   "obligation", "author_voice", "sentence"]
#: The sample of role assignments read by hand (``corpus/annotations/agency_gold.csv``).
SAMPLE_SIZE = 150
SAMPLE_SEED = 20251123
#: The supplement of agent and patient assignments read by hand (:func:`agent_patient_supplement`):
#: drawn outside the main sample, agents first, so that agents and patients together have at
#: least 100 rows read.
SUPPLEMENT_SIZE = 40
SUPPLEMENT_AGENTS = 25
SUPPLEMENT_SEED = 20251124
SUPPLEMENT_ROLES = ("agent", "patient")
#: Values of the gold file's ``sample`` column: which draw a row comes from.
GOLD_SAMPLES = ("main", "agent-patient supplement")
GOLD_ROLE_COLUMNS = ["sample", "doc_id", "sent_id", "position", "token", "role", "verb", "correct", "error_kind",
                     "note"]
GOLD_PASSIVE_COLUMNS = ["doc_id", "sent_id", "position", "verb", "found", "is_passive", "agent_absent", "kind", "note"]
#: Kinds of the gold passive rows: with an auxiliary, a reduced participle clause, or a
#: predicted "passive" that is an adjective of state ("they are detached from the masses").
PASSIVE_KINDS = ("be-passive", "participle", "adjectival")
#: What identifies a role assignment (a gold row is stale when it no longer matches one).
ROLE_KEY = ["doc_id", "sent_id", "position", "token", "role", "verb"]
PASSIVE_KEY = ["doc_id", "sent_id", "position"]
_NEEDED = ("doc_id", "sent_id", "position", "token", "lower", "pos_lemma", "upos", "tag", "dep", "head",
           "author_voice")


# ------------------------------------------------------------------------ the parse of one document


@dataclass(frozen=True)
class Parse:
    """The dependency tree of one document: token attributes by position, children by head."""
    tok: dict        # position -> dict of the token's columns
    children: dict   # position -> list of child positions, in order

    def kids(self, pos: int, *deps: str) -> list[int]:
        """Children of ``pos`` (only those with one of ``deps`` if given)."""
        return [c for c in self.children.get(pos, ()) if not deps or self.tok[c]["dep"] in deps]

    def subtree(self, pos: int, skip: frozenset = frozenset()) -> list[int]:
        """``pos`` and every token below it (not below the children in ``skip``), sorted."""
        out, todo = [], [pos]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(c for c in self.children.get(p, ()) if c not in skip)
        return sorted(out)

    def text(self, positions) -> str:
        from .vocabulary import detokenize

        return detokenize([self.tok[p]["token"] for p in positions])


def parses(annotated: pd.DataFrame) -> dict[str, Parse]:
    """One :class:`Parse` per document of the annotated tokens table."""
    out = {}
    for doc_id, g in annotated.groupby("doc_id", sort=False):
        records = g[list(_NEEDED)].to_dict("records")
        tok = {int(r["position"]): r for r in records}
        children: dict[int, list[int]] = {}
        for r in records:
            if int(r["head"]) != int(r["position"]):
                children.setdefault(int(r["head"]), []).append(int(r["position"]))
        out[doc_id] = Parse(tok, children)
    return out


# ------------------------------------------------------------------------ verbs: voice and modality


def is_passive(parse: Parse, verb: int) -> bool:
    """Whether ``verb`` has a passive auxiliary or a passive subject among its children,
    or is a past participle conjoined to a passive verb with no auxiliary or subject of
    its own ("will be detected and strictly handled")."""
    if parse.kids(verb, *PASSIVE_DEPS):
        return True
    t = parse.tok[verb]
    return (t["dep"] == "conj" and t["tag"] == "VBN" and t["head"] != verb
            and not parse.kids(verb, "aux", "nsubj", "expl") and is_passive(parse, int(t["head"])))


def voice(parse: Parse, verb: int) -> str:
    """"passive" or "active" (see :func:`is_passive`)."""
    return "passive" if is_passive(parse, verb) else "active"


def _to_infinitive(parse: Parse, verb: int) -> bool:
    return any(parse.tok[c]["lower"] == "to" for c in parse.kids(verb, "aux"))


def _semi_modal_marker(parse: Parse, head: int, verb: int) -> str:
    """The obligation marker when ``verb`` is the to-infinitive complement of ``head``:
    "has to", "need to", "are required to", "ought to", "requires" (object control); ""
    otherwise."""
    h = parse.tok[head]
    if parse.tok[verb]["dep"] != "xcomp" or not _to_infinitive(parse, verb):
        return ""
    if h["lower"] == "ought" or (h["pos_lemma"] in SEMI_MODALS and not parse.kids(head, "dobj")):
        return f"{h['lower']} to"  # not "having measures to resolve them"
    if h["pos_lemma"] in OBLIGING_VERBS:
        aux = [parse.tok[c]["lower"] for c in parse.kids(head, "auxpass")]
        if aux:
            return " ".join(aux + [h["lower"], "to"])
        if parse.kids(head, "dobj"):
            return h["lower"]
    return ""


def _necessity_marker(parse: Parse, verb: int) -> str:
    """"necessary" (or another adjective of :data:`NECESSITY_ADJECTIVES`) when ``verb`` is
    the clause of "it is necessary (for X) to ...", else ""."""
    head = parse.tok[verb]["head"]
    if head == verb or parse.tok[verb]["dep"] not in ("xcomp", "advcl", "ccomp", "csubj"):
        return ""
    if parse.tok[head]["lower"] in NECESSITY_ADJECTIVES:
        return parse.tok[head]["lower"]
    if parse.tok[head]["pos_lemma"] == "be":
        for c in parse.kids(head, "acomp"):
            if parse.tok[c]["lower"] in NECESSITY_ADJECTIVES and c < verb:
                return parse.tok[c]["lower"]
    return ""


def obligation_marker(parse: Parse, verb: int) -> str:
    """The words that put ``verb`` under deontic modality (Palmer 2001, ch. 3), as written
    in lower case ("must", "should", "ought to", "has to", "need to", "are required to",
    "requires", "necessary"), or "" if none. A verb conjoined to an obligated verb, with no
    auxiliary of its own, shares its marker."""
    for c in parse.kids(verb, "aux"):
        if parse.tok[c]["lower"] in DEONTIC_MODALS:
            return parse.tok[c]["lower"] + (" to" if parse.tok[c]["lower"] == "ought" else "")
    head = parse.tok[verb]["head"]
    marker = _semi_modal_marker(parse, head, verb) if head != verb else ""
    marker = marker or _necessity_marker(parse, verb)
    if marker:
        return marker
    own_aux = [c for c in parse.kids(verb, "aux", "auxpass") if parse.tok[c]["lower"] != "to"]
    if parse.tok[verb]["dep"] == "conj" and head != verb and not own_aux and parse.tok[head]["upos"] in ("VERB", "AUX"):
        return obligation_marker(parse, head)
    return ""


def governed_verb(parse: Parse, verb: int) -> int:
    """The verb that carries the meaning when ``verb`` is a semi-modal of obligation with a
    to-infinitive complement ("need to listen", "are required to listen": listen);
    otherwise ``verb`` itself."""
    for x in parse.kids(verb, "xcomp"):
        if _semi_modal_marker(parse, verb, x) and not parse.kids(verb, "dobj"):  # not object control
            return x
    return verb


def _is_copular(parse: Parse, verb: int) -> bool:
    lemma = parse.tok[verb]["pos_lemma"]
    if lemma == "be":
        return not is_passive(parse, verb)
    return lemma in COPULAS and bool(parse.kids(verb, "acomp", "attr", "oprd"))


# ------------------------------------------------------------------------ roles of nominals


class Role(NamedTuple):
    """A nominal's role, the position of its verb (or possessed noun), and the relation
    that gave it (:data:`RELATIONS`)."""
    role: str
    verb: int
    relation: str


def _subject_role(parse: Parse, verb: int, relation: str) -> Role:
    verb = governed_verb(parse, verb)
    if is_passive(parse, verb):
        return Role("patient", verb, relation)
    return Role("carrier" if _is_copular(parse, verb) else "agent", verb, relation)


def _is_quantifier(parse: Parse, pos: int) -> bool:
    """A quantifier noun with "a" and an "of" phrase: "a number of cadres"."""
    t = parse.tok[pos]
    return (t["lower"] in QUANTIFIER_NOUNS
            and any(parse.tok[c]["lower"] == "a" for c in parse.kids(pos, "det"))
            and any(parse.tok[c]["lower"] == "of" and parse.kids(c, "pobj") for c in parse.kids(pos, "prep")))


def _extraposed_it(parse: Parse, pos: int, verb: int) -> bool:
    """"It" announcing a clause that follows the verb ("it is necessary to ...")."""
    return parse.tok[pos]["lower"] == "it" and any(
        c > verb for c in parse.kids(verb, "xcomp", "advcl", "ccomp", "csubj"))


def role_of(parse: Parse, pos: int) -> Role | None:
    """The :class:`Role` of the nominal at ``pos``, or None (rules in the module docstring)."""
    if _is_quantifier(parse, pos):
        return None
    t = parse.tok[pos]
    if t["dep"] == "conj":
        first = _first_conjunct(parse, pos)
        if parse.tok[first]["upos"] not in NOMINAL_UPOS or parse.tok[first]["dep"] == "conj":
            return None
        found = role_of(parse, first)
        return found._replace(relation="conj") if found else None
    of_head = _of_head(parse, pos)
    if of_head is not None and _is_quantifier(parse, of_head):
        found = _direct_role(parse, of_head)
        return found._replace(relation="quantified") if found else None
    return _direct_role(parse, pos)


def _first_conjunct(parse: Parse, pos: int) -> int:
    """The first member of the coordination that ``pos`` belongs to."""
    first = pos
    while parse.tok[first]["dep"] == "conj" and parse.tok[first]["head"] != first:
        first = int(parse.tok[first]["head"])
    return first


def _of_head(parse: Parse, pos: int) -> int | None:
    """The noun that "of" + the nominal at ``pos`` depends on, if any."""
    t = parse.tok[pos]
    prep = parse.tok[int(t["head"])]
    if t["dep"] == "pobj" and prep["dep"] == "prep" and prep["lower"] == "of" and prep["head"] != prep["position"]:
        return int(prep["head"])
    return None


def _direct_role(parse: Parse, pos: int) -> Role | None:
    """The role the nominal's own dependency relation gives it."""
    t = parse.tok[pos]
    dep, head = t["dep"], int(t["head"])
    if dep == "ROOT" or head == pos:
        return None
    h = parse.tok[head]
    verbal = h["upos"] in ("VERB", "AUX")
    if dep in ("nsubj", "nsubjpass") and verbal:
        return None if _extraposed_it(parse, pos, head) else _subject_role(parse, head, dep)
    if dep == "dobj" and verbal:
        if h["pos_lemma"] in OBLIGING_VERBS:
            for x in parse.kids(head, "xcomp"):
                if x > pos and _semi_modal_marker(parse, head, x):
                    return Role("patient" if is_passive(parse, x) else "agent", x, "object-control")
        return Role("patient", head, "dobj")
    if dep == "pobj" and h["dep"] == "agent":
        return Role("agent", int(h["head"]), "by")
    of_head = _of_head(parse, pos)
    if of_head is not None and parse.tok[of_head]["upos"] in NOMINAL_UPOS:
        return Role("possessor", of_head, "of")
    if dep == "poss":
        return Role("possessor", head, "poss")
    return None


def _antecedent(parse: Parse, pos: int, verb: int) -> int:
    """The noun a relative pronoun stands for (the head of its relative clause), or -1."""
    if parse.tok[pos]["tag"] not in RELATIVE_TAGS:
        return -1
    clause = verb
    while parse.tok[clause]["dep"] in ("xcomp", "conj") and parse.tok[clause]["head"] != clause:
        clause = int(parse.tok[clause]["head"])
    if parse.tok[clause]["dep"] == "relcl":
        return int(parse.tok[clause]["head"])
    return -1


def nominal_roles(annotated: pd.DataFrame, of_possessors: bool = True) -> pd.DataFrame:
    """One row per nominal head token with a role (see the module docstring).

    ``of_possessors=False`` leaves out the possessors given by "of" (relation "of", and
    their conjuncts), the least precise rule (see ``corpus/annotations/agency_guidelines.md``).

    Columns: doc_id, sent_id, position (document token position of the nominal), token,
    lower, role (:data:`ROLES`), verb_position, verb, verb_lemma (the governing verb; for
    possessors the possessed noun), voice ("active", "passive"; "" for possessors),
    obligation (bool) and obligation_marker (:func:`obligation_marker`), author_voice
    (the nominal is outside quotations), lemma (of the nominal), relation (what gave the
    role, :data:`RELATIONS`), antecedent_position (of a relative pronoun, else -1). Sorted by doc_id and position.
    """
    require_columns(annotated, _NEEDED, "nominal_roles", "analysis.annotation.annotate(sentences)")
    rows = []
    for doc_id, parse in parses(annotated).items():
        for pos, t in parse.tok.items():
            if t["upos"] not in NOMINAL_UPOS:
                continue
            found = role_of(parse, pos)
            if found is None:
                continue
            role, verb, relation = found
            if not of_possessors and role == "possessor" and _of_head(parse, pos if relation != "conj"
                                                                       else _first_conjunct(parse, pos)) is not None:
                continue
            v = parse.tok[verb]
            is_verb = role != "possessor"
            marker = obligation_marker(parse, verb) if is_verb else ""
            rows.append((doc_id, int(t["sent_id"]), pos, t["token"], t["lower"], role, verb, v["token"],
                         v["pos_lemma"], voice(parse, verb) if is_verb else "", bool(marker), marker,
                         bool(t["author_voice"]), t["pos_lemma"], relation,
                         _antecedent(parse, pos, verb) if is_verb else -1))
    out = pd.DataFrame(rows, columns=ROLE_COLUMNS)
    return out.sort_values(["doc_id", "position"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------ passive clauses


def _passive_subject(parse: Parse, verb: int, _depth: int = 0) -> int | None:
    """The head of the subject of passive ``verb``: its own ``nsubjpass``/``nsubj``, else
    that of the verb it is conjoined to or is the complement of ("need to be handled")."""
    own = parse.kids(verb, "nsubjpass", "nsubj", "csubjpass")
    if own:
        return own[0]
    head = int(parse.tok[verb]["head"])
    if _depth < 20 and head != verb and parse.tok[verb]["dep"] in ("conj", "xcomp") \
            and parse.tok[head]["upos"] in ("VERB", "AUX"):
        return _passive_subject(parse, head, _depth + 1)
    return None


def _phrase(parse: Parse, pos: int) -> str:
    """The noun phrase headed by ``pos`` without relative clauses; a relative pronoun is
    replaced by the noun phrase it stands for."""
    clause = parse.tok[pos]["head"]
    if parse.tok[pos]["tag"] in RELATIVE_TAGS and parse.tok[clause]["dep"] == "relcl":
        pos = int(parse.tok[clause]["head"])
    skip = frozenset(parse.kids(pos, "relcl", "acl", "punct"))
    return parse.text(parse.subtree(pos, skip))


def passive_clauses(annotated: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """One row per passive verb (:func:`is_passive`).

    Columns: doc_id, sent_id, position (of the verb), verb, verb_lemma, patient (the
    subject noun phrase, inherited from a conjoined or governing verb, relative clauses
    left out and a relative pronoun replaced by its antecedent; "" if none), agent (the
    noun phrase after "by", without "by"; "" if none), hidden_agent (no "by" agent),
    obligation (:func:`obligation_marker` is not empty), author_voice (of the verb),
    sentence (its text). Sorted by doc_id and position.
    """
    require_columns(annotated, _NEEDED, "passive_clauses", "analysis.annotation.annotate(sentences)")
    require_columns(sents, ("doc_id", "sent_id", "text"), "passive_clauses", "analysis.sentences(corpus)")
    texts = dict(zip(zip(sents["doc_id"], sents["sent_id"]), sents["text"]))
    rows = []
    for doc_id, parse in parses(annotated).items():
        for pos, t in parse.tok.items():
            if not is_passive(parse, pos):
                continue
            subject = _passive_subject(parse, pos)
            agents = [p for a in parse.kids(pos, "agent") for p in parse.kids(a, "pobj")]
            rows.append((doc_id, int(t["sent_id"]), pos, t["token"], t["pos_lemma"],
                         _phrase(parse, subject) if subject is not None else "",
                         _phrase(parse, agents[0]) if agents else "", not agents,
                         bool(obligation_marker(parse, pos)), bool(t["author_voice"]),
                         texts.get((doc_id, int(t["sent_id"])), "")))
    out = pd.DataFrame(rows, columns=PASSIVE_COLUMNS)
    return out.sort_values(["doc_id", "position"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------ who must


def obligation_subjects(roles: pd.DataFrame, by: str | list[str] | None = None,
                        include_carriers: bool = True, unit: str = "lemma") -> pd.DataFrame:
    """Who must: the agents of obligated verbs, the patients of obligated *passive* verbs
    ("violations must be handled") and, if ``include_carriers``, the carriers of obligated
    copulas ("leaders must be exemplary"), counted by ``unit``: the lemma of the nominal,
    or any column of ``roles`` such as ``actor`` (a table of
    :func:`analysis.actors.actor_roles`).

    Columns: [``by`` columns,] <unit>, role, n, markers and verbs (sorted distinct
    obligation markers and verb lemmas, joined by "; "). Sorted by ``by``, n (descending),
    <unit>, role.
    """
    require_columns(roles, (unit, "role", "voice", "obligation", "obligation_marker", "verb_lemma"),
                    "obligation_subjects", "analysis.agency.nominal_roles(annotated)")
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    who = (roles["role"] == "agent") | ((roles["role"] == "patient") & (roles["voice"] == "passive"))
    if include_carriers:
        who |= roles["role"] == "carrier"
    chosen = roles[roles["obligation"] & who]
    cols = keys + [unit, "role", "n", "markers", "verbs"]
    if chosen.empty:
        return pd.DataFrame(columns=cols)
    out = (chosen.groupby(keys + [unit, "role"], sort=True)
           .agg(n=(unit, "size"),
                markers=("obligation_marker", lambda s: "; ".join(sorted(set(s)))),
                verbs=("verb_lemma", lambda s: "; ".join(sorted(set(s)))))
           .reset_index())
    out = out.sort_values(keys + ["n", unit, "role"], ascending=[True] * len(keys) + [False, True, True],
                          kind="stable")
    return out[cols].reset_index(drop=True)


def role_counts(roles: pd.DataFrame, corpus: pd.DataFrame | None = None, by: str = "era") -> pd.DataFrame:
    """Role assignments counted per group: ``by`` (a column of ``roles`` or, through
    doc_id, of ``corpus``), role, voice, n, and share (n over the group's assignments).
    Sorted by group, then role in the order of :data:`ROLES`, then voice."""
    require_columns(roles, ("doc_id", "role", "voice"), "role_counts", "analysis.agency.nominal_roles(annotated)")
    table = roles
    if by not in roles.columns:
        if corpus is None:
            raise ValueError(f"role_counts: the roles table has no column {by!r}; pass the corpus "
                             "(analysis.load_corpus()) so it can be joined on doc_id.")
        require_columns(corpus, ("doc_id", by), "role_counts", "analysis.load_corpus()")
        table = roles.merge(corpus[["doc_id", by]], on="doc_id", how="inner")
    out = table.groupby([by, "role", "voice"], sort=True).size().rename("n").reset_index()
    out["share"] = out["n"] / out.groupby(by)["n"].transform("sum")
    out["_order"] = out["role"].map({r: i for i, r in enumerate(ROLES)})
    return out.sort_values([by, "_order", "voice"], kind="stable").drop(columns="_order").reset_index(drop=True)


# ------------------------------------------------------------------------ the gold sample


def agency_sample(roles: pd.DataFrame, n: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """A random sample of ``n`` role assignments stratified by text: each doc_id gets its
    share in proportion to its number of assignments (largest remainder,
    :func:`analysis.annotation_eval.allocate`), drawn without replacement with NumPy's
    ``default_rng(seed)``, documents in sorted order. Columns :data:`ROLE_KEY`, sorted by
    doc_id and position. Deterministic for a given roles table."""
    from .annotation_eval import allocate

    require_columns(roles, ROLE_KEY, "agency_sample", "analysis.agency.nominal_roles(annotated)")
    sizes = roles.groupby("doc_id").size().sort_index()
    shares = allocate(sizes, min(n, len(roles)))
    rng = np.random.default_rng(seed)
    parts = []
    for doc_id in sizes.index:
        pool = roles[roles["doc_id"] == doc_id].sort_values("position")
        pick = np.sort(rng.choice(len(pool), size=int(shares[doc_id]), replace=False))
        parts.append(pool.iloc[pick][ROLE_KEY])
    return pd.concat(parts).sort_values(["doc_id", "position"]).reset_index(drop=True)


def agent_patient_supplement(roles: pd.DataFrame, n: int = SUPPLEMENT_SIZE, seed: int = SUPPLEMENT_SEED,
                             agents: int = SUPPLEMENT_AGENTS, main_size: int = SAMPLE_SIZE,
                             main_seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """A second random sample, of agent and patient assignments only, that are not in the
    main sample (:func:`agency_sample` with ``main_size`` and ``main_seed``): ``agents``
    agents and ``n - agents`` patients (fewer if the pool is smaller). Each role's quota is
    split over the texts in proportion to that role's assignments left in each text
    (largest remainder, :func:`analysis.annotation_eval.allocate`) and drawn without
    replacement with one NumPy ``default_rng(seed)``, roles in the order of
    :data:`SUPPLEMENT_ROLES`, texts in sorted order. So each role is a stratified random
    sample of its own stratum (agents, patients) outside the main sample, and the share of
    agents is set by design, not by their frequency: only per-role figures are unbiased.
    Columns :data:`ROLE_KEY`, sorted by doc_id and position. Deterministic for a given
    roles table."""
    from .annotation_eval import allocate

    require_columns(roles, ROLE_KEY, "agent_patient_supplement", "analysis.agency.nominal_roles(annotated)")
    if not 0 <= agents <= n:
        raise ValueError(f"agent_patient_supplement: agents={agents} must be between 0 and n={n}.")
    main = agency_sample(roles, main_size, main_seed)
    rest = roles.merge(main, on=ROLE_KEY, how="left", indicator=True)
    rest = rest[(rest["_merge"] == "left_only") & rest["role"].isin(SUPPLEMENT_ROLES)].drop(columns="_merge")
    rng = np.random.default_rng(seed)
    parts = []
    for role, quota in zip(SUPPLEMENT_ROLES, (agents, n - agents)):
        pool_role = rest[rest["role"] == role]
        if pool_role.empty or quota == 0:
            continue
        sizes = pool_role.groupby("doc_id").size().sort_index()
        shares = allocate(sizes, min(quota, len(pool_role)))
        for doc_id in sizes.index:
            pool = pool_role[pool_role["doc_id"] == doc_id].sort_values("position")
            pick = np.sort(rng.choice(len(pool), size=int(shares[doc_id]), replace=False))
            parts.append(pool.iloc[pick][ROLE_KEY])
    out = pd.concat(parts) if parts else pd.DataFrame(columns=ROLE_KEY)
    return out.sort_values(["doc_id", "position"]).reset_index(drop=True)


def gold_path(name: str) -> Path:
    """Path of a gold file of ``corpus/annotations/``."""
    return paths.annotations_dir() / name


def _read_gold(path: Path, columns: list[str], flags: list[str]) -> pd.DataFrame:
    table = pd.read_csv(path, keep_default_na=False, encoding="utf-8", dtype={"doc_id": str})
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; the file needs {columns}.")
    for flag in flags:
        bad = table[~table[flag].astype(str).isin(["0", "1", ""])]
        if len(bad):
            raise ValueError(f"{path}: {flag!r} must be 0 or 1 (or empty where it does not apply); "
                             f"rows {list(bad.index + 2)} are not. Fix those rows.")
    return table


def read_agency_gold(path=None) -> pd.DataFrame:
    """The hand-read samples of role assignments (``corpus/annotations/agency_gold.csv``),
    checked: columns :data:`GOLD_ROLE_COLUMNS`, ``sample`` one of :data:`GOLD_SAMPLES`
    ("main": :func:`agency_sample`; "agent-patient supplement":
    :func:`agent_patient_supplement`), no assignment read twice, ``correct`` 0 or 1, an
    ``error_kind`` on every row marked 0."""
    table = _read_gold(Path(path) if path else gold_path("agency_gold.csv"), GOLD_ROLE_COLUMNS, ["correct"])
    table["correct"] = table["correct"].astype(int)
    odd = table[~table["sample"].isin(GOLD_SAMPLES)]
    if len(odd):
        raise ValueError(f"agency gold: rows {list(odd.index + 2)} have a sample not in {GOLD_SAMPLES}. "
                         "Write the draw the row comes from.")
    twice = table[table.duplicated(ROLE_KEY, keep=False)]
    if len(twice):
        raise ValueError(f"agency gold: rows {list(twice.index + 2)} are the same assignment read twice. "
                         "Keep one (the supplement is drawn outside the main sample).")
    unexplained = table[(table["correct"] == 0) & (table["error_kind"] == "")]
    if len(unexplained):
        raise ValueError(f"agency gold: rows {list(unexplained.index + 2)} are marked wrong without an "
                         "error_kind. Name the kind of error.")
    return table


def read_passives_gold(path=None) -> pd.DataFrame:
    """The hand-read passive clauses (``corpus/annotations/passives_gold.csv``), checked:
    columns :data:`GOLD_PASSIVE_COLUMNS`; ``found``, ``is_passive`` 0 or 1;
    ``agent_absent`` 0 or 1 for passives (empty allowed where ``is_passive`` is 0);
    ``kind`` one of :data:`PASSIVE_KINDS`."""
    table = _read_gold(Path(path) if path else gold_path("passives_gold.csv"), GOLD_PASSIVE_COLUMNS,
                       ["found", "is_passive", "agent_absent"])
    for flag in ("found", "is_passive"):
        if (table[flag].astype(str) == "").any():
            raise ValueError(f"passives gold: {flag!r} is empty on some rows; write 0 or 1.")
        table[flag] = table[flag].astype(int)
    odd = table[~table["kind"].isin(PASSIVE_KINDS)]
    if len(odd):
        raise ValueError(f"passives gold: rows {list(odd.index + 2)} have a kind not in {PASSIVE_KINDS}.")
    lacking = table[(table["is_passive"] == 1) & (table["agent_absent"].astype(str) == "")]
    if len(lacking):
        raise ValueError(f"passives gold: rows {list(lacking.index + 2)} are passives without agent_absent. "
                         "Write 1 if no agent is named in the clause, else 0.")
    return table


def stale_rows(gold: pd.DataFrame, predicted: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Gold rows that match no predicted row on ``key``: a change of the code or the model
    made them stale (read them again)."""
    return rows_not_in(gold, predicted, key).reset_index(drop=True)


# ------------------------------------------------------------------------ evaluation


def _precision_row(scope: str, k: int, n: int) -> dict:
    from .rhetoric import proportion_interval

    precision, low, high = proportion_interval(k, n)
    return {"scope": scope, "n": int(n), "correct": int(k), "precision": precision, "ci_low": low, "ci_high": high}


def evaluate_roles(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Precision of the role assignments: of the gold rows that still match a predicted
    assignment (:data:`ROLE_KEY`), the share marked correct, with its Wilson 95% interval
    (:func:`analysis.rhetoric.wilson_interval`).

    The rows of every sample of the gold file are pooled (column ``sample``: the main
    sample of all roles, :func:`agency_sample`, and the supplement of agents and patients,
    :func:`agent_patient_supplement`). Within one role each sample is a random sample of
    that role's assignments (stratified by text), so the per-role figures are the ones to
    read. The "all" row pools samples with different role mixes (the supplement has only
    agents and patients, agents over-represented by design): it is not the precision of a
    random assignment of the corpus.

    One row (``scope``) for all roles ("all"), one per role in the order of :data:`ROLES`,
    one for agents and patients together ("agent or patient"), and, since counting "of"
    phrases as possessors is a choice, one per relation of the possessors ("possessor:
    poss", "possessor: of", "possessor: conj", ...; needs the ``relation`` column of
    ``predicted``). Columns: scope, n, correct, precision, ci_low, ci_high, one column per
    error kind (``err: KIND``, rows marked wrong) and ``stale`` (gold rows no longer
    predicted, left out of the counts)."""
    require_columns(gold, GOLD_ROLE_COLUMNS, "evaluate_roles", "analysis.agency.read_agency_gold()")
    stale = stale_rows(gold, predicted, ROLE_KEY)
    extra = ["relation"] if "relation" in predicted.columns else []
    live = gold.merge(predicted[ROLE_KEY + extra].drop_duplicates(ROLE_KEY), on=ROLE_KEY, how="inner")
    kinds = sorted(k for k in live["error_kind"].unique() if k)
    parts = [("all", live, len(stale))]
    for role in ROLES:
        if (gold["role"] == role).any():
            parts.append((role, live[live["role"] == role], int((stale["role"] == role).sum())))
    if gold["role"].isin(SUPPLEMENT_ROLES).any():
        parts.append((" or ".join(SUPPLEMENT_ROLES), live[live["role"].isin(SUPPLEMENT_ROLES)],
                      int(stale["role"].isin(SUPPLEMENT_ROLES).sum())))
    if extra:
        possessors = live[live["role"] == "possessor"]
        for relation in sorted(possessors["relation"].unique()):
            parts.append((f"possessor: {relation}", possessors[possessors["relation"] == relation], 0))
    rows = []
    for scope, part, n_stale in parts:
        row = _precision_row(scope, int(part["correct"].sum()), len(part))
        wrong = part[part["correct"] == 0]
        row.update({f"err: {k}": int((wrong["error_kind"] == k).sum()) for k in kinds})
        row["stale"] = n_stale
        rows.append(row)
    return pd.DataFrame(rows)


def role_errors(gold: pd.DataFrame) -> pd.DataFrame:
    """The rows marked wrong, counted by role and error kind: role, error_kind, n (most
    frequent first)."""
    wrong = gold[gold["correct"].astype(int) == 0]
    out = wrong.groupby(["role", "error_kind"]).size().rename("n").reset_index()
    return out.sort_values(["n", "role", "error_kind"], ascending=[False, True, True]).reset_index(drop=True)


def evaluate_passives(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """How good :func:`passive_clauses` is against the clauses read by hand.

    Rows (measure, k, n, value, ci_low, ci_high; Wilson 95% intervals):

    - "passive precision": predicted passives that the gold marks passive / predicted
      passives that the gold has read;
    - "hidden-agent precision": predicted hidden-agent passives that are passives with no
      agent in the clause / predicted hidden-agent passives read;
    - "passive recall (be-passives)": gold passives of kind "be-passive" (an auxiliary
      be/get, finite or not) that are predicted / all of them;
    - "passive recall (with participles)": the same over every gold passive, reduced
      participle clauses ("information released by the hostile forces") included;
    - "hidden-agent recall (be-passives)": gold be-passives without an agent that are
      predicted as hidden-agent passives / all of them;
    - "unread predictions" (k = predicted passives absent from the gold, n = predicted):
      should be 0; if not, read them.
    """
    require_columns(gold, GOLD_PASSIVE_COLUMNS, "evaluate_passives", "analysis.agency.read_passives_gold()")
    g = gold.assign(agent_absent=gold["agent_absent"].replace("", 0).astype(int),
                    is_passive=gold["is_passive"].astype(int))
    p = predicted[PASSIVE_KEY + ["hidden_agent"]].assign(predicted=True)
    read = p.merge(g, on=PASSIVE_KEY, how="inner")
    hidden = read[read["hidden_agent"]]
    passives = g[g["is_passive"] == 1].merge(p, on=PASSIVE_KEY, how="left")
    passives["predicted"] = passives["predicted"].eq(True)
    passives["hidden_agent"] = passives["hidden_agent"].eq(True)
    be = passives[passives["kind"] == "be-passive"]
    be_hidden = be[be["agent_absent"] == 1]

    def row(measure, k, n):
        out = _precision_row(measure, int(k), int(n))
        return {"measure": measure, "k": out["correct"], "n": out["n"], "value": out["precision"],
                "ci_low": out["ci_low"], "ci_high": out["ci_high"]}

    return pd.DataFrame([
        row("passive precision", read["is_passive"].sum(), len(read)),
        row("hidden-agent precision", ((hidden["is_passive"] == 1) & (hidden["agent_absent"] == 1)).sum(), len(hidden)),
        row("passive recall (be-passives)", be["predicted"].sum(), len(be)),
        row("passive recall (with participles)", passives["predicted"].sum(), len(passives)),
        row("hidden-agent recall (be-passives)", (be_hidden["predicted"] & be_hidden["hidden_agent"]).sum(),
            len(be_hidden)),
        row("unread predictions", len(p) - len(read), len(p)),
    ])


def resolve_relatives(roles: pd.DataFrame) -> pd.DataFrame:
    """``roles`` with each relative pronoun's row moved to the noun it stands for
    ("cadres who violate discipline": the agent of "violate" is "cadres"), so that a
    join on the position of a noun phrase's head finds the roles of its relative clauses
    too. Rows without an antecedent are unchanged; the ``relation`` of a moved row gets
    the suffix " (relative)"."""
    require_columns(roles, ("position", "antecedent_position", "relation"), "resolve_relatives",
                        "nominal_roles(annotated)")
    moved = roles["antecedent_position"] >= 0
    out = roles.copy()
    out.loc[moved, "position"] = out.loc[moved, "antecedent_position"]
    out.loc[moved, "relation"] = out.loc[moved, "relation"] + " (relative)"
    return out.sort_values(["doc_id", "position"], kind="stable").reset_index(drop=True)
