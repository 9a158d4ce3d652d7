"""Every notebook executes from top to bottom, and reproduces what is committed.

The notebooks are executed once, in order, into a temporary folder with
``STUDY_OUTPUT_DIR`` pointing there, so the tests never overwrite the committed files.
Then:

- a notebook that raises fails its test (a broken notebook fails CI);
- every figure and table it writes must be byte-identical to the committed one in
  ``figures/`` and ``results/`` (the study is deterministic and the committed outputs are
  what the committed code produces);
- every committed notebook's outputs must equal the re-executed ones, ignoring volatile
  metadata (execution timing, kernel versions).
"""
from __future__ import annotations

import runpy
import traceback

import nbformat
import pytest

from analysis import paths

ROOT = paths.project_root()
RUN_STUDY = runpy.run_path(str(ROOT / "scripts" / "run_study.py"))
NOTEBOOKS = RUN_STUDY["notebook_paths"]()


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Execute every notebook in order; map name -> (output folder, error or None)."""
    out = tmp_path_factory.mktemp("study-output")
    mp = pytest.MonkeyPatch()
    mp.setenv("STUDY_OUTPUT_DIR", str(out))
    errors = {}
    try:
        for nb in NOTEBOOKS:
            try:
                RUN_STUDY["execute_notebook"](nb, out / nb.name)
                errors[nb.name] = None
            except Exception:  # recorded and reported by the test of that notebook
                errors[nb.name] = traceback.format_exc(limit=3)
    finally:
        mp.undo()
    return out, errors


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS][:1] == ["00_corpus.ipynb"]


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(notebook, executed):
    _, errors = executed
    assert errors[notebook.name] is None, errors[notebook.name]


def _outputs(path):
    """Cell sources and outputs of a notebook, without volatile metadata."""
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        outputs = []
        for out in cell.get("outputs", []):
            out = {k: v for k, v in out.items() if k != "metadata"}
            outputs.append(out)
        cells.append((cell.cell_type, cell.source, cell.get("execution_count"), outputs))
    return cells


@pytest.mark.notebooks
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_matches_its_execution(notebook, executed):
    out, errors = executed
    if errors[notebook.name]:
        pytest.skip("the notebook did not execute")
    committed, fresh = _outputs(notebook), _outputs(out / notebook.name)
    assert len(committed) == len(fresh)
    for i, (a, b) in enumerate(zip(committed, fresh)):
        assert a == b, f"{notebook.name}, cell {i}: committed output differs; run `make study` and commit"


@pytest.mark.notebooks
@pytest.mark.parametrize("folder", ["figures", "results"])
def test_outputs_are_byte_identical_to_committed(folder, executed):
    out, errors = executed
    produced = sorted(p.relative_to(out / folder) for p in (out / folder).rglob("*") if p.is_file())
    assert produced, f"no {folder} produced"
    committed = sorted(p.relative_to(ROOT / folder) for p in (ROOT / folder).rglob("*") if p.is_file())
    assert produced == committed, "files differ: run `make study` and commit figures/ and results/"
    differ = [str(p) for p in produced if (out / folder / p).read_bytes() != (ROOT / folder / p).read_bytes()]
    assert not differ, f"not byte-identical to the committed files: {differ}"
