"""Run the whole study: execute every notebook in ``notebooks/`` in order, in place.

Outputs are kept in the notebooks (they render where the repository is hosted). Timing
metadata is not recorded, so executing twice gives the same files. Usage::

    python scripts/run_study.py                 # every notebook, then the HTML site
    python scripts/run_study.py 01_vocabulary   # only the notebooks whose name matches
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TIMEOUT_PER_CELL = 600


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stable_widget_ids(nb) -> None:
    """Replace the random model ids of widget outputs by their order in the notebook.
    Widget state is not stored (a widget needs a live kernel), so the ids point nowhere
    and only made every execution differ from the last."""
    outputs = (out for cell in nb.cells for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {}))
    for n, out in enumerate(outputs):
        out["data"][WIDGET_VIEW]["model_id"] = f"widget-{n}"


def execute_notebook(path: Path, out_path: Path | None = None) -> None:
    """Execute ``path`` with its folder as working directory and write it to
    ``out_path`` (default: in place). Raises on the first failing cell. No timing
    metadata and no widget state are kept, so executing twice gives the same file."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT_PER_CELL, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    stable_widget_ids(nb)
    nbformat.write(nb, out_path or path)


def notebook_paths(selection: list[str] | None = None) -> list[Path]:
    """The study's notebooks in their numbered order, optionally filtered by name."""
    found = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    return [p for p in found if not selection or any(s in p.name for s in selection)]


def main(argv: list[str]) -> int:
    selection = notebook_paths(argv)
    if not selection:
        print(f"no notebook matches {argv}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    for i, path in enumerate(selection, 1):
        t0 = time.perf_counter()
        print(f"[{i}/{len(selection)}] executing {path.relative_to(ROOT)} ...", flush=True)
        execute_notebook(path)
        print(f"        done in {time.perf_counter() - t0:.1f} s", flush=True)
    if not argv and (ROOT / "scripts" / "build_site.py").exists():
        import runpy
        runpy.run_path(str(ROOT / "scripts" / "build_site.py"), run_name="__main__")
    print(f"study finished in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
