"""What a notebook's sources must not say: the project's own texts, groups, outlets and
years, or a count of texts spelled out. The notebooks must run on any corpus, so every such
fact comes from the data, never from the source."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd

SPELLED_COUNT = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten) (texts|documents|eras)\b", re.I)


def notebook_source(path: Path) -> str:
    """The sources of every cell of the notebook at ``path``, joined by new lines."""
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)


def corpus_mentions(source: str, corpus: pd.DataFrame) -> list[str]:
    """The doc_ids, eras, outlets and years of ``corpus`` that ``source`` names (a year
    only where it stands alone, not inside a longer number or a date range such as
    "2016-2017" of a document code), and any spelled-out count of texts, documents or
    eras. Empty when the source names nothing of the corpus."""
    names = set(corpus["doc_id"]) | set(corpus["era"]) | set(corpus["outlet"])
    years = {str(y) for y in corpus["year"]}
    return ([n for n in sorted(names) if n in source]
            + [y for y in sorted(years) if re.search(rf"(?<![\d.-]){y}(?![\d])", source)]
            + [m.group(0) for m in SPELLED_COUNT.finditer(source)])
