"""What a newcomer's walk through the audit cycle found, each kept as a test: the casework-only
CSV, prompts with no data, feedback tables that agree, footnotes that point at something,
agreement that names its auditors, and templates that are never silently replaced. The unit
audit files are SYNTHETIC."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit.cli import main
from probation_audit.feedback import case_feedback, feedback_table
from probation_audit.statistics import QuestionChange, significance_note

from .conftest import ROOT

UNIT = ROOT / "examples" / "unit-audit"
RUBRIC = "hmip-probation-2023"


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
    from_csv = list(csv.reader(io.StringIO(out)))
    sheet = openpyxl.load_workbook(book)["Feedback"]
    from_book = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert from_csv == from_book
    rubric = pa.load_rubric(RUBRIC)
    sample = pa.read_judgments(UNIT / "q1.csv", rubric)
    assert {r[0] for r in from_csv[1:]} == set(sample.case_ids)  # every case appears


def test_feedback_table_gives_a_case_with_nothing_answered_no_a_row() -> None:
    rubric = pa.load_rubric(RUBRIC)
    rows = [
        {"case_id": c, "question_id": q, "judgment": "no" if (c, q) == ("B", "P2.1.1") else "yes"}
        for c in ("A", "B")
        for q in rubric.question_ids
    ]
    header, table = feedback_table(case_feedback(rubric, pa.from_records(rows, rubric)))
    assert header == ["case_id", "kind", "id", "text"]
    assert table[0] == ["A", "none", "", "nothing answered No"]
    assert table[1][:3] == ["B", "key question", "P2.1.1"]
    assert len(table) == 2


def test_the_footnote_says_whether_anything_is_marked() -> None:
    calm = QuestionChange("Q", (5, 10), (6, 10), 0.1, -0.3, 0.5, 1.0)
    sharp = QuestionChange("Q", (1, 20), (18, 20), 0.85, 0.6, 0.95, 0.0001)
    assert significance_note([calm]).startswith("no change here is large enough")
    assert significance_note([calm, sharp]).startswith("* a change this large")


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
        "  no change here is large enough to be unusual by chance (Fisher's exact test, "
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
    assert {(r["first_auditor"], r["second_auditor"]) for r in rows} == {("auditor 1", "auditor 2")}
    assert [r["id"] for r in rows if r["row"] == "rating"] == ["P2.1", "P2.2", "P2.3", "P2.4"]
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--rating", "P1.1=Good"])
    assert caught.value.code == 2


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


def test_results_workbook_leaves_out_prompts_without_data_and_shows_percentages() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rubric = pa.load_rubric(RUBRIC)
    sample = pa.read_judgments(UNIT / "q1.csv", rubric)
    result = pa.score(rubric, sample)
    probabilities = pa.statistics.rating_probabilities(rubric, sample, resamples=200)
    data = pa.excel.excel_bytes(
        result, probabilities={sid: probabilities.of(sid) for sid in ("P2.1", "P2.2")}
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    kinds = [row[2] for row in book["Key questions"].iter_rows(min_row=2, values_only=True)]
    assert kinds == ["key question"] * 12  # q1.csv has no prompt columns
    ratings = book["Ratings"]
    column = [c.value for c in ratings[1]].index("probability") + 1
    assert ratings.cell(row=2, column=column).number_format == "0.0%"


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
    assert "With 12 key questions compared at once, about 1 in 20 would look unusual" in out


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
