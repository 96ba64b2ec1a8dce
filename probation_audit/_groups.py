"""Many inspections at once: one file (or frame) with a group column, every group rated in bulk.

:func:`score_groups` reads a national file once (``inspection,case_id,question_id,judgment``,
or any layout with a group column) through :func:`~probation_audit.reading.read_grouped`, the
same decoders and validator as a single audit, and rates every group with
:func:`~probation_audit._bulk.rate_many`. Case ids need only be unique within a group. The
exact explanation of any one group is :meth:`GroupScores.result`.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ._bulk import BulkRatings, lowest_questions, rate_many
from ._csvfiles import read_csv_text
from ._display import SHOWN_ROWS, Backend, frame, html_table, html_value, rating_cell
from ._frames import is_frame
from ._rules import rules_of
from ._tables import Layout, check_read_options
from .errors import AuditError, AuditErrors, JudgmentError
from .judgments import Missing
from .loading import rubric_file, rules_fingerprint
from .rating import NOT_RATED, casework_only, check_ratings, require_rubric, score_tally
from .reading import read_grouped
from .results import Result, overall_record, question_columns, rubric_label, standards_frame
from .rubric import Rubric

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
    #: True for casework-only audits: no judged standard and no overall rating is reported
    casework_only: bool = False
    #: what reading the source did that a reader should know (a workbook's hidden rows)
    notes: tuple[str, ...] = ()

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
        result = score_tally(
            self.rubric, self.tally(group), self.judged[i], cases=int(self.cases[i])
        )
        return casework_only(self.rubric, result) if self.casework_only else result

    def driven_by(self) -> dict[str, list[tuple[str, ...]]]:
        """Per case-based standard, per group, the key question(s) with the lowest value under
        the rubric's rounding rule (ties: all of them; none when undetermined), by the bulk
        engine's exact integer rule (:func:`~probation_audit._bulk.lowest_questions`).
        """
        masks = lowest_questions(self.rubric, self.yes, self.relevant)
        out: dict[str, list[tuple[str, ...]]] = {}
        for sid, mask in masks.items():
            ids = [q.id for q in self.rubric.standard(sid).questions]
            out[sid] = [
                tuple(q for q, low in zip(ids, row, strict=True) if low) for row in mask.tolist()
            ]
        return out

    @property
    def rubric_label(self) -> str:
        """The rubric's id with its file and its rules' fingerprint, as every output names it
        (see :attr:`Result.rubric_label <probation_audit.results.Result.rubric_label>`)."""
        return rubric_label(
            self.rubric.id, rubric_file(self.rubric), rules_fingerprint(self.rubric)
        )

    def __repr__(self) -> str:
        where = "" if self.source is None else f" from {self.source}"
        return (
            f"<GroupScores {self.rubric.id}: {len(self.groups):,} groups by {self.by!r}, "
            f"{int(self.cases.sum()):,} cases{where}>"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One record per group and standard (and one per group for the overall rating): the
        rating, the driving question(s) (None when there is none), the first one's counts, the
        standard's printed percentage and its points; the columns of
        :meth:`Result.standard_records <probation_audit.results.Result.standard_records>` after
        the group's name."""
        drivers = self.driven_by()
        columns = {q: j for j, q in enumerate(self.rubric.question_ids)}
        rules = rules_of(self.rubric)
        yes, relevant = self.yes.tolist(), self.relevant.tolist()
        overall_points = self.ratings.points.tolist()
        out: list[dict[str, Any]] = []
        standards = [
            (s, dict(zip(r.scale.labels, r.scale.points or (), strict=False)))
            for s, r in zip(self.rubric.standards, rules.standards, strict=True)
            if not (self.casework_only and s.judged)
        ]
        for g, (name, cases) in enumerate(zip(self.groups, self.cases.tolist(), strict=True)):
            for s, points in standards:
                record = overall_record(self.by, name, cases, self.ratings.rating(g, s.id))
                record.update(standard=s.id, title=s.title)
                if s.judged:
                    given = self.judged[g].get(s.id)
                    record["rating"] = "not rated" if given == NOT_RATED else given
                else:
                    lead = drivers[s.id][g]
                    record["driven_by"] = " ".join(lead) or None
                    if lead:
                        j = columns[lead[0]]
                        y, r = yes[g][j], relevant[g][j]
                        record.update(yes=y, relevant=r, percent=(200 * y + r) // (2 * r))
                record["points"] = points.get(record["rating"])
                out.append(record)
            if self.casework_only:
                continue
            out.append(overall_record(self.by, name, cases, self.ratings.overall_rating(g)))
            out[-1]["points"] = None if overall_points[g] < 0 else overall_points[g]
        return out

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`to_records` as a typed frame, one row per group and standard (see
        :meth:`Result.standard_frame <probation_audit.results.Result.standard_frame>`):
        pandas by default, polars with ``backend="polars"``."""
        return standards_frame(self.to_records(), self.by, rules_of(self.rubric).labels, backend)

    standard_frame = to_frame

    def question_records(self) -> list[dict[str, Any]]:
        """One record per group and key question, with the columns of
        :meth:`Result.to_records <probation_audit.results.Result.to_records>` after the group's
        name: each group's rows are what :meth:`result` gives for it, in bulk."""
        y, r = self.yes, self.relevant
        printed = np.where(r > 0, (200 * y + r) // np.maximum(2 * r, 1), -1).tolist()
        drivers = self.driven_by()
        columns = {q: j for j, q in enumerate(self.rubric.question_ids)}
        out: list[dict[str, Any]] = []
        for g, name in enumerate(self.groups):
            for s in self.rubric.standards:
                if s.judged:
                    continue
                rating = self.ratings.rating(g, s.id)
                for q in s.questions:
                    j = columns[q.id]
                    yes, relevant = int(y[g, j]), int(r[g, j])
                    out.append(
                        {
                            self.by: name,
                            "rubric": self.rubric.id,
                            "standard": s.id,
                            "standard_title": s.title,
                            "standard_rating": rating,
                            "question": q.id,
                            "text": q.text,
                            "yes": yes,
                            "relevant": relevant,
                            "percent": printed[g][j] if relevant else None,
                            "proportion": yes / relevant if relevant else None,
                            "driving": q.id in drivers[s.id][g],
                        }
                    )
        return out

    def question_frame(self, backend: Backend = "pandas") -> Any:
        """:meth:`question_records` as a typed frame (see :meth:`to_frame`)."""
        labels = rules_of(self.rubric).labels
        return frame(self.question_records(), question_columns(self.by, labels), backend)

    def _repr_html_(self) -> str:
        """A summary and the first groups' ratings, coloured as the HTML report colours them."""
        standards = [s for s in self.rubric.standards if not (self.casework_only and s.judged)]
        header = [self.by, "cases", *(s.id for s in standards)]
        header += [] if self.casework_only else ["overall"]
        rows: list[list[object]] = []
        for g, name in enumerate(self.groups[:SHOWN_ROWS]):
            cells: list[object] = [name, int(self.cases[g])]
            for s in standards:
                given = self.judged[g].get(s.id) if s.judged else self.ratings.rating(g, s.id)
                label = "not rated" if given == NOT_RATED else given
                cells.append(rating_cell(label or "undetermined", label))
            if not self.casework_only:
                overall = self.ratings.overall_rating(g)
                cells.append(rating_cell(overall or "undetermined", overall))
            rows.append(cells)
        facts = [
            f"rubric {self.rubric_label}",
            f"{len(self.groups):,} groups by {self.by!r}, {int(self.cases.sum()):,} cases",
            *self._overall_counts(),
        ]
        return html_value(
            f"GroupScores: {self.rubric.id}",
            facts,
            html_table(header, rows, total=len(self.groups)),
        )

    def _overall_counts(self) -> list[str]:
        if self.casework_only:
            return ["casework-only: no judged standard and no overall rating"]
        labels = self.ratings.overall_labels
        counts = np.bincount(self.ratings.overall + 1, minlength=len(labels) + 1).tolist()
        spread = [f"{n:,} {label}" for label, n in zip(labels, counts[1:], strict=True) if n]
        if counts[0]:
            spread.append(f"{counts[0]:,} undetermined")
        return ["overall: " + ", ".join(reversed(spread))] if spread else []


def score_groups(
    rubric: Rubric,
    source: str | os.PathLike[str] | object,
    by: str = "inspection",
    ratings: GroupRatings | None = None,
    *,
    missing: Missing = "error",
    sheet: str | None = None,
    encoding: str | None = None,
    layout: Layout = "auto",
    casework_only: bool = False,
) -> GroupScores:
    """Rate every group of a file or data frame that has a ``by`` column, in one pass: the
    options are :func:`~probation_audit.score`'s.

    ``ratings`` gives judged standards' ratings: one mapping for every group, a mapping
    group -> (standard -> label), or the path of a CSV file with columns ``by``, ``standard``,
    ``rating``. ``casework_only`` rates the case-based standards alone (no judged standard, no
    overall rating), as :func:`~probation_audit.rating.casework_only` does for one audit. Raises :class:`~probation_audit.errors.AuditErrors` listing every problem
    (with its line), :class:`TypeError` and :class:`ValueError` for misuse.

    Returns:
        The :class:`GroupScores` of every group, sorted by name, with its cases, 'yes' and relevant
        counts, bulk ratings and judged ratings.

    Raises:
        TypeError: ``rubric`` is not a :class:`~probation_audit.rubric.Rubric`, ``source`` is
            neither a path nor a data frame, or ``ratings`` is neither a mapping nor a path.
        ValueError: ``casework_only`` with ``ratings``; ``missing`` is not ``'error'`` or
            ``'not-relevant'``; the rubric is not one with
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
    check_read_options(missing, layout)
    if casework_only and ratings:
        raise ValueError("a casework-only audit rates no judged standard: leave out ratings")
    if not rules_of(rubric).bulk_ready:
        raise ValueError(
            f"score_groups rates rubrics with 'lowest' aggregation and an overall rule; "
            f"{rubric.id!r} is not one (rate its groups one by one with score)"
        )
    if not (is_frame(source) or isinstance(source, str | os.PathLike)):
        raise TypeError(
            f"expected a file path or a data frame (with the column {by!r}), got {type(source).__name__}"
        )
    read = read_grouped(
        source, rubric, by, missing=missing, sheet=sheet, encoding=encoding, layout=layout
    )
    names, cases, yes, relevant, shared = (
        read.groups,
        read.cases,
        read.yes,
        read.relevant,
        read.shared_case_ids,
    )
    where = read.source
    judged = _judged_per_group(rubric, names, by, ratings)
    bulk = _rate_by_ratings(rubric, yes, relevant, judged)
    return GroupScores(
        rubric,
        by,
        names,
        cases,
        yes,
        relevant,
        bulk,
        judged,
        where,
        shared,
        casework_only,
        notes=read.notes,
    )


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
    return BulkRatings(
        first.standard_ids,
        first.labels,
        standards,
        points,
        overall,
        first.standard_labels,
        first.overall_labels,
    )


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
