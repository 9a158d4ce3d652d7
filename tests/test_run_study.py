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


MACHINE_DEPENDENT_CELLS = [
    "import os, tempfile\nprint(tempfile.mkdtemp())\nprint(f'worker pid {os.getpid()}')\nobject()",
    "import warnings, analysis.paths\nwarnings.warn_explicit('careful', UserWarning, analysis.paths.__file__, 1)",
]


def test_outputs_that_name_paths_pids_or_addresses_are_stored_identically_on_every_run(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in MACHINE_DEPENDENT_CELLS])
    source = tmp_path / "warns.ipynb"
    nbformat.write(nb, source)
    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    RUN_STUDY["execute_notebook"](source, first)
    RUN_STUDY["execute_notebook"](source, second)
    stored = first.read_text()
    assert stored == second.read_text()
    assert "careful" in stored and "<project>/analysis/paths.py" in stored
    assert "<tmp>/..." in stored and "worker pid <pid>" in stored and " at 0x..." in stored
    assert str(paths.project_root()) not in stored and str(tmp_path) not in stored


def test_scrubbing_leaves_ordinary_text_alone():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    text = "The rate is 0.5 per 1,000 words at p = 0.03 (/tmp is not named); usr/lib stays.\n"
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    RUN_STUDY["scrub_outputs"](nb)
    assert nb.cells[0].outputs[0]["text"] == text


def test_printed_text_is_stored_in_one_piece_per_stream():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    new = nbformat.v4.new_output
    nb.cells[0].outputs = [new("stream", name="stdout", text="a\n"), new("stream", name="stdout", text="b\n"),
                           new("stream", name="stderr", text="w\n"), new("stream", name="stdout", text="c\n")]
    RUN_STUDY["coalesce_streams"](nb)
    assert [(o["name"], o["text"]) for o in nb.cells[0].outputs] == [("stdout", "a\nb\n"), ("stderr", "w\n"),
                                                                    ("stdout", "c\n")]
