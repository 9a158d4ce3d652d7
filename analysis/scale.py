"""Corpora past one machine: the corpus as partitions, and the measures as a map over
them followed by a reduce, on Dask.

A *partitioned corpus* is a folder of Parquet files ``part-00000.parquet``,
``part-00001.parquet`` ... with one document per row (the columns of a corpus table:
``doc_id``, ``text`` and any document-level metadata such as ``era``) and a small
``manifest.json`` listing them. A document is never split across partitions, so every
per-document step (:func:`analysis.tokens.sentences`, :func:`analysis.tokens.tokens`,
the annotation layer, :func:`analysis.sentiment.score_sentiment`) runs on one partition
at a time, and corpus-wide counts are sums of per-partition count tables.

One API for every size: each function here takes ``scheduler``, which is

- ``None`` or ``"sync"``: in this process, one partition after the other (Dask's
  synchronous scheduler);
- ``"threads"`` or ``"processes"``: Dask's local schedulers;
- a ``distributed.Client`` (a ``LocalCluster`` here, any cluster in production), or the
  address of a Dask scheduler (``"tcp://host:8786"``), to which a client is opened for
  the call.

The same task graph runs on each, so the results are the same, count for count (the
tests compare them). The client only receives reduced tables (counts per group and
term, n-gram counts), never a token table, so the memory of each process is bounded by
one partition's tokens plus the reduced tables.

Count tables are keyed by the term strings, not by per-partition codes, so partitions
with different vocabularies add up correctly: two tables are added by taking the union
of their (sorted) terms and of their rows.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from . import vocabulary as V
from .checks import require_columns
from .tokens import sentences, tokens

MANIFEST = "manifest.json"
PARTITION_NAME = "part-{:05d}.parquet"
REQUIRED_COLUMNS = ("doc_id", "text")
WORDS_PER_PARTITION = 1_000_000


class PartitionError(ValueError):
    """A partitioned corpus that cannot be read as one: the message names the file."""


# ---------------------------------------------------------------------- writing and reading


def approximate_words(texts: pd.Series) -> np.ndarray:
    """Words of each text counted as runs of non-space characters (a cheap stand-in for
    the tokenizer, used only to size partitions)."""
    return texts.str.count(r"\S+").to_numpy(dtype=np.int64)


class PartitionWriter:
    """Writes a corpus table, given in one piece or in chunks of whole documents, as
    Parquet partitions of about ``words_per_partition`` words each (a partition is closed
    once it reaches that size, so it holds at least one document and never part of
    one). Use as a context manager, or call :meth:`close`, which writes the manifest."""

    def __init__(self, folder: str | Path, words_per_partition: int = WORDS_PER_PARTITION):
        if words_per_partition < 1:
            raise ValueError(f"words_per_partition must be at least 1, not {words_per_partition}.")
        self.folder = Path(folder)
        if self.folder.exists() and any(self.folder.iterdir()):
            raise PartitionError(f"{self.folder}: the folder is not empty. Write partitions to a new folder.")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.words_per_partition = words_per_partition
        self.pending: list[pd.DataFrame] = []
        self.pending_words = 0
        self.parts: list[dict] = []
        self.seen: set = set()

    def add(self, table: pd.DataFrame) -> None:
        """Append the documents of ``table`` (doc_id, text, any metadata), in order."""
        require_columns(table, REQUIRED_COLUMNS, "PartitionWriter.add", "analysis.load_corpus()")
        duplicated = table["doc_id"][table["doc_id"].duplicated() | table["doc_id"].isin(self.seen)]
        if len(duplicated):
            raise PartitionError(f"{self.folder}: doc_id {duplicated.iloc[0]!r} is given twice; "
                                 "each document must be written once.")
        self.seen.update(table["doc_id"])
        start, filled = 0, self.pending_words
        for end, words in enumerate(approximate_words(table["text"]).tolist(), start=1):
            filled += words
            if filled >= self.words_per_partition:
                self.pending.append(table.iloc[start:end])
                self.pending_words = filled
                self._flush()
                start, filled = end, 0
        if start < len(table):
            self.pending.append(table.iloc[start:])
        self.pending_words = filled

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.pending:
            return
        part = pd.concat(self.pending, ignore_index=True)
        name = PARTITION_NAME.format(len(self.parts))
        pq.write_table(pa.Table.from_pandas(part, preserve_index=False), self.folder / name)
        self.parts.append({"file": name, "documents": len(part), "words": self.pending_words,
                           "first_doc_id": str(part["doc_id"].iloc[0]), "last_doc_id": str(part["doc_id"].iloc[-1])})
        self.pending, self.pending_words = [], 0

    def close(self) -> Path:
        """Write the last partition and the manifest; return the folder."""
        self._flush()
        manifest = {"format": "one document per row, never split across partitions",
                    "partitions": self.parts,
                    "documents": sum(p["documents"] for p in self.parts),
                    "words": sum(p["words"] for p in self.parts)}
        (self.folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        return self.folder

    def __enter__(self) -> PartitionWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()


def write_partitions(corpus: pd.DataFrame | Iterable[pd.DataFrame], folder: str | Path,
                     words_per_partition: int = WORDS_PER_PARTITION) -> Path:
    """Write ``corpus`` (a corpus table such as ``load_corpus()``, or an iterable of such
    tables, so that a large corpus can be streamed) to ``folder`` (new or empty) as Parquet
    partitions ``part-00000.parquet``, ... of about ``words_per_partition`` words (counted
    as runs of non-space characters), documents in the given order, and a
    ``manifest.json``. Returns the folder."""
    chunks = [corpus] if isinstance(corpus, pd.DataFrame) else corpus
    with PartitionWriter(folder, words_per_partition) as writer:
        for chunk in chunks:
            writer.add(chunk)
    return Path(folder)


def _schema_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as err:   # pyarrow raises several kinds for a file that is not Parquet
        raise PartitionError(f"{path}: not a readable Parquet file ({err}).") from err


def read_partitions(folder: str | Path) -> list[Path]:
    """The partition files of the partitioned corpus at ``folder``, checked: the folder
    exists, every file of its manifest (or, without a manifest, every
    ``part-*.parquet``) exists and has the columns doc_id and text, and no doc_id is in
    two rows (of one file or of two). Only the doc_id columns are read."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    if not folder.is_dir():
        raise PartitionError(f"{folder}: no such folder. Write one with analysis.scale.write_partitions(corpus, folder).")
    manifest = folder / MANIFEST
    if manifest.exists():
        try:
            names = [p["file"] for p in json.loads(manifest.read_text(encoding="utf-8"))["partitions"]]
        except (ValueError, KeyError, TypeError) as err:
            raise PartitionError(f"{manifest}: not a manifest written by write_partitions ({err}).") from err
        paths = [folder / name for name in names]
    else:
        paths = sorted(folder.glob("part-*.parquet"))
    if not paths:
        raise PartitionError(f"{folder}: no partition files (part-*.parquet). Write them with write_partitions.")
    owner: dict = {}
    for path in paths:
        if not path.exists():
            raise PartitionError(f"{path}: listed in {manifest.name} but missing. Rewrite the partitions.")
        missing = [c for c in REQUIRED_COLUMNS if c not in _schema_columns(path)]
        if missing:
            raise PartitionError(f"{path}: lacks column(s) {', '.join(missing)}; each row must be one document "
                                 "with doc_id and text.")
        doc_ids = pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
        for row, doc_id in enumerate(doc_ids):
            if doc_id in owner:
                first, first_row = owner[doc_id]
                raise PartitionError(f"{path}, row {row + 1}: doc_id {doc_id!r} is also in {first}, row {first_row + 1}. "
                                     "A document must be in one row of one partition.")
            owner[doc_id] = (path.name, row)
    return paths


def read_partition(path: str | Path) -> pd.DataFrame:
    """One partition as a corpus table."""
    return pd.read_parquet(path)


def partition_tokens(path: str | Path, columns: Iterable[str] = (), stoplist: str = "wordcloud") -> pd.DataFrame:
    """The tokens table (:func:`analysis.tokens.tokens`) of one partition, with the
    document-level ``columns`` of the partition added; a document without a value of one
    of them is an error naming the file and row."""
    corpus = read_partition(path)
    columns = [c for c in columns if c != "doc_id"]
    missing = [c for c in columns if c not in corpus.columns]
    if missing:
        raise PartitionError(f"{path}: lacks column(s) {', '.join(missing)}.")
    for col in columns:
        empty = np.flatnonzero(corpus[col].isna().to_numpy())
        if len(empty):
            raise PartitionError(f"{path}, row {empty[0] + 1} (doc_id {corpus['doc_id'].iloc[empty[0]]!r}): "
                                 f"no value of {col!r}. Give every document one.")
    toks = tokens(corpus, stoplist=stoplist)
    for col in columns:
        toks[col] = toks["doc_id"].map(corpus.set_index("doc_id")[col]).to_numpy()
    return toks


# ---------------------------------------------------------------------- running a graph


def compute(tasks: list, scheduler=None) -> list:
    """Compute the ``dask.delayed`` objects ``tasks`` on ``scheduler`` (see the module
    docstring) and return their values."""
    import dask

    if scheduler is None or scheduler in ("sync", "synchronous"):
        return list(dask.compute(*tasks, scheduler="sync"))
    if scheduler in ("threads", "processes"):
        return list(dask.compute(*tasks, scheduler=scheduler))
    if isinstance(scheduler, str):
        from distributed import Client

        with Client(scheduler) as client:
            return list(dask.compute(*tasks, scheduler=client))
    if hasattr(scheduler, "get") and hasattr(scheduler, "submit"):
        return list(dask.compute(*tasks, scheduler=scheduler))
    raise ValueError(f"scheduler must be None, 'sync', 'threads', 'processes', a distributed.Client or a "
                     f"scheduler address such as 'tcp://host:8786', not {scheduler!r}.")


def tree_reduce(items: list, combine, arity: int = 2):
    """``combine`` applied to neighbours, level by level, until one item is left: a
    balanced tree of delayed calls, whose depth grows with log(len(items)). The order of
    the items is kept (left before right)."""
    import dask

    if not items:
        raise ValueError("tree_reduce: nothing to reduce.")
    step = dask.delayed(combine, pure=True)
    while len(items) > 1:
        items = [step(*items[i:i + arity]) if len(items[i:i + arity]) > 1 else items[i]
                 for i in range(0, len(items), arity)]
    return items[0]


# ---------------------------------------------------------------------- counts


@dataclass(frozen=True)
class GroupCounts:
    """Counts of terms per group of documents, reduced over partitions.

    ``counts`` and ``docs`` are ``scipy.sparse`` CSR matrices (rows x terms, int64): how
    often each term occurs in each group, and in how many of the group's documents.
    ``rows`` are the groups in order of first appearance, ``terms`` sorted;
    ``n_words`` (all words, stopwords included) and ``n_docs`` are per row."""

    by: str
    unit: str
    rows: pd.Index
    terms: pd.Index
    counts: sparse.csr_matrix
    docs: sparse.csr_matrix
    n_words: np.ndarray
    n_docs: np.ndarray

    def doc_term_counts(self) -> V.DocTermCounts:
        """The table :func:`analysis.vocabulary.doc_term_counts` gives for ``by``."""
        return V.DocTermCounts(self.counts, pd.Index(self.rows, name=self.by), pd.Index(self.terms, name="term"))

    def doc_freq(self) -> pd.Series:
        """In how many documents each term occurs (over all groups)."""
        return pd.Series(np.asarray(self.docs.sum(axis=0)).ravel().astype(np.int64), index=self.terms, name="doc_freq")


def _membership(groups: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """The groups x documents 0/1 matrix of ``groups`` (one group code per document)."""
    return sparse.csr_matrix((np.ones(len(groups), dtype=np.int64), (groups, np.arange(len(groups)))),
                             shape=(n_groups, len(groups)))


def counts_of_tokens(toks: pd.DataFrame, unit: str = "lemma", by: str = "doc_id", words: str = "content") -> GroupCounts:
    """The :class:`GroupCounts` of one tokens table (``by`` must be constant within a
    document): counts from :func:`analysis.vocabulary.doc_term_counts` per document,
    added up per group."""
    per_doc = V.doc_term_counts(toks, unit=unit, by="doc_id", words=words)
    group_of = toks.groupby("doc_id", sort=False)[by].agg(["first", "nunique"])
    if (group_of["nunique"] > 1).any():
        doc = group_of.index[group_of["nunique"] > 1][0]
        raise ValueError(f"counts_of_tokens: document {doc!r} has more than one value of {by!r}; "
                         "group by a document-level column.")
    codes, rows = pd.factorize(group_of["first"].reindex(per_doc.rows).to_numpy(), sort=False)
    member = _membership(codes, len(rows))
    present = per_doc.matrix.copy()
    present.data = np.ones_like(present.data)
    is_word = toks["is_word"].to_numpy(dtype=bool)
    word_rows = pd.Index(rows).get_indexer(toks[by].to_numpy()[is_word])
    return GroupCounts(by, unit, pd.Index(rows, name=by), per_doc.terms,
                       (member @ per_doc.matrix).tocsr(), (member @ present).tocsr(),
                       np.bincount(word_rows, minlength=len(rows)).astype(np.int64),
                       np.bincount(codes, minlength=len(rows)).astype(np.int64))


def _widen(matrix: sparse.csr_matrix, row_at: np.ndarray, col_at: np.ndarray, shape: tuple) -> sparse.csr_matrix:
    """``matrix`` with its rows and columns moved to ``row_at`` and ``col_at`` of a
    larger ``shape``."""
    coo = matrix.tocoo()
    return sparse.csr_matrix((coo.data, (row_at[coo.row], col_at[coo.col])), shape=shape)


def add_counts(*tables: GroupCounts) -> GroupCounts:
    """The sum of :class:`GroupCounts` tables: terms are the sorted union, rows the union
    in order of first appearance (the first table's rows first)."""
    first = tables[0]
    terms = first.terms
    rows = first.rows
    for t in tables[1:]:
        terms = terms.union(t.terms, sort=None) if len(t.terms) else terms
        rows = rows.append(t.rows[~t.rows.isin(rows)])
    terms = pd.Index(np.sort(np.asarray(terms, dtype=object)), name="term")
    shape = (len(rows), len(terms))
    out = {"counts": sparse.csr_matrix(shape, dtype=np.int64), "docs": sparse.csr_matrix(shape, dtype=np.int64)}
    n_words, n_docs = np.zeros(len(rows), np.int64), np.zeros(len(rows), np.int64)
    for t in tables:
        row_at, col_at = rows.get_indexer(t.rows), terms.get_indexer(t.terms)
        for name in out:
            out[name] = out[name] + _widen(getattr(t, name), row_at, col_at, shape)
        np.add.at(n_words, row_at, t.n_words)
        np.add.at(n_docs, row_at, t.n_docs)
    for m in out.values():
        m.sum_duplicates()
        m.sort_indices()
    return GroupCounts(first.by, first.unit, pd.Index(rows, name=first.by), terms,
                       out["counts"], out["docs"], n_words, n_docs)


def partition_counts(path: str | Path, unit: str = "lemma", by: str = "doc_id", words: str = "content",
                     stoplist: str = "wordcloud") -> GroupCounts:
    """The :class:`GroupCounts` of one partition file."""
    return counts_of_tokens(partition_tokens(path, (by,), stoplist), unit=unit, by=by, words=words)


def partitioned_counts(folder: str | Path, unit: str = "lemma", by: str = "doc_id", words: str = "content",
                       scheduler=None, stoplist: str = "wordcloud") -> GroupCounts:
    """Counts of each ``unit`` value per value of the document-level column ``by`` over
    the partitioned corpus at ``folder``, with document frequencies and word totals:
    tokens and counts per partition (map), added up in a tree (reduce), on
    ``scheduler``. Equal to :func:`analysis.vocabulary.doc_term_counts` of the tokens of
    the whole corpus (see :meth:`GroupCounts.doc_term_counts`)."""
    import dask

    paths = read_partitions(folder)
    task = dask.delayed(partition_counts, pure=True)
    return compute([tree_reduce([task(str(p), unit, by, words, stoplist) for p in paths], add_counts)], scheduler)[0]


# ---------------------------------------------------------------------- keyness


def keyness_from_counts(counts: GroupCounts, min_freq: int = 5, p_adjust: str = "fdr_bh", alpha: float = 0.05,
                        comparison: str | None = None) -> pd.DataFrame:
    """Keyness of each group (sorted) against all the others, from reduced counts: the
    table :func:`analysis.vocabulary.keyness_each_vs_rest` gives for the tokens of the
    whole corpus (same columns, rows and numbers), built by the same
    :func:`analysis.vocabulary.keyness_rows` (G², Dunning 1993; log ratio, Hardie 2014;
    p-values adjusted over the tested terms of each target). Tested terms: corpus count
    at least ``min_freq``."""
    V.check_keyness_options(min_freq, alpha)
    if len(counts.rows) < 2:
        raise ValueError(f"keyness: need at least two values of {counts.by!r}, found {list(counts.rows)}.")
    groups = sorted(counts.rows)
    at = counts.rows.get_indexer(groups)
    words_in = counts.n_words[at].astype(np.int64)
    all_words = int(counts.n_words.sum())
    if ((words_in == 0) | (all_words - words_in == 0)).any():
        raise ValueError("keyness: the target or the reference has no words.")
    totals = np.asarray(counts.counts.sum(axis=0)).ravel().astype(np.int64)
    tested = np.flatnonzero(totals >= min_freq)
    group_counts, group_docs = counts.counts[at][:, tested].tocsr(), counts.docs[at][:, tested].tocsr()
    total_docs = np.asarray(group_docs.sum(axis=0)).ravel().astype(np.int64)
    return V.keyness_rows(groups, counts.terms[tested], group_counts, group_docs, totals[tested], total_docs,
                          words_in, all_words, p_adjust, alpha, comparison or f"{counts.by} vs rest")


def partitioned_keyness(folder: str | Path, by: str, unit: str = "lemma", scheduler=None, **options) -> pd.DataFrame:
    """:func:`keyness_from_counts` of :func:`partitioned_counts` by ``by``."""
    return keyness_from_counts(partitioned_counts(folder, unit=unit, by=by, scheduler=scheduler), **options)


# ---------------------------------------------------------------------- collocations


@dataclass(frozen=True)
class NgramCounts:
    """N-gram count tables of a part of a corpus, keyed by the words themselves.

    ``forms`` are the distinct word forms (strings); ``tables`` maps a word pattern
    (offsets, as in :data:`analysis.vocabulary._MARGINALS` less their first offset; (0,)
    are the single words) to a pair (codes, counts): an (entries x len(pattern)) int32
    array of positions in ``forms`` and the int64 count of each entry. The full pattern
    (0, ..., n-1) holds only the n-grams that may be collocations (content words at both
    ends). ``stop`` are the forms flagged as stopwords. Codes, not strings, so that a
    table of millions of n-grams takes 4 bytes a word. A sum of tables
    (:func:`add_ngram_counts`) has its forms sorted and the rows of each table in the
    order of their word tuples; a partition's table (:func:`ngram_counts_of_tokens`)
    keeps the forms in order of first appearance."""

    n: int
    forms: np.ndarray
    tables: dict
    stop: frozenset


def _patterns(n: int) -> list[tuple[int, ...]]:
    """The word patterns whose counts the n-gram scores need, the n-gram itself first."""
    rel = {tuple(q - p[0] for q in p) for p in V._MARGINALS[n]}
    return [tuple(range(n))] + sorted(rel)


def _pattern_table(codes: np.ndarray, run: np.ndarray, offsets: tuple[int, ...], keep_word=None):
    """The distinct word tuples of pattern ``offsets`` (as code rows) and their counts;
    with ``keep_word``, only tuples whose first and last words it marks."""
    starts, keys = V._pattern_keys(codes, run, offsets)
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    rows = np.stack([codes[starts[first] + k] for k in offsets], axis=1).astype(np.int32)
    if keep_word is not None:
        keep = keep_word[rows[:, 0]] & keep_word[rows[:, -1]]
        rows, counts = rows[keep], counts[keep]
    return rows, counts.astype(np.int64)


def ngram_counts_of_tokens(toks: pd.DataFrame, n: int) -> NgramCounts:
    """The :class:`NgramCounts` of one tokens table (word runs as in
    :func:`analysis.vocabulary.collocations`)."""
    codes, run, vocabulary = V._word_runs(toks)
    stop = V.stop_forms(toks)
    content = ~V.not_content_forms(vocabulary, stop)
    tables = {offsets: _pattern_table(codes, run, offsets, content if len(offsets) == n else None)
              for offsets in _patterns(n)}
    return NgramCounts(n, vocabulary, tables, frozenset(stop))


def _row_keys(codes: np.ndarray, radix: int, out: np.ndarray | None = None) -> np.ndarray:
    """One int64 key per row of an (entries x k) code array: the codes as digits of a
    number in base ``radix`` (so keys sort as the rows do, column by column), written
    into ``out`` if given (computed in place: one int64 array, no temporaries)."""
    radix = max(radix, 1)
    if radix ** max(codes.shape[1], 1) >= 2 ** 63:
        raise ValueError(f"partitioned collocations: {radix:,} distinct forms are too many for n-grams of "
                         f"{codes.shape[1]} words in 64-bit keys; use a smaller n or the in-process collocations().")
    keys = np.zeros(len(codes), dtype=np.int64) if out is None else out
    keys[:] = 0
    for k in range(codes.shape[1]):
        keys *= radix
        keys += codes[:, k]
    return keys


def _union_forms(parts: tuple[NgramCounts, ...]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The union of the parts' forms, sorted (code-point order), and for each part the
    int32 position of each of its forms in the union."""
    forms = np.sort(pd.unique(np.concatenate([np.asarray(p.forms, dtype=object) for p in parts])))
    index = pd.Index(forms)
    return forms, [index.get_indexer(p.forms).astype(np.int32) for p in parts]


def _distinct_keys(tables: list[tuple[np.ndarray, np.ndarray]], recode: list[np.ndarray], radix: int) -> np.ndarray:
    """The sorted distinct keys (:func:`_row_keys` in base ``radix``) of the recoded rows
    of all ``tables``: one int64 array of all their rows, sorted in place (NumPy's
    stable sort, a merge of already sorted runs) and thinned to its first of each key."""
    keys = np.empty(sum(len(codes) for codes, _ in tables), dtype=np.int64)
    start = 0
    for (codes, _), positions in zip(tables, recode):
        _row_keys(_recoded(codes, positions), radix, out=keys[start:start + len(codes)])
        start += len(codes)
    keys.sort(kind="stable")
    if len(keys) < 2:
        return keys
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return keys[first]


def _recoded(codes: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The code rows ``codes`` (int32) translated by ``positions`` (old code -> new code)."""
    return positions[codes]


def _merge_tables(tables: list[tuple[np.ndarray, np.ndarray]], recode: list[np.ndarray], radix: int,
                  width: int) -> tuple[np.ndarray, np.ndarray]:
    """The sum of n-gram tables (code rows, counts) whose codes ``recode`` translates into
    one list of forms of size ``radix``: the distinct rows in key order (int32) and the
    int64 sum of their counts. Memory: the sorted keys of all rows (8 bytes a row) while
    the distinct keys are found, then the output and one input table's keys and
    positions at a time; no hash table and no float64 weights."""
    distinct = _distinct_keys(tables, recode, radix)
    counts = np.zeros(len(distinct), dtype=np.int64)
    rows = np.empty((len(distinct), width), dtype=np.int32)
    for (codes, part_counts), positions in zip(tables, recode):
        recoded = _recoded(codes, positions)
        at = np.searchsorted(distinct, _row_keys(recoded, radix))
        np.add.at(counts, at, part_counts)            # add.at, not +=: a table may repeat a row
        rows[at] = recoded
        del recoded, at
    return rows, counts


def add_ngram_counts(*parts: NgramCounts) -> NgramCounts:
    """The sum of :class:`NgramCounts` tables: forms are the sorted union, and the counts
    of equal word tuples are added (rows of each table in the order of their word
    tuples). A sort-based merge (:func:`_merge_tables`), so that the reduce of large
    tables holds little more than its inputs and its output."""
    forms, recode = _union_forms(parts)
    tables = {offsets: _merge_tables([p.tables[offsets] for p in parts], recode, len(forms), len(offsets))
              for offsets in parts[0].tables}
    return NgramCounts(parts[0].n, forms, tables, frozenset().union(*(p.stop for p in parts)))


def score_ngram_counts(reduced: NgramCounts, min_freq: int = 3, measure: str = "likelihood_ratio",
                       top: int | None = 15) -> pd.DataFrame:
    """The collocations table of :func:`analysis.vocabulary.collocations` from reduced
    n-gram counts: candidates seen at least ``min_freq`` times, their marginals looked up
    in the pattern tables, scored by :func:`analysis.vocabulary.ngram_scores`."""
    n = reduced.n
    V._check_collocation_options(n, measure, min_freq)
    radix = len(reduced.forms)
    # a form is a stopword if it is one anywhere (as in collocations()): filter again with all partitions' stopwords
    content = ~V.not_content_forms(reduced.forms, set(reduced.stop))
    codes, count = reduced.tables[tuple(range(n))]
    keep = (count >= min_freq) & content[codes[:, 0]] & content[codes[:, -1]]
    codes, count = codes[keep].astype(np.int64), count[keep]
    marg = {}
    for p in V._MARGINALS[n]:
        table_codes, table_counts = reduced.tables[tuple(q - p[0] for q in p)]
        keys = _row_keys(table_codes.astype(np.int64), radix)
        order = np.argsort(keys)
        at = np.searchsorted(keys[order], _row_keys(codes[:, list(p)], radix))
        marg[p] = table_counts[order][at]
    n_words = int(reduced.tables[(0,)][1].sum())
    score = V.ngram_scores(n, measure, count, marg, n_words)
    return V.rank_collocations(codes, reduced.forms, n, count, score, top)


def partition_ngram_counts(path: str | Path, n: int, stoplist: str = "wordcloud") -> NgramCounts:
    """The :class:`NgramCounts` of one partition file."""
    return ngram_counts_of_tokens(partition_tokens(path, (), stoplist), n)


def partitioned_collocations(folder: str | Path, n: int = 2, min_freq: int = 3, measure: str = "likelihood_ratio",
                             top: int | None = 15, scheduler=None, stoplist: str = "wordcloud") -> pd.DataFrame:
    """:func:`analysis.vocabulary.collocations` of the partitioned corpus at ``folder``:
    n-gram tables per partition (map), added up in a tree (reduce), scored once."""
    import dask

    V._check_collocation_options(n, measure, min_freq)
    paths = read_partitions(folder)
    task = dask.delayed(partition_ngram_counts, pure=True)
    reduced = compute([tree_reduce([task(str(p), n, stoplist) for p in paths], add_ngram_counts)], scheduler)[0]
    return score_ngram_counts(reduced, min_freq, measure, top)


# ---------------------------------------------------------------------- per-document layers


def partition_sentiment(path: str | Path, method: str = "vader") -> pd.DataFrame:
    """:func:`analysis.sentiment.score_sentiment` of the sentences of one partition, with
    doc_id and sent_id in front."""
    from .sentiment import score_sentiment

    sents = sentences(read_partition(path))
    scored = score_sentiment(sents["text"], method=method)
    return pd.concat([sents[["doc_id", "sent_id"]].reset_index(drop=True), scored], axis=1)


def partitioned_sentiment(folder: str | Path, method: str = "vader", scheduler=None) -> pd.DataFrame:
    """Sentence sentiment of the partitioned corpus at ``folder``: doc_id, sent_id, then
    the columns of :func:`analysis.sentiment.score_sentiment`, one row per sentence in
    corpus order (partition by partition)."""
    import dask

    task = dask.delayed(partition_sentiment, pure=True)
    parts = compute([task(str(p), method) for p in read_partitions(folder)], scheduler)
    return pd.concat(parts, ignore_index=True)


def partition_annotation(path: str | Path, cache: bool = False) -> pd.DataFrame:
    """The annotated tokens (:func:`analysis.annotation.annotate`) of one partition."""
    from .annotation import annotate

    return annotate(sentences(read_partition(path)), cache=cache).reset_index(drop=True)


def partitioned_annotation(folder: str | Path, scheduler=None, cache: bool = False) -> pd.DataFrame:
    """The annotated tokens table of the partitioned corpus at ``folder``, partition by
    partition (each process loads the spaCy pipeline once)."""
    import dask

    task = dask.delayed(partition_annotation, pure=True)
    parts = compute([task(str(p), cache) for p in read_partitions(folder)], scheduler)
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------- counts and n-grams in one pass


def partition_counts_and_ngrams(path: str | Path, unit: str = "lemma", by: str = "doc_id", n: int = 2,
                                stoplist: str = "wordcloud") -> tuple[GroupCounts, NgramCounts]:
    """:func:`partition_counts` and :func:`partition_ngram_counts` of one partition from
    one tokens table (the partition is tokenized once)."""
    toks = partition_tokens(path, (by,), stoplist)
    return counts_of_tokens(toks, unit=unit, by=by), ngram_counts_of_tokens(toks, n)


def _add_pairs(*pairs: tuple[GroupCounts, NgramCounts]) -> tuple[GroupCounts, NgramCounts]:
    """:func:`add_counts` and :func:`add_ngram_counts` of (counts, n-grams) pairs."""
    return add_counts(*(p[0] for p in pairs)), add_ngram_counts(*(p[1] for p in pairs))


def partitioned_counts_and_ngrams(folder: str | Path, unit: str = "lemma", by: str = "doc_id", n: int = 2,
                                  scheduler=None, stoplist: str = "wordcloud") -> tuple[GroupCounts, NgramCounts]:
    """:func:`partitioned_counts` and the reduced n-gram counts of
    :func:`partitioned_collocations` (score them with :func:`score_ngram_counts`), with
    each partition tokenized once."""
    import dask

    V._check_collocation_options(n, "pmi", 1)
    paths = read_partitions(folder)
    task = dask.delayed(partition_counts_and_ngrams, pure=True)
    return compute([tree_reduce([task(str(p), unit, by, n, stoplist) for p in paths], _add_pairs)], scheduler)[0]
