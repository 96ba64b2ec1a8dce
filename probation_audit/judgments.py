"""Case judgments: each sampled case's yes / no / not relevant answer to each key question.

A :class:`Sample` holds them as a read-only code array, cases by questions. This module holds
the sample, the accepted spellings, and the builders for in-memory inputs (long records, a
wide mapping); a numpy code array is decoded by :mod:`~probation_audit._arrays` and read by
:func:`~probation_audit.reading.from_array`; files and data frames are read by the format readers
(:mod:`~probation_audit._tables`, :mod:`~probation_audit._csvfiles`,
:mod:`~probation_audit.excel`, :mod:`~probation_audit._frames`), all of which build a sample
here. Every bad row or cell is reported, never dropped: the builders raise
:class:`~probation_audit.errors.AuditErrors` listing them all.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from ._display import html_table, html_value
from ._names import id_help, id_key, key_index
from ._names import short_list as _short_list
from ._shims import moved_names
from .errors import (
    MAX_ERRORS,
    SUMMARY_FROM,
    AuditError,
    AuditErrors,
    Hint,
    JudgmentError,
    MoreProblems,
    ProblemCount,
    ProblemSummary,
)
from .rubric import Rubric

__all__ = [
    "MISSING_CHOICES",
    "SPELLINGS",
    "Judgment",
    "Missing",
    "Sample",
    "from_records",
    "from_wide",
    "parse_judgment",
]

#: ``judgments.from_array`` (a code array is decoded and validated as the readers do, so it
#: lives in :mod:`probation_audit.reading`) still resolves, with a warning, until 0.3.
__getattr__ = moved_names(__name__)

Missing = Literal["error", "not-relevant"]
MISSING_CHOICES: tuple[Missing, ...] = ("error", "not-relevant")


def check_missing(missing: object) -> None:
    """Check the ``missing`` option every reader takes.

    Raises:
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``.
    """
    if missing not in MISSING_CHOICES:
        raise ValueError(f"missing must be one of {MISSING_CHOICES}, not {missing!r}")


class Judgment(enum.IntEnum):
    """An inspector's answer for one case and one key question; the value is its array code."""

    NOT_RELEVANT = -1
    NO = 0
    YES = 1

    def __str__(self) -> str:
        return _NAMES[self]


_NAMES = {Judgment.YES: "yes", Judgment.NO: "no", Judgment.NOT_RELEVANT: "not relevant"}

#: Accepted spellings, compared after case-folding and collapsing white space.
SPELLINGS: Mapping[str, Judgment] = {
    "yes": Judgment.YES,
    "y": Judgment.YES,
    "no": Judgment.NO,
    "n": Judgment.NO,
    "not relevant": Judgment.NOT_RELEVANT,
    "not applicable": Judgment.NOT_RELEVANT,
    "n/a": Judgment.NOT_RELEVANT,
    "na": Judgment.NOT_RELEVANT,
    "nr": Judgment.NOT_RELEVANT,
}

# Exact-match fast path for the spellings people type most; anything else is normalised.
_FAST: dict[str, int] = {}
for _text, _judgment in SPELLINGS.items():
    for _variant in (_text, _text.upper(), _text.capitalize(), _text.title()):
        _FAST[_variant] = int(_judgment)

_MISSING_CODE = -2  # internal: no answer seen yet
MISSING_HINT = (
    "answer 'not relevant', or treat missing answers as not relevant: "
    "on the command line --missing not-relevant (in Python, missing='not-relevant')"
)
# Byte codes for the vectorised CSV path: a judgment's code plus one, 255 for anything else.
_BYTE: dict[str, int] = {text: code + 1 for text, code in _FAST.items()}
_NOT_A_JUDGMENT = 255
# In the wide layout a blank cell is no answer (an error for a key question, 'not relevant'
# for a prompt): byte 3, decoded to the missing code.
_BYTE_WIDE: dict[str, int] = {**_BYTE, "": 3}
# Case ids that are a spreadsheet's summary rows, not cases.
_SUMMARY = re.compile(
    r"^(grand\s+)?(total|totals|sum|subtotal|average|mean|count|percent|percentage|%|overall)"
    r"(?![a-z0-9_])",
    re.IGNORECASE,
)


def summary_row(case_id: str) -> bool:
    """True for a case id like 'Total' or 'Average': a spreadsheet's summary row."""
    return bool(_SUMMARY.match(case_id.strip()))


_SUMMARY_ANY = re.compile(r"^\s*" + _SUMMARY.pattern.lstrip("^"), re.IGNORECASE | re.MULTILINE)


def any_summary_row(case_ids: Sequence[str]) -> bool:
    """True when some id is a summary row: one C-level pass over them all (ids hold no
    newline: a CSV cell with one is read by the row path)."""
    return bool(_SUMMARY_ANY.search("\n".join(case_ids)))


def _answer_ids(rubric: Rubric) -> tuple[str, ...]:
    """Key questions, then prompts: the columns a case's answers fill."""
    return rubric.question_ids + rubric.prompt_ids


def _sample_from_full(
    rubric: Rubric,
    case_ids: tuple[str, ...],
    full: npt.NDArray[np.int8],
    attribute_names: tuple[str, ...] = (),
    attributes: tuple[tuple[str, ...], ...] = (),
    source: str | None = None,
    notes: tuple[str, ...] = (),
) -> Sample:
    """Split answers into key questions and prompts; an unanswered prompt is not relevant."""
    nq = len(rubric.question_ids)
    prompts = full[:, nq:].copy()
    prompts[prompts == _MISSING_CODE] = int(Judgment.NOT_RELEVANT)
    return Sample(
        question_ids=rubric.question_ids,
        case_ids=case_ids,
        codes=full[:, :nq],
        attribute_names=attribute_names,
        attributes=attributes,
        source=source,
        prompt_ids=rubric.prompt_ids,
        prompt_codes=prompts,
        notes=notes,
    )


def _blank_note(
    case_ids: Sequence[str], question_ids: Sequence[str], gaps: npt.NDArray[np.bool_]
) -> str | None:
    """The note on the key questions' blank answers counted as 'not relevant' (cases by
    questions ``gaps``): how many, and where, question by question; None when there are none.

    Returns:
        One line, such as "3 blank answers to key questions were counted as 'not relevant'
        (missing: not-relevant): S2.1 in 2 cases (C1, C4); S1.1 in case C7", or None.
    """
    count = int(np.count_nonzero(gaps))
    if not count:
        return None
    where = []
    for j in np.flatnonzero(gaps.any(axis=0)).tolist():
        cases = [case_ids[i] for i in np.flatnonzero(gaps[:, j])[:7].tolist()]
        n = int(np.count_nonzero(gaps[:, j]))
        if n == 1:
            where.append(f"{question_ids[j]} in case {cases[0]}")
        else:
            shown = ", ".join(cases[:6]) + (", ..." if n > 6 else "")
            where.append(f"{question_ids[j]} in {n:,} cases ({shown})")
    return (
        f"{count:,} blank {_plural(count, 'answer')} to key questions "
        f"{'was' if count == 1 else 'were'} counted as 'not relevant' (missing: not-relevant): "
        + "; ".join(where[:6])
        + (f"; ... ({len(where)} questions in all)" if len(where) > 6 else "")
    )


def parse_judgment(value: object) -> Judgment | None:
    """The judgment ``value`` spells, or None. Accepts a :class:`Judgment` or a spelling.

    Returns:
        The :class:`Judgment`, or None when ``value`` is neither a judgment nor text that spells
        one.

    Raises:
        Nothing of its own: a value of any other type gives None.
    """
    if isinstance(value, Judgment):
        return value
    if not isinstance(value, str):
        return None
    code = _FAST.get(value)
    if code is None:
        code_j = SPELLINGS.get(" ".join(value.split()).casefold())
        return code_j
    return Judgment(code)


def _spelling_hint() -> str:
    return ", ".join(repr(s) for s in SPELLINGS)


@attrs.frozen(eq=False)
class Sample:
    """Judgments for a set of cases: a read-only code array, cases by questions.

    Codes are :class:`Judgment` values: 1 yes, 0 no, -1 not relevant.
    """

    question_ids: tuple[str, ...]
    case_ids: tuple[str, ...]
    codes: npt.NDArray[np.int8] = attrs.field(repr=False)
    attribute_names: tuple[str, ...] = ()
    attributes: tuple[tuple[str, ...], ...] = ()
    source: str | None = None
    #: prompts (sub-questions) answered under the key questions; never rated
    prompt_ids: tuple[str, ...] = ()
    prompt_codes: npt.NDArray[np.int8] | None = attrs.field(default=None, repr=False)
    #: what reading the input did that a reader should know (repeated answers merged)
    notes: tuple[str, ...] = ()
    #: case id -> row, built on first lookup
    _rows: dict[str, int] | None = attrs.field(init=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        codes = np.array(self.codes, dtype=np.int8, copy=True)
        codes.setflags(write=False)
        object.__setattr__(self, "codes", codes)
        if self.prompt_codes is None:
            prompt_codes = np.full((len(self.case_ids), len(self.prompt_ids)), -1, dtype=np.int8)
        else:
            prompt_codes = np.array(self.prompt_codes, dtype=np.int8, copy=True)
        prompt_codes.setflags(write=False)
        object.__setattr__(self, "prompt_codes", prompt_codes)
        if prompt_codes.shape != (len(self.case_ids), len(self.prompt_ids)):
            raise ValueError("prompt codes need one row per case and one column per prompt")
        if prompt_codes.size and (prompt_codes.min() < -1 or prompt_codes.max() > 1):
            raise ValueError("prompt codes must be 1 (yes), 0 (no) or -1 (not relevant)")
        if codes.shape != (len(self.case_ids), len(self.question_ids)):
            raise ValueError(
                f"codes have shape {codes.shape}, expected "
                f"({len(self.case_ids)}, {len(self.question_ids)})"
            )
        if codes.size and (codes.min() < -1 or codes.max() > 1):
            raise ValueError("codes must be 1 (yes), 0 (no) or -1 (not relevant)")
        if len(set(self.case_ids)) != len(self.case_ids):
            raise ValueError("case ids must be unique")
        if self.attributes and len(self.attributes) != len(self.case_ids):
            raise ValueError("attributes need one row per case")
        if not self.attributes and self.attribute_names:
            object.__setattr__(
                self, "attributes", tuple(("",) * len(self.attribute_names) for _ in self.case_ids)
            )
        if self.attributes and set(map(len, self.attributes)) != {len(self.attribute_names)}:
            raise ValueError("each attribute row needs one value per attribute name")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sample):
            return NotImplemented
        return (
            self.question_ids == other.question_ids
            and self.case_ids == other.case_ids
            and self.attribute_names == other.attribute_names
            and self.attributes == other.attributes
            and bool(np.array_equal(self.codes, other.codes))
            and self.prompt_ids == other.prompt_ids
            and bool(np.array_equal(self._prompts(), other._prompts()))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        prompts = f" and {len(self.prompt_ids)} prompts" if self.prompt_ids else ""
        attributes = (
            f", attributes {', '.join(self.attribute_names)}" if self.attribute_names else ""
        )
        where = "" if self.source is None else f", from {self.source}"
        return (
            f"<Sample: {len(self.case_ids):,} cases x {len(self.question_ids)} key "
            f"questions{prompts}{attributes}{where}>"
        )

    def _repr_html_(self) -> str:
        """A notebook's table: each key question's 'yes' of its relevant cases (the share, to
        one place), the sample's source, attributes and notes above it."""
        rows = [
            [qid, yes, relevant, f"{100 * yes / relevant:.1f}%" if relevant else "-"]
            for qid, (yes, relevant) in self.tally().items()
        ]
        facts = [
            f"from {self.source}" if self.source is not None else "",
            f"attributes: {', '.join(self.attribute_names)}" if self.attribute_names else "",
            *(f"note: {note}" for note in self.notes),
        ]
        return html_value(
            f"Sample: {len(self.case_ids):,} cases x {len(self.question_ids)} key questions",
            [fact for fact in facts if fact],
            html_table(["Key question", "Yes", "Relevant", "% yes"], rows, shown=len(rows)),
        )

    def __len__(self) -> int:
        return len(self.case_ids)

    def _row(self, case_id: str) -> int:
        index = self._rows
        if index is None:
            index = {c: i for i, c in enumerate(self.case_ids)}
            object.__setattr__(self, "_rows", index)
        try:
            return index[case_id]
        except KeyError:
            raise KeyError(f"no case {case_id!r} in the sample") from None

    def answer(self, case_id: str, question_id: str) -> Judgment:
        """The judgment of one case on one key question (KeyError for an unknown id)."""
        try:
            column = self.question_ids.index(question_id)
        except ValueError:
            raise KeyError(f"no key question {question_id!r} in the sample") from None
        return Judgment(int(self.codes[self._row(case_id), column]))

    def attribute(self, case_id: str, name: str) -> str:
        """A case's value of one attribute (KeyError for an unknown case or attribute)."""
        if name not in self.attribute_names:
            raise KeyError(
                f"no case attribute {name!r} (attributes: {', '.join(self.attribute_names) or 'none'})"
            )
        return self.attributes[self._row(case_id)][self.attribute_names.index(name)]

    def subset(self, rows: Sequence[int]) -> Sample:
        """The cases at ``rows`` (positions), in that order."""
        index = list(rows)
        if not self.notes and index == list(range(len(self.case_ids))):
            return self  # every case, in order: the sample itself (it is immutable)
        return Sample(
            question_ids=self.question_ids,
            case_ids=tuple(self.case_ids[i] for i in index),
            codes=self.codes[index]
            if index
            else np.zeros((0, len(self.question_ids)), dtype=np.int8),
            attribute_names=self.attribute_names,
            attributes=tuple(self.attributes[i] for i in index) if self.attributes else (),
            source=self.source,
            prompt_ids=self.prompt_ids,
            prompt_codes=self._prompts()[index] if index else None,
        )

    def _prompts(self) -> npt.NDArray[np.int8]:
        assert self.prompt_codes is not None  # set in __attrs_post_init__
        return self.prompt_codes

    def prompt_tally(self) -> dict[str, tuple[int, int]]:
        """Per prompt, ``(yes, relevant)`` counts; an unanswered prompt is not relevant."""
        codes = self._prompts()
        yes = (codes == int(Judgment.YES)).sum(axis=0)
        relevant = (codes != int(Judgment.NOT_RELEVANT)).sum(axis=0)
        return {
            pid: (int(y), int(r))
            for pid, y, r in zip(self.prompt_ids, yes.tolist(), relevant.tolist(), strict=True)
        }

    def answered_no(self) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
        """Per case, in order: (case id, key questions answered No, prompts answered No): the
        feedback view (with the wording, :func:`probation_audit._feedback.case_feedback`)."""
        no = int(Judgment.NO)
        prompts = self._prompts()
        return tuple(
            (
                case_id,
                tuple(q for j, q in enumerate(self.question_ids) if self.codes[i, j] == no),
                tuple(p for j, p in enumerate(self.prompt_ids) if prompts[i, j] == no),
            )
            for i, case_id in enumerate(self.case_ids)
        )

    def groups(self, attribute: str) -> dict[str, Sample]:
        """The sample split by the values of one case attribute, in sorted order of the values
        (so that output never depends on the order of the rows)."""
        if attribute not in self.attribute_names:
            known = ", ".join(self.attribute_names) or "none"
            raise KeyError(f"no case attribute {attribute!r} (attributes: {known})")
        column = self.attribute_names.index(attribute)
        positions: dict[str, list[int]] = {}
        for i, row in enumerate(self.attributes):
            positions.setdefault(row[column], []).append(i)
        return {value: self.subset(positions[value]) for value in sorted(positions)}

    def tally(self) -> dict[str, tuple[int, int]]:
        """Per question, ``(yes, relevant)`` counts."""
        yes = (self.codes == int(Judgment.YES)).sum(axis=0)
        relevant = (self.codes != int(Judgment.NOT_RELEVANT)).sum(axis=0)
        return {
            qid: (int(y), int(r))
            for qid, y, r in zip(self.question_ids, yes.tolist(), relevant.tolist(), strict=True)
        }

    def to_records(self) -> list[dict[str, str]]:
        """Long records, one per case and question, with the case's attributes."""
        out: list[dict[str, str]] = []
        for i, case_id in enumerate(self.case_ids):
            extra = (
                dict(zip(self.attribute_names, self.attributes[i], strict=True))
                if self.attribute_names
                else {}
            )
            for j, pid in enumerate(self.prompt_ids):
                code = int(self._prompts()[i, j])
                if code != int(Judgment.NOT_RELEVANT):
                    out.append(
                        {
                            "case_id": case_id,
                            "question_id": pid,
                            "judgment": str(Judgment(code)),
                            **extra,
                        }
                    )
            for j, qid in enumerate(self.question_ids):
                out.append(
                    {
                        "case_id": case_id,
                        "question_id": qid,
                        "judgment": str(Judgment(int(self.codes[i, j]))),
                        **extra,
                    }
                )
        return out


# -- building a sample ----------------------------------------------------------------------


def case_id_problem(case_id: object) -> str | None:
    """What is wrong with a case id that is not text with something in it; None for one that
    is (every reader's one wording)."""
    if isinstance(case_id, str) and case_id.strip():
        return None
    found = "blank" if isinstance(case_id, str) else f"{type(case_id).__name__} {case_id!r}"
    return f"case_id must be a non-empty string, found {found}"


def question_id_problem(question_id: object) -> str | None:
    """What is wrong with a question id that is not text; None for text (which may still
    name no question)."""
    if isinstance(question_id, str):
        return None
    return f"question id must be text, found {type(question_id).__name__} {question_id!r}"


class _Builder:
    """Collects answers cell by cell, with locations for errors, then checks completeness."""

    def __init__(self, rubric: Rubric, missing: Missing, source: str | None) -> None:
        check_missing(missing)
        self.rubric = rubric
        self.missing = missing
        self.source = source
        self.answer_ids = _answer_ids(rubric)
        self.keys = len(rubric.question_ids)
        self.question_index = {qid: j for j, qid in enumerate(self.answer_ids)}
        self.question_keys = key_index(self.answer_ids)  # shared: only read
        self.case_index: dict[str, int] = {}
        self.rows: list[list[int]] = []
        self.attribute_names: list[str] = []
        self._attribute_seen: set[str] = set()  # the names above, looked up in constant time
        self.attribute_rows: list[dict[str, str]] = []
        self.errors: list[AuditError] = []
        # Cells already reported (invalid value): not reported again as missing.
        self.reported: set[tuple[int, int]] = set()
        # Set when the input could not be read to its end: gaps then say nothing useful.
        self.truncated = False
        # Questions with no column at all: reported once for the file, not once per case.
        self.absent_columns: set[int] = set()
        # Where each case was first seen (line, or record key path), for its gaps' errors.
        self.case_lines: list[int | None] = []
        self.case_paths: list[str | None] = []
        # Where each answer given through answer() came from, to name both rows of a conflict.
        self.cell_lines: dict[tuple[int, int], int] = {}
        # Lines of answers given again identically: merged, and said so in the notes.
        self.repeated: list[int | None] = []
        # Errors past the cap are counted, not kept.
        self.suppressed = 0
        # Why the input may have lost answers (a data frame's NaN), added to gap errors.
        self.gap_hint: str | None = None
        # Problems found, by kind (listed or not), and the distinct values of some kinds
        # (unknown ids, invalid judgments), for the line that opens a flood of them.
        self.kinds: dict[str, int] = {}
        self.seen: dict[str, dict[str, None]] = {}
        # Each unknown id's "did you mean", worked out once.
        self.id_helps: dict[str, str] = {}

    def fail(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        key_path: str | None = None,
        case_id: str | None = None,
        question_id: str | None = None,
        kind: str = "other",
    ) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if self.full():
            self.suppressed += 1
            return
        self.errors.append(
            JudgmentError(
                message,
                source=self.source,
                line=line,
                column=column,
                key_path=key_path,
                case_id=case_id,
                question_id=question_id,
            )
        )

    def full(self) -> bool:
        """True once as many problems are listed as are shown: the rest are only counted."""
        return len(self.errors) >= MAX_ERRORS

    def count(self, kind: str, n: int) -> None:
        """``n`` problems of ``kind`` found and not listed (past the cap)."""
        if n:
            self.kinds[kind] = self.kinds.get(kind, 0) + n
            self.suppressed += n

    def case(
        self,
        case_id: object,
        *,
        line: int | None = None,
        column: int | None = None,
        key_path: str | None = None,
    ) -> int | None:
        """The index of a case (added on first sight), or None for an id that is refused:
        blank, not text, or a summary row. ``column``: the case id's 1-based column, so a
        workbook's error names the cell."""
        problem = case_id_problem(case_id)
        if problem is not None:
            self.fail(problem, line=line, column=column, key_path=key_path, kind="case id")
            return None
        assert isinstance(case_id, str)
        case_id = case_id.strip()
        index = self.case_index.get(case_id)
        if index is None and summary_row(case_id):
            self.fail(
                f"case_id {case_id!r} looks like a summary row, not a case "
                "(delete totals and averages from below the cases)",
                line=line,
                column=column,
                key_path=key_path,
            )
            return None
        if index is None:
            index = len(self.rows)
            self.case_index[case_id] = index
            self.rows.append([_MISSING_CODE] * len(self.question_index))
            self.attribute_rows.append({})
            self.case_lines.append(line)
            self.case_paths.append(key_path)
        return index

    def question(
        self,
        question_id: object,
        *,
        case_id: str | None = None,
        line: int | None = None,
        key_path: str | None = None,
    ) -> int | None:
        index = self.question_index.get(question_id) if isinstance(question_id, str) else None
        if index is None:
            if isinstance(question_id, str):
                index = self.question_keys.get(id_key(question_id))
                if index is not None:
                    return index
                shown = question_id.strip()
                self.seen.setdefault("unknown id", {})[shown] = None
                if self.full():
                    self.count("unknown id", 1)
                    return None
                if shown not in self.id_helps:
                    self.id_helps[shown] = id_help(shown, self.rubric)
                message = f"unknown question id {shown!r} {self.id_helps[shown]}"
            else:
                message = question_id_problem(question_id) or ""
            self.fail(message, line=line, key_path=key_path, case_id=case_id, kind="unknown id")
        return index

    def answer(
        self,
        row: int,
        column: int,
        value: object,
        *,
        case_id: str,
        question_id: str,
        line: int | None = None,
        key_path: str | None = None,
    ) -> None:
        judgment = parse_judgment(value)
        if judgment is None:
            if isinstance(value, str) and not value.strip():
                return  # blank: no answer, checked with the other gaps
            self.reported.add((row, column))
            self.seen.setdefault("invalid", {})[repr(value)] = None
            boolean = isinstance(value, str) and value.strip().casefold() in ("true", "false")
            self.fail(
                f"invalid judgment {value!r} ("
                + ("a TRUE/FALSE cell cannot say 'not relevant'; " if boolean else "")
                + f"expected one of {_spelling_hint()}, any case)",
                line=line,
                key_path=key_path,
                case_id=case_id,
                question_id=question_id,
                kind="invalid",
            )
            return
        code = int(judgment)
        previous = self.rows[row][column]
        if previous == _MISSING_CODE:
            self.rows[row][column] = code
            if line is not None:
                self.cell_lines[(row, column)] = line
        elif previous != code:
            before = self.cell_lines.get((row, column), self.case_lines[row])
            where = "" if before is None or line is None else f" (line {before})"
            now = "" if before is None or line is None else f" (line {line})"
            self.fail(
                f"answered twice with different judgments: {Judgment(previous)}{where} and then {Judgment(code)}{now}",
                line=line,
                key_path=key_path,
                case_id=case_id,
                question_id=question_id,
                kind="conflict",
            )
        else:
            self.repeated.append(line)

    def attribute_name(self, name: str) -> None:
        """An attribute column, in the order first seen (once however often it is named)."""
        if name not in self._attribute_seen:
            self._attribute_seen.add(name)
            self.attribute_names.append(name)

    def attribute(
        self, row: int, name: str, value: str, *, case_id: str, line: int | None = None
    ) -> None:
        self.attribute_name(name)
        known = self.attribute_rows[row]
        if name in known and known[name] != value:
            self.fail(
                f"attribute {name!r} given twice with different values: {known[name]!r} and then {value!r}",
                line=line,
                case_id=case_id,
            )
        else:
            known[name] = value

    def _report_gaps(self, gaps: npt.NDArray[np.bool_]) -> None:
        """Each case with key questions unanswered, located; or, when no case has any answer
        and nothing else is wrong (a template not filled in yet), that alone, in one line."""
        case_ids = list(self.case_index)
        if not self.errors and not self.kinds and gaps[:, : self.keys].all():
            n = len(case_ids)
            cases = "the one case has" if n == 1 else f"none of the {n:,} cases has"
            self.fail(
                f"no judgments yet: {cases} an answer to any key question "
                "(fill in yes, no or not relevant for each case)",
                kind="unanswered",
            )
            return
        qids = self.rubric.question_ids
        cases_with_gaps = np.flatnonzero(gaps.any(axis=1)).tolist()
        room = max(MAX_ERRORS - len(self.errors), 0)
        self.count("gap", len(cases_with_gaps[room:]))  # past the cap: counted, not worded
        # What to do about a gap is said once, beside them all (a blank template would
        # otherwise repeat it on every case); never when rows name ids the rubric lacks, whose
        # answers the gaps may be (no option that drops data for that).
        if not self.kinds.get("unknown id"):
            self.errors.append(Hint(MISSING_HINT, source=self.source, general=True))
        if self.gap_hint:
            self.errors.append(Hint(self.gap_hint, source=self.source))
        for i in cases_with_gaps[:room]:
            absent = [qids[j] for j in np.flatnonzero(gaps[i]).tolist()]
            self.fail(
                f"no answer for {_plural(len(absent), 'question')} {', '.join(absent)}",
                line=self.case_lines[i] if i < len(self.case_lines) else None,
                key_path=self.case_paths[i] if i < len(self.case_paths) else None,
                case_id=case_ids[i],
                question_id=absent[0] if len(absent) == 1 else None,
                kind="gap",
            )

    def finish(self, *, extra_errors: Sequence[AuditError] = ()) -> Sample:
        self.errors.extend(extra_errors)
        if not self.rows and not self.errors:
            self.fail("no case judgments found")
        codes = np.array(self.rows, dtype=np.int8).reshape(len(self.rows), len(self.question_index))
        gaps = codes == _MISSING_CODE
        gaps[:, self.keys :] = False  # an unanswered prompt is simply not relevant
        blanks: str | None = None
        for i, j in self.reported:
            gaps[i, j] = False
        if self.absent_columns and self.missing == "error":
            gaps[:, sorted(self.absent_columns)] = False
        if gaps.any() and not self.truncated:
            if self.missing == "not-relevant":
                codes[gaps] = int(Judgment.NOT_RELEVANT)
                blanks = _blank_note(
                    list(self.case_index), self.rubric.question_ids, gaps[:, : self.keys]
                )
            else:
                self._report_gaps(gaps)
        self.kinds["other"] = self.kinds.get("other", 0) + len(extra_errors)
        if sum(self.kinds.values()) > SUMMARY_FROM:
            self.errors.append(problem_summary(self))
        if self.suppressed:
            self.errors.append(MoreProblems(self.suppressed, source=self.source))
        if self.errors:
            raise AuditErrors(self.errors)
        names = tuple(self.attribute_names)
        attributes = tuple(tuple(row.get(n, "") for n in names) for row in self.attribute_rows)
        notes: tuple[str, ...] = () if blanks is None else (blanks,)
        if self.repeated:
            lines = [str(n) for n in sorted({n for n in self.repeated if n is not None})]
            shown = f" ({_plural(len(lines), 'line')} {_short_list(lines)})" if lines else ""
            notes += (
                f"{len(self.repeated)} {_plural(len(self.repeated), 'answer')} given again with "
                f"the same judgment {'was' if len(self.repeated) == 1 else 'were'} counted once{shown}",
            )
        return _sample_from_full(
            self.rubric,
            tuple(self.case_index),
            codes,
            names,
            attributes if names else (),
            self.source,
            notes,
        )


#: Each kind of problem: its noun in the singular and plural, and its likely cause.
_KINDS = {
    "unknown id": ("row names a question id the rubric lacks", "rows name question ids the rubric lacks"),
    "unknown column": ("column is named like an id the rubric lacks", "columns are named like ids the rubric lacks"),
    "invalid": ("cell is not a judgment", "cells are not a judgment"),
    "blank": ("blank judgment", "blank judgments"),
    "gap": ("case lacks answers", "cases lack answers"),
    "unanswered": ("file has no judgments yet", "files have no judgments yet"),
    "case id": ("row has no case id", "rows have no case id"),
    "conflict": ("answer is given twice with different judgments", "answers are given twice with different judgments"),
    "other": ("other problem", "other problems"),
}  # fmt: skip


def problem_summary(builder: _Builder) -> ProblemSummary:
    """The line that opens a flood of problems: each kind counted, with its likely cause."""
    rubric = builder.rubric

    def values(kind: str) -> str:
        return _short_list(list(builder.seen.get(kind, {})), 3)

    blank = builder.gap_hint or "answer 'not relevant', or use --missing not-relevant"
    causes = {
        "unknown id": f"{values('unknown id')}; is the file for another rubric than {rubric.id!r}?",
        "unknown column": f"is the file for another rubric than {rubric.id!r}?",
        "invalid": f"{values('invalid')}; expected yes, no or not relevant",
        "blank": blank,
        "gap": (
            "their answers may be the rows naming ids the rubric lacks"
            if builder.kinds.get("unknown id")
            else blank
        ),
    }
    # The likely cause first: ids the rubric lacks explain the gaps they leave; then by count.
    counts = [
        ProblemCount(kind, n, *_KINDS.get(kind, _KINDS["other"]), causes.get(kind))
        for kind, n in sorted(
            builder.kinds.items(), key=lambda item: (item[0] not in _ROOT_KINDS, -item[1])
        )
        if n
    ]
    return ProblemSummary(counts, source=builder.source)


#: Kinds of problem that explain others (an id the rubric lacks leaves its question unanswered).
_ROOT_KINDS = frozenset({"unknown id", "unknown column"})


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def from_records(
    records: Iterable[Mapping[str, Any]],
    rubric: Rubric,
    *,
    missing: Missing = "error",
    source: str | None = None,
) -> Sample:
    """Long records: mappings with ``case_id``, ``question_id`` and ``judgment``.

    Any other key is a case attribute (``sentence_type``), which must agree across a case's rows.

    Returns:
        The :class:`Sample`, cases in order of first appearance.

    Raises:
        AuditErrors: a record is not a mapping or lacks a key, names a blank or summary-row case or
            an unknown question, gives an invalid or conflicting judgment or a conflicting
            attribute; a key question has no answer (with ``missing='error'``); or there are no
            records. Every problem is listed, each a :class:`~probation_audit.errors.JudgmentError`
            at ``records[n]``.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``.
    """
    builder = _Builder(rubric, missing, source)
    for n, record in enumerate(records):
        path = f"records[{n}]"
        if not isinstance(record, Mapping):
            builder.fail(f"expected a mapping, found {type(record).__name__}", key_path=path)
            continue
        absent = [k for k in ("case_id", "question_id", "judgment") if k not in record]
        if absent:
            builder.fail(f"missing {', '.join(map(repr, absent))}", key_path=path)
            continue
        row = builder.case(record["case_id"], key_path=path)
        if row is None:
            continue
        case_id = str(record["case_id"]).strip()
        column = builder.question(record["question_id"], case_id=case_id, key_path=path)
        if column is None:
            continue
        qid = builder.answer_ids[column]
        builder.answer(
            row, column, record["judgment"], case_id=case_id, question_id=qid, key_path=path
        )
        for key, value in record.items():
            if key not in ("case_id", "question_id", "judgment"):
                builder.attribute(
                    row, str(key), "" if value is None else str(value), case_id=case_id
                )
    return builder.finish()


def from_wide(
    cases: Mapping[str, Mapping[str, Any]],
    rubric: Rubric,
    *,
    missing: Missing = "error",
    attributes: Mapping[str, Mapping[str, str]] | None = None,
    source: str | None = None,
) -> Sample:
    """A mapping case id -> question id -> judgment; ``attributes`` case id -> name -> value.

    Returns:
        The :class:`Sample`, cases in the mapping's order.

    Raises:
        AuditErrors: a case id is blank or a summary row, a case's answers are not a mapping, a
            question id is unknown, a judgment is invalid, a key question has no answer (with
            ``missing='error'``), attributes are given for a case with no judgments, or there are no
            cases. Every problem is listed.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``.
    """
    builder = _Builder(rubric, missing, source)
    for case_key, answers in cases.items():
        row = builder.case(case_key, key_path=None)
        if row is None:
            continue
        case_id = case_key.strip()
        if not isinstance(answers, Mapping):
            builder.fail(
                f"expected a mapping of question id to judgment, found {type(answers).__name__}",
                case_id=case_id,
            )
            continue
        for qkey, value in answers.items():
            column = builder.question(qkey, case_id=case_id)
            if column is None:
                continue
            builder.answer(
                row, column, value, case_id=case_id, question_id=builder.answer_ids[column]
            )
    for case_key, values in (attributes or {}).items():
        row = builder.case_index.get(case_key)
        if row is None:
            builder.fail("attributes given for a case with no judgments", case_id=case_key)
            continue
        for name, value in values.items():
            builder.attribute(row, name, value, case_id=case_key)
    return builder.finish()
