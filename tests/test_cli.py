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
from probation_audit._about import About
from probation_audit.cli import csv_cell, main
from probation_audit.cli._compare import many_comparisons
from probation_audit.cli._output import with_overall_reason

from ._helpers import MINI_OVERALL, RUBRIC, UNIT, hidden_workbook, notes_said, said_by
from .conftest import DATA, EXAMPLE_CASES, GOLDEN, PUBLISHED_2024

JUDGED_ARGS = [
    "--rating",
    "P1.1=Requires improvement",
    "--rating",
    "P1.2=Inadequate",
    "--rating",
    "P1.3=requires improvement",
]


#: Why the overall rating is undetermined when no judged rating is given: every output says it.
NEEDS_JUDGED = (
    "needs the judged ratings of P1.1, P1.2, P1.3 (inputs: give them, or rate the casework alone)"
)


@pytest.mark.parametrize(
    ("command", "files", "overall"),
    [
        ("compare", ["q1.csv", "q2.csv"], "  overall     undetermined -> undetermined"),
        ("agreement", ["double-marked.csv"], "  overall     undetermined from both"),
        ("trend", ["q1.csv", "q2.csv"], None),
    ],
)
def test_compare_agreement_and_trend_say_once_why_the_overall_rating_is_undetermined(
    capsys: pytest.CaptureFixture[str], command: str, files: list[str], overall: str | None
) -> None:
    argv = [command, *(str(UNIT / f) for f in files), "--rubric", RUBRIC]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert overall is None or overall in lines
    assert lines[-1] == f"  note: overall rating undetermined: {NEEDS_JUDGED}"
    assert out.count("needs the judged") == 1
    code, out, _ = run(capsys, *argv, "--format", "json")
    assert json.loads(out)["notes"] == [f"overall rating undetermined: {NEEDS_JUDGED}"]
    for more in (JUDGED_ARGS, ["--casework-only"]):
        code, out, _ = run(capsys, *argv, *more)
        assert (code, "needs the judged" in out) == (0, False)


def test_the_overall_reason_is_said_once_and_only_for_ratings_not_given() -> None:
    rubric = pa.load_rubric(RUBRIC)
    about = About("r", notes=("a note",))
    said = with_overall_reason(about, rubric, {"P1.2": "Good"}, True)
    assert said.notes == (
        "a note",
        "overall rating undetermined: needs the judged ratings of P1.1, P1.3 (inputs: give "
        "them, or rate the casework alone)",
    )
    assert with_overall_reason(about, rubric, {}, False) == about  # rated: nothing to say
    given = dict.fromkeys(("P1.1", "P1.2", "P1.3"), "Good")
    assert with_overall_reason(about, rubric, given, True) == about  # undetermined otherwise


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "score", "--rubric", "hmip-probation-2023", str(EXAMPLE_CASES), *JUDGED_ARGS
    )
    assert (code, err) == (0, "")
    assert (
        "70 cases, rubric hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules "
        "02ea540259dd (bands on exact percentages)"
    ) in out.splitlines()[0]
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
    assert (data["rubric_file"], data["rubric_fingerprint"]) == (
        "hmip-probation-2023.toml (bundled)",
        "02ea540259dd",
    )
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
    assert len(rows) == 1 + 7 + 12 + 23 + 1  # rubric, standards, questions, prompts, overall
    # The first row names the rubric: its id, file and rules' fingerprint.
    assert (rows[0]["row"], rows[0]["id"], rows[0]["reason"]) == (
        "rubric",
        "hmip-probation-2023",
        "hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules 02ea540259dd",
    )
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


PLAN = ["plan", "--rubric", "hmip-probation-2023", "--proportion", "0.45"]


SCORE = [
    "score",
    "--rubric",
    "hmip-probation-2023",
    str(DATA.parent.parent / "examples" / "northamptonshire-2024" / "cases.csv"),
]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["plan", "--rubric", "hmip-probation-2023", "--proportion", "1/0"],
            "argument --proportion: expected a proportion in (0, 1]",
        ),
        (
            ["plan", "--rubric", "hmip-probation-2023", "--proportion", "0"],
            "argument --proportion: expected a proportion in (0, 1]",
        ),
        ([*PLAN, "--target", "1.5"], "argument --target: expected a proportion in (0, 1]"),
        ([*PLAN, "--relevant-share", "-0.1"], "argument --relevant-share: expected a proportion"),
        ([*PLAN, "--to", "0.3"], "--to must lie between --proportion and 1"),
        ([*PLAN, "--margin", "0"], "argument --margin: expected a number strictly between 0 and 1"),
        (
            [*PLAN, "--margin", "nan"],
            "argument --margin: expected a number strictly between 0 and 1",
        ),
        (
            [*PLAN, "--confidence", "2"],
            "argument --confidence: expected a number strictly between 0 and 1",
        ),
        (
            [*PLAN, "--confidence", "0"],
            "argument --confidence: expected a number strictly between 0 and 1",
        ),
        ([*PLAN, "--population", "0"], "argument --population: expected a whole number from 1 to"),
        ([*PLAN, "--population", "-5"], "argument --population: expected a whole number from 1 to"),
        ([*PLAN, "--max-n", "0"], "argument --max-n: expected a whole number from 1 to 100,000"),
        (
            [*SCORE, "--resamples", str(10**9)],
            "argument --resamples: expected a whole number from 1 to 1,000,000",
        ),
        ([*SCORE, "--seed", "-1"], "argument --seed: expected a whole number from 0 to"),
        (
            [*SCORE, "--min-relevant", "-1"],
            "argument --min-relevant: expected a whole number from 0 to",
        ),
        (
            [*SCORE, "--confidence", "inf"],
            "argument --confidence: expected a number strictly between 0 and 1",
        ),
    ],
)
def test_options_out_of_range_are_usage_errors(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from probation_audit.cli import main

    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def _report_args(tmp_path: Path) -> list[str]:
    from .conftest import EXAMPLE_CASES, JUDGED_2024

    return [
        "report",
        str(EXAMPLE_CASES),
        "--rubric",
        "hmip-probation-2023",
        *(f"--rating={k}={v}" for k, v in JUDGED_2024.items()),
    ]


def test_report_checks_every_output_before_writing_any(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("openpyxl")  # --xlsx needs it, else that is one more line
    from probation_audit.cli import main

    markdown, html = tmp_path / "r.md", tmp_path / "r.html"
    # A bad chart name is a usage error found before anything is written.
    with pytest.raises(SystemExit) as caught:
        main(
            [
                *_report_args(tmp_path),
                "--markdown",
                str(markdown),
                "--chart",
                str(tmp_path / "c.gif"),
            ]
        )
    assert caught.value.code == 2
    assert "chart file must end in .png or .svg" in capsys.readouterr().err
    assert not markdown.exists()
    # A folder, a missing folder and a repeated target are one line each, exit 1.
    folder = tmp_path / "folder"
    folder.mkdir()
    argv = [
        *_report_args(tmp_path),
        "--markdown",
        str(markdown),
        "--html",
        str(folder),
        "--xlsx",
        str(tmp_path / "absent" / "r.xlsx"),
    ]
    assert main(argv) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{folder}: is a folder, not a file",
        f"{tmp_path / 'absent' / 'r.xlsx'}: cannot write here: no folder {str(tmp_path / 'absent')!r}",
    ]
    with pytest.raises(SystemExit) as caught:
        main([*_report_args(tmp_path), "--markdown", str(markdown), "--html", str(markdown)])
    assert caught.value.code == 2
    assert f"--markdown and --html both name {markdown}" in capsys.readouterr().err
    from .conftest import EXAMPLE_CASES

    before = EXAMPLE_CASES.read_bytes()
    with pytest.raises(SystemExit) as caught:
        main([*_report_args(tmp_path), "--markdown", str(EXAMPLE_CASES)])
    assert caught.value.code == 2
    assert (
        f"--markdown {EXAMPLE_CASES} would overwrite {EXAMPLE_CASES}, a file this command reads"
        in capsys.readouterr().err
    )
    assert EXAMPLE_CASES.read_bytes() == before
    with pytest.raises(SystemExit):
        main([*_report_args(tmp_path), "--xlsx", str(tmp_path / "x.csv")])
    assert "--xlsx file must end in .xlsx" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
    # And when all is well, every file is written and no temporary file is left.
    assert main([*_report_args(tmp_path), "--markdown", str(markdown), "--html", str(html)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "r.html", "r.md"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("extra", [[], ["--intervals", "--probabilities", "--resamples", "200"]])
def test_casework_only_csv_is_one_table_with_its_note(
    capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    code, out, err = _run(
        capsys,
        "score",
        str(UNIT / "q1.csv"),
        "--rubric",
        RUBRIC,
        "--casework-only",
        "--format",
        "csv",
        *extra,
    )
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    kinds = [r["row"] for r in rows]
    assert kinds.count("standard") == 4 and "overall" not in kinds
    notes = [r for r in rows if r["row"] == "note"]
    assert len(notes) == 1 and notes[0]["reason"].startswith("casework-only audit")
    if extra:
        p21 = next(r for r in rows if r["row"] == "question" and r["id"] == "P2.1.1")
        assert 0 < float(p21["low"]) < float(p21["high"]) < 1


def test_casework_only_by_group_has_no_judged_standard_in_csv_or_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["score", str(EXAMPLE_CASES), "--rubric", RUBRIC, "--casework-only"]
    argv += ["--by", "sentence_type"]
    code, out, err = _run(capsys, *argv, "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    standards = [(r["group"], r["id"]) for r in rows if r["row"] == "standard"]
    assert standards == [
        (group, sid)
        for group in ("", "sentence_type=community order", "sentence_type=licence")
        for sid in ("P2.1", "P2.2", "P2.3", "P2.4")
    ]
    assert [r["row"] for r in rows].count("overall") == 0
    code, out, err = _run(capsys, *argv, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["overall"] is None
    for group in data["groups"]:
        assert [s["id"] for s in group["result"]["standards"]] == ["P2.1", "P2.2", "P2.3", "P2.4"]
        assert group["result"]["overall"] is None


def test_score_text_leaves_out_prompts_with_no_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "score", str(UNIT / "q1.csv"), "--rubric", RUBRIC, "--casework-only"
    )
    assert code == 0
    assert "0 of 0" not in out
    rubric = pa.load_rubric(RUBRIC)
    assert f"  {len(rubric.prompt_ids)} prompts with no relevant cases left out" in out


def test_feedback_csv_is_the_workbook_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "feedback.xlsx"
    code, out, _ = _run(
        capsys,
        "feedback",
        str(UNIT / "q1.csv"),
        "--rubric",
        RUBRIC,
        "--format",
        "csv",
        "--xlsx",
        str(book),
        "--by",
        "practitioner",
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Feedback"]
    from_book = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    kind = rows[0].index("kind")
    # the CSV's rubric row is the workbook's Rubric sheet (q1.csv has no note on its data)
    assert rows[1] == [
        "",
        "",
        "",
        "",
        "rubric",
        RUBRIC,
        f"{RUBRIC} from {RUBRIC}.toml (bundled), rules 02ea540259dd",
    ]
    assert [list(r) for r in workbook["Rubric"].iter_rows(min_row=2, values_only=True)] == [
        [RUBRIC, f"{RUBRIC}.toml (bundled)", "02ea540259dd", "exact"]
    ]
    assert "Notes" not in workbook.sheetnames
    from_csv = [r for r in rows if r[kind] not in ("rubric", "note")]
    assert from_csv == from_book
    rubric = pa.load_rubric(RUBRIC)
    sample = pa.read_judgments(UNIT / "q1.csv", rubric)
    assert {r[0] for r in from_csv[1:]} == set(sample.case_ids)  # every case appears


#: What feedback --by says beside its CSV table, which holds no group's figures.
GROUPS_ELSEWHERE = (
    f"{UNIT / 'q1.csv'}: note: the CSV holds one row per case and item answered No; the "
    "per-practitioner figures are in "
)


def test_feedback_csv_by_a_group_says_where_the_groups_figures_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = ["feedback", str(UNIT / "q1.csv"), "--rubric", RUBRIC, "--format", "csv"]
    code, out, err = _run(capsys, *argv, "--by", "practitioner")
    assert code == 0
    assert err == f"{GROUPS_ELSEWHERE}--format text or json, or the Groups sheet of --xlsx\n"
    assert "A. Patel" in out and "5/7" not in out
    code, _, err = _run(capsys, *argv)  # no group: nothing left out, nothing said
    assert (code, err) == (0, "")
    pytest.importorskip("openpyxl")
    book = tmp_path / "f.xlsx"
    code, _, err = _run(capsys, *argv, "--by", "practitioner", "--xlsx", str(book))
    assert code == 0
    assert err == f"{GROUPS_ELSEWHERE}the Groups sheet of {book}\nwrote {book}\n"


@pytest.mark.parametrize("form", ["text", "json", "csv"])
def test_feedback_says_it_wrote_its_workbook(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, form: str
) -> None:
    pytest.importorskip("openpyxl")
    book = tmp_path / "f.xlsx"
    argv = ["feedback", str(UNIT / "q1.csv"), "--rubric", RUBRIC, "--format", form]
    code, out, err = _run(capsys, *argv, "--xlsx", str(book))
    assert code == 0 and book.is_file()
    if form == "text":  # after the text, as report and trend say theirs
        assert (out.endswith(f"\nwrote {book}\n"), err) == (True, "")
    else:  # the document on standard output stays whole
        assert (err, f"wrote {book}" in out) == (f"wrote {book}\n", False)
    code, out, err = _run(capsys, *argv)
    assert (code, "wrote" in out + err) == (0, False)


def test_compare_prints_the_star_note_only_when_something_is_starred(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(
        capsys,
        "compare",
        str(UNIT / "q1.csv"),
        str(UNIT / "q1.csv"),
        "--rubric",
        RUBRIC,
        "--casework-only",
    )
    assert code == 0
    starred = [line for line in out.splitlines() if line.endswith(" *")]
    assert starred == [
        "  No change here is large enough to be unusual by chance (Fisher's exact test, "
        "p below 0.05), so none is marked *"
    ]


def test_agreement_names_who_said_what_and_takes_casework_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["agreement", str(UNIT / "double-marked.csv"), "--rubric", RUBRIC, "--casework-only"]
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    assert "SYN-0122: yes (auditor 1) / no (auditor 2)" in out
    assert "overall" not in out
    code, out, _ = _run(capsys, *argv, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["row"] for r in rows[:1]] == ["rubric"]  # where the figures come from, first
    rows = rows[1:]
    assert {(r["first_auditor"], r["second_auditor"]) for r in rows} == {("auditor 1", "auditor 2")}
    assert [r["id"] for r in rows if r["row"] == "rating"] == ["P2.1", "P2.2", "P2.3", "P2.4"]
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--rating", "P1.1=Good"])
    assert caught.value.code == 2


def test_an_option_given_to_one_run_of_main_is_not_in_the_next(tmp_path: Path) -> None:
    """main parses every run with one parser, built once: a run leaves nothing in it."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert main(["template", str(first), "--rubric", RUBRIC, "--attribute", "team"]) == 0
    assert main(["template", str(second), "--rubric", RUBRIC]) == 0
    assert first.read_text(encoding="utf-8").startswith("case_id,team,P2.1.1,")
    assert second.read_text(encoding="utf-8").startswith("case_id,P2.1.1,")


def test_a_template_is_never_silently_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "audit.csv"
    target.write_text("case_id,P2.1.1\nC1,yes\n", encoding="utf-8")
    argv = ["template", str(target), "--rubric", RUBRIC]
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"{target} already exists and may hold recorded answers" in err
    assert target.read_text(encoding="utf-8") == "case_id,P2.1.1\nC1,yes\n"
    assert main([*argv, "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("case_id,P2.1.1,")


def test_select_says_when_the_caseload_is_smaller_than_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "selection.csv"
    code, out, _ = _run(
        capsys, "select", str(UNIT / "caseload.csv"), "--n", "500", "--output", str(out_file)
    )
    assert code == 0
    assert "asked for 500 cases; the caseload has 400: every case is chosen" in out


def test_compare_warns_when_a_rating_moved_with_no_real_change_under_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(
        capsys,
        "compare",
        str(UNIT / "q1.csv"),
        str(UNIT / "q2.csv"),
        "--rubric",
        RUBRIC,
        "--casework-only",
    )
    assert code == 0
    assert "  P2.3        Inadequate -> Good (up 2 bands)\n" in out
    assert (
        "no key question that drove P2.2, P2.3 changed that way by more than chance could "
        "explain, so those moves may not be real." in out
    )
    assert (
        "  Each key question has about a 1 in 20 chance of looking changed by chance alone, so "
        "among the 12 compared at once about one may.\n"
    ) in out
    assert "With 12" not in out


@pytest.mark.parametrize(
    ("compared", "may"),
    [(2, "one"), (29, "one"), (30, "2"), (49, "2"), (50, "3"), (1000, "50"), (20_000, "1,000")],
)
def test_the_caution_of_many_comparisons_counts_the_ones_chance_may_mark(
    compared: int, may: str
) -> None:
    assert many_comparisons(compared) == (
        "Each key question has about a 1 in 20 chance of looking changed by chance alone, so "
        f"among the {compared:,} compared at once about {may} may."
    )


def test_a_move_is_judged_by_the_questions_that_drove_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """P2.1 falls from Good to Requires improvement because P2.1.1 fell from 14 to 12 of 20
    (p = 0.74), while P2.1.3 rose significantly from 14 to 20 of 20: the rise does not bear
    out the fall."""
    rubric = pa.load_rubric(RUBRIC)
    paths = []
    for name, yes in (
        ("before", {"P2.1.1": 14, "P2.1.3": 14}),
        ("after", {"P2.1.1": 12, "P2.1.3": 20}),
    ):
        rows = ["case_id," + ",".join(rubric.question_ids)]
        for i in range(20):
            rows.append(
                f"C{i},"
                + ",".join("yes" if i < yes.get(q, 20) else "no" for q in rubric.question_ids)
            )
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        paths.append(str(path))
    code, out, _ = _run(capsys, "compare", *paths, "--rubric", RUBRIC, "--casework-only")
    assert code == 0
    assert "  P2.1        Good -> Requires improvement (down 1 band)\n" in out
    assert (
        "P2.1.3      rose from 70% to 100% (14 of 20, then 20 of 20); a change this large "
        "would be unusual by chance" in out
    )
    assert "no key question that drove P2.1 changed that way by more than chance" in out


def test_blanks_counted_as_not_relevant_are_noted_in_every_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,,no\nC2,yes,no,\n", encoding="utf-8")
    note = (
        "2 blank answers to key questions were counted as 'not relevant' (missing: not-relevant): "
        "S1.2 in case C1; S2.1 in case C2"
    )
    common = ["--rubric", str(DATA / "mini.toml"), "--missing", "not-relevant", str(cases)]
    code, out, _ = run(capsys, "score", *common)
    assert code == 0 and f"  note: {note}\n" in out
    code, out, _ = run(capsys, "score", "--format", "json", *common)
    assert code == 0 and note in json.loads(out)["notes"]
    code, out, _ = run(capsys, "score", "--format", "csv", *common)
    assert code == 0 and ["note", note] == [
        c
        for c in next(row for row in csv.reader(io.StringIO(out)) if row and row[0] == "note")
        if c
    ]
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    code, _, _ = run(capsys, "report", *common, "--markdown", str(md), "--html", str(html))
    assert code == 0
    assert note in md.read_text(encoding="utf-8")
    assert note.replace("'", "&#x27;") in html.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "score", *common[:2], str(cases), "--missing", "error")
    assert code == 1 and "counted as 'not relevant'" not in out


def test_validate_warns_of_a_bundled_id_with_other_rules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text(
        (DATA / "mini.toml")
        .read_text(encoding="utf-8")
        .replace('id = "mini"', 'id = "hmip-youth-2018"'),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "validate", str(copy), "hmip-youth-2018")
    assert code == 0
    assert out.splitlines()[1].startswith("hmip-youth-2018: valid rubric")
    (warning,) = err.splitlines()
    assert warning.startswith(
        f"{copy}: warning: rubric 'hmip-youth-2018' has the id of a bundled rubric but other rules"
    )


def test_the_report_workbook_has_the_notes_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,,no\nC2,yes,no,yes\n", encoding="utf-8")
    common = ["report", "--rubric", str(DATA / "mini.toml"), str(cases)]
    book = tmp_path / "r.xlsx"
    code, _, _ = run(capsys, *common, "--missing", "not-relevant", "--xlsx", str(book))
    assert code == 0
    sheet = openpyxl.load_workbook(book)["Notes"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["note"],
        [
            "1 blank answer to key questions was counted as 'not relevant' (missing: "
            "not-relevant): S1.2 in case C1"
        ],
    ]
    cases.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,no,no\n", encoding="utf-8")
    code, _, _ = run(capsys, *common, "--xlsx", str(book))
    assert code == 0 and openpyxl.load_workbook(book).sheetnames == [
        "Ratings",
        "Key questions",
        "Rubric",
    ]


@pytest.mark.parametrize("command", ["compare", "trend", "agreement"])
def test_the_statistics_commands_csv_is_their_frames_rows(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """compare, trend and agreement print the rows of their values' frames: the same columns,
    the same cells (proportions to four places, missing values empty), after the rubric's row
    and with a last column for its label (and the notes', none here)."""
    from probation_audit import statistics as st
    from probation_audit._trends import trend

    rubric = pa.load_rubric("hmip-probation-2023")
    q1, q2 = UNIT / "q1.csv", UNIT / "q2.csv"
    if command == "agreement":
        files = [str(UNIT / "double-marked.csv")]
        marked = pa.reading.read_double_marked(UNIT / "double-marked.csv", rubric)
        records = st.agreement_report(rubric, *marked.samples, marked.auditors).to_records()
    else:
        files = [str(q1), str(q2)]
        one, two = pa.score(rubric, q1), pa.score(rubric, q2)
        found = st.compare(one, two) if command == "compare" else trend([one, two], ["q1", "q2"])
        records = found.to_records()
    assert main([command, *files, "--rubric", "hmip-probation-2023", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == [*records[0], "note"]
    label = "hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules 02ea540259dd"
    assert rows[1] == ["rubric", "hmip-probation-2023", *[""] * (len(rows[0]) - 3), label]
    notes = rows[2 + len(records) :]
    hint = f"overall rating undetermined: {NEEDS_JUDGED}"
    assert notes == [["note", *[""] * (len(rows[0]) - 2), hint]]
    for row, record in zip(rows[2 : 2 + len(records)], records, strict=True):
        assert row[-1] == ""
        for cell, value in zip(row[:-1], record.values(), strict=True):
            if value is None:
                assert cell == ""
            elif isinstance(value, float):
                assert cell == f"{value:.4f}"
            else:
                assert cell == str(value)


def test_a_national_workbook_says_its_hidden_rows_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = hidden_workbook(
        tmp_path / "national.xlsx",
        [
            ["case_id", "unit", "S1.1", "S1.2", "S2.1"],
            ["C1", "north", "yes", "no", "no"],
            ["C1", "south", "no", "yes", "yes"],  # the same id in two units
        ],
    )
    notes = [
        "1 hidden or filtered-out row of sheet 'Cases' read as data (row 3): the stored answers "
        "are the record, shown or not",
        "1 hidden column of sheet 'Cases' read as data: C (S1.1)",
    ]
    common = ["score", "--rubric", str(DATA / "mini.toml"), str(path), "--by", "unit"]
    code, out, _ = run(capsys, *common)
    assert code == 0 and "2 groups by unit" in out
    assert "".join(f"  note: {n}\n" for n in notes) in out
    code, out, _ = run(capsys, *common, "--format", "json")
    assert code == 0 and json.loads(out)["notes"] == notes
    code, out, err = run(capsys, *common, "--format", "csv")
    assert code == 0 and "hidden" not in out
    assert err == "".join(f"{path}: note: {n}\n" for n in notes)
    assert {row[0] for row in list(csv.reader(io.StringIO(out)))[1:]} == {"north", "south"}


#: SYNTHETIC audits of the mini rubric: an earlier one with every answer given, and the
#: later one's answers (two blanks among them), as rows of cells.
BEFORE = [["case_id", "team", "S1.1", "S1.2", "S2.1"], ["C1", "north", "yes", "no", "no"]]
BEFORE.append(["C2", "south", "yes", "no", "yes"])
AFTER = [BEFORE[0], ["C1", "north", "yes", "", "no"], ["C2", "south", "yes", "no", ""]]
#: The commands that read audits without rating one alone, and the audits each reads: the
#: later one alone (its notes said as they are), or the earlier and the later (each audit's
#: notes named by its file).
AUDIT_COMMANDS = {"feedback": 1, "compare": 2, "trend": 2, "agreement": 2}


def _csv_audit(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", sorted(AUDIT_COMMANDS))
def test_every_command_notes_the_blanks_it_counted_as_not_relevant_in_every_format(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _csv_audit(tmp_path / "before.csv", BEFORE)
    after = _csv_audit(tmp_path / "after.csv", AFTER)
    files = [str(after)] if AUDIT_COMMANDS[command] == 1 else [str(before), str(after)]
    note = (
        "2 blank answers to key questions were counted as 'not relevant' (missing: "
        "not-relevant): S1.2 in case C1; S2.1 in case C2"
    )
    named = note if AUDIT_COMMANDS[command] == 1 else f"{after}: {note}"
    argv = [command, *files, "--rubric", str(DATA / "mini.toml"), "--missing", "not-relevant"]
    said = said_by(argv)
    assert notes_said(said) == [named, *MINI_OVERALL[command]]
    code, out, _ = run(capsys, *argv)
    assert out.endswith("".join(f"\n  note: {n}" for n in [named, *MINI_OVERALL[command]]) + "\n")
    code, out, _ = run(capsys, *argv[:-2])  # without --missing: refused, nothing to note
    assert code == 1 and "counted as 'not relevant'" not in out


def test_feedback_by_a_group_notes_the_blanks_beside_the_counts_they_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    after = _csv_audit(tmp_path / "after.csv", AFTER)
    book = tmp_path / "feedback.xlsx"
    argv = ["feedback", str(after), "--rubric", str(DATA / "mini.toml"), "--by", "team"]
    code, out, _ = run(capsys, *argv, "--min-cases", "1", "--missing", "not-relevant")
    assert code == 0
    assert "  team = north: 1 cases: 'yes' of relevant: S1.1 1/1, S2.1 0/1\n" in out
    assert "  team = south: 1 cases: 'yes' of relevant: S1.1 1/1, S1.2 0/1\n" in out
    assert out.endswith(
        "  S2.1: Third?\n  note: 2 blank answers to key questions were counted as 'not "
        "relevant' (missing: not-relevant): S1.2 in case C1; S2.1 in case C2\n"
    )
    code, _, _ = run(capsys, *argv, "--missing", "not-relevant", "--xlsx", str(book))
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["Feedback", "Groups", "Notes", "Rubric"]
    assert list(workbook["Notes"].values) == [
        ("note",),
        (
            "2 blank answers to key questions were counted as 'not relevant' (missing: "
            "not-relevant): S1.2 in case C1; S2.1 in case C2",
        ),
    ]
    fingerprint = pa.loading.rules_fingerprint(pa.load_rubric(DATA / "mini.toml"))
    assert list(workbook["Rubric"].values)[1] == (
        "mini",
        str(DATA / "mini.toml"),
        fingerprint,
        "exact",
    )


@pytest.mark.parametrize("command", sorted(AUDIT_COMMANDS))
def test_every_command_notes_the_hidden_rows_and_columns_it_read_in_every_format(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _csv_audit(tmp_path / "before.csv", BEFORE)
    after = hidden_workbook(tmp_path / "after.xlsx", BEFORE)  # row 3, column C hidden
    files = [str(after)] if AUDIT_COMMANDS[command] == 1 else [str(before), str(after)]
    notes = [
        "1 hidden or filtered-out row of sheet 'Cases' read as data (row 3): the stored answers "
        "are the record, shown or not",
        "1 hidden column of sheet 'Cases' read as data: C (S1.1)",
    ]
    named = notes if AUDIT_COMMANDS[command] == 1 else [f"{after}: {n}" for n in notes]
    said = said_by([command, *files, "--rubric", str(DATA / "mini.toml")])
    assert notes_said(said) == [*named, *MINI_OVERALL[command]]


@pytest.mark.parametrize("command", sorted(AUDIT_COMMANDS))
def test_every_command_names_a_modified_bundled_rubrics_file_and_fingerprint(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    copy = tmp_path / "SYNTHETIC_copy.toml"
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    copy.write_text(text.replace('id = "mini"', 'id = "hmip-youth-2018"'), encoding="utf-8")
    fingerprint = pa.loading.rules_fingerprint(pa.load_rubric(copy))
    before = _csv_audit(tmp_path / "before.csv", BEFORE)
    files = [str(before)] * AUDIT_COMMANDS[command]
    if command == "trend":
        files = [str(before), str(_csv_audit(tmp_path / "again.csv", BEFORE))]
    said = said_by([command, *files, "--rubric", str(copy)])
    label = f"hmip-youth-2018 from {copy}, rules {fingerprint}"
    assert f"rubric {label}" in said["text"][0]
    assert said["json"][0] == f"hmip-youth-2018 {copy} {fingerprint}"
    assert said["csv"][0] == label
    # the rubric's own note, said once however many audits the output holds
    note = (
        f"rubric 'hmip-youth-2018' has the id of a bundled rubric but other rules (fingerprint "
        f"{fingerprint}, bundled 6e2821589f52): its ratings may differ from the bundled "
        "rubric's; give a modified copy an id of its own"
    )
    assert notes_said(said) == [note, *MINI_OVERALL[command]]


def test_agreement_names_one_files_notes_by_the_file_and_each_markings_by_its_auditor(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    marked = [["auditor", *BEFORE[0]], *(["A", *r] for r in AFTER[1:])]
    marked += [["B", *r] for r in BEFORE[1:]]
    path = hidden_workbook(tmp_path / "double.xlsx", marked)  # row 3 (A's C2), column C hidden
    said = said_by(
        ["agreement", str(path), "--rubric", str(DATA / "mini.toml"), "--missing", "not-relevant"],
    )
    assert said["text"][1] == [
        f"{path}: 1 hidden or filtered-out row of sheet 'Cases' read as data (row 3): the stored "
        "answers are the record, shown or not",
        f"{path}: 1 hidden column of sheet 'Cases' read as data: C (team)",
        f"{path} (A): 2 blank answers to key questions were counted as 'not relevant' "
        "(missing: not-relevant): S1.2 in case C1; S2.1 in case C2",
        *MINI_OVERALL["agreement"],
    ]
    assert said["json"][1] == said["csv"][1] == said["text"][1]


def test_trend_reports_name_the_rubric_and_each_audits_notes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _csv_audit(tmp_path / "before.csv", BEFORE)
    after = _csv_audit(tmp_path / "after.csv", AFTER)
    md, html = tmp_path / "t.md", tmp_path / "t.html"
    argv = ["trend", str(before), str(after), "--rubric", str(DATA / "mini.toml")]
    code, _, _ = run(
        capsys, *argv, "--missing", "not-relevant", "--markdown", str(md), "--html", str(html)
    )
    assert code == 0
    text = md.read_text(encoding="utf-8")
    fingerprint = pa.loading.rules_fingerprint(pa.load_rubric(DATA / "mini.toml"))
    assert f"2 audits, rubric mini from {DATA / 'mini.toml'}, rules {fingerprint}," in text.replace(
        "\\_", "_"
    )
    note = (
        f"{after}: 2 blank answers to key questions were counted as 'not relevant' (missing: "
        "not-relevant): S1.2 in case C1; S2.1 in case C2"
    )
    overall = MINI_OVERALL["trend"][0]
    assert text.replace("\\_", "_").endswith(f"## Notes on the data\n\n- {note}\n- {overall}\n")
    page = html.read_text(encoding="utf-8")
    assert "Notes on the data</h2>" in page and note.replace("'", "&#x27;") in page


def test_the_sheet_option_says_which_sheet_is_read_by_default() -> None:
    from probation_audit.cli import _parser

    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {
        name: action.help
        for name, sub in subparsers.choices.items()
        for action in sub._actions
        if "--sheet" in action.option_strings
    }
    assert list(helps) == ["score", "report", "plan", "compare", "trend", "agreement", "feedback"]
    assert set(helps.values()) == {
        "sheet of an .xlsx or .xlsm workbook (default: the first visible sheet, or a "
        "template's Cases sheet when its Ratings sheet is in front)"
    }
