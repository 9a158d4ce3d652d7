"""Time and peak memory of every stage of the analysis pipeline, on synthetic corpora
of 100, 1,000 and 10,000 documents of about 100 words each (10k, 100k and 1M words).

The corpora are written by :mod:`synthetic_corpus` (a folder laid out like ``corpus/``,
English-like text with the study's domain words; see its docstring) and read back with
``analysis.load_corpus(folder)``. The stages are the entry points the notebooks call,
with the notebooks' parameters (:data:`STAGES`): loading, sentences, tokens, the
annotation layer (``analysis.annotation.annotate`` with a cold cache in a temporary
``STUDY_CACHE_DIR``), then on the author's voice of the annotated table: term
frequencies, keyness of each text against the rest, keyness of the eras, term rates,
the text-level contrast, DP, KWIC, collocations, lexical diversity, the rhetoric
dictionary and its rates, sentiment (``score_sentiment`` with its default method) and
the social actors.

How it is measured. Every (size, stage) runs in a fresh Python process, which loads its
inputs (the pickled outputs of earlier stages of the same size: loading is not timed)
and what is loaded once per session (spaCy's model, LemmInflect, NLTK, the sentiment
model: a warm-up call before the timing), times the stage once with
``time.perf_counter`` and reports ``resource.getrusage``'s ``ru_maxrss`` of itself right
after the stage: the peak resident memory of the process, inputs included (the peak
before the stage, i.e. of the inputs alone, is reported too). Outputs that later stages
read are pickled after that. A stage that fails is reported as failed; the others go
on.

Annotation is the slow step (spaCy parses one to two thousand words a second on one core
on this text; each document also pays a fixed cost). Over all sizes it gets
``--annotate-budget`` seconds (900): a stage that would overrun it is stopped when the
budget runs out, and its time is reported for the documents it finished (``annotate``
caches each document as soon as it is parsed, so these are the first k documents),
with the time all of them would take at that speed; the other documents are then
annotated untimed, by ``--workers`` processes side by side, so that the later stages run
on the whole corpus. The output says where this happened. Keyness of each text against the rest returns one row per text and tested term, so
its result grows as texts x vocabulary: with the notebooks' ``min_freq=5`` it is run
only where that is at most :data:`KEYNESS_MAX_ROWS` rows; the stage
``keyness_texts_top`` tests the 1,000 most frequent terms at every size, which shows
how the work grows with the number of texts.

Output: a Markdown table of seconds and one of peak MB (stage x size), the growth ratio
of each stage (time at the largest size / time at the one before: about 10 for linear
work when the sizes grow tenfold), the machine and the date; printed, and written to
``--output`` (by default ``benchmarks/RESULTS_pipeline.md`` for the default sizes, no
file otherwise), and as JSON to ``--json``.

Usage::

    python benchmarks/bench_pipeline.py                      # 100, 1,000, 10,000 documents (~20 min on 2 cores)
    python benchmarks/bench_pipeline.py --sizes 100 1000     # smaller sizes
    python benchmarks/bench_pipeline.py --quick              # 20 and 100 documents, a minute or two
    python benchmarks/bench_pipeline.py --stages load tokens annotate --sizes 500
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

SIZES_DEFAULT = (100, 1_000, 10_000)
QUICK_SIZES = (20, 100)
SEED_DEFAULT = 2025
ANNOTATE_BUDGET = 900.0
KEYNESS_MAX_ROWS = 25_000_000
TOP_TERMS = 1_000
RESULTS = HERE / "RESULTS_pipeline.md"
SAVE = "_save"                 # key of a stage's outputs that later stages read (saved untimed)

# The notebooks' parameters (notebooks/01_vocabulary.ipynb, 03_rhetoric.ipynb)
MIN_FREQ = 5
DP_MIN_FREQ = 3
KWIC_WINDOW = 7
COLLOC_MIN_FREQ = {2: 3, 3: 2, 4: 2}
COLLOC_TOP = 8
MATTR_WINDOW = 25              # the notebook's 100 is longer than many texts of about 100 words
N_BOOT = 2000
SEED = 2025
NAME_TYPES = {"PERSON", "GPE", "LOC", "ORG", "NORP", "FAC"}
TRAJECTORY_TERMS = {
    "people": ["people/NOUN"],
    "malady / disease": ["malady/NOUN", "disease/NOUN"],
    "hostile": ["hostile/ADJ"],
    "unity / solidarity": ["unity/NOUN", "unite/VERB", "solidarity/NOUN"],
    "merger / merge": ["merger/NOUN", "merge/VERB"],
    "degradation": ["degradation/NOUN"],
}


@dataclass(frozen=True)
class Stage:
    name: str
    what: str


STAGES = (
    Stage("load", "`load_corpus(folder)`: metadata checks, sha256 of every raw file, cleaning rules"),
    Stage("sentences", "`sentences(corpus)`"),
    Stage("tokens", "`tokens(sentences)`: tokens, lemmas, stopwords"),
    Stage("annotate", "`annotation.annotate(sentences, tokens)`, cold cache (spaCy `en_core_web_sm`, 1 process)"),
    Stage("frequencies", "`term_frequencies` by text and by era"),
    Stage("keyness_texts", f"`keyness_each_vs_rest` by text, min_freq {MIN_FREQ} (skipped above {KEYNESS_MAX_ROWS:,} rows)"),
    Stage("keyness_texts_top", f"`keyness_each_vs_rest` by text on the {TOP_TERMS:,} most frequent terms"),
    Stage("keyness_eras", "`keyness` latest era vs the rest, and `keyness_each_vs_rest` by era"),
    Stage("term_rates", "`term_rates` (6 groups of terms) and `term_rates_by_text` (16 terms)"),
    Stage("text_level", "`text_level_contrast` by era"),
    Stage("dp", f"`dispersion_dp` over paragraphs, min_freq {DP_MIN_FREQ}"),
    Stage("kwic", "`kwic` of 3 patterns and `dispersion` of 3 terms"),
    Stage("collocations", "`collocations` n = 2, 3, 4 of all texts and of each era"),
    Stage("collocations_texts", "`collocations` n = 2, 3, 4 of each text"),
    Stage("diversity", "`lexical_diversity` (TTR, MATTR with a window of 25 words, MTLD)"),
    Stage("rhetoric_matches", "`rhetoric.scan_matches` (dictionary and scope rules, with the layer)"),
    Stage("rhetoric_rates", f"`rhetoric.category_rates` per text and `group_rates` by era, {N_BOOT:,} bootstrap"),
    Stage("sentiment", "`sentiment.score_sentiment` of every sentence, default method"),
    Stage("actors", "`actors.actor_mentions` and `actor_rates`"),
)
STAGE_NAMES = [s.name for s in STAGES]


# ------------------------------------------------------------------------ the child: one stage


class Inputs:
    """The pickled outputs of earlier stages, loaded on first use (not timed)."""

    def __init__(self, work: Path):
        self.work = work
        self._cache: dict = {}

    def get(self, name: str):
        import pandas as pd

        if name not in self._cache:
            path = self.work / f"{name}.pkl"
            if not path.exists():
                raise FileNotFoundError(f"{path}: run the stage that makes it first")
            self._cache[name] = pd.read_pickle(path)
        return self._cache[name]

    def save(self, name: str, obj) -> None:
        obj.to_pickle(self.work / f"{name}.pkl")

    @property
    def annotated(self):
        """The annotated tokens with era and voice (as notebook 01 makes them)."""
        if "annotated_meta" not in self._cache:
            from analysis.vocabulary import with_metadata

            self._cache["annotated_meta"] = with_metadata(self.get("annotated"), self.get("corpus"))
        return self._cache["annotated_meta"]

    @property
    def party(self):
        """The author's voice of the annotated tokens (notebook 01's ``party``)."""
        if "party" not in self._cache:
            table = self.annotated
            self._cache["party"] = table[table["author_voice"]]
        return self._cache["party"]

    @property
    def eras(self):
        corpus = self.get("corpus")
        return corpus.set_index("doc_id")["era"]


def _prepare(stage: str, inp: Inputs):
    """Load what ``stage`` needs and return the function to time (it returns a dict of facts
    about its result)."""
    import numpy as np
    import pandas as pd

    from analysis import vocabulary as V

    if stage == "load":
        from analysis import load_corpus

        def run():
            corpus = load_corpus(inp.work / "corpus")
            return {"documents": len(corpus), SAVE: {"corpus": corpus}}
        return run
    if stage == "sentences":
        from analysis import sentences

        corpus = inp.get("corpus")

        def run():
            sents = sentences(corpus)
            return {"sentences": len(sents), SAVE: {"sents": sents}}
        return run
    if stage == "tokens":
        from analysis import tokens

        sents = inp.get("sents")
        tokens(pd.DataFrame({"doc_id": ["warm-up"], "text": ["Warm up the lemmatizer."]}))   # loads LemmInflect

        def run():
            toks = tokens(sents)
            return {"tokens": len(toks), "words": int(toks["is_word"].sum()),
                    "types": int(toks.loc[toks["is_word"], "lower"].nunique()),
                    SAVE: {"toks": toks, "doc_words": toks.groupby("doc_id", sort=False)["is_word"].sum()}}
        return run
    if stage == "annotate":
        from analysis.annotation import annotate

        sents, toks = inp.get("sents"), inp.get("toks")
        _warm_up_annotation()                               # the model is loaded before the timing

        def run():
            annotated = annotate(sents, toks)
            return {"words": int(toks["is_word"].sum()), "tokens": len(toks), SAVE: {"annotated": annotated}}
        return run

    if stage in ("rhetoric_matches", "rhetoric_rates", "sentiment", "actors"):
        return _prepare_other(stage, inp)

    party = inp.party
    eras = inp.eras
    if stage == "frequencies":
        def run():
            by_text = V.term_frequencies(party, by="doc_id", unit="term")
            by_era = V.term_frequencies(party, by="era", unit="term")
            return {"rows": len(by_text) + len(by_era)}
        return run
    if stage in ("keyness_texts", "keyness_texts_top"):
        totals = V.doc_term_counts(party, unit="term").term_totals()
        if stage == "keyness_texts":
            min_freq = MIN_FREQ
        else:
            min_freq = int(np.sort(totals)[::-1][min(TOP_TERMS, len(totals)) - 1]) if len(totals) else 1
        tested = int((totals >= min_freq).sum())
        n_docs = party["doc_id"].nunique()
        facts = {"min_freq": min_freq, "tested_terms": tested, "expected_rows": tested * n_docs}
        if stage == "keyness_texts" and tested * n_docs > KEYNESS_MAX_ROWS:
            return lambda: {**facts, "skipped": f"result would have {tested * n_docs:,} rows "
                                                f"({n_docs:,} texts x {tested:,} terms)"}

        def run():
            table = V.keyness_each_vs_rest(party, by="doc_id", min_freq=min_freq, unit="term")
            return {**facts, "rows": len(table), "significant": int(table["significant"].sum())}
        return run
    if stage == "keyness_eras":
        corpus = inp.get("corpus")                          # the latest era: the one that starts last
        later = corpus.groupby("era")["date_start"].min().sort_values(kind="stable").index[-1]

        def run():
            pooled = V.keyness(party[party["era"] == later], party[party["era"] != later], min_freq=MIN_FREQ, unit="term")
            each = V.keyness_each_vs_rest(party, by="era", min_freq=MIN_FREQ, unit="term")
            return {"rows": len(pooled) + len(each)}
        return run
    if stage == "term_rates":
        top16 = list(V.term_frequencies(party, by="era", unit="term").sort_values("count", ascending=False)
                     ["term"].drop_duplicates().head(16))

        def run():
            rates = V.term_rates(party, TRAJECTORY_TERMS, unit="term")
            by_text = V.term_rates_by_text(party, top16, unit="term")
            return {"rows": len(rates) + len(by_text)}
        return run
    if stage == "text_level":
        def run():
            return {"rows": len(V.text_level_contrast(party, eras, unit="term", min_freq=MIN_FREQ))}
        return run
    if stage == "dp":
        def run():
            return {"rows": len(V.dispersion_dp(party, unit="term", part="para_id", min_freq=DP_MIN_FREQ))}
        return run
    if stage == "kwic":
        party_all = inp.annotated

        def run():
            n = sum(len(V.kwic(party_all, p, window=KWIC_WINDOW, match_on=m))
                    for p, m in (("people", "lower"), ("hostile forces", "lower"), ("corruption/NOUN", "term")))
            disp = V.dispersion(party, ["people/NOUN", "cadre/NOUN", "corruption/NOUN"], match_on="term")
            return {"kwic_lines": n, "rows": len(disp)}
        return run
    if stage in ("collocations", "collocations_texts"):
        V.collocations(party.head(50), n=2, min_freq=1)    # imports NLTK before the timing
        phrase = party.assign(is_word=party["is_word"] & ~party["ent_type"].isin(NAME_TYPES),
                              is_stop=party["is_stop"] | ~party["is_content"])
        if stage == "collocations":
            tables = [phrase] + [part for _, part in phrase.groupby("era", sort=False)]
        else:
            tables = [part for _, part in phrase.groupby("doc_id", sort=False)]

        def run():
            found = 0
            for table in tables:
                for n, floor in COLLOC_MIN_FREQ.items():
                    found += len(V.collocations(table, n=n, min_freq=floor, top=COLLOC_TOP))
            return {"tables": len(tables), "rows": found}
        return run
    if stage == "diversity":
        annotated = inp.get("annotated")

        def run():
            return {"rows": len(V.lexical_diversity(annotated, window=MATTR_WINDOW))}
        return run
    raise ValueError(f"unknown stage {stage!r}; use one of {STAGE_NAMES}")


def _prepare_other(stage: str, inp: Inputs):
    sents = inp.get("sents")
    if stage == "rhetoric_matches":
        from analysis import rhetoric as rh

        annotated = inp.get("annotated")
        categories = rh.load_categories()

        def run():
            scanned = rh.scan_matches(sents, categories, annotated)
            evidence = scanned[scanned["scope"] == ""].drop(columns="scope").reset_index(drop=True)
            return {"matches": len(evidence), "excluded": len(scanned) - len(evidence),
                    "categories_found": int(evidence["category"].nunique()), SAVE: {"evidence": evidence}}
        return run
    if stage == "rhetoric_rates":
        from analysis import rhetoric as rh

        evidence = inp.get("evidence")
        cats = list(rh.load_categories())
        words = rh.sentence_words(inp.get("annotated"), "author")
        corpus = inp.get("corpus")
        groups = dict(zip(corpus["doc_id"], corpus["era"]))
        order = list(corpus.groupby("era")["date_start"].min().sort_values(kind="stable").index)

        def run():
            author = rh.voice_evidence(evidence, "author")
            rates = rh.category_rates(author, words, cats, n_boot=N_BOOT, seed=SEED)
            group_table = rh.group_rates(author, words, cats, groups, n_boot=N_BOOT, seed=SEED)
            shift = rh.group_difference(group_table, order[0], order[-1])
            return {"rows": len(rates) + len(shift)}
        return run
    if stage == "sentiment":
        from analysis import sentiment as S

        texts = sents["text"]
        S.score_sentiment(texts[:10])                       # lexicons and model loaded before the timing

        def run():
            scored = S.score_sentiment(texts)
            return {"sentences": len(scored), "labels": scored["label"].value_counts().to_dict()}
        return run
    if stage == "actors":
        from analysis import actors as ac

        annotated = inp.get("annotated")
        actors = ac.load_actors()

        def run():
            mentions = ac.actor_mentions(annotated, actors)
            rates = ac.actor_rates(mentions[mentions["author_voice"]], annotated, list(actors))
            return {"mentions": len(mentions), "actors_found": int(mentions["actor"].nunique()), "rows": len(rates)}
        return run
    raise ValueError(stage)


def _warm_up_annotation() -> None:
    """Load spaCy's model and LemmInflect (annotate one sentence, no cache)."""
    import pandas as pd

    from analysis import sentences
    from analysis.annotation import annotate

    sents = sentences(pd.DataFrame({"doc_id": ["warm-up"], "text": ["The Party warms up the model."]}))
    annotate(sents, cache=False)


def fill_layer(work: Path, first: int, last: int) -> None:
    """Annotate documents ``first`` to ``last`` (exclusive, in corpus order) into the
    cache, untimed: the documents a sampled annotate stage left out."""
    import pandas as pd

    from analysis.annotation import annotate

    sents, toks = pd.read_pickle(work / "sents.pkl"), pd.read_pickle(work / "toks.pkl")
    docs = set(list(pd.unique(sents["doc_id"]))[first:last])
    annotate(sents[sents["doc_id"].isin(docs)], toks[toks["doc_id"].isin(docs)])


def assemble_layer(work: Path) -> float:
    """The annotated table of every document, read from the cache once every document is
    in it; saved as the input of the later stages. Returns the seconds it took."""
    import pandas as pd

    from analysis.annotation import annotate

    start = time.perf_counter()
    sents, toks = pd.read_pickle(work / "sents.pkl"), pd.read_pickle(work / "toks.pkl")
    annotate(sents, toks).to_pickle(work / "annotated.pkl")
    return time.perf_counter() - start


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024       # kB on Linux


def child(stage: str, work: Path) -> dict:
    """Run one stage in this process and return its measurement."""
    inp = Inputs(work)
    run = _prepare(stage, inp)
    before = _maxrss_mb()
    print("START", flush=True)                          # the parent's clock for the annotation budget
    start = time.perf_counter()
    facts = run()
    seconds = time.perf_counter() - start
    peak = _maxrss_mb()
    for name, table in facts.pop(SAVE, {}).items():      # inputs of later stages, saved after the timing
        inp.save(name, table)
    return {"stage": stage, "seconds": seconds, "peak_mb": peak, "inputs_peak_mb": before, **facts}


# ------------------------------------------------------------------------ the parent


def _command(work: Path, *args: str) -> tuple[list[str], dict]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--work", str(work), *args]
    env = {**os.environ, "STUDY_CACHE_DIR": str(work / "cache"), "PYTHONPATH": os.pathsep.join(
        [str(ROOT), str(HERE)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))}
    return cmd, env


def _result(proc_stdout: str, proc_stderr: str, returncode: int, stage: str) -> dict:
    for line in reversed(proc_stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    tail = (proc_stderr or proc_stdout).strip().splitlines()[-3:]
    return {"stage": stage, "error": f"exit status {returncode}: " + " | ".join(tail)}


def run_stage(stage: str, work: Path, timeout: float | None = None) -> dict:
    """Run ``stage`` in a fresh Python process; its measurement, or the error."""
    cmd, env = _command(work, "--child", stage)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return {"stage": stage, "error": f"timed out after {timeout:.0f} s"}
    return _result(proc.stdout, proc.stderr, proc.returncode, stage)


def run_annotate(work: Path, seconds_left: float) -> dict:
    """The annotate stage in a fresh process, stopped when ``seconds_left`` have passed
    since its timing started. Stopped, it reports the documents it finished (annotate
    writes each document to the cache as soon as it is parsed: the first k documents),
    their words, the seconds spent and the peak memory so far."""
    import pandas as pd

    if seconds_left <= 0:
        return {"stage": "annotate", "seconds": 0.0, "peak_mb": float("nan"), "inputs_peak_mb": float("nan"),
                "sampled_docs": 0, "words": 0}
    cmd, env = _command(work, "--child", "annotate")
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env, cwd=str(ROOT))
        head = []
        for line in proc.stdout:                          # setup: loading the inputs and the model
            head.append(line)
            if line.startswith("START"):
                break
        started = time.perf_counter()
        try:
            out, _ = proc.communicate(timeout=max(seconds_left, 0.0))
        except subprocess.TimeoutExpired:
            elapsed = time.perf_counter() - started
            peak = _peak_of(proc.pid)
            proc.kill()
            proc.communicate()
            doc_words = pd.read_pickle(work / "doc_words.pkl")
            done = min(len(list((work / "cache").glob("*.pkl"))), len(doc_words))
            return {"stage": "annotate", "seconds": elapsed, "peak_mb": peak, "inputs_peak_mb": float("nan"),
                    "sampled_docs": done, "words": int(doc_words.iloc[:done].sum()),
                    "extrapolated_seconds": elapsed * float(doc_words.sum()) / max(int(doc_words.iloc[:done].sum()), 1)}
        err.seek(0)
        return _result("".join(head) + out, err.read(), proc.returncode, "annotate")


def _peak_of(pid: int) -> float:
    """Peak resident memory (VmHWM) of a running process, in MB."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return float("nan")


def complete_layer(work: Path, first: int, n_docs: int, workers: int) -> dict:
    """After a sampled annotate stage: annotate documents ``first``.. into the cache with
    ``workers`` processes side by side, then assemble the full annotated table for the
    later stages (none of this is timed as a stage)."""
    start = time.perf_counter()
    bounds = [first + (n_docs - first) * k // workers for k in range(workers + 1)]
    procs = []
    for a, b in zip(bounds, bounds[1:]):
        if b > a:
            cmd, env = _command(work, "--fill", str(a), str(b))
            procs.append(subprocess.Popen(cmd, env=env, cwd=str(ROOT), stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
    errors = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode:
            errors.append(err.strip().splitlines()[-1] if err.strip() else f"exit status {proc.returncode}")
    filled = time.perf_counter() - start
    if errors:
        return {"error": "; ".join(errors)}
    cmd, env = _command(work, "--assemble")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(ROOT))
    res = _result(proc.stdout, proc.stderr, proc.returncode, "assemble")
    return {**res, "fill_seconds": filled, "workers": len(procs)}


def machine() -> dict:
    import numpy
    import pandas
    import scipy
    import spacy

    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        memory = f"{kb / 1024 ** 2:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "memory": memory,
            "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "versions": f"pandas {pandas.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}, "
                        f"spaCy {spacy.__version__}",
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def bench(sizes: list[int], stages: list[str], seed: int = SEED_DEFAULT, budget: float = ANNOTATE_BUDGET,
          workdir: Path | None = None, timeout: float | None = None, progress: bool = True,
          workers: int = 2, keep: bool = False) -> dict:
    """Write a synthetic corpus per size and run every stage on it; the measurements."""
    from synthetic_corpus import write_corpus

    own_tmp = workdir is None
    root = Path(tempfile.mkdtemp(prefix="bench_pipeline_")) if own_tmp else Path(workdir)
    results: dict = {"sizes": sizes, "stages": stages, "seed": seed, "budget": budget, "runs": {}, "corpora": {}}
    annotate_spent = 0.0                                 # annotation seconds so far
    try:
        for size in sizes:
            work = root / f"docs_{size}"
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            start = time.perf_counter()
            write_corpus(work / "corpus", size, seed)
            results["corpora"][size] = {"write_seconds": time.perf_counter() - start}
            runs = results["runs"].setdefault(size, {})
            for stage in stages:
                if stage == "annotate":
                    left = budget - annotate_spent
                    res = run_annotate(work, left if timeout is None else min(left, timeout))
                    annotate_spent += res.get("seconds", 0.0)
                    if "sampled_docs" in res:
                        if progress:
                            print(f"  annotate: the budget of {budget:.0f} s ran out after {res['sampled_docs']:,} "
                                  f"documents; completing the layer of the other {size - res['sampled_docs']:,} "
                                  f"with {workers} processes (not timed) ...", flush=True)
                        res["completed"] = complete_layer(work, res["sampled_docs"], size, workers)
                        if "error" in res["completed"]:
                            res["error"] = "completing the layer failed: " + res["completed"]["error"]
                else:
                    res = run_stage(stage, work, timeout)
                runs[stage] = res
                if progress:
                    shown = (f"{res['seconds']:8.2f} s {res['peak_mb']:7.0f} MB" if "seconds" in res
                             else f"FAILED: {res['error']}")
                    extra = {k: v for k, v in res.items()
                             if k not in ("stage", "seconds", "peak_mb", "inputs_peak_mb", "error")}
                    print(f"{size:>7,} docs  {stage:<20} {shown}  {extra if extra else ''}", flush=True)
            if not keep:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if own_tmp and not keep:
            shutil.rmtree(root, ignore_errors=True)
        elif keep and progress:
            print(f"inputs kept in {root}", flush=True)
    return results


def _cell(res: dict | None, key: str, fmt: str) -> str:
    if res is None:
        return ""
    if "error" in res:
        return "failed"
    if "skipped" in res:
        return "skipped"
    value = res.get(key)
    text = fmt.format(value) if value is not None else ""
    return text + ("*" if "sampled_docs" in res else "")


def report(results: dict, info: dict, command: str) -> str:
    """The Markdown report of :func:`bench`'s results."""
    sizes, stages = results["sizes"], results["stages"]
    runs = results["runs"]
    what = {s.name: s.what for s in STAGES}
    head = " | ".join(f"{n:,} docs" for n in sizes)
    lines = ["# Pipeline benchmark: time and peak memory of each stage", "",
             f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['system']}; "
             f"Python {info['python']}, {info['versions']}. Date: {info['date']}.", "",
             f"Command: `{command}` (`benchmarks/bench_pipeline.py`; corpora by `benchmarks/synthetic_corpus.py`, "
             f"seed {results['seed']}). Every stage of every size ran in a fresh process.", "",
             "## The corpora", "", "| | " + head + " |", "|---|" + "---:|" * len(sizes)]
    facts = [("documents", "load", "documents"), ("sentences", "sentences", "sentences"),
             ("tokens", "tokens", "tokens"), ("words", "tokens", "words"),
             ("distinct word forms", "tokens", "types")]
    for label, stage, key in facts:
        cells = [f"{runs.get(n, {}).get(stage, {}).get(key, ''):,}" if isinstance(
            runs.get(n, {}).get(stage, {}).get(key), int) else "" for n in sizes]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| seconds to write the corpus | " + " | ".join(
        f"{results['corpora'].get(n, {}).get('write_seconds', float('nan')):.1f}" for n in sizes) + " |")

    growth_label = (f"growth {sizes[-1]:,} / {sizes[-2]:,}" if len(sizes) > 1 else "")
    lines += ["", "## Seconds per stage", "",
              f"Growth: time at {sizes[-1]:,} documents / time at {sizes[-2]:,} "
              f"({sizes[-1] / sizes[-2]:.0f} times the documents and about as many times the words: "
              f"{sizes[-1] / sizes[-2]:.0f} means the stage grows linearly; ⚠ marks more than twice that). "
              "Times under a tenth of a second are too short for their ratio to mean much." if len(sizes) > 1 else "", "",
              "| stage | what runs | " + head + (f" | {growth_label} |" if growth_label else " |"),
              "|---|---|" + "---:|" * len(sizes) + ("---:|" if growth_label else "")]
    for stage in stages:
        cells = [_cell(runs.get(n, {}).get(stage), "seconds", "{:.2f}") for n in sizes]
        row = f"| {stage} | {what.get(stage, '')} | " + " | ".join(cells) + " |"
        if growth_label:
            a, b = runs.get(sizes[-2], {}).get(stage, {}), runs.get(sizes[-1], {}).get(stage, {})
            ok = all("seconds" in r and "skipped" not in r and "sampled_docs" not in r for r in (a, b))
            if ok and a["seconds"] > 0:
                ratio = b["seconds"] / a["seconds"]
                row += f" {ratio:.1f}{' ⚠' if ratio > 2 * sizes[-1] / sizes[-2] else ''} |"
            elif "extrapolated_seconds" in b and "seconds" in a and "sampled_docs" not in a and a["seconds"] > 0:
                row += f" ~{b['extrapolated_seconds'] / a['seconds']:.1f} |"     # from the sample's speed
            else:
                row += " |"
        lines.append(row)
    total = [sum(r.get("seconds", 0.0) for r in runs.get(n, {}).values() if "skipped" not in r) for n in sizes]
    lines.append("| **all stages** | | " + " | ".join(f"**{t:.1f}**" for t in total) + " |" + (" |" if growth_label else ""))

    lines += ["", "## Peak memory per stage (MB)", "",
              "`ru_maxrss` of the stage's process right after the stage: its inputs (the annotated table, "
              "loaded from a pickle) plus what the stage allocates. In brackets: the peak before the stage, "
              "i.e. of the inputs alone.", "",
              "| stage | " + head + " |", "|---|" + "---:|" * len(sizes)]
    for stage in stages:
        cells = []
        for n in sizes:
            r = runs.get(n, {}).get(stage)
            inputs = r.get("inputs_peak_mb") if r else None
            cells.append(_cell(r, "peak_mb", "{:.0f}") + (f" ({inputs:.0f})" if inputs is not None and inputs == inputs
                                                             and "skipped" not in r else ""))
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")

    notes = []
    for n in sizes:
        for stage in stages:
            r = runs.get(n, {}).get(stage)
            if not r:
                continue
            if "error" in r:
                notes.append(f"{n:,} documents, {stage}: failed ({r['error']}).")
            if "skipped" in r:
                notes.append(f"{n:,} documents, {stage}: not run, the {r['skipped']}.")
            if "sampled_docs" in r:
                extra = (f"; at that speed all {n:,} documents would take about {r['extrapolated_seconds']:,.0f} s"
                         if r.get("sampled_docs") else "")
                done = r.get("completed", {})
                filled = (f" The other documents were then annotated into the cache by {done['workers']} processes "
                          f"side by side ({done['fill_seconds']:,.0f} s, not timed as a stage), so the later stages "
                          f"of this size ran on all {n:,} documents." if "fill_seconds" in done else "")
                notes.append(f"{n:,} documents, annotate (*): stopped when the annotation budget of "
                             f"{results.get('budget', ANNOTATE_BUDGET):,.0f} s (all sizes together) ran out, after "
                             f"{r['sampled_docs']:,} documents ({r['words']:,} words) in {r['seconds']:,.0f} s"
                             f"{extra}.{filled}")
            if stage.startswith("keyness_texts") and "tested_terms" in r and "skipped" not in r:
                notes.append(f"{n:,} documents, {stage}: min_freq {r['min_freq']}, {r['tested_terms']:,} terms "
                             f"tested, {r['expected_rows']:,} rows.")
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _shown_arguments(argv: list[str]) -> list[str]:
    """The arguments that change the measurements (not where files go)."""
    shown, skip = [], 0
    for a in argv:
        if skip:
            skip -= 1
        elif a in ("--workdir", "--json", "--output"):
            skip = 1
        elif a != "--keep":
            shown.append(a)
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", help=f"numbers of documents (default {SIZES_DEFAULT})")
    parser.add_argument("--quick", action="store_true", help=f"a short run: sizes {QUICK_SIZES}")
    parser.add_argument("--stages", nargs="+", choices=STAGE_NAMES, help="run only these stages (in pipeline order; "
                        "a stage needs the stages that make its inputs)")
    parser.add_argument("--seed", type=int, default=SEED_DEFAULT)
    parser.add_argument("--annotate-budget", type=float, default=ANNOTATE_BUDGET,
                        help="seconds of annotation over all sizes before later sizes are sampled")
    parser.add_argument("--timeout", type=float, default=None, help="seconds allowed to each stage")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes that complete a sampled annotation layer (untimed)")
    parser.add_argument("--output", type=Path, help="Markdown report (default: benchmarks/RESULTS_pipeline.md "
                        "for the default sizes, none otherwise)")
    parser.add_argument("--json", type=Path, help="the measurements as JSON")
    parser.add_argument("--workdir", type=Path, help="where to write the corpora and inputs (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep each size's corpus and pickled inputs")
    parser.add_argument("--from-json", type=Path, help="only write the report of the measurements saved by --json")
    parser.add_argument("--child", choices=STAGE_NAMES, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fill", type=int, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--assemble", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.fill:
        fill_layer(args.work, *args.fill)
        return 0
    if args.assemble:
        print("RESULT " + json.dumps({"stage": "assemble", "seconds": assemble_layer(args.work)}), flush=True)
        return 0
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        info, command = saved.pop("machine"), saved.pop("command", "python benchmarks/bench_pipeline.py")
        for key in ("runs", "corpora"):
            saved[key] = {int(n): value for n, value in saved[key].items()}
        text = report(saved, info, command)
        print(text)
        if args.output is not None:
            args.output.write_text(text, encoding="utf-8")
        return 0
    if args.child:
        result = child(args.child, args.work)
        print("RESULT " + json.dumps(result, default=str), flush=True)
        return 0

    sizes = list(args.sizes or (QUICK_SIZES if args.quick else SIZES_DEFAULT))
    if any(n < 2 for n in sizes):
        parser.error("every size must be at least 2 documents (keyness needs a rest)")
    stages = [s for s in STAGE_NAMES if args.stages is None or s in args.stages]
    output = args.output
    if output is None and args.sizes is None and not args.quick and args.stages is None:
        output = RESULTS
    command = "python benchmarks/bench_pipeline.py" + "".join(" " + a for a in _shown_arguments(
        sys.argv[1:] if argv is None else argv))
    results = bench(sizes, stages, args.seed, args.annotate_budget, args.workdir, args.timeout,
                    workers=max(1, args.workers), keep=args.keep)
    text = report(results, machine(), command)
    print()
    print(text)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        print(f"written: {output}")
    if args.json is not None:
        args.json.write_text(json.dumps({"machine": machine(), "command": command, **results}, indent=1, default=str),
                             encoding="utf-8")
    failed = [(n, s) for n, stage_runs in results["runs"].items() for s, r in stage_runs.items() if "error" in r]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
