"""The whole study runs on another corpus, and every text shows up in every per-text output.

The corpus is made by ``tests/corpus_factory.py``: eight texts in three groups whose names
sort differently from their order in time, dates over several years (two texts in one
month, precisions of day, month and year), one text without sentiment labels, and no other
hand annotation. ``scripts/run_study.py --corpus ... --output ...`` runs every notebook on
it in a subprocess, as ``make study CORPUS=...`` does, and builds its site.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import nbformat
import pandas as pd
import pytest

from analysis import paths
from corpus_factory import DOCUMENTS

ROOT = paths.project_root()
DOC_IDS = [d[0] for d in DOCUMENTS]

#: Figures with one bar, point, row, panel or column per text (checked through the texts each SVG carries).
PER_TEXT_FIGURES = ["00_timeline", "01_top_terms_documents", "01_keyness_documents", "01_keyness_era", "01_dispersion",
                    "01_mattr_by_window", "01_wordclouds", "01_comparison_cloud", "01_term_trajectories",
                    "03_rhetoric_heatmap", "03_us_and_them", "03_quotes_per_text", "04_actor_mentions", "04_agency",
                    "04_passives", "04_blame_praise", "04_citations_timeline", "05_time_axis"]
#: Tables with one row (or more) per text: (name, the column that holds the doc_id).
PER_TEXT_TABLES = [("corpus_documents", "doc_id"), ("cleaning_documents", "doc_id"), ("voice_share", "doc_id"),
                   ("lexical_diversity", "doc_id"), ("term_frequencies", "group"), ("keyness", "target"),
                   ("rhetoric_rates", "doc_id"), ("rhetoric_rates_quoted", "doc_id"), ("rhetoric_structure", "doc_id"),
                   ("actor_rates", "doc_id"), ("passive_rates", "doc_id"), ("sentiment_documents", "doc_id"),
                   ("synthesis_time_axis", "doc_id")]


@pytest.fixture(scope="module")
def study(other_study):
    """The whole study on the test corpus (shared fixture of conftest): (output folder, completed process)."""
    _, out, run = other_study
    return out, run


@pytest.mark.notebooks
def test_the_study_runs_on_another_corpus(study):
    out, run = study
    assert run.returncode == 0, run.stderr[-4000:]
    executed = sorted(p.name for p in (out / "notebooks").glob("*.ipynb"))
    assert executed == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in (out / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    assert (out / "site" / "index.html").exists()


@pytest.mark.notebooks
def test_the_committed_study_is_not_touched(study):
    out, _ = study
    assert not out.resolve().is_relative_to(ROOT)
    committed = pd.read_csv(ROOT / "results" / "rhetoric_rates.csv")
    assert not set(committed["doc_id"]) & set(DOC_IDS)


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
def test_every_referenced_glue_name_is_glued_on_another_corpus(study, notebook):
    """Every glue name a notebook's Markdown uses is glued on the other corpus too (on any
    corpus a value that cannot be computed is glued as a phrase, never left out)."""
    from glue_values import glued, referenced

    out, run = study
    assert run.returncode == 0
    executed = out / "notebooks" / notebook
    missing = referenced(executed) - set(glued(executed))
    assert not missing, f"{notebook}: glue names used but not glued: {sorted(missing)}"


def svg_texts(path) -> str:
    root = ET.parse(path).getroot()
    return "\n".join(el.text or "" for el in root.iter() if el.tag.endswith("description"))


@pytest.mark.notebooks
@pytest.mark.parametrize("name", PER_TEXT_FIGURES)
def test_every_text_appears_in_every_per_text_figure(study, name):
    out, run = study
    assert run.returncode == 0
    texts = svg_texts(out / "figures" / f"{name}.svg")
    missing = [d for d in DOC_IDS if d not in texts]
    assert not missing, f"{name}: texts missing from the figure: {missing}"


@pytest.mark.notebooks
@pytest.mark.parametrize("name,column", PER_TEXT_TABLES, ids=[t[0] for t in PER_TEXT_TABLES])
def test_every_text_appears_in_every_per_text_table(study, name, column):
    out, run = study
    assert run.returncode == 0
    table = pd.read_csv(out / "results" / f"{name}.csv", keep_default_na=False)
    missing = sorted(set(DOC_IDS) - set(table[column]))
    assert not missing, f"{name}: texts missing from the table: {missing}"


@pytest.mark.notebooks
def test_no_notebook_names_the_projects_texts_or_eras(study):
    """The executed notebooks of the other corpus never mention the project's own texts,
    and their sources never name its eras. (Era names may appear in outputs as data: the
    test corpus is made of the project's sentences, which name the same leaders.)"""
    out, run = study
    assert run.returncode == 0
    own = pd.read_csv(ROOT / "corpus" / "metadata.csv", keep_default_na=False)
    for path in (out / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        source = "\n".join(c.source for c in nb.cells)
        outputs = "\n".join(
            str(o.get("text", "")) + str(o.get("data", {}).get("text/markdown", "")) + str(o.get("data", {}).get("text/plain", ""))
            for c in nb.cells for o in c.get("outputs", []))
        found = sorted({d for d in own["doc_id"] if d in source + outputs} | {e for e in own["era"] if e in source})
        assert not found, f"{path.name} names the project's own {found}"
