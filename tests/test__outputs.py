"""Tests of probation_audit._outputs: writing every output file or none."""

from __future__ import annotations

from pathlib import Path

import pytest

import probation_audit as pa


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from probation_audit import _outputs as outputs

    real_replace = os.replace
    calls = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(pa.AuditErrors, match="No space left on device"):
        outputs.write_all([(tmp_path / "a.txt", b"a"), (tmp_path / "b.txt", b"b")])
    # The first file was renamed into place before the failure, and removed after it.
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_failed_write_puts_back_the_file_it_was_replacing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from probation_audit import _outputs as outputs

    (tmp_path / "b.txt").write_bytes(b"old")
    os.chmod(tmp_path / "b.txt", 0o640)
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:  # a placed, b set aside, then the new b fails
            raise OSError(28, "No space left on device", dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(pa.AuditErrors, match="No space left on device"):
        outputs.write_all([(tmp_path / "a.txt", b"a"), (tmp_path / "b.txt", b"new")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]
    assert (tmp_path / "b.txt").read_bytes() == b"old"
    monkeypatch.setattr(os, "replace", real_replace)
    outputs.write_all([(tmp_path / "b.txt", b"new"), (tmp_path / "c.txt", b"c")])
    assert (tmp_path / "b.txt").read_bytes() == b"new"
    assert oct((tmp_path / "b.txt").stat().st_mode & 0o777) == oct(0o640)
    mask = os.umask(0)
    os.umask(mask)
    assert oct((tmp_path / "c.txt").stat().st_mode & 0o777) == oct(0o666 & ~mask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt", "c.txt"]
