"""The scale-out path (analysis.scale) and the array-based collocations.

The same corpus is counted by the existing whole-table functions, by the partitioned
functions in process (Dask's synchronous scheduler) and on a two-worker LocalCluster;
the results must be equal value for value. The collocations are checked against NLTK's
own finders (:func:`collocations_nltk`, the former implementation, kept here only)."""
from __future__ import annotations

import importlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import load_corpus, scale
from analysis.scale import PartitionError

T = importlib.import_module("analysis.tokens")
V = importlib.import_module("analysis.vocabulary")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synthetic_corpus  # noqa: E402

SYNTHETIC_DOCS = 240


# ---------------------------------------------------------------------- the NLTK reference

def word_lists_nltk(toks: pd.DataFrame, column: str = "lower") -> list[list[str]]:
    """Runs of words as lists of strings (the former ``vocabulary._word_runs``)."""
    if len(toks) == 0:
        return []
    doc = pd.factorize(toks["doc_id"], use_na_sentinel=False)[0]
    sent = toks["sent_id"].to_numpy()
    is_word = toks["is_word"].to_numpy(dtype=bool)
    cut = np.ones(len(toks), dtype=bool)
    cut[1:] = (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])
    run_id = np.cumsum(cut | ~is_word)[is_word]
    words = toks[column].astype(object).to_numpy()[is_word].tolist()
    bounds = np.flatnonzero(np.r_[True, run_id[1:] != run_id[:-1], True]) if len(words) else np.array([0])
    return [words[a:b] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]


def collocations_nltk(toks: pd.DataFrame, n: int = 2, min_freq: int = 3, measure: str = "likelihood_ratio",
                      top: int | None = 15) -> pd.DataFrame:
    """The former ``vocabulary.collocations``: NLTK's finders ``from_documents`` over the
    word runs, frequency and content-word filters, ``score_ngrams``."""
    from nltk.collocations import (BigramAssocMeasures, BigramCollocationFinder, QuadgramAssocMeasures,
                                   QuadgramCollocationFinder, TrigramAssocMeasures, TrigramCollocationFinder)

    finders = {2: (BigramCollocationFinder, BigramAssocMeasures), 3: (TrigramCollocationFinder, TrigramAssocMeasures),
               4: (QuadgramCollocationFinder, QuadgramAssocMeasures)}
    finder_class, measures = finders[n]
    stop = set(toks.loc[toks["is_stop"].to_numpy(dtype=bool), "lower"].astype(object))

    def not_content(word: str) -> bool:
        return word in stop or word[:1].isdigit()

    finder = finder_class.from_documents(word_lists_nltk(toks))
    finder.apply_freq_filter(min_freq)
    finder.apply_ngram_filter(lambda *words: not_content(words[0]) or not_content(words[-1]))
    scored = finder.score_ngrams(getattr(measures, measure))[:top]
    rows = [(" ".join(g), n, finder.ngram_fd[g], score) for g, score in scored]
    table = pd.DataFrame(rows, columns=["ngram", "n", "count", "score"])
    table["rank"] = np.arange(1, len(table) + 1)
    return table


def assert_same_collocations(new: pd.DataFrame, reference: pd.DataFrame) -> None:
    """Same n-grams, counts and ranks; scores equal within 1e-9 relative."""
    assert new[["ngram", "n", "count", "rank"]].reset_index(drop=True).equals(
        reference[["ngram", "n", "count", "rank"]].reset_index(drop=True).astype(new[["ngram", "n", "count", "rank"]].dtypes))
    np.testing.assert_allclose(new["score"].to_numpy(float), reference["score"].to_numpy(float), rtol=1e-9, atol=0)


# ---------------------------------------------------------------------- corpora


@pytest.fixture(scope="module")
def project_corpus() -> pd.DataFrame:
    return load_corpus()


@pytest.fixture(scope="module")
def synthetic_corpus_table() -> pd.DataFrame:
    rows = [synthetic_corpus.document(i) for i in range(SYNTHETIC_DOCS)]
    return pd.DataFrame({"doc_id": [r["doc_id"] for r, _ in rows], "era": [r["era"] for r, _ in rows],
                         "text": [t.split("\n", 1)[1] for _, t in rows]})


@pytest.fixture(scope="module")
def project_tokens(project_corpus) -> pd.DataFrame:
    return V.with_metadata(T.tokens(project_corpus), project_corpus, ["era"])


@pytest.fixture(scope="module")
def synthetic_tokens(synthetic_corpus_table) -> pd.DataFrame:
    return V.with_metadata(T.tokens(synthetic_corpus_table), synthetic_corpus_table, ["era"])


@pytest.fixture(scope="module")
def project_parts(project_corpus, tmp_path_factory) -> Path:
    # small partitions, so that the project's texts fall into several
    size = int(scale.approximate_words(project_corpus["text"]).sum() // 3) + 1
    return scale.write_partitions(project_corpus, tmp_path_factory.mktemp("project") / "parts", size)


@pytest.fixture(scope="module")
def synthetic_parts(synthetic_corpus_table, tmp_path_factory) -> Path:
    chunks = [synthetic_corpus_table.iloc[i:i + 50] for i in range(0, len(synthetic_corpus_table), 50)]
    return scale.write_partitions(iter(chunks), tmp_path_factory.mktemp("synthetic") / "parts", 4000)


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


# ---------------------------------------------------------------------- collocations against NLTK


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("measure", ["likelihood_ratio", "pmi"])
def test_collocations_equal_nltk_on_the_project_corpus(project_tokens, n, measure):
    for min_freq in (1, 2, 3, 5):
        new = V.collocations(project_tokens, n=n, min_freq=min_freq, measure=measure, top=None)
        assert_same_collocations(new, collocations_nltk(project_tokens, n, min_freq, measure, None))
    assert len(V.collocations(project_tokens, n=n, min_freq=1, measure=measure, top=None)) > 0


@pytest.mark.parametrize("n", [2, 3, 4])
def test_collocations_equal_nltk_on_one_text_and_on_synthetic_text(project_tokens, synthetic_tokens, n):
    one_text = project_tokens[project_tokens["doc_id"] == project_tokens["doc_id"].iloc[0]]
    for toks in (one_text, synthetic_tokens):
        for measure in ("likelihood_ratio", "pmi"):
            new = V.collocations(toks, n=n, min_freq=2, measure=measure, top=None)
            assert len(new) > 0
            assert_same_collocations(new, collocations_nltk(toks, n, 2, measure, None))
            # the scores are NLTK's to the last bit, so the top 15 are the same too
            assert V.collocations(toks, n=n, min_freq=2, measure=measure)["score"].tolist() == \
                collocations_nltk(toks, n, 2, measure)["score"].tolist()


def test_collocations_work_on_categorical_token_columns(synthetic_tokens):
    categorical = synthetic_tokens.astype({c: "category" for c in ("doc_id", "token", "lower", "lemma")})
    for n in (2, 4):
        pd.testing.assert_frame_equal(V.collocations(categorical, n=n, min_freq=2, top=None),
                                      V.collocations(synthetic_tokens, n=n, min_freq=2, top=None))
    # the per-partition count tables too
    plain, coded = scale.counts_of_tokens(synthetic_tokens, by="era"), scale.counts_of_tokens(categorical, by="era")
    assert plain.terms.astype(object).equals(coded.terms.astype(object))
    assert (plain.counts != coded.counts).nnz == 0 and (plain.docs != coded.docs).nnz == 0
    pd.testing.assert_frame_equal(scale.score_ngram_counts(scale.ngram_counts_of_tokens(categorical, 3), 2, top=None),
                                  V.collocations(synthetic_tokens, n=3, min_freq=2, top=None))


def test_bigram_score_equals_a_hand_computed_likelihood_ratio():
    # two runs: "a b c" and "a b"; N = 5 words; bigram (a, b): n_ii = 2, n_ix = 2, n_xi = 2
    toks = pd.DataFrame({"doc_id": ["d"] * 6, "sent_id": [0, 0, 0, 1, 1, 1], "position": range(6),
                         "token": ["a", "b", "c", ".", "a", "b"], "lower": ["a", "b", "c", ".", "a", "b"],
                         "lemma": ["a", "b", "c", ".", "a", "b"], "is_word": [True, True, True, False, True, True],
                         "is_stop": False})
    table = V.collocations(toks, n=2, min_freq=2, top=None)
    obs = np.array([2, 0, 0, 3])                     # ab, (not a) b, a (not b), neither
    expected = np.array([2 * 2, 2 * 3, 3 * 2, 3 * 3]) / 5
    g2 = 2 * sum(o * np.log(o / e) for o, e in zip(obs, expected) if o > 0)
    assert table["ngram"].tolist() == ["a b"]
    assert table["count"].tolist() == [2]
    assert table["score"].iloc[0] == pytest.approx(g2, rel=1e-12)


# ---------------------------------------------------------------------- partitions


def test_write_partitions_never_splits_a_document(synthetic_corpus_table, synthetic_parts):
    paths = scale.read_partitions(synthetic_parts)
    assert len(paths) >= 4
    assert [p.name for p in paths] == [f"part-{i:05d}.parquet" for i in range(len(paths))]
    back = pd.concat([pd.read_parquet(p).assign(part=p.name) for p in paths], ignore_index=True)
    assert back["doc_id"].is_unique
    assert back["doc_id"].tolist() == synthetic_corpus_table["doc_id"].tolist()
    assert back["text"].tolist() == synthetic_corpus_table["text"].tolist()
    manifest = json.loads((synthetic_parts / scale.MANIFEST).read_text())
    assert [p["documents"] for p in manifest["partitions"]] == back.groupby("part", sort=True).size().tolist()
    # every partition but the last reaches the size, and none goes over it by more than its last document
    words = scale.approximate_words(back["text"])
    for name, part_words in pd.Series(words).groupby(back["part"]).agg(list).items():
        assert sum(part_words[:-1]) < 4000
        if name != paths[-1].name:
            assert sum(part_words) >= 4000


def test_bad_partitions_give_errors_naming_the_file(tmp_path, synthetic_corpus_table):
    with pytest.raises(PartitionError, match="no such folder"):
        scale.read_partitions(tmp_path / "nowhere")
    folder = scale.write_partitions(synthetic_corpus_table.head(20), tmp_path / "a", 500)
    first = scale.read_partitions(folder)[0]
    pd.read_parquet(first).drop(columns="text").to_parquet(first, index=False)
    with pytest.raises(PartitionError, match=rf"{first.name}.*lacks column\(s\) text"):
        scale.read_partitions(folder)
    folder = scale.write_partitions(synthetic_corpus_table.head(20), tmp_path / "b", 500)
    paths = scale.read_partitions(folder)
    doubled = pd.concat([pd.read_parquet(paths[2]), pd.read_parquet(paths[0]).head(1)])
    doubled.to_parquet(paths[2], index=False)
    with pytest.raises(PartitionError, match=rf"{paths[2].name}, row \d+: doc_id 'synthetic-00000' is also in "
                                             rf"{paths[0].name}, row 1"):
        scale.read_partitions(folder)
    (folder / paths[1].name).unlink()
    with pytest.raises(PartitionError, match=rf"{paths[1].name}: listed in manifest.json but missing"):
        scale.read_partitions(folder)
    with pytest.raises(PartitionError, match="not empty"):
        scale.write_partitions(synthetic_corpus_table.head(2), folder)
    with pytest.raises(PartitionError, match="given twice"):
        scale.write_partitions(pd.concat([synthetic_corpus_table.head(2)] * 2), tmp_path / "c")


def test_a_document_without_a_group_is_an_error_naming_file_and_row(tmp_path, synthetic_corpus_table):
    table = synthetic_corpus_table.head(6).copy()
    table.loc[4, "era"] = None
    folder = scale.write_partitions(table, tmp_path / "p", 10_000)
    with pytest.raises(PartitionError, match=r"part-00000.parquet, row 5 \(doc_id 'synthetic-00004'\): no value of 'era'"):
        scale.partitioned_counts(folder, by="era")


# ---------------------------------------------------------------------- the paths agree


def assert_same_counts(counts: scale.GroupCounts, toks: pd.DataFrame, by: str) -> None:
    reference = V.doc_term_counts(toks, unit="lemma", by=by)
    table = counts.doc_term_counts()
    assert table.rows.equals(reference.rows)
    assert table.terms.equals(reference.terms)
    assert (table.matrix != reference.matrix).nnz == 0
    assert table.term_totals().sum() == V.content_words(toks).shape[0]      # every content word counted once
    # document frequency against an independent count: documents using each lemma
    doc_freq = V.content_words(toks).groupby("lemma")["doc_id"].nunique()
    assert counts.doc_freq().equals(doc_freq.reindex(counts.terms).rename("doc_freq").astype(np.int64))
    assert counts.n_words.tolist() == V.word_totals(toks, by).reindex(counts.rows).tolist()


@pytest.mark.parametrize("which", ["project", "synthetic"])
def test_in_process_partitioned_counts_equal_the_whole_table(which, request):
    toks = request.getfixturevalue(f"{which}_tokens")
    folder = request.getfixturevalue(f"{which}_parts")
    assert len(scale.read_partitions(folder)) >= 3
    for by in ("era", "doc_id"):
        assert_same_counts(scale.partitioned_counts(folder, by=by), toks, by)
    keyness = scale.partitioned_keyness(folder, by="era", min_freq=3)
    pd.testing.assert_frame_equal(keyness, V.keyness_each_vs_rest(toks, by="era", min_freq=3), check_exact=True)
    # and keyness() of one era against the rest, its statistics as the whole-table function computes them
    era = sorted(toks["era"].unique())[0]
    single = V.keyness(toks[toks["era"] == era], toks[toks["era"] != era], min_freq=3)
    mine = keyness[keyness["target"] == era].drop(columns=["comparison", "target"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, single, check_exact=False, rtol=1e-12)
    for n in (2, 3, 4):
        pd.testing.assert_frame_equal(scale.partitioned_collocations(folder, n=n, min_freq=2, top=None),
                                      V.collocations(toks, n=n, min_freq=2, top=None), check_exact=True)


def test_counts_and_ngrams_in_one_pass_equal_the_separate_functions(synthetic_parts):
    counts, ngrams = scale.partitioned_counts_and_ngrams(synthetic_parts, by="era", n=3)
    separate = scale.partitioned_counts(synthetic_parts, by="era")
    assert (counts.counts != separate.counts).nnz == 0 and counts.terms.equals(separate.terms)
    pd.testing.assert_frame_equal(scale.score_ngram_counts(ngrams, min_freq=2, measure="pmi", top=None),
                                  scale.partitioned_collocations(synthetic_parts, n=3, min_freq=2, measure="pmi",
                                                                 top=None))


def test_local_cluster_gives_the_same_results_as_in_process(synthetic_parts, project_parts, cluster_client):
    for folder in (synthetic_parts, project_parts):
        here = scale.partitioned_counts_and_ngrams(folder, by="era", n=2, scheduler="sync")
        there = scale.partitioned_counts_and_ngrams(folder, by="era", n=2, scheduler=cluster_client)
        assert here[0].rows.equals(there[0].rows) and here[0].terms.equals(there[0].terms)
        assert (here[0].counts != there[0].counts).nnz == 0 and (here[0].docs != there[0].docs).nnz == 0
        assert here[0].n_words.tolist() == there[0].n_words.tolist()
        pd.testing.assert_frame_equal(scale.keyness_from_counts(here[0]), scale.keyness_from_counts(there[0]),
                                      check_exact=True)
        pd.testing.assert_frame_equal(scale.score_ngram_counts(here[1], top=None),
                                      scale.score_ngram_counts(there[1], top=None), check_exact=True)
    # a scheduler address works like a client
    address = cluster_client.scheduler.address
    pd.testing.assert_frame_equal(scale.partitioned_sentiment(synthetic_parts, scheduler=address),
                                  scale.partitioned_sentiment(synthetic_parts))


def test_partitioned_sentiment_equals_score_sentiment_row_for_row(synthetic_corpus_table, synthetic_parts):
    from analysis.sentiment import score_sentiment

    sents = T.sentences(synthetic_corpus_table)
    mine = scale.partitioned_sentiment(synthetic_parts, method="vader")
    assert mine[["doc_id", "sent_id"]].equals(sents[["doc_id", "sent_id"]])
    pd.testing.assert_frame_equal(mine.drop(columns=["doc_id", "sent_id"]), score_sentiment(sents["text"], "vader"))


def test_partitioned_annotation_equals_annotate_row_for_row(synthetic_corpus_table, tmp_path):
    from analysis.annotation import annotate

    tiny = synthetic_corpus_table.head(4)
    folder = scale.write_partitions(tiny, tmp_path / "tiny", 100)
    assert len(scale.read_partitions(folder)) >= 2
    mine = scale.partitioned_annotation(folder, cache=False)
    whole = annotate(T.sentences(tiny), cache=False).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, whole)


def test_bad_scheduler_is_refused(synthetic_parts):
    with pytest.raises(ValueError, match="scheduler must be"):
        scale.partitioned_counts(synthetic_parts, scheduler=42)


@pytest.mark.parametrize("n", [3, 4])
@pytest.mark.parametrize("n_words", [5_000, 10_000_000, 3_000_000_000])
def test_ngram_scores_equal_nltk_measures_on_large_corpora(n, n_words):
    # contingency tables drawn at random, turned into marginals by NLTK itself; N up to 3e9,
    # where the products of marginals pass 2^53 and must be divided as exact integers
    from nltk.metrics import QuadgramAssocMeasures, TrigramAssocMeasures

    measures = {3: TrigramAssocMeasures, 4: QuadgramAssocMeasures}[n]
    rng = np.random.default_rng(n_words + n)
    tables = rng.integers(0, 50, size=(200, 2 ** n))
    tables[:, 0] += 1                                     # the n-gram occurs
    tables[:, -1] = n_words - tables[:, :-1].sum(axis=1)
    marginals = [measures._marginals(*map(int, t)) for t in tables]
    positions = {3: [(0, 1), (0, 2), (1, 2)], 4: [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)]}[n]
    pairs = {3: [], 4: [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3), (1, 2)]}[n]
    marg = {p: np.array([m[1][k] for m in marginals]) for k, p in enumerate(positions)}
    if n == 4:
        marg.update({p: np.array([m[2][k] for m in marginals]) for k, p in enumerate(pairs)})
    marg.update({(k,): np.array([m[-2][k] for m in marginals]) for k in range(n)})
    count = np.array([m[0] for m in marginals])
    for measure in ("likelihood_ratio", "pmi"):
        mine = V.ngram_scores(n, measure, count, marg, n_words)
        theirs = [getattr(measures, measure)(*m) for m in marginals]
        assert mine.tolist() == theirs


# ---------------------------------------------------------------------- the reduce of n-gram tables


def random_ngram_counts(rng: np.random.Generator, vocabulary: list[str], n: int, rows: int,
                        repeat_rows: bool = False) -> scale.NgramCounts:
    """An NgramCounts of random word tuples (forms in random order, as the map step gives
    them); without ``repeat_rows`` each tuple once, as the map step makes them."""
    forms = np.array(rng.permutation(vocabulary), dtype=object)
    tables = {}
    for offsets in scale._patterns(n):
        codes = rng.integers(0, len(forms), size=(rows, len(offsets))).astype(np.int32)
        if not repeat_rows:
            codes = np.unique(codes, axis=0)
            codes = codes[rng.permutation(len(codes))]
        tables[offsets] = (codes, rng.integers(1, 1_000, size=len(codes)).astype(np.int64))
    return scale.NgramCounts(n, forms, tables, frozenset(rng.choice(forms, 2).tolist()))


def counter_of(parts: list[scale.NgramCounts], offsets: tuple[int, ...]) -> Counter:
    """The naive reference: a Counter of word tuples (strings) over all parts."""
    total: Counter = Counter()
    for part in parts:
        codes, counts = part.tables[offsets]
        for row, count in zip(codes.tolist(), counts.tolist()):
            total[tuple(part.forms[row].tolist())] += count
    return total


@pytest.mark.parametrize("n", [2, 3, 4])
def test_add_ngram_counts_equals_a_counter_of_word_tuples(n):
    rng = np.random.default_rng(n)
    shared = [f"w{i}" for i in range(40)]
    vocabularies = [shared[:30], shared[10:], ["x", "y", "z"], ["đ", "ả", "w1"]]   # overlapping and disjoint
    parts = [random_ngram_counts(rng, vocab, n, rows) for vocab, rows in zip(vocabularies, (300, 500, 20, 7))]
    parts.append(random_ngram_counts(rng, shared[:5], n, 50, repeat_rows=True))      # a table repeating rows
    for group in ([parts[0], parts[1]], [parts[0], parts[2]], parts[:1], parts):
        reduced = scale.add_ngram_counts(*group)
        assert reduced.n == n
        assert reduced.forms.tolist() == sorted(set().union(*(p.forms.tolist() for p in group)))
        assert reduced.stop == frozenset().union(*(p.stop for p in group))
        assert list(reduced.tables) == list(group[0].tables)
        for offsets, (codes, counts) in reduced.tables.items():
            assert codes.dtype == np.int32 and counts.dtype == np.int64 and codes.shape[1] == len(offsets)
            mine = Counter({tuple(reduced.forms[row].tolist()): c for row, c in zip(codes.tolist(), counts.tolist())})
            assert len(mine) == len(codes)                                   # each tuple once
            assert mine == counter_of(group, offsets)
    # adding in a tree gives the same table as adding all at once, and the same collocations
    tree = scale.add_ngram_counts(scale.add_ngram_counts(parts[0], parts[1]), scale.add_ngram_counts(*parts[2:]))
    flat = scale.add_ngram_counts(*parts)
    assert tree.forms.tolist() == flat.forms.tolist()
    for offsets in flat.tables:
        np.testing.assert_array_equal(tree.tables[offsets][0], flat.tables[offsets][0])
        np.testing.assert_array_equal(tree.tables[offsets][1], flat.tables[offsets][1])


def test_add_ngram_counts_of_empty_tables():
    empty = scale.NgramCounts(2, np.array([], dtype=object), {(0, 1): (np.zeros((0, 2), np.int32), np.zeros(0, np.int64)),
                                                             (0,): (np.zeros((0, 1), np.int32), np.zeros(0, np.int64))},
                              frozenset())
    other = random_ngram_counts(np.random.default_rng(0), ["a", "b", "c"], 2, 4)
    reduced = scale.add_ngram_counts(empty, other)
    for offsets in other.tables:
        assert counter_of([reduced], offsets) == counter_of([other], offsets)
    assert len(scale.add_ngram_counts(empty, empty).tables[(0, 1)][0]) == 0
