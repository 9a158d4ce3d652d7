"""Every notebook executes from top to bottom: a broken notebook fails CI.

Notebooks are executed into a temporary folder, with ``STUDY_OUTPUT_DIR`` pointing
there, so the tests never overwrite the committed figures/ and results/.
"""
from __future__ import annotations

import runpy

import pytest

from analysis import paths

RUN_STUDY = runpy.run_path(str(paths.project_root() / "scripts" / "run_study.py"))
NOTEBOOKS = RUN_STUDY["notebook_paths"]()


@pytest.fixture(scope="module")
def output_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("study-output")


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(notebook, output_dir, monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(output_dir))
    RUN_STUDY["execute_notebook"](notebook, output_dir / notebook.name)
    assert (output_dir / notebook.name).exists()


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:1] == ["00_corpus.ipynb"]
