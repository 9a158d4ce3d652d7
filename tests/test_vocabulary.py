"""Tests of analysis.vocabulary (and the pure helpers of analysis.vocabulary_plots).

Every measure is checked against a toy text counted by hand or against the same
statistic computed another way (SciPy, brute force)."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import expected_freq

from analysis import tokens
from analysis.vocabulary import (adjust_pvalues, collocations, content_words, detokenize, dispersion, format_kwic,
                                 keyness, keyness_each_vs_rest, kwic, lexical_diversity, log_likelihood_g2,
                                 log_ratio, mattr, mattr_by_window, mtld, poisson_interval, term_frequencies,
                                 term_rates, ttr, with_metadata)
from analysis.vocabulary_plots import comparison_cloud_terms, plot_keyness, top_key_terms


def toy_tokens(texts: dict[str, str]) -> pd.DataFrame:
    corpus = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
    return tokens(corpus)


# ---------------------------------------------------------------------------- G²

def test_g2_hand_worked_example():
    # a=10 of c=100 words vs b=10 of d=200; expected 20/3, 40/3, 280/3, 560/3, so
    # G² = 2 (10 ln 1.5 + 10 ln 0.75 + 90 ln(27/28) + 190 ln(57/56)).
    by_hand = 2 * (10 * math.log(1.5) + 10 * math.log(0.75) + 90 * math.log(27 / 28) + 190 * math.log(57 / 56))
    assert by_hand == pytest.approx(2.53532406, abs=1e-8)
    assert log_likelihood_g2(10, 10, 100, 200) == pytest.approx(by_hand, rel=1e-12)


def test_g2_matches_scipy_power_divergence_on_2x2_tables():
    rng = np.random.default_rng(0)
    c, d = rng.integers(50, 3000, 200), rng.integers(50, 3000, 200)
    a, b = rng.integers(0, 40, 200), rng.integers(0, 40, 200)
    a[:10], b[10:20] = 0, 0                       # zero cells must work too
    ours = log_likelihood_g2(a, b, c, d)
    for i in range(200):
        table = np.array([[a[i], b[i]], [c[i] - a[i], d[i] - b[i]]], dtype=float)
        theirs = stats.power_divergence(table, f_exp=expected_freq(table), lambda_="log-likelihood",
                                        axis=None, ddof=2)
        assert ours[i] == pytest.approx(theirs.statistic, rel=1e-9, abs=1e-9)


def test_g2_is_symmetric_and_zero_for_equal_rates():
    assert log_likelihood_g2(5, 10, 100, 200) == pytest.approx(0, abs=1e-12)
    assert log_likelihood_g2(7, 1, 300, 500) == pytest.approx(log_likelihood_g2(1, 7, 500, 300))


def test_g2_rejects_impossible_counts():
    with pytest.raises(ValueError, match="0 <= count <= total"):
        log_likelihood_g2(11, 0, 10, 10)
    with pytest.raises(ValueError):
        log_likelihood_g2(-1, 0, 10, 10)


# ---------------------------------------------------------------------------- log ratio

def test_log_ratio_by_hand():
    assert log_ratio(8, 2, 1000, 1000) == pytest.approx(2.0)           # 4 times as frequent
    assert log_ratio(2, 8, 1000, 2000) == pytest.approx(-1.0)          # (2/1000)/(8/2000) = 1/2
    assert log_ratio(4, 0, 1000, 1000) == pytest.approx(3.0)           # 0 -> 0.5: log2(4 / 0.5)
    assert log_ratio(0, 4, 1000, 1000) == pytest.approx(-3.0)
    assert log_ratio(0, 0, 1000, 500) == pytest.approx(-1.0)           # both 0.5: log2(1/2)


def test_log_ratio_needs_positive_adjustment():
    with pytest.raises(ValueError, match="zero_adjust"):
        log_ratio(0, 1, 10, 10, zero_adjust=0)


# ---------------------------------------------------------------------------- p-value adjustment

P = [0.01, 0.04, 0.03, 0.005]


def test_benjamini_hochberg_by_hand_and_against_scipy():
    # sorted 0.005, 0.01, 0.03, 0.04 times m/i = 4/1, 4/2, 4/3, 4/4 -> 0.02, 0.02, 0.04, 0.04
    assert adjust_pvalues(P, "fdr_bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    rng = np.random.default_rng(1)
    p = np.concatenate([rng.uniform(0, 1, 300), rng.uniform(0, 0.001, 20), [1.0, 0.0]])
    assert adjust_pvalues(p, "fdr_bh") == pytest.approx(stats.false_discovery_control(p, method="bh"))


def test_holm_by_hand():
    # sorted times (m - i + 1) = 4, 3, 2, 1 -> 0.02, 0.03, 0.06, 0.04; running max -> 0.02, 0.03, 0.06, 0.06
    assert adjust_pvalues(P, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_pvalues([0.5, 0.6], "holm") == pytest.approx([1.0, 1.0])   # capped at 1


def test_adjust_pvalues_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown method"):
        adjust_pvalues(P, "bonferroni")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        adjust_pvalues([0.2, 1.5])
    assert adjust_pvalues([], "fdr_bh").size == 0


# ---------------------------------------------------------------------------- counting and keyness

def test_content_words_drop_stopwords_numbers_codes_and_contraction_pieces():
    toks = toy_tokens({"a": "The 13th Congress can't ignore 89-QĐ/TW in 2021, the cadres said."})
    assert list(content_words(toks)["lower"]) == ["congress", "ignore", "cadres", "said"]


def test_term_frequencies_toy_counts():
    toks = toy_tokens({"a": "Cadres serve the people. Cadres listen.", "b": "The people unite."})
    freqs = term_frequencies(toks)
    a = freqs[freqs["doc_id"] == "a"].set_index("term")
    assert a.loc["cadre", "count"] == 2 and a.loc["cadre", "rank"] == 1
    assert a.loc["cadre", "n_words"] == 6                             # words, stopword "the" included
    assert a.loc["cadre", "per_1000"] == pytest.approx(2 / 6 * 1000)
    assert a.loc["people", "doc_freq"] == 2 and a.loc["cadre", "doc_freq"] == 1
    assert list(a.sort_values("rank").index) == ["cadre", "listen", "people", "serve"]   # ties alphabetical


def test_term_frequencies_doc_freq_over_another_table():
    party = toy_tokens({"a": "people party", "b": "people"})
    other = toy_tokens({"c": "people revolution"})
    freqs = term_frequencies(other, doc_freq_over=party).set_index("term")
    assert freqs.loc["people", "doc_freq"] == 2 and freqs.loc["revolution", "doc_freq"] == 0


def test_keyness_toy_counts_and_statistics():
    target = toy_tokens({"t": "malady malady malady malady people people the"})
    reference = toy_tokens({"r": "people people people unity unity the the the"})
    table = keyness(target, reference, min_freq=2).set_index("term")
    assert list(table.columns[:9]) == ["count_target", "count_reference", "total_target", "total_reference",
                                      "g2", "p_adjusted", "log_ratio", "p_value", "significant"]
    assert set(table.index) == {"malady", "people", "unity"}
    row = table.loc["malady"]
    assert (row.count_target, row.count_reference, row.total_target, row.total_reference) == (4, 0, 7, 8)
    assert row.g2 == pytest.approx(float(log_likelihood_g2(4, 0, 7, 8)))
    assert row.log_ratio == pytest.approx(math.log2((4 / 7) / (0.5 / 8)))
    assert row.p_value == pytest.approx(stats.chi2.sf(row.g2, 1))
    assert table["p_adjusted"].to_numpy() == pytest.approx(
        stats.false_discovery_control(table["p_value"].to_numpy(), method="bh"))
    assert (row.n_docs_target, row.n_docs_reference) == (1, 0)
    assert keyness(target, reference, min_freq=3).shape[0] == 2       # unity (2) drops out


def test_keyness_refuses_overlap_and_bad_options():
    toks = toy_tokens({"a": "people party", "b": "people"})
    with pytest.raises(ValueError, match="in both target and reference"):
        keyness(toks, toks[toks["doc_id"] == "a"])
    with pytest.raises(ValueError, match="min_freq"):
        keyness(toks[toks["doc_id"] == "a"], toks[toks["doc_id"] == "b"], min_freq=0)
    with pytest.raises(ValueError, match="tokens table|lacks column"):
        keyness(pd.DataFrame({"doc_id": ["a"]}), toks)


def test_keyness_each_vs_rest_uses_everything_else_as_reference():
    toks = toy_tokens({"a": "malady malady people", "b": "people unity", "c": "unity unity malady"})
    table = keyness_each_vs_rest(toks, min_freq=1)
    assert list(table["target"].unique()) == ["a", "b", "c"]
    a = table[table["target"] == "a"].set_index("term")
    assert a.loc["malady", "count_reference"] == 1 and a.loc["malady", "total_reference"] == 5


def test_with_metadata_adds_columns_and_checks_ids():
    toks = toy_tokens({"a": "people"})
    corpus = pd.DataFrame({"doc_id": ["a"], "era": ["To Lam"], "voice": ["party-media"]})
    assert with_metadata(toks, corpus)["era"].tolist() == ["To Lam"]
    with pytest.raises(ValueError, match="not in the corpus"):
        with_metadata(toks, corpus.assign(doc_id="b"))


# ---------------------------------------------------------------------------- collocations

def test_collocations_find_repeated_phrases_but_not_across_punctuation():
    text = ("Hostile forces attack. Hostile forces lie. The hostile forces spread news. "
            "Cadres and party members serve. Cadres and party members listen to hostile, forces rest.")
    toks = toy_tokens({"a": text})
    bigrams = collocations(toks, n=2, min_freq=3)
    assert bigrams.iloc[0]["ngram"] == "hostile forces"
    assert bigrams.iloc[0]["count"] == 3                              # "hostile, forces" not counted
    fourgrams = collocations(toks, n=4, min_freq=2)
    assert "cadres and party members" in set(fourgrams["ngram"])
    trigrams = collocations(toks, n=3, min_freq=2)
    assert not trigrams["ngram"].str.match(r"^(the|and) ").any()      # edges are content words


def test_collocations_bad_options():
    toks = toy_tokens({"a": "people party"})
    with pytest.raises(ValueError, match="n must be"):
        collocations(toks, n=5)
    with pytest.raises(ValueError, match="measure"):
        collocations(toks, measure="dice")


# ---------------------------------------------------------------------------- kwic and dispersion

KWIC_TEXT = "The hostile forces lie. Cadres fight hostile forces, and hostile. Forces rest."


def test_kwic_word_phrase_and_context():
    toks = toy_tokens({"a": KWIC_TEXT})
    hits = kwic(toks, "hostile forces", window=2)
    assert list(hits.columns) == ["doc_id", "sent_id", "position", "left", "match", "right"]
    assert list(hits["position"]) == [1, 7]                           # not "hostile. Forces"
    assert hits.iloc[1].to_dict() == {"doc_id": "a", "sent_id": 1, "position": 7, "left": "Cadres fight",
                                      "match": "hostile forces", "right": ", and"}
    assert len(kwic(toks, "HOSTILE", window=0)) == 3                   # literal matching ignores case


def test_kwic_regex_and_lemma():
    toks = toy_tokens({"a": "Self-evolution and self-transformation. Cadres and a cadre."})
    assert list(kwic(toks, r"self-\w+", regex=True)["match"]) == ["Self-evolution", "self-transformation"]
    assert list(kwic(toks, re.compile(r"cadres?"))["match"]) == ["Cadres", "cadre"]
    assert len(kwic(toks, "cadre", match_on="lemma")) == 2
    assert len(kwic(toks, "cadre")) == 1


def test_kwic_context_stays_in_document():
    toks = toy_tokens({"a": "one two", "b": "three four"})
    hit = kwic(toks, "three", window=5).iloc[0]
    assert hit["left"] == "" and hit["right"] == "four"


def test_kwic_rejects_bad_input():
    toks = toy_tokens({"a": KWIC_TEXT})
    with pytest.raises(ValueError, match="pattern"):
        kwic(toks, "  ")
    with pytest.raises(ValueError, match="window"):
        kwic(toks, "hostile", window=-1)
    with pytest.raises(ValueError, match="regular expression"):
        kwic(toks, "(unclosed", regex=True)


def test_detokenize_and_format():
    assert detokenize(["the", "Party", "’s", "line", ",", "(", "a", ")", "is", "n't"]) == "the Party’s line, (a) isn't"
    toks = toy_tokens({"a": KWIC_TEXT})
    assert "[hostile forces]" in format_kwic(kwic(toks, "hostile forces"))


def test_dispersion_relative_positions_by_hand():
    toks = toy_tokens({"a": "people a b c people d e f g h"})        # 10 tokens, people at 0 and 4
    disp = dispersion(toks, ["people"])
    assert list(disp["relative_position"]) == [0.0, 0.4]
    with pytest.raises(ValueError, match="list of patterns"):
        dispersion(toks, "people")


# ---------------------------------------------------------------------------- lexical diversity

def test_ttr_and_mattr_by_hand():
    assert ttr("a a b b".split()) == 0.5
    assert mattr("a a b b".split(), window=2) == pytest.approx((0.5 + 1 + 0.5) / 3)
    assert mattr("a b a c".split(), window=3) == pytest.approx((2 / 3 + 1) / 2)   # aba, bac
    assert mattr("a b c".split(), window=3) == ttr("a b c".split())


def test_mattr_matches_brute_force():
    rng = np.random.default_rng(2)
    words = list(rng.choice(list("abcdefghij"), 500))
    for window in (1, 7, 50, 500):
        brute = np.mean([len(set(words[i:i + window])) / window for i in range(len(words) - window + 1)])
        assert mattr(words, window) == pytest.approx(brute)


def test_mattr_rejects_window_longer_than_text():
    with pytest.raises(ValueError, match="window"):
        mattr("a b".split(), window=3)
    with pytest.raises(ValueError, match="not a string"):
        mattr("a b c", window=2)


def test_mtld_by_hand():
    # "a a b b": a factor ends at each second word (TTR 0.5 <= 0.72), none left over:
    # 2 factors each way -> 4 / 2 = 2.
    assert mtld("a a b b".split()) == pytest.approx(2.0)
    # "a a b c" forward: a factor at the 2nd word, "b c" left over with TTR 1 -> partial 0 -> 4 / 1 = 4.
    # backward "c b a a": TTR 1, 1, 1, 0.75 (> 0.72) -> partial (1 - 0.75) / 0.28 -> 4 / 0.892857 = 4.48.
    assert mtld("a a b c".split()) == pytest.approx((4 + 4.48) / 2)
    # a TTR of exactly the threshold ends a factor. Threshold 0.5, "a a b c": forward, TTR 0.5 at the
    # 2nd word ends a factor, "b c" leaves partial 0 -> 4 / 1 = 4; backward "c b a a": TTR 1, 1, 1,
    # 0.75 -> partial (1 - 0.75) / 0.5 = 0.5 -> 4 / 0.5 = 8. MTLD = 6 (it would be 8 with "<").
    assert mtld("a a b c".split(), threshold=0.5) == pytest.approx(6.0)
    assert math.isnan(mtld("a b c".split()))                          # no repeat: undefined


def test_mtld_rejects_bad_threshold():
    with pytest.raises(ValueError, match="threshold"):
        mtld("a b a".split(), threshold=1.2)
    with pytest.raises(ValueError, match="empty"):
        mtld([])


def test_lexical_diversity_table_and_windows():
    toks = toy_tokens({"a": "The party, the party and the people.", "b": "people people"})
    table = lexical_diversity(toks, window=2)
    assert list(table.columns) == ["doc_id", "n_tokens", "ttr", "mattr", "mtld"]
    a = table.set_index("doc_id").loc["a"]
    assert a["n_tokens"] == 7 and a["ttr"] == pytest.approx(4 / 7)     # the party the party and the people
    by_window = mattr_by_window(toks, [2, 5]).set_index(["doc_id", "window"])["mattr"]
    assert math.isnan(by_window[("b", 5)]) and by_window[("b", 2)] == 0.5


# ---------------------------------------------------------------------------- rates

def test_poisson_interval_against_definition():
    low, high = poisson_interval([0, 10])
    assert low[0] == 0 and high[0] == pytest.approx(-math.log(0.025))   # P(X = 0 | mu) = 0.025
    assert stats.poisson.sf(9, low[1]) == pytest.approx(0.025)          # P(X >= 10 | low) = 0.025
    assert stats.poisson.cdf(10, high[1]) == pytest.approx(0.025)       # P(X <= 10 | high) = 0.025


def test_term_rates_toy():
    toks = toy_tokens({"a": "The malady and the disease of people.", "b": "people"})
    rates = term_rates(toks, {"malady": ["malady", "disease"], "people": ["people"]}).set_index(["doc_id", "term"])
    assert rates.loc[("a", "malady"), "count"] == 2 and rates.loc[("a", "malady"), "n_words"] == 7
    assert rates.loc[("a", "malady"), "per_1000"] == pytest.approx(2 / 7 * 1000)
    assert rates.loc[("b", "malady"), "ci_low"] == 0
    with pytest.raises(ValueError, match="must be a list"):
        term_rates(toks, {"people": "people"})


# ---------------------------------------------------------------------------- plot helpers

def key_table():
    return pd.DataFrame({
        "target": ["x"] * 4 + ["y"], "term": ["a", "b", "c", "d", "a"],
        "count_target": [5, 4, 0, 1, 1], "count_reference": [0, 1, 6, 1, 0],
        "log_ratio": [3.0, 2.0, -3.0, 0.1, 1.0], "g2": [9.0, 5.0, 8.0, 0.1, 1.0],
        "significant": [True, True, True, False, False], "n_docs_target": [1, 1, 0, 1, 1],
        "n_docs_reference": [0, 1, 2, 1, 0]})


def test_top_key_terms_and_comparison_cloud_terms_keep_significant_only():
    table = key_table()
    assert list(top_key_terms(table, "x", n=5)["term"]) == ["a", "b", "c"]
    assert list(comparison_cloud_terms(table, ["x", "y"])["term"]) == ["a", "b"]


def test_plot_keyness_returns_a_figure_and_handles_empty_panels():
    import matplotlib.pyplot as plt

    fig = plot_keyness(key_table(), ["x", "y"], {"x": "x", "y": "y"}, {"x": "red", "y": "blue"}, ncols=2)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "no term survives the correction" in texts
    plt.close(fig)


# ------------------------------------------------------------------ the text as the unit, DP, general English

from analysis.vocabulary import (document_term_counts, dispersion_dp, general_english_keyness, gries_dp,
                                 term_labels, text_level_contrast)


def annotated_toy(rows):
    """A minimal annotated-like table: (doc_id, para_id, term) per word; every word a content word."""
    table = pd.DataFrame(rows, columns=["doc_id", "para_id", "term"])
    table["sent_id"] = table["para_id"]
    table["position"] = table.groupby("doc_id").cumcount()
    table["lower"] = table["term"].str.split("/").str[0]
    table["is_word"] = True
    table["is_stop"] = False
    table["is_content"] = table["term"] != "the/DET"
    return table


def test_gries_dp_by_hand():
    dp, norm = gries_dp([[1, 2, 3, 4], [10, 0, 0, 0], [0, 0, 0, 0]], [10, 20, 30, 40])
    assert dp[0] == pytest.approx(0.0) and norm[0] == pytest.approx(0.0)
    # v = (1, 0, 0, 0), s = (.1, .2, .3, .4): 0.5 * (.9 + .2 + .3 + .4) = 0.9; / (1 - .1) = 1
    assert dp[1] == pytest.approx(0.9) and norm[1] == pytest.approx(1.0)
    assert np.isnan(dp[2])
    dp, norm = gries_dp([[0, 0, 0, 5]], [5, 5, 5, 5])       # 0.5 * (.25 * 3 + .75) = 0.75
    assert dp[0] == pytest.approx(0.75) and norm[0] == pytest.approx(1.0)


def test_dispersion_dp_uses_paragraphs_as_parts():
    rows = [("d", 0, "a/NOUN"), ("d", 0, "b/NOUN"), ("d", 1, "a/NOUN"), ("d", 1, "the/DET"),
            ("d", 2, "b/NOUN"), ("d", 2, "b/NOUN")]
    table = dispersion_dp(annotated_toy(rows), min_freq=2).set_index("term")
    # parts of 2 words each: s = 1/3; a in parts 0, 1 -> v = (.5, .5, 0): DP = .5 * (1/6 + 1/6 + 1/3) = 1/3
    assert table.loc["a/NOUN", "dp"] == pytest.approx(1 / 3)
    # b: v = (1/3, 0, 2/3): .5 * (0 + 1/3 + 1/3) = 1/3
    assert table.loc["b/NOUN", "dp"] == pytest.approx(1 / 3)
    assert table.loc["a/NOUN", "dp_norm"] == pytest.approx((1 / 3) / (2 / 3))
    assert table.loc["a/NOUN", "parts_used"] == 2 and table.loc["a/NOUN", "n_parts"] == 3


def test_text_level_contrast_by_hand():
    rows = ([("a1", 0, "x/NOUN")] * 1 + [("a1", 0, "y/NOUN")] * 9 + [("a2", 0, "x/NOUN")] * 2 + [("a2", 0, "y/NOUN")] * 8
            + [("a3", 0, "x/NOUN")] * 1 + [("a3", 0, "y/NOUN")] * 9
            + [("b1", 0, "x/NOUN")] * 5 + [("b1", 0, "y/NOUN")] * 5 + [("b2", 0, "x/NOUN")] * 3 + [("b2", 0, "y/NOUN")] * 7)
    groups = pd.Series({"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"})
    table = text_level_contrast(annotated_toy(rows), groups, min_freq=1).set_index(["group", "term"])
    # x: A texts at 100, 200, 100 per 1,000 words; B at 500, 300: every B text above every A text
    assert table.loc[("B", "x/NOUN"), "separates"] == "above"
    assert table.loc[("A", "x/NOUN"), "separates"] == "below"
    assert table.loc[("B", "x/NOUN"), "min_group"] == pytest.approx(300.0)
    assert table.loc[("B", "x/NOUN"), "max_other"] == pytest.approx(200.0)
    assert table.loc[("B", "x/NOUN"), "min_p"] == pytest.approx(0.1)          # 1 / C(5, 2)
    assert table.loc[("A", "x/NOUN"), "min_p"] == pytest.approx(0.1)          # 1 / C(5, 3)
    counts = document_term_counts(annotated_toy(rows))
    assert counts.loc["b1", "x/NOUN"] == 5 and list(counts.index) == ["a1", "a2", "a3", "b1", "b2"]


def test_text_level_contrast_names_a_text_without_group():
    rows = [("a", 0, "x/NOUN"), ("b", 0, "x/NOUN")]
    with pytest.raises(ValueError, match="no group for document"):
        text_level_contrast(annotated_toy(rows), pd.Series({"a": "A"}), min_freq=1)


def test_general_english_keyness_against_wordfreq_directly():
    from wordfreq import word_frequency

    rows = [("d", 0, "cadre/NOUN")] * 3 + [("d", 0, "people/NOUN")] * 3 + [("d", 0, "zzqxv/NOUN")] * 3 + [("d", 0, "the/DET")]
    table = general_english_keyness(annotated_toy(rows), min_freq=3).set_index("term")
    ref = word_frequency("cadre", "en", wordlist="large")
    assert table.loc["cadre", "log_ratio"] == pytest.approx(np.log2((3 / 10) / ref))
    assert not table.loc["zzqxv", "in_reference"]
    assert table.loc["zzqxv", "reference_per_million"] == pytest.approx(0.5e-8 * 1e6)
    assert table["log_ratio"].is_monotonic_decreasing


def test_term_labels_show_the_word_class_only_where_needed():
    labels = term_labels(["lead/VERB", "lead/NOUN", "cadre/NOUN"])
    assert labels == {"lead/VERB": "lead (verb)", "lead/NOUN": "lead (noun)", "cadre/NOUN": "cadre"}


# ------------------------------------------------------------------ count once, then slice

import analysis.vocabulary as vocabulary_module
from analysis.vocabulary import DocTermCounts, _adjust_rows, doc_term_counts, term_rates_by_text

COUNT_ONCE_TEXTS = {
    "a": "Cadres serve the people. The people trust cadres! Corruption harms the Party.",
    "b": "The Party fights corruption, and cadres fight corruption too. People watch.",
    "c": "Unity of the people: unity, unity and the masses. Hostile forces distort.",
    "d": "The masses trust the Party. Cadres must serve. Corruption, waste and negativity!",
    "e": "Hostile forces distort news. The people reject them; the Party leads the people.",
}


def interleaved(toks: pd.DataFrame) -> pd.DataFrame:
    """The same tokens with the documents' rows interleaved (sentence by sentence)."""
    return toks.sort_values(["sent_id", "doc_id"], kind="stable").reset_index(drop=True)


def random_layer(seed: int = 3, n_docs: int = 6) -> pd.DataFrame:
    """An annotated-like table: documents of 4-9 paragraphs, 60 terms, some paragraphs
    without any content word (only "the/DET")."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}/NOUN" for i in range(60)]
    rows = []
    for d in range(n_docs):
        for para in range(int(rng.integers(4, 10))):
            if rng.random() < 0.2:
                rows += [(f"doc{d}", para, "the/DET")] * int(rng.integers(1, 4))
                continue
            for _ in range(int(rng.integers(3, 25))):
                rows.append((f"doc{d}", para, vocab[min(int(rng.zipf(1.3)), 60) - 1]))
    return annotated_toy(rows)


def test_doc_term_counts_count_for_count():
    toks = interleaved(toy_tokens(COUNT_ONCE_TEXTS))
    counts = doc_term_counts(toks, unit="lemma")
    assert isinstance(counts, DocTermCounts)
    assert list(counts.rows) == ["a", "b", "c", "d", "e"]               # order of first appearance
    assert list(counts.terms) == sorted(counts.terms)
    content = content_words(toks)
    for i, doc in enumerate(counts.rows):
        expected = content.loc[content["doc_id"] == doc, "lemma"].value_counts()
        row = counts.matrix[i].toarray().ravel()
        got = {t: int(n) for t, n in zip(counts.terms, row) if n}
        assert got == expected.to_dict()
    words = doc_term_counts(toks, unit="lower", words="all")
    for i, doc in enumerate(words.rows):
        expected = toks.loc[(toks["doc_id"] == doc) & toks["is_word"], "lower"].value_counts().to_dict()
        assert {t: int(n) for t, n in zip(words.terms, words.matrix[i].toarray().ravel()) if n} == expected
    assert counts.term_totals().tolist() == counts.to_frame().sum().tolist()
    assert counts.rows_using().tolist() == (counts.to_frame() > 0).sum().tolist()
    with pytest.raises(ValueError, match="words must be"):
        doc_term_counts(toks, words="some")


def test_doc_term_counts_is_sparse_and_keeps_documents_without_content():
    toks = toy_tokens({"a": "people party", "b": "the and of", "c": "party"})
    counts = doc_term_counts(toks)
    assert list(counts.rows) == ["a", "b", "c"] and counts.matrix.getnnz(axis=1).tolist() == [2, 0, 1]
    assert counts.matrix.nnz == 3 and counts.matrix.dtype == np.int64


def keyness_per_document_reference(toks, by="doc_id", comparison=None, **options):
    """The straightforward computation: one keyness() per value of `by`, each on the
    filtered tokens."""
    parts = []
    for group in sorted(toks[by].unique()):
        mask = toks[by] == group
        part = keyness(toks[mask], toks[~mask], **options)
        part.insert(0, "target", group)
        part.insert(0, "comparison", comparison or f"{by} vs rest")
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("options", [dict(min_freq=1), dict(min_freq=2, p_adjust="holm", alpha=0.1),
                                     dict(min_freq=3, unit="lower")])
def test_keyness_each_vs_rest_equals_keyness_per_document(options):
    toks = interleaved(toy_tokens(COUNT_ONCE_TEXTS))
    pd.testing.assert_frame_equal(keyness_each_vs_rest(toks, **options),
                                  keyness_per_document_reference(toks, **options), check_exact=True)
    toks["era"] = toks["doc_id"].map({"a": "early", "b": "early", "c": "late", "d": "late", "e": "middle"})
    pd.testing.assert_frame_equal(keyness_each_vs_rest(toks, by="era", comparison="eras", **options),
                                  keyness_per_document_reference(toks, by="era", comparison="eras", **options),
                                  check_exact=True)


def test_keyness_each_vs_rest_count_for_count():
    toks = toy_tokens(COUNT_ONCE_TEXTS)
    table = keyness_each_vs_rest(toks, min_freq=1)
    content = content_words(toks)
    for row in table.itertuples():
        in_target = content["doc_id"] == row.target
        assert row.count_target == int((content.loc[in_target, "lemma"] == row.term).sum())
        assert row.count_reference == int((content.loc[~in_target, "lemma"] == row.term).sum())
        assert row.total_target == int(toks.loc[toks["doc_id"] == row.target, "is_word"].sum())
        assert row.total_target + row.total_reference == int(toks["is_word"].sum())
        assert row.n_docs_reference == content.loc[~in_target & (content["lemma"] == row.term), "doc_id"].nunique()


def test_keyness_each_vs_rest_refuses_a_document_in_two_groups():
    toks = toy_tokens(COUNT_ONCE_TEXTS)
    with pytest.raises(ValueError, match="in both target and reference"):
        keyness_each_vs_rest(toks, by="sent_id", min_freq=1)
    with pytest.raises(TypeError, match="unexpected keyword"):
        keyness_each_vs_rest(toks, minfreq=1)


def test_adjust_rows_equals_adjust_pvalues_row_by_row():
    rng = np.random.default_rng(4)
    p = np.round(rng.uniform(0, 1, (7, 40)), 2)                       # rounded: many ties
    for method in ("fdr_bh", "holm"):
        rows = _adjust_rows(p, method)
        for i in range(len(p)):
            assert np.array_equal(rows[i], adjust_pvalues(p[i], method))


def test_term_rates_equals_per_document_reference():
    toks = interleaved(toy_tokens(COUNT_ONCE_TEXTS))
    terms = {"people": ["people"], "party or masses": ["party", "masses", "masses"], "nothing": ["zzz"]}
    table = term_rates(toks, terms)
    totals = toks[toks["is_word"]].groupby("doc_id", sort=False).size()
    rows = []
    for doc, n_words in totals.items():
        units = toks.loc[(toks["doc_id"] == doc) & toks["is_word"], "lemma"]
        for label, members in terms.items():
            rows.append((doc, label, int(units.isin(members).sum()), int(n_words)))
    expected = pd.DataFrame(rows, columns=["doc_id", "term", "count", "n_words"])
    pd.testing.assert_frame_equal(table[expected.columns], expected, check_exact=True)
    assert table.loc[(table["doc_id"] == "d") & (table["term"] == "party or masses"), "count"].item() == 2


def test_text_level_contrast_and_rates_by_text_equal_the_dense_table():
    toks = toy_tokens(COUNT_ONCE_TEXTS)
    groups = pd.Series({"a": "A", "b": "A", "c": "B", "d": "B", "e": "B"})
    table = text_level_contrast(toks, groups, unit="lemma", min_freq=2)
    dense = document_term_counts(toks, unit="lemma")
    dense = dense.loc[:, dense.sum() >= 2]
    rates = dense.div(toks[toks["is_word"]].groupby("doc_id").size(), axis=0) * 1000
    for group in ("A", "B"):
        inside = (groups.reindex(rates.index) == group).to_numpy()
        part = table[table["group"] == group].set_index("term").loc[rates.columns]
        assert np.array_equal(part["min_group"], rates[inside].min()) and np.array_equal(part["max_other"], rates[~inside].max())
        assert np.array_equal(part["texts_using_other"], (dense[~inside] > 0).sum())
    shown = term_rates_by_text(toks, ["people", "zzz", "party"], unit="lemma")
    assert list(shown.columns) == ["people", "zzz", "party"] and (shown["zzz"] == 0).all()
    assert np.array_equal(shown["people"], rates["people"])


def dp_per_document_reference(toks, unit="term", part="para_id", min_freq=3):
    """DP the straightforward way: per document, a crosstab of its content words."""
    content = content_words(toks)
    sizes = toks[toks["is_word"]].groupby(["doc_id", part]).size()
    rows = []
    for doc_id, doc_content in content.groupby("doc_id", sort=False):
        doc_sizes = sizes.loc[doc_id]
        if len(doc_sizes) < 2:
            continue
        table = pd.crosstab(doc_content[unit], doc_content[part]).reindex(columns=doc_sizes.index, fill_value=0)
        table = table[table.sum(axis=1) >= min_freq]
        if table.empty:
            continue
        dp, dp_norm = gries_dp(table.to_numpy(), doc_sizes.to_numpy())
        rows.append(pd.DataFrame({"doc_id": doc_id, "term": table.index, "count": table.sum(axis=1).to_numpy(),
                                  "n_parts": len(doc_sizes), "parts_used": (table > 0).sum(axis=1).to_numpy(),
                                  "dp": dp, "dp_norm": dp_norm}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("min_freq", [1, 3])
def test_dispersion_dp_equals_per_document_reference_to_the_last_bit(min_freq):
    layer = random_layer()
    assert (layer.groupby(["doc_id", "para_id"])["is_content"].sum() == 0).any()   # a paragraph without terms
    for table in (layer, interleaved(layer)):
        pd.testing.assert_frame_equal(dispersion_dp(table, min_freq=min_freq),
                                      dp_per_document_reference(table, min_freq=min_freq), check_exact=True)


def kwic_per_document_reference(toks, pattern, window=6, match_on="lower", regex=False):
    parts = [re.compile(pattern, re.IGNORECASE) if regex else p.lower() for p in pattern.split()]
    rows = []
    for doc_id, doc in toks.groupby("doc_id", sort=False):
        values, written = doc[match_on].astype(str).tolist(), doc["token"].tolist()
        for i in range(len(values) - len(parts) + 1):
            if all((p.fullmatch(values[i + j]) is not None) if regex else values[i + j].lower() == p
                   for j, p in enumerate(parts)):
                rows.append((doc_id, int(doc["sent_id"].iat[i]), int(doc["position"].iat[i]),
                             detokenize(written[max(i - window, 0): i]), detokenize(written[i: i + len(parts)]),
                             detokenize(written[i + len(parts): i + len(parts) + window])))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "position", "left", "match", "right"])


@pytest.mark.parametrize("pattern,options", [("the people", {}), ("cadres", dict(window=2)),
                                             ("people", dict(match_on="lemma", window=20)),
                                             (r"unit\w*", dict(regex=True)), ("distort . the", {})])
def test_kwic_equals_per_document_reference(pattern, options):
    toks = toy_tokens(COUNT_ONCE_TEXTS)
    for table in (toks, interleaved(toks)):
        pd.testing.assert_frame_equal(kwic(table, pattern, **options),
                                      kwic_per_document_reference(table, pattern, **options), check_exact=True)


def _spy(monkeypatch, name):
    calls = []
    real = getattr(vocabulary_module, name)

    def spy(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)
    monkeypatch.setattr(vocabulary_module, name, spy)
    return calls


@pytest.mark.parametrize("n_docs", [3, 40])
def test_per_document_measures_count_once_whatever_the_number_of_documents(monkeypatch, n_docs):
    """The work is linear: the tokens are counted once (one doc_term_counts, one pass of
    the content-word filter), however many documents there are, and keyness_each_vs_rest
    never calls keyness once per document."""
    rng = np.random.default_rng(n_docs)
    words = ["people", "party", "cadres", "corruption", "unity", "masses", "the", "and", "serve", "fight"]
    texts = {f"t{i:02d}": " ".join(rng.choice(words, 30)) + "." for i in range(n_docs)}
    toks = toy_tokens(texts)
    counting, masks = _spy(monkeypatch, "doc_term_counts"), _spy(monkeypatch, "_content_mask")
    monkeypatch.setattr(vocabulary_module, "keyness", lambda *a, **k: pytest.fail("keyness called per document"))
    for run in (lambda: keyness_each_vs_rest(toks, min_freq=1),
                lambda: term_rates(toks, {"people": ["people"], "party": ["party"]}),
                lambda: text_level_contrast(toks, pd.Series({d: d < "t01" for d in texts}), unit="lemma", min_freq=1),
                lambda: term_rates_by_text(toks, ["people"], unit="lemma")):
        counting.clear(), masks.clear()
        run()
        assert counting == ["doc_term_counts"] and len(masks) <= 1
    masks.clear()
    dispersion_dp(toks.assign(para_id=toks["sent_id"] % 2), unit="lemma", min_freq=1)
    assert masks == ["_content_mask"]
    matched = []
    real_matcher = vocabulary_module._token_matcher

    def matcher_spy(part, regex):
        match = real_matcher(part, regex)
        return lambda values: matched.append(len(values)) or match(values)
    monkeypatch.setattr(vocabulary_module, "_token_matcher", matcher_spy)
    kwic(toks, "the people")
    assert len(matched) == 2 and max(matched) <= len(words) + 1      # each distinct form matched once
