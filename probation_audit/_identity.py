"""Which rubric a result was rated by: the file a rubric object was loaded from, and a short
fingerprint of its rules (two rubrics with the same id but other rules differ in it).

Pure: no file is read here. :mod:`probation_audit.loading` notes each file it loads
(:func:`note_file`); the engine stamps both on every result.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from typing import Any

from .rubric import Rubric

__all__ = ["note_file", "rubric_file", "rules_fingerprint"]


def note_file(rubric: Rubric, source: str) -> None:
    """Remember that ``rubric`` (this object, while it lives) was loaded from ``source``."""
    _FILES[id(rubric)] = (weakref.ref(rubric), source)
    weakref.finalize(rubric, _FILES.pop, id(rubric), None)


#: The file each loaded rubric object was read from, by ``id``, while the object lives.
_FILES: dict[int, tuple[weakref.ref[Rubric], str]] = {}


def rubric_file(rubric: Rubric) -> str | None:
    """The file ``rubric`` was loaded from, as :func:`load_rubric` was given it: a path, or a
    bundled rubric's file name followed by ``(bundled)``.

    Returns:
        The file's name, or None for a rubric not loaded from a file (built from a mapping or
        text, or changed since it was loaded).

    Raises:
        Nothing of its own.
    """
    known = _FILES.get(id(rubric))
    return known[1] if known is not None and known[0]() is rubric else None


#: Keys of a rubric's mapping that word or cite its rules but cannot change a rating.
_WORDS = frozenset(
    {"title", "text", "statement", "notes", "source", "status", "descriptor", "years"}
)

#: Each rubric object's fingerprint, by ``id``, while the object lives.
_FINGERPRINTS: dict[int, tuple[weakref.ref[Rubric], str]] = {}


def _rules(value: Any) -> Any:
    """``value`` (a rubric's mapping, or part of one) without the keys in :data:`_WORDS`."""
    if isinstance(value, dict):
        return {k: _rules(v) for k, v in value.items() if k not in _WORDS}
    if isinstance(value, list):
        return [_rules(v) for v in value]
    return value


def rules_fingerprint(rubric: Rubric) -> str:
    """A short fingerprint of ``rubric``'s rules: its ids, scales, bands, rounding,
    aggregations, overall rule, domains, threads and standards with their questions, without
    the words that cannot change a rating (titles, question text, sources, notes).

    Returns:
        Twelve hexadecimal digits, the same for two rubrics that rate every sample alike by
        the same rules, and (all but surely) different when a rule differs.

    Raises:
        Nothing of its own.
    """
    known = _FINGERPRINTS.get(id(rubric))
    if known is not None and known[0]() is rubric:
        return known[1]
    # worked out once per rubric object (every score call asks)
    canonical = json.dumps(_rules(rubric.to_mapping()), sort_keys=True, default=str)
    mine = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    _FINGERPRINTS[id(rubric)] = (weakref.ref(rubric), mine)
    weakref.finalize(rubric, _FINGERPRINTS.pop, id(rubric), None)
    return mine
