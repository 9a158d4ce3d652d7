"""Run the whole study: execute every notebook in ``notebooks/`` in order, in place.

Outputs are kept in the notebooks (they render where the repository is hosted). Timing
metadata is not recorded, so executing twice gives the same files. Usage::

    python scripts/run_study.py                 # every notebook, then the HTML site
    python scripts/run_study.py 01_vocabulary   # only the notebooks whose name matches
"""
from __future__ import annotations

import contextlib
import fcntl
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
    from analysis.figures import write_atomically

    target = Path(out_path or path)
    write_atomically(target, lambda tmp: nbformat.write(nb, tmp))


class StudyLocked(RuntimeError):
    """Another run of the study holds the lock of this checkout."""


@contextlib.contextmanager
def study_lock(folder: Path = ROOT):
    """Hold an exclusive lock (``folder/.study.lock``, flock) while the study runs, so two
    ``make study`` in the same checkout cannot interleave their outputs. The lock is
    released when the process ends, even if it is killed."""
    path = folder / ".study.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StudyLocked(f"another run of the study holds {path}: wait for it to finish "
                              "(the lock is released when that process ends)") from None
        try:
            yield path
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def notebook_paths(selection: list[str] | None = None) -> list[Path]:
    """The study's notebooks in their numbered order, optionally filtered by name."""
    found = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    return [p for p in found if not selection or any(s in p.name for s in selection)]


def main(argv: list[str]) -> int:
    try:
        with study_lock():
            return run(argv)
    except StudyLocked as err:
        print(err, file=sys.stderr)
        return 1


def run(argv: list[str]) -> int:
    selection = notebook_paths(argv)
    if not selection:
        print(f"no notebook matches {argv}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    for i, path in enumerate(selection, 1):
        t0 = time.perf_counter()
        print(f"[{i}/{len(selection)}] executing {path.relative_to(ROOT)} ...", flush=True)
        try:
            execute_notebook(path)
        except Exception:
            stale = [p.relative_to(ROOT) for p in selection[i - 1:]]
            print(f"{path.name} failed. Its figures and tables may be partly new, and these notebooks and "
                  f"their outputs were not updated (stale): {', '.join(map(str, stale))}", file=sys.stderr)
            raise
        print(f"        done in {time.perf_counter() - t0:.1f} s", flush=True)
    if not argv and (ROOT / "scripts" / "build_site.py").exists():
        import runpy
        runpy.run_path(str(ROOT / "scripts" / "build_site.py"), run_name="__main__")
    print(f"study finished in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
