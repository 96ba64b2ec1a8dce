"""Many inspections at once: one file (or frame) with a group column, every group rated in bulk.

:func:`score_groups` reads a national file once (``inspection,case_id,question_id,judgment``,
or any layout with a group column), tallies every group with numpy, and rates them all with
:func:`~probation_audit.bulk.rate_many`. Case ids need only be unique within a group. A clean
long file takes a vectorised path; anything else is read group by group through the table
reader, which finds and locates every problem. The exact explanation of any one group is
:meth:`GroupScores.result`.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from operator import itemgetter
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .bulk import BulkRatings, rate_many
from .csvcolumns import code_columns
from .csvfiles import read_csv_text, table_sample
from .errors import AuditError, AuditErrors, JudgmentError, capped
from .frames import as_frame, is_frame
from .judgments import (
    _MISSING_CODE,
    MISSING_CHOICES,
    Judgment,
    Missing,
    any_summary_row,
    id_key,
    parse_judgment,
)
from .rating import NOT_RATED, check_ratings, require_rubric, score_tally
from .reading import read_table
from .results import Result, records_frame
from .rubric import Rubric
from .tables import Table, split_by_column

__all__ = ["GroupScores", "score_groups"]

GroupRatings = Mapping[str, str] | Mapping[str, Mapping[str, str]] | str | os.PathLike[str]


@attrs.frozen(eq=False)
class GroupScores:
    """Every group's tallies and ratings. ``groups`` are sorted; arrays are in that order."""

    rubric: Rubric
    by: str
    groups: tuple[str, ...]
    #: cases per group
    cases: npt.NDArray[np.int64] = attrs.field(repr=False)
    #: 'yes' and relevant counts, shape (groups, key questions in rubric order)
    yes: npt.NDArray[np.int64] = attrs.field(repr=False)
    relevant: npt.NDArray[np.int64] = attrs.field(repr=False)
    ratings: BulkRatings = attrs.field(repr=False)
    #: judged standards' ratings, per group
    judged: tuple[Mapping[str, str], ...] = attrs.field(repr=False)
    source: str | None = None
    #: True when some case id appears in more than one group (a national file)
    shared_case_ids: bool = False

    _positions: dict[str, int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_positions", {g: i for i, g in enumerate(self.groups)})

    def index(self, group: str) -> int:
        try:
            return self._positions[group]
        except KeyError:
            raise KeyError(f"no {self.by} {group!r}") from None

    def tally(self, group: str) -> dict[str, tuple[int, int]]:
        i = self.index(group)
        return {
            q: (int(self.yes[i, j]), int(self.relevant[i, j]))
            for j, q in enumerate(self.rubric.question_ids)
        }

    def result(self, group: str) -> Result:
        """The exact result of one group, with its explanations and margins."""
        i = self.index(group)
        return score_tally(self.rubric, self.tally(group), self.judged[i], cases=int(self.cases[i]))

    def driven_by(self) -> dict[str, list[tuple[str, ...]]]:
        """Per case-based standard, per group, the key question(s) with the lowest value under
        the rubric's rounding rule (ties: all of them; none when undetermined).

        Exact: equal fractions k/n give equal floats, and distinct ones with denominators under
        2**26 differ in float64; half-up rounding is computed in integers.
        """
        y, r = self.yes, self.relevant
        if self.rubric.rounding.method == "half-up":
            value = ((200 * y + r) // np.maximum(2 * r, 1)).astype(np.float64)
        else:
            value = y / np.maximum(r, 1)
        value = np.where(r > 0, value, np.inf)
        columns = {q: j for j, q in enumerate(self.rubric.question_ids)}
        out: dict[str, list[tuple[str, ...]]] = {}
        for s in self.rubric.standards:
            if s.judged:
                continue
            ids = [q.id for q in s.questions]
            sub = value[:, [columns[q] for q in ids]]
            low = sub.min(axis=1)
            out[s.id] = [
                ()
                if not np.isfinite(low[g])
                else tuple(q for q, v in zip(ids, sub[g], strict=True) if v == low[g])
                for g in range(len(self.groups))
            ]
        return out

    def to_records(self) -> list[dict[str, Any]]:
        """One record per group and standard (and one per group for the overall rating): the
        rating, the driving question(s), and the lowest question's counts."""
        drivers = self.driven_by()
        columns = {q: j for j, q in enumerate(self.rubric.question_ids)}
        out: list[dict[str, Any]] = []
        for g, name in enumerate(self.groups):
            for s in self.rubric.standards:
                record: dict[str, Any] = {
                    self.by: name,
                    "cases": int(self.cases[g]),
                    "standard": s.id,
                    "title": s.title,
                    "rating": self.ratings.rating(g, s.id),
                    "driven_by": "",
                    "yes": None,
                    "relevant": None,
                }
                if s.judged:
                    given = self.judged[g].get(s.id)
                    record["rating"] = "not rated" if given == NOT_RATED else given
                else:
                    lead = drivers[s.id][g]
                    record["driven_by"] = " ".join(lead)
                    if lead:
                        j = columns[lead[0]]
                        record["yes"] = int(self.yes[g, j])
                        record["relevant"] = int(self.relevant[g, j])
                out.append(record)
            out.append(
                {
                    self.by: name,
                    "cases": int(self.cases[g]),
                    "standard": "overall",
                    "title": "",
                    "rating": self.ratings.overall_rating(g),
                    "driven_by": "",
                    "yes": None,
                    "relevant": None,
                }
            )
        return out

    def to_frame(self) -> Any:
        """:meth:`to_records` as a pandas DataFrame (needs pandas)."""
        return records_frame(self.to_records())


def score_groups(
    rubric: Rubric,
    source: str | os.PathLike[str] | object,
    by: str = "inspection",
    ratings: GroupRatings | None = None,
    *,
    missing: Missing = "error",
    sheet: str | None = None,
    encoding: str | None = None,
) -> GroupScores:
    """Rate every group of a file or data frame that has a ``by`` column, in one pass.

    ``ratings`` gives judged standards' ratings: one mapping for every group, a mapping
    group -> (standard -> label), or the path of a CSV file with columns ``by``, ``standard``,
    ``rating``. Raises :class:`~probation_audit.errors.AuditErrors` listing every problem
    (with its line), :class:`TypeError` and :class:`ValueError` for misuse.

    Returns:
        The :class:`GroupScores` of every group, sorted by name, with its cases, 'yes' and relevant
        counts, bulk ratings and judged ratings.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, ``source`` is
            neither a path nor a data frame, or ``ratings`` is neither a mapping nor a path.
        ValueError: ``missing`` is not ``'error'`` or ``'not-relevant'``; the rubric is not one with
            the 'lowest' aggregation and an overall rule; or, when the source is read through the
            table reader, ``sheet`` or ``encoding`` does not fit it (a clean long CSV file or frame
            read by the vectorised path ignores them).
        AuditErrors: the source cannot be read, has no ``by`` column, has a row with a blank group,
            or has problems in any group's judgments (each located by its line); or the ratings are
            bad (unknown standards or labels, ratings for groups with no judgments, a ratings file
            that cannot be read or lacks its columns).
        ImportError: the source is a workbook and openpyxl (the ``excel`` extra) is not installed.
    """
    require_rubric(rubric)
    if missing not in MISSING_CHOICES:
        raise ValueError(f"missing must be one of {MISSING_CHOICES}, not {missing!r}")
    if rubric.overall is None or any(
        rubric.aggregation(s.aggregation).method != "lowest"
        for s in rubric.standards
        if s.aggregation is not None
    ):
        raise ValueError(
            f"score_groups rates rubrics with 'lowest' aggregation and an overall rule; "
            f"{rubric.id!r} is not one (rate its groups one by one with score)"
        )
    read = None
    if is_frame(source):
        where = "<DataFrame>"
        source = as_frame(source)  # an Arrow stream is read once, here
        columns = _frame_codes(source, by)
        if columns is not None:
            read = _code(columns, rubric, missing)
    elif isinstance(source, str | os.PathLike):
        where = os.fspath(source)
        if not where.lower().endswith((".xlsx", ".xlsm")):
            read = _fast_grouped_csv(where, rubric, by, missing, encoding)
    else:
        raise TypeError(
            f"expected a file path or a data frame (with the column {by!r}), got {type(source).__name__}"
        )
    if read is None:
        read = _grouped_by_table(
            read_table(source, sheet=sheet, encoding=encoding), rubric, by, missing
        )
    names, cases, yes, relevant, shared = read
    judged = _judged_per_group(rubric, names, by, ratings)
    bulk = _rate_by_ratings(rubric, yes, relevant, judged)
    return GroupScores(rubric, by, names, cases, yes, relevant, bulk, judged, where, shared)


def _rate_by_ratings(
    rubric: Rubric,
    yes: npt.NDArray[np.int64],
    relevant: npt.NDArray[np.int64],
    judged: tuple[Mapping[str, str], ...],
) -> BulkRatings:
    """:func:`rate_many` once per distinct set of judged ratings, rows put back in order."""
    sets: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for g, given in enumerate(judged):
        sets.setdefault(tuple(sorted(given.items())), []).append(g)
    parts = {
        key: rate_many(rubric, yes[rows], relevant[rows], dict(key)) for key, rows in sets.items()
    }
    first = next(iter(parts.values()))
    standards = np.empty((len(judged), len(first.standard_ids)), dtype=np.int64)
    points = np.empty(len(judged), dtype=np.int64)
    overall = np.empty(len(judged), dtype=np.int64)
    for key, rows in sets.items():
        part = parts[key]
        standards[rows] = part.standards
        points[rows] = part.points
        overall[rows] = part.overall
    return BulkRatings(first.standard_ids, first.labels, standards, points, overall)


def _judged_per_group(
    rubric: Rubric, names: tuple[str, ...], by: str, ratings: GroupRatings | None
) -> tuple[Mapping[str, str], ...]:
    if ratings is None:
        return tuple({} for _ in names)
    if isinstance(ratings, str | os.PathLike):
        ratings = _read_group_ratings(os.fspath(ratings), by)
    if not isinstance(ratings, Mapping):
        raise TypeError(f"ratings must be a mapping or a CSV path, got {type(ratings).__name__}")
    per_group = all(isinstance(v, Mapping) for v in ratings.values()) and bool(ratings)
    if not per_group:
        same = check_ratings(rubric, ratings)  # type: ignore[arg-type]
        return tuple(same for _ in names)
    errors: list[AuditError] = []
    unknown = sorted(set(ratings) - set(names))
    if unknown:
        errors.append(
            AuditError(f"ratings given for {by} values with no judgments: {', '.join(unknown)}")
        )
    out: list[Mapping[str, str]] = []
    for name in names:
        try:
            out.append(check_ratings(rubric, ratings.get(name, {})))  # type: ignore[arg-type]
        except AuditErrors as exc:
            errors.extend(
                AuditError(e.message, key_path=f"{by} {name!r}: {e.key_path}") for e in exc.errors
            )
            out.append({})
    if errors:
        raise AuditErrors(errors)
    return tuple(out)


def _read_group_ratings(path: str, by: str) -> dict[str, dict[str, str]]:
    """A CSV of judged ratings: columns ``by``, ``standard``, ``rating``."""
    text = read_csv_text(path)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [h.strip() for h in next(reader, [])]
    need = [by, "standard", "rating"]
    if any(n not in header for n in need):
        raise AuditErrors(
            [
                JudgmentError(
                    f"missing header: expected columns {', '.join(need)}", source=path, line=1
                )
            ]
        )
    gi, si, ri = (header.index(n) for n in need)
    out: dict[str, dict[str, str]] = {}
    errors: list[AuditError] = []
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            errors.append(
                JudgmentError(
                    f"expected {len(header)} fields, found {len(row)}", source=path, line=line
                )
            )
            continue
        group, sid, label = row[gi].strip(), row[si].strip(), row[ri].strip()
        given = out.setdefault(group, {})
        if sid in given and given[sid] != label:
            errors.append(
                JudgmentError(
                    f"{sid} rated twice: {given[sid]!r} and {label!r}", source=path, line=line
                )
            )
        given[sid] = label
    if errors:
        raise AuditErrors(errors)
    return out


# -- reading --------------------------------------------------------------------------------

#: (sorted group names; per group, its cases and its 'yes' and relevant counts per key question
#: in rubric order; whether case ids repeat across groups)
Read = tuple[
    tuple[str, ...], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], bool
]
_BLOCK = 4096
#: How ``_code`` finds the cases, by the number of (group, case id) pairs the codes span: a
#: slot per pair and answer when those slots are at most ``_SLOTS_PER_ROW`` bytes a row (or
#: ``_SLOTS_FLOOR`` in all); else the pairs seen are marked in a bool array of the span when
#: it is at most ``_MARK_LIMIT``; else sorted (``np.unique``).
_SLOTS_PER_ROW, _SLOTS_FLOOR, _MARK_LIMIT = 4, 1 << 20, 50_000_000


#: A column coded as integers: each row's code, and the distinct values the codes index.
Coded = tuple[npt.NDArray[np.integer[Any]], list[str]]


def _fast_grouped_csv(
    path: str, rubric: Rubric, by: str, missing: Missing, encoding: str | None
) -> Read | None:
    """A clean long file ``by,case_id,question_id,judgment`` (any column order, nothing else),
    its columns coded as integers: a plain file (quotes only around whole fields, none around
    a line break) split and coded in blocks of bytes with numpy
    (:mod:`~probation_audit.csvcolumns`, the fastest and leanest reader measured); else by
    pyarrow's CSV reader when it is installed; else streamed through :mod:`csv` in blocks.
    None for anything else, which the table path reads and reports."""
    columns = _plain_csv_codes(path, by, encoding)
    if columns is None:
        columns = _arrow_csv_codes(path, by, encoding)
    if columns is None:
        columns = _stdlib_csv_codes(path, by, encoding)
    return None if columns is None else _code(columns, rubric, missing)


def _plain_csv_codes(path: str, by: str, encoding: str | None) -> dict[str, Coded] | None:
    wanted = [by, "case_id", "question_id", "judgment"]

    def long_layout(header: list[str]) -> bool:
        names = [h.strip() for h in header]
        return sorted(names) == sorted(wanted) and len(set(names)) == 4

    read = code_columns(path, encoding=encoding, accept=long_layout)
    if read is None:
        return None
    header, columns = read
    found = dict(zip([h.strip() for h in header], columns, strict=True))
    return {name: found[name] for name in wanted}


def _frame_codes(frame: object, by: str) -> dict[str, Coded] | None:
    """A long data frame's four columns coded as integers, column by column."""
    names = [str(c) for c in getattr(frame, "columns", getattr(frame, "column_names", []))]
    wanted = [by, "case_id", "question_id", "judgment"]
    if sorted(names) != sorted(wanted) or len(set(names)) != 4:
        return None
    out: dict[str, Coded] = {}
    module = type(frame).__module__.split(".", 1)[0]
    if module == "polars":
        return _polars_codes(frame, wanted)
    for name in wanted:
        if module == "pandas":
            series = frame[name]  # type: ignore[index]
            if series.isna().any():
                return None  # NaN: the table path says how pandas made it
            if str(series.dtype) not in ("object", "string", "str"):
                series = series.astype(str)
            codes, uniques = series.factorize()
            out[name] = (np.asarray(codes, dtype=np.int64), [str(u) for u in uniques])
        else:
            coded = _arrow_codes(frame.column(name))  # type: ignore[attr-defined]
            if coded is None:
                return None
            out[name] = coded
    return out


def _polars_codes(frame: Any, wanted: list[str]) -> dict[str, Coded] | None:
    """A polars frame's columns coded in polars itself, the columns in parallel. Each is cast
    to a Categorical of categories of its own (a fresh, randomly named ``pl.Categories``), so
    that one pass gives dense codes and the values they index; where that API (unstable in
    polars) is missing or gives codes that are not dense, each column's distinct values are
    found first and it is cast to an Enum of them. None for nulls or a column that is not
    text (the table path says what they are)."""
    import polars as pl

    if any(frame.schema[c] != pl.String for c in wanted):
        return None
    if any(frame.get_column(c).null_count() for c in wanted):
        return None
    try:
        kinds = {c: pl.Categorical(pl.Categories.random()) for c in wanted}
        cast = frame.select(pl.col(c).cast(kinds[c]) for c in wanted)
        out: dict[str, Coded] = {}
        for c in wanted:
            column = cast.get_column(c)
            codes = column.to_physical().to_numpy()
            values = [str(v) for v in column.dtype.categories.to_series().to_list()]
            if len(codes) and int(codes.max()) + 1 != len(values):
                raise ValueError("codes are not dense")
            out[c] = (codes, values)
        return out
    except (AttributeError, TypeError, ValueError, pl.exceptions.PolarsError):
        pass
    distinct = frame.select(pl.col(c).unique().implode() for c in wanted).row(0)
    coded = frame.select(
        pl.col(c).cast(pl.Enum(values)).to_physical()
        for c, values in zip(wanted, distinct, strict=True)
    )
    return {
        c: (coded.get_column(c).to_numpy(), [str(v) for v in values])
        for c, values in zip(wanted, distinct, strict=True)
    }


def _arrow_codes(column: Any) -> Coded | None:
    """A pyarrow string column coded by pyarrow's dictionary encoding. None for nulls or any
    other type."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.null_count:
        return None
    if getattr(pa.types, "is_string_view", lambda kind: False)(column.type):
        column = column.cast(pa.string())  # DuckDB and polars may hand over string views
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return None
    encoded = pc.dictionary_encode(column).combine_chunks()
    return (
        encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
        [str(v) for v in encoded.dictionary.to_pylist()],
    )


def _arrow_csv_codes(path: str, by: str, encoding: str | None) -> dict[str, Coded] | None:
    try:
        from pyarrow import csv as pacsv
    except ImportError:
        return None
    wanted = [by, "case_id", "question_id", "judgment"]
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=encoding or "utf8"),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(wanted, "string"),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except Exception:  # any parse problem: the table path finds and locates it
        return None
    out: dict[str, Coded] = {}
    try:
        names = [n.strip() for n in table.column_names]
        if sorted(names) != sorted(wanted) or len(set(names)) != 4:
            return None
        for raw, name in zip(table.column_names, names, strict=True):
            coded = _arrow_codes(table.column(raw))
            if coded is None:
                return None
            out[name] = coded
    except Exception:  # text that is not valid UTF-8, and the like: the table path reports it
        return None
    return out


def _stdlib_csv_codes(path: str, by: str, encoding: str | None) -> dict[str, Coded] | None:
    try:
        fp = open(path, encoding=encoding or "utf-8-sig", newline="")  # noqa: SIM115
    except (OSError, LookupError):
        return None
    wanted = [by, "case_id", "question_id", "judgment"]
    with fp:
        try:
            reader = csv.reader(fp, strict=True)
            header = [h.strip() for h in next(reader, [])]
            if sorted(header) != sorted(wanted) or len(set(header)) != 4:
                return None
            index = [header.index(c) for c in wanted]
            seen: list[dict[str, int]] = [{}, {}, {}, {}]
            chunks: list[list[npt.NDArray[np.int64]]] = [[], [], [], []]
            for block in _blocks(reader):
                if set(map(len, block)) != {4}:
                    return None
                for k, column in enumerate(index):
                    values = list(map(itemgetter(column), block))
                    known = seen[k]
                    for v in dict.fromkeys(values):
                        known.setdefault(v, len(known))
                    chunks[k].append(
                        np.fromiter(
                            map(known.__getitem__, values), dtype=np.int64, count=len(values)
                        )
                    )
        except (csv.Error, UnicodeDecodeError):
            return None
    if not chunks[0]:
        return None
    return {name: (np.concatenate(chunks[k]), list(seen[k])) for k, name in enumerate(wanted)}


def _code(columns: dict[str, Coded], rubric: Rubric, missing: Missing) -> Read | None:
    """Coded columns to each group's tallies (a :data:`Read`); None for anything the table path
    must read: an unknown question, a bad or blank judgment, a blank or untrimmed id, a
    summary row, a case and question given twice, or a gap when gaps are errors.

    The columns are taken out of ``columns`` (which is left empty), so that each can be freed
    as soon as it has been used."""
    by = next(iter(columns))
    if not len(columns[by][0]):
        return None  # no rows: the table path says there are no judgments
    if any(len(set(names)) != len(names) for _, names in columns.values()):
        return None  # values that read alike (1 and '1' in a frame): the table path merges them
    (g_codes, g_names), (c_codes, c_names), (q_codes, q_names), (j_codes, j_names) = (
        columns.pop(k) for k in (by, "case_id", "question_id", "judgment")
    )
    if not _clean(g_names) or not _clean(c_names) or any_summary_row(c_names):
        return None
    answer_ids = rubric.question_ids + rubric.prompt_ids
    keys = {id_key(q): j for j, q in enumerate(answer_ids)}
    q_map = np.array([keys.get(id_key(q), -1) for q in q_names], dtype=np.int64)
    j_map = np.array(
        [-9 if (j := parse_judgment(v)) is None else int(j) for v in j_names], dtype=np.int64
    )
    if (q_map < 0).any() or (j_map == -9).any():
        return None
    # Cases: a group and a case id together, found one of three ways by how many pairs the
    # codes span (see _SLOTS_PER_ROW); cases come out in the order of their pairs.
    # Row-sized arrays are int32 where the values fit (a national file's memory is mostly
    # these), and each is dropped as soon as it has been used.
    span, nq_all, rows = len(g_names) * len(c_names), len(answer_ids), len(g_codes)
    pair = np.multiply(g_codes, len(c_names), dtype=_index_type(span))
    pair += c_codes
    del g_codes, c_codes
    unique_pairs: npt.NDArray[np.integer[Any]] | None = None
    if span * nq_all <= max(_SLOTS_PER_ROW * rows, _SLOTS_FLOOR):
        # Few pairs for the rows (a national file, whose case ids repeat in every group): a
        # slot per pair and question, pairs never seen dropped after.
        flat = np.multiply(pair, nq_all, dtype=_index_type(span * nq_all))
        slots = span
    else:
        if span <= _MARK_LIMIT:
            mark = np.zeros(span, dtype=bool)
            mark[pair] = True
            unique_pairs = np.flatnonzero(mark)
            position = (np.cumsum(mark) - 1).astype(_index_type(span))
            del mark
            case_of_row = position[pair]
            del position
        else:
            unique_pairs, case_of_row = np.unique(pair, return_inverse=True)
            case_of_row = case_of_row.ravel()
        slots = len(unique_pairs)
        flat = np.multiply(case_of_row, nq_all, dtype=_index_type(slots * nq_all))
        del case_of_row
    del pair
    flat += q_map.astype(flat.dtype)[q_codes]
    del q_codes
    flat_codes = np.full(slots * nq_all, _MISSING_CODE, dtype=np.int8)
    flat_codes[flat] = j_map.astype(np.int8)[j_codes]
    del j_codes, flat
    answered = flat_codes != _MISSING_CODE
    if int(np.count_nonzero(answered)) != rows:
        return None  # a case and question given twice: the table path checks they agree
    codes = flat_codes.reshape(slots, nq_all)
    if unique_pairs is None:
        unique_pairs = np.flatnonzero(answered.reshape(slots, nq_all).any(axis=1))
        codes = codes[unique_pairs]
    del answered, flat_codes
    n_cases = len(unique_pairs)
    key_codes = codes[:, : len(rubric.question_ids)]
    if missing == "error" and (key_codes == _MISSING_CODE).any():
        return None  # a gap: the table path says which
    # Cases are in the order of their pairs, so each group's cases are contiguous (groups
    # in code order): the tallies are sums over row segments. A gap is not relevant.
    group_of_case = unique_pairs // len(c_names)
    starts = np.flatnonzero(np.diff(group_of_case, prepend=-1))
    yes: npt.NDArray[np.int64] = np.add.reduceat(
        key_codes == int(Judgment.YES), starts, axis=0, dtype=np.int64
    )
    relevant: npt.NDArray[np.int64] = np.add.reduceat(
        key_codes >= int(Judgment.NO), starts, axis=0, dtype=np.int64
    )
    cases = np.diff(np.append(starts, n_cases)).astype(np.int64)
    # Groups in sorted order, so that output never depends on row order.
    order = sorted(range(len(g_names)), key=g_names.__getitem__)
    shared = n_cases > int(np.count_nonzero(np.bincount(unique_pairs % len(c_names))))
    return tuple(g_names[i] for i in order), cases[order], yes[order], relevant[order], shared


def _index_type(bound: int) -> type[np.int32] | type[np.int64]:
    """The smallest of int32 and int64 that holds every value below ``bound``."""
    return np.int32 if bound < 2**31 else np.int64


def _clean(ids: Sequence[str]) -> bool:
    return "" not in ids and all(i == i.strip() for i in ids)


def _blocks(reader: Iterator[list[str]]) -> Iterator[list[list[str]]]:
    while block := list(islice(reader, _BLOCK)):
        yield block


def _grouped_by_table(table: Table, rubric: Rubric, by: str, missing: Missing) -> Read:
    """Any layout, group by group through the table reader: every problem found, located."""
    split, errors = split_by_column(table, by, blank=f"blank {by} (each row names its group)")
    samples = []
    for name in sorted(split):
        try:
            samples.append(table_sample(split[name], rubric, missing=missing))
        except AuditErrors as exc:
            errors.extend(exc.errors)
    if not split and not errors:
        errors.append(JudgmentError("no case judgments found", source=table.source))
    if errors:
        raise AuditErrors(capped(errors, table.source))
    cases = np.array([len(s) for s in samples], dtype=np.int64)
    yes = np.array([(s.codes == int(Judgment.YES)).sum(axis=0) for s in samples], dtype=np.int64)
    relevant = np.array(
        [(s.codes >= int(Judgment.NO)).sum(axis=0) for s in samples], dtype=np.int64
    )
    ids = [c for sample in samples for c in sample.case_ids]
    return tuple(sorted(split)), cases, yes, relevant, len(set(ids)) < len(ids)
