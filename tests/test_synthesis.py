"""The synthesis: its statistics by hand, and the numbers quoted in notebook 05's
findings against the tables they come from."""
from __future__ import annotations

import math

import nbformat
import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis import synthesis as syn
from analysis.vocabulary import log_ratio


def test_log_ratio_interval_by_hand():
    # a = 10 of 1,000 vs b = 5 of 1,000: RR = 2, ln RR = ln 2, SE = sqrt(1/10 + 1/5)
    lr, low, high = syn.log_ratio_interval([10], [5], [1000], [1000])
    half = 1.959964 * math.sqrt(0.1 + 0.2)
    assert lr[0] == pytest.approx(1.0)
    assert low[0] == pytest.approx((math.log(2) - half) / math.log(2), abs=1e-6)
    assert high[0] == pytest.approx((math.log(2) + half) / math.log(2), abs=1e-6)


def test_log_ratio_interval_point_is_hardies_log_ratio():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 50, 100), rng.integers(0, 50, 100)
    lr, _, _ = syn.log_ratio_interval(a, b, 3000, 4000)
    assert np.allclose(lr, log_ratio(a, b, 3000, 4000))


def test_pooled_rate_difference_by_hand():
    rates = pd.DataFrame({"doc_id": ["a", "b", "c"], "category": "x", "count": [2, 4, 9], "n_words": [1000, 1000, 1500]})
    eras = pd.Series({"a": syn.EARLY, "b": syn.EARLY, "c": syn.LATE})
    row = syn.pooled_rate_difference(rates, eras).iloc[0]
    assert row["per_1k_early"] == pytest.approx(3.0)       # 6 / 2,000 words
    assert row["per_1k_late"] == pytest.approx(6.0)        # 9 / 1,500 words
    half = 1.959964 * 1000 * math.sqrt(9 / 1500 ** 2 + 6 / 2000 ** 2)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((3 - half, 3 + half), abs=1e-6)
    dropped = syn.pooled_rate_difference(rates, eras, drop="a").iloc[0]
    assert dropped["per_1k_early"] == pytest.approx(4.0)


@pytest.mark.parametrize("estimate,low,high,sign,verdict", [
    (2, 1, 3, 1, "survives"), (2, -1, 3, 1, "same sign, interval includes 0"), (-2, -3, -1, 1, "reverses"),
    (-2, -3, -1, -1, "survives"), (-2, -3, 0.5, -1, "same sign, interval includes 0")])
def test_survives(estimate, low, high, sign, verdict):
    assert syn.survives(estimate, low, high, sign) == verdict


def test_net_tone_by_hand():
    scores = pd.DataFrame({
        "voice": ["party-media"] * 4 + ["reader-comments"],
        "era": [syn.EARLY, syn.EARLY, syn.LATE, syn.LATE, syn.LATE],
        **{col: ["negative", "neutral", "positive", "positive", "negative"] for col in syn.SENTIMENT_METHODS.values()},
    })
    table = syn.net_tone_by_era(scores, n_boot=200).set_index("method")
    assert table.loc["hand", "tone_early"] == -0.5 and table.loc["hand", "tone_late"] == 1.0
    assert table.loc["hand", "difference"] == 1.5
    assert table.loc["hand", "n_late"] == 2  # the reader comment is not pooled into the era


def test_robustness_marks_and_grid():
    rows = pd.DataFrame([
        ("rhetoric", "x: more", "all texts", 5.0, 1.0, 9.0, "survives"),
        ("rhetoric", "x: more", "without a", 0.5, -2.0, 3.0, "same sign, interval includes 0"),
        ("rhetoric", "y: less", "all texts", -3.0, -5.0, -1.0, "survives"),
    ], columns=syn.ROBUSTNESS_COLUMNS)
    marks = syn.robustness_marks(rows).set_index("finding")
    assert marks.loc["x: more", "passed"] == 1 and not marks.loc["x: more", "robust"]
    assert marks.loc["x: more", "weakest_check"] == "without a"
    assert marks.loc["y: less", "robust"]
    grid = syn.verdict_grid(rows)
    assert grid.loc[("rhetoric", "x: more"), "without a"] == "~"
    assert grid.loc[("rhetoric", "y: less"), "all texts"] == "✓"


# ------------------------------------------------------------ quoted numbers

def quoted_numbers() -> pd.DataFrame:
    return pd.read_csv(paths.project_root() / "results" / "synthesis_quoted_numbers.csv", keep_default_na=False)


def findings_text() -> str:
    nb = nbformat.read(paths.project_root() / "notebooks" / "05_synthesis.ipynb", as_version=4)
    texts = [out["data"]["text/markdown"] for cell in nb.cells if cell.cell_type == "code"
             for out in cell.get("outputs", []) if "text/markdown" in out.get("data", {})]
    return next(t for t in texts if "What survives every check" in t)


def test_quoted_numbers_match_their_source_tables(monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(paths.project_root()))   # the committed study
    table = quoted_numbers()
    assert len(table) >= 20
    for row in table.itertuples():
        fresh = syn.Quoted(row.name, row.source, row.query, row.column, row.fmt)
        assert fresh.text() == row.text, row.name


def test_findings_print_the_quoted_numbers():
    text = findings_text()
    for row in quoted_numbers().itertuples():
        assert row.text in text, f"{row.name} = {row.text} is not in the findings of 05_synthesis"


def test_quoted_requires_exactly_one_row():
    with pytest.raises(ValueError, match="selects 0 rows"):
        syn.Quoted("x", "rhetoric_era_shift", "category == 'no such category'", "difference").value()
