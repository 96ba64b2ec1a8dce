"""Output shared by the commands: a result as text and CSV, the optional analytics, JSON.
Every CSV cell goes through the one rule of :mod:`probation_audit._cells`."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, TextIO

import attrs

from .. import statistics as st
from .._about import About
from .._cells import csv_writer
from .._probabilities import METHODS, certainty
from ..analysis import Analysis, analyse
from ..errors import AuditErrors
from ..judgments import Sample
from ..rating import judged_not_given, needs_judged
from ..results import Result, percent_text
from ..rubric import Rubric
from ._common import UsageError


def write_json(data: object, out: TextIO) -> None:
    json.dump(data, out, indent=2)
    out.write("\n")


def analysis_text(analysis: Analysis) -> str:
    """The optional figures of an analysis as the lines ``score`` prints under the result."""
    lines: list[str] = []
    if analysis.intervals:
        first = analysis.intervals[0][1]
        lines.append(f"  {first.confidence:.0%} intervals ({first.method}):")
        for qid, i in analysis.intervals:
            lines.append(f"    {qid:<12}{i.low * 100:6.1f}% to {i.high * 100:5.1f}%")
        flagged = [sid for sid, flag in analysis.uncertain if flag]
        lines.append(
            "  uncertain ratings (the driving question's interval crosses a band edge): "
            + (", ".join(flagged) if flagged else "none")
        )
    if analysis.probabilities is not None:
        lines += probability_lines(analysis.probabilities, distribution=analysis.distribution)
    for g in analysis.groups:
        small = (
            f" (too small to rate: under {g.min_relevant} relevant cases for {', '.join(g.small)})"
        )
        lines.append(
            f"  {g.attribute} = {g.value}: {g.cases} cases" + (small if g.too_small else "")
        )
        for s in g.result.standards:
            if s.basis != "judged":
                rating = s.shown_rating
                if g.too_small:
                    rating = f"({rating})"
                qs = ", ".join(f"{q.id} {q.yes}/{q.relevant}" for q in s.questions)
                lines.append(f"    {s.id:<8}{rating:<24}{qs}")
    lines.extend(f"  note: {n}" for n in analysis.notes)
    return "\n".join(lines)


def command_analysis(
    args: argparse.Namespace,
    rubric: Rubric,
    sample: Sample,
    ratings: dict[str, str],
    *,
    by: str | None,
    feedback: bool = False,
    feedback_by: str | None = None,
) -> Analysis:
    """The analysis a command's options ask for (:func:`~probation_audit.analysis.analyse`);
    options that do not fit together, or that the library refuses, are usage errors."""
    _check_probability_options(args, sample)
    if feedback_by and not feedback:
        raise UsageError("--feedback-by goes with --feedback")
    try:
        return analyse(
            rubric,
            sample,
            ratings,
            casework_only=bool(getattr(args, "casework_only", False)),
            intervals=bool(args.intervals),
            confidence=args.confidence,
            method=args.method,
            probabilities=bool(args.probabilities),
            population=args.population,
            probability_method=args.probability_method,
            resamples=args.resamples,
            seed=args.seed,
            distribution=bool(args.distribution),
            by=by,
            min_relevant=getattr(args, "min_relevant", 10),
            feedback=feedback,
            feedback_by=feedback_by,
            min_cases=getattr(args, "min_cases", 5),
        )
    except AuditErrors:
        raise
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _check_probability_options(args: argparse.Namespace, sample: Sample) -> None:
    """Options that need ``--probabilities`` are usage errors without it; a caseload smaller
    than the sample, or given to a method that assumes an unlimited one, too."""
    if not args.probabilities:
        for option, value in (
            ("--population", args.population is not None),
            ("--distribution", args.distribution),
            ("--probability-method", args.probability_method != METHODS[0]),
        ):
            if value:
                raise UsageError(f"{option} goes with --probabilities")
        return
    if args.population is not None:
        if args.population < len(sample):
            raise UsageError(
                f"--population {args.population} is smaller than the sample's {len(sample)} cases"
            )
        if args.probability_method != METHODS[0]:
            raise UsageError(
                f"--population needs --probability-method {METHODS[0]}; "
                f"{args.probability_method} assumes an unlimited caseload"
            )


def probability_lines(p: st.RatingProbabilities, *, distribution: bool = False) -> list[str]:
    """How sure each rating is, in words: one headline per standard, the method last."""
    lines = ["  how sure (the rating if every case in the caseload were inspected):"]
    for sid, probs in p.ratings:
        lines.append(f"    {sid:<9}{certainty(dict(probs)).text}")
        if distribution:
            shown = ", ".join(f"{label} {value:.3f}" for label, value in probs)
            lines.append(f"    {'':<9}  {shown}")
    lines.append(f"  ({method_note(p)})")
    return lines


def method_note(p: st.RatingProbabilities) -> str:
    """The footnote naming the method behind the headlines."""
    note = f"method: {p.method}"
    if p.resamples:
        note += f", {p.resamples:,} resamples, seed {p.seed}"
    if p.key == METHODS[0]:
        note += (
            f"; caseload of {p.population:,} cases"
            if p.population is not None
            else "; caseload size not given (--population), treated as unlimited"
        )
    return note


def result_text(result: Result, source: str = "") -> str:
    """A result as the lines a person reads."""
    lines = [
        f"{source}: {result.cases} cases, rubric {result.rubric_label} (bands on {result.rounding} percentages)"
    ]
    # The rating column fits the longest label ('urgent priority for improvement').
    w = max([22, *(len(s.rating) + 2 for s in result.standards if s.rating)])
    lines.append(f"  {'standard':<36}{'rating':<{w}}why")
    for s in result.standards:
        rating = s.shown_rating
        if s.driven_by:
            why = "lowest: " + ", ".join(s.driven_by)
        elif s.basis == "judged":
            why = "judged (input)"
        elif s.value is not None:
            why = f"score {percent_text(s.value)}"
        else:
            why = ""
        if s.rating is None:
            why = s.reason or ""
        if s.basis == "judged" and s.rating is None and not s.not_rated:
            # Said once, on the overall line (or --casework-only): not on every line.
            rating, why = "not given", "judged (input)"
        flag = "  [boundary-sensitive]" if s.boundary_sensitive else ""
        lines.append(f"  {(s.id + ' ' + s.title)[:35]:<36}{rating:<{w}}{why}{flag}")
    o = result.overall
    if o is not None:
        overall = o.rating or "undetermined"
        lines.append(
            f"  {'overall':<36}{overall:<{w}}"
            + (f"{o.points} of {o.max_points} points" if o.rating else (o.reason or ""))
        )
    for d in result.domains:
        score = "undetermined" if d.value is None else f"{percent_text(d.value)} ({d.printed}%)"
        lines.append(
            f"  {('section ' + d.id + ' ' + d.title)[:35]:<36}{score:<{w}}{d.reason or 'mean of ' + ', '.join(d.standards)}"
        )
    for t in result.threads:
        score = "undetermined" if t.value is None else f"{percent_text(t.value)} ({t.printed}%)"
        lines.append(
            f"  {('thread ' + t.title)[:35]:<36}{score:<{w}}{t.reason or t.follow_up_reason}"
        )
    lines.append("")
    lines.append(f"  {'key question':<12}{'yes':>5}{'relevant':>10}{'percent':>9}{'exact':>10}")
    for q in result.questions:
        if q.relevant:
            assert q.percent is not None
            lines.append(
                f"  {q.id:<12}{q.yes:>5}{q.relevant:>10}{q.printed:>8}%{percent_text(q.percent):>10}"
            )
        else:
            lines.append(
                f"  {q.id:<12}{q.yes:>5}{q.relevant:>10}{'-':>9}{'-':>10}  no relevant cases"
            )
    prompts = [p for q in result.questions for p in q.prompts]
    shown = [p for p in prompts if p.relevant]
    if shown:
        lines.append("")
        lines.append("  prompts (reported, never rated):")
        for p in shown:
            lines.append(f"    {p.id:<12}{f'{p.yes} of {p.relevant} ({p.printed}%)':<16}{p.text}")
    if len(shown) < len(prompts):
        left = len(prompts) - len(shown)
        lines.append("")
        lines.append(
            f"  {left} prompt{'s' if left != 1 else ''} with no relevant cases left out "
            "(not in the file, or not relevant to any case)"
        )
    lines.append("")
    lines.extend(f"  {s.explain()}" for s in result.standards if s.basis != "judged")
    lines.extend(f"  assumed: {a}" for a in result.assumptions)
    lines.extend(note_lines(About.of_result(result)))
    return "\n".join(lines)


def decimal(value: Fraction | float | None, places: int = 4) -> str:
    """A proportion or probability as a fixed-point decimal (``0.5143``): never a fraction
    like 3/7, which a spreadsheet reads as a date, and never float noise."""
    if value is None:
        return ""
    return f"{float(value):.{places}f}"


def record_cells(record: Mapping[str, Any], columns: Sequence[str]) -> list[object]:
    """A frame's row as CSV cells, in ``columns``' order: floats as :func:`decimal`, a missing
    value as an empty cell, everything else as it is.

    Returns:
        The cells, for a CSV writer.
    """
    values = (record.get(c) for c in columns)
    return ["" if v is None else decimal(v) if isinstance(v, float) else v for v in values]


#: A row every CSV output gives about where its figures come from: (kind, id, text).
AboutRow = tuple[str, str, str]


def about_rows(about: About) -> tuple[list[AboutRow], list[AboutRow]]:
    """What every CSV output says about where its figures come from, as (kind, id, text)
    rows, each table placing them in its own kind, id and text columns: the rows to put
    first (``rubric``: the rubric's id, and its id, file and rules' fingerprint as text) and
    the rows to put last (a ``note`` per note on the data)."""
    return [("rubric", about.rubric, about.rubric_label)], [("note", "", n) for n in about.notes]


def with_overall_reason(
    about: About, rubric: Rubric, ratings: Mapping[str, str], undetermined: bool
) -> About:
    """``about`` with a note on why the output's overall rating is ``undetermined`` when
    judged ratings were not given: the reason a result's overall line gives
    (:func:`~probation_audit.rating.needs_judged`), said once however many audits the output
    holds (they share the ``ratings``)."""
    not_given = judged_not_given(rubric, ratings) if undetermined else ()
    if not not_given:
        return about
    note = f"overall rating undetermined: {needs_judged(not_given)}"
    return attrs.evolve(about, notes=(*about.notes, note))


def note_lines(about: About) -> list[str]:
    """The notes on the data as every text output ends with them."""
    return [f"  note: {note}" for note in about.notes]


def write_records(
    out: TextIO, records: Sequence[Mapping[str, Any]], about: About | None = None
) -> None:
    """Records as CSV: a header of the first record's keys, then a row per record. Given
    ``about``, the :func:`about_rows` come first and last, their kind in ``row``, their id in
    ``id`` and their text in a last column, ``note``."""
    writer = csv_writer(out)
    columns = list(records[0]) if records else []
    first, last = ([], []) if about is None else about_rows(about)
    if about is not None:
        columns = [*(columns or ["row", "id"]), "note"]
    writer.writerow(columns)
    rows: list[Mapping[str, Any]] = [{"row": k, "id": i, "note": t} for k, i, t in first]
    rows += [*records, *({"row": kind, "note": text} for kind, _, text in last)]
    for record in rows:
        writer.writerow(record_cells(record, columns))


CSV_COLUMNS = [
    "row",
    "group",
    "id",
    "standard",
    "rating",
    "points",
    "yes",
    "relevant",
    "percent",
    "proportion",
    "driven_by",
    "boundary_sensitive",
    "uncertain",
    "low",
    "high",
    "reason",
]


def _result_rows(result: Result, group: str = "") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for s in result.standards:
        rows.append(
            {
                "row": "standard",
                "group": group,
                "id": s.id,
                "standard": s.id,
                "rating": s.shown_rating,
                "points": s.points,
                "driven_by": " ".join(s.driven_by),
                "boundary_sensitive": s.boundary_sensitive if s.basis != "judged" else "",
                "reason": s.reason,
            }
        )
        for q in s.questions:
            rows.append(
                {
                    "row": "question",
                    "group": group,
                    "id": q.id,
                    "standard": s.id,
                    "yes": q.yes,
                    "relevant": q.relevant,
                    "percent": q.printed,
                    "proportion": decimal(q.proportion),
                    "reason": "" if q.relevant else "no relevant cases",
                }
            )
            for pr in q.prompts:
                rows.append(
                    {
                        "row": "prompt",
                        "group": group,
                        "id": pr.id,
                        "standard": s.id,
                        "yes": pr.yes,
                        "relevant": pr.relevant,
                        "percent": pr.printed,
                        "proportion": decimal(
                            Fraction(pr.yes, pr.relevant) if pr.relevant else None
                        ),
                    }
                )
    for d in result.domains:
        rows.append(
            {
                "row": "domain",
                "group": group,
                "id": d.id,
                "percent": d.printed,
                "proportion": decimal(None if d.value is None else d.value / 100),
                "reason": d.reason,
            }
        )
    for t in result.threads:
        rows.append(
            {
                "row": "thread",
                "group": group,
                "id": t.id,
                "percent": t.printed,
                "proportion": decimal(None if t.value is None else t.value / 100),
                "reason": t.reason or t.follow_up_reason,
            }
        )
    o = result.overall
    if o is not None:
        rows.append(
            {
                "row": "overall",
                "group": group,
                "id": "overall",
                "rating": o.rating,
                "points": o.points,
                "reason": o.reason,
            }
        )
    return rows


def result_csv(result: Result, extra: Analysis | None = None) -> str:
    """One tidy table: a row per standard, key question, prompt, domain, thread and the
    overall rating (and, with ``--by``, the same for each group, named in ``group``); the
    intervals, uncertainty flags and rating probabilities are columns of those rows. The first
    row names the rubric: its id, and in ``reason`` its file and rules' fingerprint."""
    first, last = about_rows(About.of_result(result))
    rows: list[dict[str, Any]] = [{"row": k, "id": i, "reason": t} for k, i, t in first]
    rows += _result_rows(result)
    rows += [{"row": kind, "reason": text} for kind, _, text in last]
    columns = list(CSV_COLUMNS)
    if extra is not None:
        by_id = {(r["row"], r["id"]): r for r in rows if "id" in r}
        for qid, interval in extra.intervals:
            row = by_id.get(("question", qid))
            if row is not None:
                row["low"], row["high"] = decimal(interval.low), decimal(interval.high)
        for sid, flag in extra.uncertain:
            row = by_id.get(("standard", sid))
            if row is not None:
                row["uncertain"] = flag
        if extra.probabilities is not None:
            columns += ["likely_rating", "likelihood", "certainty"]
            for sid, values in extra.probabilities.ratings:
                row = by_id.get(("overall" if sid == "overall" else "standard", sid))
                head = certainty(dict(values))
                if row is not None:
                    row["likely_rating"] = head.rating
                    row["likelihood"] = decimal(head.probability)
                    row["certainty"] = head.words
                for label, value in values:
                    column = f"p_{label.lower().replace(' ', '_')}"
                    if column not in columns:
                        columns.append(column)
                    if row is not None:
                        row[column] = decimal(value)
        for g in extra.groups:
            for row in _result_rows(g.result, f"{g.attribute}={g.value}"):
                if row["row"] == "standard" and g.too_small and row.get("rating"):
                    row["reason"] = f"too small to rate: under {g.min_relevant} relevant cases"
                rows.append(row)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c) for c in columns])
    return buffer.getvalue()
