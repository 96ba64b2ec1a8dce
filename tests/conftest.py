from __future__ import annotations

import os
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit.rubric import OverallRule

#: PROBATION_AUDIT_THOROUGH=1 runs the property tests at full strength: every test its full
#: count of examples (``examples``), and 500 for a test that sets none.
THOROUGH = os.environ.get("PROBATION_AUDIT_THOROUGH") == "1"
#: PROBATION_AUDIT_FULL_EXAMPLES=1 runs every property test at its full count (``examples``),
#: the others at theirs: what CI runs after the everyday suite.
FULL = THOROUGH or os.environ.get("PROBATION_AUDIT_FULL_EXAMPLES") == "1"


def examples(count: int) -> int:
    """A property test's example count: ``count`` in a full run (``FULL``), else a quarter of
    it (at least 10): the everyday suite stays under a minute on two cores, and CI runs the
    property tests again at their full counts."""
    return count if FULL else max(10, count // 4)


try:
    from hypothesis import settings
except ImportError:  # the tests that need hypothesis skip without it
    pass
else:
    # No deadlines (a loaded CI machine is slow, not wrong); in CI, derandomized so that a run
    # is repeatable. Locally the draws vary from run to run, which is how new cases get found.
    # A test that sets no count draws hypothesis's 100 examples in a full run, half of them
    # in the everyday one (see ``examples``).
    count = 100 if FULL else 50
    settings.register_profile("default", deadline=None, max_examples=count)
    settings.register_profile(
        "ci", deadline=None, derandomize=True, print_blob=True, max_examples=count
    )
    settings.register_profile(
        "thorough", deadline=None, max_examples=500, derandomize=bool(os.environ.get("CI"))
    )
    settings.load_profile("thorough" if THOROUGH else "ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE_CASES = ROOT / "examples" / "northamptonshire-2024" / "cases.csv"
PUBLISHED_2024 = ROOT / "examples" / "published" / "northamptonshire-2024.toml"
JUDGED_2024 = {"P1.1": "Requires improvement", "P1.2": "Inadequate", "P1.3": "Requires improvement"}


@pytest.fixture(scope="session")
def rubric() -> pa.Rubric:
    return pa.load_rubric("hmip-probation-2023")


@pytest.fixture(scope="session")
def mini() -> pa.Rubric:
    return pa.load_rubric(DATA / "mini.toml")


def overall(result: pa.Result) -> pa.OverallResult:
    """The overall result of a rubric that has an overall rule."""
    assert result.overall is not None
    return result.overall


def rule(rubric: pa.Rubric) -> OverallRule:
    assert rubric.overall is not None
    return rubric.overall
