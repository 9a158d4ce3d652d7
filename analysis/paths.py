"""Where things are. Nothing happens on import: every path is computed by a function.

The project root is the folder that holds ``pyproject.toml`` and ``corpus/``. Two
environment variables point the study elsewhere:

- ``STUDY_CORPUS_DIR``: the corpus folder (laid out like ``corpus/``); default the
  project's own. ``make study CORPUS=...`` sets it.
- ``STUDY_OUTPUT_DIR``: where ``figures/`` and ``results/`` are written. ``make study``
  sets it (the project root for the project's corpus, a separate folder for another
  corpus); the tests set it to a temporary folder. When it is not set, as when a notebook
  is run by hand in JupyterLab, outputs go to ``scratch/`` (not committed), so editing a
  notebook's parameters never overwrites the committed results.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The repository root: the parent of the ``analysis`` package."""
    return PACKAGE_DIR.parent


def default_corpus_dir() -> Path:
    """The project's own corpus folder (``corpus/``)."""
    return project_root() / "corpus"


def corpus_dir() -> Path:
    """The corpus the study reads: ``$STUDY_CORPUS_DIR`` or the project's own."""
    override = os.environ.get("STUDY_CORPUS_DIR")
    return Path(override).resolve() if override else default_corpus_dir()


def scratch_dir() -> Path:
    """Where outputs go when no run of the study chose a folder (``scratch/``, ignored by git)."""
    return project_root() / "scratch"


def annotations_dir() -> Path:
    """Hand-made labels and codebooks (``corpus/annotations/``)."""
    return corpus_dir() / "annotations"


def output_root() -> Path:
    """Where ``figures/`` and ``results/`` are written: ``$STUDY_OUTPUT_DIR``, or
    :func:`scratch_dir` when it is not set."""
    override = os.environ.get("STUDY_OUTPUT_DIR")
    return Path(override) if override else scratch_dir()


def result_file(name: str) -> Path:
    """``results/NAME.csv`` of this run. A notebook run by hand (outputs in scratch/) on
    the project's own corpus reads the committed table when scratch/ has none yet, and
    says so; on any other corpus a missing table is missing."""
    path = results_dir() / f"{name}.csv"
    committed = project_root() / "results" / f"{name}.csv"
    if not path.exists() and output_root() == scratch_dir() and corpus_dir() == default_corpus_dir() \
            and committed.exists():
        print(f"note: {path} does not exist yet (run the notebook that writes it); reading the committed {committed}")
        return committed
    return path


def figures_dir() -> Path:
    """Folder of the study's figures; written only by :func:`analysis.save_figure`."""
    return output_root() / "figures"


def results_dir() -> Path:
    """Folder of the study's CSV tables; written only by :func:`analysis.save_table`."""
    return output_root() / "results"


def data_file(name: str) -> Path:
    """A data file shipped inside the package (``analysis/data/NAME``)."""
    return PACKAGE_DIR / "data" / name
