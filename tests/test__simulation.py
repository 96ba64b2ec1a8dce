"""The calibration benchmark's targets: one rule (``shortfalls``) for the benchmark, its
generated documentation and the tests, held exactly on each edge."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest

from probation_audit.statistics import (
    CALIBRATION_TARGETS,
    Calibration,
    CalibrationFigures,
    SizeFigures,
    WordHits,
    least_overstated,
    shortfalls,
)

WORDS = (
    WordHits("almost certain", 0.95, 100, 0.97),
    WordHits("very likely", 0.80, 50, 0.86),
    WordHits("likely", 0.55, 40, 0.60),
    WordHits("a realistic possibility", 0.40, 10, 0.30),
    WordHits("uncertain", 0.0, 0, None),
)
MET = CalibrationFigures(
    "SYNTHETIC kind",
    "bayesian-bootstrap",
    1_600,
    0.02,
    0.01,
    500,
    0.002,
    WORDS,
    (SizeFigures(10, 300, 0.04), SizeFigures(20, 300, 0.07)),
)


def test_figures_that_meet_every_target_have_no_shortfall() -> None:
    assert shortfalls(MET) == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"expected_calibration_error": 0.03}, ()),
        ({"expected_calibration_error": 0.031}, ("ECE 0.031 (target 0.03)",)),
        ({"overstatement": 0.03}, ()),
        ({"overstatement": 0.031}, ("overstatement +0.031 (target +0.03)",)),
        ({"confident_wrong": 0.01}, ()),
        ({"confident_wrong": 0.011}, ("0.99 or more wrong 1.1% of 500 (target 1%)",)),
        ({"confident_wrong": None, "confident": 0}, ()),
        ({"sizes": (SizeFigures(10, 300, 0.05),)}, ()),
        (
            {"sizes": (SizeFigures(10, 300, 0.051),)},
            ("10-case overstatement +0.051 (target +0.05)",),
        ),
        # The small-audit target is for 10-case audits; larger ones are held by the pooled one.
        ({"sizes": (SizeFigures(30, 300, 0.09),)}, ()),
    ],
)
def test_each_target_on_its_edge_and_just_past_it(
    change: dict[str, Any], expected: tuple[str, ...]
) -> None:
    assert shortfalls(attrs.evolve(MET, **change)) == expected


@pytest.mark.parametrize(
    ("index", "right", "expected"),
    [
        (0, 0.95, ()),
        (0, 0.94, ('"almost certain" right 0.94 of 100 (target 0.95)',)),
        (1, 0.80, ()),
        (1, 0.79, ('"very likely" right 0.79 of 50 (target 0.80)',)),
        (2, 0.55, ()),
        (2, 0.54, ('"likely" right 0.54 of 40 (target 0.55)',)),
        # Words below "likely" are not held to their bound; a word never given is not judged.
        (3, 0.10, ()),
        (0, None, ()),
    ],
)
def test_each_word_is_held_to_its_lower_bound(
    index: int, right: float | None, expected: tuple[str, ...]
) -> None:
    words = list(WORDS)
    words[index] = attrs.evolve(words[index], right=right)
    assert shortfalls(attrs.evolve(MET, words=tuple(words))) == expected


def test_every_shortfall_is_reported_at_once() -> None:
    bad = attrs.evolve(MET, expected_calibration_error=0.1, overstatement=0.2, confident_wrong=0.5)
    assert len(shortfalls(bad)) == 3


def test_other_targets_can_be_given() -> None:
    strict = attrs.evolve(CALIBRATION_TARGETS, expected_calibration_error=0.01)
    assert shortfalls(MET, strict) == ("ECE 0.020 (target 0.01)",)


def test_the_least_overstated_of_one_kinds_methods() -> None:
    other = attrs.evolve(MET, method="bootstrap", overstatement=0.005)
    assert least_overstated([MET, other]) is other
    assert least_overstated([other, attrs.evolve(MET, overstatement=0.005)]) is other  # a tie
    with pytest.raises(ValueError, match="one kind of unit"):
        least_overstated([MET, attrs.evolve(MET, family="another kind")])
    with pytest.raises(ValueError, match="one kind of unit"):
        least_overstated([])


def test_a_calibrations_figures_are_what_the_benchmark_prints() -> None:
    probability = np.array([0.99, 0.99, 0.85, 0.6, 0.6, 0.3])
    correct = np.array([True, False, True, True, False, False])
    cases = np.array([10, 10, 10, 20, 20, 20])
    c = Calibration("SYNTHETIC kind", "bootstrap", probability, correct, 0, cases)
    f = c.figures()
    assert (f.headlines, f.confident, f.confident_wrong) == (6, 2, 0.5)
    # Rounded as the benchmark prints them: a verdict never turns on an unseen digit.
    assert f.overstatement == round(probability.mean() - correct.mean(), 3) == 0.222
    assert f.expected_calibration_error == round(c.expected_calibration_error, 3)
    assert [(s.cases, s.headlines) for s in f.sizes] == [(10, 3), (20, 3)]
    assert f.sizes[0].overstatement == round((0.99 + 0.99 + 0.85) / 3 - 2 / 3, 3) == 0.277
    assert [(w.words, w.headlines, w.right) for w in f.words] == [
        ("almost certain", 2, 0.5),
        ("very likely", 1, 1.0),
        ("likely", 2, 0.5),
        ("a realistic possibility", 0, None),
        ("uncertain", 1, 0.0),
    ]
    assert shortfalls(f)[-2:] == (
        '"almost certain" right 0.50 of 2 (target 0.95)',
        '"likely" right 0.50 of 2 (target 0.55)',
    )
