"""Groups of texts, read from the metadata: never named in code.

A *group* is the value of a metadata column (``era`` by default; any column such as
``outlet`` or ``translation`` works) shared by several texts. Everything the notebooks say
about groups (their order, their time span, which is the earliest and which the latest,
the windows of a broken time axis) is computed here from the corpus table that
:func:`analysis.load_corpus` returns, so the study runs unchanged on another corpus.

Groups are ordered by time: by the earliest date of their texts, then by name. Only the
texts of the main voice (``party-media``) form groups; other voices (reader comments) are
shown apart and never pooled.
"""
from __future__ import annotations

import pandas as pd

#: The metadata column that groups texts unless a notebook's GROUP parameter says otherwise.
DEFAULT_GROUP = "era"
#: The voice whose texts are grouped and compared; other voices are reported apart.
MAIN_VOICE = "party-media"


def main_voice(corpus: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``corpus`` in the main voice (all rows if there is no ``voice`` column)."""
    if "voice" not in corpus:
        return corpus
    return corpus[corpus["voice"] == MAIN_VOICE]


def _check_column(corpus: pd.DataFrame, column: str) -> None:
    if column not in corpus:
        raise KeyError(f"no metadata column {column!r} to group the texts by; the corpus has: "
                       f"{', '.join(map(str, corpus.columns))}. Set GROUP to one of them.")


def group_order(corpus: pd.DataFrame, column: str = DEFAULT_GROUP) -> list[str]:
    """The groups of the main-voice texts, earliest first (by the earliest ``date_start``
    of their texts, then by name). Texts with an empty value form no group."""
    _check_column(corpus, column)
    texts = main_voice(corpus)
    texts = texts[texts[column].astype(str).str.strip() != ""]
    first = texts.groupby(column)["date_start"].min().reset_index()
    return list(first.sort_values(["date_start", column])[column].astype(str))


def groups_of(corpus: pd.DataFrame, column: str = DEFAULT_GROUP) -> pd.Series:
    """doc_id -> group, for the main-voice texts, in corpus order."""
    _check_column(corpus, column)
    texts = main_voice(corpus)
    return pd.Series(texts[column].astype(str).to_numpy(), index=texts["doc_id"], name=column)


def earliest_and_latest(corpus: pd.DataFrame, column: str = DEFAULT_GROUP) -> tuple[str, str]:
    """The first and the last group in time: the pair a contrast "later minus earlier"
    compares. Raises ``ValueError`` when there are fewer than two groups."""
    order = group_order(corpus, column)
    if len(order) < 2:
        raise ValueError(f"column {column!r} gives {len(order)} group(s) of texts ({', '.join(order) or 'none'}): "
                         "a contrast between groups needs two. Choose another GROUP column.")
    return order[0], order[-1]


def _years(dates: pd.Series) -> str:
    lo, hi = dates.min().year, dates.max().year
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def group_spans(corpus: pd.DataFrame, column: str = DEFAULT_GROUP) -> pd.DataFrame:
    """One row per group, in :func:`group_order`: ``group``, ``texts`` (how many),
    ``first`` and ``last`` (dates of its texts) and ``years`` ("2020-2021")."""
    texts = main_voice(corpus)
    rows = []
    for g in group_order(corpus, column):
        dates = texts.loc[texts[column].astype(str) == g, "date_start"]
        rows.append(dict(group=g, texts=len(dates), first=dates.min(), last=dates.max(), years=_years(dates)))
    return pd.DataFrame(rows, columns=["group", "texts", "first", "last", "years"])


def group_labels(corpus: pd.DataFrame, column: str = DEFAULT_GROUP) -> dict[str, str]:
    """Group -> a label for legends: its name, its years and its number of texts,
    e.g. ``"To Lam (2025; 2 texts)"``."""
    return {r.group: f"{r.group} ({r.years}; {r.texts} text{'s' if r.texts != 1 else ''})"
            for r in group_spans(corpus, column).itertuples()}


def time_windows(dates, min_gap_years: float = 1.5, pad_days: int = 45) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The windows of a broken time axis that shows every date: sorted dates are split
    wherever two neighbours are more than ``min_gap_years`` apart, and each window is
    padded by ``pad_days`` on both sides. One window when the dates have no such gap."""
    ts = sorted(pd.to_datetime(pd.Series(list(dates))).dropna())
    if not ts:
        raise ValueError("no dates to place on a time axis")
    gap, pad = pd.Timedelta(days=round(365.25 * min_gap_years)), pd.Timedelta(days=pad_days)
    windows, start = [], ts[0]
    for before, after in zip(ts, ts[1:]):
        if after - before > gap:
            windows.append((start - pad, before + pad))
            start = after
    windows.append((start - pad, ts[-1] + pad))
    return windows


def count_phrase(n: int, noun: str, plural: str | None = None) -> str:
    """``3 texts``, ``1 text``: a count with its noun, for prose written from the data."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
