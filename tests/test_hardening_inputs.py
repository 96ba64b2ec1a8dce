"""Inputs people and programs really produce (third round): names the readers cannot tell
apart, headers that go on in words, case_id headers, formula cells with no saved value, floods
of one problem, hints where people look, and what --missing not-relevant changed. Each class
through the API and the command line."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import probation_audit as pa
from probation_audit.cli import main

from .conftest import DATA

MINI_TEXT = (DATA / "mini.toml").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The SYNTHETIC mini rubric with ``old`` replaced by ``new``, written to ``name``."""
    assert old in MINI_TEXT
    path = tmp_path / name
    path.write_text(MINI_TEXT.replace(old, new), encoding="utf-8")
    return path


# -- names the readers cannot tell apart ----------------------------------------------------


def test_question_ids_alike_but_for_case_are_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(tmp_path, "ids.toml", '{ id = "S1.2", text', '{ id = "s1.1", text')
    problems = pa.validate_rubric(path)
    assert [(p.key_path, p.message) for p in problems] == [
        (
            "standards[1].questions[1].id",
            "question id 's1.1' reads as 'S1.1' (at standards[1].questions[0]): ids are matched "
            "ignoring case and repeated spaces, so their columns cannot be told apart",
        )
    ]
    code, out, err = run(capsys, "validate", str(path))
    assert (code, out) == (1, "")
    assert err == f"{path}: {problems[0].render().split(': ', 1)[1]}\n"


def test_question_ids_alike_but_for_spaces_are_refused_by_the_model(mini: pa.Rubric) -> None:
    first = mini.standards[1]
    question = first.questions[1]
    renamed = attrs.evolve(question, id="S1.1 ")
    with pytest.raises(
        ValueError, match=r"differ only in case or spaces: 'S1\.1 ' reads as 'S1\.1'"
    ):
        attrs.evolve(
            mini,
            standards=(
                mini.standards[0],
                attrs.evolve(first, questions=(first.questions[0], renamed)),
                mini.standards[2],
            ),
        )


def test_labels_alike_but_for_case_are_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(
        tmp_path,
        "labels.toml",
        '{ label = "Outstanding", points = 3 }',
        '{ label = "good", points = 3 }',
    )
    problems = pa.validate_rubric(path)
    assert (problems[0].key_path, problems[0].message) == (
        "scales.rating.labels[3]",
        "label 'good' reads as 'Good' (labels[2]): labels are matched ignoring case and "
        "repeated spaces, so they cannot be told apart",
    )
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert "scales.rating.labels[3]: label 'good' reads as 'Good'" in err


def test_a_label_with_two_inner_spaces_can_be_given_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = variant(tmp_path, "spaces.toml", "Requires improvement", "Requires  improvement")
    rubric = pa.load_rubric(path)
    scale = rubric.rating_scale
    assert scale.match("Requires  improvement") == "Requires  improvement"
    assert scale.match(" requires improvement ") == "Requires  improvement"
    assert scale.match("requires improvements") is None
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,S1.1,S1.2,S2.1\nC1,yes,yes,yes\n", encoding="utf-8")
    sample = pa.read_judgments(cases, rubric)
    result = pa.score(rubric, sample, {"J1": "Requires  improvement"})
    assert result.standard("J1").rating == "Requires  improvement"
    for given in ("J1=Requires  improvement", "J1=requires improvement"):
        code, out, err = run(
            capsys, "score", "--rubric", str(path), str(cases), "--rating", given, "--format",
            "json",
        )  # fmt: skip
        assert (code, err) == (0, "")
        assert '"rating": "Requires  improvement"' in out
