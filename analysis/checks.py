"""Checks shared by the package: the columns of a table, the reading of a versioned YAML
file and of a file of hand marks, and which marked rows the code no longer produces."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd


def require_columns(table, columns: Iterable[str], caller: str, made_by: str = "analysis.tokens(corpus)") -> None:
    """Raise if ``table`` is not a DataFrame with ``columns``; the message names the
    function (``caller``), the missing columns and the function that makes such a table."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{caller}: expected a DataFrame (from {made_by}), got {type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{caller}: the table lacks column(s) {', '.join(missing)}. "
                         f"Pass the table made by {made_by}.")


def missing_annotation(what: str, filename: str) -> str:
    """``no hand annotation of WHAT for this corpus (expected `annotations/FILENAME`)``. The
    path is relative to the corpus folder, so that the sentence names no machine."""
    return f"no hand annotation of {what} for this corpus (expected `annotations/{filename}`)"


def not_measured(what: str, filename: str) -> str:
    """What a notebook says where the corpus lacks a hand-annotation file:
    :func:`missing_annotation` followed by ": not measured"."""
    return missing_annotation(what, filename) + ": not measured"


def read_yaml(path: Path, error: type[Exception], what: str):
    """The YAML file ``path`` parsed as Python objects. Raises ``error`` naming the file
    if it does not exist ("no such {what}") or is not valid YAML."""
    import yaml

    if not path.exists():
        raise error(f"{path}: no such {what}.")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise error(f"{path}: not valid YAML ({err}).") from err


def read_marks(path: Path, columns: Sequence[str], text_columns: Sequence[str], made_by: str) -> pd.DataFrame:
    """A file of hand marks (one row per read item, ``correct`` 0 or 1), checked: it must
    exist (else: create it from ``made_by``), have ``columns``, and ``correct`` must be 0
    or 1 (the error lists the file's line numbers at fault). ``text_columns`` are read as
    strings."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no annotation file. Create it from {made_by} and mark each row.")
    table = pd.read_csv(path, dtype=dict.fromkeys(text_columns, str), keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}.")
    bad = table[~table["correct"].isin([0, 1])]
    if len(bad):
        raise ValueError(f"{path}: 'correct' must be 0 or 1; rows {list(bad.index + 2)} are not.")
    return table


def rows_not_in(table: pd.DataFrame, reference: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """The rows of ``table`` whose ``key`` values match no row of ``reference`` (an
    anti-join, ``table``'s index kept): hand-marked rows that a change of the code, the
    dictionary or the model has made stale."""
    key = list(key)
    merged = table.merge(reference[key].drop_duplicates(), on=key, how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")


def named_by_source(source: str, error: type[Exception], validate, *args):
    """``validate(*args)``, with any ``error`` it raises re-raised with ``source: `` in
    front (unless the message already starts with it), so that every message about a
    dictionary names the file it came from."""
    try:
        return validate(*args)
    except error as err:
        if str(err).startswith(source):
            raise
        raise error(f"{source}: {err}") from None
