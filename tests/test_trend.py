"""Several audits of one unit: each key question and rating per period, the last change."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import probation_audit as pa
from probation_audit._trends import trend
from probation_audit.cli import main

from .conftest import DATA, ROOT


def _audits(tmp_path: Path) -> list[Path]:
    paths = []
    for k, yes in enumerate((3, 6, 10)):
        path = tmp_path / f"q{k + 1}.csv"
        path.write_text(
            "case_id,S1.1,S1.2,S2.1\n"
            + "".join(f"C{i},{'yes' if i < yes else 'no'},yes,yes\n" for i in range(10)),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_trend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in _audits(tmp_path)]
    base = ["trend", *paths, "--rubric", str(DATA / "mini.toml"), "--rating", "J1=Good"]
    labels = ["--label", "Q1", "--label", "Q2", "--label", "Q3"]
    assert main([*base, *labels]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["Q1", "Q2", "Q3"]
    s11 = out[2].split()
    assert s11[0] == "S1.1" and s11[1] == "30%" and s11[3] == "60%" and s11[5] == "100%"
    assert "last change, Q2 to Q3:" in out
    assert (
        "  S1.1        rose from 60% to 100% (6 of 10, then 10 of 10); a change this large "
        "could be chance (p = 0.09)"
    ) in out
    s1 = next(line for line in out if line.startswith("  S1 "))
    assert s1.split()[1:] == ["Inadequate", "Requires", "improvement", "Outstanding"]
    assert main([*base, *labels, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    q3 = next(r for r in rows if r["id"] == "S1.1" and r["period"] == "Q3")
    assert (q3["proportion"], q3["last_change"], q3["p_value"], q3["significant"]) == (
        "1.0000",
        "0.4000",
        "0.0867",
        "False",
    )
    assert main([*base, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["periods"] == ["q1", "q2", "q3"]
    assert {"id": "S1", "before": "Requires improvement", "after": "Outstanding"} in data[
        "last_change"
    ]["ratings_changed"]
    with pytest.raises(SystemExit):
        main([*base[:2], "--rubric", str(DATA / "mini.toml")])
    assert "at least two audits" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*base, "--label", "only one"])
    assert "one --label per audit" in capsys.readouterr().err


UNIT = DATA.parent.parent / "examples" / "unit-audit"  # SYNTHETIC quarterly audits


def test_trend_report_and_chart_name_the_standards_and_questions(tmp_path: Path) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    import probation_audit as pa
    from probation_audit import reports
    from probation_audit._trends import trend
    from probation_audit.charts import render_trend_chart

    rubric = pa.load_rubric("hmip-probation-2023")
    results = [pa.score(rubric, UNIT / f"q{k}.csv") for k in (1, 2)]
    found = trend(results, ["2026 Q1", "2026 Q2"])
    assert found.name("P2.1") == "Assessment"
    wording = rubric.questions[0].text
    assert found.name("P2.1.1") == wording
    text = reports.render_trend_markdown(found)
    assert "| P2.1 Assessment |" in text
    assert f"| P2.1.1 | {wording} |" in text
    # The footnote under the table is a sentence of its own: it starts with a capital.
    assert "\nNo change here is large enough to be unusual by chance" in text
    series = [
        (sid, [(qid, [(p.proportion, None, None) for p in found.question(qid)]) for qid in qids])
        for sid, qids in found.standards
    ]
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        svg = render_trend_chart(
            found.periods, series, rubric, "svg", title="Unit audit (synthetic)"
        ).decode("utf-8")
    assert "Unit audit (synthetic)" in svg  # the title given, not a panel's
    assert "P2.1 Assessment" in svg and "P2.4 Reviewing" in svg
    assert "P2.1.1 Does assessment focus" in svg  # the legend carries the wording


def _trend(tmp_path: Path) -> Any:
    rubric = pa.load_rubric(DATA / "mini.toml")
    results = [pa.score(rubric, path, {"J1": "Good"}) for path in _audits(tmp_path)]
    return rubric, trend(results, ["Q1", "Q2", "Q3"])


def test_a_trend_is_a_short_repr_a_table_and_a_frame(tmp_path: Path) -> None:
    rubric, found = _trend(tmp_path)
    assert repr(found) == (
        "<Trend mini: 3 periods (Q1 to Q3), 3 key questions, 0 changed by more than chance in "
        f"the last; overall {found.ratings[-1][1][-1]} in Q3>"
    )
    records = found.to_records()
    assert len(records) == 3 * 3 + 3 * len(found.ratings)
    last = next(r for r in records if r["id"] == "S1.1" and r["period"] == "Q3")
    assert (last["yes"], last["relevant"], last["significant"]) == (10, 10, False)
    first = next(r for r in records if r["id"] == "S1.1" and r["period"] == "Q1")
    assert first["last_change"] is None and first["proportion"] == pytest.approx(0.3)
    page = found._repr_html_()
    assert "30% (" in page and '<th style="text-align:left">Q3</th>' in page
    pandas = pytest.importorskip("pandas")
    frame = found.to_frame()
    assert list(frame["period"].cat.categories) == ["Q1", "Q2", "Q3"]
    assert frame["period"].cat.ordered and frame["yes"].dtype == "Int64"
    assert list(frame["rating"].cat.categories) == list(rubric.rating_scale.labels)
    s11 = frame[(frame["id"] == "S1.1")].sort_values("period")
    assert list(s11["yes"]) == [3, 6, 10]
    assert pandas.isna(frame[frame["row"] == "standard"]["yes"]).all()
    polars = pytest.importorskip("polars")
    other = found.to_frame(backend="polars")
    assert other.schema["period"] == polars.Enum(["Q1", "Q2", "Q3"])
    assert other.columns == list(frame.columns)


def test_a_trend_of_results_without_their_scale_has_text_ratings(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    _, found = _trend(tmp_path)
    frame = attrs.evolve(found, labels=()).to_frame()
    assert frame["rating"].dtype == "string"


CAUTION = (
    "A rating moves when its lowest key question crosses a band edge; no key question that "
    "drove P2.2, P2.3 changed that way by more than chance could explain, so those moves may "
    "not be real."
)


def test_a_trend_cautions_as_compare_does_on_moves_chance_could_explain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    q1, q2 = (pa.score(rubric, UNIT / f"q{k}.csv") for k in (1, 2))
    found = trend([q1, q2], ["Q1", "Q2"])
    assert found.chance_moves == ("P2.2", "P2.3")  # both moved; no driver changed significantly
    assert found.to_dict()["last_change"]["moves_chance_could_explain"] == ["P2.2", "P2.3"]
    assert trend([q1, q1], ["A", "B"]).chance_moves == ()  # nothing moved, nothing said
    files = [str(UNIT / "q1.csv"), str(UNIT / "q2.csv")]
    assert main(["trend", "--rubric", "hmip-probation-2023", *files]) == 0
    assert f"  {CAUTION}\n" in capsys.readouterr().out
    assert main(["compare", "--rubric", "hmip-probation-2023", *files]) == 0
    assert f"  {CAUTION}\n" in capsys.readouterr().out  # one rule, one sentence
    page = pa.reports.render_trend_markdown(found)
    assert CAUTION in page


def test_a_move_a_significant_driving_change_explains_is_not_cautioned() -> None:
    from probation_audit.statistics import moves_chance_could_explain

    rubric = pa.load_rubric("hmip-probation-2023")
    q1, q2 = (pa.score(rubric, UNIT / f"q{k}.csv") for k in (1, 2))
    # SYNTHETIC quarters: P2.2 rose a band (driven by P2.2.3, +12 points), P2.3 rose two
    # (driven by P2.3.3 then P2.3.2, which fell 13 points).
    changes = pa.statistics.compare(q1, q2).questions

    def marked(*ids: str) -> tuple[Any, ...]:
        return tuple(attrs.evolve(c, p_value=0.001) if c.id in ids else c for c in changes)

    assert moves_chance_could_explain(q1, q2, changes) == ("P2.2", "P2.3")
    # The driver rose significantly, the way P2.2 moved: borne out.
    assert moves_chance_could_explain(q1, q2, marked("P2.2.3")) == ("P2.3",)
    # A significant change that drove nothing, or went against the move, explains nothing.
    assert moves_chance_could_explain(q1, q2, marked("P2.2.1", "P2.3.2")) == ("P2.2", "P2.3")


def test_audits_of_one_id_but_other_rules_make_no_trend(tmp_path: Path) -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    copy = tmp_path / "copy.toml"
    bundled = pa.loading.rubric_file(rubric)
    assert bundled is not None and bundled.endswith("(bundled)")
    text = (ROOT / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
    copy.write_text(text.replace('method = "exact"', 'method = "half-up"', 1), encoding="utf-8")
    modified = pa.load_rubric(copy)
    assert pa.loading.rules_fingerprint(modified) != pa.loading.rules_fingerprint(rubric)
    q1 = pa.score(rubric, UNIT / "q1.csv")
    q2 = pa.score(modified, UNIT / "q2.csv")
    with pytest.raises(ValueError, match="id 'hmip-probation-2023' but different rules"):
        trend([q1, q2], ["Q1", "Q2"])
    assert trend([q1, pa.score(rubric, UNIT / "q2.csv")], ["Q1", "Q2"]).rubric == rubric.id


def test_a_trend_names_its_rubric_and_each_audits_notes_by_period_or_source(
    tmp_path: Path,
) -> None:
    rubric = pa.load_rubric(DATA / "mini.toml")
    later = tmp_path / "later.csv"
    later.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,,no\nC2,yes,no,no\n", encoding="utf-8")
    results = [
        pa.score(rubric, _audits(tmp_path)[0]),
        pa.score(rubric, later, missing="not-relevant"),
    ]
    note = (
        "1 blank answer to key questions was counted as 'not relevant' (missing: "
        "not-relevant): S1.2 in case C1"
    )
    found = trend(results, ["Q1", "Q2"])
    fingerprint = pa.loading.rules_fingerprint(rubric)
    assert (found.rubric_file, found.rubric_fingerprint) == (str(DATA / "mini.toml"), fingerprint)
    assert found.rubric_label == f"mini from {DATA / 'mini.toml'}, rules {fingerprint}"
    assert found.notes == (f"Q2: {note}",)
    assert f"note: Q2: {note}".replace("'", "&#x27;") in found._repr_html_()
    named = trend(results, ["Q1", "Q2"], sources=["q1.csv", "later.csv"])
    assert named.notes == (f"later.csv: {note}",)
    data = named.to_dict()
    assert (data["rubric_file"], data["rubric_fingerprint"]) == (
        str(DATA / "mini.toml"),
        fingerprint,
    )
    assert data["notes"] == [f"later.csv: {note}"]
    with pytest.raises(ValueError, match=r"give one name per result \(2\), got 1"):
        trend(results, ["Q1", "Q2"], sources=["later.csv"])
