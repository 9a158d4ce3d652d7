"""The sentiment benchmark script: its synthetic corpus and a tiny run (no timing asserted)."""
from __future__ import annotations

import importlib.util
import re
import statistics
from pathlib import Path

import pytest

from analysis import load_corpus, sentences

N = 2_000
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_sentiment.py"


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_sentiment", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture(scope="module")
def synthetic() -> list[str]:
    return bench.synthetic_sentences(N, 2025)


def test_deterministic_distinct_and_seeded(synthetic):
    assert len(synthetic) == N
    assert len(set(synthetic)) == N
    assert bench.synthetic_sentences(N, 2025) == synthetic
    other = bench.synthetic_sentences(N, 2026)
    assert len(other) == N and other != synthetic
    assert not set(other) & set(synthetic)


def test_looks_like_prose(synthetic):
    assert any("“" in t and "”" in t for t in synthetic)
    assert any(t.count('"') == 2 for t in synthetic)
    # a capitalised name of two or more words after the first word
    assert sum(bool(re.search(r"\s[A-Z][a-z]+ [A-Z][a-z]+", t)) for t in synthetic) > N // 10
    assert any("," in t for t in synthetic)
    assert {t[-1] for t in synthetic} == {".", "?", "!"}
    assert all(t[0].isupper() for t in synthetic)
    assert 15 <= statistics.median(len(t.split()) for t in synthetic) <= 30
    assert max(len(t.split()) for t in synthetic) <= 120
    share = bench.describe(synthetic)["lexicon_share"]
    assert 0.04 <= share <= 0.10
    words = {w.lower() for t in synthetic for w in re.findall(r"[A-Za-z]+", t)}
    assert {"not", "never", "no"} <= words


def test_disjoint_from_project_corpus(synthetic):
    project = set(sentences(load_corpus(include_comments=True))["text"])
    assert not project & set(synthetic)


def test_main_runs_and_reports_ratio(capsys):
    status = bench.main(["--n", "300", "--rounds", "1"])
    assert status in (0, 1)
    out = capsys.readouterr().out
    assert any("ratio" in line for line in out.splitlines())
    assert "300 synthetic sentences" in out and "300 distinct" in out
