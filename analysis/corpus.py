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
  ``strip_suffix``      remove a regular expression matched at the end of a line;
  ``drop_line``         drop every line the regular expression matches in full;
  ``replace``           replace a literal string (it must occur, or the rule is stale);
  ``dedupe_paragraphs`` keep a paragraph repeated word for word once;
  ``disable``           (doc_id ``*``, no pattern, a reason) switch off the general rule
                        of the same name (see wire-service furniture below).

Cleaning happens when the corpus is loaded; every removal or repair is recorded as a row
(doc_id, rule, action, original, replacement, reason) and :func:`cleaning_log` returns
them as a table. A new text needs only a raw file and a metadata row.

**Wire-service furniture.** General rules in ``analysis/data/furniture_rules.csv`` (same
columns, doc_id ``*``) remove what news agencies add to every text: datelines opening a
paragraph ("Hanoi (VNA) – ", "HÀ NỘI — ", "(Baonghean.vn) - ") and sign-offs ending one
("./.", "— VNS", a line "VNA"). They apply to every corpus, before the corpus's own
rules, and are logged with the rule name prefixed ``furniture:``. A corpus switches one
off with a row ``*,NAME,disable,,,REASON`` in its own ``cleaning_rules.csv``.

**Text normalisation**, when a raw file is decoded, each repair logged (action
``normalise``, one row per document and kind, with a count): a leading byte-order mark is
removed; text is put in Unicode normalization form C (NFC; Unicode Standard Annex #15), so
decomposed and composed Vietnamese are the same string; lines are split only at ``\\n``,
``\\r\\n`` and ``\\r`` (as editors number them, so ``lines A-B`` spans mean what an editor
shows), and the other characters Python treats as line breaks (U+2028, U+2029, U+0085,
form feed, vertical tab, U+001C-U+001E) become a space. A NUL byte is an error.

**Bad input** raises :class:`CorpusError` naming the file (and row or line) and the fix:

- ``metadata.csv`` or a rules file that is empty, not UTF-8 (UTF-16, Windows-1252; a
  UTF-8 byte-order mark is fine), not comma-separated, or has rows with the wrong number
  of fields; ``metadata.csv`` with no documents;
- a ``raw_file`` that is not a file inside ``raw/`` (``..``, an absolute path, a folder, a
  symbolic link leading out), is missing, or whose sha256 differs from any row naming it;
  a raw file with a NUL byte (UTF-16 or binary); a file in ``raw/`` that no row names;
- a row with: an empty required field; a doc_id that is not a plain identifier
  (letters, digits, ``.``, ``_``, ``-``); a line break or control character in any field
  but ``date_evidence`` and ``translation_evidence``; a date that cannot be parsed, lies
  outside ``date_earliest``..``date_latest`` or starts after today; an unknown voice or
  translation; a span that is malformed or ends after the last line of the raw file;
  lines of a raw file taken by two documents; an ``era`` that looks like a typo of
  another (:func:`check_group_typos`); a text that is empty after cleaning;
- a rule with an unknown action or a doc_id not in ``metadata.csv``; a pattern that is
  invalid, matches the empty string or backtracks catastrophically (compiled with
  :func:`analysis.patterns.compile_user_pattern`, so every match is time-limited); a
  ``replace`` rule with no pattern or whose text does not occur; a ``disable`` rule
  naming no general rule.
"""
from __future__ import annotations

import csv
import datetime
import functools
import hashlib
import io
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import regex

from . import paths
from .patterns import UserPattern, compile_user_pattern

METADATA_COLUMNS = [
    "doc_id", "title", "outlet", "author", "date", "date_precision", "date_earliest",
    "date_latest", "date_evidence", "url", "era", "voice", "raw_file", "sha256", "span",
    "translation", "translation_evidence",
]
#: Free-text fields that may hold line breaks; every other field must be one line.
EVIDENCE_COLUMNS = {"date_evidence", "translation_evidence"}
REQUIRED_VALUES = ("doc_id", "raw_file", "date", "date_precision", "voice", "era", "sha256")
DOC_ID_FORMAT = r"[A-Za-z0-9][A-Za-z0-9._-]*"
RULE_COLUMNS = ["doc_id", "rule", "action", "pattern", "replacement", "reason"]
RULE_ACTIONS = {"drop_title", "strip_prefix", "strip_suffix", "drop_line", "replace", "dedupe_paragraphs",
                "disable"}
PATTERN_ACTIONS = {"strip_prefix", "strip_suffix", "drop_line"}
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
FURNITURE_FILE = "furniture_rules.csv"
FURNITURE_PREFIX = "furniture:"

#: Line breaks: only these split lines (as in editors and ``git diff``).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Characters ``str.splitlines`` also splits at; inside a line they become a space.
_OTHER_SEPARATORS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BOM = "\ufeff"
_NORMALISE_REASONS = {
    "byte-order-mark": "A byte-order mark (U+FEFF) at the start of the file is an encoding marker, not text.",
    "line-separator": "A character that Python's str.splitlines treats as a line break but line-numbering tools "
                      "(editors, grep, git) do not; replaced by a space so that spans mean the lines they show.",
    "unicode-nfc": "Text put in Unicode normalization form C (Unicode Standard Annex #15), so that decomposed and "
                   "precomposed letters (e.g. Vietnamese tone marks) are the same string; nothing visible changes.",
}


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
    matcher: UserPattern | SuffixPattern | None = field(default=None, compare=False, repr=False)

    def applies_to(self, doc_id: str) -> bool:
        return self.doc_id in ("*", doc_id)


@dataclass(frozen=True)
class SuffixPattern:
    """A user pattern matched at the end of a line. :meth:`search` gives what ``re.search``
    gives for ``(?:PATTERN)\\Z`` (the leftmost match that ends the line), but first asks a
    backward search (the ``regex`` module's REVERSE flag) whether there is one: that fails
    at the end of the line at once, where a forward search tries every position."""

    forward: UserPattern
    backward: UserPattern

    def search(self, line: str):
        return self.forward.search(line) if self.backward.search(line) else None


@dataclass(frozen=True)
class RawText:
    """A decoded raw file: its lines and, per line, the normalisation repairs made
    (kind -> count; separator kinds are ``U+XXXX``)."""

    lines: list[str]
    repairs: list[Counter]


# ---------------------------------------------------------------------------- CSV files

def read_table(path: Path, required: list[str]) -> pd.DataFrame:
    """The rows of the CSV file ``path`` as a table of strings (see :func:`read_rows`)."""
    header, body = read_rows(path, required)
    return pd.DataFrame(body, columns=header)


def read_rows(path: Path, required: list[str]) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the CSV file ``path``, as strings (no type guessing), after
    checking that it is non-empty UTF-8 (a byte-order mark is allowed), comma-separated
    (judged from ``required`` columns), with unique column names and as many fields in
    every row as in the header. Blank lines are skipped."""
    text = decode_table(path)
    rows, line_numbers = parse_csv(text, path)
    header, body = rows[0], rows[1:]
    check_separator(header, required, path)
    check_field_counts(header, body, line_numbers[1:], path)
    return header, body


def decode_table(path: Path) -> str:
    """The text of a CSV file, or :class:`CorpusError` if it is empty or not UTF-8."""
    data = path.read_bytes()
    if not data.strip():
        raise CorpusError(f"{path}: the file is empty. Write the header row and one row per entry, "
                          "separated by commas.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data:
        raise CorpusError(f"{path}: saved as UTF-16 (it has NUL bytes or a UTF-16 byte-order mark), not UTF-8. "
                          "Re-save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)').")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise CorpusError(
            f"{path}, line {line}: not UTF-8 (byte 0x{data[err.start]:02x}; probably saved as Windows-1252 or "
            "Latin-1). Re-save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)').") from None


def parse_csv(text: str, path: Path) -> tuple[list[list[str]], list[int]]:
    """The records of a CSV text (RFC 4180 quoting) and the line on which each ends."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, line_numbers = [], []
    try:
        for row in reader:
            if len(row) > 1 or (row and row[0].strip()):
                rows.append(row)
                line_numbers.append(reader.line_num)
    except csv.Error as err:
        raise CorpusError(f"{path}, line {reader.line_num}: not valid CSV ({err}). Close every quoted field "
                          "with a double quote and write a quote inside a field as two (\"\").") from None
    if not rows:
        raise CorpusError(f"{path}: the file is empty. Write the header row and one row per entry.")
    return rows, line_numbers


def check_separator(header: list[str], required: list[str], path: Path) -> None:
    """Refuse a header that only makes sense split at semicolons or tabs."""
    if all(c in header for c in required):
        return
    for name, sep in (("semicolons", ";"), ("tabs", "\t")):
        if any(sep in column for column in header):
            raise CorpusError(f"{path}: the header is separated by {name}. Separate columns with commas "
                              "(in Excel: save as 'CSV UTF-8 (Comma delimited)').")


def check_field_counts(header: list[str], body: list[list[str]], line_numbers: list[int], path: Path) -> None:
    """Every row has as many fields as the header, and no column name is repeated."""
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise CorpusError(f"{path}: column(s) {', '.join(repeated)} appear more than once in the header. "
                          "Keep one of each.")
    for row, line in zip(body, line_numbers):
        if len(row) != len(header):
            raise CorpusError(
                f"{path}, line {line}: {len(row)} fields but the header has {len(header)}. Put a field that "
                "contains a comma in double quotes, and give every row one field per column.")


# ---------------------------------------------------------------------------- metadata

def read_metadata(folder: Path) -> pd.DataFrame:
    """The rows of ``metadata.csv``, validated, as strings (no type guessing)."""
    path = folder / "metadata.csv"
    if not path.is_file():
        raise CorpusError(f"{path}: no metadata file. Create it with the columns {', '.join(METADATA_COLUMNS)}.")
    meta = read_table(path, METADATA_COLUMNS)
    check_metadata_columns(meta, path)
    if meta.empty:
        raise CorpusError(f"{path}: no documents (the header has no rows under it). Add one row per document.")
    duplicated = meta.loc[meta["doc_id"].duplicated(), "doc_id"].tolist()
    if duplicated:
        raise CorpusError(f"{path}: duplicate doc_id {', '.join(duplicated)}. Each document needs its own doc_id.")
    for i, row in enumerate(table_records(meta)):
        check_metadata_row(row, row_label(path, i, row["doc_id"]))
    check_group_typos(meta, "era", path)
    return meta


def table_records(table: pd.DataFrame) -> list[dict]:
    """The rows of ``table`` as dicts (as ``to_dict("records")``, which is slow on string columns)."""
    return [dict(zip(table.columns, values)) for values in table.to_numpy(dtype=object).tolist()]


def row_label(path: Path, index: int, doc_id: str) -> str:
    """``PATH, row N (doc_id 'X')``: row N of the file, counting the header as row 1."""
    return f"{path}, row {index + 2} (doc_id {doc_id!r})"


def check_metadata_columns(meta: pd.DataFrame, path: Path) -> None:
    missing = [c for c in METADATA_COLUMNS if c not in meta.columns]
    if missing:
        hint = (f" The translation column says who made the English text: one of {sorted(TRANSLATIONS)}."
                if "translation" in missing else "")
        raise CorpusError(f"{path}: missing column(s) {', '.join(missing)}. Add them to the header row.{hint}")


def check_metadata_row(row: dict, where: str) -> None:
    """One row: required fields filled, plain doc_id, one-line fields, date, voice,
    translation and span well-formed."""
    for col in REQUIRED_VALUES:
        if not row[col].strip():
            raise CorpusError(f"{where}: empty {col}. Fill it in.")
    if not re.fullmatch(DOC_ID_FORMAT, row["doc_id"]):
        raise CorpusError(f"{where}: doc_id {row['doc_id']!r} is not a plain identifier. Use letters, digits, "
                          "'.', '_' and '-' only, starting with a letter or digit (no spaces or slashes).")
    check_field_characters(row, where)
    check_date(row, where)
    if row["voice"] not in VOICES:
        raise CorpusError(f"{where}: voice {row['voice']!r} is not one of {sorted(VOICES)}.")
    if row["translation"] not in TRANSLATIONS:
        raise CorpusError(
            f"{where}: translation {row['translation']!r} is not one of {sorted(TRANSLATIONS)}. Use the one "
            "that says who made the English text, and put what is known in translation_evidence.")
    parse_span(row["span"], where)


def check_field_characters(row: dict, where: str) -> None:
    """No line break or other control character (Unicode categories Cc, Zl, Zp) in a field
    other than the evidence fields: they would split or hide text in tables and plots."""
    for col in METADATA_COLUMNS:
        if col in EVIDENCE_COLUMNS:
            continue
        bad = next((ch for ch in row[col] if unicodedata.category(ch) in ("Cc", "Zl", "Zp")), None)
        if bad is not None:
            raise CorpusError(f"{where}: column {col} contains a line break or control character ({bad!r}). "
                              f"Write {col} on one line without it (only {', '.join(sorted(EVIDENCE_COLUMNS))} "
                              "may span lines).")


def check_date(row: dict, where: str) -> None:
    """Dates are ISO, as precise as known: ``2020``, ``2020-10`` or ``2020-10-29``, matching
    ``date_precision``; ``date_earliest`` and ``date_latest`` (days) bracket the date: its
    period must overlap them, and must not start after today."""
    precision = row["date_precision"]
    if precision not in PRECISION_FORMATS:
        raise CorpusError(f"{where}: date_precision {precision!r} must be one of day, month, year.")
    if not re.fullmatch(PRECISION_FORMATS[precision], row["date"]):
        raise CorpusError(
            f"{where}: date {row['date']!r} cannot be parsed as a {precision} "
            f"(expected {dict(year='YYYY', month='YYYY-MM', day='YYYY-MM-DD')[precision]}).")
    try:
        period = pd.Period(row["date"], freq={"year": "Y", "month": "M", "day": "D"}[precision])
        earliest, latest = (pd.Timestamp(row[c]) if row[c] else None for c in ("date_earliest", "date_latest"))
    except ValueError as err:
        raise CorpusError(f"{where}: date {row['date']!r} or its bounds are not a real date ({err}). Use ISO dates.") from err
    if earliest is not None and latest is not None and earliest > latest:
        raise CorpusError(f"{where}: date_earliest is after date_latest. Swap them.")
    check_date_in_bounds(period, earliest, latest, row["date"], where)


def check_date_in_bounds(period: pd.Period, earliest, latest, date: str, where: str) -> None:
    """The date's period (e.g. all of October for ``2020-10``) overlaps
    [earliest, latest], and starts no later than today."""
    start, end = period.start_time, period.end_time
    if (earliest is not None and end < earliest) or (latest is not None and start > latest):
        bounds = f"{earliest.date() if earliest is not None else '...'} to {latest.date() if latest is not None else '...'}"
        raise CorpusError(f"{where}: date {date!r} ({start.date()} to {end.date()}) lies outside date_earliest.."
                          f"date_latest ({bounds}). Correct the date or the bounds so that they overlap.")
    today = datetime.date.today()
    if start.date() > today:
        raise CorpusError(f"{where}: date {date!r} starts on {start.date()}, after today ({today}). "
                          "Correct the date (a document cannot be from the future).")


def parse_span(span: str, where: str = "") -> tuple[int, int] | None:
    """``all`` gives None; ``lines A-B`` gives (A, B), 1-based and inclusive."""
    if span in ("", "all"):
        return None
    match = re.fullmatch(r"lines (\d+)-(\d+)", span)
    if not match or int(match[1]) < 1 or int(match[1]) > int(match[2]):
        raise CorpusError(f"{where}: span {span!r} must be 'all' or 'lines A-B' with 1 <= A <= B.")
    return int(match[1]), int(match[2])


def check_group_typos(meta: pd.DataFrame, column: str, path: Path) -> None:
    """Refuse two values of a grouping ``column`` that look like one value spelled two
    ways, since they would silently split a group: equal after ignoring case, accents,
    spaces and punctuation (:func:`comparison_key`), or within a small edit distance
    (:func:`is_near_spelling`) when they have the same digits ("Era 1" and "Era 2" differ
    on purpose)."""
    values = sorted(set(meta[column]))
    keys = {v: comparison_key(v) for v in values}
    for a, b in itertools.combinations(values, 2):
        if keys[a] == keys[b] or is_near_spelling(keys[a], keys[b]):
            rows = {v: ", ".join(f"{i + 2} (doc_id {d!r})" for i, d in meta.loc[meta[column] == v, "doc_id"].items())
                    for v in (a, b)}
            raise CorpusError(
                f"{path}: {column} {a!r} (row {rows[a]}) and {b!r} (row {rows[b]}) look like one value spelled "
                f"two ways. Use one spelling in every row; if they are different groups, name them more distinctly.")


def comparison_key(value: str) -> str:
    """``value`` case-folded, without accents (Unicode NFD minus combining marks; đ as d),
    spaces or punctuation: the letters and digits a reader would compare."""
    decomposed = unicodedata.normalize("NFD", value.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def is_near_spelling(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` have the same digits and differ by at most
    ``min(2, len(shorter) // 5)`` letter edits. Assumption: a typo changes one or two
    letters of a name, and short names (under five letters, e.g. "Mu" and "Nu") may
    legitimately differ by one."""
    if [c for c in a if c.isdigit()] != [c for c in b if c.isdigit()]:
        return False
    limit = min(2, min(len(a), len(b)) // 5)
    return abs(len(a) - len(b)) <= limit and 0 < edit_distance(a, b) <= limit


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions turning
    ``a`` into ``b`` (Levenshtein 1966; computed row by row as in Wagner & Fischer 1974)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def raw_file_paths(folder: Path, meta: pd.DataFrame) -> list[Path]:
    """The resolved path of every row's raw file, each checked to lie inside ``raw/``."""
    meta_path = folder / "metadata.csv"
    return [raw_file_path(folder, raw_file, row_label(meta_path, i, doc_id))
            for i, (raw_file, doc_id) in enumerate(zip(meta["raw_file"], meta["doc_id"]))]


def raw_file_path(folder: Path, raw_file: str, where: str) -> Path:
    """``raw/RAW_FILE`` resolved (symbolic links followed); it must stay inside ``raw/``."""
    raw_dir = (folder / "raw").resolve()
    resolved = (folder / "raw" / raw_file).resolve()
    if Path(raw_file).is_absolute() or resolved == raw_dir or not resolved.is_relative_to(raw_dir):
        raise CorpusError(f"{where}: raw_file {raw_file!r} points outside {folder / 'raw'}. raw_file must be a "
                          "file name inside raw/ (no '..', absolute path or link leading out): move the file into "
                          "raw/ and give its name.")
    if resolved.is_dir():
        raise CorpusError(f"{where}: raw_file {raw_file!r} is a folder. raw_file must be a file name inside raw/.")
    return resolved


def check_shared_spans(meta: pd.DataFrame, raw_paths: list[Path], path: Path) -> None:
    """Two rows naming the same raw file must take disjoint lines of it."""
    spans = [parse_span(s) for s in meta["span"]]
    for i, j in itertools.combinations(range(len(meta)), 2):
        if raw_paths[i] != raw_paths[j]:
            continue
        a, b = spans[i], spans[j]
        if a is None or b is None or (a[0] <= b[1] and b[0] <= a[1]):
            ids = meta["doc_id"].iloc[[i, j]].tolist()
            raise CorpusError(
                f"{path}, rows {i + 2} and {j + 2} (doc_id {ids[0]!r} and {ids[1]!r}): both take lines of "
                f"{meta['raw_file'].iloc[i]} (spans {meta['span'].iloc[i]!r} and {meta['span'].iloc[j]!r}). "
                "Give each document its own lines, e.g. 'lines 1-20' and 'lines 21-30'.")


def check_no_orphan_files(folder: Path, raw_paths: list[Path]) -> None:
    """Every file in ``raw/`` must be named by some metadata row: nothing is skipped silently."""
    listed = set(raw_paths)
    orphans = sorted(p.name for p in (folder / "raw").iterdir() if p.is_file() and p.resolve() not in listed)
    if orphans:
        raise CorpusError(
            f"{folder / 'raw'}: {', '.join(orphans)} has no row in metadata.csv. "
            "Add a row with its raw_file, or move the file out of raw/.")


# ---------------------------------------------------------------------------- rules

def read_rules(folder: Path, doc_ids: set[str] | None = None) -> list[Rule]:
    """The corpus's own cleaning rules of ``cleaning_rules.csv`` (none if the file is
    absent), ``disable`` rows included. Each rule's doc_id must be ``*`` or in ``doc_ids``
    (by default those of the folder's ``metadata.csv``)."""
    path = folder / "cleaning_rules.csv"
    if not path.exists():
        return []
    if doc_ids is None:
        doc_ids = set(read_metadata(folder)["doc_id"])
    return rules_from_file(path, doc_ids)


def read_furniture_rules() -> list[Rule]:
    """The general wire-service rules of ``analysis/data/furniture_rules.csv``, names
    prefixed ``furniture:``."""
    rules = rules_from_file(paths.data_file(FURNITURE_FILE), set())
    return [Rule(r.doc_id, FURNITURE_PREFIX + r.rule, r.action, r.pattern, r.replacement, r.reason, r.matcher)
            for r in rules]


def rules_from_file(path: Path, doc_ids: set[str]) -> list[Rule]:
    """The rules of one rules file, each checked and its pattern compiled."""
    header, body = read_rows(path, RULE_COLUMNS)
    if set(RULE_COLUMNS) - set(header):
        raise CorpusError(f"{path}: the header must be {','.join(RULE_COLUMNS)}.")
    records = [dict(zip(header, row)) for row in body]
    return [rule_from_row(row, f"{path}, row {i + 2} (rule {row['rule']!r})", doc_ids)
            for i, row in enumerate(records)]


def rule_from_row(row: dict, where: str, doc_ids: set[str]) -> Rule:
    """One rule, checked: known action, known doc_id, a usable pattern."""
    action, pattern = row["action"], row["pattern"]
    if action not in RULE_ACTIONS:
        raise CorpusError(f"{where}: unknown action {action!r}; use one of {sorted(RULE_ACTIONS)}.")
    if row["doc_id"] != "*" and row["doc_id"] not in doc_ids:
        raise CorpusError(f"{where}: doc_id {row['doc_id']!r} is not in metadata.csv. Use '*' (every document) "
                          "or the doc_id of a document, or delete the stale rule.")
    if action == "replace" and not pattern:
        raise CorpusError(f"{where}: a replace rule needs a pattern (the literal text to replace). Write it, "
                          "or delete the row.")
    if action == "disable" and (row["doc_id"] != "*" or not row["reason"].strip()):
        raise CorpusError(f"{where}: a disable rule needs doc_id '*' and a reason. Correct the row.")
    matcher = compile_rule_pattern(action, pattern, where) if action in PATTERN_ACTIONS else None
    return Rule(*(row[c] for c in RULE_COLUMNS), matcher=matcher)


@functools.lru_cache(maxsize=4096)
def compile_rule_pattern(action: str, pattern: str, where: str) -> UserPattern | SuffixPattern:
    """The rule's pattern, compiled and probed for catastrophic backtracking; for
    ``strip_suffix`` anchored at the end of the line (``(?:PATTERN)\\Z``). Cached: a
    :class:`UserPattern` is immutable, and a pattern that fails raises every time."""
    compiled = compile_user_pattern(pattern, where, error=CorpusError)
    if action != "strip_suffix":
        return compiled
    anchored = f"(?:{pattern})\\Z"
    return SuffixPattern(compile_user_pattern(anchored, where, error=CorpusError),
                         compile_user_pattern(anchored, where, flags=regex.REVERSE, error=CorpusError))


def corpus_rules(folder: Path, doc_ids: set[str] | None = None) -> list[Rule]:
    """The rules applied to a corpus: the general furniture rules the corpus has not
    disabled, then its own rules (``doc_ids`` as for :func:`read_rules`)."""
    own = read_rules(folder, doc_ids)
    furniture = read_furniture_rules()
    names = {r.rule for r in furniture}
    disabled = set()
    for rule in own:
        if rule.action == "disable":
            name = rule.rule if rule.rule.startswith(FURNITURE_PREFIX) else FURNITURE_PREFIX + rule.rule
            if name not in names:
                raise CorpusError(
                    f"{folder / 'cleaning_rules.csv'}: disable rule {rule.rule!r} names no general rule of "
                    f"analysis/data/{FURNITURE_FILE} (they are {', '.join(sorted(names))}). Correct the name.")
            disabled.add(name)
    return [r for r in furniture if r.rule not in disabled] + [r for r in own if r.action != "disable"]


# ---------------------------------------------------------------------------- raw texts

def check_sha256(path: Path, digest: str, expected: str, where: str) -> None:
    if digest != expected.strip().lower():
        raise CorpusError(
            f"{path}: sha256 is {digest} but metadata.csv says {expected} ({where}). Restore the original "
            "file, or if the change is intended, put the new sha256 in metadata.csv.")


def decode_raw_text(data: bytes, path: Path) -> RawText:
    """The raw bytes decoded as UTF-8 and normalised (see the module docstring): lines
    split only at ``\\n``, ``\\r\\n``, ``\\r``, with the repairs made on each line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path}: not UTF-8 ({err}). Re-save the file as UTF-8.") from err
    bom = text.startswith(_BOM)
    lines = split_lines(text[1:] if bom else text)
    check_no_nul(lines, path)
    normalised = [normalise_line(line) for line in lines]
    repairs = [repair for _, repair in normalised]
    if bom:
        (repairs or [Counter()])[0]["byte-order-mark"] += 1
    return RawText([line for line, _ in normalised], repairs)


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, split only at ``\\n``, ``\\r\\n`` and ``\\r`` (a final line
    break ends the last line rather than starting an empty one)."""
    if not text:
        return []
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines[-1] == "" else lines


def check_no_nul(lines: list[str], path: Path) -> None:
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise CorpusError(f"{path}, line {number}: a NUL byte (\\x00). The file is probably UTF-16 or binary, "
                              "not UTF-8 text: re-save it as UTF-8 (or take it out of raw/ and metadata.csv).")


def normalise_line(line: str) -> tuple[str, Counter]:
    """The line with other line separators as spaces, in NFC; and what was repaired."""
    repairs: Counter = Counter()
    if _OTHER_SEPARATORS.search(line):
        repairs.update(f"U+{ord(ch):04X}" for ch in _OTHER_SEPARATORS.findall(line))
        line = _OTHER_SEPARATORS.sub(" ", line)
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
        repairs["unicode-nfc"] += 1
    return line, repairs


def select_span(raw: RawText, span: str, where: str = "") -> tuple[list[str], list[Counter]]:
    """The lines of ``raw`` that belong to the document, and their repairs."""
    bounds = parse_span(span, where)
    if bounds is None:
        return raw.lines, raw.repairs
    if bounds[1] > len(raw.lines):
        raise CorpusError(f"{where}: span {span!r} ends after the last line of the raw file ({len(raw.lines)} "
                          "lines). Correct the span.")
    return raw.lines[bounds[0] - 1: bounds[1]], raw.repairs[bounds[0] - 1: bounds[1]]


def normalisation_log(doc_id: str, repairs: list[Counter]) -> list[dict]:
    """One log row per kind of repair made on the document's lines, with its count."""
    total = sum(repairs, Counter())
    rows = []
    if total["byte-order-mark"]:
        rows.append(("byte-order-mark", "U+FEFF at the start of the file", ""))
    separators = sorted(k for k in total if k.startswith("U+"))
    if separators:
        rows.append(("line-separator", ", ".join(f"{k} x{total[k]}" for k in separators), " "))
    if total["unicode-nfc"]:
        rows.append(("unicode-nfc", f"{total['unicode-nfc']} line(s) not in NFC", "NFC"))
    return [dict(doc_id=doc_id, rule=kind, action="normalise", original=original, replacement=replacement,
                 reason=_NORMALISE_REASONS[kind]) for kind, original, replacement in rows]


# ---------------------------------------------------------------------------- cleaning

def clean_document(lines: list[str], doc_id: str, title: str, rules: list[Rule]) -> tuple[str, list[dict]]:
    """Apply the rules to one document's lines; return the cleaned text (one paragraph a
    line, blank lines dropped) and the log of every removal or repair."""
    log: list[dict] = []
    by_action = {a: [r for r in rules if r.action == a and r.applies_to(doc_id)] for a in RULE_ACTIONS}

    def record(rule: Rule, original: str, replacement: str = "") -> None:
        log.append(dict(doc_id=doc_id, rule=rule.rule, action=rule.action, original=original,
                        replacement=replacement, reason=rule.reason))

    paragraphs = [line.strip() for line in lines if line.strip()]
    paragraphs = apply_replacements(paragraphs, by_action["replace"], doc_id, record)
    for rule in by_action["drop_title"]:
        if title.strip() in paragraphs:
            paragraphs.remove(title.strip())
            record(rule, title.strip())
    kept = [p for p in (clean_paragraph(p, by_action, record) for p in paragraphs) if p]
    for rule in by_action["dedupe_paragraphs"]:
        kept = drop_repeats(kept, rule, record)
    return "\n".join(kept), log


def apply_replacements(paragraphs: list[str], rules: list[Rule], doc_id: str, record) -> list[str]:
    """The paragraphs with each ``replace`` rule's literal text replaced (it must occur)."""
    for rule in rules:
        text = "\n".join(paragraphs)
        if rule.pattern not in text:
            raise CorpusError(
                f"cleaning_rules.csv: rule {rule.rule!r} for {doc_id} looks for {rule.pattern!r}, which is not "
                "in the text. Remove the stale rule or correct its pattern.")
        for _ in range(text.count(rule.pattern)):
            record(rule, rule.pattern, rule.replacement)
        paragraphs = text.replace(rule.pattern, rule.replacement).split("\n")
    return paragraphs


def clean_paragraph(para: str, by_action: dict[str, list[Rule]], record) -> str:
    """The paragraph with prefixes and suffixes stripped, or "" if a ``drop_line`` rule
    matches it in full (or nothing is left)."""
    for rule in by_action["strip_prefix"]:
        match = rule.matcher.match(para)
        if match:
            record(rule, match.group(0))
            para = para[match.end():]
    for rule in by_action["strip_suffix"]:
        match = rule.matcher.search(para)
        if match:
            record(rule, match.group(0))
            para = para[:match.start()]
    dropper = next((r for r in by_action["drop_line"] if r.matcher.fullmatch(para)), None)
    if dropper:
        record(dropper, para)
        return ""
    return para


def drop_repeats(paragraphs: list[str], rule: Rule, record) -> list[str]:
    """The paragraphs with a word-for-word repeat of an earlier one dropped."""
    seen: set[str] = set()
    unique = []
    for para in paragraphs:
        if para in seen:
            record(rule, para)
        else:
            seen.add(para)
            unique.append(para)
    return unique


# ---------------------------------------------------------------------------- public

def _read_corpus(path: str | Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = Path(path) if path is not None else paths.corpus_dir()
    meta = read_metadata(folder)
    raw_paths = raw_file_paths(folder, meta)
    check_shared_spans(meta, raw_paths, folder / "metadata.csv")
    check_no_orphan_files(folder, raw_paths)
    rules = corpus_rules(folder, set(meta["doc_id"]))
    texts, logs, cache = [], [], {}
    for i, (row, raw_path) in enumerate(zip(table_records(meta), raw_paths)):
        where = row_label(folder / "metadata.csv", i, row["doc_id"])
        raw = document_raw_text(raw_path, row["sha256"], where, cache)
        lines, repairs = select_span(raw, row["span"], where)
        text, log = clean_document(lines, row["doc_id"], row["title"], rules)
        if not text.strip():
            raise CorpusError(
                f"{where}: the text is empty after selecting span {row['span']!r} and cleaning. "
                "Check the raw file, the span and the cleaning rules.")
        texts.append(text)
        logs.extend(normalisation_log(row["doc_id"], repairs) + log)
    return arrange_documents(meta.assign(text=texts)), pd.DataFrame(logs, columns=LOG_COLUMNS)


def document_raw_text(path: Path, expected_sha256: str, where: str, cache: dict) -> RawText:
    """The decoded raw file of one row, after checking the row's sha256 (every row, even
    when another row already read the file)."""
    if path not in cache:
        if not path.is_file():
            raise CorpusError(f"{where}: raw file {path} does not exist. Add the file or fix raw_file.")
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        check_sha256(path, digest, expected_sha256, where)
        cache[path] = (digest, decode_raw_text(data, path))
    digest, raw = cache[path]
    check_sha256(path, digest, expected_sha256, where)
    return raw


def arrange_documents(docs: pd.DataFrame) -> pd.DataFrame:
    """The documents sorted by date (then doc_id), with ``date_start`` and ``year``."""
    docs["date_start"] = [pd.Period(d, freq=p[0].upper()).start_time
                          for d, p in zip(docs["date"], docs["date_precision"])]
    docs["year"] = docs["date_start"].dt.year
    docs = docs.sort_values(["date_start", "doc_id"], kind="stable").reset_index(drop=True)
    front = ["doc_id", "title", "outlet", "date", "date_precision", "year", "era", "voice", "text"]
    return docs[front + [c for c in docs.columns if c not in front]]


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
    original, replacement, reason (reader comments included). Rules from the general
    furniture file are named ``furniture:NAME``; text normalisation has action
    ``normalise``."""
    return _read_corpus(path)[1]
