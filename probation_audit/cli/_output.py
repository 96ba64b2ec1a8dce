"""Output shared by the commands: a result as text and CSV, the optional analytics, JSON,
and CSV cells that a spreadsheet will not run as formulas."""

from __future__ import annotations

import argparse
import csv
import io
import json
from fractions import Fraction
from typing import Any, TextIO

from .. import statistics as st
from ..judgments import Sample
from ..results import Result, percent_text
from ..rubric import Rubric
from ._common import UsageError


def write_json(data: object, out: TextIO) -> None:
    json.dump(data, out, indent=2)
    out.write("\n")


def csv_writer(out: TextIO) -> Any:
    return csv.writer(out, lineterminator="\n")


class Analytics:
    """The optional extras of ``score``: intervals, probabilities, groups."""

    def __init__(self) -> None:
        self.intervals: dict[str, st.Interval] = {}
        self.uncertain: dict[str, bool] = {}
        self.probabilities: list[st.RatingProbabilities] = []
        self.groups: tuple[st.GroupResult, ...] = ()
        self.notes: list[str] = []

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.intervals:
            out["intervals"] = {q: i.to_dict() for q, i in self.intervals.items()}
            out["uncertain"] = self.uncertain
        if self.probabilities:
            out["probabilities"] = [p.to_dict() for p in self.probabilities]
        if self.groups:
            out["groups"] = [g.to_dict() for g in self.groups]
        if self.notes:
            out["notes"] = self.notes
        return out

    def to_text(self) -> str:
        lines: list[str] = []
        if self.intervals:
            first = next(iter(self.intervals.values()))
            lines.append(f"  {first.confidence:.0%} intervals ({first.method}):")
            for qid, i in self.intervals.items():
                lines.append(f"    {qid:<12}{i.low * 100:6.1f}% to {i.high * 100:5.1f}%")
            flagged = [sid for sid, flag in self.uncertain.items() if flag]
            lines.append(
                "  uncertain ratings (the driving question's interval crosses a band edge): "
                + (", ".join(flagged) if flagged else "none")
            )
        for p in self.probabilities:
            head = f"  rating probabilities, {p.method}"
            if p.resamples:
                head += f", {p.resamples} resamples, seed {p.seed}"
            lines.append(head + ":")
            for sid, probs in p.ratings:
                shown = ", ".join(
                    f"{label} {value:.3f}" for label, value in probs if value >= 0.0005
                )
                lines.append(f"    {sid:<8}{shown}")
        for g in self.groups:
            small = f" (too small to rate: under {g.min_relevant} relevant cases for {', '.join(g.small)})"
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
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def gather_analytics(
    args: argparse.Namespace,
    rubric: Rubric,
    sample: Sample,
    result: Result,
    ratings: dict[str, str],
    *,
    by: str | None,
) -> Analytics:
    extra = Analytics()
    if args.intervals:
        for q in result.questions:
            if q.relevant:
                extra.intervals[q.id] = st.interval(q.yes, q.relevant, args.confidence, args.method)
        extra.uncertain = st.uncertain_standards(rubric, result, args.confidence, args.method)
    if args.probabilities:
        try:
            extra.probabilities.append(st.exact_probabilities(rubric, result, ratings))
            extra.probabilities.append(
                st.bootstrap_probabilities(
                    rubric, sample, ratings, resamples=args.resamples, seed=args.seed
                )
            )
        except ValueError as exc:
            extra.notes.append(f"rating probabilities not computed: {exc}")
    if by:
        try:
            extra.groups = st.by_attribute(
                rubric, sample, by, ratings, min_relevant=args.min_relevant
            )
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    return extra


def result_text(result: Result, source: str = "") -> str:
    """A result as the lines a person reads."""
    lines = [
        f"{source}: {result.cases} cases, rubric {result.rubric} (bands on {result.rounding} percentages)"
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
    if prompts:
        lines.append("")
        lines.append("  prompts (reported, never rated):")
        for p in prompts:
            counts = f"{p.yes} of {p.relevant}" + (f" ({p.printed}%)" if p.relevant else "")
            lines.append(f"    {p.id:<12}{counts:<16}{p.text}")
    lines.append("")
    lines.extend(f"  {s.explain()}" for s in result.standards if s.basis != "judged")
    lines.extend(f"  assumed: {a}" for a in result.assumptions)
    lines.extend(f"  note: {n}" for n in result.notes)
    return "\n".join(lines)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def decimal(value: Fraction | float | None, places: int = 4) -> str:
    """A proportion or probability as a fixed-point decimal (``0.5143``): never a fraction
    like 3/7, which a spreadsheet reads as a date, and never float noise."""
    if value is None:
        return ""
    return f"{float(value):.{places}f}"


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


def _method_key(method: str) -> str:
    return method.split(" ", 1)[0].split("(", 1)[0].strip().lower()


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
    for note in result.notes:
        rows.append({"row": "note", "group": group, "reason": note})
    return rows


def result_csv(result: Result, extra: Analytics | None = None) -> str:
    """One tidy table: a row per standard, key question, prompt, domain, thread and the
    overall rating (and, with ``--by``, the same for each group, named in ``group``); the
    intervals, uncertainty flags and rating probabilities are columns of those rows."""
    rows = _result_rows(result)
    columns = list(CSV_COLUMNS)
    if extra is not None:
        by_id = {(r["row"], r["id"]): r for r in rows}
        for qid, interval in extra.intervals.items():
            row = by_id.get(("question", qid))
            if row is not None:
                row["low"], row["high"] = decimal(interval.low), decimal(interval.high)
        for sid, flag in extra.uncertain.items():
            row = by_id.get(("standard", sid))
            if row is not None:
                row["uncertain"] = flag
        for probabilities in extra.probabilities:
            key = _method_key(probabilities.method)
            for sid, values in probabilities.ratings:
                row = by_id.get(("overall" if sid == "overall" else "standard", sid))
                for label, value in values:
                    column = f"p_{key}_{label.lower().replace(' ', '_')}"
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
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()
