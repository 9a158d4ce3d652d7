"""The synthesis: its statistics by hand, and the numbers quoted in notebook 05's
findings against the tables they come from."""
from __future__ import annotations

import math
import re

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
    eras = pd.Series({"a": "first", "b": "first", "c": "last"})
    row = syn.pooled_rate_difference(rates, eras, "first", "last").iloc[0]
    assert row["per_1k_early"] == pytest.approx(3.0)       # 6 / 2,000 words
    assert row["per_1k_late"] == pytest.approx(6.0)        # 9 / 1,500 words
    half = 1.959964 * 1000 * math.sqrt(9 / 1500 ** 2 + 6 / 2000 ** 2)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((3 - half, 3 + half), abs=1e-6)
    dropped = syn.pooled_rate_difference(rates, eras, "first", "last", drop="a").iloc[0]
    assert dropped["per_1k_early"] == pytest.approx(4.0)


@pytest.mark.parametrize("estimate,low,high,sign,verdict", [
    (2, 1, 3, 1, "survives"), (2, -1, 3, 1, "same sign, interval includes 0"), (-2, -3, -1, 1, "reverses"),
    (-2, -3, -1, -1, "survives"), (-2, -3, 0.5, -1, "same sign, interval includes 0")])
def test_survives(estimate, low, high, sign, verdict):
    assert syn.survives(estimate, low, high, sign) == verdict


def test_net_tone_by_hand():
    scores = pd.DataFrame({
        "voice": ["party-media"] * 4 + ["reader-comments"],
        "era": ["first", "first", "last", "last", "last"],
        **{col: ["negative", "neutral", "positive", "positive", "negative"] for col in syn.SENTIMENT_METHODS.values()},
    })
    table = syn.net_tone_by_era(scores, "first", "last", n_boot=200).set_index("method")
    assert table.loc["hand", "tone_early"] == -0.5 and table.loc["hand", "tone_late"] == 1.0
    assert table.loc["hand", "difference"] == 1.5
    assert table.loc["hand", "n_late"] == 2  # the reader comment is not pooled into the era


def test_net_tone_leaves_out_sentences_without_a_hand_label():
    scores = pd.DataFrame({
        "voice": ["party-media"] * 4, "era": ["first", "first", "last", "last"],
        **{col: ["negative", "neutral", "positive", "negative"] for col in syn.SENTIMENT_METHODS.values()},
    })
    scores.loc[3, "hand_label"] = ""          # an unlabelled text's sentence
    table = syn.net_tone_by_era(scores, "first", "last", n_boot=200).set_index("method")
    assert table.loc["hand", "n_late"] == 1 and table.loc["hand", "tone_late"] == 1.0
    assert table.loc["model", "n_late"] == 2 and table.loc["model", "tone_late"] == 0.0


def test_leave_one_text_out_drops_only_texts_of_the_two_groups():
    rates = pd.DataFrame({"doc_id": ["a", "b", "m", "c"], "category": "x", "count": [2, 4, 7, 9],
                          "n_words": [1000, 1000, 1000, 1500]})
    eras = pd.Series({"a": "first", "b": "first", "m": "middle", "c": "last"})
    loo = syn.leave_one_text_out(rates, eras, "first", "last")
    assert list(loo["left_out"]) == ["a", "b", "c"]


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
    return pd.read_csv(paths.project_root() / "results" / "synthesis_quoted_numbers.csv", keep_default_na=False,
                       dtype={"text": str})


NOTEBOOK = paths.project_root() / "notebooks" / "05_synthesis.ipynb"


def test_quoted_numbers_match_their_source_tables(monkeypatch):
    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(paths.project_root()))   # the committed study
    table = quoted_numbers()
    assert len(table) >= 10
    for row in table.itertuples():
        fresh = syn.Quoted(row.name, row.source, row.query, row.column, row.fmt, optional=bool(row.optional))
        assert fresh.text() == row.text, row.name


def test_glued_findings_numbers_are_the_tables_numbers(monkeypatch):
    """Each number glued into the findings equals the value in its source table, as a number."""
    import sys

    sys.path.insert(0, str(paths.project_root() / "tests"))
    from glue_values import glued, glued_number

    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(paths.project_root()))
    values = glued(NOTEBOOK)
    for row in quoted_numbers().itertuples():
        expected = syn.Quoted(row.name, row.source, row.query, row.column, optional=bool(row.optional)).value()
        got = glued_number(values, row.name)
        assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(float(expected), rel=1e-9), row.name


def test_rhetoric_findings_list_carries_the_tables_numbers(monkeypatch):
    """Every category in the glued rhetoric list, with its difference and interval read back
    as numbers, is a row of rhetoric_era_shift whose interval excludes 0, and vice versa."""
    import sys

    sys.path.insert(0, str(paths.project_root() / "tests"))
    from glue_values import glued

    monkeypatch.setenv("STUDY_OUTPUT_DIR", str(paths.project_root()))
    text = glued(NOTEBOOK)["rhetoric_findings"]
    shift = syn.read_result("rhetoric_era_shift")
    clear = shift[(shift["ci_low"] > 0) | (shift["ci_high"] < 0)]
    items = re.findall(r"\*\*(.+?)\*\*: ([-+][0-9.]+) per 1,000 words \((-?[0-9.]+) to (-?[0-9.]+)\)", text)
    assert len(items) == len(clear)
    for (name, diff, low, high), r in zip(items, clear.itertuples()):
        assert name == r.category.replace("_", " ")
        assert float(diff) == pytest.approx(r.difference, abs=0.05)
        assert (float(low), float(high)) == pytest.approx((r.ci_low, r.ci_high), abs=0.05)


def test_corpus_facts_from_the_metadata():
    corpus = pd.DataFrame({
        "doc_id": list("abcd"), "voice": ["party-media"] * 3 + ["reader-comments"],
        "era": ["Zeta", "Zeta", "Alpha", "Alpha"], "outlet": ["P", "P", "Q", "Q"], "translation": ["x", "y", "x", "x"],
        "date_start": pd.to_datetime(["2016-01-01", "2017-05-01", "2020-01-01", "2020-02-01"]),
        "date_evidence": ["Stated", "Inferred from x", "Stated", "Approximate"]})
    facts = syn.corpus_facts(corpus).splitlines()
    assert facts[0].startswith("- 3 texts in the main voice") and "1 text in other voices" in facts[0]
    assert facts[1] == "- groups by `era`, earliest first: **Zeta** (2016-2017; 2 texts); **Alpha** (2020; 1 text)"
    assert facts[2] == "- 1 of 3 texts dated by inference or approximation"
    assert "every outlet appears in one group only" in facts[3]
    assert facts[4] == "- translations shared by more than one group: x"


def test_quoted_requires_exactly_one_row():
    with pytest.raises(ValueError, match="selects 0 rows"):
        syn.Quoted("x", "rhetoric_era_shift", "category == 'no such category'", "difference").value()
