"""Result values: short reprs, notebook tables, typed frames, plain data round trips."""

from __future__ import annotations

import sys

import attrs
import pytest

import probation_audit as pa
from probation_audit import _display
from probation_audit.rating import score_tally
from probation_audit.results import Result

from .conftest import ROOT

RUBRIC = pa.load_rubric("hmip-probation-2023")
Q1 = ROOT / "examples" / "unit-audit" / "q1.csv"
JUDGED = {"P1.1": "Requires improvement", "P1.2": "Inadequate", "P1.3": "Good"}


def _result() -> Result:
    """q1.csv's result, with P1.2 given as not rated (as a rubric that allows it gives it)."""
    result = pa.score(RUBRIC, Q1, JUDGED)
    p12 = attrs.evolve(result.standard("P1.2"), rating=None, points=None, not_rated=True)
    standards = tuple(p12 if s.id == "P1.2" else s for s in result.standards)
    return attrs.evolve(result, standards=standards)


def _with_an_empty_question() -> Result:
    """SYNTHETIC tallies: every question 5 of 10 relevant, but P2.1.1 with none relevant."""
    tally = {q: (5, 10) for q in RUBRIC.question_ids}
    tally["P2.1.1"] = (0, 0)
    return score_tally(RUBRIC, tally, JUDGED, cases=10)


def test_repr_is_one_short_line_with_the_headline() -> None:
    text = repr(_result())
    assert "\n" not in text and len(text) < 200
    assert text == (
        "<Result hmip-probation-2023: 30 cases, 7 standards (1 Good, 2 Requires improvement, "
        "3 Inadequate, 1 not rated); overall Requires improvement (4 of 21 points)>"
    )
    assert "1 not rated" in text
    rated = pa.score(RUBRIC, Q1, JUDGED)
    assert rated.overall is not None and rated.overall.rating is not None
    assert repr(rated).endswith(
        f"; overall {rated.overall.rating} ({rated.overall.points} of "
        f"{rated.overall.max_points} points)>"
    )


def test_labels_are_the_scales_order_and_survive_plain_data() -> None:
    result = _result()
    assert result.labels == RUBRIC.rating_scale.labels
    assert Result.from_dict(result.to_dict()) == result
    assert result.to_dict()["labels"] == list(RUBRIC.rating_scale.labels)
    assert Result.from_dict({**result.to_dict(), "labels": []}).labels == ()


def test_a_result_names_its_rubrics_file_and_rules_and_keeps_them_in_plain_data() -> None:
    result = _result()
    assert (result.rubric_file, result.rubric_fingerprint) == (
        "hmip-probation-2023.toml (bundled)",
        "02ea540259dd",
    )
    assert result.rubric_label == (
        "hmip-probation-2023 from hmip-probation-2023.toml (bundled), rules 02ea540259dd"
    )
    data = result.to_dict()
    assert (data["rubric_file"], data["rubric_fingerprint"]) == (
        "hmip-probation-2023.toml (bundled)",
        "02ea540259dd",
    )
    assert Result.from_dict(data) == result
    # A dict written before results named them still loads, without them.
    old = {k: v for k, v in data.items() if k not in ("rubric_file", "rubric_fingerprint")}
    loaded = Result.from_dict(old)
    assert (loaded.rubric_file, loaded.rubric_fingerprint) == (None, None)
    assert loaded.rubric_label == "hmip-probation-2023"
    assert "rubric hmip-probation-2023 from hmip-probation-2023.toml (bundled)" in result.html()


def test_a_rubric_not_read_from_a_file_is_named_by_its_rules_alone() -> None:
    text = (ROOT / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
    rubric = pa.parse_rubric(text.replace('method = "exact"', 'method = "half-up"', 1))
    result = pa.score(rubric, Q1, JUDGED)
    assert (result.rubric_file, result.rubric_fingerprint) == (None, "b48ce7f24ce6")
    assert result.rubric_label == "hmip-probation-2023, rules b48ce7f24ce6"
    # Its note says the id is a bundled one with other rules.
    assert any("fingerprint b48ce7f24ce6, bundled 02ea540259dd" in n for n in result.notes)


def test_question_frame_is_typed() -> None:
    pytest.importorskip("pandas")
    frame = _with_an_empty_question().to_frame()
    assert list(frame.columns) == list(_with_an_empty_question().to_records()[0])
    assert frame["yes"].dtype == "Int64" and frame["relevant"].dtype == "Int64"
    assert frame["percent"].dtype == "float64" and frame["driving"].dtype == "boolean"
    assert frame["standard_rating"].cat.ordered
    assert list(frame["standard_rating"].cat.categories) == list(RUBRIC.rating_scale.labels)
    empty = frame[frame["question"] == "P2.1.1"].iloc[0]
    assert empty["relevant"] == 0 and frame["percent"].isna().sum() == 1
    full = frame[frame["question"] == "P2.1.2"].iloc[0]
    assert full["percent"] == 50.0 and full["proportion"] == 0.5


def test_standard_frame_has_every_standard_and_the_overall_rating() -> None:
    pytest.importorskip("pandas")
    result = _result()
    frame = result.standard_frame()
    assert list(frame["standard"]) == [*(s.id for s in RUBRIC.standards), "overall"]
    assert frame["points"].dtype == "Int64" and frame["cases"].dtype == "Int64"
    p12 = frame[frame["standard"] == "P1.2"].iloc[0]
    assert p12["not_rated"] and p12["rating"] is not None and str(p12["rating"]) == "nan"
    p21 = result.standard("P2.1")
    row = frame[frame["standard"] == "P2.1"].iloc[0]
    lead = result.question(p21.driven_by[0])
    assert row["driven_by"] == " ".join(p21.driven_by)
    assert (row["yes"], row["relevant"]) == (lead.yes, lead.relevant)
    assert row["percent"] == float(lead.printed or 0) and row["points"] == p21.points
    overall = frame[frame["standard"] == "overall"].iloc[0]
    assert result.overall is not None and overall["points"] == result.overall.points
    # An ordered categorical compares in the scale's order.
    rated = frame.dropna(subset=["rating"])
    assert (rated["rating"] >= "Inadequate").all()


def test_polars_frames_have_the_same_columns() -> None:
    pytest.importorskip("pandas")
    polars = pytest.importorskip("polars")
    result = _with_an_empty_question()
    for pandas_frame, polars_frame in (
        (result.to_frame(), result.to_frame(backend="polars")),
        (result.standard_frame(), result.standard_frame(backend="polars")),
    ):
        assert polars_frame.columns == list(pandas_frame.columns)
        assert polars_frame.height == len(pandas_frame)
    questions = result.to_frame(backend="polars")
    assert questions.schema["yes"] == polars.Int64
    assert questions.schema["standard_rating"] == polars.Enum(list(RUBRIC.rating_scale.labels))
    assert questions.filter(polars.col("question") == "P2.1.1")["percent"].to_list() == [None]


def test_a_missing_library_is_named_with_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ImportError, match=r"needs polars: pip install 'probation-audit\[polars\]'"):
        _result().to_frame(backend="polars")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"needs pandas: pip install 'probation-audit\[frames\]'"):
        _result().standard_frame()
    with pytest.raises(ValueError, match="backend must be one of pandas, polars, got 'arrow'"):
        _result().to_frame(backend="arrow")  # type: ignore[arg-type]


def test_html_colours_ratings_and_escapes_text() -> None:
    result = _result()
    p21 = result.standard("P2.1")
    odd = attrs.evolve(p21, title="<b>Assessment & co</b>")
    page = attrs.evolve(result, standards=(odd, *result.standards[1:]))._repr_html_()
    assert "&lt;b&gt;Assessment &amp; co&lt;/b&gt;" in page and "<b>Assessment" not in page
    assert p21.rating is not None
    colour = _display.RATING_COLOURS[p21.rating]
    assert (
        f'<td style="background:{colour};font-weight:bold;text-align:left">{p21.rating}</td>'
        in page
    )
    assert " ".join(p21.margin_notes()).replace("'", "&#x27;") in page
    assert page.count("<tr>") == 1 + len(result.standards) + 1
    assert "How sure" not in page
    rated = [s for s in result.standards if s.rating is not None and s.basis != "judged"]
    ends = sum((s.lift is None) + (s.drop is None) for s in rated)
    assert page.count("It is at the") == ends  # a judged rating has no margins
    assert "How sure" in result.html({"P2.1": "very likely"})


def test_the_report_colours_each_rating_as_the_notebook_does() -> None:
    from probation_audit import reports

    for label, colour in _display.RATING_COLOURS.items():
        assert f".{label.replace(' ', '-')} {{ background: {colour}; }}" in reports._CSS
