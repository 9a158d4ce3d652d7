"""Where things are. Nothing happens on import: every path is computed by a function.

The project root is the folder that holds ``pyproject.toml`` and ``corpus/``. Outputs
(``figures/`` and ``results/``) go under the root unless the environment variable
``STUDY_OUTPUT_DIR`` names another folder; the tests use it to run every notebook into a
temporary folder and compare what comes out with what is committed.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The repository root: the parent of the ``analysis`` package."""
    return PACKAGE_DIR.parent


def corpus_dir() -> Path:
    """The project's own corpus folder (``corpus/``)."""
    return project_root() / "corpus"


def annotations_dir() -> Path:
    """Hand-made labels and codebooks (``corpus/annotations/``)."""
    return corpus_dir() / "annotations"


def output_root() -> Path:
    """Where ``figures/`` and ``results/`` are written: ``$STUDY_OUTPUT_DIR`` or the root."""
    override = os.environ.get("STUDY_OUTPUT_DIR")
    return Path(override) if override else project_root()


def figures_dir() -> Path:
    """Folder of the study's figures; written only by :func:`analysis.save_figure`."""
    return output_root() / "figures"


def results_dir() -> Path:
    """Folder of the study's CSV tables; written only by :func:`analysis.save_table`."""
    return output_root() / "results"


def data_file(name: str) -> Path:
    """A data file shipped inside the package (``analysis/data/NAME``)."""
    return PACKAGE_DIR / "data" / name
