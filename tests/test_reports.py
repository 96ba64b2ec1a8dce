"""Written reports, charts, Excel workbooks, data frames and CSV safety."""

from __future__ import annotations

import csv
import html
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit import reports
from probation_audit import statistics as st
from probation_audit.cli import main

from .conftest import EXAMPLE_CASES, JUDGED_2024, ROOT

CASES_2007 = ROOT / "examples" / "northamptonshire-2007" / "cases.csv"


@pytest.fixture(scope="module")
def example(rubric: pa.Rubric) -> pa.Result:
    return pa.score(rubric, EXAMPLE_CASES, JUDGED_2024)


class _Page(HTMLParser):
    """Collects what a test needs to see of a page: tags, attributes, bold rows, text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.driver_rows: list[str] = []
        self.tables = 0
        self._in_driver = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag == "table":
            self.tables += 1
        if tag == "tr" and ("class", "driver") in attrs:
            self._in_driver = True
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._in_driver:
            self.driver_rows.append(" ".join(t.strip() for t in self._text if t.strip()))
            self._in_driver = False

    def handle_data(self, data: str) -> None:
        if self._in_driver:
            self._text.append(data)


def test_html_is_self_contained_and_marks_the_driving_questions(example: pa.Result) -> None:
    page = _Page()
    page.feed(reports.render_html(example, title="Northamptonshire <PDU>"))
    assert "script" not in page.tags
    assert not any(name in ("src", "href") for name, _ in page.attributes)
    assert page.tables == 1 + 4  # the ratings table and one per case-based standard
    assert page.driver_rows == [
        "P2.1.3 Does assessment focus sufficiently on keeping other people safe? 11 70 16%",
        "P2.2.3 Does planning focus sufficiently on keeping other people safe? 25 70 36%",
        "P2.3.2 Does the implementation and delivery of services effectively support desistance? 15 70 21%",
        "P2.4.3 Does reviewing focus sufficiently on keeping other people safe? 17 70 24%",
    ]
    text = reports.render_html(example, title="Northamptonshire <PDU>")
    assert "<title>Northamptonshire &lt;PDU&gt;</title>" in text
    assert (
        "24 more &#x27;yes&#x27; cases (24 on P2.1.3) would lift it to Requires improvement."
        in text
    )


def test_markdown_report(example: pa.Result) -> None:
    intervals = {q.id: st.wilson(q.yes, q.relevant) for q in example.questions}
    text = reports.render_markdown(example, source="cases.csv", intervals=intervals)
    assert "| **Overall** | **Inadequate** |" in text
    assert (
        "| **P2.1.3 Does assessment focus sufficiently on keeping other people safe?** | **11** "
        "| **70** | **16%** | **9.0% to 26.0%** |"
    ) in text
    assert "- P2.1.3.a: 22 of 70 relevant cases (31%): Was domestic abuse information used" in text
    assert "## Assumptions" in text


def test_2007_report_shows_sections_and_thread(capsys: pytest.CaptureFixture[str]) -> None:
    rubric = pa.load_rubric("hmip-omi-2007")
    result = pa.score(rubric, CASES_2007, {f"4.{i}": "well met" for i in range(1, 7)})
    text = reports.render_markdown(result)
    assert "| Section 1 Assessment and sentence planning | 73.21% (73%) |" in text
    assert "| Thread: Risk of Harm | 66.41% (66%) |" in text
    assert "| **Overall** |" not in text


def test_chart_data_and_files(example: pa.Result, rubric: pa.Rubric, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from probation_audit.charts import chart_data, save_chart

    data = save_chart(example, rubric, tmp_path / "kq.png")
    assert data == chart_data(example, rubric)
    label, value = data.bars[2]
    assert label == "P2.1.3"
    assert value == pytest.approx(100 * 11 / 70)
    assert [v for _, v in data.lines] == [50.0, 65.0, 80.0]
    assert data.emphasised == ("P2.1.3", "P2.2.3", "P2.3.2", "P2.4.3")
    assert (tmp_path / "kq.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    omi = pa.load_rubric("hmip-omi-2007")
    result = pa.score(omi, CASES_2007)
    chart = save_chart(result, omi, tmp_path / "chart1.svg")
    assert [label for label, _ in chart.bars][:3] == ["1.1", "1.2", "1.3"]
    assert [round(v) for _, v in chart.bars][:5] == [80, 69, 71, 74, 72]
    assert [v for _, v in chart.lines] == [65.0, 70.0]  # the line of priority for improvement
    assert b"<svg" in (tmp_path / "chart1.svg").read_bytes()[:500]
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save_chart(result, omi, tmp_path / "chart.jpg")


def _workbook(
    path: Path, rows: list[list[object]], title: str = "Sheet1", extra_sheet: bool = False
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if extra_sheet:
        wb.create_sheet("Notes").append(["nothing here"])
    wb.save(path)


def test_read_excel_wide_with_title_rows(rubric: pa.Rubric, tmp_path: Path) -> None:
    from probation_audit.excel import read_excel

    rows: list[list[object]] = [
        list(r) for r in csv.reader(EXAMPLE_CASES.read_text(encoding="utf-8").splitlines())
    ]
    path = tmp_path / "audit.xlsx"
    _workbook(path, [["SYNTHETIC audit export"], [], *rows], title="Audit", extra_sheet=True)
    sample = read_excel(path, rubric)
    assert sample == pa.read_csv(EXAMPLE_CASES, rubric)  # source aside, the same sample
    assert sample.tally() == pa.read_csv(EXAMPLE_CASES, rubric).tally()
    assert sample.source == f"{path}[Audit]"
    assert pa.score(rubric, path, JUDGED_2024).standard("P2.1").rating == "Inadequate"


def test_read_excel_long_named_sheet_and_errors(mini: pa.Rubric, tmp_path: Path) -> None:
    from probation_audit.excel import read_excel

    path = tmp_path / "long.xlsx"
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active.append(["see the Data sheet"])
    data = wb.create_sheet("Data")
    data.append(["Audit of March (SYNTHETIC)"])
    data.append(["case_id", "question_id", "judgment"])
    for row in [
        ["C1", "S1.1", "yes"],
        ["C1", "S1.2", "maybe"],
        ["C1", "S2.1", "n/a"],
        ["C1", "S3.1", "no"],
    ]:
        data.append(row)
    wb.save(path)
    with pytest.raises(pa.AuditErrors) as info:
        read_excel(path, mini, sheet="Data")
    # Row numbers are the sheet's own (the header is on row 2).
    assert info.value.lines() == [
        f"{path}[Data]:4: case 'C1', question 'S1.2': invalid judgment 'maybe' (expected one of "
        "'yes', 'y', 'no', 'n', 'not relevant', 'not applicable', 'n/a', 'na', 'nr', any case)",
        f"{path}[Data]:6: case 'C1': unknown question id 'S3.1' (did you mean 'S2.1'? rubric 'mini' has S1.1, S1.2, S2.1)",
    ]
    with pytest.raises(pa.AuditErrors, match=r"no sheet 'Dat' \(sheets: Cover, Data\)"):
        read_excel(path, mini, sheet="Dat")
    with pytest.raises(
        pa.AuditErrors, match="missing header: no 'case_id' column in the first 20 rows"
    ):
        read_excel(path, mini)


def test_write_excel_neutralises_formulas(mini: pa.Rubric, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from probation_audit.excel import write_excel

    rubric_text = (Path(__file__).parent / "data" / "mini.toml").read_text(encoding="utf-8")
    evil = pa.parse_rubric(
        rubric_text.replace('title = "Two questions"', 'title = "=HYPERLINK(\\"http://x\\")"')
    )
    result = pa.score_tally(evil, {"S1.1": (3, 4), "S1.2": (4, 4), "S2.1": (1, 2)}, {"J1": "Good"})
    path = tmp_path / "results.xlsx"
    write_excel(result, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Ratings", "Key questions", "Rubric"]
    # Stored as the text written, a text cell marked "typed as text": never a formula.
    (cell,) = [c for (c,) in wb["Ratings"].iter_rows(min_col=2, max_col=2) if c.row == 3]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)
    assert wb["Ratings"]["B2"].quotePrefix is False  # 'Judged': an ordinary text cell
    assert [
        c.coordinate for s in wb for row in s.iter_rows() for c in row if c.data_type == "f"
    ] == []
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist())
    first = list(wb["Key questions"].iter_rows(values_only=True))[1]
    assert first[:7] == ("S1", "S1.1", "key question", "First?", 3, 4, 0.75)
    # Shown as a percentage with one decimal; headers bold and frozen.
    assert wb["Key questions"]["G2"].number_format == "0.0%"
    assert wb["Key questions"]["A1"].font.bold and wb["Key questions"].freeze_panes == "A2"


def test_dataframes(rubric: pa.Rubric) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(EXAMPLE_CASES, dtype=str, keep_default_na=False)
    result = pa.score(rubric, frame, JUDGED_2024)
    assert result == pa.score(rubric, EXAMPLE_CASES, JUDGED_2024)
    # Missing cells arrive as NaN from a default read: prompts then count as not relevant.
    assert pa.score(rubric, pandas.read_csv(EXAMPLE_CASES), JUDGED_2024) == result
    long = pandas.DataFrame(pa.read_csv(EXAMPLE_CASES, rubric).to_records())
    assert pa.score(rubric, long, JUDGED_2024).standards == result.standards
    table = result.to_frame()
    assert list(table.columns)[:4] == ["rubric", "standard", "standard_title", "standard_rating"]
    row = table[table["question"] == "P2.1.3"].iloc[0]
    assert (row["yes"], row["relevant"], row["percent"], bool(row["driving"])) == (11, 70, 16, True)
    with pytest.raises(TypeError, match="expected a pandas or polars DataFrame"):
        pa.from_frame([1, 2], rubric)


def test_polars_frames(rubric: pa.Rubric) -> None:
    polars = pytest.importorskip("polars")
    frame = polars.read_csv(EXAMPLE_CASES, infer_schema_length=0)
    assert pa.score(rubric, frame, JUDGED_2024) == pa.score(rubric, EXAMPLE_CASES, JUDGED_2024)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_formula_case_ids_are_neutralised_in_every_csv(
    mini: pa.Rubric, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = '=HYPERLINK("http://example.invalid","x")'
    quoted = evil.replace('"', '""')
    path = tmp_path / "cases.csv"
    path.write_text(
        "case_id,auditor,group,S1.1,S1.2,S2.1\n"
        f'"{quoted}",ann,"{quoted}",yes,no,yes\n'
        f'"{quoted}",bob,"{quoted}",yes,yes,yes\n'
        "C2,ann,@cmd,yes,yes,no\nC2,bob,@cmd,yes,yes,no\n",
        encoding="utf-8",
    )
    mini_path = str(Path(__file__).parent / "data" / "mini.toml")
    outputs = []
    assert main(["agreement", str(path), "--rubric", mini_path, "--format", "csv"]) == 0
    outputs.append(capsys.readouterr().out)
    single = tmp_path / "single.csv"
    single.write_text(
        "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines() if ",bob," not in line
        ).replace(",ann", ""),
        encoding="utf-8",
    )
    single.write_text(
        single.read_text(encoding="utf-8").replace("case_id,auditor,", "case_id,"), encoding="utf-8"
    )
    assert (
        main(["score", str(single), "--rubric", mini_path, "--by", "group", "--format", "csv"]) == 0
    )
    outputs.append(capsys.readouterr().out)
    assert (
        main(["compare", str(single), str(single), "--rubric", mini_path, "--format", "csv"]) == 0
    )
    outputs.append(capsys.readouterr().out)
    assert main(["feedback", str(single), "--rubric", mini_path, "--format", "csv"]) == 0
    outputs.append(capsys.readouterr().out)
    labels = ["--label==1+1", "--label=-2+3"]
    argv = ["trend", str(single), str(single), *labels, "--rubric", mini_path, "--format", "csv"]
    assert main(argv) == 0
    outputs.append(capsys.readouterr().out)
    for text in outputs:
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                if _is_number(cell):
                    continue  # a number such as -0.66 is data, not a formula
                assert not cell.startswith(("=", "+", "-", "@")), (cell, text)
    assert "'=HYPERLINK" in outputs[0]  # the case id, in the list of disagreements
    assert "group==HYPERLINK" in outputs[1] and "group=@cmd" in outputs[1]  # label first: inert
    assert "'=HYPERLINK" in outputs[3] and "'@cmd" in outputs[3]  # the feedback's attributes
    assert ",'=1+1," in outputs[4] and ",'-2+3," in outputs[4]  # the trend's periods


def test_written_reports_show_any_text_as_written(mini: pa.Rubric) -> None:
    result = pa.score_tally(mini, {"S1.1": (3, 4), "S1.2": (4, 4), "S2.1": (1, 2)}, {"J1": "Good"})
    hostile = "<img src=x onerror=alert(1)> | *bold* [link](javascript:x)\n- item"
    details = reports.ReportDetails(title=hostile, auditor="# A. N. Auditor", source="a|b.csv")
    text = reports.render_markdown(result, details=details)
    heading = text.splitlines()[0]
    assert heading == (
        "# &lt;img src=x onerror=alert(1)\\> \\| \\*bold\\* \\[link\\](javascript:x) - item"
    )
    assert "<img" not in text and "a\\|b.csv" in text and "\\# A. N. Auditor" in text
    page = reports.render_html(result, details=details)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_report_command_writes_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("openpyxl")
    # The Northamptonshire 2024 example in .xlsx form, as an auditor would export it.
    args = ["report", str(EXAMPLE_CASES.with_suffix(".xlsx")), "--rubric", "hmip-probation-2023"]
    args += [f"--rating={k}={v}" for k, v in JUDGED_2024.items()]
    outputs = ["--markdown", str(tmp_path / "r.md"), "--html", str(tmp_path / "r.html")]
    outputs += ["--chart", str(tmp_path / "r.svg"), "--xlsx", str(tmp_path / "r.xlsx")]
    assert main([*args, *outputs, "--intervals", "--probabilities", "--resamples", "200"]) == 0
    assert capsys.readouterr().out.count("wrote ") == 4
    assert "9.0% to 26.0%" in (tmp_path / "r.md").read_text(encoding="utf-8")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<th>How sure</th>" in page and "almost certain (at least 99 in 100)" in page
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("# Case audit: hmip-probation-2023")


def test_bundled_workbook_matches_the_csv(rubric: pa.Rubric) -> None:
    pytest.importorskip("openpyxl")
    from probation_audit.excel import read_excel

    workbook = EXAMPLE_CASES.with_suffix(".xlsx")
    assert read_excel(workbook, rubric) == pa.read_csv(EXAMPLE_CASES, rubric)


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


def test_a_modified_copy_of_a_bundled_rubric_is_named_by_its_file_and_rules(
    tmp_path: Path,
) -> None:
    from probation_audit.loading import bundled_path

    text = bundled_path("hmip-probation-2023").read_text(encoding="utf-8")
    copy = tmp_path / "copy.toml"
    copy.write_text(text.replace('method = "exact"', 'method = "half-up"', 1), encoding="utf-8")
    result = pa.score(pa.load_rubric(copy), EXAMPLE_CASES, JUDGED_2024)
    label = f"hmip-probation-2023 from {copy}, rules b48ce7f24ce6"
    assert result.rubric_label == label
    # Markdown escapes the path's underscores; the file's name and the rules read as written.
    assert "/copy.toml, rules b48ce7f24ce6, scored by" in reports.render_markdown(result)
    assert f"70 cases, rubric {html.escape(label)}, scored by" in reports.render_html(result)
    bundled = pa.score(pa.load_rubric("hmip-probation-2023"), EXAMPLE_CASES, JUDGED_2024)
    assert "rubric hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules " + (
        "02ea540259dd, scored by"
    ) in reports.render_html(bundled)


UNIT_Q1 = ROOT / "examples" / "unit-audit" / "q1.csv"


def test_the_feedback_section_gives_each_ids_wording_in_rubric_order(rubric: pa.Rubric) -> None:
    from probation_audit._feedback import case_feedback

    sample = pa.read_judgments(UNIT_Q1, rubric)
    feedback = case_feedback(rubric, sample)
    text = reports.render_markdown(pa.score(rubric, sample), feedback=feedback)
    named = {i for c in feedback for i, _ in (*c.questions, *c.prompts)}
    order = [i for q in rubric.questions for i in (q.id, *(p.id for p in q.prompts)) if i in named]
    wording = {q.id: q.text for q in rubric.questions}
    wording.update({p.id: p.text for q in rubric.questions for p in q.prompts})
    head = "What each question and prompt above asks:\n\n"
    assert head in text
    listed = text.split(head, 1)[1].split("\n\n", 1)[0].splitlines()
    assert listed == [f"- {i}: {wording[i]}" for i in order]
    assert (
        reports._id_order("P2.1.10") > reports._id_order("P2.1.9.b") > reports._id_order("P2.1.9")
    )


def test_the_breakdown_is_one_table_for_the_report_and_its_workbook(rubric: pa.Rubric) -> None:
    sample = pa.read_judgments(UNIT_Q1, rubric)
    groups = st.by_attribute(rubric, sample, "team", min_relevant=15)
    header, rows = reports.breakdown_table(groups)
    assert header == ["team", "Cases", "P2.1", "P2.2", "P2.3", "P2.4"]
    assert [row[:2] for row in rows] == [["North", 16], ["South", 14]]
    south = next(g for g in groups if g.value == "South")
    assert south.too_small  # 14 cases: every key question has fewer than 15 relevant
    assert rows[1][2:] == [
        f"({s.shown_rating})" for s in south.result.standards if s.basis != "judged"
    ]
    text = reports.render_markdown(pa.score(rubric, sample), groups=groups)
    assert f"| South | 14 | {' | '.join(map(str, rows[1][2:]))} |" in text


def test_the_report_workbook_holds_the_sheets_the_report_points_to(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    cases = tmp_path / "cases.csv"
    cases.write_text(
        UNIT_Q1.read_text(encoding="utf-8").replace(
            "case_id,team,", "case_id,team/unit: [a]*?,", 1
        ),
        encoding="utf-8",
    )
    book, page = tmp_path / "r.xlsx", tmp_path / "r.md"
    argv = ["report", "--rubric", "hmip-probation-2023", str(cases), "--by", "team/unit: [a]*?"]
    argv += [
        "--feedback",
        "--feedback-by",
        "practitioner",
        "--xlsx",
        str(book),
        "--markdown",
        str(page),
    ]
    assert main(argv) == 0
    capsys.readouterr()
    assert (
        "each key question's 'yes' as a percentage of the group's relevant cases "
        "('-': none relevant); the counts are in the Groups sheet of r.xlsx."
    ) in page.read_text(encoding="utf-8")
    workbook = openpyxl.load_workbook(book)
    # The attribute, whatever characters it holds, is a column heading: the sheet is "Breakdown".
    assert workbook.sheetnames == [
        "Ratings",
        "Key questions",
        "Breakdown",
        "Feedback",
        "Groups",
        "Rubric",
    ]
    groups = [[c.value for c in row] for row in workbook["Groups"].iter_rows()]
    assert groups[0] == ["practitioner", "cases", "question", "yes", "relevant", "% yes", "note"]
    assert groups[1][:5] == ["A. Patel", 7, "P2.1.1", 5, 7]
    by = [[c.value for c in row] for row in workbook["Breakdown"].iter_rows()]
    assert by[0] == [
        "team/unit: [a]*?",
        "cases",
        "standard",
        "rating",
        "score",
        "driven by",
        "note",
    ]
    assert by[1][:4] == ["North", 16, "P2.1", "Requires improvement"]
    assert sorted({row[0] for row in by[1:]}) == ["North", "South"]


def test_a_report_points_to_a_workbook_only_when_one_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page, web = tmp_path / "x.md", tmp_path / "x.html"
    argv = ["report", str(UNIT_Q1), "--rubric", "hmip-probation-2023", "--casework-only"]
    argv += ["--feedback", "--feedback-by", "practitioner"]
    assert main([*argv, "--html", str(web), "--markdown", str(page)]) == 0
    assert capsys.readouterr().out == f"wrote {page}\nwrote {web}\n"
    sentence = (
        "By practitioner: each key question's 'yes' as a percentage of the group's relevant "
        "cases ('-': none relevant)."
    )
    text = page.read_text(encoding="utf-8")
    assert sentence in text
    assert "workbook" not in text and "Groups sheet" not in text
    assert "Groups sheet" not in web.read_text(encoding="utf-8")
    assert "workbook" not in web.read_text(encoding="utf-8")
    # The library's own call names no workbook unless one is given.
    rubric = pa.load_rubric("hmip-probation-2023")
    analysis = pa.analyse(
        rubric,
        pa.read_judgments(UNIT_Q1, rubric),
        feedback=True,
        feedback_by="practitioner",
        casework_only=True,
    )
    assert sentence in reports.render_markdown(analysis)
    named = reports.render_markdown(analysis, details=reports.ReportDetails(workbook="q1.xlsx"))
    assert sentence[:-1] + "; the counts are in the Groups sheet of q1.xlsx." in named
