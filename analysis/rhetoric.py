"""Rhetorical profile: dictionary categories, structural devices, rates with intervals.

The data flow mirrors the rest of the package::

    load_categories()  ->  find_matches(sentences, categories)  ->  evidence (KWIC)
    evidence + sentence_words(tokens)  ->  category_rates()  ->  rates with bootstrap CIs
    sentences  ->  quoted_spans(), enumerations(), questions(), sentence_lengths()

Assumptions, said once here and again in notebook 03:

- Patterns are matched on the sentence texts of :func:`analysis.sentences`,
  case-insensitively, with word boundaries: a pattern never matches inside a word.
- Matches of one category that overlap are merged and counted once ("the people" inside
  "serving the people" is one match); different categories count independently.
- The word count of a document is its number of ``is_word`` tokens (:func:`analysis.tokens`).
- Intervals: percentile bootstrap (Efron & Tibshirani 1993, *An Introduction to the
  Bootstrap*, ch. 13), resampling the sentences of a document with replacement, with a
  fixed seed. They show sampling variation *within* a text, not between texts.
- Precision intervals: Wilson score interval (Wilson 1927, JASA 22(158)).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .checks import require_columns

PATTERN_KINDS = ("words", "regex", "sentence_initial")
EVIDENCE_COLUMNS = ["doc_id", "category", "sent_id", "match", "left", "right", "start", "end", "pattern"]
RATE_COLUMNS = ["doc_id", "category", "count", "n_words", "per_1k", "ci_low", "ci_high"]
ANNOTATION_COLUMNS = ["doc_id", "category", "sent_id", "start", "match", "context", "correct", "note"]
#: The columns that identify an evidence row (a word can occur twice in a sentence).
EVIDENCE_KEY = ["doc_id", "category", "sent_id", "start", "match"]
KWIC_WINDOW = 60
_NAME = re.compile(r"[a-z][a-z0-9_]*")

#: What may precede a sentence-initial pattern: opening quotes, an enumerator such as
#: "First," or "One:", and one -ly adverb ("Effectively implement").
ENUMERATORS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
               "ninth", "tenth", "firstly", "secondly", "thirdly", "fourthly", "fifthly",
               "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ENUMERATOR = rf"(?:{'|'.join(ENUMERATORS)})\s*[,:.)]"
_SENTENCE_START = rf"^[\s\"“‘'(\-–]*(?:{_ENUMERATOR}\s*)?(?:\w+ly\s+)?"


class RhetoricDictionaryError(ValueError):
    """A bad category dictionary. The message names the category and what to fix."""


@dataclass(frozen=True)
class Category:
    """One category of the dictionary with its compiled patterns."""
    name: str
    label: str
    definition: str
    rationale: str
    source: str
    patterns: dict
    regexes: tuple  # tuple of (pattern text, compiled regex)


# ---------------------------------------------------------------------------- dictionary

def phrase_regex(phrase: str) -> str:
    """The regular expression of a literal word or phrase with word boundaries: inner
    spaces match any white space, a trailing ``*`` any word ending."""
    phrase = phrase.strip()
    glob = phrase.endswith("*")
    words = phrase.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    ending = r"[\w-]*" if glob else ""
    return rf"(?<!\w){body}{ending}(?!\w)"


def sentence_initial_regex(phrase: str) -> str:
    """The regular expression of a phrase that counts only at the start of a sentence
    (see :data:`_SENTENCE_START`); the phrase itself is the named group ``m``."""
    return rf"{_SENTENCE_START}(?P<m>{phrase_regex(phrase)})"


def _compile(category: str, kind: str, pattern) -> tuple[str, re.Pattern]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise RhetoricDictionaryError(
            f"category {category!r}: {kind} pattern {pattern!r} is not a non-empty string. "
            "Write each pattern as a quoted string.")
    source = {"words": phrase_regex, "sentence_initial": sentence_initial_regex,
              "regex": lambda p: p}[kind](pattern)
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as err:
        raise RhetoricDictionaryError(
            f"category {category!r}: {kind} pattern {pattern!r} does not compile ({err}). "
            "Fix the regular expression.") from err
    if compiled.search("") is not None:
        raise RhetoricDictionaryError(
            f"category {category!r}: {kind} pattern {pattern!r} matches the empty string. "
            "Make it require at least one character.")
    return f"{kind}:{pattern}", compiled


def validate_categories(raw) -> dict[str, Category]:
    """Check a parsed dictionary (the YAML as Python objects) and compile it.

    Required: a ``version`` string and a ``categories`` mapping; every category needs a
    non-empty ``definition``, ``rationale`` and ``patterns`` (a mapping of the kinds in
    :data:`PATTERN_KINDS` to lists, at least one pattern in all); every regex must
    compile. Raises :class:`RhetoricDictionaryError` naming the category at fault.
    Categories are returned in the order of the file.
    """
    if not isinstance(raw, dict):
        raise RhetoricDictionaryError("the dictionary must be a mapping with 'version' and 'categories'.")
    if not isinstance(raw.get("version"), str) or not raw["version"].strip():
        raise RhetoricDictionaryError("the dictionary needs a 'version' string, e.g. version: \"1.0.0\".")
    cats = raw.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise RhetoricDictionaryError("the dictionary needs a non-empty 'categories' mapping.")
    out = {}
    for name, spec in cats.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise RhetoricDictionaryError(
                f"category {name!r}: names must be lower-case letters, digits and '_'.")
        if not isinstance(spec, dict):
            raise RhetoricDictionaryError(f"category {name!r}: must be a mapping with definition, patterns, rationale.")
        for field in ("definition", "rationale"):
            if not isinstance(spec.get(field), str) or not spec[field].strip():
                raise RhetoricDictionaryError(f"category {name!r}: missing or empty {field!r}. Add it.")
        patterns = spec.get("patterns")
        if not isinstance(patterns, dict):
            raise RhetoricDictionaryError(
                f"category {name!r}: 'patterns' must be a mapping of {', '.join(PATTERN_KINDS)} to lists.")
        unknown = sorted(set(patterns) - set(PATTERN_KINDS))
        if unknown:
            raise RhetoricDictionaryError(
                f"category {name!r}: unknown pattern kind(s) {unknown}; use {', '.join(PATTERN_KINDS)}.")
        regexes = []
        for kind in PATTERN_KINDS:
            items = patterns.get(kind) or []
            if not isinstance(items, list):
                raise RhetoricDictionaryError(f"category {name!r}: patterns.{kind} must be a list.")
            regexes.extend(_compile(name, kind, p) for p in items)
        if not regexes:
            raise RhetoricDictionaryError(f"category {name!r}: has no patterns. Add at least one.")
        out[name] = Category(name, str(spec.get("label", name)), spec["definition"].strip(),
                             spec["rationale"].strip(), str(spec.get("source", "")).strip(),
                             patterns, tuple(regexes))
    return out


def read_dictionary(path: str | Path | None = None) -> dict:
    """The dictionary file parsed as Python objects (default: the package's
    ``analysis/data/rhetoric_categories.yaml``)."""
    import yaml

    path = Path(path) if path is not None else paths.data_file("rhetoric_categories.yaml")
    if not path.exists():
        raise RhetoricDictionaryError(f"{path}: no such dictionary file.")
    with path.open(encoding="utf-8") as f:
        try:
            return yaml.safe_load(f)
        except yaml.YAMLError as err:
            raise RhetoricDictionaryError(f"{path}: not valid YAML ({err}).") from err


def load_categories(path: str | Path | None = None) -> dict[str, Category]:
    """The validated, compiled categories of the dictionary file (see :func:`validate_categories`)."""
    return validate_categories(read_dictionary(path))


def dictionary_version(path: str | Path | None = None) -> str:
    """The ``version`` field of the dictionary file."""
    return str(read_dictionary(path)["version"])


def category_table(categories: dict[str, Category]) -> pd.DataFrame:
    """One row per category: category, label, definition, n_patterns, rationale, source."""
    return pd.DataFrame([dict(category=c.name, label=c.label, definition=c.definition,
                              n_patterns=len(c.regexes), rationale=c.rationale, source=c.source)
                         for c in categories.values()])


# ---------------------------------------------------------------------------- matching

def _check_sentences(sents: pd.DataFrame) -> None:
    require_columns(sents, ("doc_id", "sent_id", "text"), "rhetoric", made_by="analysis.sentences(corpus)")


def merge_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Merge overlapping (start, end, pattern) spans; a merged span keeps the pattern of
    its first (left-most, then longest) member. Touching spans (end == start) stay apart."""
    merged: list[list] = []
    for start, end, pattern in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, pattern])
    return [tuple(m) for m in merged]


def _spans(text: str, category: Category) -> list[tuple[int, int, str]]:
    spans = []
    for label, regex in category.regexes:
        for m in regex.finditer(text):
            group = "m" if "m" in regex.groupindex else 0
            if m.end(group) > m.start(group):
                spans.append((m.start(group), m.end(group), label))
    return merge_spans(spans)


def find_matches(sents: pd.DataFrame, categories: dict[str, Category],
                 window: int = KWIC_WINDOW) -> pd.DataFrame:
    """The evidence table (keyword in context): one row per counted match.

    Columns: doc_id, category, sent_id, match (as written), left and right (up to
    ``window`` characters of the sentence either side), start and end (character offsets
    in the sentence), pattern (kind:pattern of the first pattern of a merged match).
    Sorted by document order of ``sents``, then category order, sent_id, start.
    """
    _check_sentences(sents)
    rows = []
    for doc_id, sent_id, text in zip(sents["doc_id"], sents["sent_id"], sents["text"]):
        for name, category in categories.items():
            for start, end, label in _spans(text, category):
                rows.append((doc_id, name, sent_id, text[start:end],
                             text[max(0, start - window):start], text[end:end + window], start, end, label))
    evidence = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    doc_order = {d: i for i, d in enumerate(pd.unique(sents["doc_id"]))}
    cat_order = {c: i for i, c in enumerate(categories)}
    key = (evidence["doc_id"].map(doc_order) * 10**6 + evidence["category"].map(cat_order) * 10**4)
    order = np.lexsort((evidence["start"].to_numpy(), evidence["sent_id"].to_numpy(), key.to_numpy()))
    return evidence.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------------------- counting

def sentence_words(toks: pd.DataFrame) -> pd.DataFrame:
    """Words per sentence: doc_id, sent_id, n_words (``is_word`` tokens), from a tokens table."""
    require_columns(toks, ("doc_id", "sent_id", "is_word"), "sentence_words")
    counts = toks.groupby(["doc_id", "sent_id"], sort=False)["is_word"].sum().astype(int)
    return counts.rename("n_words").reset_index()


def sentence_counts(evidence: pd.DataFrame, sent_words: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """Matches per sentence and category: one row per sentence of ``sent_words`` (doc_id,
    sent_id, n_words) with one integer column per category (zeros included)."""
    wide = (evidence.groupby(["doc_id", "sent_id", "category"]).size()
            .unstack("category", fill_value=0).reindex(columns=categories, fill_value=0))
    table = sent_words.merge(wide.reset_index(), on=["doc_id", "sent_id"], how="left")
    unmatched = len(evidence) - int(table[categories].sum().sum()) if len(categories) else 0
    if unmatched:
        raise ValueError(f"{unmatched} evidence row(s) refer to sentences not in the word table; "
                         "build both from the same sentences.")
    table[categories] = table[categories].fillna(0).astype(int)
    return table


def per_thousand(count, n_words):
    """Rate per 1,000 words: ``1000 * count / n_words`` (n_words must be positive)."""
    n_words = np.asarray(n_words, dtype=float)
    if np.any(n_words <= 0):
        raise ValueError("n_words must be positive to compute a rate per 1,000 words.")
    return 1000.0 * np.asarray(count, dtype=float) / n_words


def doc_seed(seed: int, doc_id: str) -> list[int]:
    """The random-generator seed of one document: the study seed and a CRC-32 of the
    doc_id, so a document's resamples do not depend on which other documents are present."""
    return [int(seed), zlib.crc32(doc_id.encode("utf-8"))]


def bootstrap_rates(counts: np.ndarray, words: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap rates per 1,000 words, shape (n_boot, n_categories): each replicate
    resamples the sentences (rows of ``counts``, shape (n_sentences, n_categories)) with
    replacement and divides the summed counts by the summed words of the same sentences."""
    total_counts, total_words = resampled_sums(counts, words, n_boot, rng)
    return 1000.0 * total_counts / np.maximum(total_words, 1.0)[:, None]


def resampled_sums(counts: np.ndarray, words: np.ndarray, n_boot: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Summed counts (n_boot, n_categories) and summed words (n_boot,) of ``n_boot``
    resamples, with replacement, of the sentences (rows of ``counts``) of one document."""
    counts = np.asarray(counts, dtype=float).reshape(len(words), -1)
    words = np.asarray(words, dtype=float)
    idx = rng.integers(0, len(words), size=(n_boot, len(words)))
    return counts[idx].sum(axis=1), words[idx].sum(axis=1)


def category_rates(evidence: pd.DataFrame, sent_words: pd.DataFrame, categories: list[str],
                   n_boot: int = 2000, seed: int = 2025, level: float = 0.95) -> pd.DataFrame:
    """Count, n_words, rate per 1,000 words and percentile-bootstrap interval for every
    document and category (columns :data:`RATE_COLUMNS`), documents in the order of
    ``sent_words``. Resamples sentences within each document (:func:`bootstrap_rates`)."""
    if n_boot < 100:
        raise ValueError("n_boot should be at least 100 for a percentile interval.")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1, e.g. 0.95.")
    table = sentence_counts(evidence, sent_words, categories)
    tail = 100 * (1 - level) / 2
    rows = []
    for doc_id in pd.unique(table["doc_id"]):
        part = table[table["doc_id"] == doc_id]
        counts, words = part[categories].to_numpy(), part["n_words"].to_numpy()
        boot = bootstrap_rates(counts, words, n_boot, np.random.default_rng(doc_seed(seed, doc_id)))
        low, high = np.percentile(boot, [tail, 100 - tail], axis=0)
        total = counts.sum(axis=0)
        rate = per_thousand(total, words.sum())
        for j, cat in enumerate(categories):
            rows.append((doc_id, cat, int(total[j]), int(words.sum()), rate[j], low[j], high[j]))
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def group_rates(evidence: pd.DataFrame, sent_words: pd.DataFrame, categories: list[str],
                groups: dict[str, str], n_boot: int = 2000, seed: int = 2025,
                level: float = 0.95) -> pd.DataFrame:
    """Pooled rates of groups of documents (e.g. eras): group, category, count, n_words,
    n_docs, per_1k, ci_low, ci_high. ``groups`` maps doc_id to group; documents not in it
    are left out. The bootstrap resamples sentences within each document (stratified), so
    every replicate keeps each document's size; it does not resample documents. The column
    ``_boot`` holds each row's bootstrap replicates (for :func:`group_difference`); drop it
    before saving."""
    table = sentence_counts(evidence, sent_words, categories)
    table = table[table["doc_id"].isin(groups)]
    tail = 100 * (1 - level) / 2
    rows = []
    for group in sorted(set(groups.values())):
        docs = [d for d in pd.unique(table["doc_id"]) if groups[d] == group]
        boot_counts = np.zeros((n_boot, len(categories)))
        boot_words = np.zeros(n_boot)
        for doc_id in docs:
            part = table[table["doc_id"] == doc_id]
            doc_counts, doc_words = resampled_sums(part[categories].to_numpy(), part["n_words"].to_numpy(),
                                                   n_boot, np.random.default_rng(doc_seed(seed, doc_id)))
            boot_counts += doc_counts
            boot_words += doc_words
        boot = 1000.0 * boot_counts / boot_words[:, None]
        low, high = np.percentile(boot, [tail, 100 - tail], axis=0)
        part = table[table["doc_id"].isin(docs)]
        total, words = part[categories].sum().to_numpy(), int(part["n_words"].sum())
        rate = per_thousand(total, words)
        for j, cat in enumerate(categories):
            rows.append((group, cat, int(total[j]), words, len(docs), rate[j], low[j], high[j], boot[:, j]))
    out = pd.DataFrame(rows, columns=["group", "category", "count", "n_words", "n_docs",
                                      "per_1k", "ci_low", "ci_high", "_boot"])
    return out


def group_difference(group_table: pd.DataFrame, first: str, second: str, level: float = 0.95) -> pd.DataFrame:
    """Per category: rate of ``second`` minus rate of ``first`` with a percentile interval
    from the paired bootstrap replicates of :func:`group_rates` (independent documents,
    so the replicates of the two groups are independent draws)."""
    tail = 100 * (1 - level) / 2
    rows = []
    a = group_table[group_table["group"] == first].set_index("category")
    b = group_table[group_table["group"] == second].set_index("category")
    if a.empty or b.empty:
        raise ValueError(f"groups {first!r} and {second!r} must both be in the table; it has {sorted(group_table['group'].unique())}.")
    for cat in a.index:
        diff = b.at[cat, "_boot"] - a.at[cat, "_boot"]
        low, high = np.percentile(diff, [tail, 100 - tail])
        rows.append((cat, a.at[cat, "per_1k"], b.at[cat, "per_1k"], b.at[cat, "per_1k"] - a.at[cat, "per_1k"], low, high))
    return pd.DataFrame(rows, columns=["category", f"per_1k_{first}", f"per_1k_{second}", "difference", "ci_low", "ci_high"])


# ---------------------------------------------------------------------------- structure

def paragraph_texts(sents: pd.DataFrame) -> pd.DataFrame:
    """Each paragraph rebuilt from its sentences (joined by one space) with the offset at
    which each sentence starts: doc_id, para_id, text, starts (list), sent_ids (list)."""
    _check_sentences(sents)
    if "para_id" not in sents.columns:
        raise ValueError("sentences table lacks column para_id; pass analysis.sentences(corpus).")
    rows = []
    for (doc_id, para_id), part in sents.groupby(["doc_id", "para_id"], sort=False):
        starts, pos = [], 0
        for text in part["text"]:
            starts.append(pos)
            pos += len(text) + 1
        rows.append((doc_id, para_id, " ".join(part["text"]), starts, list(part["sent_id"])))
    return pd.DataFrame(rows, columns=["doc_id", "para_id", "text", "starts", "sent_ids"])


#: Opening quote -> closing quote. Straight quotes close themselves.
QUOTE_PAIRS = {"“": "”", "‘": "’", '"': '"', "'": "'"}
_SINGLE_CLOSERS = ("’", "'")


def _is_opener(text: str, i: int) -> bool:
    """A quote character opens a quotation if it follows the start, white space or an
    opening bracket/dash and is followed by a non-space character."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{-–—:") and not after.isspace()


def _is_closer(text: str, i: int) -> bool:
    """A quote character closes a quotation if it follows a non-space character and is
    not followed by a letter or digit (so the apostrophe of "Party’s" never closes)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def find_quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted span in ``text``, quote marks excluded.

    Handles typographic (“ ” ‘ ’) and straight (" ') quotes. An apostrophe inside a word
    ("Party’s", "isn’t") is never a quote mark; a possessive after a plural ("citizens’
    “immunity”") closes nothing unless a single quote is open. Spans do not nest: quote
    marks inside an open quotation of another kind are ignored, except that a quotation
    ends at its own closing mark.
    """
    spans, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in QUOTE_PAIRS and _is_opener(text, i):
            closer = QUOTE_PAIRS[ch]
            candidates = (closer,) if ch in "“\"" else _SINGLE_CLOSERS
            j = i + 1
            while j < len(text) and not (text[j] in candidates and _is_closer(text, j)):
                j += 1
            if j < len(text):
                spans.append((i + 1, j))
                i = j + 1
                continue
        i += 1
    return spans


def quoted_spans(sents: pd.DataFrame, scare_max_words: int = 3, window: int = KWIC_WINDOW) -> pd.DataFrame:
    """Every quoted span: doc_id, sent_id (where it opens), kind, n_words, quote, left,
    right. Quotes are found in whole paragraphs, so a quotation may run over several
    sentences. ``kind`` is ``scare_quote`` for spans of at most ``scare_max_words`` words
    (a term held at a distance: “purify”, “likes”) and ``slogan_or_quotation`` for longer
    ones (a slogan, a saying or reported words); the line between slogan and quotation is
    left to the reader of the table."""
    from .tokens import tokenize

    rows = []
    for para in paragraph_texts(sents).itertuples(index=False):
        for start, end in find_quotes(para.text):
            k = int(np.searchsorted(para.starts, start, side="right")) - 1
            quote = para.text[start:end]
            n_words = sum(1 for t in tokenize(quote) if t[0].isalnum())
            kind = "scare_quote" if n_words <= scare_max_words else "slogan_or_quotation"
            rows.append((para.doc_id, para.sent_ids[k], kind, n_words, quote,
                         para.text[max(0, start - 1 - window):start - 1], para.text[end + 1:end + 1 + window]))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "kind", "n_words", "quote", "left", "right"])


_ENUMERATION = re.compile(rf"^[\s\"“‘'(]*(?P<m>{_ENUMERATOR})", re.IGNORECASE)


def enumerations(sents: pd.DataFrame) -> pd.DataFrame:
    """Sentences that open with an enumerator ("First,", "Second,", "One:", "Two:"):
    doc_id, sent_id, marker, text."""
    _check_sentences(sents)
    rows = [(d, s, m["m"], t) for d, s, t in zip(sents["doc_id"], sents["sent_id"], sents["text"])
            if (m := _ENUMERATION.match(t))]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "marker", "text"])


def questions(sents: pd.DataFrame) -> pd.DataFrame:
    """Every question mark in the texts: doc_id, sent_id, in_quote, text. ``in_quote`` is
    true when the question mark lies inside a quoted span (reported words, e.g. a question
    attributed to critics or to Ho Chi Minh); the others are questions in the text's own
    voice, which in these texts are rhetorical (no answer is expected)."""
    rows = []
    for para in paragraph_texts(sents).itertuples(index=False):
        quotes = find_quotes(para.text)
        for m in re.finditer(r"\?", para.text):
            k = int(np.searchsorted(para.starts, m.start(), side="right")) - 1
            inside = any(s <= m.start() < e for s, e in quotes)
            sent = sents[(sents["doc_id"] == para.doc_id) & (sents["sent_id"] == para.sent_ids[k])]["text"].iloc[0]
            rows.append((para.doc_id, para.sent_ids[k], inside, sent))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "in_quote", "text"])


def sentence_lengths(sent_words: pd.DataFrame) -> pd.DataFrame:
    """Sentence length in words per document: doc_id, n_sentences, mean, median, max,
    in the order of ``sent_words``."""
    grouped = sent_words.groupby("doc_id", sort=False)["n_words"]
    return pd.DataFrame({"n_sentences": grouped.size(), "mean": grouped.mean(),
                         "median": grouped.median(), "max": grouped.max()}).reset_index()


def structure_table(sents: pd.DataFrame, sent_words: pd.DataFrame) -> pd.DataFrame:
    """Structural devices per document: doc_id, n_sentences, n_words, enumerations,
    scare_quotes, slogans_or_quotations, questions_own_voice, questions_quoted, and
    sentence length (mean, median, max words)."""
    lengths = sentence_lengths(sent_words)
    docs = list(lengths["doc_id"])
    quotes = quoted_spans(sents)
    qs = questions(sents)

    def per_doc(frame, mask=None):
        frame = frame if mask is None else frame[mask]
        return frame.groupby("doc_id").size().reindex(docs, fill_value=0).to_numpy()

    return pd.DataFrame({
        "doc_id": docs,
        "n_sentences": lengths["n_sentences"].to_numpy(),
        "n_words": sent_words.groupby("doc_id", sort=False)["n_words"].sum().reindex(docs).to_numpy(),
        "enumerations": per_doc(enumerations(sents)),
        "scare_quotes": per_doc(quotes, quotes["kind"] == "scare_quote"),
        "slogans_or_quotations": per_doc(quotes, quotes["kind"] == "slogan_or_quotation"),
        "questions_own_voice": per_doc(qs, ~qs["in_quote"].astype(bool)),
        "questions_quoted": per_doc(qs, qs["in_quote"].astype(bool)),
        "sentence_mean_words": lengths["mean"].to_numpy(),
        "sentence_median_words": lengths["median"].to_numpy(),
        "sentence_max_words": lengths["max"].to_numpy(),
    })


# ---------------------------------------------------------------------------- precision

def precision_sample(evidence: pd.DataFrame, per_category: int = 15, seed: int = 2025) -> pd.DataFrame:
    """Up to ``per_category`` evidence rows per category, drawn without replacement with a
    fixed seed (one generator per category, seeded like :func:`doc_seed`), in evidence
    order, with a ``context`` column (left + [match] + right) for reading."""
    parts = []
    for cat in pd.unique(evidence["category"]):
        rows = evidence[evidence["category"] == cat]
        rng = np.random.default_rng(doc_seed(seed, cat))
        take = np.sort(rng.choice(len(rows), size=min(per_category, len(rows)), replace=False))
        parts.append(rows.iloc[take])
    sample = pd.concat(parts) if parts else evidence.iloc[:0]
    sample = sample.assign(context=sample["left"] + "[" + sample["match"] + "]" + sample["right"])
    return sample[["doc_id", "category", "sent_id", "start", "match", "context"]].reset_index(drop=True)


def read_annotations(path: str | Path | None = None) -> pd.DataFrame:
    """The precision annotations (``corpus/annotations/rhetoric_precision.csv``), checked:
    columns :data:`ANNOTATION_COLUMNS`, ``correct`` 0 or 1."""
    path = Path(path) if path is not None else paths.annotations_dir() / "rhetoric_precision.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no annotation file. Create it from precision_sample() and mark each row.")
    table = pd.read_csv(path, dtype={"doc_id": str, "category": str, "match": str, "context": str, "note": str},
                        keep_default_na=False, encoding="utf-8")
    missing = [c for c in ANNOTATION_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}.")
    bad = table[~table["correct"].isin([0, 1])]
    if len(bad):
        raise ValueError(f"{path}: 'correct' must be 0 or 1; rows {list(bad.index + 2)} are not.")
    return table


def orphan_annotations(annotations: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """Annotated rows that no longer match an evidence row (same doc_id, category,
    sent_id, start and match, see :data:`EVIDENCE_KEY`): a dictionary change has made
    them stale."""
    merged = annotations.merge(evidence[EVIDENCE_KEY].drop_duplicates(), on=EVIDENCE_KEY,
                               how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")


def wilson_interval(k, n, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (Wilson 1927, JASA 22(158):209-212):
    (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    from scipy.stats import norm

    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0; got k={k}, n={n}.")
    z = norm.ppf(1 - (1 - level) / 2)
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre - half) / (1 + z * z / n)), float((centre + half) / (1 + z * z / n))


def precision_table(annotations: pd.DataFrame, categories: list[str], level: float = 0.95) -> pd.DataFrame:
    """Precision per category from the annotations: category, n_marked, n_correct,
    precision, ci_low, ci_high (Wilson), in the order of ``categories``."""
    rows = []
    for cat in categories:
        marks = annotations.loc[annotations["category"] == cat, "correct"].astype(int)
        n, k = len(marks), int(marks.sum())
        low, high = wilson_interval(k, n, level) if n else (np.nan, np.nan)
        rows.append((cat, n, k, k / n if n else np.nan, low, high))
    return pd.DataFrame(rows, columns=["category", "n_marked", "n_correct", "precision", "ci_low", "ci_high"])


# ---------------------------------------------------------------------------- groups

def era_groups(corpus: pd.DataFrame) -> dict[str, str]:
    """doc_id -> era for the Party-media documents only. Reader comments (voice
    ``reader-comments``) are never put in an era: they are a different voice."""
    require_columns(corpus, ("doc_id", "era", "voice"), "era_groups", made_by="analysis.load_corpus()")
    party = corpus[corpus["voice"] == "party-media"]
    return dict(zip(party["doc_id"], party["era"]))
