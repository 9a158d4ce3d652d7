"""Sentence-level evaluative tone: instruments, their validation, and summaries.

The data flow: ``sentences()`` -> :func:`score_sentiment` (one row per sentence: score,
label) -> :func:`document_summary`, :func:`era_summary`, :func:`sentiment_arc`; and,
against the hand labels of ``corpus/annotations/sentiment_labels.csv``,
:func:`agreement` and :func:`validation_table`.

Instruments (each a ``method`` of :func:`score_sentiment`):

``vader``
    VADER's compound score (Hutto & Gilbert 2014, "VADER: A Parsimonious Rule-based
    Model for Sentiment Analysis of Social Media Text", ICWSM-14), computed by the
    authors' own package ``vaderSentiment`` 3.3.2 (pinned in requirements.txt). NLTK's
    port is not used: it needs the ``vader_lexicon`` data package (a download) and its
    tokenising and punctuation rules differ, so its scores differ on this corpus.
    Labels by the authors' thresholds: compound >= 0.05 positive, <= -0.05 negative.
``vader_genre``
    The same VADER rules on the author's words only (names and quotations removed,
    :func:`analysis.sentiment_model.split_voice`), with a lexicon adjusted for Party prose
    (``analysis/data/sentiment_genre_lexicon.csv``: every change with its reason and word
    family; only the changes the design labels support, see
    :func:`analysis.sentiment_model.supported_changes`) and a wider neutral band, both
    designed on the ``design`` part of the hand labels of Party media only.
``model``
    Multinomial logistic regression on features of the sentence string (the genre
    compound of the author's words and of the quoted words, positive and negative
    valence sums, negations, quoted share, length; :mod:`analysis.sentiment_model`),
    trained on the same design labels. Score: P(positive) - P(negative); label: the most
    probable class.
``afinn``
    The sum of AFINN-165 word valences (Nielsen 2011, "A new ANEW: evaluation of a word
    list for sentiment analysis in microblogs", ESWC 2011 workshop; the ``afinn``
    package's English list). Positive if the sum is >= 1, negative if <= -1.
``textblob``
    TextBlob's polarity, which averages the adjective lexicon of Pattern (De Smedt &
    Daelemans 2012, "Pattern for Python", JMLR 13) with its modifier rules. Labels by
    Pattern's own threshold (``textblob.en.positive(s, threshold=0.1)``), used
    symmetrically: >= 0.1 positive, <= -0.1 negative. Runs offline (the lexicon ships
    inside the package).

Every instrument reads :func:`scoring_text` of a sentence (NFC, control characters as
spaces). A sentence longer than :data:`MAX_SENTENCE_WORDS` words (a text without
punctuation) is scored in pieces, combined as each instrument combines words
(:func:`vader_compound`, :func:`textblob_polarity`, AFINN's sum), with one warning per
call; VADER's own time grows with the square of the length.

Agreement measures (:func:`agreement`): accuracy; macro-F1, the unweighted mean of the
per-class F1 = 2TP / (2TP + FP + FN) over the three labels (a class with no true and no
predicted member counts 0, as ``sklearn.metrics.f1_score(zero_division=0)``); Cohen's
kappa = (p_o - p_e) / (1 - p_e) (Cohen 1960, "A coefficient of agreement for nominal
scales", Educ. Psychol. Meas. 20). Intervals are percentile bootstrap intervals (Efron &
Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13) over sentences, with a
fixed seed.
"""
from __future__ import annotations

import math
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from . import paths
from .tokens import normalise_text

LABELS = ("negative", "neutral", "positive")
#: Hutto & Gilbert (2014): compound >= 0.05 is positive, <= -0.05 negative.
VADER_THRESHOLD = 0.05
#: Pattern's ``positive()`` threshold (De Smedt & Daelemans 2012), used symmetrically.
TEXTBLOB_THRESHOLD = 0.1
#: AFINN sums are integers: any sum other than 0 gives a polar label.
AFINN_THRESHOLD = 1.0
#: Net tone: one scale for labels from any source (the mean over sentences runs -1..+1).
NET_TONE = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
THRESHOLDS = {"vader": VADER_THRESHOLD, "afinn": AFINN_THRESHOLD, "textblob": TEXTBLOB_THRESHOLD}
#: Methods designed on the hand labels; their designs ship in
#: ``analysis/data/sentiment_instruments.json`` (``scripts/fit_sentiment.py``).
DESIGNED_METHODS = ("vader_genre", "model")
METHODS = tuple(sorted((*THRESHOLDS, *DESIGNED_METHODS)))
#: The method with the largest leave-one-text-out kappa on the design part of the hand
#: labels (Party media), among the methods that score plain strings within the speed
#: budget (``benchmarks/bench_sentiment.py``); notebook 02 recomputes the choice.
DEFAULT_METHOD = "model"
#: Share of newly labelled sentences put in the held-back part (:func:`assign_split`).
HELD_BACK_SHARE = 0.4
LABELS_FILE = "sentiment_labels.csv"
LABEL_COLUMNS = ["doc_id", "sent_id", "text", "label", "note", "split"]
GENRE_LEXICON_FILE = "sentiment_genre_lexicon.csv"
SPLITS = ("design", "held-back")
#: A sentence of more white-space separated words than this is scored in consecutive
#: pieces of at most this many words (:func:`sentence_pieces`). VADER's time grows with
#: the square of a sentence's length (vaderSentiment 3.3.2: ``_but_check`` looks up each
#: valence with ``list.index`` and ``_special_idioms_check`` lower-cases the whole
#: sentence for each sentiment word), so one text without punctuation, read as one
#: sentence of 100,000 words, would take minutes. Real sentences are far shorter (a
#: long sentence of Party prose has 100-150 words); 250 is never reached by them.
MAX_SENTENCE_WORDS = 250


# ------------------------------------------------------------------------ instruments

def genre_lexicon_changes() -> pd.DataFrame:
    """The proposed lexicon changes: word, family, vader_valence (VADER's own, NaN if
    absent), genre_valence (0 removes the word), reason, and ``used`` (the shipped
    ``vader_genre`` design uses it: its family is supported by the design labels).
    Read from ``analysis/data/sentiment_genre_lexicon.csv``; raises ValueError if
    malformed."""
    from .sentiment_model import read_changes

    table = read_changes()
    lexicon = _vader_analyzer(False).lexicon
    used = _shipped("vader_genre").changes
    return pd.DataFrame({"word": table["word"], "family": table["family"],
                         "vader_valence": [lexicon.get(w, np.nan) for w in table["word"]],
                         "genre_valence": table["genre_valence"], "reason": table["reason"],
                         "used": table["word"].isin(used.keys())})


def _shipped(method: str):
    from .sentiment_model import shipped_instruments

    return shipped_instruments()[method]


def _vader_analyzer(genre: bool):
    """A vaderSentiment analyzer; with ``genre`` its lexicon carries the shipped genre
    changes (:func:`analysis.sentiment_model.analyzer_for`, which caches it)."""
    from .sentiment_model import analyzer_for

    return analyzer_for(_shipped("vader_genre").changes if genre else {})


def lexicon(method: str) -> dict[str, float]:
    """The word -> valence dictionary behind a lexicon method (a copy)."""
    if method in ("vader", "vader_genre"):
        return dict(_vader_analyzer(method == "vader_genre").lexicon)
    if method == "afinn":
        return {w: float(v) for w, v in _afinn()._dict.items()}
    raise ValueError(f"method {method!r} has no word lexicon to return; use 'vader', 'vader_genre' or 'afinn'")


@lru_cache(maxsize=1)
def _afinn():
    from afinn import Afinn

    return Afinn(language="en")


def sentence_pieces(text: str, max_words: int | None = None) -> list[str]:
    """``[text]`` if it has at most ``max_words`` white-space separated words (default
    :data:`MAX_SENTENCE_WORDS`), else its words in consecutive pieces of at most
    ``max_words`` words, each joined by single spaces (every instrument here splits its
    text on white space or reads words, so the joining space changes no token)."""
    max_words = MAX_SENTENCE_WORDS if max_words is None else max_words
    words = text.split()
    if len(words) <= max_words:
        return [text]
    return [" ".join(words[k:k + max_words]) for k in range(0, len(words), max_words)]


def _vader_summer(analyzer):
    """An analyzer sharing ``analyzer``'s lexicon (its ``__dict__``) whose
    ``polarity_scores`` returns the plain sum of the word valences of a text, after all of
    VADER's word rules (negation, boosters, capitals, idioms, "but"), before the
    punctuation emphasis and normalisation of ``score_valence`` (vaderSentiment 3.3.2,
    ``SentimentIntensityAnalyzer.polarity_scores`` then ``score_valence``)."""
    cls = _summer_class()
    summer = cls.__new__(cls)
    summer.__dict__ = analyzer.__dict__
    return summer


@lru_cache(maxsize=1)
def _summer_class():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    class _Summer(SentimentIntensityAnalyzer):
        def score_valence(self, sentiments, text):
            return float(sum(sentiments))

    return _Summer


def vader_compound(analyzer, text: str) -> float:
    """VADER's compound score of ``text`` by the vaderSentiment ``analyzer``.

    A text of at most :data:`MAX_SENTENCE_WORDS` words gets ``polarity_scores(text)``
    unchanged. A longer one is scored in pieces (:func:`sentence_pieces`), combined as
    VADER combines words (vaderSentiment 3.3.2, ``score_valence``): the valence sums of
    the pieces are added into one sum s, the punctuation emphasis of the whole text
    (``_punctuation_emphasis``: 0.292 per "!", at most 4; 0.18 per "?" for 2-3, 0.96 for
    more) is added away from 0, and compound = s / sqrt(s^2 + 15) (``normalize``, alpha =
    15), rounded to 4 decimals. This is VADER's formula on the whole text, with one
    difference: the rules that look at neighbouring words (the three words before a
    sentiment word, and the first "but", which halves what precedes it and multiplies by
    1.5 what follows) do not reach across the boundary of two pieces. A mean of the
    pieces' compounds was not chosen: it would rescale the score (four pieces of
    compound 0.5 would give 0.5, where VADER's sum saturates towards 1)."""
    from vaderSentiment.vaderSentiment import normalize

    pieces = sentence_pieces(text)
    if len(pieces) == 1:
        return analyzer.polarity_scores(text)["compound"]
    summer = _vader_summer(analyzer)
    total = 0.0
    for piece in pieces:
        total += summer.polarity_scores(piece)
    emphasis = analyzer._punctuation_emphasis(text)
    total += emphasis if total > 0 else -emphasis if total < 0 else 0.0
    return round(normalize(total), 4)


def _vader_compound(texts: list[str], genre: bool) -> np.ndarray:
    analyzer = _vader_analyzer(genre)
    return np.fromiter((vader_compound(analyzer, t) for t in texts), dtype=float, count=len(texts))


def _afinn_sum(texts: list[str]) -> np.ndarray:
    """AFINN's sum of word valences; a long sentence is the sum over its pieces (the sum
    is additive; only a phrase of the word list cut by a piece boundary is lost)."""
    score = _afinn().score
    return np.fromiter((sum(score(p) for p in sentence_pieces(t)) for t in texts), dtype=float, count=len(texts))


def textblob_polarity(text: str) -> float:
    """TextBlob's polarity of ``text``: Pattern's mean of the polarities of its
    assessments (a known word with its modifier or negation; De Smedt & Daelemans 2012;
    ``textblob._text.Sentiment.__call__``, ``avg`` with weight 1). A text longer than
    :data:`MAX_SENTENCE_WORDS` words is read in pieces and the assessments of all pieces
    are averaged together (sum of polarities / number of assessments, 0 if none), which is
    the same mean except for a modifier or negation cut from its word by a boundary."""
    from textblob import TextBlob

    pieces = sentence_pieces(text)
    if len(pieces) == 1:
        return TextBlob(text).sentiment.polarity
    from textblob.en import sentiment as pattern_sentiment

    total, n = 0, 0
    for piece in pieces:
        for assessment in pattern_sentiment(piece).assessments:
            total += assessment[1]
            n += 1
    return total / float(n or 1)


def _textblob_polarity(texts: list[str]) -> np.ndarray:
    return np.fromiter((textblob_polarity(t) for t in texts), dtype=float, count=len(texts))


_SCORERS = {"vader": lambda t: _vader_compound(t, False), "afinn": _afinn_sum, "textblob": _textblob_polarity}


def label_scores(scores, threshold: float) -> np.ndarray:
    """Labels from scores: >= threshold positive, <= -threshold negative, else neutral."""
    scores = np.asarray(scores, dtype=float)
    return np.where(scores >= threshold, "positive", np.where(scores <= -threshold, "negative", "neutral"))


def _check_texts(sentences) -> list[str]:
    """The sentences as a list of strings, or TypeError saying how to pass them."""
    if isinstance(sentences, str):
        raise TypeError("score_sentiment() takes a list or Series of sentences, not one string; wrap it: [text]")
    if isinstance(sentences, (bytes, bytearray)):
        raise TypeError("score_sentiment() takes a list or Series of sentence strings, not bytes; decode them "
                        "first and wrap the text: [data.decode('utf-8')]")
    if isinstance(sentences, pd.DataFrame):
        raise TypeError("score_sentiment() takes sentence strings, not a table; pass the column, e.g. table['text']")
    if not isinstance(sentences, (list, tuple, pd.Series, np.ndarray)):
        raise TypeError(f"score_sentiment() takes a list or Series of strings, not {type(sentences).__name__}")
    texts = list(sentences)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        first = texts[bad[0]]
        fix = ("decode bytes first (b.decode('utf-8'))" if isinstance(first, (bytes, bytearray)) else
               "drop or convert missing values first, e.g. table['text'].dropna() or .fillna('')"
               if first is None or first is pd.NA or (isinstance(first, float) and math.isnan(first)) else
               "pass the sentence texts (e.g. table['text']), not numbers or other objects")
        raise TypeError(f"score_sentiment(): {len(bad)} item(s), at position(s) {bad[:5]}, are not strings "
                        f"(first is {first!r}); {fix}")
    return texts


def scoring_text(text: str) -> str:
    """The form of a sentence that the instruments read: :func:`analysis.tokens.normalise_text`
    (Unicode NFC, so that a word written with combining accents matches lexicon entries
    such as AFINN's "naïve"; control characters such as NUL read as spaces, so that they
    do not glue two words into one unknown token)."""
    return normalise_text(text)


def _warn_long(texts: list[str], method: str) -> None:
    """One warning naming how many sentences exceed :data:`MAX_SENTENCE_WORDS` words."""
    n_long = sum(len(t.split()) > MAX_SENTENCE_WORDS for t in texts)
    if n_long:
        warnings.warn(f"score_sentiment(method={method!r}): {n_long} sentence(s) longer than {MAX_SENTENCE_WORDS} "
                      f"words were scored in pieces of at most {MAX_SENTENCE_WORDS} words (MAX_SENTENCE_WORDS); "
                      "check that the text was split into sentences (a text without punctuation is one sentence).",
                      stacklevel=3)


def score_sentiment(sentences, method: str | None = None) -> pd.DataFrame:
    """One row per sentence, in input order: text (as given), method, score, label.

    ``sentences`` is a list, tuple, array or Series of strings (an empty one gives an
    empty table with these columns). ``method`` is one of :data:`METHODS` (see the
    module docstring); by default :data:`DEFAULT_METHOD`. ``label`` is negative, neutral
    or positive: by the method's threshold in :data:`THRESHOLDS`, or by the shipped design
    of a method of :data:`DESIGNED_METHODS`. The instruments read :func:`scoring_text`
    of each sentence. A sentence of more than :data:`MAX_SENTENCE_WORDS` words is scored
    in pieces (:func:`vader_compound`, :func:`textblob_polarity`, AFINN's sum over the
    pieces), and one warning per call says how many were.
    """
    method = DEFAULT_METHOD if method is None else method
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    texts = _check_texts(sentences)
    read = [scoring_text(t) for t in texts]
    _warn_long(read, method)
    if method in DESIGNED_METHODS:
        from .sentiment_model import predict

        out = predict(_shipped(method), pd.DataFrame({"text": read}))
        scores, labels = out["score"].to_numpy(dtype=float), out["label"].to_numpy(dtype=object)
    else:
        scores = _SCORERS[method](read)
        labels = label_scores(scores, THRESHOLDS[method])
    return pd.DataFrame({"text": pd.Series(texts, dtype="str"), "method": method, "score": scores,
                         "label": pd.Series(labels, dtype="str")})


# ------------------------------------------------------------------------ hand labels

def assign_split(doc_id: str, text: str, held_back: float = HELD_BACK_SHARE) -> str:
    """``held-back`` or ``design`` for a newly labelled sentence, from the sha256 of
    "doc_id<TAB>text" alone: the same sentence always falls in the same part, and
    labelling more sentences never moves a sentence labelled before."""
    import hashlib

    digest = int(hashlib.sha256(f"{doc_id}\t{text}".encode("utf-8")).hexdigest()[:8], 16)
    return "held-back" if digest / 16**8 < held_back else "design"


def labels_path():
    """Where the hand labels of the corpus the study reads are expected
    (``annotations/sentiment_labels.csv`` of :func:`analysis.paths.corpus_dir`)."""
    return paths.annotations_dir() / LABELS_FILE


def read_labels(missing_ok: bool = False) -> pd.DataFrame:
    """The hand labels (``annotations/sentiment_labels.csv`` of the corpus), validated:
    columns :data:`LABEL_COLUMNS`, labels in :data:`LABELS`, splits in :data:`SPLITS`.
    A row with an empty ``split`` (a newly labelled sentence) gets :func:`assign_split`;
    stored splits are never redrawn. A corpus without the file raises FileNotFoundError,
    or with ``missing_ok`` gives an empty table with the same columns (a corpus need not
    be labelled: then nothing is validated, and the caller says so)."""
    path = labels_path()
    if not path.exists():
        if missing_ok:
            return pd.DataFrame({c: pd.Series(dtype=object if c != "sent_id" else int) for c in LABEL_COLUMNS})
        raise FileNotFoundError(f"{path}: no hand labels; see corpus/annotations/sentiment_codebook.md")
    table = pd.read_csv(path, dtype={"doc_id": str, "text": str, "label": str, "note": str, "split": str},
                        keep_default_na=False, encoding="utf-8")
    if list(table.columns) != LABEL_COLUMNS:
        raise ValueError(f"{path}: the header must be {','.join(LABEL_COLUMNS)}")
    new = table["split"] == ""
    table.loc[new, "split"] = [assign_split(d, t) for d, t in zip(table.loc[new, "doc_id"], table.loc[new, "text"])]
    for column, allowed in (("label", LABELS), ("split", SPLITS)):
        bad = sorted(set(table[column]) - set(allowed))
        if bad:
            raise ValueError(f"{path}: {column} values {bad} are not among {list(allowed)}")
    return table


def check_labels_match(labels: pd.DataFrame, sentences: pd.DataFrame) -> None:
    """Raise ValueError unless every (doc_id, sent_id, text) row of ``labels`` is a row
    of the sentence table, and every text with labels has all its sentences labelled: a
    change in cleaning or splitting must not go unnoticed. Texts with no label at all
    are allowed (:func:`unlabelled_texts`)."""
    key = ["doc_id", "sent_id", "text"]
    labelled = sentences[sentences["doc_id"].isin(set(labels["doc_id"]))]
    merged = labels[key].merge(labelled[key], how="outer", indicator=True)
    stale = merged[merged["_merge"] != "both"]
    if len(stale):
        first = stale.iloc[0]
        raise ValueError(
            f"{len(stale)} row(s) of the hand labels and the sentence table differ, e.g. {first['doc_id']} "
            f"sentence {first['sent_id']} ({first['_merge']}): the cleaning or the sentence splitter changed. "
            "Relabel the changed sentences under the codebook and update sentiment_labels.csv.")


def unlabelled_texts(labels: pd.DataFrame, sentences: pd.DataFrame) -> list[str]:
    """The doc_ids of the sentence table with no hand label, in table order."""
    return [d for d in dict.fromkeys(sentences["doc_id"]) if d not in set(labels["doc_id"])]


def stratified_split(labels: pd.DataFrame, held_back: float = 0.4, seed: int = 2025) -> pd.Series:
    """``design`` or ``held-back`` for each row, stratified by (doc_id, label): in every
    stratum, taken in sorted order, a shuffle by one generator seeded with ``seed`` puts
    round(held_back * n) rows (halves round up) in ``held-back``."""
    if not 0 < held_back < 1:
        raise ValueError(f"held_back must be a fraction between 0 and 1, not {held_back}")
    rng = np.random.default_rng(seed)
    split = pd.Series("design", index=labels.index, dtype=object)
    for _, stratum in sorted(labels.groupby(["doc_id", "label"]).groups.items()):
        chosen = rng.permutation(np.sort(stratum.to_numpy()))[: int(np.floor(held_back * len(stratum) + 0.5))]
        split.loc[chosen] = "held-back"
    return split


# ------------------------------------------------------------------------ agreement

def confusion_matrix(true, pred) -> np.ndarray:
    """3 x 3 counts, rows the true label and columns the predicted, in :data:`LABELS` order."""
    t, p = _codes(true), _codes(pred)
    if len(t) != len(p):
        raise ValueError(f"true and pred differ in length ({len(t)} vs {len(p)})")
    return np.bincount(t * 3 + p, minlength=9).reshape(3, 3)


def _codes(labels) -> np.ndarray:
    labels = np.asarray(labels, dtype=object)
    bad = sorted(set(labels) - set(LABELS))
    if bad:
        raise ValueError(f"labels {bad} are not among {list(LABELS)}")
    return np.searchsorted(np.array(LABELS), labels.astype(str))


def accuracy(cm: np.ndarray) -> np.ndarray:
    """Share of the diagonal; ``cm`` is one (3, 3) matrix or a stack (..., 3, 3)."""
    return np.trace(cm, axis1=-2, axis2=-1) / cm.sum(axis=(-2, -1))


def macro_f1(cm: np.ndarray) -> np.ndarray:
    """Mean over the three classes of 2TP / (2TP + FP + FN); 0 for a class never seen."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1).astype(float)
    denom = cm.sum(axis=-1) + cm.sum(axis=-2)
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    return f1.mean(axis=-1)


def cohen_kappa(cm: np.ndarray) -> np.ndarray:
    """(p_o - p_e) / (1 - p_e), p_e from the margins (Cohen 1960); NaN if p_e = 1."""
    n = cm.sum(axis=(-2, -1)).astype(float)
    p_o = np.trace(cm, axis1=-2, axis2=-1) / n
    p_e = (cm.sum(axis=-1) * cm.sum(axis=-2)).sum(axis=-1) / n ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(p_e < 1, (p_o - p_e) / (1 - p_e), np.nan)


MEASURES = {"accuracy": accuracy, "macro_f1": macro_f1, "kappa": cohen_kappa}


def threshold_grid(scores, true, thresholds) -> pd.DataFrame:
    """threshold, accuracy, macro_f1, kappa of :func:`label_scores` at each threshold,
    against the labels ``true`` (used on the design part only, to choose a threshold)."""
    rows = []
    for threshold in thresholds:
        cm = confusion_matrix(true, label_scores(scores, threshold))
        rows.append({"threshold": float(threshold), **{k: float(f(cm)) for k, f in MEASURES.items()}})
    return pd.DataFrame(rows)


def bootstrap_indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n) row indices drawn with replacement by ``default_rng(seed)``."""
    if n < 1 or n_boot < 1:
        raise ValueError(f"need at least one item and one resample (got n={n}, n_boot={n_boot})")
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def agreement(true, pred, n_boot: int = 2000, seed: int = 2025, level: float = 0.95) -> dict:
    """n, accuracy, macro_f1 and kappa of ``pred`` against ``true``, each with a
    percentile bootstrap interval (``<measure>_low``, ``<measure>_high``) from ``n_boot``
    resamples of the sentences."""
    import warnings

    t, p = _codes(true), _codes(pred)
    idx = bootstrap_indices(len(t), n_boot, seed)
    codes = t[idx] * 3 + p[idx] + 9 * np.arange(n_boot)[:, None]
    stack = np.bincount(codes.ravel(), minlength=9 * n_boot).reshape(n_boot, 3, 3)
    out = {"n": len(t)}
    tail = 100 * (1 - level) / 2
    for name, measure in MEASURES.items():
        out[name] = float(measure(confusion_matrix(true, pred)))
        with warnings.catch_warnings():      # a kappa undefined in every resample gives NaN, silently
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanpercentile(measure(stack), [tail, 100 - tail])
        out[f"{name}_low"], out[f"{name}_high"] = float(low), float(high)
    return out


def validation_table(labels: pd.DataFrame, predictions: dict[str, pd.Series], n_boot: int = 2000,
                     seed: int = 2025) -> pd.DataFrame:
    """One row per method and split (design, held-back, all): method, split, n, accuracy,
    macro_f1, kappa, kappa_low, kappa_high, then the other intervals. ``predictions``
    maps a method to labels aligned with the rows of ``labels``."""
    rows = []
    for method in sorted(predictions):
        pred = np.asarray(predictions[method])
        for split in (*SPLITS, "all"):
            mask = np.ones(len(labels), bool) if split == "all" else (labels["split"] == split).to_numpy()
            rows.append({"method": method, "split": split,
                         **agreement(labels["label"].to_numpy()[mask], pred[mask], n_boot, seed)})
    first = ["method", "split", "n", "accuracy", "macro_f1", "kappa", "kappa_low", "kappa_high"]
    table = pd.DataFrame(rows)
    return table[first + [c for c in table.columns if c not in first]]


# ------------------------------------------------------------------------ comparisons

def mean_interval(values, n_boot: int = 2000, seed: int = 2025, level: float = 0.95) -> tuple[float, float, float]:
    """The mean of ``values`` and its percentile bootstrap interval."""
    values = np.asarray(values, dtype=float)
    means = values[bootstrap_indices(len(values), n_boot, seed)].mean(axis=1)
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(values.mean()), float(low), float(high)


def difference_interval(a, b, n_boot: int = 2000, seed: int = 2025, level: float = 0.95) -> tuple[float, float, float]:
    """mean(a) - mean(b) and its percentile bootstrap interval, resampling each group
    on its own (``a`` with ``seed``, ``b`` with ``seed + 1``)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    diffs = (a[bootstrap_indices(len(a), n_boot, seed)].mean(axis=1)
             - b[bootstrap_indices(len(b), n_boot, seed + 1)].mean(axis=1))
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return float(a.mean() - b.mean()), float(low), float(high)


def summarize_groups(scored: pd.DataFrame, by: str, n_boot: int = 2000, seed: int = 2025,
                     level: float = 0.95) -> pd.DataFrame:
    """Per group of ``by`` (in order of first appearance): n, mean score, share of
    negative and of positive sentences, each with a bootstrap interval at ``level`` over
    the group's sentences. ``scored`` needs ``by``, score and label."""
    rows = []
    for group, part in scored.groupby(by, sort=False):
        row = {by: group, "n": len(part)}
        for name, values in (("mean_score", part["score"]), ("share_negative", part["label"] == "negative"),
                             ("share_positive", part["label"] == "positive")):
            row[name], row[f"{name}_low"], row[f"{name}_high"] = mean_interval(values, n_boot, seed, level)
        rows.append(row)
    return pd.DataFrame(rows)


def sentiment_arc(scored: pd.DataFrame, window: int = 7) -> pd.DataFrame:
    """Adds ``relative_position`` (sent_id / (n - 1): 0 first sentence, 1 last) and
    ``rolling_mean`` (centred rolling mean of score over ``window`` sentences, fewer at
    the ends) within each document. ``scored`` needs doc_id, sent_id, score."""
    if window < 1:
        raise ValueError(f"window must be a positive number of sentences, not {window}")
    out = scored.sort_values(["doc_id", "sent_id"], kind="stable").copy()
    grouped = out.groupby("doc_id", sort=False)
    last = grouped["sent_id"].transform("max").clip(lower=1)
    out["relative_position"] = out["sent_id"] / last
    out["rolling_mean"] = grouped["score"].transform(
        lambda s: s.rolling(window, center=True, min_periods=1).mean())
    return out.loc[scored.index]


def word_contributions(token_table: pd.DataFrame, method: str = "vader") -> pd.DataFrame:
    """Per document and word (lower case): count, valence in the method's lexicon, and
    contribution = count x valence, the word's share of the document's raw lexicon sum
    (VADER's rules for negation, boosters and 'but' are not applied). Only words in the
    lexicon. ``token_table`` is from :func:`analysis.tokens`."""
    valence = lexicon(method)
    words = token_table.loc[token_table["is_word"], ["doc_id", "lower"]]
    words = words[words["lower"].isin(valence.keys())]
    counts = words.groupby(["doc_id", "lower"], sort=True).size().rename("count").reset_index()
    counts["valence"] = counts["lower"].map(valence)
    counts["contribution"] = counts["count"] * counts["valence"]
    return counts.rename(columns={"lower": "word"})


AGREEMENT_COLUMNS = ["method", "unit", "n"] + [f"{m}{s}" for m in MEASURES for s in ("", "_low", "_high")] + ["kappa_words"]


def agreement_by_unit(true, predictions: dict[str, np.ndarray], units: dict[str, np.ndarray], n_boot: int = 2000,
                      seed: int = 2025, level: float = 0.95, keep_empty: bool = False) -> pd.DataFrame:
    """One row per method and unit: method, unit, n, accuracy, macro_f1, kappa, their
    bootstrap intervals (:func:`agreement`), and ``kappa_words``, Landis and Koch's word
    for the kappa. ``units`` maps a name (a text, a group, "all") to a boolean mask over
    ``true``; ``predictions`` maps a method to labels aligned with ``true``. A unit with
    no sentence is left out, or with ``keep_empty`` kept with n = 0, empty measures and
    ``kappa_words`` "not measured" (so that a table per text names every text)."""
    from .sentiment_model import landis_koch

    true = np.asarray(true, dtype=object)
    rows = []
    for method, pred in predictions.items():
        pred = np.asarray(pred, dtype=object)
        for unit, mask in units.items():
            mask = np.asarray(mask, dtype=bool)
            if mask.sum() == 0:
                if keep_empty:
                    rows.append({"method": method, "unit": unit, "n": 0, "kappa_words": "not measured"})
                continue
            row = {"method": method, "unit": unit, **agreement(true[mask], pred[mask], n_boot, seed, level)}
            row["kappa_words"] = landis_koch(row["kappa"])
            rows.append(row)
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
