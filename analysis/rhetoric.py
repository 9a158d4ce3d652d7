"""Rhetorical profile: dictionary categories, structural devices, rates with intervals.

The data flow mirrors the rest of the package::

    load_categories()  ->  find_matches(sentences, categories, annotated)  ->  evidence (KWIC)
    evidence + sentence_words(annotated, voice)  ->  category_rates()  ->  rates with bootstrap CIs
    sentences  ->  quoted_spans(), enumerations(), questions(), sentence_lengths()
    evidence + hand marks  ->  precision_table(), recall_table() (when the corpus has them:
                               annotation_path(PRECISION_FILE), annotation_path(RECALL_FILE))
    rates + groups  ->  group_rates(), group_difference(); top_category(), spread_between_texts(),
                        separated_categories() for the findings

Assumptions, said once here and again in notebook 03:

- Patterns are matched on the sentence texts of :func:`analysis.sentences`,
  case-insensitively, with word boundaries: a pattern never matches inside a word.
- Matches of one category that overlap are merged and counted once ("the people" inside
  "serving the people" is one match); different categories count independently.
- A category's ``scope`` narrows what counts (:func:`scan_matches`): a match inside the
  name of a malady, or a leader's title in a report of that leader's speech, is kept
  in the scan with the rule that excluded it, and is not counted.
- Voice: each match is mapped to the tokens of the annotation layer
  (:func:`analysis.annotation.annotate`) that it covers; it is in the quoted voice if
  one of them is inside a quotation given to someone else (``author_voice`` false),
  and in the author's voice otherwise (including terms and scare quotes).
- The word count of a document is its number of ``is_word`` tokens (:func:`analysis.tokens`),
  of the voice being measured when rates are per voice.
- Intervals: percentile bootstrap (Efron & Tibshirani 1993, *An Introduction to the
  Bootstrap*, ch. 13), resampling the sentences of a document with replacement, with a
  fixed seed. They show sampling variation *within* a text, not between texts.
- Precision intervals: Wilson score interval (Wilson 1927, JASA 22(158)).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import regex

from . import paths
from .patterns import UserPattern, compile_user_pattern
from .checks import named_by_source, not_measured, read_marks, read_yaml, require_columns, rows_not_in  # noqa: F401 (re-exported for the notebooks)

PATTERN_KINDS = ("words", "regex", "sentence_initial")
EVIDENCE_COLUMNS = ["doc_id", "category", "sent_id", "match", "left", "right", "start", "end", "pattern"]
#: Added by :func:`find_matches` when the annotation layer is given.
VOICE_COLUMNS = ["author_voice", "quote_source"]
SCOPE_KINDS = ("not_inside", "not_reporting")
RECALL_COLUMNS = ["doc_id", "sent_id", "category", "match", "note"]
RATE_COLUMNS = ["doc_id", "category", "count", "n_words", "per_1k", "ci_low", "ci_high"]
ANNOTATION_COLUMNS = ["doc_id", "category", "sent_id", "start", "match", "context", "correct", "note"]
#: The columns that identify an evidence row (a word can occur twice in a sentence).
EVIDENCE_KEY = ["doc_id", "category", "sent_id", "start", "match"]
KWIC_WINDOW = 60
_NAME = re.compile(r"[a-z][a-z0-9_]*")

#: What may precede a sentence-initial pattern: opening quotes, an enumerator such as
#: "First," or "One:", and one -ly adverb ("Effectively implement").
ENUMERATORS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
               "ninth", "tenth", "firstly", "secondly", "thirdly", "fourthly", "fifthly",
               "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ENUMERATOR = rf"(?:{'|'.join(ENUMERATORS)})\s*[,:.)]"
_SENTENCE_START = rf"^[\s\"“‘'(\-–]*(?:{_ENUMERATOR}\s*)?(?:\w+ly\s+)?"


class RhetoricDictionaryError(ValueError):
    """A bad category dictionary. The message names the category and what to fix."""


@dataclass(frozen=True)
class Category:
    """One category of the dictionary with its compiled patterns."""
    name: str
    label: str
    definition: str
    rationale: str
    source: str
    patterns: dict
    regexes: tuple  # tuple of (pattern text, analysis.patterns.UserPattern)
    not_inside: tuple = ()  # UserPatterns: a match inside one of their matches is not counted
    reporting: dict | None = None  # the `reporting` resources if the not_reporting rule applies


# ---------------------------------------------------------------------------- dictionary

def phrase_regex(phrase: str) -> str:
    """The regular expression of a literal word or phrase with word boundaries: inner
    spaces match any white space, a trailing ``*`` any word ending."""
    phrase = phrase.strip()
    glob = phrase.endswith("*")
    words = phrase.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    ending = r"[\w-]*" if glob else ""
    return rf"(?<!\w){body}{ending}(?!\w)"


def sentence_initial_regex(phrase: str) -> str:
    """The regular expression of a phrase that counts only at the start of a sentence
    (see :data:`_SENTENCE_START`); the phrase itself is the named group ``m``."""
    return rf"{_SENTENCE_START}(?P<m>{phrase_regex(phrase)})"


#: How the dictionary is named in error messages when it was not read from a file.
UNNAMED_DICTIONARY = "the rhetoric dictionary"


def _compile(source: str, category: str, kind: str, pattern) -> tuple[str, UserPattern]:
    """``("kind:pattern", UserPattern)`` of one dictionary pattern of ``category``, read from
    ``source`` (a file). Compiled case-insensitively by :func:`analysis.patterns.compile_user_pattern`
    with the ``regex`` module (its VERSION0 means what ``re`` means), so that a pattern that
    is invalid, matches the empty string or backtracks catastrophically on its probe lines
    is refused, and every later match is time-limited (:data:`analysis.patterns.PATTERN_TIMEOUT`);
    the error names the file, the category and the pattern."""
    where = f"{source}: category {category!r}, {kind} pattern {pattern!r}"
    if not isinstance(pattern, str) or not pattern.strip():
        raise RhetoricDictionaryError(f"{where} is not a non-empty string. Write each pattern as a quoted string.")
    source_regex = {"words": phrase_regex, "sentence_initial": sentence_initial_regex}.get(kind, lambda p: p)(pattern)
    compiled = compile_user_pattern(source_regex, where, flags=regex.IGNORECASE, error=RhetoricDictionaryError)
    return f"{kind}:{pattern}", compiled


def validate_categories(raw, source: str | Path | None = None) -> dict[str, Category]:
    """Check a parsed dictionary (the YAML as Python objects) and compile it.

    Required: a ``version`` string and a ``categories`` mapping; every category needs a
    non-empty ``definition``, ``rationale`` and ``patterns`` (a mapping of the kinds in
    :data:`PATTERN_KINDS` to lists, at least one pattern in all); every regex must
    compile, must not match the empty string and must pass the probe lines of
    :func:`analysis.patterns.compile_user_pattern` in time. Raises
    :class:`RhetoricDictionaryError` naming ``source`` (the file it was read from; default
    :data:`UNNAMED_DICTIONARY`) and the category at fault. Categories are returned in the
    order of the file.
    """
    source = UNNAMED_DICTIONARY if source is None else str(source)
    return named_by_source(source, RhetoricDictionaryError, _validate_categories, raw, source)


def _validate_categories(raw, source: str) -> dict[str, Category]:
    if not isinstance(raw, dict):
        raise RhetoricDictionaryError("the dictionary must be a mapping with 'version' and 'categories'.")
    if not isinstance(raw.get("version"), str) or not raw["version"].strip():
        raise RhetoricDictionaryError("the dictionary needs a 'version' string, e.g. version: \"1.0.0\".")
    cats = raw.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise RhetoricDictionaryError("the dictionary needs a non-empty 'categories' mapping.")
    out = {}
    for name, spec in cats.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise RhetoricDictionaryError(
                f"category {name!r}: names must be lower-case letters, digits and '_'.")
        if not isinstance(spec, dict):
            raise RhetoricDictionaryError(f"category {name!r}: must be a mapping with definition, patterns, rationale.")
        for field in ("definition", "rationale"):
            if not isinstance(spec.get(field), str) or not spec[field].strip():
                raise RhetoricDictionaryError(f"category {name!r}: missing or empty {field!r}. Add it.")
        patterns = spec.get("patterns")
        if not isinstance(patterns, dict):
            raise RhetoricDictionaryError(
                f"category {name!r}: 'patterns' must be a mapping of {', '.join(PATTERN_KINDS)} to lists.")
        unknown = sorted(set(patterns) - set(PATTERN_KINDS))
        if unknown:
            raise RhetoricDictionaryError(
                f"category {name!r}: unknown pattern kind(s) {unknown}; use {', '.join(PATTERN_KINDS)}.")
        regexes = []
        for kind in PATTERN_KINDS:
            items = patterns.get(kind) or []
            if not isinstance(items, list):
                raise RhetoricDictionaryError(f"category {name!r}: patterns.{kind} must be a list.")
            regexes.extend(_compile(source, name, kind, p) for p in items)
        if not regexes:
            raise RhetoricDictionaryError(f"category {name!r}: has no patterns. Add at least one.")
        not_inside, reporting = _validate_scope(source, name, spec.get("scope"), raw.get("reporting"))
        out[name] = Category(name, str(spec.get("label", name)), spec["definition"].strip(),
                             spec["rationale"].strip(), str(spec.get("source", "")).strip(),
                             patterns, tuple(regexes), not_inside, reporting)
    return out


REPORTING_KEYS = ("event_verbs", "speech_nouns", "citation_markers")


def _validate_scope(source: str, name: str, scope, reporting) -> tuple[tuple, dict | None]:
    """The compiled ``not_inside`` regexes and the ``reporting`` resources (or None) of
    one category's optional ``scope`` mapping (see the top of the YAML file)."""
    if scope is None:
        return (), None
    if not isinstance(scope, dict):
        raise RhetoricDictionaryError(f"category {name!r}: 'scope' must be a mapping of {', '.join(SCOPE_KINDS)}.")
    unknown = sorted(set(scope) - set(SCOPE_KINDS))
    if unknown:
        raise RhetoricDictionaryError(
            f"category {name!r}: unknown scope rule(s) {unknown}; use {', '.join(SCOPE_KINDS)}.")
    items = scope.get("not_inside") or []
    if not isinstance(items, list):
        raise RhetoricDictionaryError(f"category {name!r}: scope.not_inside must be a list of regular expressions.")
    not_inside = tuple(_compile(source, name, "scope.not_inside", p)[1] for p in items)
    flag = scope.get("not_reporting", False)
    if not isinstance(flag, bool):
        raise RhetoricDictionaryError(f"category {name!r}: scope.not_reporting must be true or false.")
    if not flag:
        return not_inside, None
    if not isinstance(reporting, dict) or any(not isinstance(reporting.get(k), list) or not reporting[k]
                                              for k in REPORTING_KEYS):
        raise RhetoricDictionaryError(
            f"category {name!r}: scope.not_reporting needs a top-level 'reporting' mapping with non-empty "
            f"lists {', '.join(REPORTING_KEYS)}. Add it to the dictionary.")
    return not_inside, {k: frozenset(str(w).lower() for w in reporting[k]) for k in REPORTING_KEYS}


def dictionary_path(path: str | Path | None = None) -> Path:
    """``path``, or by default the package's ``analysis/data/rhetoric_categories.yaml``."""
    return Path(path) if path is not None else paths.data_file("rhetoric_categories.yaml")


def read_dictionary(path: str | Path | None = None) -> dict:
    """The dictionary file parsed as Python objects (default: :func:`dictionary_path`)."""
    return read_yaml(dictionary_path(path), RhetoricDictionaryError, "dictionary file")


def load_categories(path: str | Path | None = None) -> dict[str, Category]:
    """The validated, compiled categories of the dictionary file (see :func:`validate_categories`);
    errors name the file."""
    return validate_categories(read_dictionary(path), dictionary_path(path))


def dictionary_version(path: str | Path | None = None) -> str:
    """The ``version`` field of the dictionary file."""
    return str(read_dictionary(path)["version"])


def category_table(categories: dict[str, Category]) -> pd.DataFrame:
    """One row per category: category, label, definition, n_patterns, scope (the scope
    rules, comma-separated), rationale, source."""
    def scope(c):
        return ", ".join(r for r, on in (("not_inside", c.not_inside), ("not_reporting", c.reporting)) if on)

    return pd.DataFrame([dict(category=c.name, label=c.label, definition=c.definition,
                              n_patterns=len(c.regexes), scope=scope(c), rationale=c.rationale, source=c.source)
                         for c in categories.values()])


# ---------------------------------------------------------------------------- matching

def _check_sentences(sents: pd.DataFrame) -> None:
    require_columns(sents, ("doc_id", "sent_id", "text"), "rhetoric", made_by="analysis.sentences(corpus)")


def merge_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Merge overlapping (start, end, pattern) spans; a merged span keeps the pattern of
    its first (left-most, then longest) member. Touching spans (end == start) stay apart."""
    merged: list[list] = []
    for start, end, pattern in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, pattern])
    return [tuple(m) for m in merged]


def _spans(text: str, category: Category) -> list[tuple[int, int, str]]:
    """The merged (start, end, label) spans of a category's patterns in ``text``: the
    named group ``m`` of a pattern that has one (sentence-initial phrases), else the whole
    match. Each pattern's scan is time-limited (:class:`analysis.patterns.UserPattern`)."""
    spans = []
    for label, pattern in category.regexes:
        group = "m" if "m" in pattern.compiled.groupindex else 0
        for m in pattern.finditer(text):
            if m.end(group) > m.start(group):
                spans.append((m.start(group), m.end(group), label))
    return merge_spans(spans)


def _inside(start: int, end: int, text: str, patterns: tuple) -> bool:
    """Whether the span (start, end) of ``text`` lies inside a match of one of ``patterns``
    (UserPatterns, each scan time-limited)."""
    return any(m.start() <= start and end <= m.end() for p in patterns for m in p.finditer(text))


def _raw_matches(sents: pd.DataFrame, categories: dict[str, Category], window: int) -> pd.DataFrame:
    """Every merged pattern match (:data:`EVIDENCE_COLUMNS`) and a column ``scope``: "" or
    "not_inside" when the match lies inside a ``not_inside`` expression of its category."""
    rows = []
    for doc_id, sent_id, text in zip(sents["doc_id"], sents["sent_id"], sents["text"]):
        for name, category in categories.items():
            for start, end, label in _spans(text, category):
                scope = "not_inside" if _inside(start, end, text, category.not_inside) else ""
                rows.append((doc_id, name, sent_id, text[start:end], text[max(0, start - window):start],
                             text[end:end + window], start, end, label, scope))
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS + ["scope"])


def token_offsets(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each token in ``text``, found in order (the tokens of
    :func:`analysis.tokens` are substrings of their sentence, in order). Raises
    ValueError naming the token that cannot be found."""
    out, cursor = [], 0
    for token in tokens:
        start = text.find(token, cursor)
        if start < 0:
            raise ValueError(f"token {token!r} not found after offset {cursor} in {text!r}; "
                             "build the tokens from the same sentences.")
        out.append((start, start + len(token)))
        cursor = start + len(token)
    return out


def tokens_of_span(start: int, end: int, offsets: list[tuple[int, int]]) -> list[int]:
    """Indices of the tokens (their ``offsets``) that overlap the span (start, end)."""
    return [k for k, (s, e) in enumerate(offsets) if s < end and start < e]


def _reporting_verb(tok: pd.Series, speech_forms: frozenset, reporting: dict) -> bool:
    return tok["lower"] in speech_forms or tok["pos_lemma"] in reporting["event_verbs"]


def is_reported_speaker(sentence: pd.DataFrame, positions: list[int], reporting: dict,
                        speech_forms: frozenset) -> bool:
    """Whether the tokens at ``positions`` (a title or name) are the reported speaker of
    the event a text reports, by the dependency parse of the annotation layer.

    The match's roots are its tokens whose head lies outside it. It is reporting if a
    root is the subject (nsubj, nsubjpass) of a verb of speech (``speech_forms``, the
    word forms of ``annotation.yaml``) or of the reported event (``event_verbs``,
    lemmas), or the object of "of"/possessor of a speech noun ("the instructions of X",
    "X's speech"), or has a relative clause headed by such a verb ("X, who delivered a
    speech"). It is not reporting if the verb carries a citation marker ("once said",
    "often taught", "had already pointed out"): the text then cites a past teaching.
    Only a person (entity PERSON) or a title (``person_titles`` of ``annotation.yaml``)
    can be a reported speaker: a document that "states" is cited, not reported."""
    from .annotation import resources

    by_pos = sentence.set_index("position")
    titles = {str(t).lower() for t in resources()["person_titles"]}
    covered = by_pos.loc[positions]
    if not ((covered["ent_type"] == "PERSON").any() or covered["lower"].isin(titles).any()):
        return False
    inside = set(positions)
    children: dict[int, list[int]] = {}
    for pos, head in zip(sentence["position"], sentence["head"]):
        if pos != head:
            children.setdefault(head, []).append(pos)

    def cited(verb: int) -> bool:
        return any(by_pos.at[c, "lower"] in reporting["citation_markers"] for c in children.get(verb, ()))

    for pos in positions:
        tok = by_pos.loc[pos]
        head = int(tok["head"])
        if head in inside or head == pos:
            continue
        head_tok = by_pos.loc[head]
        if tok["dep"] in ("nsubj", "nsubjpass") and _reporting_verb(head_tok, speech_forms, reporting):
            return not cited(head)
        if tok["dep"] == "poss" and head_tok["lower"] in reporting["speech_nouns"]:
            return True
        if tok["dep"] == "pobj" and head_tok["lower"] == "of":
            noun = int(head_tok["head"])
            if by_pos.at[noun, "lower"] in reporting["speech_nouns"]:
                return True
        for child in children.get(pos, ()):
            if (by_pos.at[child, "dep"] == "relcl" and _reporting_verb(by_pos.loc[child], speech_forms, reporting)
                    and not cited(child)):
                return True
    return False


def _speech_forms() -> frozenset:
    from .annotation import resources

    return frozenset(str(w).lower() for w in resources()["speech_verbs"])


def _with_voice_and_reporting(matches: pd.DataFrame, sents: pd.DataFrame, annotated: pd.DataFrame,
                              categories: dict[str, Category]) -> pd.DataFrame:
    """Add ``author_voice`` and ``quote_source`` to every match (from the tokens it
    covers) and mark ``scope`` = "not_reporting" where that rule applies."""
    require_columns(annotated, ("doc_id", "sent_id", "position", "token", "lower", "pos_lemma", "dep", "head",
                                "ent_type", "author_voice", "quote_source"),
                    "rhetoric voice", made_by="analysis.annotation.annotate(sentences)")
    texts = dict(zip(zip(sents["doc_id"], sents["sent_id"]), sents["text"]))
    by_sentence = dict(tuple(annotated.groupby(["doc_id", "sent_id"], sort=False)))
    speech_forms = _speech_forms()
    voice, source, scope = [], [], list(matches["scope"])
    for i, r in enumerate(matches.itertuples(index=False)):
        sentence = by_sentence.get((r.doc_id, r.sent_id))
        if sentence is None:
            raise ValueError(f"{r.doc_id} sentence {r.sent_id} is not in the annotation layer; "
                             "annotate the same sentences.")
        offsets = token_offsets(texts[(r.doc_id, r.sent_id)], list(sentence["token"]))
        covered = sentence.iloc[tokens_of_span(r.start, r.end, offsets)]
        quoted = covered[~covered["author_voice"].astype(bool)]
        voice.append(quoted.empty)
        source.append("" if quoted.empty else quoted["quote_source"].iloc[0])
        reporting = categories[r.category].reporting
        if not scope[i] and reporting is not None and is_reported_speaker(
                sentence, list(covered["position"]), reporting, speech_forms):
            scope[i] = "not_reporting"
    return matches.assign(author_voice=voice, quote_source=source, scope=scope)


def scan_matches(sents: pd.DataFrame, categories: dict[str, Category], annotated: pd.DataFrame | None = None,
                 window: int = KWIC_WINDOW) -> pd.DataFrame:
    """Every pattern match, counted or not: the columns of :func:`find_matches` and
    ``scope``, "" for a counted match or the scope rule that excludes it
    ("not_inside", "not_reporting").

    ``annotated`` (:func:`analysis.annotation.annotate` of the same sentences) adds the
    voice columns and is required when a category has the ``not_reporting`` rule."""
    _check_sentences(sents)
    matches = _raw_matches(sents, categories, window)
    if annotated is not None:
        matches = _with_voice_and_reporting(matches, sents, annotated, categories)
    else:
        needs = [c.name for c in categories.values() if c.reporting is not None]
        if needs:
            raise ValueError(f"categories {needs} have the scope rule not_reporting, which needs the annotation "
                             "layer: pass annotated=analysis.annotation.annotate(sentences).")
    doc_order = {d: i for i, d in enumerate(pd.unique(sents["doc_id"]))}
    cat_order = {c: i for i, c in enumerate(categories)}
    key = (matches["doc_id"].map(doc_order) * 10**6 + matches["category"].map(cat_order) * 10**4)
    order = np.lexsort((matches["start"].to_numpy(), matches["sent_id"].to_numpy(), key.to_numpy()))
    return matches.iloc[order].reset_index(drop=True)


def find_matches(sents: pd.DataFrame, categories: dict[str, Category], annotated: pd.DataFrame | None = None,
                 window: int = KWIC_WINDOW) -> pd.DataFrame:
    """The evidence table (keyword in context): one row per counted match.

    Columns: doc_id, category, sent_id, match (as written), left and right (up to
    ``window`` characters of the sentence either side), start and end (character offsets
    in the sentence), pattern (kind:pattern of the first pattern of a merged match); with
    ``annotated``, also ``author_voice`` (bool) and ``quote_source`` (the source of the
    quotation the match is in, "" in the author's voice). Sorted by document order of
    ``sents``, then category order, sent_id, start. Matches excluded by a scope rule
    are left out (:func:`scan_matches` keeps them)."""
    scanned = scan_matches(sents, categories, annotated, window)
    return scanned[scanned["scope"] == ""].drop(columns="scope").reset_index(drop=True)


def voice_split(evidence: pd.DataFrame) -> pd.DataFrame:
    """Counts per document and category in each voice: doc_id, category, total, author,
    quoted (author + quoted = total), from an evidence table with ``author_voice``."""
    require_columns(evidence, ("doc_id", "category", "author_voice"), "voice_split",
                    made_by="find_matches(..., annotated=...)")
    voice = evidence["author_voice"].astype(bool)
    table = (evidence.assign(author=voice.astype(int), quoted=(~voice).astype(int), total=1)
             .groupby(["doc_id", "category"], sort=False)[["total", "author", "quoted"]].sum())
    return table.reset_index()


# ---------------------------------------------------------------------------- counting

VOICES = ("all", "author", "quoted")


def sentence_words(toks: pd.DataFrame, voice: str = "all") -> pd.DataFrame:
    """Words per sentence: doc_id, sent_id, n_words (``is_word`` tokens), from a tokens
    table; ``voice`` "author" or "quoted" counts only the words of that voice (needs the
    ``author_voice`` column of the annotation layer). Every sentence keeps a row, with 0
    where it has no word of that voice."""
    if voice not in VOICES:
        raise ValueError(f"voice must be one of {VOICES}; got {voice!r}.")
    require_columns(toks, ("doc_id", "sent_id", "is_word") + (("author_voice",) if voice != "all" else ()),
                    "sentence_words", made_by="analysis.annotation.annotate(sentences)")
    words = toks["is_word"].astype(bool)
    if voice != "all":
        own = toks["author_voice"].astype(bool)
        words = words & (own if voice == "author" else ~own)
    counts = words.groupby([toks["doc_id"], toks["sent_id"]], sort=False).sum().astype(int)
    return counts.rename("n_words").reset_index()


def voice_evidence(evidence: pd.DataFrame, voice: str) -> pd.DataFrame:
    """The evidence rows of one voice ("author" or "quoted"; "all" returns every row)."""
    if voice not in VOICES:
        raise ValueError(f"voice must be one of {VOICES}; got {voice!r}.")
    if voice == "all":
        return evidence
    require_columns(evidence, ("author_voice",), "voice_evidence", made_by="find_matches(..., annotated=...)")
    own = evidence["author_voice"].astype(bool)
    return evidence[own if voice == "author" else ~own]


def sentence_counts(evidence: pd.DataFrame, sent_words: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """Matches per sentence and category: one row per sentence of ``sent_words`` (doc_id,
    sent_id, n_words) with one integer column per category (zeros included)."""
    wide = (evidence.groupby(["doc_id", "sent_id", "category"]).size()
            .unstack("category", fill_value=0).reindex(columns=categories, fill_value=0))
    table = sent_words.merge(wide.reset_index(), on=["doc_id", "sent_id"], how="left")
    unmatched = len(evidence) - int(table[categories].sum().sum()) if len(categories) else 0
    if unmatched:
        raise ValueError(f"{unmatched} evidence row(s) refer to sentences not in the word table; "
                         "build both from the same sentences.")
    table[categories] = table[categories].fillna(0).astype(int)
    return table


def per_thousand(count, n_words):
    """Rate per 1,000 words: ``1000 * count / n_words`` (n_words must be positive)."""
    n_words = np.asarray(n_words, dtype=float)
    if np.any(n_words <= 0):
        raise ValueError("n_words must be positive to compute a rate per 1,000 words.")
    return 1000.0 * np.asarray(count, dtype=float) / n_words


def doc_seed(seed: int, doc_id: str) -> list[int]:
    """The random-generator seed of one document: the study seed and a CRC-32 of the
    doc_id, so a document's resamples do not depend on which other documents are present."""
    return [int(seed), zlib.crc32(doc_id.encode("utf-8"))]


def bootstrap_rates(counts: np.ndarray, words: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap rates per 1,000 words, shape (n_boot, n_categories): each replicate
    resamples the sentences (rows of ``counts``, shape (n_sentences, n_categories)) with
    replacement and divides the summed counts by the summed words of the same sentences.
    A replicate without words (possible for a voice absent from most sentences) is NaN."""
    total_counts, total_words = resampled_sums(counts, words, n_boot, rng)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total_words[:, None] > 0, 1000.0 * total_counts / total_words[:, None], np.nan)


def resampled_sums(counts: np.ndarray, words: np.ndarray, n_boot: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Summed counts (n_boot, n_categories) and summed words (n_boot,) of ``n_boot``
    resamples, with replacement, of the sentences (rows of ``counts``) of one document."""
    counts = np.asarray(counts, dtype=float).reshape(len(words), -1)
    words = np.asarray(words, dtype=float)
    idx = rng.integers(0, len(words), size=(n_boot, len(words)))
    return counts[idx].sum(axis=1), words[idx].sum(axis=1)


def category_rates(evidence: pd.DataFrame, sent_words: pd.DataFrame, categories: list[str],
                   n_boot: int = 2000, seed: int = 2025, level: float = 0.95) -> pd.DataFrame:
    """Count, n_words, rate per 1,000 words and percentile-bootstrap interval for every
    document and category (columns :data:`RATE_COLUMNS`), documents in the order of
    ``sent_words``. Resamples sentences within each document (:func:`bootstrap_rates`);
    replicates without words are ignored. Documents without a word in ``sent_words``
    (e.g. no quoted word at all) have no rate and are left out."""
    if n_boot < 100:
        raise ValueError("n_boot should be at least 100 for a percentile interval.")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1, e.g. 0.95.")
    table = sentence_counts(evidence, sent_words, categories)
    tail = 100 * (1 - level) / 2
    rows = []
    for doc_id, part in table.groupby("doc_id", sort=False):   # one pass; groups in order of first appearance
        counts, words = part[categories].to_numpy(), part["n_words"].to_numpy()
        if words.sum() == 0:
            continue
        boot = bootstrap_rates(counts, words, n_boot, np.random.default_rng(doc_seed(seed, doc_id)))
        low, high = np.nanpercentile(boot, [tail, 100 - tail], axis=0)
        total = counts.sum(axis=0)
        rate = per_thousand(total, words.sum())
        for j, cat in enumerate(categories):
            rows.append((doc_id, cat, int(total[j]), int(words.sum()), rate[j], low[j], high[j]))
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def every_document(rates: pd.DataFrame, docs: list[str], categories: list[str]) -> pd.DataFrame:
    """``rates`` (:func:`category_rates`) with a row for every document of ``docs`` and
    category of ``categories``, in that order: a document that has no rate (no word of the
    voice measured, e.g. no quotation) gets count 0, n_words 0 and no rate or interval
    (NaN), so that every text appears in a per-text table."""
    index = pd.MultiIndex.from_product([docs, categories], names=["doc_id", "category"])
    table = rates.set_index(["doc_id", "category"]).reindex(index)
    table["count"] = table["count"].fillna(0).astype(int)
    table["n_words"] = table["n_words"].fillna(0).astype(int)
    return table.reset_index()[RATE_COLUMNS]


def group_rates(evidence: pd.DataFrame, sent_words: pd.DataFrame, categories: list[str],
                groups: dict[str, str], n_boot: int = 2000, seed: int = 2025,
                level: float = 0.95, order: list[str] | None = None) -> pd.DataFrame:
    """Pooled rates of groups of documents (e.g. eras): group, category, count, n_words,
    n_docs, per_1k, ci_low, ci_high. ``groups`` maps doc_id to group; documents not in it
    are left out. The bootstrap resamples sentences within each document (stratified), so
    every replicate keeps each document's size; it does not resample documents. Groups come
    in ``order`` (e.g. :func:`analysis.groups.group_order`, earliest first; default: sorted
    by name). The column ``_boot`` holds each row's bootstrap replicates (for
    :func:`group_difference`); drop it before saving."""
    table = sentence_counts(evidence, sent_words, categories)
    table = table[table["doc_id"].isin(groups)]
    tail = 100 * (1 - level) / 2
    rows = []
    names = sorted(set(groups.values())) if order is None else [g for g in order if g in set(groups.values())]
    for group in names:
        docs = [d for d in pd.unique(table["doc_id"]) if groups[d] == group]
        boot_counts = np.zeros((n_boot, len(categories)))
        boot_words = np.zeros(n_boot)
        for doc_id in docs:
            part = table[table["doc_id"] == doc_id]
            doc_counts, doc_words = resampled_sums(part[categories].to_numpy(), part["n_words"].to_numpy(),
                                                   n_boot, np.random.default_rng(doc_seed(seed, doc_id)))
            boot_counts += doc_counts
            boot_words += doc_words
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = np.where(boot_words[:, None] > 0, 1000.0 * boot_counts / boot_words[:, None], np.nan)
        low, high = np.nanpercentile(boot, [tail, 100 - tail], axis=0)
        part = table[table["doc_id"].isin(docs)]
        total, words = part[categories].sum().to_numpy(), int(part["n_words"].sum())
        rate = per_thousand(total, words)
        for j, cat in enumerate(categories):
            rows.append((group, cat, int(total[j]), words, len(docs), rate[j], low[j], high[j], boot[:, j]))
    out = pd.DataFrame(rows, columns=["group", "category", "count", "n_words", "n_docs",
                                      "per_1k", "ci_low", "ci_high", "_boot"])
    return out


def group_difference(group_table: pd.DataFrame, first: str, second: str, level: float = 0.95) -> pd.DataFrame:
    """Per category: rate of ``second`` minus rate of ``first`` with a percentile interval
    from the paired bootstrap replicates of :func:`group_rates` (independent documents,
    so the replicates of the two groups are independent draws)."""
    tail = 100 * (1 - level) / 2
    rows = []
    a = group_table[group_table["group"] == first].set_index("category")
    b = group_table[group_table["group"] == second].set_index("category")
    if a.empty or b.empty:
        raise ValueError(f"groups {first!r} and {second!r} must both be in the table; it has {sorted(group_table['group'].unique())}.")
    for cat in a.index:
        diff = b.at[cat, "_boot"] - a.at[cat, "_boot"]
        low, high = np.nanpercentile(diff, [tail, 100 - tail])
        rows.append((cat, a.at[cat, "per_1k"], b.at[cat, "per_1k"], b.at[cat, "per_1k"] - a.at[cat, "per_1k"], low, high))
    return pd.DataFrame(rows, columns=["category", f"per_1k_{first}", f"per_1k_{second}", "difference", "ci_low", "ci_high"])


# ---------------------------------------------------------------------------- structure

def paragraph_texts(sents: pd.DataFrame) -> pd.DataFrame:
    """Each paragraph rebuilt from its sentences (joined by one space) with the offset at
    which each sentence starts: doc_id, para_id, text, starts (list), sent_ids (list)."""
    _check_sentences(sents)
    if "para_id" not in sents.columns:
        raise ValueError("sentences table lacks column para_id; pass analysis.sentences(corpus).")
    rows = []
    for (doc_id, para_id), part in sents.groupby(["doc_id", "para_id"], sort=False):
        starts, pos = [], 0
        for text in part["text"]:
            starts.append(pos)
            pos += len(text) + 1
        rows.append((doc_id, para_id, " ".join(part["text"]), starts, list(part["sent_id"])))
    return pd.DataFrame(rows, columns=["doc_id", "para_id", "text", "starts", "sent_ids"])


#: Opening quote -> closing quote. Straight quotes close themselves.
QUOTE_PAIRS = {"“": "”", "‘": "’", '"': '"', "'": "'"}
_SINGLE_CLOSERS = ("’", "'")


def _is_opener(text: str, i: int) -> bool:
    """A quote character opens a quotation if it follows the start, white space or an
    opening bracket/dash and is followed by a non-space character."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{-–—:") and not after.isspace()


def _is_closer(text: str, i: int) -> bool:
    """A quote character closes a quotation if it follows a non-space character and is
    not followed by a letter or digit (so the apostrophe of "Party’s" never closes)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def find_quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted span in ``text``, quote marks excluded.

    Handles typographic (“ ” ‘ ’) and straight (" ') quotes. An apostrophe inside a word
    ("Party’s", "isn’t") is never a quote mark; a possessive after a plural ("citizens’
    “immunity”") closes nothing unless a single quote is open. Spans do not nest: quote
    marks inside an open quotation of another kind are ignored, except that a quotation
    ends at its own closing mark.
    """
    spans, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in QUOTE_PAIRS and _is_opener(text, i):
            closer = QUOTE_PAIRS[ch]
            candidates = (closer,) if ch in "“\"" else _SINGLE_CLOSERS
            j = i + 1
            while j < len(text) and not (text[j] in candidates and _is_closer(text, j)):
                j += 1
            if j < len(text):
                spans.append((i + 1, j))
                i = j + 1
                continue
        i += 1
    return spans


def quoted_spans(sents: pd.DataFrame, scare_max_words: int = 3, window: int = KWIC_WINDOW) -> pd.DataFrame:
    """Every quoted span: doc_id, sent_id (where it opens), kind, n_words, quote, left,
    right. Quotes are found in whole paragraphs, so a quotation may run over several
    sentences. ``kind`` is ``scare_quote`` for spans of at most ``scare_max_words`` words
    (a term held at a distance: “purify”, “likes”) and ``slogan_or_quotation`` for longer
    ones (a slogan, a saying or reported words); the line between slogan and quotation is
    left to the reader of the table."""
    from .tokens import tokenize

    rows = []
    for para in paragraph_texts(sents).itertuples(index=False):
        for start, end in find_quotes(para.text):
            k = int(np.searchsorted(para.starts, start, side="right")) - 1
            quote = para.text[start:end]
            n_words = sum(1 for t in tokenize(quote) if t[0].isalnum())
            kind = "scare_quote" if n_words <= scare_max_words else "slogan_or_quotation"
            rows.append((para.doc_id, para.sent_ids[k], kind, n_words, quote,
                         para.text[max(0, start - 1 - window):start - 1], para.text[end + 1:end + 1 + window]))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "kind", "n_words", "quote", "left", "right"])


_ENUMERATION = re.compile(rf"^[\s\"“‘'(]*(?P<m>{_ENUMERATOR})", re.IGNORECASE)


def enumerations(sents: pd.DataFrame) -> pd.DataFrame:
    """Sentences that open with an enumerator ("First,", "Second,", "One:", "Two:"):
    doc_id, sent_id, marker, text."""
    _check_sentences(sents)
    rows = [(d, s, m["m"], t) for d, s, t in zip(sents["doc_id"], sents["sent_id"], sents["text"])
            if (m := _ENUMERATION.match(t))]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "marker", "text"])


def questions(sents: pd.DataFrame) -> pd.DataFrame:
    """Every question mark in the texts: doc_id, sent_id, in_quote, text. ``in_quote`` is
    true when the question mark lies inside a quoted span (reported words, e.g. a question
    attributed to critics or to Ho Chi Minh); the others are questions in the text's own
    voice, which in these texts are rhetorical (no answer is expected)."""
    rows = []
    for para in paragraph_texts(sents).itertuples(index=False):
        quotes = find_quotes(para.text)
        for m in re.finditer(r"\?", para.text):
            k = int(np.searchsorted(para.starts, m.start(), side="right")) - 1
            inside = any(s <= m.start() < e for s, e in quotes)
            sent = sents[(sents["doc_id"] == para.doc_id) & (sents["sent_id"] == para.sent_ids[k])]["text"].iloc[0]
            rows.append((para.doc_id, para.sent_ids[k], inside, sent))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "in_quote", "text"])


def sentence_lengths(sent_words: pd.DataFrame) -> pd.DataFrame:
    """Sentence length in words per document: doc_id, n_sentences, mean, median, max,
    in the order of ``sent_words``."""
    grouped = sent_words.groupby("doc_id", sort=False)["n_words"]
    return pd.DataFrame({"n_sentences": grouped.size(), "mean": grouped.mean(),
                         "median": grouped.median(), "max": grouped.max()}).reset_index()


def structure_table(sents: pd.DataFrame, sent_words: pd.DataFrame) -> pd.DataFrame:
    """Structural devices per document: doc_id, n_sentences, n_words, enumerations,
    scare_quotes, slogans_or_quotations, questions_own_voice, questions_quoted, and
    sentence length (mean, median, max words)."""
    lengths = sentence_lengths(sent_words)
    docs = list(lengths["doc_id"])
    quotes = quoted_spans(sents)
    qs = questions(sents)

    def per_doc(frame, mask=None):
        frame = frame if mask is None else frame[mask]
        return frame.groupby("doc_id").size().reindex(docs, fill_value=0).to_numpy()

    return pd.DataFrame({
        "doc_id": docs,
        "n_sentences": lengths["n_sentences"].to_numpy(),
        "n_words": sent_words.groupby("doc_id", sort=False)["n_words"].sum().reindex(docs).to_numpy(),
        "enumerations": per_doc(enumerations(sents)),
        "scare_quotes": per_doc(quotes, quotes["kind"] == "scare_quote"),
        "slogans_or_quotations": per_doc(quotes, quotes["kind"] == "slogan_or_quotation"),
        "questions_own_voice": per_doc(qs, ~qs["in_quote"].astype(bool)),
        "questions_quoted": per_doc(qs, qs["in_quote"].astype(bool)),
        "sentence_mean_words": lengths["mean"].to_numpy(),
        "sentence_median_words": lengths["median"].to_numpy(),
        "sentence_max_words": lengths["max"].to_numpy(),
    })


# ---------------------------------------------------------------------------- precision

def precision_sample(evidence: pd.DataFrame, per_category: int = 15, seed: int = 2025) -> pd.DataFrame:
    """Up to ``per_category`` evidence rows per category, drawn without replacement with a
    fixed seed (one generator per category, seeded like :func:`doc_seed`), in evidence
    order, with a ``context`` column (left + [match] + right) for reading."""
    parts = []
    for cat in pd.unique(evidence["category"]):
        rows = evidence[evidence["category"] == cat]
        rng = np.random.default_rng(doc_seed(seed, cat))
        take = np.sort(rng.choice(len(rows), size=min(per_category, len(rows)), replace=False))
        parts.append(rows.iloc[take])
    sample = pd.concat(parts) if parts else evidence.iloc[:0]
    sample = sample.assign(context=sample["left"] + "[" + sample["match"] + "]" + sample["right"])
    return sample[["doc_id", "category", "sent_id", "start", "match", "context"]].reset_index(drop=True)


#: The hand-annotation files of a corpus (in its ``annotations/`` folder), and the notes
#: beside them that say who marked them and how.
PRECISION_FILE = "rhetoric_precision.csv"
RECALL_FILE = "rhetoric_recall.csv"
ANNOTATION_NOTES = "rhetoric_precision.md"


def annotation_path(name: str) -> Path:
    """``annotations/NAME`` of the corpus the study reads (:func:`analysis.paths.annotations_dir`)."""
    return paths.annotations_dir() / name


def unmarked_evidence(evidence: pd.DataFrame, annotations: pd.DataFrame) -> pd.DataFrame:
    """Evidence rows that no hand mark covers (same :data:`EVIDENCE_KEY`): matches the
    marks say nothing about, e.g. after a dictionary change or when only a sample was marked."""
    return rows_not_in(evidence, annotations, EVIDENCE_KEY)


def current_marks(annotations: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """The hand marks that still match an evidence row (:func:`orphan_annotations` left out)."""
    return annotations.drop(index=orphan_annotations(annotations, evidence).index)


def read_annotations(path: str | Path | None = None) -> pd.DataFrame:
    """The precision annotations (``corpus/annotations/rhetoric_precision.csv``), checked:
    columns :data:`ANNOTATION_COLUMNS`, ``correct`` 0 or 1."""
    path = Path(path) if path is not None else annotation_path(PRECISION_FILE)
    return read_marks(path, ANNOTATION_COLUMNS, ("doc_id", "category", "match", "context", "note"),
                      "precision_sample()")


def orphan_annotations(annotations: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """Annotated rows that no longer match an evidence row (same doc_id, category,
    sent_id, start and match, see :data:`EVIDENCE_KEY`): a dictionary change has made
    them stale."""
    return rows_not_in(annotations, evidence, EVIDENCE_KEY)


def wilson_interval(k, n, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (Wilson 1927, JASA 22(158):209-212):
    (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    from scipy.stats import norm

    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0; got k={k}, n={n}.")
    z = norm.ppf(1 - (1 - level) / 2)
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre - half) / (1 + z * z / n)), float((centre + half) / (1 + z * z / n))


def proportion_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float, float]:
    """k/n with its Wilson interval (:func:`wilson_interval`); three NaN when n is 0."""
    if not n:
        return np.nan, np.nan, np.nan
    return (k / n, *wilson_interval(k, n, level))


def precision_by(marks: pd.DataFrame, column: str, values, level: float = 0.95) -> pd.DataFrame:
    """Precision of hand marks (``correct`` 0/1) for each of ``values`` of ``column``, in
    that order: <column>, n, correct, precision, ci_low, ci_high (Wilson)."""
    rows = []
    for value in values:
        correct = marks.loc[marks[column] == value, "correct"].astype(int)
        n, k = len(correct), int(correct.sum())
        rows.append((value, n, k, *proportion_interval(k, n, level)))
    return pd.DataFrame(rows, columns=[column, "n", "correct", "precision", "ci_low", "ci_high"])


def precision_table(annotations: pd.DataFrame, categories: list[str], level: float = 0.95) -> pd.DataFrame:
    """Precision per category from the annotations: category, n_marked, n_correct,
    precision, ci_low, ci_high (Wilson), in the order of ``categories``."""
    return precision_by(annotations, "category", categories, level).rename(
        columns={"n": "n_marked", "correct": "n_correct"})


# ---------------------------------------------------------------------------- groups

def party_groups(corpus: pd.DataFrame, by: str = "era") -> dict[str, str]:
    """doc_id -> group (the metadata column ``by``) for the texts of the main voice only
    (:func:`analysis.groups.groups_of`). Reader comments (another voice) are never put in
    a group: they are a different voice."""
    from .groups import groups_of

    require_columns(corpus, ("doc_id", by, "voice"), "party_groups", made_by="analysis.load_corpus()")
    return groups_of(corpus, by).to_dict()


def group_order(corpus: pd.DataFrame, by: str = "era") -> list[str]:
    """The groups of the main-voice texts, earliest first (:func:`analysis.groups.group_order`:
    by the earliest ``date_start`` of their texts, then by name)."""
    from .groups import group_order as order

    require_columns(corpus, ("doc_id", by, "voice", "date_start"), "group_order", made_by="analysis.load_corpus()")
    return order(corpus, by)


def shared_values(corpus: pd.DataFrame, by: str, first: str, second: str, field: str) -> dict:
    """What two groups of main-voice texts have in common in the metadata column ``field``
    (``outlet``, ``translation``): ``first`` and ``second`` (how many distinct values
    each group has) and ``shared`` (the sorted values both have). A difference between
    groups that share no outlet is equally a difference between outlets."""
    from .groups import main_voice

    require_columns(corpus, ("doc_id", by, field), "shared_values", made_by="analysis.load_corpus()")
    texts = main_voice(corpus)
    values = {g: set(texts.loc[texts[by].astype(str) == g, field].astype(str)) for g in (first, second)}
    return dict(first=len(values[first]), second=len(values[second]),
                shared=sorted(values[first] & values[second]))


# ---------------------------------------------------------------------------- findings

def top_category(rates: pd.DataFrame, docs: list[str], leave_out: tuple[str, ...] = ()) -> pd.DataFrame:
    """The most frequent category of each document of ``docs`` (highest ``per_1k``; ties go
    to the category listed first in ``rates``), leaving out the categories ``leave_out``
    (pronouns are not a register): one row per document in ``docs`` order with the columns
    of :data:`RATE_COLUMNS`. A document without any match keeps its first category (rate 0)."""
    part = rates[rates["doc_id"].isin(docs) & ~rates["category"].isin(leave_out) & rates["per_1k"].notna()]
    best = part.loc[part.groupby("doc_id", sort=False)["per_1k"].idxmax()]
    return best.set_index("doc_id").loc[[d for d in docs if d in set(best["doc_id"])]].reset_index()


def spread_between_texts(rates: pd.DataFrame, docs: list[str]) -> pd.DataFrame:
    """How much each category's rate varies between the documents ``docs``: one row per
    category (order of ``rates``) with ``low`` and ``high`` (the lowest and highest rate
    per 1,000 words), ``low_doc`` and ``high_doc`` (the first document in ``docs`` order
    that has it), ``range`` (high - low), ``count`` (matches in these documents) and
    ``top_count``, ``top_doc`` and ``top_share``: the most matches in one document
    and their share of the category's count (NaN without a match)."""
    part = rates[rates["doc_id"].isin(docs) & rates["per_1k"].notna()]
    order = {d: k for k, d in enumerate(docs)}
    rows = []
    for cat, rows_of in part.groupby("category", sort=False):
        rows_of = rows_of.assign(_order=rows_of["doc_id"].map(order)).sort_values("_order", kind="stable")
        low, high = rows_of.loc[rows_of["per_1k"].idxmin()], rows_of.loc[rows_of["per_1k"].idxmax()]
        top = rows_of.loc[rows_of["count"].idxmax()]
        total = int(rows_of["count"].sum())
        rows.append(dict(category=cat, low=float(low["per_1k"]), low_doc=low["doc_id"], high=float(high["per_1k"]),
                         high_doc=high["doc_id"], range=float(high["per_1k"] - low["per_1k"]), count=total,
                         top_count=int(top["count"]), top_doc=top["doc_id"],
                         top_share=top["count"] / total if total else np.nan))
    return pd.DataFrame(rows, columns=["category", "low", "low_doc", "high", "high_doc", "range", "count",
                                       "top_count", "top_doc", "top_share"])


def separated_categories(rates: pd.DataFrame, groups: dict[str, str], first: str, second: str,
                         categories: list[str]) -> list[str]:
    """The categories of ``categories`` where every document of one group has a higher
    rate than every document of the other (``groups``: doc_id -> group)."""
    part = rates[rates["doc_id"].isin(groups) & rates["per_1k"].notna()].assign(group=lambda t: t["doc_id"].map(groups))
    span = part.groupby(["category", "group"])["per_1k"].agg(["min", "max"])
    out = []
    for cat in categories:
        if (cat, first) in span.index and (cat, second) in span.index:
            a, b = span.loc[(cat, first)], span.loc[(cat, second)]
            if a["max"] < b["min"] or b["max"] < a["min"]:
                out.append(cat)
    return out


def referents(marks: pd.DataFrame, category: str = "they_others") -> pd.Series:
    """What the right matches of ``category`` refer to, from the notes of the precision
    marks (``referent: cadres``): counts per referent, most frequent first (ties in order
    of first appearance). Empty when no note names a referent."""
    right = marks.loc[(marks["category"] == category) & (marks["correct"] == 1), "note"].astype(str)
    found = right.str.extract(r"referent: ([a-z ]+)")[0].dropna().str.strip()
    counts = found.value_counts(sort=False)
    return counts.sort_values(ascending=False, kind="stable").rename("matches")


# ---------------------------------------------------------------------------- recall

def stratum_sizes(sizes: pd.Series, n: int) -> pd.Series:
    """How many of ``n`` draws each stratum gets: proportional to ``sizes`` (index =
    stratum), rounded by largest remainder (Hamilton's method), at least one per
    stratum and never more than its size. Ties in the remainder go to the earlier stratum."""
    if n > sizes.sum():
        raise ValueError(f"cannot draw {n} from {int(sizes.sum())} units.")
    if n < len(sizes):
        raise ValueError(f"need at least one draw per stratum: n={n} < {len(sizes)} strata.")
    quota = n * sizes / sizes.sum()
    take = np.maximum(np.floor(quota).astype(int), 1).clip(upper=sizes)
    remainder = (quota - np.floor(quota)).to_numpy()
    order = np.argsort(-remainder, kind="stable")
    k = 0
    while take.sum() < n:
        i = order[k % len(order)]
        if take.iloc[i] < sizes.iloc[i]:
            take.iloc[i] += 1
        k += 1
    while take.sum() > n:  # only when the floor of one was raised for small strata
        i = int(np.argmax(take.to_numpy()))
        take.iloc[i] -= 1
    return take


def recall_sample(sents: pd.DataFrame, n: int = 60, seed: int = 2025) -> pd.DataFrame:
    """A random sample of ``n`` whole sentences, stratified by document
    (:func:`stratum_sizes`: proportional to each document's number of sentences), drawn
    without replacement with one generator per document (:func:`doc_seed`). Returns
    doc_id, sent_id, text in document order, then sent_id. Pass the sentences of the
    documents to be sampled (e.g. Party media only)."""
    _check_sentences(sents)
    docs = list(pd.unique(sents["doc_id"]))
    sizes = sents.groupby("doc_id", sort=False).size().reindex(docs)
    take = stratum_sizes(sizes, n)
    parts = []
    for doc_id in docs:
        rows = sents[sents["doc_id"] == doc_id]
        rng = np.random.default_rng(doc_seed(seed, doc_id))
        chosen = np.sort(rng.choice(len(rows), size=int(take[doc_id]), replace=False))
        parts.append(rows.iloc[chosen].sort_values("sent_id"))
    return pd.concat(parts)[["doc_id", "sent_id", "text"]].reset_index(drop=True)


def read_recall(path: str | Path | None = None) -> pd.DataFrame:
    """The recall gold (``corpus/annotations/rhetoric_recall.csv``), checked: columns
    :data:`RECALL_COLUMNS`; a row with an empty category records a sentence with no
    instance and must have an empty match; a row with a category needs its match."""
    path = Path(path) if path is not None else annotation_path(RECALL_FILE)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no recall file. Draw recall_sample() and mark every instance by hand.")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in RECALL_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}.")
    table["sent_id"] = table["sent_id"].astype(int)
    bad = table[(table["category"] == "") != (table["match"] == "")]
    if len(bad):
        raise ValueError(f"{path}: rows {list(bad.index + 2)} have a category without a match or a match "
                         "without a category; give both, or neither for a sentence with no instance.")
    return table


def recorded_sample(gold: pd.DataFrame, sents: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """The sentences a recall file records (every sentence read has at least one row):
    doc_id, sent_id, text from ``sents``, in the order of ``sents``, and the recorded
    (doc_id, sent_id) pairs that ``sents`` does not have (a text changed or removed since
    the marking), sorted."""
    _check_sentences(sents)
    keys = set(zip(gold["doc_id"], gold["sent_id"].astype(int)))
    present = [k in keys for k in zip(sents["doc_id"], sents["sent_id"])]
    sample = sents.loc[present, ["doc_id", "sent_id", "text"]].reset_index(drop=True)
    missing = sorted(keys - set(zip(sample["doc_id"], sample["sent_id"])))
    return sample, missing


def pair_instances(gold: list[str], found: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of a hand-marked instance ``gold[i]`` and a code match ``found[j]``
    of one category in one sentence: taken in order, a pair when one text contains the
    other (case-insensitive, white space normalised), each used once."""
    norm = [re.sub(r"\s+", " ", g).strip().lower() for g in gold]
    cand = [re.sub(r"\s+", " ", f).strip().lower() for f in found]
    used, pairs = set(), []
    for i, g in enumerate(norm):
        for j, f in enumerate(cand):
            if j not in used and (g in f or f in g):
                pairs.append((i, j))
                used.add(j)
                break
    return pairs


def recall_pairs(gold: pd.DataFrame, evidence: pd.DataFrame, sample: pd.DataFrame) -> pd.DataFrame:
    """Hand instances against code matches in the sampled sentences: one row per
    instance found by either, with doc_id, sent_id, category, gold (the hand text or ""),
    found (the code match or ""), outcome ("hit", "missed" = hand only, "spurious" =
    code only) and note (the hand note). Raises if the gold has a sentence outside the
    sample or the sample a sentence without a gold row (the sample must be recorded)."""
    keys = set(zip(sample["doc_id"], sample["sent_id"]))
    gold_keys = set(zip(gold["doc_id"], gold["sent_id"]))
    if gold_keys - keys:
        raise ValueError(f"gold rows for sentences not in the sample: {sorted(gold_keys - keys)}.")
    if keys - gold_keys:
        raise ValueError(f"sampled sentences without a gold row: {sorted(keys - gold_keys)}; "
                         "record an empty-category row for a sentence with no instance.")
    marked = gold[gold["category"] != ""]
    found = evidence[[k in keys for k in zip(evidence["doc_id"], evidence["sent_id"])]]
    groups = sorted(set(zip(marked["doc_id"], marked["sent_id"], marked["category"]))
                    | set(zip(found["doc_id"], found["sent_id"], found["category"])))
    rows = []
    for doc_id, sent_id, cat in groups:
        g = marked[(marked["doc_id"] == doc_id) & (marked["sent_id"] == sent_id) & (marked["category"] == cat)]
        f = found[(found["doc_id"] == doc_id) & (found["sent_id"] == sent_id) & (found["category"] == cat)]
        f = f.sort_values("start")
        pairs = pair_instances(list(g["match"]), list(f["match"]))
        gi, fj = {i for i, _ in pairs}, {j for _, j in pairs}
        notes = list(g["note"])
        for i, j in pairs:
            rows.append((doc_id, sent_id, cat, g["match"].iloc[i], f["match"].iloc[j], "hit", notes[i]))
        rows += [(doc_id, sent_id, cat, g["match"].iloc[i], "", "missed", notes[i])
                 for i in range(len(g)) if i not in gi]
        rows += [(doc_id, sent_id, cat, "", f["match"].iloc[j], "spurious", "")
                 for j in range(len(f)) if j not in fj]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "category", "gold", "found", "outcome", "note"])


def recall_table(gold: pd.DataFrame, evidence: pd.DataFrame, sample: pd.DataFrame,
                 categories: list[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Recall and precision per category on the sampled sentences (:func:`recall_pairs`):
    category, n_gold (hand instances), n_found (code matches), hits, missed, spurious,
    recall = hits / n_gold and precision = hits / n_found, each with a Wilson interval
    (:func:`wilson_interval`; NaN when its denominator is 0). Categories in the order
    given (default: order of first appearance)."""
    pairs = recall_pairs(gold, evidence, sample)
    if categories is None:
        categories = list(dict.fromkeys(pairs["category"]))
    rows = []
    for cat in categories:
        part = pairs[pairs["category"] == cat]["outcome"]
        hits, missed, spurious = int((part == "hit").sum()), int((part == "missed").sum()), int((part == "spurious").sum())
        n_gold, n_found = hits + missed, hits + spurious
        r_lo, r_hi = wilson_interval(hits, n_gold, level) if n_gold else (np.nan, np.nan)
        p_lo, p_hi = wilson_interval(hits, n_found, level) if n_found else (np.nan, np.nan)
        rows.append((cat, n_gold, n_found, hits, missed, spurious,
                     hits / n_gold if n_gold else np.nan, r_lo, r_hi,
                     hits / n_found if n_found else np.nan, p_lo, p_hi))
    return pd.DataFrame(rows, columns=["category", "n_gold", "n_found", "hits", "missed", "spurious",
                                       "recall", "recall_low", "recall_high",
                                       "precision", "precision_low", "precision_high"])


# ---------------------------------------------------------------------------- versions

def version_comparison(before: pd.DataFrame, after: pd.DataFrame, docs: list[str]) -> pd.DataFrame:
    """Counts per category and document under two dictionary versions, from their
    evidence tables: category, doc_id, before, after, change (after - before), one row
    per category of either version and document of ``docs`` (zeros included), categories
    in the order they first appear in ``before`` then ``after``."""
    cats = list(dict.fromkeys(list(before["category"]) + list(after["category"])))
    index = pd.MultiIndex.from_product([cats, docs], names=["category", "doc_id"])
    table = pd.DataFrame({
        "before": before.groupby(["category", "doc_id"]).size().reindex(index, fill_value=0),
        "after": after.groupby(["category", "doc_id"]).size().reindex(index, fill_value=0)})
    return table.assign(change=table["after"] - table["before"]).reset_index()
