"""Descriptive tables of the corpus: what each document is and how long it is."""
from __future__ import annotations

import pandas as pd

from . import paths

#: First words of ``date_evidence`` that mark a date as not stated by the outlet itself.
UNCERTAIN_EVIDENCE = ("Inferred", "Approximate")


def date_label(date: str, precision: str, evidence: str = "") -> str:
    """A date as a reader should see it: ``2020-10-29 (day)``, ``~2020-10 (month, inferred)``."""
    inferred = evidence.startswith(UNCERTAIN_EVIDENCE)
    return f"{'~' if inferred else ''}{date} ({precision}{', inferred' if inferred else ''})"


def date_labels(corpus: pd.DataFrame) -> pd.Series:
    """:func:`date_label` for every document, indexed by doc_id."""
    labels = [date_label(d, p, e) for d, p, e in zip(corpus["date"], corpus["date_precision"], corpus["date_evidence"])]
    return pd.Series(labels, index=corpus["doc_id"], name="date_label")


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


def cited_documents() -> pd.DataFrame:
    """Party documents the texts cite, with their dates (``corpus/cited_documents.csv``)."""
    table = pd.read_csv(paths.corpus_dir() / "cited_documents.csv", dtype=str, keep_default_na=False)
    table["date_start"] = [pd.Period(d, freq=p[0].upper()).start_time for d, p in zip(table["date"], table["date_precision"])]
    return table
