"""Sentences and tokens: toy texts counted by hand, this corpus's hard cases, and
NLTK's Punkt as an independent check of the sentence splitter."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from analysis import sentences, tokenize, tokens
from analysis.tokens import lemmatize, punkt_sentences, split_sentences, stopwords


def toy_corpus(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


# ------------------------------------------------------------------ sentences

def test_abbreviation_no_does_not_end_a_sentence():
    text = "The Politburo issued Regulation No. 377-QĐ/TW on personnel. It is new."
    assert split_sentences(text) == ["The Politburo issued Regulation No. 377-QĐ/TW on personnel.", "It is new."]


@pytest.mark.parametrize("text,expected", [
    ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
    ("He said “go.” Then he left.", ["He said “go.”", "Then he left."]),
    ("Votes, etc. in personnel work.", ["Votes, etc. in personnel work."]),
    ("Conclusion No. 150-KL/TW of the Politburo.", ["Conclusion No. 150-KL/TW of the Politburo."]),
    ("Ratio 65.57% fell. Next 2021 came.", ["Ratio 65.57% fell.", "Next 2021 came."]),
    ("Written by H. Smith today.", ["Written by H. Smith today."]),
    ("It ends... ‘Uncle Hồ’ came.", ["It ends...", "‘Uncle Hồ’ came."]),
])
def test_split_sentences_on_toy_texts(text, expected):
    assert split_sentences(text) == expected


def test_sentences_table_counts_by_hand():
    table = sentences(toy_corpus("A b. C d.\nE f", "G."))
    assert list(table.columns) == ["doc_id", "sent_id", "para_id", "text"]
    assert table.values.tolist() == [["d0", 0, 0, "A b."], ["d0", 1, 0, "C d."], ["d0", 2, 1, "E f"],
                                     ["d1", 0, 0, "G."]]


def _boundaries(sents: list[str]) -> set[int]:
    """Sentence ends as offsets into the text with all white space removed."""
    ends, total = set(), 0
    for sentence in sents:
        total += len("".join(sentence.split()))
        ends.add(total)
    return ends


def test_splitter_agrees_with_punkt_trained_on_the_corpus(corpus_all, sentence_table):
    """Punkt (Kiss & Strunk 2006) learns abbreviations and boundaries from the corpus
    itself. Where it splits and we do not, the next word must start in lower case (our
    rule: no sentence starts in lower case; these are the link-stripping joins of
    indifference-2020); and it may miss only a few of our boundaries."""
    punkt = punkt_sentences(list(corpus_all["text"]))
    missed_by_punkt = 0
    for doc_id, text, theirs in zip(corpus_all["doc_id"], corpus_all["text"], punkt):
        ours = sentence_table.loc[sentence_table["doc_id"] == doc_id, "text"].tolist()
        squeezed = "".join(text.split())
        for offset in _boundaries(theirs) - _boundaries(ours):
            assert squeezed[offset].islower(), (doc_id, squeezed[offset - 40: offset + 40])
        missed_by_punkt += len(_boundaries(ours) - _boundaries(theirs))
    assert missed_by_punkt <= 0.02 * len(sentence_table)


def test_no_sentence_in_the_corpus_ends_in_an_abbreviation(sentence_table):
    assert not sentence_table["text"].str.contains(r"\b(?:No|Mr|Dr)\.$").any()
    assert sentence_table["text"].str.contains(r"Regulation No\. 377-QĐ/TW").sum() == 1


# ------------------------------------------------------------------ tokens

def test_tokenize_hand_counted():
    assert tokenize("The Party’s “immunity”, isn't it?") == [
        "The", "Party", "’s", "“", "immunity", "”", ",", "is", "n't", "it", "?"]


@pytest.mark.parametrize("text,token", [
    ("under Regulations 89-QĐ/TW and", "89-QĐ/TW"), ("Resolution 26-NQ/TW,", "26-NQ/TW"),
    ("from 65.57% of poor", "65.57%"), ("to 21,000 bridges", "21,000"),
    ("the 2021-2026 tenure", "2021-2026"), ("the 13th Congress", "13th"),
    ("stopping self-evolution and", "self-evolution"), ("no-confidence votes", "no-confidence"),
    ("President Hồ Chí Minh", "Hồ"),
])
def test_whole_tokens(text, token):
    assert token in tokenize(text)


def test_quotes_are_tokens_and_never_leave_a_stray_s():
    toks = tokenize("the people’s ‘alienation from the people’ and citizens’ rights; 'spring cleaning'")
    assert "s" not in toks and "’s" in toks
    assert toks.count("‘") == 1 and toks.count("’") == 2 and "spring" in toks


def test_tokenize_loses_no_character(corpus_all):
    for text in corpus_all["text"]:
        assert "".join(tokenize(text)) == "".join(text.split())


def test_tokens_table_counted_by_hand():
    table = tokens(toy_corpus("The cadres’ maladies. Cadres fight!"))
    assert list(table.columns) == ["doc_id", "sent_id", "position", "token", "lower", "lemma", "is_word", "is_stop"]
    assert table["token"].tolist() == ["The", "cadres", "’", "maladies", ".", "Cadres", "fight", "!"]
    assert table["sent_id"].tolist() == [0, 0, 0, 0, 0, 1, 1, 1]
    assert table["position"].tolist() == list(range(8))
    assert table["lemma"].tolist() == ["the", "cadre", "'", "malady", ".", "cadre", "fight", "!"]
    assert table["is_word"].sum() == 5
    assert table["is_stop"].tolist() == [True] + [False] * 7


def test_possessive_gives_party_plus_clitic(token_table):
    after_party = token_table.shift(-1)[token_table["lower"] == "party"]["token"]
    assert "s" not in set(token_table["token"])
    assert {"’s", "'s"} <= set(after_party)


LEMMAS = {"cadres": "cadre", "maladies": "malady", "masses": "masses", "media": "media",
          "grassroots": "grassroots", "localities": "locality", "criteria": "criterion",
          "diseases": "disease", "forces": "force", "policies": "policy", "people": "people",
          "was": "be", "were": "be", "thinking": "think", "developed": "develop",
          "cronies": "crony", "websites": "website", "politics": "politics", "news": "news"}


@pytest.mark.parametrize("word,lemma", sorted(LEMMAS.items()))
def test_lemmatizer_on_this_corpus_words(word, lemma):
    assert lemmatize(word) == lemma


def test_stopword_lists():
    assert {"the", "and", "of", "we", "our", "they"} <= stopwords("wordcloud")
    assert "people" not in stopwords("wordcloud") and "party" not in stopwords("wordcloud")
    assert len(stopwords("wordcloud")) == 192 and len(stopwords("glasgow")) == 318


def test_works_with_sockets_disabled():
    """Loading, splitting and tokenizing (and Punkt) need no network: run them in a fresh
    interpreter in which opening any socket raises."""
    code = textwrap.dedent("""
        import socket
        class NoNetwork(socket.socket):
            def __init__(self, *args, **kwargs):
                raise RuntimeError("network access attempted")
        def refuse(*args, **kwargs):
            raise RuntimeError("network access attempted")
        socket.socket = NoNetwork
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from analysis import load_corpus, sentences, tokens
        from analysis.tokens import punkt_sentences
        corpus = load_corpus(include_comments=True)
        table = tokens(sentences(corpus))
        assert table["lemma"].eq("cadre").any()
        punkt_sentences(list(corpus["text"]))
        print("offline ok", len(table))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "offline ok" in done.stdout


def test_negated_contractions_are_function_words():
    table = tokens(toy_corpus("We can’t and won’t wait; it isn't over."))
    pieces = table[table["token"].isin(["ca", "n’t", "wo", "is", "n't"])]
    assert pieces["token"].tolist() == ["ca", "n’t", "wo", "n’t", "is", "n't"]
    assert pieces["lemma"].tolist() == ["can", "not", "will", "not", "be", "not"]
    assert pieces["is_stop"].all()
