from __future__ import annotations

import re
from fractions import Fraction

import attrs
import pytest

import probation_audit as pa
from probation_audit.rubric import Band, Bands, Provenance, Rounding, round_half_up

from .conftest import rule


def test_2023_structure(rubric: pa.Rubric) -> None:
    assert [s.id for s in rubric.standards] == [
        "P1.1",
        "P1.2",
        "P1.3",
        "P2.1",
        "P2.2",
        "P2.3",
        "P2.4",
    ]
    assert [s.id for s in rubric.standards if s.judged] == ["P1.1", "P1.2", "P1.3"]
    assert len(rubric.questions) == 12
    assert rubric.standard("P2.3").questions[0].text == (
        "Is the sentence or post-custody period implemented effectively with a focus on "
        "engaging the person on probation?"
    )
    assert rubric.rating_scale.labels == (
        "Inadequate",
        "Requires improvement",
        "Good",
        "Outstanding",
    )
    assert [rubric.rating_scale.points(label) for label in rubric.rating_scale.labels] == [
        0,
        1,
        2,
        3,
    ]


def test_2023_statuses(rubric: pa.Rubric) -> None:
    statuses = {path: p.status for path, p in rubric.provenances().items()}
    assert statuses == {
        "structure": "stated",
        "scales.rating": "derived",
        "bands": "derived",
        "rounding": "assumed",
        "aggregations.lowest": "stated",
        "overall": "derived",
    }
    assert all(p.source for p in rubric.provenances().values())


@pytest.mark.parametrize(
    ("percent", "rating"),
    [
        (Fraction(0), "Inadequate"),
        (Fraction(4999, 100), "Inadequate"),
        (Fraction(50), "Requires improvement"),
        (Fraction(6499, 100), "Requires improvement"),
        (Fraction(65), "Good"),
        (Fraction(79999, 1000), "Good"),
        (Fraction(80), "Outstanding"),
        (Fraction(100), "Outstanding"),
    ],
)
def test_band_edges(rubric: pa.Rubric, percent: Fraction, rating: str) -> None:
    assert rubric.bands.rating(percent) == rating


def test_band_outside_range(rubric: pa.Rubric) -> None:
    with pytest.raises(ValueError, match="outside 0-100"):
        rubric.bands.rating(Fraction(101))


@pytest.mark.parametrize(
    ("overall_points", "rating"),
    [
        (0, "Inadequate"),
        (3, "Inadequate"),
        (4, "Requires improvement"),
        (10, "Requires improvement"),
        (11, "Good"),
        (17, "Good"),
        (18, "Outstanding"),
        (21, "Outstanding"),
    ],
)
def test_overall_bands(rubric: pa.Rubric, overall_points: int, rating: str) -> None:
    assert rule(rubric).rating(overall_points) == rating


def test_overall_points_outside_bands(rubric: pa.Rubric) -> None:
    with pytest.raises(ValueError, match="22 points"):
        rule(rubric).rating(22)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 2), 1),
        (Fraction(3, 2), 2),
        (Fraction(149, 10), 15),
        (Fraction(1049, 70), 15),
        (Fraction(110, 7), 16),
        (Fraction(0), 0),
        (Fraction(100), 100),
        (Fraction(4999, 100), 50),
    ],
)
def test_round_half_up(value: Fraction, expected: int) -> None:
    assert round_half_up(value) == expected


def test_float_would_misplace_boundary() -> None:
    # 57/100 * 100 is 56.99999999999999 in floating point; exactly 57 here.
    assert 57 / 100 * 100 != 57
    assert Fraction(57, 100) * 100 == 57
    rounding = Rounding("half-up", Provenance("assumed", "test"))
    assert rounding.apply(Fraction(57, 100) * 100) == 57


def test_round_trip_mapping(rubric: pa.Rubric) -> None:
    again = pa.Rubric.from_mapping(rubric.to_mapping())
    assert again == rubric


def test_invariants_on_direct_construction() -> None:
    provenance = Provenance("assumed", "test")
    with pytest.raises(ValueError, match=r"bands\[1\]: gap: nothing covers 50% up to 60%"):
        Bands(
            "rating",
            (Band(Fraction(0), Fraction(50), "A"), Band(Fraction(60), Fraction(100), "B")),
            provenance,
        )
    with pytest.raises(ValueError, match="0 <= from < to <= 100"):
        Band(Fraction(50), Fraction(40), "A")
    with pytest.raises(ValueError):
        Provenance("guessed", "test")


def test_construction_rejects_dangling_references(rubric: pa.Rubric) -> None:
    with pytest.raises(ValueError, match=re.escape("undefined standard 'P9.9'")):
        attrs.evolve(
            rubric,
            overall=attrs.evolve(rule(rubric), standards=(*rule(rubric).standards[:-1], "P9.9")),
        )


def test_lookups_name_the_missing_id(rubric: pa.Rubric) -> None:
    with pytest.raises(KeyError, match=re.escape("P9.9")):
        rubric.standard("P9.9")
    with pytest.raises(KeyError, match="nope"):
        rubric.scale("nope")


def test_scale_matches_labels_loosely(rubric: pa.Rubric) -> None:
    scale = rubric.rating_scale
    assert scale.match("requires  IMPROVEMENT ") == "Requires improvement"
    assert scale.match("Requires") is None


def test_repr_is_one_line_and_the_notebook_table_lists_the_standards(rubric: pa.Rubric) -> None:
    text = repr(rubric)
    assert text == (
        f"<Rubric hmip-probation-2023 ({rubric.years}): 7 standards, 12 key questions; "
        "Inadequate < Requires improvement < Good < Outstanding>"
    )
    page = rubric._repr_html_()
    assert page.count("<tr>") == 1 + len(rubric.standards)
    assert '<td style="text-align:left">P2.1.1 P2.1.2 P2.1.3</td>' in page
    odd = attrs.evolve(rubric, title="Audits <& more>")
    assert "Audits &lt;&amp; more&gt;" in odd._repr_html_()


def test_question_columns_select_a_wide_frame(rubric: pa.Rubric) -> None:
    columns = rubric.question_columns
    assert columns == list(rubric.question_ids) and isinstance(columns, list)
    columns.append("changed")  # a new list each time: the rubric is not changed
    assert rubric.question_columns == list(rubric.question_ids)
    assert isinstance(rubric.question_ids, tuple)  # the 0.1 name keeps its type
    pandas = pytest.importorskip("pandas")
    wide = pandas.DataFrame([dict.fromkeys(["case_id", *rubric.question_ids], "Yes")])
    assert list(wide[rubric.question_columns].columns) == list(rubric.question_ids)
