"""Benchmark of the scale-out path (:mod:`analysis.scale`): 1M, 10M, 100M words.

For each size, a synthetic corpus (``benchmarks/synthetic_corpus.py``: a Zipfian
vocabulary of wordfreq's 50,000 English words plus names, codes and domain phrases;
documents of about 500 words) is generated straight into Parquet partitions, a chunk of
documents at a time (never the whole corpus in memory), by two processes. Then each
*path* runs in a child process of its own and computes the same things -- the lemma x
era count table with document frequencies, keyness of each era against the rest, and
bigram collocations (likelihood ratio, min_freq 3, all of them):

- ``today``: the whole table in one process, as the notebooks do today: all partitions
  read into one corpus table, ``tokens``, ``doc_term_counts``, ``keyness_each_vs_rest``,
  and NLTK's collocation finder (the former ``collocations``), then the new
  ``vocabulary.collocations`` on the same tokens. Run only up to ``--today-max`` words
  (the token table of 100M words does not fit in memory: about 80-200 bytes a token);
- ``sync``: ``analysis.scale`` with Dask's synchronous scheduler, in process;
- ``cluster-K``: the same graph on a ``distributed.LocalCluster`` of K single-threaded
  worker processes.

Peak memory: every process is sampled (psutil RSS, every 0.1 s, in a background
thread of the child: the child itself and each of its descendant processes), and each
worker also reports its own ``ru_maxrss`` (``client.run``) at the end. Results of the
paths are compared in the parent, count for count. Annotation (spaCy) and sentence
sentiment (VADER) are timed on a small sample only and extrapolated (said so in the
table).

Usage: ``python benchmarks/bench_scale.py --words 1e6 1e7 --workers 1 2 --out benchmarks/RESULTS_scale.md``
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import synthetic_corpus as sc  # noqa: E402

WORDS_PER_DOC = 500
DOCS_PER_CHUNK = 400
MIN_FREQ = 3
SAMPLE_WORDS = 20_000


# ---------------------------------------------------------------------- generating


def _chunk(first_last: tuple[int, int]) -> pd.DataFrame:
    """Synthetic documents first..last-1 as a corpus table (the title line dropped)."""
    rows = []
    for i in range(*first_last):
        meta, text = sc.document(i, words_per_doc=WORDS_PER_DOC)
        rows.append((meta["doc_id"], meta["era"], meta["outlet"], text.split("\n", 1)[1]))
    return pd.DataFrame(rows, columns=["doc_id", "era", "outlet", "text"])


def generate(folder: Path, words: int, partition_words: int, processes: int = 2) -> dict:
    """Write a synthetic corpus of about ``words`` words to ``folder`` as partitions,
    streamed chunk by chunk; reuse a finished folder."""
    from analysis.scale import MANIFEST, PartitionWriter

    if (folder / MANIFEST).exists():
        manifest = json.loads((folder / MANIFEST).read_text())
        print(f"  reusing {folder} ({manifest['words']:,} words)", flush=True)
        return {"seconds": None, "words": manifest["words"], "documents": manifest["documents"],
                "partitions": len(manifest["partitions"])}
    n_docs = max(1, round(words / WORDS_PER_DOC))
    chunks = [(a, min(a + DOCS_PER_CHUNK, n_docs)) for a in range(0, n_docs, DOCS_PER_CHUNK)]
    start = time.perf_counter()
    with get_context("fork").Pool(processes) as pool, PartitionWriter(folder, partition_words) as writer:
        for k, table in enumerate(pool.imap(_chunk, chunks)):
            writer.add(table)
            if k % max(1, len(chunks) // 10) == 0 or k == len(chunks) - 1:
                print(f"  generated {chunks[k][1]:,}/{n_docs:,} documents, {len(writer.parts)} partitions written, "
                      f"{time.perf_counter() - start:.0f} s", flush=True)
    manifest = json.loads((folder / MANIFEST).read_text())
    return {"seconds": time.perf_counter() - start, "words": manifest["words"], "documents": manifest["documents"],
            "partitions": len(manifest["partitions"])}


# ---------------------------------------------------------------------- memory


class PeakSampler:
    """Samples the RSS of this process and of every descendant every ``interval`` s in a
    background thread; ``peaks`` maps pid to (name, peak MB)."""

    def __init__(self, interval: float = 0.1):
        import psutil

        self.me = psutil.Process()
        self.interval = interval
        self.peaks: dict[int, list] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                procs = [self.me] + self.me.children(recursive=True)
            except psutil.Error:
                procs = [self.me]
            for proc in procs:
                try:
                    rss = proc.memory_info().rss / 2 ** 20
                    name = "client" if proc.pid == self.me.pid else " ".join(proc.cmdline()[-2:])[-60:]
                except psutil.Error:
                    continue
                entry = self.peaks.setdefault(proc.pid, [name, 0.0])
                entry[1] = max(entry[1], rss)
            self.stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def _worker_maxrss() -> dict:
    return {"pid": os.getpid(), "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# ---------------------------------------------------------------------- the paths (in a child process)


def _collocations_nltk(toks: pd.DataFrame, n: int = 2, min_freq: int = 3) -> pd.DataFrame:
    """The former ``vocabulary.collocations``: NLTK's finder over lists of words (the
    reference the new function is tested against in ``tests/test_scale.py``)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from test_scale import collocations_nltk

    return collocations_nltk(toks, n=n, min_freq=min_freq, measure="likelihood_ratio", top=None)


def run_today(folder: Path, stage) -> dict:
    import importlib

    from analysis.scale import read_partitions
    V = importlib.import_module("analysis.vocabulary")
    T = importlib.import_module("analysis.tokens")

    with stage("read the whole table"):
        corpus = pd.concat([pd.read_parquet(p) for p in read_partitions(folder)], ignore_index=True)
    with stage("tokens"):
        toks = T.tokens(corpus)
        toks["era"] = toks["doc_id"].map(corpus.set_index("doc_id")["era"]).to_numpy()
    del corpus
    with stage("doc_term_counts, doc freq"):
        counts = V.doc_term_counts(toks, by="era")
        doc_freq = V.doc_term_counts(toks, by="doc_id").rows_using()
    with stage("keyness_each_vs_rest"):
        key = V.keyness_each_vs_rest(toks, by="era")
    with stage("collocations (NLTK, former)"):
        old = _collocations_nltk(toks, 2, MIN_FREQ)
    with stage("collocations (new, arrays of codes)"):
        new = V.collocations(toks, n=2, min_freq=MIN_FREQ, top=None)
    return {"counts": counts, "doc_freq": pd.Series(doc_freq, index=counts.terms), "keyness": key,
            "collocations": old, "collocations_new": new, "tokens": len(toks),
            "token_table_mb": toks.memory_usage(deep=True).sum() / 2 ** 20}


def run_partitioned(folder: Path, stage, scheduler) -> dict:
    from analysis import scale as S

    with stage("map tokens + count tables, tree reduce"):
        counts, ngrams = S.partitioned_counts_and_ngrams(folder, by="era", n=2, scheduler=scheduler)
    with stage("keyness from counts"):
        key = S.keyness_from_counts(counts)
    with stage("score collocations"):
        colloc = S.score_ngram_counts(ngrams, min_freq=MIN_FREQ, top=None)
    return {"counts": counts.doc_term_counts(), "doc_freq": counts.doc_freq(), "keyness": key, "collocations": colloc}


def child(path: str, folder: Path, out: Path) -> None:
    """Run one path and write its timings, memory and results to ``out`` (.json + .pkl)."""
    timings: dict[str, float] = {}

    class stage:
        def __init__(self, name):
            self.name = name

        def __enter__(self):
            print(f"    [{path}] {self.name} ...", flush=True)
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            timings[self.name] = time.perf_counter() - self.start
            print(f"    [{path}] {self.name}: {timings[self.name]:.1f} s", flush=True)

    workers = {}
    with PeakSampler() as sampler:
        start = time.perf_counter()
        if path == "today":
            results = run_today(folder, stage)
        elif path == "sync":
            results = run_partitioned(folder, stage, "sync")
        else:
            from distributed import Client, LocalCluster

            k = int(path.split("-")[1])
            with stage(f"start LocalCluster({k} workers)"):
                cluster = LocalCluster(n_workers=k, threads_per_worker=1, processes=True, dashboard_address=None)
                client = Client(cluster)
            compute_start = time.perf_counter()
            results = run_partitioned(folder, stage, client)
            timings["compute (without cluster start)"] = time.perf_counter() - compute_start
            workers = client.run(_worker_maxrss)
            client.close()
            cluster.close()
        total = time.perf_counter() - start
    peaks = {str(pid): {"name": name, "peak_mb": mb} for pid, (name, mb) in sampler.peaks.items()}
    for w in workers.values():
        peaks.setdefault(str(w["pid"]), {"name": "worker", "peak_mb": 0.0})
        peaks[str(w["pid"])]["name"] = "worker"
        peaks[str(w["pid"])]["ru_maxrss_mb"] = w["ru_maxrss_mb"]
    peaks[str(os.getpid())]["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extra = {k: results.pop(k) for k in ("tokens", "token_table_mb") if k in results}
    with open(out.with_suffix(".pkl"), "wb") as fh:
        pickle.dump(results, fh)
    out.with_suffix(".json").write_text(json.dumps({"path": path, "seconds": total, "stages": timings,
                                                   "peaks": peaks, **extra}, indent=1))


def run_child(path: str, folder: Path, work: Path) -> dict | None:
    out = work / f"result-{path}"
    cmd = [sys.executable, __file__, "--child", path, "--folder", str(folder), "--child-out", str(out)]
    proc = subprocess.run(cmd, text=True)
    if proc.returncode != 0:
        print(f"  {path}: failed with exit code {proc.returncode}", flush=True)
        return None
    info = json.loads(out.with_suffix(".json").read_text())
    with open(out.with_suffix(".pkl"), "rb") as fh:
        info["results"] = pickle.load(fh)
    return info


# ---------------------------------------------------------------------- comparing


def same_results(a: dict, b: dict) -> list[str]:
    """What differs between the results of two paths (empty: identical)."""
    diffs = []
    ca, cb = a["counts"], b["counts"]
    if not (ca.rows.equals(cb.rows) and ca.terms.equals(cb.terms) and (ca.matrix != cb.matrix).nnz == 0):
        diffs.append("counts")
    if not a["doc_freq"].reindex(ca.terms).to_numpy().tolist() == b["doc_freq"].reindex(cb.terms).to_numpy().tolist():
        diffs.append("doc_freq")
    for key in ("keyness", "collocations"):
        try:
            pd.testing.assert_frame_equal(a[key].reset_index(drop=True), b[key].reset_index(drop=True),
                                          check_exact=True, check_dtype=False)
        except AssertionError:
            diffs.append(key)
    return diffs


# ---------------------------------------------------------------------- the layers, on a sample


def time_layers(folder: Path, work: Path) -> dict:
    """Sentence sentiment (VADER) and the spaCy annotation mapped over partitions of a
    sample of about SAMPLE_WORDS words, in process; seconds per 1M words."""
    from analysis import scale as S

    sample = pd.concat([pd.read_parquet(p) for p in S.read_partitions(folder)[:1]], ignore_index=True)
    words = np.cumsum(S.approximate_words(sample["text"]))
    sample = sample[words <= SAMPLE_WORDS]
    target = work / "sample-parts"
    if not (target / S.MANIFEST).exists():
        S.write_partitions(sample, target, words_per_partition=SAMPLE_WORDS // 4)
    n_words = int(S.approximate_words(sample["text"]).sum())
    out = {"words": n_words}
    S.partitioned_sentiment(target)             # loads VADER before the timing
    start = time.perf_counter()
    S.partitioned_sentiment(target)
    out["sentiment_s_per_million"] = (time.perf_counter() - start) / n_words * 1e6
    from analysis.annotation import load_pipeline

    load_pipeline()
    start = time.perf_counter()
    S.partitioned_annotation(target, cache=False)
    out["annotation_s_per_million"] = (time.perf_counter() - start) / n_words * 1e6
    return out


# ---------------------------------------------------------------------- the report


def machine() -> dict:
    import psutil

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    import dask
    import distributed
    import pyarrow

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": psutil.virtual_memory().total / 2 ** 30,
            "python": platform.python_version(), "pandas": pd.__version__, "numpy": np.__version__,
            "dask": dask.__version__, "distributed": distributed.__version__, "pyarrow": pyarrow.__version__}


def _peak_summary(info: dict) -> str:
    peaks = info["peaks"]
    client = [p for p in peaks.values() if p["name"] == "client"]
    workers = [p for p in peaks.values() if p["name"] == "worker"]
    others = [p for p in peaks.values() if p["name"] not in ("client", "worker") and p["peak_mb"] > 50]
    parts = [f"client {max(max(p['peak_mb'], p.get('ru_maxrss_mb', 0)) for p in client):,.0f}"]
    parts += [f"worker {max(p['peak_mb'], p.get('ru_maxrss_mb', 0)):,.0f}" for p in workers]
    parts += [f"other {p['peak_mb']:,.0f}" for p in others]
    return ", ".join(parts)


def report(rows: list[dict], layers: dict | None, info: dict, command: str) -> str:
    lines = [
        "# Scale-out benchmark (`benchmarks/bench_scale.py`)",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {info['cpu']}, {info['cores']} cores, "
        f"{info['memory_gb']:.0f} GB (shared with other jobs); Python {info['python']}, pandas {info['pandas']}, "
        f"numpy {info['numpy']}, dask {info['dask']}, distributed {info['distributed']}, pyarrow {info['pyarrow']}.",
        "",
        f"Command: `{command}`",
        "",
        "Each path computes the lemma x era count table with document frequencies, keyness of each era "
        "against the rest and every bigram collocation (likelihood ratio, min_freq 3). Seconds are wall "
        "time of the whole path (cluster: including its start); peak memory is the largest RSS of each "
        "process (sampled every 0.1 s, and `ru_maxrss`), in MB. `identical` compares counts, document "
        "frequencies, keyness and collocations with the first path of the row group, value for value.",
        "",
        "| words | partitions | path | seconds | stages (s) | peak memory per process (MB) | identical |",
        "| ---: | ---: | --- | ---: | --- | --- | --- |",
    ]
    for row in rows:
        for path in row["paths"]:
            res = row["results"].get(path)
            if res is None:
                lines.append(f"| {row['words']:,} | {row['partitions']} | {path} | -- | "
                             f"{row['skipped'].get(path, 'failed')} | | |")
                continue
            stages = "; ".join(f"{k} {v:.1f}" for k, v in res["stages"].items())
            lines.append(f"| {row['words']:,} | {row['partitions']} | {path} | {res['seconds']:.1f} | {stages} | "
                         f"{_peak_summary(res)} | {row['identical'].get(path, '')} |")
    lines += ["", "Speed-up of two workers over one (compute time, cluster start excluded):", ""]
    for row in rows:
        one, two = row["results"].get("cluster-1"), row["results"].get("cluster-2")
        if one and two:
            a = one["stages"]["compute (without cluster start)"]
            b = two["stages"]["compute (without cluster start)"]
            lines.append(f"- {row['words']:,} words: {a:.1f} s / {b:.1f} s = {a / b:.2f}x")
    for row in rows:
        today = row["results"].get("today")
        if today:
            lines.append(f"- {row['words']:,} words: token table of the whole corpus {today['token_table_mb']:,.0f} MB "
                         f"({today['token_table_mb'] * 2 ** 20 / today['tokens']:.0f} bytes a token, "
                         f"{today['tokens']:,} tokens)")
    if layers:
        lines += ["", f"Per-document layers, **measured on a sample of {layers['words']:,} words only and "
                  "extrapolated linearly** (in process, one core): sentence sentiment (VADER) "
                  f"{layers['sentiment_s_per_million']:.0f} s per million words; spaCy annotation "
                  f"{layers['annotation_s_per_million']:.0f} s per million words, so about "
                  f"{layers['annotation_s_per_million'] * 100 / 3600:.1f} h for 100M words on one core "
                  f"(divide by the number of workers)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_scale"), help="where the partitions go")
    parser.add_argument("--today-max", type=float, default=1e7, help="largest size for the whole-table path")
    parser.add_argument("--no-sync-above", type=float, default=float("inf"),
                        help="skip the in-process partitioned path above this many words")
    parser.add_argument("--paths", nargs="+", help="run only these paths (today, sync, cluster-K)")
    parser.add_argument("--no-layers", action="store_true", help="do not time sentiment and annotation")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.folder, args.child_out)
        return 0
    command = "python benchmarks/bench_scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    info = machine()
    rows, layers = [], None
    for words in (int(w) for w in args.words):
        print(f"== {words:,} words", flush=True)
        work = args.work / f"words-{words}"
        work.mkdir(parents=True, exist_ok=True)
        partition_words = int(min(max(words / 10, 100_000), 1_000_000))
        gen = generate(work / "parts", words, partition_words)
        row = {"words": gen["words"], "partitions": gen["partitions"], "results": {}, "identical": {}, "skipped": {}}
        row["paths"] = ["today", "sync"] + [f"cluster-{k}" for k in args.workers]
        if args.paths:
            row["paths"] = [p for p in row["paths"] if p in args.paths]
        for path in row["paths"]:
            if path == "today" and words > args.today_max:
                row["skipped"][path] = (f"skipped: the token table of {words:,} words needs about "
                                        f"{words * 1.2 * 80 / 2 ** 30:.0f}-{words * 1.2 * 200 / 2 ** 30:.0f} GB")
                continue
            if path == "sync" and words > args.no_sync_above:
                row["skipped"][path] = "skipped to save time (same graph as the cluster paths)"
                continue
            print(f"  path {path}", flush=True)
            row["results"][path] = run_child(path, work / "parts", work)
        done = [p for p in row["paths"] if row["results"].get(p)]
        for path in done[1:]:
            diffs = same_results(row["results"][done[0]]["results"], row["results"][path]["results"])
            row["identical"][path] = f"yes (vs {done[0]})" if not diffs else f"NO: {', '.join(diffs)}"
        today = row["results"].get("today")
        if today:
            try:
                pd.testing.assert_frame_equal(today["results"]["collocations"], today["results"]["collocations_new"],
                                              check_exact=True, check_dtype=False)
                row["identical"]["today"] = "new collocations = NLTK's: yes"
            except AssertionError:
                row["identical"]["today"] = "new collocations = NLTK's: NO"
        for res in row["results"].values():
            if res:
                res.pop("results")
        rows.append(row)
        print(json.dumps({p: (r["seconds"] if r else None) for p, r in row["results"].items()}), flush=True)
        if layers is None and not args.no_layers:
            layers = time_layers(work / "parts", work)
        if args.out:
            args.out.write_text(report(rows, layers, info, command), encoding="utf-8")
    text = report(rows, layers, info, command)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
