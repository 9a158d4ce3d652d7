"""Speed of ``sentences`` + ``tokens`` on a ~1 million-word corpus, against a floor.

The corpus is the study's texts (reader comments included) repeated until it holds
about ``--words`` words (default 1,000,000), each copy a document of its own. In the same
run we time:

- floor: read the text, lower-case it, one ``re.findall(r"\\w+")`` and a ``Counter``:
  about the least any tokenizer can do;
- ours: ``analysis.sentences`` then ``analysis.tokens`` (the full tidy table with
  lemmas and stopword flags).

Targets (issue 2): the 1M-word table in under 5 s on one core, no more than 10 times
the floor, peak memory under 1 GB. Usage: ``python benchmarks/bench_tokens.py [--words N]``.
"""
from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis import load_corpus, sentences, tokens


def build_corpus(n_words: int) -> pd.DataFrame:
    base = load_corpus(include_comments=True)[["doc_id", "text"]]
    words_per_copy = sum(len(re.findall(r"\w+", t)) for t in base["text"])
    copies = max(1, round(n_words / words_per_copy))
    return pd.DataFrame({
        "doc_id": [f"{d}-{i}" for i in range(copies) for d in base["doc_id"]],
        "text": [t for _ in range(copies) for t in base["text"]],
    })


def floor_seconds(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    counts = Counter(re.findall(r"\w+", path.read_text(encoding="utf-8").lower()))
    return time.perf_counter() - start, sum(counts.values())


def best_of(repeats: int, fn):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    corpus = build_corpus(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        path.write_text("\n".join(corpus["text"]), encoding="utf-8")
        floor = min(floor_seconds(path)[0] for _ in range(args.repeats))
        n_floor_words = floor_seconds(path)[1]
    tokens(sentences(corpus.head(6)))  # warm up: lazy imports (lemminflect) and caches
    ours, table = best_of(args.repeats, lambda: tokens(sentences(corpus)))
    n_words = int(table["is_word"].sum())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(corpus):,} documents, {n_words:,} words, {len(table):,} tokens")
    print(f"floor (read, lower, re.findall, Counter): {floor:6.2f} s  {n_floor_words / floor:12,.0f} words/s")
    print(f"sentences + tokens:                       {ours:6.2f} s  {n_words / ours:12,.0f} words/s")
    print(f"ratio ours / floor: {ours / floor:.1f}x   (target <= 10x; time target < 5 s)")
    print(f"peak resident memory of this process: {peak_mb:,.0f} MB (target < 1,024 MB)")


if __name__ == "__main__":
    main()
