"""Vocabulary measures: frequencies, keyness, collocations, keyword in context,
dispersion and lexical diversity.

Every function takes the tidy tokens table of :func:`analysis.tokens` (doc_id, sent_id,
position, token, lower, lemma, is_word, is_stop; extra columns such as ``era`` are kept)
and returns a tidy table. Nothing here reads or writes files.

Counting units, stated once:

- a **word** is a token with ``is_word`` true (words, numbers and document codes; not
  punctuation or clitics such as "’s"). Texts are measured in words: "per 1,000 words"
  and the corpus sizes of keyness count every word, stopwords included;
- a **content word** (:func:`content_words`) is a word that is not a stopword and does not
  start with a digit (numbers such as "2021", ordinals such as "13th" and document codes
  such as "89-QĐ/TW" are left out; the pieces "ca" + "n't" of contractions are stopwords
  already, see :func:`analysis.tokens.tokens`).
  Frequencies, keyness and clouds count the *lemmas* of content words. Hyphenated words
  are single tokens: "self-evolution" is one term, never a collocation.

Per-document measures count once: :func:`doc_term_counts` builds one document x term
table (a ``scipy.sparse`` matrix) in a single pass over the tokens, and keyness of each
text against the rest, term rates, the text-level contrast and DP take rows and columns
of it (a text's reference is the column totals minus its row), so their cost grows
with the corpus, not with the corpus times the number of texts. KWIC matches each
distinct form once and cuts contexts at document boundaries, without a loop over the
documents.
"""
from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .checks import require_columns

TOKEN_COLUMNS = ("doc_id", "sent_id", "position", "token", "lower", "lemma", "is_word", "is_stop")
P_ADJUST_METHODS = ("fdr_bh", "holm")
KEYNESS_COLUMNS = ["term", "count_target", "count_reference", "total_target", "total_reference",
                   "g2", "p_adjusted", "log_ratio", "p_value", "significant", "n_docs_target", "n_docs_reference"]


# ---------------------------------------------------------------------- counting units


def content_words(toks: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``toks`` that are content words. On an annotated table
    (:func:`analysis.annotation.annotate`) that is its ``is_content`` column: nouns,
    verbs, adjectives and adverbs, not stopwords, numbers, names or parts of fixed
    connectives. On a plain tokens table: ``is_word``, not ``is_stop`` and not starting
    with a digit (numbers, ordinals and document codes are excluded)."""
    return toks[_content_mask(toks)]


def _content_mask(toks: pd.DataFrame) -> pd.Series:
    """The boolean row mask of :func:`content_words`."""
    if "is_content" in toks.columns:
        return toks["is_content"].astype(bool)
    require_columns(toks, ("is_word", "is_stop", "lower"), "content_words")
    return toks["is_word"] & ~toks["is_stop"] & ~toks["lower"].str.match(r"\d")


def with_metadata(toks: pd.DataFrame, corpus: pd.DataFrame, columns: Sequence[str] = ("era", "voice")) -> pd.DataFrame:
    """``toks`` with the document-level ``columns`` of ``corpus`` added (joined on doc_id);
    row order is kept."""
    require_columns(toks, ("doc_id",), "with_metadata")
    require_columns(corpus, ("doc_id", *columns), "with_metadata")
    lookup = corpus.set_index("doc_id")
    out = toks.copy()
    for col in columns:
        out[col] = out["doc_id"].map(lookup[col])
    if out[list(columns)].isna().any().any():
        raise ValueError("with_metadata: some doc_id of the tokens are not in the corpus table. "
                         "Build both from the same load_corpus() call.")
    return out


def word_totals(toks: pd.DataFrame, by: str = "doc_id") -> pd.Series:
    """Number of words (``is_word`` tokens, stopwords included) per value of ``by``."""
    require_columns(toks, ("is_word", by), "word_totals")
    return toks[toks["is_word"]].groupby(by, sort=True).size().rename("n_words")


# ---------------------------------------------------------------------- the document x term table


@dataclass(frozen=True)
class DocTermCounts:
    """A document x term count table, counted once (:func:`doc_term_counts`).

    ``matrix`` is a ``scipy.sparse`` CSR matrix of int64 counts with one row per value of
    ``rows`` and one column per value of ``terms``. Most of its cells are 0 (10,000 texts
    x 100,000 types would take 8 GB dense), so it is kept sparse; :meth:`to_frame` gives
    the dense table for small corpora."""

    matrix: sparse.csr_matrix
    rows: pd.Index
    terms: pd.Index

    def to_frame(self) -> pd.DataFrame:
        """The dense table: rows x terms, int64."""
        return pd.DataFrame(self.matrix.toarray(), index=self.rows, columns=self.terms)

    def term_totals(self) -> np.ndarray:
        """Each term's count over all rows."""
        return np.asarray(self.matrix.sum(axis=0)).ravel().astype(np.int64)

    def rows_using(self) -> np.ndarray:
        """In how many rows each term occurs."""
        return np.diff(self.matrix.tocsc().indptr).astype(np.int64)


def doc_term_counts(toks: pd.DataFrame, unit: str = "lemma", by: str = "doc_id",
                    words: str = "content") -> DocTermCounts:
    """Counts of each ``unit`` value in each value of ``by``, in one pass over ``toks``.

    ``words="content"`` counts the content words (:func:`content_words`), ``"all"`` every
    word (``is_word``, stopwords included; what :func:`term_rates` counts). Rows are the
    values of ``by`` in order of first appearance in ``toks`` (every value, also those
    without a counted word: their row is empty); terms are sorted. Per-document measures
    take slices of this table instead of filtering the tokens once per document: the
    reference of a text is the column totals minus its row."""
    require_columns(toks, (by, unit), "doc_term_counts")
    if words == "content":
        mask = _content_mask(toks).to_numpy(dtype=bool, copy=True)
    elif words == "all":
        require_columns(toks, ("is_word",), "doc_term_counts")
        mask = toks["is_word"].to_numpy(dtype=bool, copy=True)
    else:
        raise ValueError(f"doc_term_counts: words must be 'content' or 'all', got {words!r}.")
    row_codes, rows = pd.factorize(toks[by], sort=False)
    mask &= row_codes >= 0
    term_codes, terms = pd.factorize(toks[unit][mask], sort=True)
    keep = term_codes >= 0
    r, t = row_codes[mask][keep], term_codes[keep]
    matrix = sparse.csr_matrix((np.ones(len(r), dtype=np.int64), (r, t)), shape=(len(rows), len(terms)))
    matrix.sum_duplicates()
    return DocTermCounts(matrix, pd.Index(rows, name=by), pd.Index(terms, name="term"))


# ---------------------------------------------------------------------- frequencies

def term_frequencies(toks: pd.DataFrame, by: str = "doc_id", unit: str = "lemma",
                     doc_freq_over: pd.DataFrame | None = None) -> pd.DataFrame:
    """Content-word counts per group.

    Returns one row per (group, term): ``by``, term, count, n_words (words in the group,
    stopwords included), per_1000 (count / n_words * 1000), doc_freq (in how many
    documents of ``doc_freq_over`` -- by default ``toks`` itself -- the term occurs) and
    rank (1 = most frequent in the group; ties broken alphabetically). Sorted by group,
    then rank.
    """
    require_columns(toks, (*TOKEN_COLUMNS, by, unit), "term_frequencies")
    content = content_words(toks)
    counts = content.groupby([by, unit], sort=True).size().rename("count").reset_index()
    counts = counts.rename(columns={unit: "term"})
    counts["n_words"] = counts[by].map(word_totals(toks, by)).astype(int)
    counts["per_1000"] = counts["count"] / counts["n_words"] * 1000
    if doc_freq_over is not None:
        require_columns(doc_freq_over, (*TOKEN_COLUMNS, unit), "term_frequencies (doc_freq_over)")
    source = content if doc_freq_over is None else content_words(doc_freq_over)
    doc_freq = source.groupby(unit)["doc_id"].nunique()
    counts["doc_freq"] = counts["term"].map(doc_freq).fillna(0).astype(int)
    counts = counts.sort_values([by, "count", "term"], ascending=[True, False, True], kind="stable")
    counts["rank"] = counts.groupby(by, sort=False).cumcount() + 1
    return counts.reset_index(drop=True)


# ---------------------------------------------------------------------- keyness statistics

def log_likelihood_g2(count_target, count_reference, total_target, total_reference) -> np.ndarray:
    """Dunning's (1993) log-likelihood G² of the 2x2 table

    ::

                       target            reference
        term           a                 b
        other words    c - a             d - b

    G² = 2 Σ O ln(O / E) over the four cells, with E from the margins and 0 ln 0 = 0
    (Dunning 1993, "Accurate methods for the statistics of surprise and coincidence",
    Computational Linguistics 19(1)). Rayson & Garside's (2000) keyness calculator sums
    only the two cells of the term row; the four-cell form used here is the one
    ``scipy.stats.power_divergence(lambda_="log-likelihood")`` computes. Vectorised.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (count_target, count_reference, total_target, total_reference))
    if np.any(a < 0) or np.any(b < 0) or np.any(a > c) or np.any(b > d) or np.any(c + d <= 0):
        raise ValueError("log_likelihood_g2: counts must satisfy 0 <= count <= total, and the totals must be positive.")
    n = c + d
    observed = [a, b, c - a, d - b]
    expected = [c * (a + b) / n, d * (a + b) / n, c * (n - a - b) / n, d * (n - a - b) / n]
    terms = [np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / np.where(e > 0, e, 1)), 0.0)
             for o, e in zip(observed, expected)]
    return 2 * sum(terms)


def log_ratio(count_target, count_reference, total_target, total_reference, zero_adjust: float = 0.5) -> np.ndarray:
    """Hardie's (2014) Log Ratio: log2 of the ratio of relative frequencies,
    log2((a / c) / (b / d)). Positive: the term is relatively more frequent in the target.

    A zero count is replaced by ``zero_adjust`` (0.5 by default, as in Hardie's
    "Log Ratio -- an informal introduction", CASS, 2014) so that terms absent from one
    side get a finite value; non-zero counts are left as they are.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (count_target, count_reference, total_target, total_reference))
    if zero_adjust <= 0:
        raise ValueError("log_ratio: zero_adjust must be positive (Hardie uses 0.5).")
    a = np.where(a == 0, zero_adjust, a)
    b = np.where(b == 0, zero_adjust, b)
    return np.log2((a / c) / (b / d))


def adjust_pvalues(p_values, method: str = "fdr_bh") -> np.ndarray:
    """p-values adjusted for the number of tests m = len(p_values).

    ``fdr_bh``: Benjamini & Hochberg (1995) step-up, controlling the false discovery
    rate: p_(i) * m / i, made monotone from the largest rank down, capped at 1.
    ``holm``: Holm (1979) step-down, controlling the family-wise error rate:
    p_(i) * (m - i + 1), made monotone from the smallest rank up, capped at 1.
    Returned in the order of the input.
    """
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1:
        raise ValueError("adjust_pvalues: pass a one-dimensional sequence of p-values.")
    if p.size and (np.isnan(p).any() or (p < 0).any() or (p > 1).any()):
        raise ValueError("adjust_pvalues: p-values must lie in [0, 1] and not be NaN.")
    if method not in P_ADJUST_METHODS:
        raise ValueError(f"adjust_pvalues: unknown method {method!r}; use one of {P_ADJUST_METHODS}.")
    m = p.size
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    i = np.arange(1, m + 1)
    if method == "fdr_bh":
        adjusted = np.minimum.accumulate((ranked * m / i)[::-1])[::-1]
    else:
        adjusted = np.maximum.accumulate(ranked * (m - i + 1))
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def keyness(target: pd.DataFrame, reference: pd.DataFrame, min_freq: int = 5,
            p_adjust: str = "fdr_bh", alpha: float = 0.05, unit: str = "lemma") -> pd.DataFrame:
    """Keyness of the content-word terms of ``target`` against ``reference`` (two tokens
    tables that must not overlap).

    Tested terms: every content-word ``unit`` whose count in target and reference
    together is at least ``min_freq`` (both directions: a term can be key by being
    frequent or by being rare in the target). Totals are the words (stopwords included)
    of each side. For each term: G² (:func:`log_likelihood_g2`, df = 1), its p-value
    from the chi-squared distribution, p_adjusted over the tested terms of this one
    comparison (:func:`adjust_pvalues`, method ``p_adjust``), log_ratio
    (:func:`log_ratio`, 0.5 for zero counts), significant (p_adjusted < alpha), and
    n_docs_target, n_docs_reference: in how many documents of each side the term occurs
    (G² treats words as independent draws; a term "key" for a group of texts but used by
    one text only says more about that text than about the group).

    Columns: :data:`KEYNESS_COLUMNS`; sorted by G² (largest first), then term.
    """
    for name, table in (("target", target), ("reference", reference)):
        require_columns(table, (*TOKEN_COLUMNS, unit), f"keyness ({name})")
    if min_freq < 1:
        raise ValueError("keyness: min_freq must be at least 1.")
    if not 0 < alpha < 1:
        raise ValueError("keyness: alpha must lie strictly between 0 and 1.")
    shared = sorted(set(target["doc_id"]) & set(reference["doc_id"]))
    if shared:
        raise ValueError(f"keyness: document(s) {', '.join(shared)} are in both target and reference. "
                         "A reference must be the rest of the corpus, without the target.")
    total_t, total_r = int(target["is_word"].sum()), int(reference["is_word"].sum())
    if total_t == 0 or total_r == 0:
        raise ValueError("keyness: the target or the reference has no words.")
    content_t, content_r = content_words(target), content_words(reference)
    ct, cr = content_t[unit].value_counts(), content_r[unit].value_counts()
    table = pd.concat([ct.rename("count_target"), cr.rename("count_reference")], axis=1).fillna(0).astype(int)
    table = table[table.sum(axis=1) >= min_freq].rename_axis("term").reset_index()
    table["total_target"], table["total_reference"] = total_t, total_r
    args = [table[c] for c in ("count_target", "count_reference", "total_target", "total_reference")]
    table["g2"] = log_likelihood_g2(*args)
    table["p_value"] = stats.chi2.sf(table["g2"], df=1)
    table["p_adjusted"] = adjust_pvalues(table["p_value"].to_numpy(), p_adjust)
    table["log_ratio"] = log_ratio(*args)
    table["significant"] = table["p_adjusted"] < alpha
    table["n_docs_target"] = table["term"].map(content_t.groupby(unit)["doc_id"].nunique()).fillna(0).astype(int)
    table["n_docs_reference"] = table["term"].map(content_r.groupby(unit)["doc_id"].nunique()).fillna(0).astype(int)
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return table[KEYNESS_COLUMNS].reset_index(drop=True)


def keyness_each_vs_rest(toks: pd.DataFrame, by: str = "doc_id", comparison: str | None = None,
                         **options) -> pd.DataFrame:
    """:func:`keyness` of each value of ``by`` (sorted) against all the other rows of
    ``toks``, stacked, with the columns comparison (``comparison``, by default
    ``"<by> vs rest"``) and target in front. ``options`` go to :func:`keyness`. Pass Party-media tokens only: whatever is
    in ``toks`` becomes the reference.

    The same table as calling :func:`keyness` once per value, but counted once: one
    document x term table (:func:`doc_term_counts`) gives each target's counts (its rows)
    and its reference's (the column totals minus them), so the cost grows with the
    corpus and the size of the result, not with the corpus times the number of targets.
    Every target is tested on the same terms (a term's target + reference count is its
    corpus count)."""
    require_columns(toks, (by,), "keyness_each_vs_rest")
    groups = sorted(toks[by].unique())
    if len(groups) < 2:
        raise ValueError(f"keyness_each_vs_rest: need at least two values of {by!r}, found {groups}.")
    try:
        bound = _KEYNESS_SIGNATURE.bind(None, None, **options)
    except TypeError as err:
        raise TypeError(f"keyness() {err}") from None
    bound.apply_defaults()
    min_freq, p_adjust, alpha, unit = (bound.arguments[k] for k in ("min_freq", "p_adjust", "alpha", "unit"))
    require_columns(toks, (*TOKEN_COLUMNS, unit), "keyness (target)")
    check_keyness_options(min_freq, alpha)

    # the value of `by` of each document; a document with two values is in a target and its reference
    group_index = pd.Index(groups)
    by_codes = group_index.get_indexer(toks[by])
    by_codes[toks[by].isna().to_numpy()] = -1                 # no group: in every reference, never a target
    doc_codes, docs = pd.factorize(toks["doc_id"], sort=False)
    pair_keys = np.unique(doc_codes.astype(np.int64) * (len(groups) + 1) + by_codes + 1)
    pair_doc, pair_group = pair_keys // (len(groups) + 1), pair_keys % (len(groups) + 1) - 1
    split = np.bincount(pair_doc[pair_doc >= 0], minlength=len(docs)) > 1
    is_word = toks["is_word"].to_numpy(dtype=bool)
    words_in = np.bincount(by_codes[is_word & (by_codes >= 0)], minlength=len(groups)).astype(np.int64)
    all_words = int(is_word.sum())
    # the error keyness() would raise for the first target (in order) that has one
    on_both_sides = (pair_doc >= 0) & (pair_group >= 0)
    on_both_sides[on_both_sides] = split[pair_doc[on_both_sides]]
    first_shared = int(pair_group[on_both_sides].min()) if on_both_sides.any() else len(groups)
    empty = np.flatnonzero((words_in == 0) | (all_words - words_in == 0))
    if first_shared < len(groups) and (not len(empty) or first_shared <= empty[0]):
        shared = sorted(docs[pair_doc[on_both_sides & (pair_group == first_shared)]])
        raise ValueError(f"keyness: document(s) {', '.join(shared)} are in both target and reference. "
                         "A reference must be the rest of the corpus, without the target.")
    if len(empty):
        raise ValueError("keyness: the target or the reference has no words.")

    # count once: documents x terms, then targets x terms by adding up each target's documents
    counts = doc_term_counts(toks, unit=unit, by="doc_id")
    group_of_doc = np.full(len(docs), -1, dtype=np.int64)
    group_of_doc[pair_doc[pair_doc >= 0]] = pair_group[pair_doc >= 0]
    doc_group = group_of_doc[docs.get_indexer(counts.rows)]
    inside = np.flatnonzero(doc_group >= 0)
    membership = sparse.csr_matrix((np.ones(len(inside), dtype=np.int64), (doc_group[inside], inside)),
                                   shape=(len(groups), len(counts.rows)))
    totals = counts.term_totals()
    tested = np.flatnonzero(totals >= min_freq)
    doc_matrix = counts.matrix[:, tested]
    group_counts = (membership @ doc_matrix).tocsr()
    present = doc_matrix.copy()
    present.data = np.ones_like(present.data)
    group_docs = (membership @ present).tocsr()
    total_count, total_docs = totals[tested], np.diff(present.tocsc().indptr).astype(np.int64)
    return keyness_rows(groups, counts.terms[tested], group_counts, group_docs, total_count, total_docs, words_in,
                        all_words, p_adjust, alpha, comparison or f"{by} vs rest")


def check_keyness_options(min_freq: int, alpha: float) -> None:
    """ValueError unless ``min_freq`` >= 1 and 0 < ``alpha`` < 1."""
    if min_freq < 1:
        raise ValueError("keyness: min_freq must be at least 1.")
    if not 0 < alpha < 1:
        raise ValueError("keyness: alpha must lie strictly between 0 and 1.")


def keyness_rows(groups: Sequence, terms: pd.Index, group_counts, group_docs, total_count: np.ndarray,
                 total_docs: np.ndarray, words_in: np.ndarray, all_words: int, p_adjust: str, alpha: float,
                 comparison: str) -> pd.DataFrame:
    """The table of :func:`keyness_each_vs_rest` from counts already made: for each group
    (row of the sparse ``group_counts`` and ``group_docs``, in the order of ``groups``)
    and tested term (their columns, ``terms``), the term's count and documents in the
    group against the rest (``total_count``, ``total_docs``: over the corpus), with
    ``words_in`` each group's words of ``all_words``. Used by :func:`keyness_each_vs_rest`
    and by :func:`analysis.scale.keyness_from_counts`, so both give the same table."""
    n_terms, n_rows = len(terms), len(groups) * len(terms)
    cols = {k: np.empty(n_rows, dtype=np.int64) for k in ("term", "count_target", "count_reference",
                                                          "n_docs_target", "n_docs_reference")}
    cols.update({k: np.empty(n_rows) for k in ("g2", "p_adjusted", "log_ratio", "p_value")})
    chunk = max(1, 2_000_000 // max(n_terms, 1))
    for first in range(0, len(groups), chunk):
        rows = np.arange(first, min(first + chunk, len(groups)))
        a = group_counts[rows].toarray()
        b = total_count[None, :] - a
        c = np.broadcast_to(words_in[rows][:, None], a.shape)
        d = np.broadcast_to(all_words - words_in[rows][:, None], a.shape)
        g2 = log_likelihood_g2(a, b, c, d)
        p_value = stats.chi2.sf(g2, df=1)
        docs_t = group_docs[rows].toarray()
        # each target's terms by G² (largest first), then term (the terms are sorted); targets stay in order
        term_pos = np.tile(np.arange(n_terms), len(rows))
        order = np.lexsort((term_pos, -g2.ravel(), np.repeat(rows, n_terms)))
        out = slice(first * n_terms, (first + len(rows)) * n_terms)
        for name, values in (("term", term_pos), ("count_target", a), ("count_reference", b), ("g2", g2),
                             ("p_adjusted", _adjust_rows(p_value, p_adjust)), ("log_ratio", log_ratio(a, b, c, d)),
                             ("p_value", p_value), ("n_docs_target", docs_t),
                             ("n_docs_reference", total_docs[None, :] - docs_t)):
            np.take(values.ravel(), order, out=cols[name][out])
    table = pd.DataFrame({
        "comparison": comparison,
        "target": pd.Series(groups).take(np.repeat(np.arange(len(groups)), n_terms)).reset_index(drop=True),
        "term": terms.take(cols.pop("term")),
        "count_target": cols.pop("count_target"), "count_reference": cols.pop("count_reference"),
        "total_target": np.repeat(words_in, n_terms), "total_reference": np.repeat(all_words - words_in, n_terms),
        **{k: cols.pop(k) for k in ("g2", "p_adjusted", "log_ratio", "p_value")},
    })
    table["significant"] = table["p_adjusted"] < alpha
    table["n_docs_target"] = cols.pop("n_docs_target")
    table["n_docs_reference"] = cols.pop("n_docs_reference")
    return table


_KEYNESS_SIGNATURE = inspect.signature(keyness)


def _adjust_rows(p_values: np.ndarray, method: str) -> np.ndarray:
    """:func:`adjust_pvalues` applied to each row of a 2-D array, in one go (the same
    operations, so the same numbers)."""
    p = np.asarray(p_values, dtype=float)
    if p.size and (np.isnan(p).any() or (p < 0).any() or (p > 1).any()):
        raise ValueError("adjust_pvalues: p-values must lie in [0, 1] and not be NaN.")
    if method not in P_ADJUST_METHODS:
        raise ValueError(f"adjust_pvalues: unknown method {method!r}; use one of {P_ADJUST_METHODS}.")
    m = p.shape[1]
    if m == 0:
        return p
    order = np.argsort(p, axis=1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=1)
    i = np.arange(1, m + 1)
    if method == "fdr_bh":
        adjusted = np.minimum.accumulate((ranked * m / i)[:, ::-1], axis=1)[:, ::-1]
    else:
        adjusted = np.maximum.accumulate(ranked * (m - i + 1), axis=1)
    out = np.empty_like(p)
    np.put_along_axis(out, order, np.minimum(adjusted, 1.0), axis=1)
    return out


# ---------------------------------------------------------------------- collocations

#: The cells NLTK's finders count, for each n: the n-gram itself and the marginals its
#: measures take, as offsets inside the n-gram (``nltk.collocations``:
#: ``{Bigram,Trigram,Quadgram}CollocationFinder.from_words`` and ``score_ngram``).
#: A marginal over positions P of the n-gram is the count of the pattern P - P[0] at the
#: words of P ("ixi" = (0, 2): two words with one between them).
_MARGINALS = {
    2: ((0,), (1,)),
    3: ((0, 1), (0, 2), (1, 2), (0,), (1,), (2,)),
    4: ((0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3),
        (0, 1), (0, 2), (0, 3), (1, 3), (2, 3), (1, 2),
        (0,), (1,), (2,), (3,)),
}
_SMALL = 1e-20          # nltk.metrics.association._SMALL
_EXACT_FLOAT = 2 ** 53  # integers below this are exact in a float64


def _string_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (int64) and the strings they stand for, for a column of strings
    that may be object, str or a pandas Categorical (its categories are reused, not
    recounted)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64), np.asarray(values.cat.categories, dtype=object)
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def _word_runs(toks: pd.DataFrame, column: str = "lower") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words of ``toks`` as runs of consecutive words, cut at every non-word token
    (punctuation, quotes, clitics) and at sentence and document boundaries, so that no
    n-gram spans them. Returns (codes, run, vocabulary): the int64 code of each word of
    ``column`` in token order, the int64 run number of each word (ascending), and the
    strings of the codes."""
    if len(toks) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object)
    doc = _string_codes(toks["doc_id"])[0]
    sent = toks["sent_id"].to_numpy()
    is_word = toks["is_word"].to_numpy(dtype=bool)
    cut = np.ones(len(toks), dtype=bool)
    cut[1:] = (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])
    run = np.cumsum(cut | ~is_word)[is_word]
    codes, vocabulary = _string_codes(toks[column])
    return codes[is_word], run, vocabulary


def _pattern_keys(codes: np.ndarray, run: np.ndarray, offsets: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """For the word pattern ``offsets`` (e.g. (0, 2): a word and the word two further on):
    the positions where the pattern fits inside one run, and an int64 key per such
    position that is equal exactly where the words at the offsets are equal. Keys are
    mixed-radix numbers of the codes, renumbered densely whenever the next digit could
    overflow int64."""
    span = offsets[-1]
    starts = np.flatnonzero(run[: len(run) - span] == run[span:]) if len(run) > span else np.zeros(0, np.int64)
    radix = int(codes.max()) + 1 if len(codes) else 1
    keys, top = codes[starts + offsets[0]], radix
    for off in offsets[1:]:
        if top * radix >= 2 ** 63:
            _, keys = np.unique(keys, return_inverse=True)
            top = int(keys.max()) + 1 if len(keys) else 1
        keys = keys * radix + codes[starts + off]
        top *= radix
    return starts, keys


def _count_at(codes: np.ndarray, run: np.ndarray, offsets: tuple[int, ...], at: np.ndarray) -> np.ndarray:
    """How often the words of pattern ``offsets`` found at each position of ``at`` occur
    with that pattern inside runs (the positions must be ones where it fits)."""
    if offsets == (0,):
        return np.bincount(codes)[codes[at]]
    starts, keys = _pattern_keys(codes, run, offsets)
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return counts[inverse][np.searchsorted(starts, at)]


def ngram_table(toks: pd.DataFrame, n: int) -> tuple[np.ndarray, ...]:
    """Every distinct n-gram of ``toks`` inside word runs (:func:`_word_runs`), in order
    of first occurrence: (words, count, at, codes, run, vocabulary), where ``words`` is an
    (n-grams x n) array of codes into ``vocabulary``, ``count`` how often each occurs,
    ``at`` the word position of its first occurrence, and codes, run, vocabulary those
    of :func:`_word_runs`."""
    codes, run, vocabulary = _word_runs(toks)
    starts, keys = _pattern_keys(codes, run, tuple(range(n)))
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    at, counts = starts[first[order]], counts[order]
    words = np.stack([codes[at + k] for k in range(n)], axis=1) if len(at) else np.zeros((0, n), np.int64)
    return words, counts, at, codes, run, vocabulary


def _expected_over(cont: list[np.ndarray], n: int, exact: bool) -> list[np.ndarray]:
    """NLTK's ``NgramAssocMeasures._expected_values`` of the 2^n cells: the product over
    the n positions of the cell's margin, divided by N^(n-1), with N the sum of the
    cells. NLTK computes it with Python integers, whose true division is correctly
    rounded; done here in float64 when every product is below 2^53 (``exact``), else in
    Python integers, so that the result is the same to the last bit."""
    total = sum(cont[1:], cont[0].copy())
    bits = [1 << i for i in range(n)]
    out = []
    for i in range(len(cont)):
        margins = [sum(cont[x] for x in range(2 ** n) if (x & j) == (i & j)) for j in bits]
        if exact:
            product = margins[0].astype(float)
            for m in margins[1:]:
                product = product * m
            out.append(product / total.astype(float) ** (n - 1))
        else:
            product = margins[0].astype(object)
            for m in margins[1:]:
                product = product * m.astype(object)
            out.append((product / total.astype(object) ** (n - 1)).astype(float))
    return out


def _bigram_expected(cont: list[np.ndarray]) -> list[np.ndarray]:
    """``BigramAssocMeasures._expected_values``: (row margin * column margin) / N in
    floats, in NLTK's order of operations."""
    total = ((0.0 + cont[0]) + cont[1] + cont[2]) + cont[3]
    return [(cont[i] + cont[i ^ 1]) * (cont[i] + cont[i ^ 2]) / total for i in range(4)]


def _contingency(n: int, count: np.ndarray, marg: dict, n_words: int) -> list[np.ndarray]:
    """The 2^n cells of NLTK's contingency table of each n-gram (``_contingency`` of
    ``{Bigram,Trigram,Quadgram}AssocMeasures``), from its count, its marginals by
    positions and N; bigram cells are floats (NLTK divides the count by window_size - 1),
    the others int64."""
    if n == 2:
        n_ii = count / 1.0
        n_oi, n_io = marg[(1,)] - n_ii, marg[(0,)] - n_ii
        return [n_ii, n_oi, n_io, n_words - n_ii - n_oi - n_io]
    if n == 3:
        n_iii = count
        n_oii, n_ioi, n_iio = marg[(1, 2)] - n_iii, marg[(0, 2)] - n_iii, marg[(0, 1)] - n_iii
        n_ooi = marg[(2,)] - n_iii - n_oii - n_ioi
        n_oio = marg[(1,)] - n_iii - n_oii - n_iio
        n_ioo = marg[(0,)] - n_iii - n_ioi - n_iio
        n_ooo = n_words - n_iii - n_oii - n_ioi - n_iio - n_ooi - n_oio - n_ioo
        return [n_iii, n_oii, n_ioi, n_ooi, n_iio, n_oio, n_ioo, n_ooo]
    i4 = count
    oiii, ioii, iioi = marg[(1, 2, 3)] - i4, marg[(0, 2, 3)] - i4, marg[(0, 1, 3)] - i4
    ooii = marg[(2, 3)] - i4 - oiii - ioii
    oioi = marg[(1, 3)] - i4 - oiii - iioi
    iooi = marg[(0, 3)] - i4 - ioii - iioi
    oooi = marg[(3,)] - i4 - oiii - ioii - iioi - ooii - iooi - oioi
    iiio = marg[(0, 1, 2)] - i4
    oiio = marg[(1, 2)] - i4 - oiii - iiio
    ioio = marg[(0, 2)] - i4 - ioii - iiio
    ooio = marg[(2,)] - i4 - oiii - ioii - iiio - ooii - ioio - oiio
    iioo = marg[(0, 1)] - i4 - iioi - iiio
    oioo = marg[(1,)] - i4 - oiii - iioi - iiio - oioi - oiio - iioo
    iooo = marg[(0,)] - i4 - ioii - iioi - iiio - iooi - iioo - ioio
    oooo = (n_words - i4 - oiii - ioii - iioi - ooii - oioi - iooi - oooi
            - iiio - oiio - ioio - ooio - iioo - oioo - iooo)
    return [i4, oiii, ioii, ooii, iioi, oioi, iooi, oooi, iiio, oiio, ioio, ooio, iioo, oioo, iooo, oooo]


def _math_map(func, values: np.ndarray) -> np.ndarray:
    """``func`` (from ``math``) applied to each value: numpy's own log differs from the C
    library's in the last bit for about one value in a thousand, and the ranks of NLTK's
    tied scores depend on it."""
    return np.fromiter(map(func, values.tolist()), dtype=float, count=len(values))


def ngram_scores(n: int, measure: str, count: np.ndarray, marg: dict, n_words: int) -> np.ndarray:
    """NLTK's association score of each n-gram, vectorised, with NLTK's operations in
    NLTK's order (``nltk.metrics.association``): ``likelihood_ratio`` (Dunning 1993) =
    2 Σ obs ln(obs / (exp + 1e-20) + 1e-20) over the 2^n cells of the contingency table;
    ``pmi`` (Church & Hanks 1990) = log2(count N^(n-1)) - log2(Π unigram counts).
    ``count``: int64 n-gram counts; ``marg``: marginal counts by positions
    (:data:`_MARGINALS`); ``n_words``: N, every word of the runs."""
    import math

    count = np.asarray(count, dtype=np.int64)
    exact = float(n_words) ** n < _EXACT_FLOAT
    if measure == "pmi":
        unigrams = [marg[(k,)] for k in range(n)]
        if n == 2:
            top = (count / 1.0) * n_words
            bottom = (unigrams[0] * unigrams[1]).astype(float)
        elif exact:
            top = (count * n_words ** (n - 1)).astype(float)
            bottom = np.prod(unigrams, axis=0).astype(float)
        else:
            top = (count.astype(object) * n_words ** (n - 1)).astype(float)
            bottom = np.prod([u.astype(object) for u in unigrams], axis=0).astype(float)
        return _math_map(math.log2, top) - _math_map(math.log2, bottom)
    cont = _contingency(n, count, marg, n_words)
    expected = _bigram_expected(cont) if n == 2 else _expected_over(cont, n, exact)
    total = np.zeros(len(count))
    for obs, exp in zip(cont, expected):
        total = total + obs * _math_map(math.log, obs / (exp + _SMALL) + _SMALL)
    return 2 * total


def _check_collocation_options(n: int, measure: str, min_freq: int) -> None:
    if n not in _MARGINALS:
        raise ValueError(f"collocations: n must be 2, 3 or 4, got {n!r}.")
    if measure not in ("likelihood_ratio", "pmi"):
        raise ValueError(f"collocations: measure must be 'likelihood_ratio' or 'pmi', got {measure!r}.")
    if min_freq < 1:
        raise ValueError("collocations: min_freq must be at least 1.")


def stop_forms(toks: pd.DataFrame) -> set[str]:
    """The lower-case forms flagged as stopwords anywhere in ``toks``."""
    return set(pd.unique(toks["lower"][toks["is_stop"].to_numpy(dtype=bool)].astype(object)))


def not_content_forms(vocabulary: np.ndarray, stop: set[str]) -> np.ndarray:
    """Per form of ``vocabulary``: a stopword or starting with a digit, so that it may not
    open or close a collocation."""
    return np.fromiter((w in stop or w[:1].isdigit() for w in vocabulary), dtype=bool, count=len(vocabulary))


def rank_collocations(words: np.ndarray, vocabulary: np.ndarray, n: int, count: np.ndarray,
                      score: np.ndarray, top: int | None) -> pd.DataFrame:
    """The collocations table: n-grams ``words`` (codes into ``vocabulary``) sorted as
    NLTK's ``score_ngrams`` sorts them (score, largest first, then the tuple of words in
    code-point order), the ``top`` first."""
    used, inverse = np.unique(words, return_inverse=True)
    forms = vocabulary[used]
    alphabetical = np.empty(len(used), dtype=np.int64)
    alphabetical[sorted(range(len(used)), key=forms.__getitem__)] = np.arange(len(used))
    ranks = alphabetical[inverse.reshape(words.shape)]
    order = np.lexsort([ranks[:, k] for k in range(n - 1, -1, -1)] + [-score])[:top]
    grams = forms[inverse.reshape(words.shape)[order]]
    table = pd.DataFrame({"ngram": [" ".join(g) for g in grams.tolist()], "n": n,
                          "count": count[order].astype(np.int64), "score": score[order]})
    table["rank"] = np.arange(1, len(table) + 1)
    return table


def collocations(toks: pd.DataFrame, n: int = 2, min_freq: int = 3, measure: str = "likelihood_ratio",
                 top: int | None = 15) -> pd.DataFrame:
    """Multi-word expressions of ``toks``, scored as NLTK's collocation finders score them
    (``nltk.collocations.{Bigram,Trigram,Quadgram}CollocationFinder.from_documents`` over
    the word runs, ``nltk.metrics.association``; Bird, Klein & Loper 2009, ch. 1),
    counted from arrays of word codes instead of Python tuples (the tests compare it with
    NLTK itself, n-gram for n-gram).

    Units: lower-case word forms (not lemmas, so that phrases read as written), in runs
    that never cross punctuation, sentences or documents. Kept: n-grams seen at least
    ``min_freq`` times whose first and last words are content words (function words may
    sit inside: "cadres and party members"). Ranked by ``measure``: ``likelihood_ratio``
    (Dunning 1993) or ``pmi`` (Church & Hanks 1990); ties by the n-gram itself. The
    marginals are NLTK's: N and the word counts count every word of the runs, the other
    marginals (pairs, "word _ word" and so on) the patterns that fit inside a run.

    Returns ngram (joined by spaces), n, count, score, rank -- the ``top`` best (all if
    None).
    """
    require_columns(toks, TOKEN_COLUMNS, "collocations")
    _check_collocation_options(n, measure, min_freq)
    words, count, at, codes, run, vocabulary = ngram_table(toks, n)
    ends = not_content_forms(vocabulary, stop_forms(toks))
    keep = (count >= min_freq) & ~ends[words[:, 0]] & ~ends[words[:, -1]]
    words, count, at = words[keep], count[keep], at[keep]
    marg = {p: _count_at(codes, run, tuple(q - p[0] for q in p), at + p[0]) for p in _MARGINALS[n]}
    score = ngram_scores(n, measure, count, marg, len(codes))
    return rank_collocations(words, vocabulary, n, count, score, top)


# ---------------------------------------------------------------------- keyword in context

_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}”’…]|['’](?:s|re|ve|ll|d|m)$|n['’]t$)", re.IGNORECASE)
_NO_SPACE_AFTER = {"(", "[", "{", "“", "‘"}


def detokenize(words: Sequence[str]) -> str:
    """Tokens joined into readable text: no space before closing punctuation and
    clitics, none after opening brackets and quotes."""
    out = ""
    for i, word in enumerate(words):
        if i and not _NO_SPACE_BEFORE.match(word) and words[i - 1] not in _NO_SPACE_AFTER:
            out += " "
        out += word
    return out


def _token_matcher(part, regex: bool):
    if isinstance(part, re.Pattern):
        return lambda values: np.fromiter((part.fullmatch(v) is not None for v in values), bool, len(values))
    if regex:
        try:
            compiled = re.compile(part, re.IGNORECASE)
        except re.error as err:
            raise ValueError(f"kwic: {part!r} is not a valid regular expression ({err}).") from err
        return _token_matcher(compiled, False)
    literal = part.lower().replace("’", "'")
    return lambda values: np.asarray([v.lower() == literal for v in values], dtype=bool)


def kwic(toks: pd.DataFrame, pattern: str | re.Pattern, window: int = 6, match_on: str = "lower",
         regex: bool = False) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``pattern`` with ``window`` tokens each side.

    ``pattern`` is a word ("people"), a phrase whose words are separated by spaces and
    must follow each other ("hostile forces"; punctuation in between prevents a match),
    or -- with ``regex=True`` -- regular expressions, one per token, each matched in full
    and ignoring case ("self-\\w+", "unit(y|e)"); a compiled ``re.Pattern`` is a one-token
    regex. Matching is on the column ``match_on`` (``lower`` by default; ``lemma`` finds
    "cadres" with "cadre"); literal matching ignores case and typographic apostrophes.
    The context never crosses a document; ``window`` counts tokens, punctuation included.

    Returns doc_id, sent_id, position (of the first matched token), left, match, right
    (as written), in the order of ``toks``.
    """
    require_columns(toks, ("doc_id", "sent_id", "position", "token", match_on), "kwic")
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"kwic: window must be a non-negative integer, got {window!r}.")
    if isinstance(pattern, re.Pattern):
        parts = [pattern]
    elif isinstance(pattern, str) and pattern.split():
        parts = pattern.split()
    else:
        raise ValueError(f"kwic: pattern must be a non-empty string or a compiled regex, got {pattern!r}.")
    matchers = [_token_matcher(p, regex) for p in parts]
    k = len(parts)
    # the rows of each document together, documents in order of first appearance (one pass, no loop over documents)
    doc_codes, docs = pd.factorize(toks["doc_id"], sort=False)
    if len(doc_codes) and not (np.all(doc_codes[1:] >= doc_codes[:-1]) and doc_codes[0] >= 0):
        order = np.argsort(doc_codes, kind="stable")
        order = order[doc_codes[order] >= 0]
    else:
        order = np.arange(len(doc_codes))
    doc_codes = doc_codes[order]
    values = toks[match_on].astype(str).to_numpy()[order]
    # each distinct value is matched once
    value_codes, distinct = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    distinct = np.asarray(distinct, dtype=object)
    n_starts = max(len(values) - k + 1, 0)
    hits = np.ones(n_starts, dtype=bool)
    for j, matcher in enumerate(matchers):
        hits &= matcher(distinct)[value_codes][j: j + n_starts]
    hits &= doc_codes[:n_starts] == doc_codes[k - 1: k - 1 + n_starts]      # no match across documents
    starts = np.flatnonzero(hits)
    rows = []
    if len(starts):
        doc_bounds = np.searchsorted(doc_codes, np.arange(len(docs) + 1))
        written = toks["token"].to_numpy()[order]
        sent_ids = toks["sent_id"].to_numpy()[order]
        positions = toks["position"].to_numpy()[order]
        for i in starts.tolist():
            d = doc_codes[i]
            first, end = doc_bounds[d], doc_bounds[d + 1]
            rows.append((docs[d], int(sent_ids[i]), int(positions[i]),
                         detokenize(written[max(i - window, first): i].tolist()), detokenize(written[i: i + k].tolist()),
                         detokenize(written[i + k: min(i + k + window, end)].tolist())))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "position", "left", "match", "right"])


def format_kwic(table: pd.DataFrame, width: int = 45) -> str:
    """KWIC lines as fixed-width text, the match centred between its contexts, one line
    per row of a :func:`kwic` table, each prefixed with its doc_id."""
    require_columns(table, ("doc_id", "left", "match", "right"), "format_kwic")
    lines = []
    for doc, left, match, right in table[["doc_id", "left", "match", "right"]].itertuples(index=False):
        lines.append(f"{doc:<28} {left[-width:]:>{width}}  [{match}]  {right[:width]}")
    return "\n".join(lines)


def dispersion(toks: pd.DataFrame, patterns: Sequence[str], match_on: str = "lemma", regex: bool = False) -> pd.DataFrame:
    """Where each pattern occurs in each document: doc_id, term, position and
    relative_position = position / (number of tokens in the document), in [0, 1).
    Patterns are matched as in :func:`kwic` (on lemmas by default). Documents are
    measured in all tokens, punctuation included, as ``position`` is."""
    require_columns(toks, ("doc_id", "position", match_on), "dispersion")
    if isinstance(patterns, str):
        raise ValueError("dispersion: pass a list of patterns, e.g. ['people'], not a single string.")
    lengths = toks.groupby("doc_id", sort=False)["position"].max() + 1
    parts = []
    for pattern in patterns:
        hits = kwic(toks, pattern, window=0, match_on=match_on, regex=regex)[["doc_id", "position"]]
        parts.append(hits.assign(term=pattern))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["doc_id", "position", "term"])
    out["relative_position"] = out["position"] / out["doc_id"].map(lengths)
    return out[["doc_id", "term", "position", "relative_position"]]


# ---------------------------------------------------------------------- lexical diversity

def _check_words(words: Sequence[str], caller: str) -> list[str]:
    if isinstance(words, str):
        raise ValueError(f"{caller}: pass a list of words, not a string (split it first).")
    words = list(words)
    if not words:
        raise ValueError(f"{caller}: the list of words is empty.")
    return words


def ttr(words: Sequence[str]) -> float:
    """Type-token ratio: distinct words / words."""
    words = _check_words(words, "ttr")
    return len(set(words)) / len(words)


def mattr(words: Sequence[str], window: int = 100) -> float:
    """Moving-average type-token ratio (Covington & McFall 2010, Journal of Quantitative
    Linguistics 17(2)): the mean TTR of every window of ``window`` consecutive words
    (the window moves one word at a time, n - window + 1 windows). Raises if the text is
    shorter than the window. Computed in one pass with a running count of types."""
    words = _check_words(words, "mattr")
    if window < 1 or window > len(words):
        raise ValueError(f"mattr: window must be between 1 and the text length ({len(words)} words), got {window}.")
    counts = Counter(words[:window])
    types_sum = len(counts)
    for new, old in zip(words[window:], words):
        counts[new] += 1
        counts[old] -= 1
        if counts[old] == 0:
            del counts[old]
        types_sum += len(counts)
    return types_sum / ((len(words) - window + 1) * window)


def _mtld_factors(words: Sequence[str], threshold: float) -> float:
    """Factor count of one MTLD pass: a factor ends (and counting restarts) at the word
    where the running TTR falls to ``threshold`` or below; the leftover segment adds the
    partial factor (1 - its TTR) / (1 - threshold)."""
    factors, types, count, current = 0.0, set(), 0, 1.0
    for word in words:
        count += 1
        types.add(word)
        current = len(types) / count
        if current <= threshold:
            factors += 1
            types, count, current = set(), 0, 1.0
    return factors + (1 - current) / (1 - threshold)


def mtld(words: Sequence[str], threshold: float = 0.72) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010, Behavior Research
    Methods 42(2)): the mean length of word runs that keep the TTR above ``threshold``
    (0.72). Each pass gives words / factors (see :func:`_mtld_factors`, partial factor
    included); MTLD is the mean of the forward and the backward pass. A text whose TTR
    never falls and which has no repeated word gives 0 factors: MTLD is then NaN
    (undefined)."""
    words = _check_words(words, "mtld")
    if not 0 < threshold < 1:
        raise ValueError("mtld: threshold must lie strictly between 0 and 1 (McCarthy & Jarvis use 0.72).")
    values = []
    for seq in (words, words[::-1]):
        factors = _mtld_factors(seq, threshold)
        values.append(len(seq) / factors if factors > 0 else np.nan)
    return float(np.mean(values))


def document_words(toks: pd.DataFrame) -> dict[str, list[str]]:
    """The lower-case words (``is_word``, stopwords included) of each document, in
    order; the unit of lexical diversity."""
    require_columns(toks, ("doc_id", "lower", "is_word"), "document_words")
    words = toks[toks["is_word"]]
    codes, docs = pd.factorize(words["doc_id"], sort=False)      # documents in order of first appearance
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    lower = words["lower"].to_numpy()[order].tolist()
    bounds = np.searchsorted(codes[order], np.arange(len(docs) + 1)).tolist()
    return {doc: lower[a:b] for doc, a, b in zip(docs, bounds[:-1], bounds[1:])}


def lexical_diversity(toks: pd.DataFrame, window: int = 100, threshold: float = 0.72) -> pd.DataFrame:
    """doc_id, n_tokens (words), ttr, mattr (window ``window``), mtld (threshold
    ``threshold``) per document, on lower-case word forms, in the order of ``toks``."""
    rows = [(doc, len(w), ttr(w), mattr(w, window), mtld(w, threshold)) for doc, w in document_words(toks).items()]
    return pd.DataFrame(rows, columns=["doc_id", "n_tokens", "ttr", "mattr", "mtld"])


def mattr_by_window(toks: pd.DataFrame, windows: Sequence[int]) -> pd.DataFrame:
    """MATTR of each document for each window size: doc_id, window, mattr. Windows
    longer than a document give NaN for it (MATTR is undefined there)."""
    rows = []
    for doc, w in document_words(toks).items():
        for size in sorted(windows):
            rows.append((doc, size, mattr(w, size) if size <= len(w) else np.nan))
    return pd.DataFrame(rows, columns=["doc_id", "window", "mattr"])


# ---------------------------------------------------------------------- term rates over time

def poisson_interval(count, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood 1936) confidence interval of a Poisson mean given the observed
    ``count``: lower = chi2.ppf(a/2, 2k) / 2 (0 when k = 0), upper = chi2.ppf(1 - a/2,
    2k + 2) / 2, with a = 1 - conf."""
    k = np.asarray(count, dtype=float)
    if np.any(k < 0):
        raise ValueError("poisson_interval: counts must be non-negative.")
    a = 1 - conf
    lower = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * np.maximum(k, 1)) / 2, 0.0)
    upper = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return lower, upper


def term_rates(toks: pd.DataFrame, terms: dict[str, Sequence[str]], unit: str = "lemma", conf: float = 0.95) -> pd.DataFrame:
    """Rate per 1,000 words of each group of terms in each document.

    ``terms`` maps a label to the ``unit`` values it counts (``{"malady / disease":
    ["malady", "disease"]}``). Returns doc_id, term (the label), count, n_words, per_1000
    and ci_low, ci_high: the exact Poisson interval (:func:`poisson_interval`) of the
    count, scaled the same way. Documents in the order of ``toks``."""
    require_columns(toks, ("doc_id", "is_word", unit), "term_rates")
    if not terms:
        raise ValueError("term_rates: give at least one term, e.g. {'people': ['people']}.")
    totals = toks[toks["is_word"]].groupby("doc_id", sort=False).size()
    rows = []
    if len(totals):
        for label, members in terms.items():
            if isinstance(members, str):
                raise ValueError(f"term_rates: the members of {label!r} must be a list, e.g. [{members!r}].")
        counts = doc_term_counts(toks, unit=unit, by="doc_id", words="all")
        per_doc = counts.matrix[counts.rows.get_indexer(totals.index)].tocsc()
        by_label = np.zeros((len(totals), len(terms)), dtype=np.int64)
        for j, members in enumerate(terms.values()):
            columns = counts.terms.get_indexer(pd.unique(pd.Series(list(members), dtype=object)))
            columns = columns[columns >= 0]
            if len(columns):
                by_label[:, j] = np.asarray(per_doc[:, columns].sum(axis=1)).ravel()
        labels = list(terms)
        rows = [(doc, label, count, n_words)
                for doc, n_words, doc_counts in zip(totals.index, totals.to_numpy().tolist(), by_label.tolist())
                for label, count in zip(labels, doc_counts)]
    table = pd.DataFrame(rows, columns=["doc_id", "term", "count", "n_words"])
    low, high = poisson_interval(table["count"], conf)
    scale = 1000 / table["n_words"]
    table["per_1000"] = table["count"] * scale
    table["ci_low"], table["ci_high"] = low * scale, high * scale
    return table


# ---------------------------------------------------------------------- the text as the unit

def document_term_counts(toks: pd.DataFrame, unit: str = "term") -> pd.DataFrame:
    """Counts of each content-word ``unit`` (columns, sorted) in each document (rows, in the
    order of ``toks``), as a dense DataFrame: :func:`doc_term_counts` made dense, for
    small corpora (the per-document measures use the sparse table)."""
    require_columns(toks, ("doc_id", unit), "document_term_counts")
    return doc_term_counts(toks, unit=unit, by="doc_id").to_frame()


def text_level_contrast(toks: pd.DataFrame, groups: pd.Series, unit: str = "term", min_freq: int = 5) -> pd.DataFrame:
    """For every content-word term seen at least ``min_freq`` times: its rate per 1,000
    words in each text, and whether one group of texts is separated from the others.

    ``groups`` maps doc_id to a group (an era, an outlet, any metadata column). For each
    group g the term *separates* g upwards when every text of g has a higher rate than
    every text outside g, and downwards when every text of g is lower. With the text as
    the unit of inference this is the strongest pattern a handful of texts can show: the
    smallest one-sided permutation p-value for it is 1 / C(n, k) (n texts, k of them in g;
    ``min_p`` below), e.g. 0.1 for three texts against two, so no text-level test of such
    a corpus can reach 0.05. Pooled G² and log ratio (:func:`keyness`) describe counts;
    this table says whether the texts agree.

    Returns one row per (term, group): term, group, n_texts_group, n_texts_other,
    texts_using_group, texts_using_other, min_group, max_group, min_other, max_other
    (rates per 1,000 words), separates ("above", "below" or ""), min_p.
    """
    from math import comb

    require_columns(toks, ("doc_id", "is_word", unit), "text_level_contrast")
    require_columns(toks, ("doc_id", unit), "document_term_counts")
    counts = doc_term_counts(toks, unit=unit, by="doc_id")
    tested = np.flatnonzero(counts.term_totals() >= min_freq)
    terms = counts.terms[tested]
    matrix = counts.matrix[:, tested].tocsr()
    # rates per 1,000 words, stored where the count is not 0; a text without words has no rate
    n_words = word_totals(toks).reindex(counts.rows).to_numpy(dtype=float)
    has_rate = ~np.isnan(n_words)
    rates = matrix.astype(float)
    rates.data = matrix.data / n_words[np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))] * 1000
    doc_groups = groups.reindex(counts.rows)
    if doc_groups.isna().any():
        missing = ", ".join(counts.rows[doc_groups.isna()])
        raise ValueError(f"text_level_contrast: no group for document(s) {missing}; pass a group for every doc_id.")

    def using(rows: np.ndarray) -> np.ndarray:
        # (as pandas sums a table without columns: an empty float column)
        return matrix[rows].getnnz(axis=0).astype(np.int64 if len(tested) else float)

    def extremes(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = rows[has_rate[rows]]
        if len(rows) == 0:
            return np.full(len(tested), np.nan), np.full(len(tested), np.nan)
        part = rates[rows]                       # implicit zeros count: the texts that do not use the term
        return part.min(axis=0).toarray().ravel(), part.max(axis=0).toarray().ravel()

    rows = []
    for group in pd.unique(doc_groups):
        inside = (doc_groups == group).to_numpy()
        n_in, n_out = int(inside.sum()), int((~inside).sum())
        if n_out == 0:
            continue
        (min_in, max_in), (min_out, max_out) = extremes(np.flatnonzero(inside)), extremes(np.flatnonzero(~inside))
        table = pd.DataFrame({
            "term": terms, "group": group, "n_texts_group": n_in, "n_texts_other": n_out,
            "texts_using_group": using(np.flatnonzero(inside)),
            "texts_using_other": using(np.flatnonzero(~inside)),
            "min_group": min_in, "max_group": max_in,
            "min_other": min_out, "max_other": max_out,
        })
        table["separates"] = np.select([table["min_group"] > table["max_other"],
                                        table["max_group"] < table["min_other"]], ["above", "below"], "")
        table["min_p"] = 1 / comb(n_in + n_out, n_in)
        rows.append(table)
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def term_rates_by_text(toks: pd.DataFrame, terms: Sequence[str], unit: str = "term") -> pd.DataFrame:
    """Rate per 1,000 words of each of ``terms`` in each text (a doc_id x term table),
    from the one document x term count table."""
    require_columns(toks, ("doc_id", unit), "document_term_counts")
    counts = doc_term_counts(toks, unit=unit, by="doc_id")
    wanted = pd.Index(list(terms), name="term")
    columns = counts.terms.get_indexer(wanted)
    table = np.zeros((len(counts.rows), len(wanted)), dtype=np.int64)
    found = np.flatnonzero(columns >= 0)
    if len(found):
        table[:, found] = counts.matrix[:, columns[found]].toarray()
    return _per_1000_words(pd.DataFrame(table, index=counts.rows, columns=wanted), toks)


def _per_1000_words(counts: pd.DataFrame, toks: pd.DataFrame) -> pd.DataFrame:
    """A doc_id x term count table as rates per 1,000 words of each document (:func:`word_totals`)."""
    return counts.div(word_totals(toks).reindex(counts.index), axis=0) * 1000


# ---------------------------------------------------------------------- dispersion (Gries's DP)

def gries_dp(counts, sizes) -> tuple[np.ndarray, np.ndarray]:
    """Gries's (2008) deviation of proportions, and its normalised form.

    ``counts``: a terms x parts array of the term's frequency in each part; ``sizes``: the
    size of each part (words). With v_i = count in part i / the term's total and s_i =
    size of part i / corpus size, DP = 0.5 * sum_i |v_i - s_i|: 0 when the term is spread
    exactly as the text is, close to 1 when it sits in one small part (Gries 2008,
    "Dispersions and adjusted frequencies in corpora", International Journal of Corpus
    Linguistics 13(4): 403-437). DP_norm = DP / (1 - min_i s_i) scales it to [0, 1]
    (Lijffijt & Gries 2012, "Correction to ...", IJCL 17(1): 147-149). Returns (DP,
    DP_norm) arrays, one value per term; NaN for a term with no occurrence."""
    c = np.atleast_2d(np.asarray(counts, dtype=float))
    s = np.asarray(sizes, dtype=float)
    if c.shape[1] != s.size or s.size < 2 or (s <= 0).any():
        raise ValueError("gries_dp: give one positive size per part (at least two parts) and one count column per part.")
    totals = c.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = c / totals
    expected = s / s.sum()
    dp = 0.5 * np.abs(v - expected).sum(axis=1)
    dp[totals[:, 0] == 0] = np.nan
    return dp, dp / (1 - expected.min())


def dispersion_dp(toks: pd.DataFrame, unit: str = "term", part: str = "para_id", min_freq: int = 3) -> pd.DataFrame:
    """DP and DP_norm (:func:`gries_dp`) of every content-word term seen at least
    ``min_freq`` times in a text, within that text, its parts being the values of
    ``part`` (paragraphs by default; sizes in words). A text with a single part has no
    dispersion (it is left out). Columns: doc_id, term, count, n_parts, parts_used, dp,
    dp_norm."""
    require_columns(toks, ("doc_id", "is_word", part, unit), "dispersion_dp")
    columns = ["doc_id", "term", "count", "n_parts", "parts_used", "dp", "dp_norm"]
    content = _content_mask(toks).to_numpy(dtype=bool)
    is_word = toks["is_word"].to_numpy(dtype=bool)
    # documents in the order of their first content word; parts and terms sorted
    doc_codes, docs = pd.factorize(toks["doc_id"].where(content), sort=False)
    doc_codes = docs.get_indexer(toks["doc_id"])         # every row of those documents (-1: no content word)
    part_codes, _ = pd.factorize(toks[part], sort=True)
    term_codes, terms = pd.factorize(toks[unit][content], sort=True)
    n_parts_all = max(int(part_codes.max()) + 1, 1) if len(part_codes) else 1
    # sizes: words per (document, part), counted once
    w = is_word & (doc_codes >= 0) & (part_codes >= 0)
    size_keys, sizes = np.unique(doc_codes[w].astype(np.int64) * n_parts_all + part_codes[w], return_counts=True)
    size_doc, size_part = size_keys // n_parts_all, size_keys % n_parts_all
    size_bounds = np.searchsorted(size_doc, np.arange(len(docs) + 1))
    # counts: content words per (document, term, part), counted once
    c_doc, c_part = doc_codes[content], part_codes[content]
    ok = (c_doc >= 0) & (c_part >= 0) & (term_codes >= 0)
    keys = (c_doc[ok].astype(np.int64) * max(len(terms), 1) + term_codes[ok]) * n_parts_all + c_part[ok]
    keys, key_counts = np.unique(keys, return_counts=True)
    key_part = keys % n_parts_all
    key_term = (keys // n_parts_all) % max(len(terms), 1)
    key_bounds = np.searchsorted(keys // n_parts_all // max(len(terms), 1), np.arange(len(docs) + 1))
    out = {k: [] for k in columns}
    for d in range(len(docs)):
        doc_parts = size_part[size_bounds[d]:size_bounds[d + 1]]
        if len(doc_parts) < 2:
            continue
        block = slice(key_bounds[d], key_bounds[d + 1])
        doc_terms, row = np.unique(key_term[block], return_inverse=True)
        table = np.zeros((len(doc_terms), len(doc_parts)), dtype=np.int64)
        table[row, np.searchsorted(doc_parts, key_part[block])] = key_counts[block]
        count = table.sum(axis=1)
        keep = count >= min_freq
        if not keep.any():
            continue
        # The memory layout decides the order in which numpy adds up |v - s| in gries_dp (a
        # C-ordered row is reduced along the row, an F-ordered table column by column), hence
        # the last bits of DP. Keep the layout the former per-document
        # pd.crosstab(...).to_numpy() had, so that the numbers do not move: C-ordered, and
        # F-ordered when a paragraph without content words was added as a column of zeros.
        gap = len(np.unique(key_part[block])) < len(doc_parts)
        table = np.asfortranarray(table[keep]) if gap else np.ascontiguousarray(table[keep])
        dp, dp_norm = gries_dp(table, sizes[size_bounds[d]:size_bounds[d + 1]])
        out["doc_id"].append(np.repeat(d, len(table)))
        out["term"].append(doc_terms[keep])
        out["count"].append(count[keep])
        out["n_parts"].append(np.full(len(table), len(doc_parts), dtype=np.int64))
        out["parts_used"].append((table > 0).sum(axis=1).astype(np.int64))
        out["dp"].append(dp)
        out["dp_norm"].append(dp_norm)
    if not out["doc_id"]:
        return pd.DataFrame(columns=columns)
    cols = {k: np.concatenate(v) for k, v in out.items()}
    return pd.DataFrame({"doc_id": docs.take(cols["doc_id"]), "term": terms.take(cols["term"]),
                         **{k: cols[k] for k in columns[2:]}})


# ---------------------------------------------------------------------- against general English

#: The floor of wordfreq's "large" English list: rarer words are reported as 0.
WORDFREQ_FLOOR = 1e-8


def general_english_keyness(toks: pd.DataFrame, min_freq: int = 3, zero_adjust: float = 0.5) -> pd.DataFrame:
    """Log ratio of each content word form of ``toks`` against general English.

    The reference is wordfreq's "large" English word list (Speer 2022, wordfreq 3.x,
    https://github.com/rspeer/wordfreq: frequencies pooled from Wikipedia, subtitles,
    news, books, the web and social media), shipped inside the package. It gives word
    *forms*, not lemmas, so the unit is the lower-case form of content words. A form
    below the list's floor of 10⁻⁸ counts as ``zero_adjust`` occurrences in an assumed
    reference of 10⁸ words (Hardie's 0.5 adjustment, 2014); hyphenated forms are left
    out, since wordfreq splits them into their parts. log_ratio = log2(corpus rate /
    general-English rate); positive = more frequent here than in general English.

    Columns: term (form), count, per_million, reference_per_million, log_ratio,
    in_reference (False where the floor was used). Sorted by log_ratio, largest first.
    """
    from wordfreq import word_frequency

    require_columns(toks, ("lower", "is_word"), "general_english_keyness")
    total = int(toks["is_word"].sum())
    forms = content_words(toks)["lower"]
    forms = forms[forms.str.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)?")]
    counts = forms.value_counts()
    counts = counts[counts >= min_freq].sort_index()
    reference = np.array([word_frequency(w, "en", wordlist="large") for w in counts.index])
    in_reference = reference > 0
    reference = np.where(in_reference, reference, zero_adjust * WORDFREQ_FLOOR)
    table = pd.DataFrame({"term": counts.index, "count": counts.to_numpy()})
    table["per_million"] = table["count"] / total * 1e6
    table["reference_per_million"] = reference * 1e6
    table["log_ratio"] = np.log2(table["per_million"] / table["reference_per_million"])
    table["in_reference"] = in_reference
    return table.sort_values(["log_ratio", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------- labels

def term_labels(terms: Sequence[str]) -> dict[str, str]:
    """Readable labels for "lemma/UPOS" terms: the lemma alone, or "lemma (word class)"
    where two word classes among ``terms`` share the spelling ("lead (verb)", "lead
    (noun)")."""
    terms = list(dict.fromkeys(terms))
    split = [t.rsplit("/", 1) if "/" in t else [t, ""] for t in terms]
    classes = Counter(lemma for lemma, _ in split)
    return {t: (f"{lemma} ({pos.lower()})" if classes[lemma] > 1 and pos else lemma)
            for t, (lemma, pos) in zip(terms, split)}
