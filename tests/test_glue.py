"""Every number in the notebooks' Markdown findings is glued from the computed tables.

For each committed notebook: every glue name its Markdown uses is glued by its code, and
every value a Markdown role formats as a number (``{glue:text}`name:.2f```) is stored as
a plain number, so that the site can format it (a NumPy repr such as ``np.float64(0.5)``
cannot be formatted and would show as an error in the site).
"""
from __future__ import annotations

import re

import nbformat
import pytest

from analysis import paths
from glue_values import PREFIX, glued, referenced

NOTEBOOKS = sorted((paths.project_root() / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FORMATTED = re.compile(r"\{glue:text\}`([^`:]+):[^`]+`")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_referenced_glue_name_is_glued(notebook):
    missing = referenced(notebook) - set(glued(notebook))
    assert not missing, f"{notebook.name}: Markdown uses glue names that no cell glues: {sorted(missing)}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_formatted_glue_values_are_plain_numbers(notebook):
    nb = nbformat.read(notebook, as_version=4)
    formatted = {m for c in nb.cells if c.cell_type == "markdown" for m in FORMATTED.findall(c.source)}
    raw = {out["metadata"]["scrapbook"]["name"]: out["data"].get(PREFIX + "text/plain", "")
           for c in nb.cells for out in c.get("outputs", []) if "scrapbook" in out.get("metadata", {})}
    bad = {name: raw[name] for name in formatted if name in raw and not re.fullmatch(r"-?[0-9.]+(e[-+]?[0-9]+)?|nan", raw[name])}
    assert not bad, f"{notebook.name}: values formatted as numbers but glued as {bad}; glue float(value)"
