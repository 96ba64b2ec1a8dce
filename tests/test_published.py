from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa
from probation_audit.published import _consistent_counts

from .conftest import PUBLISHED_2024


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = PUBLISHED_2024.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    target = tmp_path / "report.toml"
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def test_bundled_reports_include_northamptonshire_2024() -> None:
    names = [f.name for f in pa.bundled_reports()]
    assert "northamptonshire-2024.toml" in names


def test_reproduces_northamptonshire_2024() -> None:
    comparison = pa.reproduce(PUBLISHED_2024)
    assert comparison.ok
    statuses = {row.id: (row.published, row.computed, row.status) for row in comparison.rows}
    assert statuses == {
        "P1.1": ("Requires improvement", "Requires improvement", "input"),
        "P1.2": ("Inadequate", "Inadequate", "input"),
        "P1.3": ("Requires improvement", "Requires improvement", "input"),
        "P2.1": ("Inadequate", "Inadequate", "match"),
        "P2.2": ("Inadequate", "Inadequate", "match"),
        "P2.3": ("Inadequate", "Inadequate", "match"),
        "P2.4": ("Inadequate", "Inadequate", "match"),
        "overall": ("Inadequate", "Inadequate", "match"),
    }
    assert comparison.row("overall").note == "2 of 21 points"
    counts = {
        c.question: (c.counts, c.status, c.boundary_sensitive) for c in comparison.percent_checks
    }
    assert counts["P2.1.3"] == ((11,), "consistent", False)
    assert [c.counts[0] for c in comparison.percent_checks] == [
        36,
        47,
        11,
        27,
        38,
        25,
        30,
        15,
        19,
        34,
        25,
        17,
    ]
    assert comparison.basis.startswith("'yes' counts out of 70")


def test_every_bundled_report_reproduces() -> None:
    comparisons = [c for path in pa.bundled_reports() for c in pa.reproduce_all(path)]
    assert len(comparisons) == 42
    assert all(c.ok for c in comparisons), [c.report.title for c in comparisons if not c.ok]


def test_youth_totals_corpus() -> None:
    """All 40 published youth totals fall in their published overall bands; the edges the
    corpus pins: 18 is Requires improvement and 19 Good (both observed)."""
    path = next(p for p in pa.bundled_reports() if p.name == "youth-2018-totals.toml")
    comparisons = pa.reproduce_all(path)
    assert len(comparisons) == 40 and all(c.totals_only for c in comparisons)
    by_points = {c.report.points: c.row("overall").computed for c in comparisons}
    assert by_points[18] == "Requires improvement" and by_points[19] == "Good"
    assert by_points[3] == "Inadequate" and by_points[31] == "Outstanding"
    with pytest.raises(pa.AuditErrors, match="holds several inspections"):
        pa.reproduce(path)


def test_mismatch_detected(tmp_path: Path) -> None:
    # 51% on P2.1.3 would make Assessment 'Requires improvement', not the published Inadequate.
    comparison = pa.reproduce(edited(tmp_path, '"P2.1.3" = 16', '"P2.1.3" = 51'))
    assert not comparison.ok
    assert [(r.id, r.published, r.computed) for r in comparison.mismatches] == [
        ("P2.1", "Inadequate", "Requires improvement"),
    ]
    # One more point is still Inadequate overall (3 of 21).
    assert comparison.row("overall").computed == "Inadequate"
    assert "NOT reproduced" in comparison.render_text()


def test_overall_mismatch_detected(tmp_path: Path) -> None:
    comparison = pa.reproduce(
        edited(tmp_path, 'overall = "Inadequate"', 'overall = "Requires improvement"')
    )
    assert [r.id for r in comparison.mismatches] == ["overall"]


def test_missing_percentage_is_undetermined(tmp_path: Path) -> None:
    comparison = pa.reproduce(edited(tmp_path, '"P2.3.2" = 21\n', ""))
    row = comparison.row("P2.3")
    assert (row.computed, row.status, row.note) == (
        None,
        "undetermined",
        "no printed score or percentage for P2.3.2",
    )
    assert comparison.row("overall").status == "undetermined"
    assert comparison.ok  # nothing computable disagrees
    assert comparison.basis.startswith("'yes' counts out of 70")


def test_without_sample_size_uses_printed_numbers(tmp_path: Path) -> None:
    comparison = pa.reproduce(
        edited(tmp_path, "cases = 70  # 45 community orders and 25 releases on licence\n", "")
    )
    assert comparison.ok
    assert comparison.percent_checks == ()
    assert comparison.basis == "the printed whole-number percentages"


def test_impossible_and_ambiguous_percentages(tmp_path: Path) -> None:
    # 1/70 steps are 1.43 points: 50% is 35/70 exactly, 31% is 22/70 = 31.43.
    assert _consistent_counts(50, 70) == (35,)
    assert _consistent_counts(31, 70) == (22,)
    # k/70: 1.43, 2.86, 4.29, 5.71 for k = 1..4
    assert _consistent_counts(1, 70) == (1,)
    assert _consistent_counts(2, 70) == ()
    assert _consistent_counts(3, 70) == (2,)
    assert _consistent_counts(4, 70) == (3,)
    assert _consistent_counts(5, 70) == ()
    assert _consistent_counts(100, 70) == (70,)
    assert _consistent_counts(0, 70) == (0,)
    assert _consistent_counts(50, 300) == (149, 150, 151)  # 49.67, 50, 50.33
    comparison = pa.reproduce(edited(tmp_path, "cases = 70", "cases = 300"))
    statuses = {c.question: c.status for c in comparison.percent_checks}
    assert set(statuses.values()) == {"ambiguous"}
    comparison = pa.reproduce(edited(tmp_path, '"P2.4.3" = 24', '"P2.4.3" = 5'))
    check = next(c for c in comparison.percent_checks if c.question == "P2.4.3")
    assert (check.status, check.counts) == ("impossible", ())
    assert "impossible with 70 relevant cases" in check.describe()


def test_boundary_sensitive_percentage(tmp_path: Path) -> None:
    # With 200 cases, a printed 50% allows 99/200 (49.5%, Inadequate on the exact value).
    path = edited(tmp_path, "cases = 70", "cases = 200")
    text = path.read_text(encoding="utf-8").replace('"P2.1.1" = 51', '"P2.1.1" = 50')
    path.write_text(text, encoding="utf-8")
    check = next(c for c in pa.reproduce(path).percent_checks if c.question == "P2.1.1")
    assert check.counts == (99, 100)
    assert check.boundary_sensitive
    assert check.describe() == "P2.1.1: 50% = ambiguous: 99/200 or 100/200; boundary-sensitive"


def test_published_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'rubric = "hmip-probation-2023"\ntitle = "X"\npublished = "2024"\nsource = "s"\ncases = 0\ncolour = "red"\n'
        '[ratings]\n"P9.9" = "Good"\n"P2.1" = "Fine"\n[percentages]\n"P2.1.1" = 101\n"P2.1.2" = 50.5\n"P7" = 3\n',
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors) as info:
        pa.reproduce(path)
    src = str(path)
    assert info.value.lines() == [
        f"{src}: colour: unknown key 'colour' (expected one of: cases, follow_up, notes, percentages, points, published, ratings, rubric, scores, "
        "source, threads, title, unavailable)",
        f"{src}: cases: expected a positive number of cases, found 0",
        f"{src}: ratings.\"P9.9\": unknown standard (rubric 'hmip-probation-2023' has P1.1, P1.2, P1.3, P2.1, P2.2, P2.3, P2.4, and 'overall')",
        f"{src}: ratings.\"P2.1\": invalid rating 'Fine' (expected one of: Inadequate, Requires improvement, Good, Outstanding)",
        f'{src}: percentages."P2.1.1": expected a printed percentage from 0 to 100, found 101',
        f'{src}: percentages."P2.1.2": expected a whole number, found number 50.5',
        f"{src}: percentages.P7: unknown key question (expected one of: P2.1.1, P2.1.2, P2.1.3, P2.2.1, P2.2.2, P2.2.3, P2.3.1, P2.3.2, P2.3.3, P2.4.1, P2.4.2, P2.4.3)",
    ]


def test_published_file_unknown_rubric_and_bad_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'rubric = "nope"\ntitle = "X"\npublished = "2024"\nsource = "s"\n[ratings]\n[percentages]\n',
        encoding="utf-8",
    )
    with pytest.raises(
        pa.AuditErrors,
        match=r"rubric: unknown rubric 'nope' \(bundled: hmip-omi-2007, hmip-probation-2023",
    ):
        pa.reproduce(path)
    path.write_text("rubric = \n", encoding="utf-8")
    with pytest.raises(pa.AuditErrors, match=r"bad.toml:1:\d+: invalid TOML"):
        pa.reproduce(path)
    with pytest.raises(pa.AuditErrors, match="cannot read file"):
        pa.reproduce(tmp_path / "absent.toml")


def test_rubric_path_relative_to_report(tmp_path: Path) -> None:
    rubric_text = (
        Path(pa.__file__).resolve().parent.parent / "rubrics" / "hmip-probation-2023.toml"
    ).read_text(encoding="utf-8")
    (tmp_path / "variant.toml").write_text(
        rubric_text.replace('id = "hmip-probation-2023"', 'id = "variant"'), encoding="utf-8"
    )
    path = edited(tmp_path, 'rubric = "hmip-probation-2023"', 'rubric = "variant.toml"')
    comparison = pa.reproduce(path)
    assert comparison.report.rubric.id == "variant"
    assert comparison.ok


def test_comparison_json() -> None:
    data = pa.reproduce(PUBLISHED_2024).to_dict()
    assert data["ok"] is True
    assert data["ratings"][3] == {
        "id": "P2.1",
        "title": "Assessment",
        "published": "Inadequate",
        "computed": "Inadequate",
        "status": "match",
        "note": "lowest P2.1.3 16%",
    }
    assert data["percentages"][2] == {
        "id": "P2.1.3",
        "printed": 16,
        "cases": 70,
        "counts": [11],
        "status": "consistent",
        "boundary_sensitive": False,
    }


def test_published_cases_are_bounded(tmp_path: Path) -> None:
    from .conftest import PUBLISHED_2024

    text = PUBLISHED_2024.read_text(encoding="utf-8")
    assert "cases = 70" in text
    path = tmp_path / "figures.toml"
    path.write_text(
        text.replace("cases = 70", f"cases = {10**18}").replace(
            'rubric = "hmip-probation-2023"', 'rubric = "hmip-probation-2023"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(pa.AuditErrors) as caught:
        pa.reproduce(path)
    assert any(
        "cases: expected at most 1,000,000 cases (an inspection's sample), found 1,000,000,000,000,000,000"
        in line
        for line in caught.value.lines()
    )


def test_reproduce_text_cuts_a_long_title_at_a_word_with_an_ellipsis() -> None:
    (comparison,) = pa.reproduce_all(PUBLISHED_2024.with_name("northamptonshire-2007.toml"))
    labels = [line[5:55].rstrip() for line in comparison.render_text().splitlines()[4:24]]
    assert labels[6] == "2.2 Protecting the public by minimising risk of…"
    assert labels[8] == "2.4 Ensuring containment and promoting compliance…"
    assert labels[15] == "4.2 Performance against national and regional…"
    assert labels[0] == "1.1 Preparing for sentence"  # a title that fits is whole
    assert [label for label in labels if len(label) > 50 or "…" in label[:-1]] == []
