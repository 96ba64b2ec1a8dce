"""Property tests of probation_audit._probabilities: the pooled prior's count of pseudo-cases."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st_h

from probation_audit._probabilities import POOLED_PRIOR_BOUNDS, pooled_prior_cases

from ..conftest import examples

# Judgment codes of an audit: 1 yes, 0 no, -1 not relevant, cases x questions.
_CODES = st_h.integers(1, 30).flatmap(
    lambda cases: st_h.integers(1, 8).flatmap(
        lambda questions: st_h.lists(
            st_h.lists(st_h.sampled_from([1, 0, -1]), min_size=questions, max_size=questions),
            min_size=cases,
            max_size=cases,
        )
    )
)


def _split(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (codes == 1).astype(np.float64), (codes != -1).astype(np.float64)


@settings(max_examples=examples(200))
@given(_CODES, st_h.floats(0.01, 0.99))
def test_pooled_prior_is_bounded_and_ignores_order(rows: list[list[int]], level: float) -> None:
    codes = np.array(rows, dtype=np.int64)
    count = pooled_prior_cases(*_split(codes), level)
    fewest, most = POOLED_PRIOR_BOUNDS
    assert fewest <= count <= most
    # The order of the cases and of the questions does not matter.
    order = np.random.default_rng(len(rows)).permutation(codes.shape[0])
    columns = np.random.default_rng(codes.shape[1]).permutation(codes.shape[1])
    assert pooled_prior_cases(*_split(codes[order][:, columns]), level) == count
    # Questions no case found relevant are left out.
    wider = np.concatenate([codes, np.full((codes.shape[0], 1), -1)], axis=1)
    assert pooled_prior_cases(*_split(wider), level) == count


@settings(max_examples=100)
@given(_CODES, st_h.floats(0.01, 0.99))
def test_questions_moved_apart_get_no_more_pseudo_cases(
    rows: list[list[int]], level: float
) -> None:
    """Two more questions, one all 'yes' and one all 'no' in every case: where they widen the
    spread (the shares' variance grows and their mean sampling variance does not), the count
    cannot grow (unless the audit had fewer than two answered questions). Where the other
    questions already sit at those extremes, two more there can narrow the variance, and the
    count may grow: the rule is the spread's, not the number of questions'."""
    codes = np.array(rows, dtype=np.int64)
    yes, relevant = _split(codes)
    if int((relevant.sum(axis=0) > 0).sum()) < 2:
        return
    extremes = np.tile(np.array([[1, 0]]), (codes.shape[0], 1))
    apart = np.concatenate([codes, extremes], axis=1)
    before, after = _spread(yes, relevant), _spread(*_split(apart))
    if after[0] >= before[0] and after[1] <= before[1]:
        assert pooled_prior_cases(*_split(apart), level) <= pooled_prior_cases(yes, relevant, level)


def _spread(yes: np.ndarray, relevant: np.ndarray) -> tuple[float, float]:
    """The answered questions' smoothed shares: their variance and mean sampling variance."""
    y, r = yes.sum(axis=0), relevant.sum(axis=0)
    y, r = y[r > 0], r[r > 0]
    share = (y + 0.5) / (r + 1)
    return float(share.var(ddof=1)), float((share * (1 - share) / r).mean())
