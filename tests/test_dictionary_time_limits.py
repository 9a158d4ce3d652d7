"""Time bombs in the citation patterns (``analysis/data/citations.yaml``) and the actor
dictionary (``analysis/data/actors.yaml``): their regular expressions are compiled by
``analysis.patterns.compile_user_pattern``, so a catastrophic or empty-matching pattern is
refused naming the file, and a scan that runs too long is stopped with the module's own
error. Times are only checked against generous bounds (many times the time limit, or
well under 5 s for a refusal that the probes make within a fraction of a second); the
pattern ``(x|xx)+y`` on 60 ``x`` would otherwise take hours (the number of ways to split
the run grows like the Fibonacci numbers)."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import actors as ac
from analysis import citations as ct
from analysis import patterns

BOMB = "(a|aa)+$"          # explodes on the probe lines: refused when the file is read
LATE_BOMB = "(x|xx)+y"     # no probe line has an x: passes, then explodes on a run of x
GENEROUS = 5.0             # seconds; the probes stop a bad pattern within about 0.25 s


# ---------------------------------------------------------------- files in tmp_path

def _citation_file(tmp_path, pattern: str, kind: str = "work") -> Path:
    """A pattern file with one rule, ``bomb``, of ``kind`` (work or anaphor)."""
    rule = {"kind": kind, "regex": pattern}
    rule.update({"refers_to": ["work"]} if kind == "anaphor" else {"key": "work:x", "type": "work"})
    path = tmp_path / "citations.yaml"
    path.write_text(yaml.safe_dump({"version": "t", "changelog": [{"version": "t", "date": "d", "changes": "c"}],
                                    "anaphor_window": 2, "rules": {"bomb": rule}}), encoding="utf-8")
    return path


def _load_citations(path):
    return ct.load_citation_patterns(path, register=ct.empty_register())


def _actor_file(tmp_path, pattern: str, **entity) -> Path:
    """A dictionary with one actor, ``bomb``, whose one entity pattern's name is ``pattern``
    (other keys of the entity pattern: ``entity``)."""
    spec = {"definition": "d", "rationale": "r", "patterns": [{"kind": "entity", "name": pattern, **entity}]}
    path = tmp_path / "actors.yaml"
    path.write_text(yaml.safe_dump({"version": "t", "changelog": [{"version": "t"}], "actors": {"bomb": spec}}),
                    encoding="utf-8")
    return path


def _sentences(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": "d", "sent_id": range(len(texts)), "text": list(texts)})


def _annotated_entity(entity: str) -> pd.DataFrame:
    """An annotation layer (the columns :func:`analysis.actors.actor_mentions` reads) of one
    sentence that is one token, an organisation named ``entity``."""
    return pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "position": [0], "token": [entity],
                         "lower": [entity.lower()], "upos": ["PROPN"], "dep": ["ROOT"], "head": [0],
                         "pos_lemma": [entity], "ent_iob": ["B"], "ent_type": ["ORG"], "entity": [entity],
                         "in_fixed_phrase": [False], "author_voice": [True], "quote_source": [""]})


# ---------------------------------------------------------------- refused when read

def test_a_catastrophic_citation_pattern_is_refused_quickly_naming_file_rule_and_pattern(tmp_path):
    path = _citation_file(tmp_path, BOMB)
    start = time.perf_counter()
    with pytest.raises(ct.CitationPatternError) as err:
        _load_citations(path)
    assert time.perf_counter() - start < GENEROUS
    message = str(err.value)
    assert message.startswith(f"{path}: citation rule 'bomb', regex pattern '(a|aa)+$'")
    assert "Nested quantifiers" in message


def test_a_catastrophic_actor_pattern_is_refused_quickly_naming_file_actor_and_pattern(tmp_path):
    path = _actor_file(tmp_path, BOMB)
    start = time.perf_counter()
    with pytest.raises(ac.ActorDictionaryError) as err:
        ac.load_actors(path)
    assert time.perf_counter() - start < GENEROUS
    message = str(err.value)
    assert message.startswith(f"{path}: actor 'bomb', entity name pattern '(a|aa)+$'")
    assert "Nested quantifiers" in message


@pytest.mark.parametrize("pattern", ["x*", "(?:)", "a?|b"])
def test_a_citation_pattern_matching_the_empty_string_is_refused(tmp_path, pattern):
    path = _citation_file(tmp_path, pattern)
    with pytest.raises(ct.CitationPatternError, match="matches the empty string") as err:
        _load_citations(path)
    assert str(err.value).startswith(f"{path}: citation rule 'bomb', regex pattern {pattern!r}")


@pytest.mark.parametrize("pattern", ["x*", "(?:)", "a?|b"])
def test_an_actor_pattern_matching_the_empty_string_is_refused(tmp_path, pattern):
    path = _actor_file(tmp_path, pattern)
    with pytest.raises(ac.ActorDictionaryError, match="matches the empty string") as err:
        ac.load_actors(path)
    assert str(err.value).startswith(f"{path}: actor 'bomb', entity name pattern {pattern!r}")


def test_other_errors_name_the_file_too(tmp_path):
    path = _citation_file(tmp_path, "x+", kind="anaphor")
    path.write_text(path.read_text(encoding="utf-8").replace("refers_to", "points_to"), encoding="utf-8")
    with pytest.raises(ct.CitationPatternError, match="refers_to") as err:
        _load_citations(path)
    assert str(err.value).startswith(f"{path}: citation rule 'bomb'")
    path = _actor_file(tmp_path, "X+", titles="yes")
    with pytest.raises(ac.ActorDictionaryError, match="'titles' must be true or false") as err:
        ac.load_actors(path)
    assert str(err.value).startswith(f"{path}: actor 'bomb'")


def test_a_dictionary_not_read_from_a_file_is_named_as_such():
    raw = ct.read_patterns_file()
    raw["rules"]["party_code"]["regex"] = BOMB
    with pytest.raises(ct.CitationPatternError) as err:
        ct.validate_citation_patterns(raw)
    assert str(err.value).startswith(f"{ct.UNNAMED_PATTERN_FILE}: citation rule 'party_code', regex pattern")
    raw = ac.read_actor_file()
    raw["actors"]["party"]["patterns"] = [{"kind": "entity", "name": BOMB}]
    with pytest.raises(ac.ActorDictionaryError) as err:
        ac.validate_actors(raw)
    assert str(err.value).startswith(f"{ac.UNNAMED_DICTIONARY}: actor 'party', entity name pattern")


# ---------------------------------------------------------------- stopped when run

@pytest.mark.parametrize("kind", ["work", "anaphor"])
def test_a_citation_pattern_that_explodes_on_one_sentence_is_stopped(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(patterns, "PATTERN_TIMEOUT", 0.2)
    path = _citation_file(tmp_path, LATE_BOMB, kind)
    rules = _load_citations(path)                                     # passes the probe lines
    if kind == "work":
        assert list(ct.extract_citations(_sentences("xxy and xy"), rules)["match"]) == ["xxy", "xy"]
    start = time.perf_counter()
    with pytest.raises(ct.CitationPatternError, match=r"citation rule 'bomb', regex pattern '\(x\|xx\)\+y'.*"
                                                      r"took more than 0.2 s on one string of 60 characters") as err:
        ct.extract_citations(_sentences("A fine sentence.", "x" * 60), rules)
    assert time.perf_counter() - start < 50 * 0.2
    assert str(err.value).startswith(str(path))


def test_an_actor_pattern_that_explodes_on_one_entity_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(patterns, "PATTERN_TIMEOUT", 0.2)
    path = _actor_file(tmp_path, LATE_BOMB)
    actors = ac.load_actors(path)                                     # passes the probe lines
    fine = ac.actor_mentions(_annotated_entity("xxy"), actors)
    assert list(zip(fine["actor"], fine["text"], fine["pattern"])) == [("bomb", "xxy", "entity:(x|xx)+y")]
    start = time.perf_counter()
    with pytest.raises(ac.ActorDictionaryError, match=r"actor 'bomb', entity name pattern '\(x\|xx\)\+y'.*"
                                                      r"took more than 0.2 s on one string of 60 characters") as err:
        ac.actor_mentions(_annotated_entity("x" * 60), actors)
    assert time.perf_counter() - start < 50 * 0.2
    assert str(err.value).startswith(str(path))


# ---------------------------------------------------------------- same matches as re

def _re_spans(pattern: str, flags: int, texts) -> list:
    compiled = re.compile(pattern, flags)
    return [(i, m.span(), m.groupdict()) for i, t in enumerate(texts) for m in compiled.finditer(t)]


def _user_spans(user: patterns.UserPattern, texts) -> list:
    return [(i, m.span(), m.groupdict()) for i, t in enumerate(texts) for m in user.finditer(t)]


def test_the_project_citation_rules_match_as_re_does(sentence_table):
    """The rules compiled with ``regex`` (VERSION0) find the spans and named groups that
    Python's ``re`` finds, sentence by sentence, on the project corpus."""
    texts = list(sentence_table["text"])
    specs = ct.read_patterns_file()["rules"]
    rules = ct.load_citation_patterns(register=ct.empty_register()).rules
    found = 0
    for name, rule in rules.items():
        flags = 0 if specs[name].get("case_sensitive") else re.IGNORECASE
        expected = _re_spans(rule.regex.pattern, flags, texts)
        assert _user_spans(rule.regex, texts) == expected, name
        found += len(expected)
    assert found > 0


def test_the_project_actor_entity_patterns_match_as_re_does(sentence_table):
    """Each entity name pattern finds with ``regex`` what ``re`` finds, on every sentence
    of the project corpus (a superset of the entity names the patterns are tried on)."""
    texts = list(sentence_table["text"])
    entity_patterns = [p for a in ac.load_actors().values() for p in a.patterns if p.kind == "entity"]
    assert entity_patterns
    found = 0
    for p in entity_patterns:
        expected = _re_spans(p.name.pattern, 0, texts)
        assert _user_spans(p.name, texts) == expected, p.description
        found += len(expected)
    assert found > 0
