"""Many inspections at once: score_groups against the exact path per group."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

import probation_audit as pa
from probation_audit import _columns
from probation_audit import _csvfiles as csvfiles
from probation_audit import _frames as frames
from probation_audit._csvcolumns import code_columns
from probation_audit.rating import casework_only

RUBRIC = pa.load_rubric("hmip-probation-2023")
JUDGED = {"P1.1": "Requires improvement", "P1.2": "Inadequate", "P1.3": "Good"}


def _corpus(path: Path, inspections: int, seed: int = 1, shuffle: bool = False) -> list[list[str]]:
    """SYNTHETIC: inspections of 8-20 cases, case ids C01.. repeated across inspections."""
    rng = random.Random(seed)
    rows = []
    for i in range(inspections):
        quality = rng.random()
        for c in range(rng.randint(8, 20)):
            for q in RUBRIC.question_ids:
                draw = rng.random()
                judgment = "n/a" if draw < 0.1 else ("yes" if draw < 0.1 + 0.9 * quality else "no")
                rows.append([f"Unit {i:03d}", f"C{c:02d}", q, judgment])
    if shuffle:
        rng.shuffle(rows)
    path.write_text(
        "inspection,case_id,question_id,judgment\n" + "".join(",".join(r) + "\n" for r in rows),
        encoding="utf-8",
    )
    return rows


def _exact(rows: list[list[str]], unit: str, ratings: dict[str, str]) -> pa.Result:
    records = [{"case_id": c, "question_id": q, "judgment": j} for g, c, q, j in rows if g == unit]
    return pa.score(RUBRIC, records, ratings)


@pytest.mark.parametrize("shuffle", [False, True])
def test_score_groups_equals_the_exact_path_per_group(tmp_path: Path, shuffle: bool) -> None:
    path = tmp_path / "national.csv"
    rows = _corpus(path, 60, shuffle=shuffle)
    scores = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    assert scores.groups == tuple(sorted({r[0] for r in rows}))
    drivers = scores.driven_by()
    for g, unit in enumerate(scores.groups):
        exact = _exact(rows, unit, JUDGED)
        assert scores.cases[g] == exact.cases
        for s in exact.standards:
            assert scores.ratings.rating(g, s.id) == s.rating, (unit, s.id)
            if s.basis != "judged":
                assert drivers[s.id][g] == s.driven_by, (unit, s.id)
        assert exact.overall is not None
        assert scores.ratings.overall_rating(g) == exact.overall.rating
        assert scores.result(unit).standards == exact.standards


def test_the_table_path_gives_the_same_scores(tmp_path: Path) -> None:
    """A file the fast path does not take (an extra column) gives the same result."""
    path = tmp_path / "national.csv"
    rows = _corpus(path, 12)
    fast = pa.score_groups(RUBRIC, path)
    wider = tmp_path / "wider.csv"
    wider.write_text(
        "inspection,case_id,question_id,judgment,region\n"
        + "".join(",".join(r) + ",East\n" for r in rows),
        encoding="utf-8",
    )
    slow = pa.score_groups(RUBRIC, wider)
    assert fast.groups == slow.groups
    assert (fast.yes == slow.yes).all() and (fast.relevant == slow.relevant).all()
    assert fast.to_records() == slow.to_records()


def test_errors_are_located_and_groups_keep_their_case_ids(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "inspection,case_id,question_id,judgment\n"
        + "".join(f"A,C1,{q},yes\n" for q in RUBRIC.question_ids)
        + "".join(f"B,C1,{q},no\n" for q in RUBRIC.question_ids)
        + "B,C2,P2.1.1,maybe\n"
        + ",C3,P2.1.1,yes\n",
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(RUBRIC, path)
    lines = caught.value.lines()
    assert f"{path}:27: blank inspection (each row names its group)" in lines
    assert any(
        line.startswith(f"{path}:26: case 'C2', question 'P2.1.1': invalid judgment")
        for line in lines
    )


def test_ratings_per_group_from_a_table(tmp_path: Path) -> None:
    path = tmp_path / "national.csv"
    _corpus(path, 3)
    table = tmp_path / "judged.csv"
    table.write_text(
        "inspection,standard,rating\n"
        + "".join(
            f"Unit {i:03d},{sid},{label}\n"
            for i, label in enumerate(["Outstanding", "Good", "Inadequate"])
            for sid in ("P1.1", "P1.2", "P1.3")
        ),
        encoding="utf-8",
    )
    scores = pa.score_groups(RUBRIC, path, ratings=table)
    assert [scores.ratings.rating(g, "P1.1") for g in range(3)] == [
        "Outstanding",
        "Good",
        "Inadequate",
    ]
    assert scores.result("Unit 001").standard("P1.2").rating == "Good"
    bad = tmp_path / "judged-bad.csv"
    bad.write_text("inspection,standard,rating\nUnit 009,P1.1,Good\n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors, match="no judgments: Unit 009"):
        pa.score_groups(RUBRIC, path, ratings=bad)


def test_records_and_frame(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "national.csv"
    _corpus(path, 4)
    scores = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    frame = scores.to_frame()
    assert len(frame) == 4 * (len(RUBRIC.standards) + 1)
    assert set(frame["standard"]) == {*(s.id for s in RUBRIC.standards), "overall"}
    again = pa.score_groups(RUBRIC, pandas.read_csv(path, keep_default_na=False), ratings=JUDGED)
    assert again.to_records() == scores.to_records()
    with pytest.raises(ValueError, match="'lowest' aggregation"):
        pa.score_groups(pa.load_rubric("hmip-omi-2007"), path)
    with pytest.raises(TypeError, match="file path or a data frame"):
        pa.score_groups(RUBRIC, [1, 2])


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_the_two_csv_decoders_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line_end: str
) -> None:
    """numpy's decoder of plain files and the csv module's give the same coded columns, and
    so the same tallies and ratings, with LF or CRLF line ends; neither needs the locating
    path."""
    path = tmp_path / "national.csv"
    _corpus(path, 30, shuffle=True)
    path.write_bytes(path.read_text(encoding="utf-8").replace("\n", line_end).encode("utf-8"))
    fast = csvfiles.csv_columns(path)
    text = csvfiles.text_columns(path.read_text(encoding="utf-8"), source=str(path))
    assert isinstance(fast, _columns.Columns) and isinstance(text, _columns.Columns)
    assert fast.header == text.header and fast.rows == text.rows
    for a, b in zip(fast.columns, text.columns, strict=True):
        assert a.cells() == b.cells()

    monkeypatch.setattr(_columns, "_located_tallies", _no_table_path)
    numpy_read = pa.score_groups(RUBRIC, path, ratings=JUDGED)  # the default for a plain file
    monkeypatch.setattr(csvfiles, "code_columns", lambda *args, **kwargs: None)
    csv_read = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    assert numpy_read.groups == csv_read.groups
    assert (numpy_read.yes == csv_read.yes).all()
    assert (numpy_read.relevant == csv_read.relevant).all()
    assert numpy_read.to_records() == csv_read.to_records()
    # And both leave to the locating path what they do not take.
    monkeypatch.undo()
    path.write_text(
        "inspection,case_id,question_id,judgment\nA,C1,P2.1.1,maybe\n", encoding="utf-8"
    )
    with pytest.raises(pa.AuditErrors, match="invalid judgment 'maybe'"):
        pa.score_groups(RUBRIC, path)


def test_score_by_inspection_on_a_national_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from probation_audit.cli import main

    path = tmp_path / "national.csv"
    _corpus(path, 5)
    scores = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    assert scores.shared_case_ids
    ratings = [f"--rating={k}={v}" for k, v in JUDGED.items()]
    assert (
        main(
            ["score", str(path), "--rubric", "hmip-probation-2023", "--by", "inspection", *ratings]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        f"{path}: 5 groups by inspection, rubric hmip-probation-2023 from "
        "hmip-probation-2023.toml (bundled), rules 02ea540259dd "
    )
    assert out[2].split()[:3] == ["Unit", "000", str(int(scores.cases[0]))]
    assert out[2].endswith(str(scores.ratings.overall_rating(0)))
    assert (
        main(
            [
                "score",
                str(path),
                "--rubric",
                "hmip-probation-2023",
                "--by",
                "inspection",
                "--format",
                "csv",
                *ratings,
            ]
        )
        == 0
    )
    import csv as csv_module
    import io

    rows = list(csv_module.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5 * (len(RUBRIC.standards) + 1)
    assert rows[0]["inspection"] == "Unit 000" and rows[0]["rating"] == "Requires improvement"
    argv = ["score", str(path), "--rubric", "hmip-probation-2023", "--by", "inspection"]
    assert main([*argv, "--format", "json", *ratings]) == 0
    data = json.loads(capsys.readouterr().out)
    about = {k: data[k] for k in ("rubric", "rubric_file", "rubric_fingerprint")}
    assert about == {
        "rubric": "hmip-probation-2023",
        "rubric_file": "hmip-probation-2023.toml (bundled)",
        "rubric_fingerprint": "02ea540259dd",
    }


def test_casework_only_rates_the_case_based_standards_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """score_groups takes score's casework_only: no judged standard and no overall rating,
    in the records, in each group's exact result and through ``score --by``."""
    from probation_audit.cli import main

    path = tmp_path / "national.csv"
    rows = _corpus(path, 4, seed=21)
    scores = pa.score_groups(RUBRIC, path, casework_only=True)
    judged = {s.id for s in RUBRIC.standards if s.judged}
    records = scores.to_records()
    case_based = len(RUBRIC.standards) - len(judged)
    assert len(records) == 4 * case_based
    assert not {r["standard"] for r in records} & (judged | {"overall"})
    for name in scores.groups:
        exact = casework_only(RUBRIC, _exact(rows, name, {}))
        assert scores.result(name) == exact
        assert exact.overall is None
    with pytest.raises(ValueError, match="casework-only audit rates no judged standard"):
        pa.score_groups(RUBRIC, path, ratings=JUDGED, casework_only=True)
    argv = ["score", str(path), "--rubric", "hmip-probation-2023", "--by", "inspection"]
    assert main([*argv, "--casework-only"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "  casework-only audit: no judged standard and no overall rating"
    assert "overall" not in out[2] and not any(j in out[2] for j in judged)
    assert main([*argv, "--casework-only", "--format", "csv"]) == 0
    import csv as csv_module
    import io

    got = list(csv_module.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["standard"] for r in got] == [r["standard"] for r in records]


def test_question_records_are_each_groups_exact_records(tmp_path: Path) -> None:
    """Per group and key question, the columns and values of Result.to_records."""
    path = tmp_path / "national.csv"
    rows = _corpus(path, 6, seed=23)
    scores = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    got = scores.question_records()
    for name in scores.groups:
        mine = [{k: v for k, v in r.items() if k != "inspection"} for r in got]
        mine = [r for r, full in zip(mine, got, strict=True) if full["inspection"] == name]
        assert mine == _exact(rows, name, JUDGED).to_records()
    assert next(iter(got[0])) == "inspection"


def test_a_national_file_that_is_not_utf8_is_one_located_error(tmp_path: Path) -> None:
    """Found by the fuzzing suite: pyarrow's reader let a UnicodeDecodeError out."""
    path = tmp_path / "national.csv"
    path.write_bytes(b"\x80nspection,case_id,question_id,judgment\nA,C1,P2.1.1,yes\n")
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(RUBRIC, path)
    (line,) = caught.value.lines()
    assert line.startswith(f"{path}:1: not UTF-8 text: byte 0x80")


def test_an_empty_frame_says_there_are_no_judgments() -> None:
    pandas = pytest.importorskip("pandas")
    columns = ["inspection", "case_id", "question_id", "judgment"]
    frames = [pandas.DataFrame({c: [] for c in columns}, dtype=str)]
    try:
        import polars
    except ImportError:
        pass
    else:
        frames.append(
            polars.DataFrame({c: [] for c in columns}, schema=dict.fromkeys(columns, polars.String))
        )
    for frame in frames:
        with pytest.raises(pa.AuditErrors, match="no case judgments found"):
            pa.score_groups(RUBRIC, frame)


#: Each way the validator finds the cases, forced by its thresholds: a slot per (group, case id)
#: pair, pairs marked in a bool array, pairs sorted.
CASE_FINDING = {
    "slots": {"_SLOTS_PER_ROW": 10**9, "_SLOTS_FLOOR": 10**9},
    "marks": {"_SLOTS_PER_ROW": 0, "_SLOTS_FLOOR": 0},
    "sort": {"_SLOTS_PER_ROW": 0, "_SLOTS_FLOOR": 0, "_MARK_LIMIT": 0},
}


@pytest.mark.parametrize("way", CASE_FINDING)
@pytest.mark.parametrize("shared_ids", [True, False])
def test_every_way_of_finding_cases_gives_the_table_paths_tallies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str, shared_ids: bool
) -> None:
    """Case ids repeated across groups (a national file) or unique to each; rows shuffled;
    the vectorised tallies equal the table path's, whichever way the cases are found."""
    path = tmp_path / "national.csv"
    rows = _corpus(path, 25, seed=3, shuffle=True)
    if not shared_ids:
        rows = [[g, f"{g}/{c}", q, j] for g, c, q, j in rows]
        path.write_text(
            "inspection,case_id,question_id,judgment\n" + "".join(",".join(r) + "\n" for r in rows),
            encoding="utf-8",
        )
    slow = _table_scores(monkeypatch, path, ratings=JUDGED)
    for name, value in CASE_FINDING[way].items():
        monkeypatch.setattr(_columns, name, value)
    monkeypatch.setattr(_columns, "_located_tallies", _no_table_path)
    fast = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    assert fast.groups == slow.groups
    assert fast.cases.tolist() == slow.cases.tolist()
    assert (fast.yes == slow.yes).all() and (fast.relevant == slow.relevant).all()
    assert fast.shared_case_ids is shared_ids is slow.shared_case_ids
    assert fast.to_records() == slow.to_records()


def _table_scores(monkeypatch: pytest.MonkeyPatch, path: Path, **options: Any) -> pa.GroupScores:
    """``score_groups`` through the locating path, the vectorised pass turned off."""
    with monkeypatch.context() as patch:
        patch.setattr(_columns, "_accept", lambda *args, **kwargs: None)
        return pa.score_groups(RUBRIC, path, **options)


def _no_table_path(*args: object) -> None:
    raise AssertionError("a vectorised reader should have taken this")


@pytest.mark.parametrize("way", CASE_FINDING)
def test_every_way_of_finding_cases_sends_repeats_and_gaps_to_the_table_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    for name, value in CASE_FINDING[way].items():
        monkeypatch.setattr(_columns, name, value)
    path = tmp_path / "national.csv"
    rows = _corpus(path, 4, seed=5)
    # The last case of the last group answers its first key question twice, differently (the
    # second time in place of its last key question): the rows still fill as many slots.
    g, c = rows[-1][0], rows[-1][1]
    first, last = RUBRIC.question_ids[0], RUBRIC.question_ids[-1]
    (answer,) = [r[3] for r in rows if r[:3] == [g, c, first]]
    other = "yes" if answer != "yes" else "no"
    repeated = [[g, c, first, other] if r[:3] == [g, c, last] else r for r in rows]
    path.write_text(
        "inspection,case_id,question_id,judgment\n" + "".join(",".join(r) + "\n" for r in repeated),
        encoding="utf-8",
    )
    for missing in ("error", "not-relevant"):
        with pytest.raises(pa.AuditErrors) as caught:
            pa.score_groups(RUBRIC, path, missing=missing)
        assert any(f"case '{c}', question '{first}'" in line for line in caught.value.lines())
    # A gap: an error, or not relevant when asked.
    gap = [r for r in rows if r[:3] != [g, c, last]]
    path.write_text(
        "inspection,case_id,question_id,judgment\n" + "".join(",".join(r) + "\n" for r in gap),
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors, match=f"case '{c}'.*{last}"):
        pa.score_groups(RUBRIC, path)
    lenient = pa.score_groups(RUBRIC, path, missing="not-relevant")
    slow = _table_scores(monkeypatch, path, missing="not-relevant")
    assert (lenient.relevant == slow.relevant).all() and (lenient.yes == slow.yes).all()
    assert lenient.relevant[-1, -1] == slow.relevant[-1, -1] < lenient.cases[-1]


@pytest.mark.parametrize("categories", [True, False])
def test_polars_frames_are_coded_by_polars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, categories: bool
) -> None:
    """A polars frame gives the CSV file's scores, coded through fresh Categories or, where
    that (unstable) API is missing, through an Enum of each column's values."""
    pl = pytest.importorskip("polars")
    path = tmp_path / "national.csv"
    _corpus(path, 30, seed=9, shuffle=True)
    expected = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    frame = pl.read_csv(path, infer_schema_length=0)
    wanted = ["inspection", "case_id", "question_id", "judgment"]
    if categories:

        def no_enum(*args: object) -> None:
            raise AssertionError("the Enum fallback ran: fresh Categories should have")

        monkeypatch.setattr(pl, "Enum", no_enum)
    else:
        monkeypatch.delattr(pl.Categories, "random")
    coded = frames.frame_columns(frame)
    assert list(coded.names) == wanted
    for column, name in zip(coded.columns, wanted, strict=True):
        assert column.cells() == frame.get_column(name).to_list()
    monkeypatch.setattr(_columns, "_located_tallies", _no_table_path)
    scores = pa.score_groups(RUBRIC, frame, ratings=JUDGED)
    assert scores.to_records() == expected.to_records()
    assert scores.cases.tolist() == expected.cases.tolist()


def test_polars_frames_with_problems_are_reported_as_files_are() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(
        {
            "inspection": ["A", "A", None],
            "case_id": ["C1", "C1", "C2"],
            "question_id": ["P2.1.1", "P2.1.1", "P2.1.1"],
            "judgment": ["yes", "no", "yes"],
        }
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.score_groups(RUBRIC, frame)
    text = "\n".join(caught.value.lines())
    assert "blank inspection" in text
    assert "case 'C1', question 'P2.1.1'" in text


def test_a_cp1252_national_file_with_quoted_names_takes_the_numpy_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel's "CSV (Comma delimited)" on Windows: cp1252, names with commas quoted."""
    path = tmp_path / "national.csv"
    rows = _corpus(path, 6, seed=11)
    renamed = [[f'"Bedford, Luton é {g[-3:]}"', c, q, j] for g, c, q, j in rows]
    path.write_bytes(
        (
            "inspection,case_id,question_id,judgment\r\n"
            + "".join(",".join(r) + "\r\n" for r in renamed)
        ).encode("cp1252")
    )
    assert code_columns(str(path), encoding="cp1252") is not None
    slow = _table_scores(monkeypatch, path, encoding="cp1252")
    monkeypatch.setattr(_columns, "_located_tallies", _no_table_path)
    fast = pa.score_groups(RUBRIC, path, encoding="cp1252")
    assert fast.groups == slow.groups == tuple(f"Bedford, Luton é {i:03d}" for i in range(6))
    assert fast.to_records() == slow.to_records()


def test_arrow_streams_and_duckdb_relations_are_frames(tmp_path: Path) -> None:
    """A RecordBatchReader (what DuckDB's .arrow() gives) or a DuckDB relation itself: read
    once, into a pyarrow table, with the CSV file's scores."""
    pyarrow = pytest.importorskip("pyarrow")
    from pyarrow import compute as pc
    from pyarrow import csv as pacsv

    path = tmp_path / "national.csv"
    _corpus(path, 5, seed=13)
    expected = pa.score_groups(RUBRIC, path, ratings=JUDGED).to_records()
    table = pacsv.read_csv(path)
    reader = pyarrow.RecordBatchReader.from_batches(table.schema, table.to_batches())
    assert pa.score_groups(RUBRIC, reader, ratings=JUDGED).to_records() == expected
    views = table.cast(pyarrow.schema([(n, pyarrow.string_view()) for n in table.column_names]))
    assert pa.score_groups(RUBRIC, views, ratings=JUDGED).to_records() == expected
    one = table.filter(pc.equal(table["inspection"], "Unit 002"))
    sample = pa.read_judgments(
        pyarrow.RecordBatchReader.from_batches(one.schema, one.to_batches()), RUBRIC
    )
    exact = pa.score_groups(RUBRIC, path).result("Unit 002")
    assert pa.score(RUBRIC, sample).standards == exact.standards
    with pytest.raises(TypeError, match=r"an Arrow stream \(a DuckDB relation\), got object"):
        frames.as_frame(object())
    duckdb = pytest.importorskip("duckdb")
    relation = duckdb.sql(f"select * from read_csv('{path}', all_varchar = true)")
    assert pa.score_groups(RUBRIC, relation, ratings=JUDGED).to_records() == expected


def test_an_arrow_stream_without_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    class Stream:
        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            raise AssertionError("not read without pyarrow")

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"needs pyarrow: pip install 'probation-audit\[arrow\]'"):
        pa.score_groups(RUBRIC, Stream())


def test_judged_standards_on_a_scale_of_their_own(tmp_path: Path) -> None:
    """Regression: the bulk path took a judged standard's label and points from the bands'
    scale (a KeyError for labels of its own, wrong points for shared ones)."""
    from probation_audit import testing

    own = testing.with_judged_scale(RUBRIC, [("Weak", 0), ("Sound", 2), ("Strong", 3)])
    path = tmp_path / "national.csv"
    rows = _corpus(path, 6, seed=5)
    ratings = {
        "Unit 000": {"P1.1": "Strong", "P1.2": "Strong", "P1.3": "Sound"},
        "Unit 001": {"P1.1": "Weak", "P1.2": "Weak", "P1.3": "Weak"},
    }
    scores = pa.score_groups(
        own,
        path,
        ratings={**ratings, **{f"Unit {i:03d}": ratings["Unit 000"] for i in range(2, 6)}},
    )
    for g, unit in enumerate(scores.groups):
        records = [
            {"case_id": c, "question_id": q, "judgment": j} for u, c, q, j in rows if u == unit
        ]
        exact = pa.score(own, records, scores.judged[g])
        assert exact.overall is not None
        assert scores.ratings.rating(g, "P1.1") == exact.standard("P1.1").rating
        assert int(scores.ratings.points[g]) == exact.overall.points
        assert scores.ratings.overall_rating(g) == exact.overall.rating
    record = next(
        r for r in scores.to_records() if r["standard"] == "P1.3" and r["inspection"] == "Unit 000"
    )
    assert record["rating"] == "Sound"
    case_points = int(scores.ratings.points[0]) - 8  # Strong 3 + Strong 3 + Sound 2
    assert case_points == sum(
        {"Inadequate": 0, "Requires improvement": 1, "Good": 2, "Outstanding": 3}[
            str(scores.ratings.rating(0, s))
        ]
        for s in ("P2.1", "P2.2", "P2.3", "P2.4")
    )


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


def test_standard_records_are_each_groups_exact_standard_records(tmp_path: Path) -> None:
    """Per group and standard (and overall): Result.standard_records' columns and values, the
    group's name in the first column; percent and points filled, a missing driver missing."""
    path = tmp_path / "national.csv"
    rows = _corpus(path, 8, seed=31)
    judged = JUDGED
    scores = pa.score_groups(RUBRIC, path, ratings=judged)
    got = scores.to_records()
    for name in scores.groups:
        mine = [
            {k: v for k, v in r.items() if k != "inspection"}
            for r in got
            if r["inspection"] == name
        ]
        exact = [
            {k: v for k, v in r.items() if k != "rubric"}
            for r in _exact(rows, name, judged).standard_records()
        ]
        assert mine == exact
    first = got[0]
    assert list(first)[:3] == ["inspection", "cases", "standard"]
    assert first["driven_by"] is None and first["points"] == 1  # P1.1 judged, Requires improvement
    p13 = next(r for r in got if r["standard"] == "P1.3")
    assert p13["rating"] == "Good" and p13["points"] == 2 and p13["percent"] is None
    case_based = next(r for r in got if r["standard"] == "P2.1")
    assert isinstance(case_based["percent"], int) and isinstance(case_based["yes"], int)
    overall = next(r for r in got if r["standard"] == "overall")
    assert isinstance(overall["points"], int)


def test_frames_are_typed_in_pandas_and_polars(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "national.csv"
    _corpus(path, 3, seed=5)
    scores = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    frame = scores.to_frame()
    assert frame["cases"].dtype == "Int64" and frame["yes"].dtype == "Int64"
    assert frame["points"].dtype == "Int64" and frame["percent"].dtype == "float64"
    assert list(frame["rating"].cat.categories) == list(RUBRIC.rating_scale.labels)
    assert frame["rating"].cat.ordered
    p13 = frame[frame["standard"] == "P1.3"]
    assert (p13["rating"] == "Good").all() and not p13["not_rated"].any()
    assert frame[frame["standard"] == "P1.1"]["driven_by"].isna().all()
    assert frame.equals(scores.standard_frame())
    questions = scores.question_frame()
    assert questions["relevant"].dtype == "Int64" and questions["driving"].dtype == "boolean"
    assert len(questions) == 3 * len(RUBRIC.question_ids) - 0
    assert isinstance(questions, pandas.DataFrame)
    polars = pytest.importorskip("polars")
    other = scores.to_frame(backend="polars")
    assert other.schema["cases"] == polars.Int64 and other.schema["percent"] == polars.Float64
    assert other.schema["rating"] == polars.Enum(list(RUBRIC.rating_scale.labels))
    assert other.columns == list(frame.columns)
    assert other["rating"].to_list() == [
        None if pandas.isna(v) else v for v in frame["rating"].tolist()
    ]


def test_group_scores_show_themselves_briefly(tmp_path: Path) -> None:
    path = tmp_path / "national.csv"
    _corpus(path, 30, seed=7)
    scores = pa.score_groups(RUBRIC, path, ratings=JUDGED)
    text = repr(scores)
    assert text.startswith("<GroupScores hmip-probation-2023: 30 groups by 'inspection', ")
    assert len(text) < 300 and "\n" not in text
    page = scores._repr_html_()
    assert page.count("<tr>") == 1 + 12  # the header and the first twelve groups
    assert "... and 18 more rows" in page
    assert "background:#f4c7c3" in page or "background:#fde6b3" in page
    assert "Unit 012" not in page and "Unit 011" in page
    assert scores.rubric_label == (
        "hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules 02ea540259dd"
    )
    assert f"rubric {scores.rubric_label}" in page
