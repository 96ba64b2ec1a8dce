"""The documentation says what the code does: CLI reference, guide example."""

from __future__ import annotations

import argparse
import importlib.util
import re
from types import ModuleType

import pytest

from probation_audit.cli import _parser
from probation_audit.statistics import EDGE_KINDS, FAMILIES, METHODS, shortfalls

from .conftest import ROOT


def test_cli_reference_lists_every_command_and_option() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        heading = f"## `probation-audit {name}`"
        assert heading in text, name
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        for action in sub._actions:
            for option in action.option_strings:
                assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section), (
                    name,
                    option,
                )
            if not action.option_strings and action.dest != "help":
                assert action.dest in section or (action.metavar or "") in section, (
                    name,
                    action.dest,
                )


def test_guide_example_is_the_tested_one() -> None:
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    example = (ROOT / "tests" / "test_user_example.py").read_text(encoding="utf-8")
    body = example.split('RUBRIC = pa.load_rubric("hmip-probation-2023")', 1)[1].strip()
    first_test = body.split("\n\n\n")[0]
    assert first_test in guide


def _docs_script(name: str) -> ModuleType:
    """One of the scripts in docs/ that write a page, loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _calibration_tables() -> ModuleType:
    return _docs_script("calibration_tables")


def test_the_calibration_evidence_is_generated_from_the_benchmarks_run() -> None:
    """Every calibration table of the documentation is what the benchmark's kept run gives:
    run ``python docs/calibration_tables.py`` after a new run."""
    tables = _calibration_tables()
    run = tables.RUN.read_text(encoding="utf-8")
    for path, generated in tables.blocks(run).items():
        text = path.read_text(encoding="utf-8")
        assert tables.written(text, generated) == text, "run python docs/calibration_tables.py"
    # The kept run is the benchmark's own: every kind and every method, each verdict printed
    # by the rule the tables use.
    figures = tables.parse(run)
    assert {f.family for f in figures} == {f.name for f in FAMILIES}
    assert {f.method for f in figures} == set(METHODS)
    printed = [line for line in run.splitlines() if line.startswith("  targets: ")]
    judged = [f for f in figures if f.family not in EDGE_KINDS]
    assert printed.count("  targets: met") == sum(not shortfalls(f) for f in judged)


def test_the_calibration_run_is_read_back_as_printed() -> None:
    tables = _calibration_tables()
    run = (
        "3 SYNTHETIC units per kind, 4 case-based standards each, 10 resamples per audit, seed 0\n"
        "  audit size              heads    ECE    over  >=.99  wrong alm.certain very likely"
        "      likely   realistic   uncertain\n\n"
        "whole range | bootstrap | unrated 2 | 0 s\n"
        "  all                     1,200  0.015  -0.002    682   0.4%    1.00/814    0.88/185"
        "    0.69/335    0.46/239           -\n"
        "  10 cases                  336  0.074  +0.039     83      -           -     0.90/30"
        "     0.67/48    0.35/115     0.26/27\n"
        "  targets: met\n"
    )
    (f,) = tables.parse(run)
    assert (f.family, f.method, f.headlines) == ("whole range", "bootstrap", 1200)
    assert (f.expected_calibration_error, f.overstatement, f.confident) == (0.015, -0.002, 682)
    assert f.confident_wrong == pytest.approx(0.004)
    assert [(w.headlines, w.right) for w in f.words] == [
        (814, 1.0),
        (185, 0.88),
        (335, 0.69),
        (239, 0.46),
        (0, None),
    ]
    assert [(s.cases, s.headlines, s.overstatement) for s in f.sizes] == [(10, 336, 0.039)]
    with pytest.raises(ValueError, match="not a heading"):
        tables.parse(run.replace("whole range | bootstrap", "whole range / bootstrap"))
    with pytest.raises(ValueError, match="markers of the generated block"):
        tables.written("no markers", {"calibration-run": "x"})


def test_the_cli_reference_is_what_the_parser_prints() -> None:
    module = _docs_script("cli_reference")
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == module.reference(), "run python docs/cli_reference.py > docs/cli.md"
