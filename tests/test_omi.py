"""The 2007-style pieces of the engine: weighted criteria, section means, threads, judged
criteria on their own scale, no overall rule; and the bundled 2007 rubric and report."""

from __future__ import annotations

import importlib.util
import json
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import probation_audit as pa
from probation_audit.rubric import FollowUp, Provenance, round_half_up

from .conftest import DATA, ROOT

PUBLISHED_2007 = ROOT / "examples" / "published" / "northamptonshire-2007.toml"
ALL_YES = {"C1.0": (10, 10), "C1.1": (10, 10), "C1.2": (10, 10), "C2.0": (10, 10), "C2.1": (10, 10)}


@pytest.fixture(scope="module")
def omi() -> pa.Rubric:
    return pa.load_rubric(DATA / "omi-mini.toml")


def test_weighted_score_exactly_on_65_where_floats_miss(omi: pa.Rubric) -> None:
    # Individual questions averaging 7/10 and a summary at 9/20: exactly 65%.
    assert 0.8 * 0.7 + 0.2 * 0.45 == 0.6499999999999999
    tally = {**ALL_YES, "C1.1": (7, 10), "C1.2": (7, 10), "C1.0": (9, 20)}
    c1 = pa.score_tally(omi, tally).standard("C1")
    assert (c1.value, c1.rating) == (Fraction(65), "priority for improvement")
    assert (c1.individual_mean, c1.summary_percent) == (Fraction(70), Fraction(45))
    assert c1.points is None
    # One summary case either side: 64% urgent, 66% priority.
    below = pa.score_tally(omi, {**tally, "C1.0": (8, 20)}).standard("C1")
    above = pa.score_tally(omi, {**tally, "C1.0": (10, 20)}).standard("C1")
    assert (below.value, below.rating) == (Fraction(64), "urgent priority for improvement")
    assert (above.value, above.rating) == (Fraction(66), "priority for improvement")


@pytest.mark.parametrize(
    ("summary", "individual", "rating"),
    [
        ((14, 20), [(7, 10), (7, 10)], "good"),  # exactly 70
        ((13, 20), [(7, 10), (7, 10)], "priority for improvement"),  # 69
        ((13, 20), [(13, 20), (13, 20)], "priority for improvement"),  # exactly 65
        ((12, 20), [(13, 20), (13, 20)], "urgent priority for improvement"),  # 64
    ],
)
def test_classification_boundaries(
    omi: pa.Rubric, summary: tuple[int, int], individual: list[tuple[int, int]], rating: str
) -> None:
    tally = {**ALL_YES, "C1.0": summary, "C1.1": individual[0], "C1.2": individual[1]}
    assert pa.score_tally(omi, tally).standard("C1").rating == rating


def test_weighted_margins_hand_checked(omi: pa.Rubric) -> None:
    tally = {**ALL_YES, "C1.1": (7, 10), "C1.2": (7, 10), "C1.0": (9, 20)}
    c1 = pa.score_tally(omi, tally).standard("C1")
    # One more 'yes' on an individual question adds 0.8 x 10 / 2 = 4 points; on the summary,
    # 0.2 x 5 = 1. 65 -> 70 takes two individual cases (73%, past the 70 edge).
    assert c1.lift == pa.Margin("good", 2, (("C1.1", 2),))
    # Losing one individual 'yes' takes it to 61%.
    assert c1.drop == pa.Margin("urgent priority for improvement", 1, (("C1.1", 1),))
    assert "Score 65.00% (printed 65%)" in c1.explain()


def test_section_means_and_thread(omi: pa.Rubric) -> None:
    tally = {"C1.0": (1, 2), "C1.1": (3, 4), "C1.2": (1, 4), "C2.0": (2, 5), "C2.1": (3, 5)}
    result = pa.score_tally(omi, tally, {"J1": "Partly met"})
    c1 = Fraction(4, 5) * Fraction(50) + Fraction(1, 5) * 50  # individual mean 50, summary 50
    c2 = Fraction(4, 5) * 60 + Fraction(1, 5) * 40
    assert result.standard("C1").value == c1
    assert result.standard("C2").value == c2
    section = result.domain("1")
    assert (section.value, section.standards) == ((c1 + c2) / 2, ("C1", "C2"))
    # Thread: the tagged questions C1.2 (25%), C2.0 (40%), C2.1 (60%).
    thread = result.thread("roh")
    assert thread.questions == ("C1.2", "C2.0", "C2.1")
    assert thread.value == Fraction(25 + 40 + 60, 3)
    assert thread.follow_up is None
    assert "not determined" in thread.follow_up_reason
    assert result.overall is None
    assert result.standard("J1").rating == "partly met"


def test_follow_up_threshold_decides(omi: pa.Rubric) -> None:
    rubric = attrs.evolve(
        omi,
        threads=(
            attrs.evolve(
                omi.threads[0], follow_up=FollowUp(Fraction(60), Provenance("assumed", "test"))
            ),
        ),
    )
    tally = {"C1.0": (1, 2), "C1.1": (3, 4), "C1.2": (1, 4), "C2.0": (2, 5), "C2.1": (3, 5)}
    low = pa.score_tally(rubric, tally).thread("roh")
    assert (low.value, low.follow_up) == (Fraction(125, 3), True)
    high = pa.score_tally(rubric, ALL_YES).thread("roh")
    assert (high.value, high.follow_up) == (Fraction(100), False)
    # Exactly on the threshold is not below it.
    on = pa.score_tally(
        rubric, {**ALL_YES, "C1.2": (4, 10), "C2.0": (4, 10), "C2.1": (10, 10)}
    ).thread("roh")
    assert (on.value, on.follow_up) == (Fraction(60), False)


def test_undetermined_criterion_makes_section_and_thread_undetermined(omi: pa.Rubric) -> None:
    result = pa.score_tally(omi, {**ALL_YES, "C2.1": (0, 0)})
    assert result.standard("C2").rating is None
    assert result.domain("1").value is None
    assert result.domain("1").reason == "undetermined standards (C2: no relevant cases for C2.1)"
    assert result.thread("roh").value is None
    assert result.thread("roh").reason == "no relevant cases for C2.1"


def test_result_json_round_trip(omi: pa.Rubric) -> None:
    result = pa.score_tally(omi, {**ALL_YES, "C1.0": (3, 7)}, {"J1": "well met"})
    data = json.loads(json.dumps(result.to_dict()))
    assert pa.Result.from_dict(data) == result
    assert data["overall"] is None
    assert data["domains"][0]["id"] == "1"
    assert data["threads"][0]["questions"] == ["C1.2", "C2.0", "C2.1"]


def test_rate_many_refuses_weighted(omi: pa.Rubric) -> None:
    with pytest.raises(ValueError, match="rate_many handles rubrics with 'lowest' aggregation"):
        pa.rate_many(omi, [[1] * 5], [[1] * 5])


def test_rubric_round_trip(omi: pa.Rubric) -> None:
    for rubric in (omi, pa.load_rubric("hmip-omi-2007")):
        assert pa.Rubric.from_mapping(rubric.to_mapping()) == rubric


# -- the bundled 2007 rubric and report -------------------------------------------------------


def test_2007_rubric_structure() -> None:
    rubric = pa.load_rubric("hmip-omi-2007")
    ids = [s.id for s in rubric.standards]
    assert ids == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
        "2.7",
        "3.1",
        "3.2",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
        "4.6",
    ]
    for s in rubric.standards:
        if s.judged:
            assert (s.domain, s.scale) == ("4", "judgement")
        else:
            summaries = [q for q in s.questions if q.summary]
            assert [q.id for q in summaries] == [f"{s.id}.0"]
            assert all(q.source for q in s.questions)
    criterion = rubric.aggregation("criterion")
    assert (criterion.individual, criterion.summary) == (Fraction(4, 5), Fraction(1, 5))
    assert rubric.provenances()["bands"].status == "calibrated"
    assert rubric.provenances()["aggregations.criterion"].status == "derived"
    assert rubric.overall is None
    roh = rubric.thread("roh")
    assert (roh.domains, roh.follow_up) == (("1", "2"), None)
    # Every 1.2 and 2.2 question concerns risk of harm.
    assert all("roh" in q.tags for s in ("1.2", "2.2") for q in rubric.standard(s).questions)


def test_2007_reproduction() -> None:
    comparison = pa.reproduce(PUBLISHED_2007)
    assert comparison.ok
    rows = {row.id: row for row in comparison.rows}
    matched = [row.id for row in comparison.rows if row.status == "match"]
    assert matched == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
        "3.1",
        "3.2",
    ]
    assert (rows["2.7"].status, rows["2.7"].computed) == ("undetermined", None)
    assert rows["2.7"].note.startswith("no printed score (not in the report text")
    assert (rows["section 1"].computed, rows["section 1"].status) == ("73.2%", "unpublished")
    assert rows["section 3"].computed == "59%"
    assert rows["section 2"].status == "undetermined"
    assert rows["section 2"].note.startswith("undetermined standards (2.7: no printed score")
    assert (rows["thread roh"].published, rows["thread roh"].status) == ("66%", "undetermined")
    assert (rows["follow-up roh"].published, rows["follow-up roh"].status) == ("no", "undetermined")
    assert rows["follow-up roh"].note == "not determined: the rubric gives no threshold"
    assert [rows[f"4.{i}"].status for i in range(1, 7)] == ["input"] * 6
    assert "overall" not in rows


def test_2007_mismatch_detected(tmp_path: Path) -> None:
    text = PUBLISHED_2007.read_text(encoding="utf-8").replace('"1.2" = 69', '"1.2" = 64')
    path = tmp_path / "report.toml"
    path.write_text(text, encoding="utf-8")
    comparison = pa.reproduce(path)
    assert [(r.id, r.published, r.computed) for r in comparison.mismatches] == [
        ("1.2", "priority for improvement", "urgent priority for improvement")
    ]


# -- the synthetic 2007 sample ------------------------------------------------------------------

CASES_2007 = ROOT / "examples" / "northamptonshire-2007" / "cases.csv"
JUDGED_2007 = {
    "4.1": "Satisfactorily met",
    "4.2": "Well met",
    "4.3": "Satisfactorily met",
    "4.4": "Satisfactorily met",
    "4.5": "Partly met",
    "4.6": "Well met",
}


@pytest.fixture(scope="module")
def result_2007() -> pa.Result:
    return pa.score(pa.load_rubric("hmip-omi-2007"), CASES_2007, JUDGED_2007)


def test_2007_sample_gives_every_published_conclusion_and_score(result_2007: pa.Result) -> None:
    report = pa.reproduce(PUBLISHED_2007).report
    published, printed = dict(report.ratings), dict(report.scores)
    for s in result_2007.standards:
        assert s.rating == published[s.id], s.id
        if s.id in printed:
            assert s.value is not None and round_half_up(s.value) == printed[s.id], s.id
    assert len(printed) == 13


def test_2007_sample_sections_and_thread(result_2007: pa.Result) -> None:
    assert result_2007.domain("1").printed == 73
    assert result_2007.domain("3").printed == 59
    assert result_2007.thread("roh").printed == 66
    assert result_2007.thread("roh").follow_up is None


@pytest.mark.parametrize(
    ("qid", "counts"),
    [
        ("1.2.1", (51, 60)),  # 85% of the community orders
        ("1.2.12", (23, 31)),  # risks to children: 23 of 31
        ("1.2.13", (28, 36)),
        ("1.2.14", (11, 15)),
        ("1.2.16", (36, 51)),  # not used in 15 of 51
        ("1.4.3", (98, 99)),  # REM classification: 98 of 99
        ("1.4.5", (53, 99)),  # skills for life screening: 54% (53 cases)
        ("2.2.4", (16, 35)),
        ("2.3.6", (30, 80)),
        ("2.4.7", (77, 86)),
        ("2.6.5", (5, 5)),  # all five PPO drug licence cases
    ],
)
def test_2007_sample_findings_hold(
    result_2007: pa.Result, qid: str, counts: tuple[int, int]
) -> None:
    q = result_2007.question(qid)
    assert (q.yes, q.relevant) == counts


def test_2007_sample_percent_findings_round_to_print(result_2007: pa.Result) -> None:
    for qid, percent in [
        ("1.2.3", 89),
        ("1.2.5", 87),
        ("1.3.1", 82),
        ("2.4.4", 97),
        ("3.1.13", 94),
    ]:
        assert result_2007.question(qid).printed == percent, qid


def test_2007_sample_regenerates_byte_for_byte() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_cases_2007", ROOT / "examples" / "northamptonshire-2007" / "make_cases_2007.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.build(pa.load_rubric("hmip-omi-2007"))
    lines = [",".join(rows[0])] + [",".join(row.values()) for row in rows]
    assert "\n".join(lines) + "\n" == CASES_2007.read_text(encoding="utf-8")
