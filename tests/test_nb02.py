"""Notebook 02 (sentiment): its figures, its glued findings, and a run on another corpus.

- The figures of :mod:`analysis.sentiment_plots` on toy tables: every text keeps its row or
  panel (a text without labels too), and figures grow with the number of texts.
- The committed notebook: every glue name its Markdown uses is glued, the glued numbers
  equal the committed tables of ``results/`` and an independent computation (scikit-learn's
  kappa, net tone recomputed from the sentence table), no source names the project's
  corpus, and cells that save a figure or a table only plot or save.
- The notebook executed on the test corpus of ``tests/corpus_factory.py`` (marked
  ``notebooks``: slow): it runs, names the text without labels instead of validating it,
  writes every text into its per-text tables and figures, and its glued numbers match
  what it wrote.
"""
from __future__ import annotations

import ast
import re
import runpy
import xml.etree.ElementTree as ET

import matplotlib
import nbformat
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from analysis import groups, load_corpus, paths
from analysis import sentiment as S
from analysis import sentiment_plots as P
from corpus_mentions import corpus_mentions, notebook_source
from glue_values import glued, glued_number, referenced

matplotlib.use("Agg")


def table_value(x):
    """A number as ``save_table`` writes it (6 decimals), for comparing with a glued value."""
    return pytest.approx(float(x), abs=1e-6)

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "02_sentiment.ipynb"
#: Tables notebook 02 writes with a row (or rows) for every text of the main voice.
PER_TEXT_TABLES = {"sentiment_documents": "doc_id", "sentiment_design_loto": "unit", "sentiment_validation": "unit",
                   "sentiment_sentences": "doc_id"}
#: Figures notebook 02 writes with a row or panel for every text of the main voice.
PER_TEXT_FIGURES = ("02_documents", "02_design_kappa", "02_validation_kappa", "02_arcs", "02_word_drivers")


def _texts(fig) -> str:
    from matplotlib.text import Text

    fig.canvas.draw()
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def toy_corpus(n: int, groups_=("Early", "Late")) -> pd.DataFrame:
    rows = []
    for k in range(n):
        date = pd.Timestamp("2015-01-01") + pd.Timedelta(days=90 * k)
        rows.append(dict(doc_id=f"doc-{k:02d}", era=groups_[k * len(groups_) // n], voice="party-media",
                         date=date.strftime("%Y-%m-%d"), date_precision="day", date_evidence="Stated: toy",
                         date_start=date, date_earliest="", date_latest=""))
    return pd.DataFrame(rows)


def toy_tone(corpus: pd.DataFrame, unlabelled=()) -> pd.DataFrame:
    rows = []
    for k, doc in enumerate(corpus["doc_id"]):
        for source in ("hand", "model"):
            if source == "hand" and doc in unlabelled:
                continue
            tone = np.sin(k + (source == "model"))
            rows.append(dict(doc_id=doc, source=source, net_tone=tone, low=tone - 0.2, high=tone + 0.2, n=10))
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ figures


def test_text_tone_names_every_text_and_grows_with_them():
    small, large = toy_corpus(4), toy_corpus(40, ("A", "B", "C"))
    fig = P.plot_text_tone(toy_tone(small, unlabelled=["doc-01"]), small, "era", "model")
    text = _texts(fig)
    assert all(d in text for d in small["doc_id"]) and "doc-01 (Early), no hand labels" in text
    assert "era: Early (2015; 2 texts)" in text
    big = P.plot_text_tone(toy_tone(large), large, "era", "model")
    assert all(d in _texts(big) for d in large["doc_id"])
    assert big.get_size_inches()[1] > 4 * fig.get_size_inches()[1]


def test_text_tone_colours_and_markers_are_the_texts_own():
    from analysis.plots import text_styles

    corpus = toy_corpus(4)
    fig = P.plot_text_tone(toy_tone(corpus), corpus, "era", "model")
    styles = text_styles(corpus, "era")
    lines = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) == 1]
    drawn = {(matplotlib.colors.to_hex(ln.get_color()), ln.get_marker()) for ln in lines}
    assert {(c, m) for c, m in zip(styles["colour"], styles["marker"])} <= drawn


def test_validation_keeps_a_row_for_a_text_without_labels():
    rng = np.random.default_rng(0)
    true = rng.choice(list(S.LABELS), 40)
    units = {"a": np.arange(40) < 20, "b": np.arange(40) >= 20, "c": np.zeros(40, bool), "all": np.ones(40, bool)}
    table = S.agreement_by_unit(true, {"vader": true, "model": true[::-1]}, units, n_boot=50, keep_empty=True)
    fig = P.plot_validation(table, list(units), breaks=[3], chosen="model")
    text = _texts(fig)
    assert "c (no hand labels: not measured)" in text and "a (n = 20)" in text and "all (n = 40)" in text
    assert "model (string features) (the instrument used)" in text
    empty = S.agreement_by_unit(true[:0], {"vader": true[:0]}, {"a": np.zeros(0, bool)}, keep_empty=True)
    assert "not measured: no hand labels" in _texts(P.plot_validation(empty, ["a"]))


def test_arcs_and_word_drivers_keep_every_text():
    corpus = toy_corpus(14)
    arc = pd.DataFrame([dict(doc_id=d, sent_id=s, relative_position=s / 4, score=0.1 * s, rolling_mean=0.0,
                             hand_label="unlabelled" if d == "doc-03" else S.LABELS[s % 3])
                        for d in corpus["doc_id"] for s in range(5)])
    text = _texts(P.plot_arcs(arc, corpus, "model", 7))
    assert all(d in text for d in corpus["doc_id"]) and "no hand label" in text
    contrib = pd.DataFrame([dict(doc_id=d, word="good", count=2, valence=1.9, contribution=3.8)
                            for d in corpus["doc_id"] if d != "doc-05"])
    text = _texts(P.plot_word_drivers(contrib, corpus, "VADER"))
    assert all(d in text for d in corpus["doc_id"]) and "no word of the lexicon" in text


def test_polarity_colours_are_the_shared_ones():
    from analysis.plots import POLARITY_COLOURS

    assert not hasattr(P, "LABEL_COLOURS")
    shares = pd.DataFrame({"negative": [2], "neutral": [1], "positive": [3]}, index=["x: hand labels"])
    fig = P.plot_label_shares(shares, "t")
    colours = [matplotlib.colors.to_hex(b.get_facecolor()) for b in fig.axes[0].patches]
    assert colours == [POLARITY_COLOURS[label] for label in S.LABELS]


# ------------------------------------------------------------------ the committed notebook


def _code(name: str) -> str:
    """A glued Markdown code span (`` `model` ``) as its text."""
    return name.strip().strip("`")


def test_every_referenced_glue_name_is_glued():
    names = referenced(NOTEBOOK)
    assert len(names) > 40, "the notebook's Markdown uses too little glue"
    assert names <= set(glued(NOTEBOOK)), sorted(names - set(glued(NOTEBOOK)))


def test_findings_are_markdown_cells_not_printed_strings():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "display(Markdown(" not in cell.source, cell.source[:200]
            for out in cell.get("outputs", []):
                assert "text/markdown" not in out.get("data", {}), cell.id


def test_glued_numbers_match_the_committed_tables():
    values = glued(NOTEBOOK)
    chosen = _code(values["chosen"])
    read = lambda name: pd.read_csv(ROOT / "results" / f"{name}.csv", keep_default_na=False, na_values=[""])  # noqa: E731
    sentences = read("sentiment_sentences")
    assert glued_number(values, "n_sentences") == len(sentences)
    assert glued_number(values, "n_labelled") == sentences["hand_label"].notna().sum()
    validation = read("sentiment_validation").set_index(["method", "unit"])
    held = validation.loc[(chosen, "all")]
    assert bool(held["default"])
    for name, column in (("heldback_kappa", "kappa"), ("heldback_kappa_low", "kappa_low"),
                         ("heldback_kappa_high", "kappa_high"), ("heldback_accuracy", "accuracy"), ("heldback_f1", "macro_f1")):
        assert glued_number(values, name) == table_value(held[column]), name
    assert glued_number(values, "heldback_n") == held["n"]
    assert values["heldback_words"] == held["kappa_words"]
    docs = list(groups.groups_of(load_corpus()).index)
    per_text = validation.loc[chosen].loc[docs]
    assert glued_number(values, "text_kappa_min") == table_value(per_text["kappa"].min())
    assert values["text_kappa_max_doc"] == per_text["kappa"].idxmax()
    design = read("sentiment_design_loto").set_index(["method", "unit"])
    assert glued_number(values, "chosen_design_kappa") == table_value(design.loc[(chosen, "all"), "kappa"])
    assert chosen == design.xs("all", level="unit").loc[list(S.METHODS), "kappa"].idxmax()
    tone = read("sentiment_documents")
    hand = tone[(tone["source"] == "hand") & (tone["voice"] == groups.MAIN_VOICE)].set_index("doc_id")["net_tone"]
    assert glued_number(values, "hand_tone_min") == table_value(hand.min())
    assert values["hand_tone_max_doc"] == hand.idxmax()
    contrasts = read("sentiment_group_contrasts")
    first, last = values["first_group"], values["last_group"]
    row = contrasts[(contrasts["from"] == first) & (contrasts["to"] == last)].iloc[0]
    for name, column in (("tone_diff_hand", "hand difference"), ("tone_diff_hand_low", "hand low"),
                         ("tone_diff_inst", "instrument difference"), ("bias_diff_high", "bias high")):
        assert glued_number(values, name) == table_value(row[column]), name
    assert values["contrast_verdict"] == row["instrument contrast"]
    support = read("sentiment_lexicon_support")
    assert glued_number(values, "n_families") == len(support)
    assert glued_number(values, "n_supported_families") == support["supported"].astype(str).eq("True").sum()


def test_glued_numbers_match_an_independent_computation():
    values = glued(NOTEBOOK)
    chosen = _code(values["chosen"])
    corpus = load_corpus()
    sentences = pd.read_csv(ROOT / "results" / "sentiment_sentences.csv", keep_default_na=False, na_values=[""])
    main = sentences[sentences["voice"] == groups.MAIN_VOICE]
    held = main[(main["split"] == "held-back") & main["hand_label"].notna()]
    assert glued_number(values, "heldback_kappa") == pytest.approx(
        cohen_kappa_score(held["hand_label"], held[f"{chosen}_label"], labels=list(S.LABELS)))
    tone = main.dropna(subset=["hand_label"]).assign(t=lambda t: t["hand_label"].map({"negative": -1, "neutral": 0, "positive": 1}))
    by_text = tone.groupby("doc_id")["t"].mean()
    assert glued_number(values, "hand_tone_max") == pytest.approx(by_text.max())
    assert values["hand_tone_min_doc"] == by_text.idxmin()
    order = groups.group_order(corpus)
    assert (values["first_group"], values["last_group"]) == (order[0], order[-1])
    by_group = tone.groupby("era")["t"].mean()
    assert glued_number(values, "tone_diff_hand") == pytest.approx(by_group[order[-1]] - by_group[order[0]])
    labels = S.read_labels().merge(corpus[["doc_id", "voice"]], on="doc_id")
    assert glued_number(values, "n_design") == ((labels["split"] == "design") & (labels["voice"] == groups.MAIN_VOICE)).sum()
    drivers = pd.read_csv(ROOT / "results" / "sentiment_word_drivers.csv", keep_default_na=False)
    vader = drivers[drivers["method"] == "vader"]
    sums = vader.groupby("word")["contribution"].sum()
    assert values["top_word"] == f"*{sums.idxmax()}*"
    assert glued_number(values, "top_word_share") == pytest.approx(sums.max() / vader.loc[vader["contribution"] > 0, "contribution"].sum())


def test_the_notebook_names_nothing_of_the_corpus():
    source = re.sub(r"^SEED = \d+", "", notebook_source(NOTEBOOK), flags=re.M)    # a seed is not a year
    assert not corpus_mentions(source, load_corpus(include_comments=True))
    assert "GROUP = \"era\"" in source


def test_cells_that_save_only_plot_or_save():
    only = runpy.run_path(str(ROOT / "scripts" / "build_site.py"))["only_plots_or_saves"]
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type != "code" or not re.search(r"\bsave_(figure|table)\(", cell.source):
            continue
        tree = ast.parse(cell.source)
        blocks = [stmt.body for stmt in tree.body if isinstance(stmt, ast.If)] or [tree.body]
        for body in blocks:     # a figure drawn only when the corpus has what it shows: the body only plots
            assert only("\n".join(ast.unparse(s) for s in body)), cell.source
        if "save_figure" in cell.source:
            assert cell.source.rstrip().endswith(";"), cell.source


def test_per_text_tables_hold_every_text():
    corpus = load_corpus(include_comments=True)
    main = list(groups.groups_of(corpus).index)
    for name, column in PER_TEXT_TABLES.items():
        table = pd.read_csv(ROOT / "results" / f"{name}.csv", keep_default_na=False)
        assert set(main) <= set(table[column]), name
    sentences = pd.read_csv(ROOT / "results" / "sentiment_sentences.csv", keep_default_na=False)
    assert list(dict.fromkeys(sentences["doc_id"])) == list(corpus["doc_id"])


# ------------------------------------------------------------------ another corpus


@pytest.mark.notebooks
def test_other_corpus_names_the_unlabelled_text_and_has_no_other_voice(other_run):
    from corpus_factory import UNLABELLED

    _, out, notebook = other_run
    values = glued(notebook)
    assert UNLABELLED in values["labels_phrase"] and UNLABELLED in values["unlabelled_findings"]
    assert list(pd.read_csv(out / "results" / "sentiment_unlabelled.csv")["doc_id"]) == [UNLABELLED]
    design = pd.read_csv(out / "results" / "sentiment_design_loto.csv", keep_default_na=False, na_values=[""])
    row = design[design["unit"] == UNLABELLED]
    assert (row["n"] == 0).all() and row["kappa"].isna().all() and (row["kappa_words"] == "not measured").all()
    assert "no text in another voice" in values["other_voices"]
    assert not (out / "figures" / "02_other_voices.png").exists()


@pytest.mark.notebooks
def test_other_corpus_numbers_match_its_tables(other_run):
    from corpus_factory import DOCUMENTS

    _, out, notebook = other_run
    values = glued(notebook)
    chosen = _code(values["chosen"])
    validation = pd.read_csv(out / "results" / "sentiment_validation.csv", keep_default_na=False, na_values=[""])
    held = validation[(validation["method"] == chosen) & (validation["unit"] == "all")].iloc[0]
    assert glued_number(values, "heldback_kappa") == table_value(held["kappa"])
    sentences = pd.read_csv(out / "results" / "sentiment_sentences.csv", keep_default_na=False, na_values=[""])
    labelled = sentences[(sentences["split"] == "held-back") & sentences["hand_label"].notna()]
    assert glued_number(values, "heldback_kappa") == pytest.approx(
        cohen_kappa_score(labelled["hand_label"], labelled[f"{chosen}_label"], labels=list(S.LABELS)))
    order = list(dict.fromkeys(d[1] for d in DOCUMENTS))          # the factory lists its groups in time order
    assert (values["first_group"], values["last_group"]) == (order[0], order[-1])
    contrasts = pd.read_csv(out / "results" / "sentiment_group_contrasts.csv")
    assert list(zip(contrasts["from"], contrasts["to"])) == [(order[0], order[1]), (order[1], order[2]), (order[0], order[2])]
    tone = sentences.dropna(subset=["hand_label"]).assign(t=lambda t: t["hand_label"].map(
        {"negative": -1, "neutral": 0, "positive": 1})).groupby("era")["t"].mean()
    assert glued_number(values, "tone_diff_hand") == pytest.approx(tone[order[-1]] - tone[order[0]])


@pytest.mark.notebooks
def test_other_corpus_per_text_outputs_hold_every_text(other_run):
    corpus_dir, out, _ = other_run
    ids = list(load_corpus(corpus_dir, include_comments=True)["doc_id"])
    for name, column in PER_TEXT_TABLES.items():
        table = pd.read_csv(out / "results" / f"{name}.csv", keep_default_na=False)
        assert set(ids) <= set(table[column]), name
    project = set(load_corpus(include_comments=True)["doc_id"])
    assert not project & set(pd.read_csv(out / "results" / "sentiment_sentences.csv")["doc_id"])
    for name in PER_TEXT_FIGURES:
        root = ET.parse(out / "figures" / f"{name}.svg").getroot()
        description = " ".join(el.text or "" for el in root.iter() if el.tag.endswith("description"))
        assert all(d in description for d in ids), name
