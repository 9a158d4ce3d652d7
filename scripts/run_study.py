"""Run the whole study: execute every notebook in ``notebooks/`` in order.

On the project's own corpus the notebooks are executed in place and write ``figures/``,
``results/`` and ``site/`` of the project (outputs are kept in the notebooks, which render
where the repository is hosted). On another corpus (``--corpus``, or ``make study
CORPUS=...``) everything goes to a separate folder (``--output``, default
``studies/<corpus folder name>/``): executed copies of the notebooks, ``figures/``,
``results/`` and ``site/``; the committed study is never touched. Timing metadata is not
recorded, so executing twice gives the same files. Usage::

    python scripts/run_study.py                          # every notebook, then the site
    python scripts/run_study.py 01_vocabulary            # only the notebooks whose name matches
    python scripts/run_study.py --corpus ~/my-corpus     # another corpus, to studies/my-corpus/
    python scripts/run_study.py --corpus C --output OUT  # ... to OUT
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import sys
import time
from pathlib import Path

import atexit
import shutil
import tempfile

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from traitlets import default

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


def _machine_paths() -> list[tuple[re.Pattern, str]]:
    """What differs between machines and runs in an output's text, and what replaces it:
    the project folder, the Python installation, temporary folders, process ids and
    object addresses (longest paths first, so the most specific replacement wins)."""
    folders = {str(ROOT): "<project>", sys.prefix: "<python>", sys.base_prefix: "<python>",
               tempfile.gettempdir(): "<tmp>"}
    rules = [(re.compile(re.escape(folder) + r"(?=[/\\'\"]|$)"), label)
             for folder, label in sorted(folders.items(), key=lambda kv: -len(kv[0])) if len(folder) > 1]
    rules += [(re.compile(r"<tmp>[/\\][^\s'\":]+"), "<tmp>/..."),
              (re.compile(r"\b(pid|process id|PID)([ =:#]+)\d+"), r"\1\2<pid>"),
              (re.compile(r" at 0x[0-9a-fA-F]+"), " at 0x...")]
    return rules


def scrub_outputs(nb) -> None:
    """Make stored outputs the same on every machine and run: in streams (printed text and
    warnings), error tracebacks and plain-text results, replace the paths, process ids and
    addresses of :func:`_machine_paths` by placeholders. A warning that names
    ``/home/me/study/analysis/x.py`` is stored as ``<project>/analysis/x.py``."""
    rules = _machine_paths()

    def scrub(text: str) -> str:
        for pattern, label in rules:
            text = pattern.sub(label, text)
        return text

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text" in out:
                out["text"] = scrub(out["text"])
            if "traceback" in out:
                out["traceback"] = [scrub(line) for line in out["traceback"]]
            if "text/plain" in out.get("data", {}):
                out["data"]["text/plain"] = scrub(out["data"]["text/plain"])


def coalesce_streams(nb) -> None:
    """Join consecutive printed outputs of one stream (stdout or stderr) of a cell into
    one: how the kernel chunks printed text depends on timing, so without this two runs
    printing the same text could store it in different pieces."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                    and merged[-1]["name"] == out["name"]):
                merged[-1]["text"] += out["text"]
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


class IPCKernelManager(KernelManager):
    """A kernel that talks to this process over local (IPC) sockets in a private
    temporary folder instead of TCP on localhost: nothing is exposed on the network, and
    the kernel does not print its warning about unencrypted TCP at every start."""

    @default("transport")
    def _default_transport(self):
        return "ipc"

    @default("ip")
    def _default_ip(self):
        return str(_ipc_folder() / "kernel")


_IPC_FOLDER: list[Path] = []


def _ipc_folder() -> Path:
    """One private temporary folder per process for the kernels' sockets, removed at exit."""
    if not _IPC_FOLDER:
        folder = Path(tempfile.mkdtemp(prefix="study-kernels-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _IPC_FOLDER.append(folder)
    return _IPC_FOLDER[0]


def execute_notebook(path: Path, out_path: Path | None = None) -> None:
    """Execute ``path`` with its folder as working directory and write it to
    ``out_path`` (default: in place). Raises on the first failing cell. No timing
    metadata and no widget state are kept, so executing twice gives the same file."""
    nb = nbformat.read(path, as_version=4)
    target = Path(out_path or path)
    client = NotebookClient(nb, timeout=TIMEOUT_PER_CELL, kernel_name="python3", record_timing=False,
                            kernel_manager_class=IPCKernelManager,
                            resources={"metadata": {"path": str(target.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    stable_widget_ids(nb)
    coalesce_streams(nb)
    scrub_outputs(nb)
    from analysis.figures import write_atomically

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


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Execute the study's notebooks in order, then build the site.")
    parser.add_argument("notebooks", nargs="*", help="only the notebooks whose name contains one of these")
    parser.add_argument("--corpus", type=Path, help="a corpus folder laid out like corpus/ (default: the project's own)")
    parser.add_argument("--output", type=Path, help="where another corpus's study goes (default: studies/<corpus name>/)")
    return parser.parse_args(argv)


def output_folder(corpus: Path | None, output: Path | None) -> Path:
    """Where a run writes. The project's own corpus: the project root (in place). Another
    corpus: ``output`` or ``studies/<corpus folder name>``, never the project root or one
    of its committed folders."""
    own = (ROOT / "corpus").resolve()
    if corpus is None or corpus.resolve() == own:
        if output is not None and output.resolve() != ROOT:
            raise SystemExit("--output is for another corpus; the project's own study is written in place")
        return ROOT
    if not (corpus / "metadata.csv").is_file():
        raise SystemExit(f"{corpus}: not a corpus folder (no metadata.csv); lay it out like corpus/ "
                         "(metadata.csv, raw/, optionally cleaning_rules.csv and annotations/)")
    out = (output or ROOT / "studies" / corpus.resolve().name).resolve()
    committed = [ROOT] + [ROOT / d for d in ("corpus", "figures", "results", "notebooks", "analysis", "site")]
    if out in committed:
        raise SystemExit(f"--output {out} would write over the committed study; choose another folder")
    return out


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    out = output_folder(args.corpus, args.output)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with study_lock(out):
            return run(args.notebooks, out, args.corpus.resolve() if out != ROOT else None)
    except StudyLocked as err:
        print(err, file=sys.stderr)
        return 1


def run(names: list[str], out: Path = ROOT, corpus: Path | None = None) -> int:
    """Execute the selected notebooks into ``out`` (in place when ``out`` is the root),
    reading ``corpus`` (default: the project's own), then build the site when every
    notebook ran."""
    selection = notebook_paths(names)
    if not selection:
        print(f"no notebook matches {names}", file=sys.stderr)
        return 1
    os.environ["STUDY_OUTPUT_DIR"] = str(out)      # inherited by the kernels
    if corpus is not None:
        os.environ["STUDY_CORPUS_DIR"] = str(corpus)
        print(f"corpus: {corpus}\noutputs: {out}", flush=True)
    target = out / "notebooks"
    target.mkdir(exist_ok=True)
    start = time.perf_counter()
    for i, path in enumerate(selection, 1):
        t0 = time.perf_counter()
        print(f"[{i}/{len(selection)}] executing {path.name} ...", flush=True)
        try:
            execute_notebook(path, target / path.name)
        except Exception:
            stale = [str(p.name) for p in selection[i - 1:]]
            print(f"{path.name} failed. Its figures and tables may be partly new, and these notebooks and "
                  f"their outputs were not updated (stale): {', '.join(stale)}", file=sys.stderr)
            raise
        print(f"        done in {time.perf_counter() - t0:.1f} s", flush=True)
    if not names:
        build_site(out)
    print(f"study finished in {time.perf_counter() - start:.1f} s")
    return 0


def build_site(out: Path) -> Path:
    """The static site of the run in ``out/site`` (``scripts/build_site.py``), with the
    explorer page built from the same corpus."""
    import runpy

    from analysis import explorer

    site = runpy.run_path(str(ROOT / "scripts" / "build_site.py"))
    page = out / ".explorer.html"
    explorer.write_explorer_page(page)
    try:
        return site["build"](out / "notebooks", out / "figures", out / "site", explorer_html=page)
    finally:
        page.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
