"""Bad corpus input gives a clear error or a correct result, never silence and never a hang
(issue 13). Each test builds a small valid corpus in ``tmp_path``, breaks one thing, and
checks the error (file, row, fix) or the result."""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import analysis.patterns
from analysis import CorpusError, cleaning_log, load_corpus
from analysis.corpus import (METADATA_COLUMNS, RULE_COLUMNS, check_group_typos, edit_distance, read_furniture_rules,
                             read_rules)

TEXTS = {"doc-a": "First paragraph of a.\nSecond paragraph of a.\n", "doc-b": "Only paragraph of b.\n"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row_for(doc_id: str, raw_file: str, data: bytes, index: int = 0, **overrides) -> dict:
    """A valid metadata row with every column of METADATA_COLUMNS."""
    row = dict(doc_id=doc_id, title=f"Title of {doc_id}", outlet="Toy outlet", author="nobody",
               date=f"201{index}-0{index + 1}", date_precision="month", date_earliest="", date_latest="",
               date_evidence="made up", url="", era="Toy era", voice="party-media", raw_file=raw_file,
               sha256=sha256(data), span="all", translation="original-english", translation_evidence="made up")
    return row | overrides


def write_corpus(folder: Path, texts: dict[str, str | bytes] | None = None, rules: list[tuple] | None = None,
                 **overrides) -> Path:
    """A valid corpus: raw/DOC_ID.txt and a metadata row per text (``overrides`` for every
    row), and ``cleaning_rules.csv`` if ``rules`` (rows of RULE_COLUMNS) is given."""
    (folder / "raw").mkdir(parents=True)
    rows = []
    for i, (doc_id, text) in enumerate((texts or TEXTS).items()):
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / "raw" / f"{doc_id}.txt").write_bytes(data)
        rows.append(row_for(doc_id, f"{doc_id}.txt", data, i, **overrides))
    write_meta(folder, pd.DataFrame(rows, columns=METADATA_COLUMNS))
    if rules is not None:
        write_rules(folder, rules)
    return folder


def read_meta(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)


def write_meta(folder: Path, meta: pd.DataFrame, encoding: str = "utf-8", sep: str = ",",
               quoting: int = csv.QUOTE_MINIMAL) -> None:
    (folder / "metadata.csv").write_bytes(meta.to_csv(index=False, sep=sep, quoting=quoting).encode(encoding))


def edit_meta(folder: Path, row: int, **values) -> None:
    """Set ``values`` in metadata row ``row`` (every field quoted, so that a line break
    inside a field stays inside it)."""
    meta = read_meta(folder)
    for column, value in values.items():
        meta.loc[row, column] = value
    write_meta(folder, meta, quoting=csv.QUOTE_ALL)


def rules_csv(rules: list[tuple], sep: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(RULE_COLUMNS)
    writer.writerows(rules)
    return out.getvalue()


def write_rules(folder: Path, rules: list[tuple]) -> None:
    (folder / "cleaning_rules.csv").write_text(rules_csv(rules), encoding="utf-8")


def one_doc(tmp_path: Path, text: str | bytes, rules: list[tuple] | None = None, **overrides) -> Path:
    return write_corpus(tmp_path / "c", {"toy": text}, rules, **overrides)


def text_of(folder: Path, doc_id: str = "toy") -> str:
    return load_corpus(folder, include_comments=True).set_index("doc_id").loc[doc_id, "text"]


def test_the_helper_makes_a_valid_corpus(tmp_path):
    folder = write_corpus(tmp_path / "c")
    docs = load_corpus(folder)
    assert list(docs["doc_id"]) == ["doc-a", "doc-b"]
    assert docs.loc[0, "text"] == "First paragraph of a.\nSecond paragraph of a."
    assert cleaning_log(folder).empty


# ------------------------------------------------------------ 1. unreadable CSV files

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_metadata_in_utf16(tmp_path, encoding):
    folder = write_corpus(tmp_path / "c")
    write_meta(folder, read_meta(folder), encoding=encoding)
    with pytest.raises(CorpusError, match=r"metadata\.csv: saved as UTF-16.*Re-save it as UTF-8"):
        load_corpus(folder)


def test_metadata_in_cp1252(tmp_path):
    folder = write_corpus(tmp_path / "c")
    meta = read_meta(folder)
    meta.loc[1, "title"] = "Café society"
    write_meta(folder, meta, encoding="cp1252")
    with pytest.raises(CorpusError, match=r"metadata\.csv, line 3: not UTF-8 \(byte 0xe9; probably saved as "
                                          r"Windows-1252.*Re-save it as UTF-8"):
        load_corpus(folder)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_metadata(tmp_path, content):
    folder = write_corpus(tmp_path / "c")
    (folder / "metadata.csv").write_bytes(content)
    with pytest.raises(CorpusError, match=r"metadata\.csv: the file is empty\. Write the header row"):
        load_corpus(folder)


def test_header_only_metadata(tmp_path):
    folder = write_corpus(tmp_path / "c")
    (folder / "metadata.csv").write_text(",".join(METADATA_COLUMNS) + "\n", encoding="utf-8")
    for f in (folder / "raw").iterdir():
        f.unlink()
    with pytest.raises(CorpusError, match=r"metadata\.csv: no documents.*Add one row per document"):
        load_corpus(folder)


@pytest.mark.parametrize("sep,name", [(";", "semicolons"), ("\t", "tabs")])
def test_metadata_with_another_separator(tmp_path, sep, name):
    folder = write_corpus(tmp_path / "c")
    meta = read_meta(folder)
    meta.loc[0, "title"] = "A title, with a comma"  # would look like a ragged row if split at commas
    write_meta(folder, meta, sep=sep)
    with pytest.raises(CorpusError, match=rf"metadata\.csv: the header is separated by {name}\. "
                                          r"Separate columns with commas"):
        load_corpus(folder)


def test_ragged_metadata_row(tmp_path):
    folder = write_corpus(tmp_path / "c")
    lines = (folder / "metadata.csv").read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    (folder / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata\.csv, line 3: 18 fields but the header has 17\. "
                                          r"Put a field that contains a comma in double quotes"):
        load_corpus(folder)


def test_short_metadata_row_is_not_padded_silently(tmp_path):
    folder = write_corpus(tmp_path / "c")
    lines = (folder / "metadata.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0]
    (folder / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata\.csv, line 2: 16 fields but the header has 17"):
        load_corpus(folder)


def test_unclosed_quote_in_metadata(tmp_path):
    folder = write_corpus(tmp_path / "c")
    text = (folder / "metadata.csv").read_text(encoding="utf-8")
    (folder / "metadata.csv").write_text(text.replace("Title of doc-b", '"Title of doc-b'), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata\.csv, line \d+: not valid CSV.*Close every quoted field"):
        load_corpus(folder)


def test_raw_file_that_is_a_folder(tmp_path):
    folder = write_corpus(tmp_path / "c")
    (folder / "raw" / "sub").mkdir()
    edit_meta(folder, 0, raw_file="sub")
    with pytest.raises(CorpusError, match=r"row 2 \(doc_id 'doc-a'\): raw_file 'sub' is a folder\. raw_file must "
                                          r"be a file name inside raw/"):
        load_corpus(folder)


RULE = ("*", "note", "strip_prefix", "NOTE: ", "", "a note")


@pytest.mark.parametrize("content,message", [
    (rules_csv([RULE]).encode("utf-16"), r": saved as UTF-16.*Re-save it as UTF-8"),
    (rules_csv([RULE[:5] + ("café",)]).encode("cp1252"), r", line 2: not UTF-8.*Windows-1252.*Re-save it as UTF-8"),
    (b"", r": the file is empty"),
    (rules_csv([RULE], sep=";").encode(), r": the header is separated by semicolons\. Separate columns with commas"),
    (rules_csv([RULE], sep="\t").encode(), r": the header is separated by tabs\. Separate columns with commas"),
    (rules_csv([RULE + ("extra",)]).encode(), r", line 2: 7 fields but the header has 6"),
])
def test_unreadable_cleaning_rules(tmp_path, content, message):
    folder = write_corpus(tmp_path / "c")
    (folder / "cleaning_rules.csv").write_bytes(content)
    with pytest.raises(CorpusError, match=r"cleaning_rules\.csv" + message):
        load_corpus(folder)


def test_byte_order_mark_in_metadata_and_rules_is_fine(tmp_path):
    folder = write_corpus(tmp_path / "c", {"toy": "NOTE: First line.\n"}, rules=[RULE])
    expected = text_of(folder)
    for name in ("metadata.csv", "cleaning_rules.csv"):
        path = folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert expected == "First line."
    assert text_of(folder) == expected
    assert list(cleaning_log(folder)["rule"]) == ["note"]


# ------------------------------------------------------------ 2. paths

@pytest.mark.parametrize("kind", ["dotdot", "absolute", "subfolder-escape", "symlink-out"])
def test_raw_file_outside_raw(tmp_path, kind):
    folder = write_corpus(tmp_path / "c")
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"Text outside the corpus.\n")
    (folder / "raw" / "sub").mkdir()
    raw_file = {"dotdot": "../../outside.txt", "absolute": str(outside), "subfolder-escape": "sub/../../../outside.txt",
                "symlink-out": "link.txt"}[kind]
    if kind == "symlink-out":
        (folder / "raw" / "link.txt").symlink_to(outside)
    edit_meta(folder, 0, raw_file=raw_file, sha256=sha256(outside.read_bytes()))
    (folder / "raw" / "doc-a.txt").unlink()
    with pytest.raises(CorpusError, match=r"metadata\.csv, row 2 \(doc_id 'doc-a'\): raw_file .* points outside "
                                          r".*raw_file must be a file name inside raw/"):
        load_corpus(folder)


def test_raw_file_in_a_subfolder_of_raw_is_read(tmp_path):
    folder = write_corpus(tmp_path / "c")
    (folder / "raw" / "sub").mkdir()
    (folder / "raw" / "doc-a.txt").rename(folder / "raw" / "sub" / "doc-a.txt")
    edit_meta(folder, 0, raw_file="sub/doc-a.txt")
    assert text_of(folder, "doc-a") == "First paragraph of a.\nSecond paragraph of a."


# ------------------------------------------------------------ 3. integrity

def shared_file_corpus(tmp_path: Path, spans=("lines 1-2", "lines 3-3")) -> Path:
    folder = write_corpus(tmp_path / "c", {"doc-a": "A one.\nA two.\nB one.\n"})
    meta = read_meta(folder)
    second = meta.iloc[0].copy()
    second["doc_id"], second["voice"] = "doc-b", "reader-comments"
    meta = pd.concat([meta, second.to_frame().T], ignore_index=True)
    meta["span"] = list(spans)
    write_meta(folder, meta)
    return folder


def test_shared_raw_file_split_by_spans(tmp_path):
    docs = load_corpus(shared_file_corpus(tmp_path), include_comments=True).set_index("doc_id")
    assert docs.loc["doc-a", "text"] == "A one.\nA two."
    assert docs.loc["doc-b", "text"] == "B one."


def test_every_row_sharing_a_raw_file_has_its_sha256_checked(tmp_path):
    folder = shared_file_corpus(tmp_path)
    edit_meta(folder, 1, sha256="0" * 64)
    with pytest.raises(CorpusError, match=r"doc-a\.txt: sha256 is [0-9a-f]{64} but metadata\.csv says 0{64} "
                                          r"\(.*row 3 \(doc_id 'doc-b'\)\)\. Restore the original file"):
        load_corpus(folder, include_comments=True)


# ------------------------------------------------------------ 4. text normalisation

def test_byte_order_mark_in_raw_file_removed_and_logged_and_rules_see_the_first_line(tmp_path):
    folder = one_doc(tmp_path, "\ufeffNOTE: First line.\nSecond line.\n", rules=[RULE])
    assert text_of(folder) == "First line.\nSecond line."
    log = cleaning_log(folder)
    assert list(zip(log["rule"], log["action"])) == [("byte-order-mark", "normalise"), ("note", "strip_prefix")]
    assert log.loc[1, "original"] == "NOTE: "


def test_decomposed_vietnamese_loads_as_composed(tmp_path):
    composed = "Hà Nội và Đà Nẵng.\nA plain line.\nHà Nội."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    folder = one_doc(tmp_path, decomposed)
    assert text_of(folder) == composed
    log = cleaning_log(folder)
    assert log[["rule", "action", "original"]].values.tolist() == [["unicode-nfc", "normalise", "2 line(s) not in NFC"]]


def test_composed_text_is_not_logged(tmp_path):
    assert cleaning_log(one_doc(tmp_path, "Hà Nội.\n")).empty


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_only_newlines_split_lines(tmp_path, separator):
    raw = f"One{separator}two.\nThree.\n"
    assert len(raw.splitlines()) == 3  # what str.splitlines would do
    folder = one_doc(tmp_path, raw, span="lines 2-2")
    assert text_of(folder) == "Three."
    folder = one_doc(tmp_path / "all", raw)
    assert text_of(folder) == "One two.\nThree."
    log = cleaning_log(folder)
    assert log[["rule", "action", "original", "replacement"]].values.tolist() == [
        ["line-separator", "normalise", f"U+{ord(separator):04X} x1", " "]]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_spans_count_lines_as_editors_do(tmp_path, newline):
    raw = newline.join(["One.", "Two.", "Three.", ""])
    assert text_of(one_doc(tmp_path, raw, span="lines 2-3")) == "Two.\nThree."


@pytest.mark.parametrize("data", ["Hello.\nWorld.\n".encode("utf-16-le"), b"Hello.\nWor\x00ld.\n"])
def test_nul_byte_in_raw_file(tmp_path, data):
    folder = one_doc(tmp_path, data)
    line = 1 if data.startswith(b"H\x00") else 2
    with pytest.raises(CorpusError, match=rf"toy\.txt, line {line}: a NUL byte.*probably UTF-16 or binary.*"
                                          r"re-save it as UTF-8"):
        load_corpus(folder)


# ------------------------------------------------------------ 5. metadata that makes no sense

@pytest.mark.parametrize("date,precision,earliest,latest", [
    ("2020-01", "month", "2020-02-01", ""),          # month ends before the earliest date
    ("2020-05-03", "day", "", "2020-05-02"),         # day after the latest date
    ("2019", "year", "2020-01-01", "2020-12-31"),
])
def test_date_outside_its_bounds(tmp_path, date, precision, earliest, latest):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 1, date=date, date_precision=precision, date_earliest=earliest, date_latest=latest)
    with pytest.raises(CorpusError, match=rf"metadata\.csv, row 3 \(doc_id 'doc-b'\): date '{date}' .* lies outside "
                                          r"date_earliest\.\.date_latest.*so that they overlap"):
        load_corpus(folder)


def test_date_period_that_overlaps_its_bounds_is_fine(tmp_path):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 1, date="2020-11", date_earliest="2020-10-17", date_latest="2020-11-03")
    assert len(load_corpus(folder)) == 2


def test_date_in_the_future(tmp_path):
    year = str(datetime.date.today().year + 1)
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 0, date=year, date_precision="year")
    with pytest.raises(CorpusError, match=rf"row 2 \(doc_id 'doc-a'\): date '{year}' starts on {year}-01-01, after "
                                          r"today.*Correct the date"):
        load_corpus(folder)


@pytest.mark.parametrize("spans", [("all", "lines 3-3"), ("lines 1-2", "lines 2-3"), ("lines 2-3", "lines 1-2"),
                                   ("lines 1-3", "lines 2-2")])
def test_two_documents_taking_the_same_lines(tmp_path, spans):
    folder = shared_file_corpus(tmp_path, spans)
    with pytest.raises(CorpusError, match=r"metadata\.csv, rows 2 and 3 \(doc_id 'doc-a' and 'doc-b'\): both take "
                                          r"lines of doc-a\.txt.*Give each document its own lines"):
        load_corpus(folder)


def test_span_past_the_end_of_the_file(tmp_path):
    folder = one_doc(tmp_path, "One.\nTwo.\n", span="lines 1-3")
    with pytest.raises(CorpusError, match=r"row 2 \(doc_id 'toy'\): span 'lines 1-3' ends after the last line of the "
                                          r"raw file \(2 lines\)\. Correct the span"):
        load_corpus(folder)


@pytest.mark.parametrize("column", ["title", "outlet", "author", "url", "era"])
@pytest.mark.parametrize("char", ["\n", "\r", "\t", "\x07", "\u2028"])
def test_line_break_or_control_character_in_a_field(tmp_path, column, char):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 0, **{column: f"Part one{char}part two"})
    with pytest.raises(CorpusError, match=rf"row 2 \(doc_id 'doc-a'\): column {column} contains a line break or "
                                          rf"control character.*Write {column} on one line"):
        load_corpus(folder)


def test_evidence_fields_may_span_lines(tmp_path):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 0, date_evidence="Line one.\nLine two.", translation_evidence="A.\r\nB.")
    docs = load_corpus(folder).set_index("doc_id")
    assert docs.loc["doc-a", "date_evidence"] == "Line one.\nLine two."
    assert docs.loc["doc-a", "translation_evidence"] == "A.\r\nB."


@pytest.mark.parametrize("doc_id", ["doc a", "doc/a", "../a", "-a", ".a", "doc\\a", "doc:a", "dóc"])
def test_doc_id_that_is_not_a_plain_identifier(tmp_path, doc_id):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 0, doc_id=doc_id)
    with pytest.raises(CorpusError, match=rf"row 2 \(doc_id {re.escape(repr(doc_id))}\): doc_id .* is not a plain "
                                          r"identifier\. Use letters, digits"):
        load_corpus(folder)


@pytest.mark.parametrize("doc_id", ["a", "2020_text.v2", "A-b.c_d"])
def test_plain_doc_ids_are_fine(tmp_path, doc_id):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 0, doc_id=doc_id)
    assert doc_id in set(load_corpus(folder)["doc_id"])


@pytest.mark.parametrize("first,second", [
    ("Nguyen Phu Trong", "Nguyen Phu Tromg"),   # one letter
    ("Nguyen Phu Trong", "Nguyen Phu Tronng"),  # one letter inserted
    ("Nguyen Phu Trong", "Nguyen Phu Tron"),    # one letter deleted
    ("Nguyen Phu Trong", "Nguyen Phi Trung"),   # two letters
    ("To Lam", "to lam."),                      # case and punctuation
    ("To Lam", "Tô Lâm"),                       # accents
    ("Doi Moi", "Đổi  Mới"),                    # accents, đ and spaces
])
def test_era_that_looks_like_a_typo_of_another(tmp_path, first, second):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 0, era=first)
    edit_meta(folder, 1, era=second)
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    message = str(err.value)
    assert "metadata.csv: era" in message
    assert repr(first) in message and repr(second) in message
    assert "row 2 (doc_id 'doc-a')" in message and "row 3 (doc_id 'doc-b')" in message
    assert "Use one spelling in every row" in message


@pytest.mark.parametrize("first,second", [("Era 1", "Era 2"), ("Mu", "Nu"), ("Nguyen Phu Trong", "To Lam"),
                                          ("Term 12", "Term 13"), ("Alpha", "Zeta")])
def test_eras_that_differ_on_purpose(tmp_path, first, second):
    folder = write_corpus(tmp_path / "c")
    edit_meta(folder, 0, era=first)
    edit_meta(folder, 1, era=second)
    assert set(load_corpus(folder)["era"]) == {first, second}


def test_group_typo_check_serves_any_column(tmp_path):
    table = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["Nhan Dan", "VNA", "Nhan  Dan!"]})
    with pytest.raises(CorpusError, match=r"meta\.csv: outlet 'Nhan  Dan!' \(row 4 \(doc_id 'c'\)\) and 'Nhan Dan' "
                                          r"\(row 2 \(doc_id 'a'\)\) look like one value"):
        check_group_typos(table, "outlet", Path("meta.csv"))
    check_group_typos(table.iloc[:2], "outlet", Path("meta.csv"))  # no error


@pytest.mark.parametrize("a,b,distance", [("kitten", "sitting", 3), ("flaw", "lawn", 2), ("", "abc", 3),
                                          ("abc", "abc", 0), ("trong", "tromg", 1), ("ab", "ba", 2)])
def test_edit_distance_against_hand_counts(a, b, distance):
    """Counts from Levenshtein's definition (kitten -> sitting: two substitutions and an
    insertion), checked both ways round."""
    assert edit_distance(a, b) == edit_distance(b, a) == distance


# ------------------------------------------------------------ 6. cleaning rules

def test_rule_for_an_unknown_doc_id(tmp_path):
    folder = write_corpus(tmp_path / "c", rules=[RULE, ("doc-z", "stale", "drop_line", "x+", "", "old")])
    with pytest.raises(CorpusError, match=r"cleaning_rules\.csv, row 3 \(rule 'stale'\): doc_id 'doc-z' is not in "
                                          r"metadata\.csv"):
        load_corpus(folder)


@pytest.mark.parametrize("action", ["strip_prefix", "strip_suffix", "drop_line"])
def test_catastrophic_pattern_refused_when_read(tmp_path, action):
    folder = write_corpus(tmp_path / "c", rules=[("*", "slow", action, "(a|aa)+$", "", "test")])
    start = time.perf_counter()
    with pytest.raises(CorpusError, match=r"cleaning_rules\.csv, row 2 \(rule 'slow'\): pattern '\(a\|aa\)\+\$' took "
                                          r"more than .* s on a test line.*rewrite the pattern"):
        load_corpus(folder)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("action,pattern,line", [("strip_prefix", "(x|xx)+$", "x" * 60 + "!"),
                                                 ("drop_line", "(x|xx)+$", "x" * 60 + "!"),
                                                 ("strip_suffix", "^(x|xx)+", "!" + "x" * 60)])
def test_pattern_that_explodes_only_on_the_corpus_is_stopped(tmp_path, monkeypatch, action, pattern, line):
    monkeypatch.setattr(analysis.patterns, "PATTERN_TIMEOUT", 0.1)
    rules = [("*", "bomb", action, pattern, "", "test")]
    folder = write_corpus(tmp_path / "c", {"toy": f"Fine line.\n{line}\n"}, rules=rules)
    assert len(read_rules(folder)) == 1  # the probes pass
    start = time.perf_counter()
    with pytest.raises(CorpusError, match=r"cleaning_rules\.csv, row 2 \(rule 'bomb'\): pattern .* took more than "
                                          r"0\.1 s on one string of 61 characters and was stopped"):
        load_corpus(folder)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("pattern,message", [("(unclosed", "is not a regular expression"),
                                             ("x*", "matches the empty string"), ("", "the pattern is empty")])
def test_unusable_pattern(tmp_path, pattern, message):
    folder = write_corpus(tmp_path / "c", rules=[("*", "bad", "drop_line", pattern, "", "test")])
    with pytest.raises(CorpusError, match=rf"cleaning_rules\.csv, row 2 \(rule 'bad'\): .*{message}"):
        load_corpus(folder)


def test_replace_rule_without_pattern(tmp_path):
    folder = write_corpus(tmp_path / "c", rules=[("doc-a", "glue", "replace", "", "x", "test")])
    with pytest.raises(CorpusError, match=r"row 2 \(rule 'glue'\): a replace rule needs a pattern"):
        load_corpus(folder)


def test_patterns_keep_re_semantics(tmp_path):
    rules = [("*", "number", "strip_prefix", r"\d+\. ", "", "numbering"),
             ("*", "tail", "strip_suffix", "a|ba", "", "leftmost match, as re.search gives"),
             ("*", "note", "drop_line", r"(?i)note: .*", "", "note lines")]
    raw = "1. Point one xba\nNOTE: dropped\n12. Point two.\n"
    folder = one_doc(tmp_path, raw, rules=rules)
    assert re.search("(?:a|ba)\\Z", "1. Point one xba").group(0) == "ba"
    assert text_of(folder) == "Point one x\nPoint two."
    log = cleaning_log(folder)
    assert log[["rule", "original"]].values.tolist() == [["number", "1. "], ["tail", "ba"], ["note", "NOTE: dropped"],
                                                         ["number", "12. "]]


# ------------------------------------------------------------ 7. wire-service furniture

@pytest.mark.parametrize("raw,expected,rule,original", [
    ("Hanoi (VNA) – The Politburo met.", "The Politburo met.", "dateline", "Hanoi (VNA) – "),
    ("HÀ NỘI — Việt Nam will host it.", "Việt Nam will host it.", "dateline-capitals", "HÀ NỘI — "),
    ("HÀ NỘI (VNS) — The meeting opened.", "The meeting opened.", "dateline", "HÀ NỘI (VNS) — "),
    ("Ha Noi, May 5 (VNA) - Delegates met.", "Delegates met.", "dateline", "Ha Noi, May 5 (VNA) - "),
    ("HCM CITY — Exports rose.", "Exports rose.", "dateline-capitals", "HCM CITY — "),
    ("(VNA) - The Politburo met.", "The Politburo met.", "outlet-tag", "(VNA) - "),
    ("(Baonghean.vn) - One of the signs.", "One of the signs.", "outlet-tag", "(Baonghean.vn) - "),
    ("The conference closed./.", "The conference closed.", "signoff-slash", "/."),
    ("The conference closed ./.", "The conference closed", "signoff-slash", " ./."),
    ("The conference closed. — VNS", "The conference closed.", "signoff-agency", " — VNS"),
    ("The conference closed. - VNA", "The conference closed.", "signoff-agency", " - VNA"),
    ("The conference closed. VNS", "The conference closed.", "signoff-agency", " VNS"),
])
def test_furniture_removed_and_logged(tmp_path, raw, expected, rule, original):
    folder = one_doc(tmp_path, f"Body paragraph.\n{raw}\n")
    assert text_of(folder) == f"Body paragraph.\n{expected}"
    log = cleaning_log(folder)
    assert log[["rule", "original"]].values.tolist() == [[f"furniture:{rule}", original]]
    assert log.loc[0, "reason"].strip()


@pytest.mark.parametrize("line", ["VNS", "VNA", "— VNS", "- VNA."])
def test_sign_off_line_dropped(tmp_path, line):
    folder = one_doc(tmp_path, f"The conference closed.\n{line}\n")
    assert text_of(folder) == "The conference closed."
    assert cleaning_log(folder)[["rule", "original"]].values.tolist() == [["furniture:signoff-line", line]]


@pytest.mark.parametrize("line", [
    "The delegation visited Hanoi (VNA) – a fact widely reported.",
    "Reporters in Hanoi said (VNA) - nothing more.",
    "According to VNA, the meeting closed.",
    "The figures were released by VNS on Monday.",
    "In HÀ NỘI — the capital — delegates met.",
    "The Communist Party of Vietnam (CPV) – the ruling party – met.",
    "The note said ./. was a typo.",
    "Hanoi is the capital.",
    "VNA reported the news.",
    "NATO — the alliance — was mentioned.",
])
def test_mentions_of_places_and_agencies_are_untouched(tmp_path, line):
    folder = one_doc(tmp_path, f"{line}\nSecond paragraph.\n")
    assert text_of(folder) == f"{line}\nSecond paragraph."
    assert cleaning_log(folder).empty


def test_furniture_applied_before_the_corpus_rules(tmp_path):
    rules = [("*", "note", "strip_prefix", "Editor's note: ", "", "note")]
    folder = one_doc(tmp_path, "Hanoi (VNA) – Editor's note: The text.\n", rules=rules)
    assert text_of(folder) == "The text."
    assert list(cleaning_log(folder)["rule"]) == ["furniture:dateline", "note"]


@pytest.mark.parametrize("name", ["signoff-slash", "furniture:signoff-slash"])
def test_corpus_can_disable_a_general_rule(tmp_path, name):
    rules = [("*", name, "disable", "", "", "this corpus quotes './.' as text")]
    folder = one_doc(tmp_path, "The conference closed./.\n", rules=rules)
    assert text_of(folder) == "The conference closed./."
    assert cleaning_log(folder).empty
    assert [r.rule for r in read_rules(folder)] == [name]


@pytest.mark.parametrize("row,message", [
    (("*", "no-such-rule", "disable", "", "", "why"), r"disable rule 'no-such-rule' names no general rule"),
    (("toy", "signoff-slash", "disable", "", "", "why"), r"a disable rule needs doc_id '\*' and a reason"),
    (("*", "signoff-slash", "disable", "", "", ""), r"a disable rule needs doc_id '\*' and a reason"),
])
def test_bad_disable_rule(tmp_path, row, message):
    folder = one_doc(tmp_path, "Text.\n", rules=[row])
    with pytest.raises(CorpusError, match=r"cleaning_rules\.csv.*" + message):
        load_corpus(folder)


def test_furniture_rules_are_general_and_explained():
    rules = read_furniture_rules()
    assert rules and all(r.doc_id == "*" and r.reason.strip() and r.rule.startswith("furniture:") for r in rules)
    assert {r.action for r in rules} <= {"strip_prefix", "strip_suffix", "drop_line"}


@pytest.mark.parametrize("line", ["Closed./.", "Closed ./.", "Closed. — VNS", "x ./. y ./.", "Closed.", "a/.",
                                  "Closed.  - VNA.", "“Quoted.” VNS", "", "./."])
def test_fast_suffix_search_gives_the_re_match(line):
    """The backward pre-check must not change which match (if any) is stripped: compare
    with the standard library's re on the same anchored patterns."""
    for rule in (r for r in read_furniture_rules() if r.action == "strip_suffix"):
        expected = re.search(f"(?:{rule.pattern})\\Z", line)
        got = rule.matcher.search(line)
        assert (got.span() if got else None) == (expected.span() if expected else None), (rule.rule, line)
