"""``probation-audit score``: rate a sample of case judgments, with how sure and for whom."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from .._cells import csv_writer
from .._groups import GroupScores, score_groups
from ..loading import rubric_file, rules_fingerprint
from ..rubric import Rubric
from ._common import (
    FORMATS,
    UsageError,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    add_statistics_options,
    check_input_options,
    command_rubric,
    read_sample,
)
from ._output import analysis_text, command_analysis, result_csv, result_text, write_json

HELP = "rate a sample of case judgments (CSV or workbook) with a rubric"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("cases", type=Path, help="case judgments: CSV, .xlsx or .xlsm, long or wide")
    add_rubric_option(p, from_template=True)
    add_rating_option(p)
    p.add_argument(
        "--casework-only",
        action="store_true",
        help="rate the case-based standards alone: no judged standard, no overall rating",
    )
    add_input_options(p)
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--intervals", action="store_true", help="confidence intervals for every key question"
    )
    p.add_argument(
        "--probabilities",
        action="store_true",
        help="how sure each case-based rating is, in words (see --probability-method)",
    )
    p.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="also rate each group of a case attribute (e.g. sentence_type)",
    )
    add_statistics_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    rubric, ratings = command_rubric(args, args.cases)
    if args.casework_only and ratings:
        raise UsageError("--casework-only rates no judged standard: leave out --rating")
    if args.by:
        national = _national_scores(args, rubric, ratings)
        if national is not None:
            # A national file: the same case ids in several groups. Every group is rated on
            # its own, in bulk.
            return _national(args, national, rubric, out)
    sample = read_sample(args, args.cases, rubric)
    analysis = command_analysis(args, rubric, sample, ratings, by=args.by)
    result = analysis.result
    if args.format == "json":
        data = {"source": str(args.cases), **result.to_dict()}
        figures = analysis.to_dict()
        data["notes"] = [*data["notes"], *figures.pop("notes", [])]
        write_json({**data, **figures}, out)
    elif args.format == "csv":
        out.write(result_csv(result, analysis))
    else:
        out.write(result_text(result, str(args.cases)) + "\n")
        text = analysis_text(analysis)
        if text:
            out.write(text + "\n")
    return 0


def _national_scores(
    args: argparse.Namespace, rubric: Rubric, ratings: dict[str, str]
) -> GroupScores | None:
    """The groups of a file whose case ids repeat across ``--by`` groups; None for any other
    file (or one score_groups cannot read), which the usual path reads and reports."""
    check_input_options(args, args.cases)
    try:
        scores = score_groups(
            rubric,
            args.cases,
            by=args.by,
            ratings=ratings,
            missing=args.missing,
            sheet=args.sheet,
            encoding=args.encoding,
            layout=args.layout,
            casework_only=args.casework_only,
        )
    except (ValueError, ImportError):
        return None
    return scores if scores.shared_case_ids else None


def _national(args: argparse.Namespace, scores: GroupScores, rubric: Rubric, out: TextIO) -> int:
    records = scores.to_records()
    if args.format == "json":
        about = {
            "rubric": rubric.id,
            "rubric_file": rubric_file(rubric),
            "rubric_fingerprint": rules_fingerprint(rubric),
        }
        plain = {"source": str(args.cases), **about, "by": args.by, "groups": records}
        write_json({**plain, "notes": list(scores.notes)}, out)
        return 0
    if args.format == "csv":
        writer = csv_writer(out)
        columns = list(records[0]) if records else [args.by]
        writer.writerow(columns)
        for record in records:
            writer.writerow([record[c] for c in columns])
        for note in scores.notes:  # the table keeps its shape: its notes go beside it
            print(f"{args.cases}: note: {note}", file=sys.stderr)
        return 0
    casework = scores.casework_only
    standards = [s.id for s in rubric.standards if not (casework and s.judged)]
    out.write(
        f"{args.cases}: {len(scores.groups)} groups by {args.by}, rubric {scores.rubric_label} "
        "(case ids repeat across groups: each group rated on its own)\n"
    )
    if casework:
        out.write("  casework-only audit: no judged standard and no overall rating\n")
    out.writelines(f"  note: {note}\n" for note in scores.notes)
    width = max([len(args.by), *map(len, scores.groups)]) + 2
    out.write(
        f"  {args.by:<{width}}{'cases':>6}  "
        + "  ".join(f"{s:<22}" for s in standards)
        + ("" if casework else "  overall")
        + "\n"
    )
    for g, name in enumerate(scores.groups):
        cells = [(scores.ratings.rating(g, s) or "undetermined")[:22] for s in standards]
        overall = "" if casework else f"  {scores.ratings.overall_rating(g) or 'undetermined'}"
        out.write(
            f"  {name:<{width}}{int(scores.cases[g]):>6}  "
            + "  ".join(f"{c:<22}" for c in cells)
            + overall
            + "\n"
        )
    return 0
