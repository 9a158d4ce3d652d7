"""Time and memory of ``tokens(sentences(corpus))`` on a synthetic corpus of ~1M words.

The corpus is written by ``benchmarks/synthetic_corpus.py`` (``--words`` / 100 documents
of about 100 words) into a temporary folder and read with ``analysis.load_corpus``. Each
measurement runs in a fresh Python process, so that one run's memory does not carry over
to the next:

- ``seconds``: best of ``--repeats`` runs of ``tokens(sentences(corpus))`` (the first
  also fills the lemma cache, so take at least 2);
- ``table MB``: ``DataFrame.memory_usage(deep=True).sum()`` of the token table;
- ``peak MB``: the process's peak resident set (``ru_maxrss``) minus its resident set
  after the corpus was loaded: what making the table costs at its peak, whatever
  allocates it (Python objects, NumPy or Arrow buffers, which ``tracemalloc`` misses).

Modes: ``str`` reads the corpus as pandas 3 does by default (the ``str`` dtype, backed by
pyarrow when it is installed); ``object`` sets ``future.infer_string`` off first (plain
Python strings, as without pyarrow); ``categorical`` reads it as ``str`` and asks
``tokens(..., categorical=True)`` (the compact table: Categorical string columns, int32
ids). Usage::

    python benchmarks/bench_token_memory.py [--words 1000000] [--repeats 3] [--modes str categorical]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("str", "object", "categorical")


def rss_mb() -> float:
    """The resident set of this process now, in MB (``/proc/self/statm``, Linux)."""
    import os

    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """The peak resident set of this process so far, in MB (``ru_maxrss`` is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path, mode: str, repeats: int) -> dict:
    """One mode's measurement, in this process (called in a child process)."""
    import gc

    import pandas as pd

    if mode == "object":
        pd.set_option("future.infer_string", False)
    from analysis import load_corpus, sentences, tokens

    corpus = load_corpus(folder)[["doc_id", "text"]]
    options = {"categorical": True} if mode == "categorical" else {}
    tokens(sentences(corpus.head(5)), **options)          # warm up: lazy imports
    gc.collect()
    before = rss_mb()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        table = tokens(sentences(corpus), **options)
        times.append(time.perf_counter() - start)
        if len(times) < repeats:
            del table
            gc.collect()
    return {"mode": mode, "seconds": min(times), "tokens": len(table), "words": int(table["is_word"].sum()),
            "table_mb": table.memory_usage(deep=True).sum() / 2**20, "peak_mb": peak_rss_mb() - before,
            "dtypes": {c: str(t) for c, t in table.dtypes.items()}}


def run_child(folder: Path, mode: str, repeats: int) -> dict:
    """:func:`measure` in a fresh Python process; its JSON result."""
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--folder", str(folder),
                          "--repeats", str(repeats)], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--modes", nargs="*", default=list(MODES), choices=MODES)
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.folder, args.child, args.repeats)))
        return 0
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic_corpus import WORDS_PER_DOC, write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_corpus(Path(tmp) / "corpus", max(1, args.words // WORDS_PER_DOC))
        for mode in args.modes:
            r = run_child(folder, mode, args.repeats)
            print(f"{mode:>6}: {r['tokens']:,} tokens ({r['words']:,} words)  {r['seconds']:6.2f} s  "
                  f"table {r['table_mb']:7.1f} MB  peak +{r['peak_mb']:7.1f} MB")
            print(f"        dtypes: {', '.join(f'{c} {t}' for c, t in r['dtypes'].items())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
