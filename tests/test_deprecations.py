"""Every deprecated name (``probation_audit._shims``): it still works, warns naming its new home,
and is the very object it now is."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit import _shims

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("module", "name"),
    [(module, name) for module, table in _shims.MOVED_NAMES.items() for name in table],
)
def test_every_moved_name_warns_and_is_its_new_self(module: str, name: str) -> None:
    moved = _shims.MOVED_NAMES[module][name]
    old = importlib.import_module(module)
    with pytest.warns(DeprecationWarning) as caught:
        value = getattr(old, name)
    assert str(caught[0].message) == f"{module}.{name} is deprecated: use {moved.use}"
    assert caught[0].filename == __file__  # the warning points at the caller
    assert value is getattr(importlib.import_module(moved.module), moved.attribute)
    assert eval(moved.use, {"probation_audit": pa}) is value  # what it says to write works


def test_the_named_moves_read_as_before() -> None:
    import probation_audit.rating as rating
    import probation_audit.reports as reports
    from probation_audit.reading import JudgmentSource

    with pytest.warns(
        DeprecationWarning, match=r"rating\.score is deprecated: use probation_audit\.score"
    ):
        assert rating.score is pa.score
    with pytest.warns(DeprecationWarning, match=r"use probation_audit\.reading\.JudgmentSource"):
        assert rating.Judgments is JudgmentSource
    with pytest.warns(DeprecationWarning, match=r"probation_audit\.published\.reproduce"):
        assert reports.reproduce is pa.published.reproduce


def test_a_name_that_never_existed_is_an_attribute_error_without_a_warning() -> None:
    import probation_audit.rating as rating

    with pytest.raises(AttributeError, match="has no attribute 'scor'"):
        rating.scor  # noqa: B018
    with pytest.raises(AttributeError, match=r"probation_audit\.reports' has no attribute 'x'"):
        pa.reports.x  # noqa: B018


def test_the_old_module_warns_and_serves_the_new_modules_names() -> None:
    code = "import warnings; warnings.simplefilter('error'); import probation_audit.documents"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert run.returncode == 1
    assert "DeprecationWarning: probation_audit.documents is now probation_audit.reports" in (
        run.stderr
    )
    sys.modules.pop("probation_audit.documents", None)
    with pytest.warns(DeprecationWarning, match="documents is now probation_audit.reports"):
        documents = importlib.import_module("probation_audit.documents")
    assert documents.render_html is pa.reports.render_html
    assert documents.__all__ == pa.reports.__all__


def test_the_finder_is_installed_once_and_only_answers_for_moved_modules() -> None:
    _shims.install()
    _shims.install()
    finders = [f for f in sys.meta_path if type(f).__name__ == "_AliasFinder"]
    assert len(finders) == 1
    assert finders[0].find_spec("probation_audit.nothing", None) is None
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("probation_audit.nothing")
