"""Sentences and tokens: toy texts counted by hand, this corpus's hard cases, and
NLTK's Punkt as an independent check of the sentence splitter."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import unicodedata

import pandas as pd
import pytest

from analysis import sentences, tokenize, tokens
from analysis.tokens import (TOKEN_PATTERN, lemmatize, normalise_text, punkt_sentences, split_sentences,
                             stopwords)


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


# ------------------------------------------------------------------ tokens from codes

#: A toy corpus with the hard cases of the code path: repeated forms, negated
#: contractions (also at a document's start, after the last token of another document,
#: and "n't" twice), a document whose sentences are not contiguous in the table, and
#: forms whose alphabetical order differs from their order of appearance.
HARD_SENTENCES = pd.DataFrame({
    "doc_id": ["b", "b", "a", "b", "c"],
    "sent_id": [0, 1, 0, 2, 0],
    "text": ["Zeal can’t wait.", "We won't, can't.", "n't Apples aren't ca n't n't.", "Cadres’ maladies!", "shan't"],
})


def _naive_tokens(sents: pd.DataFrame, stop: frozenset[str]) -> list[tuple]:
    """The tokens table row by row, computed token by token with plain Python (no
    factorizing): the independent reference for :func:`tokens`."""
    rows, position = [], {}
    for doc_id, sent_id, text in zip(sents["doc_id"], sents["sent_id"], sents["text"]):
        for tok in tokenize(text):
            lower = tok.lower().replace("’", "'")
            word = tok[0].isalnum()
            lemma = lemmatize(lower) if word and lower.isalpha() else lower
            rows.append([doc_id, sent_id, position.get(doc_id, 0), tok, lower, lemma, word, word and lower in stop])
            position[doc_id] = position.get(doc_id, 0) + 1
    for i, row in enumerate(rows):
        if row[4] == "n't":
            row[5], row[7] = "not", True
            if i and rows[i - 1][0] == row[0]:
                prev = rows[i - 1]
                prev[5], prev[7] = {"ca": "can", "wo": "will", "sha": "shall"}.get(prev[4], prev[5]), True
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("categorical", [False, True])
def test_tokens_equal_a_token_by_token_reference(categorical):
    table = tokens(HARD_SENTENCES, categorical=categorical)
    expected = _naive_tokens(HARD_SENTENCES, stopwords("wordcloud"))
    got = list(zip(*(table[c].tolist() for c in table.columns)))
    assert got == expected
    assert table.loc[table["token"] == "ca", "lemma"].tolist() == ["can", "can", "ca"]   # last: not before n't


def test_default_tokens_keep_pandas_inferred_dtypes():
    """The default table has the dtypes pandas infers for the same values (``str`` for
    text, int64 for ids), so that downstream code and ``DataFrame.equals`` against a table
    read back from CSV behave as before."""
    table = tokens(HARD_SENTENCES)
    inferred = pd.DataFrame({c: table[c].tolist() for c in table.columns})
    assert table.dtypes.to_dict() == inferred.dtypes.to_dict()
    assert table["sent_id"].dtype == "int64" and table["position"].dtype == "int64"


def test_categorical_tokens_are_compact_sorted_and_fully_observed():
    table = tokens(HARD_SENTENCES, categorical=True)
    plain = tokens(HARD_SENTENCES)
    for col in ("doc_id", "token", "lower", "lemma"):
        values = table[col]
        assert isinstance(values.dtype, pd.CategoricalDtype)
        assert list(values.cat.categories) == sorted(set(plain[col]))       # sorted, none unused
        assert (values.astype(str) == plain[col]).all()
        assert (values.value_counts() > 0).all()                          # no zero-count category
        assert values.sort_values(kind="stable").astype(str).tolist() == plain[col].sort_values(kind="stable").tolist()
    assert table["sent_id"].dtype == "int32" and table["position"].dtype == "int32"
    assert table.memory_usage(deep=True).sum() < plain.memory_usage(deep=True).sum()


def test_categorical_tokens_of_the_corpus_equal_the_default(token_table, sentence_table):
    table = tokens(sentence_table, categorical=True)
    assert len(table) == len(token_table)
    for col in token_table.columns:
        assert (table[col].to_numpy() == token_table[col].to_numpy()).all(), col


def test_positions_count_within_documents_not_contiguous():
    table = tokens(HARD_SENTENCES)
    b = table[table["doc_id"] == "b"]
    assert b["position"].tolist() == list(range(len(b)))
    assert table.loc[table["doc_id"] == "a", "position"].iloc[0] == 0


def test_empty_corpus_gives_an_empty_table():
    table = tokens(toy_corpus(""))
    assert len(table) == 0
    assert list(table.columns) == ["doc_id", "sent_id", "position", "token", "lower", "lemma", "is_word", "is_stop"]


# ------------------------------------------------------------------ input checks

@pytest.mark.parametrize("function", [sentences, tokens])
def test_table_without_text_names_the_column_and_the_maker(function):
    with pytest.raises(ValueError) as err:
        function(pd.DataFrame({"doc_id": ["d0"], "body": ["A b."]}))
    assert "lacks column(s) text" in str(err.value)
    assert "analysis.corpus.load_corpus()" in str(err.value)


def test_sentences_without_doc_id():
    with pytest.raises(ValueError, match=r"analysis.tokens.sentences: the table lacks column\(s\) doc_id\. "
                                         r"Pass the table made by analysis.corpus.load_corpus\(\)"):
        sentences(pd.DataFrame({"text": ["A b."]}))


def test_sentences_table_without_text_points_to_sentences():
    with pytest.raises(ValueError, match=r"analysis.tokens.tokens: the table lacks column\(s\) text\. "
                                         r"Pass the table made by analysis.tokens.sentences\(\)"):
        tokens(pd.DataFrame({"doc_id": ["d0"], "sent_id": [0], "sentence": ["A b."]}))


@pytest.mark.parametrize("function", [sentences, tokens])
@pytest.mark.parametrize("wrong,kind", [(pd.Series(["A b."]), "Series"), ("A b.", "str"), (["A b."], "list")])
def test_not_a_table(function, wrong, kind):
    with pytest.raises(TypeError, match=rf"expected a DataFrame \(from analysis.corpus.load_corpus\(\).*got {kind}"):
        function(wrong)


@pytest.mark.parametrize("function", [sentences, tokens])
@pytest.mark.parametrize("bad", [float("nan"), None, 3])
def test_text_that_is_not_a_string_names_the_row(function, bad):
    corpus = pd.DataFrame({"doc_id": ["d0", "d1"], "text": pd.Series(["A b.", bad], dtype=object)})
    with pytest.raises(TypeError, match=r"the column text must hold strings, but 1 row\(s\) do not: row 1 "
                                        r"\(doc_id 'd1'\).*Give an empty text as ''"):
        function(corpus)


def test_sentences_table_with_missing_text_names_the_row():
    sents = pd.DataFrame({"doc_id": ["d0", "d0"], "sent_id": [0, 1], "text": ["A b.", None]})
    with pytest.raises(TypeError, match=r"analysis.tokens.tokens: .*row 1 \(doc_id 'd0'\): nan.*"
                                        r"analysis.tokens.sentences\(\)"):
        tokens(sents)


def test_missing_doc_id_names_the_row():
    with pytest.raises(ValueError, match=r"1 row\(s\) have no doc_id \(rows \[1\]\)"):
        sentences(pd.DataFrame({"doc_id": ["d0", None], "text": ["A b.", "C d."]}))


# ------------------------------------------------------------------ normal form and control characters

HANOI_NFC = "Uncle Hồ went to Hà Nội."


def test_decomposed_text_tokenizes_like_the_composed_one():
    nfd = unicodedata.normalize("NFD", HANOI_NFC)
    assert nfd != HANOI_NFC and len(nfd) > len(HANOI_NFC)
    assert TOKEN_PATTERN.findall(nfd) != TOKEN_PATTERN.findall(HANOI_NFC)   # the combining marks split words
    assert tokenize(nfd) == tokenize(HANOI_NFC) == ["Uncle", "Hồ", "went", "to", "Hà", "Nội", "."]


def test_sentences_and_tokens_of_a_decomposed_corpus_are_composed():
    nfc, nfd = toy_corpus(HANOI_NFC), toy_corpus(unicodedata.normalize("NFD", HANOI_NFC))
    assert sentences(nfd)["text"].tolist() == [HANOI_NFC]
    pd.testing.assert_frame_equal(tokens(nfd), tokens(nfc))


def test_normalise_text_returns_the_same_object_when_nothing_changes():
    text = "Already composed: Hà Nội.\tTab kept."
    assert normalise_text(text) is text


def test_the_project_corpus_is_unchanged_by_normalisation(corpus_all, sentence_table):
    assert all(normalise_text(t) is t for t in corpus_all["text"])
    assert all(unicodedata.is_normalized("NFC", t) for t in sentence_table["text"])


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_control_character_separates_tokens_like_a_space(control):
    assert tokenize(f"Party{control}members{control}") == ["Party", "members"]
    table = sentences(toy_corpus(f"One ends.{control}Two{control}starts."))
    assert table["text"].tolist() == ["One ends.", "Two starts."]
    assert tokens(toy_corpus(f"cadres{control}fight"))["token"].tolist() == ["cadres", "fight"]
