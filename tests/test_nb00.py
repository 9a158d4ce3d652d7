"""Notebook 00 (the corpus): its helpers, its glued findings, and a run on another corpus.

- The helpers of :mod:`analysis.overview` and the time line on toy tables (the
  notebook-facing helpers of :mod:`analysis.annotation_eval` are tested in
  ``test_annotation_eval.py``).
- The committed notebook: every glue name its Markdown uses is glued, the glued numbers
  equal the committed tables of ``results/`` and an independent computation, and no
  source names the project's corpus (doc_ids, group names, outlets, years).
- The notebook executed on the test corpus of ``tests/corpus_factory.py`` (marked
  ``notebooks``: slow): it runs, says that the hand annotation is missing instead of
  measuring it, writes every text into its per-text tables and its time line, and its
  glued numbers match what it wrote.
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from analysis import groups, load_corpus, overview, paths
from corpus_mentions import corpus_mentions, notebook_source
from glue_values import glued, glued_number, referenced

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "00_corpus.ipynb"
#: The tables notebook 00 writes with one row per document of the corpus.
PER_TEXT_TABLES = ("corpus_documents", "cleaning_documents")
#: The figures notebook 00 writes with one row (marker and label) per document.
PER_TEXT_FIGURES = ("00_timeline",)


def toy_corpus(rows) -> pd.DataFrame:
    """A corpus table with the columns the overview helpers read: rows of (doc_id, group,
    date, precision, earliest, latest[, voice])."""
    out = []
    for row in rows:
        doc_id, group, date, precision, lo, hi, *voice = row
        start = pd.Period(date, freq=precision[0].upper()).start_time
        out.append(dict(doc_id=doc_id, era=group, date=date, date_precision=precision, date_earliest=lo,
                        date_latest=hi, date_start=start, date_evidence="Stated: toy",
                        voice=voice[0] if voice else "party-media", outlet=f"outlet {group}",
                        translation="original-english", text="x" * 100))
    return pd.DataFrame(out)


# ------------------------------------------------------------------ overview helpers


def test_overlapping_dates_finds_every_pair_and_only_those():
    corpus = toy_corpus([("a", "G", "2020-01", "month", "2020-01-01", "2020-01-31"),
                         ("b", "G", "2020-01-20", "day", "", ""),
                         ("c", "G", "2020", "year", "", ""),              # overlaps a and b
                         ("d", "H", "2022-05-01", "day", "", ""),
                         ("e", "H", "2022-05-01", "day", "", "", "reader-comments")])   # another voice: left out
    pairs = overview.overlapping_dates(corpus)
    assert [tuple(p) for p in pairs.itertuples(index=False)] == [("a", "b"), ("a", "c"), ("b", "c")]


def test_overlapping_dates_agrees_with_brute_force_on_many_texts():
    import numpy as np

    rng = np.random.default_rng(3)
    rows = []
    for k, day in enumerate(sorted(rng.integers(0, 2000, 60))):
        t = pd.Timestamp("2015-01-01") + pd.Timedelta(days=int(day))
        width = int(rng.integers(0, 60))
        rows.append((f"t{k:02d}", "G", t.strftime("%Y-%m-%d"), "day", t.strftime("%Y-%m-%d"),
                     (t + pd.Timedelta(days=width)).strftime("%Y-%m-%d")))
    corpus = toy_corpus(rows)
    ranges = overview.date_ranges(corpus)
    ids = list(corpus["doc_id"])
    brute = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
             if ranges.loc[a, "latest"] >= ranges.loc[b, "earliest"] and ranges.loc[b, "latest"] >= ranges.loc[a, "earliest"]}
    found = {tuple(p) for p in overview.overlapping_dates(corpus).itertuples(index=False)}
    assert found == brute and brute


def test_time_clusters_split_at_gaps():
    corpus = toy_corpus([("a", "G", "2016-03-15", "day", "", ""), ("b", "G", "2016-11", "month", "", ""),
                         ("c", "H", "2020-02-20", "day", "", ""), ("d", "K", "2024-01", "month", "", "")])
    clusters = overview.time_clusters(corpus)
    assert list(clusters["texts"]) == [2, 1, 1]
    assert list(clusters["doc_ids"]) == ["a, b", "c", "d"]
    assert math.isnan(clusters["gap_before_years"][0]) and clusters["gap_before_years"][1] > 3
    assert len(overview.time_clusters(corpus, min_gap_years=10)) == 1


def test_group_sources_name_what_groups_share():
    corpus = toy_corpus([("a", "G", "2016", "year", "", ""), ("b", "H", "2020", "year", "", "")])
    corpus.loc[1, "outlet"] = "outlet G"
    table = overview.group_sources(corpus).set_index("group")
    assert list(table.index) == ["G", "H"]
    assert table.loc["H", "shared_outlets"] == "outlet G" and table.loc["G", "shared_translations"] == "original-english"
    assert table.loc["G", "translation"] == "original-english (1)"


def test_cleaning_by_document_has_every_document():
    corpus = toy_corpus([("a", "G", "2016", "year", "", ""), ("b", "G", "2017", "year", "", "")])
    log = pd.DataFrame([dict(doc_id="b", rule="r", action="drop_line", original="y" * 25, replacement="", reason="")])
    table = overview.cleaning_by_document(corpus, log).set_index("doc_id")
    assert list(table.index) == ["a", "b"]
    assert table.loc["a", "removals"] == 0 and table.loc["b", "characters_removed"] == 25
    assert table.loc["b", "share_removed"] == pytest.approx(25 / 125)
    empty = overview.cleaning_by_document(corpus, log.iloc[0:0])
    assert list(empty["removals"]) == [0, 0]


def test_cited_off_scale():
    corpus = toy_corpus([("a", "G", "2020", "year", "", "")])
    cited = pd.DataFrame({"date_start": pd.to_datetime(["1947-10-01", "2016-10-30"])})
    assert list(overview.cited_off_scale(corpus, cited)) == [True, False]


def test_document_summary_keeps_a_row_per_document(corpus_all, sentence_table, token_table):
    summary = overview.document_summary(corpus_all, sentence_table, token_table, "translation")
    assert list(summary["doc_id"]) == list(corpus_all["doc_id"])
    assert "era" in summary and "translation" in summary
    assert (summary["words"] > 0).all()


# ------------------------------------------------------------------ the time line


def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def test_timeline_labels_every_text_and_grows_with_them():
    import matplotlib.pyplot as plt

    from analysis.plots import plot_timeline

    def corpus_of(n):
        return toy_corpus([(f"text-{k:03d}", "AB"[k * 2 // n], (pd.Timestamp("2010-01-01") + pd.Timedelta(days=40 * k))
                            .strftime("%Y-%m-%d"), "day", "", "") for k in range(n)])

    small, large = plot_timeline(corpus_of(6)), plot_timeline(corpus_of(90))
    try:
        labels = " ".join(_texts(large))
        assert all(f"text-{k:03d}" in labels for k in range(90))
        assert large.get_figheight() > 5 * small.get_figheight()
        for fig in (small, large):      # every label ends inside the axis: room was made on the right
            ax = fig.axes[0]
            renderer = fig.canvas.get_renderer()
            right = ax.get_window_extent(renderer).x1
            assert all(t.get_window_extent(renderer).x1 <= right + 1 for t in ax.texts)
    finally:
        plt.close(small)
        plt.close(large)


# ------------------------------------------------------------------ the committed notebook


def test_every_referenced_glue_name_is_glued():
    names = referenced(NOTEBOOK)
    assert names, "the notebook's Markdown uses no glue"
    assert names <= set(glued(NOTEBOOK)), sorted(names - set(glued(NOTEBOOK)))


def test_glued_numbers_match_the_committed_tables():
    values = glued(NOTEBOOK)
    docs = pd.read_csv(ROOT / "results" / "corpus_documents.csv")
    main = docs[docs["voice"] == groups.MAIN_VOICE]
    assert glued_number(values, "n_texts") == len(main)
    assert glued_number(values, "n_documents") == len(docs)
    assert glued_number(values, "n_words") == main["words"].sum()
    assert glued_number(values, "n_sentences") == main["sentences"].sum()
    assert glued_number(values, "max_words") == glued_number(values, "longest_words") == main["words"].max()
    assert glued_number(values, "min_words") == glued_number(values, "shortest_words") == main["words"].min()
    assert glued_number(values, "length_ratio") == pytest.approx(main["words"].max() / main["words"].min())
    assert glued_number(values, "n_uncertain_dates") == docs["date_label"].str.startswith("~").sum()
    log = pd.read_csv(ROOT / "results" / "cleaning_log.csv", keep_default_na=False)
    cleaning = pd.read_csv(ROOT / "results" / "cleaning_documents.csv")
    assert glued_number(values, "n_removals") == len(log) == cleaning["removals"].sum()
    assert glued_number(values, "chars_removed") == cleaning["characters_removed"].sum()
    upos = pd.read_csv(ROOT / "results" / "annotation_eval_upos.csv", keep_default_na=False).set_index("group")
    assert glued_number(values, "pos_accuracy") == pytest.approx(upos.loc["all", "value"])
    assert glued_number(values, "pos_sample") == upos.loc["all", "n"]
    entities = pd.read_csv(ROOT / "results" / "annotation_eval_entities.csv").set_index(["match", "typed"])
    assert glued_number(values, "entity_exact_f1") == pytest.approx(entities.loc[("exact", True), "f1"])
    assert glued_number(values, "entity_partial_recall") == pytest.approx(entities.loc[("partial", False), "recall"])
    quotes = pd.read_csv(ROOT / "results" / "annotation_eval_quotations.csv").set_index("match")
    assert glued_number(values, "quotation_recall") == pytest.approx(quotes.loc["exact", "recall"])
    assert f"{glued_number(values, 'pos_accuracy'):.1%}" in values["pos_finding"]


def test_glued_numbers_match_an_independent_computation():
    values = glued(NOTEBOOK)
    corpus = load_corpus(include_comments=True)
    texts = corpus[corpus["voice"] == "party-media"]
    assert glued_number(values, "n_groups") == texts["era"].nunique()
    spans = [(r.doc_id, pd.Timestamp(r.date_earliest), pd.Timestamp(r.date_latest)) for r in texts.itertuples()]
    overlaps = sum(1 for i, a in enumerate(spans) for b in spans[i + 1:] if a[2] >= b[1] and b[2] >= a[1])
    assert glued_number(values, "n_overlaps") == overlaps
    ranges = [(hi - lo).days + 1 for _, lo, hi in spans]
    assert glued_number(values, "shortest_range_days") == min(ranges)
    assert glued_number(values, "longest_range_days") == max(ranges)
    shared = {o for o in texts["outlet"] if texts.loc[texts["outlet"] == o, "era"].nunique() > 1}
    assert glued_number(values, "n_shared_outlets") == len(shared)


def test_the_notebook_names_nothing_of_the_corpus():
    assert not corpus_mentions(notebook_source(NOTEBOOK), load_corpus(include_comments=True))


def test_per_text_tables_hold_every_document():
    corpus = load_corpus(include_comments=True)
    for name in PER_TEXT_TABLES:
        table = pd.read_csv(ROOT / "results" / f"{name}.csv")
        assert list(table["doc_id"]) == list(corpus["doc_id"]), name


# ------------------------------------------------------------------ another corpus


@pytest.mark.notebooks
def test_other_corpus_says_the_annotation_is_not_measured(other_run):
    _, out, notebook = other_run
    values = glued(notebook)
    for name in ("pos_accuracy", "entity_exact_f1", "quotation_recall"):
        assert values[name] == "not measured"
    for name in ("pos_finding", "entity_finding", "quotation_finding"):
        assert "not measured" in values[name] and "expected `annotations/" in values[name]
    assert not list((out / "results").glob("annotation_eval_*.csv"))      # the project's gold is never shown
    assert "cleaning_rules.csv" in values["cleaning_largest"]


@pytest.mark.notebooks
def test_other_corpus_numbers_match_its_tables(other_run):
    corpus_dir, out, notebook = other_run
    values = glued(notebook)
    corpus = load_corpus(corpus_dir, include_comments=True)
    docs = pd.read_csv(out / "results" / "corpus_documents.csv")
    assert glued_number(values, "n_texts") == len(docs) == len(corpus)
    assert glued_number(values, "n_words") == docs["words"].sum()
    assert glued_number(values, "n_groups") == corpus["era"].nunique()
    assert glued_number(values, "n_removals") == 0
    from corpus_factory import DOCUMENTS

    same_month = [d[0] for d in DOCUMENTS if d[2].startswith("2020-02")]
    assert glued_number(values, "n_overlaps") == 1 and all(f"`{d}`" in values["overlap_sentence"] for d in same_month)
    order = [g for g in dict.fromkeys(d[1] for d in DOCUMENTS)]      # the factory lists them in time order
    assert re.findall(r"\*\*(\w+)\*\*", values["group_list"]) == order


@pytest.mark.notebooks
def test_other_corpus_per_text_outputs_hold_every_text(other_run):
    corpus_dir, out, _ = other_run
    ids = list(load_corpus(corpus_dir, include_comments=True)["doc_id"])
    for name in PER_TEXT_TABLES:
        assert list(pd.read_csv(out / "results" / f"{name}.csv")["doc_id"]) == ids, name
    for name in PER_TEXT_FIGURES:
        root = ET.parse(out / "figures" / f"{name}.svg").getroot()
        description = " ".join(el.text or "" for el in root.iter() if el.tag.endswith("description"))
        assert all(d in description for d in ids), name
