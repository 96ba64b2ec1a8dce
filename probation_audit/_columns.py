"""Coded columns, and the one validator every source of judgments goes through.

Every decoder (a CSV file read with numpy or the csv module, a workbook's sheet, a pandas,
polars or Arrow frame) yields :class:`Columns`: the header, each column as integer codes per
row and the distinct values they index, and a way to the rows as located text (a
:class:`~probation_audit._tables.Table` with each row's file line or sheet row) for when
something must be reported. One validator takes them, with an optional split column (none,
the auditor of a double-marked file, the inspection of a national file):

1. a vectorised accept on the codes (:func:`_accept`), which takes every clean input and
   refuses anything that must be reported (a blank, untrimmed or summary case id, an unknown
   question, a bad or blank judgment, a case and question given twice, a case with two values
   of an attribute, a gap when gaps are errors, a header that needs a word);
2. when it refuses, the locating path (:func:`~probation_audit._tables.sample_from_table`,
   through :class:`~probation_audit.judgments._Builder`), which words every problem with its
   line.

So a single audit, a double-marked file and a national file are the same call with another
split (:func:`sample_of`, :func:`samples_by`, :func:`tallies_by`), and every form of the same
data gives the same sample, tallies and group names, or the same refusal. The rules are written
twice by design only where one must be fast and the other must word each problem; property
tests hold the two to the same answers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from ._names import id_key, key_index
from ._tables import (
    LONG_COLUMNS,
    Layout,
    Table,
    check_header,
    check_read_options,
    gc_paused,
    header_name,
    resolve_wide_header,
    sample_from_table,
    split_by_column,
)
from .errors import AuditError, AuditErrors, Hint, JudgmentError, capped
from .judgments import (
    _MISSING_CODE,
    Judgment,
    Missing,
    Sample,
    _answer_ids,
    _blank_note,
    _sample_from_full,
    any_summary_row,
    parse_judgment,
)
from .rubric import Rubric

__all__ = [
    "Column",
    "ColumnHint",
    "Columns",
    "GroupTallies",
    "sample_of",
    "samples_by",
    "tallies_by",
]

#: How the long accept finds the cases of a split file, by the number of (group, case id)
#: pairs the codes span: a slot per pair and answer when those slots are at most
#: ``_SLOTS_PER_ROW`` bytes a row (or ``_SLOTS_FLOOR`` in all); else the pairs seen are marked
#: in a bool array of the span when it is at most ``_MARK_LIMIT``; else sorted (``np.unique``).
_SLOTS_PER_ROW, _SLOTS_FLOOR, _MARK_LIMIT = 4, 1 << 20, 50_000_000
#: A cell that is not a judgment, in the per-value lookups of the accept.
_BAD = -9


@attrs.frozen(eq=False)
class Column:
    """One column coded as integers: each row's code, and the distinct values they index
    (``values[codes[i]]`` is row ``i``'s text). Values are distinct: :meth:`of` merges codes
    of values that read alike (``1`` and ``'1'`` in a frame)."""

    codes: npt.NDArray[np.integer[Any]] = attrs.field(repr=False)
    values: tuple[str, ...]

    @classmethod
    def of(cls, codes: npt.ArrayLike, values: Sequence[str]) -> Column:
        """A column from codes and the values they index, values that repeat merged."""
        array = np.asarray(codes)
        values = tuple(values)
        if len(set(values)) == len(values):
            return cls(array, values)
        first: dict[str, int] = {}
        remap = np.array([first.setdefault(v, len(first)) for v in values], dtype=np.int64)
        return cls(remap[array], tuple(first))

    @classmethod
    def coded(cls, cells: Sequence[str]) -> Column:
        """A column of text cells, coded in order of first appearance."""
        known: dict[str, int] = {}
        for value in dict.fromkeys(cells):
            known[value] = len(known)
        codes = np.fromiter(map(known.__getitem__, cells), dtype=np.int64, count=len(cells))
        return cls(codes, tuple(known))

    def cells(self) -> list[str]:
        """Every row's text."""
        return np.array(self.values, dtype=object)[self.codes].tolist() if self.values else []


@attrs.frozen
class ColumnHint:
    """A likely cause a decoder saw in its input (a pandas index named case_id, a column of
    booleans), said once beside the problems it explains: those whose message holds one of
    ``when`` (every problem when ``when`` is empty)."""

    text: str
    when: tuple[str, ...] = ()
    #: the cause of the source's gaps (a pandas NaN): the count of its gaps says it too
    gaps: bool = False

    def explains(self, errors: Sequence[AuditError]) -> bool:
        """True when a problem of ``errors`` is one this hint explains."""
        return not self.when or any(m in e.message for e in errors for m in self.when)


@attrs.frozen(eq=False)
class Columns:
    """A source's header and its columns coded as integers, one code per data row.

    ``located`` gives the same rows as a :class:`~probation_audit._tables.Table` of text with
    each row's file line (or sheet row), for the path that words every problem; a decoder that
    read the source in a way that keeps no lines (numpy's blocks of bytes) re-reads it there.
    """

    source: str
    header: tuple[str, ...]
    columns: tuple[Column, ...] = attrs.field(repr=False)
    rows: int
    located: Callable[[], Table] = attrs.field(repr=False)
    hints: tuple[ColumnHint, ...] = ()

    @columns.validator
    def _one_per_name(self, _: object, columns: tuple[Column, ...]) -> None:
        if len(columns) != len(self.header):
            raise ValueError("Columns needs one column per header name")
        if any(len(c.codes) != self.rows for c in columns):
            raise ValueError("every column needs one code per row")

    @property
    def names(self) -> list[str]:
        """The header's names as the readers use them (trimmed; ``Case ID`` is ``case_id``:
        :func:`~probation_audit._tables.header_name`)."""
        return [header_name(h) for h in self.header]

    @classmethod
    def from_table(cls, table: Table) -> Columns | None:
        """A table's rows coded column by column; None when a row is not of the header's width
        or the table met reading errors (the locating path reports them)."""
        width = len(table.header)
        if table.errors or table.truncated or any(len(row) != width for row in table.rows):
            return None
        columns = tuple(Column.coded([row[k] for row in table.rows]) for k in range(width))
        return cls(table.source, table.header, columns, len(table.rows), lambda: table)

    @classmethod
    def from_cells(
        cls,
        source: str,
        header: Sequence[str],
        columns: Sequence[Column],
        *,
        first_line: int = 2,
        hints: Sequence[ColumnHint] = (),
    ) -> Columns:
        """Columns whose data row ``i`` stands at line ``first_line + i`` (a frame: the line of
        the CSV file it would save to), the header on the line before; ``hints`` are said beside
        the problems they explain."""
        rows = len(columns[0].codes) if columns else 0

        def located() -> Table:
            cells = [c.cells() for c in columns]
            table_rows = [list(row) for row in zip(*cells, strict=True)] if cells else []
            return Table(
                source,
                tuple(header),
                table_rows,
                range(first_line, first_line + len(table_rows)),
                header_line=first_line - 1,
            )

        return cls(source, tuple(header), tuple(columns), rows, located, tuple(hints))


@attrs.frozen(eq=False)
class GroupTallies:
    """Every group's cases and 'yes' and relevant counts per key question (rubric order),
    groups sorted by name; ``shared_case_ids`` when a case id appears in more than one group;
    ``notes`` what a reader of the results should know about the input (a workbook's hidden
    rows and columns, read as data)."""

    groups: tuple[str, ...]
    cases: npt.NDArray[np.int64] = attrs.field(repr=False)
    yes: npt.NDArray[np.int64] = attrs.field(repr=False)
    relevant: npt.NDArray[np.int64] = attrs.field(repr=False)
    shared_case_ids: bool
    source: str
    notes: tuple[str, ...] = ()


Data = Columns | Table


# -- the three calls ---------------------------------------------------------------------------


def sample_of(data: Data, rubric: Rubric, *, layout: Layout, missing: Missing) -> Sample:
    """The sample of one audit's rows: the vectorised accept, else every problem located.

    Returns:
        The checked :class:`~probation_audit.judgments.Sample`.

    Raises:
        AuditErrors: every problem in the rows, each with its line.
        ValueError: ``missing`` or ``layout`` is not one of its choices.
    """
    columns, cases = _accepted(data, rubric, layout, missing, None, ordered=True)
    if columns is not None and cases is not None:
        return cases.sample(rubric, columns.source, np.arange(len(cases.case_ids)))
    with _hinted(data):
        return sample_from_table(_table(data), rubric, layout=layout, missing=missing)


def samples_by(
    data: Data,
    rubric: Rubric,
    column: str,
    *,
    layout: Layout,
    missing: Missing,
    blank: str,
    check_parts: Callable[[list[str]], str | None] = lambda names: None,
    part_source: Callable[[str, str], str] = lambda source, name: source,
) -> dict[str, Sample]:
    """Each value of ``column``'s sample, in order of first appearance (a double-marked file
    split by auditor). ``blank`` words a row with no value; ``check_parts`` may refuse the
    values found (a message); ``part_source`` names each part's source.

    Returns:
        A mapping from each value of ``column`` to its checked sample.

    Raises:
        AuditErrors: no ``column``, a row without its value, values ``check_parts`` refuses, or
            any part's problems, each located.
        ValueError: ``missing`` or ``layout`` is not one of its choices.
    """
    columns, cases = _accepted(data, rubric, layout, missing, column, ordered=True)
    if columns is not None and cases is not None:
        names = [cases.split_values[g] for g in cases.split_order()]
        refused = check_parts(names)
        if refused is not None:
            raise AuditErrors([JudgmentError(refused, source=columns.source)])
        return {
            cases.split_values[g]: cases.sample(
                rubric,
                part_source(columns.source, cases.split_values[g]),
                np.flatnonzero(cases.split_of_case == g),
            )
            for g in cases.split_order()
        }
    with _hinted(data):
        return _located_samples(
            _table(data),
            rubric,
            column,
            layout=layout,
            missing=missing,
            blank=blank,
            check_parts=check_parts,
            part_source=part_source,
        )


def _located_samples(
    table: Table,
    rubric: Rubric,
    column: str,
    *,
    layout: Layout,
    missing: Missing,
    blank: str,
    check_parts: Callable[[list[str]], str | None],
    part_source: Callable[[str, str], str],
) -> dict[str, Sample]:
    """Part by part through :func:`sample_of`: every problem found, located."""
    parts, errors = split_by_column(table, column, blank=blank, layout=layout)
    if not errors:
        refused = check_parts(list(parts))
        if refused is not None:
            errors.append(JudgmentError(refused, source=table.source))
    if errors:
        raise AuditErrors(errors)
    out: dict[str, Sample] = {}
    problems: list[AuditError] = []
    for name, part in parts.items():
        named = attrs.evolve(part, source=part_source(table.source, name))
        try:
            out[name] = sample_of(named, rubric, layout=layout, missing=missing)
        except AuditErrors as exc:
            problems.extend(exc.errors)
    if problems:
        raise AuditErrors(problems)
    return out


def tallies_by(
    data: Data, rubric: Rubric, column: str, *, layout: Layout, missing: Missing
) -> GroupTallies:
    """Every value of ``column``'s tallies (a national file split by inspection), groups sorted
    by name; case ids need only be unique within a group.

    Returns:
        The :class:`GroupTallies`.

    Raises:
        AuditErrors: no ``column``, a row without its value, or any group's problems, each
            located (the list capped, with a count of the rest).
        ValueError: ``missing`` or ``layout`` is not one of its choices.
    """
    columns, cases = _accepted(data, rubric, layout, missing, column, ordered=False)
    if columns is not None and cases is not None:
        return cases.tallies(rubric, columns.source)
    with _hinted(data):
        return _located_tallies(_table(data), rubric, column, layout, missing)


def _table(data: Data) -> Table:
    """``data`` as located text, with the cause of its gaps (a pandas NaN) for their count."""
    if isinstance(data, Table):
        return data
    gaps = [h.text for h in data.hints if h.gaps]
    table = data.located()
    return attrs.evolve(table, gap_hint=gaps[0]) if gaps and table.gap_hint is None else table


@contextlib.contextmanager
def _hinted(data: Data) -> Iterator[None]:
    """The problems raised inside, with the hints of ``data`` that explain them (each once)."""
    try:
        yield
    except AuditErrors as exc:
        hints = data.hints if isinstance(data, Columns) else ()
        said = [Hint(h.text, source=data.source) for h in hints if h.explains(exc.errors)]
        if not said:
            raise
        raise AuditErrors([*exc.errors, *said]) from None


def _located_tallies(
    table: Table, rubric: Rubric, column: str, layout: Layout, missing: Missing
) -> GroupTallies:
    """Group by group through :func:`sample_of`: every problem found, located."""
    split, errors = split_by_column(
        table, column, blank=f"blank {column} (each row names its group)", layout=layout
    )
    samples = []
    for name in sorted(split):
        try:
            samples.append(sample_of(split[name], rubric, layout=layout, missing=missing))
        except AuditErrors as exc:
            errors.extend(exc.errors)
    if not split and not errors:
        errors.append(JudgmentError("no case judgments found", source=table.source))
    if errors:
        raise AuditErrors(capped(errors, table.source))
    nq = len(rubric.question_ids)
    yes = np.array([(s.codes == int(Judgment.YES)).sum(axis=0) for s in samples], dtype=np.int64)
    relevant = np.array(
        [(s.codes >= int(Judgment.NO)).sum(axis=0) for s in samples], dtype=np.int64
    )
    ids = [c for sample in samples for c in sample.case_ids]
    return GroupTallies(
        tuple(sorted(split)),
        np.array([len(s) for s in samples], dtype=np.int64),
        yes.reshape(len(samples), nq),
        relevant.reshape(len(samples), nq),
        len(set(ids)) < len(ids),
        table.source,
    )


def _accepted(
    data: Data,
    rubric: Rubric,
    layout: Layout,
    missing: Missing,
    split: str | None,
    *,
    ordered: bool,
) -> tuple[Columns | None, _Cases | None]:
    """The options checked, the data's columns (None when a table's rows cannot be coded
    column by column) and their cases from the vectorised accept (None when it declines, or
    the split column is missing: the locating path then says what is wrong)."""
    check_read_options(missing, layout)
    columns = data if isinstance(data, Columns) else Columns.from_table(data)
    if columns is None or (split is not None and split not in columns.names):
        return columns, None
    with gc_paused():
        return columns, _accept(columns, rubric, layout, missing, split, ordered=ordered)


# -- the vectorised accept ----------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Cases:
    """What the accept found: each case's split value and id, its answers (key questions then
    prompts, gaps as the missing code) and its attributes."""

    split_values: tuple[str, ...]
    split_of_case: npt.NDArray[np.int64]
    case_ids: tuple[str, ...]
    codes: npt.NDArray[np.int8]
    attribute_names: tuple[str, ...]
    attributes: tuple[Column, ...]
    shared: bool

    def split_order(self) -> list[int]:
        """Split values in order of their first case."""
        present, first = np.unique(self.split_of_case, return_index=True)
        return [int(g) for g in present[np.argsort(first, kind="stable")]]

    def sample(self, rubric: Rubric, source: str, rows: npt.NDArray[np.intp]) -> Sample:
        codes = self.codes[rows]
        nq = len(rubric.question_ids)
        key = codes[:, :nq]
        gaps = key == _MISSING_CODE
        case_ids = tuple(self.case_ids[i] for i in rows.tolist())
        blanks = _blank_note(case_ids, rubric.question_ids, gaps) if gaps.any() else None
        key[gaps] = int(Judgment.NOT_RELEVANT)  # gaps allowed: not relevant
        values = tuple(
            zip(
                *(
                    np.array(a.values, dtype=object)[a.codes[rows]].tolist()
                    for a in self.attributes
                ),
                strict=True,
            )
        )
        return _sample_from_full(
            rubric,
            case_ids,
            codes,
            self.attribute_names,
            values if self.attribute_names else (),
            source,
            () if blanks is None else (blanks,),
        )

    def tallies(self, rubric: Rubric, source: str) -> GroupTallies:
        nq = len(rubric.question_ids)
        group = self.split_of_case
        if len(group) > 1 and (np.diff(group) < 0).any():
            order = np.argsort(group, kind="stable")
            group, codes = group[order], self.codes[order]
        else:
            codes = self.codes
        key = codes[:, :nq]
        starts = np.flatnonzero(np.diff(group, prepend=-1))
        # Summed as the smallest integers that hold a group's count (reduceat casts the whole
        # input to its type first: int64 would take 8 bytes a case and question).
        count_type = _index_type(len(key) + 1)
        yes = np.add.reduceat(key == int(Judgment.YES), starts, axis=0, dtype=count_type)
        relevant = np.add.reduceat(key >= int(Judgment.NO), starts, axis=0, dtype=count_type)
        cases = np.diff(np.append(starts, len(group))).astype(np.int64)
        present = group[starts].tolist()
        by_name = sorted(range(len(present)), key=lambda i: self.split_values[present[i]])
        return GroupTallies(
            tuple(self.split_values[present[i]] for i in by_name),
            cases[by_name],
            yes[by_name].astype(np.int64),
            relevant[by_name].astype(np.int64),
            self.shared,
            source,
        )


def _clean(values: Sequence[str]) -> bool:
    """No blank value and none with surrounding spaces."""
    return "" not in values and all(v == v.strip() for v in values)


def _accept(
    columns: Columns,
    rubric: Rubric,
    layout: Layout,
    missing: Missing,
    split: str | None,
    *,
    ordered: bool,
) -> _Cases | None:
    """The cases of clean coded columns, or None for anything the locating path must read and
    report (see the module's description). ``ordered``: cases in order of first appearance
    (else in the order of their split value's code, which is enough for tallies)."""
    if not columns.rows:
        return None  # no rows: the locating path says there are no judgments
    names = columns.names
    if "" in names or len(set(names)) != len(names):
        return None
    keep = [k for k, n in enumerate(names) if n != split]
    probe = Table(columns.source, tuple(columns.header[k] for k in keep), (), ())
    chosen = probe.layout(layout)
    if check_header(probe, chosen):
        return None
    if split is None:
        groups = Column(np.zeros(columns.rows, dtype=np.int8), ("",))
    else:
        groups = columns.columns[names.index(split)]
        if not _clean(groups.values):
            return None
    part = [columns.columns[k] for k in keep]
    part_names = [names[k] for k in keep]
    if chosen == "long":
        if not all(c in part_names for c in LONG_COLUMNS):
            return None  # a forced long layout without its columns: the locating path says so
        return _accept_long(part, part_names, groups, rubric, missing, ordered)
    return _accept_wide(part, part_names, groups, rubric, missing)


def _judgment_lookup(values: Sequence[str], blank: int) -> npt.NDArray[np.int8] | None:
    """Each value's judgment code (``blank`` for an empty cell), or None if any is not one."""
    out = np.empty(len(values), dtype=np.int8)
    for i, v in enumerate(values):
        judgment = parse_judgment(v)
        if judgment is not None:
            out[i] = int(judgment)
        elif blank != _BAD and not v.strip():
            out[i] = blank
        else:
            return None
    return out


def _index_type(bound: int) -> type[np.int32] | type[np.int64]:
    """The smallest of int32 and int64 that holds every value below ``bound``."""
    return np.int32 if bound < 2**31 else np.int64


def _case_keys(
    groups: Column, cases: Column, ordered: bool
) -> tuple[npt.NDArray[np.integer[Any]], npt.NDArray[np.integer[Any]]]:
    """Each row's case (a group and a case id together) as a position, and each case's pair
    code (``group * len(case values) + case``), cases in order of first appearance."""
    span = len(groups.values) * len(cases.values)
    pair = np.multiply(groups.codes, len(cases.values), dtype=_index_type(span))
    pair += cases.codes.astype(pair.dtype)
    unique_pairs, first, case_of_row = np.unique(pair, return_index=True, return_inverse=True)
    if ordered:
        rank = np.argsort(first, kind="stable")
        position = np.empty(len(rank), dtype=np.int64)
        position[rank] = np.arange(len(rank))
        return position[case_of_row.ravel()], unique_pairs[rank]
    return case_of_row.ravel(), unique_pairs


def _cases_by_slots(
    groups: Column, cases: Column, width: int
) -> tuple[npt.NDArray[np.integer[Any]] | None, npt.NDArray[np.integer[Any]], int]:
    """For tallies: each row's slot (case times ``width``) found the cheapest way by how many
    (group, case id) pairs the codes span (see :data:`_SLOTS_PER_ROW`); cases come out in the
    order of their pairs. Returns the pairs found (None: every pair has a slot, unused ones
    dropped after), each row's first flat index, and the number of slots."""
    span, rows = len(groups.values) * len(cases.values), len(groups.codes)
    pair = np.multiply(groups.codes, len(cases.values), dtype=_index_type(span))
    np.add(pair, cases.codes, out=pair, casting="unsafe")  # cast in buffers, no copy of codes
    if span * width <= max(_SLOTS_PER_ROW * rows, _SLOTS_FLOOR):
        flat_type = _index_type(span * width)
        if flat_type == pair.dtype:
            return None, np.multiply(pair, width, out=pair), span  # in place: one array
        return None, np.multiply(pair, width, dtype=flat_type), span
    if span <= _MARK_LIMIT:
        mark = np.zeros(span, dtype=bool)
        mark[pair] = True
        unique_pairs = np.flatnonzero(mark)
        position = (np.cumsum(mark) - 1).astype(_index_type(span))
        del mark
        case_of_row = position[pair]
    else:
        unique_pairs, case_of_row = np.unique(pair, return_inverse=True)
        case_of_row = case_of_row.ravel()
    slots = len(unique_pairs)
    return unique_pairs, np.multiply(case_of_row, width, dtype=_index_type(slots * width)), slots


def _accept_long(
    part: list[Column],
    names: list[str],
    groups: Column,
    rubric: Rubric,
    missing: Missing,
    ordered: bool,
) -> _Cases | None:
    ci, qi, ji = (names.index(c) for c in LONG_COLUMNS)
    cases, questions, judgments = part[ci], part[qi], part[ji]
    if not _clean(cases.values) or any_summary_row(cases.values):
        return None
    answer_ids = _answer_ids(rubric)
    keys = key_index(answer_ids)
    q_map = np.array([keys.get(id_key(q), -1) for q in questions.values], dtype=np.int64)
    j_map = _judgment_lookup(judgments.values, _BAD)
    if (q_map < 0).any() or j_map is None:
        return None
    width, rows = len(answer_ids), len(cases.codes)
    unique_pairs: npt.NDArray[np.integer[Any]] | None
    if ordered:
        case_of_row, unique_pairs = _case_keys(groups, cases, ordered=True)
        slots = len(unique_pairs)
        flat = np.multiply(case_of_row, width, dtype=np.int64)
    else:
        unique_pairs, flat, slots = _cases_by_slots(groups, cases, width)
    # Each question's position looked up in the smallest type (a row's copy of it is the
    # largest array made here), then added in buffers.
    place = _lookup(q_map.astype(np.min_scalar_type(width)), questions.codes)
    np.add(flat, place, out=flat, casting="unsafe")
    del place
    flat_codes = np.full(slots * width, _MISSING_CODE, dtype=np.int8)
    _scatter(flat_codes, flat, _lookup(j_map, judgments.codes))
    extra = [k for k, n in enumerate(names) if n not in LONG_COLUMNS]
    if not extra:
        del flat  # each row's slot is wanted only for the cases' attributes: freed first
    answered = flat_codes != _MISSING_CODE
    if int(np.count_nonzero(answered)) != rows:
        return None  # a case and question given twice: the locating path checks they agree
    codes = flat_codes.reshape(slots, width)
    if unique_pairs is None:
        unique_pairs = np.flatnonzero(answered.reshape(slots, width).any(axis=1))
        del answered  # before the cases' rows are copied out
        codes = codes[unique_pairs]
    else:
        del answered
    if missing == "error" and (codes[:, : len(rubric.question_ids)] == _MISSING_CODE).any():
        return None  # a gap: the locating path says which
    # Each row's slot (its case, when every slot is a case found).
    attributes = _case_attributes(part, extra, flat, width, unique_pairs, slots) if extra else ()
    if attributes is None:
        return None
    n_values = len(cases.values)
    case_codes = (unique_pairs % n_values).astype(np.int64)
    return _Cases(
        groups.values,
        (unique_pairs // n_values).astype(np.int64),
        tuple(np.array(cases.values, dtype=object)[case_codes].tolist()),
        codes,
        tuple(names[k] for k in extra),
        attributes,
        _shared(case_codes, n_values),
    )


#: Places a narrow index is cast to ``intp`` at a time (see :func:`_scatter`, :func:`_lookup`).
_SCATTER_CHUNK = 1 << 16


def _scatter(
    out: npt.NDArray[Any], index: npt.NDArray[np.integer[Any]], values: npt.NDArray[Any]
) -> None:
    """``out[index] = values``, with a narrow ``index`` cast to ``intp`` a chunk at a time: numpy
    casts the whole of it first, which costs more than the scatter (6 against 2 ms for 1.68M
    places of a national file)."""
    if index.dtype == np.intp:
        out[index] = values
        return
    for start in range(0, len(index), _SCATTER_CHUNK):
        stop = start + _SCATTER_CHUNK
        out[index[start:stop].astype(np.intp)] = values[start:stop]


def _lookup(table: npt.NDArray[Any], codes: npt.NDArray[np.integer[Any]]) -> npt.NDArray[Any]:
    """``table[codes]`` by ``take`` a chunk at a time: ``take`` is twice as fast as indexing
    with narrow codes, but casts its whole index to ``intp`` first (13 MiB for 1.68M rows)."""
    out = np.empty(len(codes), dtype=table.dtype)
    for start in range(0, len(codes), _SCATTER_CHUNK):
        stop = start + _SCATTER_CHUNK
        table.take(codes[start:stop], out=out[start:stop])
    return out


def _shared(case_codes: npt.NDArray[np.integer[Any]], n_values: int) -> bool:
    """Whether a case id (its code, of ``n_values``) is a case in more than one group."""
    return bool(np.bincount(case_codes, minlength=n_values).max(initial=0) > 1)


def _case_attributes(
    part: list[Column],
    extra: list[int],
    flat: npt.NDArray[np.integer[Any]],
    width: int,
    unique_pairs: npt.NDArray[np.integer[Any]],
    slots: int,
) -> tuple[Column, ...] | None:
    """Each case's attributes: the value of its first row, which every other row must repeat
    (None when one does not: the locating path reports it). ``flat``: each row's slot times
    ``width`` plus its question."""
    case_of_row = flat // width
    if slots != len(unique_pairs):  # slot positions: renumber to the cases found
        renumber = np.full(slots, -1, dtype=np.int64)
        renumber[unique_pairs] = np.arange(len(unique_pairs))
        case_of_row = renumber[case_of_row]
    first_row = np.full(len(unique_pairs), -1, dtype=np.int64)
    first_row[case_of_row[::-1]] = np.arange(len(case_of_row) - 1, -1, -1)
    out = []
    for k in extra:
        column = part[k]
        per_case = column.codes[first_row]
        if (column.codes != per_case[case_of_row]).any():
            return None
        out.append(Column(per_case, column.values))
    return tuple(out)


def _accept_wide(
    part: list[Column], names: list[str], groups: Column, rubric: Rubric, missing: Missing
) -> _Cases | None:
    wide = resolve_wide_header(names, rubric)
    targets = [j for _, j in wide.questions]
    if wide.problems or len(set(targets)) != len(targets):
        return None  # unknown or repeated question columns: the locating path words them
    cases = part[wide.case_column]
    if not _clean(cases.values) or any_summary_row(cases.values):
        return None
    _, unique_pairs = _case_keys(groups, cases, ordered=True)
    if len(unique_pairs) != len(cases.codes):
        return None  # a case given twice: the locating path checks it
    # Every row is a case of its own, in order.
    codes = np.full((len(cases.codes), len(_answer_ids(rubric))), _MISSING_CODE, dtype=np.int8)
    for k, j in wide.questions:
        lookup = _judgment_lookup(part[k].values, _MISSING_CODE)
        if lookup is None:
            return None
        codes[:, j] = _lookup(lookup, part[k].codes)
    if missing == "error" and (codes[:, : len(rubric.question_ids)] == _MISSING_CODE).any():
        return None
    n_values = len(cases.values)
    return _Cases(
        groups.values,
        np.asarray(groups.codes, dtype=np.int64),
        tuple(cases.cells()),
        codes,
        tuple(name for _, name in wide.attributes),
        tuple(part[k] for k, _ in wide.attributes),
        _shared(unique_pairs % n_values, n_values),
    )


_Layout = Literal["long", "wide"]
