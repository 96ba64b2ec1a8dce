"""Audit templates: a filled template scores with no further options, prompts included."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit._templates import template_columns
from probation_audit.cli import main

from .conftest import ROOT

RUBRIC = pa.load_rubric("hmip-probation-2023")


def _caseload(tmp_path: Path) -> Path:
    path = tmp_path / "caseload.csv"
    path.write_text(
        "case_id,team,practitioner,crn\n"
        + "".join(
            f"SYN-{i:03d},{'North' if i % 2 else 'South'},PO {i % 3},X{i}\n" for i in range(6)
        ),
        encoding="utf-8",
    )
    return path


def test_workbook_template_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "audit.xlsx"
    argv = [
        "template",
        str(out),
        "--rubric",
        "hmip-probation-2023",
        "--cases",
        str(_caseload(tmp_path)),
    ]
    assert main([*argv, "--attribute", "team", "--attribute", "practitioner"]) == 0
    assert capsys.readouterr().out == f"wrote {out} with 6 cases\n"
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Ratings", "Cases", "Questions", "About"]
    sheet = workbook["Cases"]
    header = [c.value for c in sheet[1]]
    assert header == template_columns(RUBRIC, ["team", "practitioner"])
    assert sheet.freeze_panes == "B2"
    assert sheet["D1"].comment is not None and "P2.1.1" in sheet["D1"].comment.text
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"Yes,No,N/A"'
    assert str(validation.sqref).startswith("D2:")
    assert [sheet.cell(row=r, column=1).value for r in range(2, 8)] == [
        f"SYN-{i:03d}" for i in range(6)
    ]
    # Fill it as an auditor would: every key question, a few prompts.
    for r in range(2, 8):
        for k, name in enumerate(header, start=1):
            if name in RUBRIC.question_ids:
                sheet.cell(row=r, column=k).value = "Yes" if r % 2 else "No"
        sheet.cell(row=r, column=header.index("P2.1.1.a") + 1).value = "Yes"
    workbook.save(out)
    result = pa.score(RUBRIC, out)
    assert result.cases == 6
    assert result.question("P2.1.1").yes == 3
    p211a = next(p for p in result.question("P2.1.1").prompts if p.id == "P2.1.1.a")
    assert (p211a.yes, p211a.relevant) == (6, 6)
    sample = pa.read_judgments(out, RUBRIC)
    assert sample.attribute("SYN-001", "team") == "North"
    assert sample.attribute_names == ("team", "practitioner")
    about = [row for row in workbook["About"].iter_rows(values_only=True)]
    assert about[0] == ("rubric", "hmip-probation-2023")


def test_csv_template_and_blank_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "audit.csv"
    assert main(["template", str(out), "--rubric", "hmip-probation-2023"]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows == [template_columns(RUBRIC)]
    assert "P2.1.3.f" in rows[0] and rows[0].index("P2.1.3") < rows[0].index("P2.1.3.a")
    pytest.importorskip("openpyxl")
    blank = tmp_path / "blank.xlsx"
    assert main(["template", str(blank), "--rubric", "hmip-probation-2023"]) == 0
    capsys.readouterr()
    # An unfilled template has no cases: scoring it says so.
    with pytest.raises(pa.AuditErrors, match="no case judgments found"):
        pa.read_judgments(blank, RUBRIC)


def test_template_usage_and_caseload_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["template", str(tmp_path / "a.txt"), "--rubric", "hmip-probation-2023"])
    assert caught.value.code == 2
    assert "written as .xlsx or .csv" in capsys.readouterr().err
    caseload = _caseload(tmp_path)
    argv = [
        "template",
        str(tmp_path / "a.csv"),
        "--rubric",
        "hmip-probation-2023",
        "--cases",
        str(caseload),
    ]
    assert main([*argv, "--attribute", "grade"]) == 1
    assert (
        "no column 'grade' (columns: case_id, team, practitioner, crn)" in capsys.readouterr().err
    )
    caseload.write_text("case_id,team\nA,x\nA,y\n,z\n", encoding="utf-8")
    assert main(argv) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{caseload}:3: case 'A' listed twice (first at line 2)",
        f"{caseload}:4: blank case_id",
    ]
    assert not (tmp_path / "a.csv").exists()


def test_case_ids_and_attributes_that_start_like_formulas_are_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    caseload = tmp_path / "caseload.csv"
    caseload.write_text(
        'case_id,team\n"=HYPERLINK(""http://x"")",@North\n-5,#N/A\n+SYN-2,=1+1\n',
        encoding="utf-8",
    )
    chosen, template = tmp_path / "chosen.csv", tmp_path / "audit.xlsx"
    argv = ["select", str(caseload), "--n", "3", "--output", str(chosen)]
    argv += ["--template", str(template), "--rubric", "hmip-probation-2023", "--attribute", "team"]
    assert main(argv) == 0
    capsys.readouterr()
    # The selection (CSV): an apostrophe before what starts a formula; -5 is a number.
    rows = list(csv.reader(io.StringIO(chosen.read_text(encoding="utf-8"))))
    assert sorted(row[:2] for row in rows[1:]) == [
        ["'+SYN-2", "'=1+1"],
        ['\'=HYPERLINK("http://x")', "'@North"],
        ["-5", "#N/A"],
    ]
    # The template (workbook): the case ids and attributes as written, as text cells.
    sheet = openpyxl.load_workbook(template)["Cases"]
    cells = sorted(
        (
            (c.value, c.data_type, c.quotePrefix)
            for row in sheet.iter_rows(min_row=2, max_row=4, max_col=2)
            for c in row
        ),
        key=str,
    )
    assert cells == sorted(
        [
            ('=HYPERLINK("http://x")', "s", True),
            ("@North", "s", True),
            ("-5", "s", True),
            ("#N/A", "s", False),
            ("+SYN-2", "s", True),
            ("=1+1", "s", True),
        ],
        key=str,
    )
    # A CSV template follows the rule of every CSV file.
    csv_template = tmp_path / "audit.csv"
    assert main([*argv[:6], "--template", str(csv_template), *argv[8:], "--force"]) == 0
    capsys.readouterr()
    rows = list(csv.reader(io.StringIO(csv_template.read_text(encoding="utf-8"))))
    assert sorted(row[:2] for row in rows[1:]) == [
        ["'+SYN-2", "'=1+1"],
        ['\'=HYPERLINK("http://x")', "'@North"],
        ["-5", "#N/A"],
    ]


def test_attributes_without_cases_are_blank_columns_to_fill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "audit.xlsx"
    argv = ["template", str(out), "--rubric", "hmip-probation-2023", "--attribute", "team"]
    assert main(argv) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    sheet = openpyxl.load_workbook(out)["Cases"]
    assert [c.value for c in sheet[1]][:3] == ["case_id", "team", "P2.1.1"]
    assert sheet.max_row == 1  # no rows written: the attribute is filled in by hand
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref).startswith("C2:")  # answers only: the team column is free
    csv_out = tmp_path / "audit.csv"
    assert main(["template", str(csv_out), *argv[2:]]) == 0
    assert csv_out.read_text(encoding="utf-8").splitlines()[0].startswith("case_id,team,P2.1.1,")


def test_the_cases_sheet_prints_landscape_and_sets_key_questions_apart() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from probation_audit._templates import BLANK_ROWS, template_workbook

    book = openpyxl.load_workbook(io.BytesIO(template_workbook(RUBRIC)))
    sheet = book["Cases"]
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.print_title_rows, sheet.print_title_cols) == ("$1:$1", "$A:$A")
    header = {c.value: c for c in sheet[1]}
    key, prompt = header["P2.1.1"], header["P2.1.1.a"]
    assert (key.font.b, key.font.i, key.fill.fgColor.rgb) == (True, False, "00DDEBF7")
    assert (prompt.font.b, prompt.font.i, prompt.fill.fill_type) == (False, True, None)
    assert prompt.comment is not None and "prompt (may be left blank)" in prompt.comment.text
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref).endswith(f"{1 + BLANK_ROWS + 300}")


def test_reserve_cases_are_listed_and_the_rows_below_the_chosen_ones_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from probation_audit._ratings_sheet import SPARE_ROWS

    template = tmp_path / "audit.xlsx"
    argv = ["select", str(_caseload(tmp_path)), "--n", "3", "--reserve", "2", "--seed", "3"]
    argv += ["--output", str(tmp_path / "chosen.csv"), "--template", str(template)]
    assert main([*argv, "--rubric", "hmip-probation-2023", "--attribute", "team"]) == 0
    capsys.readouterr()
    selection = list(csv.DictReader((tmp_path / "chosen.csv").open(encoding="utf-8")))
    reserves = [
        (r["order"], r["case_id"], r["team"]) for r in selection if r["selection"] == "reserve"
    ]
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["Ratings", "Cases", "Reserves", "Questions", "About"]
    rows = list(book["Reserves"].values)
    assert rows[0] == ("order", "case_id", "team")
    assert [(str(o), c, t) for o, c, t in rows[1:]] == reserves
    cases = book["Cases"]
    assert [cases.cell(row=r, column=1).value for r in range(2, 6)] == [
        *(r["case_id"] for r in selection if r["selection"] == "chosen"),
        None,
    ]
    (validation,) = cases.data_validations.dataValidation
    assert (
        str(validation.sqref)
        == f"C2:{cases.cell(row=1, column=cases.max_column).column_letter}{4 + SPARE_ROWS}"
    )
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["reserve cases"].startswith(
        f"a substitute goes in the first empty row of Cases (rows 5 to {4 + SPARE_ROWS}"
    )


def _filled_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A SYNTHETIC template of six cases, every key question answered."""
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "audit.xlsx"
    argv = ["template", str(out), "--rubric", "hmip-probation-2023"]
    assert main([*argv, "--cases", str(_caseload(tmp_path))]) == 0
    capsys.readouterr()
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Cases"]
    header = [c.value for c in sheet[1]]
    for r in range(2, 8):
        for k, name in enumerate(header, start=1):
            if name in RUBRIC.question_ids:
                sheet.cell(row=r, column=k).value = "Yes" if r % 3 else "No"
    workbook.save(out)
    return out


def test_score_reads_the_rubric_and_judged_ratings_from_a_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = _filled_template(tmp_path, capsys)
    assert main(["score", str(out), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"rubric hmip-probation-2023 (from the About sheet of {out})\n"
    data = json.loads(captured.out)
    assert data["rubric"] == "hmip-probation-2023"
    assert data["overall"]["rating"] is None  # no judged rating chosen yet
    # The judged ratings chosen from the Ratings sheet's drop-downs are used.
    workbook = openpyxl.load_workbook(out)
    ratings = workbook["Ratings"]
    rows = {ratings.cell(row=r, column=1).value: r for r in range(5, 40)}
    for sid in ("P1.1", "P1.2", "P1.3"):
        assert ratings.cell(row=rows[sid], column=5).value == "judged"
        # The prompt to choose is a formula that clears itself once a rating is chosen.
        assert ratings.cell(row=rows[sid], column=4).value == (
            f'=IF(C{rows[sid]}="","\u2190 choose a rating","")'
        )
        ratings.cell(row=rows[sid], column=3).value = "Good"
    workbook.save(out)
    assert main(["score", str(out), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[1] == (
        f"judged ratings from the Ratings sheet of {out}: P1.1=Good, P1.2=Good, P1.3=Good"
    )
    data = json.loads(captured.out)
    expected = pa.score(RUBRIC, out, {"P1.1": "Good", "P1.2": "Good", "P1.3": "Good"})
    assert data["overall"]["rating"] == expected.overall.rating  # type: ignore[union-attr]
    assert data["overall"]["rating"] is not None
    # --rating wins over the sheet; --casework-only takes none.
    assert main(["score", str(out), "--format", "json", "--rating", "P1.1=Inadequate"]) == 0
    captured = capsys.readouterr()
    assert "Ratings sheet" not in captured.err
    assert json.loads(captured.out)["overall"]["rating"] is None  # P1.2, P1.3 not given
    assert main(["score", str(out), "--format", "json", "--casework-only"]) == 0
    assert "Ratings sheet" not in capsys.readouterr().err
    # feedback rates nothing: the rubric alone is read from the workbook.
    assert main(["feedback", str(out), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"rubric hmip-probation-2023 (from the About sheet of {out})\n"
    assert len(json.loads(captured.out)["cases"]) == 6


def test_a_template_written_before_the_mark_changed_still_gives_its_judged_ratings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Templates written before 2026-12 marked a judged standard "judged: choose"."""
    openpyxl = pytest.importorskip("openpyxl")
    from probation_audit._xlsx import template_facts

    out = _filled_template(tmp_path, capsys)
    workbook = openpyxl.load_workbook(out)
    ratings = workbook["Ratings"]
    rows = {ratings.cell(row=r, column=1).value: r for r in range(5, 40)}
    ratings.cell(row=rows["P1.1"], column=5).value = "judged: choose"
    ratings.cell(row=rows["P1.1"], column=3).value = "Good"
    ratings.cell(row=rows["P1.2"], column=3).value = "Inadequate"
    ratings.cell(row=rows["P2.1"], column=3).value = "Good"  # a casework standard: not a choice
    workbook.save(out)
    facts = template_facts(out)
    assert facts is not None
    assert facts.ratings == (("P1.1", "Good"), ("P1.2", "Inadequate"))


def test_a_template_of_a_modified_copy_is_never_scored_by_the_bundled_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy of a bundled rubric with other bands keeps the bundled id: the template records
    the copy's file and rules, and the bundled rules are refused for it (exit 2)."""
    pytest.importorskip("openpyxl")
    from probation_audit._identity import rules_fingerprint
    from probation_audit._xlsx import template_facts

    bundled = (ROOT / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
    copy = tmp_path / "SYNTHETIC-local-bands.toml"
    edge = '{ from = 0, to = 50, rating = "Inadequate"'
    assert edge in bundled
    copy.write_text(
        bundled.replace(edge, edge.replace("50", "40")).replace(
            "{ from = 50, to = 65", "{ from = 40, to = 65"
        ),
        encoding="utf-8",
    )
    local = pa.load_rubric(copy)
    assert local.id == RUBRIC.id and rules_fingerprint(local) != rules_fingerprint(RUBRIC)
    out = tmp_path / "audit.xlsx"
    assert main(["template", str(out), "--rubric", str(copy)]) == 0
    facts = template_facts(out)
    assert facts is not None
    assert (facts.rubric, facts.rubric_file, facts.rules) == (
        RUBRIC.id,
        str(copy),
        rules_fingerprint(local),
    )
    capsys.readouterr()
    with pytest.raises(SystemExit) as caught:
        main(["score", str(out), "--casework-only"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"probation-audit score: error: {out} was made for rubric 'hmip-probation-2023' from "
        f"{copy} with rules {rules_fingerprint(local)} (its About sheet), but the bundled "
        f"hmip-probation-2023 has rules {rules_fingerprint(RUBRIC)}: give --rubric with the "
        "file it was made from"
    )
    with pytest.raises(SystemExit) as caught:
        main(["score", str(out), "--casework-only", "--rubric", "hmip-probation-2023"])
    assert caught.value.code == 2
    assert "give the rubric file the workbook was made from" in capsys.readouterr().err
    # The file it was made from is accepted (here the blank template: no answers yet, exit 1).
    assert main(["score", str(out), "--casework-only", "--rubric", str(copy)]) == 1
    assert "made with rules" not in capsys.readouterr().err


def test_a_rubric_other_than_the_templates_is_a_usage_error_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _filled_template(tmp_path, capsys)
    assert main(["score", str(out), "--rubric", "hmip-probation-2023"]) == 0
    assert capsys.readouterr().err == ""
    with pytest.raises(SystemExit) as caught:
        main(["score", str(out), "--rubric", "hmip-youth-2018"])
    assert caught.value.code == 2
    assert (
        f"--rubric hmip-youth-2018 is rubric 'hmip-youth-2018', but {out} was made for rubric "
        "'hmip-probation-2023' (its About sheet)"
    ) in capsys.readouterr().err
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,P2.1.1\nC1,yes\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        main(["score", str(cases)])
    assert caught.value.code == 2
    assert f"--rubric is needed: {cases} is not a template workbook naming its rubric" in (
        capsys.readouterr().err
    )
