"""Every deprecated name, in one place: where it lives now, resolved with a warning.

Two kinds of name moved in 0.2 and still work until 0.3, each with a
:class:`DeprecationWarning` naming its new home:

- a module (``probation_audit.documents``, now :mod:`probation_audit.reports`), served by a
  finder on :data:`sys.meta_path` that :func:`install` adds once;
- names that moved out of a module that stays (``rating.score``, ``reports.reproduce``,
  ``judgments.from_array``), served
  by the module's ``__getattr__``, which is :func:`moved_names` of that module.

``tests/test_deprecations.py`` holds every entry to its warning and its target.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import attrs

__all__ = ["MOVED_MODULES", "MOVED_NAMES", "Moved", "install", "moved_names"]


@attrs.frozen
class Moved:
    """One deprecated name: the module and attribute that now hold it, and what to write."""

    module: str
    attribute: str
    use: str
    message: str = ""

    def warning(self, old: str) -> str:
        return self.message or f"{old} is deprecated: use {self.use}"


_PUBLISHED = (
    "Comparison",
    "PercentCheck",
    "PublishedReport",
    "Row",
    "bundled_reports",
    "reproduce",
)

#: Modules that moved: the old dotted name, and where its names live now.
MOVED_MODULES: dict[str, Moved] = {
    "probation_audit.documents": Moved(
        "probation_audit.reports",
        "",
        "probation_audit.reports",
        "probation_audit.documents is now probation_audit.reports (written reports); "
        "published figures and reproduce() are in probation_audit.published",
    ),
}

#: Names that moved out of a module that stays: module -> old name -> where it is now.
MOVED_NAMES: dict[str, dict[str, Moved]] = {
    "probation_audit.rating": {
        "score": Moved("probation_audit._scoring", "score", "probation_audit.score"),
        "Judgments": Moved(
            "probation_audit.reading", "JudgmentSource", "probation_audit.reading.JudgmentSource"
        ),
    },
    "probation_audit.judgments": {
        "from_array": Moved(
            "probation_audit.reading", "from_array", "probation_audit.reading.from_array"
        ),
    },
    "probation_audit.reports": {
        name: Moved("probation_audit.published", name, f"probation_audit.published.{name}")
        for name in _PUBLISHED
    },
}


def moved_names(module: str) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``module``: a moved name with its warning, else AttributeError."""
    table = MOVED_NAMES[module]

    def __getattr__(name: str) -> Any:
        moved = table.get(name)
        if moved is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(moved.warning(f"{module}.{name}"), DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(moved.module), moved.attribute)

    return __getattr__


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, moved: Moved) -> None:
        self._moved = moved

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default: an empty module, filled below

    def exec_module(self, module: ModuleType) -> None:
        warnings.warn(self._moved.message, DeprecationWarning, stacklevel=2)
        target = importlib.import_module(self._moved.module)
        names = list(getattr(target, "__all__", ()))
        module.__dict__.update({name: getattr(target, name) for name in names})
        module.__all__ = names  # type: ignore[attr-defined]
        module.__doc__ = f"Deprecated alias: {self._moved.message}."


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        moved = MOVED_MODULES.get(fullname)
        if moved is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(moved))


def install() -> None:
    """Serve the moved modules (once per interpreter)."""
    if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
        sys.meta_path.append(_AliasFinder())
