"""Social actors: who the texts talk about, in which grammatical role, and in what tone.

The data flow::

    load_actors()  ->  actor_mentions(annotated, actors)  ->  one row per mention
    mentions + a role table (analysis.agency)  ->  actor_roles()  ->  role_profile(), top_verbs()
    mentions + sentence labels  ->  actor_tone()   (blame and praise)
    mentions  ->  actor_precision_sample()  ->  corpus/annotations/actors_precision.csv  ->  actor_precision()

The categories follow van Leeuwen (2008), *Discourse and Practice*, ch. 2 "Representing
social actors"; the dictionary is data (``analysis/data/actors.yaml``, versioned, with
its changelog and the definition of each actor). Assumptions, said once here:

- Actors are found in the annotation layer (:func:`analysis.annotation.annotate`), never
  in bare words: named-entity spans (``entity``, ``ent_type``) and noun-phrase heads (a
  NOUN, PROPN or PRON token that does not modify another noun), with the modifiers the
  dependency parse gives them (``dep``, ``head``). Parser errors become matching errors;
  the precision file measures them.
- A token belongs to at most one actor. Candidates are taken in order: entity patterns
  before head patterns; among head patterns, those with a required modifier ("council"
  with "people's") before those without; the longer span; the actor listed first in the
  file (so an entity named specifically, "Ho Chi Minh", is listed before a general one,
  "any person with a leader title"). A candidate that shares a token with one already
  taken is dropped.
- ``head_position`` is the ``position`` (as in the annotation layer) of the mention's
  nominal head: the token of the span whose syntactic head lies outside the span
  (a noun or pronoun preferred). Role tables are joined on it.
- Reference is not resolved: pronouns other than "we" are not counted, and a title used
  alone counts as a leader whoever it refers to.
- Entity ``name`` patterns are users' regular expressions, compiled by
  :func:`analysis.patterns.compile_user_pattern` with the ``regex`` module in its
  ``VERSION0`` mode, which means what Python's ``re`` means (one known difference: its
  ``\\w`` also matches combining marks, which texts in NFC hardly contain), case-sensitive
  as written. A pattern that is invalid, matches the empty string or backtracks
  catastrophically on the probe lines is refused when the file is read, and every search
  of an entity is time-limited (:data:`analysis.patterns.PATTERN_TIMEOUT`; Friedl 2006,
  *Mastering Regular Expressions*, ch. 6, on catastrophic backtracking); the error names
  the file, the actor and the pattern.
- Intervals: Wilson (1927, JASA 22(158)) for proportions of roles and for precision;
  percentile bootstrap (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*,
  ch. 13) for the tone shares, resampling an actor's sentences within a group. Both
  reuse :mod:`analysis.rhetoric`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .checks import named_by_source, missing_annotation, not_measured, read_marks, read_yaml, require_columns, rows_not_in  # noqa: F401 (re-exported for the notebooks)
from .patterns import UserPattern, compile_user_pattern
from .rhetoric import doc_seed, precision_by, resampled_sums, wilson_interval

PATTERN_KINDS = ("entity", "head")
ENTITY_KEYS = {"kind", "name", "types", "titles"}
HEAD_KEYS = {"kind", "lemma", "form", "upos", "with", "without"}
MENTION_COLUMNS = ["doc_id", "sent_id", "actor", "head_position", "start", "end", "text",
                   "author_voice", "quote_source", "pattern"]
ROLE_COLUMNS = ["doc_id", "sent_id", "position", "role", "verb_lemma", "voice", "obligation"]
#: Columns of the role table carried over when present (-1 or "" for mentions without a role).
ROLE_EXTRA_COLUMNS = ["verb_position", "verb", "obligation_marker", "relation"]
#: The roles every profile shows, zeros included; other roles of the role table are kept.
CORE_ROLES = ("agent", "patient", "possessor", "other")
ANNOTATION_COLUMNS = ["doc_id", "sent_id", "head_position", "actor", "text", "context", "correct", "note"]
#: The columns that identify a mention in the precision file.
MENTION_KEY = ["doc_id", "sent_id", "head_position", "actor", "text"]
NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
#: Dependencies by which a noun modifies another noun: such a noun is not a mention.
MODIFIER_DEPS = frozenset({"compound", "nmod", "amod"})
#: Dependencies of the words before a head that belong to its noun phrase.
PREMODIFIER_DEPS = frozenset({"det", "predet", "amod", "compound", "nmod", "nummod", "poss", "case",
                              "quantmod", "punct", "cc", "conj"})
#: Word classes that never sit in a noun phrase before its head ("defame and smear cadres":
#: the verbs are parsed as modifiers of "cadres" but are not part of the phrase).
NOT_PREMODIFIER_UPOS = frozenset({"VERB", "AUX", "ADV", "ADP", "SCONJ"})
_NAME = re.compile(r"[a-z][a-z0-9_]*")
#: How the dictionary is named in error messages when it was not read from a file.
UNNAMED_DICTIONARY = "the actor dictionary"


class ActorDictionaryError(ValueError):
    """A bad actor dictionary. The message names the actor and what to fix."""


@dataclass(frozen=True)
class Pattern:
    """One compiled pattern of an actor (see ``analysis/data/actors.yaml`` for the kinds)."""
    actor: str
    kind: str
    description: str
    name: UserPattern | None = None  # time-limited; .compiled is the regex-module pattern
    types: frozenset = frozenset()
    titles: frozenset = frozenset()
    lemmas: frozenset = frozenset()
    forms: frozenset = frozenset()
    upos: frozenset = frozenset()
    with_: frozenset = frozenset()
    without: frozenset = frozenset()

    @property
    def specific(self) -> bool:
        """Whether the pattern requires a title or a modifier (taken before the others)."""
        return bool(self.titles or self.with_)


@dataclass(frozen=True)
class Actor:
    """One actor of the dictionary with its compiled patterns."""
    name: str
    label: str
    definition: str
    rationale: str
    patterns: tuple


# ---------------------------------------------------------------------------- dictionary

def _words(actor: str, spec: dict, key: str) -> frozenset:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ActorDictionaryError(f"actor {actor!r}: pattern key {key!r} must be a list of non-empty strings, "
                                   f"got {value!r}. Write e.g. {key}: [word, other].")
    return frozenset(v.strip().lower() if key != "upos" and key != "types" else v.strip() for v in value)


def _compile_name(source: str, actor: str, name) -> UserPattern:
    """An entity pattern's ``name`` compiled by :func:`analysis.patterns.compile_user_pattern`
    (case-sensitive, as written); the error names ``source`` (the file), the actor and the
    pattern."""
    if not isinstance(name, str) or not name.strip():
        raise ActorDictionaryError(f"actor {actor!r}: entity pattern needs a 'name' regular expression.")
    where = f"{source}: actor {actor!r}, entity name pattern {name!r}"
    return compile_user_pattern(name, where, error=ActorDictionaryError)


def _compile_pattern(source: str, actor: str, spec, titles: frozenset) -> Pattern:
    if not isinstance(spec, dict) or spec.get("kind") not in PATTERN_KINDS:
        raise ActorDictionaryError(f"actor {actor!r}: pattern {spec!r} needs 'kind' set to one of "
                                   f"{', '.join(PATTERN_KINDS)}.")
    kind = spec["kind"]
    allowed = ENTITY_KEYS if kind == "entity" else HEAD_KEYS
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ActorDictionaryError(f"actor {actor!r}: {kind} pattern has unknown key(s) {unknown}; "
                                   f"use {', '.join(sorted(allowed))}.")
    if kind == "entity":
        name = spec.get("name")
        compiled = _compile_name(source, actor, name)
        wants_titles = spec.get("titles", False)
        if not isinstance(wants_titles, bool):
            raise ActorDictionaryError(f"actor {actor!r}: 'titles' must be true or false.")
        types = _words(actor, spec, "types")
        description = f"entity:{name}" + (f"[{','.join(sorted(types))}]" if types else "") + ("+title" if wants_titles else "")
        return Pattern(actor, kind, description, name=compiled, types=types,
                       titles=titles if wants_titles else frozenset())
    lemmas, forms = _words(actor, spec, "lemma"), _words(actor, spec, "form")
    if not lemmas and not forms:
        raise ActorDictionaryError(f"actor {actor!r}: head pattern needs a 'lemma' or 'form' list.")
    upos = _words(actor, spec, "upos")
    if upos - NOMINAL:
        raise ActorDictionaryError(f"actor {actor!r}: head upos {sorted(upos - NOMINAL)} cannot head a noun "
                                   f"phrase; use {', '.join(sorted(NOMINAL))}.")
    with_, without = _words(actor, spec, "with"), _words(actor, spec, "without")
    description = "head:" + "|".join(sorted(lemmas | forms)) + ("+" + "|".join(sorted(with_)) if with_ else "") \
        + ("-" + "|".join(sorted(without)) if without else "")
    return Pattern(actor, kind, description, lemmas=lemmas, forms=forms, upos=upos, with_=with_, without=without)


def validate_actors(raw, source: str | Path | None = None) -> dict[str, Actor]:
    """Check a parsed dictionary (the YAML as Python objects) and compile it.

    Required: a ``version`` string, a ``changelog`` list, ``leader_titles`` (a list) and
    an ``actors`` mapping; every actor needs a non-empty ``definition``, ``rationale`` and
    a non-empty ``patterns`` list of entity or head patterns (see the file's header);
    every entity ``name`` must compile, must not match the empty string and must pass the
    probe lines of :func:`analysis.patterns.compile_user_pattern` in time. Raises
    :class:`ActorDictionaryError` starting with ``source`` (the file it was read from;
    default :data:`UNNAMED_DICTIONARY`) and naming the actor at fault. Actors are
    returned in the order of the file (the order breaks ties between candidates).
    """
    source = UNNAMED_DICTIONARY if source is None else str(source)
    return named_by_source(source, ActorDictionaryError, _validate_actors, raw, source)


def _validate_actors(raw, source: str) -> dict[str, Actor]:
    if not isinstance(raw, dict):
        raise ActorDictionaryError("the dictionary must be a mapping with 'version', 'changelog' and 'actors'.")
    if not isinstance(raw.get("version"), str) or not raw["version"].strip():
        raise ActorDictionaryError("the dictionary needs a 'version' string, e.g. version: \"1.0.0\".")
    if not isinstance(raw.get("changelog"), list) or not raw["changelog"]:
        raise ActorDictionaryError("the dictionary needs a 'changelog' list with one entry per version.")
    titles = raw.get("leader_titles", [])
    if not isinstance(titles, list) or not all(isinstance(t, str) and t.strip() for t in titles):
        raise ActorDictionaryError("'leader_titles' must be a list of words, e.g. [secretary, president].")
    titles = frozenset(t.strip().lower() for t in titles)
    actors = raw.get("actors")
    if not isinstance(actors, dict) or not actors:
        raise ActorDictionaryError("the dictionary needs a non-empty 'actors' mapping.")
    out = {}
    for name, spec in actors.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ActorDictionaryError(f"actor {name!r}: names must be lower-case letters, digits and '_'.")
        if not isinstance(spec, dict):
            raise ActorDictionaryError(f"actor {name!r}: must be a mapping with label, definition, rationale, patterns.")
        for field in ("definition", "rationale"):
            if not isinstance(spec.get(field), str) or not spec[field].strip():
                raise ActorDictionaryError(f"actor {name!r}: missing or empty {field!r}. Add it.")
        patterns = spec.get("patterns")
        if not isinstance(patterns, list) or not patterns:
            raise ActorDictionaryError(f"actor {name!r}: 'patterns' must be a non-empty list of entity or head patterns.")
        compiled = tuple(_compile_pattern(source, name, p, titles) for p in patterns)
        if any(p.titles for p in compiled) and not titles:
            raise ActorDictionaryError(f"actor {name!r}: a pattern asks for titles but 'leader_titles' is empty. "
                                       "List the titles.")
        out[name] = Actor(name, str(spec.get("label", name)), spec["definition"].strip(),
                          spec["rationale"].strip(), compiled)
    return out


def actor_file_path(path: str | Path | None = None) -> Path:
    """``path``, or by default the package's ``analysis/data/actors.yaml``."""
    return Path(path) if path is not None else paths.data_file("actors.yaml")


def read_actor_file(path: str | Path | None = None) -> dict:
    """The dictionary file parsed as Python objects (default: :func:`actor_file_path`)."""
    return read_yaml(actor_file_path(path), ActorDictionaryError, "dictionary file")


def load_actors(path: str | Path | None = None) -> dict[str, Actor]:
    """The validated, compiled actors of the dictionary file (see :func:`validate_actors`);
    errors name the file."""
    return validate_actors(read_actor_file(path), actor_file_path(path))


def actors_version(path: str | Path | None = None) -> str:
    """The ``version`` field of the dictionary file."""
    return str(read_actor_file(path)["version"])


def actor_table(actors: dict[str, Actor]) -> pd.DataFrame:
    """One row per actor: actor, label, definition, n_patterns, rationale."""
    return pd.DataFrame([dict(actor=a.name, label=a.label, definition=a.definition,
                              n_patterns=len(a.patterns), rationale=a.rationale) for a in actors.values()])


# ---------------------------------------------------------------------------- noun phrases

class _Sentence:
    """The tokens of one sentence as arrays, indexed by position within the sentence."""

    def __init__(self, table: pd.DataFrame):
        self.pos = table["position"].to_numpy()
        first = int(self.pos[0])
        self.n = len(self.pos)
        head = table["head"].to_numpy() - first
        self.head = np.where((head >= 0) & (head < self.n), head, np.arange(self.n))
        self.dep = table["dep"].to_numpy()
        self.upos = table["upos"].to_numpy()
        self.token = table["token"].to_numpy()
        self.lower = table["lower"].to_numpy()
        self.lemma = table["pos_lemma"].str.lower().to_numpy()
        self.ent_iob = table["ent_iob"].to_numpy()
        self.ent_type = table["ent_type"].to_numpy()
        self.entity = table["entity"].to_numpy()
        self.fixed = table["in_fixed_phrase"].to_numpy()
        self.children = [[] for _ in range(self.n)]
        for k, h in enumerate(self.head):
            if h != k:
                self.children[h].append(k)

    def first_conjunct(self, k: int) -> int:
        """The token that ``k`` is a conjunct or apposition of (itself if neither)."""
        seen = set()
        while self.dep[k] in ("conj", "appos") and self.head[k] != k and k not in seen:
            seen.add(k)
            k = self.head[k]
        return k

    def is_modifier(self, k: int) -> bool:
        """Whether ``k`` (or the first conjunct it belongs to) modifies another noun."""
        j = self.first_conjunct(k)
        return self.dep[j] in MODIFIER_DEPS and self.upos[self.head[j]] in NOMINAL and self.head[j] != j

    def _premodifies(self, k: int, target: int) -> bool:
        """Whether ``k`` reaches ``target`` through pre-modifier dependencies only, without
        passing through a possessive pronoun."""
        seen = set()
        while k != target:
            if k in seen or self.dep[k] not in PREMODIFIER_DEPS or self.head[k] == k \
                    or self.upos[k] in NOT_PREMODIFIER_UPOS:
                return False
            if self.dep[k] == "poss" and self.upos[k] == "PRON":
                return False
            seen.add(k)
            k = self.head[k]
        return True

    def left_start(self, k: int, stop: Iterable[int] = ()) -> int:
        """The first token of the noun phrase headed by ``k``: the contiguous run of its
        pre-modifiers before it (not crossing the tokens of ``stop``)."""
        stop = set(stop)
        start = k
        while start - 1 >= 0 and start - 1 not in stop and self._premodifies(start - 1, k):
            start -= 1
        while start < k and self.upos[start] in ("PUNCT", "CCONJ"):  # "; ministries" -> "ministries"
            start += 1
        return start

    def modifiers(self, k: int) -> set[str]:
        """Lemmas and forms of the words that modify ``k``: its dependents and the words of
        its phrase before it. A conjunct with no dependents of its own (other than
        punctuation, determiners and conjunctions) shares those of its first conjunct."""
        own = [c for c in self.children[k] if self.dep[c] not in ("punct", "cc", "conj", "det")]
        words = set()
        for c in self.children[k] + list(range(self.left_start(k), k)):
            words.update((self.lemma[c], self.lower[c]))
        if not own and self.dep[k] == "conj":
            words |= self.modifiers(self.first_conjunct(k))
        return words

    def root_of(self, start: int, end: int) -> int:
        """The token of ``[start, end)`` whose head lies outside it: the first noun or
        pronoun among such tokens, else the first of them."""
        outside = [k for k in range(start, end) if not start <= self.head[k] < end or self.head[k] == k]
        nominal = [k for k in outside if self.upos[k] in NOMINAL]
        return (nominal or outside or [end - 1])[0]

    def entity_spans(self) -> list[tuple[int, int]]:
        """(start, end) of every named-entity span of the sentence."""
        from .annotation import NAME_LABELS

        spans, k = [], 0
        while k < self.n:
            if self.ent_type[k] in NAME_LABELS and self.ent_iob[k] in ("B", "I"):
                end = k + 1
                while end < self.n and self.ent_iob[end] == "I":
                    end += 1
                spans.append((k, end))
                k = end
            else:
                k += 1
        return spans


def _title_words(s: _Sentence, start: int, end: int, root: int) -> set[str]:
    """Words that may carry a person's title: the span, up to three capitalised words
    before it, the dependents of the root, and the noun it stands in apposition to."""
    words = {s.lower[k] for k in range(start, end)}
    k = start - 1
    while k >= 0 and start - k <= 3 and s.token[k][:1].isupper():
        words.add(s.lower[k])
        k -= 1
    words.update(s.lower[c] for c in s.children[root])
    if s.dep[root] == "appos":
        head = s.head[root]
        words.update(s.lower[c] for c in range(s.left_start(head), head + 1))
    return words


def _capitalised_titles_before(s: _Sentence, start: int, titles: frozenset) -> int:
    """``start`` moved left over the capitalised title words just before it
    ("General Secretary" before the name it titles)."""
    from .annotation import resources

    known = titles | frozenset(t for t in resources()["person_titles"] if " " not in t)
    while start - 1 >= 0 and s.token[start - 1][:1].isupper() and s.lower[start - 1] in known:
        start -= 1
    return start


def _entity_candidates(s: _Sentence, patterns: list[Pattern]) -> list[tuple]:
    """(pattern, root, start, end) of each entity span of ``s`` whose normalised name an
    entity pattern finds (each search time-limited, :class:`analysis.patterns.UserPattern`)."""
    spans = s.entity_spans()
    all_titles = frozenset().union(*(p.titles for p in patterns)) if patterns else frozenset()
    out = []
    for start, end in spans:
        others = {k for a, b in spans if (a, b) != (start, end) for k in range(a, b)}
        root = s.root_of(start, end)
        if s.is_modifier(root):
            continue
        left = min(s.left_start(root, stop=others), _capitalised_titles_before(s, start, all_titles))
        root = s.root_of(left, end)
        name, label = s.entity[start], s.ent_type[start]
        for p in patterns:
            if not name or (p.types and label not in p.types) or not p.name.search(name):
                continue
            if p.titles and not (_title_words(s, left, end, root) & p.titles):
                continue
            out.append((p, root, left, end))
    return out


def _head_candidates(s: _Sentence, patterns: list[Pattern]) -> list[tuple]:
    out = []
    for k in range(s.n):
        if s.upos[k] not in NOMINAL or s.fixed[k] or s.is_modifier(k):
            continue
        mods = None
        for p in patterns:
            if not (s.lemma[k] in p.lemmas or s.lower[k] in p.forms):
                continue
            if p.upos and s.upos[k] not in p.upos:
                continue
            if p.with_ or p.without:
                mods = s.modifiers(k) if mods is None else mods
                if (p.with_ and not mods & p.with_) or mods & p.without:
                    continue
            out.append((p, k, s.left_start(k), k + 1))
    return out


def _resolve(candidates: list[tuple], actor_order: dict[str, int]) -> list[tuple]:
    """Candidates in priority order (entity before head; for heads, a required modifier
    before none; the longer span; the actor listed first), each kept only if none of its
    tokens is taken."""
    ranked = sorted(candidates, key=lambda c: (c[0].kind != "entity", c[0].kind == "head" and not c[0].specific,
                                               -(c[3] - c[2]), actor_order[c[0].actor], c[2]))
    taken: set[int] = set()
    kept = []
    for cand in ranked:
        p, root, start, end = cand
        tokens = set(range(start, end)) | {root}
        if tokens & taken:
            continue
        taken |= tokens
        kept.append(cand)
    return sorted(kept, key=lambda c: c[2])


def actor_mentions(annotated: pd.DataFrame, actors: dict[str, Actor]) -> pd.DataFrame:
    """One row per mention of an actor (columns :data:`MENTION_COLUMNS`).

    ``head_position`` is the annotation-layer ``position`` of the nominal head; ``start``
    and ``end`` the positions of the span (end exclusive); ``text`` the span as written;
    ``author_voice`` and ``quote_source`` those of the head token; ``pattern`` the pattern
    that found it. Sorted by document order of ``annotated``, sentence, start.
    """
    require_columns(annotated, ("doc_id", "sent_id", "position", "token", "lower", "upos", "dep", "head",
                                "pos_lemma", "ent_iob", "ent_type", "entity", "in_fixed_phrase",
                                "author_voice", "quote_source"),
                    "actor_mentions", "analysis.annotation.annotate(sentences)")
    from .vocabulary import detokenize

    entity_patterns = [p for a in actors.values() for p in a.patterns if p.kind == "entity"]
    head_patterns = [p for a in actors.values() for p in a.patterns if p.kind == "head"]
    order = {name: i for i, name in enumerate(actors)}
    rows = []
    for (doc_id, sent_id), table in annotated.groupby(["doc_id", "sent_id"], sort=False):
        s = _Sentence(table)
        found = _entity_candidates(s, entity_patterns) + _head_candidates(s, head_patterns)
        voice, source = table["author_voice"].to_numpy(), table["quote_source"].to_numpy()
        for p, root, start, end in _resolve(found, order):
            rows.append((doc_id, int(sent_id), p.actor, int(s.pos[root]), int(s.pos[start]), int(s.pos[end - 1]) + 1,
                         detokenize(list(s.token[start:end])), bool(voice[root]), str(source[root]), p.description))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def actor_rates(mentions: pd.DataFrame, annotated: pd.DataFrame, actors: Iterable[str]) -> pd.DataFrame:
    """Mentions per document and actor, zeros included: actor, doc_id, count, n_words,
    per_1k (per 1,000 ``is_word`` tokens of the document), actors in the given order and
    documents in the order of ``annotated``."""
    require_columns(annotated, ("doc_id", "is_word"), "actor_rates", "analysis.annotation.annotate(sentences)")
    words = annotated.groupby("doc_id", sort=False)["is_word"].sum()
    counts = mentions.groupby(["actor", "doc_id"]).size()
    rows = [(a, d, int(counts.get((a, d), 0)), int(n), 1000.0 * counts.get((a, d), 0) / n)
            for a in actors for d, n in words.items()]
    return pd.DataFrame(rows, columns=["actor", "doc_id", "count", "n_words", "per_1k"])


# ---------------------------------------------------------------------------- roles

def actor_roles(mentions: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """Mentions joined to a role table (columns :data:`ROLE_COLUMNS`, e.g. from
    ``analysis.agency``) on doc_id, sent_id and head_position == position.

    One row per mention and role row: a head with two roles (the subject of two
    coordinated verbs) gives two rows; ``mention_id`` numbers the mentions so they can be
    counted once. A mention without a role row gets role "other", empty verb_lemma and
    voice, and obligation False. The columns of :data:`ROLE_EXTRA_COLUMNS` found in
    ``roles`` are kept (verb_position -1 and "" where there is no role).
    """
    require_columns(mentions, ("doc_id", "sent_id", "actor", "head_position"), "actor_roles", "actor_mentions()")
    require_columns(roles, ROLE_COLUMNS, "actor_roles", "analysis.agency")
    left = mentions.reset_index(drop=True).rename_axis("mention_id").reset_index()
    extra = [c for c in ROLE_EXTRA_COLUMNS if c in roles.columns]
    right = roles[ROLE_COLUMNS + extra].rename(columns={"position": "head_position"})
    joined = left.merge(right, on=["doc_id", "sent_id", "head_position"], how="left", sort=False)
    missing = joined["role"].isna()
    joined["role"] = joined["role"].where(~missing, "other")
    joined["verb_lemma"] = joined["verb_lemma"].where(~missing, "").fillna("")
    joined["voice"] = joined["voice"].where(~missing, "").fillna("")
    joined["obligation"] = joined["obligation"].where(~missing, False).fillna(False).astype(bool)
    for col in extra:
        joined[col] = joined[col].where(~missing, -1 if col == "verb_position" else "")
    if "verb_position" in extra:
        joined["verb_position"] = joined["verb_position"].astype(int)
    return joined.sort_values(["mention_id"], kind="stable").reset_index(drop=True)


def _group_column(table: pd.DataFrame, by: str, corpus: pd.DataFrame | None) -> pd.Series:
    """The grouping values of ``table``: its column ``by``, or the metadata column ``by``
    of ``corpus`` mapped through doc_id."""
    if by in table.columns:
        return table[by]
    if corpus is None or by not in corpus.columns:
        raise ValueError(f"group by {by!r}: not a column of the table; pass corpus= (analysis.load_corpus()) "
                         "with that metadata column.")
    return table["doc_id"].map(corpus.set_index("doc_id")[by])


def role_profile(actor_roles: pd.DataFrame, by: str = "doc_id", corpus: pd.DataFrame | None = None,
                 level: float = 0.95) -> pd.DataFrame:
    """Counts and shares of each role per actor and group (``by``: "doc_id" or a
    metadata column of ``corpus``): actor, <by>, role, count, n, share, ci_low, ci_high
    (Wilson). The roles of :data:`CORE_ROLES` always appear (zeros included), other roles
    of the table after them; counts are of rows of ``actor_roles`` (participations)."""
    require_columns(actor_roles, ("doc_id", "actor", "role"), "role_profile", "actor_roles()")
    table = actor_roles.assign(_group=_group_column(actor_roles, by, corpus))
    extra = sorted(set(table["role"]) - set(CORE_ROLES))
    rows = []
    for (actor, group), part in table.groupby(["actor", "_group"], sort=True):
        n = len(part)
        counts = part["role"].value_counts()
        for role in list(CORE_ROLES) + extra:
            k = int(counts.get(role, 0))
            low, high = wilson_interval(k, n, level)
            rows.append((actor, group, role, k, n, k / n, low, high))
    return pd.DataFrame(rows, columns=["actor", by, "role", "count", "n", "share", "ci_low", "ci_high"])


def top_verbs(actor_roles: pd.DataFrame, role: str = "agent", n: int = 10) -> pd.DataFrame:
    """The ``n`` most frequent verbs of each actor in ``role``: actor, verb_lemma, count,
    rank (ties broken alphabetically), sorted by actor, rank."""
    require_columns(actor_roles, ("actor", "role", "verb_lemma"), "top_verbs", "actor_roles()")
    part = actor_roles[(actor_roles["role"] == role) & (actor_roles["verb_lemma"] != "")]
    counts = part.groupby(["actor", "verb_lemma"]).size().rename("count").reset_index()
    counts = counts.sort_values(["actor", "count", "verb_lemma"], ascending=[True, False, True], kind="stable")
    counts["rank"] = counts.groupby("actor").cumcount() + 1
    return counts[counts["rank"] <= n].reset_index(drop=True)


# ---------------------------------------------------------------------------- tone

def actor_sentences(mentions: pd.DataFrame, author_voice_only: bool = True) -> pd.DataFrame:
    """The sentences that name each actor, once per actor and sentence: actor, doc_id,
    sent_id. With ``author_voice_only``, only mentions in the author's voice count."""
    part = mentions[mentions["author_voice"].astype(bool)] if author_voice_only else mentions
    return part[["actor", "doc_id", "sent_id"]].drop_duplicates().reset_index(drop=True)


def actor_tone(mentions: pd.DataFrame, labels: pd.DataFrame, by: str = "doc_id", corpus: pd.DataFrame | None = None,
               n_boot: int = 2000, seed: int = 2025, level: float = 0.95, author_voice_only: bool = True,
               label_source: str = "hand labels") -> pd.DataFrame:
    """Blame and praise: the tone of the sentences that name each actor, per group.

    ``labels`` has doc_id, sent_id, label (negative, neutral, positive), e.g.
    :func:`analysis.sentiment.read_labels` or a scored table. A sentence counts once per
    actor. Columns: actor, <by>, n_sentences (naming the actor), n_labelled,
    n_unlabelled (counted, and left out of the shares), share_negative with
    neg_low/neg_high, share_positive with pos_low/pos_high, label_source. Intervals:
    percentile bootstrap resampling the actor's labelled sentences within the group with
    replacement (Efron & Tibshirani 1993), one generator per actor and group seeded from
    ``seed`` (:func:`analysis.rhetoric.doc_seed`), so a cell does not depend on the others.
    """
    require_columns(mentions, ("actor", "doc_id", "sent_id", "author_voice"), "actor_tone", "actor_mentions()")
    require_columns(labels, ("doc_id", "sent_id", "label"), "actor_tone", "analysis.sentiment.read_labels()")
    if n_boot < 100:
        raise ValueError("n_boot should be at least 100 for a percentile interval.")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1, e.g. 0.95.")
    if labels.duplicated(["doc_id", "sent_id"]).any():
        raise ValueError("labels: one row per (doc_id, sent_id) expected; the table has duplicates.")
    sents = actor_sentences(mentions, author_voice_only)
    sents = sents.merge(labels[["doc_id", "sent_id", "label"]], on=["doc_id", "sent_id"], how="left")
    sents["_group"] = _group_column(sents, by, corpus)
    tail = 100 * (1 - level) / 2
    rows = []
    for (actor, group), part in sents.groupby(["actor", "_group"], sort=True):
        known = part[part["label"].notna()]
        flags = np.column_stack([(known["label"] == "negative").to_numpy(), (known["label"] == "positive").to_numpy()])
        n = len(known)
        if n:
            rng = np.random.default_rng(doc_seed(seed, f"{actor}|{group}"))
            sums, size = resampled_sums(flags, np.ones(n), n_boot, rng)
            boot = sums / size[:, None]
            (neg_low, pos_low), (neg_high, pos_high) = np.percentile(boot, [tail, 100 - tail], axis=0)
            neg, pos = flags.mean(axis=0)
        else:
            neg = pos = neg_low = neg_high = pos_low = pos_high = np.nan
        rows.append((actor, group, len(part), n, len(part) - n, neg, neg_low, neg_high, pos, pos_low, pos_high,
                     label_source))
    return pd.DataFrame(rows, columns=["actor", by, "n_sentences", "n_labelled", "n_unlabelled", "share_negative",
                                       "neg_low", "neg_high", "share_positive", "pos_low", "pos_high", "label_source"])


# ---------------------------------------------------------------------------- precision

def mention_context(mentions: pd.DataFrame, annotated: pd.DataFrame) -> pd.Series:
    """Each mention's sentence with the span in [brackets] (for reading in context)."""
    from .vocabulary import detokenize

    tokens = {key: (g["position"].to_numpy(), list(g["token"]))
              for key, g in annotated.groupby(["doc_id", "sent_id"], sort=False)}
    out = []
    for doc_id, sent_id, start, end in zip(mentions["doc_id"], mentions["sent_id"], mentions["start"], mentions["end"]):
        pos, words = tokens[(doc_id, sent_id)]
        i, j = int(np.searchsorted(pos, start)), int(np.searchsorted(pos, end))
        out.append(detokenize(words[:i] + ["[" + detokenize(words[i:j]) + "]"] + words[j:]))
    return pd.Series(out, index=mentions.index, dtype=object)


def actor_precision_sample(mentions: pd.DataFrame, annotated: pd.DataFrame, read_all_below: int = 100,
                           per_actor: int = 60, seed: int = 2025) -> pd.DataFrame:
    """Mentions to read for precision: all mentions of an actor with fewer than
    ``read_all_below`` mentions, otherwise ``per_actor`` drawn without replacement (one
    generator per actor, :func:`analysis.rhetoric.doc_seed`). Columns
    :data:`ANNOTATION_COLUMNS` with ``correct`` and ``note`` empty, in mention order."""
    parts = []
    for actor in pd.unique(mentions["actor"]):
        rows = mentions[mentions["actor"] == actor]
        if len(rows) >= read_all_below:
            rng = np.random.default_rng(doc_seed(seed, actor))
            rows = rows.iloc[np.sort(rng.choice(len(rows), size=min(per_actor, len(rows)), replace=False))]
        parts.append(rows)
    sample = pd.concat(parts).sort_index() if parts else mentions.iloc[:0]
    sample = sample.assign(context=mention_context(sample, annotated), correct="", note="")
    return sample[ANNOTATION_COLUMNS].reset_index(drop=True)


def read_actor_annotations(path: str | Path | None = None) -> pd.DataFrame:
    """The precision annotations (``corpus/annotations/actors_precision.csv``), checked:
    columns :data:`ANNOTATION_COLUMNS`, ``correct`` 0 or 1."""
    path = Path(path) if path is not None else paths.annotations_dir() / "actors_precision.csv"
    return read_marks(path, ANNOTATION_COLUMNS, ("doc_id", "actor", "text", "context", "note"),
                      "actor_precision_sample()")


def orphan_actor_annotations(annotations: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Annotated rows that no longer match a mention of the code's output (same doc_id,
    sent_id, head_position, actor and text, :data:`MENTION_KEY`): a change of the
    dictionary, the code or the annotation layer has made them stale."""
    return rows_not_in(annotations, mentions, MENTION_KEY)


def actor_precision(annotations: pd.DataFrame, actors: Iterable[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Precision per actor from the annotations: actor, n, correct, precision, ci_low,
    ci_high (Wilson), in the order of ``actors`` (default: order of appearance)."""
    require_columns(annotations, ("actor", "correct"), "actor_precision", "read_actor_annotations()")
    order = list(actors) if actors is not None else list(pd.unique(annotations["actor"]))
    return precision_by(annotations, "actor", order, level)


def proportion_phrase(k: int, n: int, value: float, low: float, high: float, noun: str = "") -> str:
    """A measured proportion as prose: ``112 of 130 assignments (0.86 [0.79, 0.91])``;
    ``none read`` when ``n`` is 0."""
    if not n:
        return f"none read{' (no ' + noun + ')' if noun else ''}"
    return f"{int(k)} of {int(n)}{' ' + noun if noun else ''} ({value:.2f} [{low:.2f}, {high:.2f}])"
