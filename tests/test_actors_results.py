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

from analysis import paths
from analysis.actor_plots import plot_actor_heatmap, plot_passives, plot_text_dots


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


# ------------------------------------------------------------------------ figure helpers

DOCS = ["a", "b", "c"]
GROUPS = pd.Series({"a": "early", "b": "early", "c": "late"})
COLOURS = {"early": "#1f77b4", "late": "#d62728"}


def test_heatmap_shows_every_text_on_one_scale():
    rates = pd.DataFrame({"actor": ["x", "x", "x", "y", "y", "y"], "doc_id": DOCS * 2,
                          "count": [1, 2, 0, 4, 0, 8], "per_1k": [1.0, 2.0, 0.0, 4.0, 0.0, 8.0]})
    fig = plot_actor_heatmap(rates, DOCS, {d: d for d in DOCS}, {"x": "X", "y": "Y"})
    image = fig.axes[0].images[0]
    assert image.get_clim() == (0, 8.0)          # one scale for every row
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == DOCS


def test_text_dots_draws_one_dot_per_text_and_row():
    table = pd.DataFrame({"row": ["x", "x", "x"], "doc_id": DOCS, "panel": "p", "value": [0.1, 0.2, 0.3],
                          "low": [0.0, 0.1, 0.2], "high": [0.2, 0.3, 0.4], "n": [10, 2, 10]})
    fig = plot_text_dots(table, ["x"], {"x": "X"}, GROUPS, COLOURS, ["p"], xlabel="share", title="t", min_n=5)
    dots = [c for c in fig.axes[0].collections if len(c.get_offsets()) == 1]
    assert len(dots) == 3
    hollow = [c for c in dots if tuple(c.get_facecolor()[0][:3]) == (1.0, 1.0, 1.0)]
    assert len(hollow) == 1                       # the text with n = 2 < min_n


def test_passive_bars_stack_hidden_and_named():
    counts = pd.DataFrame({"doc_id": DOCS, "hidden": [2, 0, 5], "with_agent": [1, 3, 0], "n_words": [1000, 1000, 500]})
    fig = plot_passives(counts, DOCS, {d: d for d in DOCS}, {d: "#000000" for d in DOCS})
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == pytest.approx([2.0, 0.0, 10.0, 1.0, 3.0, 0.0])
