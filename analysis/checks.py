"""The one check every public function runs on the tables it is given."""
from __future__ import annotations

from collections.abc import Iterable

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
