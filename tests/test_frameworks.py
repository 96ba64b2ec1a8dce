"""The adult probation frameworks of 2018-2021 and 2021-2023 as rubrics: structure, points and
overall bands, and that what is not established is marked so in the file."""

from __future__ import annotations

import pytest

import probation_audit as pa

CRC = pa.load_rubric("hmip-probation-crc-2018")
NPS = pa.load_rubric("hmip-probation-nps-2018")
PDU = pa.load_rubric("hmip-probation-pdu-2021")


@pytest.mark.parametrize(
    ("rubric", "third"),
    [(CRC, ["Unpaid work", "Through the Gate"]),
     (NPS, ["Court reports and case allocation", "Statutory victim work"])],
)  # fmt: skip
def test_2018_variants(rubric: pa.Rubric, third: list[str]) -> None:
    assert [s.id for s in rubric.standards] == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2",
    ]  # fmt: skip
    assert [s.title for s in rubric.standards[:4]] == [
        "Leadership", "Staff", "Services", "Information and facilities",
    ]  # fmt: skip
    assert [s.title for s in rubric.standards[8:]] == third
    assert [s.id for s in rubric.standards if not s.judged] == ["2.1", "2.2", "2.3", "2.4"]
    assert rubric.overall is not None and rubric.overall.bands[-1].maximum == 30
    assert [(b.minimum, b.maximum) for b in rubric.overall.bands] == [
        (0, 5), (6, 15), (16, 25), (26, 30),
    ]  # fmt: skip
    assert rubric.years == "2018-2021"
    # Domain three is an input here, and says why.
    assert all("not established" in s.statement for s in rubric.standards[8:])


def test_pdu_2021() -> None:
    assert len(PDU.standards) == 9
    assert PDU.overall is not None and PDU.overall.bands[-1].maximum == 27
    assert [(b.minimum, b.maximum) for b in PDU.overall.bands] == [
        (0, 4), (5, 13), (14, 22), (23, 27),
    ]  # fmt: skip
    fifth = PDU.standard("2.5")
    assert fifth.judged and "not confirmed" in fifth.title


@pytest.mark.parametrize("rubric", [CRC, NPS, PDU], ids=lambda r: r.id)
def test_overall_from_all_inadequate_and_all_outstanding(rubric: pa.Rubric) -> None:
    judged = [s.id for s in rubric.standards if s.judged]
    nothing = {q: (0, 10) for q in rubric.question_ids}
    worst = pa.score_tally(rubric, nothing, {s: "Inadequate" for s in judged})
    assert worst.overall is not None and (worst.overall.points, worst.overall.rating) == (
        0,
        "Inadequate",
    )
    everything = {q: (10, 10) for q in rubric.question_ids}
    best = pa.score_tally(rubric, everything, {s: "Outstanding" for s in judged})
    assert best.overall is not None and best.overall.rating == "Outstanding"
    assert best.overall.points == best.overall.max_points


@pytest.mark.parametrize("rubric", [CRC, NPS, PDU], ids=lambda r: r.id)
def test_unestablished_rules_are_marked(rubric: pa.Rubric) -> None:
    statuses = {path: p.status for path, p in rubric.provenances().items()}
    assert statuses["rounding"] == "assumed"
    assert statuses["overall"] == "derived"
    assert rubric.overall is not None
    source = rubric.overall.provenance.source
    assert "not checked" in source or "observed only" in source
