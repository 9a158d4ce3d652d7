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
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

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
    sentence. ``corpus`` needs the columns doc_id and text (as from ``load_corpus``)."""
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        sent_id = 0
        for para_id, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
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
    non-space character ends up in exactly one token."""
    return TOKEN_PATTERN.findall(text)


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


def _type_table(forms: pd.Index, stop: frozenset[str]) -> pd.DataFrame:
    """lower, lemma, is_word and is_stop for each distinct token form."""
    lower = [f.lower().replace("’", "'") for f in forms]
    is_word = [f[0].isalnum() for f in forms]
    lemma = [lemmatize(lw) if w and lw.isalpha() else lw for lw, w in zip(lower, is_word)]
    return pd.DataFrame(dict(lower=lower, lemma=lemma, is_word=is_word,
                             is_stop=[w and lw in stop for lw, w in zip(lower, is_word)]))


def tokens(corpus: pd.DataFrame, stoplist: str = "wordcloud") -> pd.DataFrame:
    """The tidy tokens table: one row per token.

    Columns: doc_id, sent_id, position (0-based index of the token in its document),
    token (as written), lower (lower case, typographic apostrophe made straight), lemma
    (see :func:`lemmatize`; non-words keep their lower form), is_word (the token starts
    with a letter or digit: words, numbers and document codes, not punctuation or
    clitics such as "’s"), is_stop (``lower`` is in the stopword list ``stoplist``, or
    the token is a piece of a negated contraction: "ca" + "n't" of "can't" have the
    lemmas "can" and "not").

    ``corpus`` is a corpus table (doc_id, text) or a sentences table (with sent_id).
    """
    sents = corpus if "sent_id" in corpus.columns else sentences(corpus)
    per_sentence = [tokenize(s) for s in sents["text"]]
    lengths = np.fromiter((len(t) for t in per_sentence), dtype=np.int64, count=len(per_sentence))
    flat = [tok for toks in per_sentence for tok in toks]
    codes, forms = pd.factorize(pd.Series(flat, dtype=object), sort=False)
    types = _type_table(pd.Index(forms), stopwords(stoplist))
    doc_ids = np.repeat(sents["doc_id"].to_numpy(), lengths)
    table = pd.DataFrame({
        "doc_id": doc_ids,
        "sent_id": np.repeat(sents["sent_id"].to_numpy(), lengths),
        "position": pd.Series(doc_ids).groupby(doc_ids, sort=False).cumcount().to_numpy(),
        "token": flat,
    })
    for col in types.columns:
        table[col] = types[col].to_numpy()[codes]
    return _mark_negations(table)


def _mark_negations(table: pd.DataFrame) -> pd.DataFrame:
    """Give the pieces of a negated contraction their lemmas ("ca" -> "can", "n't" ->
    "not") and flag both as stopwords: function words, whatever the stopword list."""
    negation = (table["lower"] == "n't").to_numpy()
    before = np.zeros_like(negation)
    before[:-1] = negation[1:] & (table["doc_id"].to_numpy()[:-1] == table["doc_id"].to_numpy()[1:])
    table.loc[negation, "lemma"] = "not"
    table.loc[before, "lemma"] = table.loc[before, "lower"].map(NEGATED_PIECES).fillna(table.loc[before, "lemma"])
    table.loc[negation | before, "is_stop"] = True
    return table
