from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import probation_audit as pa
from probation_audit.errors import MAX_ERRORS
from probation_audit.judgments import SPELLINGS, Judgment

from ._helpers import WIDE_2023, _sheet_workbook, _wide_file
from .conftest import DATA, EXAMPLE_CASES, GOLDEN

JUDGMENT_CASES = sorted((GOLDEN / "judgments").glob("*.csv"))

FULL = {"S1.1": "yes", "S1.2": "no", "S2.1": "not relevant"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", Judgment.YES),
        ("Y", Judgment.YES),
        (" YES ", Judgment.YES),
        ("no", Judgment.NO),
        ("n", Judgment.NO),
        ("N/A", Judgment.NOT_RELEVANT),
        ("na", Judgment.NOT_RELEVANT),
        ("Not  Relevant", Judgment.NOT_RELEVANT),
        ("not applicable", Judgment.NOT_RELEVANT),
        ("nr", Judgment.NOT_RELEVANT),
        (Judgment.NO, Judgment.NO),
    ],
)
def test_spellings(text: object, expected: Judgment) -> None:
    assert pa.parse_judgment(text) is expected


@pytest.mark.parametrize("text", ["", "maybe", "1", "true", "yes please", 1, None, True])
def test_rejected_spellings(text: object) -> None:
    assert pa.parse_judgment(text) is None


def test_spellings_cover_every_judgment() -> None:
    assert set(SPELLINGS.values()) == set(Judgment)


def test_records_wide_array_agree(mini: pa.Rubric) -> None:
    wide = {"C1": FULL, "C2": {"S1.1": "n", "S1.2": "y", "S2.1": "Yes"}}
    records = [
        {"case_id": c, "question_id": q, "judgment": j}
        for c, a in wide.items()
        for q, j in a.items()
    ]
    a = pa.from_wide(wide, mini)
    b = pa.from_records(records, mini)
    c = pa.from_array(
        np.array([[1, 0, -1], [0, 1, 1]]), ["C1", "C2"], ["S1.1", "S1.2", "S2.1"], mini
    )
    assert a == b == c
    assert a.tally() == {"S1.1": (1, 2), "S1.2": (1, 2), "S2.1": (1, 1)}
    assert a.answer("C1", "S2.1") is Judgment.NOT_RELEVANT


def test_missing_as_not_relevant(mini: pa.Rubric) -> None:
    with pytest.raises(pa.AuditErrors):
        pa.from_wide({"C1": {"S1.1": "yes"}}, mini)
    sample = pa.from_wide({"C1": {"S1.1": "yes"}}, mini, missing="not-relevant")
    assert sample.tally() == {"S1.1": (1, 1), "S1.2": (0, 0), "S2.1": (0, 0)}


BLANKS = "case_id,S1.1,S1.2,S2.1\nC1,yes,,no\nC2,yes,no,\nC3,,no,\nC4,yes,yes,yes\n"
BLANKS_NOTE = (
    "4 blank answers to key questions were counted as 'not relevant' (missing: not-relevant): "
    "S1.1 in case C3; S1.2 in case C1; S2.1 in 2 cases (C2, C3)"
)


def test_blanks_counted_as_not_relevant_are_noted_on_every_path(
    mini: pa.Rubric, tmp_path: Path
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(BLANKS, encoding="utf-8")
    rows = [line.split(",") for line in BLANKS.splitlines()[1:]]
    wide = {r[0]: dict(zip(("S1.1", "S1.2", "S2.1"), r[1:], strict=True)) for r in rows}
    records = [
        {"case_id": c, "question_id": q, "judgment": j}
        for c, a in wide.items()
        for q, j in a.items()
        if j
    ]
    codes = np.ma.masked_equal([[{"yes": 1, "no": 0, "": 9}[j] for j in r[1:]] for r in rows], 9)
    samples = {
        "csv": pa.read_judgments(path, mini, missing="not-relevant"),
        "wide": pa.from_wide(wide, mini, missing="not-relevant"),
        "records": pa.from_records(records, mini, missing="not-relevant"),
        "array": pa.from_array(
            codes, list(wide), ["S1.1", "S1.2", "S2.1"], mini, missing="not-relevant"
        ),
    }
    for name, sample in samples.items():
        assert sample.notes == (BLANKS_NOTE,), name
        assert sample.answer("C3", "S1.1") is Judgment.NOT_RELEVANT


def test_the_blanks_note_counts_one_and_cuts_long_lists(mini: pa.Rubric) -> None:
    one = pa.from_wide({"C1": {"S1.1": "yes", "S1.2": "no"}}, mini, missing="not-relevant")
    assert one.notes == (
        "1 blank answer to key questions was counted as 'not relevant' (missing: not-relevant): "
        "S2.1 in case C1",
    )
    full = {"S1.1": "yes", "S1.2": "no", "S2.1": "n/a"}
    assert pa.from_wide({"C1": full}, mini, missing="not-relevant").notes == ()
    many = {f"C{i}": {"S1.1": "yes", "S1.2": "no"} for i in range(1, 8)}
    (note,) = pa.from_wide(many, mini, missing="not-relevant").notes
    assert note.endswith("S2.1 in 7 cases (C1, C2, C3, C4, C5, C6, ...)")
    assert note.startswith("7 blank answers")
    six = {f"C{i}": {"S1.1": "yes", "S1.2": "no"} for i in range(1, 7)}
    assert (
        pa.from_wide(six, mini, missing="not-relevant")
        .notes[0]
        .endswith("S2.1 in 6 cases (C1, C2, C3, C4, C5, C6)")
    )


def test_missing_option_checked(mini: pa.Rubric) -> None:
    with pytest.raises(ValueError, match="missing must be one of"):
        pa.from_wide({"C1": FULL}, mini, missing="ignore")  # type: ignore[arg-type]


def test_identical_duplicate_is_accepted(mini: pa.Rubric) -> None:
    records = [{"case_id": "C1", "question_id": q, "judgment": j} for q, j in FULL.items()]
    sample = pa.from_records(
        [*records, {"case_id": "C1", "question_id": "S1.1", "judgment": "YES"}], mini
    )
    assert sample.tally()["S1.1"] == (1, 1)


def test_record_errors_all_reported(mini: pa.Rubric) -> None:
    records: list[object] = [
        {"case_id": "C1", "question_id": "S1.1", "judgment": "yes"},
        {"case_id": "C1", "question_id": "S1.2"},
        {"case_id": 7, "question_id": "S1.2", "judgment": "no"},
        "not a mapping",
        {"case_id": "C1", "question_id": "S1.2", "judgment": "probably"},
        {"case_id": "C1", "question_id": "S2.1", "judgment": "no"},
    ]
    with pytest.raises(pa.AuditErrors) as info:
        pa.from_records(records, mini)  # type: ignore[arg-type]
    assert info.value.lines() == [
        "records[1]: missing 'judgment'",
        "records[2]: case_id must be a non-empty string, found int 7",
        "records[3]: expected a mapping, found str",
        "records[4]: case 'C1', question 'S1.2': invalid judgment 'probably' (expected one of "
        "'yes', 'y', 'no', 'n', 'not relevant', 'not applicable', 'n/a', 'na', 'nr', any case)",
    ]


def test_records_carry_attributes(mini: pa.Rubric) -> None:
    records = [
        {"case_id": "C1", "question_id": q, "judgment": j, "sex": "female"} for q, j in FULL.items()
    ]
    sample = pa.from_records(records, mini)
    assert sample.attribute_names == ("sex",)
    assert sample.attribute("C1", "sex") == "female"


def test_wide_attributes_and_unknown_case(mini: pa.Rubric) -> None:
    sample = pa.from_wide({"C1": FULL}, mini, attributes={"C1": {"risk": "high"}})
    assert sample.attribute("C1", "risk") == "high"
    with pytest.raises(
        pa.AuditErrors, match="case 'C9': attributes given for a case with no judgments"
    ):
        pa.from_wide({"C1": FULL}, mini, attributes={"C9": {"risk": "high"}})


def test_empty_input(mini: pa.Rubric) -> None:
    with pytest.raises(pa.AuditErrors, match="no case judgments found"):
        pa.from_records([], mini)


def test_csv_long_and_wide_agree(mini: pa.Rubric, tmp_path: Path) -> None:
    long = tmp_path / "long.csv"
    long.write_text(
        "case_id,question_id,judgment,sentence_type\n"
        "C1,S1.1,yes,licence\nC1,S1.2,no,licence\nC1,S2.1,n/a,licence\n",
        encoding="utf-8",
    )
    wide = tmp_path / "wide.csv"
    wide.write_bytes(
        "\ufeffcase_id,sentence_type,S1.1,S1.2,S2.1\r\nC1,licence,Yes,No,N/A\r\n".encode()
    )
    a = pa.read_csv(long, mini)
    b = pa.read_csv(wide, mini)
    assert a == b
    assert a.attribute("C1", "sentence_type") == "licence"


def test_csv_layout_forced(mini: pa.Rubric, tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,no,no\n", encoding="utf-8")
    with pytest.raises(
        pa.AuditErrors,
        match="missing header: expected columns case_id,question_id,judgment; no question_id, judgment",
    ):
        pa.read_csv(wide, mini, layout="long")


def test_csv_unreadable(mini: pa.Rubric, tmp_path: Path) -> None:
    with pytest.raises(pa.AuditErrors, match="cannot read file"):
        pa.read_csv(tmp_path / "absent.csv", mini)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"case_id,S1.1\nC\xe9,yes\n")
    with pytest.raises(pa.AuditErrors, match="not UTF-8"):
        pa.read_csv(bad, mini)


@pytest.mark.parametrize("path", JUDGMENT_CASES, ids=lambda p: p.stem)
def test_golden_judgment_errors(mini: pa.Rubric, path: Path, tmp_path: Path) -> None:
    expected = path.with_suffix(".errors").read_text(encoding="utf-8").splitlines()
    # Read through the file path, as a user would; the error lines name the file.
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    with pytest.raises(pa.AuditErrors) as info:
        pa.read_csv(copy, mini)
    lines = [line.replace(str(copy), path.name) for line in info.value.lines()]
    assert lines == expected


def test_example_sample(rubric: pa.Rubric) -> None:
    sample = pa.read_csv(EXAMPLE_CASES, rubric)
    assert len(sample) == 70
    kinds = [sample.attribute(c, "sentence_type") for c in sample.case_ids]
    assert kinds.count("community order") == 45
    assert kinds.count("licence") == 25


def test_example_licence_cases_assessed_better(rubric: pa.Rubric) -> None:
    sample = pa.read_csv(EXAMPLE_CASES, rubric)
    kind = np.array([sample.attribute(c, "sentence_type") for c in sample.case_ids])
    yes = sample.codes == 1
    for j, qid in enumerate(sample.question_ids):
        licence = yes[kind == "licence", j].mean()
        community = yes[kind == "community order", j].mean()
        if qid.startswith("P2.1."):
            assert licence > community, qid
        if qid.startswith("P2.3."):
            assert licence < community, qid


def test_sample_is_read_only_and_round_trips(rubric: pa.Rubric) -> None:
    sample = pa.read_csv(EXAMPLE_CASES, rubric)
    with pytest.raises(ValueError):
        sample.codes[0, 0] = 0
    assert pa.from_records(sample.to_records(), rubric) == sample


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


def test_a_total_row_gets_its_own_message(tmp_path: Path, rubric: pa.Rubric) -> None:
    path = _wide_file(tmp_path, WIDE_2023, rows=3)
    with path.open("a", encoding="utf-8") as fp:
        fp.write("Total," + ",".join(["3"] * 12) + "\n")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(path, rubric)
    assert caught.value.lines() == [
        f"{path}:5:1: case_id 'Total' looks like a summary row, not a case "
        "(delete totals and averages from below the cases)"
    ]
    # Even when its cells happen to be judgments, a Total row is not taken as a case.
    path = _wide_file(tmp_path, WIDE_2023, rows=1)
    with path.open("a", encoding="utf-8") as fp:
        fp.write("Totals," + ",".join(["yes"] * 12) + "\n")
    with pytest.raises(pa.AuditErrors, match="'Totals' looks like a summary row"):
        pa.read_judgments(path, rubric)


def test_true_and_false_are_refused_in_every_format(tmp_path: Path, mini: pa.Rubric) -> None:
    path, workbook = _sheet_workbook(
        tmp_path / "bools.xlsx",
        [["case_id", "S1.1", "S1.2", "S2.1"], ["C1", True, False, "n/a"]],
    )
    workbook.save(path)  # type: ignore[attr-defined]
    csv_path = tmp_path / "bools.csv"
    csv_path.write_text("case_id,S1.1,S1.2,S2.1\nC1,TRUE,FALSE,n/a\n", encoding="utf-8")
    for source, where, cell in (
        (path, f"{path}[Cases]:2", "cell Cases!B2: "),
        (csv_path, f"{csv_path}:2", ""),
    ):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.read_judgments(source, mini)
        first = caught.value.lines()[0]
        assert first.startswith(
            f"{where}: case 'C1', question 'S1.1': {cell}invalid judgment 'TRUE' "
        )
        assert "a TRUE/FALSE cell cannot say 'not relevant'" in first


def test_sample_repr_is_one_short_line() -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    sample = pa.from_wide({"C1": dict.fromkeys(rubric.question_ids, "yes")}, rubric)
    assert repr(sample) == "<Sample: 1 cases x 12 key questions and 23 prompts>"
    full = pa.read_csv(EXAMPLE_CASES, rubric)
    text = repr(full)
    assert text.startswith(f"<Sample: {len(full)} cases x 12 key questions")
    assert len(text) < 300 and "\n" not in text and f"from {full.source}>" in text


def test_a_sample_shows_its_tallies_as_a_notebook_table(mini: pa.Rubric) -> None:
    records = [
        {"case_id": "C1", "question_id": "S1.1", "judgment": "yes", "team": "<North>"},
        {"case_id": "C1", "question_id": "S1.2", "judgment": "no", "team": "<North>"},
        {"case_id": "C1", "question_id": "S2.1", "judgment": "n/a", "team": "<North>"},
        {"case_id": "C2", "question_id": "S1.1", "judgment": "no", "team": "South"},
        {"case_id": "C2", "question_id": "S1.2", "judgment": "no", "team": "South"},
        {"case_id": "C2", "question_id": "S2.1", "judgment": "n/a", "team": "South"},
    ]
    shown = pa.from_records(records, mini)._repr_html_()
    assert "<strong>Sample: 2 cases x 3 key questions</strong>" in shown
    assert "attributes: team" in shown and "&lt;North&gt;" not in shown  # tallies, not cases
    cells = [c.split(">", 1)[1].split("</td>", 1)[0] for c in shown.split("<td")[1:]]
    assert cells == [
        "S1.1", "1", "2", "50.0%",
        "S1.2", "0", "2", "0.0%",
        "S2.1", "0", "0", "-",
    ]  # fmt: skip


def test_gaps_beside_ids_the_rubric_lacks_get_no_hint_to_drop_them(mini: pa.Rubric) -> None:
    """A row naming an id the rubric lacks may hold the answer a gap lacks: the hint to treat
    gaps as 'not relevant' (an option that drops data) is not given then; without such rows,
    it is."""
    from probation_audit.judgments import MISSING_HINT, from_records

    def lines(*qids: str) -> list[str]:
        records = [{"case_id": "C1", "question_id": q, "judgment": "yes"} for q in qids]
        with pytest.raises(pa.AuditErrors) as caught:
            from_records(records, mini)
        return caught.value.lines()

    gap = "records[0]: case 'C1', question 'S1.2': no answer for question S1.2"
    assert lines("S1.1", "S1.9", "S2.1") == [
        "records[1]: case 'C1': unknown question id 'S1.9' (did you mean 'S1.2'? rubric 'mini' "
        "has S1.1, S1.2, S2.1)",
        gap,
    ]
    assert lines("S1.1", "S2.1") == [f"hint: {MISSING_HINT}", gap]


def test_a_file_with_no_judgments_yet_is_said_in_one_line(
    tmp_path: Path, rubric: pa.Rubric
) -> None:
    # A template not filled in: one line, not one per case, and no advice to count blanks as
    # not relevant (which would rate nothing).
    header = "case_id," + ",".join(rubric.question_ids)
    blank = tmp_path / "blank.csv"
    blank.write_text(header + "\n" + "".join(f"C{i}," + "," * 11 + "\n" for i in range(25)))
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score(rubric, blank)
    assert [str(e) for e in caught.value.errors] == [
        f"{blank}: no judgments yet: none of the 25 cases has an answer to any key question "
        "(fill in yes, no or not relevant for each case)"
    ]
    one = tmp_path / "one.csv"
    one.write_text(header + "\nC1," + "," * 11 + "\n")
    with pytest.raises(pa.AuditErrors, match="the one case has an answer to any"):
        pa.score(rubric, one)
    # One answer anywhere: the cases that lack answers are each located, as before.
    started = tmp_path / "started.csv"
    started.write_text(
        header + "\nC1,yes" + "," * 11 + "\n" + "".join(f"C{i}," + "," * 11 + "\n" for i in (2, 3))
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score(rubric, started)
    lines = [str(e) for e in caught.value.errors]
    assert f"{started}:2: case 'C1': no answer for questions P2.1.2" in lines[-3]
    assert lines[-1].startswith(f"{started}:4: case 'C3': no answer for questions P2.1.1,")
