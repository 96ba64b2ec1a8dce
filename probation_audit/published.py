"""Published reports: the figures an inspection report prints, and checking that a rubric
reproduces its ratings from them.

A published-figures file (TOML) gives the rubric, the ratings as published and the
key-question percentages as printed; :func:`reproduce` recomputes every case-based rating and
the overall rating and compares them, and with the sample size reconstructs the 'yes' counts
each whole-number percentage allows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from ._cells import clipped_text
from ._compat import Traversable
from ._reader import Reader, format_number, join
from ._rubric_parts import Standard
from ._toml import parse_toml, read_toml_bytes
from .errors import AuditError, AuditErrors, PublishedFiguresError
from .loading import _bundled_files, available_rubrics, load_rubric
from .rating import rate_domains, rate_overall, score_tally
from .results import Result, StandardResult
from .rubric import Rubric, round_half_up

#: The largest sample a published-figures file may give (inspections sample tens of cases).
MAX_CASES = 1_000_000

__all__ = [
    "Comparison",
    "PercentCheck",
    "PublishedReport",
    "Row",
    "bundled_reports",
    "reproduce",
    "reproduce_all",
]

OVERALL = "overall"


@attrs.frozen
class PublishedReport:
    """The figures one report prints."""

    rubric: Rubric
    title: str
    published: str
    source: str
    ratings: tuple[tuple[str, str], ...]
    #: key-question percentages as printed
    percentages: tuple[tuple[str, int], ...] = ()
    cases: int | None = None
    notes: str | None = None
    path: str | None = None
    #: standard (criterion) scores as printed
    scores: tuple[tuple[str, int], ...] = ()
    #: thread scores as printed
    threads: tuple[tuple[str, int], ...] = ()
    #: whether the report says a follow-up inspection will happen, by thread
    follow_up: tuple[tuple[str, bool], ...] = ()
    #: figures the report does not print, with why (so that their absence is on record)
    unavailable: tuple[tuple[str, str], ...] = ()
    #: the overall total of points as published (reports that print a total, not every rating)
    points: int | None = None

    @classmethod
    def from_mapping(
        cls,
        mapping: Mapping[str, Any],
        *,
        source: str | None = None,
        base: Path | None = None,
    ) -> PublishedReport:
        """Validate a parsed published-figures file; raise :class:`AuditErrors` listing every problem."""
        reader = Reader(source, PublishedFiguresError)
        top = reader.table(
            mapping,
            "",
            ("rubric", "title", "published", "source", "ratings"),
            (
                "percentages",
                "scores",
                "threads",
                "follow_up",
                "unavailable",
                "cases",
                "notes",
                "points",
            ),
        )
        if top is None:
            raise AuditErrors(reader.errors)
        rubric_name = reader.get(top, "", "rubric", reader.identifier)
        title = reader.get(top, "", "title", reader.string)
        published = reader.get(top, "", "published", reader.string)
        report_source = reader.get(top, "", "source", reader.string)
        notes = reader.get(top, "", "notes", reader.string)
        cases = _read_cases(reader, top)
        rubric: Rubric | None = None
        if rubric_name is not None:
            rubric = _resolve_rubric(reader, rubric_name, base)
        points = reader.get(top, "", "points", reader.integer)
        ratings: list[tuple[str, str]] = []
        if rubric is not None:
            points = _checked_points(reader, rubric, points)
            ratings = _read_ratings(
                reader, rubric, reader.get(top, "", "ratings", reader.named_tables)
            )
        percentages = scores = threads = []
        follow_up: list[tuple[str, bool]] = []
        unavailable: list[tuple[str, str]] = []
        if rubric is not None:
            case_based = tuple(st.id for st in rubric.standards if not st.judged)
            thread_ids = tuple(t.id for t in rubric.threads)
            percentages = _read_printed(
                reader, top, "percentages", rubric.question_ids, "key question"
            )
            scores = _read_printed(reader, top, "scores", case_based, "case-based standard")
            threads = _read_printed(reader, top, "threads", thread_ids, "thread")
            follow_up = _read_follow_up(reader, rubric, top, thread_ids)
            unavailable = _read_unavailable(reader, rubric, top, thread_ids)
        if reader.errors:
            raise AuditErrors(reader.errors)
        assert (
            rubric is not None
            and title is not None
            and published is not None
            and report_source is not None
        )
        return cls(
            rubric=rubric,
            title=title,
            published=published,
            source=report_source,
            ratings=tuple(ratings),
            percentages=tuple(percentages),
            cases=cases,
            notes=notes,
            path=source,
            scores=tuple(scores),
            threads=tuple(threads),
            follow_up=tuple(follow_up),
            unavailable=tuple(unavailable),
            points=points,
        )

    @classmethod
    def load_all(cls, path: str | os.PathLike[str] | Traversable) -> tuple[PublishedReport, ...]:
        """Every report in a published-figures file: one, or (a corpus) one per entry of its
        ``[[inspections]]`` array, each entry a report's own keys (title, published, points,
        ratings, ...) under the file's ``rubric`` and ``source``."""
        mapping, source, base = _read_file(path)
        if not isinstance(mapping, Mapping) or "inspections" not in mapping:
            return (cls.from_mapping(mapping, source=source, base=base),)
        reader = Reader(source, PublishedFiguresError)
        top = reader.table(mapping, "", ("rubric", "title", "source", "inspections"), ("notes",))
        entries = None if top is None else reader.get(top, "", "inspections", reader.array)
        if top is None or entries is None or reader.errors:
            raise AuditErrors(reader.errors)
        if not entries:
            raise AuditErrors(
                [
                    PublishedFiguresError(
                        "expected at least one inspection", source=source, key_path="inspections"
                    )
                ]
            )
        reports: list[PublishedReport] = []
        errors: list[AuditError] = []
        for i, entry in enumerate(entries):
            where = f"inspections[{i}]"
            if not isinstance(entry, Mapping):
                errors.append(
                    PublishedFiguresError("expected a table", source=source, key_path=where)
                )
                continue
            merged = {"rubric": top["rubric"], "source": top["source"], **entry}
            try:
                reports.append(cls.from_mapping(merged, source=source, base=base))
            except AuditErrors as exc:
                errors.extend(
                    PublishedFiguresError(
                        e.message,
                        source=source,
                        key_path=where if not e.key_path else f"{where}.{e.key_path}",
                    )
                    for e in exc.errors
                )
        if errors:
            raise AuditErrors(errors)
        return tuple(reports)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | Traversable) -> PublishedReport:
        """Read a published-figures TOML file of one report (a corpus of several is read with
        :meth:`load_all`)."""
        mapping, source, base = _read_file(path)
        if isinstance(mapping, Mapping) and "inspections" in mapping:
            raise AuditErrors(
                [
                    PublishedFiguresError(
                        "holds several inspections: read it with load_all() or reproduce_all()",
                        source=source,
                        key_path="inspections",
                    )
                ]
            )
        return cls.from_mapping(mapping, source=source, base=base)


def _read_file(
    path: str | os.PathLike[str] | Traversable,
) -> tuple[dict[str, Any], str, Path | None]:
    """A published-figures file's raw mapping, its name for messages, and its folder."""
    if isinstance(path, Traversable) and not isinstance(path, os.PathLike):
        source = f"{path.name} (bundled)"
        data = path.read_bytes()
        base = None
    else:
        source = os.fspath(path)
        try:
            data = read_toml_bytes(source, PublishedFiguresError)
        except PublishedFiguresError as exc:
            raise AuditErrors([exc]) from None
        base = Path(source).parent
    try:
        return parse_toml(data, source, PublishedFiguresError), source, base
    except AuditError as error:
        raise AuditErrors([error]) from None


def _read_cases(reader: Reader, top: Mapping[str, Any]) -> int | None:
    """The sample size, when given: positive and at most :data:`MAX_CASES`."""
    cases = reader.get(top, "", "cases", reader.integer)
    if cases == 0:
        reader.fail("cases", "expected a positive number of cases, found 0")
        return None
    if cases is not None and cases > MAX_CASES:
        reader.fail(
            "cases",
            f"expected at most {MAX_CASES:,} cases (an inspection's sample), found {cases:,}",
        )
        return None
    return cases


def _checked_points(reader: Reader, rubric: Rubric, points: int | None) -> int | None:
    """The published total, when the rubric has an overall rule whose maximum it does not pass."""
    if points is None:
        return None
    if rubric.overall is None:
        reader.fail("points", f"rubric {rubric.id!r} has no overall rule to total")
        return None
    if points > rubric.overall.bands[-1].maximum:
        reader.fail(
            "points",
            f"expected at most {rubric.overall.bands[-1].maximum} points (the rubric's "
            f"maximum), found {points}",
        )
        return None
    return points


def _read_ratings(
    reader: Reader, rubric: Rubric, raw: Mapping[str, Any] | None
) -> list[tuple[str, str]]:
    """The published ratings, each matched to its standard's (or the overall rule's) scale."""
    ratings: list[tuple[str, str]] = []
    for key, value in (raw or {}).items():
        path = join("ratings", key)
        label = reader.string(value, path)
        if label is None:
            continue
        if key == OVERALL and rubric.overall is not None:
            scale = rubric.scale(rubric.overall.scale)
        else:
            try:
                standard = rubric.standard(key)
            except KeyError:
                reader.fail(
                    path,
                    f"unknown standard (rubric {rubric.id!r} has {', '.join(s.id for s in rubric.standards)}"
                    + (", and 'overall')" if rubric.overall is not None else ")"),
                )
                continue
            scale = rubric.scale(standard.scale) if standard.scale else rubric.rating_scale
        matched = scale.match(label)
        if matched is None:
            reader.fail(
                path,
                f"invalid rating {label!r} (expected one of: {', '.join(scale.labels)})",
            )
            continue
        ratings.append((key, matched))
    return ratings


def _read_follow_up(
    reader: Reader, rubric: Rubric, top: Mapping[str, Any], thread_ids: tuple[str, ...]
) -> list[tuple[str, bool]]:
    follow_up: list[tuple[str, bool]] = []
    raw_follow = reader.get(top, "", "follow_up", reader.named_tables) or {}
    for key, value in raw_follow.items():
        path = join("follow_up", key)
        flag = reader.boolean(value, path)
        if key not in thread_ids:
            reader.fail(
                path,
                f"unknown thread (rubric {rubric.id!r} has {', '.join(thread_ids) or 'none'})",
            )
        elif flag is not None:
            follow_up.append((key, flag))
    return follow_up


def _read_unavailable(
    reader: Reader, rubric: Rubric, top: Mapping[str, Any], thread_ids: tuple[str, ...]
) -> list[tuple[str, str]]:
    unavailable: list[tuple[str, str]] = []
    raw_unavailable = reader.get(top, "", "unavailable", reader.named_tables) or {}
    known = {*rubric.question_ids, *(st.id for st in rubric.standards), *thread_ids}
    for key, value in raw_unavailable.items():
        path = join("unavailable", key)
        why = reader.string(value, path)
        if key not in known:
            reader.fail(path, "unknown figure: expected a standard, key question or thread id")
        elif why is not None:
            unavailable.append((key, why))
    return unavailable


def _read_printed(
    reader: Reader, top: Mapping[str, Any], key: str, valid: tuple[str, ...], what: str
) -> list[tuple[str, int]]:
    """A table of whole-number percentages as printed, keyed by ``valid`` ids."""
    out: list[tuple[str, int]] = []
    raw = reader.get(top, "", key, reader.named_tables) or {}
    for item, value in raw.items():
        path = join(key, item)
        if item not in valid:
            reader.fail(path, f"unknown {what} (expected one of: {', '.join(valid) or 'none'})")
            continue
        number = reader.integer(value, path)
        if number is None:
            continue
        if number > 100:
            reader.fail(path, f"expected a printed percentage from 0 to 100, found {number}")
            continue
        out.append((item, number))
    return out


def _resolve_rubric(reader: Reader, name: str, base: Path | None) -> Rubric | None:
    try:
        if name in available_rubrics():
            return load_rubric(name)
        candidate = (base / name) if base is not None else Path(name)
        if candidate.is_file():
            return load_rubric(candidate)
    except AuditErrors as errors:
        reader.fail("rubric", f"rubric {name!r} is invalid: {errors.errors[0].render()}")
        return None
    reader.fail(
        "rubric",
        f"unknown rubric {name!r} (bundled: {', '.join(available_rubrics())}; or a path to a rubric file)",
    )
    return None


@attrs.frozen
class PercentCheck:
    """The 'yes' counts out of ``cases`` that a printed whole-number percentage allows."""

    question: str
    printed: int
    cases: int
    counts: tuple[int, ...]
    #: True when the consistent counts' exact percentages fall in different bands than the printed one
    boundary_sensitive: bool

    @property
    def status(self) -> str:
        if not self.counts:
            return "impossible"
        return "consistent" if len(self.counts) == 1 else "ambiguous"

    def describe(self) -> str:
        if not self.counts:
            return (
                f"{self.question}: {self.printed}% is impossible with {self.cases} relevant cases "
                "(no whole count rounds to it; the question's denominator may be smaller)"
            )
        shown = " or ".join(f"{k}/{self.cases}" for k in self.counts)
        note = "ambiguous: " if len(self.counts) > 1 else ""
        sensitive = "; boundary-sensitive" if self.boundary_sensitive else ""
        return f"{self.question}: {self.printed}% = {note}{shown}{sensitive}"


@attrs.frozen
class Row:
    """One rating: as published, as computed, and whether they agree."""

    id: str
    title: str
    published: str | None
    computed: str | None
    #: One of 'match', 'mismatch', 'input' (a judged standard, whose published rating is used
    #: as input), 'undetermined' (cannot be computed) or 'unpublished' (computed, nothing to
    #: compare with)
    status: str
    note: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "mismatch"


@attrs.frozen
class Comparison:
    """A published report set beside what the rubric computes from its printed figures."""

    report: PublishedReport
    rows: tuple[Row, ...]
    percent_checks: tuple[PercentCheck, ...]
    result: Result
    basis: str

    @property
    def ok(self) -> bool:
        """True when every computable published rating is reproduced."""
        return not any(row.failed for row in self.rows)

    @property
    def mismatches(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.failed)

    def row(self, row_id: str) -> Row:
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    @property
    def totals_only(self) -> bool:
        """True for a report that publishes a total and an overall rating, nothing else."""
        r = self.report
        return (
            r.points is not None
            and not r.percentages
            and not r.scores
            and all(key == OVERALL for key, _ in r.ratings)
        )

    def render_text(self) -> str:
        r = self.report
        if self.totals_only:
            row = self.row(OVERALL)
            marks = {"match": "ok", "mismatch": "XX"}
            return (
                f"  {marks.get(row.status, '??'):<3}{r.title} ({r.published}): {row.note}: "
                f"published {row.published or '-'}, computed {row.computed or '-'}"
            )
        lines = [
            f"{r.title} ({r.published}), rubric {r.rubric.id}"
            + (f", {r.cases} cases" if r.cases else ""),
            f"  source: {r.source}",
            f"  computed from: {self.basis}",
        ]
        # Columns as wide as their longest entry, so that long labels stay aligned.
        labels = [clipped_text(f"{row.id} {row.title}".strip(), 50) for row in self.rows]
        wl = max([len("standard"), *map(len, labels)]) + 2
        wp = max([len("published"), *(len(row.published or "-") for row in self.rows)]) + 2
        wc = max([len("computed"), *(len(row.computed or "-") for row in self.rows)]) + 2
        lines.append(f"  {'':3}{'standard':<{wl}}{'published':<{wp}}{'computed':<{wc}}note")
        marks = {
            "match": "ok",
            "mismatch": "XX",
            "input": "--",
            "undetermined": "??",
            "unpublished": "..",
        }
        for row, label in zip(self.rows, labels, strict=True):
            lines.append(
                f"  {marks[row.status]:<3}{label:<{wl}}{(row.published or '-'):<{wp}}"
                f"{(row.computed or '-'):<{wc}}{row.note}".rstrip()
            )
        if self.percent_checks:
            lines.append("  printed percentages against the sample size:")
            lines.extend(f"    {check.describe()}" for check in self.percent_checks)
        lines.extend(f"  assumed: {a}" for a in self.result.assumptions)
        compared = [row for row in self.rows if row.status in ("match", "mismatch")]
        verdict = "reproduced" if self.ok else "NOT reproduced"
        lines.append(
            f"  result: {verdict} ({sum(not row.failed for row in compared)} of {len(compared)} "
            "computed ratings match the report)"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "title": r.title,
            "published": r.published,
            "source": r.source,
            "file": r.path,
            "rubric": r.rubric.id,
            "cases": r.cases,
            "computed_from": self.basis,
            "ok": self.ok,
            "ratings": [
                {
                    "id": row.id,
                    "title": row.title,
                    "published": row.published,
                    "computed": row.computed,
                    "status": row.status,
                    "note": row.note,
                }
                for row in self.rows
            ],
            "percentages": [
                {
                    "id": c.question,
                    "printed": c.printed,
                    "cases": c.cases,
                    "counts": list(c.counts),
                    "status": c.status,
                    "boundary_sensitive": c.boundary_sensitive,
                }
                for c in self.percent_checks
            ],
            "assumptions": list(self.result.assumptions),
        }


def _consistent_counts(printed: int, cases: int) -> tuple[int, ...]:
    """Every k in 0..cases whose percentage 100k/cases rounds half up to ``printed``."""
    # round_half_up(100k/n) == p  <=>  p - 1/2 <= 100k/n < p + 1/2
    lo = Fraction(2 * printed - 1, 200) * cases
    hi = Fraction(2 * printed + 1, 200) * cases
    first = max(0, -((-lo.numerator) // lo.denominator))  # ceil(lo)
    last = min(cases, -((-hi.numerator) // hi.denominator))  # ceil(hi): k < hi below it
    return tuple(
        k
        for k in range(first, last + 1)
        if Fraction(k) < hi and round_half_up(Fraction(100 * k, cases)) == printed
    )


def reproduce(path: str | os.PathLike[str] | Traversable | PublishedReport) -> Comparison:
    """Recompute a published report's ratings from its printed figures and compare.

    Returns:
        The :class:`Comparison` of each computed rating with the published one, with the percentage
        checks, the computed result and the basis of the counts.

    Raises:
        AuditErrors: the file cannot be read (a missing file included) or is larger than 8 MiB, is
            not valid TOML, or its figures are invalid (an unknown rubric, standard, key question or
            label, a number out of range), every problem listed as a
            :class:`~probation_audit.errors.PublishedFiguresError`; or it holds several inspections
            (read it with :func:`reproduce_all`). A :class:`PublishedReport` given is not checked
            again.
    """
    report = path if isinstance(path, PublishedReport) else PublishedReport.load(path)
    rubric = report.rubric
    published = dict(report.ratings)
    printed = dict(report.percentages)
    judged = {s.id: published[s.id] for s in rubric.standards if s.judged and s.id in published}
    checks = _percent_checks(report)
    counts = {c.question: c.counts for c in checks}
    # Best knowledge of each question: its exact count when the sample size pins it down,
    # else the printed whole number standing for the percentage.
    exact = bool(report.cases) and all(len(counts.get(q, ())) == 1 for q in printed)
    tally: dict[str, tuple[int, int]] = {}
    for qid in rubric.question_ids:
        if qid not in printed:
            tally[qid] = (0, 0)  # no figure: the standard is undetermined
        elif exact:
            assert report.cases is not None
            tally[qid] = (counts[qid][0], report.cases)
        else:
            tally[qid] = (printed[qid], 100)
    basis = (
        f"'yes' counts out of {report.cases} reconstructed from the printed percentages"
        if exact
        else "the printed whole-number percentages"
    )
    result = score_tally(rubric, tally, judged, cases=report.cases)
    standards, rows = _standard_rows(report, result)
    rows.extend(_domain_rows(rubric, standards))
    rows.extend(_thread_rows(report))
    rows.extend(_overall_rows(report, standards))
    return Comparison(report, tuple(rows), tuple(checks), result, basis)


def _percent_checks(report: PublishedReport) -> list[PercentCheck]:
    """Per printed percentage, the 'yes' counts out of the sample size that print as it (none
    without a sample size), and whether they span a band edge."""
    if not report.cases:
        return []
    bands = report.rubric.bands
    checks = []
    for qid, p in report.percentages:
        ks = _consistent_counts(p, report.cases)
        ratings = {bands.rating(Fraction(100 * k, report.cases)) for k in ks}
        sensitive = bool(ks) and len(ratings | {bands.rating(Fraction(p))}) > 1
        checks.append(PercentCheck(qid, p, report.cases, ks, sensitive))
    return checks


def _standard_rows(
    report: PublishedReport, result: Result
) -> tuple[tuple[StandardResult, ...], list[Row]]:
    """Each standard's final result and its row: judged ones as given, scored ones from their
    printed score, the rest from their key questions (boundary-sensitive ones said so)."""
    rubric = report.rubric
    published = dict(report.ratings)
    printed = dict(report.percentages)
    judged = {s.id: published[s.id] for s in rubric.standards if s.judged and s.id in published}
    # The same ratings from the printed whole numbers, to flag boundary sensitivity.
    printed_result = score_tally(
        rubric,
        {q: ((printed[q], 100) if q in printed else (0, 0)) for q in rubric.question_ids},
        judged,
    )
    scores = dict(report.scores)
    unavailable = dict(report.unavailable)
    rows: list[Row] = []
    final: list[StandardResult] = []
    for standard, computed in zip(rubric.standards, result.standards, strict=True):
        pub = published.get(standard.id)
        if standard.judged:
            final.append(computed)
            why = "judged; published rating used as input" if pub else "judged; no published rating"
            rows.append(
                Row(standard.id, standard.title, pub, pub, "input" if pub else "undetermined", why)
            )
            continue
        if standard.id in scores:
            computed, note = _from_printed_score(rubric, standard, scores[standard.id])
        else:
            absent = [q.id for q in standard.questions if q.id not in printed]
            if absent:
                given = unavailable.get(standard.id)
                note = (
                    f"no printed score ({given})"
                    if given
                    else f"no printed score or percentage for {', '.join(absent)}"
                )
                final.append(
                    attrs.evolve(computed, rating=None, points=None, value=None, reason=note)
                )
                rows.append(Row(standard.id, standard.title, pub, None, "undetermined", note))
                continue
            note = _standard_note(computed, printed)
            other = printed_result.standard(standard.id).rating
            if other != computed.rating:
                note += f"; boundary-sensitive: the printed whole numbers give {other}"
        final.append(computed)
        rows.append(
            Row(
                standard.id,
                standard.title,
                pub,
                computed.rating,
                _status(pub, computed.rating),
                note,
            )
        )
    return tuple(final), rows


def _status(published: str | None, computed: str | None) -> str:
    if published is None:
        return "unpublished"
    return "match" if published == computed else "mismatch"


def _from_printed_score(
    rubric: Rubric, standard: Standard, printed: int
) -> tuple[StandardResult, str]:
    """A standard rated from its printed score: the band the score falls in (the printed score
    stands for the exact one), and a note saying so and naming a band edge within half a
    point."""
    score = Fraction(printed)
    value = rubric.rounding.apply(score)
    rating = rubric.bands.rating(value)
    scale = rubric.rating_scale
    computed = StandardResult(
        standard.id,
        standard.title,
        standard.basis,
        rating,
        scale.points(rating) if scale.has_points else None,
        value=value,
    )
    note = f"score {printed}%"
    edges = [
        b.lower
        for b in rubric.bands.bands
        if score - Fraction(1, 2) < b.lower < score + Fraction(1, 2)
    ]
    if edges:
        note += f"; boundary-sensitive: the exact score may lie either side of {format_number(edges[0])}%"
    return computed, note


def _domain_rows(rubric: Rubric, standards: tuple[StandardResult, ...]) -> list[Row]:
    rows = []
    for domain in rate_domains(rubric, standards):
        computed_text = None if domain.value is None else f"{format_number(domain.value)}%"
        note = domain.reason or f"mean of {', '.join(domain.standards)}"
        status = "undetermined" if domain.value is None else "unpublished"
        rows.append(Row(f"section {domain.id}", domain.title, None, computed_text, status, note))
    return rows


def _thread_rows(report: PublishedReport) -> list[Row]:
    """Each thread (undetermined: its tagged questions' percentages are not printed) and its
    follow-up decision where the report states one."""
    unavailable = dict(report.unavailable)
    printed_threads = dict(report.threads)
    said_follow_up = dict(report.follow_up)
    rows = []
    for thread in report.rubric.threads:
        pub_text = f"{printed_threads[thread.id]}%" if thread.id in printed_threads else None
        rows.append(
            Row(
                f"thread {thread.id}",
                thread.title,
                pub_text,
                None,
                "undetermined",
                "needs the percentage of every tagged question, which the report does not print"
                + (f"; {unavailable[thread.id]}" if thread.id in unavailable else ""),
            )
        )
        if thread.id not in said_follow_up:
            continue
        published_text = "yes" if said_follow_up[thread.id] else "no"
        name = f"follow-up {thread.id}"
        if thread.follow_up is None or thread.id not in printed_threads:
            why = (
                "not determined: the rubric gives no threshold"
                if thread.follow_up is None
                else "not determined: no printed thread score"
            )
            rows.append(Row(name, "further inspection", published_text, None, "undetermined", why))
            continue
        follows = Fraction(printed_threads[thread.id]) < thread.follow_up.below
        computed_text = "yes" if follows else "no"
        rows.append(
            Row(
                name,
                "further inspection",
                published_text,
                computed_text,
                "match" if computed_text == published_text else "mismatch",
                f"threshold {format_number(thread.follow_up.below)}% ({thread.follow_up.provenance.status})",
            )
        )
    return rows


def _overall_rows(report: PublishedReport, standards: tuple[StandardResult, ...]) -> list[Row]:
    """The overall rating's row (and the points' row when the total is printed)."""
    rubric = report.rubric
    overall = rate_overall(rubric, standards)
    if overall is None:
        return []
    pub_overall = dict(report.ratings).get(OVERALL)
    if overall.rating is None and report.points is not None:
        # Only the total is published: the rubric's overall rule places it in a band.
        assert rubric.overall is not None
        rating = rubric.overall.rating(report.points)
        note = f"from the published total, {report.points} of {overall.max_points} points"
        return [Row(OVERALL, "", pub_overall, rating, _status(pub_overall, rating), note)]
    if overall.rating is None:
        return [Row(OVERALL, "", pub_overall, None, "undetermined", overall.reason or "")]
    rows = []
    if report.points is not None:
        rows.append(
            Row(
                "points",
                "total",
                str(report.points),
                str(overall.points),
                "match" if report.points == overall.points else "mismatch",
                f"of {overall.max_points}",
            )
        )
    note = f"{overall.points} of {overall.max_points} points"
    rows.append(
        Row(OVERALL, "", pub_overall, overall.rating, _status(pub_overall, overall.rating), note)
    )
    return rows


def _standard_note(computed: StandardResult, printed: Mapping[str, int]) -> str:
    drivers = computed.driven_by
    return "lowest " + ", ".join(f"{q} {printed[q]}%" for q in drivers)


def reproduce_all(path: str | os.PathLike[str] | Traversable) -> tuple[Comparison, ...]:
    """:func:`reproduce` every report of a published-figures file (one, or a corpus).

    Returns:
        One :class:`Comparison` per report, in the file's order.

    Raises:
        AuditErrors: the file cannot be read, is not valid TOML, has an empty or invalid
            ``inspections`` array, or any report's figures are invalid; every problem is listed, a
            corpus entry's under ``inspections[i]``.
    """
    return tuple(reproduce(report) for report in PublishedReport.load_all(path))


def bundled_reports() -> tuple[Traversable, ...]:
    """The published-figures files shipped with the package.

    Returns:
        The bundled files as ``Traversable`` objects, sorted by name (each can be given to
        :func:`reproduce`); empty when none is found.

    Raises:
        Nothing of its own: a missing folder gives an empty tuple.
    """
    return tuple(_bundled_files("published"))
