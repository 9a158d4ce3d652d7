"""Shared fixtures: the real corpus, and small corpus folders made on the fly."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_corpus, paths, sentences, tokens


@pytest.fixture(scope="session")
def corpus_all() -> pd.DataFrame:
    return load_corpus(include_comments=True)


@pytest.fixture(scope="session")
def sentence_table(corpus_all) -> pd.DataFrame:
    return sentences(corpus_all)


@pytest.fixture(scope="session")
def token_table(sentence_table) -> pd.DataFrame:
    return tokens(sentence_table)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the project's corpus folder."""
    target = tmp_path / "corpus"
    shutil.copytree(paths.corpus_dir(), target, ignore=shutil.ignore_patterns("annotations"))
    return target


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_corpus(folder: Path, texts: dict[str, str], rules: str | None = None, **overrides) -> Path:
    """Write a toy corpus folder: one raw file and one metadata row per text."""
    (folder / "raw").mkdir(parents=True)
    rows = []
    for i, (doc_id, text) in enumerate(texts.items()):
        data = text.encode("utf-8")
        (folder / "raw" / f"{doc_id}.txt").write_bytes(data)
        rows.append(dict(doc_id=doc_id, title=f"Title {doc_id}", outlet="Toy outlet", author="nobody",
                         date=f"202{i}-0{i + 1}", date_precision="month", date_earliest="",
                         date_latest="", date_evidence="made up", url="", era="Toy era",
                         voice="party-media", raw_file=f"{doc_id}.txt", sha256=sha256(data), span="all",
                         translation="original-english", translation_evidence="made up")
                    | overrides)
    pd.DataFrame(rows).to_csv(folder / "metadata.csv", index=False)
    if rules is not None:
        (folder / "cleaning_rules.csv").write_text(rules, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def other_study(tmp_path_factory):
    """The whole study run once on the test corpus of ``tests/corpus_factory.py``, as
    ``make study CORPUS=...`` runs it (a subprocess of ``scripts/run_study.py``):
    (corpus folder, output folder, completed process). Shared by every test of a notebook
    on another corpus, so the study runs once per session."""
    import os
    import subprocess
    import sys

    from corpus_factory import build_test_corpus

    base = tmp_path_factory.mktemp("other-corpus")
    corpus = build_test_corpus(base / "corpus")
    out = base / "study"
    env = {k: v for k, v in os.environ.items() if k not in ("STUDY_OUTPUT_DIR", "STUDY_CORPUS_DIR")}
    env["STUDY_CACHE_DIR"] = str(base / "cache")
    run = subprocess.run([sys.executable, str(paths.project_root() / "scripts" / "run_study.py"),
                          "--corpus", str(corpus), "--output", str(out)],
                         capture_output=True, text=True, env=env, timeout=3600)
    return corpus, out, run


@pytest.fixture(scope="module")
def other_run(other_study, request):
    """The test module's ``NOTEBOOK`` as executed in ``other_study``: (corpus folder, output
    folder, executed notebook); fails with the study's error output if the study did not run."""
    corpus, out, run = other_study
    assert run.returncode == 0, run.stderr[-4000:]
    return corpus, out, out / "notebooks" / request.module.NOTEBOOK.name
