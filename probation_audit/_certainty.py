"""Plain words for how likely a rating is: the most likely rating of a distribution, its
probability, and words from a documented scale ("Inadequate — very likely (about 9 in 10)").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["CERTAINTY_WORDS", "UNDETERMINED", "Certainty", "certainty"]


#: The scale of words for the probability of the most likely rating: (lowest probability,
#: words), highest first. Adapted from the UK Professional Head of Intelligence Assessment
#: probability yardstick (almost certain, highly likely, likely, realistic possibility), with
#: its gaps closed so that every probability has words; a presentation choice of this
#: library, not part of any inspection methodology.
CERTAINTY_WORDS: tuple[tuple[float, str], ...] = (
    (0.95, "almost certain"),
    (0.80, "very likely"),
    (0.55, "likely"),
    (0.40, "a realistic possibility"),
    (0.0, "uncertain"),
)


#: The entry of a distribution for draws that give no rating at all.
UNDETERMINED = "undetermined"
#: Why such a rating cannot be given words of likelihood.
UNDETERMINED_REASON = "no audited case was relevant to one of its key questions"
#: Why, when most (not all) of a resampling method's draws could not rate the standard.
FEW_RELEVANT_REASON = (
    "too few relevant cases: most resamples held no relevant case for one of its key questions"
)


def _odds(probability: float) -> str:
    """A probability as a frequency a manager can repeat: "about 9 in 10"."""
    if probability >= 0.99:
        return "at least 99 in 100"
    if probability >= 0.95:
        return f"about {min(98, round(100 * probability))} in 100"
    return f"about {round(10 * probability)} in 10"


@attrs.frozen
class Certainty:
    """The headline of a rating distribution: the most likely rating, its probability and
    the words for it (``"Inadequate — very likely (about 9 in 10)"``)."""

    rating: str
    probability: float
    words: str
    odds: str

    @property
    def text(self) -> str:
        return f"{self.rating} — {self.words} ({self.odds})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rating": self.rating,
            "probability": self.probability,
            "words": self.words,
            "odds": self.odds,
        }


def certainty(distribution: Mapping[str, float]) -> Certainty:
    """The most likely entry of ``distribution`` (rating -> probability) in plain words, on
    the scale :data:`CERTAINTY_WORDS`. Ties go to the first entry (scale order).

    When the most likely entry is :data:`UNDETERMINED` there is no rating to be sure of: the
    words are "cannot be said" and the odds give the reason, never "almost certain". The
    reason is that the audit had no relevant case for one of the standard's key questions
    when every draw was undetermined, and too few relevant cases when most were (a resampling
    method can draw samples with none).

    Returns:
        The :class:`Certainty` of the most likely rating, with its probability, the words for it and
        the odds in words.

    Raises:
        ValueError: ``distribution`` is empty, or its largest probability lies outside 0 to 1.

    >>> certainty({"Inadequate": 0.83, "Requires improvement": 0.17}).text
    'Inadequate — very likely (about 8 in 10)'
    >>> certainty({"Good": 0.996, "Outstanding": 0.004}).text
    'Good — almost certain (at least 99 in 100)'
    """
    if not distribution:
        raise ValueError("an empty distribution has no most likely rating")
    rating, probability = max(distribution.items(), key=lambda item: item[1])
    if not 0 <= probability <= 1 + 1e-9:
        raise ValueError(f"probabilities lie between 0 and 1, found {probability!r}")
    if rating == UNDETERMINED:
        # Not a rating, so no odds. Certainly undetermined: the audit had no relevant case for
        # a key question; mostly undetermined (a resampling method): too few relevant cases.
        reason = UNDETERMINED_REASON if probability >= 1 - 1e-9 else FEW_RELEVANT_REASON
        return Certainty(rating, probability, "cannot be said", reason)
    words = next(w for lowest, w in CERTAINTY_WORDS if probability >= lowest)
    return Certainty(rating, probability, words, _odds(probability))
