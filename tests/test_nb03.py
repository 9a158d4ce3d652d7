"""Notebook 03 (rhetoric): its figures, its glued findings, and a run on another corpus.

- The figures of :mod:`analysis.rhetoric_plots` on made-up rates: one row per text (every
  doc_id written), height growing with the number of texts, colours of the study's
  families (texts from :func:`analysis.plots.text_styles`, a grey scale for rates, the
  ends of the signed map for a difference later minus earlier).
- The committed notebook: every glue name its Markdown uses is glued, the glued numbers
  equal the committed tables of ``results/`` and an independent computation, no source
  names the project's corpus, and every per-text table and figure holds every text.
- The notebook executed on the test corpus of ``tests/corpus_factory.py`` (marked
  ``notebooks``: slow): it runs, says that precision and recall are not measured instead
  of showing the project's marks, orders the groups by time, writes every text into its
  per-text tables and figures, and its glued numbers match what it wrote.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pandas as pd
import pytest

from analysis import load_corpus, paths
from analysis import rhetoric as rh
from analysis import rhetoric_plots as rp
from analysis.figures import figure_texts
from analysis.plots import GROUP_PALETTE, group_colours, text_styles
from corpus_mentions import corpus_mentions, notebook_source
from glue_values import glued, glued_number, referenced

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "03_rhetoric.ipynb"
#: Tables with one row (or one row per category) for every text of the corpus.
PER_TEXT_TABLES = ("rhetoric_rates", "rhetoric_rates_quoted", "rhetoric_structure", "rhetoric_version_comparison")
#: Figures with one row per text, each labelled with its doc_id.
PER_TEXT_FIGURES = ("03_rhetoric_heatmap", "03_us_and_them", "03_quotes_per_text")
CATS = list(rh.load_categories())
LABELS = {c.name: c.label for c in rh.load_categories().values()}


# ------------------------------------------------------------------ figures on made-up rates

def toy_corpus(n: int, groups=("Late", "Early"), comments: bool = True) -> pd.DataFrame:
    """``n`` main-voice texts, a month apart, split into ``groups`` in time order (names
    sorting against it), and optionally one reader-comments text."""
    rows = []
    for k in range(n):
        date = pd.Timestamp("2001-01-01") + pd.DateOffset(months=k)
        rows.append(dict(doc_id=f"text-{k:02d}", date=date.strftime("%Y-%m"), date_precision="month",
                         date_evidence="Stated", date_start=date, voice="party-media",
                         era=groups[min(k * len(groups) // n, len(groups) - 1)]))
    if comments:
        rows.append(dict(doc_id="text-comments", date="2003-01", date_precision="month", date_evidence="Approximate",
                         date_start=pd.Timestamp("2003-01-01"), voice="reader-comments", era=groups[-1]))
    return pd.DataFrame(rows)


def toy_rates(corpus: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for doc in corpus["doc_id"]:
        words = int(rng.integers(500, 2000))
        for cat in CATS:
            count = int(rng.integers(0, 12))
            rate = 1000 * count / words
            rows.append((doc, cat, count, words, rate, rate * 0.5, rate * 1.5 + 0.1))
    return pd.DataFrame(rows, columns=rh.RATE_COLUMNS)


def toy_quotes(corpus: pd.DataFrame) -> pd.DataFrame:
    rows = [(d, 0, kind, 2, "x", "", "") for k, d in enumerate(corpus["doc_id"])
            for kind in ["scare_quote"] * (k % 3) + ["slogan_or_quotation"] * (k % 2 + 1)]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "kind", "n_words", "quote", "left", "right"])


def _drawn(fig) -> list[str]:
    fig.canvas.draw()
    texts = figure_texts(fig)
    plt.close(fig)
    return texts


@pytest.mark.parametrize("n", [3, 45])
def test_per_text_figures_write_every_text_and_grow_with_them(n):
    corpus = toy_corpus(n)
    rates, styles = toy_rates(corpus), text_styles(corpus, "era")
    words = rates.drop_duplicates("doc_id").set_index("doc_id")["n_words"]
    figures = [rp.rate_heatmap(rates, corpus, LABELS, styles), rp.us_them(rates, corpus, styles, "a subtitle"),
               rp.quotes_per_text(toy_quotes(corpus), corpus, words, styles)]
    heights = [f.get_figheight() for f in figures]
    for fig in figures:
        texts = " ".join(_drawn(fig))
        assert all(d in texts for d in corpus["doc_id"])
    assert min(heights) > 0.15 * (n + 1)            # rows stay readable however many texts


def test_heatmap_uses_the_grey_scale_and_texts_their_colours():
    corpus = toy_corpus(4)
    rates, styles = toy_rates(corpus), text_styles(corpus, "era")
    fig = rp.rate_heatmap(rates, corpus, LABELS, styles)
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert images and all(im.get_cmap().name == "Greys" for im in images)
    markers = {matplotlib.colors.to_hex(line.get_color()) for ax in fig.axes for line in ax.get_lines()
               if line.get_marker() not in (None, "None", "")}
    assert markers == set(styles["colour"])
    plt.close(fig)


def test_us_them_draws_each_text_in_its_colour_without_the_old_palette():
    corpus = toy_corpus(5)
    styles = text_styles(corpus, "era")
    fig = rp.us_them(toy_rates(corpus), corpus, styles)
    colours = {matplotlib.colors.to_hex(line.get_color()) for line in fig.axes[0].get_lines()
               if line.get_marker() not in (None, "None", "")}
    assert colours <= set(styles["colour"]) and len(colours) == len(corpus)
    plt.close(fig)
    source = Path(rp.__file__).read_text()
    assert not [c for c in ("#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#d62728", "#1f77b4", "Blues")
                if c in source]


def test_group_shift_colours_groups_and_signs():
    corpus = toy_corpus(6, groups=("Zed", "Alp", "Mid"), comments=False)
    order = ["Zed", "Alp", "Mid"]
    rates, styles = toy_rates(corpus), text_styles(corpus, "era")
    group_table = pd.DataFrame([(g, c, 1.0 + k, 1000, 2, 1.0 + k, 0.5 + k, 1.5 + k) for k, g in enumerate(order)
                                for c in CATS],
                               columns=["group", "category", "count", "n_words", "n_docs", "per_1k", "ci_low", "ci_high"])
    shift = pd.DataFrame({"category": CATS, "difference": np.linspace(-3, 3, len(CATS))})
    shift["ci_low"], shift["ci_high"] = shift["difference"] - 1, shift["difference"] + 1
    fig = rp.group_shift(group_table, rates, corpus, LABELS, "era", order, group_colours(order), styles, shift)
    right = fig.axes[1]
    cmap = matplotlib.colormaps["RdBu"]
    colours = [matplotlib.colors.to_hex(line.get_color()) for line in right.get_lines() if line.get_marker() == "D"]
    first, last = shift.iloc[0], shift.iloc[-1]
    assert first["ci_high"] < 0 and colours[0] == matplotlib.colors.to_hex(cmap(0.1))     # red: less later
    assert last["ci_low"] > 0 and colours[-1] == matplotlib.colors.to_hex(cmap(0.9))      # blue: more later
    pooled = {matplotlib.colors.to_hex(line.get_color()) for line in fig.axes[0].get_lines() if line.get_marker() == "o"}
    assert pooled == {c.lower() for c in GROUP_PALETTE[:3]}
    texts = " ".join(_drawn(fig))
    assert "Zed → Alp → Mid" in texts and "Mid minus Zed" in texts


# ------------------------------------------------------------------ the committed notebook

def near(value):
    """A number as the tables of results/ hold it (six significant digits, ``save_table``)."""
    return pytest.approx(value, rel=1e-5, abs=1e-9)


def _result(name: str, folder: Path = ROOT) -> pd.DataFrame:
    return pd.read_csv(folder / "results" / f"{name}.csv", keep_default_na=False, na_values=[""])


def test_every_referenced_glue_name_is_glued():
    names = referenced(NOTEBOOK)
    assert len(names) > 30, "the notebook's Markdown uses little glue"
    assert names <= set(glued(NOTEBOOK)), sorted(names - set(glued(NOTEBOOK)))


def check_numbers_against_tables(values: dict, folder: Path, party: list[str]) -> None:
    """The glued numbers of a run against the tables it wrote to ``folder/results``."""
    evidence = _result("rhetoric_evidence", folder)
    author = evidence["author_voice"].astype(str).str.lower() == "true"
    assert glued_number(values, "n_matches") == len(evidence)
    assert glued_number(values, "n_quoted_matches") == (~author).sum()
    assert glued_number(values, "quoted_share") == near((~author).sum() / len(evidence))
    assert glued_number(values, "n_excluded") == len(_result("rhetoric_excluded", folder))
    comparison = _result("rhetoric_version_comparison", folder)
    assert glued_number(values, "n_after") == comparison["after"].sum() == len(evidence)
    assert glued_number(values, "n_before") == comparison["before"].sum()
    rates = _result("rhetoric_rates", folder)
    party_rates = rates[rates["doc_id"].isin(party)]
    totals = party_rates.groupby("category")["count"].sum()
    assert glued_number(values, "naming_total") == totals["malady_naming"]
    assert glued_number(values, "metaphor_total") == totals["medical_metaphor"]
    wide = party_rates.pivot(index="doc_id", columns="category", values="per_1k")
    assert glued_number(values, "we_more") == (wide["we_inclusive"] > wide["they_others"]).sum()
    assert glued_number(values, "n_party") == len(party) == wide.shape[0]
    spread = (wide.max() - wide.min())
    widest = spread.idxmax()
    assert values["var_cat"] == f"*{LABELS[widest].lower()}*"
    assert glued_number(values, "var_high") == near(wide[widest].max())
    assert glued_number(values, "var_low") == near(wide[widest].min())
    assert values["var_high_doc"] == f"`{wide[widest].idxmax()}`"
    structure = _result("rhetoric_structure", folder).set_index("doc_id").loc[party]
    assert glued_number(values, "mean_len_low") == near(structure["sentence_mean_words"].min())
    assert glued_number(values, "mean_len_high") == near(structure["sentence_mean_words"].max())
    assert glued_number(values, "party_words") == structure["n_words"].sum()
    assert glued_number(values, "words_low") == structure["n_words"].min()
    shift_path = folder / "results" / "rhetoric_era_shift.csv"
    if shift_path.exists():
        shift = pd.read_csv(shift_path)
        clear = ((shift["ci_low"] > 0) | (shift["ci_high"] < 0)).sum()
        assert glued_number(values, "n_clear") == clear
        assert values["shift_finding"].startswith(f"{clear} of {len(CATS)} categories")
    else:
        assert values["n_clear"] == "not measured"


def test_glued_numbers_match_the_committed_tables():
    values = glued(NOTEBOOK)
    corpus = load_corpus(include_comments=True)
    party = list(corpus.loc[corpus["voice"] == "party-media", "doc_id"])
    check_numbers_against_tables(values, ROOT, party)
    precision = _result("rhetoric_precision")
    assert glued_number(values, "precision_overall") == near(
        precision["n_correct"].sum() / precision["n_marked"].sum())
    assert glued_number(values, "precision_worst") == near(precision["precision"].min())
    assert f"{precision['precision'].min():.2f}" in values["precision_finding"]
    recall = _result("rhetoric_recall")
    assert glued_number(values, "recall_overall") == near(recall["hits"].sum() / recall["n_gold"].sum())
    assert (precision["n_matches"] == precision["n_marked"]).all()          # every match is marked
    assert "every one of the" in values["precision_status"]


def test_glued_numbers_match_an_independent_computation():
    values = glued(NOTEBOOK)
    marks = rh.read_annotations()
    assert glued_number(values, "precision_overall") == near(marks["correct"].mean())
    they = marks[marks["category"] == "they_others"]
    assert f"Of the {len(they)} marked" in values["they_finding"]
    assert f"{(they['correct'] == 0).sum()} do not refer" in values["they_finding"]
    gold = rh.read_recall()
    assert f"{(gold['category'] != '').sum()} instances marked by hand" in values["recall_status"]
    assert glued_number(values, "n_categories") == len(CATS)
    assert values["dict_version"] == rh.dictionary_version()


def test_the_notebook_names_nothing_of_the_corpus():
    source = notebook_source(NOTEBOOK)
    without_seed = re.sub(r"SEED = \d+", "", source)           # the seed is a number, not a year
    assert not corpus_mentions(without_seed, load_corpus(include_comments=True))
    assert "GROUP = " in source and not re.search(r"\bera\b.*: *\"#", source)     # no colour keyed by era


def test_per_text_tables_and_figures_hold_every_text():
    corpus = load_corpus(include_comments=True)
    check_every_text(ROOT, list(corpus["doc_id"]))


def svg_texts(path: Path) -> str:
    root = ET.parse(path).getroot()
    return "\n".join(el.text or "" for el in root.iter() if el.tag.endswith("description"))


def check_every_text(folder: Path, docs: list[str]) -> None:
    for name in PER_TEXT_TABLES:
        table = _result(name, folder)
        assert sorted(set(table["doc_id"])) == sorted(docs), name
        if name != "rhetoric_version_comparison":             # texts in corpus (date) order
            assert list(pd.unique(table["doc_id"])) == docs, name
    for name in PER_TEXT_FIGURES:
        texts = svg_texts(folder / "figures" / f"{name}.svg")
        missing = [d for d in docs if d not in texts]
        assert not missing, f"{name}: texts missing from the figure: {missing}"


# ------------------------------------------------------------------ another corpus

@pytest.mark.notebooks
def test_other_corpus_says_precision_and_recall_are_not_measured(other_run):
    _, out, notebook = other_run
    values = glued(notebook)
    for name in ("precision_overall", "precision_worst", "recall_overall"):
        assert values[name] == "not measured"
    for name, file in [("precision_status", rh.PRECISION_FILE), ("recall_status", rh.RECALL_FILE),
                       ("they_finding", rh.PRECISION_FILE), ("precision_finding", rh.PRECISION_FILE),
                       ("recall_finding", rh.RECALL_FILE)]:
        assert "not measured" in values[name] and f"expected `annotations/{file}`" in values[name], name
    for name in ("rhetoric_precision", "rhetoric_recall", "rhetoric_recall_pairs"):     # the project's marks never shown
        assert not (out / "results" / f"{name}.csv").exists()
    assert not (out / "figures" / "03_precision.png").exists() and not (out / "figures" / "03_recall.png").exists()
    assert "no text in another voice" in values["other_finding"]
    outputs = nbformat.writes(nbformat.read(notebook, as_version=4))
    own = load_corpus(paths.default_corpus_dir(), include_comments=True)
    assert not [d for d in own["doc_id"] if d in outputs]


@pytest.mark.notebooks
def test_other_corpus_orders_groups_by_time(other_run):
    corpus_dir, out, notebook = other_run
    rates = _result("rhetoric_era_rates", out)
    assert list(pd.unique(rates["group"])) == ["Zeta", "Alpha", "Mu"]
    shift = pd.read_csv(out / "results" / "rhetoric_era_shift.csv")
    assert {"per_1k_Zeta", "per_1k_Mu", "difference", "ci_low", "ci_high"} <= set(shift.columns)
    np.testing.assert_allclose(shift["difference"], shift["per_1k_Mu"] - shift["per_1k_Zeta"], atol=1e-4)
    assert "Mu minus Zeta" in glued(notebook)["shift_finding"]


@pytest.mark.notebooks
def test_other_corpus_numbers_match_its_tables(other_run):
    corpus_dir, out, notebook = other_run
    corpus = load_corpus(corpus_dir, include_comments=True)
    check_numbers_against_tables(glued(notebook), out, list(corpus["doc_id"]))


@pytest.mark.notebooks
def test_other_corpus_per_text_outputs_hold_every_text(other_run):
    corpus_dir, out, _ = other_run
    corpus = load_corpus(corpus_dir, include_comments=True)
    check_every_text(out, list(corpus["doc_id"]))
