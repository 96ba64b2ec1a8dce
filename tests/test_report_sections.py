"""Reports people read: metadata, how sure, breakdown and feedback sections, prompts without
data left out, the results workbook's sheets, trends, and the page in a real browser."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit import reports
from probation_audit import statistics as st
from probation_audit._feedback import case_feedback
from probation_audit._trends import trend
from probation_audit.cli import main
from probation_audit.excel import excel_bytes

from .conftest import EXAMPLE_CASES, ROOT

UNIT = ROOT / "examples" / "unit-audit"
RUBRIC = pa.load_rubric("hmip-probation-2023")


@pytest.fixture(scope="module")
def q1() -> pa.Sample:
    return pa.read_judgments(UNIT / "q1.csv", RUBRIC)


def test_report_metadata_how_sure_and_sections(q1: pa.Sample) -> None:
    result = pa.score(RUBRIC, q1)
    probabilities = st.rating_probabilities(RUBRIC, q1, population=400, resamples=2_000)
    details = reports.ReportDetails(
        title="North PDU audit", period="2026 Q1", auditor="Audit team", date="1 April 2026"
    )
    groups = st.by_attribute(RUBRIC, q1, "team")
    text = reports.render_markdown(
        result,
        details=details,
        probabilities=probabilities,
        groups=groups,
        feedback=case_feedback(RUBRIC, q1),
    )
    assert text.startswith(
        "# North PDU audit\n\nPeriod: 2026 Q1; Auditor: Audit team; Date: 1 April 2026; "
        "30 cases, rubric hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules "
        f"02ea540259dd, scored by probation-audit {pa.__version__}.\n"
    )
    assert "| Standard | Rating | How sure |" in text
    head = probabilities.headline("P2.2")
    assert f"| P2.2 Planning | Inadequate | {head.words} ({head.odds}) |" in text
    assert "How sure: the chance that the rating would be the same if every case" in text
    assert "caseload of 400 cases." in text
    assert "## By team" in text and "| North |" in text and "| South |" in text
    assert "## Feedback on each case" in text
    first = case_feedback(RUBRIC, q1)[0]
    assert f"| {first.case_id} | team: South; practitioner: D. Smith;" in text
    html = reports.render_html(result, details=details, probabilities=probabilities)
    assert "<title>North PDU audit</title>" in html
    assert "Period: 2026 Q1<br>Auditor: Audit team<br>Date: 1 April 2026" in html


def test_a_rating_the_sample_gives_but_the_caseload_probably_would_not() -> None:
    # Quarter 2: P2.2.3 at 13 of 25 (52%) is just above the 50% edge. Under the fixed prior of
    # four pseudo-cases, the caseload is more likely Inadequate (the pooled default leans to
    # the sample's own rating here).
    sample = pa.read_judgments(UNIT / "q2.csv", RUBRIC)
    result = pa.score(RUBRIC, sample)
    probabilities = st.rating_probabilities(
        RUBRIC, sample, population=400, method="bayesian-bootstrap-fixed-prior"
    )
    head = probabilities.headline("P2.2")
    assert result.standard("P2.2").rating == "Requires improvement"
    assert head.rating == "Inadequate"
    text = reports.render_markdown(result, probabilities=probabilities)
    assert f"| Requires improvement | Inadequate more likely: {head.words} ({head.odds}) |" in text


def test_prompts_without_relevant_cases_are_left_out() -> None:
    rows = [
        {"case_id": f"C{i}", "question_id": q.id, "judgment": "yes"}
        for i in range(3)
        for s in RUBRIC.standards
        for q in s.questions
    ]
    rows += [{"case_id": f"C{i}", "question_id": "P2.1.3.a", "judgment": "no"} for i in range(3)]
    result = pa.score(RUBRIC, pa.from_records(rows, RUBRIC))
    text = reports.render_markdown(result)
    assert "- P2.1.3.a: 0 of 3 relevant cases (0%)" in text
    assert "0 of 0" not in text
    assert "prompts with no relevant cases left out (P2.1.1.a, P2.1.1.b," in text


def test_results_workbook_has_intervals_how_sure_and_feedback(
    q1: pa.Sample, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    result = pa.score(RUBRIC, q1)
    probabilities = st.rating_probabilities(RUBRIC, q1, resamples=2_000)
    intervals = {q.id: st.wilson(q.yes, q.relevant) for q in result.questions if q.relevant}
    path = tmp_path / "results.xlsx"
    path.write_bytes(
        excel_bytes(
            pa.Analysis.of(
                result,
                intervals=intervals,
                probabilities=probabilities,
                feedback=case_feedback(RUBRIC, q1),
            )
        )
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Ratings", "Key questions", "Feedback", "Rubric"]
    ratings = list(book["Ratings"].values)
    assert ratings[0][:10] == (
        "standard", "title", "rating", "points", "score", "driven by", "boundary-sensitive",
        "most likely rating", "how sure", "probability",
    )  # fmt: skip
    p22 = next(r for r in ratings if r[0] == "P2.2")
    head = probabilities.headline("P2.2")
    assert p22[7:10] == (head.rating, f"{head.words} ({head.odds})", head.probability)
    questions = book["Key questions"]
    header = [c.value for c in questions[1]]
    assert header[7:9] == ["95% low", "95% high"]
    row = next(r for r in questions.iter_rows(min_row=2) if r[1].value == "P2.1.3")
    assert row[7].value == pytest.approx(intervals["P2.1.3"].low)
    assert row[7].number_format == "0.0%"
    feedback = list(book["Feedback"].values)
    assert feedback[0] == ("case_id", "team", "practitioner", "sentence_type", "kind", "id", "text")
    first = case_feedback(RUBRIC, q1)[0]
    assert feedback[1][:6] == (
        first.case_id,
        "South",
        "D. Smith",
        "community order",
        "key question",
        first.questions[0][0],
    )


def test_trend_of_two_quarters() -> None:
    results = [pa.score(RUBRIC, UNIT / f"q{k}.csv") for k in (1, 2)]
    found = trend(results, ["2026 Q1", "2026 Q2"])
    p = found.question("P2.3.3")
    assert [(x.yes, x.relevant) for x in p] == [(11, 26), (17, 25)]
    assert dict(found.ratings)["P2.3"] == ("Inadequate", "Good")
    change = next(c for c in found.last_change if c.id == "P2.3.3")
    assert change.sentence().startswith("rose from 42% to 68% (11 of 26, then 17 of 25)")
    with pytest.raises(ValueError, match="period names must differ"):
        trend(results, ["Q", "Q"])
    with pytest.raises(ValueError, match="one period name per audit"):
        trend(results, ["Q"])


def test_trend_command_writes_report_and_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    args = ["trend", str(UNIT / "q1.csv"), str(UNIT / "q2.csv"), "--rubric", "hmip-probation-2023"]
    args += ["--label", "2026 Q1", "--label", "2026 Q2", "--casework-only"]
    outputs = ["--html", str(tmp_path / "t.html"), "--chart", str(tmp_path / "t.png")]
    assert main([*args, *outputs, "--title", "Trend"]) == 0
    assert capsys.readouterr().out.count("wrote ") == 2
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert '<h2 id="ratings">Ratings by period</h2>' in page
    assert "<th>2026 Q1</th><th>2026 Q2</th>" in page
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    last = next(r for r in rows if r["id"] == "P2.1.1" and r["period"] == "2026 Q2")
    assert (last["last_change"], last["significant"]) == ("-0.1000", "False")
    assert {r["id"] for r in rows if r["row"] == "standard"} == {"P2.1", "P2.2", "P2.3", "P2.4"}
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ratings"]["P2.3"] == ["Inadequate", "Good"]
    with pytest.raises(SystemExit) as info:
        main([*args, "--chart", str(tmp_path / "t.jpg")])
    assert info.value.code == 2


def test_report_command_with_every_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("openpyxl")
    args = ["report", str(UNIT / "q1.csv"), "--rubric", "hmip-probation-2023", "--casework-only"]
    args += ["--title", "North PDU", "--period", "2026 Q1", "--auditor", "A", "--date", "today"]
    args += ["--by", "team", "--feedback", "--feedback-by", "practitioner", "--probabilities"]
    args += ["--population", "400", "--resamples", "1000", "--intervals"]
    md, xlsx = tmp_path / "r.md", tmp_path / "r.xlsx"
    assert main([*args, "--markdown", str(md), "--xlsx", str(xlsx)]) == 0
    text = md.read_text(encoding="utf-8")
    for heading in ("## Ratings", "## By team", "## Feedback on each case"):
        assert heading in text
    qids = " | ".join(pa.load_rubric("hmip-probation-2023").question_ids)
    assert f"| practitioner | Cases | {qids} |" in text
    assert "Too few cases to compare (under 5), so not shown: " in text
    # q1.csv records no prompts: no column of "none" for them
    assert "Prompts answered No" not in text
    assert "No case answered a prompt No (or no prompt was recorded)." in text
    with pytest.raises(SystemExit) as info:
        main([*args[:4], "--feedback-by", "team", "--markdown", str(md)])
    assert info.value.code == 2
    assert "--feedback-by goes with --feedback" in capsys.readouterr().err


def test_score_rejects_probability_options_without_probabilities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for option in (["--population", "400"], ["--distribution"]):
        with pytest.raises(SystemExit) as info:
            main(["score", str(EXAMPLE_CASES), "--rubric", "hmip-probation-2023", *option])
        assert info.value.code == 2
        assert "goes with --probabilities" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(
            [
                "score",
                str(EXAMPLE_CASES),
                "--rubric",
                "hmip-probation-2023",
                "--probabilities",
                "--population",
                "20",
            ]
        )
    assert "--population 20 is smaller than the sample's 70 cases" in capsys.readouterr().err


_BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    _BROWSER is None, reason="no headless Chromium installed (Debian package chromium)"
)
def test_html_report_in_a_real_browser(q1: pa.Sample, tmp_path: Path) -> None:
    """Rendered at 1200 px by headless Chromium: no horizontal overflow, no script, no
    resource errors (the page loads nothing)."""
    result = pa.score(RUBRIC, q1)
    page = tmp_path / "report.html"
    page.write_text(
        reports.render_html(
            result,
            details=reports.ReportDetails(title="Browser check", period="2026 Q1"),
            probabilities=st.rating_probabilities(RUBRIC, q1, resamples=1_000),
            intervals={q.id: st.wilson(q.yes, q.relevant) for q in result.questions if q.relevant},
            groups=st.by_attribute(RUBRIC, q1, "team"),
            feedback=case_feedback(RUBRIC, q1),
        ),
        encoding="utf-8",
    )
    # The page's own size after layout, printed into the DOM by Chromium: a script is added to
    # a copy only for measuring; the report itself has none.
    probe = tmp_path / "probe.html"
    probe.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>",
            "<script>document.title = 'W=' + document.documentElement.scrollWidth + "
            "';C=' + document.documentElement.clientWidth;</script></body>",
        ),
        encoding="utf-8",
    )
    assert _BROWSER is not None
    common: list[str] = [
        _BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1200,900",
    ]
    dom = subprocess.run(
        [*common, "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    title = dom.stdout.split("<title>", 1)[1].split("</title>", 1)[0]
    width, client = (int(part.split("=")[1]) for part in title.split(";"))
    assert width <= client, f"the page overflows: {width} px wide in a {client} px window"
    shot = tmp_path / "report.png"
    run = subprocess.run(
        [*common, f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "ERR_" not in run.stderr and "Uncaught" not in run.stderr


def test_feedback_workbook_and_the_python_view(
    q1: pa.Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    first_case, questions, prompts = q1.answered_no()[0]
    assert (first_case, questions) == ("SYN-0011", ("P2.1.3", "P2.2.3", "P2.3.3", "P2.4.3"))
    assert prompts == ()
    path = tmp_path / "feedback.xlsx"
    args = ["feedback", str(UNIT / "q1.csv"), "--rubric", "hmip-probation-2023"]
    assert main([*args, "--by", "practitioner", "--xlsx", str(path)]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Feedback", "Groups", "Rubric"]
    rows = list(book["Feedback"].values)
    assert rows[1][:6] == (
        "SYN-0011",
        "South",
        "D. Smith",
        "community order",
        "key question",
        "P2.1.3",
    )
    groups = list(book["Groups"].values)
    jones = [r for r in groups if r[0] == "B. Jones"]
    assert jones and all(
        r[3] is None and r[6] == "too few cases to compare (under 5)" for r in jones
    )
    with pytest.raises(SystemExit) as info:
        main([*args, "--xlsx", str(tmp_path / "f.csv")])
    assert info.value.code == 2
