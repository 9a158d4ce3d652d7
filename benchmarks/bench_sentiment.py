"""Benchmark: scoring N sentences with ``analysis.sentiment.score_sentiment`` (by default
its :data:`~analysis.sentiment.DEFAULT_METHOD`) against the reference loop of the
``vaderSentiment`` package, ``[analyzer.polarity_scores(t)["compound"] for t in texts]``.

Requirement: ratio = time(score_sentiment) / time(reference loop) <= :data:`LIMIT` (1.5),
for N = 100,000 sentences.

What is measured. Wall-clock time (``time.perf_counter``) of one call
``score_sentiment(texts)`` (or ``score_sentiment(texts, method)`` with ``--method``) and
of the reference loop over the same list of N strings. The reference analyzer is built
before the timing, and ``score_sentiment`` is called once on 10 sentences before the
timing, so that neither side pays for loading its lexicon or model; everything else
(tokenising, scoring, building the returned table) is timed.

The corpus. The project's corpus is not used: it is small, and repeating it would let a
cache or a lucky distribution of sentence lengths decide the result. Instead
:func:`synthetic_sentences` generates N distinct sentences, deterministically from
``--seed`` (default 2025): words drawn by their English frequencies (``wordfreq``'s
30,000 most frequent English words; ``wordfreq`` ships its data, no network), of which
about 6.5% are replaced by words of the VADER lexicon (itself drawn by English frequency,
so "good" is common and "fubar" rare; about the share of lexicon words in ordinary
English text), about 1% by a negation (not, never, no) plus a negation before some of the
lexicon words, with commas, capitalised names of two or three words in mid-sentence,
quoted spans in curly (“...”) or straight ("...") quotes, and a final ".", "?" or "!".
Sentence lengths follow a lognormal with a median of 22 words, between 3 and 120 words.
The corpus line of the report gives the number of sentences, distinct sentences, words,
distinct word types and the share of words that are in the VADER lexicon.

Why alternating order. Timings within one process drift (CPU frequency, caches, memory
allocated by the previous call, other load on the machine). Each side is therefore timed
``--rounds`` times (default 3), round 1 reference first, round 2 ours first, and so on,
and the verdict is the median of the per-round ratios ours / reference, so that a drift
in one direction does not favour either side.

Usage::

    python benchmarks/bench_sentiment.py              # N = 100,000, 3 rounds (about 70 s on 2 cores)
    python benchmarks/bench_sentiment.py --n 10000    # a quicker check
    python benchmarks/bench_sentiment.py --method vader --rounds 5 --seed 7

Exit status 0 if the median ratio is at most LIMIT, 1 otherwise.
"""
from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
from functools import lru_cache

import numpy as np

LIMIT = 1.5
N_DEFAULT = 100_000
SEED_DEFAULT = 2025
ROUNDS_DEFAULT = 3
WARMUP = 10

# ---- the synthetic corpus's parameters
VOCABULARY_SIZE = 30_000          # wordfreq.top_n_list("en", VOCABULARY_SIZE)
MEDIAN_WORDS = 22                 # lognormal median of the sentence length
LENGTH_SIGMA = 0.5                # lognormal sigma (log scale)
MIN_WORDS, MAX_WORDS = 3, 120
LEXICON_RATE = 0.065              # share of word slots given to a VADER lexicon word
NEGATION_RATE = 0.01              # share of word slots given to a negation
NEGATED_LEXICON = 0.15            # chance that a lexicon word is preceded by a negation
NEGATIONS = ("not", "never", "no")
COMMA_RATE = 0.06                 # chance of a comma after a word (not the last)
NAME_RATE = 0.3                   # chance that a sentence has a capitalised name
QUOTE_RATE = 0.15                 # chance that a sentence has a quoted span
MAX_QUOTE_WORDS = 8
FINAL_PUNCTUATION = (".", "?", "!")
FINAL_PROBABILITIES = (0.85, 0.10, 0.05)

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def _vader_lexicon() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer().lexicon


@lru_cache(maxsize=1)
def _vocabularies() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Word arrays with cumulative sampling weights: the base vocabulary (the most
    frequent English words, without lexicon words and negations, which have their own
    rates), the VADER lexicon's words, and the words that make names."""
    import wordfreq

    frequency = wordfreq.get_frequency_dict("en")
    lexicon = _vader_lexicon()
    top = [w for w in wordfreq.top_n_list("en", VOCABULARY_SIZE) if _WORD.fullmatch(w)]
    base = [w for w in top if w not in lexicon and w not in NEGATIONS]
    lexicon_words = sorted(w for w in lexicon if _WORD.fullmatch(w) and w not in NEGATIONS)
    floor = min(frequency[w] for w in top)          # for lexicon words wordfreq lacks
    names = [w for w in base[500:] if len(w) >= 3 and "'" not in w]

    def table(words: list[str], cased: bool = False) -> tuple[np.ndarray, np.ndarray]:
        weights = np.array([max(frequency.get(w, 0.0), floor) for w in words])
        if cased:
            words = [w.capitalize() for w in words]
        else:  # the pronoun I and its contractions are capitalised in English text
            words = [w[0].upper() + w[1:] if w == "i" or w.startswith("i'") else w for w in words]
        return np.array(words, dtype=object), np.cumsum(weights)

    return {"base": table(base), "lexicon": table(lexicon_words),
            "names": table(names, cased=True)}


def _draw(rng: np.random.Generator, vocabulary: tuple[np.ndarray, np.ndarray],
          size: int) -> np.ndarray:
    words, cumulative = vocabulary
    index = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
    return words[np.minimum(index, len(words) - 1)]


def _batch(rng: np.random.Generator, m: int) -> list[str]:
    """m sentences (not necessarily distinct)."""
    vocab = _vocabularies()
    lengths = np.clip(np.rint(rng.lognormal(np.log(MEDIAN_WORDS), LENGTH_SIGMA, m)),
                      MIN_WORDS, MAX_WORDS).astype(int)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    total = int(ends[-1])

    # word slots: base vocabulary, lexicon word or negation
    kind = rng.random(total)
    words = _draw(rng, vocab["base"], total)
    is_lexicon = kind < LEXICON_RATE
    words[is_lexicon] = _draw(rng, vocab["lexicon"], int(is_lexicon.sum()))
    is_negation = (kind >= LEXICON_RATE) & (kind < LEXICON_RATE + NEGATION_RATE)
    negations = np.array(NEGATIONS, dtype=object)
    words[is_negation] = negations[rng.integers(len(NEGATIONS), size=int(is_negation.sum()))]
    first = np.zeros(total, dtype=bool)
    first[starts] = True
    negated = is_lexicon & ~first & (rng.random(total) < NEGATED_LEXICON)
    before = np.flatnonzero(negated) - 1
    words[before] = negations[rng.integers(len(NEGATIONS), size=len(before))]
    comma = rng.random(total) < COMMA_RATE

    # per-sentence features
    has_name = rng.random(m) < NAME_RATE
    name_length = rng.integers(2, 4, size=m)
    name_at = rng.random(m)
    name_words = _draw(rng, vocab["names"], 3 * m).reshape(m, 3)
    has_quote = rng.random(m) < QUOTE_RATE
    quote_length = rng.integers(1, MAX_QUOTE_WORDS + 1, size=m)
    quote_at = rng.random(m)
    curly = rng.random(m) < 0.5
    final = rng.choice(len(FINAL_PUNCTUATION), size=m, p=FINAL_PROBABILITIES)

    out = []
    for i in range(m):
        s, n = int(starts[i]), int(lengths[i])
        toks = words[s:s + n].tolist()
        commas = comma[s:s + n]
        name_span = range(0)
        if has_name[i] and n >= name_length[i] + 1:
            k = int(name_length[i])
            a = 1 + int(name_at[i] * (n - k))          # in 1 .. n - k: never the first word
            toks[a:a + k] = name_words[i, :k].tolist()
            name_span = range(a, a + k - 1)              # no comma inside a name
        for j in np.flatnonzero(commas[:-1]):
            if j not in name_span:
                toks[j] += ","
        if has_quote[i]:
            a = 1 + int(quote_at[i] * (n - 1))           # in 1 .. n - 1
            b = min(a + int(quote_length[i]) - 1, n - 1)
            opening, closing = ("“", "”") if curly[i] else ('"', '"')
            toks[a] = opening + toks[a]
            toks[b] = toks[b] + closing
        toks[0] = toks[0][0].upper() + toks[0][1:]
        out.append(" ".join(toks) + FINAL_PUNCTUATION[final[i]])
    return out


def synthetic_sentences(n: int, seed: int = SEED_DEFAULT) -> list[str]:
    """n distinct English-like sentences, the same for the same seed (see the module
    docstring for how they are made). Duplicates (rare) are replaced by further draws."""
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    rng = np.random.default_rng(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        for text in _batch(rng, n - len(seen)):
            seen.setdefault(text, None)
    return list(seen)[:n]


def describe(texts: list[str]) -> dict[str, float]:
    """n, distinct sentences, words, distinct word types (lower-cased) and the share of
    words in the VADER lexicon."""
    lexicon = _vader_lexicon()
    words = [w.lower() for t in texts for w in _TOKEN.findall(t)]
    return {"n": len(texts), "distinct": len(set(texts)), "words": len(words),
            "types": len(set(words)),
            "lexicon_share": sum(w in lexicon for w in words) / max(len(words), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=N_DEFAULT, help="number of sentences to score")
    parser.add_argument("--rounds", type=int, default=ROUNDS_DEFAULT,
                        help="timing rounds, in alternating order")
    parser.add_argument("--seed", type=int, default=SEED_DEFAULT, help="seed of the corpus")
    parser.add_argument("--method", default=None,
                        help="method of score_sentiment (default: its DEFAULT_METHOD)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.rounds < 1:
        parser.error("--n and --rounds must be at least 1")

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis import sentiment as S

    method = S.DEFAULT_METHOD if args.method is None else args.method
    t0 = time.perf_counter()
    texts = synthetic_sentences(args.n, args.seed)
    t_make = time.perf_counter() - t0
    d = describe(texts)
    print(f"corpus: {d['n']:,} synthetic sentences (seed {args.seed}), {d['distinct']:,} distinct, "
          f"{d['words']:,} words, {d['types']:,} distinct word types, "
          f"{d['lexicon_share']:.1%} of words in the VADER lexicon (made in {t_make:.1f} s)")
    print(f"method: {method!r}" + (" (DEFAULT_METHOD)" if args.method is None else ""))

    analyzer = SentimentIntensityAnalyzer()              # built outside the timing

    def reference() -> list[float]:
        return [analyzer.polarity_scores(t)["compound"] for t in texts]

    def ours():
        return S.score_sentiment(texts) if args.method is None else S.score_sentiment(texts, method)

    if args.method is None:                               # warm-up: lexicons, models
        S.score_sentiment(texts[:WARMUP])
    else:
        S.score_sentiment(texts[:WARMUP], method)

    def timed(run) -> float:
        gc.collect()
        t = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - t
        if len(result) != args.n:
            raise RuntimeError(f"{len(result)} scores for {args.n} sentences")
        return elapsed

    ratios = []
    for r in range(args.rounds):
        if r % 2 == 0:
            order = "reference first"
            t_ref = timed(reference)
            t_ours = timed(ours)
        else:
            order = "ours first"
            t_ours = timed(ours)
            t_ref = timed(reference)
        ratios.append(t_ours / t_ref)
        print(f"round {r + 1} ({order}): reference {t_ref:.2f} s, score_sentiment {t_ours:.2f} s, "
              f"ratio {ratios[-1]:.2f}")
    median = statistics.median(ratios)
    verdict = "pass" if median <= LIMIT else "FAIL"
    print(f"median ratio score_sentiment / reference over {args.rounds} round(s): "
          f"{median:.2f} (limit {LIMIT}): {verdict}")
    return 0 if median <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
