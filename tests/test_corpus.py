"""The corpus loader: provenance, cleaning audit and clear errors on bad input."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis import CorpusError, cleaning_log, load_corpus, paths
from analysis.corpus import METADATA_COLUMNS, TRANSLATIONS
from conftest import make_corpus, sha256

SEEDS = paths.project_root().parent / "shared" / "seeds"
PARTY_DOCS = ["indifference-2020", "poisonous-information-2020", "localism-2021",
              "streamlining-2025", "alienation-2025"]


def test_raw_files_are_the_seeds_byte_for_byte():
    meta = pd.read_csv(paths.corpus_dir() / "metadata.csv", dtype=str, keep_default_na=False)
    for row in meta.itertuples():
        data = (paths.corpus_dir() / "raw" / row.raw_file).read_bytes()
        assert sha256(data) == row.sha256
    if SEEDS.exists():  # the shared seeds sit beside the project on the study's machines
        seed_hashes = {sha256(p.read_bytes()) for p in SEEDS.glob("*.txt")}
        assert set(meta["sha256"]) == seed_hashes


def test_metadata_has_every_column_and_one_row_per_document():
    meta = pd.read_csv(paths.corpus_dir() / "metadata.csv", dtype=str, keep_default_na=False)
    assert list(meta.columns) == METADATA_COLUMNS
    assert meta["doc_id"].is_unique
    assert set(meta["doc_id"]) == set(PARTY_DOCS) | {"alienation-2025-comments"}


def test_every_document_says_who_made_its_english():
    meta = pd.read_csv(paths.corpus_dir() / "metadata.csv", dtype=str, keep_default_na=False)
    assert set(meta["translation"]) <= TRANSLATIONS
    assert (meta["translation_evidence"].str.strip() != "").all()
    comments = meta["voice"] == "reader-comments"
    assert (meta.loc[comments, "translation"] == "original-english").all()
    assert (meta.loc[~comments, "translation"] != "original-english").all()


def test_load_corpus_sorted_by_date_and_comments_only_when_asked(corpus_all):
    docs = load_corpus()
    assert list(docs["doc_id"]) == PARTY_DOCS
    assert (docs["voice"] == "party-media").all()
    assert list(corpus_all["doc_id"]) == PARTY_DOCS + ["alienation-2025-comments"]
    assert docs["date_start"].is_monotonic_increasing
    for col in ["doc_id", "title", "outlet", "date", "year", "era", "voice", "text"]:
        assert col in docs.columns
    assert docs.set_index("doc_id").loc["localism-2021", "year"] == 2021


def test_cleaning_removes_furniture_and_keeps_the_article(corpus_all):
    text = corpus_all.set_index("doc_id")["text"]
    assert not text.str.contains(r"!\[\]\(\)").any()
    assert not text.str.contains("Baonghean.vn").any()
    assert not text.str.contains(r"Comment \(0\)").any()
    assert "GMT+7" not in text["poisonous-information-2020"]
    assert "75 years Vietnam National Assembly" not in text["poisonous-information-2020"]
    assert "Illustration: Internet" not in text["localism-2021"]
    assert "Source: https" not in text["streamlining-2025"]
    assert not text["alienation-2025"].startswith("HỒ QUANG PHƯƠNG")
    assert text["alienation-2025"].endswith("from the ranks.")
    assert text["alienation-2025-comments"].startswith("It’s great to see discussions")
    # every first paragraph is body text, not the title
    for doc_id in PARTY_DOCS:
        assert not text[doc_id].startswith(corpus_all.set_index("doc_id").loc[doc_id, "title"])


def test_glued_words_in_indifference_2020_repaired_by_listed_rules(corpus_all):
    text = corpus_all.set_index("doc_id").loc["indifference-2020", "text"]
    for glued in ["projectssupported", "ofagricultural", "productshave", "Committee.make",
                  "Committee.assign", "resolutionfor", "them.position", "activityThe", "issuesThe"]:
        assert glued not in text
    assert "a number of agricultural products have advantages" in text
    log = cleaning_log()
    repairs = log[(log["doc_id"] == "indifference-2020") & (log["action"] == "replace")]
    assert len(repairs) == 12  # 10 glued words + 2 missing spaces after commas
    assert ("productshave", "products have") in set(zip(repairs["original"], repairs["replacement"]))


def test_duplicated_comment_paragraphs_kept_once(corpus_all):
    comments = corpus_all.set_index("doc_id").loc["alienation-2025-comments", "text"].split("\n")
    assert len(comments) == len(set(comments)) == 9  # 11 raw lines, 2 repeats
    log = cleaning_log()
    assert (log["rule"] == "duplicate-paragraph").sum() == 2


def test_cleaning_log_accounts_for_every_removed_line():
    """Raw lines = kept paragraphs + dropped lines (+ blank lines), per raw file."""
    docs = load_corpus(include_comments=True)
    log = cleaning_log()
    for raw_file, group in docs.groupby("raw_file"):
        raw_lines = [l for l in (paths.corpus_dir() / "raw" / raw_file).read_text("utf-8").splitlines() if l.strip()]
        kept = sum(len(t.split("\n")) for t in group["text"])
        dropped = log[log["doc_id"].isin(group["doc_id"]) & log["action"].isin(
            ["drop_line", "drop_title", "dedupe_paragraphs"])]
        assert kept + len(dropped) == len(raw_lines), raw_file


def test_a_new_text_needs_only_a_raw_file_and_a_row(tmp_path):
    folder = make_corpus(tmp_path / "c", {"toy-a": "First sentence. Second one.\n", "toy-b": "Another text here."})
    docs = load_corpus(folder)
    assert list(docs["doc_id"]) == ["toy-a", "toy-b"]
    assert docs.loc[0, "text"] == "First sentence. Second one."


# ------------------------------------------------------------------ bad input

def _meta(folder):
    return pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)


def _write_meta(folder, meta):
    meta.to_csv(folder / "metadata.csv", index=False)


def test_raw_file_without_metadata_row(corpus_copy):
    (corpus_copy / "raw" / "stray.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"stray\.txt has no row in metadata\.csv.*Add a row"):
        load_corpus(corpus_copy)


def test_row_whose_file_is_missing(corpus_copy):
    (corpus_copy / "raw" / "localism-2021.txt").rename(corpus_copy / "elsewhere.txt")
    with pytest.raises(CorpusError, match=r"localism-2021.*localism-2021\.txt does not exist"):
        load_corpus(corpus_copy)


def test_duplicate_doc_id(corpus_copy):
    meta = _meta(corpus_copy)
    meta.loc[1, "doc_id"] = meta.loc[0, "doc_id"]
    _write_meta(corpus_copy, meta)
    with pytest.raises(CorpusError, match=r"metadata\.csv: duplicate doc_id indifference-2020"):
        load_corpus(corpus_copy)


@pytest.mark.parametrize("date,precision", [("Oct 2020", "month"), ("2020-13", "month"),
                                            ("2020-10", "day"), ("2020-02-30", "day")])
def test_unparseable_date(corpus_copy, date, precision):
    meta = _meta(corpus_copy)
    meta.loc[0, ["date", "date_precision"]] = [date, precision]
    _write_meta(corpus_copy, meta)
    with pytest.raises(CorpusError, match=r"row 2 \(doc_id 'indifference-2020'\): date"):
        load_corpus(corpus_copy)


def test_file_that_is_not_utf8(tmp_path):
    folder = make_corpus(tmp_path / "c", {"toy": "placeholder"})
    data = "Caf\u00e9 society.".encode("latin-1")
    (folder / "raw" / "toy.txt").write_bytes(data)
    meta = _meta(folder)
    meta.loc[0, "sha256"] = hashlib.sha256(data).hexdigest()
    _write_meta(folder, meta)
    with pytest.raises(CorpusError, match=r"toy\.txt: not UTF-8.*Re-save the file as UTF-8"):
        load_corpus(folder)


def test_empty_text(tmp_path):
    folder = make_corpus(tmp_path / "c", {"toy": "   \n\n"})
    with pytest.raises(CorpusError, match=r"doc_id 'toy'\): the text is empty"):
        load_corpus(folder)


def test_sha256_that_does_not_match(corpus_copy):
    path = corpus_copy / "raw" / "localism-2021.txt"
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(CorpusError, match=r"localism-2021\.txt: sha256 is [0-9a-f]{64} but metadata\.csv says"):
        load_corpus(corpus_copy)


def test_stale_replace_rule(tmp_path):
    rules = "doc_id,rule,action,pattern,replacement,reason\ntoy,glue,replace,abcxyz,abc xyz,test\n"
    folder = make_corpus(tmp_path / "c", {"toy": "Nothing glued here."}, rules=rules)
    with pytest.raises(CorpusError, match=r"rule 'glue' for toy looks for 'abcxyz'"):
        load_corpus(folder)


def test_bad_span_and_voice(tmp_path):
    folder = make_corpus(tmp_path / "c", {"toy": "Text."}, span="lines 3-1")
    with pytest.raises(CorpusError, match=r"span 'lines 3-1'"):
        load_corpus(folder)
    folder = make_corpus(tmp_path / "d", {"toy": "Text."}, voice="blog")
    with pytest.raises(CorpusError, match=r"voice 'blog'"):
        load_corpus(folder)


def test_missing_column(tmp_path):
    folder = make_corpus(tmp_path / "c", {"toy": "Text."})
    _write_meta(folder, _meta(folder).drop(columns=["sha256"]))
    with pytest.raises(CorpusError, match=r"missing column\(s\) sha256"):
        load_corpus(folder)


def test_missing_translation_column(tmp_path):
    folder = make_corpus(tmp_path / "c", {"toy": "Text."})
    _write_meta(folder, _meta(folder).drop(columns=["translation"]))
    with pytest.raises(CorpusError, match=r"metadata\.csv: missing column\(s\) translation\. Add them to the header "
                                          r"row\. The translation column says who made the English text: one of"):
        load_corpus(folder)


@pytest.mark.parametrize("value", ["", "machine-translation", "Outlet-English-Edition"])
def test_translation_outside_the_controlled_list(tmp_path, value):
    folder = make_corpus(tmp_path / "c", {"toy": "Text."}, translation=value)
    with pytest.raises(CorpusError, match=rf"metadata\.csv, row 2 \(doc_id 'toy'\): translation '{value}' is not one "
                                          r"of \[.*'original-english'.*\]\. Use the one"):
        load_corpus(folder)


def test_date_labels_state_precision_and_evidence(corpus_all):
    from analysis.overview import date_label, date_labels, date_positions

    assert date_label("2020-10", "month", "Inferred (about 2-3 Oct): ...") == "~2020-10 (month, inferred)"
    assert date_label("2020-10-29", "day", "Stated: the page's stamp") == "2020-10-29 (day, stated)"
    assert date_label("2025-04-16", "day", "Event date: the conference") == "2025-04-16 (day, event date)"
    labels = date_labels(corpus_all)
    assert labels["alienation-2025-comments"] == "~2025-11 (month, approximate)"
    # the middle of the possible dates: 17 Oct - 13 Nov 2025 for alienation-2025
    assert date_positions(corpus_all)["alienation-2025"] == pd.Timestamp("2025-10-30 12:00")
