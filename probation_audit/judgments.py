"""Case judgments: each sampled case's yes / no / not relevant answer to each key question.

Every input form (long records, a wide mapping, a CSV file, a numpy code array) becomes a
:class:`Sample`, checked against a rubric. Every bad row or cell is reported, never dropped:
the builders raise :class:`~probation_audit.errors.AuditErrors` listing them all.
"""

from __future__ import annotations

import contextlib
import csv
import enum
import gc
import io
import operator
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from .errors import AuditError, AuditErrors, JudgmentError
from .rubric import Rubric

__all__ = [
    "SPELLINGS",
    "Judgment",
    "Missing",
    "Sample",
    "from_array",
    "from_frame",
    "from_records",
    "from_wide",
    "parse_judgment",
    "read_csv",
]

Missing = Literal["error", "not-relevant"]
MISSING_CHOICES: tuple[Missing, ...] = ("error", "not-relevant")


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
# Byte codes for the vectorised CSV path: a judgment's code plus one, 255 for anything else.
_BYTE: dict[str, int] = {text: code + 1 for text, code in _FAST.items()}
_NOT_A_JUDGMENT = 255
# In the wide layout a blank cell is no answer (an error for a key question, 'not relevant'
# for a prompt): byte 3, decoded to the missing code.
_BYTE_WIDE: dict[str, int] = {**_BYTE, "": 3}
_VALID_CODES = frozenset(int(j) for j in Judgment)
_QUESTION_LIKE = re.compile(r"^[A-Za-z]*\d+(\.\d+)+$")


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
    )


def parse_judgment(value: object) -> Judgment | None:
    """The judgment ``value`` spells, or None. Accepts a :class:`Judgment` or a spelling."""
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

    def __len__(self) -> int:
        return len(self.case_ids)

    def answer(self, case_id: str, question_id: str) -> Judgment:
        row = self.case_ids.index(case_id)
        column = self.question_ids.index(question_id)
        return Judgment(int(self.codes[row, column]))

    def attribute(self, case_id: str, name: str) -> str:
        return self.attributes[self.case_ids.index(case_id)][self.attribute_names.index(name)]

    def subset(self, rows: Sequence[int]) -> Sample:
        """The cases at ``rows`` (positions), in that order."""
        index = list(rows)
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

    def groups(self, attribute: str) -> dict[str, Sample]:
        """The sample split by the values of one case attribute, in order of first appearance."""
        if attribute not in self.attribute_names:
            known = ", ".join(self.attribute_names) or "none"
            raise KeyError(f"no case attribute {attribute!r} (attributes: {known})")
        column = self.attribute_names.index(attribute)
        positions: dict[str, list[int]] = {}
        for i, row in enumerate(self.attributes):
            positions.setdefault(row[column], []).append(i)
        return {value: self.subset(rows) for value, rows in positions.items()}

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


class _Builder:
    """Collects answers cell by cell, with locations for errors, then checks completeness."""

    def __init__(
        self, rubric: Rubric, missing: Missing, source: str | None, line_offset: int = 0
    ) -> None:
        if missing not in MISSING_CHOICES:
            raise ValueError(f"missing must be one of {MISSING_CHOICES}, not {missing!r}")
        self.rubric = rubric
        self.missing = missing
        self.source = source
        # Rows read from a spreadsheet below its header row keep their sheet row numbers.
        self.line_offset = line_offset
        self.answer_ids = _answer_ids(rubric)
        self.keys = len(rubric.question_ids)
        self.question_index = {qid: j for j, qid in enumerate(self.answer_ids)}
        self.case_index: dict[str, int] = {}
        self.rows: list[list[int]] = []
        self.attribute_names: list[str] = []
        self.attribute_rows: list[dict[str, str]] = []
        self.errors: list[AuditError] = []
        # Cells already reported (invalid value): not reported again as missing.
        self.reported: set[tuple[int, int]] = set()
        # Set when the input could not be read to its end: gaps then say nothing useful.
        self.truncated = False
        # Questions with no column at all: reported once for the file, not once per case.
        self.absent_columns: set[int] = set()

    def fail(
        self,
        message: str,
        *,
        line: int | None = None,
        key_path: str | None = None,
        case_id: str | None = None,
        question_id: str | None = None,
    ) -> None:
        self.errors.append(
            JudgmentError(
                message,
                source=self.source,
                line=None if line is None else line + self.line_offset,
                key_path=key_path,
                case_id=case_id,
                question_id=question_id,
            )
        )

    def case(
        self, case_id: object, *, line: int | None = None, key_path: str | None = None
    ) -> int | None:
        if not isinstance(case_id, str) or not case_id.strip():
            found = "blank" if isinstance(case_id, str) else f"{type(case_id).__name__} {case_id!r}"
            self.fail(
                f"case_id must be a non-empty string, found {found}", line=line, key_path=key_path
            )
            return None
        case_id = case_id.strip()
        index = self.case_index.get(case_id)
        if index is None:
            index = len(self.rows)
            self.case_index[case_id] = index
            self.rows.append([_MISSING_CODE] * len(self.question_index))
            self.attribute_rows.append({})
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
            shown = question_id.strip() if isinstance(question_id, str) else question_id
            if isinstance(shown, str) and shown in self.question_index:
                return self.question_index[shown]
            self.fail(
                f"unknown question id {shown!r} (rubric {self.rubric.id!r} has "
                f"{_short_list(self.rubric.question_ids)})",
                line=line,
                key_path=key_path,
                case_id=case_id,
            )
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
        code: int | None
        if isinstance(value, str):
            code = _FAST.get(value)
            if code is None:
                judgment = SPELLINGS.get(" ".join(value.split()).casefold())
                code = None if judgment is None else int(judgment)
        elif isinstance(value, Judgment):
            code = int(value)
        else:
            code = None
        if code is None:
            if isinstance(value, str) and not value.strip():
                return  # blank: no answer, checked with the other gaps
            self.reported.add((row, column))
            self.fail(
                f"invalid judgment {value!r} (expected one of {_spelling_hint()}, any case)",
                line=line,
                key_path=key_path,
                case_id=case_id,
                question_id=question_id,
            )
            return
        previous = self.rows[row][column]
        if previous == _MISSING_CODE:
            self.rows[row][column] = code
        elif previous != code:
            self.fail(
                f"answered twice with different judgments: {Judgment(previous)} and then {Judgment(code)}",
                line=line,
                key_path=key_path,
                case_id=case_id,
                question_id=question_id,
            )

    def attribute(
        self, row: int, name: str, value: str, *, case_id: str, line: int | None = None
    ) -> None:
        if name not in self.attribute_names:
            self.attribute_names.append(name)
        known = self.attribute_rows[row]
        if name in known and known[name] != value:
            self.fail(
                f"attribute {name!r} given twice with different values: {known[name]!r} and then {value!r}",
                line=line,
                case_id=case_id,
            )
        else:
            known[name] = value

    def finish(self, *, extra_errors: Sequence[AuditError] = ()) -> Sample:
        self.errors.extend(extra_errors)
        if not self.rows and not self.errors:
            self.fail("no case judgments found")
        codes = np.array(self.rows, dtype=np.int8).reshape(len(self.rows), len(self.question_index))
        gaps = codes == _MISSING_CODE
        gaps[:, self.keys :] = False  # an unanswered prompt is simply not relevant
        for i, j in self.reported:
            gaps[i, j] = False
        if self.absent_columns and self.missing == "error":
            gaps[:, sorted(self.absent_columns)] = False
        if gaps.any() and not self.truncated:
            if self.missing == "not-relevant":
                codes[gaps] = int(Judgment.NOT_RELEVANT)
            else:
                case_ids = list(self.case_index)
                qids = self.rubric.question_ids
                for i in np.flatnonzero(gaps.any(axis=1)).tolist():
                    absent = [qids[j] for j in np.flatnonzero(gaps[i]).tolist()]
                    self.fail(
                        f"no answer for {_plural(len(absent), 'question')} {', '.join(absent)} "
                        "(answer 'not relevant', or treat missing answers as not relevant)",
                        case_id=case_ids[i],
                        question_id=absent[0] if len(absent) == 1 else None,
                    )
        if self.errors:
            raise AuditErrors(self.errors)
        names = tuple(self.attribute_names)
        attributes = tuple(tuple(row.get(n, "") for n in names) for row in self.attribute_rows)
        return _sample_from_full(
            self.rubric,
            tuple(self.case_index),
            codes,
            names,
            attributes if names else (),
            self.source,
        )


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _short_list(items: Sequence[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])}, ... ({len(items)} in all)"


def from_records(
    records: Iterable[Mapping[str, Any]],
    rubric: Rubric,
    *,
    missing: Missing = "error",
    source: str | None = None,
) -> Sample:
    """Long records: mappings with ``case_id``, ``question_id`` and ``judgment``.

    Any other key is a case attribute (``sentence_type``), which must agree across a case's rows.
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
    """A mapping case id -> question id -> judgment; ``attributes`` case id -> name -> value."""
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


def from_array(
    codes: npt.ArrayLike,
    case_ids: Sequence[str],
    question_ids: Sequence[str],
    rubric: Rubric,
    *,
    missing: Missing = "error",
) -> Sample:
    """A cases-by-questions integer array of codes: 1 yes, 0 no, -1 not relevant.

    ``question_ids`` name the columns, in any order; rubric questions without a column are
    missing for every case.
    """
    array = np.asarray(codes)
    errors: list[AuditError] = []

    def fail(message: str, **where: Any) -> None:
        errors.append(JudgmentError(message, source="array", **where))

    if array.ndim != 2 or array.shape != (len(case_ids), len(question_ids)):
        fail(
            f"expected a 2-d array of shape ({len(case_ids)}, {len(question_ids)}) (cases, questions), found shape {array.shape}"
        )
        raise AuditErrors(errors)
    if not (np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_):
        fail(f"expected integer codes (1 yes, 0 no, -1 not relevant), found dtype {array.dtype}")
        raise AuditErrors(errors)
    if array.dtype == np.bool_:
        fail(
            "expected integer codes (1 yes, 0 no, -1 not relevant), found booleans, which cannot say 'not relevant'"
        )
        raise AuditErrors(errors)
    qindex = {qid: j for j, qid in enumerate(_answer_ids(rubric))}
    seen_cases: dict[str, int] = {}
    for i, cid in enumerate(case_ids):
        if not isinstance(cid, str) or not cid.strip():
            fail(f"case id at row {i} must be a non-empty string, found {cid!r}")
        elif cid in seen_cases:
            fail(f"case id repeated at rows {seen_cases[cid]} and {i}", case_id=cid)
        else:
            seen_cases[cid] = i
    columns: list[int] = []
    for j, qid in enumerate(question_ids):
        if qid not in qindex:
            fail(
                f"column {j}: unknown question id (rubric {rubric.id!r} has {_short_list(rubric.question_ids)})",
                question_id=str(qid),
            )
        elif qindex[qid] in columns:
            fail(f"column {j} repeats a question", question_id=qid)
        columns.append(qindex.get(qid, -1))
    bad = ~np.isin(array, list(_VALID_CODES))
    for i, j in np.argwhere(bad)[:1000].tolist():
        fail(
            f"invalid code {array[i, j].item()!r} at row {i}, column {j} (expected 1 yes, 0 no, -1 not relevant)",
            case_id=str(case_ids[i]),
            question_id=str(question_ids[j]),
        )
    if bad.sum() > 1000:
        fail(f"... and {int(bad.sum()) - 1000} more invalid codes")
    if errors:
        raise AuditErrors(errors)
    full = np.full((len(case_ids), len(qindex)), _MISSING_CODE, dtype=np.int8)
    full[:, columns] = array.astype(np.int8)
    builder = _Builder(rubric, missing, "array")
    builder.case_index = {cid: i for i, cid in enumerate(case_ids)}
    builder.rows = full.tolist()
    builder.attribute_rows = [{} for _ in case_ids]
    return builder.finish()


# -- data frames --------------------------------------------------------------------------


def frame_rows(frame: object) -> list[list[str]] | None:
    """A pandas or polars DataFrame as header + rows of strings; None for anything else.

    Recognised by its type's module, so that pandas is never imported here.
    """
    module = type(frame).__module__.split(".", 1)[0]
    if module == "pandas":
        columns = [str(c) for c in frame.columns]  # type: ignore[attr-defined]
        values = frame.itertuples(index=False, name=None)  # type: ignore[attr-defined]
    elif module == "polars":
        columns = [str(c) for c in frame.columns]  # type: ignore[attr-defined]
        values = frame.iter_rows()  # type: ignore[attr-defined]
    else:
        return None

    def cell(value: object) -> str:
        # Missing cells arrive as None, NaN or pandas.NA: all are no answer.
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if type(value).__name__ in ("NAType", "NaTType"):
            return ""
        return str(value)

    return [columns, *([cell(v) for v in row] for row in values)]


def from_frame(frame: object, rubric: Rubric, *, missing: Missing = "error") -> Sample:
    """Case judgments from a pandas or polars DataFrame, long or wide, as from a CSV file."""
    rows = frame_rows(frame)
    if rows is None:
        raise TypeError(f"expected a pandas or polars DataFrame, got {type(frame).__name__}")
    return from_rows(rows, rubric, missing=missing, source="<DataFrame>")


def from_rows(
    rows: Iterable[Sequence[str]],
    rubric: Rubric,
    *,
    missing: Missing = "error",
    source: str = "<rows>",
) -> Sample:
    """A header row and data rows of strings, read as a CSV file would be."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return parse_csv(buffer.getvalue(), rubric, missing=missing, source=source)


# -- CSV ------------------------------------------------------------------------------------

Layout = Literal["auto", "long", "wide"]
_LONG_COLUMNS = ("case_id", "question_id", "judgment")


def read_csv(
    path: str | os.PathLike[str],
    rubric: Rubric,
    *,
    layout: Layout = "auto",
    missing: Missing = "error",
) -> Sample:
    """Read a CSV file in long (``case_id,question_id,judgment``) or wide layout.

    Wide: ``case_id`` then one column per question id; other columns are case attributes,
    except that a column named like a question id (``P2.1.4``) that the rubric lacks is an
    error, so that a typo cannot turn a question into an attribute. A UTF-8 byte order mark is
    ignored.
    """
    source = os.fspath(path)
    try:
        with open(source, encoding="utf-8-sig", newline="") as fp:
            text = fp.read()
    except OSError as exc:
        raise AuditErrors(
            [JudgmentError(f"cannot read file: {exc.strerror}", source=source)]
        ) from None
    except UnicodeDecodeError as exc:
        raise AuditErrors(
            [JudgmentError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source)]
        ) from None
    return parse_csv(text, rubric, layout=layout, missing=missing, source=source)


def parse_csv(
    text: str,
    rubric: Rubric,
    *,
    layout: Layout = "auto",
    missing: Missing = "error",
    source: str = "<csv>",
    line_offset: int = 0,
) -> Sample:
    """Like :func:`read_csv`, from the text of a CSV file. Error line numbers are counted from
    ``line_offset + 1`` (for text taken from a spreadsheet below its first row)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    builder = _Builder(rubric, missing, source, line_offset)
    try:
        header = next(reader)
    except StopIteration:
        builder.fail("empty file: expected a header row")
        raise AuditErrors(builder.errors) from None
    except csv.Error as exc:
        builder.fail(f"invalid CSV: {exc}", line=reader.line_num)
        raise AuditErrors(builder.errors) from None
    names = [h.strip() for h in header]
    if layout == "auto":
        layout = "long" if {"question_id", "judgment"} <= set(names) else "wide"
    if "case_id" not in names:
        expected = (
            ",".join(_LONG_COLUMNS)
            if layout == "long"
            else "case_id and one column per question id"
        )
        builder.fail(
            f"missing header: expected {expected}, found {','.join(header) or 'an empty row'}",
            line=1,
        )
        raise AuditErrors(builder.errors)
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        builder.fail(f"header repeats column {', '.join(map(repr, duplicated))}", line=1)
        raise AuditErrors(builder.errors)
    # Clean files take a vectorised path; anything it does not accept is re-read row by row,
    # which finds and locates every problem. Both give the same Sample for a clean file.
    with _gc_paused():
        fast = _fast_long if layout == "long" else _fast_wide
        try:
            sample = fast(reader, names, rubric, missing, source)
        except csv.Error:
            sample = None
    if sample is not None:
        return sample
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    try:
        if layout == "long":
            _read_long(reader, names, builder)
        else:
            _read_wide(reader, names, builder)
    except csv.Error as exc:
        builder.fail(f"invalid CSV: {exc} (reading stopped here)", line=reader.line_num)
        builder.truncated = True
    return builder.finish()


def _read_long(reader: Any, names: list[str], builder: _Builder) -> None:
    absent = [c for c in _LONG_COLUMNS if c not in names]
    if absent:
        builder.fail(
            f"missing header: expected columns {','.join(_LONG_COLUMNS)}; no {', '.join(absent)}",
            line=1,
        )
        return
    ci, qi, ji = (names.index(c) for c in _LONG_COLUMNS)
    extra = [(k, n) for k, n in enumerate(names) if n not in _LONG_COLUMNS]
    width = len(names)
    qids = builder.answer_ids
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line carries nothing
        if len(row) != width:
            builder.fail(f"expected {width} fields, found {len(row)}", line=line)
            continue
        r = builder.case(row[ci], line=line)
        if r is None:
            continue
        case_id = row[ci].strip()
        column = builder.question(row[qi], case_id=case_id, line=line)
        if column is None:
            continue
        value = row[ji]
        if not value.strip():
            builder.reported.add((r, column))
            builder.fail(
                "blank judgment (a long-form row must give one)",
                line=line,
                case_id=case_id,
                question_id=qids[column],
            )
            continue
        builder.answer(r, column, value, case_id=case_id, question_id=qids[column], line=line)
        for k, name in extra:
            builder.attribute(r, name, row[k], case_id=case_id, line=line)


def _read_wide(reader: Any, names: list[str], builder: _Builder) -> None:
    ci = names.index("case_id")
    qindex = builder.question_index
    question_columns: list[tuple[int, int]] = []
    attribute_columns: list[tuple[int, str]] = []
    for k, name in enumerate(names):
        if k == ci:
            continue
        if name in qindex:
            question_columns.append((k, qindex[name]))
        elif _QUESTION_LIKE.match(name):
            builder.fail(
                f"column {name!r}: unknown question id (rubric {builder.rubric.id!r} has "
                f"{_short_list(builder.rubric.question_ids)})",
                line=1,
            )
        else:
            attribute_columns.append((k, name))
    present = {j for _, j in question_columns}
    absent = [j for j in range(builder.keys) if j not in present]
    if absent and builder.missing == "error":
        builder.absent_columns.update(absent)
        names_absent = [builder.rubric.question_ids[j] for j in absent]
        builder.fail(
            f"no column for {_plural(len(absent), 'question')} {', '.join(names_absent)} "
            "(add the column, or treat missing answers as not relevant)",
            line=1,
        )
    # Header problems are reported; the rows are still read, so that theirs are too.
    for _, name in attribute_columns:
        builder.attribute_names.append(name)
    width = len(names)
    qids = builder.answer_ids
    fast = _FAST
    rows = builder.rows
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            builder.fail(f"expected {width} fields, found {len(row)}", line=line)
            continue
        r = builder.case(row[ci], line=line)
        if r is None:
            continue
        target = rows[r]
        case_id = row[ci].strip()
        for k, j in question_columns:
            cell = row[k]
            code = fast.get(cell)
            if code is not None and target[j] == _MISSING_CODE:
                target[j] = code  # the common case, kept cheap for large files
            else:
                builder.answer(r, j, cell, case_id=case_id, question_id=qids[j], line=line)
        for k, name in attribute_columns:
            builder.attribute(r, name, row[k], case_id=case_id, line=line)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while building many small lists (it adds about half to a
    large parse); its state is restored even on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _clean_ids(ids: Sequence[str]) -> bool:
    """No blank id and none with surrounding spaces (C-level passes: this runs per row)."""
    return "" not in ids and all(map(operator.eq, ids, map(str.strip, ids)))


def _fill_gaps(codes: npt.NDArray[np.int8], missing: Missing) -> bool:
    """Gaps become not relevant if the caller allows it; False if they must be reported."""
    gaps = codes == _MISSING_CODE
    if not gaps.any():
        return True
    if missing == "error":
        return False
    codes[gaps] = int(Judgment.NOT_RELEVANT)
    return True


_BLOCK = 2048  # rows per block: big enough for C-level passes, small enough to stay in cache


def _blocks(reader: Iterator[list[str]]) -> Iterator[list[list[str]]]:
    while block := list(islice(reader, _BLOCK)):
        yield block


def _fast_wide(
    reader: Iterator[list[str]], names: list[str], rubric: Rubric, missing: Missing, source: str
) -> Sample | None:
    """A clean wide file in C-level passes over blocks of rows, or None to take the
    row-by-row path (any blank, bad or repeated value; short rows; unknown columns)."""
    width = len(names)
    qindex = {qid: j for j, qid in enumerate(_answer_ids(rubric))}
    ci = names.index("case_id")
    question_columns: list[tuple[int, int]] = []
    attribute_columns: list[int] = []
    for k, name in enumerate(names):
        if k == ci:
            continue
        if name in qindex:
            question_columns.append((k, qindex[name]))
        elif _QUESTION_LIKE.match(name):
            return None
        else:
            attribute_columns.append(k)
    case_ids: list[str] = []
    cells = bytearray()
    attributes: list[tuple[str, ...]] = []
    get_case = itemgetter(ci)
    get_attributes = itemgetter(*attribute_columns) if attribute_columns else None
    for block in _blocks(reader):
        if set(map(len, block)) != {width}:
            return None
        case_ids.extend(map(get_case, block))
        # Every cell as a byte: a judgment's code plus one, 255 for anything else.
        cells += bytes(map(_BYTE_WIDE.get, chain.from_iterable(block), repeat(_NOT_A_JUDGMENT)))
        if get_attributes is not None:
            if len(attribute_columns) == 1:
                attributes.extend(zip(map(get_attributes, block)))
            else:
                attributes.extend(map(get_attributes, block))
    if not case_ids or len(set(case_ids)) != len(case_ids) or not _clean_ids(case_ids):
        return None
    table = np.frombuffer(bytes(cells), dtype=np.uint8).reshape(len(case_ids), width)
    picked = table[:, [k for k, _ in question_columns]]
    if (picked == _NOT_A_JUDGMENT).any():
        return None
    codes = np.full((len(case_ids), len(qindex)), _MISSING_CODE, dtype=np.int8)
    decoded = picked.astype(np.int8) - 1
    decoded[decoded == 2] = _MISSING_CODE
    codes[:, [j for _, j in question_columns]] = decoded
    if not _fill_gaps(codes[:, : len(rubric.question_ids)], missing):
        return None
    attribute_names = tuple(names[k] for k in attribute_columns)
    return _sample_from_full(
        rubric, tuple(case_ids), codes, attribute_names, tuple(attributes), source
    )


def _fast_long(
    reader: Iterator[list[str]], names: list[str], rubric: Rubric, missing: Missing, source: str
) -> Sample | None:
    """A clean long file (no attribute columns, no repeats) in C-level passes, or None."""
    if len(names) != len(_LONG_COLUMNS):
        return None
    ci, qi, ji = (names.index(c) for c in _LONG_COLUMNS)
    qindex = {qid: j for j, qid in enumerate(_answer_ids(rubric))}
    if len(qindex) >= _NOT_A_JUDGMENT:
        return None  # question columns are coded as bytes below
    cases: list[str] = []
    columns = bytearray()
    values = bytearray()
    get_case, get_question, get_judgment = itemgetter(ci), itemgetter(qi), itemgetter(ji)
    for block in _blocks(reader):
        if set(map(len, block)) != {3}:
            return None
        cases.extend(map(get_case, block))
        columns += bytes(map(qindex.get, map(get_question, block), repeat(_NOT_A_JUDGMENT)))
        values += bytes(map(_BYTE.get, map(get_judgment, block), repeat(_NOT_A_JUDGMENT)))
    coded = np.frombuffer(bytes(values), dtype=np.uint8)
    question = np.frombuffer(bytes(columns), dtype=np.uint8)
    if not cases or (coded == _NOT_A_JUDGMENT).any() or (question == _NOT_A_JUDGMENT).any():
        return None
    order = dict.fromkeys(cases)
    if not _clean_ids(tuple(order)):
        return None
    position = {case_id: i for i, case_id in enumerate(order)}
    nq = len(qindex)
    flat = np.fromiter(map(position.__getitem__, cases), dtype=np.int64, count=len(cases)) * nq
    flat += question
    if np.bincount(flat, minlength=len(order) * nq).max() > 1:
        return None  # a case and question given twice: the row path checks they agree
    flat_codes = np.full(len(order) * nq, _MISSING_CODE, dtype=np.int8)
    flat_codes[flat] = coded.astype(np.int8) - 1
    codes = flat_codes.reshape(len(order), nq)
    if not _fill_gaps(codes[:, : len(rubric.question_ids)], missing):
        return None
    return _sample_from_full(rubric, tuple(order), codes, source=source)
