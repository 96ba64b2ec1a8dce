"""A plain CSV file read from its numpy-coded columns (``csvfiles.plain_sample``, which
``read_csv`` tries first) gives what the table path (row by row, no vectorised code) gives: the same sample, or the same
error lines, for long and wide files, quoted or not, in UTF-8 or cp1252, with attributes,
gaps, repeats, bad cells and bad ids."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import probation_audit as pa
from probation_audit import _csvfiles as csvfiles
from probation_audit._tables import sample_from_table

from ..conftest import DATA, examples

MINI = pa.load_rubric(DATA / "mini.toml")
QUESTIONS = ["S1.1", "S1.2", "S2.1"]
ANSWERS = ["yes", "no", "n/a", "Yes", "N", "not relevant", "", " yes", "maybe"]
IDS = ["C1", "C2", "C3", "C 4", "", " C5", "Total"]
TEAMS = ["North", "South, East", 'Team "A"', "Équipe"]
QUOTING: dict[str, Literal[0, 1]] = {"minimal": csv.QUOTE_MINIMAL, "all": csv.QUOTE_ALL}


def _outcome(read: Any) -> object:
    try:
        sample = read()
    except pa.AuditErrors as errors:
        return errors.lines()
    return (sample, sample.source, sample.notes)


@settings(max_examples=examples(200), deadline=None)
@given(
    long=st.booleans(),
    rows=st.lists(
        st.tuples(
            st.sampled_from(IDS),
            st.lists(st.sampled_from(ANSWERS), min_size=3, max_size=3),
            st.sampled_from(TEAMS),
        ),
        min_size=1,
        max_size=15,
    ),
    attribute=st.booleans(),
    quoting=st.sampled_from(sorted(QUOTING)),
    crlf=st.booleans(),
    encoding=st.sampled_from([None, "cp1252"]),
    missing=st.sampled_from(["error", "not-relevant"]),
    drop=st.integers(0, 40),
    split=st.integers(-1, 3),
    title=st.booleans(),
    layout=st.sampled_from(["auto", "long", "wide"]),
)
def test_plain_files_read_as_the_row_readers_read_them(
    tmp_path_factory: pytest.TempPathFactory,
    long: bool,
    rows: list[tuple[str, list[str], str]],
    attribute: bool,
    quoting: str,
    crlf: bool,
    encoding: str | None,
    missing: Literal["error", "not-relevant"],
    drop: int,
    split: int,
    title: bool,
    layout: Literal["auto", "long", "wide"],
) -> None:
    if long:
        table = [["case_id", "question_id", "judgment", *(["team"] if attribute else [])]]
        for n, (case, answers, team) in enumerate(rows):
            for q, answer in zip(QUESTIONS, answers, strict=True):
                # Now and then a case's last row gives another team: an error to report.
                other = q == QUESTIONS[-1] and n == split
                value = TEAMS[(TEAMS.index(team) + 1) % len(TEAMS)] if other else team
                table.append([case, q, answer, *([value] if attribute else [])])
        if 1 < drop < len(table):
            del table[drop]  # a gap, unless another row repeats it
    else:
        table = [["case_id", *QUESTIONS, *(["team"] if attribute else [])]]
        table += [[case, *answers, *([team] if attribute else [])] for case, answers, team in rows]
    if title:
        table.insert(0, ["Case audit, May (SYNTHETIC)"])
    text = io.StringIO(newline="")
    csv.writer(text, quoting=QUOTING[quoting], lineterminator="\r\n" if crlf else "\n").writerows(
        table
    )
    path = tmp_path_factory.mktemp("plain") / "cases.csv"
    path.write_bytes(text.getvalue().encode(encoding or "utf-8"))

    def plain() -> pa.Sample:
        return pa.read_csv(path, MINI, missing=missing, encoding=encoding, layout=layout)

    def rowwise() -> pa.Sample:  # the table path alone: no vectorised code is shared
        decoded = csvfiles.read_csv_text(path, encoding=encoding)
        table = csvfiles.csv_table(decoded, source=str(path))
        return sample_from_table(table, MINI, missing=missing, layout=layout)

    assert _outcome(plain) == _outcome(rowwise)


def test_the_numpy_path_is_what_reads_a_clean_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So that the property above compares two paths, not one with itself."""
    wide = tmp_path / "wide.csv"
    wide.write_text('case_id,S1.1,S1.2,S2.1,team\nC1,yes,no,n/a,"South, East"\n', encoding="utf-8")
    long = tmp_path / "long.csv"
    long.write_text(
        "case_id,question_id,judgment\n" + "".join(f"C1,{q},yes\n" for q in QUESTIONS),
        encoding="utf-8",
    )

    def no_rows(*args: object) -> None:
        raise AssertionError("the row path ran")

    monkeypatch.setattr(csvfiles, "parse_csv", no_rows)
    assert pa.read_csv(wide, MINI).attributes == (("South, East",),)
    assert pa.read_csv(long, MINI).codes.tolist() == [[1, 1, 1]]


@pytest.mark.parametrize("marks", [0, 1, 2, 3])
@pytest.mark.parametrize("encoding", [None, "utf-8", "utf-8-sig"])
def test_byte_order_marks_read_as_the_table_path_reads_them(
    tmp_path: Path, marks: int, encoding: str | None
) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(b"\xef\xbb\xbf" * marks + b"case_id,S1.1,S1.2,S2.1\nC1,yes,no,n/a\n")

    def table_path() -> pa.Sample:
        decoded = csvfiles.read_csv_text(path, encoding=encoding)
        return sample_from_table(csvfiles.csv_table(decoded, source=str(path)), MINI)

    assert _outcome(lambda: pa.read_csv(path, MINI, encoding=encoding)) == _outcome(table_path)
