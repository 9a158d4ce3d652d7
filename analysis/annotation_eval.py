"""How good the annotation layer (:mod:`analysis.annotation`) is on this corpus.

The gold standard is read by hand (``corpus/annotations/pos_gold.csv``,
``entities_gold.csv``, ``quotations_gold.csv``; conventions in
``corpus/annotations/annotation_guidelines.md``). Each function here compares it with
what the layer gives *now* (the annotated tokens table), so the figures follow the model
while the gold stays fixed.

Measures (standard span evaluation, as in the CoNLL shared tasks, Tjong Kim Sang & De
Meulder 2003):

- precision P = TP / (number predicted), recall R = TP / (number in the gold),
  F1 = 2PR / (P + R);
- *exact* match: a predicted span counts only if its start and end (and, "typed", its
  label) equal those of a gold span;
- *partial* match: a predicted span counts if it shares at least one token with a gold
  span (and, "typed", has its label); precision counts the predicted spans that overlap
  some gold span, recall the gold spans overlapped by some predicted span (so partial P
  and R are each a proportion of their own spans);
- 95% intervals for proportions are Wilson score intervals (Wilson 1927; recommended by
  Brown, Cai & DasGupta 2001, *Statistical Science* 16: 101-133). F1 is not a simple
  proportion and gets no interval.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import checks, paths
from .annotation import NAME_LABELS, QUOTE_SOURCES

#: The UPOS sample: its size and seed (fixed: the gold file stores the sample drawn with them).
POS_SAMPLE_SIZE = 330
POS_SAMPLE_SEED = 20251122
#: z for a two-sided 95% interval.
Z95 = 1.959963984540054
GOLD_FILES = {"pos": "pos_gold.csv", "entities": "entities_gold.csv", "quotations": "quotations_gold.csv"}
#: Gold keys: no two rows may share these.
GOLD_KEYS = {"pos": ["doc_id", "position"], "entities": ["doc_id", "start", "end"],
             "quotations": ["doc_id", "start", "end"]}


# ------------------------------------------------------------------------ gold files


def gold_path(name: str):
    """Path of the gold file ``name`` ("pos", "entities" or "quotations")."""
    return paths.corpus_dir() / "annotations" / GOLD_FILES[name]


def load_gold(name: str) -> pd.DataFrame:
    """The gold table ``name`` ("pos", "entities" or "quotations"), empty strings kept."""
    return pd.read_csv(gold_path(name), keep_default_na=False, encoding="utf-8")


def span_text(toks: pd.DataFrame, doc_id: str, start: int, end: int) -> str:
    """The tokens ``start`` to ``end - 1`` of ``doc_id`` joined as readable text."""
    from .vocabulary import detokenize

    doc = toks[toks["doc_id"] == doc_id].set_index("position")["token"]
    return detokenize([doc[k] for k in range(start, end)])


# ------------------------------------------------------------------------ sampling


def allocate(sizes: pd.Series, n: int) -> pd.Series:
    """``n`` split over strata in proportion to ``sizes`` (Hamilton's largest-remainder
    method: each stratum gets floor(n * size / total), the units left go to the largest
    remainders, ties by stratum order)."""
    quota = sizes / sizes.sum() * n
    out = np.floor(quota).astype(int)
    left = n - int(out.sum())
    order = (quota - out).sort_values(ascending=False, kind="stable").index[:left]
    out[order] += 1
    return out


def sample_tokens(toks: pd.DataFrame, n: int = POS_SAMPLE_SIZE, seed: int = POS_SAMPLE_SEED) -> pd.DataFrame:
    """A stratified random sample of ``n`` word tokens (``is_word``): each document (the
    Party-media texts and the comments alike) gets its proportional share
    (:func:`allocate`), drawn without replacement with NumPy's ``default_rng(seed)``,
    documents in sorted order. Deterministic for a given tokens table. Columns doc_id,
    position, token, sorted by doc_id and position."""
    words = toks[toks["is_word"]]
    sizes = words.groupby("doc_id").size().sort_index()
    shares = allocate(sizes, n)
    rng = np.random.default_rng(seed)
    parts = []
    for doc_id in sizes.index:
        pool = words[words["doc_id"] == doc_id].sort_values("position")
        pick = np.sort(rng.choice(len(pool), size=int(shares[doc_id]), replace=False))
        parts.append(pool.iloc[pick][["doc_id", "position", "token"]])
    return pd.concat(parts).sort_values(["doc_id", "position"]).reset_index(drop=True)


# ------------------------------------------------------------------------ proportions


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for the proportion k/n:
    (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n); (nan, nan) when n = 0."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    return ((centre - half) / denom, (centre + half) / denom)


def _proportion_row(measure: str, k: int, n: int, **extra) -> dict:
    lo, hi = wilson_interval(k, n)
    return {**extra, "measure": measure, "k": int(k), "n": int(n), "value": k / n if n else math.nan,
            "ci_low": lo, "ci_high": hi}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else (0.0 if p == p and r == r else math.nan)


# ------------------------------------------------------------------------ word classes


def pos_table(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """The gold sample with the layer's current UPOS (``upos_pred``) beside ``upos_gold``."""
    pred = annotated[["doc_id", "position", "upos"]].rename(columns={"upos": "upos_pred"})
    return gold.merge(pred, on=["doc_id", "position"], how="left", validate="1:1")


def pos_accuracy(gold: pd.DataFrame, annotated: pd.DataFrame, by_voice: pd.Series | None = None) -> pd.DataFrame:
    """UPOS accuracy = (tokens whose predicted UPOS equals the gold) / (tokens in the
    sample), with its Wilson interval; overall and per stratum (``by_voice`` maps doc_id
    to a group, e.g. the voice; default: per document)."""
    t = pos_table(gold, annotated)
    ok = t["upos_pred"] == t["upos_gold"]
    rows = [_proportion_row("upos accuracy", ok.sum(), len(t), group="all")]
    groups = t["doc_id"].map(by_voice) if by_voice is not None else t["doc_id"]
    for g, idx in t.groupby(groups, sort=True).groups.items():
        rows.append(_proportion_row("upos accuracy", ok[idx].sum(), len(idx), group=g))
    return pd.DataFrame(rows)


def pos_per_class(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """Per UPOS class: precision = tokens tagged X by both / tokens the layer tagged X;
    recall = tokens tagged X by both / tokens X in the gold; F1; with the counts."""
    t = pos_table(gold, annotated)
    rows = []
    for cls in sorted(set(t["upos_gold"]) | set(t["upos_pred"])):
        tp = int(((t["upos_gold"] == cls) & (t["upos_pred"] == cls)).sum())
        n_gold, n_pred = int((t["upos_gold"] == cls).sum()), int((t["upos_pred"] == cls).sum())
        p = tp / n_pred if n_pred else math.nan
        r = tp / n_gold if n_gold else math.nan
        rows.append({"upos": cls, "gold": n_gold, "predicted": n_pred, "correct": tp, "precision": p,
                     "recall": r, "f1": _f1(p, r) if n_pred and n_gold else math.nan})
    return pd.DataFrame(rows)


def pos_confusion(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """The UPOS disagreements counted: gold, predicted, n (most frequent first)."""
    t = pos_table(gold, annotated)
    wrong = t[t["upos_pred"] != t["upos_gold"]]
    out = wrong.groupby(["upos_gold", "upos_pred"]).size().rename("n").reset_index()
    return out.sort_values(["n", "upos_gold", "upos_pred"], ascending=[False, True, True]).reset_index(drop=True)


# ------------------------------------------------------------------------ spans


def entity_predictions(annotated: pd.DataFrame, trim_article: bool = False) -> pd.DataFrame:
    """The layer's named-entity spans (labels of :data:`NAME_LABELS`): doc_id, start,
    end, text, type, entity. ``trim_article`` drops a leading "the" from each span (the
    gold keeps "the" outside names)."""
    from .vocabulary import detokenize

    named = annotated[annotated["ent_type"].isin(NAME_LABELS)]
    start_id = (named["ent_iob"].eq("B") | named["doc_id"].ne(named["doc_id"].shift())).cumsum()
    rows = []
    for _, g in named.groupby(start_id, sort=False):
        toks = list(g["token"])
        first = int(g["position"].iloc[0])
        if trim_article and len(toks) > 1 and toks[0].lower() == "the":
            toks, first = toks[1:], first + 1
        rows.append((g["doc_id"].iloc[0], first, int(g["position"].iloc[-1]) + 1, detokenize(toks),
                     g["ent_type"].iloc[0], g["entity"].iloc[0]))
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", "text", "type", "entity"])


def quotation_predictions(annotated: pd.DataFrame) -> pd.DataFrame:
    """The layer's quotation spans: doc_id, start, end (token positions, marks
    excluded), text, source, speaker."""
    from .vocabulary import detokenize

    quoted = annotated[annotated["quote_id"] >= 0]
    rows = []
    for (doc_id, _), g in quoted.groupby(["doc_id", "quote_id"], sort=False):
        rows.append((doc_id, int(g["position"].min()), int(g["position"].max()) + 1, detokenize(list(g["token"])),
                     g["quote_source"].iloc[0], g["speaker"].iloc[0]))
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", "text", "source", "speaker"])


def _overlaps(a: pd.Series, spans: pd.DataFrame, typed: bool, label: str) -> pd.DataFrame:
    s = spans[(spans["doc_id"] == a["doc_id"]) & (spans["start"] < a["end"]) & (spans["end"] > a["start"])]
    return s[s[label] == a[label]] if typed else s


def match_spans(gold: pd.DataFrame, pred: pd.DataFrame, mode: str = "exact", typed: bool = False,
                label: str = "type") -> tuple[pd.Series, pd.Series]:
    """(gold_found, pred_correct): boolean Series over the gold and the predicted rows.
    ``mode`` "exact": same doc_id, start and end; "partial": at least one shared token.
    ``typed``: the ``label`` column must agree too."""
    if mode not in ("exact", "partial"):
        raise ValueError(f"mode must be 'exact' or 'partial', not {mode!r}")
    keys = ["doc_id", "start", "end"] + ([label] if typed else [])
    if mode == "exact":
        g_keys = set(map(tuple, gold[keys].itertuples(index=False)))
        p_keys = set(map(tuple, pred[keys].itertuples(index=False)))
        return (pd.Series([tuple(r) in p_keys for r in gold[keys].itertuples(index=False)], index=gold.index, dtype=bool),
                pd.Series([tuple(r) in g_keys for r in pred[keys].itertuples(index=False)], index=pred.index, dtype=bool))
    found = pd.Series([not _overlaps(r, pred, typed, label).empty for _, r in gold.iterrows()], index=gold.index,
                      dtype=bool)
    correct = pd.Series([not _overlaps(r, gold, typed, label).empty for _, r in pred.iterrows()], index=pred.index,
                        dtype=bool)
    return found, correct


def span_scores(gold: pd.DataFrame, pred: pd.DataFrame, mode: str = "exact", typed: bool = False,
                label: str = "type") -> dict:
    """Precision (correct predicted / predicted), recall (gold found / gold) and F1 of one
    matching (:func:`match_spans`), with Wilson intervals for P and R."""
    found, correct = match_spans(gold, pred, mode, typed, label)
    p = correct.mean() if len(pred) else math.nan
    r = found.mean() if len(gold) else math.nan
    p_lo, p_hi = wilson_interval(int(correct.sum()), len(pred))
    r_lo, r_hi = wilson_interval(int(found.sum()), len(gold))
    return {"match": mode, "typed": typed, "gold": len(gold), "predicted": len(pred),
            "correct_predicted": int(correct.sum()), "gold_found": int(found.sum()),
            "precision": p, "precision_low": p_lo, "precision_high": p_hi,
            "recall": r, "recall_low": r_lo, "recall_high": r_hi, "f1": _f1(p, r)}


def entity_scores(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """Entity span P/R/F1: exact and partial, without and with the type; plus exact with a
    leading "the" of the predicted spans ignored (the gold keeps "the" outside)."""
    pred = entity_predictions(annotated)
    trimmed = entity_predictions(annotated, trim_article=True)
    rows = [span_scores(gold, pred, m, t) for m in ("exact", "partial") for t in (False, True)]
    rows += [{**span_scores(gold, trimmed, "exact", t), "match": "exact, leading 'the' ignored"} for t in (False, True)]
    return pd.DataFrame(rows)


def entity_scores_by_type(gold: pd.DataFrame, annotated: pd.DataFrame, mode: str = "exact") -> pd.DataFrame:
    """Typed P/R/F1 per gold/predicted label (leading "the" ignored), ``mode`` matching."""
    pred = entity_predictions(annotated, trim_article=True)
    rows = []
    for label in sorted(set(gold["type"]) | set(pred["type"])):
        s = span_scores(gold[gold["type"] == label], pred[pred["type"] == label], mode, typed=True)
        rows.append({"type": label, **{k: s[k] for k in ("gold", "predicted", "correct_predicted", "gold_found",
                                                         "precision", "recall", "f1")}})
    return pd.DataFrame(rows)


def person_name_accuracy(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """Normalised-name accuracy = (gold PERSON mentions overlapped by a predicted PERSON
    span whose ``entity`` equals the gold name) / (gold PERSON mentions overlapped by a
    predicted PERSON span); with the Wilson interval and how many persons were matched."""
    pred = entity_predictions(annotated)
    persons = gold[gold["type"] == "PERSON"]
    pp = pred[pred["type"] == "PERSON"]
    k = n = 0
    for _, g in persons.iterrows():
        hits = _overlaps(g, pp, typed=False, label="type")
        if hits.empty:
            continue
        n += 1
        k += int(hits["entity"].iloc[0] == g["entity"])
    return pd.DataFrame([_proportion_row("person name accuracy (matched mentions)", k, n,
                                         gold_persons=len(persons))])


def quotation_scores(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """Quotation span P/R/F1, exact and partial (:func:`span_scores`, untyped)."""
    pred = quotation_predictions(annotated)
    return pd.DataFrame([span_scores(gold, pred, m, False) for m in ("exact", "partial")])


def _matched_quotes(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    pred = quotation_predictions(annotated)
    return gold.merge(pred, on=["doc_id", "start", "end"], suffixes=("_gold", "_pred"))


def quotation_source_accuracy(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """On the quotations found with exact spans: source accuracy = (same source) /
    (matched quotations); speaker accuracy = (same speaker) / (matched quotations whose
    gold source is "person"); both with Wilson intervals. Also the accuracy with "term"
    against all other sources (is the quote the author's own voice or not)."""
    m = _matched_quotes(gold, annotated)
    same = m["source_gold"] == m["source_pred"]
    voice = (m["source_gold"] == "term") == (m["source_pred"] == "term")
    person = m[m["source_gold"] == "person"]
    return pd.DataFrame([
        _proportion_row("source accuracy", same.sum(), len(m)),
        _proportion_row("voice accuracy (term vs quoted)", voice.sum(), len(m)),
        _proportion_row("speaker accuracy (gold source person)",
                        ((person["source_pred"] == "person") & (person["speaker_gold"] == person["speaker_pred"])).sum(),
                        len(person)),
    ])


def quotation_source_confusion(gold: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """Confusion table of the source on the exactly matched quotations: one row per gold
    source, one column per predicted source (:data:`QUOTE_SOURCES` order), counts."""
    m = _matched_quotes(gold, annotated)
    table = pd.crosstab(m["source_gold"], m["source_pred"])
    order = [s for s in QUOTE_SOURCES if s in set(table.index) | set(table.columns)]
    table = table.reindex(index=order, columns=order, fill_value=0)
    table.index.name, table.columns.name = "gold source", None
    return table.reset_index()


# ------------------------------------------------------------------------ errors


def errors(pos_gold: pd.DataFrame, ent_gold: pd.DataFrame, quote_gold: pd.DataFrame,
           annotated: pd.DataFrame) -> pd.DataFrame:
    """Every disagreement between the layer and the gold, one row each: layer (upos,
    entity, quotation), kind (wrong tag; missed, spurious, wrong span, wrong type, wrong
    name; wrong source, wrong speaker), doc_id, start, end, text, gold, predicted, note
    (the gold's note, where there is one). Entity spans are compared with a leading "the"
    ignored; a predicted span overlapping a gold one with other bounds is "wrong span"."""
    rows = []
    t = pos_table(pos_gold, annotated)
    for r in t[t["upos_pred"] != t["upos_gold"]].itertuples():
        rows.append(("upos", "wrong tag", r.doc_id, r.position, r.position + 1, r.token, r.upos_gold, r.upos_pred,
                     r.note))
    pred = entity_predictions(annotated, trim_article=True)
    used = set()
    for _, g in ent_gold.iterrows():
        hits = _overlaps(g, pred, typed=False, label="type")
        if hits.empty:
            rows.append(("entity", "missed", g.doc_id, g.start, g.end, g.text, f"{g.type} {g.entity}", "", g.note))
            continue
        used.update(hits.index)
        exact = hits[(hits["start"] == g.start) & (hits["end"] == g.end)]
        if exact.empty:
            shown = "; ".join(f"{h.text} [{h.type}]" for h in hits.itertuples())
            rows.append(("entity", "wrong span", g.doc_id, g.start, g.end, g.text, f"{g.type} {g.entity}", shown,
                         g.note))
            continue
        h = exact.iloc[0]
        if h["type"] != g.type:
            rows.append(("entity", "wrong type", g.doc_id, g.start, g.end, g.text, g.type, h["type"], g.note))
        elif g.type == "PERSON" and h["entity"] != g.entity:
            rows.append(("entity", "wrong name", g.doc_id, g.start, g.end, g.text, g.entity, h["entity"], g.note))
    for i, h in pred.iterrows():
        if i not in used:
            rows.append(("entity", "spurious", h.doc_id, h.start, h.end, h.text, "", f"{h.type} {h.entity}", ""))
    qpred = quotation_predictions(annotated)
    found, correct = match_spans(quote_gold, qpred, "exact")
    for _, g in quote_gold[~found].iterrows():
        rows.append(("quotation", "missed", g.doc_id, g.start, g.end, g.text, g.source, "", g.note))
    for _, h in qpred[~correct].iterrows():
        rows.append(("quotation", "spurious", h.doc_id, h.start, h.end, h.text, "", h.source, ""))
    for _, m in _matched_quotes(quote_gold, annotated).iterrows():
        if m["source_gold"] != m["source_pred"]:
            rows.append(("quotation", "wrong source", m.doc_id, m.start, m.end, m.text_gold,
                         f"{m.source_gold} {m.speaker_gold}".strip(), f"{m.source_pred} {m.speaker_pred}".strip(),
                         m.note))
        elif m["source_gold"] == "person" and m["speaker_gold"] != m["speaker_pred"]:
            rows.append(("quotation", "wrong speaker", m.doc_id, m.start, m.end, m.text_gold, m.speaker_gold,
                         m.speaker_pred, m.note))
    out = pd.DataFrame(rows, columns=["layer", "kind", "doc_id", "start", "end", "text", "gold", "predicted", "note"])
    return out.sort_values(["layer", "kind", "doc_id", "start"], kind="stable").reset_index(drop=True)


def error_counts(errs: pd.DataFrame) -> pd.DataFrame:
    """Errors counted by layer and kind."""
    return errs.groupby(["layer", "kind"], sort=True).size().rename("n").reset_index()


# ------------------------------------------------------------------------ for the notebook

#: What each gold file annotates, in words, for the notebook's messages.
GOLD_SUBJECTS = {"pos": "word classes", "entities": "names (named entities)", "quotations": "quotations"}


def gold_file_label(name: str) -> str:
    """The gold file of ``name`` relative to the corpus folder (``annotations/pos_gold.csv``):
    what a message names, so that no temporary path enters an output."""
    return f"annotations/{GOLD_FILES[name]}"


def load_gold_if_present(name: str) -> pd.DataFrame | None:
    """The gold table ``name`` (:func:`load_gold`), or None when the corpus has no such file
    (a researcher's own corpus usually has no hand annotation)."""
    return load_gold(name) if gold_path(name).exists() else None


def not_measured(name: str) -> str:
    """The sentence a notebook shows where the gold file ``name`` is missing."""
    return checks.not_measured(GOLD_SUBJECTS[name], GOLD_FILES[name])


def empty_gold(name: str) -> pd.DataFrame:
    """An empty gold table ``name`` with the columns of the gold file, so that :func:`errors`
    can be called when some gold files are missing."""
    columns = {"pos": ["doc_id", "position", "token", "upos_model", "upos_gold", "note"],
               "entities": ["doc_id", "start", "end", "text", "type", "entity", "note"],
               "quotations": ["doc_id", "start", "end", "text", "source", "speaker", "note"]}[name]
    return pd.DataFrame({c: pd.Series(dtype=int if c in ("position", "start", "end") else object) for c in columns})


def _error_class(kind: str, value: str) -> str:
    """The class of a gold or predicted value of :func:`errors`: its first word (a tag, an
    entity type or a quotation source); for the layer's side of a "wrong span", the types
    in brackets ("ORG", "GPE+ORG"); "-" where there is none."""
    import re

    if not value:
        return "-"
    if kind in ("wrong name", "wrong speaker"):
        return "name"
    if kind == "wrong span" and "[" in value:
        return "+".join(dict.fromkeys(re.findall(r"\[([A-Za-z_]+)\]", value)))
    return value.split(" ", 1)[0]


def _describe_pattern(kind: str, gold: str, predicted: str) -> str:
    """An error pattern in words: "LAW missed", "spurious ORG", "GPE taken for PERSON",
    "EVENT found with other bounds (as ORG)", "wrong name"."""
    if kind == "missed":
        return f"{gold} missed"
    if kind == "spurious":
        return f"spurious {predicted}"
    if kind == "wrong span":
        return f"{gold} found with other bounds (as {predicted})"
    if kind in ("wrong name", "wrong speaker"):
        return kind
    return f"{gold} taken for {predicted}"


def error_patterns(errs: pd.DataFrame, layer: str | None = None, examples: int = 3) -> pd.DataFrame:
    """The disagreements of :func:`errors` counted by pattern: ``layer``, ``kind``,
    ``gold`` and ``predicted`` (their classes: the tag, entity type or quotation source,
    "-" for none), ``description`` (the pattern in words, e.g. "GPE taken for PERSON"),
    ``n``, ``example`` (the most frequent text, then the first) and ``examples`` (up to
    ``examples`` distinct texts in that order, each quoted, joined by "; "). Most frequent
    pattern first (ties by layer, kind, gold, predicted). Only ``layer`` if given."""
    if layer is not None:
        errs = errs[errs["layer"] == layer]
    keyed = errs.assign(gold_class=[_error_class(k, v) for k, v in zip(errs["kind"], errs["gold"])],
                        predicted_class=[_error_class(k, v) for k, v in zip(errs["kind"], errs["predicted"])])
    rows = []
    for (lay, kind, g, p), part in keyed.groupby(["layer", "kind", "gold_class", "predicted_class"], sort=True):
        counts = part["text"].value_counts(sort=False)
        first = {t: k for k, t in reversed(list(enumerate(part["text"])))}
        ordered = sorted(counts.index, key=lambda t: (-counts[t], first[t]))
        rows.append(dict(layer=lay, kind=kind, gold=g, predicted=p, description=_describe_pattern(kind, g, p),
                         n=len(part), example=ordered[0], examples="; ".join(f'"{t}"' for t in ordered[:examples])))
    out = pd.DataFrame(rows, columns=["layer", "kind", "gold", "predicted", "description", "n", "example", "examples"])
    return out.sort_values(["n", "layer", "kind", "gold", "predicted"], ascending=[False, True, True, True, True],
                           kind="stable").reset_index(drop=True)
