"""The ``probation-audit`` command: score, reproduce, rubrics, validate.

Exit status: 0 success, 1 invalid data or rubric or a failed reproduction, 2 usage error.
Errors go to stderr, one per line, without a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

from . import __version__, documents
from . import statistics as st
from .errors import AuditError, AuditErrors, JudgmentError
from .judgments import Missing, Sample, parse_csv, read_csv
from .loading import available_rubrics, load_rubric, validate_rubric
from .rating import Result, percent_text, score
from .reports import Comparison, bundled_reports, reproduce
from .rubric import Rubric

__all__ = ["main"]

FORMATS = ("text", "json", "csv")


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="probation-audit",
        description="Score probation case-file audits by HM Inspectorate of Probation rubrics.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("score", help="rate a sample of case judgments (CSV) with a rubric")
    p.add_argument("cases", type=Path, help="CSV of case judgments, long or wide layout")
    p.add_argument(
        "--rubric", required=True, help="bundled rubric id or path to a rubric TOML file"
    )
    p.add_argument(
        "--rating",
        action="append",
        default=[],
        metavar="ID=LABEL",
        help="rating of a judged standard, e.g. P1.1='Requires improvement' (repeatable)",
    )
    p.add_argument(
        "--layout",
        choices=("auto", "long", "wide"),
        default="auto",
        help="CSV layout (default: auto)",
    )
    p.add_argument(
        "--missing",
        choices=("error", "not-relevant"),
        default="error",
        help="a key question with no answer for a case: an error (default) or not relevant",
    )
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--intervals", action="store_true", help="confidence intervals for every key question"
    )
    p.add_argument(
        "--probabilities", action="store_true", help="rating probabilities: exact and bootstrap"
    )
    p.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="also rate each group of a case attribute (e.g. sentence_type)",
    )
    _statistics_options(p)

    p.add_argument("--sheet", help="sheet of an .xlsx workbook (default: the first)")

    p = sub.add_parser("report", help="write a report of an audit: Markdown, HTML, chart, workbook")
    p.add_argument("cases", type=Path, help="case judgments: CSV or .xlsx, long or wide layout")
    p.add_argument("--rubric", required=True)
    p.add_argument("--rating", action="append", default=[], metavar="ID=LABEL")
    p.add_argument("--layout", choices=("auto", "long", "wide"), default="auto")
    p.add_argument("--missing", choices=("error", "not-relevant"), default="error")
    p.add_argument("--sheet", help="sheet of an .xlsx workbook (default: the first)")
    p.add_argument("--title", help="report title")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="write the Markdown report here")
    p.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report here")
    p.add_argument(
        "--chart", type=Path, metavar="FILE", help="write a chart (.png or .svg; needs matplotlib)"
    )
    p.add_argument(
        "--xlsx", type=Path, metavar="FILE", help="write a results workbook (needs openpyxl)"
    )
    p.add_argument(
        "--intervals", action="store_true", help="include 95%% intervals and uncertainty flags"
    )
    p.add_argument("--probabilities", action="store_true", help="include rating probabilities")
    _statistics_options(p)

    p = sub.add_parser("plan", help="cases needed for a sample's band to match the true band")
    p.add_argument("--rubric", required=True)
    p.add_argument(
        "--proportion",
        required=True,
        type=Fraction,
        help="expected share of 'yes' for the weakest key question, e.g. 0.45",
    )
    p.add_argument(
        "--to",
        type=Fraction,
        metavar="PROPORTION",
        help="upper end of a range of expected shares (whole percents in between)",
    )
    p.add_argument(
        "--target",
        type=Fraction,
        default=Fraction(4, 5),
        help="probability the band must match (default 0.8)",
    )
    p.add_argument(
        "--relevant-share",
        type=Fraction,
        default=Fraction(1),
        help="expected share of cases where the question is relevant",
    )
    p.add_argument("--max-n", type=int, default=400)
    p.add_argument("--margin", type=float, help="also: cases for this margin of error (e.g. 0.1)")
    p.add_argument(
        "--population", type=int, help="caseload size, for the finite population correction"
    )
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser(
        "compare", help="compare two audits: changes per key question and in ratings"
    )
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p.add_argument("--rubric", required=True)
    p.add_argument("--rating", action="append", default=[], metavar="ID=LABEL")
    p.add_argument("--missing", choices=("error", "not-relevant"), default="error")
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("agreement", help="agreement between two auditors on double-marked cases")
    p.add_argument(
        "files", nargs="+", type=Path, help="one CSV with an 'auditor' column, or two CSVs"
    )
    p.add_argument("--rubric", required=True)
    p.add_argument("--missing", choices=("error", "not-relevant"), default="error")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser(
        "reproduce", help="recompute published ratings from a report's printed figures"
    )
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="published-figures TOML files (default: every bundled one)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("rubrics", help="list the bundled rubrics")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("validate", help="check rubric files, reporting every problem")
    p.add_argument("files", nargs="+", help="rubric TOML files or bundled rubric ids")
    return parser


def _statistics_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--confidence", type=float, default=0.95, help="interval confidence (default 0.95)"
    )
    p.add_argument("--method", choices=("wilson", "clopper-pearson"), default="wilson")
    p.add_argument(
        "--resamples", type=int, default=10_000, help="bootstrap resamples (default 10000)"
    )
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument(
        "--min-relevant",
        type=int,
        default=10,
        help="relevant cases below which a group is too small (default 10)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    try:
        if args.command == "score":
            return _score(args, out)
        if args.command == "reproduce":
            return _reproduce(args, out)
        if args.command == "rubrics":
            return _rubrics(args, out)
        if args.command == "plan":
            return _plan(args, out)
        if args.command == "report":
            return _report(args, out)
        if args.command == "compare":
            return _compare(args, out)
        if args.command == "agreement":
            return _agreement(args, out)
        return _validate(args, out)
    except _UsageError as exc:
        parser.error(str(exc))  # exits 2
    except AuditErrors as errors:
        for line in errors.lines():
            print(line, file=sys.stderr)
        return 1
    except AuditError as error:
        print(error.render(), file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - output piped to head
        return 0


def _ratings(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        sid, sep, label = pair.partition("=")
        if not sep or not sid.strip() or not label.strip():
            raise _UsageError(f"--rating expects ID=LABEL, got {pair!r}")
        if sid.strip() in out:
            raise _UsageError(f"--rating gives {sid.strip()} twice")
        out[sid.strip()] = label.strip()
    return out


def _score(args: argparse.Namespace, out: TextIO) -> int:
    ratings = _ratings(args.rating)
    rubric = load_rubric(args.rubric)
    sample = _read_cases(args.cases, rubric, args.layout, args.missing, args.sheet)
    if not 0 < args.confidence < 1:
        raise _UsageError("--confidence must lie strictly between 0 and 1")
    if args.resamples < 1:
        raise _UsageError("--resamples must be at least 1")
    result = score(rubric, sample, ratings)
    extra = _analytics(args, rubric, sample, result, ratings, by=args.by)
    if args.format == "json":
        data = {"source": str(args.cases), **result.to_dict(), **extra.to_json()}
        json.dump(data, out, indent=2)
        out.write("\n")
    elif args.format == "csv":
        out.write(result_csv(result, extra))
    else:
        out.write(result_text(result, str(args.cases)) + "\n")
        text = extra.to_text()
        if text:
            out.write(text + "\n")
    return 0


class _Analytics:
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
                    rating = s.rating or "undetermined"
                    if g.too_small:
                        rating = f"({rating})"
                    qs = ", ".join(f"{q.id} {q.yes}/{q.relevant}" for q in s.questions)
                    lines.append(f"    {s.id:<8}{rating:<24}{qs}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def _analytics(
    args: argparse.Namespace,
    rubric: Rubric,
    sample: Sample,
    result: Result,
    ratings: dict[str, str],
    *,
    by: str | None,
) -> _Analytics:
    extra = _Analytics()
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
            raise _UsageError(str(exc.args[0])) from None
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
        rating = s.rating or "undetermined"
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


def result_csv(result: Result, extra: _Analytics | None = None) -> str:
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
                            csv_cell(s.rating or "undetermined"),
                            "too small" if g.too_small else "",
                            "",
                            "",
                        ]
                    )
    return buffer.getvalue()


def _read_cases(
    path: Path, rubric: Rubric, layout: Any, missing: Missing, sheet: str | None
) -> Sample:
    if path.suffix.lower() == ".xlsx":
        try:
            from .excel import read_excel

            return read_excel(path, rubric, sheet=sheet, layout=layout, missing=missing)
        except ImportError as exc:
            raise AuditErrors([JudgmentError(str(exc), source=str(path))]) from None
    if sheet is not None:
        raise _UsageError("--sheet goes with an .xlsx workbook")
    return read_csv(path, rubric, layout=layout, missing=missing)


def _report(args: argparse.Namespace, out: TextIO) -> int:
    ratings = _ratings(args.rating)
    rubric = load_rubric(args.rubric)
    sample = _read_cases(args.cases, rubric, args.layout, args.missing, args.sheet)
    result = score(rubric, sample, ratings)
    if not 0 < args.confidence < 1:
        raise _UsageError("--confidence must lie strictly between 0 and 1")
    extra = _analytics(args, rubric, sample, result, ratings, by=None)
    options: dict[str, Any] = {
        "title": args.title,
        "source": str(args.cases),
        "intervals": extra.intervals or None,
        "uncertain": extra.uncertain or None,
        "probabilities": tuple(extra.probabilities),
    }
    wrote = []
    if args.markdown:
        args.markdown.write_text(documents.render_markdown(result, **options), encoding="utf-8")
        wrote.append(str(args.markdown))
    if args.html:
        args.html.write_text(documents.render_html(result, **options), encoding="utf-8")
        wrote.append(str(args.html))
    if args.chart:
        try:
            from .charts import save_chart

            save_chart(result, rubric, args.chart)
        except ImportError as exc:
            raise AuditErrors([AuditError(str(exc))]) from None
        except ValueError as exc:
            raise _UsageError(str(exc)) from None
        wrote.append(str(args.chart))
    if args.xlsx:
        try:
            from .excel import write_excel

            write_excel(result, args.xlsx)
        except ImportError as exc:
            raise AuditErrors([AuditError(str(exc))]) from None
        wrote.append(str(args.xlsx))
    if wrote:
        for name in wrote:
            out.write(f"wrote {name}\n")
    else:
        out.write(documents.render_markdown(result, **options))
    return 0


def _plan(args: argparse.Namespace, out: TextIO) -> int:
    rubric = load_rubric(args.rubric)
    for name in ("proportion", "target", "relevant_share"):
        value = getattr(args, name)
        if not 0 < value <= 1:
            raise _UsageError(f"--{name.replace('_', '-')} must lie in (0, 1], got {value}")
    if args.max_n < 1:
        raise _UsageError("--max-n must be at least 1")
    points = [args.proportion]
    if args.to is not None:
        if not args.proportion <= args.to <= 1:
            raise _UsageError("--to must lie between --proportion and 1")
        lo, hi = math.ceil(args.proportion * 100), math.floor(args.to * 100)
        points = sorted({args.proportion, args.to, *(Fraction(k, 100) for k in range(lo, hi + 1))})
    plans = [
        st.plan(rubric, p, target=args.target, relevant_share=args.relevant_share, max_n=args.max_n)
        for p in points
    ]
    margin = None
    if args.margin is not None:
        widest = float(max(points, key=lambda p: p * (1 - p)))
        margin = st.margin_of_error_cases(widest, args.margin, args.confidence, args.population)
    if args.format == "json":
        json.dump(
            {"plans": [p.to_dict() for p in plans], "margin_of_error_cases": margin}, out, indent=2
        )
        out.write("\n")
        return 0
    if args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "proportion",
                "band",
                "target",
                "first",
                "stable_from",
                "checked_to",
                "relevant_share",
                "cases_for_stable",
                "margin_of_error_cases",
            ]
        )
        for p in plans:
            writer.writerow(
                [
                    p.proportion,
                    p.band,
                    p.target,
                    p.first,
                    p.stable_from,
                    p.checked_to,
                    p.relevant_share,
                    p.cases_for_stable,
                    margin,
                ]
            )
        return 0
    for p in plans:
        first = f"not within {p.checked_to}" if p.first is None else str(p.first)
        stable = (
            f"not within {p.checked_to}"
            if p.stable_from is None
            else f"{p.stable_from} (checked to {p.checked_to})"
        )
        line = (
            f"true share {float(p.proportion):.1%} ({p.band}): P(sample band matches) >= "
            f"{float(p.target):.0%} first at {first} relevant cases; at every n from {stable}"
        )
        if p.relevant_share != 1 and p.cases_for_stable:
            line += f"; about {p.cases_for_stable} cases at {float(p.relevant_share):.0%} relevant"
        out.write(line + "\n")
    if margin is not None:
        caseload = f" (caseload {args.population})" if args.population else ""
        out.write(
            f"margin of error {args.margin:.0%} at {args.confidence:.0%} confidence: {margin} cases{caseload}\n"
        )
    return 0


def _compare(args: argparse.Namespace, out: TextIO) -> int:
    ratings = _ratings(args.rating)
    rubric = load_rubric(args.rubric)
    before = score(rubric, read_csv(args.before, rubric, missing=args.missing), ratings)
    after = score(rubric, read_csv(args.after, rubric, missing=args.missing), ratings)
    changes, changed = st.compare(before, after, args.confidence)
    if args.format == "json":
        json.dump(
            {
                "before": str(args.before),
                "after": str(args.after),
                "questions": [c.to_dict() for c in changes],
                "ratings_changed": [{"id": i, "before": b, "after": a} for i, b, a in changed],
            },
            out,
            indent=2,
        )
        out.write("\n")
        return 0
    if args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "id",
                "yes_before",
                "relevant_before",
                "yes_after",
                "relevant_after",
                "difference",
                "low",
                "high",
            ]
        )
        for c in changes:
            writer.writerow([csv_cell(c.id), *c.before, *c.after, c.difference, c.low, c.high])
        return 0
    out.write(
        f"{args.before} -> {args.after}: change in share 'yes' ({args.confidence:.0%} Newcombe interval)\n"
    )
    for c in changes:
        if c.difference is None or c.low is None or c.high is None:
            out.write(f"  {c.id:<12}no relevant cases in one audit\n")
            continue
        mark = "" if c.low <= 0 <= c.high else "  *"
        out.write(
            f"  {c.id:<12}{c.before[0]}/{c.before[1]} -> {c.after[0]}/{c.after[1]}: "
            f"{c.difference * 100:+.1f} points ({c.low * 100:+.1f} to {c.high * 100:+.1f}){mark}\n"
        )
    for sid, b, a in changed:
        out.write(f"  rating changed: {sid}: {b or 'undetermined'} -> {a or 'undetermined'}\n")
    if not changed:
        out.write("  no rating changed\n")
    return 0


def _agreement(args: argparse.Namespace, out: TextIO) -> int:
    rubric = load_rubric(args.rubric)
    if len(args.files) == 2:
        first = read_csv(args.files[0], rubric, missing=args.missing)
        second = read_csv(args.files[1], rubric, missing=args.missing)
        names = (str(args.files[0]), str(args.files[1]))
    elif len(args.files) == 1:
        names, (first, second) = read_double_marked(args.files[0], rubric, missing=args.missing)
    else:
        raise _UsageError("agreement takes one file with an 'auditor' column, or two files")
    try:
        rows = st.agreement(first, second)
    except ValueError as exc:
        raise AuditErrors([JudgmentError(str(exc))]) from None
    if args.format == "json":
        json.dump(
            {"auditors": list(names), "questions": [r.to_dict() for r in rows]}, out, indent=2
        )
        out.write("\n")
        return 0
    if args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["question", "cases", "agreed", "percent", "kappa", "disagreements"])
        for r in rows:
            listed = "; ".join(f"{c}: {a}/{b}" for c, a, b in r.disagreements)
            writer.writerow(
                [csv_cell(r.question), r.cases, r.agreed, r.percent, r.kappa, csv_cell(listed)]
            )
        return 0
    out.write(f"agreement between {names[0]} and {names[1]}\n")
    for r in rows:
        kappa = "-" if r.kappa is None else f"{r.kappa:.2f}"
        percent = 0.0 if r.percent is None else r.percent
        out.write(f"  {r.question:<12}{r.agreed}/{r.cases} agree ({percent:.0f}%), kappa {kappa}\n")
        for case, a, b in r.disagreements:
            out.write(f"      {case}: {a} / {b}\n")
    return 0


def read_double_marked(
    path: Path, rubric: Rubric, *, missing: Missing = "error"
) -> tuple[tuple[str, str], tuple[Sample, Sample]]:
    """Split a CSV with an ``auditor`` column into the two auditors' samples."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AuditErrors(
            [JudgmentError(f"cannot read file: {exc.strerror}", source=str(path))]
        ) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]] if rows else []
    if "auditor" not in header:
        raise AuditErrors(
            [
                JudgmentError(
                    "missing header: expected an 'auditor' column", source=str(path), line=1
                )
            ]
        )
    column = header.index("auditor")
    by_auditor: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        if len(row) > column and row[column].strip():
            by_auditor.setdefault(row[column].strip(), []).append(row)
    if len(by_auditor) != 2:
        found = ", ".join(by_auditor) or "none"
        raise AuditErrors(
            [
                JudgmentError(
                    f"expected exactly two auditors, found {len(by_auditor)}: {found}",
                    source=str(path),
                )
            ]
        )
    samples = []
    for name, group in by_auditor.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([h for k, h in enumerate(header) if k != column])
        writer.writerows([v for k, v in enumerate(row) if k != column] for row in group)
        samples.append(
            parse_csv(buffer.getvalue(), rubric, missing=missing, source=f"{path} (auditor {name})")
        )
    first_name, second_name = by_auditor
    return (first_name, second_name), (samples[0], samples[1])


def _reproduce(args: argparse.Namespace, out: TextIO) -> int:
    targets: list[Any] = list(args.files) if args.files else list(bundled_reports())
    if not targets:
        print("no published-figures files given and none bundled", file=sys.stderr)
        return 1
    comparisons: list[Comparison] = []
    errors: list[str] = []
    for target in targets:
        try:
            comparisons.append(reproduce(target))
        except AuditErrors as exc:
            errors.extend(exc.lines())
    if args.format == "json":
        json.dump([c.to_dict() for c in comparisons], out, indent=2)
        out.write("\n")
    else:
        out.write("\n\n".join(c.render_text() for c in comparisons) + ("\n" if comparisons else ""))
    for line in errors:
        print(line, file=sys.stderr)
    failed = [c for c in comparisons if not c.ok]
    for c in failed:
        for row in c.mismatches:
            print(
                f"{c.report.path}: {row.id}: published {row.published}, computed {row.computed}",
                file=sys.stderr,
            )
    return 1 if failed or errors else 0


def _rubrics(args: argparse.Namespace, out: TextIO) -> int:
    rubrics = [load_rubric(name) for name in available_rubrics()]
    if args.format == "json":
        json.dump(
            [
                {
                    "id": r.id,
                    "title": r.title,
                    "standards": len(r.standards),
                    "key_questions": len(r.questions),
                }
                for r in rubrics
            ],
            out,
            indent=2,
        )
        out.write("\n")
    else:
        for r in rubrics:
            out.write(
                f"{r.id}\t{r.title} ({len(r.standards)} standards, {len(r.questions)} key questions)\n"
            )
    return 0


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    status = 0
    for name in args.files:
        problems = validate_rubric(name)
        if problems:
            status = 1
            for problem in problems:
                print(problem.render(), file=sys.stderr)
        else:
            r = load_rubric(name)
            out.write(
                f"{name}: valid rubric {r.id!r} ({len(r.standards)} standards, {len(r.questions)} key questions)\n"
            )
    return status
