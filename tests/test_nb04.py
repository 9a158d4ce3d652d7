"""Notebook 04 (actors and agency) as an instrument: its findings are glued values that
agree with its tables, its sources name no corpus, and it runs on another corpus.

The first tests read the committed notebook and the committed ``results/``; the last
(marked ``notebooks``, slow) executes the notebook on the test corpus of
``tests/corpus_factory.py`` (no hand annotation but sentiment labels, one text without
them) and checks that every text appears in the per-text figures and tables and that
every evaluation against a missing hand annotation says "not measured".
"""
from __future__ import annotations

import re
import runpy

import nbformat
import pandas as pd
import pytest

from analysis import groups as gr
from analysis import load_corpus, paths
from glue_values import glued, glued_number, referenced

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "04_actors.ipynb"
#: Figures and tables with one row, bar, point or column per text (of the main voice).
PER_TEXT_FIGURES = ["04_actor_mentions", "04_agency", "04_passives", "04_blame_praise", "04_citations_timeline"]
PER_TEXT_TABLES = ["actor_rates", "passive_rates"]
#: The hand annotation files the notebook evaluates against, and the tables it writes from them.
GOLD_TABLES = {"actors_precision.csv": "actors_precision", "agency_gold.csv": "agency_eval",
               "passives_gold.csv": "agency_eval", "citations_gold.csv": "citations_eval"}


def result(name: str) -> pd.DataFrame:
    path = ROOT / "results" / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"{path} not written yet: run the notebook")
    return pd.read_csv(path, keep_default_na=False)


@pytest.fixture(scope="module")
def values() -> dict[str, str]:
    return glued(NOTEBOOK)


def cells(kind: str | None = None) -> list:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return [c for c in nb.cells if kind is None or c.cell_type == kind]


# ------------------------------------------------------------------------ glue


def test_every_referenced_glue_name_is_glued(values):
    names = referenced(NOTEBOOK)
    assert names, "the findings should be Markdown with glued values"
    assert names <= set(values), sorted(names - set(values))


def test_findings_are_markdown_not_generated(values):
    """No code cell writes Markdown prose: findings live in Markdown cells."""
    for cell in cells("code"):
        assert "display(Markdown(" not in cell.source, cell.source[:80]


def test_glued_passive_counts_match_the_tables(values):
    passives, rates = result("passives"), result("passive_rates")
    own = passives[passives["author_voice"].astype(str) == "True"]
    hidden = own[own["hidden_agent"].astype(str) == "True"]
    assert glued_number(values, "n_passives") == len(own)
    assert glued_number(values, "n_hidden") == len(hidden)
    assert glued_number(values, "hidden_share") == pytest.approx(len(hidden) / len(own))
    assert glued_number(values, "hidden_min_rate") == pytest.approx(rates["hidden_per_1k"].min(), rel=1e-5)
    assert glued_number(values, "hidden_max_rate") == pytest.approx(rates["hidden_per_1k"].max(), rel=1e-5)
    assert values["hidden_max_text"].strip("`") == rates.loc[rates["hidden_per_1k"].idxmax(), "doc_id"]
    assert glued_number(values, "hidden_with_actor") == (hidden["patient_actor"] != "").sum()


def test_glued_obligations_and_citations_match_the_tables(values):
    assert glued_number(values, "n_obliged") == result("obligation")["n"].sum()
    cites, evidence = result("citations"), result("citation_evidence")
    assert glued_number(values, "n_citations") == cites["count"].sum() == len(evidence)
    assert glued_number(values, "n_cited_docs") == cites["key"].nunique()
    assert glued_number(values, "oldest_gap") == pytest.approx(cites["gap_years"].max())
    assert glued_number(values, "n_texts") == len(load_corpus())
    recent = cites[(cites["gap_years"] < 1) & (cites["gap_years_max"] >= 0)]
    assert glued_number(values, "n_recent") == recent["doc_id"].nunique()


def test_glued_blame_contrast_is_later_minus_earlier(values):
    corpus = load_corpus()
    first, last = gr.earliest_and_latest(corpus)
    blame = result("blame")
    groups = blame[blame["scope"] == gr.DEFAULT_GROUP].set_index(["actor", "group"])["share_negative"]
    diff = float(groups[("cadres", last)]) - float(groups[("cadres", first)])
    assert glued_number(values, "blame_diff_cadres") == pytest.approx(diff, abs=1e-5)


def test_glued_precision_matches_the_evaluation(values):
    evaluation = result("agency_eval")
    row = evaluation[(evaluation["check"] == "roles") & (evaluation["scope"] == "agent or patient")].iloc[0]
    k, n = (int(x) for x in re.search(r"(\d+) of (\d+)", values["agent_patient_precision"]).groups())
    assert (k, n) == (int(row["correct"]), int(row["n"]))


# ------------------------------------------------------------------------ no corpus named


def test_sources_name_no_text_group_outlet_or_year():
    corpus = load_corpus(include_comments=True)
    names = set(corpus["doc_id"]) | set(corpus["era"]) | set(corpus["outlet"])
    years = {str(y) for y in pd.to_datetime(corpus["date_start"]).dt.year}
    for cell in cells():
        for name in names:
            assert name not in cell.source, f"{name!r} named in cell {cell.get('id')}"
    for cell in cells("markdown"):
        for year in years:
            assert not re.search(rf"\b{year}\b", cell.source), f"year {year} in cell {cell.get('id')}"
        assert not re.search(r"\b(five|two|three|four) (texts|eras|groups)\b", cell.source, re.I), cell.get("id")


def test_parameter_cell_has_group():
    assert re.search(r'^GROUP = "era"', cells("code")[0].source, re.M)


# ------------------------------------------------------------------------ cells and outputs


def test_cells_that_save_figures_only_plot_or_save():
    only = runpy.run_path(str(ROOT / "scripts" / "build_site.py"))["only_plots_or_saves"]
    for cell in cells("code"):
        if "save_figure(" in cell.source:
            assert only(cell.source), cell.source
            assert cell.source.rstrip().endswith(";"), cell.source


def test_outputs_hold_no_temporary_paths():
    for cell in cells("code"):
        for out in cell.get("outputs", []):
            text = str(out.get("text", "")) + str(out.get("data", {}))
            assert "PosixPath" not in text and "/tmp/" not in text, cell.get("id")


# ------------------------------------------------------------------------ another corpus


@pytest.mark.notebooks
def test_runs_on_another_corpus(other_run):
    from corpus_factory import DOCUMENTS, UNLABELLED

    _, out, executed = other_run
    values = glued(executed)
    docs = [d[0] for d in DOCUMENTS]
    for name in PER_TEXT_FIGURES:
        svg = (out / "figures" / f"{name}.svg").read_text(encoding="utf-8")
        missing = [d for d in docs if d not in svg]
        assert not missing, f"{name} does not show {missing}"
    for name in PER_TEXT_TABLES:
        table = pd.read_csv(out / "results" / f"{name}.csv")
        assert set(table["doc_id"]) == set(docs), name
    for filename, table in GOLD_TABLES.items():
        assert not (out / "results" / f"{table}.csv").exists(), f"{table} written without {filename}"
    for name in ("actor_precision_status", "agency_gold_status", "citation_gold_status", "agent_patient_precision",
                 "hidden_agent_precision", "citation_recall"):
        assert "not measured" in values[name], name
    assert UNLABELLED in values["labels_status"]
    assert glued_number(values, "n_texts") == len(docs)
