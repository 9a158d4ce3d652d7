"""The pipeline benchmark: its synthetic corpus, every stage on a tiny corpus, and the
report (no timing is asserted)."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from analysis import load_corpus, sentences
from analysis.corpus import METADATA_COLUMNS

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
N_DOCS = 20


def _load(name: str):
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


synthetic = _load("synthetic_corpus")
bench = _load("bench_pipeline")


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory) -> Path:
    return synthetic.write_corpus(tmp_path_factory.mktemp("synthetic") / "corpus", 200, seed=7)


def test_synthetic_corpus_loads_like_the_real_one(corpus_folder):
    corpus = load_corpus(corpus_folder)
    assert len(corpus) == 200 and corpus["doc_id"].is_unique
    assert set(METADATA_COLUMNS) <= set(corpus.columns)
    assert set(corpus["voice"]) == {"party-media"}
    assert corpus["era"].nunique() == 3 and corpus["year"].nunique() >= 5
    assert set(corpus["date_precision"]) == {"day", "month", "year"}
    facts = synthetic.describe(corpus)
    assert facts["types"] > 4_000                                   # a wide, Zipfian vocabulary (200 texts)
    assert 80 <= facts["words"] / len(corpus) <= 125               # about 100 words a text
    text = "\n".join(corpus["text"])
    assert not any(t.splitlines()[0] == title for t, title in zip(corpus["text"], corpus["title"]))   # titles cleaned
    assert not re.search(r"^\([A-Za-z.]+\) - ", text, re.MULTILINE)                                  # outlet tags cleaned
    for phrase in ("the Party", "cadres", "the people", "corruption", "General Secretary", "-NQ/TW", "“", '"'):
        assert phrase in text, phrase
    assert re.search(r"(?:General Secretary|President|Comrade) [A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+", text)


def test_synthetic_corpus_is_deterministic_new_text_and_a_prefix_of_larger_ones(tmp_path, corpus_folder):
    small = synthetic.write_corpus(tmp_path / "small", 5, seed=7)
    for path in (small / "raw").iterdir():
        assert path.read_bytes() == (corpus_folder / "raw" / path.name).read_bytes()
    other = synthetic.write_corpus(tmp_path / "other", 5, seed=8)
    assert (other / "raw" / "synthetic-00000.txt").read_bytes() != (small / "raw" / "synthetic-00000.txt").read_bytes()
    project = set(sentences(load_corpus(include_comments=True))["text"])
    assert not project & set(sentences(load_corpus(corpus_folder))["text"])
    with pytest.raises(ValueError, match="n_docs"):
        synthetic.write_corpus(tmp_path / "none", 0)


def test_every_stage_runs_and_reports_a_time(tmp_path, monkeypatch):
    """Every stage, in one process (as each child does), on a corpus of 20 documents."""
    monkeypatch.setenv("STUDY_CACHE_DIR", str(tmp_path / "cache"))
    work = tmp_path / "work"
    synthetic.write_corpus(work / "corpus", N_DOCS)
    runs = {}
    for stage in bench.STAGE_NAMES:
        runs[stage] = bench.child(stage, work)
        assert runs[stage]["seconds"] >= 0 and runs[stage]["peak_mb"] > 0, stage
    assert runs["load"]["documents"] == N_DOCS
    assert runs["tokens"]["words"] > 50 * N_DOCS
    assert runs["annotate"]["words"] == runs["tokens"]["words"]
    assert runs["keyness_texts"]["rows"] == runs["keyness_texts"]["expected_rows"] > 0
    assert runs["rhetoric_matches"]["matches"] > 0 and runs["actors"]["mentions"] > 0
    assert runs["sentiment"]["sentences"] == bench.Inputs(work).get("sents").shape[0]

    results = {"sizes": [N_DOCS, 2 * N_DOCS], "stages": bench.STAGE_NAMES, "seed": 2025, "budget": 900.0,
               "corpora": {N_DOCS: {"write_seconds": 0.1}}, "runs": {N_DOCS: runs, 2 * N_DOCS: runs}}
    info = {"cpu": "test cpu", "cores": 2, "memory": "1 GB RAM", "system": "Linux", "python": "3.11",
            "versions": "pandas", "date": "today"}
    text = bench.report(results, info, "python benchmarks/bench_pipeline.py --sizes 20 40")
    for stage in bench.STAGE_NAMES:
        assert re.search(rf"^\| {stage} \| .* \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$", text, re.MULTILINE), stage
    assert "2 cores" in text and "| words |" in text


def test_the_command_line_runs_stages_in_fresh_processes(tmp_path):
    output, data = tmp_path / "report.md", tmp_path / "report.json"
    status = bench.main(["--sizes", "5", "--stages", "load", "sentences", "tokens", "--output", str(output),
                         "--json", str(data), "--workdir", str(tmp_path / "work")])
    assert status == 0
    text = output.read_text(encoding="utf-8")
    for stage in ("load", "sentences", "tokens"):
        assert re.search(rf"^\| {stage} \| .* \| [\d.]+ \|$", text, re.MULTILINE), stage
    assert "| documents | 5 |" in text and data.exists()


def test_annotation_budget_stops_the_stage_and_the_layer_is_completed(tmp_path):
    stages = ["load", "sentences", "tokens", "annotate", "dp"]
    results = bench.bench([12], stages, budget=0.3, workdir=tmp_path / "work", progress=False, workers=2)
    runs = results["runs"][12]
    annotate = runs["annotate"]
    assert "error" not in annotate and 0 <= annotate["sampled_docs"] < 12
    assert annotate["completed"]["workers"] == 2
    assert runs["dp"]["seconds"] >= 0 and "error" not in runs["dp"]          # ran on the completed layer
    info = dict.fromkeys(("cpu", "cores", "memory", "system", "python", "versions", "date"), "x")
    text = bench.report(results, info, "python benchmarks/bench_pipeline.py")
    assert "stopped when the annotation budget of 0 s" in text and "later stages of this size ran on all 12" in text
