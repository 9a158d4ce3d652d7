"""Descriptive tables of the corpus: what each document is, how long it is, when it was
written, where it comes from and what cleaning removed from it. Every function reads the
corpus table (:func:`analysis.load_corpus`) and works for any corpus: groups come from a
metadata column (``era`` by default, :mod:`analysis.groups`), never from names in code."""
from __future__ import annotations

import re

import pandas as pd

from .groups import DEFAULT_GROUP, group_order, main_voice, time_windows

#: First words of ``date_evidence`` that mark a date as not stated by the outlet itself.
UNCERTAIN_EVIDENCE = ("Inferred", "Approximate")


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


def text_labels(corpus: pd.DataFrame, sep: str = "\n") -> dict[str, str]:
    """doc_id -> "doc_id{sep}date label" (:func:`date_labels`), in corpus order: two lines
    with the default ``sep``, one line with ``sep="  "``."""
    return {d: f"{d}{sep}{label}" for d, label in date_labels(corpus).items()}


def date_positions(corpus: pd.DataFrame) -> pd.Series:
    """Where each document sits on a time axis, indexed by doc_id: the middle of its
    possible dates (``date_earliest``..``date_latest``), or the start of its date."""
    lo = pd.to_datetime(corpus["date_earliest"].replace("", None)).fillna(corpus["date_start"])
    hi = pd.to_datetime(corpus["date_latest"].replace("", None)).fillna(corpus["date_start"])
    return pd.Series((lo + (hi - lo) / 2).to_numpy(), index=corpus["doc_id"], name="date_position")


def document_summary(corpus: pd.DataFrame, sentence_table: pd.DataFrame, token_table: pd.DataFrame,
                     column: str = DEFAULT_GROUP) -> pd.DataFrame:
    """One row per document, in corpus order: date with its precision, outlet, era (and the
    grouping ``column`` if it is another), voice and length in paragraphs, sentences, words
    (``is_word`` tokens) and tokens. A document without sentences gets zero lengths."""
    by_doc = token_table.groupby("doc_id", sort=False)
    lengths = pd.DataFrame({
        "paragraphs": sentence_table.groupby("doc_id")["para_id"].nunique(),
        "sentences": sentence_table.groupby("doc_id").size(),
        "words": by_doc["is_word"].sum(),
        "tokens": by_doc.size(),
    }).reindex(corpus["doc_id"]).fillna(0).astype(int)
    info = corpus.set_index("doc_id")[list(dict.fromkeys(["outlet", "era", column, "voice"]))]
    table = pd.concat([date_labels(corpus), info, lengths], axis=1).loc[corpus["doc_id"]]
    table.index.name = "doc_id"
    return table.reset_index()


def uncertain_dates(corpus: pd.DataFrame) -> pd.Series:
    """doc_id -> True where the date is inferred or approximate (``date_evidence`` starts
    with one of :data:`UNCERTAIN_EVIDENCE`; :func:`date_label` marks them '~')."""
    return pd.Series(corpus["date_evidence"].str.startswith(UNCERTAIN_EVIDENCE).to_numpy(), index=corpus["doc_id"],
                     name="uncertain")


def date_ranges(corpus: pd.DataFrame) -> pd.DataFrame:
    """The first and last day each document's date could fall on, indexed by doc_id:
    ``date_earliest`` and ``date_latest``, or the period of ``date`` where they are empty."""
    periods = [pd.Period(d, freq=p[0].upper()) for d, p in zip(corpus["date"], corpus["date_precision"])]
    lo = pd.to_datetime(corpus["date_earliest"].replace("", None))
    hi = pd.to_datetime(corpus["date_latest"].replace("", None))
    lo = lo.fillna(pd.Series([p.start_time.normalize() for p in periods], index=corpus.index))
    hi = hi.fillna(pd.Series([p.end_time.normalize() for p in periods], index=corpus.index))
    return pd.DataFrame({"earliest": lo.to_numpy(), "latest": hi.to_numpy()}, index=pd.Index(corpus["doc_id"], name="doc_id"))


def overlapping_dates(corpus: pd.DataFrame) -> pd.DataFrame:
    """Pairs of main-voice texts whose possible date ranges (:func:`date_ranges`) overlap,
    so that even their order in time is not certain: columns ``first`` and ``second``
    (doc_ids, ``first`` earlier in corpus order), in corpus order. A sweep over the ranges
    sorted by their start: fast for hundreds of texts."""
    texts = main_voice(corpus)
    ranges = date_ranges(texts)
    rank = {d: k for k, d in enumerate(texts["doc_id"])}
    ordered = ranges.sort_values(["earliest", "latest"], kind="stable")
    ids, lo, hi = list(ordered.index), list(ordered["earliest"]), list(ordered["latest"])
    pairs = []
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            if lo[j] > hi[i]:
                break
            pairs.append(tuple(sorted((ids[i], ids[j]), key=rank.get)))
    pairs.sort(key=lambda pair: (rank[pair[0]], rank[pair[1]]))
    return pd.DataFrame(pairs, columns=["first", "second"])


def time_clusters(corpus: pd.DataFrame, min_gap_years: float = 1.5) -> pd.DataFrame:
    """The main-voice texts cut into clusters in time wherever two neighbouring dates
    (:func:`date_positions`) are more than ``min_gap_years`` apart (the windows of
    :func:`analysis.groups.time_windows`). One row per cluster, earliest first: ``first``
    and ``last`` (dates), ``texts`` (how many), ``doc_ids`` (joined by ", "),
    ``years`` ("2020-2021") and ``gap_before_years`` (years since the last date of the
    cluster before; NaN for the first)."""
    texts = main_voice(corpus)
    positions = date_positions(texts).sort_values(kind="stable")
    rows, last = [], None
    for lo, hi in time_windows(positions.to_numpy(), min_gap_years=min_gap_years):
        inside = positions[(positions >= lo) & (positions <= hi)]
        first, end = inside.min(), inside.max()
        years = f"{first.year}" if first.year == end.year else f"{first.year}-{end.year}"
        gap = (first - last).days / 365.25 if last is not None else float("nan")
        rows.append(dict(first=first.normalize(), last=end.normalize(), texts=len(inside),
                         doc_ids=", ".join(inside.index), years=years, gap_before_years=gap))
        last = end
    return pd.DataFrame(rows, columns=["first", "last", "texts", "doc_ids", "years", "gap_before_years"])


def group_sources(corpus: pd.DataFrame, column: str = DEFAULT_GROUP) -> pd.DataFrame:
    """Where each group's texts come from, one row per group (main voice, earliest group
    first): ``group``, ``texts``, ``outlets`` (how many distinct), ``translation`` (the
    values of the ``translation`` column with their counts, most frequent first, e.g.
    ``outlet-english-edition (3)``), and ``shared_outlets`` / ``shared_translations``:
    the outlets and translation values of the group that other groups have too."""
    texts = main_voice(corpus)
    groups = texts[column].astype(str)
    outlet_groups = texts.groupby("outlet")[column].nunique()
    translation_groups = texts.groupby("translation")[column].nunique()
    rows = []
    for g in group_order(corpus, column):
        mine = texts[groups == g]
        counts = mine["translation"].value_counts(sort=False)
        counts = counts.sort_values(ascending=False, kind="stable")
        rows.append(dict(group=g, texts=len(mine), outlets=mine["outlet"].nunique(),
                         translation="; ".join(f"{t} ({n})" for t, n in counts.items()),
                         shared_outlets="; ".join(sorted(o for o in set(mine["outlet"]) if outlet_groups[o] > 1)),
                         shared_translations="; ".join(sorted(t for t in set(mine["translation"])
                                                              if translation_groups[t] > 1))))
    return pd.DataFrame(rows, columns=["group", "texts", "outlets", "translation", "shared_outlets",
                                       "shared_translations"])


def cleaning_by_document(corpus: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """What cleaning removed from each document, one row per document of ``corpus`` (in
    its order, every document even if nothing was removed): ``removals`` (log rows),
    ``characters_removed`` (original minus replacement lengths), ``characters_kept`` (of
    the cleaned text) and ``share_removed`` = removed / (kept + removed), the share of the
    raw text's characters (about: line breaks and blank lines are not counted)."""
    log = log[log["doc_id"].isin(corpus["doc_id"])]
    removed = (log["original"].str.len() - log["replacement"].str.len()).groupby(log["doc_id"]).sum()
    out = pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy()})
    out["removals"] = out["doc_id"].map(log.groupby("doc_id").size()).fillna(0).astype(int)
    out["characters_removed"] = out["doc_id"].map(removed).fillna(0).astype(int)
    out["characters_kept"] = corpus["text"].str.len().to_numpy()
    total = out["characters_kept"] + out["characters_removed"]
    out["share_removed"] = (out["characters_removed"] / total.where(total > 0)).fillna(0.0)
    return out


def cited_off_scale(corpus: pd.DataFrame, cited: pd.DataFrame, max_gap_years: float = 10.0) -> pd.Series:
    """True for the cited documents (rows of :func:`cited_documents`) issued more than
    ``max_gap_years`` before the earliest possible date of any text: a time line drawn to
    scale from them would squeeze the texts, so they are drawn at its left edge."""
    first_text = date_ranges(corpus)["earliest"].min()
    return cited["date_start"] < first_text - pd.Timedelta(days=round(365.25 * max_gap_years))


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
