"""Errors raised for bad rubrics, bad case judgments and bad published-figures files.

Every error is a :class:`ValueError` that renders as one line naming where the problem is
(file, line, key path, case, question) and what was expected or found. Functions that can
find several problems at once raise :class:`AuditErrors`, which holds them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

# Control characters (a newline in a key, a NUL in a file name) would break the one-line form.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _one_line(text: str) -> str:
    """``text`` with control characters written as escapes (``\\n``), so it stays one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


__all__ = [
    "MAX_ERRORS",
    "AuditError",
    "AuditErrors",
    "Hint",
    "JudgmentError",
    "MoreProblems",
    "ProblemCount",
    "ProblemSummary",
    "PublishedFiguresError",
    "RubricError",
]


class AuditError(ValueError):
    """One problem in one input, located as precisely as the input allows."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key_path: str | None = None,
        case_id: str | None = None,
        question_id: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.key_path = key_path
        self.case_id = case_id
        self.question_id = question_id
        super().__init__(self.render())

    def render(self) -> str:
        """The one-line form: ``source:line:column: key_path: case ..., question ...: message``."""
        where = ""
        if self.source is not None:
            where = _one_line(self.source)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        parts = [where] if where else []
        if self.key_path is not None:
            parts.append(_one_line(self.key_path))
        subject = []
        if self.case_id is not None:
            subject.append(f"case {self.case_id!r}")
        if self.question_id is not None:
            subject.append(f"question {self.question_id!r}")
        if subject:
            parts.append(", ".join(subject))
        parts.append(_one_line(" ".join(self.message.split())))
        return ": ".join(parts)

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments need help to survive pickling (multiprocessing, caching).
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[AuditError], message: str, fields: dict[str, object]) -> AuditError:
    error = cls.__new__(cls)
    ValueError.__init__(error, "")
    error.__dict__.update(fields)
    error.args = (error.render(),)
    return error


class RubricError(AuditError):
    """A rubric file or mapping is invalid."""


class JudgmentError(AuditError):
    """Case judgments are invalid: a bad value, an unknown question, a conflict, a gap."""


class PublishedFiguresError(AuditError):
    """A published-figures file is invalid."""


#: Problems listed for one input; past it they are counted ("... and 1,234 more problems").
MAX_ERRORS = 1000


class MoreProblems(JudgmentError):
    """The line that stands for problems found but not listed (past :data:`MAX_ERRORS`)."""

    def __init__(self, count: int, *, source: str | None = None) -> None:
        self.count = count
        super().__init__(
            f"... and {count:,} more problems ({MAX_ERRORS:,} are shown)", source=source
        )


#: More problems than this and the list opens with a line counting each kind.
SUMMARY_FROM = 20


@attrs.frozen
class ProblemCount:
    """How many problems of one kind were found, worded in the singular and plural, with
    their likely cause (or None)."""

    kind: str
    count: int
    one: str
    many: str
    cause: str | None = None

    def words(self) -> str:
        noun = self.one if self.count == 1 else self.many
        return f"{self.count:,} {noun}" + (f" ({self.cause})" if self.cause else "")


class ProblemSummary(JudgmentError):
    """The first line of a flood of problems: how many of each kind, with each kind's likely
    cause ("5,284 blank judgments (...)"); listed first, never counted as a problem."""

    def __init__(self, counts: Sequence[ProblemCount], *, source: str | None = None) -> None:
        self.counts = tuple(counts)
        total = sum(c.count for c in self.counts)
        super().__init__(
            f"{total:,} problems: " + "; ".join(c.words() for c in self.counts), source=source
        )

    def merged(self, other: ProblemSummary) -> ProblemSummary:
        """This summary and ``other`` (of the same source) as one: counts of a kind added."""
        by_kind = {c.kind: c for c in self.counts}
        for c in other.counts:
            mine = by_kind.get(c.kind)
            by_kind[c.kind] = c if mine is None else attrs.evolve(mine, count=mine.count + c.count)
        return ProblemSummary(list(by_kind.values()), source=self.source)


class Hint(JudgmentError):
    """A likely cause of the problems listed with it, said once ("hint: the frame's index is
    case_id: call reset_index()"): listed after any summary and before the problems, never
    counted as a problem. A ``general`` hint (what to do about any gap) follows the hints that
    name this input's own likely cause."""

    def __init__(self, text: str, *, source: str | None = None, general: bool = False) -> None:
        self.text = text
        self.general = general
        super().__init__(f"hint: {text}", source=source)


def _aside(error: AuditError) -> bool:
    """True for a line that is not itself a problem (a summary, a hint, a count of the rest)."""
    return isinstance(error, MoreProblems | ProblemSummary | Hint)


def capped(errors: Iterable[AuditError], source: str | None) -> list[AuditError]:
    """``errors`` with at most :data:`MAX_ERRORS` listed and one :class:`MoreProblems` line for
    the rest, the problems hidden by earlier caps included (never counted as problems).

    Returns:
        The problems to list, a :class:`MoreProblems` line last when any are left out.

    Raises:
        Nothing of its own.
    """
    found = list(errors)
    asides = [e for e in found if isinstance(e, ProblemSummary | Hint)]
    listed = [e for e in found if not _aside(e)]
    hidden = sum(e.count for e in found if isinstance(e, MoreProblems))
    if len(listed) > MAX_ERRORS:
        hidden += len(listed) - MAX_ERRORS
        listed = listed[:MAX_ERRORS]
    if hidden:
        listed.append(MoreProblems(hidden, source=source))
    return [*asides, *listed]


class AuditErrors(ValueError):
    """Every problem found in one input; ``str()`` gives one line per problem."""

    def __init__(self, errors: Iterable[AuditError]) -> None:
        found = _merge_summaries(list(errors))
        # In reading order: by source (in order of first mention), then by line; problems of
        # no line keep their place after the source's lines; a count of further problems last;
        # a summary of a flood first, then the hints (each once).
        sources: dict[str | None, int] = {}
        for e in found:
            sources.setdefault(e.source, len(sources))
        found.sort(
            key=lambda e: (
                not isinstance(e, ProblemSummary),
                not isinstance(e, Hint),
                isinstance(e, Hint) and e.general,
                isinstance(e, MoreProblems),
                sources[e.source],
                e.line is None,
                e.line or 0,
            )
        )
        self.errors: tuple[AuditError, ...] = tuple(found)
        if not self.errors:
            raise ValueError("AuditErrors needs at least one error")
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [error.render() for error in self.errors]

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.errors,))


def _merge_summaries(found: list[AuditError]) -> list[AuditError]:
    """``found`` with the summaries of one source merged into one (the groups of a national
    file each count their own) and each hint once (the parts of a file may each give it; a
    summary that gives it as a cause says it for them)."""
    summaries: dict[str | None, ProblemSummary] = {}
    rest: list[AuditError] = []
    hints: set[str] = set()
    for e in found:
        if isinstance(e, Hint):
            if e.text not in hints:
                hints.add(e.text)
                rest.append(e)
        elif isinstance(e, ProblemSummary):
            before = summaries.get(e.source)
            summaries[e.source] = e if before is None else before.merged(e)
        else:
            rest.append(e)
    # A hint the summary already gives as a kind's cause is said there alone.
    causes = {(s.source, c.cause) for s in summaries.values() for c in s.counts if c.cause}
    rest = [e for e in rest if not (isinstance(e, Hint) and (e.source, e.text) in causes)]
    return [*summaries.values(), *rest]
