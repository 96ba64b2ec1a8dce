"""What the commands share: usage errors, input options, reading judgments, judged ratings."""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

from .._identity import rules_fingerprint
from .._probabilities import MAX_POPULATION, METHODS
from .._tables import LAYOUTS, Table
from .._xlsx import TemplateFacts, template_facts
from ..errors import AuditError, AuditErrors, JudgmentError
from ..judgments import MISSING_CHOICES, Sample
from ..rating import check_ratings
from ..reading import DoubleMarked, is_workbook, read_double_marked, read_judgments, read_table
from ..rubric import Rubric

FORMATS = ("text", "json", "csv")


class UsageError(Exception):
    """Bad usage: reported by argparse with the command's usage line, exit status 2."""


def add_rubric_option(p: argparse.ArgumentParser, *, from_template: bool = False) -> None:
    """``--rubric``; with ``from_template`` it may be left out for a template workbook, whose
    About sheet names its rubric (see :func:`command_rubric`)."""
    p.add_argument(
        "--rubric",
        required=not from_template,
        help="bundled rubric id or path to a rubric TOML file"
        + (
            " (default for a template workbook: the rubric on its About sheet)"
            if from_template
            else ""
        ),
    )


def command_rubric(args: argparse.Namespace, cases: Path) -> tuple[Rubric, dict[str, str]]:
    """The rubric of a command reading one file of judgments, and the judged ratings to use.

    ``--rubric`` when given; else, for a workbook made by ``template``, the rubric its About
    sheet names (said on standard error). A ``--rubric`` other than the one such a workbook was
    made for is a usage error naming both. The judged ratings are ``--rating``'s, else those
    chosen on the template's Ratings sheet (said on standard error), else none.
    """
    from ..loading import load_rubric

    facts = _template_facts(cases)
    if args.rubric is None:
        if facts is None:
            raise UsageError(
                f"--rubric is needed: {cases} is not a template workbook naming its rubric"
            )
        try:
            rubric = load_rubric(facts.rubric)
        except (ValueError, OSError):
            raise UsageError(
                f"{cases} was made for rubric {facts.rubric!r} (its About sheet), which is not "
                "bundled: give --rubric with the rubric's file"
            ) from None
        if facts.rules is not None and facts.rules != rules_fingerprint(rubric):
            raise UsageError(
                f"{cases} was made for rubric {facts.rubric!r} from {facts.rubric_file} with rules "
                f"{facts.rules} (its About sheet), but the bundled {rubric.id} has rules "
                f"{rules_fingerprint(rubric)}: give --rubric with the file it was made from"
            )
        print(f"rubric {rubric.id} (from the About sheet of {cases})", file=sys.stderr)
    else:
        rubric = load_rubric(args.rubric)
        if facts is not None and facts.rubric != rubric.id:
            raise UsageError(
                f"--rubric {args.rubric} is rubric {rubric.id!r}, but {cases} was made for rubric "
                f"{facts.rubric!r} (its About sheet): leave out --rubric, or give the rubric "
                "the workbook was made for"
            )
        if facts is not None and facts.rules not in (None, rules_fingerprint(rubric)):
            raise UsageError(
                f"--rubric {args.rubric} has rules {rules_fingerprint(rubric)}, but {cases} was "
                f"made with rules {facts.rules} from {facts.rubric_file} (its About sheet, rubric "
                f"{facts.rubric!r}): give the rubric file the workbook was made from"
            )
    if not hasattr(args, "rating"):  # a command that rates no judged standard
        return rubric, {}
    ratings = checked_ratings(args, rubric)
    if ratings or facts is None or not facts.ratings or getattr(args, "casework_only", False):
        return rubric, ratings
    chosen = dict(facts.ratings)
    try:
        chosen = check_ratings(rubric, chosen)
    except AuditErrors as errors:
        raise AuditErrors(
            [JudgmentError(f"Ratings sheet: {e.message}", source=str(cases)) for e in errors.errors]
        ) from None
    shown = ", ".join(f"{sid}={label}" for sid, label in chosen.items())
    print(f"judged ratings from the Ratings sheet of {cases}: {shown}", file=sys.stderr)
    return rubric, chosen


def _template_facts(cases: Path) -> TemplateFacts | None:
    """What a template workbook says about itself; None for any other file, or without
    openpyxl (the reader says so when it reads the file)."""
    if not is_workbook(cases):
        return None
    try:
        return template_facts(cases)
    except ImportError:
        return None


def add_rating_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rating",
        action="append",
        default=[],
        metavar="ID=LABEL",
        help="rating of a judged standard, e.g. P1.1='Requires improvement' (repeatable)",
    )


def add_input_options(p: argparse.ArgumentParser) -> None:
    """How judgment files are read: the same options for every command that reads them."""
    p.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="auto",
        help="file layout: long or wide (default: auto)",
    )
    p.add_argument(
        "--missing",
        choices=MISSING_CHOICES,
        default="error",
        help="a key question with no answer for a case: an error (default) or not relevant",
    )
    p.add_argument(
        "--sheet",
        help="sheet of an .xlsx or .xlsm workbook (default: the first visible sheet, or a "
        "template's Cases sheet when its Ratings sheet is in front)",
    )
    p.add_argument(
        "--encoding",
        help="text encoding of a CSV file, e.g. cp1252 (default: UTF-8, with or without BOM)",
    )


# -- range-checked option types: a bad value is argparse's usage error (exit 2) -------------

MAX_RESAMPLES = 1_000_000
MAX_SEED = 2**63 - 1
MAX_CASES = 100_000_000


def share(*, zero: bool = False) -> Callable[[str], Fraction]:
    """An exact proportion in (0, 1] (or [0, 1] with ``zero``), as 0.45 or 9/20."""
    allowed = "[0, 1]" if zero else "(0, 1]"

    def parse(text: str) -> Fraction:
        try:
            value = Fraction(text.strip())
        except (ValueError, ZeroDivisionError):
            value = None
        if value is None or not (0 <= value <= 1 if zero else 0 < value <= 1):
            raise argparse.ArgumentTypeError(
                f"expected a proportion in {allowed}, such as 0.45 or 9/20; got {text!r}"
            )
        return value

    return parse


def open_unit(text: str) -> float:
    """A probability strictly between 0 and 1 (a confidence, a margin of error)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < 1:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            f"expected a number strictly between 0 and 1, such as 0.95; got {text!r}"
        )
    return value


def whole(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low:,} to {high:,}; got {text!r}"
            )
        return value

    return parse


def add_confidence_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--confidence",
        type=open_unit,
        default=0.95,
        help="interval confidence, strictly between 0 and 1 (default 0.95)",
    )


def add_statistics_options(p: argparse.ArgumentParser, *, groups: bool = True) -> None:
    """Intervals and probabilities; with ``groups``, the group-size threshold of ``--by``."""
    add_confidence_option(p)
    p.add_argument("--method", choices=("wilson", "clopper-pearson"), default="wilson")
    p.add_argument(
        "--population",
        type=whole(1, MAX_POPULATION),
        metavar="CASES",
        help="the caseload the cases were sampled from (how sure a rating is takes it into account)",
    )
    p.add_argument(
        "--probability-method",
        choices=METHODS,
        default=METHODS[0],
        help=f"how --probabilities is computed (default {METHODS[0]}; the others are alternatives)",
    )
    p.add_argument(
        "--distribution",
        action="store_true",
        help="with --probabilities, the probability of every rating, not only the most likely",
    )
    p.add_argument(
        "--resamples",
        type=whole(1, MAX_RESAMPLES),
        default=10_000,
        help=f"resamples for --probabilities, 1 to {MAX_RESAMPLES:,} (default 10000)",
    )
    p.add_argument(
        "--seed",
        type=whole(0, MAX_SEED),
        default=0,
        help="random seed for --probabilities, 0 or more (default 0)",
    )
    if groups:
        p.add_argument(
            "--min-relevant",
            type=whole(0, MAX_CASES),
            default=10,
            help="relevant cases below which a group is too small (default 10)",
        )


def parse_ratings(pairs: Sequence[str]) -> dict[str, str]:
    """``--rating ID=LABEL`` options as a mapping; a malformed or repeated one is a usage error."""
    out: dict[str, str] = {}
    for pair in pairs:
        sid, sep, label = pair.partition("=")
        if not sep or not sid.strip() or not label.strip():
            raise UsageError(f"--rating expects ID=LABEL, got {pair!r}")
        if sid.strip() in out:
            raise UsageError(f"--rating gives {sid.strip()} twice")
        out[sid.strip()] = label.strip()
    return out


def checked_ratings(args: argparse.Namespace, rubric: Rubric) -> dict[str, str]:
    """``--rating`` options checked against the rubric: a malformed option, an unknown
    standard or label is a usage error naming the option."""
    ratings = parse_ratings(args.rating)
    try:
        return check_ratings(rubric, ratings)
    except AuditErrors as errors:
        problems = "; ".join(
            f"{e.key_path.removeprefix('ratings.') if e.key_path else ''}: {e.message}"
            for e in errors.errors
        )
        raise UsageError(f"--rating {problems}") from None


def check_input_options(args: argparse.Namespace, *paths: Path) -> None:
    """Options that do not fit the files named are usage errors, found before any reading."""
    for path in paths:
        if getattr(args, "sheet", None) is not None and not is_workbook(path):
            raise UsageError(f"--sheet goes with an .xlsx or .xlsm workbook, not {path}")
        if getattr(args, "encoding", None) is not None and is_workbook(path):
            raise UsageError(f"--encoding goes with a CSV file, not the workbook {path}")


def read_cases(
    args: argparse.Namespace, path: Path, rubric: Rubric, *, double_marked: bool = False
) -> Sample | DoubleMarked:
    """Judgments from a CSV file or workbook, as the input options say (with
    ``double_marked``, split by the ``auditor`` column). A missing extra is a one-line error."""
    check_input_options(args, path)
    read = read_double_marked if double_marked else read_judgments
    try:
        return read(
            path,
            rubric,
            missing=args.missing,
            sheet=args.sheet,
            encoding=args.encoding,
            layout=args.layout,
        )
    except ImportError as exc:
        raise AuditErrors([JudgmentError(str(exc), source=str(path))]) from None


def read_sample(args: argparse.Namespace, path: Path, rubric: Rubric) -> Sample:
    """:func:`read_cases` of one audit's judgments."""
    sample = read_cases(args, path, rubric)
    assert isinstance(sample, Sample)
    return sample


def read_caseload(
    path: Path, columns: Sequence[str]
) -> tuple[Table, list[tuple[Sequence[str], int]]]:
    """A caseload list (CSV or workbook): its table and its non-empty rows with their lines,
    checked: a case_id column and the ``columns`` asked for, every row its full width, a
    non-blank case id, no case listed twice. Every problem is reported."""
    table = read_table(path)
    names = table.names
    absent = [c for c in ["case_id", *columns] if c not in names]
    if absent:
        raise AuditErrors(
            [
                JudgmentError(
                    f"no column {', '.join(map(repr, absent))} (columns: {', '.join(names)})",
                    source=table.source,
                    line=table.header_line,
                )
            ]
        )
    ci = names.index("case_id")
    rows = [
        (row, line)
        for row, line in zip(table.rows, table.lines, strict=True)
        if any(c.strip() for c in row)
    ]
    errors: list[AuditError] = []
    seen: dict[str, int] = {}
    for row, line in rows:
        case_id = row[ci].strip() if ci < len(row) else ""
        if len(row) != len(names):
            errors.append(
                JudgmentError(
                    f"expected {len(names)} fields, found {len(row)}",
                    source=table.source,
                    line=line,
                )
            )
        elif not case_id:
            errors.append(JudgmentError("blank case_id", source=table.source, line=line))
        elif case_id in seen:
            errors.append(
                JudgmentError(
                    f"case {case_id!r} listed twice (first at line {seen[case_id]})",
                    source=table.source,
                    line=line,
                )
            )
        else:
            seen[case_id] = line
    if errors:
        raise AuditErrors(errors)
    return table, rows


def files_read(args: argparse.Namespace, outputs: Sequence[str] = ()) -> list[Path]:
    """Every file a command reads: each path on its command line (its case judgments,
    caseload, audits, published-figures or other files) that is not one of the ``outputs``
    (their argument names), and the rubric when ``--rubric`` names a file."""
    found: list[Path] = []
    for name, value in vars(args).items():
        if name in outputs:
            continue
        found.extend(
            v for v in (value if isinstance(value, list) else [value]) if isinstance(v, Path)
        )
    rubric = getattr(args, "rubric", None)
    if isinstance(rubric, str) and Path(rubric).is_file():
        found.append(Path(rubric))
    return found


def _same_file(a: Path, b: Path) -> bool:
    """Whether two spellings name one file: the same path once links and ``..`` are resolved,
    or, both existing, the same file (a hard link)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_outputs(
    args: argparse.Namespace,
    targets: Sequence[tuple[str, Path | None]],
    *,
    positional: str | None = None,
) -> list[tuple[str, Path]]:
    """Output options (``(kind, path)``, kind the option's argument name; ``positional`` the
    one given without an option) checked before any reading or writing: a bad chart or
    workbook suffix, an output that would overwrite a file the command reads (see
    :func:`files_read`) or another output, is a usage error (exit 2) naming both; a target that
    cannot be written, or a missing extra, a one-line error each (exit 1). Every command that
    writes a file calls it. Returns the outputs asked for."""
    from .._outputs import check_targets
    from ..charts import chart_format

    def shown(kind: str, path: Path) -> str:
        return f"{'' if kind == positional else '--' + kind + ' '}{path}"

    given = [(kind, path) for kind, path in targets if path is not None]
    for kind, path in given:
        if kind == "chart":
            try:
                chart_format(path)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        if kind == "xlsx" and path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise UsageError(f"--xlsx file must end in .xlsx, got {str(path)!r}")
    inputs = files_read(args, [kind for kind, _ in targets])
    for k, (kind, path) in enumerate(given):
        for source in inputs:
            if _same_file(path, source):
                raise UsageError(
                    f"{shown(kind, path)} would overwrite {source}, a file this command reads"
                )
        for other, earlier in given[:k]:
            if _same_file(path, earlier):
                raise UsageError(f"--{other} and --{kind} both name {path}")
    problems: list[AuditError] = list(check_targets([path for _, path in given]))
    for kind, module, extra in (("chart", "matplotlib", "plot"), ("xlsx", "openpyxl", "excel")):
        if any(k == kind for k, _ in given) and importlib.util.find_spec(module) is None:
            problems.append(
                AuditError(
                    f"--{kind} needs {module}: pip install 'probation-audit[{extra}]' "
                    f"(from a checkout: pip install '.[{extra}]')"
                )
            )
    if problems:
        raise AuditErrors(problems)
    return given


def add_force_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an existing template (without it, an existing file is never replaced: "
        "it may hold recorded answers)",
    )


def refuse_existing_template(option: str, path: Path, force: bool) -> None:
    """A template is where answers get recorded: replacing one loses them, so an existing file
    is replaced only with ``--force`` (a usage error, exit 2, otherwise)."""
    if path.exists() and not force:
        raise UsageError(
            f"{option}{path} already exists and may hold recorded answers: choose another name, "
            "or give --force to replace it"
        )
