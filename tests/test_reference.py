"""The API reference covers the public API: a page per public module, every public name with a
docstring, every public function saying what it returns and what it raises.

The Sphinx build itself runs in CI (``.ci/run``, warnings as errors); these checks need no
Sphinx, so a new undocumented name fails the ordinary test run too.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

# Every public module is imported, probation_audit.testing too, which needs hypothesis.
pytest.importorskip("hypothesis")

import probation_audit

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "docs"))
import api_pages  # type: ignore[import-not-found]


def _modules() -> list[ModuleType]:
    return [probation_audit] + [
        importlib.import_module(f"probation_audit.{name}") for name in api_pages.public_modules()
    ]


def _public() -> Iterator[tuple[str, object]]:
    for module in _modules():
        for name in module.__all__:
            if name != "__version__":
                yield f"{module.__name__}.{name}", getattr(module, name)


PUBLIC = dict(_public())
FUNCTIONS = {name: obj for name, obj in PUBLIC.items() if inspect.isfunction(obj)}
#: Google-style sections, which napoleon renders as fields in the reference.
RETURNS = re.compile(r"^(Returns|Yields):$", re.M)
RAISES = re.compile(r"^Raises:$", re.M)


def test_the_pages_are_up_to_date() -> None:
    for path, text in api_pages.pages().items():
        assert path.is_file(), f"{path} missing: run python docs/api_pages.py"
        assert path.read_text(encoding="utf-8") == text, f"{path}: run python docs/api_pages.py"
    listed = {p.name for p in (ROOT / "docs" / "api").glob("*.md")}
    assert listed == {p.name for p in api_pages.pages()}, "stale page in docs/api"


def test_every_public_module_has_a_summary_and_an_all() -> None:
    for module in _modules():
        assert (module.__doc__ or "").strip(), module.__name__
        assert isinstance(module.__all__, list | tuple), module.__name__
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_name_has_a_docstring(name: str) -> None:
    obj = PUBLIC[name]
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_public_function_says_what_it_returns_and_raises(name: str) -> None:
    func = FUNCTIONS[name]
    doc = inspect.getdoc(func) or ""
    returns_nothing = inspect.signature(func).return_annotation in (None, "None")
    assert returns_nothing or RETURNS.search(doc), (
        f"{name}: say what it returns (a Returns: section)"
    )
    assert RAISES.search(doc), f"{name}: say what it raises (a Raises: section)"


def test_package_names_are_documented_where_they_live() -> None:
    page = (ROOT / "docs" / "api" / "package.md").read_text(encoding="utf-8")
    for name in probation_audit.__all__:
        if name != "__version__":
            assert f":py:obj:`probation_audit.{name}`" in page, name
