"""Edges found by fuzzing and by a new user's trial: each class of bad input gets a clear
error, nothing is lost without a word, and API misuse says what was expected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import probation_audit as pa
from probation_audit.errors import MAX_ERRORS

from .conftest import DATA


def test_identical_repeats_are_merged_and_said(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "case_id,question_id,judgment\n"
        "C1,S1.1,yes\nC1,S1.2,no\nC1,S2.1,no\nC1,S1.1,yes\nC1,S1.2,NO\n",
        encoding="utf-8",
    )
    result = pa.score(pa.load_rubric(DATA / "mini.toml"), path, {"J1": "Good"})
    assert result.notes == (
        "2 answers given again with the same judgment were counted once (lines 5, 6)",
    )
    assert result.question("S1.1").relevant == 1
    assert "Note: 2 answers given again" in result.explain()
    assert pa.Result.from_dict(result.to_dict()) == result


def test_a_million_bad_cells_print_a_thousand_lines_and_a_count(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path = tmp_path / "bad.csv"
    rows = "".join(f"C{i},maybe,maybe,maybe\n" for i in range(2000))
    path.write_text("case_id,S1.1,S1.2,S2.1\n" + rows, encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_csv(path, mini)
    lines = caught.value.lines()
    assert len(lines) == MAX_ERRORS + 2
    assert lines[0] == (
        f"{path}: 6,000 problems: 6,000 cells are not a judgment ('maybe'; expected yes, no "
        "or not relevant)"
    )
    assert lines[-1] == f"{path}: ... and 5,000 more problems (1,000 are shown)"


def test_api_misuse_says_what_was_expected(mini: pa.Rubric) -> None:
    tally = {q: (1, 2) for q in mini.question_ids}
    with pytest.raises(TypeError, match=r"expected a Rubric \(load it with load_rubric\), got str"):
        pa.score_tally("hmip-probation-2023", tally)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected a Rubric \(load it with load_rubric\), got str"):
        pa.score("hmip-probation-2023", [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ratings must map judged standard ids to labels"):
        pa.score_tally(mini, tally, ["Good"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ratings must map judged standard ids to labels"):
        pa.score_tally(mini, tally, "J1=Good")  # type: ignore[arg-type]
    numpy_counts = {q: (np.int64(1), np.int32(2)) for q in mini.question_ids}
    result = pa.score_tally(mini, numpy_counts)  # type: ignore[arg-type]
    assert result.question("S1.1").yes == 1 and type(result.question("S1.1").yes) is int
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_tally(mini, {**tally, "S1.1": None, "S1.2": (1, 2, 3)})  # type: ignore[dict-item]
    assert caught.value.lines() == [
        "question 'S1.1': expected a pair of counts (yes, relevant), found None",
        "question 'S1.2': expected a pair of counts (yes, relevant), found (1, 2, 3)",
    ]


def test_from_array_misuse(mini: pa.Rubric) -> None:
    qids = ["S1.1", "S1.2", "S2.1"]
    with pytest.raises(TypeError, match="case_ids must be a sequence of ids"):
        pa.from_array([[1, 0, 1]], "C1", qids, mini)
    with pytest.raises(pa.AuditErrors, match="a ragged list"):
        pa.from_array([[1, 0, 1], [1]], ["C1", "C2"], qids, mini)
    masked = np.ma.masked_array([[1, 0, 1]], mask=[[False, True, False]])
    with pytest.raises(pa.AuditErrors, match=r"no answer for question S1\.2"):
        pa.from_array(masked, ["C1"], qids, mini)
    sample = pa.from_array(masked, ["C1"], qids, mini, missing="not-relevant")
    assert sample.codes.tolist() == [[1, -1, 1]]


def test_plan_to_3000_cases_is_quick_and_agrees_with_the_exact_sums(rubric: pa.Rubric) -> None:
    import time
    from fractions import Fraction

    from probation_audit import statistics as st

    start = time.perf_counter()
    plan = st.plan(rubric, "0.45", max_n=3000)
    elapsed = time.perf_counter() - start
    assert (plan.first, plan.stable_from, plan.checked_to) == (71, 89, 3000)
    assert elapsed < 10  # generous: about 0.1 s here; the exact sums took minutes
    for p in (Fraction(45, 100), Fraction(1, 2), Fraction(79, 100), Fraction(0), Fraction(1)):
        approximate, _ = st._match_probabilities(rubric, p, 60)
        for n in (1, 2, 7, 33, 60):
            assert abs(approximate[n - 1] - float(st.band_match_probability(rubric, p, n))) < 1e-12
    with pytest.raises(ValueError, match="max_n must be a whole number from 1 to 100000"):
        st.plan(rubric, "0.45", max_n=0)


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


def test_groups_come_out_sorted_whatever_the_row_order(mini: pa.Rubric) -> None:
    from probation_audit import statistics as st

    records = [
        {"case_id": c, "question_id": q, "judgment": "yes", "team": team}
        for c, team in (("C1", "south"), ("C2", "north"), ("C3", "east"))
        for q in mini.question_ids
    ]
    forward = st.by_attribute(mini, records, "team")
    backward = st.by_attribute(mini, list(reversed(records)), "team")
    assert [g.value for g in forward] == ["east", "north", "south"]
    assert [g.value for g in backward] == ["east", "north", "south"]


WIDE_2023 = "case_id," + ",".join(f"P2.{s}.{q}" for s in range(1, 5) for q in range(1, 4))


def _wide_file(tmp_path: Path, header: str, rows: int = 2, extra: str = "") -> Path:
    path = tmp_path / "cases.csv"
    body = "".join(f"C{i}," + ",".join(["yes"] * 12) + extra + "\n" for i in range(rows))
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("P2.1.3a", "P2.1.3.a"),
        ("P2.1\u20133", "P2.1.3"),
        ("P2.l.3", "P2.1.3"),
        ("P2.1.1.z", "P2.1.1.b"),
        ("P2.1.9", "P2.1.3"),
    ],
)
def test_a_column_named_like_an_id_the_rubric_lacks_is_an_error(
    tmp_path: Path, rubric: pa.Rubric, typo: str, meant: str
) -> None:
    path = _wide_file(tmp_path, WIDE_2023 + "," + typo, extra=",yes")
    for missing in ("error", "not-relevant"):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(path, rubric, missing=missing)
        assert caught.value.lines()[0].startswith(
            f"{path}:1: column {typo!r}: unknown question id (did you mean {meant!r}?"
        )


def test_headers_match_ids_in_any_case_and_with_spaces(tmp_path: Path, rubric: pa.Rubric) -> None:
    header = WIDE_2023.replace("P2.1.3", " p2.1.3 ") + ", P2.1.1.A ,team"
    path = _wide_file(tmp_path, header, extra=",no,north")
    sample = pa.read_judgments(path, rubric)
    assert sample.answer("C0", "P2.1.3") == pa.Judgment.YES
    assert sample.attribute_names == ("team",)
    assert sample.prompt_tally()["P2.1.1.a"] == (0, 2)
    long = tmp_path / "long.csv"
    long.write_text(
        "case_id,question_id,judgment\n"
        + "".join(f"C1,{q.lower()} ,yes\n" for q in rubric.question_ids),
        encoding="utf-8",
    )
    assert pa.read_judgments(long, rubric).tally()["P2.4.3"] == (1, 1)


def test_a_total_row_gets_its_own_message(tmp_path: Path, rubric: pa.Rubric) -> None:
    path = _wide_file(tmp_path, WIDE_2023, rows=3)
    with path.open("a", encoding="utf-8") as fp:
        fp.write("Total," + ",".join(["3"] * 12) + "\n")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric)
    assert caught.value.lines() == [
        f"{path}:5: case_id 'Total' looks like a summary row, not a case "
        "(delete totals and averages from below the cases)"
    ]
    # Even when its cells happen to be judgments, a Total row is not taken as a case.
    path = _wide_file(tmp_path, WIDE_2023, rows=1)
    with path.open("a", encoding="utf-8") as fp:
        fp.write("Totals," + ",".join(["yes"] * 12) + "\n")
    with pytest.raises(pa.AuditErrors, match="'Totals' looks like a summary row"):
        pa.read_judgments(path, rubric)


def test_a_cp1252_file_says_where_and_what_to_do(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(
        "case_id,S1.1,S1.2,S2.1,notes\nC1,yes,no,n/a,\u00a3 paid\u2019s\n".encode("cp1252")
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}:2: not UTF-8 text: byte 0xA3 at byte 15 of the line cannot be read (save it "
        "from Excel as 'CSV UTF-8', or give its encoding: on the command line --encoding "
        "cp1252 (in Python, encoding='cp1252'))"
    ]
    assert (
        pa.read_judgments(path, mini, encoding="cp1252").attribute("C1", "notes")
        == "\u00a3 paid\u2019s"
    )
    with pytest.raises(pa.AuditErrors, match="unknown text encoding 'klingon'"):
        pa.read_judgments(path, mini, encoding="klingon")


def test_semicolons_and_title_rows(tmp_path: Path, mini: pa.Rubric) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id;S1.1;S1.2;S2.1\nC1;yes;no;n/a\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert caught.value.lines() == [
        f"{path}:1: missing header: expected case_id and one column per question id, found "
        "case_id;S1.1;S1.2;S2.1 (the file looks semicolon-separated: save it as comma-separated "
        "CSV, 'CSV UTF-8' in Excel)"
    ]
    path.write_text(
        "Synthetic audit, Q3\n,\ncase_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\nC2,maybe,no,n/a\n",
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    assert [line.split(": ")[0] for line in caught.value.lines()] == [f"{path}:5"]


def test_nan_in_a_data_frame_says_how_pandas_made_it(tmp_path: Path, mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "cases.csv"
    path.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,no,N/A\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(pandas.read_csv(path), mini)
    (line,) = caught.value.lines()
    assert line.endswith("read the file with keep_default_na=False")
    assert line.startswith("<DataFrame>:2: case 'C1', question 'S2.1': no answer")
    assert pa.read_judgments(pandas.read_csv(path, keep_default_na=False), mini).codes.tolist() == [
        [1, 0, -1]
    ]


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


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from probation_audit import outputs

    real_replace = os.replace
    calls = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(pa.AuditErrors, match="No space left on device"):
        outputs.write_all([(tmp_path / "a.txt", b"a"), (tmp_path / "b.txt", b"b")])
    # The first file was renamed into place before the failure, and removed after it.
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _sheet_workbook(path: Path, rows: list[list[object]]) -> tuple[Path, object]:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    for row in rows:
        sheet.append(row)
    return path, workbook


def test_merged_answer_cells_are_refused_and_merged_titles_are_not(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "merged.xlsx",
        [
            ["Synthetic audit", None, None, None],
            ["case_id", "S1.1", "S1.2", "S2.1"],
            ["C1", "yes", "no", "n/a"],
            ["C2", "no", None, None],
        ],
    )
    sheet = workbook.active  # type: ignore[attr-defined]
    sheet.merge_cells("A1:D1")
    workbook.save(path)  # type: ignore[attr-defined]
    assert pa.read_judgments(path, mini, missing="not-relevant").codes.tolist() == [
        [1, 0, -1],
        [0, -1, -1],
    ]
    sheet.merge_cells("B4:D4")
    workbook.save(path)  # type: ignore[attr-defined]
    for missing in ("error", "not-relevant"):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(path, mini, missing=missing)
        assert caught.value.lines() == [
            f"{path}[Cases]:4: cells B4:D4 are merged: a merged cell holds one value for all "
            "its cells (unmerge them and give each cell its own answer)"
        ]


def test_a_hidden_first_sheet_is_not_read_by_default(tmp_path: Path, mini: pa.Rubric) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "hidden.xlsx",
        [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", "yes", "no", "n/a"]],
    )
    hidden = workbook.create_sheet("Old", 0)  # type: ignore[attr-defined]
    hidden.append(["case_id", "S1.1", "S1.2", "S2.1"])
    hidden.append(["C1", "no", "no", "no"])
    hidden.sheet_state = "hidden"
    workbook.save(path)  # type: ignore[attr-defined]
    assert pa.read_judgments(path, mini).codes.tolist() == [[1, 0, -1]]
    assert pa.read_judgments(path, mini, sheet="Old").codes.tolist() == [[0, 0, 0]]


def test_true_and_false_are_refused_in_every_format(tmp_path: Path, mini: pa.Rubric) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "bools.xlsx",
        [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", True, False, "n/a"]],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    csv_path = tmp_path / "bools.csv"
    csv_path.write_text("case_id,S1.1,S1.2,S2.1\nC1,TRUE,FALSE,n/a\n", encoding="utf-8")
    for source, where in ((path, f"{path}[Cases]:2"), (csv_path, f"{csv_path}:2")):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(source, mini)
        first = caught.value.lines()[0]
        assert first.startswith(f"{where}: case 'C1', question 'S1.1': invalid judgment 'TRUE' ")
        assert "a TRUE/FALSE cell cannot say 'not relevant'" in first


@pytest.mark.parametrize(
    "content",
    [b"", b"case_id,S1.1\nC1,yes\n", b"PK\x03\x04truncated", b"PK\x05\x06" + b"\x00" * 18],
    ids=["empty", "renamed-csv", "truncated-zip", "empty-zip"],
)
def test_a_file_that_is_not_a_workbook_is_one_line(
    tmp_path: Path, mini: pa.Rubric, content: bytes
) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "cases.xlsx"
    path.write_bytes(content)
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, mini)
    (line,) = caught.value.lines()
    assert line.startswith(f"{path}: cannot read workbook: ")


def test_a_workbook_with_broken_xml_is_one_line(tmp_path: Path, mini: pa.Rubric) -> None:
    import zipfile

    path, workbook = _sheet_workbook(
        tmp_path / "good.xlsx", [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", "yes", "no", "n/a"]]
    )
    workbook.save(path)  # type: ignore[attr-defined]
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(broken, mini)
    (line,) = caught.value.lines()
    assert line.startswith(f"{broken}: cannot read workbook: ")


@pytest.mark.parametrize(
    ("literal", "found"),
    [
        (
            "1e5000",
            "number 1e5000 (numbers here have at most 30 digits and an exponent within +-30)",
        ),
        ("1e99999999", "number 1e99999999 (numbers here have at most 30 digits"),
        ("0." + "1" * 60, "number 0.11111111111111111111111111111111111... (numbers here"),
        ("1" * 400, "an integer of 400 digits (at most 30 are accepted)"),
    ],
)
def test_huge_numbers_in_a_rubric_are_errors_at_their_key_path(
    tmp_path: Path, literal: str, found: str
) -> None:
    import time

    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    edited = text.replace("from = 50", f"from = {literal}", 1)
    assert edited != text
    path = tmp_path / "rubric.toml"
    path.write_text(edited, encoding="utf-8")
    start = time.perf_counter()
    problems = pa.validate_rubric(path)
    assert time.perf_counter() - start < 5
    assert any("bands.band[" in p.render() and found in p.render() for p in problems), [
        p.render() for p in problems
    ]


def test_published_cases_are_bounded(tmp_path: Path) -> None:
    from .conftest import PUBLISHED_2024

    text = PUBLISHED_2024.read_text(encoding="utf-8")
    assert "cases = 70" in text
    path = tmp_path / "figures.toml"
    path.write_text(
        text.replace("cases = 70", f"cases = {10**18}").replace(
            'rubric = "hmip-probation-2023"', 'rubric = "hmip-probation-2023"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.reproduce(path)
    assert any(
        "cases: expected at most 1,000,000 cases (an inspection's sample), found 1,000,000,000,000,000,000"
        in line
        for line in caught.value.lines()
    )


def test_an_endless_rubric_stream_stops_at_the_size_limit() -> None:
    from probation_audit._toml import MAX_FILE_BYTES

    problems = pa.validate_rubric("/dev/zero")
    assert [p.render() for p in problems] == [
        f"/dev/zero: file is larger than {MAX_FILE_BYTES // 2**20} MiB: not a rubric or "
        "published-figures file (those are a few tens of kilobytes)"
    ]


def test_statistics_refuse_a_rubric_id(rubric: pa.Rubric) -> None:
    from probation_audit import statistics as st

    result = pa.score_tally(rubric, {q: (1, 2) for q in rubric.question_ids})
    for call in (
        lambda: st.plan("hmip-probation-2023", "0.45"),  # type: ignore[arg-type]
        lambda: st.uncertain_standards("hmip-probation-2023", result),  # type: ignore[arg-type]
        lambda: st.exact_probabilities("hmip-probation-2023", result),  # type: ignore[arg-type]
        lambda: st.by_attribute("hmip-probation-2023", [], "team"),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match="load it with load_rubric"):
            call()


def test_notes_reach_the_written_reports(tmp_path: Path, mini: pa.Rubric) -> None:
    from probation_audit import reports

    path = tmp_path / "cases.csv"
    path.write_text(
        "case_id,question_id,judgment\nC1,S1.1,yes\nC1,S1.2,no\nC1,S2.1,no\nC1,S1.1,yes\n",
        encoding="utf-8",
    )
    result = pa.score(mini, path)
    note = "1 answer given again with the same judgment was counted once (line 5)"
    assert result.notes == (note,)
    assert f"- {note}" in reports.render_markdown(result)
    assert f"<li>{note}</li>" in reports.render_html(result)


def test_a_failed_write_puts_back_the_file_it_was_replacing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from probation_audit import outputs

    (tmp_path / "b.txt").write_bytes(b"old")
    os.chmod(tmp_path / "b.txt", 0o640)
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:  # a placed, b set aside, then the new b fails
            raise OSError(28, "No space left on device", dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(pa.AuditErrors, match="No space left on device"):
        outputs.write_all([(tmp_path / "a.txt", b"a"), (tmp_path / "b.txt", b"new")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]
    assert (tmp_path / "b.txt").read_bytes() == b"old"
    monkeypatch.setattr(os, "replace", real_replace)
    outputs.write_all([(tmp_path / "b.txt", b"new"), (tmp_path / "c.txt", b"c")])
    assert (tmp_path / "b.txt").read_bytes() == b"new"
    assert oct((tmp_path / "b.txt").stat().st_mode & 0o777) == oct(0o640)
    mask = os.umask(0)
    os.umask(mask)
    assert oct((tmp_path / "c.txt").stat().st_mode & 0o777) == oct(0o666 & ~mask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt", "c.txt"]


def test_plan_at_the_edges_of_the_unit_interval(rubric: pa.Rubric) -> None:
    import time

    from probation_audit import statistics as st

    tiny = st.plan(rubric, "1e-400", max_n=50)
    assert tiny.band == "Inadequate" and tiny.first == 1
    nearly = st.plan(rubric, "0.99999999999999999999", max_n=50)
    assert nearly.band == "Outstanding" and nearly.first is not None
    start = time.perf_counter()
    sure = st.plan(rubric, "0.57", target=1, max_n=3000)
    assert time.perf_counter() - start < 10
    assert (sure.first, sure.stable_from) == (None, None)
    assert st.plan(rubric, "1", target=1, max_n=5).first == 1


def test_review_findings(tmp_path: Path, rubric: pa.Rubric, mini: pa.Rubric) -> None:
    """Classes a code review found: each must stay fixed."""
    from probation_audit import csvfiles

    # Repeated question columns (P2.1.1 and p2.1.1): the fast path defers to the table path.
    header = "case_id," + ",".join(rubric.question_ids) + ",p2.1.1"
    text = header + "\nC1," + ",".join(["yes"] * 12) + ",no\n"
    with pytest.raises(pa.AuditErrors, match="answered twice with different judgments"):
        csvfiles.parse_csv(text, rubric)
    # A forced long layout over a wide header is a one-line error, not a crash.
    with pytest.raises(pa.AuditErrors, match="missing header"):
        csvfiles.parse_csv("case_id,a,b\nC1,yes,no\n", mini, layout="long")
    # Attribute names with numbers in them stay attributes (a header that begins with an id
    # is read as that question: see test_hardening_inputs).
    names = ["age 18-24", "v1.2", "year 2023-24", "Q1-Q2", "tier 1-2", "team 2.1", "notes P2.1.3"]
    header = "case_id," + ",".join(rubric.question_ids) + "," + ",".join(f'"{n}"' for n in names)
    row = "C1," + ",".join(["yes"] * 12) + "," + ",".join(["x"] * len(names))
    assert csvfiles.parse_csv(header + "\n" + row + "\n", rubric).attribute_names == tuple(names)
    # A case met again: the conflict names the row that set the answer, once per line.
    text = "case_id,S1.1,S1.2,S2.1\nC1,,no,n/a\nC1,yes,no,n/a\nC1,no,no,n/a\n"
    with pytest.raises(pa.AuditErrors) as caught:
        csvfiles.parse_csv(text, mini, source="t.csv")
    assert caught.value.lines()[0] == (
        "t.csv:4: case 'C1', question 'S1.1': answered twice with different judgments: "
        "yes (line 3) and then no (line 4)"
    )
    result = pa.score(
        mini, csvfiles.parse_csv("case_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\nC1,yes,no,n/a\n", mini)
    )
    assert result.notes == (
        "3 answers given again with the same judgment were counted once (line 3)",
    )
    # A row with a multi-line quoted cell is reported at the line it starts on.
    text = 'case_id,S1.1,S1.2,S2.1,notes\nC1,maybe,no,n/a,"two\nlines"\n'
    with pytest.raises(pa.AuditErrors) as caught:
        csvfiles.parse_csv(text, mini, source="t.csv")
    assert caught.value.lines()[0].startswith("t.csv:2: case 'C1', question 'S1.1'")
    # Columns with no header: dropped when empty, an error when they hold something.
    text = ",case_id,S1.1,S1.2,S2.1,\n,C1,yes,no,n/a,\n"
    assert csvfiles.parse_csv(text, mini).attribute_names == ()
    text = "case_id,S1.1,S1.2,S2.1,\nC1,yes,no,n/a,see notes\n"
    with pytest.raises(pa.AuditErrors) as caught:
        csvfiles.parse_csv(text, mini, source="t.csv")
    assert caught.value.lines() == [
        "t.csv:2: column 5 has no header but holds 'see notes' (give the column a name, or delete it)"
    ]
    # Whole-number floats in a list are counts; from_array matches ids in any case.
    assert (
        pa.rate_many(rubric, [[5.0] * 12], [[10] * 12]).rating(0, "P2.1") == "Requires improvement"
    )
    sample = pa.from_array([[1, 0, -1]], ["C1"], ["s1.1", "S1.2", " s2.1 "], mini)
    assert sample.codes.tolist() == [[1, 0, -1]]


def test_a_workbook_with_a_wrong_stored_dimension_is_read_whole(
    tmp_path: Path, mini: pa.Rubric
) -> None:
    import zipfile

    path, workbook = _sheet_workbook(
        tmp_path / "good.xlsx",
        [
            ["case_id", "S1.1", "S1.2", "S2.1", "team"],
            ["C1", "yes", "no", "n/a", "a"],
            ["C2", "no", "no", "yes", "b"],
        ],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stale, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                assert b'<dimension ref="A1:E3" />' in data
                data = data.replace(b'<dimension ref="A1:E3" />', b'<dimension ref="A1" />')
            dst.writestr(item, data)
    sample = pa.read_judgments(stale, mini)
    assert sample.case_ids == ("C1", "C2") and sample.attribute_names == ("team",)


def test_problems_past_the_cap_are_counted_once_across_groups(tmp_path: Path) -> None:
    """Two groups of 600 bad rows each: 1,200 problems, 1,000 listed and one line for the
    200 others (a group's own count line is never counted as a problem)."""
    rubric = pa.load_rubric("hmip-probation-2023")
    lines = ["inspection,case_id,question_id,judgment"]
    for group in ("A", "B"):
        lines += [
            f"{group},C{i},{q},{'maybe' if q == 'P2.1.1' else 'yes'}"
            for i in range(600)
            for q in rubric.question_ids
        ]
    path = tmp_path / "national.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(rubric, path)
    found = caught.value.lines()
    assert len(found) == 1002
    # The groups' summaries merged into one first line.
    assert found[0] == (
        f"{path}: 1,200 problems: 1,200 cells are not a judgment ('maybe'; expected yes, no "
        "or not relevant)"
    )
    assert found[-1] == f"{path}: ... and 200 more problems (1,000 are shown)"
    assert all("invalid judgment 'maybe'" in line for line in found[1:-1])


def test_the_count_line_stays_last_whatever_the_order() -> None:
    from probation_audit.errors import JudgmentError, MoreProblems

    errors = pa.AuditErrors(
        [
            JudgmentError("late", source="f.csv", line=9),
            MoreProblems(3, source="f.csv"),
            JudgmentError("early", source="f.csv", line=2),
        ]
    )
    assert errors.lines() == [
        "f.csv:2: early",
        "f.csv:9: late",
        "f.csv: ... and 3 more problems (1,000 are shown)",
    ]
