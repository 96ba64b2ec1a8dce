from __future__ import annotations

import re
from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit import _identity
from probation_audit.loading import _SHIPPED, bundled_difference, bundled_path, rules_fingerprint

from .conftest import GOLDEN, ROOT

RUBRIC_CASES = sorted((GOLDEN / "rubrics").glob("*.toml"))


def test_bundled_rubrics_listed_and_loadable() -> None:
    assert "hmip-probation-2023" in pa.available_rubrics()
    for name in pa.available_rubrics():
        assert pa.load_rubric(name).id == name


def test_bundled_file_is_the_repository_file() -> None:
    bundled = bundled_path("hmip-probation-2023").read_bytes()
    assert bundled == (ROOT / "rubrics" / "hmip-probation-2023.toml").read_bytes()


def test_load_by_path(tmp_path: Path) -> None:
    text = (ROOT / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
    target = tmp_path / "copy.toml"
    target.write_text(
        text.replace('id = "hmip-probation-2023"', 'id = "my-variant"'), encoding="utf-8"
    )
    assert pa.load_rubric(target).id == "my-variant"
    assert pa.load_rubric(str(target)).id == "my-variant"


def test_unknown_rubric_name() -> None:
    with pytest.raises(pa.AuditErrors) as info:
        pa.load_rubric("hmip-nothing")
    assert str(info.value) == (
        "no bundled rubric 'hmip-nothing' and no such file (bundled: "
        + ", ".join(pa.available_rubrics())
        + ")"
    )


def test_a_misspelled_rubric_name_gets_a_suggestion() -> None:
    with pytest.raises(pa.AuditErrors) as info:
        pa.load_rubric("hmip-probation-2032")
    assert str(info.value).startswith(
        "no bundled rubric 'hmip-probation-2032' and no such file: "
        "did you mean 'hmip-probation-2023'? (bundled: "
    )


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "absent.toml"
    with pytest.raises(
        pa.AuditErrors, match=re.escape("absent.toml: cannot read rubric file: No such file")
    ):
        pa.load_rubric(missing)


def test_not_utf8() -> None:
    with pytest.raises(pa.AuditErrors) as info:
        pa.parse_rubric(b"title = '\xff'", source="bad.toml")
    assert info.value.lines() == [
        "bad.toml: invalid TOML: not UTF-8 (invalid start byte at byte 9)"
    ]


def test_errors_are_value_errors_with_fields() -> None:
    with pytest.raises(ValueError) as info:
        pa.parse_rubric("id = 3", source="x.toml")
    errors = info.value.errors  # type: ignore[attr-defined]
    assert all(isinstance(e, pa.RubricError) for e in errors)
    by_path = {e.key_path: e for e in errors}
    assert by_path["id"].message == "expected a string, found integer 3"
    assert by_path["id"].source == "x.toml"
    assert by_path["schema"].message == "missing required key"


def test_at_least_fifteen_golden_rubrics() -> None:
    assert len(RUBRIC_CASES) >= 15


@pytest.mark.parametrize("path", RUBRIC_CASES, ids=lambda p: p.stem)
def test_golden_rubric_errors(path: Path) -> None:
    expected = path.with_suffix(".errors").read_text(encoding="utf-8").splitlines()
    with pytest.raises(pa.AuditErrors) as info:
        pa.parse_rubric(path.read_bytes(), source=path.name)
    assert info.value.lines() == expected
    # Each error is one line.
    assert all("\n" not in line for line in info.value.lines())


def test_validate_collects_every_error() -> None:
    path = GOLDEN / "rubrics" / "many-errors.toml"
    problems = pa.validate_rubric(path)
    assert len(problems) == 7
    assert {p.key_path for p in problems} >= {"schema", "bands.band[2]", "standards[4].id"}


def test_validate_valid_file_is_empty() -> None:
    assert pa.validate_rubric("hmip-probation-2023") == ()


def test_errors_pickle_with_their_fields() -> None:
    import pickle

    error = pa.JudgmentError("bad", source="f.csv", line=3, case_id="C1", question_id="Q1")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is pa.JudgmentError
    assert (again.source, again.line, again.case_id, again.question_id) == ("f.csv", 3, "C1", "Q1")
    assert str(again) == str(error) == "f.csv:3: case 'C1', question 'Q1': bad"
    group = pickle.loads(pickle.dumps(pa.AuditErrors([error])))
    assert group.lines() == ["f.csv:3: case 'C1', question 'Q1': bad"]


def test_the_recorded_fingerprints_are_those_of_the_bundled_files() -> None:
    # A deliberate change to a bundled rubric's rules updates loading._SHIPPED with it.
    assert sorted(_SHIPPED) == sorted(pa.available_rubrics())
    for name in pa.available_rubrics():
        rubric = pa.load_rubric(ROOT / "rubrics" / f"{name}.toml")
        assert rules_fingerprint(rubric) == _SHIPPED[name], name
        assert bundled_difference(rubric) is None


#: The edge between Requires improvement and Good moved by one point.
MOVED = (("to = 65,", "to = 66,"), ("from = 65,", "from = 66,"))


def _bundled_copy(tmp_path: Path, *changes: tuple[str, str]) -> pa.Rubric:
    text = (ROOT / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / "copy.toml"
    target.write_text(text, encoding="utf-8")
    return pa.load_rubric(target)


def test_words_leave_the_fingerprint_and_rules_change_it(tmp_path: Path) -> None:
    shipped = _SHIPPED["hmip-probation-2023"]
    reworded = _bundled_copy(tmp_path, ('title = "', 'title = "Reworded: '))
    assert rules_fingerprint(reworded) == shipped
    assert bundled_difference(reworded) is None
    moved = _bundled_copy(tmp_path, *MOVED)
    assert len(fingerprint := rules_fingerprint(moved)) == 12 and fingerprint != shipped
    assert bundled_difference(moved) == (
        f"rubric 'hmip-probation-2023' has the id of a bundled rubric but other rules "
        f"(fingerprint {fingerprint}, bundled {shipped}): its ratings may differ from the bundled "
        "rubric's; give a modified copy an id of its own"
    )
    renamed = _bundled_copy(tmp_path, ('id = "hmip-probation-2023"', 'id = "local-2023"'))
    assert bundled_difference(renamed) is None


def test_a_modified_bundled_rubric_is_noted_in_its_results(tmp_path: Path) -> None:
    moved = _bundled_copy(tmp_path, *MOVED)
    rows = [{"case_id": "C1", "question_id": q, "judgment": "yes"} for q in moved.question_ids]
    note = bundled_difference(moved)
    assert note is not None and pa.score(moved, rows).notes == (note,)
    assert pa.score(pa.load_rubric("hmip-probation-2023"), rows).notes == ()


def test_a_loaded_rubric_names_its_file(tmp_path: Path) -> None:
    from probation_audit.loading import rubric_file

    bundled = pa.load_rubric("hmip-probation-2023")
    assert rubric_file(bundled) == "hmip-probation-2023.toml (bundled)"
    copy = _bundled_copy(tmp_path)
    assert rubric_file(copy) == str(tmp_path / "copy.toml")
    text = (tmp_path / "copy.toml").read_text(encoding="utf-8")
    assert rubric_file(pa.parse_rubric(text)) is None
    # An equal rubric built otherwise is another object: it was not read from the file.
    assert rubric_file(pa.Rubric.from_mapping(bundled.to_mapping())) is None


def test_a_rubrics_fingerprint_is_kept_while_it_lives(tmp_path: Path) -> None:
    import gc

    moved = _bundled_copy(tmp_path, *MOVED)
    note = bundled_difference(moved)
    assert _identity._FINGERPRINTS[id(moved)][1] == rules_fingerprint(moved)
    assert bundled_difference(moved) == note
    key = id(moved)
    del moved
    pa.loading._LOADED.clear()  # the rubrics loaded lately are kept: let this one go
    gc.collect()
    assert key not in _identity._FINGERPRINTS


def test_a_file_read_again_gives_the_same_rubric_and_a_changed_file_a_new_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "SYNTHETIC.toml"
    text = (ROOT / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = pa.load_rubric(path)
    assert pa.load_rubric(path) is first  # a frozen value: parsed and checked once
    path.write_text(text.replace('title = "', 'title = "Changed: ', 1), encoding="utf-8")
    changed = pa.load_rubric(path)
    assert changed is not first and changed.title.startswith("Changed: ")
    # The same rules given by another name keep the name they were given.
    bundled = pa.load_rubric("hmip-probation-2023")
    from probation_audit._identity import rubric_file

    assert rubric_file(bundled) == "hmip-probation-2023.toml (bundled)"
    assert rubric_file(first) == str(path)
