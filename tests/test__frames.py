"""Tests of probation_audit._frames: data frames as judgments."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import probation_audit as pa
from probation_audit._frames import frame_table
from probation_audit._tables import sample_from_table
from probation_audit.judgments import MISSING_HINT

NAN_HINT = "read the file with keep_default_na=False"
ANSWERS = "case_id,S1.1,S1.2,S2.1\nC1,yes,no,N/A\nC2,yes,yes,yes\n"


def _refused(frame: Any, rubric: pa.Rubric, **options: Any) -> list[str]:
    with pytest.raises(pa.AuditErrors) as caught:
        pa.read_judgments(frame, rubric, **options)
    return caught.value.lines()


#: What to do about any gap: said once beside every refusal with gaps, whatever the source.
GAP_HINT = f"<DataFrame>: hint: {MISSING_HINT}"


def _hints(lines: list[str]) -> list[str]:
    """The frame's own hints (the gap hint every source gets left out)."""
    return [line for line in lines if line.startswith("<DataFrame>: hint: ") and line != GAP_HINT]


def test_nan_in_a_data_frame_says_how_pandas_made_it(tmp_path: Path, mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "cases.csv"
    path.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,no,N/A\n", encoding="utf-8")
    hint, general, line = _refused(pandas.read_csv(path), mini)
    assert general == GAP_HINT  # what to do about any gap, after the frame's own cause
    assert hint.startswith("<DataFrame>: hint: the frame has missing cells (NaN or pd.NA)")
    assert hint.endswith(NAN_HINT)
    assert line.startswith("<DataFrame>:2: case 'C1', question 'S2.1': no answer")
    assert NAN_HINT not in line
    assert pa.read_judgments(pandas.read_csv(path, keep_default_na=False), mini).codes.tolist() == [
        [1, 0, -1]
    ]


def test_the_nan_hint_is_said_once_however_many_cases_lack_answers(mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    text = "case_id,S1.1,S1.2,S2.1\n" + "".join(f"C{i},yes,no,N/A\n" for i in range(1500))
    lines = _refused(pandas.read_csv(io.StringIO(text)), mini)
    assert sum(NAN_HINT in line for line in lines) == 1
    # The cause opens the flood, in its count (said there alone); then what to do about gaps.
    assert lines[0] == (
        "<DataFrame>: 1,500 problems: 1,500 cases lack answers (the frame has missing cells (NaN "
        "or pd.NA): pandas reads the text N/A (and NA, n/a, blank) as missing, so read the file "
        "with keep_default_na=False)"
    )
    assert _hints(lines) == []
    assert lines[1] == GAP_HINT
    # Split by a column (score_groups), the count says the cause as well.
    frame = pandas.read_csv(io.StringIO(text)).assign(team="A")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(mini, frame, by="team", casework_only=True)
    assert caught.value.lines()[:2] == [lines[0], GAP_HINT]


@pytest.mark.parametrize("backend", ["numpy_nullable", "pyarrow"])
def test_the_nan_hint_on_pandas_extension_columns(mini: pa.Rubric, backend: str) -> None:
    pandas = pytest.importorskip("pandas")
    if backend == "pyarrow":
        pytest.importorskip("pyarrow")
    frame = pandas.read_csv(io.StringIO(ANSWERS), dtype_backend=backend)
    (hint,) = _hints(_refused(frame, mini))
    assert hint.endswith(NAN_HINT)


def test_the_nan_hint_in_long_layout_and_by_group(mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    long = "case_id,question_id,judgment\nC1,S1.1,yes\nC1,S1.2,N/A\nC1,S2.1,no\n"
    lines = _refused(pandas.read_csv(io.StringIO(long)), mini)
    assert _hints(lines)[0].endswith(NAN_HINT)
    assert (
        lines[1]
        == "<DataFrame>:3: case 'C1', question 'S1.2': blank judgment (a long-form row must give one)"
    )
    grouped = "inspection," + ANSWERS.replace("\n", "\nA,", 1).replace("\nC2", "\nB,C2")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(mini, pandas.read_csv(io.StringIO(grouped)), by="inspection")
    assert [line for line in caught.value.lines() if NAN_HINT in line] == _hints(lines)


@pytest.mark.parametrize("kind", ["polars", "pyarrow", "duckdb"])
def test_nulls_from_other_libraries_get_their_own_hint(mini: pa.Rubric, kind: str) -> None:
    pandas = pytest.importorskip("pandas")
    library = pytest.importorskip(kind)
    frame = pandas.read_csv(io.StringIO(ANSWERS))
    if kind == "polars":
        converted: object = library.from_pandas(frame)
    elif kind == "pyarrow":
        converted = library.Table.from_pandas(frame)
    else:
        converted = library.sql("select * from frame")
    (hint,) = _hints(_refused(converted, mini))
    assert hint == (
        "<DataFrame>: hint: the frame has null cells: if the text N/A became null when the file "
        "was read (pandas does this unless keep_default_na=False), read it so that N/A stays text"
    )


def test_no_hint_on_problems_missing_cells_do_not_explain(mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(ANSWERS.replace("C2,yes,yes,yes", "C2,maybe,yes,yes")))
    frame.loc[0, "S2.1"] = "n/a"  # NaN elsewhere is gone: the only problem is the bad word
    assert _hints(_refused(frame, mini)) == []
    frame.loc[0, "S2.1"] = None
    assert len(_hints(_refused(frame, mini))) == 1


def test_a_frame_read_as_booleans_is_told_to_read_them_as_text(mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    text = "case_id,S1.1,S1.2,S2.1,on_licence\nC1,yes,no,yes,no\n"
    as_booleans = {"true_values": ["yes"], "false_values": ["no"]}
    frame = pandas.read_csv(io.StringIO(text), **as_booleans)
    assert frame["S1.1"].dtype == bool
    (hint,) = _hints(_refused(frame, mini))
    assert hint.startswith(
        "<DataFrame>: hint: columns 'S1.1', 'S1.2', 'S2.1' and 1 more read as booleans (True/False)"
    )
    assert "read them as text (pandas dtype=str" in hint
    as_text = pandas.read_csv(io.StringIO(text), dtype=str)
    assert pa.read_judgments(as_text, mini).codes.tolist() == [[1, 0, 1]]
    # A boolean attribute alone: the frame is read, no hint needed.
    attribute = pandas.read_csv(
        io.StringIO(text),
        true_values=["yes"],
        false_values=["no"],
        dtype={"S1.1": str, "S1.2": str, "S2.1": str},
    )
    assert pa.read_judgments(attribute, mini).attributes == (("False",),)


def test_a_duckdb_boolean_column_gets_the_same_hint(mini: pa.Rubric) -> None:
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    relation = duckdb.sql(
        """select 'C1' as case_id, 'yes' as "S1.1", true as "S1.2", 'no' as "S2.1" """
    )
    (hint,) = _hints(_refused(relation, mini))
    assert hint.startswith("<DataFrame>: hint: column 'S1.2' read as booleans")


def test_a_frame_of_codes_is_pointed_to_from_array(mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"case_id": ["C1", "C2"], "S1.1": [1, 0], "S1.2": [-1, 1], "S2.1": [0, 0]}
    )
    (hint,) = _hints(_refused(frame, mini))
    assert hint == (
        "<DataFrame>: hint: columns 'S1.1', 'S1.2', 'S2.1' hold 1/0/-1 codes: map them to "
        "yes/no/not relevant, or give the codes to pa.from_array"
    )
    sample = pa.from_array(
        frame[["S1.1", "S1.2", "S2.1"]].to_numpy(), ["C1", "C2"], ["S1.1", "S1.2", "S2.1"], mini
    )
    assert sample.codes.tolist() == [[1, -1, 0], [0, 1, 0]]
    # Codes in a column where 2 is found too are not 1/0/-1 codes: no hint.
    frame.loc[1, "S1.1"] = 2
    frame[["S1.2", "S2.1"]] = "yes"
    assert _hints(_refused(frame, mini)) == []


def test_a_frame_indexed_by_case_id_is_told_to_reset_the_index(mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(ANSWERS), keep_default_na=False).set_index("case_id")
    (hint,) = _hints(_refused(frame, mini))
    assert hint == (
        "<DataFrame>: hint: the frame's index is case_id, which is not read as a column: call "
        "reset_index() on the frame first"
    )
    assert len(pa.read_judgments(frame.reset_index(), mini)) == 2
    renamed = frame.rename_axis("Case ID")  # spelled as a header may be: the same hint
    assert len(_hints(_refused(renamed, mini))) == 1
    assert _hints(_refused(frame.rename_axis("case"), mini)) == []


def test_frame_table_keeps_the_gap_hint_on_its_table(mini: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    table = frame_table(
        pandas.read_csv(io.StringIO(ANSWERS.replace("C2,yes,yes,yes", "C2,,yes,yes")))
    )
    assert table.gap_hint is not None and table.gap_hint.endswith(NAN_HINT)
    with pytest.raises(pa.AuditErrors) as caught:
        sample_from_table(table, mini)
    first, general, *gaps = caught.value.lines()
    assert first.endswith(NAN_HINT) and general.endswith(f"hint: {MISSING_HINT}")
    assert len(gaps) == 2 and not any("hint" in gap for gap in gaps)  # each hint said once
    assert (
        frame_table(pandas.read_csv(io.StringIO(ANSWERS), keep_default_na=False)).gap_hint is None
    )


@pytest.mark.parametrize("kind", ["pandas", "pyarrow", "pandas-arrow"])
def test_columns_coded_on_threads_are_the_columns_coded_in_turn(mini: pa.Rubric, kind: str) -> None:
    pandas = pytest.importorskip("pandas")
    pyarrow = pytest.importorskip("pyarrow")
    from probation_audit import _frames

    # SYNTHETIC: a long file with a blank, a bad answer and a null among its cells.
    rows = [
        {"case_id": f"C{c}", "S1.1": "yes", "S1.2": "no" if c % 3 else "", "S2.1": "N/A"}
        for c in range(40)
    ]
    rows[7]["S2.1"] = "maybe"
    frame: Any = pandas.DataFrame(rows)
    frame.loc[11, "S1.1"] = None
    if kind != "pandas":
        frame = pyarrow.Table.from_pandas(frame, preserve_index=False)
    if kind == "pandas-arrow":
        frame = frame.to_pandas(types_mapper=pandas.ArrowDtype)
    found = []
    for threaded in (False, True):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_frames, "_THREADED_ROWS", 1 if threaded else 1 << 40)
            columns = _frames.frame_columns(frame)
            found.append(
                (
                    columns.header,
                    [(c.codes.tolist(), c.values) for c in columns.columns],
                    [h.text for h in columns.hints],
                    _refused(frame, mini),
                )
            )
    assert found[0] == found[1]
    assert "maybe" in found[0][1][3][1]  # the bad answer is among the coded values
