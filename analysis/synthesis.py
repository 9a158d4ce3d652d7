"""Bring vocabulary, sentiment and rhetoric onto one time axis, and test the headline
contrasts between the eras for robustness.

Everything here reads the tables the notebooks 01-03 wrote to ``results/`` (or
recomputes a contrast under another analytic choice); nothing is typed by hand. The
headline contrasts are To Lam era (2025) minus Nguyen Phu Trong era (2020-2021), Party
media only: the reader comments are never pooled into an era.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import paths
from .sentiment import NET_TONE, difference_interval
from .vocabulary import keyness, log_ratio, term_labels

EARLY, LATE = "Nguyen Phu Trong", "To Lam"
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


def keyness_variants(party_tokens: dict[str, pd.DataFrame], eras: pd.Series, terms, min_freq: int = 5) -> pd.DataFrame:
    """Keyness of the later era against the earlier for ``terms`` ("lemma/UPOS"),
    recomputed under each analytic variant. ``party_tokens`` maps a variant name to a
    Party-media tokens table built under it; the variant counts word forms (``lower``,
    the term's lemma looked up as a form) if its name contains 'word forms', else terms.
    Returns variant, term, tested (False if the variant removes the term, e.g. as a
    stopword), g2, p_adjusted, log_ratio (later vs earlier), significant."""
    rows = []
    for variant, toks in party_tokens.items():
        unit = "lower" if "word forms" in variant else "term"
        toks = toks.assign(era=toks["doc_id"].map(eras))
        table = keyness(toks[toks["era"] == LATE], toks[toks["era"] == EARLY], min_freq=min_freq, unit=unit)
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

def net_tone_by_era(sentence_scores: pd.DataFrame, n_boot: int = 2000, seed: int = 2025) -> pd.DataFrame:
    """Net tone (mean of negative = -1, neutral = 0, positive = +1 over sentences) per era
    for every instrument and the hand labels, and the difference To Lam - Trong with a
    percentile bootstrap interval over sentences (:func:`analysis.sentiment.difference_interval`).
    One scale for every instrument, since their raw scores are not comparable.
    Party-media sentences only."""
    party = sentence_scores[sentence_scores["voice"] == "party-media"]
    rows = []
    for method, column in SENTIMENT_METHODS.items():
        tone = party[column].map(NET_TONE)
        if tone.isna().any():
            raise ValueError(f"{column}: labels other than {sorted(NET_TONE)} found")
        late, early = tone[party["era"] == LATE], tone[party["era"] == EARLY]
        diff, low, high = difference_interval(late, early, n_boot=n_boot, seed=seed)
        rows.append(dict(method=method, tone_early=early.mean(), tone_late=late.mean(), n_early=len(early),
                         n_late=len(late), difference=diff, ci_low=low, ci_high=high))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------- rhetoric

def pooled_rate_difference(rates: pd.DataFrame, eras: pd.Series, drop: str | None = None,
                           level: float = 0.95) -> pd.DataFrame:
    """Per category: pooled rate per 1,000 words of each era (sum of counts / sum of
    words) and the difference To Lam - Trong, optionally leaving the text ``drop`` out,
    with a Wald interval for a difference of Poisson rates, var = c1/n1² + c2/n2²
    (Rothman, Greenland & Lash 2008, *Modern Epidemiology*, ch. 14). Like every
    word-count interval it treats words as independent, so it is too narrow for texts.
    ``rates`` is ``results/rhetoric_rates.csv``."""
    table = rates[rates["doc_id"].isin(eras.index) & (rates["doc_id"] != drop)].copy()
    table["era"] = table["doc_id"].map(eras)
    pooled = table.groupby(["category", "era"], sort=False)[["count", "n_words"]].sum()
    count, words = pooled["count"].unstack("era"), pooled["n_words"].unstack("era")
    per_1k = 1000 * count / words
    half = stats.norm.ppf(0.5 + level / 2) * 1000 * np.sqrt(count[LATE] / words[LATE] ** 2 + count[EARLY] / words[EARLY] ** 2)
    diff = per_1k[LATE] - per_1k[EARLY]
    return pd.DataFrame({"per_1k_early": per_1k[EARLY], "per_1k_late": per_1k[LATE], "difference": diff,
                         "ci_low": diff - half, "ci_high": diff + half}).reset_index()


def leave_one_text_out(rates: pd.DataFrame, eras: pd.Series) -> pd.DataFrame:
    """:func:`pooled_rate_difference` with each Party text left out in turn: category,
    left_out, difference, ci_low, ci_high. An era contrast that loses its interval when
    one text is dropped rests on that text."""
    parts = []
    for doc in eras.index:
        part = pooled_rate_difference(rates, eras, drop=doc)[["category", "difference", "ci_low", "ci_high"]]
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

    def value(self) -> float:
        table = read_result(self.source)
        row = table.query(self.query)
        if len(row) != 1:
            raise ValueError(f"{self.name}: query {self.query!r} on {self.source} selects {len(row)} rows, not 1")
        return row[self.column].iloc[0]

    def text(self) -> str:
        return self.fmt.format(self.value())


def quoted_table(quotes: list[Quoted]) -> pd.DataFrame:
    """The numbers quoted in the findings, as a table: name, source, query, column, value, text."""
    return pd.DataFrame([dict(name=q.name, source=q.source, query=q.query, column=q.column, fmt=q.fmt,
                              value=q.value(), text=q.text()) for q in quotes])


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
    (estimate = log ratio To Lam vs Trong; no interval: the test is G² with BH)."""
    sign = key_terms.set_index("term")["lr_late_vs_early"].apply(np.sign)
    table = variants.assign(headline_sign=variants["term"].map(sign))
    labels = term_labels(key_terms["term"])
    return pd.DataFrame({
        "family": "vocabulary",
        "finding": [f"'{labels[t]}' {'more' if s > 0 else 'less'} frequent in the later era"
                    for t, s in zip(table["term"], table["headline_sign"])],
        "check": table["variant"], "estimate": table["log_ratio"], "ci_low": np.nan, "ci_high": np.nan,
        "verdict": table.apply(_keyness_verdict, axis=1),
    })


def sentiment_robustness(net_tone: pd.DataFrame, hand_without: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Robustness rows for the tone contrast, judged against the sign of the hand-label
    difference: each instrument's net-tone difference, and (``hand_without``: left-out
    doc_id -> the hand row of :func:`net_tone_by_era` without that text) the hand-label
    difference with each text left out."""
    headline = float(net_tone.set_index("method").loc["hand", "difference"])
    direction = "less negative" if headline > 0 else "more negative"
    checks = [(f"instrument: {r.method}", r.difference, r.ci_low, r.ci_high) for r in net_tone.itertuples()]
    checks += [(f"hand labels without {doc}", r["difference"], r["ci_low"], r["ci_high"])
               for doc, r in (hand_without or {}).items()]
    return pd.DataFrame([("sentiment", f"2025 texts {direction} in net tone", check, est, lo, hi,
                          survives(est, lo, hi, headline)) for check, est, lo, hi in checks],
                        columns=ROBUSTNESS_COLUMNS)


def rhetoric_robustness(era_shift: pd.DataFrame, loo: pd.DataFrame) -> pd.DataFrame:
    """Robustness rows for the rhetoric categories whose era interval excludes 0: the
    sentence-bootstrap interval of notebook 03, and the difference with each text left
    out (:func:`leave_one_text_out`), each judged by :func:`survives`."""
    headline = era_shift[(era_shift["ci_low"] > 0) | (era_shift["ci_high"] < 0)]
    rows = []
    for r in headline.itertuples():
        finding = f"{r.category}: {'more' if r.difference > 0 else 'less'} in 2025"
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
