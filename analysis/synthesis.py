"""Bring vocabulary, sentiment and rhetoric onto one time axis, and test the headline
contrasts between the eras for robustness.

Everything here reads the tables the earlier notebooks wrote to ``results/`` (or
recomputes a contrast under another analytic choice); nothing is typed by hand. The
headline contrasts are the latest group of texts minus the earliest
(:func:`analysis.groups.earliest_and_latest`: eras by default), main voice only: other
voices (reader comments) are never pooled into a group.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import paths
from .plots import readable
from .sentiment import NET_TONE, difference_interval
from .vocabulary import keyness, log_ratio, term_labels

SENTIMENT_METHODS = {"hand": "hand_label", "model": "model_label", "vader_genre": "vader_genre_label", "vader": "vader_label",
                     "afinn": "afinn_label", "textblob": "textblob_label"}


def read_result(name: str) -> pd.DataFrame:
    """``results/NAME.csv`` as written by a notebook; a clear error if it is missing."""
    path = paths.result_file(name)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run the notebooks before this one first (make study).")
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


# --------------------------------------------------------------------- vocabulary

def log_ratio_interval(count_a, count_b, total_a, total_b, level: float = 0.95, zero_adjust: float = 0.5):
    """Hardie's (2014) log ratio, log2((a/A) / (b/B)), with a Wald interval on the log of
    the Poisson rate ratio, SE(ln RR) = sqrt(1/a + 1/b) (Rothman, Greenland & Lash 2008,
    *Modern Epidemiology*, ch. 14); zero counts become ``zero_adjust`` as in Hardie's
    adjustment. Returns (log_ratio, low, high) arrays in bits."""
    lr = log_ratio(count_a, count_b, total_a, total_b, zero_adjust=zero_adjust)
    a, b = (np.where(np.asarray(c, float) == 0, zero_adjust, np.asarray(c, float)) for c in (count_a, count_b))
    half = stats.norm.ppf(0.5 + level / 2) * np.sqrt(1 / a + 1 / b) / np.log(2)
    return lr, lr - half, lr + half


def era_rows(keyness_table: pd.DataFrame) -> pd.DataFrame:
    """The rows of notebook 01's keyness table that compare the groups of texts (their
    comparison starts with "era"), not a text with the rest."""
    return keyness_table[keyness_table["comparison"].str.startswith("era")].copy()


def era_key_terms(keyness_table: pd.DataFrame, text_level: pd.DataFrame, per_side: int = 4) -> pd.DataFrame:
    """The headline key terms of the comparison of groups (rows of ``keyness_table`` whose
    comparison starts with "era"; the target is the later group, positive log ratio =
    more frequent there): significant terms whose texts agree, i.e. every text of the
    target group lies above (or below) every other text in ``text_level`` (notebook 01's
    :func:`analysis.vocabulary.text_level_contrast`), the ``per_side`` largest G² on each
    side. Adds ``key_for`` and the log ratio target vs reference with its interval."""
    era = era_rows(keyness_table)
    target = era["target"].iloc[0] if len(era) else ""
    era = era[era["significant"].astype(str) == "True"]
    agree = text_level[(text_level["group"] == target) & text_level["separates"].fillna("").ne("")]
    era = era[era["term"].isin(agree["term"])]
    era["key_for"] = np.where(era["log_ratio"] > 0, target, "the other texts")
    picked = (era.sort_values(["g2", "term"], ascending=[False, True])
                 .groupby("key_for", sort=False).head(per_side).copy())
    lr, low, high = log_ratio_interval(picked["count_target"], picked["count_reference"],
                                       picked["total_target"], picked["total_reference"])
    picked["lr_late_vs_early"], picked["lr_low"], picked["lr_high"] = lr, low, high
    return picked.sort_values(["key_for", "g2"], ascending=[True, False]).reset_index(drop=True)


def keyness_variants(party_tokens: dict[str, pd.DataFrame], eras: pd.Series, terms, early: str, late: str,
                     min_freq: int = 5) -> pd.DataFrame:
    """Keyness of the group ``late`` against ``early`` (``eras``: doc_id -> group) for ``terms`` ("lemma/UPOS"),
    recomputed under each analytic variant. ``party_tokens`` maps a variant name to a
    Party-media tokens table built under it; the variant counts word forms (``lower``,
    the term's lemma looked up as a form) if its name contains 'word forms', else terms.
    Returns variant, term, tested (False if the variant removes the term, e.g. as a
    stopword), g2, p_adjusted, log_ratio (later vs earlier), significant."""
    rows = []
    for variant, toks in party_tokens.items():
        unit = "lower" if "word forms" in variant else "term"
        toks = toks.assign(era=toks["doc_id"].map(eras))
        table = keyness(toks[toks["era"] == late], toks[toks["era"] == early], min_freq=min_freq, unit=unit)
        table = table.set_index("term")
        for term in terms:
            key = term.rsplit("/", 1)[0] if unit == "lower" else term
            if key in table.index:
                r = table.loc[key]
                rows.append((variant, term, True, r["g2"], r["p_adjusted"], r["log_ratio"], bool(r["significant"])))
            else:
                rows.append((variant, term, False, np.nan, np.nan, np.nan, False))
    return pd.DataFrame(rows, columns=["variant", "term", "tested", "g2", "p_adjusted", "log_ratio", "significant"])


# --------------------------------------------------------------------- sentiment

def net_tone_by_era(sentence_scores: pd.DataFrame, early: str, late: str, column: str = "era",
                    n_boot: int = 2000, seed: int = 2025) -> pd.DataFrame:
    """Net tone (mean of negative = -1, neutral = 0, positive = +1 over sentences) in the
    groups ``early`` and ``late`` of ``column`` for every instrument and the hand labels
    (sentences without a hand label are left out of the hand row), and the difference
    ``late`` - ``early`` with a
    percentile bootstrap interval over sentences (:func:`analysis.sentiment.difference_interval`).
    One scale for every instrument, since their raw scores are not comparable.
    Party-media sentences only."""
    party = sentence_scores[sentence_scores["voice"] == "party-media"]
    rows = []
    for method, label_column in SENTIMENT_METHODS.items():
        labels = party[label_column].fillna("")
        known = labels != ""
        tone = labels[known].map(NET_TONE)
        if tone.isna().any():
            raise ValueError(f"{label_column}: labels other than {sorted(NET_TONE)} found")
        group = party.loc[known, column]
        b, a = tone[group == late], tone[group == early]
        if len(a) and len(b):
            diff, low, high = difference_interval(b, a, n_boot=n_boot, seed=seed)
        else:
            diff = low = high = np.nan
        rows.append(dict(method=method, tone_early=a.mean(), tone_late=b.mean(), n_early=len(a),
                         n_late=len(b), difference=diff, ci_low=low, ci_high=high))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------- rhetoric

def pooled_rate_difference(rates: pd.DataFrame, eras: pd.Series, early: str, late: str, drop: str | None = None,
                           level: float = 0.95) -> pd.DataFrame:
    """Per category: pooled rate per 1,000 words of the groups ``early`` and ``late``
    (``eras``: doc_id -> group; sum of counts / sum of words) and the difference
    ``late`` - ``early``, optionally leaving the text ``drop`` out,
    with a Wald interval for a difference of Poisson rates, var = c1/n1² + c2/n2²
    (Rothman, Greenland & Lash 2008, *Modern Epidemiology*, ch. 14). Like every
    word-count interval it treats words as independent, so it is too narrow for texts.
    ``rates`` is ``results/rhetoric_rates.csv``."""
    table = rates[rates["doc_id"].isin(eras.index) & (rates["doc_id"] != drop)].copy()
    table["era"] = table["doc_id"].map(eras)
    pooled = table.groupby(["category", "era"], sort=False)[["count", "n_words"]].sum()
    # a group left without texts (its only text dropped) gives NaN, not an error
    count = pooled["count"].unstack("era").reindex(columns=[early, late])
    words = pooled["n_words"].unstack("era").reindex(columns=[early, late])
    per_1k = 1000 * count / words
    half = stats.norm.ppf(0.5 + level / 2) * 1000 * np.sqrt(count[late] / words[late] ** 2 + count[early] / words[early] ** 2)
    diff = per_1k[late] - per_1k[early]
    return pd.DataFrame({"per_1k_early": per_1k[early], "per_1k_late": per_1k[late], "difference": diff,
                         "ci_low": diff - half, "ci_high": diff + half}).reset_index()


def leave_one_text_out(rates: pd.DataFrame, eras: pd.Series, early: str, late: str) -> pd.DataFrame:
    """:func:`pooled_rate_difference` with each Party text left out in turn: category,
    left_out, difference, ci_low, ci_high, for the texts of the two groups. A contrast
    that loses its interval when one text is dropped rests on that text."""
    parts = []
    for doc in eras.index[eras.isin([early, late])]:
        part = pooled_rate_difference(rates, eras, early, late, drop=doc)[["category", "difference", "ci_low", "ci_high"]]
        parts.append(part.assign(left_out=doc))
    return pd.concat(parts, ignore_index=True)[["category", "left_out", "difference", "ci_low", "ci_high"]]


# --------------------------------------------------------------------- verdicts

def survives(estimate: float, low: float, high: float, headline_sign: float) -> str:
    """'survives' if the interval excludes 0 on the headline's side; 'same sign, interval
    includes 0' if only the point estimate agrees; 'reverses' otherwise."""
    if np.sign(estimate) != np.sign(headline_sign):
        return "reverses"
    excludes_zero = (low > 0) if headline_sign > 0 else (high < 0)
    return "survives" if excludes_zero else "same sign, interval includes 0"


# --------------------------------------------------------------------- quoted numbers

@dataclass(frozen=True)
class Quoted:
    """A number quoted in the findings, with where it comes from: ``results/SOURCE.csv``,
    the row selected by ``query`` (pandas query syntax), the column ``column``."""
    name: str
    source: str
    query: str
    column: str
    fmt: str = "{:.2f}"
    optional: bool = False     # a query that selects no row gives NaN instead of an error

    def value(self) -> float:
        table = read_result(self.source)
        row = table.query(self.query)
        if self.optional and len(row) == 0:
            return np.nan
        if len(row) != 1:
            raise ValueError(f"{self.name}: query {self.query!r} on {self.source} selects {len(row)} rows, not 1")
        return row[self.column].iloc[0]

    def text(self) -> str:
        return self.fmt.format(self.value())


def quoted_table(quotes: list[Quoted]) -> pd.DataFrame:
    """The numbers quoted in the findings, as a table: name, source, query, column, fmt, optional, value, text."""
    return pd.DataFrame([dict(name=q.name, source=q.source, query=q.query, column=q.column, fmt=q.fmt,
                              optional=q.optional, value=q.value(), text=q.text()) for q in quotes])


# --------------------------------------------------------------------- robustness panel

ROBUSTNESS_COLUMNS = ["family", "finding", "check", "estimate", "ci_low", "ci_high", "verdict"]


def _keyness_verdict(row) -> str:
    if not row["tested"]:
        return "not tested (a stopword, or below the minimum frequency)"
    if np.sign(row["log_ratio"]) != np.sign(row["headline_sign"]):
        return "reverses"
    return "survives" if row["significant"] else "same sign, not significant"


def vocabulary_robustness(key_terms: pd.DataFrame, variants: pd.DataFrame) -> pd.DataFrame:
    """Robustness rows for the headline key terms: each variant of :func:`keyness_variants`
    (estimate = log ratio later vs earlier group; no interval: the test is G² with BH)."""
    sign = key_terms.set_index("term")["lr_late_vs_early"].apply(np.sign)
    table = variants.assign(headline_sign=variants["term"].map(sign))
    labels = term_labels(key_terms["term"])
    return pd.DataFrame({
        "family": "vocabulary",
        "finding": [f"'{labels[t]}' {'more' if s > 0 else 'less'} frequent in the later group"
                    for t, s in zip(table["term"], table["headline_sign"])],
        "check": table["variant"], "estimate": table["log_ratio"], "ci_low": np.nan, "ci_high": np.nan,
        "verdict": table.apply(_keyness_verdict, axis=1),
    })


def sentiment_robustness(net_tone: pd.DataFrame, late: str, hand_without: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Robustness rows for the tone contrast, judged against the sign of the hand-label
    difference: each instrument's net-tone difference, and (``hand_without``: left-out
    doc_id -> the hand row of :func:`net_tone_by_era` without that text) the hand-label
    difference with each text left out."""
    headline = float(net_tone.set_index("method").loc["hand", "difference"])
    if np.isnan(headline):          # no hand labels in one of the groups: nothing to judge against
        return pd.DataFrame(columns=ROBUSTNESS_COLUMNS)
    direction = "less negative" if headline > 0 else "more negative"
    checks = [(f"instrument: {r.method}", r.difference, r.ci_low, r.ci_high) for r in net_tone.itertuples()]
    checks += [(f"hand labels without {doc}", r["difference"], r["ci_low"], r["ci_high"])
               for doc, r in (hand_without or {}).items()]
    return pd.DataFrame([("sentiment", f"{late}: {direction} in net tone", check, est, lo, hi,
                          survives(est, lo, hi, headline)) for check, est, lo, hi in checks],
                        columns=ROBUSTNESS_COLUMNS)


def rhetoric_robustness(era_shift: pd.DataFrame, loo: pd.DataFrame, late: str) -> pd.DataFrame:
    """Robustness rows for the rhetoric categories whose era interval excludes 0: the
    sentence-bootstrap interval of notebook 03, and the difference with each text left
    out (:func:`leave_one_text_out`), each judged by :func:`survives`."""
    headline = era_shift[(era_shift["ci_low"] > 0) | (era_shift["ci_high"] < 0)]
    rows = []
    for r in headline.itertuples():
        finding = f"{readable(r.category)}: {'more' if r.difference > 0 else 'less'} in {late}"
        rows.append(("rhetoric", finding, "all texts (sentence bootstrap)", r.difference, r.ci_low, r.ci_high,
                     survives(r.difference, r.ci_low, r.ci_high, r.difference)))
        for o in loo[loo["category"] == r.category].itertuples():
            rows.append(("rhetoric", finding, f"without {o.left_out}", o.difference, o.ci_low, o.ci_high,
                         survives(o.difference, o.ci_low, o.ci_high, r.difference)))
    return pd.DataFrame(rows, columns=ROBUSTNESS_COLUMNS)


VERDICT_MARKS = {"survives": "✓", "same sign, interval includes 0": "~", "same sign, not significant": "~",
                 "reverses": "✗", "not tested (a stopword, or below the minimum frequency)": "–"}


def verdict_grid(robustness: pd.DataFrame) -> pd.DataFrame:
    """Findings by checks, each cell a mark: ✓ survives, ~ same sign but not significant
    (or interval includes 0), ✗ reverses, – not tested. Checks in order of appearance."""
    grid = robustness.assign(mark=robustness["verdict"].map(VERDICT_MARKS)).pivot_table(
        index=["family", "finding"], columns="check", values="mark", aggfunc="first", sort=False)
    return grid.fillna("")


def robustness_marks(robustness: pd.DataFrame) -> pd.DataFrame:
    """One row per finding: how many checks it passes ('survives'), whether
    it passes all, the checks it fails, and its weakest check: the one whose estimate is
    closest to zero on the side of the headline (the finding's first row)."""
    passed = robustness["verdict"] == "survives"
    rows = []
    for (family, finding), part in robustness.groupby(["family", "finding"], sort=False):
        ok = passed[part.index]
        signed = part["estimate"] * np.sign(part["estimate"].iloc[0])
        weakest = signed.idxmin() if signed.notna().any() else part.index[0]
        rows.append(dict(family=family, finding=finding, checks=len(part), passed=int(ok.sum()),
                         robust=bool(ok.all()), headline_estimate=part["estimate"].iloc[0],
                         weakest_check=part.loc[weakest, "check"], weakest_estimate=part.loc[weakest, "estimate"],
                         fails="; ".join(f"{c} ({v})" for c, v in zip(part.loc[~ok, "check"], part.loc[~ok, "verdict"]))))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------- findings, from the tables

def findings_numbers() -> list[Quoted]:
    """The numbers the findings of notebook 05 glue, each with its source table, row and
    column (results written earlier in the notebook). The tone check counts are optional:
    without hand labels in both groups there is no tone finding to check."""
    tone = "method == 'hand'"
    sentiment = "family == 'sentiment'"
    return [
        Quoted("vocab_pooled", "synthesis_vocabulary_summary", "index == 0", "pooled_significant", "{:.0f}"),
        Quoted("vocab_tested", "synthesis_vocabulary_summary", "index == 0", "tested", "{:.0f}"),
        Quoted("vocab_agree", "synthesis_vocabulary_summary", "index == 0", "texts_agree", "{:.0f}"),
        Quoted("vocab_min_p", "synthesis_vocabulary_summary", "index == 0", "min_p", "{:.2f}"),
        Quoted("tone_early", "synthesis_net_tone", tone, "tone_early"),
        Quoted("tone_late", "synthesis_net_tone", tone, "tone_late"),
        Quoted("tone_hand", "synthesis_net_tone", tone, "difference", "{:+.2f}"),
        Quoted("tone_hand_low", "synthesis_net_tone", tone, "ci_low"),
        Quoted("tone_hand_high", "synthesis_net_tone", tone, "ci_high"),
        Quoted("tone_passed", "synthesis_robustness_marks", sentiment, "passed", "{:.0f}", optional=True),
        Quoted("tone_checks", "synthesis_robustness_marks", sentiment, "checks", "{:.0f}", optional=True),
    ]


def rhetoric_findings(era_shift: pd.DataFrame, marks: pd.DataFrame, late: str) -> str:
    """A Markdown list: each rhetoric category whose interval excludes 0, with its
    difference, interval, checks passed and weakest check (from ``marks``)."""
    clear = era_shift[(era_shift["ci_low"] > 0) | (era_shift["ci_high"] < 0)]
    if clear.empty:
        return "none: every category's interval includes 0."
    marks = marks[marks["family"] == "rhetoric"].set_index("finding")
    items = []
    for r in clear.itertuples():
        finding = f"{readable(r.category)}: {'more' if r.difference > 0 else 'less'} in {late}"
        m = marks.loc[finding]
        items.append(f"- **{readable(r.category)}**: {r.difference:+.1f} per 1,000 words ({r.ci_low:.1f} to "
                     f"{r.ci_high:.1f}); passes {m['passed']} of {m['checks']} checks; weakest: "
                     f"{m['weakest_check']} ({m['weakest_estimate']:+.1f})")
    return "\n".join(items)


def robust_findings(marks: pd.DataFrame) -> str:
    """Markdown: how many findings pass every check, and which."""
    robust = marks[marks["robust"].astype(bool)]
    if robust.empty:
        return f"none of the {len(marks)} findings; each fails at least one check (grid above)."
    return f"{len(robust)} of {len(marks)} findings: " + "; ".join(f"{f} ({fam})" for fam, f in
                                                                    zip(robust["family"], robust["finding"])) + "."


def tone_direction(net_tone: pd.DataFrame) -> str:
    """'the later group reads less negative' (or more negative), from the hand-label row."""
    diff = float(net_tone.set_index("method").loc["hand", "difference"])
    if np.isnan(diff):
        return "no contrast (one of the groups has no hand labels)"
    return f"the later group reads {'less' if diff > 0 else 'more'} negative"


def corpus_facts(corpus: pd.DataFrame, column: str = "era") -> str:
    """A Markdown list of what the metadata says about the corpus, for the top of a
    notebook: texts per voice, groups in time order with their years and sizes, dates
    known only by inference, and whether outlets or translation regimes change with the group."""
    from . import groups as grp
    from .overview import UNCERTAIN_EVIDENCE

    main = grp.main_voice(corpus)
    others = corpus[~corpus.index.isin(main.index)]
    lines = [f"- {grp.count_phrase(len(main), 'text')} in the main voice ({grp.MAIN_VOICE})"
             + (f"; {grp.count_phrase(len(others), 'text')} in other voices "
                f"({', '.join(sorted(set(others['voice'])))}), shown apart and never pooled" if len(others) else "")]
    labels = grp.group_labels(corpus, column)
    lines.append(f"- groups by `{column}`, earliest first: " + "; ".join(f"**{g}** {lab[len(g):].strip()}"
                                                                      for g, lab in labels.items()))
    uncertain = main["date_evidence"].astype(str).str.startswith(UNCERTAIN_EVIDENCE).sum()
    lines.append(f"- {uncertain} of {grp.count_phrase(len(main), 'text')} dated by inference or approximation")
    for col in ("outlet", "translation"):
        if col in main and len(labels) > 1:
            per_value = main.groupby(col)[column].nunique()
            if (per_value == 1).all():
                lines.append(f"- every {col} appears in one group only: {col} and group vary together")
            else:
                shared = ", ".join(f"{v}" for v in per_value[per_value > 1].index)
                lines.append(f"- {col}s shared by more than one group: {shared}")
    return "\n".join(lines)
