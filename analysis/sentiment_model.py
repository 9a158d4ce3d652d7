"""Sentiment instruments that are designed on some texts and judged on another.

Every instrument of :mod:`analysis.sentiment` that learns anything from the hand labels
is a pair of steps here: ``design(rows)`` learns from labelled rows (the lexicon changes
the rows support, a threshold, a model) and ``predict(design, texts)`` labels sentences.
:func:`leave_one_text_out` runs the pair once per text: designed on the other texts,
scored on the text left out, so that every text is judged by an instrument that never
saw it. The unit left out is the text, because sentences of one text share an author,
a translator and a topic: leaving out sentences would let an instrument learn a text's
habits and be scored on the same habits.

What counts as the author's evaluation
    Quoted words (documents, leaders, sayings, adversaries' claims) are not the author's
    evaluation and names are not evaluations at all ("People's Voice", "the Communist
    Party"): :func:`split_voice` removes names and quotations from a sentence before the
    author's score is taken, and scores the quotations apart. On plain strings it works
    by rule (quotation marks; capitalised words after the first); with the annotation
    layer (:func:`voice_texts_from_layer`) it uses the parser's entities and quotations.

Lexicon changes need evidence
    A change to VADER's lexicon (``analysis/data/sentiment_genre_lexicon.csv``) belongs
    to a family: a word with its inflections ("interest", "interests"), or a class the
    codebook defines ("class: malady vocabulary": words the texts name as a malady or as
    the enemy's method). A change is used only when the design rows hold at least
    ``min_lines`` keyword-in-context lines of its family from at least ``min_texts``
    texts, and the word itself occurs there (:func:`supported_changes`). A change made
    for one sentence, or one text, is never used; in a leave-one-text-out fold only the
    other texts count.

The supervised model
    Multinomial logistic regression (scikit-learn's ``LogisticRegression``, lbfgs, L2
    penalty, classes weighted inversely to their frequency) on standardised features.
    Its penalty ``C`` is chosen inside the design rows by a leave-one-text-out loop over
    their texts (nested: the text left out by the outer loop is never seen). Features:
    :data:`TEXT_FEATURES` (from the sentence string only, so the model scores any text
    fast) and, for ``model_annotated``, the annotation layer's rhetoric categories,
    actors and their roles, and word-class-aware lemmas (:func:`layer_features`).

Misclassification correction
    :func:`corrected_shares` turns the label shares an instrument gives a set of
    unlabelled sentences into estimated true shares, by inverting the instrument's
    confusion matrix (the matrix method: Buonaccorsi 2010, *Measurement Error*, ch. 3;
    Forman 2008, "Quantifying counts and costs via classification", Data Min. Knowl.
    Disc. 17, as "adjusted classify and count").
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from . import paths
from .groups import MAIN_VOICE
from .sentiment import GENRE_LEXICON_FILE, LABELS, THRESHOLDS, cohen_kappa, confusion_matrix, label_scores, threshold_grid
#: Evidence a lexicon change needs in the design rows (see :func:`supported_changes`).
MIN_LINES = 3
MIN_TEXTS = 2
#: Neutral-band widths tried when a threshold is designed (|compound| below is neutral).
THRESHOLD_GRID = tuple(round(0.05 * k, 2) for k in range(1, 20))
#: Penalties tried for the model (inverse regularisation strength of scikit-learn).
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
#: Features the model computes from a sentence string alone.
TEXT_FEATURES = ("author_compound", "quoted_compound", "positive_sum", "negative_sum", "negations",
                 "quoted_share", "log_words")
INSTRUMENTS_FILE = "sentiment_instruments.json"

_QUOTE = re.compile(r"“[^“”]*”?|\"[^\"]*\"?|‘[^‘’]{12,}’")
_WORD = re.compile(r"[\w][\w'’-]*")
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]{2,}[\w-]*)$")
_NAME_KEEP = frozenset({"I"})


# ------------------------------------------------------------------------ voice


def split_voice(text: str) -> tuple[str, str]:
    """(author, quoted): the sentence without its quotations and names, and the
    quotations alone, both as plain text.

    Rules for plain strings (a reviewer can check them against the annotation layer, as
    notebook 02 does): a quotation runs from an opening double quote (“ or ") to its
    close, or to the end of the sentence if it is never closed; single curly quotes count
    only around 12 or more characters (shorter ones are apostrophes or scare quotes). A
    name is a capitalised word that is not the first word of the sentence (nor "I").
    """
    quoted = " ".join(m.group(0).strip("“”\"‘’") for m in _QUOTE.finditer(text))
    outside = _QUOTE.sub(" ", text)
    words = outside.split()
    kept = [w for i, w in enumerate(words)
            if i == 0 or w in _NAME_KEEP or not _NAME.match(w.strip("(“\"‘'[,;:"))]
    return " ".join(kept), quoted


def voice_texts_from_layer(annotated: pd.DataFrame) -> pd.DataFrame:
    """doc_id, sent_id, author, quoted from the annotation layer: ``author`` the tokens in
    the author's voice outside named entities, ``quoted`` the tokens outside the author's
    voice (``analysis.annotation``: quotations of documents, people, sayings, verse and
    adversaries)."""
    from .annotation import NAME_LABELS

    named = annotated["ent_type"].isin(NAME_LABELS)
    own = annotated["author_voice"].astype(bool)
    key = [annotated["doc_id"], annotated["sent_id"]]
    author = annotated["token"].where(own & ~named, "").groupby(key, sort=False).agg(_join)
    quoted = annotated["token"].where(~own, "").groupby(key, sort=False).agg(_join)
    return pd.DataFrame({"author": author, "quoted": quoted}).reset_index()


def _join(tokens: pd.Series) -> str:
    return " ".join(t for t in tokens if t)


# ------------------------------------------------------------------------ lexicon changes


def read_changes() -> pd.DataFrame:
    """The proposed lexicon changes: word, family, genre_valence (0 removes the word),
    reason. Raises ValueError naming the file if it is malformed."""
    path = paths.data_file(GENRE_LEXICON_FILE)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != ["word", "family", "genre_valence", "reason"]:
        raise ValueError(f"{path}: the header must be word,family,genre_valence,reason")
    bad = table.loc[(table["word"] != table["word"].str.lower().str.strip()) | table["word"].duplicated()
                    | (table["family"] == ""), "word"]
    if len(bad):
        raise ValueError(f"{path}: words must be lower case, trimmed, unique and have a family; fix {bad.tolist()}")
    valence = pd.to_numeric(table["genre_valence"], errors="coerce")
    if valence.isna().any() or not valence.between(-4, 4).all():
        raise ValueError(f"{path}: genre_valence must be a number in VADER's range -4..4")
    return table.assign(genre_valence=valence.astype(float))


def _word_pattern(words) -> re.Pattern:
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def family_lines(changes: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Every keyword-in-context line of every family in ``rows`` (doc_id, sent_id,
    text): family, word, doc_id, sent_id, left, match, right. Only the author's words
    count (:func:`split_voice`'s quotations are left out)."""
    by_word = dict(zip(changes["word"], changes["family"]))
    pattern = _word_pattern(by_word)
    out = []
    for doc_id, sent_id, text in zip(rows["doc_id"], rows["sent_id"], rows["text"]):
        own = _QUOTE.sub(lambda m: " " * len(m.group(0)), text)
        for m in pattern.finditer(own):
            word = m.group(0).lower()
            out.append((by_word[word], word, doc_id, sent_id, text[max(0, m.start() - 50):m.start()],
                        text[m.start():m.end()], text[m.end():m.end() + 50]))
    return pd.DataFrame(out, columns=["family", "word", "doc_id", "sent_id", "left", "match", "right"])


def family_support(changes: pd.DataFrame, rows: pd.DataFrame, min_lines: int = MIN_LINES,
                   min_texts: int = MIN_TEXTS) -> pd.DataFrame:
    """Per family: lines and texts in ``rows``, and ``supported`` (lines >= min_lines
    and texts >= min_texts). Families with no line keep a row of zeros."""
    return _support(changes, family_lines(changes, rows), min_lines, min_texts)


def _support(changes: pd.DataFrame, lines: pd.DataFrame, min_lines: int, min_texts: int) -> pd.DataFrame:
    families = list(dict.fromkeys(changes["family"]))
    count = lines.groupby("family").size().reindex(families, fill_value=0)
    texts = lines.groupby("family")["doc_id"].nunique().reindex(families, fill_value=0)
    table = pd.DataFrame({"family": families, "lines": count.to_numpy(), "texts": texts.to_numpy()})
    table["supported"] = (table["lines"] >= min_lines) & (table["texts"] >= min_texts)
    return table


def supported_changes(changes: pd.DataFrame, rows: pd.DataFrame, min_lines: int = MIN_LINES,
                      min_texts: int = MIN_TEXTS) -> dict[str, float]:
    """word -> valence for the changes the design ``rows`` support: the word's family is
    supported (:func:`family_support`) and the word itself has a line in ``rows``."""
    lines = family_lines(changes, rows)
    support = _support(changes, lines, min_lines, min_texts)
    keep = set(support.loc[support["supported"], "family"])
    seen = set(lines["word"])
    chosen = changes[changes["family"].isin(keep) & changes["word"].isin(seen)]
    return dict(zip(chosen["word"], chosen["genre_valence"]))


@lru_cache(maxsize=32)
def _analyzer(changes: tuple[tuple[str, float], ...]):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    for word, valence in changes:
        if valence == 0:
            analyzer.lexicon.pop(word, None)
        else:
            analyzer.lexicon[word] = valence
    return analyzer


def analyzer_for(changes: dict[str, float]):
    """A vaderSentiment analyzer whose lexicon carries ``changes`` (cached)."""
    return _analyzer(tuple(sorted(changes.items())))


# ------------------------------------------------------------------------ features


def text_features(texts, changes: dict[str, float]) -> np.ndarray:
    """(n, len(TEXT_FEATURES)) features of sentence strings, with the VADER lexicon
    carrying ``changes``: the compound of the author's words and of the quoted words
    (0 if none), the sums of positive and of negative valences of the author's words,
    VADER's negation words among them, the quoted share of the words, and log(1 + words)."""
    analyzer = analyzer_for(changes)
    lexicon = analyzer.lexicon
    from vaderSentiment.vaderSentiment import NEGATE

    from .sentiment import vader_compound

    negate = frozenset(NEGATE)
    out = np.zeros((len(texts), len(TEXT_FEATURES)))
    for i, text in enumerate(texts):
        author, quoted = split_voice(text)
        words = [w.lower() for w in _WORD.findall(author)]
        valences = [lexicon.get(w, 0.0) for w in words]
        n_quoted = len(quoted.split())
        n_all = len(words) + n_quoted
        out[i] = (vader_compound(analyzer, author) if words else 0.0,
                  vader_compound(analyzer, quoted) if n_quoted else 0.0,
                  sum(v for v in valences if v > 0), -sum(v for v in valences if v < 0),
                  sum(w in negate or w.endswith("n't") for w in words),
                  n_quoted / n_all if n_all else 0.0, math.log1p(n_all))
    return out


def author_compound(texts, changes: dict[str, float]) -> np.ndarray:
    """VADER's compound score of each sentence's author words (:func:`split_voice`; a
    long sentence in pieces, :func:`analysis.sentiment.vader_compound`)."""
    from .sentiment import vader_compound

    analyzer = analyzer_for(changes)
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        author, _ = split_voice(text)
        out[i] = vader_compound(analyzer, author) if author.strip() else 0.0
    return out


def layer_features(sents: pd.DataFrame, annotated: pd.DataFrame) -> pd.DataFrame:
    """Per sentence (doc_id, sent_id, then one column per feature) the counts the
    annotation layer gives: rhetoric categories in the author's voice (``rh:<category>``,
    :mod:`analysis.rhetoric`), actors by role (``actor:<actor>:<agent|patient|other>``,
    :mod:`analysis.actors` and :mod:`analysis.agency`), and ``terms``: the author's
    content lemmas with their word class ("lead/VERB"), space-separated."""
    from . import actors as ac
    from . import agency as ag
    from . import rhetoric as rh

    key = ["doc_id", "sent_id"]
    base = sents[key].copy()
    evidence = rh.find_matches(sents, rh.load_categories(), annotated)
    evidence = evidence[evidence["author_voice"]]
    cats = evidence.groupby(key + ["category"]).size().unstack(fill_value=0).add_prefix("rh:")
    mentions = ac.actor_mentions(annotated, ac.load_actors())
    mentions = mentions[mentions["author_voice"]]
    roles = ac.actor_roles(mentions, ag.nominal_roles(annotated, of_possessors=False))
    roles["feature"] = ("actor:" + roles["actor"] + ":"
                        + roles["role"].where(roles["role"].isin(["agent", "patient"]), "other"))
    acts = roles.groupby(key + ["feature"])["mention_id"].nunique().unstack(fill_value=0)
    content = annotated[annotated["is_content"] & annotated["author_voice"]]
    terms = content.groupby(key, sort=False)["term"].agg(lambda t: " ".join(sorted(set(t)))).rename("terms")
    table = base.join(cats, on=key).join(acts, on=key).join(terms, on=key)
    numeric = [c for c in table.columns if c not in key + ["terms"]]
    table[numeric] = table[numeric].fillna(0).astype(int)
    table["terms"] = table["terms"].fillna("")
    return table.reset_index(drop=True)


# ------------------------------------------------------------------------ agreement


def kappa(true, pred) -> float:
    """Cohen's kappa of two label sequences (see :func:`analysis.sentiment.cohen_kappa`)."""
    return float(cohen_kappa(confusion_matrix(true, pred)))


def best_threshold(scores, true, grid=THRESHOLD_GRID) -> float:
    """The threshold of ``grid`` (ascending) with the largest kappa
    (:func:`analysis.sentiment.threshold_grid`); ties go to the smaller."""
    table = threshold_grid(scores, true, grid)
    return float(table.loc[table["kappa"].idxmax(), "threshold"])


# ------------------------------------------------------------------------ instruments


@dataclass
class Design:
    """What an instrument learned from its design rows."""
    method: str
    changes: dict[str, float] = field(default_factory=dict)
    threshold: float = float("nan")
    model: dict | None = None
    n_rows: int = 0
    texts: tuple[str, ...] = ()


#: Off-the-shelf methods and their published thresholds (:data:`analysis.sentiment.THRESHOLDS`).
FIXED = THRESHOLDS
DESIGNED = ("vader_genre", "model", "model_annotated")


def fixed_scores(texts, method: str) -> np.ndarray:
    """The score of an off-the-shelf method (no design): VADER's compound, AFINN's sum,
    TextBlob's polarity, of the whole sentence."""
    from .sentiment import score_sentiment

    return score_sentiment(list(texts), method)["score"].to_numpy()


def _matrix(rows: pd.DataFrame, changes: dict[str, float], layer_columns: list[str] | None,
            vocabulary: list[str] | None) -> np.ndarray:
    X = text_features(list(rows["text"]), changes)
    if layer_columns is not None:
        extra = rows.reindex(columns=layer_columns, fill_value=0).to_numpy(float)
        terms = [set(t.split()) for t in rows["terms"]]
        bag = np.array([[v in t for v in vocabulary] for t in terms], dtype=float).reshape(len(rows), len(vocabulary))
        X = np.hstack([X, extra, bag])
    return X


def _layer_vocabulary(rows: pd.DataFrame, min_texts: int) -> tuple[list[str], list[str]]:
    numeric = sorted(c for c in rows.columns if c.startswith(("rh:", "actor:")))
    docs_of = {}
    for doc, terms in zip(rows["doc_id"], rows["terms"]):
        for t in set(terms.split()):
            docs_of.setdefault(t, set()).add(doc)
    vocabulary = sorted(t for t, d in docs_of.items() if len(d) >= min_texts)
    return numeric, vocabulary


def _fit_logistic(X: np.ndarray, y: np.ndarray, C: float) -> dict:
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    fitted = LogisticRegression(C=C, max_iter=10_000, class_weight="balanced").fit((X - mean) / scale, y)
    return {"classes": fitted.classes_.tolist(), "coef": fitted.coef_.tolist(),
            "intercept": fitted.intercept_.tolist(), "mean": mean.tolist(), "scale": scale.tolist(), "C": C}


def _predict_logistic(model: dict, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and a score in -1..1: P(positive) - P(negative)."""
    z = ((X - np.asarray(model["mean"])) / np.asarray(model["scale"])) @ np.asarray(model["coef"]).T
    z = z + np.asarray(model["intercept"])
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    classes = list(model["classes"])
    labels = np.asarray(classes, dtype=object)[p.argmax(axis=1)]
    # a class the design rows never had has probability 0
    prob = {c: p[:, classes.index(c)] if c in classes else np.zeros(len(p)) for c in ("positive", "negative")}
    return labels, prob["positive"] - prob["negative"]


def design(method: str, rows: pd.DataFrame, min_lines: int = MIN_LINES, min_texts: int = MIN_TEXTS,
           thresholds=THRESHOLD_GRID, c_grid=C_GRID) -> Design:
    """Design ``method`` on labelled ``rows`` (doc_id, sent_id, text, label; for
    ``model_annotated`` also the columns of :func:`layer_features`).

    ``vader_genre``: the supported lexicon changes, then the neutral-band threshold with
    the largest kappa. ``model``/``model_annotated``: the supported changes, then the
    penalty C of :data:`C_GRID` with the largest kappa in a leave-one-text-out loop over
    the texts of ``rows`` (ties to the smaller C), then the model fitted on all ``rows``.
    Fixed methods learn nothing."""
    texts = tuple(dict.fromkeys(rows["doc_id"]))
    if method in FIXED:
        return Design(method, threshold=FIXED[method], n_rows=len(rows), texts=texts)
    if method not in DESIGNED:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join([*FIXED, *DESIGNED])}")
    changes = supported_changes(read_changes(), rows, min_lines, min_texts)
    y = rows["label"].to_numpy()
    if method != "vader_genre" and len(set(y)) < 2:
        raise ValueError(f"{method}: the design rows hold {len(set(y))} label(s) ({', '.join(sorted(set(y))) or 'none'}); "
                         "a model needs at least two (see design_problem)")
    if method == "vader_genre":
        threshold = best_threshold(author_compound(list(rows["text"]), changes), y, thresholds)
        return Design(method, changes, threshold, n_rows=len(rows), texts=texts)
    layer = None
    vocabulary = None
    if method == "model_annotated":
        layer, vocabulary = _layer_vocabulary(rows, min_texts)
    X = _matrix(rows, changes, layer, vocabulary)
    docs = rows["doc_id"].to_numpy()
    best = None
    for C in c_grid:
        pred = np.empty(len(rows), dtype=object)
        for doc in texts:
            out = docs == doc
            if out.all() or len(set(y[~out])) < len(LABELS):
                pred[out] = "neutral"
                continue
            pred[out] = _predict_logistic(_fit_logistic(X[~out], y[~out], C), X[out])[0]
        k = kappa(y, pred)
        if best is None or k > best[0] + 1e-12:
            best = (k, C)
    model = _fit_logistic(X, y, best[1])
    model.update(layer_columns=layer, vocabulary=vocabulary, features=list(TEXT_FEATURES))
    return Design(method, changes, model=model, n_rows=len(rows), texts=texts)


def predict(d: Design, rows: pd.DataFrame) -> pd.DataFrame:
    """label and score of each of ``rows`` (needs ``text``; ``model_annotated`` also the
    layer columns) by the designed instrument ``d``; the index of ``rows`` is kept."""
    texts = list(rows["text"])
    if d.method in FIXED:
        score = fixed_scores(texts, d.method)
        return pd.DataFrame({"label": label_scores(score, d.threshold), "score": score}, index=rows.index)
    if d.method == "vader_genre":
        score = author_compound(texts, d.changes)
        return pd.DataFrame({"label": label_scores(score, d.threshold), "score": score}, index=rows.index)
    X = _matrix(rows, d.changes, d.model.get("layer_columns"), d.model.get("vocabulary"))
    labels, score = _predict_logistic(d.model, X)
    return pd.DataFrame({"label": labels, "score": score}, index=rows.index)


def design_problem(rows: pd.DataFrame) -> str | None:
    """Why the labelled ``rows`` cannot design instruments leave one text out, or None if
    they can: it needs design rows from at least two texts, and every fold (the rows
    without one text) must hold at least two labels, so that a model has classes to tell
    apart."""
    texts = list(dict.fromkeys(rows["doc_id"]))
    if len(texts) < 2:
        return (f"the design part holds labelled sentences of {len(texts)} text{'s' if len(texts) != 1 else ''}; "
                "leaving one text out needs at least two")
    for doc in texts:
        left = set(rows.loc[rows["doc_id"] != doc, "label"])
        if len(left) < 2:
            return f"without {doc}, the design part holds {len(left)} label(s): a model needs at least two"
    return None


def leave_one_text_out(method: str, design_rows: pd.DataFrame, test_rows: pd.DataFrame,
                       designs: dict[str, Design] | None = None, **options) -> tuple[pd.DataFrame, dict[str, Design]]:
    """Cross-fitted predictions: every row of ``test_rows`` from a text that has design
    rows is labelled by the instrument designed on the design rows of the *other*
    texts; rows of texts with no design rows (unlabelled texts, other voices) by the
    instrument designed on all of ``design_rows``. Returns (predictions with doc_id,
    sent_id, label, score, fold = the text left out or "all"; the designs by fold).
    ``designs``, the designs a previous call returned for the same method, design rows
    and options, are reused instead of designed again (and completed where needed)."""
    designs = dict(designs or {})
    if "all" not in designs:
        designs["all"] = design(method, design_rows, **options)
    parts = []
    held_texts = set(design_rows["doc_id"])
    for doc, part in test_rows.groupby("doc_id", sort=False):
        fold = doc if doc in held_texts else "all"
        if fold not in designs:
            designs[fold] = design(method, design_rows[design_rows["doc_id"] != doc], **options)
        pred = predict(designs[fold], part)
        parts.append(pred.assign(doc_id=doc, sent_id=part["sent_id"].to_numpy(), fold=fold))
    out = pd.concat(parts).loc[test_rows.index] if parts else pd.DataFrame(columns=["label", "score", "doc_id", "sent_id", "fold"])
    return out[["doc_id", "sent_id", "label", "score", "fold"]], designs


# ------------------------------------------------------------------------ shipped instruments


def design_to_json(d: Design) -> dict:
    """A JSON-ready description of a design (floats as written by ``json``)."""
    return {"method": d.method, "changes": dict(sorted(d.changes.items())), "threshold": d.threshold,
            "model": d.model, "n_rows": d.n_rows, "texts": list(d.texts)}


def design_from_json(data: dict) -> Design:
    return Design(data["method"], dict(data["changes"]), float(data["threshold"]), data["model"],
                  int(data["n_rows"]), tuple(data["texts"]))


@lru_cache(maxsize=1)
def shipped_instruments() -> dict[str, Design]:
    """The designed instruments shipped with the package
    (``analysis/data/sentiment_instruments.json``, written by ``scripts/fit_sentiment.py``
    from the design part of the project's hand labels)."""
    path = paths.data_file(INSTRUMENTS_FILE)
    if not path.exists():
        raise FileNotFoundError(f"{path}: missing; run `python scripts/fit_sentiment.py` to design the instruments")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: design_from_json(spec) for name, spec in data["instruments"].items()}


def designs_equal(a: Design, b: Design, tol: float = 1e-9) -> bool:
    """True if two designs make the same instrument (numbers equal within ``tol``)."""
    ja, jb = design_to_json(a), design_to_json(b)
    return _close(ja, jb, tol)


def _close(a, b, tol) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol * max(1.0, abs(a), abs(b))
    return a == b


# ------------------------------------------------------------------------ reporting


LANDIS_KOCH = ((0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"),
               (1.0, "almost perfect"))


def landis_koch(k: float) -> str:
    """Landis & Koch's (1977, "The measurement of observer agreement for categorical
    data", Biometrics 33, p. 165) word for a kappa: < 0 poor, 0-0.20 slight, 0.21-0.40
    fair, 0.41-0.60 moderate, 0.61-0.80 substantial, 0.81-1 almost perfect. Their bands
    are conventions for agreement between raters, not tests."""
    if k is None or (isinstance(k, float) and math.isnan(k)):
        return "undefined"
    if k < 0:
        return "poor"
    for upper, word in LANDIS_KOCH[1:]:
        if round(k, 2) <= upper:
            return word
    return "almost perfect"


def corrected_shares(predicted_counts, confusion) -> np.ndarray:
    """Estimated true label shares of a set of sentences from the counts of the labels an
    instrument gave them and the instrument's confusion matrix (rows true, columns
    predicted, :data:`LABELS` order, counted on labelled sentences).

    With M[i, j] = P(predicted j | true i), the expected predicted shares are q = Mᵀ p;
    p is the least-squares solution, clipped at 0 and rescaled to sum to 1 (Buonaccorsi
    2010, ch. 3). A row of M with no labelled sentence makes p undefined: NaN."""
    q = np.asarray(predicted_counts, dtype=float)
    q = q / q.sum()
    cm = np.asarray(confusion, dtype=float)
    rows = cm.sum(axis=1, keepdims=True)
    if (rows == 0).any():
        return np.full(len(q), np.nan)
    M = cm / rows
    p = np.linalg.lstsq(M.T, q, rcond=None)[0]
    p = np.clip(p, 0, None)
    return p / p.sum() if p.sum() > 0 else np.full(len(q), np.nan)


# ------------------------------------------------------------------------ the project's designs

#: The voice (metadata column ``voice``) whose labelled sentences design the instruments:
#: the main voice of :mod:`analysis.groups`.
TRAIN_VOICE = MAIN_VOICE


def sentence_rows(corpus: pd.DataFrame, sents: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """The sentence table with the metadata columns ``voice`` and the hand ``label`` and
    ``split`` ("" for sentences without a label)."""
    rows = sents.merge(corpus[["doc_id", "voice"]], on="doc_id", how="left", validate="many_to_one")
    rows = rows.merge(labels[["doc_id", "sent_id", "label", "split"]], on=["doc_id", "sent_id"], how="left",
                      validate="one_to_one")
    rows[["label", "split"]] = rows[["label", "split"]].fillna("")
    return rows


def design_rows(rows: pd.DataFrame, voice: str = TRAIN_VOICE) -> pd.DataFrame:
    """The labelled rows of the design part in ``voice``: what every instrument learns from."""
    return rows[(rows["split"] == "design") & (rows["voice"] == voice) & (rows["label"] != "")]


def fit_project_instruments() -> dict[str, Design]:
    """``vader_genre`` and ``model`` designed on the design part of the project's hand
    labels (Party media): what ``analysis/data/sentiment_instruments.json`` holds."""
    from . import load_corpus, sentences
    from .sentiment import DESIGNED_METHODS, read_labels

    corpus = load_corpus(include_comments=True)
    rows = design_rows(sentence_rows(corpus, sentences(corpus), read_labels()))
    return {m: design(m, rows) for m in DESIGNED_METHODS}
