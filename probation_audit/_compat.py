"""Imports that moved between the Python versions the package supports, and one put off."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    import numpy as np

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - Python 3.10
    from importlib.abc import Traversable

__all__ = ["Traversable", "is_masked_array"]


def is_masked_array(value: object) -> TypeGuard[np.ma.MaskedArray[Any, Any]]:
    """Whether ``value`` is a numpy masked array, asked without importing ``numpy.ma`` (about
    15 ms, which ``np.ma`` would do on first use): until something has imported it, no value
    can be one."""
    masked = sys.modules.get("numpy.ma")
    return masked is not None and isinstance(value, masked.MaskedArray)
