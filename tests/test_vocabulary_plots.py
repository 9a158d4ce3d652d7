"""Tests of analysis.vocabulary_plots: the figures of notebook 01 take their groups, colours,
time windows and texts from the data, never from the project's corpus."""
from __future__ import annotations

import ast
import inspect
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402

from analysis import paths, vocabulary_plots as vp  # noqa: E402
from analysis.plots import SIGNED_CMAP, text_styles  # noqa: E402


def toy_corpus() -> pd.DataFrame:
    """Five texts in three groups whose names sort against time, two in the same month,
    and one text of reader comments, shaped like load_corpus(include_comments=True)."""
    rows = [("a1", "Zeta", "2016-03-15", "day", "2016-03-15", "2016-03-15", "party-media", "Outlet A"),
            ("a2", "Zeta", "2016-11", "month", "2016-11-01", "2016-11-30", "party-media", "Outlet A"),
            ("b1", "Alpha", "2020-02", "month", "2020-02-01", "2020-02-29", "party-media", "Outlet B"),
            ("b2", "Alpha", "2020-02-20", "day", "2020-02-20", "2020-02-20", "party-media", "Outlet B"),
            ("c1", "Mu", "2024-01", "month", "2024-01-01", "2024-01-31", "party-media", "Outlet C"),
            ("c1-comments", "Mu", "2024-02", "month", "2024-02-01", "2024-02-29", "reader-comments", "Forum")]
    table = pd.DataFrame(rows, columns=["doc_id", "era", "date", "date_precision", "date_earliest", "date_latest",
                                        "voice", "outlet"])
    table["date_start"] = pd.to_datetime(table["date_earliest"])
    table["date_evidence"] = "Stated: made up"
    table["translation"] = "original-english"
    return table


def figure_text(fig) -> str:
    """Every visible text of a drawn figure, one per line, repeats kept."""
    from matplotlib.text import Text

    fig.canvas.draw()
    return "\n".join(t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip())


def code_without_docstrings(module) -> str:
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and \
                isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            node.body = node.body[1:] or [ast.Pass()]
    return ast.unparse(tree)


def test_module_names_no_group_of_the_project():
    source = code_without_docstrings(vp)
    assert "ERA_LABELS" not in source and "ERA_COLORS" not in source and "TIME_WINDOWS" not in source
    meta = pd.read_csv(paths.default_corpus_dir() / "metadata.csv", keep_default_na=False)
    for name in set(meta["era"]) | set(meta["doc_id"]):
        assert name not in source, name
    assert not re.search(r"\b20[12]\d\b", source), "a year of the corpus is typed in the module's code"


def test_document_colors_are_the_text_styles():
    corpus = toy_corpus()
    assert vp.document_colors(corpus) == text_styles(corpus, "era")["colour"].to_dict()
    assert vp.document_colors(corpus)["c1-comments"] == "#7f7f7f"


def test_signed_colours_are_the_ends_of_the_signed_map():
    from matplotlib import colormaps

    assert vp.SIGNED_BELOW == to_hex(colormaps[SIGNED_CMAP](0.1))
    red, _, blue = to_rgb(vp.SIGNED_BELOW)
    assert red > blue                                    # red below zero
    red, _, blue = to_rgb(vp.SIGNED_ABOVE)
    assert blue > red                                    # blue above


def test_legible_darkens_light_shades_only():
    assert vp.legible("#000000") == "#000000"
    dark = vp.legible("#f5d08a")
    assert dark != "#f5d08a"
    r, g, b = to_rgb(dark)
    r0, g0, b0 = to_rgb("#f5d08a")
    assert np.allclose([r / r0, g / g0], b / b0, atol=0.02)  # same hue: every channel scaled alike


def test_panel_columns_grow_with_the_panels():
    assert vp.panel_columns(5) == 3
    assert vp.panel_columns(100) > vp.panel_columns(30) >= 3


def test_nested_in_groups():
    corpus = toy_corpus()
    assert vp.nested_in_groups(corpus, "era", "outlet")          # every outlet in one group
    assert not vp.nested_in_groups(corpus, "era", "translation")  # one translation for all
    assert not vp.nested_in_groups(corpus.assign(era="one"), "era", "outlet")


def test_comparison_phrase_starts_with_the_column():
    assert vp.comparison_phrase("era", "Mu", ["Zeta", "Alpha"]) == "era: Mu vs Zeta + Alpha"


def test_trajectory_positions_move_texts_of_one_month_apart():
    corpus = toy_corpus()
    pos = vp.trajectory_positions(corpus, pd.Timedelta(days=20))
    assert pos["b2"] - pos["b1"] >= pd.Timedelta(days=15)         # the two texts of 2020-02 are apart
    middle = pd.Timestamp("2016-03-15")
    assert pos["a1"] == middle                                      # a text alone in its month stays


def test_term_trajectories_take_windows_from_the_dates():
    corpus = toy_corpus()
    docs = corpus["doc_id"][corpus["voice"] == "party-media"]
    rates = pd.DataFrame([(d, t, 1.0, 0.5, 2.0) for d in docs for t in ("x", "y")],
                         columns=["doc_id", "term", "per_1000", "ci_low", "ci_high"])
    fig = vp.plot_term_trajectories(rates, corpus[corpus["voice"] == "party-media"], vp.document_colors(corpus),
                                    markers=text_styles(corpus)["marker"].to_dict())
    text = figure_text(fig)
    assert "3 windows" in text                                      # 2016, 2020, 2024: two gaps
    for doc in docs:
        assert doc in text                                          # every text named
    plt.close(fig)


def test_text_rates_name_every_text_and_the_direction():
    corpus = toy_corpus()
    party = corpus[corpus["voice"] == "party-media"]
    groups = party.set_index("doc_id")["era"]
    rates = pd.DataFrame({"x/NOUN": [1.0, 1.2, 2.0, 2.5, 5.0]}, index=party["doc_id"])
    contrast = pd.DataFrame({"term": ["x/NOUN"], "group": ["Mu"], "separates": ["above"]})
    fig = vp.plot_text_rates(rates, contrast, groups, {"Zeta": "#111111", "Alpha": "#222222", "Mu": "#333333"},
                             {"x/NOUN": "x"}, styles=text_styles(corpus).loc[party["doc_id"]])
    text = figure_text(fig)
    assert "higher in every Mu text" in text
    for doc in party["doc_id"]:
        assert doc in text
    plt.close(fig)
    empty = vp.plot_text_rates(rates.iloc[:, :0], contrast.iloc[:0], groups, {"Zeta": "#111111"})
    assert "no term to show" in figure_text(empty)
    plt.close(empty)


def test_dispersion_has_a_panel_for_every_text_even_without_key_terms():
    corpus = toy_corpus()
    docs = ["a1", "a2", "b1"]
    disp = pd.DataFrame({"doc_id": ["a1", "a1"], "term": ["x", "x"], "relative_position": [0.1, 0.6]})
    fig = vp.plot_dispersion(disp, docs, {"a1": ["x"], "a2": [], "b1": []}, vp.document_labels(corpus),
                             vp.document_colors(corpus))
    text = figure_text(fig)
    assert all(doc in text for doc in docs)
    assert text.count("no significant key term") == 2
    plt.close(fig)


def test_keyness_bars_are_coloured_by_sign():
    key = pd.DataFrame({"target": ["a1", "a1"], "term": ["up", "down"], "count_target": [9, 0],
                        "count_reference": [1, 9], "log_ratio": [2.0, -3.0], "g2": [10.0, 12.0],
                        "significant": [True, True], "n_docs_target": [1, 0], "n_docs_reference": [1, 3]})
    fig = vp.plot_keyness(key, ["a1"], {"a1": "a1"}, {"a1": "#E69F00"})
    bars = [p for p in fig.axes[0].patches]
    colours = {to_hex(b.get_facecolor()) for b in bars}
    assert colours == {vp.SIGNED_ABOVE, vp.SIGNED_BELOW}
    plt.close(fig)


def test_comparison_cloud_legend_names_targets_without_terms():
    terms = pd.DataFrame({"target": ["a1"], "term": ["word"], "log_ratio": [2.0]})
    fig = vp.plot_comparison_cloud(terms, {"a1": "a1", "a2": "a2"}, {"a1": "#E69F00", "a2": "#009E73"})
    text = figure_text(fig)
    assert "a2  (no significant term)" in text
    plt.close(fig)
    empty = vp.plot_comparison_cloud(terms.iloc[:0], {"a1": "a1"}, {"a1": "#E69F00"})
    assert "no significant over-represented term" in figure_text(empty)
    plt.close(empty)


def test_safe_lexical_diversity_leaves_mattr_empty_for_a_short_text():
    toks = pd.DataFrame({"doc_id": ["s"] * 5 + ["l"] * 120,
                         "lower": [f"w{i}" for i in range(5)] + [f"w{i % 40}" for i in range(120)],
                         "is_word": True})
    table = vp.safe_lexical_diversity(toks, window=100).set_index("doc_id")
    assert np.isnan(table.loc["s", "mattr"]) and not np.isnan(table.loc["l", "mattr"])


@pytest.mark.parametrize("hollow", [[], ["c1-comments"]])
def test_top_terms_and_clouds_accept_empty_panels(hollow):
    corpus = toy_corpus()
    freqs = pd.DataFrame({"doc_id": ["a1", "a1"], "term": ["x", "y"], "count": [3, 2], "per_1000": [3.0, 2.0],
                          "doc_freq": [2, 1], "rank": [1, 2]})
    panels = ["a1", "a2"] + hollow
    labels, colours = vp.document_labels(corpus), vp.document_colors(corpus)
    fig = vp.plot_top_terms(freqs, panels, labels, colours, n_docs=5, hollow=hollow)
    assert figure_text(fig).count("no content word") == len(panels) - 1
    plt.close(fig)
    fig = vp.plot_wordclouds(freqs, panels, labels, colours, hollow=hollow)
    assert figure_text(fig).count("no content word") == len(panels) - 1
    plt.close(fig)
