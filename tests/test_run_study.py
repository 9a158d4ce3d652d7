"""scripts/run_study.py: one run at a time per checkout, notebooks written atomically."""
from __future__ import annotations

import runpy

import nbformat
import pytest

from analysis import paths

RUN_STUDY = runpy.run_path(str(paths.project_root() / "scripts" / "run_study.py"))


def test_a_second_run_is_refused_while_the_first_holds_the_lock(tmp_path):
    lock = RUN_STUDY["study_lock"]
    with lock(tmp_path):
        with pytest.raises(RUN_STUDY["StudyLocked"], match="another run of the study"):
            with lock(tmp_path):
                pass
    with lock(tmp_path):                       # released after the first run
        pass


def test_a_notebook_that_fails_leaves_no_partial_file(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise ValueError('boom')")])
    source = tmp_path / "broken.ipynb"
    nbformat.write(nb, source)
    out = tmp_path / "out.ipynb"
    with pytest.raises(Exception, match="boom"):
        RUN_STUDY["execute_notebook"](source, out)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ipynb"]
