"""``probation-audit compare``: two audits side by side, per key question and rating."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .. import statistics as st
from .._about import About
from .._scoring import score
from ..loading import load_rubric
from ..rating import casework_only
from ..results import Result
from ..rubric import Rubric
from ._common import (
    FORMATS,
    UsageError,
    add_confidence_option,
    add_input_options,
    add_rating_option,
    add_rubric_option,
    check_input_options,
    checked_ratings,
    read_sample,
)
from ._output import note_lines, with_overall_reason, write_json, write_records

HELP = "compare two audits: changes per key question and in ratings"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("before", type=Path, help="the earlier audit: CSV, .xlsx or .xlsm")
    p.add_argument("after", type=Path, help="the later audit: CSV, .xlsx or .xlsm")
    add_rubric_option(p)
    add_rating_option(p)
    p.add_argument(
        "--casework-only",
        action="store_true",
        help="rate the case-based standards alone: no judged standard, no overall rating",
    )
    add_input_options(p)
    add_confidence_option(p)
    p.add_argument("--format", choices=FORMATS, default="text")


def run(args: argparse.Namespace, out: TextIO) -> int:
    rubric = load_rubric(args.rubric)
    ratings = checked_ratings(args, rubric)
    check_input_options(args, args.before, args.after)
    if args.casework_only and ratings:
        raise UsageError("--casework-only rates no judged standard: leave out --rating")
    before = score(rubric, read_sample(args, args.before, rubric), ratings)
    after = score(rubric, read_sample(args, args.after, rubric), ratings)
    if args.casework_only:
        before, after = casework_only(rubric, before), casework_only(rubric, after)
    comparison = st.compare(before, after, args.confidence)
    changes = comparison.questions
    # each audit's notes named by its file
    about = About.of_results([before, after], [str(args.before), str(args.after)])
    undetermined = any(o is not None and o.rating is None for o in (before.overall, after.overall))
    about = with_overall_reason(about, rubric, ratings, undetermined)
    if args.format == "json":
        plain = comparison.to_dict()
        write_json(
            {
                "before": str(args.before),
                "after": str(args.after),
                **about.to_dict(),
                "questions": plain["questions"],
                "ratings_changed": plain["ratings_changed"],
            },
            out,
        )
        return 0
    if args.format == "csv":
        # One tidy table, the comparison frame's rows: a row per key question (its change
        # and whether it is significant), then a row per standard and the overall rating.
        write_records(out, comparison.to_records(), about)
        return 0
    out.write(
        f"{args.before} -> {args.after}, rubric {about.rubric_label}: each key question's "
        "share of 'yes'\n"
    )
    _write_changes(rubric, before, after, changes, out)
    out.writelines(f"{line}\n" for line in note_lines(about))
    return 0


def _rating_pairs(before: Result, after: Result) -> list[tuple[str, str | None, str | None]]:
    """Each standard's rating, then the overall rating, before and after (the overall left
    out when either result has none)."""
    pairs = [
        (b.id, b.rating, a.rating) for b, a in zip(before.standards, after.standards, strict=True)
    ]
    if before.overall is not None and after.overall is not None:
        pairs.append(("overall", before.overall.rating, after.overall.rating))
    return pairs


def _write_changes(
    rubric: Rubric, before: Result, after: Result, changes: Sequence[st.QuestionChange], out: TextIO
) -> None:
    """Each key question's change, each rating's move, and which moves chance could explain."""
    for c in changes:
        mark = " *" if c.significant else ""
        out.write(f"  {c.id:<12}{c.sentence()}{mark}\n")
    out.write(f"  {st.significance_note(changes)}\n")
    out.write("Ratings:\n")
    scale = rubric.rating_scale
    for sid, b, a in _rating_pairs(before, after):
        if b is None or a is None:
            out.write(f"  {sid:<12}{b or 'undetermined'} -> {a or 'undetermined'}\n")
        elif b == a:
            out.write(f"  {sid:<12}{b}, unchanged\n")
        else:
            steps = scale.rank(a) - scale.rank(b)
            way = "up" if steps > 0 else "down"
            bands = "band" if abs(steps) == 1 else "bands"
            out.write(f"  {sid:<12}{b} -> {a} ({way} {abs(steps)} {bands})\n")
    _write_chance(before, after, changes, out)


def _write_chance(
    before: Result, after: Result, changes: Sequence[st.QuestionChange], out: TextIO
) -> None:
    """A move is borne out when a question that drove the rating, before or after, changed
    significantly in the direction of the move; the moves that are not, and the caution of
    many comparisons at once."""
    caution = st.chance_caution(st.moves_chance_could_explain(before, after, changes))
    if caution:
        out.write(f"  {caution}\n")
    if len(changes) > 1:
        out.write(f"  {many_comparisons(len(changes))}\n")


def many_comparisons(compared: int) -> str:
    """The caution of ``compared`` key questions tested at once: each has about a 1 in 20
    chance of looking changed by chance alone (the test's 0.05 level), so about one in 20 of
    them may (rounded half up, at least one)."""
    may = max(1, (compared + 10) // 20)
    return (
        "Each key question has about a 1 in 20 chance of looking changed by chance alone, so "
        f"among the {compared:,} compared at once about {'one' if may == 1 else f'{may:,}'} may."
    )
