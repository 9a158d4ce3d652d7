"""Design the sentiment instruments on the design part of the project's hand labels and
write them to ``analysis/data/sentiment_instruments.json``, the designs that
``analysis.sentiment.score_sentiment`` uses.

Run after changing ``corpus/annotations/sentiment_labels.csv`` or
``analysis/data/sentiment_genre_lexicon.csv``; ``tests/test_sentiment_model.py`` fails
while the file is out of date. Usage: ``python scripts/fit_sentiment.py``.
"""
from __future__ import annotations

import json
import sys

from analysis import paths
from analysis.figures import write_atomically
from analysis.sentiment_model import INSTRUMENTS_FILE, design_to_json, fit_project_instruments


def main() -> int:
    designs = fit_project_instruments()
    data = {"about": "Designed by scripts/fit_sentiment.py on the design part of "
                     "corpus/annotations/sentiment_labels.csv (Party media only).",
            "instruments": {name: design_to_json(d) for name, d in designs.items()}}
    path = paths.data_file(INSTRUMENTS_FILE)
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    for name, d in designs.items():
        print(f"{name}: {len(d.changes)} lexicon changes used, threshold {d.threshold}, "
              f"C {d.model['C'] if d.model else '-'}; {d.n_rows} design rows from {len(d.texts)} texts")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
