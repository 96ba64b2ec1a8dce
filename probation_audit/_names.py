"""How names people give are matched to a rubric's: question ids in headers and rows (any
case, spaces collapsed: :func:`id_key`), headers that start with an id and go on in words, names
shaped like an id the rubric lacks, and the suggestion for one ("did you mean 'P2.1.3'?")."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence

from ._rubric_parts import name_key
from .rubric import Rubric

__all__ = [
    "id_help",
    "id_key",
    "id_tails",
    "key_index",
    "leading_id",
    "looks_like_id",
    "mentioned_id",
    "short_list",
    "suggest_id",
]

# The part of an id after its letter prefix: numbers (or look-alikes of digits: l, I, O) of at
# most three digits joined by dots or dashes, perhaps with a letter on the end: P2.1.3a,
# P2.1.1.A, P2-1-3 with en dashes, P2.l.3. A header of that shape, with a prefix the rubric's
# ids use, is a mistyped id: an error, never an attribute.
_ID_TAIL = re.compile(r"^[0-9lIoO]{1,3}([.\-\u2010-\u2015_][0-9A-Za-z]{1,3})*[A-Za-z]?$")


def id_key(text: str) -> str:
    """How ids are matched: :func:`~probation_audit._rubric_parts.name_key` (trimmed, spaces
    collapsed, case-folded: ``p2.1.3`` is ``P2.1.3``), the one rule a rubric's ids are checked
    against, so that no two of them read alike."""
    return name_key(text)


def _look_alike(text: str) -> str:
    """An id with common slips undone, for suggestions: dashes for dots, l for 1, O for 0."""
    out = id_key(text)
    for dash in "-\u2010\u2011\u2012\u2013\u2014\u2015_ ":
        out = out.replace(dash, ".")
    # Letters among the numbers are look-alikes of digits (l for 1, o for 0); the leading
    # letters (P) and a trailing prompt letter are kept.
    first_digit = next((i for i, c in enumerate(out) if c.isdigit()), len(out))
    head, tail = out[:first_digit], out[first_digit:]
    tail = re.sub(r"(?<=[.0-9])l(?=[.0-9])|(?<=\.)l$", "1", tail)
    tail = re.sub(r"(?<=[.0-9])o(?=[.0-9])", "0", tail)
    return head + tail


@functools.lru_cache(maxsize=32)
def _alike(ids: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`_look_alike` of each of ``ids``, worked out once per rubric's ids."""
    return tuple(_look_alike(i) for i in ids)


def suggest_id(text: str, ids: Sequence[str], taken: Collection[str] = ()) -> str | None:
    """The rubric id ``text`` most likely means, or None. Of near-equal matches, an id no other
    column has ``taken`` wins (``P2.1.3a`` beside a ``P2.1.3.a`` column means ``P2.1.3``)."""
    import difflib

    matcher = difflib.SequenceMatcher(None, _look_alike(text), "")
    scored = []
    for i, alike in zip(ids, _alike(tuple(ids)), strict=True):
        matcher.set_seq2(alike)
        # The quick ratios bound the ratio from above: an id they rule out cannot reach 0.75.
        if matcher.real_quick_ratio() < 0.75 or matcher.quick_ratio() < 0.75:
            continue
        ratio = matcher.ratio()
        if ratio >= 0.75:
            scored.append((ratio, i))
    if not scored:
        return None
    best = max(r for r, _ in scored)
    near = [(r, i) for r, i in scored if r >= best - 0.05]
    # Ties go to the later id, as difflib orders them.
    return max(near, key=lambda item: (item[1] not in taken, item[0], item[1]))[1]


def _letter_prefix(text: str) -> str:
    """The ASCII letters an id starts with (``P`` of ``P2.1.3``; empty for ``1.2.3``)."""
    end = 0
    while end < len(text) and text[end].isascii() and text[end].isalpha():
        end += 1
    return text[:end]


def looks_like_id(text: str, ids: Sequence[str]) -> bool:
    """True for a name shaped like one of ``ids`` (same letter prefix, numbers joined by dots
    or dashes) or very close to one; names with spaces (``age 18-24``, ``P2.1.3 notes``) and
    other prefixes (``v1.2``, ``Q1-Q2``, ``tier 1-2``) are attributes."""
    name = text.strip()
    if not name or any(c.isspace() for c in name):
        return False
    prefixes = _prefixes(tuple(ids))
    prefix = _letter_prefix(name)
    tail = name[len(prefix) :]
    if prefix.casefold() in prefixes and tail and _ID_TAIL.match(tail):
        return any(c.isdigit() for c in tail)
    return False


@functools.lru_cache(maxsize=32)
def _prefixes(ids: tuple[str, ...]) -> frozenset[str]:
    """The letter prefixes of ``ids``, folded: worked out once per rubric's ids, not once per
    header (a header of thousands of columns asks for each)."""
    return frozenset(_letter_prefix(i).casefold() for i in ids)


# A header that starts with an id and goes on in words: "P2.1.3.a Was domestic abuse ...",
# "P2.1.1 (engaging)", "P2.1.1: Were ...", an id, a line break and words. The id is the first
# word (up to a space, a bracket or a colon), without a closing dot, colon or dash.
_LEADING_WORD = re.compile(r"\s*([^\s(:]+?)[.:\-\u2013\u2014]*(?=[\s(:]|$)(.*)", re.DOTALL)


def leading_id(text: str) -> tuple[str, bool]:
    """A header's first word, and whether words follow it (``('P2.1.1', True)`` for
    ``P2.1.1 (engaging)``; ``('P2.1.1', False)`` for ``P2.1.1``)."""
    match = _LEADING_WORD.match(text)
    if match is None:
        return text.strip(), False
    return match.group(1), bool(match.group(2).strip(" \t\r\n.:-\u2013\u2014"))


# The words of a header, for ids named inside it: split at spaces, brackets and punctuation
# that never stands inside an id.
_WORDS = re.compile(r"[\s()\[\]{},;:'\"]+")
_TRAILING = ".:-\u2013\u2014"


def id_tails(ids: Sequence[str]) -> dict[str, str]:
    """Each id less its letter prefix (``2.1.1`` of ``P2.1.1``), by :func:`id_key`, to the
    id: how another numbering (2018's ``2.1.1``, ``KQ2.1.1``) names the same question.
    (Worked out once per rubric's ids; callers only read the mapping.)"""
    return _tails(tuple(ids))


@functools.lru_cache(maxsize=32)
def _tails(ids: tuple[str, ...]) -> dict[str, str]:
    return {id_key(i[len(_letter_prefix(i)) :]): i for i in ids if i[len(_letter_prefix(i)) :]}


@functools.lru_cache(maxsize=32)
def key_index(ids: tuple[str, ...]) -> dict[str, int]:
    """Each id's :func:`id_key` to its position in ``ids``: worked out once per rubric's ids.
    (Callers only read the mapping.)"""
    return {id_key(i): j for j, i in enumerate(ids)}


@functools.lru_cache(maxsize=32)
def _keys(ids: tuple[str, ...]) -> dict[str, str]:
    """Each id by its :func:`id_key`: worked out once per rubric's ids, not once per header.
    (Callers only read the mapping.)"""
    return {id_key(i): i for i in ids}


def mentioned_id(text: str, ids: Sequence[str], tails: dict[str, str] | None = None) -> str | None:
    """The id of ``ids`` a header names other than as its first word, or None: the header is an
    id less its prefix (``2.1.1``), or a word of it is an id (``KQ P2.1.1``), or a word ends
    with an id less its prefix of more than one number (``KQ2.1.1``, ``Q_2.1.1``; not
    ``12.1.1``). ``tails``: :func:`id_tails` of ``ids``, worked out once by the caller.

    Returns:
        The id, or None.

    Raises:
        Nothing of its own.
    """
    tails = id_tails(ids) if tails is None else tails
    whole = tails.get(id_key(text))
    if whole is not None:
        return whole
    keys = _keys(tuple(ids))
    for word in _WORDS.split(text):
        word = id_key(word.rstrip(_TRAILING))
        if not word:
            continue
        if word in keys:
            return keys[word]
        for start in range(len(word)):
            before = word[start - 1] if start else ""
            if word[start].isdigit() and not (before.isdigit() or before == "."):
                tail = word[start:]
                found = tails.get(tail)
                if found is not None and not tail.isalnum():
                    return found
    return None


def id_help(
    text: str, rubric: Rubric, taken: Collection[str] = (), *, guess: str | None = None
) -> str:
    """``(did you mean 'P2.1.3'? rubric ... has P1.1, ...)``: for an id the rubric lacks;
    ``guess`` when the id meant is known (else the nearest id no other column has ``taken``)."""
    ids = rubric.question_ids + rubric.prompt_ids
    guess = guess or suggest_id(text, ids, taken)
    hint = f"did you mean {guess!r}? " if guess else ""
    prompts = f" and prompts {short_list(rubric.prompt_ids, 3)}" if rubric.prompt_ids else ""
    return f"({hint}rubric {rubric.id!r} has {short_list(rubric.question_ids)}{prompts})"


def short_list(items: Sequence[str], limit: int = 6) -> str:
    """``items`` joined with commas, the first ``limit`` of them and a count past that."""
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])}, ... ({len(items)} in all)"
