r"""Regular expressions written by users (cleaning rules, dictionaries), compiled and run
so that a bad one gives a clear error instead of a hang.

A pattern with nested quantifiers such as ``(a|aa)+$`` can take time exponential in the
length of the line it is tried on ("catastrophic backtracking"; Friedl 2006, *Mastering
Regular Expressions*, ch. 6). Python's ``re`` cannot be interrupted, so user patterns are
compiled with the ``regex`` module (https://github.com/mrabarnett/mrab-regex), whose
matching functions take a ``timeout`` in seconds and raise ``TimeoutError`` when it
passes. Its default ``VERSION0`` behaviour is that of ``re``, so a pattern means the same
in both, with one difference: ``\w`` also matches combining marks (U+0300-U+036F) and the
zero-width non-joiner, which matters only for text not in NFC (the corpus loader writes
NFC; the dictionaries' tests check that ``regex`` and ``re`` find the same matches on the
corpus).

Two checks, both naming where the pattern came from:

- when compiled (:func:`compile_user_pattern`): the pattern must be valid, must not match
  the empty string (it would match everywhere, or nowhere useful), and must pass a few
  probe lines within the time limit;
- when run (:class:`UserPattern`): every call has the time limit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import regex

#: Seconds one match, search or substitution of a user pattern may take on one string.
#: ``STUDY_PATTERN_TIMEOUT`` overrides it.
PATTERN_TIMEOUT = float(os.environ.get("STUDY_PATTERN_TIMEOUT", "2.0"))

#: Lines on which a pattern is tried once when compiled: runs of one character class
#: ending in a character that breaks the run, where nested quantifiers blow up.
_PROBES = tuple(run * 28 + end for run in ("a", "ab ", "word ", "1", " ", "A.") for end in ("!", "\n"))
_PROBE_TIMEOUT = 0.25

_HINT = ("Nested quantifiers such as (a|aa)+ or (\\w+\\s?)+ make the time grow exponentially with the "
         "length of the line; rewrite the pattern without them (e.g. a+ or [\\w\\s]+).")


class PatternError(ValueError):
    """A user pattern that is invalid, matches the empty string, or takes too long."""


@dataclass(frozen=True)
class UserPattern:
    """A compiled user pattern whose every call is time-limited. ``where`` names the file
    and row it came from; ``error`` is the exception class raised (a subclass of
    ``ValueError``, e.g. ``CorpusError``)."""

    compiled: regex.Pattern
    where: str
    error: type[Exception] = PatternError

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def _run(self, method: str, *args, **kwargs):
        try:
            result = getattr(self.compiled, method)(*args, timeout=PATTERN_TIMEOUT, **kwargs)
            return list(result) if method == "finditer" else result   # finditer is lazy: time out here
        except TimeoutError:
            raise self.error(
                f"{self.where}: pattern {self.pattern!r} took more than {PATTERN_TIMEOUT:g} s on one "
                f"string of {len(args[0]):,} characters and was stopped. {_HINT}") from None

    def match(self, string: str):
        return self._run("match", string)

    def fullmatch(self, string: str):
        return self._run("fullmatch", string)

    def search(self, string: str):
        return self._run("search", string)

    def findall(self, string: str) -> list:
        return self._run("findall", string)

    def finditer(self, string: str) -> list:
        """All matches, as a list (the time limit covers the whole scan)."""
        return self._run("finditer", string)

    def sub(self, replacement, string: str, count: int = 0) -> str:
        return self._run("sub", replacement, string, count=count)


def compile_user_pattern(pattern: str, where: str, flags: int = 0, error: type[Exception] = PatternError,
                         allow_empty: bool = False) -> UserPattern:
    """``pattern`` compiled as a :class:`UserPattern`, or ``error`` raised with a message
    that starts with ``where`` and says how to fix the pattern."""
    if not isinstance(pattern, str) or not pattern:
        raise error(f"{where}: the pattern is empty. Write the regular expression to match.")
    try:
        compiled = regex.compile(pattern, flags | regex.VERSION0)
    except (regex.error, OverflowError, RecursionError) as err:
        raise error(f"{where}: pattern {pattern!r} is not a regular expression ({err}). Correct it.") from None
    safe = UserPattern(compiled, where, error)
    for probe in _PROBES:
        try:
            compiled.search(probe, timeout=_PROBE_TIMEOUT)
        except TimeoutError:
            raise error(f"{where}: pattern {pattern!r} took more than {_PROBE_TIMEOUT:g} s on a test line of "
                        f"{len(probe)} characters ({probe[:12]!r}...). {_HINT}") from None
    if not allow_empty and safe.fullmatch("") is not None:
        raise error(f"{where}: pattern {pattern!r} matches the empty string, so it would match everywhere. "
                    "Make it require at least one character (e.g. + instead of *).")
    return safe
