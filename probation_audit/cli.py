"""The ``probation-audit`` command: score, reproduce, rubrics, validate.

Exit status: 0 success, 1 invalid data or rubric or a failed reproduction, 2 usage error.
Errors go to stderr, one per line, without a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import AuditError, AuditErrors
from .judgments import read_csv
from .loading import available_rubrics, load_rubric, validate_rubric
from .rating import Result, percent_text, score
from .reports import Comparison, bundled_reports, reproduce

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
    sample = read_csv(args.cases, rubric, layout=args.layout, missing=args.missing)
    result = score(rubric, sample, ratings)
    if args.format == "json":
        data = {"source": str(args.cases), **result.to_dict()}
        json.dump(data, out, indent=2)
        out.write("\n")
    elif args.format == "csv":
        out.write(result_csv(result))
    else:
        out.write(result_text(result, str(args.cases)) + "\n")
    return 0


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


def result_csv(result: Result) -> str:
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
    return buffer.getvalue()


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
