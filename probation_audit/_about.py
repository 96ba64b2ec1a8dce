"""What every output says about where its figures come from: the rubric that rated them (its
id, the file it was loaded from and a short fingerprint of its rules) and the notes each
reading made on the data (blank answers counted as 'not relevant', hidden or filtered-out rows
and columns read, repeated answers merged). When an output holds several audits (``compare``,
``trend``, ``agreement``), each audit's notes are named by its file.

One value, :class:`About`, made here once and taken by every writer: the commands' text,
JSON and CSV, the workbooks and the reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .loading import _bundled_difference, rubric_file, rules_fingerprint
from .results import Result, rubric_label
from .rubric import Rubric

__all__ = ["About"]

#: An audit's notes, with the name they are said under (its file), or None for an output of
#: one audit, whose notes need no name.
Audit = tuple[str | None, Sequence[str]]


def check_one_rubric(results: Sequence[Result]) -> None:
    """Results to be set side by side come from one rubric's rules: a ValueError naming the
    fingerprints when they share a rubric id but not its rules (a modified copy of a bundled
    rubric beside the bundled one). Results of other ids are the caller's to word."""
    rules = {r.rubric_fingerprint for r in results if r.rubric_fingerprint}
    if len(rules) > 1:
        raise ValueError(
            f"the audits use rubrics with the id {results[0].rubric!r} but different rules "
            f"(fingerprints {', '.join(sorted(rules))}): rate them by one rubric file"
        )


@attrs.frozen
class About:
    """The rubric an output's figures come from and the notes on their data.

    ``notes`` start with the rubric's own (a bundled id with other rules, said once however
    many audits an output holds), then each audit's, named ``"FILE: note"`` when the output
    holds several; a note said alike twice under one name is said once.
    """

    rubric: str
    rubric_file: str | None = None
    rubric_fingerprint: str | None = None
    notes: tuple[str, ...] = ()

    @classmethod
    def of_rubric(cls, rubric: Rubric, audits: Iterable[Audit] = ()) -> About:
        """About the outputs of ``rubric`` on ``audits`` (each a name, or None, and the notes of
        a sample it read) that rate nothing (``feedback``, ``agreement``)."""
        return cls._of(rubric.id, rubric_file(rubric), rules_fingerprint(rubric), audits)

    @classmethod
    def of_result(cls, result: Result) -> About:
        """About one result: its rubric and its notes."""
        return cls.of_results([result])

    @classmethod
    def of_results(cls, results: Sequence[Result], names: Sequence[str] | None = None) -> About:
        """About results of one rubric (the first one's file and fingerprint): each result's
        notes named by ``names`` (one per result), or unnamed when none are given.

        Raises:
            ValueError: there is no result, or ``names`` does not name each result.
        """
        if not results:
            raise ValueError("no result to say where it comes from")
        if names is not None and len(names) != len(results):
            raise ValueError(f"give one name per result ({len(results)}), got {len(names)}")
        first = results[0]
        named = [None] * len(results) if names is None else list(names)
        return cls._of(
            first.rubric,
            first.rubric_file,
            first.rubric_fingerprint,
            zip(named, (r.notes for r in results), strict=True),
        )

    @classmethod
    def _of(
        cls, rubric: str, file: str | None, fingerprint: str | None, audits: Iterable[Audit]
    ) -> About:
        own = None if fingerprint is None else _bundled_difference(rubric, fingerprint)
        notes = [] if own is None else [own]
        for name, said in audits:
            for note in said:
                line = note if name is None else f"{name}: {note}"
                if note != own and line not in notes:
                    notes.append(line)
        return cls(rubric, file, fingerprint, tuple(notes))

    @property
    def rubric_label(self) -> str:
        """The rubric's id with its file and rules' fingerprint, as every heading names it
        (:attr:`Result.rubric_label <probation_audit.results.Result.rubric_label>`)."""
        return rubric_label(self.rubric, self.rubric_file, self.rubric_fingerprint)

    def to_dict(self) -> dict[str, Any]:
        """The keys every JSON output carries: ``rubric``, ``rubric_file``,
        ``rubric_fingerprint`` and ``notes``."""
        return {
            "rubric": self.rubric,
            "rubric_file": self.rubric_file,
            "rubric_fingerprint": self.rubric_fingerprint,
            "notes": list(self.notes),
        }
