"""A second corpus for the whole-study test, made from the project's own sentences.

The project's Party-media sentences are shuffled (fixed seed) and dealt into
``len(DOCUMENTS)`` new texts, each written as a raw file of three-sentence paragraphs
with a metadata row of its own: three groups whose names sort differently from their
order in time, dates spread over several years with two texts in the same month,
precisions of day, month and year, and one text left without sentiment labels. The
other texts carry the hand labels of their sentences (matched by sentence text), with an
empty ``split`` so that the labels get the hash split of new labels. No other hand
annotation is copied: a researcher's own corpus will have none, and every notebook must
say so rather than fail. The register of cited documents is copied (the sentences cite
the same documents), with the project's doc_ids in its evidence replaced.

Run as a script to write the corpus to a folder: ``python tests/corpus_factory.py OUT``.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

#: doc_id, group (era), date, precision, earliest, latest. Group names sort differently
#: from their order in time; two texts share a month; one text has no sentiment labels.
DOCUMENTS = [
    ("wind-a", "Zeta", "2016-03-15", "day", "2016-03-15", "2016-03-15"),
    ("wind-b", "Zeta", "2016-11", "month", "2016-11-01", "2016-11-30"),
    ("wind-c", "Zeta", "2017", "year", "2017-01-01", "2017-12-31"),
    ("rain-a", "Alpha", "2019-05-19", "day", "2019-05-19", "2019-05-19"),
    ("rain-b", "Alpha", "2020-02", "month", "2020-02-01", "2020-02-29"),
    ("rain-c", "Alpha", "2020-02-20", "day", "2020-02-20", "2020-02-20"),
    ("sun-a", "Mu", "2023-08-01", "day", "2023-08-01", "2023-08-01"),
    ("sun-b", "Mu", "2024-01", "month", "2024-01-01", "2024-01-31"),
]
UNLABELLED = "rain-b"
SEED = 7


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(folder: Path, texts: dict[str, list[str]]) -> None:
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rows = []
    for doc_id, group, date, precision, lo, hi in DOCUMENTS:
        sents = texts[doc_id]
        paragraphs = [" ".join(sents[k:k + 3]) for k in range(0, len(sents), 3)]
        data = ("\n\n".join(paragraphs) + "\n").encode("utf-8")
        (raw / f"{doc_id}.txt").write_bytes(data)
        rows.append(dict(doc_id=doc_id, title=f"A made-up text ({doc_id})", outlet="Test outlet", author="not given",
                         date=date, date_precision=precision, date_earliest=lo, date_latest=hi,
                         date_evidence="Stated: made up for the test", url="", era=group, voice="party-media",
                         raw_file=f"{doc_id}.txt", sha256=_sha(data), span="all",
                         translation="original-english", translation_evidence="made up for the test"))
    pd.DataFrame(rows).to_csv(folder / "metadata.csv", index=False)


def build_test_corpus(folder: Path) -> Path:
    """Write the test corpus into ``folder`` (created) and return it."""
    from analysis import load_corpus, paths, sentences

    folder = Path(folder)
    source = sentences(load_corpus())
    labels = pd.read_csv(paths.default_corpus_dir() / "annotations" / "sentiment_labels.csv",
                         keep_default_na=False, dtype=str)
    label_of = dict(zip(labels["text"], zip(labels["label"], labels["note"])))
    pool = list(source["text"])
    order = np.random.default_rng(SEED).permutation(len(pool))
    ids = [d[0] for d in DOCUMENTS]
    texts = {d: [pool[k] for k in order[i::len(ids)]] for i, d in enumerate(ids)}
    # Labelled texts keep only sentences with a hand label; repeat until the splitter
    # gives back exactly the sentences written (a sentence may split differently alone).
    for _ in range(5):
        for d in ids:
            if d != UNLABELLED:
                texts[d] = [s for s in texts[d] if s in label_of]
        if folder.exists():
            shutil.rmtree(folder)
        _write(folder, texts)
        resplit = sentences(load_corpus(folder))
        changed = False
        for d in ids:
            got = list(resplit.loc[resplit["doc_id"] == d, "text"])
            if d != UNLABELLED and any(s not in label_of for s in got):
                texts[d] = [s for s in got if s in label_of]
                changed = True
        if not changed:
            break
    else:
        raise RuntimeError("the test corpus did not settle after 5 rounds")
    (folder / "annotations").mkdir()
    rows = [dict(doc_id=r.doc_id, sent_id=r.sent_id, text=r.text, label=label_of[r.text][0],
                 note=label_of[r.text][1], split="")
            for r in resplit.itertuples() if r.doc_id != UNLABELLED]
    pd.DataFrame(rows, columns=["doc_id", "sent_id", "text", "label", "note", "split"]).to_csv(
        folder / "annotations" / "sentiment_labels.csv", index=False)
    # the register's evidence cites the project's own texts by doc_id: not this corpus's texts
    register = pd.read_csv(paths.default_corpus_dir() / "cited_documents.csv", dtype=str, keep_default_na=False)
    own = sorted(load_corpus(include_comments=True)["doc_id"], key=len, reverse=True)
    for column in register.columns:
        for doc_id in own:
            register[column] = register[column].str.replace(doc_id, "TEXT", regex=False)
    register.to_csv(folder / "cited_documents.csv", index=False)
    return folder


if __name__ == "__main__":
    print(build_test_corpus(Path(sys.argv[1])))
