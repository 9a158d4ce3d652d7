"""Sentences and tokens: the tidy tables every measure starts from.

Design (measured in ``benchmarks/bench_tokens.py``): one compiled regular expression does
the tokenizing and a rule-based splitter finds sentence ends, both in C-speed ``re``;
the per-token work (lowercasing, lemma, stopword flag) is done once per distinct word
form, not once per token. NLTK's Punkt, trained on this corpus, is kept as an
independent check of the splitter in the tests (:func:`punkt_sentences`), loaded lazily.
"""
from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from .checks import require_columns

#: The functions that make the tables this module reads, named in its error messages.
CORPUS_MADE_BY = "analysis.corpus.load_corpus()"
SENTENCES_MADE_BY = "analysis.tokens.sentences()"

# ------------------------------------------------------------------------ text checks

#: Control characters (C0 and DEL) that are not white space. Each is read as a space, as
#: in :mod:`analysis.sentiment`, so that a NUL (from a UTF-16 file or a binary export)
#: between two words does not glue them into one token nor become a token itself.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """``text`` in Unicode normal form C (composed: "Hà Nội" as 5 + 3 code points, not
    with combining marks, Unicode Standard Annex #15), with every control character of
    :data:`_CONTROL` replaced by a space. Returns ``text`` itself when there is nothing to
    change: ``unicodedata.is_normalized`` and ``str.isprintable`` are fast checks that
    build no copy, and the slower search for control characters runs only where
    ``isprintable`` fails (a line break, a tab or a control character)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable() and _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return text


def _check_texts(table: pd.DataFrame, caller: str, made_by: str) -> None:
    """Raise TypeError naming the first rows (position and doc_id) whose ``text`` is not a
    string (NaN, None, a number), and ValueError naming those whose doc_id is missing."""
    bad = [i for i, t in enumerate(table["text"].tolist()) if not isinstance(t, str)]
    if bad:
        shown = "; ".join(f"row {i} (doc_id {table['doc_id'].iat[i]!r}): {table['text'].iat[i]!r}" for i in bad[:5])
        raise TypeError(f"{caller}: the column text must hold strings, but {len(bad)} row(s) do not: {shown}"
                        f"{' ...' if len(bad) > 5 else ''}. Give an empty text as '' (not NaN), or pass the "
                        f"table made by {made_by}.")
    missing = np.flatnonzero(table["doc_id"].isna().to_numpy())
    if len(missing):
        raise ValueError(f"{caller}: {len(missing)} row(s) have no doc_id (rows {missing[:5].tolist()}). "
                         f"Give every text an identifier, or pass the table made by {made_by}.")

# ------------------------------------------------------------------------ sentences

#: Words that end in a full stop without ending a sentence ("Regulation No. 377-QĐ/TW").
#: Compared in lower case, without the full stop.
ABBREVIATIONS = frozenset({
    "no", "nos", "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt",
    "st", "vs", "etc", "e.g", "i.e", "cf", "approx", "dept", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "art", "para", "vol", "p", "pp", "fig", "u.s", "a.m", "p.m",
})

_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+")
_LAST_WORD = re.compile(r"([^\W\d_][\w.]*)\.$")
_OPENERS = "\"“‘'([-–"


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets)
    followed by white space and a capital letter or digit (optionally behind an opening
    quote), unless the word before the full stop is an abbreviation in
    :data:`ABBREVIATIONS` or a single capital initial ("H. Smith").
    """
    out, start = [], 0
    for match in _BOUNDARY.finditer(paragraph):
        nxt = paragraph[match.end(): match.end() + 2].lstrip(_OPENERS)[:1]
        if not (nxt.isupper() or nxt.isdigit()):
            continue
        head = paragraph[start: match.start() + 1]
        word = _LAST_WORD.search(head)
        if word and (word[1].lower() in ABBREVIATIONS or (len(word[1]) == 1 and word[1].isupper())):
            continue
        out.append(paragraph[start: match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return out


def sentences(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence: doc_id, sent_id (0-based within the document), para_id
    (0-based paragraph within the document), text. A paragraph break always ends a
    sentence. ``corpus`` needs the columns doc_id and text (as from ``load_corpus``);
    every text must be a string (else TypeError naming the rows). Texts are read through
    :func:`normalise_text` (NFC, control characters as spaces), so the sentence texts are
    in normal form C."""
    require_columns(corpus, ("doc_id", "text"), "analysis.tokens.sentences", CORPUS_MADE_BY)
    _check_texts(corpus, "analysis.tokens.sentences", CORPUS_MADE_BY)
    rows = []
    for doc_id, text in zip(corpus["doc_id"].tolist(), corpus["text"].tolist()):
        sent_id = 0
        lines = (normalise_text(line) for line in text.split("\n"))
        for para_id, paragraph in enumerate(p for p in lines if p.strip()):
            for sentence in split_sentences(paragraph):
                rows.append((doc_id, sent_id, para_id, sentence))
                sent_id += 1
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "para_id", "text"])


def punkt_sentences(texts: list[str]) -> list[list[str]]:
    """Sentences by NLTK's Punkt (Kiss & Strunk 2006), trained on ``texts`` themselves,
    so no model is downloaded. Used as an independent check of :func:`split_sentences`."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n\n".join(texts), finalize=True)
    params = trainer.get_params()
    params.abbrev_types.update(a for a in ABBREVIATIONS if "." not in a)
    tokenizer = PunktSentenceTokenizer(params)
    return [[s for p in text.split("\n") for s in tokenizer.tokenize(p)] for text in texts]


# ------------------------------------------------------------------------ tokens

_LETTER = r"[^\W\d_]"
TOKEN_PATTERN = re.compile(
    rf"""
      https?://\S+                                   # a web address, whole
    | \d+-{_LETTER}{{1,4}}/{_LETTER}{{1,4}}          # a document code: 89-QĐ/TW, 150-KL/TW
    | \d+(?:[.,:/-]\d+)*(?:%|st|nd|rd|th)?(?!\w)     # a number: 65.57%, 21,000, 2021-2026, 13th
    | {_LETTER}+(?=n['’]t\b)                         # 'do' of "don't" ...
    | (?<={_LETTER})n['’]t\b                         # ... and its "n't"
    | (?<={_LETTER})['’](?:s|re|ve|ll|d|m)\b         # a clitic: 's (possessive or 'is'), 're ...
    | {_LETTER}\w*(?:-\w+)*                          # a word, hyphenated words whole
    | \.\.\.|…                                       # an ellipsis
    | \S                                             # any other character, alone
    """,
    re.VERBOSE | re.IGNORECASE,
)


def tokenize(text: str) -> list[str]:
    """The tokens of ``text`` as written. Typographic apostrophes split like straight
    ones ("Party’s" gives "Party" and "’s"); quotes are tokens of their own; hyphenated
    words, document codes ("89-QĐ/TW") and numbers ("65.57%") stay whole. Every
    non-space character ends up in exactly one token. ``text`` is read through
    :func:`normalise_text` first: a decomposed (NFD) "Hà Nội" gives the same tokens as the
    composed one, and a control character such as NUL separates tokens like a space."""
    return TOKEN_PATTERN.findall(normalise_text(text))


#: Corpus words that a dictionary lemmatizer gets wrong or that must not be merged:
#: "the masses" is a Party term distinct from "mass"; "media" is not "medium" here.
LEMMA_OVERRIDES = {"masses": "masses", "media": "media", "grassroots": "grassroots", "data": "data"}


def lemmatize(lower: str) -> str:
    """The lemma of a lower-case word, by LemmInflect's dictionary (Jascob 2019,
    https://github.com/bjascob/LemmInflect), trying noun, verb, adjective, adverb in that
    order (no part-of-speech tagger is run, so nouns win: "planning" stays a noun), then
    its rules for unknown nouns, after :data:`LEMMA_OVERRIDES`. Checked on this corpus's
    words in ``tests/test_tokens.py``."""
    return _lemmatize_cached(lower)


@lru_cache(maxsize=None)
def _lemmatize_cached(lower: str) -> str:
    if lower in LEMMA_OVERRIDES:
        return LEMMA_OVERRIDES[lower]
    import lemminflect

    lemmas = lemminflect.getAllLemmas(lower)
    for upos in ("NOUN", "VERB", "ADJ", "ADV", "AUX"):
        if upos in lemmas:
            return lemmas[upos][0]
    if lower.endswith("s") and len(lower) > 3 and lower.isalpha():
        return lemminflect.getLemma(lower, upos="NOUN", lemmatize_oov=True)[0]
    return lower


#: Lemmas of the first pieces of negated contractions that are not words on their own,
#: as :func:`tokenize` splits them ("ca" + "n't" for "can't"); "n't" has the lemma "not".
NEGATED_PIECES = {"ca": "can", "wo": "will", "sha": "shall"}


@lru_cache(maxsize=None)
def stopwords(name: str = "wordcloud") -> frozenset[str]:
    """A stopword list, lower case with straight apostrophes.

    ``wordcloud`` (default): the 192 function words shipped with the wordcloud package
    (read from its data file, without importing it). ``glasgow``: the 318-word list of
    the Glasgow IR group as shipped by scikit-learn (``ENGLISH_STOP_WORDS``), which also
    removes content words such as "system", "interest" and "part"; used to test
    robustness.
    """
    if name == "wordcloud":
        spec = importlib.util.find_spec("wordcloud")
        words = (Path(spec.origin).parent / "stopwords").read_text(encoding="utf-8").split()
    elif name == "glasgow":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as words
    else:
        raise ValueError(f"unknown stopword list {name!r}; use 'wordcloud' or 'glasgow'")
    return frozenset(w.strip().lower() for w in words)


def _type_table(forms: list[str], stop: frozenset[str]) -> pd.DataFrame:
    """lower, lemma, is_word and is_stop for each distinct token form."""
    lower = [f.lower().replace("’", "'") for f in forms]
    is_word = [f[0].isalnum() for f in forms]
    lemma = [lemmatize(lw) if w and lw.isalpha() else lw for lw, w in zip(lower, is_word)]
    return pd.DataFrame(dict(lower=lower, lemma=lemma, is_word=is_word,
                             is_stop=[w and lw in stop for lw, w in zip(lower, is_word)]), dtype=object)


def tokens(corpus: pd.DataFrame, stoplist: str = "wordcloud", categorical: bool = False) -> pd.DataFrame:
    """The tidy tokens table: one row per token.

    Columns: doc_id, sent_id, position (0-based index of the token in its document),
    token (as written), lower (lower case, typographic apostrophe made straight), lemma
    (see :func:`lemmatize`; non-words keep their lower form), is_word (the token starts
    with a letter or digit: words, numbers and document codes, not punctuation or
    clitics such as "’s"), is_stop (``lower`` is in the stopword list ``stoplist``, or
    the token is a piece of a negated contraction: "ca" + "n't" of "can't" have the
    lemmas "can" and "not").

    ``corpus`` is a corpus table (doc_id, text) or a sentences table (with sent_id); any
    other input raises an error naming what is missing and the function that makes it.

    Every string column is taken from the codes of its distinct values: lower, lemma and
    the flags are computed once per distinct form, and no column is built from a
    per-token list of Python strings (measured in ``benchmarks/bench_token_memory.py``).
    By default the columns have the dtypes pandas infers for their values (``str``;
    sent_id and position int64), which the study's code expects: with Categorical
    columns, ``column + " (" ...`` raises and ``DataFrame.equals`` against a table read
    from CSV is False. ``categorical=True`` returns doc_id, token, lower and lemma as
    ``pd.Categorical`` (categories sorted, every category present in the table, so
    ``sort_values`` sorts alphabetically and ``value_counts`` has no zero row) and
    sent_id, position as int32 when they fit: the compact table for large corpora, with
    the values of the default table.
    """
    sents = _sentence_table(corpus)
    per_sentence = [tokenize(s) for s in sents["text"].tolist()]
    lengths = np.fromiter((len(t) for t in per_sentence), dtype=np.int64, count=len(per_sentence))
    flat = np.fromiter(chain.from_iterable(per_sentence), dtype=object, count=int(lengths.sum()))
    del per_sentence
    form_codes, forms = pd.factorize(flat, sort=True)
    del flat
    types = _type_table(forms.tolist(), stopwords(stoplist))
    sent_doc_codes, doc_ids = pd.factorize(sents["doc_id"], sort=True)
    doc_codes = np.repeat(sent_doc_codes, lengths)
    lower_codes, lowers = _per_token(types["lower"], form_codes)
    lemma_codes, lemmas = _negation_lemmas(types, form_codes, lower_codes, lowers, doc_codes)
    is_stop = types["is_stop"].to_numpy(dtype=bool)[form_codes]
    is_stop[_negation_pieces(lower_codes, lowers, doc_codes)] = True
    int_type = np.int32 if categorical else np.int64
    columns = {
        "doc_id": (doc_codes, doc_ids),
        "sent_id": _compact(np.repeat(sents["sent_id"].to_numpy(), lengths), int_type),
        "position": _compact(_positions(doc_codes), int_type),
        "token": (form_codes, forms),
        "lower": (lower_codes, lowers),
        "lemma": (lemma_codes, lemmas),
        "is_word": types["is_word"].to_numpy(dtype=bool)[form_codes],
        "is_stop": is_stop,
    }
    return pd.DataFrame({name: _column(value, categorical) for name, value in columns.items()})


def _sentence_table(corpus) -> pd.DataFrame:
    """``corpus`` if it is a sentences table (doc_id, sent_id, text), else
    :func:`sentences` of it; raises naming the missing columns otherwise."""
    if isinstance(corpus, pd.DataFrame) and "sent_id" in corpus.columns:
        require_columns(corpus, ("doc_id", "sent_id", "text"), "analysis.tokens.tokens", SENTENCES_MADE_BY)
        _check_texts(corpus, "analysis.tokens.tokens", SENTENCES_MADE_BY)
        return corpus
    require_columns(corpus, ("doc_id", "text"), "analysis.tokens.tokens",
                    f"{CORPUS_MADE_BY} or {SENTENCES_MADE_BY}")
    return sentences(corpus)


def _per_token(per_form: pd.Series, form_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (one per token) into the sorted distinct values of ``per_form`` (one value
    per token form), and those values."""
    codes_of_form, values = pd.factorize(per_form.to_numpy(), sort=True)
    return codes_of_form[form_codes], values


def _code_of(values: np.ndarray, value: str) -> int:
    """The position of ``value`` in the sorted distinct ``values``, or -1 if absent."""
    i = int(np.searchsorted(values, value)) if len(values) else 0
    return i if i < len(values) and values[i] == value else -1


def _negations(lower_codes: np.ndarray, lowers: np.ndarray) -> np.ndarray:
    """True for the tokens whose lower form is "n't"."""
    return lower_codes == _code_of(lowers, "n't")


def _before(mark: np.ndarray, doc_codes: np.ndarray) -> np.ndarray:
    """True for the tokens followed by a marked token of the same document."""
    before = np.zeros_like(mark)
    before[:-1] = mark[1:] & (doc_codes[:-1] == doc_codes[1:])
    return before


def _negation_pieces(lower_codes: np.ndarray, lowers: np.ndarray, doc_codes: np.ndarray) -> np.ndarray:
    """True for "n't" and for the token before it in the same document ("ca" of "can't")."""
    negation = _negations(lower_codes, lowers)
    return negation | _before(negation, doc_codes)


def _negation_lemmas(types: pd.DataFrame, form_codes: np.ndarray, lower_codes: np.ndarray, lowers: np.ndarray,
                     doc_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lemma codes (one per token) and the sorted lemmas they index: each form's lemma,
    except that "n't" has the lemma "not" and the token before it in the same document,
    if it is one of :data:`NEGATED_PIECES`, that piece's lemma ("ca" -> "can"). Only
    lemmas that some token has are kept."""
    n_forms, pieces = len(types), list(NEGATED_PIECES)
    pool = types["lemma"].tolist() + ["not"] + [NEGATED_PIECES[p] for p in pieces]
    pool_codes, lemmas = pd.factorize(np.array(pool, dtype=object), sort=True)
    piece_code = {p: pool_codes[n_forms + 1 + j] for j, p in enumerate(pieces)}
    piece_of_form = np.array([piece_code.get(lw, -1) for lw in types["lower"]], dtype=np.int64)
    codes = pool_codes[:n_forms][form_codes]
    negation = _negations(lower_codes, lowers)
    codes[negation] = pool_codes[n_forms]
    piece = piece_of_form[form_codes]
    replace = _before(negation, doc_codes) & (piece >= 0)
    codes[replace] = piece[replace]
    used = np.unique(codes)
    return np.searchsorted(used, codes), lemmas[used]


def _positions(doc_codes: np.ndarray) -> np.ndarray:
    """The 0-based index of each token among the tokens of its document (documents need
    not be contiguous: the count runs over the rows of each document in table order)."""
    return pd.Series(doc_codes).groupby(doc_codes, sort=False).cumcount().to_numpy()


def _compact(values: np.ndarray, int_type) -> np.ndarray:
    """``values`` as ``int_type`` when every value fits in it, else as int64."""
    if int_type is np.int64 or not len(values):
        return values.astype(np.int64)
    info = np.iinfo(int_type)
    fits = values.min() >= info.min and values.max() <= info.max
    return values.astype(int_type if fits else np.int64)


def _column(value, categorical: bool):
    """A column of the tokens table: arrays as they are; ``(codes, values)`` pairs as a
    Categorical (``categorical``) or as the values taken by the codes."""
    if not isinstance(value, tuple):
        return value
    codes, values = value
    values = pd.Index(values)
    if categorical:
        return pd.Categorical.from_codes(codes, categories=values)
    return values.take(codes).array
