"""Intertextuality: which Party and state documents and canonical works the texts cite.

The data flow::

    load_citation_patterns()  ->  extract_citations(sentences, patterns, annotated)  ->  citations
    read_register()  ->  register_check(citations, register)  ->  uncited register rows
    citations + register + corpus  ->  citation_table()  ->  results/citations.csv
    read_gold() + citations  ->  evaluate_citations(), citation_errors()

What counts as a citation (the same rule as the hand annotation,
``corpus/annotations/citations_gold.csv``, described in
``corpus/annotations/annotation_guidelines.md``): a mention of one specific document or
work that exists when the text is written, by its code ("Regulation No. 377-QĐ/TW"), by the
body and session that issued it ("the Resolution of the 4th Central Committee (12th
tenure)"), by its title (Ho Chi Minh's "Reforming the way of working"), or by a definite
phrase that points back to one cited just before ("this document", "the resolution").
Generic mentions ("the Party's resolutions", "the regulations") and events (a congress or
conference as a meeting, drafts of a congress not yet held) are not citations; "the
resolution" with no resolution cited in the ``anaphor_window`` sentences before it is
generic.

Assumptions:

- Patterns (``analysis/data/citations.yaml``, versioned) are matched on the sentence texts
  of :func:`analysis.sentences`; offsets are character offsets in the sentence text.
- The patterns are users' regular expressions, compiled by
  :func:`analysis.patterns.compile_user_pattern` with the ``regex`` module in its
  ``VERSION0`` mode, which means what Python's ``re`` means (one known difference: its
  ``\\w`` also matches combining marks, which texts in NFC, as the corpus loader writes
  them, hardly contain). A pattern that is invalid, matches the empty string or
  backtracks catastrophically on the probe lines is refused when the file is read, and
  every scan of a sentence is time-limited (:data:`analysis.patterns.PATTERN_TIMEOUT`;
  Friedl 2006, *Mastering Regular Expressions*, ch. 6, on catastrophic backtracking);
  the error names the file, the rule and the pattern.
- A code is its own key, normalised: white space dropped, ``QD`` → ``QĐ``, numbers with at
  least two digits (``4-NQ/TW`` → ``04-NQ/TW``). A name builds a key such as
  ``plenum:12/4`` (4th plenum of the 12th Central Committee) that the register's
  ``aliases`` column maps to the document's code; a name without the term takes the term
  of the last plenum named with one earlier in the same text.
- Overlapping matches of the same key are one citation (the left-most, longest match
  names it); an anaphor overlapping an explicit citation is dropped; a sentence citing two
  documents gives two rows.
- Precision and recall intervals: Wilson score interval (Wilson 1927, JASA 22(158)),
  :func:`analysis.rhetoric.wilson_interval`.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import regex

from . import paths
from .checks import named_by_source, read_yaml, require_columns
from .corpus import PRECISION_FORMATS
from .patterns import UserPattern, compile_user_pattern
from .tokens import TOKEN_PATTERN

KINDS = ("code", "name", "work", "anaphor")
#: When two citations of one key overlap, the kind earlier here names the merged one.
KIND_PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}
CITATION_COLUMNS = ["doc_id", "sent_id", "start", "end", "match", "key", "kind", "type", "cited_as",
                    "rule", "antecedent_sent_id", "in_quote", "quote_source", "context"]
REGISTER_COLUMNS = ["key", "code", "name", "kind", "issued", "date_precision", "issuer", "aliases",
                    "date_evidence"]
#: Columns of :func:`citation_table`.
CITATION_TABLE_COLUMNS = ["doc_id", "key", "code", "name", "count", "first_sent_id", "first_match", "kinds", "issued",
                          "issued_precision", "text_date", "text_date_precision", "gap_years", "gap_years_min",
                          "gap_years_max"]
GOLD_COLUMNS = ["doc_id", "sent_id", "match", "key", "note"]
#: What identifies a citation when gold and found are compared (a sentence citing one
#: document twice has two rows with the same identity: they are matched by count).
MATCH_KEY = ["doc_id", "sent_id", "key"]
CONTEXT_WINDOW = 60
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_GROUP_SUFFIX = re.compile(r"^(?P<base>.*?)\d+$")
#: How the pattern file is named in error messages when it was not read from a file.
UNNAMED_PATTERN_FILE = "the citation pattern file"


class CitationPatternError(ValueError):
    """A bad pattern file. The message names the rule at fault and the fix."""


class RegisterError(ValueError):
    """A bad or incomplete register of cited documents. The message names the key and the fix."""


@dataclass(frozen=True)
class Rule:
    """One rule of the pattern file, compiled."""
    name: str
    kind: str
    regex: UserPattern  # time-limited; .compiled is the regex-module pattern
    key: str = ""
    type: str | dict = ""
    type_group: str = ""
    spellings: dict = field(default_factory=dict)
    refers_to: tuple = ()
    antecedent_rules: tuple = ()


@dataclass(frozen=True)
class CitationPatterns:
    """The validated pattern file plus the register's aliases (name key -> document key)."""
    version: str
    rules: dict
    anaphor_window: int
    aliases: dict


# ---------------------------------------------------------------------------- patterns

def phrase_regex(phrase: str) -> str:
    """A literal title or phrase as a regular expression: inner spaces match any white
    space; it never starts or ends inside a word."""
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    return rf"(?<!\w){body}(?!\w)"


def _fail(rule: str, problem: str, fix: str):
    raise CitationPatternError(f"citation rule {rule!r}: {problem}. Fix: {fix}")


def _compile_regex(source: str, name: str, spec: dict) -> UserPattern:
    """The rule's ``regex`` (or its ``words`` as one alternation of :func:`phrase_regex`)
    compiled by :func:`analysis.patterns.compile_user_pattern`, case-insensitive unless
    ``case_sensitive``; the error names ``source`` (the file), the rule and the pattern."""
    if "words" in spec:
        words = spec["words"]
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            _fail(name, "'words' must be a non-empty list of non-empty strings", "list the titles as quoted strings")
        pattern = "|".join(phrase_regex(w) for w in words)
        where = f"{source}: citation rule {name!r}, words pattern {words!r}"
    else:
        pattern = spec["regex"]
        if not isinstance(pattern, str) or not pattern.strip():
            _fail(name, "'regex' must be a non-empty string", "write the regular expression as a string")
        pattern = pattern.strip()
        where = f"{source}: citation rule {name!r}, regex pattern {pattern!r}"
    flags = 0 if spec.get("case_sensitive") else regex.IGNORECASE
    return compile_user_pattern(pattern, where, flags=flags, error=CitationPatternError)


def _compile_rule(source: str, name: str, spec) -> Rule:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        _fail(name, "rule names must be lower-case letters, digits and '_'", "rename the rule")
    if not isinstance(spec, dict):
        _fail(name, "must be a mapping with kind, regex or words, key, type", "write the rule as a mapping")
    kind = spec.get("kind")
    if kind not in KINDS:
        _fail(name, f"kind {kind!r} is not one of {', '.join(KINDS)}", "set kind to one of them")
    has_regex, has_words = "regex" in spec, "words" in spec
    if has_regex == has_words:
        _fail(name, "needs exactly one of 'regex' and 'words'", "keep one of the two")
    compiled = _compile_regex(source, name, spec)
    groups = set(compiled.compiled.groupindex)
    if kind == "anaphor":
        return _compile_anaphor(name, spec, compiled)
    key = spec.get("key")
    if not isinstance(key, str) or not key.strip():
        _fail(name, "missing 'key'", "give the key, or a template of the regex's named groups such as '{number}-{type}/TW'")
    fields = {f for _, f, _, _ in string.Formatter().parse(key) if f}
    unknown = sorted(fields - groups)
    if unknown:
        _fail(name, f"the key template uses {unknown}, which are not named groups of the regex",
              "name the groups in the regex with (?P<name>...) or correct the template")
    doc_type, type_group = spec.get("type"), spec.get("type_group", "")
    if type_group:
        if type_group not in groups:
            _fail(name, f"type_group {type_group!r} is not a named group of the regex", "name the group or remove type_group")
        if not isinstance(doc_type, dict) or not doc_type:
            _fail(name, "with type_group, 'type' must map each value of the group to a document type",
                  "write type as a mapping such as {NQ: resolution}")
    elif not isinstance(doc_type, str) or not doc_type.strip():
        _fail(name, "missing 'type' (the document type: resolution, regulation, work, ...)", "add type")
    spellings = spec.get("spellings") or {}
    if not isinstance(spellings, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in spellings.items()):
        _fail(name, "'spellings' must map variant spellings to their normal form", "write it as {QD: QĐ}")
    return Rule(name, kind, compiled, key.strip(), doc_type, type_group, dict(spellings))


def _compile_anaphor(name: str, spec: dict, compiled: UserPattern) -> Rule:
    if "key" in spec:
        _fail(name, "an anaphor has no key of its own (it takes the key of the document it points back to)",
              "remove 'key' and list the document types in refers_to")
    refers_to = spec.get("refers_to")
    if not isinstance(refers_to, list) or not refers_to or not all(isinstance(t, str) for t in refers_to):
        _fail(name, "an anaphor needs 'refers_to', a non-empty list of document types", "add refers_to: [resolution]")
    antecedents = spec.get("antecedent_rules") or []
    if not isinstance(antecedents, list):
        _fail(name, "'antecedent_rules' must be a list of rule names", "write it as [rule_a, rule_b]")
    return Rule(name, "anaphor", compiled, refers_to=tuple(refers_to), antecedent_rules=tuple(antecedents))


def validate_citation_patterns(raw, aliases: dict | None = None, source: str | Path | None = None) -> CitationPatterns:
    """Check a parsed pattern file (the YAML as Python objects) and compile it.

    Required: a ``version`` string, a ``changelog`` list with an entry for that version,
    a positive integer ``anaphor_window`` and a non-empty ``rules`` mapping (see the
    header of ``analysis/data/citations.yaml``); every regex must compile, must not match
    the empty string and must pass the probe lines of
    :func:`analysis.patterns.compile_user_pattern` in time. Raises
    :class:`CitationPatternError` starting with ``source`` (the file it was read from;
    default :data:`UNNAMED_PATTERN_FILE`) and naming the rule at fault and the fix.
    ``aliases`` maps name keys to document keys (from :func:`register_aliases`)."""
    source = UNNAMED_PATTERN_FILE if source is None else str(source)
    return named_by_source(source, CitationPatternError, _validate_citation_patterns, raw, aliases, source)


def _validate_citation_patterns(raw, aliases: dict | None, source: str) -> CitationPatterns:
    if not isinstance(raw, dict):
        raise CitationPatternError("the pattern file must be a mapping with version, changelog, anaphor_window and rules.")
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip():
        raise CitationPatternError('the pattern file needs a \'version\' string, e.g. version: "1.0.0".')
    changelog = raw.get("changelog")
    if not isinstance(changelog, list) or not any(isinstance(e, dict) and str(e.get("version")) == version for e in changelog):
        raise CitationPatternError(f"the changelog has no entry for version {version!r}. "
                                   "Fix: add one (version, date, changes) saying what changed.")
    window = raw.get("anaphor_window")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise CitationPatternError(f"anaphor_window must be a positive whole number of sentences, got {window!r}.")
    rules = raw.get("rules")
    if not isinstance(rules, dict) or not rules:
        raise CitationPatternError("the pattern file needs a non-empty 'rules' mapping.")
    compiled = {name: _compile_rule(source, name, spec) for name, spec in rules.items()}
    for rule in compiled.values():
        for other in rule.antecedent_rules:
            if other not in compiled or compiled[other].kind == "anaphor":
                _fail(rule.name, f"antecedent rule {other!r} is not a rule of kind code, name or work",
                      "name an existing explicit rule")
    return CitationPatterns(version, compiled, window, dict(aliases or {}))


def patterns_path(path: str | Path | None = None) -> Path:
    """``path``, or by default the package's ``analysis/data/citations.yaml``."""
    return Path(path) if path is not None else paths.data_file("citations.yaml")


def read_patterns_file(path: str | Path | None = None) -> dict:
    """The pattern file parsed as Python objects (default: :func:`patterns_path`)."""
    return read_yaml(patterns_path(path), CitationPatternError, "pattern file")


def load_citation_patterns(path: str | Path | None = None, register: pd.DataFrame | None = None) -> CitationPatterns:
    """The validated patterns, with the aliases of ``register`` (default: the project's
    register, :func:`read_register`); errors name the file."""
    register = read_register() if register is None else register
    return validate_citation_patterns(read_patterns_file(path), register_aliases(register), patterns_path(path))


# ---------------------------------------------------------------------------- register

def _register_fail(key: str, problem: str, fix: str):
    raise RegisterError(f"corpus/cited_documents.csv, row {key!r}: {problem}. Fix: {fix}")


def validate_register(table: pd.DataFrame) -> pd.DataFrame:
    """Check the register: its columns (:data:`REGISTER_COLUMNS`), one row per non-empty
    key, an ``issued`` date written to its ``date_precision`` (day ``YYYY-MM-DD``, month
    ``YYYY-MM``, year ``YYYY``), a stated ``date_evidence`` that cites nothing outside the
    project, and aliases (``;``-separated name keys) that belong to one row only.
    Raises :class:`RegisterError` naming the row and the fix."""
    missing = [c for c in REGISTER_COLUMNS if c not in table.columns]
    if missing:
        raise RegisterError(f"corpus/cited_documents.csv lacks column(s) {', '.join(missing)}. "
                            f"Fix: the columns are {', '.join(REGISTER_COLUMNS)}.")
    seen_alias: dict[str, str] = {}
    for row in table.itertuples(index=False):
        key = row.key.strip()
        if not key:
            _register_fail(key, "empty key", "give the document's code, or a key such as work:title")
        if (table["key"] == row.key).sum() > 1:
            _register_fail(key, "the key occurs more than once", "keep one row per document")
        fmt = PRECISION_FORMATS.get(row.date_precision)
        if fmt is None:
            _register_fail(key, f"date_precision {row.date_precision!r} is not day, month or year", "use one of them")
        if not re.fullmatch(fmt, row.issued):
            _register_fail(key, f"issued {row.issued!r} is not written as a {row.date_precision}",
                           "write day dates as YYYY-MM-DD, months as YYYY-MM, years as YYYY")
        try:
            pd.Period(row.issued, freq=row.date_precision[0].upper())
        except ValueError:
            _register_fail(key, f"issued {row.issued!r} is not a date", "correct the date")
        if not row.date_evidence.strip():
            _register_fail(key, "no date_evidence", "say in words how the date is known (the text's words, or the public record)")
        if "../" in row.date_evidence:
            _register_fail(key, "date_evidence points outside the project", "state the evidence in words")
        if not row.kind.strip() or not row.name.strip():
            _register_fail(key, "empty kind or name", "say what the document is (kind: resolution, regulation, work, ...)")
        for alias in filter(None, (a.strip() for a in row.aliases.split(";"))):
            if alias in seen_alias or alias in set(table["key"]):
                _register_fail(key, f"alias {alias!r} also belongs to {seen_alias.get(alias, alias)!r}",
                               "give each name key to one document only")
            seen_alias[alias] = key
    return table


def empty_register() -> pd.DataFrame:
    """A register with the columns of :data:`REGISTER_COLUMNS` and no row."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REGISTER_COLUMNS})


def register_path() -> Path:
    """Where the corpus keeps its register of cited documents (``cited_documents.csv``)."""
    return paths.corpus_dir() / "cited_documents.csv"


def read_register(path: str | Path | None = None, missing_ok: bool = False) -> pd.DataFrame:
    """The register of cited documents (default ``cited_documents.csv`` of the corpus),
    validated by :func:`validate_register`; every column is text. A missing file raises
    :class:`RegisterError`, or with ``missing_ok`` gives :func:`empty_register` (a corpus
    without a register: every citation found is then unregistered, see
    :func:`split_registered`)."""
    path = Path(path) if path is not None else register_path()
    if not path.exists() and missing_ok:
        return empty_register()
    if not path.exists():
        raise RegisterError(f"{path}: no register of cited documents. Fix: create it with columns {', '.join(REGISTER_COLUMNS)}.")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return validate_register(table)


def register_aliases(register: pd.DataFrame) -> dict[str, str]:
    """Name key -> document key, from the register's ``aliases`` column."""
    return {alias.strip(): key for key, aliases in zip(register["key"], register["aliases"])
            for alias in aliases.split(";") if alias.strip()}


def issued_interval(register: pd.DataFrame) -> pd.DataFrame:
    """The first and last day each document's ``issued`` date can stand for (a month date
    covers the whole month), indexed by key: issued_start, issued_end."""
    periods = [pd.Period(d, freq=p[0].upper()) for d, p in zip(register["issued"], register["date_precision"])]
    return pd.DataFrame({"issued_start": [p.start_time.normalize() for p in periods],
                         "issued_end": [p.end_time.normalize() for p in periods]}, index=pd.Index(register["key"], name="key"))


def register_check(citations: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Every key the extraction found must be a row of the register: raises
    :class:`RegisterError` naming the first missing key (in the order found) and the fix.
    Returns the register rows no citation cites (possibly none)."""
    require_columns(citations, ("doc_id", "sent_id", "match", "key"), "register_check",
                    made_by="analysis.citations.extract_citations(sentences, patterns)")
    known = set(register["key"])
    for row in citations.itertuples(index=False):
        if row.key not in known:
            raise RegisterError(
                f"key {row.key!r} (cited as {row.match!r} in {row.doc_id}, sentence {row.sent_id}) is not in the register. "
                "Fix: add a row to corpus/cited_documents.csv with that key, or, if it names a document already "
                "there, add it to that row's aliases.")
    return register[~register["key"].isin(set(citations["key"]))].reset_index(drop=True)


def split_registered(citations: pd.DataFrame, register: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The citations whose key is a row of the register, and the others (to be added to
    the register, or to a row's aliases, before they can be dated). The first can go to
    :func:`citation_table`; :func:`register_check` raises on the second."""
    require_columns(citations, ("key",), "split_registered",
                    made_by="analysis.citations.extract_citations(sentences, patterns)")
    known = citations["key"].isin(set(register["key"]))
    return citations[known].reset_index(drop=True), citations[~known].reset_index(drop=True)


def cited_by(citations: pd.DataFrame, register: pd.DataFrame) -> pd.Series:
    """For each register key, the doc_ids that cite it, in the order of the citations,
    joined by "; " (empty if none): the column the register no longer stores."""
    order = citations.drop_duplicates(["key", "doc_id"]).groupby("key", sort=False)["doc_id"].agg("; ".join)
    return order.reindex(register["key"]).fillna("").rename("cited_by")


# ---------------------------------------------------------------------------- extraction

def _normal_group(name: str, value: str, spellings: dict) -> str:
    value = re.sub(r"\s+", "", value)
    if not value.isdigit():
        value = value.upper()
        value = spellings.get(value, value)
    elif name == "number":
        value = value.zfill(2)
    return value


def _groups(match: regex.Match) -> dict:
    """Named groups of a match; a group named like another plus digits (``term2``) fills
    that group when it is empty (a regex cannot use one name twice)."""
    out = {}
    for name, value in match.groupdict().items():
        base = _GROUP_SUFFIX.match(name)
        target = base["base"] if base and base["base"] in match.re.groupindex else name
        if value is not None and out.get(target) is None:
            out[target] = value
        out.setdefault(target, None)
    return out


def _explicit_matches(text: str, rule: Rule) -> list[dict]:
    """Matches of one explicit rule in one sentence, with their normalised named groups
    (the scan is time-limited: :class:`analysis.patterns.UserPattern`)."""
    return [dict(start=m.start(), end=m.end(), kind=rule.kind, rule=rule.name,
                 groups={k: _normal_group(k, v, rule.spellings) for k, v in _groups(m).items() if v is not None})
            for m in rule.regex.finditer(text)]


def _key_and_type(rule: Rule, groups: dict, last_term: list) -> dict:
    """The key built from a match and the document type; a name without the term of the
    Central Committee takes ``last_term[0]`` (the last term named in the text: updated
    here), or "?" if none was named."""
    groups = dict(groups)
    if "term" in groups:
        last_term[0] = groups["term"]
    elif "{term}" in rule.key:
        groups["term"] = last_term[0] or "?"
    doc_type = rule.type[groups[rule.type_group]] if rule.type_group else rule.type
    return dict(key=rule.key.format(**groups), type=doc_type)


def _merge_same_key(spans: list[dict]) -> list[dict]:
    """Merge overlapping spans of one key; the left-most, longest (then higher-priority)
    span names the merged one."""
    merged: list[dict] = []
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"], KIND_PRIORITY[s["kind"]])):
        same = [m for m in merged if m["key"] == span["key"] and span["start"] < m["end"] and m["start"] < span["end"]]
        if same:
            target = same[0]
            target["end"] = max(target["end"], span["end"])
            if KIND_PRIORITY[span["kind"]] < KIND_PRIORITY[target["kind"]]:
                target["kind"] = span["kind"]
        else:
            merged.append(dict(span))
    return merged


def _resolve_anaphor(anaphor: dict, rule: Rule, sent_id: int, explicit: list[dict], window: int) -> dict | None:
    """The anaphor as a citation of the nearest explicit citation before it (within
    ``window`` sentences, of a type it can refer to), or None."""
    for cand in reversed(explicit):
        before = cand["sent_id"] < sent_id or (cand["sent_id"] == sent_id and cand["end"] <= anaphor["start"])
        if not before:
            continue
        if sent_id - cand["sent_id"] > window:
            return None
        if cand["type"] in rule.refers_to and (not rule.antecedent_rules or cand["rule"] in rule.antecedent_rules):
            return dict(anaphor, key=cand["key"], type=cand["type"], cited_as=cand["key"],
                        antecedent_sent_id=cand["sent_id"])
    return None


def _context(text: str, start: int, end: int, width: int = CONTEXT_WINDOW) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return f"{'…' if start > width else ''}{left}[{text[start:end]}]{right}{'…' if end + width < len(text) else ''}"


def _document_citations(doc_sents: pd.DataFrame, patterns: CitationPatterns) -> list[dict]:
    """The citations of one text, sentence by sentence in reading order: explicit ones
    first (keys built, aliases applied, same-key overlaps merged), then anaphors resolved
    against the explicit citations before them."""
    explicit_rules = [r for r in patterns.rules.values() if r.kind != "anaphor"]
    anaphor_rules = [r for r in patterns.rules.values() if r.kind == "anaphor"]
    last_term: list = [None]
    explicit: list[dict] = []
    per_sentence: dict[int, list[dict]] = {}
    for sent_id, text in zip(doc_sents["sent_id"], doc_sents["text"]):
        raw = sorted((m for r in explicit_rules for m in _explicit_matches(text, r)), key=lambda m: (m["start"], -m["end"]))
        spans = []
        for m in raw:  # in reading order, so that a name without its term takes the last term seen
            span = dict(m, **_key_and_type(patterns.rules[m["rule"]], m.pop("groups"), last_term))
            spans.append(dict(span, cited_as=span["key"], key=patterns.aliases.get(span["key"], span["key"]),
                              sent_id=sent_id, antecedent_sent_id=-1))
        spans = _merge_same_key(spans)
        explicit.extend(sorted(spans, key=lambda s: s["start"]))
        per_sentence[sent_id] = spans
        for rule in anaphor_rules:
            for m in rule.regex.finditer(text):
                if any(m.start() < s["end"] and s["start"] < m.end() for s in per_sentence[sent_id] if s["kind"] != "anaphor"):
                    continue
                anaphor = dict(start=m.start(), end=m.end(), kind="anaphor", rule=rule.name, sent_id=sent_id)
                resolved = _resolve_anaphor(anaphor, rule, sent_id, explicit, patterns.anaphor_window)
                if resolved is not None:
                    per_sentence[sent_id] = _merge_same_key(per_sentence[sent_id] + [resolved])
    rows = []
    for doc_id, sent_id, text in zip(doc_sents["doc_id"], doc_sents["sent_id"], doc_sents["text"]):
        for s in sorted(per_sentence[sent_id], key=lambda s: (s["start"], s["end"], s["key"])):
            rows.append(dict(s, doc_id=doc_id, match=text[s["start"]:s["end"]], context=_context(text, s["start"], s["end"])))
    return rows


def _quote_flags(rows: pd.DataFrame, sents: pd.DataFrame, annotated: pd.DataFrame) -> tuple[list, list]:
    """in_quote (every token of the match inside a quotation) and the quotation's source,
    from the annotation layer; tokens are found again in the sentence text with the
    project's tokenizer and checked against the annotated tokens."""
    require_columns(annotated, ("doc_id", "sent_id", "position", "token", "in_quote", "quote_source"),
                    "extract_citations", made_by="analysis.annotation.annotate(sentences)")
    by_sentence = {k: g.sort_values("position") for k, g in annotated.groupby(["doc_id", "sent_id"], sort=False)}
    texts = sents.set_index(["doc_id", "sent_id"])["text"]
    in_quote, source = [], []
    for row in rows.itertuples(index=False):
        text = texts[(row.doc_id, row.sent_id)]
        spans = [(m.start(), m.end(), m.group()) for m in TOKEN_PATTERN.finditer(text)]
        toks = by_sentence.get((row.doc_id, row.sent_id))
        if toks is None or list(toks["token"]) != [t for _, _, t in spans]:
            raise ValueError(f"extract_citations: the annotated tokens of {row.doc_id}, sentence {row.sent_id} "
                             "do not match its text. Pass the table made by annotate() from the same sentences.")
        inside = [i for i, (a, b, _) in enumerate(spans) if a < row.end and row.start < b]
        flags = toks["in_quote"].to_numpy()[inside]
        quoted = bool(len(flags)) and bool(flags.all())
        in_quote.append(quoted)
        source.append(str(toks["quote_source"].to_numpy()[inside][0]) if quoted else "")
    return in_quote, source


def extract_citations(sents: pd.DataFrame, patterns: CitationPatterns, annotated: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per citation (see the module docstring for what counts), in the order of
    ``sents``: doc_id, sent_id, start, end (character offsets in the sentence text),
    match, key (the register's key), kind (code, name, work or anaphor), type (resolution,
    regulation, ...), cited_as (the key built from the match, before the register's
    aliases: ``plenum:12/4``), rule, antecedent_sent_id (for an anaphor, the sentence of
    the citation it points back to; -1 otherwise), in_quote (True if every token of the
    match lies in a quotation, from ``annotated``; <NA> without it), quote_source, context
    (the match in brackets with up to 60 characters either side)."""
    require_columns(sents, ("doc_id", "sent_id", "text"), "extract_citations", made_by="analysis.sentences(corpus)")
    rows = []
    for _, doc_sents in sents.groupby("doc_id", sort=False):
        rows.extend(_document_citations(doc_sents.sort_values("sent_id"), patterns))
    table = pd.DataFrame(rows, columns=[c for c in CITATION_COLUMNS if c not in ("in_quote", "quote_source")])
    table = table.astype({"sent_id": int, "start": int, "end": int, "antecedent_sent_id": int})
    if annotated is not None and len(table):
        flags, source = _quote_flags(table, sents, annotated)
        table["in_quote"] = pd.array(flags, dtype="boolean")
        table["quote_source"] = source
    else:
        table["in_quote"] = pd.array([pd.NA] * len(table), dtype="boolean")
        table["quote_source"] = ""
    return table[CITATION_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------------------- tables

def _text_interval(corpus: pd.DataFrame) -> pd.DataFrame:
    """Earliest and latest possible date of each text, indexed by doc_id: the corpus's
    date_earliest/date_latest, or the whole period its ``date`` stands for."""
    periods = [pd.Period(d, freq=p[0].upper()) for d, p in zip(corpus["date"], corpus["date_precision"])]
    lo = pd.to_datetime(corpus["date_earliest"].replace("", None)).fillna(pd.Series([p.start_time for p in periods], index=corpus.index))
    hi = pd.to_datetime(corpus["date_latest"].replace("", None)).fillna(pd.Series([p.end_time.normalize() for p in periods], index=corpus.index))
    return pd.DataFrame({"text_earliest": lo.to_numpy(), "text_latest": hi.to_numpy()}, index=pd.Index(corpus["doc_id"], name="doc_id"))


def _years(delta: pd.Series) -> pd.Series:
    return (delta.dt.days / 365.25).round(2)


def citation_table(citations: pd.DataFrame, register: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per (citing text, cited document), texts in corpus order, then documents
    by issue date: doc_id, key, code, name, count, first_sent_id, first_match, kinds (the
    kinds of citation, "; "-joined), issued, issued_precision, text_date,
    text_date_precision, gap_years (middle of the text's possible dates minus middle of
    the document's issue period, in years of 365.25 days), gap_years_min, gap_years_max
    (the shortest and longest gap the two date ranges allow)."""
    register_check(citations, register)
    require_columns(corpus, ("doc_id", "date", "date_precision", "date_earliest", "date_latest"), "citation_table",
                    made_by="analysis.load_corpus()")
    if citations.empty:
        return pd.DataFrame(columns=CITATION_TABLE_COLUMNS)
    grouped = citations.groupby(["doc_id", "key"], sort=False)
    table = grouped.agg(count=("match", "size"), first_sent_id=("sent_id", "min")).reset_index()
    first = citations.sort_values(["doc_id", "sent_id", "start"]).drop_duplicates(["doc_id", "key"]).set_index(["doc_id", "key"])
    table["first_match"] = [first.loc[(d, k), "match"] for d, k in zip(table["doc_id"], table["key"])]
    table["kinds"] = [ "; ".join(sorted(set(g), key=KIND_PRIORITY.get)) for g in grouped["kind"].agg(list)]
    reg = register.set_index("key").join(issued_interval(register))
    texts = corpus.set_index("doc_id").join(_text_interval(corpus))
    table = table.join(reg[["code", "name", "issued", "date_precision", "issued_start", "issued_end"]], on="key")
    table = table.rename(columns={"date_precision": "issued_precision"})
    table = table.join(texts[["date", "date_precision", "text_earliest", "text_latest"]], on="doc_id")
    table = table.rename(columns={"date": "text_date", "date_precision": "text_date_precision"})
    mid_text = table["text_earliest"] + (table["text_latest"] - table["text_earliest"]) / 2
    mid_doc = table["issued_start"] + (table["issued_end"] - table["issued_start"]) / 2
    table["gap_years"] = _years(mid_text - mid_doc)
    table["gap_years_min"] = _years(table["text_earliest"] - table["issued_end"])
    table["gap_years_max"] = _years(table["text_latest"] - table["issued_start"])
    order = {d: i for i, d in enumerate(corpus["doc_id"])}
    table = table.assign(_doc=table["doc_id"].map(order)).sort_values(["_doc", "issued_start", "key"], kind="stable")
    return table[CITATION_TABLE_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------------------- evaluation

def read_gold(path: str | Path | None = None) -> pd.DataFrame:
    """The hand annotation (default ``corpus/annotations/citations_gold.csv``): one row per
    citation found by reading every text: doc_id, sent_id, match, key, note."""
    path = Path(path) if path is not None else paths.annotations_dir() / "citations_gold.csv"
    gold = pd.read_csv(path, dtype={"sent_id": int}, keep_default_na=False)
    require_columns(gold, GOLD_COLUMNS, "read_gold", made_by="corpus/annotations/citations_gold.csv")
    return gold


def align_citations(gold: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Gold and found citations side by side, matched on (doc_id, sent_id, key) by count
    (the span's exact boundaries are not compared): doc_id, sent_id, key, gold_match,
    found_match, status (hit, missed, spurious)."""
    for table, name in ((gold, "gold"), (found, "found")):
        require_columns(table, MATCH_KEY + ["match"], f"align_citations ({name})")
    g = gold[MATCH_KEY + ["match"]].assign(n=gold.groupby(MATCH_KEY).cumcount())
    f = found[MATCH_KEY + ["match"]].assign(n=found.groupby(MATCH_KEY).cumcount())
    both = g.merge(f, on=MATCH_KEY + ["n"], how="outer", suffixes=("_gold", "_found"), indicator=True, sort=False)
    both["status"] = both["_merge"].map({"both": "hit", "left_only": "missed", "right_only": "spurious"}).astype(str)
    both = both.rename(columns={"match_gold": "gold_match", "match_found": "found_match"}).fillna({"gold_match": "", "found_match": ""})
    both = both.sort_values(["doc_id", "sent_id", "key", "n"], kind="stable")
    return both[MATCH_KEY + ["gold_match", "found_match", "status"]].reset_index(drop=True)


def evaluate_citations(gold: pd.DataFrame, found: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Precision and recall of ``found`` against ``gold`` (see :func:`align_citations`):
    measure, k, n, value, ci_low, ci_high (Wilson interval at ``level``). Precision is
    hits / found citations, recall hits / gold citations."""
    from .rhetoric import wilson_interval

    aligned = align_citations(gold, found)
    hits = int((aligned["status"] == "hit").sum())
    rows = []
    for measure, n in (("precision", int((aligned["status"] != "missed").sum())),
                       ("recall", int((aligned["status"] != "spurious").sum()))):
        low, high = wilson_interval(hits, n, level) if n else (np.nan, np.nan)
        rows.append((measure, hits, n, hits / n if n else np.nan, low, high))
    return pd.DataFrame(rows, columns=["measure", "k", "n", "value", "ci_low", "ci_high"])


def citation_errors(gold: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """The missed and spurious rows of :func:`align_citations`, with the gold note of
    each missed citation."""
    aligned = align_citations(gold, found)
    errors = aligned[aligned["status"] != "hit"].copy()
    notes = gold.drop_duplicates(MATCH_KEY + ["match"]).set_index(MATCH_KEY + ["match"])["note"]
    errors["note"] = [notes.get((d, s, k, m), "") for d, s, k, m in
                      zip(errors["doc_id"], errors["sent_id"], errors["key"], errors["gold_match"])]
    return errors.reset_index(drop=True)
