"""Writing output files all or nothing: every target checked before anything is written, each
file written to a temporary file beside it and renamed into place, so that a failed command
leaves no partial or half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import AuditError, AuditErrors

__all__ = ["check_targets", "target_problem", "write_all", "write_atomic"]


def target_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be written (a directory, no such folder, not writable), or None.

    Returns:
        Why ``path`` cannot be written, in words (``'is a folder, not a file'``, ...), or None when
        it can be.

    Raises:
        Nothing of its own: it only looks at the file system.
    """
    target = Path(path)
    if target.is_dir():
        return "is a folder, not a file"
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        return f"cannot write here: no folder {str(folder)!r}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write here: folder {str(folder)!r} is not writable"
    if target.exists() and not os.access(target, os.W_OK):
        return "cannot write here: the file is read-only"
    return None


def check_targets(paths: Sequence[str | os.PathLike[str]]) -> list[AuditError]:
    """One error per target that cannot be written, or that is named twice.

    Returns:
        One :class:`~probation_audit.errors.AuditError` per problem, naming the path as its source;
        an empty list when every target can be written.

    Raises:
        Nothing of its own: the problems are returned, not raised.
    """
    errors: list[AuditError] = []
    seen: dict[Path, str] = {}
    for path in paths:
        problem = target_problem(path)
        if problem:
            errors.append(AuditError(problem, source=os.fspath(path)))
        key = Path(path).resolve()
        if key in seen:
            errors.append(AuditError(f"named twice (also {seen[key]!r})", source=os.fspath(path)))
        seen[key] = os.fspath(path)
    return errors


def write_all(files: Sequence[tuple[str | os.PathLike[str], bytes]]) -> None:
    """Write every file or none: each goes to a temporary file in its folder first; only when
    all are written are they renamed into place, each file they replace kept aside until all
    are in place (a failure while renaming puts the old files back). Raises
    :class:`AuditErrors` (one line per target) when a target cannot be written; nothing new
    is left behind then.

    Raises:
        AuditErrors: a target cannot be written (a folder, a folder that does not exist, a read-only
            file or folder) or is named twice, and nothing is written; or writing or renaming fails
            with an :class:`OSError`, and the files replaced are put back and nothing new is left
            behind.
    """
    errors = check_targets([path for path, _ in files])
    if errors:
        raise AuditErrors(errors)
    temporary: list[tuple[str, str]] = []
    # (target, backup of the file it replaced, or None when there was none)
    placed: list[tuple[str, str | None]] = []
    try:
        for path, data in files:
            target = os.fspath(path)
            folder = os.path.dirname(target) or "."
            handle, name = tempfile.mkstemp(
                dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp"
            )
            temporary.append((name, target))
            with os.fdopen(handle, "wb") as fp:
                fp.write(data)
            # mkstemp makes the file private (0600); give it the mode a new file gets here,
            # or the mode of the file it replaces.
            os.chmod(name, _mode_for(target))
        for name, target in temporary:
            backup = None
            if os.path.exists(target):
                backup = name + ".old"
                os.replace(target, backup)
            placed.append((target, backup))
            os.replace(name, target)
    except OSError as exc:
        # Put back what was there, and leave nothing new behind.
        for target, backup in reversed(placed):
            if backup is not None and os.path.exists(backup):
                os.replace(backup, target)
            elif backup is None and os.path.exists(target):
                os.unlink(target)
        for name, _ in temporary:
            if os.path.exists(name):
                os.unlink(name)
        where = exc.filename if isinstance(exc.filename, str) else None
        raise AuditErrors(
            [AuditError(f"cannot write file: {exc.strerror or exc}", source=where)]
        ) from None
    for _, backup in placed:
        if backup is not None:
            os.unlink(backup)


def _mode_for(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write one file all or nothing (see :func:`write_all`).

    Raises:
        AuditErrors: a target cannot be written (a folder, a folder that does not exist, a read-only
            file or folder) or is named twice, and nothing is written; or writing or renaming fails
            with an :class:`OSError`, and the files replaced are put back and nothing new is left
            behind.
    """
    write_all([(path, data)])
