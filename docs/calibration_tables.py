"""Write the calibration evidence into the documentation from the benchmark's own output.

``benchmarks/results/calibration.txt`` is one run of ``benchmarks/bench_calibration.py``,
kept as it was printed. This script reads it back and writes, between marker comments, the
run itself and tables generated from it (the verdicts come from
:func:`probation_audit.statistics.shortfalls`, the rule the benchmark prints by) into
``docs/statistics.md`` and ``docs/auditors.md``; ``tests/test_docs.py`` fails when a page is
not what this script would write.

Run after a new benchmark run::

    python benchmarks/bench_calibration.py > benchmarks/results/calibration.txt
    python docs/calibration_tables.py
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from probation_audit.statistics import (
    CALIBRATION_TARGETS,
    CERTAINTY_WORDS,
    EDGE_KINDS,
    METHODS,
    CalibrationFigures,
    SizeFigures,
    WordHits,
    least_overstated,
    shortfalls,
)

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "results" / "calibration.txt"
STATISTICS = ROOT / "docs" / "statistics.md"
AUDITORS = ROOT / "docs" / "auditors.md"
RECOMMENDED = METHODS[0]

_HEADING = re.compile(r"^(?P<kind>.+?) \| (?P<method>[a-z-]+) \| unrated [\d,]+ \| \d+ s$")
_ROW = re.compile(r"^  (?P<label>all|\d+ cases)\s+(?P<rest>[\d,].*)$")


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _row(rest: str) -> tuple[int, float, float, int, float | None, tuple[WordHits, ...]]:
    """One printed row: headlines, ECE, overstatement, 0.99 or more, wrong, the words."""
    cells = rest.split()
    heads, ece, over, n99, wrong = cells[:5]
    words = []
    for (lowest, name), cell in zip(CERTAINTY_WORDS, cells[5:], strict=True):
        if cell == "-":
            words.append(WordHits(name, lowest, 0, None))
        else:
            right, count = cell.split("/")
            words.append(WordHits(name, lowest, _number(count), float(right)))
    share = None if wrong == "-" else float(wrong.rstrip("%")) / 100
    return _number(heads), float(ece), float(over), _number(n99), share, tuple(words)


def parse(text: str) -> list[CalibrationFigures]:
    """The figures of every kind and method of a printed run, in the order printed.

    Raises:
        ValueError: a block of the run is not in the benchmark's printed form.
    """
    out: list[CalibrationFigures] = []
    blocks = text.split("\n\n")
    for block in blocks[1:]:
        lines = block.strip("\n").splitlines()
        heading = _HEADING.match(lines[0])
        if heading is None:
            if " | least overstated of the methods run: " in lines[0]:
                continue
            raise ValueError(f"not a heading of the calibration benchmark: {lines[0]!r}")
        rows = [_ROW.match(line) for line in lines[1:]]
        if not rows or rows[0] is None or rows[0]["label"] != "all":
            raise ValueError(f"{lines[0]!r}: expected its 'all' row next")
        heads, ece, over, n99, wrong, words = _row(rows[0]["rest"])
        sizes = []
        for row in rows[1:]:
            if row is not None:
                size = _row(row["rest"])
                sizes.append(SizeFigures(int(row["label"].split()[0]), size[0], size[2]))
        out.append(
            CalibrationFigures(
                heading["kind"],
                heading["method"],
                heads,
                ece,
                over,
                n99,
                wrong,
                words,
                tuple(sizes),
            )
        )
    return out


def _kinds(figures: Sequence[CalibrationFigures]) -> list[str]:
    return list(dict.fromkeys(f.family for f in figures))


def _verdict(kind: str, f: CalibrationFigures, of_kind: Sequence[CalibrationFigures]) -> str:
    if kind in EDGE_KINDS:
        least = least_overstated(of_kind)
        if least.method == f.method:
            return f"edge kind: {f.overstatement:+.3f}, the least overstated"
        return f"edge kind: {f.overstatement:+.3f}, not the least overstated ({least.method})"
    missed = shortfalls(f)
    return "meets every target" if not missed else "; ".join(missed)


def verdict_table(figures: Sequence[CalibrationFigures]) -> str:
    """Per kind, each method's verdict against the targets (the edge kinds: whether it is the
    least overstated of the methods run)."""
    methods = list(dict.fromkeys(f.method for f in figures))
    lines = [
        "| kind | " + " | ".join(methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    for kind in _kinds(figures):
        of_kind = [f for f in figures if f.family == kind]
        by_method = {f.method: f for f in of_kind}
        cells = [
            _verdict(kind, by_method[m], of_kind) if m in by_method else "not run" for m in methods
        ]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _smallest(f: CalibrationFigures) -> str:
    if not f.sizes:
        return "-"
    size = f.sizes[0]
    return f"{size.overstatement:+.3f} ({size.cases} cases)"


def _hits(f: CalibrationFigures, words: str) -> str:
    hits = next(h for h in f.words if h.words == words)
    return "-" if hits.right is None else f"{hits.right:.2f} of {hits.headlines:,}"


def recommended_table(figures: Sequence[CalibrationFigures]) -> str:
    """The recommended method's figures, one row per kind, with its verdict."""
    words = [w for lowest, w in CERTAINTY_WORDS if lowest >= CALIBRATION_TARGETS.words_from]
    lines = [
        "| kind | calibration error | overstates by | at the smallest audit "
        "| 0.99 or more (wrong) | " + " | ".join(words) + " | against the targets |",
        "|---|---:|---:|---:|---:|" + "---:|" * len(words) + "---|",
    ]
    for kind in _kinds(figures):
        of_kind = [f for f in figures if f.family == kind]
        f = next((g for g in of_kind if g.method == RECOMMENDED), None)
        if f is None:
            continue
        wrong = "-" if f.confident_wrong is None else f"{f.confident_wrong:.1%}"
        cells = [
            kind,
            f"{f.expected_calibration_error:.3f}",
            f"{f.overstatement:+.3f}",
            _smallest(f),
            f"{f.confident:,} ({wrong})",
            *(_hits(f, w) for w in words),
            _verdict(kind, f, of_kind),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def blocks(run: str) -> dict[Path, dict[str, str]]:
    """The generated text of each marked block of each page."""
    figures = parse(run)
    return {
        STATISTICS: {
            "calibration-verdicts": verdict_table(figures),
            "calibration-run": "```text\n" + run.rstrip("\n") + "\n```",
        },
        AUDITORS: {"calibration-recommended": recommended_table(figures)},
    }


def _marker(name: str) -> tuple[str, str]:
    return (
        f"<!-- generated by docs/calibration_tables.py from benchmarks/results/calibration.txt: "
        f"{name} -->",
        f"<!-- end of generated {name} -->",
    )


def written(text: str, generated: dict[str, str]) -> str:
    """``text`` with each marked block replaced by its generated text.

    Raises:
        ValueError: a block's markers are missing.
    """
    for name, body in generated.items():
        begin, end = _marker(name)
        if begin not in text or end not in text:
            raise ValueError(f"markers of the generated block {name!r} are missing")
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{body}\n{end}{tail}"
    return text


def main() -> None:
    run = RUN.read_text(encoding="utf-8")
    for path, generated in blocks(run).items():
        text = path.read_text(encoding="utf-8")
        path.write_text(written(text, generated), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
