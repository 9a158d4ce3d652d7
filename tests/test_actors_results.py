"""The tables of notebook 04 (actors and agency) agree with their evidence rows.

Each count the notebook reports is a number of rows of an evidence table in
``results/``; these tests recount them from the saved files, independently of the code
that wrote them, and check the figures' helpers on toy tables.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from analysis import load_corpus, paths
from analysis.actor_plots import group_styles, plot_actor_heatmap, plot_passives, plot_text_dots
from analysis.plots import MAGNITUDE_CMAP


def result(name: str) -> pd.DataFrame:
    path = paths.project_root() / "results" / f"{name}.csv"   # the committed study
    if not path.exists():
        pytest.skip(f"{path} not written yet: run `make study`")
    return pd.read_csv(path, keep_default_na=False)


def test_agency_profile_counts_equal_the_evidence_rows():
    agency = result("agency")
    profile = result("agency_profile")
    author = agency[agency["author_voice"].astype(str) == "True"]
    by_doc = profile[profile["scope"] == "doc_id"]
    recount = author.groupby(["actor", "doc_id", "role"]).size()
    for row in by_doc.itertuples():
        assert row.count == recount.get((row.actor, row.group, row.role), 0), row
    assert by_doc.drop_duplicates(["actor", "group"])["n"].sum() == len(author)


def test_every_mention_has_at_least_one_agency_row():
    mentions, agency = result("actors"), result("agency")
    assert agency["mention_id"].nunique() == len(mentions)
    assert set(agency["mention_id"]) == set(range(len(mentions)))


def test_blame_counts_equal_the_sentences_naming_each_actor():
    mentions, blame = result("actors"), result("blame")
    author = mentions[mentions["author_voice"].astype(str) == "True"]
    sentences = author[["actor", "doc_id", "sent_id"]].drop_duplicates().groupby(["actor", "doc_id"]).size()
    by_doc = blame[blame["scope"] == "doc_id"].set_index(["actor", "group"])["n_sentences"]
    assert by_doc.sort_index().to_dict() == sentences.sort_index().to_dict()
    assert (blame["n_labelled"] + blame["n_unlabelled"] == blame["n_sentences"]).all()


def test_blame_shares_are_within_their_intervals():
    blame = result("blame")
    known = blame[blame["n_labelled"] > 0]
    assert ((known["neg_low"] <= known["share_negative"] + 1e-9)
            & (known["share_negative"] <= known["neg_high"] + 1e-9)).all()


def test_citation_counts_equal_the_evidence_rows():
    evidence, table = result("citation_evidence"), result("citations")
    recount = evidence.groupby(["doc_id", "key"]).size()
    assert table.set_index(["doc_id", "key"])["count"].sort_index().to_dict() == recount.sort_index().to_dict()


def test_obligation_counts_equal_obligated_rows_of_the_evidence():
    agency, obligation = result("agency"), result("obligation")
    author = agency[agency["author_voice"].astype(str) == "True"]
    obliged = author[(author["obligation"].astype(str) == "True")
                     & (author["role"].isin(["agent", "carrier"])
                        | ((author["role"] == "patient") & (author["voice"] == "passive")))]
    assert obligation["n"].sum() == len(obliged)


def test_per_text_tables_have_every_text():
    texts = list(load_corpus()["doc_id"])
    rates, passives = result("actor_rates"), result("passive_rates")
    assert list(passives["doc_id"]) == texts
    assert set(rates["doc_id"]) == set(texts)
    assert rates.groupby("doc_id").size().eq(rates["actor"].nunique()).all()    # zeros included


def test_actor_rates_recount_the_mentions():
    mentions, rates = result("actors"), result("actor_rates")
    author = mentions[mentions["author_voice"].astype(str) == "True"]
    recount = author.groupby(["actor", "doc_id"]).size()
    for row in rates.itertuples():
        assert row.count == recount.get((row.actor, row.doc_id), 0), row
        assert row.per_1k == pytest.approx(1000 * row.count / row.n_words, abs=1e-4)


def test_passive_rates_recount_the_passives():
    passives, rates = result("passives"), result("passive_rates")
    own = passives[passives["author_voice"].astype(str) == "True"]
    hidden = own[own["hidden_agent"].astype(str) == "True"].groupby("doc_id").size()
    named = own[own["hidden_agent"].astype(str) == "False"].groupby("doc_id").size()
    for row in rates.itertuples():
        assert row.hidden == hidden.get(row.doc_id, 0) and row.with_agent == named.get(row.doc_id, 0)
        assert row.hidden_per_1k == pytest.approx(1000 * row.hidden / row.n_words, abs=1e-4)


# ------------------------------------------------------------------------ figure helpers

DOCS = ["a", "b", "c"]
STYLES = pd.DataFrame({"group": ["early", "early", "late"], "colour": ["#E69F00", "#B07A00", "#009E73"],
                       "marker": ["o", "s", "o"], "hollow": False}, index=pd.Index(DOCS, name="doc_id"))


def test_heatmap_shows_every_text_on_one_grey_scale():
    rates = pd.DataFrame({"actor": ["x", "x", "x", "y", "y", "y"], "doc_id": DOCS * 2,
                          "count": [1, 2, 0, 4, 0, 8], "per_1k": [1.0, 2.0, 0.0, 4.0, 0.0, 8.0]})
    fig = plot_actor_heatmap(rates, STYLES, {d: f"{d} label" for d in DOCS}, {"x": "X", "y": "Y"})
    image = fig.axes[0].images[0]
    assert image.get_clim() == (0, 8.0)          # one scale for every cell
    assert image.get_cmap().name == MAGNITUDE_CMAP
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [f"{d} label" for d in DOCS]
    assert image.get_array()[2, 1] == 8.0        # row = text c, column = actor y


def test_text_dots_draws_one_dot_per_text_and_row_and_names_every_text():
    table = pd.DataFrame({"row": ["x", "x"], "unit": ["a", "c"], "panel": "p", "value": [0.1, 0.3],
                          "low": [0.0, 0.2], "high": [0.2, 0.4], "n": [10, 2]})
    fig = plot_text_dots(table, ["x"], {"x": "X"}, STYLES, ["p"], xlabel="share", title="t", min_n=5,
                         notes={"b": "no hand labels"})
    dots = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) == 1]
    assert len(dots) == 2
    hollow = [line for line in dots if line.get_markerfacecolor() == "white"]
    assert len(hollow) == 1                       # the text with n = 2 < min_n
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["a", "b (no hand labels)", "c"]   # every text named, with or without a dot


def test_text_dots_by_group():
    order = ["late", "early"]
    table = pd.DataFrame({"row": ["x", "x"], "unit": order, "panel": "p", "value": [0.1, 0.3],
                          "low": [0.0, 0.2], "high": [0.2, 0.4], "n": [10, 10]})
    fig = plot_text_dots(table, ["x"], {"x": "X"}, group_styles(order), ["p"], xlabel="share", title="t",
                         unit_name="era")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == order


def test_passive_bars_stack_hidden_and_named():
    counts = pd.DataFrame({"doc_id": DOCS, "hidden": [2, 0, 5], "with_agent": [1, 3, 0], "n_words": [1000, 1000, 500]})
    fig = plot_passives(counts, STYLES, {d: d for d in DOCS})
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == pytest.approx([2.0, 0.0, 10.0, 1.0, 3.0, 0.0])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == DOCS
