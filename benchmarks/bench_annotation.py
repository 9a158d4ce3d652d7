"""Speed and memory of the annotation layer (``analysis.annotation.annotate``) against the
plain tokens table, on a synthetic corpus of about 1 million words.

The corpus: the study's 225 sentences (reader comments included) shuffled with a fixed
seed (``--seed``, default 0) across ``--docs`` synthetic documents (default 200 of about
5,000 words each), grouped into paragraphs whose sizes are drawn from the corpus's own
paragraph sizes. Every sentence occurs many times, but in a different order and in a
different document, so each document is new to the annotation cache. What this measures
is throughput on this genre: spaCy's cost depends on sentence length (the parser) and
on the number of sentences and tokens, which shuffling keeps as they are in the corpus;
the small model has no per-sentence memo, so a repeated sentence costs as much as a new
one. It does not measure other genres (shorter or longer sentences, a wider vocabulary).

In the same run we time:

- tokens: ``sentences`` + ``tokens`` on the full corpus (``--words``) and on the slice
  that is annotated (best of ``--repeats``);
- annotate, ``n_process=1``: ``annotate(sents, toks)`` on the slice, cache cold (written
  to a fresh temporary ``STUDY_CACHE_DIR``): what the first notebook run pays;
- annotate, ``n_process=2``: the same with ``cache=False`` (spaCy forks 2 workers);
- annotate, cache warm: the ``n_process=1`` call repeated, reading the pickles back.

The ratio annotate / tokens is annotate's time (tokens given) over the time of
``sentences`` + ``tokens`` on the same slice. Memory: peak resident set size of this
process, sampled every 0.1 s in a thread with psutil (and ``getrusage``), and of the
worker processes for ``n_process=2`` (the sum over live workers; forked workers share
the model's pages with the parent, so the sum overstates their own memory).

On 2 cores annotating 1M words twice (n_process=1 and 2) takes about 11 minutes, so by
default only the first ``--annotate-words`` (400,000) words are annotated, about 5
minutes in all; pass ``--annotate-words 1000000`` for the full corpus.

Why ``n_process=2`` is not faster: ``annotate`` calls ``nlp.pipe(..., batch_size=256,
n_process=n)`` once per document, so the workers are forked anew for every document,
and spaCy hands out work by batches of 256 sentences: a document of 5,000 words (about
150 sentences) is one batch, parsed by one worker while the other idles. The numbers are printed as a Markdown
table and, as JSON, on the last line of output and in ``--json`` (default
``/tmp/bench_annotation.json``). Usage:
``python benchmarks/bench_annotation.py [--words N] [--annotate-words M]``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from analysis import load_corpus, sentences, tokens
from analysis import annotation as A


def build_corpus(n_words: int, n_docs: int, seed: int) -> pd.DataFrame:
    """``n_docs`` documents of about ``n_words / n_docs`` words each, made of the corpus's
    sentences in random order (each pass over the sentences a new permutation)."""
    sents = sentences(load_corpus(include_comments=True))
    words = tokens(sents).groupby(["doc_id", "sent_id"], sort=False)["is_word"].sum()
    words = words.reindex(pd.MultiIndex.from_frame(sents[["doc_id", "sent_id"]])).fillna(0).to_numpy()
    para_sizes = sents.groupby(["doc_id", "para_id"]).size().to_numpy()
    texts = sents["text"].to_numpy()
    rng = np.random.default_rng(seed)
    docs, order, total = [], np.array([], dtype=int), 0
    for d in range(n_docs):
        target, paragraphs = round(n_words * (d + 1) / n_docs), []
        while total < target:
            k = int(rng.choice(para_sizes))
            if len(order) < k:
                order = np.concatenate([order, rng.permutation(len(texts))])
            pick, order = order[:k], order[k:]
            paragraphs.append(" ".join(texts[pick]))
            total += int(words[pick].sum())
        docs.append((f"synthetic-{d:03d}", "\n".join(paragraphs)))
    return pd.DataFrame(docs, columns=["doc_id", "text"])


class PeakMemory:
    """Peak RSS (MB) of this process and of its children, sampled in a thread."""

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.me = psutil.Process()
        self.self_mb = self.children_mb = self.child_max_mb = self.total_mb = 0.0
        self.n_children = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        mine = self.me.memory_info().rss
        kids = []
        for child in self.me.children(recursive=True):
            try:
                kids.append(child.memory_info().rss)
            except psutil.Error:
                pass
        mb = 1024 ** 2
        self.self_mb = max(self.self_mb, mine / mb)
        self.children_mb = max(self.children_mb, sum(kids) / mb)
        self.child_max_mb = max(self.child_max_mb, max(kids, default=0) / mb)
        self.total_mb = max(self.total_mb, (mine + sum(kids)) / mb)
        self.n_children = max(self.n_children, len(kids))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()


def timed(fn):
    with PeakMemory() as mem:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return seconds, result, mem


def best_of(repeats: int, fn):
    runs = [timed(fn) for _ in range(repeats)]
    return min(runs, key=lambda r: r[0])


def head_words(corpus: pd.DataFrame, table: pd.DataFrame, n_words: int) -> pd.DataFrame:
    """The first documents of ``corpus`` holding about ``n_words`` words (of its tokens
    ``table``): all of it if ``n_words`` is at least its size."""
    counts = table.groupby("doc_id", sort=False)["is_word"].sum().reindex(corpus["doc_id"]).cumsum()
    return corpus[counts.shift(fill_value=0).to_numpy() < n_words].reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="size of the synthetic corpus")
    parser.add_argument("--annotate-words", type=int, default=400_000,
                        help="how many of its words to annotate (default 400,000; up to --words)")
    parser.add_argument("--docs", type=int, default=200, help="number of synthetic documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the tokens timing")
    parser.add_argument("--json", default="/tmp/bench_annotation.json")
    args = parser.parse_args()
    wall, load_start = time.perf_counter(), os.getloadavg()[0]

    corpus = build_corpus(args.words, args.docs, args.seed)
    A.load_pipeline()                                   # load the model outside the timings
    warm = sentences(corpus.head(1))
    A.annotate(warm[warm["sent_id"] < 20], cache=False)  # lazy imports, lemminflect, resources

    t_tok_full, full_table, _ = best_of(args.repeats, lambda: tokens(sentences(corpus)))
    part = head_words(corpus, full_table, args.annotate_words)
    t_tok, (sents, toks), _ = best_of(args.repeats, lambda: (lambda s: (s, tokens(s)))(sentences(part)))
    n_words_full, n_words = int(full_table["is_word"].sum()), int(toks["is_word"].sum())
    del full_table

    with tempfile.TemporaryDirectory() as cache:
        os.environ["STUDY_CACHE_DIR"] = cache
        t1, ann1, mem1 = timed(lambda: A.annotate(sents, toks, cache=True, n_process=1))
        cache_mb = sum(p.stat().st_size for p in Path(cache).iterdir()) / 1024 ** 2
        t_warm, ann_warm, mem_warm = timed(lambda: A.annotate(sents, toks, cache=True, n_process=1))
        same = ann_warm[A.ANNOTATION_COLUMNS].equals(ann1[A.ANNOTATION_COLUMNS])
    del ann_warm
    t2, ann2, mem2 = timed(lambda: A.annotate(sents, toks, cache=False, n_process=2))
    same2 = ann2[A.ANNOTATION_COLUMNS].equals(ann1[A.ANNOTATION_COLUMNS])
    del ann1, ann2
    import multiprocessing
    multiprocessing.active_children()                   # reap finished workers for getrusage
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    wall = time.perf_counter() - wall

    res = {
        "corpus_docs": len(corpus), "corpus_words": n_words_full, "annotated_docs": len(part),
        "annotated_sentences": len(sents), "annotated_words": n_words, "annotated_tokens": len(toks),
        "tokens_full_s": t_tok_full, "tokens_full_wps": n_words_full / t_tok_full,
        "tokens_s": t_tok, "tokens_wps": n_words / t_tok,
        "annotate_n1_s": t1, "annotate_n1_wps": n_words / t1, "ratio_n1_to_tokens": t1 / t_tok,
        "annotate_n2_s": t2, "annotate_n2_wps": n_words / t2, "ratio_n2_to_tokens": t2 / t_tok,
        "speedup_n2": t1 / t2, "n2_same_as_n1": bool(same2),
        "annotate_cached_s": t_warm, "annotate_cached_wps": n_words / t_warm,
        "ratio_cached_to_tokens": t_warm / t_tok, "cached_same_as_n1": bool(same), "cache_mb": cache_mb,
        "peak_rss_n1_mb": mem1.self_mb, "peak_rss_cached_mb": mem_warm.self_mb,
        "peak_rss_n2_parent_mb": mem2.self_mb, "peak_rss_n2_workers_sum_mb": mem2.children_mb,
        "peak_rss_n2_worker_max_mb": mem2.child_max_mb, "peak_rss_n2_total_mb": mem2.total_mb,
        "n2_workers_seen": mem2.n_children,
        "peak_rss_process_getrusage_mb": peak_self, "peak_rss_child_getrusage_mb": peak_child,
        "seed": args.seed, "cpus": os.cpu_count(), "python": platform.python_version(),
        "model": A.model_description()["package"] + "-" + A.model_description()["version"],
        "wall_s": wall, "loadavg_1min_start_end": [load_start, os.getloadavg()[0]],
    }

    print(f"corpus: {len(corpus)} synthetic documents, {n_words_full:,} words (shuffled sentences, seed "
          f"{args.seed}); annotated: first {len(part)} documents, {n_words:,} words, {len(toks):,} tokens, "
          f"{len(sents):,} sentences; {res['model']}, {res['cpus']} CPUs, load average (1 min) "
          f"{load_start:.1f} at start, {os.getloadavg()[0]:.1f} at end\n")
    rows = [
        ("sentences + tokens, full corpus", f"{t_tok_full:.2f} s, {n_words_full / t_tok_full:,.0f} words/s"),
        ("sentences + tokens, annotated slice", f"{t_tok:.2f} s, {n_words / t_tok:,.0f} words/s"),
        ("annotate, n_process=1, cache cold", f"{t1:.1f} s, {n_words / t1:,.0f} words/s"),
        ("annotate, n_process=2, no cache", f"{t2:.1f} s, {n_words / t2:,.0f} words/s "
                                            f"(x{t1 / t2:.2f} vs n_process=1)"),
        ("annotate, cache warm (re-run)", f"{t_warm:.2f} s, {n_words / t_warm:,.0f} words/s"),
        ("ratio annotate / tokens (n_process=1; 2)", f"{t1 / t_tok:.0f}x; {t2 / t_tok:.0f}x"),
        ("ratio cached annotate / tokens", f"{t_warm / t_tok:.1f}x"),
        ("1M words, n_process=1 (extrapolated)" if n_words < 0.95 * n_words_full else "1M words, n_process=1",
         f"{t1 / n_words * 1e6 / 60:.1f} min"),
        ("cache on disk", f"{cache_mb:,.0f} MB ({cache_mb / n_words * 1e6:,.0f} MB per 1M words)"),
        ("peak RSS, n_process=1 (parent)", f"{mem1.self_mb:,.0f} MB"),
        ("peak RSS, cache warm (parent)", f"{mem_warm.self_mb:,.0f} MB"),
        ("peak RSS, n_process=2", f"parent {mem2.self_mb:,.0f} MB; workers {mem2.children_mb:,.0f} MB "
                                  f"(largest {mem2.child_max_mb:,.0f} MB); total {mem2.total_mb:,.0f} MB"),
        ("peak RSS over the whole run, getrusage (process; largest child)", f"{peak_self:,.0f} MB; {peak_child:,.0f} MB"),
        ("same columns: cached, n_process=2 vs 1", f"{same}; {same2}"),
        ("benchmark wall time", f"{wall:.0f} s"),
    ]
    print("| measure | result |\n|---|---|")
    for measure, result in rows:
        print(f"| {measure} | {result} |")
    Path(args.json).write_text(json.dumps(res, indent=1), encoding="utf-8")
    print(f"\n(JSON also in {args.json})")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
