"""What every output says of where its figures come from: the rubric's id, file and rules'
fingerprint, and the notes on the data, each audit's named when an output holds several."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import probation_audit as pa
from probation_audit._about import About
from probation_audit.loading import rules_fingerprint

from .conftest import DATA

#: The mini rubric with a bundled rubric's id: a SYNTHETIC modified copy.
COPY_ID = "hmip-youth-2018"


def _copy(tmp_path: Path) -> pa.Rubric:
    path = tmp_path / "SYNTHETIC_copy.toml"
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('id = "mini"', f'id = "{COPY_ID}"'), encoding="utf-8")
    return pa.load_rubric(path)


def _other_rules(rubric: pa.Rubric) -> str:
    return (
        f"rubric '{COPY_ID}' has the id of a bundled rubric but other rules (fingerprint "
        f"{rules_fingerprint(rubric)}, bundled 6e2821589f52): its ratings may differ from the "
        "bundled rubric's; give a modified copy an id of its own"
    )


def test_about_a_rubric_names_its_file_and_fingerprint_and_says_the_notes_as_they_are() -> None:
    rubric = pa.load_rubric(DATA / "mini.toml")
    about = About.of_rubric(rubric, [(None, ("a note", "another"))])
    fingerprint = rules_fingerprint(rubric)
    assert about == About("mini", str(DATA / "mini.toml"), fingerprint, ("a note", "another"))
    assert about.rubric_label == f"mini from {DATA / 'mini.toml'}, rules {fingerprint}"
    assert about.to_dict() == {
        "rubric": "mini",
        "rubric_file": str(DATA / "mini.toml"),
        "rubric_fingerprint": fingerprint,
        "notes": ["a note", "another"],
    }
    built = pa.Rubric.from_mapping(rubric.to_mapping())  # from no file
    assert About.of_rubric(built).rubric_label == f"mini, rules {fingerprint}"


def test_a_bundled_id_with_other_rules_is_said_once_first_however_many_audits(
    tmp_path: Path,
) -> None:
    rubric = _copy(tmp_path)
    sample = pa.from_wide(
        {"C1": {"S1.1": "yes", "S1.2": "", "S2.1": "no"}}, rubric, missing="not-relevant"
    )
    (blank,) = sample.notes
    one = pa.score(rubric, sample)
    assert one.notes == (_other_rules(rubric), blank)  # as score says them
    assert About.of_result(one).notes == one.notes
    two = About.of_results([one, one], ["a.csv", "b.csv"])
    assert two.notes == (_other_rules(rubric), f"a.csv: {blank}", f"b.csv: {blank}")
    assert About.of_rubric(rubric, [("a.csv", sample.notes)]).notes == two.notes[:2]
    # a result rated by score_tally alone, without the note, is told it all the same
    bare = attrs.evolve(one, notes=(blank,))
    assert About.of_result(bare).notes == one.notes


def test_notes_said_alike_under_one_name_are_said_once_and_names_must_match_results() -> None:
    rubric = pa.load_rubric(DATA / "mini.toml")
    about = About.of_rubric(rubric, [("f.xlsx", ("hidden",)), ("f.xlsx", ("hidden", "blank"))])
    assert about.notes == ("f.xlsx: hidden", "f.xlsx: blank")
    result = pa.score(
        rubric, pa.from_wide({"C1": {"S1.1": "yes", "S1.2": "no", "S2.1": "no"}}, rubric)
    )
    with pytest.raises(ValueError, match=r"give one name per result \(2\), got 1"):
        About.of_results([result, result], ["a.csv"])
    with pytest.raises(ValueError, match="no result"):
        About.of_results([])
