"""Names and inputs as people write them: one rule for ids, labels and headers (case and
spaces, headers that go on in words, case_id spellings), formula cells with no saved value, and
floods of one problem summarised; each through the API and the command line."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import probation_audit as pa
from probation_audit.cli import main

from ._helpers import _sheet_workbook
from .conftest import DATA

MINI_TEXT = (DATA / "mini.toml").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The SYNTHETIC mini rubric with ``old`` replaced by ``new``, written to ``name``."""
    assert old in MINI_TEXT
    path = tmp_path / name
    path.write_text(MINI_TEXT.replace(old, new), encoding="utf-8")
    return path


# -- names the readers cannot tell apart ----------------------------------------------------


def test_question_ids_alike_but_for_case_are_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(tmp_path, "ids.toml", '{ id = "S1.2", text', '{ id = "s1.1", text')
    problems = pa.validate_rubric(path)
    assert [(p.key_path, p.message) for p in problems] == [
        (
            "standards[1].questions[1].id",
            "question id 's1.1' reads as 'S1.1' (at standards[1].questions[0]): ids are matched "
            "ignoring case and repeated spaces, so their columns cannot be told apart",
        )
    ]
    code, out, err = run(capsys, "validate", str(path))
    assert (code, out) == (1, "")
    assert err == f"{path}: {problems[0].render().split(': ', 1)[1]}\n"


def test_question_ids_alike_but_for_spaces_are_refused_by_the_model(mini: pa.Rubric) -> None:
    first = mini.standards[1]
    question = first.questions[1]
    renamed = attrs.evolve(question, id="S1.1 ")
    with pytest.raises(
        ValueError, match=r"differ only in case or spaces: 'S1\.1 ' reads as 'S1\.1'"
    ):
        attrs.evolve(
            mini,
            standards=(
                mini.standards[0],
                attrs.evolve(first, questions=(first.questions[0], renamed)),
                mini.standards[2],
            ),
        )


def test_labels_alike_but_for_case_are_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(
        tmp_path,
        "labels.toml",
        '{ label = "Outstanding", points = 3 }',
        '{ label = "good", points = 3 }',
    )
    problems = pa.validate_rubric(path)
    assert (problems[0].key_path, problems[0].message) == (
        "scales.rating.labels[3]",
        "label 'good' reads as 'Good' (labels[2]): labels are matched ignoring case and "
        "repeated spaces, so they cannot be told apart",
    )
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert "scales.rating.labels[3]: label 'good' reads as 'Good'" in err


def test_a_label_with_two_inner_spaces_can_be_given_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(tmp_path, "spaces.toml", "Requires improvement", "Requires  improvement")
    rubric = pa.load_rubric(path)
    scale = rubric.rating_scale
    assert scale.match("Requires  improvement") == "Requires  improvement"
    assert scale.match(" requires improvement ") == "Requires  improvement"
    assert scale.match("requires improvements") is None
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,yes,yes\n", encoding="utf-8")
    sample = pa.read_judgments(cases, rubric)
    result = pa.score(rubric, sample, {"J1": "Requires  improvement"})
    assert result.standard("J1").rating == "Requires  improvement"
    for given in ("J1=Requires  improvement", "J1=requires improvement"):
        code, out, err = run(
            capsys, "score", "--rubric", str(path), str(cases), "--rating", given, "--format",
            "json",
        )  # fmt: skip
        assert (code, err) == (0, "")
        assert '"rating": "Requires  improvement"' in out


# -- a header that starts with an id and goes on in words; case_id headers ----------------

WIDE_2023 = ["case_id", *(f"P2.{s}.{q}" for s in range(1, 5) for q in range(1, 4))]


def wide_csv(tmp_path: Path, header: list[str], *extra: str) -> Path:
    """A SYNTHETIC wide file of the 2023 rubric: two cases answering yes, then ``extra``."""
    import csv

    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(header)
        for i in range(2):
            writer.writerow([f"C{i}", *["yes"] * 12, *extra])
    return path


@pytest.mark.parametrize(
    "header",
    [
        "P2.1.3.a Was domestic abuse information used?",
        "P2.1.3.a (domestic abuse)",
        "P2.1.3.a: Was domestic abuse information used?",
        "P2.1.3.a\nWas domestic abuse information used?",
    ],
)
def test_a_header_that_goes_on_in_words_is_read_as_its_id(
    tmp_path: Path, rubric: pa.Rubric, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    path = wide_csv(tmp_path, [*WIDE_2023, header], "no")
    sample = pa.read_judgments(path, rubric)
    assert sample.attribute_names == ()
    assert sample.prompt_tally()["P2.1.3.a"] == (0, 2)
    renamed = [header.replace("P2.1.3.a", "P2.1.1") if n == "P2.1.1" else n for n in WIDE_2023]
    path = wide_csv(tmp_path, renamed)
    assert pa.read_judgments(path, rubric).tally()["P2.1.1"] == (2, 2)
    code, out, err = run(
        capsys, "score", "--rubric", "hmip-probation-2023", str(path),
        "--rating", "P1.1=Good", "--rating", "P1.2=Good", "--rating", "P1.3=Good",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "2 cases, rubric hmip-probation-2023" in out


def test_a_worded_header_of_an_unknown_id_is_located_and_gives_no_missing_hint(
    tmp_path: Path, rubric: pa.Rubric, capsys: pytest.CaptureFixture[str]
) -> None:
    header = [n.replace("P2.1.1", "P2.1.9 (engaging)") for n in WIDE_2023]
    path = wide_csv(tmp_path, header)
    for missing in ("error", "not-relevant"):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(path, rubric, missing=missing)
        lines = caught.value.lines()
        assert lines[0].startswith(
            f"{path}:1: column 'P2.1.9 (engaging)': begins with unknown question id 'P2.1.9' "
            "(did you mean 'P2.1.1'?"
        )
        assert "--missing" not in "\n".join(lines)
    assert lines == [lines[0]]  # not-relevant: the header's problem alone
    code, out, err = run(capsys, "score", "--rubric", "hmip-probation-2023", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines()[1] == (
        f"{path}:1: no column for question P2.1.1 (correct the header named like an unknown "
        "id, or add the column)"
    )


def test_a_worded_header_beside_its_id_column_is_an_error_not_an_attribute(
    tmp_path: Path, rubric: pa.Rubric
) -> None:
    path = wide_csv(tmp_path, [*WIDE_2023, "P2.1.3 notes"], "seen")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric)
    assert caught.value.lines() == [
        f"{path}:1: column 'P2.1.3 notes': begins with question id 'P2.1.3', which column "
        "'P2.1.3' answers (a header that begins with an id is read as that question: rename "
        "it, e.g. 'notes on P2.1.3')"
    ]
    path = wide_csv(tmp_path, [*WIDE_2023, "notes on P2.1.3"], "seen")
    assert pa.read_judgments(path, rubric).attribute_names == ("notes on P2.1.3",)


@pytest.mark.parametrize("spelling", ["Case ID", "CASE_ID", " case id ", "CaseID", "Case-Id"])
def test_case_id_headers_are_matched_as_question_headers_are(
    tmp_path: Path, rubric: pa.Rubric, capsys: pytest.CaptureFixture[str], spelling: str
) -> None:
    path = wide_csv(tmp_path, [spelling, *WIDE_2023[1:]])
    assert pa.read_judgments(path, rubric).case_ids == ("C0", "C1")
    long = tmp_path / "long.csv"
    long.write_text(
        f"Title row\n{spelling},Question ID,Judgement\n"
        + "".join(f"C1,{q},yes\n" for q in rubric.question_ids),
        encoding="utf-8",
    )
    assert pa.read_judgments(long, rubric).tally()["P2.4.3"] == (1, 1)
    code, out, err = run(
        capsys, "score", "--rubric", "hmip-probation-2023", str(path),
        "--rating", "P1.1=Good", "--rating", "P1.2=Good", "--rating", "P1.3=Good",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "2 cases, rubric hmip-probation-2023" in out
    path = wide_csv(tmp_path, [spelling, *WIDE_2023])
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric)
    assert caught.value.lines() == [
        f"{path}:1: header repeats column {spelling.strip()!r} as 'case_id' (headers are read "
        "in any case, spaces collapsed)"
    ]


def test_case_id_headers_in_a_workbook_and_a_frame(tmp_path: Path, rubric: pa.Rubric) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        [[f"C{i}", *["yes"] * 12] for i in range(2)], columns=["Case ID", *WIDE_2023[1:]]
    )
    assert pa.read_judgments(frame, rubric).case_ids == ("C0", "C1")
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["SYNTHETIC audit"])
    sheet.append(["CASE_ID", *WIDE_2023[1:-1], "P2.4.3 Reviewing (risk)"])
    sheet.append(["C0", *["yes"] * 12])
    workbook.save(tmp_path / "cases.xlsx")
    sample = pa.read_judgments(tmp_path / "cases.xlsx", rubric)
    assert (sample.case_ids, sample.tally()["P2.4.3"]) == (("C0",), (1, 1))


# -- formula cells with no saved value --------------------------------------------------------

UNSAVED_HINT = (
    "the workbook was written by a program that does not calculate, so its formulas would read "
    "as blank: open it in Excel or LibreOffice and save it"
)


def formula_workbook(path: Path, rows: list[list[object]], saved: dict[str, str]) -> Path:
    """A SYNTHETIC workbook as a script writes it (formulas without values), then the cells in
    ``saved`` given the value a spreadsheet would save (typed text)."""
    import re
    import zipfile

    _, workbook = _sheet_workbook(path, rows)
    workbook.save(path)  # type: ignore[attr-defined]
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    xml = files[part].decode("utf-8")
    for ref, value in saved.items():
        xml = re.sub(
            rf'<c r="{ref}"><f>(.*?)</f><v\s*/>',
            rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>',
            xml,
        )
    files[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_formulas_with_no_saved_value_are_located_with_the_fix(
    tmp_path: Path, mini: pa.Rubric, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[object]] = [
        ["SYNTHETIC audit", "=1+1"],
        ["case_id", "S1.1", "S1.2", "S2.1"],
        ["C1", "yes", '=IF(TRUE,"no","yes")', "n/a"],
        ['="C2"', "no", '="yes"', '=""'],
    ]
    path = formula_workbook(tmp_path / "script.xlsx", rows, {})
    where = f"{path}[Cases]"
    expected = [
        f"{where}: hint: {UNSAVED_HINT}",
        f"{where}:3: case 'C1': cell Cases!C3 (column 'S1.2') holds a formula with no saved value",
        f"{where}:4: cell Cases!A4 (column 'case_id') holds a formula with no saved value",
        f"{where}:4: cell Cases!C4 (column 'S1.2') holds a formula with no saved value",
        f"{where}:4: cell Cases!D4 (column 'S2.1') holds a formula with no saved value",
    ]
    for missing in ("error", "not-relevant"):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(path, mini, missing=missing)
        assert caught.value.lines() == expected
    code, out, err = run(
        capsys, "score", "--rubric", str(DATA / "mini.toml"), str(path), "--missing",
        "not-relevant",
    )  # fmt: skip
    assert (code, out, err) == (1, "", "\n".join(expected) + "\n")
    # Saved as a spreadsheet saves it: each formula's value is read (the empty text too).
    saved = formula_workbook(
        tmp_path / "saved.xlsx", rows, {"C3": "no", "A4": "C2", "C4": "yes", "D4": ""}
    )
    sample = pa.read_judgments(saved, mini, missing="not-relevant")
    assert sample.case_ids == ("C1", "C2")
    assert sample.codes.tolist() == [[1, 0, -1], [0, 1, -1]]


def test_a_flood_of_formulas_is_counted_with_the_fix_said_once(
    tmp_path: Path, mini: pa.Rubric, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script's workbook whose prompt-like column holds only formulas: past the summary's
    threshold one line counts them with the fix, then one line per cell, no hint repeated."""
    from probation_audit.errors import SUMMARY_FROM

    for cases in (SUMMARY_FROM, SUMMARY_FROM + 1):
        rows: list[list[object]] = [["case_id", "S1.1", "S1.2", "S2.1", "team"]]
        rows += [[f"C{i}", "yes", "no", "n/a", "=A2"] for i in range(cases)]
        path = formula_workbook(tmp_path / f"script{cases}.xlsx", rows, {})
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(path, mini)
        lines = caught.value.lines()
        where = f"{path}[Cases]"
        first = (
            f"{where}: hint: {UNSAVED_HINT}"
            if cases == SUMMARY_FROM
            else f"{where}: {cases} problems: {cases} cells hold formulas with no saved value "
            f"({UNSAVED_HINT})"
        )
        assert lines[:2] == [
            first,
            f"{where}:2: case 'C0': cell Cases!E2 (column 'team') holds a formula with no saved "
            "value",
        ]
        assert len(lines) == cases + 1
        assert sum("open it in Excel" in line for line in lines) == 1


# -- a flood of one problem -------------------------------------------------------------------


def test_a_flood_opens_with_each_kind_counted_and_suggests_once_per_id(
    tmp_path: Path, rubric: pa.Rubric, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    path = tmp_path / "other.csv"
    rows = "".join(f"C{c},9.{q}.1,yes\n" for c in range(2000) for q in range(5))
    path.write_text("case_id,question_id,judgment\n" + rows, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric)
    assert time.perf_counter() - start < 10
    lines = caught.value.lines()
    assert lines[0] == (
        f"{path}: 12,000 problems: 10,000 rows name question ids the rubric lacks (9.0.1, "
        "9.1.1, 9.2.1, ... (5 in all); is the file for another rubric than "
        "'hmip-probation-2023'?); 2,000 cases lack answers (their answers may be the rows "
        "naming ids the rubric lacks)"
    )
    # No hint to treat the gaps as 'not relevant': the rows the rubric lacks explain them.
    assert not any("--missing" in line for line in lines)
    assert lines[1].startswith(f"{path}:2: case 'C0': unknown question id '9.0.1'")
    assert lines[-1] == f"{path}: ... and 11,000 more problems (1,000 are shown)"
    code, out, err = run(capsys, "score", "--rubric", "hmip-probation-2023", str(path))
    assert (code, out, err.splitlines()[0]) == (1, "", lines[0])


# -- a header naming an id another way ----------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "ids", "named"),
    [
        ("2.1.1", ("P2.1.1", "P2.1.2"), "P2.1.1"),  # the id less its prefix
        (" 2.1.2 ", ("P2.1.1", "P2.1.2"), "P2.1.2"),
        ("KQ P2.1.1", ("P2.1.1",), "P2.1.1"),  # the id as a word
        ("notes (p2.1.1.a)", ("P2.1.1", "P2.1.1.a"), "P2.1.1.a"),
        ("KQ2.1.1", ("P2.1.1",), "P2.1.1"),  # a word ending with the id less its prefix
        ("Q_2.1.1:", ("P2.1.1",), "P2.1.1"),
        ("2.1.1 answer", ("P2.1.1",), "P2.1.1"),
        ("1", ("Q1",), "Q1"),  # one number: the whole header only
        ("tier 1", ("Q1",), None),
        ("v1", ("Q1",), None),
        ("12.1.1", ("P2.1.1",), None),  # another number, not an id's end
        ("3.2.1.1", ("P2.1.1",), None),
        ("x.2.1.1", ("P2.1.1",), None),
        ("2024-01-05", ("P2.1.1",), None),
        ("age 18-24", ("S18.24",), None),
        ("team", ("P2.1.1",), None),
    ],
)
def test_a_header_naming_an_id_another_way_is_found(
    header: str, ids: tuple[str, ...], named: str | None
) -> None:
    from probation_audit._names import mentioned_id

    assert mentioned_id(header, ids) == named
