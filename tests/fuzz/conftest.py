"""The fuzzing tests draw their cases with hypothesis (a test dependency): without it they are
skipped."""

import pytest

pytest.importorskip("hypothesis")
