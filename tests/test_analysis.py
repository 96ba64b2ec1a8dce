"""One analysis, made once, rendered by every writer: the figures each writer shows are the
Analysis's own."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit import reports
from probation_audit.analysis import Analysis, analyse
from probation_audit.cli import main

from .conftest import EXAMPLE_CASES, JUDGED_2024

RUBRIC = pa.load_rubric("hmip-probation-2023")


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    sample = pa.read_judgments(EXAMPLE_CASES, RUBRIC)
    return analyse(
        RUBRIC,
        sample,
        JUDGED_2024,
        intervals=True,
        probabilities=True,
        resamples=500,
        seed=3,
        by="sentence_type",
        feedback=True,
        feedback_by="sentence_type",
    )


def test_analyse_computes_each_figure_once(analysis: Analysis) -> None:
    result = analysis.result
    assert result == pa.score(RUBRIC, pa.read_judgments(EXAMPLE_CASES, RUBRIC), JUDGED_2024)
    relevant = [q.id for q in result.questions if q.relevant]
    assert [q for q, _ in analysis.intervals] == relevant
    first = analysis.interval_map[relevant[0]]
    q = next(q for q in result.questions if q.id == relevant[0])
    assert first == pa.statistics.interval(q.yes, q.relevant)
    assert analysis.probabilities is not None and analysis.probabilities.resamples == 500
    assert {g.value for g in analysis.groups} == {"community order", "licence"}
    assert analysis.feedback is not None and len(analysis.feedback) == result.cases
    assert {g.value for g in analysis.feedback_groups} == {"community order", "licence"}
    data = analysis.to_dict()
    assert set(data) == {
        "intervals", "uncertain", "probabilities", "groups", "feedback", "feedback_groups"
    }  # fmt: skip
    json.dumps(data)  # plain data


def test_a_bare_analysis_has_no_optional_figures() -> None:
    sample = pa.read_judgments(EXAMPLE_CASES, RUBRIC)
    bare = analyse(RUBRIC, sample)
    assert (bare.intervals, bare.probabilities, bare.groups, bare.feedback) == ((), None, (), None)
    assert bare.to_dict() == {}
    casework = analyse(RUBRIC, sample, casework_only=True)
    assert casework.result.overall is None
    assert all(s.basis != "judged" for s in casework.result.standards)


def test_a_casework_only_analysis_has_no_judged_standard_in_any_group() -> None:
    sample = pa.read_judgments(EXAMPLE_CASES, RUBRIC)
    casework = analyse(RUBRIC, sample, casework_only=True, by="sentence_type")
    assert [g.value for g in casework.groups] == ["community order", "licence"]
    for g in casework.groups:
        assert [s.id for s in g.result.standards] == ["P2.1", "P2.2", "P2.3", "P2.4"]
        assert g.result.overall is None
    whole = analyse(RUBRIC, sample, by="sentence_type")
    assert [s.id for s in whole.groups[0].result.standards][:3] == ["P1.1", "P1.2", "P1.3"]
    assert whole.groups[0].result.overall is not None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"casework_only": True, "ratings": JUDGED_2024}, "casework-only audit rates no judged"),
        ({"feedback_by": "sentence_type"}, "feedback_by goes with feedback"),
        ({"by": "colour"}, "colour"),
        ({"feedback": True, "feedback_by": "colour"}, "colour"),
    ],
)
def test_options_analyse_refuses(options: dict[str, object], message: str) -> None:
    sample = pa.read_judgments(EXAMPLE_CASES, RUBRIC)
    ratings = options.pop("ratings", None)
    with pytest.raises(ValueError, match=message):
        analyse(RUBRIC, sample, ratings, **options)  # type: ignore[arg-type]


def test_the_reports_render_the_analysis_as_they_render_its_figures(analysis: Analysis) -> None:
    """The writers take the Analysis itself, or (as before 0.2) a result and its figures: the
    same page either way."""
    details = reports.ReportDetails(title="SYNTHETIC unit", source="cases.csv")
    legacy = {
        "intervals": analysis.interval_map,
        "uncertain": analysis.uncertain_map,
        "probabilities": analysis.probabilities,
        "groups": analysis.groups,
        "feedback": analysis.feedback,
        "feedback_groups": analysis.feedback_groups,
    }
    for render in (reports.render_markdown, reports.render_html):
        page = render(analysis, details=details)
        assert page == render(analysis.result, details=details, **legacy)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="an Analysis carries its own figures"):
            render(analysis, details=details, groups=analysis.groups)


def test_score_prints_the_analysis_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The figures of the text, CSV and JSON outputs are the Analysis's."""
    argv = ["score", str(EXAMPLE_CASES), "--rubric", "hmip-probation-2023", "--intervals"]
    sample = pa.read_judgments(EXAMPLE_CASES, RUBRIC)
    expected = analyse(RUBRIC, sample, intervals=True)
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intervals"] == expected.to_dict()["intervals"]
    assert main([*argv, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    low = {r["id"]: r["low"] for r in rows if r["row"] == "question"}
    for qid, interval in expected.intervals:
        assert float(low[qid]) == pytest.approx(interval.low, abs=5e-5)
    assert main(argv) == 0
    text = capsys.readouterr().out
    qid, interval = expected.intervals[0]
    assert f"    {qid:<12}{interval.low * 100:6.1f}% to {interval.high * 100:5.1f}%" in text


def test_repr_names_the_result_and_the_figures(analysis: Analysis) -> None:
    text = repr(analysis)
    assert text.startswith(f"<Analysis of {repr(analysis.result)[1:-1]}; with intervals for ")
    assert text.endswith(f", 2 groups by sentence_type, feedback on {analysis.result.cases} cases>")
    assert repr(Analysis(analysis.result)) == f"<Analysis of {repr(analysis.result)[1:-1]}>"


def test_how_sure_is_the_reports_words(analysis: Analysis) -> None:
    sure = analysis.how_sure()
    assert set(sure) == {
        *(s.id for s in analysis.result.standards if s.basis != "judged"),
        "overall",
    }
    page = reports.render_html(analysis)
    for words in sure.values():
        assert words and words.replace("'", "&#x27;") in page
    assert Analysis(analysis.result).how_sure() == {}
    cell = analysis._repr_html_()
    assert "How sure" in cell and all(w.replace("'", "&#x27;") in cell for w in sure.values())
    assert "licence" in cell  # the groups' table


def test_frames_carry_the_intervals_flags_and_probabilities(analysis: Analysis) -> None:
    pytest.importorskip("pandas")
    frame = analysis.to_frame()
    first, interval = analysis.intervals[0]
    row = frame[frame["question"] == first].iloc[0]
    assert (row["low"], row["high"]) == (interval.low, interval.high)
    assert frame["low"].dtype == "float64"
    standards = analysis.standard_frame()
    assert standards["uncertain"].dtype == "boolean"
    assert analysis.probabilities is not None
    for sid, flag in analysis.uncertain:
        got = standards[standards["standard"] == sid].iloc[0]
        assert bool(got["uncertain"]) == flag
        rating = analysis.result.standard(sid).rating
        assert rating is not None
        assert got["probability"] == analysis.probabilities.of(sid)[rating]
    judged = standards[standards["standard"] == "P1.1"].iloc[0]
    assert judged["uncertain"] is judged["uncertain"] and str(judged["uncertain"]) == "<NA>"
    polars = pytest.importorskip("polars")
    assert analysis.standard_frame(backend="polars").schema["probability"] == polars.Float64
