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


def _fraction(value: Fraction | None) -> str:
    return "" if value is None else f"{value.numerator}/{value.denominator}"


def result_csv(result: Result, extra: Analytics | None = None) -> str:
    """One row per standard, key question and the overall rating."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "row",
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
            "reason",
        ]
    )
    rows: list[list[Any]] = []
    for s in result.standards:
        rows.append(
            [
                "standard",
                s.id,
                s.id,
                s.rating,
                s.points,
                "",
                "",
                "",
                "",
                " ".join(s.driven_by),
                s.boundary_sensitive if s.basis != "judged" else "",
                s.reason,
            ]
        )
        for q in s.questions:
            proportion = q.proportion
            rows.append(
                [
                    "question",
                    q.id,
                    s.id,
                    "",
                    "",
                    q.yes,
                    q.relevant,
                    q.printed,
                    ""
                    if proportion is None
                    else f"{proportion.numerator}/{proportion.denominator}",
                    "",
                    "",
                    "" if q.relevant else "no relevant cases",
                ]
            )
            for pr in q.prompts:
                rows.append(
                    ["prompt", pr.id, s.id, "", "", pr.yes, pr.relevant, pr.printed, "", "", "", ""]
                )
    for d in result.domains:
        rows.append(
            ["domain", d.id, "", "", "", "", "", d.printed, _fraction(d.value), "", "", d.reason]
        )
    for t in result.threads:
        rows.append(
            [
                "thread",
                t.id,
                "",
                "",
                "",
                "",
                "",
                t.printed,
                _fraction(t.value),
                "",
                "",
                t.reason or t.follow_up_reason,
            ]
        )
    o = result.overall
    if o is not None:
        rows.append(
            ["overall", "overall", "", o.rating, o.points, "", "", "", "", "", "", o.reason]
        )
    for note in result.notes:
        rows.append(["note", "", "", "", "", "", "", "", "", "", "", note])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    if extra is not None and (extra.intervals or extra.probabilities or extra.groups):
        # A second table, after a blank line: one row per figure.
        writer.writerow([])
        writer.writerow(["figure", "id", "group", "label", "value", "low", "high"])
        for qid, i in extra.intervals.items():
            writer.writerow(["interval", csv_cell(qid), "", i.method, "", i.low, i.high])
        for p in extra.probabilities:
            for sid, probs in p.ratings:
                for label, value in probs:
                    writer.writerow(
                        [
                            "probability",
                            csv_cell(sid),
                            "",
                            csv_cell(f"{p.method}: {label}"),
                            value,
                            "",
                            "",
                        ]
                    )
        for g in extra.groups:
            for s in g.result.standards:
                if s.basis != "judged":
                    writer.writerow(
                        [
                            "group rating",
                            csv_cell(s.id),
                            csv_cell(f"{g.attribute}={g.value}"),
                            csv_cell(s.shown_rating),
                            "too small" if g.too_small else "",
                            "",
                            "",
                        ]
                    )
    return buffer.getvalue()
