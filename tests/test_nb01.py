"""Notebook 01 (vocabulary): its glued findings, on the project's corpus and on another.

- The committed notebook: every glue name its Markdown uses is glued; the glued numbers
  equal the committed tables of ``results/`` and an independent computation; no source
  names the project's corpus (doc_ids, group names, outlets, years, counts of texts); the
  cells that save a figure only plot or save (the site hides them behind a toggle).
- The notebook executed on the test corpus of ``tests/corpus_factory.py`` (marked
  ``notebooks``: slow): it runs, glues every name it uses, its glued numbers match the
  tables it wrote, the latest group is the latest in time (not by name), and every text is
  in every per-text table and figure.
- The same with ``GROUP`` set to a column that gives a single group: the contrast of
  groups says "not measured" and the notebook goes on.
"""
from __future__ import annotations

import math
import re
import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import load_corpus, paths
from corpus_mentions import corpus_mentions, notebook_source
from glue_values import glued, glued_number, referenced

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "01_vocabulary.ipynb"
MAIN_VOICE = "party-media"
#: Parameters of the notebook that the checks below repeat (their defaults).
KEY_TERMS_PER_TEXT = 3
#: Tables of notebook 01 with a row for every text of the main voice (doc_id column, or
#: the column named here), and the rows of them that are per text.
PER_TEXT_TABLES = {
    "voice_share": ("doc_id", None),
    "lexical_diversity": ("doc_id", None),
    "term_frequencies": ("group", ("scope", "document, author's voice")),
    "keyness": ("target", ("comparison", "document vs rest of Party media")),
}
#: Figures of notebook 01 with a panel, bar, line, dot or legend entry per text (up to
#: MAX_TEXT_PANELS texts; beyond, the panel figures show groups).
PER_TEXT_FIGURES = ("01_top_terms_documents", "01_keyness_documents", "01_keyness_era", "01_dispersion",
                    "01_mattr_by_window", "01_wordclouds", "01_comparison_cloud", "01_term_trajectories")


# ------------------------------------------------------------------ shared checks


def _latest_group(corpus: pd.DataFrame, column: str = "era") -> str:
    """The group whose earliest text is the latest, computed here from the metadata."""
    main = corpus[corpus["voice"] == MAIN_VOICE]
    first = main.groupby(column)["date_start"].min()
    return first.sort_values().index[-1]


def _read(results: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(results / f"{name}.csv", keep_default_na=False, na_values=[""])


def check_glued_numbers(values: dict, results: Path, corpus: pd.DataFrame, group: str = "era") -> None:
    """Every glued number of the findings against the tables in ``results`` and against a
    computation of its own."""
    main = corpus[corpus["voice"] == MAIN_VOICE]
    docs = list(main["doc_id"])
    assert glued_number(values, "n_texts") == len(docs)

    share = _read(results, "voice_share").set_index("doc_id").loc[docs, "quoted voice (all but term)"]
    assert glued_number(values, "quoted_min") == pytest.approx(share.min(), rel=1e-5)
    assert glued_number(values, "quoted_max") == pytest.approx(share.max(), rel=1e-5)
    assert values["quoted_min_doc"] == share.idxmin() and values["quoted_max_doc"] == share.idxmax()

    freq = _read(results, "term_frequencies")
    by_doc = freq[freq["scope"] == "document, author's voice"]
    in_every_text = by_doc.groupby("term")["group"].nunique() == len(docs)
    assert glued_number(values, "shared_n") == in_every_text.sum()

    key = _read(results, "keyness")
    key["significant"] = key["significant"].astype(str) == "True"
    between = key[key["comparison"].str.startswith(f"{group}:")]
    assert glued_number(values, "pooled_tested_n") == len(between)
    assert glued_number(values, "pooled_sig_n") == between["significant"].sum()
    later = _latest_group(corpus, group)
    assert values["later_group"] == later and set(between["target"]) == {later}
    assert between["comparison"].iloc[0].startswith(f"{group}: {later} vs ")

    contrast = _read(results, "text_level_contrast")
    rows = contrast[contrast["group"] == later]
    separates = rows["separates"].fillna("")
    assert glued_number(values, "contrast_terms_n") == len(rows)
    assert glued_number(values, "separating_n") == (separates != "").sum()
    assert glued_number(values, "separating_above_n") == (separates == "above").sum()
    assert glued_number(values, "separating_below_n") == (separates == "below").sum()
    n_later = (main[group] == later).sum()
    smallest = 1 / math.comb(len(main), int(n_later))           # one arrangement of all the texts' ranks
    assert glued_number(values, "min_p") == pytest.approx(round(smallest, 3), abs=1e-9)
    assert rows["min_p"].iloc[0] == pytest.approx(smallest, rel=1e-5)
    assert glued_number(values, "later_texts_n") == n_later
    assert glued_number(values, "other_texts_n") == len(main) - n_later

    per_doc = key[(key["comparison"] == "document vs rest of Party media") & key["significant"] & (key["log_ratio"] > 0)]
    strongest = (per_doc.sort_values(["g2", "term"], ascending=[False, True]).groupby("target", sort=False)
                 .head(KEY_TERMS_PER_TEXT))
    assert glued_number(values, "key_term_n") == len(strongest)
    dp = _read(results, "dispersion_dp").merge(strongest.rename(columns={"target": "doc_id"})[["doc_id", "term"]])
    assert glued_number(values, "dp_key_n") == len(dp)
    assert glued_number(values, "dp_concentrated_n") == (dp["dp_norm"] > glued_number(values, "dp_concentrated")).sum()
    for doc in docs:
        assert re.search(rf"(?<![\w-]){re.escape(doc)}: ", values["key_terms_list"]), doc

    diversity = _read(results, "lexical_diversity").set_index("doc_id").loc[docs, "mattr"].dropna()
    assert glued_number(values, "mattr_min") == pytest.approx(round(diversity.min(), 3), abs=1e-9)
    assert glued_number(values, "mattr_max") == pytest.approx(round(diversity.max(), 3), abs=1e-9)
    assert values["mattr_min_doc"] == diversity.idxmin() and values["mattr_max_doc"] == diversity.idxmax()

    general = _read(results, "general_english_keyness")
    forms = list(general[general["scope"] == "all Party-media texts"]["term"].head(8))
    assert re.findall(r"\*([^*]+)\*", values["party_english"]) == forms


def check_per_text_outputs(out: Path, corpus: pd.DataFrame) -> None:
    """Every text of the main voice is in every per-text table and figure."""
    docs = list(corpus.loc[corpus["voice"] == MAIN_VOICE, "doc_id"])
    for name, (column, rows) in PER_TEXT_TABLES.items():
        table = _read(out / "results", name)
        if rows:
            table = table[table[rows[0]] == rows[1]]
        assert set(docs) <= set(table[column]), (name, sorted(set(docs) - set(table[column])))
    for name in PER_TEXT_FIGURES:
        root = ET.parse(out / "figures" / f"{name}.svg").getroot()
        description = "\n".join(el.text or "" for el in root.iter() if el.tag.endswith("description"))
        missing = [d for d in docs if not re.search(rf"(?<![\w-]){re.escape(d)}(?![\w-])", description)]
        assert not missing, (name, missing)


# ------------------------------------------------------------------ the committed notebook


def test_every_referenced_glue_name_is_glued():
    names = referenced(NOTEBOOK)
    assert len(names) > 20, "the notebook's Markdown uses (almost) no glue"
    assert names <= set(glued(NOTEBOOK)), sorted(names - set(glued(NOTEBOOK)))


def test_glued_numbers_match_the_committed_tables():
    check_glued_numbers(glued(NOTEBOOK), ROOT / "results", load_corpus(include_comments=True))


def test_committed_per_text_outputs_hold_every_text():
    check_per_text_outputs(ROOT, load_corpus(include_comments=True))


def test_the_notebook_names_nothing_of_the_corpus():
    source = notebook_source(NOTEBOOK)
    assert not corpus_mentions(source, load_corpus(include_comments=True))
    assert not re.search(r"\b(ERA_LABELS|ERA_COLORS|TIME_WINDOWS|OKABE_ITO)\b", source)


def test_no_finding_is_written_by_an_f_string_into_markdown_output():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "display(Markdown(" not in cell.source, cell.source[:200]


def test_cells_that_save_a_figure_only_plot_or_save():
    site = runpy.run_path(str(ROOT / "scripts" / "build_site.py"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    figure_cells = [c for c in nb.cells if c.cell_type == "code" and "save_figure(" in c.source]
    assert len(figure_cells) == len(PER_TEXT_FIGURES)
    for cell in figure_cells:
        assert site["only_plots_or_saves"](cell.source), cell.source
        last = cell.source.rstrip().splitlines()[-1]
        assert last.endswith(";") or "=" in last.split("(")[0], last      # no repr printed


def test_group_contrast_keeps_the_columns_notebook_05_reads():
    key = _read(ROOT / "results", "keyness")
    assert {"comparison", "target", "term", "count_target", "count_reference", "total_target", "total_reference",
            "g2", "p_adjusted", "log_ratio", "significant", "label"} <= set(key.columns)
    contrast = _read(ROOT / "results", "text_level_contrast")
    assert {"term", "group", "separates", "min_p", "label"} <= set(contrast.columns)
    between = key[key["comparison"].str.startswith("era")]
    later = _latest_group(load_corpus(include_comments=True))
    assert set(between["target"]) == {later}                      # positive log ratio = more in the later group


# ------------------------------------------------------------------ another corpus


def _execute(base: Path, corpus: Path, extra_parameters: str = "") -> tuple[Path, Path]:
    """Execute notebook 01 on ``corpus`` into ``base/out``, with ``extra_parameters``
    appended to its parameter cell; return (output folder, executed notebook)."""
    out = base / "out"
    out.mkdir(parents=True)
    source = NOTEBOOK
    if extra_parameters:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        cell.source += "\n" + extra_parameters
        source = base / NOTEBOOK.name
        nbformat.write(nb, source)
    mp = pytest.MonkeyPatch()
    mp.setenv("STUDY_CORPUS_DIR", str(corpus))
    mp.setenv("STUDY_OUTPUT_DIR", str(out))
    mp.setenv("STUDY_CACHE_DIR", str(base.parent / "cache"))
    try:
        run_study = runpy.run_path(str(ROOT / "scripts" / "run_study.py"))
        run_study["execute_notebook"](source, out / NOTEBOOK.name)
    finally:
        mp.undo()
    return out, out / NOTEBOOK.name


@pytest.fixture(scope="module")
def test_corpus(tmp_path_factory) -> Path:
    from corpus_factory import build_test_corpus

    return build_test_corpus(tmp_path_factory.mktemp("nb01-corpus") / "corpus")


@pytest.fixture(scope="module")
def one_group_run(tmp_path_factory, test_corpus):
    """Notebook 01 on the test corpus grouped by a column with one value (its outlet)."""
    out, notebook = _execute(tmp_path_factory.mktemp("nb01") / "one-group", test_corpus, 'GROUP = "outlet"')
    return test_corpus, out, notebook


@pytest.mark.notebooks
def test_other_corpus_numbers_match_its_tables(other_run):
    corpus_dir, out, notebook = other_run
    values = glued(notebook)
    corpus = load_corpus(corpus_dir, include_comments=True)
    check_glued_numbers(values, out / "results", corpus)
    from corpus_factory import DOCUMENTS

    order = list(dict.fromkeys(d[1] for d in DOCUMENTS))          # the factory lists them in time order
    assert values["later_group"] == order[-1] != sorted(order)[-1]
    assert values["earlier_groups"] == " + ".join(order[:-1])
    assert values["comments_phrase"] == "this corpus has none"


@pytest.mark.notebooks
def test_other_corpus_per_text_outputs_hold_every_text(other_run):
    corpus_dir, out, _ = other_run
    check_per_text_outputs(out, load_corpus(corpus_dir, include_comments=True))


@pytest.mark.notebooks
def test_other_corpus_shows_nothing_of_the_project(other_run):
    _, out, notebook = other_run
    own = load_corpus(include_comments=True)
    names = set(own["doc_id"]) | set(own["era"])
    text = "\n".join(str(v) for v in glued(notebook).values())
    assert not [n for n in names if n in text]
    for name in ("keyness", "text_level_contrast", "voice_share"):
        table = (out / "results" / f"{name}.csv").read_text(encoding="utf-8")
        assert not [n for n in names if n in table], name


@pytest.mark.notebooks
def test_a_single_group_is_not_measured_and_the_notebook_goes_on(one_group_run):
    corpus_dir, out, notebook = one_group_run
    values = glued(notebook)
    assert referenced(notebook) <= set(values)
    assert values["contrast_status"].startswith("Not measured") and "`outlet`" in values["contrast_status"]
    for name in ("pooled_sig_n", "separating_n", "min_p"):
        assert values[name] == "–"
    assert not _read(out / "results", "keyness")["comparison"].str.startswith("outlet").any()
    assert _read(out / "results", "text_level_contrast").empty
    docs = list(load_corpus(corpus_dir)["doc_id"])
    assert glued_number(values, "n_texts") == len(docs)      # the rest of the notebook ran
    assert (out / "figures" / "01_term_trajectories.svg").exists()
