"""Read, validate and clean the corpus. Never writes to ``corpus/``.

A corpus folder holds three things:

- ``raw/``: the texts byte for byte, as published (UTF-8).
- ``metadata.csv``: one row per document (see :data:`METADATA_COLUMNS`). A row points at
  its raw file and says which part of it belongs to the document (``span``: ``all`` or
  ``lines A-B``, 1-based and inclusive), so one raw file can hold two documents, and says
  who made the English text (``translation``, one of :data:`TRANSLATIONS`, with
  ``translation_evidence``).
- ``cleaning_rules.csv``: what is not article text, as data. A rule with doc_id ``*``
  applies to every document; the others to one. Actions:

  ``drop_title``        drop the first line equal to the document's title;
  ``strip_prefix``      remove a regular expression matched at the start of a line;
  ``drop_line``         drop every line the regular expression matches in full;
  ``replace``           replace a literal string (it must occur, or the rule is stale);
  ``dedupe_paragraphs`` keep a paragraph repeated word for word once.

Cleaning happens when the corpus is loaded; every removal or repair is recorded as a row
(doc_id, rule, action, original, replacement, reason) and :func:`cleaning_log` returns
them as a table. A new text needs only a raw file and a metadata row.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths

METADATA_COLUMNS = [
    "doc_id", "title", "outlet", "author", "date", "date_precision", "date_earliest",
    "date_latest", "date_evidence", "url", "era", "voice", "raw_file", "sha256", "span",
    "translation", "translation_evidence",
]
RULE_COLUMNS = ["doc_id", "rule", "action", "pattern", "replacement", "reason"]
RULE_ACTIONS = {"drop_title", "strip_prefix", "drop_line", "replace", "dedupe_paragraphs"}
PRECISION_FORMATS = {"year": r"\d{4}", "month": r"\d{4}-\d{2}", "day": r"\d{4}-\d{2}-\d{2}"}
VOICES = {"party-media", "reader-comments"}
# Who made the English text (``translation``); ``translation_evidence`` says what is known and what is not.
TRANSLATIONS = {
    "outlet-english-edition",           # the outlet's own English edition (translator not stated)
    "machine-translation-third-party",  # machine translation posted by someone other than the outlet
    "reposter-translation",             # translated by whoever reposted the text
    "original-english",                 # written in English, not a translation
}
LOG_COLUMNS = ["doc_id", "rule", "action", "original", "replacement", "reason"]


class CorpusError(ValueError):
    """Bad corpus input. The message names the file or row and says how to fix it."""


@dataclass(frozen=True)
class Rule:
    doc_id: str
    rule: str
    action: str
    pattern: str
    replacement: str
    reason: str

    def applies_to(self, doc_id: str) -> bool:
        return self.doc_id in ("*", doc_id)


# ---------------------------------------------------------------------------- reading

def read_metadata(folder: Path) -> pd.DataFrame:
    """The rows of ``metadata.csv``, validated, as strings (no type guessing)."""
    path = folder / "metadata.csv"
    if not path.exists():
        raise CorpusError(f"{path}: no metadata file. Create it with the columns {', '.join(METADATA_COLUMNS)}.")
    meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in METADATA_COLUMNS if c not in meta.columns]
    if missing:
        hint = (f" The translation column says who made the English text: one of {sorted(TRANSLATIONS)}."
                if "translation" in missing else "")
        raise CorpusError(f"{path}: missing column(s) {', '.join(missing)}. Add them to the header row.{hint}")
    duplicated = meta.loc[meta["doc_id"].duplicated(), "doc_id"].tolist()
    if duplicated:
        raise CorpusError(f"{path}: duplicate doc_id {', '.join(duplicated)}. Each document needs its own doc_id.")
    for i, row in meta.iterrows():
        where = f"{path}, row {i + 2} (doc_id {row['doc_id']!r})"
        for col in ("doc_id", "raw_file", "date", "date_precision", "voice", "era", "sha256"):
            if not row[col].strip():
                raise CorpusError(f"{where}: empty {col}. Fill it in.")
        check_date(row, where)
        if row["voice"] not in VOICES:
            raise CorpusError(f"{where}: voice {row['voice']!r} is not one of {sorted(VOICES)}.")
        if row["translation"] not in TRANSLATIONS:
            raise CorpusError(
                f"{where}: translation {row['translation']!r} is not one of {sorted(TRANSLATIONS)}. Use the one "
                "that says who made the English text, and put what is known in translation_evidence.")
        parse_span(row["span"], where)
    return meta


def check_date(row: pd.Series, where: str) -> None:
    """Dates are ISO, as precise as known: ``2020``, ``2020-10`` or ``2020-10-29``, matching
    ``date_precision``; ``date_earliest`` and ``date_latest`` (days) bracket the date."""
    precision = row["date_precision"]
    if precision not in PRECISION_FORMATS:
        raise CorpusError(f"{where}: date_precision {precision!r} must be one of day, month, year.")
    if not re.fullmatch(PRECISION_FORMATS[precision], row["date"]):
        raise CorpusError(
            f"{where}: date {row['date']!r} cannot be parsed as a {precision} "
            f"(expected {dict(year='YYYY', month='YYYY-MM', day='YYYY-MM-DD')[precision]}).")
    try:
        pd.Period(row["date"], freq={"year": "Y", "month": "M", "day": "D"}[precision])
        bounds = [pd.Timestamp(row[c]) for c in ("date_earliest", "date_latest") if row[c]]
    except ValueError as err:
        raise CorpusError(f"{where}: date {row['date']!r} or its bounds are not a real date ({err}). Use ISO dates.") from err
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        raise CorpusError(f"{where}: date_earliest is after date_latest. Swap them.")


def parse_span(span: str, where: str = "") -> tuple[int, int] | None:
    """``all`` gives None; ``lines A-B`` gives (A, B), 1-based and inclusive."""
    if span in ("", "all"):
        return None
    match = re.fullmatch(r"lines (\d+)-(\d+)", span)
    if not match or int(match[1]) < 1 or int(match[1]) > int(match[2]):
        raise CorpusError(f"{where}: span {span!r} must be 'all' or 'lines A-B' with 1 <= A <= B.")
    return int(match[1]), int(match[2])


def read_rules(folder: Path) -> list[Rule]:
    """The cleaning rules of ``cleaning_rules.csv`` (none if the file is absent)."""
    path = folder / "cleaning_rules.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rules = []
    for i, row in enumerate(rows, start=2):
        if set(RULE_COLUMNS) - set(row):
            raise CorpusError(f"{path}: the header must be {','.join(RULE_COLUMNS)}.")
        if row["action"] not in RULE_ACTIONS:
            raise CorpusError(f"{path}, row {i}: unknown action {row['action']!r}; use one of {sorted(RULE_ACTIONS)}.")
        if row["action"] in ("strip_prefix", "drop_line"):
            try:
                re.compile(row["pattern"])
            except re.error as err:
                raise CorpusError(f"{path}, row {i}: pattern {row['pattern']!r} is not a regular expression ({err}).") from err
        rules.append(Rule(**{c: row[c] for c in RULE_COLUMNS}))
    return rules


def read_raw_text(path: Path, expected_sha256: str, where: str) -> str:
    """The raw file decoded as UTF-8, after checking its sha256 against the metadata."""
    if not path.exists():
        raise CorpusError(f"{where}: raw file {path} does not exist. Add the file or fix raw_file.")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256.strip().lower():
        raise CorpusError(
            f"{path}: sha256 is {digest} but metadata.csv says {expected_sha256}. Restore the original "
            "file, or if the change is intended, put the new sha256 in metadata.csv.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path}: not UTF-8 ({err}). Re-save the file as UTF-8.") from err


def check_no_orphan_files(folder: Path, meta: pd.DataFrame) -> None:
    """Every file in ``raw/`` must be named by some metadata row: nothing is skipped silently."""
    listed = set(meta["raw_file"])
    orphans = sorted(p.name for p in (folder / "raw").iterdir() if p.is_file() and p.name not in listed)
    if orphans:
        raise CorpusError(
            f"{folder / 'raw'}: {', '.join(orphans)} has no row in metadata.csv. "
            "Add a row with its raw_file, or move the file out of raw/.")


# ---------------------------------------------------------------------------- cleaning

def select_span(raw: str, span: str) -> list[str]:
    """The lines of ``raw`` that belong to the document."""
    lines = raw.splitlines()
    bounds = parse_span(span)
    return lines if bounds is None else lines[bounds[0] - 1: bounds[1]]


def clean_document(lines: list[str], doc_id: str, title: str, rules: list[Rule]) -> tuple[str, list[dict]]:
    """Apply the rules to one document's lines; return the cleaned text (one paragraph a
    line, blank lines dropped) and the log of every removal or repair."""
    log: list[dict] = []
    mine = [r for r in rules if r.applies_to(doc_id)]

    def record(rule: Rule, original: str, replacement: str = "") -> None:
        log.append(dict(doc_id=doc_id, rule=rule.rule, action=rule.action, original=original,
                        replacement=replacement, reason=rule.reason))

    paragraphs = [line.strip() for line in lines if line.strip()]
    for rule in (r for r in mine if r.action == "replace"):
        text = "\n".join(paragraphs)
        if rule.pattern not in text:
            raise CorpusError(
                f"cleaning_rules.csv: rule {rule.rule!r} for {doc_id} looks for {rule.pattern!r}, which is not "
                "in the text. Remove the stale rule or correct its pattern.")
        for _ in range(text.count(rule.pattern)):
            record(rule, rule.pattern, rule.replacement)
        paragraphs = text.replace(rule.pattern, rule.replacement).split("\n")
    for rule in (r for r in mine if r.action == "drop_title"):
        if title.strip() in paragraphs:
            paragraphs.remove(title.strip())
            record(rule, title.strip())
    kept = []
    for para in paragraphs:
        for rule in (r for r in mine if r.action == "strip_prefix"):
            match = re.match(rule.pattern, para)
            if match:
                record(rule, match.group(0))
                para = para[match.end():]
        dropper = next((r for r in mine if r.action == "drop_line" and re.fullmatch(r.pattern, para)), None)
        if dropper:
            record(dropper, para)
        else:
            kept.append(para)
    for rule in (r for r in mine if r.action == "dedupe_paragraphs"):
        seen: set[str] = set()
        unique = []
        for para in kept:
            if para in seen:
                record(rule, para)
            else:
                seen.add(para)
                unique.append(para)
        kept = unique
    return "\n".join(kept), log


# ---------------------------------------------------------------------------- public

def _read_corpus(path: str | Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = Path(path) if path is not None else paths.corpus_dir()
    meta = read_metadata(folder)
    check_no_orphan_files(folder, meta)
    rules = read_rules(folder)
    texts, logs, raw_cache = [], [], {}
    for i, row in meta.iterrows():
        where = f"{folder / 'metadata.csv'}, row {i + 2} (doc_id {row['doc_id']!r})"
        if row["raw_file"] not in raw_cache:
            raw_cache[row["raw_file"]] = read_raw_text(folder / "raw" / row["raw_file"], row["sha256"], where)
        lines = select_span(raw_cache[row["raw_file"]], row["span"])
        text, log = clean_document(lines, row["doc_id"], row["title"], rules)
        if not text.strip():
            raise CorpusError(
                f"{where}: the text is empty after selecting span {row['span']!r} and cleaning. "
                "Check the raw file, the span and the cleaning rules.")
        texts.append(text)
        logs.extend(log)
    docs = meta.assign(text=texts)
    docs["date_start"] = [pd.Period(d, freq=p[0].upper()).start_time
                          for d, p in zip(docs["date"], docs["date_precision"])]
    docs["year"] = docs["date_start"].dt.year
    docs = docs.sort_values(["date_start", "doc_id"], kind="stable").reset_index(drop=True)
    front = ["doc_id", "title", "outlet", "date", "date_precision", "year", "era", "voice", "text"]
    docs = docs[front + [c for c in docs.columns if c not in front]]
    return docs, pd.DataFrame(logs, columns=LOG_COLUMNS)


def load_corpus(path: str | Path | None = None, include_comments: bool = False) -> pd.DataFrame:
    """The corpus as one row per document, sorted by date (then doc_id).

    Columns: doc_id, title, outlet, date (ISO, as precise as known), date_precision, year,
    era, voice, text (cleaned), then the other metadata columns and ``date_start`` (the
    first day of the date's period, for sorting and plotting). ``path`` is a folder laid
    out like ``corpus/``; by default the project's own. Reader comments (voice
    ``reader-comments``) are left out unless ``include_comments`` is true: they are a
    different voice and must not be pooled with Party media by accident.

    Raises :class:`CorpusError` on bad input (see the module docstring).
    """
    docs, _ = _read_corpus(path)
    if not include_comments:
        docs = docs[docs["voice"] != "reader-comments"].reset_index(drop=True)
    return docs


def cleaning_log(path: str | Path | None = None) -> pd.DataFrame:
    """Every removal or repair made when loading the corpus: doc_id, rule, action,
    original, replacement, reason (reader comments included)."""
    return _read_corpus(path)[1]
