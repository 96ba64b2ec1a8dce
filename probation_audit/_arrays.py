"""The array decoder: a cases-by-questions array of codes (1 yes, 0 no, -1 not relevant) with
its case ids and question ids, as the wide file it would save to.

It only decodes: the array's shape and type are checked here (nothing else has them), each code
becomes the judgment it stands for (a masked cell a blank, any other code its number as text)
and the ids become the header and the case column. The one validator
(:mod:`~probation_audit._columns`) then checks the rows as it checks a wide CSV file's, so an
array and a file of the same judgments give the same sample or the same problems, located alike:
the header on line 1 and case ``i`` on line ``i + 2``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._columns import Column, ColumnHint, Columns
from ._compat import is_masked_array
from ._tables import Table, resolve_wide_header, unknown_column
from .errors import AuditError, AuditErrors, JudgmentError
from .judgments import Judgment, case_id_problem, question_id_problem
from .rating import require_rubric
from .rubric import Rubric

__all__ = ["SOURCE", "array_columns"]

#: The source named in an array's problems.
SOURCE = "array"
#: Each valid code's text, at the code plus one.
_TEXTS = tuple(str(Judgment(code)) for code in (-1, 0, 1))
_CODES = "1 yes, 0 no, -1 not relevant"
#: Said once beside the problems an array's stray codes give (their number read as an answer).
_CODE_HINT = ColumnHint(
    f"an array's codes are {_CODES} (a masked cell is a blank answer)", ("invalid judgment",)
)


def array_columns(
    codes: npt.ArrayLike,
    case_ids: Sequence[str],
    question_ids: Sequence[str],
    rubric: Rubric,
) -> Columns | Table:
    """The array as a wide file's coded columns: ``case_id``, then a column per question id.

    Returns:
        The :class:`~probation_audit._columns.Columns`; or, when some ids cannot be read (a case
        id or question id that is not text, a question id the rubric would take for a case
        attribute), a :class:`~probation_audit._tables.Table` of the rest carrying those
        problems, for the locating path to report with every other.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, or ``case_ids``
            or ``question_ids`` is one string or not a sequence.
        AuditErrors: the array is ragged, of the wrong shape, or not of integers (booleans
            included).
    """
    require_rubric(rubric)
    for name, ids in (("case_ids", case_ids), ("question_ids", question_ids)):
        if isinstance(ids, str | bytes) or not isinstance(ids, Sequence):
            raise TypeError(
                f"{name} must be a sequence of ids (a list or tuple), got {type(ids).__name__} {ids!r:.40}"
            )
    array, mask = _integer_array(codes, len(case_ids), len(question_ids))
    problems: list[AuditError] = []
    rows = _readable_cases(case_ids, problems)
    keep = _question_columns(question_ids, rubric, problems)
    header = ("case_id", *(question_ids[j] for j in keep))
    if len(rows) < len(case_ids):
        array, mask = array[rows], None if mask is None else mask[rows]
    columns = [Column.coded([case_ids[i] for i in rows]), *_code_columns(array, mask, keep)]
    if not problems:
        hints = [_CODE_HINT] if _out_of_range(array) else []
        return Columns.from_cells(SOURCE, header, columns, hints=hints)
    cells = [c.cells() for c in columns]
    return Table(
        SOURCE,
        header,
        [list(row) for row in zip(*cells, strict=True)],
        [i + 2 for i in rows],
        errors=tuple(problems),
    )


def _integer_array(
    codes: npt.ArrayLike, cases: int, questions: int
) -> tuple[npt.NDArray[np.integer[Any]], npt.NDArray[np.bool_] | None]:
    """The codes as a 2-d integer array of one row per case and one column per question id,
    and the mask of a masked array's cells (None for a plain array)."""
    mask: npt.NDArray[np.bool_] | None = None
    if is_masked_array(codes):
        mask = np.ma.getmaskarray(codes)
        codes = codes.filled(int(Judgment.NOT_RELEVANT))
    try:
        array = np.asarray(codes)
    except ValueError:
        array = np.asarray(codes, dtype=object)

    def refuse(message: str) -> AuditErrors:
        return AuditErrors([JudgmentError(message, source=SOURCE)])

    if array.dtype == object and array.ndim == 1 and cases and array.size:
        lengths = sorted({len(row) if isinstance(row, Sequence) else -1 for row in array.tolist()})
        raise refuse(
            f"expected rows of {questions} codes each, found rows of lengths "
            f"{', '.join(map(str, lengths))} (a ragged list)"
        )
    if array.ndim != 2 or array.shape != (cases, questions):
        raise refuse(
            f"expected a 2-d array of shape ({cases}, {questions}) (cases, questions), found shape {array.shape}"
        )
    if array.dtype == np.bool_:
        raise refuse(
            f"expected integer codes ({_CODES}), found booleans, which cannot say 'not relevant'"
        )
    if not np.issubdtype(array.dtype, np.integer):
        raise refuse(f"expected integer codes ({_CODES}), found dtype {array.dtype}")
    return array, mask


def _readable_cases(case_ids: Sequence[object], problems: list[AuditError]) -> list[int]:
    """The rows whose case id is text; a problem on the line of each other (a blank id is text:
    the validator words it with the rest)."""
    rows = []
    for i, case_id in enumerate(case_ids):
        problem = None if isinstance(case_id, str) else case_id_problem(case_id)
        if problem is None:
            rows.append(i)
        else:
            problems.append(JudgmentError(problem, source=SOURCE, line=i + 2, column=1))
    return rows


def _question_columns(
    question_ids: Sequence[object], rubric: Rubric, problems: list[AuditError]
) -> list[int]:
    """The columns whose id is text that the wide header reads as a question (or as an unknown
    id, which the validator words); a problem on the header's line for each other: every
    column of an array is a question, never a case attribute (its problem worded as the wide
    header words an unknown id)."""
    text = []
    for j, question_id in enumerate(question_ids):
        problem = question_id_problem(question_id)
        if problem is None:
            text.append(j)
        else:
            problems.append(JudgmentError(problem, source=SOURCE, line=1))
    answer_ids = rubric.question_ids + rubric.prompt_ids
    if {question_ids[j] for j in text} <= set(answer_ids):
        return text  # every column names a question exactly (the common case)
    names = ["case_id", *(str(question_ids[j]) for j in text)]
    header = resolve_wide_header(names, rubric)
    taken = {answer_ids[j] for _, j in header.questions}
    attributes = {k for k, _ in header.attributes}
    for k in sorted(attributes):
        message = unknown_column(names[k], rubric, taken)
        problems.append(JudgmentError(message, source=SOURCE, line=1))
    return [j for k, j in enumerate(text, start=1) if k not in attributes]


def _code_columns(
    array: npt.NDArray[np.integer[Any]], mask: npt.NDArray[np.bool_] | None, keep: list[int]
) -> list[Column]:
    """The ``keep`` columns' codes as the judgments they stand for; a masked cell blank (no
    answer), any other code its number as text (not a judgment: the validator says so)."""
    if _out_of_range(array):
        coded = [_coded(array[:, j]) for j in keep]
    else:  # every code valid (the common case): one index for them all
        index = array.astype(np.int64) + 1
        coded = [(index[:, j], list(_TEXTS)) for j in keep]
    out = []
    for (codes, values), j in zip(coded, keep, strict=True):
        if mask is not None and mask[:, j].any():
            codes = np.where(mask[:, j], len(values), codes)
            values.append("")
        out.append(Column.of(codes, values))
    return out


def _out_of_range(array: npt.NDArray[np.integer[Any]]) -> bool:
    """True when a code is not one of -1, 0 and 1."""
    return bool(array.size) and (int(array.min()) < -1 or int(array.max()) > 1)


def _coded(codes: npt.NDArray[np.integer[Any]]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """One column's distinct codes as text, and each row's index into them."""
    found, inverse = np.unique(codes, return_inverse=True)
    values = [_TEXTS[v + 1] if -1 <= v <= 1 else str(v) for v in (int(c) for c in found.tolist())]
    return inverse.ravel().astype(np.int64), values
