"""A synthetic corpus folder laid out like the project's ``corpus/``, for benchmarks.

``write_corpus(folder, n_docs)`` writes ``raw/<doc_id>.txt`` (one file per document: a
title line, then one paragraph a line), ``metadata.csv`` (every column of
:data:`analysis.corpus.METADATA_COLUMNS`, with the sha256 of each raw file) and
``cleaning_rules.csv`` (the title line and an outlet tag such as "(Nhandan.vn) - " are
removed when the corpus is loaded, as in the real corpus). ``analysis.load_corpus(folder)``
reads it like the real one.

The text. Nothing of the study's texts is reused. Words are drawn by their English
frequencies (``wordfreq.top_n_list("en", 50000)`` with ``wordfreq``'s frequencies: a
Zipfian vocabulary of tens of thousands of types; ``wordfreq`` ships its data, no
network). About one word slot in twelve is given instead to a phrase of the study's
domain (the Party, cadres, Party members, the people, the masses, corruption,
negativity, resolution, must, resolutely, hostile forces, fight, disease, unity, virtue,
Uncle Ho, we ...), and some sentences carry a person with a title ("General Secretary
Nguyen Van An", "Comrade Tran Thi Lan"), a Party document with its code ("Resolution
No. 4-NQ/TW"), a place ("Ky Son district"), a quoted span in straight or curly double
quotes, or are reported speech ("President Le Minh Hung stressed: "...""), so that the
dictionaries of rhetoric and actors, the entity and quotation rules of the annotation
layer and the sentiment lexicons all have something to find. Sentences have a
lognormal length (median 17 words, 4 to 60), commas, a capital first letter and a final
".", "?" or "!"; paragraphs hold 1 to 4 sentences; documents have a lognormal length
whose mean is ``words_per_doc`` (default 100 words).

Metadata: dates spread uniformly over 2020-2025 (80% to the day, 15% to the month, 5%
to the year, with date_earliest/date_latest bracketing the coarser ones), an ``era``
from the date (three groups: "Nguyen Phu Trong, 12th Congress" before February 2021,
"Nguyen Phu Trong, 13th Congress" until August 2024, then "To Lam"), six outlets,
voice ``party-media``, span ``all``.

Deterministic: document ``i`` depends only on ``(seed, i)``, so the corpus of 100
documents is the first 100 documents of the corpus of 10,000.

Usage: ``python benchmarks/synthetic_corpus.py FOLDER --docs 1000 [--seed 2025]``.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

SEED_DEFAULT = 2025
VOCABULARY_SIZE = 50_000
WORDS_PER_DOC = 100

SENTENCE_MEDIAN, SENTENCE_SIGMA = 17, 0.45
MIN_SENTENCE, MAX_SENTENCE = 4, 60
DOC_SIGMA = 0.35
DOMAIN_RATE = 0.085            # share of word slots given to a domain phrase
COMMA_RATE = 0.06
NAME_RATE = 0.12               # sentences with a titled person
DOCUMENT_RATE = 0.06           # sentences citing a Party document
PLACE_RATE = 0.04              # sentences naming a place
QUOTE_RATE = 0.10              # sentences with a quoted span
SPEECH_RATE = 0.05             # sentences of reported speech
FINAL_PUNCTUATION, FINAL_P = (".", "?", "!"), (0.9, 0.06, 0.04)
OUTLET_TAG_RATE = 0.3          # documents whose first paragraph opens with "(Outlet.vn) - "

DOMAIN_PHRASES = (
    "the Party", "the Party", "Party members", "cadres", "cadres", "cadres and Party members", "officials",
    "the people", "the people", "the masses", "serve the people", "grassroots", "the grassroots level",
    "corruption", "corruption", "negativity", "waste", "wastefulness", "bureaucracy", "individualism",
    "localism", "factionalism", "degradation", "political ideology", "morality", "lifestyle", "virtue",
    "self-evolution", "self-transformation", "hostile forces", "reactionary forces", "plots", "distort",
    "poisonous information", "fake news", "resolution", "resolutions", "the resolution", "must", "must",
    "should", "need to", "have to", "resolutely", "strictly", "thoroughly", "drastically", "determination",
    "fight", "fight against", "combat", "struggle", "prevent", "disease", "malady", "maladies", "illness",
    "cure", "remedy", "unity", "solidarity", "unite", "great national unity", "Uncle Ho", "Ho Chi Minh",
    "President Ho Chi Minh", "the Politburo", "the Central Committee", "the Secretariat", "the State",
    "the Government", "the National Assembly", "the Fatherland Front", "the apparatus", "streamlining",
    "the 13th National Party Congress", "the 14th National Party Congress", "Party building",
    "Party committees", "Party organizations", "inspection", "discipline", "accountability", "we", "we",
    "our", "our Party", "us", "they", "them", "their", "the enemy", "the country", "the nation",
    "socialism", "the homeland", "the leadership of the Party", "prestige", "trust of the people",
)
DOCUMENT_KINDS = (("Resolution", "NQ/TW"), ("Regulation", "QĐ/TW"), ("Conclusion", "KL/TW"),
                  ("Directive", "CT/TW"))
TITLES = ("General Secretary", "President", "Prime Minister", "Comrade", "Comrade", "Secretary",
          "Chairman of the National Assembly", "Politburo member", "Deputy Prime Minister")
FAMILY = ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ho", "Ngo", "Duong", "Ly")
MIDDLE = ("Van", "Thi", "Duc", "Minh", "Quang", "Xuan", "Huu", "Thanh", "Ngoc", "Cong")
GIVEN = ("An", "Binh", "Cuong", "Dung", "Hai", "Hung", "Lan", "Long", "Nam", "Phong", "Son", "Thanh",
         "Trung", "Tuan", "Hoa", "Mai", "Khanh", "Vinh", "Quan", "Linh")
PLACE_NOUNS = ("commune", "district", "province", "ward", "village")
PLACE_SYLLABLES = ("Ky", "Son", "Huoi", "Tu", "Quynh", "Luu", "Dien", "Chau", "Tan", "Ky", "Muong",
                   "Lat", "Hoa", "Binh", "Nghia", "Dan", "Yen", "Thanh", "Phu", "Cam")
REPORTING = ("said", "stressed", "emphasized", "affirmed", "noted", "requested", "pointed out")
OUTLETS = (("Nhan Dan", "Nhandan.vn"), ("National Defence Journal", "Tapchiqptd.vn"),
           ("Baonghean.vn", "Baonghean.vn"), ("Communist Review", "Tapchicongsan.org.vn"),
           ("Vietnam News Agency", "Vietnamplus.vn"), ("People's Army", "Qdnd.vn"))
TRANSLATIONS = (("outlet-english-edition", 0.7), ("machine-translation-third-party", 0.15),
                ("reposter-translation", 0.1), ("original-english", 0.05))
ERAS = ((pd.Timestamp("2020-01-01"), "Nguyen Phu Trong, 12th Congress"),
        (pd.Timestamp("2021-02-01"), "Nguyen Phu Trong, 13th Congress"),
        (pd.Timestamp("2024-08-03"), "To Lam"))
FIRST_DAY, LAST_DAY = pd.Timestamp("2020-01-01"), pd.Timestamp("2025-12-31")
CLEANING_RULES = """doc_id,rule,action,pattern,replacement,reason
*,title,drop_title,,,"The first line that equals the document's title is a heading, not body text."
*,outlet-tag,strip_prefix,\\([A-Za-z.]+\\.(?:vn|org\\.vn)\\) - ,,"Outlet tag such as '(Nhandan.vn) - ' opening the lead paragraph."
"""

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def vocabulary() -> tuple[np.ndarray, np.ndarray]:
    """The base vocabulary: ``wordfreq``'s 50,000 most frequent English words that are
    plain lower-case words (single letters other than "a" and "i" left out), with
    cumulative sampling weights from their frequencies."""
    import wordfreq

    frequency = wordfreq.get_frequency_dict("en")
    words = [w for w in wordfreq.top_n_list("en", VOCABULARY_SIZE)
             if _WORD.fullmatch(w) and (len(w) > 1 or w in ("a", "i"))]
    weights = np.array([frequency[w] for w in words])
    written = np.array(["I" + w[1:] if w == "i" or w.startswith("i'") else w for w in words], dtype=object)
    return written, np.cumsum(weights)


def _draw(rng: np.random.Generator, size: int) -> list[str]:
    words, cumulative = vocabulary()
    index = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
    return words[np.minimum(index, len(words) - 1)].tolist()


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _person(rng: np.random.Generator) -> str:
    name = f"{_pick(rng, FAMILY)} {_pick(rng, MIDDLE)} {_pick(rng, GIVEN)}"
    return f"{_pick(rng, TITLES)} {name}"


def _document_code(rng: np.random.Generator) -> str:
    kind, code = _pick(rng, DOCUMENT_KINDS)
    return f"{kind} No. {int(rng.integers(1, 300))}-{code}"


def _place(rng: np.random.Generator) -> str:
    return f"{_pick(rng, PLACE_SYLLABLES)} {_pick(rng, PLACE_SYLLABLES)} {_pick(rng, PLACE_NOUNS)}"


def _clause(rng: np.random.Generator, n: int) -> list[str]:
    """n word slots: English words with domain phrases among them."""
    words = _draw(rng, n)
    for j in np.flatnonzero(rng.random(n) < DOMAIN_RATE).tolist():
        words[j] = _pick(rng, DOMAIN_PHRASES)
    return words


def _sentence(rng: np.random.Generator) -> str:
    n = int(np.clip(round(rng.lognormal(np.log(SENTENCE_MEDIAN), SENTENCE_SIGMA)), MIN_SENTENCE, MAX_SENTENCE))
    if rng.random() < SPEECH_RATE:                       # reported speech with its speaker
        inner = _clause(rng, n)
        inner[0] = inner[0][:1].upper() + inner[0][1:]
        opening, closing = ("“", "”") if rng.random() < 0.5 else ('"', '"')
        return f"{_person(rng)} {_pick(rng, REPORTING)}: {opening}{' '.join(inner)}.{closing}"
    words = _clause(rng, n)
    for rate, make in ((NAME_RATE, _person), (DOCUMENT_RATE, _document_code), (PLACE_RATE, _place)):
        if rng.random() < rate:
            words[int(rng.integers(len(words)))] = make(rng)
    for j in np.flatnonzero(rng.random(len(words) - 1) < COMMA_RATE).tolist():
        words[j] += ","
    if rng.random() < QUOTE_RATE and len(words) > 2:
        a = int(rng.integers(1, len(words) - 1))
        b = min(a + int(rng.integers(0, 7)), len(words) - 1)
        opening, closing = ("“", "”") if rng.random() < 0.5 else ('"', '"')
        words[a] = opening + words[a]
        words[b] = words[b].rstrip(",") + closing
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words).rstrip(",") + FINAL_PUNCTUATION[int(rng.choice(3, p=FINAL_P))]


def _title(rng: np.random.Generator) -> str:
    words = _draw(rng, int(rng.integers(3, 8))) + [_pick(rng, DOMAIN_PHRASES)]
    order = rng.permutation(len(words))
    return " ".join(words[k] for k in order).capitalize().replace(" i ", " I ")


def _date(rng: np.random.Generator) -> dict:
    day = FIRST_DAY + pd.Timedelta(days=int(rng.integers((LAST_DAY - FIRST_DAY).days + 1)))
    u = rng.random()
    if u < 0.8:
        date, precision, first, last = day.strftime("%Y-%m-%d"), "day", day, day
    elif u < 0.95:
        period = day.to_period("M")
        date, precision, first, last = str(period), "month", period.start_time, period.end_time
    else:
        period = day.to_period("Y")
        date, precision, first, last = str(period), "year", period.start_time, period.end_time
    era = [name for start, name in ERAS if first >= start][-1]
    return dict(date=date, date_precision=precision, date_earliest=first.strftime("%Y-%m-%d"),
                date_latest=last.strftime("%Y-%m-%d"), era=era)


def document(i: int, seed: int = SEED_DEFAULT, words_per_doc: int = WORDS_PER_DOC) -> tuple[dict, str]:
    """Document ``i`` of the corpus of ``seed``: its metadata row (without sha256) and
    its raw text (title line, then paragraphs)."""
    rng = np.random.default_rng([seed, i])
    # a lognormal target whose mean, plus the half sentence by which the last sentence
    # overshoots it on average, is words_per_doc
    mean = max(words_per_doc - SENTENCE_MEDIAN / 2, MIN_SENTENCE)
    median = mean / np.exp(DOC_SIGMA ** 2 / 2)
    target = max(int(round(rng.lognormal(np.log(median), DOC_SIGMA))), MIN_SENTENCE)
    sentences, n = [], 0
    while n < target:
        sentences.append(_sentence(rng))
        n += len(sentences[-1].split())
    paragraphs, k = [], 0
    while k < len(sentences):
        size = int(rng.integers(1, 5))
        paragraphs.append(" ".join(sentences[k:k + size]))
        k += size
    outlet, tag = _pick(rng, OUTLETS)
    if rng.random() < OUTLET_TAG_RATE:
        paragraphs[0] = f"({tag}) - {paragraphs[0]}"
    title = _title(rng)
    doc_id = f"synthetic-{i:05d}"
    translation = str(rng.choice([t for t, _ in TRANSLATIONS], p=[p for _, p in TRANSLATIONS]))
    row = dict(doc_id=doc_id, title=title, outlet=outlet,
               author="not given" if rng.random() < 0.6 else f"{_pick(rng, FAMILY)} {_pick(rng, GIVEN)}",
               **_date(rng), url=f"https://example.org/synthetic/{doc_id}", voice="party-media",
               raw_file=f"{doc_id}.txt", span="all", translation=translation,
               translation_evidence="synthetic text made by benchmarks/synthetic_corpus.py")
    row["date_evidence"] = "synthetic"
    return row, title + "\n" + "\n".join(paragraphs) + "\n"


def write_corpus(folder: str | Path, n_docs: int, seed: int = SEED_DEFAULT,
                 words_per_doc: int = WORDS_PER_DOC) -> Path:
    """Write a corpus folder of ``n_docs`` synthetic documents (see the module docstring)
    at ``folder`` (created; it must not hold a corpus already) and return its path."""
    from analysis.corpus import METADATA_COLUMNS

    if n_docs < 1:
        raise ValueError(f"n_docs must be at least 1, not {n_docs}")
    folder = Path(folder)
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=False)
    rows = []
    for i in range(n_docs):
        row, text = document(i, seed, words_per_doc)
        data = text.encode("utf-8")
        (raw / row["raw_file"]).write_bytes(data)
        row["sha256"] = hashlib.sha256(data).hexdigest()
        rows.append(row)
    pd.DataFrame(rows)[METADATA_COLUMNS].to_csv(folder / "metadata.csv", index=False, encoding="utf-8")
    (folder / "cleaning_rules.csv").write_text(CLEANING_RULES, encoding="utf-8")
    return folder


def describe(corpus: pd.DataFrame) -> dict:
    """Documents, words (runs of letters and digits) and distinct lower-case word types
    of a loaded corpus table."""
    words = [w.lower() for t in corpus["text"] for w in re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", t)]
    return {"documents": len(corpus), "words": len(words), "types": len(set(words)),
            "eras": corpus["era"].nunique(), "years": corpus["year"].nunique()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the corpus (must not exist)")
    parser.add_argument("--docs", type=int, default=1000, help="number of documents")
    parser.add_argument("--seed", type=int, default=SEED_DEFAULT)
    parser.add_argument("--words-per-doc", type=int, default=WORDS_PER_DOC)
    args = parser.parse_args(argv)
    from analysis import load_corpus

    write_corpus(args.folder, args.docs, args.seed, args.words_per_doc)
    d = describe(load_corpus(args.folder))
    print(f"{args.folder}: {d['documents']:,} documents, {d['words']:,} words, {d['types']:,} distinct types, "
          f"{d['eras']} eras over {d['years']} years")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
