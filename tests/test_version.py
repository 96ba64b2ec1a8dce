"""One version, from probation_audit/_version.py, everywhere a user sees one; deprecated names
still resolve for one release, with a warning."""

from __future__ import annotations

import importlib.metadata
import io
import re

import pytest

import probation_audit as pa
from probation_audit import reports
from probation_audit.cli import main

from .conftest import ROOT

RUBRIC = pa.load_rubric("hmip-probation-2023")
CASES = ROOT / "examples" / "unit-audit" / "q1.csv"


def test_the_installed_metadata_carries_the_package_version() -> None:
    assert importlib.metadata.version("probation-audit") == pa.__version__


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"probation-audit {pa.__version__}\n"


def test_the_changelog_has_the_version_of_the_package() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    release = re.match(r"\d+\.\d+\.\d+", pa.__version__)
    assert release is not None
    assert re.search(rf"^## \[[^\]]+\] \({re.escape(release.group())}\)$", text, re.M) or (
        f"## [{release.group()}]" in text
    )


def test_reports_and_workbooks_name_the_version() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    result = pa.score(RUBRIC, CASES)
    made_by = f"probation-audit {pa.__version__}"
    assert f"scored by {made_by}." in reports.render_markdown(result)
    assert f"scored by {made_by}." in reports.render_html(result)
    workbook = openpyxl.load_workbook(io.BytesIO(pa.excel.excel_bytes(result)))
    assert workbook.properties.creator == made_by
    template = openpyxl.load_workbook(io.BytesIO(pa._templates.template_workbook(RUBRIC)))
    about = {row[0]: row[1] for row in template["About"].iter_rows(values_only=True)}
    assert about["made by"] == made_by
