"""The template's Ratings sheet: recalculated by LibreOffice, every figure on it is the engine's.

Workbooks are filled with SYNTHETIC answers (random, and placed on every band edge and one case
either side), recalculated together in one headless LibreOffice call, and compared with
:func:`probation_audit.score` on the same file.
"""

from __future__ import annotations

import functools
import html.parser
import io
import random
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

import probation_audit as pa
from probation_audit._ratings_sheet import NOT_HERE, PERCENT_FORMAT, _edges
from probation_audit._rules import rules_of
from probation_audit._templates import template_workbook
from probation_audit.rubric import Standard

openpyxl = pytest.importorskip("openpyxl")

RUBRICS = [pa.load_rubric(r) for r in pa.available_rubrics()]
CASES = 20  # every bundled band edge is a whole number of 20 cases
FIRST_STANDARD_ROW = 5


@functools.cache
def _template(rubric_id: str, cases: int) -> bytes:
    """The blank template of ``cases`` cases, made once for the workbooks filled from it."""
    rows = [{"case_id": f"SYN-{i:03d}"} for i in range(cases)]
    return template_workbook(next(r for r in RUBRICS if r.id == rubric_id), rows)


def _workbook(rubric: pa.Rubric, cases: int) -> Any:
    return openpyxl.load_workbook(io.BytesIO(_template(rubric.id, cases)))


def _answer(workbook: Any, rubric: pa.Rubric, answers: dict[str, list[str]]) -> None:
    sheet = workbook["Cases"]
    header = [c.value for c in sheet[1]]
    for qid, column in answers.items():
        k = header.index(qid) + 1
        for r, value in enumerate(column, start=2):
            sheet.cell(row=r, column=k, value=value)


def _judged(workbook: Any, rubric: pa.Rubric, rng: random.Random) -> dict[str, str]:
    """Random judged ratings chosen on the Ratings sheet (some left blank)."""
    sheet = workbook["Ratings"]
    chosen = {}
    for k, s in enumerate(rubric.standards):
        if s.judged and s.scale is not None and rng.random() < 0.9:
            label = rng.choice(rubric.scale(s.scale).labels)
            sheet.cell(row=FIRST_STANDARD_ROW + k, column=3, value=label)
            chosen[s.id] = label
    return chosen


def _random_fill(rubric: pa.Rubric, seed: int) -> tuple[Any, dict[str, str]]:
    rng = random.Random(seed)
    cases = rng.randint(5, 40)
    workbook = _workbook(rubric, cases)
    answers = {}
    for q in rubric.questions:
        weights = rng.choice([(5, 1, 1), (1, 1, 0), (2, 1, 2), (1, 3, 1)])
        column = rng.choices(["Yes", "No", "N/A"], weights=weights, k=cases)
        if "Yes" not in column and "No" not in column:
            column[0] = "No"
        answers[q.id] = column
    _answer(workbook, rubric, answers)
    return workbook, _judged(workbook, rubric, rng)


def _edge_targets(rubric: pa.Rubric) -> list[int]:
    """'Yes' counts of 20 cases on each band edge and one either side."""
    out: set[int] = set()
    for edge in _edges(rubric):
        k = edge * CASES / 100
        assert k.denominator == 1, "the edge is not a whole number of cases"
        out.update(int(k) + d for d in (-1, 0, 1))
    return sorted(out)


def _weighted(rubric: pa.Rubric, standard: Standard) -> bool:
    return (
        standard.aggregation is not None
        and rubric.aggregation(standard.aggregation).method == "weighted"
    )


def _edge_fill(rubric: pa.Rubric, seed: int) -> tuple[Any, dict[str, str]]:
    """Every edge target on a band test of the sheet, in one workbook of 20 cases.

    The questions of the 'lowest' standards take the targets in turn, from the second (a
    band's lowest count: the first standard's lowest question is on an edge); when the
    targets run out within a standard, its remaining questions are all 'Yes' and the next
    standard starts again from the first. Every other weighted standard has all its questions
    on one target (its score is that percentage exactly; the targets in turn), the others
    cycle through the targets question by question (a mixed score; lifts of unequal needs).
    Judged ratings are chosen as in a random fill."""
    targets = _edge_targets(rubric)
    workbook = _workbook(rubric, CASES)
    answers = {}
    n, weighted = 1, 0
    for s in (s for s in rubric.standards if not s.judged):
        if _weighted(rubric, s):
            counts = [
                targets[(weighted // 2 if weighted % 2 == 0 else weighted + j) % len(targets)]
                for j in range(len(s.questions))
            ]
            weighted += 1
        else:
            counts = []
            for _ in s.questions:
                counts.append(targets[n] if n < len(targets) else CASES)
                n += 1
            n = 0 if n >= len(targets) else n
        for q, target in zip(s.questions, counts, strict=True):
            answers[q.id] = ["Yes"] * target + ["No"] * (CASES - target)
    _answer(workbook, rubric, answers)
    return workbook, _judged(workbook, rubric, random.Random(seed))


@attrs.frozen
class _Filled:
    """A filled workbook, the judged ratings chosen on it, and its Ratings sheet as LibreOffice
    recalculated it: one list per row of each cell's value (a number as a float, text as text,
    a blank as None) and of its text as shown."""

    rubric: pa.Rubric
    path: Path
    judged: dict[str, str]
    table: list[list[Any]]
    shown: list[list[str]]


class _FirstTable(html.parser.HTMLParser):
    """The first table (the first sheet, its hidden columns left out) of LibreOffice's HTML
    export: each cell's value (a number's is its ``sdval``, kept to 15 significant digits) and
    its text as shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.table: list[list[Any]] = []
        self.shown: list[list[str]] = []
        self._text: list[str] | None = None
        self._value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.table.append([])
            self.shown.append([])
        elif tag == "td":
            found = dict(attrs)
            assert found.get("colspan") in (None, "1"), "a merged cell on the Ratings sheet"
            self._text, self._value = [], found.get("sdval")

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._text is not None:
            shown = " ".join("".join(self._text).split())
            self.table[-1].append(float(self._value) if self._value is not None else shown or None)
            self.shown[-1].append(shown)
            self._text = None


def _recalculate(paths: list[Path], out: Path) -> list[_FirstTable]:
    """The first sheet (Ratings) of each workbook as LibreOffice recalculates it, in one
    headless call (exported as HTML, which keeps both a number's value and its text as
    shown)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: Debian package libreoffice-calc-nogui")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "html", "--outdir", str(out), *map(str, paths)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    tables = []
    for path in paths:
        text = (out / path.with_suffix(".html").name).read_text(encoding="utf-8")
        tables.append(_FirstTable())
        tables[-1].feed(text[: text.index("</table>")])
    return tables


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, _Filled]:
    """Every workbook of this module, recalculated together in one LibreOffice call: for each
    rubric a random fill and an edge fill, and 'nine-of-14' (9 'yes' of 14 on every key
    question of the 2023 rubric)."""
    folder = tmp_path_factory.mktemp("ratings")
    books: list[tuple[pa.Rubric, str, Any, dict[str, str]]] = []
    for k, rubric in enumerate(RUBRICS):
        books.append((rubric, f"{rubric.id}-random", *_random_fill(rubric, k)))
        books.append((rubric, f"{rubric.id}-edges", *_edge_fill(rubric, k)))
    rubric = pa.load_rubric("hmip-probation-2023")
    workbook = _workbook(rubric, 14)
    _answer(workbook, rubric, {q.id: ["Yes"] * 9 + ["No"] * 5 for q in rubric.questions})
    books.append((rubric, "nine-of-14", workbook, {}))
    paths = []
    for _, name, workbook, _ in books:
        paths.append(folder / f"{name}.xlsx")
        workbook.save(paths[-1])
    tables = _recalculate(paths, folder / "recalculated")
    return {
        name: _Filled(rubric, path, judged, sheet.table, sheet.shown)
        for (rubric, name, _, judged), path, sheet in zip(books, paths, tables, strict=True)
    }


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _close(value: Any, exact: Fraction | None) -> bool:
    if exact is None:
        return _number(value) is None
    got = _number(value)
    return got is not None and abs(got - float(exact)) <= 1e-9 * max(1.0, abs(float(exact)))


def _compare(
    rubric: pa.Rubric, table: list[list[Any]], result: pa.Result, lifts: list[str] | None = None
) -> list[str]:
    """Every figure of the Ratings sheet that differs from ``result``; ``lifts`` collects the
    weighted standards whose lift the sheet worked out."""
    rows = {row[0]: row for row in table if row[1] not in rubric.question_ids}
    question_rows = {row[1]: row for row in table if row[1] in rubric.question_ids}
    labels = set(rubric.rating_scale.labels)
    bands = rules_of(rubric).bands
    problems = []
    for s in result.standards:
        row = rows[s.id]
        shown = row[2] if row[2] in labels or s.basis == "judged" else None
        if s.basis == "judged":
            shown = row[2] if s.rating is not None else None
        figures: list[tuple[Any, Any]] = [(shown, s.rating), (_number(row[7]), s.points)]
        if s.basis == "cases":
            figures.append((_close(row[3], s.value), True))
            if s.driven_by:
                figures.append((row[4], ", ".join(s.driven_by)))
            if s.rating is not None and row[5] != NOT_HERE:
                if s.summary_percent is not None and lifts is not None:
                    lifts.append(s.id)
                lift = (s.lift.cases, s.lift.rating) if s.lift else ("top band", None)
                figures.append(((row[5], row[6]), lift))
            lowest = not _weighted(rubric, rubric.standard(s.id))
            for q in s.questions:
                qrow = question_rows[q.id]
                figures.append(((qrow[2], qrow[4]), (q.yes, q.relevant)))
                figures.append((_close(qrow[5], q.percent), True))
                if lowest and q.percent is not None:
                    # The question's own band: the band test the standard's rating rests on.
                    band = bands.labels[bands.of_percent(q.percent)]
                    figures.append((qrow[6], band))
        problems += [
            f"{s.id}: sheet {got!r}, score {want!r}" for got, want in figures if got != want
        ]
    if result.overall is not None:
        row = rows["overall"]
        got = (row[2] if result.overall.rating else None, _number(row[7]))
        if got != (result.overall.rating, result.overall.points):
            problems.append(f"overall: sheet {got!r}, score {result.overall}")
    for d in result.domains:
        if not _close(rows[d.id][2], d.value):
            problems.append(f"domain {d.id}: sheet {rows[d.id][2]!r}, score {d.value}")
    for t in result.threads:
        if not _close(rows[t.id][2], t.value):
            problems.append(f"thread {t.id}: sheet {rows[t.id][2]!r}, score {t.value}")
    return problems


def test_the_ratings_sheet_agrees_with_score_on_every_rubric(
    recalculated: dict[str, _Filled],
) -> None:
    problems = []
    bands_seen: set[tuple[str, str]] = set()
    targets_seen: set[tuple[str, int]] = set()
    weighted_lifts: list[str] = []
    for name, filled in recalculated.items():
        if name == "nine-of-14":
            continue
        rubric = filled.rubric
        result = pa.score(rubric, filled.path, filled.judged)
        found = _compare(rubric, filled.table, result, weighted_lifts)
        problems += [f"{name}: {p}" for p in found]
        bands_seen.update((rubric.id, s.rating) for s in result.standards if s.rating)
        if name.endswith("-edges"):
            for s in result.standards:
                # A band test on a target: a 'lowest' standard's question, or a weighted
                # standard's score (all its questions on the one target).
                counts = {q.yes for q in s.questions if q.relevant == CASES}
                if not _weighted(rubric, rubric.standard(s.id)):
                    targets_seen.update((rubric.id, c) for c in counts)
                elif len(counts) == 1 and len(s.questions) > 1:
                    targets_seen.add((rubric.id, counts.pop()))
    assert problems[:20] == []
    # The weighted standards' lifts (the 2007 rubric's criteria) are worked out on the sheet.
    assert len(weighted_lifts) >= 10
    for rubric in RUBRICS:
        # The fills reach every band of every rubric, and every edge target of its band tests.
        assert {b.rating for b in rubric.bands.bands} <= {
            r for i, r in bands_seen if i == rubric.id
        }
        assert {(rubric.id, t) for t in _edge_targets(rubric)} <= targets_seen


def test_band_tests_are_whole_number_comparisons() -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(rubric)))["Ratings"]
    band = next(
        sheet.cell(row=r, column=10).value
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(row=r, column=2).value == "P2.1.1"
    )
    assert (
        band
        == '=IF(E{0}=0,"",((100*C{0}*1>=50*E{0})+(100*C{0}*1>=65*E{0})+(100*C{0}*1>=80*E{0})))'.format(
            band.split("E", 1)[1].split("=", 1)[0]
        )
    )


def test_the_sheet_is_protected_with_the_judged_ratings_open() -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    workbook = openpyxl.load_workbook(io.BytesIO(template_workbook(rubric)))
    assert workbook.sheetnames[:2] == ["Ratings", "Cases"]
    sheet = workbook["Ratings"]
    assert sheet.protection.sheet is True and not sheet.protection.password
    judged = [FIRST_STANDARD_ROW + k for k, s in enumerate(rubric.standards) if s.judged]
    assert [sheet.cell(row=r, column=3).protection.locked for r in judged] == [False] * 3
    assert sheet.cell(row=judged[-1] + 1, column=3).protection.locked is True
    assert workbook["Cases"].protection.sheet is False


def test_the_sheet_prints_landscape_one_page_wide_with_its_title_on_each_page() -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(rubric)))["Ratings"]
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"


def test_every_percentage_has_one_decimal_place_and_nothing_else_does() -> None:
    rubric = pa.load_rubric("hmip-omi-2007")  # weighted standards, domains and a thread
    sheet = openpyxl.load_workbook(io.BytesIO(template_workbook(rubric)))["Ratings"]
    rows: dict[Any, int] = {}  # the first row of each name: a question's row names its standard
    for r in range(1, sheet.max_row + 1):
        rows.setdefault(sheet.cell(row=r, column=1).value, r)
    questions = {sheet.cell(row=r, column=2).value: r for r in range(1, sheet.max_row + 1)}
    percent = [f"D{rows[s.id]}" for s in rubric.standards if not s.judged]
    percent += [f"F{questions[q.id]}" for q in rubric.questions]
    percent += [f"C{rows[d.id]}" for d in rubric.domains if d.aggregation is not None]
    percent += [f"C{rows[t.id]}" for t in rubric.threads]
    assert len(percent) == 14 + 182 + 3 + 1  # case-based standards, questions, domains, thread
    assert {sheet[c].number_format for c in percent} == {PERCENT_FORMAT} == {"0.0"}
    others = {
        cell.number_format
        for row in sheet.iter_rows()
        for cell in row
        if cell.coordinate not in set(percent)
    }
    assert others == {"General"}


def test_libreoffice_shows_a_percentage_to_one_decimal_and_keeps_its_value(
    recalculated: dict[str, _Filled],
) -> None:
    filled = recalculated["nine-of-14"]
    rubric, table, shown = filled.rubric, filled.table, filled.shown
    row = FIRST_STANDARD_ROW + [s.id for s in rubric.standards].index("P2.1")
    question = next(r for r, cells in enumerate(table, start=1) if cells[1] == "P2.1.1")
    for value in (table[row - 1][3], table[question - 1][5]):
        # LibreOffice keeps 15 significant digits.
        assert value == pytest.approx(900 / 14, abs=1e-12)
    # As shown: the cells' displayed text.
    assert shown[row - 1][:4] == ["P2.1", "Assessment", "Requires improvement", "64.3"]
    assert shown[question - 1][:6] == ["P2.1", "P2.1.1", "9", "5", "14", "64.3"]
