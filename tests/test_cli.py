from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit.cli import csv_cell, main

from .conftest import EXAMPLE_CASES, GOLDEN, PUBLISHED_2024

JUDGED_ARGS = [
    "--rating",
    "P1.1=Requires improvement",
    "--rating",
    "P1.2=Inadequate",
    "--rating",
    "P1.3=requires improvement",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "score", "--rubric", "hmip-probation-2023", str(EXAMPLE_CASES), *JUDGED_ARGS
    )
    assert (code, err) == (0, "")
    assert "70 cases, rubric hmip-probation-2023" in out
    assert "  P2.1.3         11        70      16%    15.71%" in out
    assert "  P2.1 Assessment                     Inadequate            lowest: P2.1.3" in out
    assert "  overall                             Inadequate            2 of 21 points" in out
    assert "assumed: rounding (method = exact)" in out


def test_score_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "score",
        "--rubric",
        "hmip-probation-2023",
        str(EXAMPLE_CASES),
        *JUDGED_ARGS,
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["rubric"] == "hmip-probation-2023"
    p21 = next(s for s in data["standards"] if s["id"] == "P2.1")
    assert (p21["rating"], p21["driven_by"]) == ("Inadequate", ["P2.1.3"])
    assert {k: p21["key_questions"][0][k] for k in ("id", "yes", "relevant", "percent")} == {
        "id": "P2.1.1",
        "yes": 36,
        "relevant": 70,
        "percent": 51,
    }
    assert (data["overall"]["rating"], data["overall"]["points"]) == ("Inadequate", 2)
    assert {s["id"]: s["rating"] for s in data["standards"]}["P1.3"] == "Requires improvement"


def test_score_json_undetermined_has_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "score", "--rubric", "hmip-probation-2023", str(EXAMPLE_CASES), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["overall"]["rating"] is None
    assert data["overall"]["reason"] == (
        "needs the judged ratings of P1.1, P1.2, P1.3 (inputs: give them, or rate the casework "
        "alone)"
    )
    assert data["standards"][0]["reason"] == "judged standard P1.1 has no rating given"


def test_score_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "score",
        "--rubric",
        "hmip-probation-2023",
        str(EXAMPLE_CASES),
        *JUDGED_ARGS,
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 7 + 12 + 23 + 1  # standards, key questions, prompts, overall
    assert [r["id"] for r in rows if r["row"] == "prompt"][:2] == ["P2.1.1.a", "P2.1.1.b"]
    q = next(r for r in rows if r["id"] == "P2.1.3")
    # Proportions as fixed-point decimals, never '11/70' (a spreadsheet reads that as a date).
    assert (q["yes"], q["relevant"], q["percent"], q["proportion"]) == ("11", "70", "16", "0.1571")
    assert rows[-1]["rating"] == "Inadequate"


def test_score_csv_is_one_tidy_table_with_the_analytics_as_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pandas = pytest.importorskip("pandas")
    code, out, _ = run(
        capsys,
        "score",
        "--rubric",
        "hmip-probation-2023",
        str(EXAMPLE_CASES),
        *JUDGED_ARGS,
        "--intervals",
        "--probabilities",
        "--resamples",
        "200",
        "--by",
        "sentence_type",
        "--format",
        "csv",
    )
    assert code == 0
    assert "\n\n" not in out  # no second table after a blank line
    # Read as pandas does by default: blank cells (the columns a row kind does not use) are
    # missing, and every number column is numeric.
    frame = pandas.read_csv(io.StringIO(out))
    frame["group"] = frame["group"].fillna("")
    assert list(frame.columns[:16]) == [
        "row", "group", "id", "standard", "rating", "points", "yes", "relevant", "percent",
        "proportion", "driven_by", "boundary_sensitive", "uncertain", "low", "high", "reason",
    ]  # fmt: skip
    assert {"likely_rating", "likelihood", "certainty", "p_inadequate", "p_outstanding"} <= set(
        frame.columns
    )
    whole = frame[frame["group"] == ""]
    q = whole[whole["id"] == "P2.1.3"].iloc[0]
    assert (q["proportion"], q["low"], q["high"]) == (0.1571, 0.0901, 0.2599)
    overall = whole[whole["row"] == "overall"].iloc[0]
    assert overall["p_inadequate"] + overall["p_requires_improvement"] > 0.99
    p21 = whole[whole["id"] == "P2.1"].iloc[0]
    assert (p21["likely_rating"], p21["certainty"]) == ("Inadequate", "almost certain")
    assert set(frame["group"]) == {"", "sentence_type=community order", "sentence_type=licence"}
    # Every number column reads as numbers, not text or dates.
    assert frame.loc[frame["row"] == "question", "proportion"].dtype == float


def test_csv_cells_are_neutralised() -> None:
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    # Plain numbers (a negative change, -0.1000) are data a spreadsheet reads as numbers;
    # anything else that starts like a formula is made inert.
    assert [csv_cell(v) for v in ("-0.1000", "-1+1", "@a", "\tx", "ok", None, 3)] == [
        "-0.1000",
        "'-1+1",
        "'@a",
        "'\tx",
        "ok",
        "",
        "3",
    ]


def test_score_bad_data_exit_1_every_error(capsys: pytest.CaptureFixture[str]) -> None:
    path = GOLDEN / "judgments" / "wide-many-errors.csv"
    code, out, err = run(
        capsys, "score", "--rubric", str(GOLDEN.parent / "data" / "mini.toml"), str(path)
    )
    assert code == 1
    assert out == ""
    expected = (GOLDEN / "judgments" / "wide-many-errors.errors").read_text(encoding="utf-8")
    assert err == expected.replace("wide-many-errors.csv", str(path))
    assert "Traceback" not in err


def test_score_bad_rating(capsys: pytest.CaptureFixture[str]) -> None:
    """A rating label the rubric lacks is bad usage of --rating: exit 2, naming the option."""
    with pytest.raises(SystemExit) as caught:
        main(
            [
                "score",
                "--rubric",
                "hmip-probation-2023",
                str(EXAMPLE_CASES),
                "--rating",
                "P1.1=Great",
            ]
        )
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: probation-audit score ")
    assert err.endswith(
        "probation-audit score: error: --rating P1.1: invalid rating 'Great' (expected one of: "
        "Inadequate, Requires improvement, Good, Outstanding)\n"
    )


def test_score_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "score", "--rubric", "hmip-probation-2023", str(tmp_path / "none.csv")
    )
    assert code == 1
    assert err.endswith("none.csv: cannot read file: No such file or directory\n")


def test_score_missing_as_not_relevant(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,S1.1,S1.2\nC1,yes,no\n", encoding="utf-8")
    mini = str(GOLDEN.parent / "data" / "mini.toml")
    assert run(capsys, "score", "--rubric", mini, str(path))[0] == 1
    code, out, _ = run(
        capsys,
        "score",
        "--rubric",
        mini,
        str(path),
        "--missing",
        "not-relevant",
        "--format",
        "json",
    )
    assert code == 0
    s2 = json.loads(out)["standards"][2]
    assert (s2["rating"], s2["reason"]) == (None, "no relevant cases for S2.1")


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "--rubric", "hmip-probation-2023", "x.csv", "--rating", "P1.1"],
        [
            "score",
            "--rubric",
            "hmip-probation-2023",
            "x.csv",
            "--rating",
            "P1.1=Good",
            "--rating",
            "P1.1=Good",
        ],
        ["score", "x.csv"],
        ["score", "--rubric", "hmip-probation-2023", "x.csv", "--format", "xml"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_reproduce_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "reproduce")
    assert (code, err) == (0, "")
    assert "Northamptonshire PDU (2024-07)" in out
    assert "result: reproduced (5 of 5 computed ratings match the report)" in out
    assert "P2.1.3: 16% = 11/70" in out


def test_reproduce_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "reproduce", str(PUBLISHED_2024), "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["ok"] is True


def test_reproduce_mismatch_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    path.write_text(
        PUBLISHED_2024.read_text(encoding="utf-8").replace(
            '"P2.1" = "Inadequate"', '"P2.1" = "Good"'
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "reproduce", str(path))
    assert code == 1
    assert "NOT reproduced" in out
    assert err == f"{path}: P2.1: published Good, computed Inadequate\n"


def test_reproduce_invalid_file_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    path.write_text("rubric = 1\n", encoding="utf-8")
    code, _, err = run(capsys, "reproduce", str(path))
    assert code == 1
    assert f"{path}: rubric: expected a string, found integer 1\n" in err


def test_rubrics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rubrics")
    assert code == 0
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(pa.available_rubrics())
    assert (
        "hmip-omi-2007\tHM Inspectorate of Probation: Offender Management Inspection, 2007 "
        "(20 standards, 182 key questions)"
    ) in lines
    assert (
        "hmip-probation-2023\tHM Inspectorate of Probation: inspection of probation services (PDU), "
        "2023 methodology (in use from 2023, 7 standards, 12 key questions)"
    ) in lines
    assert (
        "hmip-youth-2018\tHM Inspectorate of Probation: inspection of youth justice services, "
        "2018 framework (in use 2018-2024, 13 standards, 21 key questions)"
    ) in lines
    code, out, _ = run(capsys, "rubrics", "--format", "json")
    assert {"id": "hmip-probation-2023", "standards": 7, "key_questions": 12}.items() <= json.loads(
        out
    )[1].items()


def test_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "hmip-probation-2023")
    assert (code, err) == (0, "")
    assert (
        out
        == "hmip-probation-2023: valid rubric 'hmip-probation-2023' (7 standards, 12 key questions)\n"
    )
    bad = GOLDEN / "rubrics" / "many-errors.toml"
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1
    expected = (GOLDEN / "rubrics" / "many-errors.errors").read_text(encoding="utf-8")
    assert err == expected.replace("many-errors.toml", str(bad))


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "probation_audit", "reproduce"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "result: reproduced" in done.stdout


@pytest.mark.parametrize("path", sorted((GOLDEN / "judgments").glob("*.csv")), ids=lambda p: p.stem)
def test_every_bad_judgment_file_exits_1_with_its_lines(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    code, out, err = run(
        capsys, "score", "--rubric", str(GOLDEN.parent / "data" / "mini.toml"), str(path)
    )
    expected = path.with_suffix(".errors").read_text(encoding="utf-8")
    assert (code, out) == (1, "")
    assert err == expected.replace(path.name, str(path))


@pytest.mark.parametrize("path", sorted((GOLDEN / "rubrics").glob("*.toml")), ids=lambda p: p.stem)
def test_every_bad_rubric_exits_1_with_its_lines(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    expected = path.with_suffix(".errors").read_text(encoding="utf-8").replace(path.name, str(path))
    code, out, err = run(capsys, "validate", str(path))
    assert (code, out, err) == (1, "", expected)
    code, out, err = run(capsys, "score", "--rubric", str(path), str(EXAMPLE_CASES))
    assert (code, out, err) == (1, "", expected)


CASES_2007 = EXAMPLE_CASES.parent.parent / "northamptonshire-2007" / "cases.csv"
JUDGED_2007_ARGS = [
    "--rating", "4.1=Satisfactorily met", "--rating", "4.2=Well met",
    "--rating", "4.3=Satisfactorily met", "--rating", "4.4=Satisfactorily met",
    "--rating", "4.5=Partly met", "--rating", "4.6=Well met",
]  # fmt: skip


def test_score_2007_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "score", "--rubric", "hmip-omi-2007", str(CASES_2007), *JUDGED_2007_ARGS
    )
    assert (code, err) == (0, "")
    assert (
        "  1.2 Assessment of risk of harm      priority for improvement         score 68.99%" in out
    )
    assert "  thread Risk of Harm                 66.41% (66%)" in out
    assert "overall" not in out.split("key question")[0]
    code, out, _ = run(
        capsys,
        "score",
        "--rubric",
        "hmip-omi-2007",
        str(CASES_2007),
        *JUDGED_2007_ARGS,
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["overall"] is None
    assert [d["percent"] for d in data["domains"]] == [73, 68, 59]
    assert data["threads"][0]["percent"] == 66
    assert data["threads"][0]["follow_up"] is None
    c12 = next(s for s in data["standards"] if s["id"] == "1.2")
    assert (c12["rating"], c12["points"], c12["driven_by"]) == (
        "priority for improvement",
        None,
        [],
    )


def test_score_2007_csv_has_domain_and_thread_rows(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "score",
        "--rubric",
        "hmip-omi-2007",
        str(CASES_2007),
        *JUDGED_2007_ARGS,
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["percent"]) for r in rows if r["row"] in ("domain", "thread")] == [
        ("1", "73"),
        ("2", "68"),
        ("3", "59"),
        ("roh", "66"),
    ]
    assert not any(r["row"] == "overall" for r in rows)


def test_reproduce_2007(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLE_CASES.parent.parent / "published" / "northamptonshire-2007.toml"
    code, out, err = run(capsys, "reproduce", str(path))
    assert (code, err) == (0, "")
    assert "result: reproduced (13 of 13 computed ratings match the report)" in out
    assert "section 1 Assessment and sentence planning" in out and "73.2%" in out


def test_casework_only(capsys: pytest.CaptureFixture[str]) -> None:
    """Internal audits rarely judge leadership: the overall rating says once what it needs, and
    --casework-only rates the casework alone, with no overall rating by design."""
    code, out, _ = run(capsys, "score", "--rubric", "hmip-probation-2023", str(EXAMPLE_CASES))
    assert code == 0
    assert out.count("not given") == 3 and out.count("has no rating given") == 0
    assert "needs the judged ratings of P1.1, P1.2, P1.3" in out
    code, out, _ = run(
        capsys, "score", "--rubric", "hmip-probation-2023", str(EXAMPLE_CASES), "--casework-only",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert [s["id"] for s in data["standards"]] == ["P2.1", "P2.2", "P2.3", "P2.4"]
    assert data["overall"] is None
    assert data["notes"] == [
        "casework-only audit: the judged standards (P1.1, P1.2, P1.3) and the overall rating "
        "are not part of it"
    ]
    with pytest.raises(SystemExit) as caught:
        main(
            [
                "score",
                "--rubric",
                "hmip-probation-2023",
                str(EXAMPLE_CASES),
                "--casework-only",
                *JUDGED_ARGS,
            ]
        )
    assert caught.value.code == 2
    assert "--casework-only rates no judged standard" in capsys.readouterr().err


# -- an output never overwrites a file the command reads ------------------------------------

MINI_CASES = "case_id,question_id,judgment\nC1,S1.1,yes\nC1,S1.2,no\nC1,S2.1,yes\n"
CASELOAD = "case_id,team\nC1,North\nC2,South\n"
#: Each command that writes files: its arguments (names of files in the working folder, OUT
#: the output), and the inputs an output may be spelt as, given the output's required suffix.
WRITERS = {
    "report": (["report", "cases.csv", "--rubric", "rubric.toml", "--casework-only"], "--markdown"),
    "report-html": (
        ["report", "cases.csv", "--rubric", "rubric.toml", "--casework-only"],
        "--html",
    ),
    "report-xlsx": (
        ["report", "cases.csv", "--rubric", "rubric.toml", "--casework-only"],
        "--xlsx",
    ),
    "trend": (["trend", "a.csv", "cases.csv", "--rubric", "rubric.toml"], "--markdown"),
    "feedback": (["feedback", "cases.csv", "--rubric", "rubric.toml"], "--xlsx"),
    "select": (["select", "caseload.csv", "--n", "1"], "--output"),
    "select-template": (
        ["select", "caseload.csv", "--n", "1", "--output", "chosen.csv", "--rubric", "rubric.toml"],
        "--template",
    ),
    "template": (["template", "--rubric", "rubric.toml", "--cases", "caseload.csv", "--force"], ""),
}
SPELLINGS = ("as-given", "dot-slash", "dot-dot", "symlink", "hard-link")
INPUTS = ("cases.csv", "a.csv", "caseload.csv", "rubric.toml")
#: The suffix each output must have (the template's positional output: "").
SUFFIX = {"--markdown": "", "--html": "", "--xlsx": ".xlsx", "--output": ".csv"}


def _suffix(option: str) -> str:
    return SUFFIX.get(option, ".csv")


#: (writer, spelling, input): an output spelt like an input; a suffix an output must have
#: rules out the spellings of the path itself for inputs without it (links cover them).
OVERWRITES = [
    (writer, spelling, name)
    for writer, (argv, option) in WRITERS.items()
    for spelling in SPELLINGS
    for name in INPUTS
    if name in argv and (spelling in SPELLINGS[3:] or name.endswith(_suffix(option)))
]


def _input_files(folder: Path) -> dict[str, bytes]:
    files = {
        "cases.csv": MINI_CASES.encode(),
        "a.csv": MINI_CASES.encode(),
        "caseload.csv": CASELOAD.encode(),
        "rubric.toml": (Path(__file__).parent / "data" / "mini.toml").read_bytes(),
    }
    (folder / "sub").mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _spelt(folder: Path, name: str, spelling: str, suffix: str) -> str:
    """An output naming the input ``name`` another way; links get the output's suffix."""
    if spelling == "as-given":
        return name
    if spelling == "dot-slash":
        return f"./{name}"
    if spelling == "dot-dot":
        return f"sub/../{name}"
    link = f"link-to-{name}{suffix}"
    if spelling == "symlink":
        (folder / link).symlink_to(folder / name)
    else:
        os.link(folder / name, folder / link)
    return link


@pytest.mark.parametrize(("writer", "spelling", "name"), OVERWRITES)
def test_no_output_overwrites_a_file_the_command_reads(
    writer: str,
    spelling: str,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    _input_files(tmp_path)
    argv, option = WRITERS[writer]
    out = _spelt(tmp_path, name, spelling, _suffix(option) or Path(name).suffix)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(SystemExit) as caught:
        main([*argv, *([option, out] if option else [out])])
    assert caught.value.code == 2
    (error,) = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    shown = f"{option} {Path(out)}" if option else str(Path(out))  # as argparse gives it
    assert error.endswith(f"error: {shown} would overwrite {name}, a file this command reads")
    # Nothing written, nothing left behind: every file as it was, byte for byte.
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_every_writer_is_checked_against_every_input_it_reads() -> None:
    assert {(w, n) for w, _, n in OVERWRITES} == {
        (w, n) for w, (argv, _) in WRITERS.items() for n in INPUTS if n in argv
    }
    # Every command with an argument naming a file to write is among the writers.
    from probation_audit.cli import COMMANDS

    writes = {"markdown", "html", "chart", "xlsx", "output", "template"}
    found = set()
    for name, module in COMMANDS.items():
        parser = argparse.ArgumentParser()
        module.add_arguments(parser)
        if any(a.dest in writes and a.type is Path for a in parser._actions):
            found.add(name)
    assert found == {argv[0] for argv, _ in WRITERS.values()}
