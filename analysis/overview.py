"""Descriptive tables of the corpus: what each document is and how long it is."""
from __future__ import annotations

import re

import pandas as pd

from . import paths

#: First words of ``date_evidence`` that mark a date as not stated by the outlet itself.
UNCERTAIN_EVIDENCE = ("Inferred", "Approximate")


#: The two windows of a broken time axis: the texts fall in 2020-2021 and in 2025.
TIME_WINDOWS = ((pd.Timestamp("2020-09-01"), pd.Timestamp("2021-12-31")),
                (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-12-31")))


def date_label(date: str, precision: str, evidence: str = "") -> str:
    """A date as a reader should see it, with its precision and how it is known (the
    first words of ``date_evidence``): ``2020-10-29 (day, stated)``,
    ``2025-04-16 (day, event date)``, ``~2020-10 (month, inferred)``; '~' marks a date
    that is inferred or approximate."""
    how = re.match(r"[A-Za-z ]*", evidence)[0].strip().lower()
    uncertain = evidence.startswith(UNCERTAIN_EVIDENCE)
    return f"{'~' if uncertain else ''}{date} ({precision}{', ' + how if how else ''})"


def date_labels(corpus: pd.DataFrame) -> pd.Series:
    """:func:`date_label` for every document, indexed by doc_id."""
    labels = [date_label(d, p, e) for d, p, e in zip(corpus["date"], corpus["date_precision"], corpus["date_evidence"])]
    return pd.Series(labels, index=corpus["doc_id"], name="date_label")


def date_positions(corpus: pd.DataFrame) -> pd.Series:
    """Where each document sits on a time axis, indexed by doc_id: the middle of its
    possible dates (``date_earliest``..``date_latest``), or the start of its date."""
    lo = pd.to_datetime(corpus["date_earliest"].replace("", None)).fillna(corpus["date_start"])
    hi = pd.to_datetime(corpus["date_latest"].replace("", None)).fillna(corpus["date_start"])
    return pd.Series((lo + (hi - lo) / 2).to_numpy(), index=corpus["doc_id"], name="date_position")


def document_summary(corpus: pd.DataFrame, sentence_table: pd.DataFrame, token_table: pd.DataFrame) -> pd.DataFrame:
    """One row per document, in corpus order: date with its precision, outlet, era,
    voice and length in paragraphs, sentences, words (``is_word`` tokens) and tokens."""
    by_doc = token_table.groupby("doc_id", sort=False)
    lengths = pd.DataFrame({
        "paragraphs": sentence_table.groupby("doc_id")["para_id"].nunique(),
        "sentences": sentence_table.groupby("doc_id").size(),
        "words": by_doc["is_word"].sum(),
        "tokens": by_doc.size(),
    })
    info = corpus.set_index("doc_id")[["outlet", "era", "voice"]]
    table = pd.concat([date_labels(corpus), info, lengths], axis=1).loc[corpus["doc_id"]]
    table.index.name = "doc_id"
    return table.reset_index()


def cited_documents(citations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The register of documents the texts cite (``corpus/cited_documents.csv``, read and
    checked by :func:`analysis.citations.read_register`) with ``date_start``, the first
    day its ``issued`` date can stand for. Given the citations found by
    :func:`analysis.citations.extract_citations`, a ``cited_by`` column names the texts
    that cite each document (derived, never stored)."""
    from .citations import cited_by, read_register

    table = read_register()
    table["date_start"] = [pd.Period(d, freq=p[0].upper()).start_time for d, p in zip(table["issued"], table["date_precision"])]
    if citations is not None:
        table["cited_by"] = cited_by(citations, table).to_numpy()
    return table
