"""Finding and loading rubric files: the bundled ones by id, any other by path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from ._compat import Traversable
from ._identity import note_file, rubric_file, rules_fingerprint
from ._toml import parse_toml, read_toml_bytes
from .errors import AuditError, AuditErrors, RubricError
from .rubric import Rubric

__all__ = [
    "available_rubrics",
    "bundled_difference",
    "bundled_path",
    "load_rubric",
    "parse_rubric",
    "rubric_file",
    "rules_fingerprint",
    "validate_rubric",
]

_SUFFIX = ".toml"


def _bundled_dir(name: str) -> Traversable | None:
    """A data folder shipped in the wheel, or (source checkout, editable install) at the repo top."""
    packaged = resources.files("probation_audit") / name
    if packaged.is_dir():
        return packaged
    # In a checkout the folders live beside the package, not inside it.
    repo = Path(__file__).resolve().parent.parent
    folder = repo / ("examples/published" if name == "published" else name)
    if folder.is_dir():
        return folder
    return None


def _bundled_files(name: str) -> Iterator[Traversable]:
    folder = _bundled_dir(name)
    if folder is None:
        return
    yield from sorted(
        (f for f in folder.iterdir() if f.name.endswith(_SUFFIX) and f.is_file()),
        key=lambda f: f.name,
    )


def available_rubrics() -> tuple[str, ...]:
    """Ids of the rubrics bundled with the package, sorted.

    Returns:
        The ids, such as ``'hmip-probation-2023'``, sorted; empty when no rubrics folder is found.

    Raises:
        Nothing of its own: a missing rubrics folder gives an empty tuple.
    """
    return tuple(f.name[: -len(_SUFFIX)] for f in _bundled_files("rubrics"))


def bundled_path(rubric_id: str) -> Traversable:
    """The bundled file for ``rubric_id``; :class:`KeyError` naming the choices if there is none.

    Returns:
        The bundled rubric file, as a ``Traversable`` (read it with ``read_bytes()``).

    Raises:
        KeyError: no bundled rubric has the id; the message lists the bundled ones.
    """
    for f in _bundled_files("rubrics"):
        if f.name == rubric_id + _SUFFIX:
            return f
    raise KeyError(
        f"no bundled rubric {rubric_id!r} (bundled: {', '.join(available_rubrics()) or 'none'})"
    )


def _did_you_mean(text: str) -> str:
    import difflib

    close = difflib.get_close_matches(text, available_rubrics(), n=1, cutoff=0.6)
    return f": did you mean {close[0]!r}?" if close else ""


def _read(name_or_path: str | os.PathLike[str]) -> tuple[bytes, str]:
    text = os.fspath(name_or_path)
    if isinstance(name_or_path, str) and not text.endswith(_SUFFIX) and os.sep not in text:
        if text in available_rubrics():
            f = bundled_path(text)
            return f.read_bytes(), f"{text}{_SUFFIX} (bundled)"
        if not os.path.exists(text):
            raise AuditErrors(
                [
                    RubricError(
                        f"no bundled rubric {text!r} and no such file{_did_you_mean(text)} "
                        f"(bundled: {', '.join(available_rubrics()) or 'none'})",
                    )
                ]
            )
    try:
        return read_toml_bytes(text, RubricError, "rubric file"), text
    except RubricError as exc:
        raise AuditErrors([exc]) from None


def parse_rubric(data: bytes | str, *, source: str = "<string>") -> Rubric:
    """Build a rubric from TOML text; raise :class:`AuditErrors` listing every problem.

    Returns:
        The validated :class:`~probation_audit.rubric.Rubric`.

    Raises:
        AuditErrors: the data is not UTF-8 or not valid TOML (one error with its line and column),
            or the mapping is not a valid rubric (every problem, each with its key path); each error
            is a :class:`~probation_audit.errors.RubricError` naming ``source``.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mapping: dict[str, Any] = parse_toml(raw, source, RubricError)
    except AuditError as error:
        raise AuditErrors([error]) from None
    return Rubric.from_mapping(mapping, source=source)


def load_rubric(name_or_path: str | os.PathLike[str]) -> Rubric:
    """Load a bundled rubric by id (``"hmip-probation-2023"``) or a rubric file by path.

    Raises :class:`AuditErrors` (a :class:`ValueError`) listing every problem in the file.

    Returns:
        The validated :class:`~probation_audit.rubric.Rubric`.

    Raises:
        AuditErrors: no bundled rubric has the id and no file has the name; the file cannot be read
            (a missing file included: no :class:`OSError` escapes) or is larger than 8 MiB; or it is
            not valid TOML or not a valid rubric. Each problem is a
            :class:`~probation_audit.errors.RubricError`.
        TypeError: ``name_or_path`` is neither a string nor a path.
    """
    data, source = _read(name_or_path)
    key = (source, data)
    rubric = _LOADED.get(key)
    if rubric is None:
        rubric = parse_rubric(data, source=source)
        note_file(rubric, source)
        _LOADED[key] = rubric
        while len(_LOADED) > _LOADED_KEPT:
            _LOADED.pop(next(iter(_LOADED)), None)
    return rubric


#: Rubrics loaded lately, by the file's name and its bytes (a changed file is read afresh): a
#: rubric is a frozen value, so the same file read again gives the same value without parsing
#: and validating it again (a published-figures file names its rubric once per inspection).
_LOADED: dict[tuple[str, bytes], Rubric] = {}
_LOADED_KEPT = 16


def validate_rubric(name_or_path: str | os.PathLike[str]) -> tuple[AuditError, ...]:
    """Every problem in a rubric file, or an empty tuple if it is valid.

    Returns:
        The problems found, each a :class:`~probation_audit.errors.RubricError`, or an empty tuple;
        a file that cannot be found or read is one of them.

    Raises:
        TypeError: ``name_or_path`` is neither a string nor a path. Problems in the rubric are
            returned, never raised.
    """
    try:
        load_rubric(name_or_path)
    except AuditErrors as errors:
        return errors.errors
    return ()


#: The fingerprint of each bundled rubric's rules as shipped (:func:`rules_fingerprint`); a
#: test holds it to the files, so a deliberate change to a bundled rubric updates it here.
_SHIPPED = {
    "hmip-omi-2007": "4af4af846cda",
    "hmip-probation-2023": "02ea540259dd",
    "hmip-probation-crc-2018": "0026eeec0ea1",
    "hmip-probation-nps-2018": "bbc80ca38022",
    "hmip-probation-pdu-2021": "ae1317df3d31",
    "hmip-youth-2018": "6e2821589f52",
}


def bundled_difference(rubric: Rubric) -> str | None:
    """What to say when ``rubric`` has the id of a bundled rubric but other rules (a modified
    copy, or the bundled file changed on disk): its ratings may differ from the bundled
    rubric's under the same id.

    Returns:
        One line naming the id and both fingerprints (:func:`rules_fingerprint`), or None
        when the id is not a bundled one or the rules are those shipped.

    Raises:
        Nothing of its own.
    """
    return _bundled_difference(rubric.id, rules_fingerprint(rubric))


def _bundled_difference(rubric_id: str, fingerprint: str) -> str | None:
    """:func:`bundled_difference` of a rubric known by its id and rules' fingerprint (as a
    result names it)."""
    shipped = _SHIPPED.get(rubric_id)
    if shipped is None or fingerprint == shipped:
        return None
    return (
        f"rubric {rubric_id!r} has the id of a bundled rubric but other rules (fingerprint "
        f"{fingerprint}, bundled {shipped}): its ratings may differ from the bundled rubric's; "
        "give a modified copy an id of its own"
    )
