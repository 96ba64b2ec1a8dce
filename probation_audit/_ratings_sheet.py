"""The template's Ratings sheet: the rubric's rules as spreadsheet formulas, so that a workbook
rates itself as answers are recorded on its Cases sheet.

Only functions every spreadsheet has are used (COUNTIF, COUNT, SUM, SUMPRODUCT, MIN, MAX, INT,
IF, OR, INDEX, MATCH, CHOOSE, ISNA, LCM), and every band edge is compared in whole numbers:
a key question with ``yes`` of ``relevant`` cases reaches an edge ``p/q`` when
``yes*100*q >= p*relevant`` (under the half-up rounding rule: ``200*yes >= (2*ceil(p/q)-1) *
relevant``). A weighted standard's score is brought to one whole-number fraction over the least
common multiple of its questions' relevant counts; when that fraction would be too large for a
spreadsheet's exact whole numbers (2**53), the sheet says so instead of rating.

How many more "yes" cases would lift a weighted standard is worked out as the engine does
(the largest steps first), in whole numbers; where the score itself is not exact on the sheet,
the sheet says to use ``score``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs

from ._rubric_parts import Scale, Standard
from ._xlsx import JUDGED_MARK
from .rubric import Rubric

__all__ = ["PERCENT_FORMAT", "SPARE_ROWS", "add_ratings_sheet"]

#: Rows below the template's answer rows that the formulas still count (reserve cases).
SPARE_ROWS = 300
#: What a spreadsheet holds exactly as a whole number.
_EXACT = 2**53
NOT_ENOUGH = "not enough answers yet"
CHECK = "check answers: some are not Yes, No or N/A"
TOO_CLOSE = "too close to a band edge to rate exactly here: use score"
TOO_BIG = "too many different relevant counts to rate exactly here: use score"
NOT_HERE = "not computed on this sheet: use score"
# Standards table columns (visible A-H, helpers J-M) and key-question columns (A-H, J-T).
_STD_HEAD = ("standard", "title", "rating", "percentage", "driven by", "more 'yes' to lift")
_Q_HEAD = ("standard", "key question", "yes", "no", "relevant", "percentage", "band", "other")
#: The number format of every percentage shown (exact values in 0-100): one decimal place.
PERCENT_FORMAT = "0.0"


@attrs.frozen
class _Place:
    """Where one standard sits: its row in the standards table, its questions' rows."""

    standard: Standard
    row: int
    first: int
    last: int


@attrs.frozen
class _Legend:
    """Rows of the band legend, the overall bands and each scale's labels and points."""

    bands: tuple[int, int]
    overall: tuple[int, int] | None
    scales: dict[str, tuple[int, int]]


def _edges(rubric: Rubric) -> list[Fraction]:
    return [b.lower for b in rubric.bands.bands[1:]]


def _reaches(rubric: Rubric, num: str, den: str, edge: Fraction) -> str:
    """Whole-number test that the fraction ``num/den`` (percent) reaches ``edge``."""
    if rubric.rounding.method == "half-up":
        return f"(2*{num}>={2 * math.ceil(edge) - 1}*{den})"
    return f"({num}*{edge.denominator}>={edge.numerator}*{den})"


def _band_index(rubric: Rubric, num: str, den: str) -> str:
    """0 for the lowest band, one more for each edge reached."""
    return "(" + "+".join(_reaches(rubric, num, den, e) for e in _edges(rubric)) + ")"


def _fewest_yes(rubric: Rubric, relevant: str, edge: Fraction) -> str:
    """The fewest 'yes' of ``relevant`` cases whose percentage reaches ``edge``: a ceiling in
    whole numbers."""
    if rubric.rounding.method == "half-up":
        top = f"{2 * math.ceil(edge) - 1}*{relevant}"
        return f"INT(({top}+199)/200)"
    d = 100 * edge.denominator
    return f"INT(({edge.numerator}*{relevant}+{d - 1})/{d})"


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def add_ratings_sheet(workbook: Any, rubric: Rubric, columns: Sequence[str], last_row: int) -> None:
    """Add the Ratings sheet at the front of ``workbook``; its formulas count the Cases sheet's
    rows 2 to ``last_row``, where ``columns`` are the Cases sheet's headers."""
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet("Ratings", 0)
    workbook.active = 0
    bold = Font(bold=True)
    sheet["A1"] = f"Ratings: {rubric.title} ({rubric.id})"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"Worked out by formulas from the answers on the Cases sheet (rows 2 to {last_row}), by "
        "the rubric's rules; choose the judged standards' ratings in the yellow cells."
    )
    case_based = [s for s in rubric.standards if not s.judged]
    std_rows = {s.id: 5 + k for k, s in enumerate(rubric.standards)}
    row = 5 + len(rubric.standards) + 1
    overall_row = row if rubric.overall is not None else None
    row += 2 if rubric.overall is not None else 0
    domain_row = row
    domains = [d for d in rubric.domains if d.aggregation is not None]
    row += len(domains) + 2 if domains else 0
    thread_row = row
    row += len(rubric.threads) + 2 if rubric.threads else 0
    q_row = row + 1
    places = []
    r = q_row + 1
    for s in case_based:
        places.append(_Place(s, std_rows[s.id], r, r + len(s.questions) - 1))
        r += len(s.questions)
    legend = _write_legend(sheet, rubric, r + 1, bold)
    for header_row, head in ((4, _STD_HEAD), (q_row, _Q_HEAD)):
        for k, name in enumerate(head, start=1):
            sheet.cell(row=header_row, column=k, value=name).font = bold
    sheet.cell(row=4, column=7, value="lifted to").font = bold
    sheet.cell(row=4, column=8, value="points").font = bold
    letters = {name: get_column_letter(k) for k, name in enumerate(columns, start=1)}
    for place in places:
        _write_questions(sheet, rubric, place, letters, last_row, legend)
    for s in rubric.standards:
        sheet.cell(row=std_rows[s.id], column=1, value=s.id)
        sheet.cell(row=std_rows[s.id], column=2, value=s.title)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for s in rubric.standards:
        if s.judged:
            cell = _write_judged(sheet, rubric, s, std_rows[s.id], legend)
            cell.fill = fill
            cell.protection = Protection(locked=False)
    for place in places:
        _write_standard(sheet, rubric, place, legend)
    if overall_row is not None:
        _write_overall(sheet, rubric, overall_row, std_rows, legend, bold)
    if domains:
        _write_domains(sheet, rubric, domain_row, std_rows, bold)
    if rubric.threads:
        _write_threads(sheet, rubric, thread_row, places, bold)
    for letter, width in zip("ABCDEFGH", (10, 34, 30, 12, 18, 18, 26, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    last_helper = get_column_letter(_lift_column(rubric) + 5)
    sheet.column_dimensions.group("J", last_helper, hidden=True)
    sheet.protection.sheet = True
    _print_setup(sheet)


def _print_setup(sheet: Any) -> None:
    """Landscape, fitted to one page wide (the hidden helper columns do not print), with the
    sheet's title row on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _write_legend(sheet: Any, rubric: Rubric, start: int, bold: Any) -> _Legend:
    """The band legend, the overall bands and the judged scales, from row ``start``."""
    scale = rubric.rating_scale
    sheet.cell(row=start, column=1, value="bands").font = bold
    for k, name in enumerate(("from %", "to %", "descriptor", "points"), start=2):
        sheet.cell(row=start, column=k, value=name).font = bold
    row = start + 1
    for b in rubric.bands.bands:
        last = b is rubric.bands.bands[-1]
        sheet.cell(row=row, column=1, value=b.rating)
        sheet.cell(row=row, column=2, value=f"{float(b.lower):g}")
        sheet.cell(row=row, column=3, value=f"{float(b.upper):g}{' (included)' if last else ''}")
        sheet.cell(row=row, column=4, value=b.descriptor or "")
        if scale.has_points:
            sheet.cell(row=row, column=5, value=scale.points(b.rating))
        row += 1
    bands = (start + 1, row - 1)
    sheet.cell(
        row=row,
        column=1,
        value=f"a band from p% holds percentages of at least p; rounding rule: "
        f"{rubric.rounding.method}",
    )
    row += 2
    overall = None
    if rubric.overall is not None:
        for k, name in enumerate(("overall bands", "from points", "to points"), start=1):
            sheet.cell(row=row, column=k, value=name).font = bold
        first = row + 1
        for pb in rubric.overall.bands:
            row += 1
            sheet.cell(row=row, column=1, value=pb.rating)
            sheet.cell(row=row, column=2, value=pb.minimum)
            sheet.cell(row=row, column=3, value=pb.maximum)
        overall = (first, row)
        row += 2
    scales: dict[str, tuple[int, int]] = {}
    for s in rubric.standards:
        if not s.judged or s.scale is None or s.scale in scales:
            continue
        judged: Scale = rubric.scale(s.scale)
        sheet.cell(row=row, column=1, value=f"judged ratings ({judged.id})").font = bold
        sheet.cell(row=row, column=5, value="points").font = bold
        first = row + 1
        for level in judged.levels:
            row += 1
            sheet.cell(row=row, column=1, value=level.label)
            sheet.cell(row=row, column=5, value=level.points)
        sheet.cell(row=row + 1, column=1, value="not rated")
        scales[judged.id] = (first, row)
        row += 3
    return _Legend(bands, overall, scales)


def _labels(legend: _Legend) -> str:
    return f"$A${legend.bands[0]}:$A${legend.bands[1]}"


def _points(legend: _Legend) -> str:
    return f"$E${legend.bands[0]}:$E${legend.bands[1]}"


def _write_questions(
    sheet: Any,
    rubric: Rubric,
    place: _Place,
    letters: dict[str, str],
    last_row: int,
    legend: _Legend,
) -> None:
    """One row per key question: counts from the Cases sheet, band, and the helpers."""
    a, b, s = place.first, place.last, place.row
    edges = _edges(rubric)
    half_up = rubric.rounding.method == "half-up"
    for k, q in enumerate(place.standard.questions):
        r = a + k
        col = letters[q.id]
        cases = f"Cases!${col}$2:${col}${last_row}"
        yes = f'COUNTIF({cases},"yes")+COUNTIF({cases},"y")'
        no = f'COUNTIF({cases},"no")+COUNTIF({cases},"n")'
        na = "+".join(
            f'COUNTIF({cases},"{t}")' for t in ("n/a", "na", "nr", "not relevant", "not applicable")
        )
        cells: dict[str, Any] = {
            "A": place.standard.id,
            "B": q.id,
            "C": f"={yes}",
            "D": f"={no}",
            "E": f"=C{r}+D{r}",
            "F": f'=IF(E{r}=0,"",100*C{r}/E{r})',
            "H": f"=COUNTA({cases})-C{r}-D{r}-({na})",
            "J": f'=IF(E{r}=0,"",{_band_index(rubric, f"100*C{r}", f"E{r}")})',
            "O": f"=IF(E{r}=0,0,100*C{r}*($M${s}/E{r}))",
            "P": 1 if q.summary else 0,
            "R": f'=IF(E{r}=0,"",INT((200*C{r}+E{r})/(2*E{r})))' if half_up else f"=F{r}",
            "S": f"=IF(E{r}=0,0,100*C{r}/E{r})",
        }
        if _method(rubric, place.standard) == "lowest":
            cells["G"] = f'=IF(J{r}="","",INDEX({_labels(legend)},J{r}+1))'
            choose = ",".join(_fewest_yes(rubric, f"E{r}", e) for e in edges)
            cells["K"] = (
                f'=IF(OR($J${s}="",$J${s}>={len(edges)}),"",CHOOSE($J${s}+1,{choose}))'
                if edges
                else '=""'
            )
            cells["L"] = f'=IF(K{r}="","",MAX(0,K{r}-C{r}))'
            lifted = _band_index(rubric, f"100*MAX(C{r},K{r})", f"E{r}")
            cells["M"] = f'=IF(K{r}="","",{lifted})'
            if half_up:
                low = f"R{r}=MIN($R${a}:$R${b})"
            else:
                low = f"SUMPRODUCT(--($C${a}:$C${b}*E{r}<C{r}*$E${a}:$E${b}))=0"
            cells["N"] = f'=IF($J${s}="",0,IF({low},1,0))'
        for letter, value in cells.items():
            sheet[f"{letter}{r}"] = value
        sheet[f"F{r}"].number_format = PERCENT_FORMAT


def _lift_column(rubric: Rubric) -> int:
    """The first of the six hidden columns a weighted standard's lift is worked out in: past
    the threads' columns (two each from T)."""
    return 20 + 2 * len(rubric.threads)


def _method(rubric: Rubric, standard: Standard) -> str:
    assert standard.aggregation is not None
    return rubric.aggregation(standard.aggregation).method


def _write_standard(sheet: Any, rubric: Rubric, place: _Place, legend: _Legend) -> None:
    """A case-based standard's rating, percentage, driving questions, lift and points."""
    a, b, s = place.first, place.last, place.row
    top = len(rubric.bands.bands) - 1
    empty = f"COUNTIF(E{a}:E{b},0)>0"
    other = f"SUM(H{a}:H{b})>0"
    label = f"INDEX({_labels(legend)},J{s}+1)"
    cells: dict[str, str] = {}
    if _method(rubric, place.standard) == "lowest":
        cells["J"] = f'=IF(OR({empty},{other}),"",MIN(J{a}:J{b}))'
        cells["C"] = f'=IF({other},{_text(CHECK)},IF(J{s}="",{_text(NOT_ENOUGH)},{label}))'
        cells["D"] = f'=IF(J{s}="","",MIN(R{a}:R{b}))'
        names = "&".join(
            f'IF(N{a + k}=1,{_text(q.id + ", ")},"")'
            for k, q in enumerate(place.standard.questions)
        )
        cells["K"] = f"={names}"
        cells["E"] = f'=IF(J{s}="","",LEFT(K{s},LEN(K{s})-2))'
        cells["F"] = f'=IF(J{s}="","",IF(J{s}>={top},"top band",SUM(L{a}:L{b})))'
        cells["G"] = f'=IF(OR(J{s}="",J{s}>={top}),"",INDEX({_labels(legend)},MIN(M{a}:M{b})+1))'
    else:
        _weighted_cells(rubric, place, cells, label, empty, other)
        _weighted_lift(sheet, rubric, place, cells, legend)
    if rubric.rating_scale.has_points:
        cells["H"] = f'=IF(J{s}="","",INDEX({_points(legend)},J{s}+1))'
    for letter, value in cells.items():
        sheet[f"{letter}{s}"] = value
    sheet[f"D{s}"].number_format = PERCENT_FORMAT


def _weighted_cells(
    rubric: Rubric, place: _Place, cells: dict[str, str], label: str, empty: str, other: str
) -> None:
    """A weighted standard's score as one whole-number fraction NUM/DEN (K/L) over the least
    common multiple of its relevant counts (M)."""
    a, b, s = place.first, place.last, place.row
    assert place.standard.aggregation is not None
    agg = rubric.aggregation(place.standard.aggregation)
    assert agg.individual is not None and agg.summary is not None
    ia, ib = agg.individual.numerator, agg.individual.denominator
    sa, sb = agg.summary.numerator, agg.summary.denominator
    n = sum(1 for q in place.standard.questions if not q.summary)
    largest = max([2, *(e.denominator for e in _edges(rubric))])
    cells["M"] = f"=LCM(E{a}:E{b})"
    cells["K"] = (
        f"={ia * sb}*SUMPRODUCT(O{a}:O{b}*(1-P{a}:P{b}))"
        f"+{n * ib * sa}*SUMPRODUCT(O{a}:O{b}*P{a}:P{b})"
    )
    cells["L"] = f"={n * ib * sb}*M{s}"
    # Exact when NUM/DEN fits a spreadsheet's whole numbers; otherwise the score in floating
    # point (error far below 1e-9), rated unless it is within 1e-9 of an edge.
    cells["N"] = (
        f"={ia}/{ib}"
        f"*SUMPRODUCT(S{a}:S{b}*(1-P{a}:P{b}))/{n}"
        f"+{sa}/{sb}*SUMPRODUCT(S{a}:S{b}*P{a}:P{b})"
    )
    half_up = rubric.rounding.method == "half-up"
    points = [Fraction(math.ceil(e)) - Fraction(1, 2) if half_up else e for e in _edges(rubric)]
    near = "+".join(f"(ABS(N{s}-{float(e)!r})<1E-9)" for e in points) or "0"
    floating = "+".join(f"(N{s}>={float(e)!r})" for e in points) or "0"
    cells["Q"] = f"=IF(ISERROR(M{s}),0,IF(L{s}*{100 * largest}<{_EXACT},1,0))"
    cells["J"] = (
        f'=IF(OR({empty},{other}),"",IF(Q{s}=1,{_band_index(rubric, f"K{s}", f"L{s}")},'
        f'IF(({near})>0,"",({floating}))))'
    )
    cells["C"] = (
        f"=IF({other},{_text(CHECK)},IF({empty},{_text(NOT_ENOUGH)},"
        f'IF(J{s}="",{_text(TOO_CLOSE)},{label})))'
    )
    if half_up:
        cells["D"] = (
            f'=IF(J{s}="","",IF(Q{s}=1,INT((2*K{s}+L{s})/(2*L{s})),'
            f'IF(ABS(N{s}-INT(N{s})-0.5)<1E-9,"",INT(N{s}+0.5))))'
        )
    else:
        cells["D"] = f'=IF(J{s}="","",IF(Q{s}=1,K{s}/L{s},N{s}))'


def _weighted_lift(
    sheet: Any, rubric: Rubric, place: _Place, cells: dict[str, str], legend: _Legend
) -> None:
    """How many more 'yes' cases lift a weighted standard a band, as the engine works it out:
    each case moves the score by its question's fixed step, and the largest steps are taken
    first. In whole numbers over the score's denominator L: a question's step is
    ``weight * 100 * M / relevant`` (M the relevant counts' LCM); the questions are ranked by
    step (ties in row order), and the j-th largest takes the fewest cases that close what the
    ones before it left, up to its 'no' cases. Left to ``score`` when the score is not exact
    on the sheet."""
    from openpyxl.utils import get_column_letter

    a, b, s = place.first, place.last, place.row
    assert place.standard.aggregation is not None
    agg = rubric.aggregation(place.standard.aggregation)
    assert agg.individual is not None and agg.summary is not None
    n = sum(1 for q in place.standard.questions if not q.summary)
    individual = agg.individual.numerator * agg.summary.denominator * 100
    summary = agg.summary.numerator * n * agg.individual.denominator * 100
    half_up = rubric.rounding.method == "half-up"
    targets = [
        Fraction(2 * math.ceil(e) - 1, 2) if half_up else e for e in _edges(rubric)
    ]  # the score each band starts at, under the rounding rule
    top = len(targets)
    step, room, rank, jstep, jroom, taken = (
        get_column_letter(_lift_column(rubric) + k) for k in range(6)
    )
    if not targets:
        cells["F"] = '=""'
        return
    p = f"CHOOSE(J{s}+1,{','.join(str(t.numerator) for t in targets)})"
    q = f"CHOOSE(J{s}+1,{','.join(str(t.denominator) for t in targets)})"
    need = f"({p}*L{s}-{q}*K{s})"  # how far the score is from the next band, times q*L
    for r in range(a, b + 1):
        j = r - a + 1
        at = f"MATCH({j},${rank}${a}:${rank}${b},0)"
        before = (
            f"SUMPRODUCT(${jstep}${a}:{jstep}{r - 1},${taken}${a}:{taken}{r - 1})" if r > a else "0"
        )
        gap = f"({need}-{q}*{before})"
        helpers = {
            step: f"=IF(E{r}=0,0,IF(P{r}=1,{summary},{individual})*($M${s}/E{r}))",
            room: f"=E{r}-C{r}",
            rank: f"=SUMPRODUCT(--(${step}${a}:${step}${b}>{step}{r}))"
            f"+SUMPRODUCT(--(${step}${a}:{step}{r}={step}{r}))",
            jstep: f"=INDEX(${step}${a}:${step}${b},{at})",
            jroom: f"=INDEX(${room}${a}:${room}${b},{at})",
            taken: f'=IF(OR($J${s}="",$J${s}>={top},$Q${s}<>1),0,'
            f"IF(OR({gap}<=0,{jroom}{r}=0),0,MIN({jroom}{r},"
            f"INT(({gap}+{q}*{jstep}{r}-1)/({q}*{jstep}{r})))))",
        }
        for letter, value in helpers.items():
            sheet[f"{letter}{r}"] = value
    moved = f"SUMPRODUCT({jstep}{a}:{jstep}{b},{taken}{a}:{taken}{b})"
    reached = _band_index(rubric, f"(K{s}+{moved})", f"L{s}")
    cells["F"] = (
        f'=IF(J{s}="","",IF(J{s}>={top},"top band",IF(Q{s}<>1,{_text(NOT_HERE)},'
        f"SUM({taken}{a}:{taken}{b}))))"
    )
    cells["G"] = f'=IF(OR(J{s}="",J{s}>={top},Q{s}<>1),"",INDEX({_labels(legend)},{reached}+1))'


def _write_judged(sheet: Any, rubric: Rubric, standard: Standard, row: int, legend: _Legend) -> Any:
    """The drop-down of a judged standard's rating, and its points."""
    from openpyxl.worksheet.datavalidation import DataValidation

    assert standard.scale is not None
    first, last = legend.scales[standard.scale]
    end = last + 1 if standard.may_be_unrated else last
    validation = DataValidation(
        type="list", formula1=f"$A${first}:$A${end}", allow_blank=True, showErrorMessage=True
    )
    sheet.add_data_validation(validation)
    validation.add(f"C{row}")
    scale = rubric.scale(standard.scale)
    if scale.has_points:
        where = f"MATCH(C{row},$A${first}:$A${last},0)"
        sheet[f"H{row}"] = (
            f'=IF(C{row}="","",IF(ISNA({where}),"",INDEX($E${first}:$E${last},{where})))'
        )
    sheet[f"E{row}"] = JUDGED_MARK
    # The prompt goes once a rating is chosen (a fixed "choose" would stay beside the choice).
    sheet[f"D{row}"] = f'=IF(C{row}="","\u2190 choose a rating","")'
    return sheet[f"C{row}"]


def _write_overall(
    sheet: Any, rubric: Rubric, row: int, std_rows: dict[str, int], legend: _Legend, bold: Any
) -> None:
    assert rubric.overall is not None and legend.overall is not None
    counted = ",".join(f"H{std_rows[sid]}" for sid in rubric.overall.standards)
    first, last = legend.overall
    n = len(rubric.overall.standards)
    sheet[f"A{row}"] = "overall"
    sheet[f"A{row}"].font = bold
    sheet[f"B{row}"] = f"points of {n} standards, out of {rubric.overall.bands[-1].maximum}"
    sheet[f"H{row}"] = f'=IF(COUNT({counted})<{n},"",SUM({counted}))'
    sheet[f"C{row}"] = (
        f'=IF(H{row}="","needs every counted standard\'s rating",'
        f"INDEX($A${first}:$A${last},MATCH(H{row},$B${first}:$B${last},1)))"
    )


def _write_domains(
    sheet: Any, rubric: Rubric, row: int, std_rows: dict[str, int], bold: Any
) -> None:
    sheet[f"A{row}"] = "domain"
    sheet[f"A{row}"].font = bold
    sheet[f"C{row}"] = "score (mean of its standards)"
    sheet[f"C{row}"].font = bold
    for d in rubric.domains:
        if d.aggregation is None:
            continue
        row += 1
        members = [
            f"D{std_rows[s.id]}" for s in rubric.standards if s.domain == d.id and not s.judged
        ]
        sheet[f"A{row}"] = d.id
        sheet[f"B{row}"] = d.title
        if not members:
            sheet[f"C{row}"] = "no case-based standards"
            continue
        cells = ",".join(members)
        sheet[f"C{row}"] = f'=IF(COUNT({cells})<{len(members)},"undetermined",AVERAGE({cells}))'
        sheet[f"C{row}"].number_format = PERCENT_FORMAT


def _write_threads(sheet: Any, rubric: Rubric, row: int, places: list[_Place], bold: Any) -> None:
    """Each thread: the mean percentage of its tagged questions and whether a follow-up
    inspection follows (a whole-number comparison over the relevant counts' LCM)."""
    from openpyxl.utils import get_column_letter

    sheet[f"A{row}"] = "thread"
    sheet[f"A{row}"].font = bold
    for k, name in enumerate(("score (mean of its questions)", "follow-up"), start=3):
        sheet.cell(row=row, column=k, value=name).font = bold
    a, b = places[0].first, places[-1].last
    for t, thread in enumerate(rubric.threads):
        row += 1
        flag, count = get_column_letter(20 + 2 * t), get_column_letter(21 + 2 * t)
        n = 0
        for place in places:
            inside = place.standard.domain in thread.domains
            for k, q in enumerate(place.standard.questions):
                r = place.first + k
                tagged = inside and thread.tag in q.tags
                n += tagged
                sheet[f"{flag}{r}"] = int(tagged)
                sheet[f"{count}{r}"] = f"=IF({flag}{r}=1,E{r},1)"
        sheet[f"A{row}"] = thread.id
        sheet[f"B{row}"] = thread.title
        flags = f"{flag}{a}:{flag}{b}"
        sheet[f"C{row}"] = (
            f"=IF(SUMPRODUCT({flags}*(E{a}:E{b}=0))>0,{_text(NOT_ENOUGH)},"
            f"SUMPRODUCT({flags},S{a}:S{b})/{max(n, 1)})"
        )
        sheet[f"C{row}"].number_format = PERCENT_FORMAT
        if thread.follow_up is None:
            sheet[f"D{row}"] = "not determined: the rubric gives no threshold"
            continue
        below = thread.follow_up.below
        sheet[f"J{row}"] = f"=LCM({count}{a}:{count}{b})"
        sheet[f"K{row}"] = f"=SUMPRODUCT({flags}*100*C{a}:C{b}*(J{row}/{count}{a}:{count}{b}))"
        sheet[f"D{row}"] = (
            f'=IF(ISNUMBER(C{row})=FALSE,"",IF(ISERROR(J{row}),{_text(TOO_BIG)},'
            f"IF(J{row}*{100 * n * below.denominator}>={_EXACT},{_text(TOO_BIG)},"
            f"IF({below.denominator}*K{row}<{below.numerator * n}*J{row},"
            '"below: a further inspection follows","not below: no further inspection"))))'
        )
