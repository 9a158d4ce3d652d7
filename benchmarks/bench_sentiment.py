"""Benchmark: scoring N sentences with the default method of ``score_sentiment`` against
the reference loop ``SentimentIntensityAnalyzer().polarity_scores`` per sentence.

The sentences are the corpus's 225, repeated to N (default 100,000). Neither side caches
scores: ``score_sentiment`` scores every sentence anew (only the analyzer, i.e. the
lexicon, is built once), so repeated sentences cost real work. The requirement is
ratio = default / reference <= 1.5. Usage::

    python benchmarks/bench_sentiment.py            # N = 100,000 (about 40 s on 2 cores)
    python benchmarks/bench_sentiment.py --n 10000
"""
from __future__ import annotations

import argparse
import sys
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import load_corpus, sentences
from analysis import sentiment as S

LIMIT = 1.5


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of sentences to score")
    n = parser.parse_args(argv).n
    corpus = sentences(load_corpus(include_comments=True))["text"].tolist()
    texts = (corpus * (n // len(corpus) + 1))[:n]
    S.score_sentiment(texts[:10])                      # build the analyzers outside the timing

    analyzer = SentimentIntensityAnalyzer()               # likewise built outside the timing
    t0 = time.perf_counter()
    reference = [analyzer.polarity_scores(t)["compound"] for t in texts]
    t_ref = time.perf_counter() - t0

    t0 = time.perf_counter()
    ours = S.score_sentiment(texts)
    t_ours = time.perf_counter() - t0

    assert len(ours) == len(reference) == n
    ratio = t_ours / t_ref
    print(f"sentences: {n:,} ({len(corpus)} distinct, repeated; no score cache on either side)")
    print(f"reference vaderSentiment loop: {t_ref:.2f} s")
    print(f"score_sentiment(method={S.DEFAULT_METHOD!r}): {t_ours:.2f} s")
    print(f"ratio: {ratio:.2f} (limit {LIMIT})")
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
