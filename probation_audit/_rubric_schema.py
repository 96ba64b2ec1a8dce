"""Reading a raw mapping (parsed TOML) into a rubric's fields, reporting every problem with its
key path (``bands.band[2].from``). :meth:`~probation_audit.rubric.Rubric.from_mapping` uses it;
the values it builds are those of :mod:`probation_audit._rubric_parts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ._reader import Reader, format_number, join
from ._rubric_parts import (
    AGGREGATION_METHODS,
    BASES,
    HUNDRED,
    OVERALL_METHODS,
    ROUNDING_METHODS,
    SCHEMA_VERSION,
    STATUSES,
    Aggregation,
    Band,
    Bands,
    Domain,
    FollowUp,
    OverallRule,
    PointsBand,
    Prompt,
    Provenance,
    Question,
    Rounding,
    Scale,
    ScaleLevel,
    Standard,
    Thread,
    alike,
    coverage_problems,
    name_key,
    reference_problems,
)

__all__ = ["read_rubric_fields", "report_reference_problems"]


_TOP_REQUIRED = (
    "schema",
    "id",
    "title",
    "source",
    "structure",
    "scales",
    "bands",
    "rounding",
    "aggregations",
    "domains",
    "standards",
)
_TOP_OPTIONAL = ("notes", "overall", "threads", "years")


def _read_provenance(reader: Reader, table: Mapping[str, Any], path: str) -> Provenance | None:
    status = reader.get(table, path, "status", lambda v, p: reader.choice(v, p, STATUSES))
    source = reader.get(table, path, "source", reader.string)
    if status is None or source is None:
        return None
    return Provenance(status, source)


def read_rubric_fields(reader: Reader, mapping: Mapping[str, Any]) -> dict[str, Any] | None:
    """The keyword arguments of :class:`~probation_audit.rubric.Rubric` read from ``mapping``,
    or None when a problem was found (each recorded in ``reader``).

    Returns:
        A dict of the keyword arguments of :class:`~probation_audit.rubric.Rubric`, or None when
        some problem was found.

    Raises:
        Nothing of its own: every problem is recorded in ``reader.errors``, not raised.
    """
    top = reader.table(mapping, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    if top is None:
        return None
    schema = reader.get(top, "", "schema", reader.integer)
    if schema is not None and schema != SCHEMA_VERSION:
        reader.fail("schema", f"expected schema version {SCHEMA_VERSION}, found {schema}")
    rubric_id = reader.get(top, "", "id", reader.identifier)
    title = reader.get(top, "", "title", reader.string)
    source = reader.get(top, "", "source", reader.string)
    notes = reader.get(top, "", "notes", reader.string)
    years = reader.get(top, "", "years", reader.string)

    structure = None
    table = (
        reader.table(top["structure"], "structure", ("status", "source"))
        if "structure" in top
        else None
    )
    if table is not None:
        structure = _read_provenance(reader, table, "structure")

    scales = _read_scales(reader, top.get("scales"), "scales") if "scales" in top else None
    bands = _read_bands(reader, top["bands"], "bands") if "bands" in top else None
    rounding = None
    table = (
        reader.table(top["rounding"], "rounding", ("method", "status", "source"))
        if "rounding" in top
        else None
    )
    if table is not None:
        method = reader.get(
            table, "rounding", "method", lambda v, p: reader.choice(v, p, ROUNDING_METHODS)
        )
        provenance = _read_provenance(reader, table, "rounding")
        if method is not None and provenance is not None:
            rounding = Rounding(method, provenance)
    aggregations = (
        _read_aggregations(reader, top["aggregations"], "aggregations")
        if "aggregations" in top
        else None
    )
    # Optional parts: absent is fine (None); present but invalid fails the whole file.
    overall = _read_overall(reader, top["overall"], "overall") if "overall" in top else None
    threads = _read_threads(reader, top["threads"], "threads") if "threads" in top else ()
    domains = _read_domains(reader, top["domains"], "domains") if "domains" in top else None
    standards = (
        _read_standards(reader, top["standards"], "standards") if "standards" in top else None
    )
    parts = (scales, bands, aggregations, overall, domains, standards, threads)
    if (
        reader.errors
        or rubric_id is None
        or title is None
        or source is None
        or structure is None
        or scales is None
        or bands is None
        or rounding is None
        or aggregations is None
        or domains is None
        or standards is None
        or threads is None
    ):
        # Cross-references are checked on whatever parts did read cleanly.
        _report(reader, reference_problems(*parts))
        return None
    return {
        "id": rubric_id,
        "title": title,
        "source": source,
        "notes": notes,
        "years": years,
        "structure": structure,
        "scales": scales,
        "bands": bands,
        "rounding": rounding,
        "aggregations": aggregations,
        "overall": overall,
        "domains": domains,
        "standards": standards,
        "threads": threads,
    }


def report_reference_problems(reader: Reader, fields: Mapping[str, Any]) -> None:
    """Record the cross-reference problems of fields that each read cleanly.

    Raises:
        KeyError: ``fields`` lacks one of the parts checked (scales, bands, aggregations, overall,
            domains, standards, threads); the problems found are recorded in ``reader.errors``, not
            raised.
    """
    parts = ("scales", "bands", "aggregations", "overall", "domains", "standards", "threads")
    _report(reader, reference_problems(*(fields[name] for name in parts)))


def _report(reader: Reader, problems: list[tuple[str, str]]) -> None:
    for path, message in problems:
        reader.fail(path, message)


def _read_scales(reader: Reader, value: object, path: str) -> tuple[Scale, ...] | None:
    table = reader.named_tables(value, path)
    if table is None:
        return None
    if not table:
        reader.fail(path, "expected at least one scale")
        return None
    scales: list[Scale] = []
    ok = True
    for scale_id, body in table.items():
        spath = join(path, scale_id)
        t = reader.table(body, spath, ("labels", "status", "source"))
        if t is None:
            ok = False
            continue
        provenance = _read_provenance(reader, t, spath)
        items = reader.get(t, spath, "labels", reader.array)
        levels: list[ScaleLevel] = []
        if items is not None:
            if not items:
                reader.fail(join(spath, "labels"), "expected at least one label")
            for i, item in enumerate(items):
                ipath = join(join(spath, "labels"), i)
                it = reader.table(item, ipath, ("label",), ("points",))
                if it is None:
                    continue
                label = reader.get(it, ipath, "label", reader.identifier)
                points = reader.get(it, ipath, "points", reader.integer)
                if label is not None and (points is not None or "points" not in it):
                    levels.append(ScaleLevel(label, points))
            labels = [level.label for level in levels]
            for i, j in alike(labels).items():
                reader.fail(
                    join(join(spath, "labels"), i),
                    f"duplicate label {labels[i]!r}"
                    if labels[i] == labels[j]
                    else f"label {labels[i]!r} reads as {labels[j]!r} (labels[{j}]): labels are "
                    "matched ignoring case and repeated spaces, so they cannot be told apart",
                )
            with_points = [level for level in levels if level.points is not None]
            if with_points and len(with_points) != len(levels):
                missing = next(i for i, level in enumerate(levels) if level.points is None)
                reader.fail(
                    join(join(join(spath, "labels"), missing), "points"),
                    "missing: give points for every label of a scale, or for none",
                )
            for a, b in pairwise(with_points):
                assert a.points is not None and b.points is not None
                if b.points <= a.points:
                    reader.fail(
                        join(spath, "labels"),
                        f"points must increase from the lowest label: {b.label!r} has {b.points}, "
                        f"not more than {a.label!r} with {a.points}",
                    )
                    break
        if provenance is None or items is None or len(levels) != len(items) or not levels:
            ok = False
            continue
        try:
            scales.append(Scale(scale_id, tuple(levels), provenance))
        except ValueError:
            ok = False
    return tuple(scales) if ok else None


def _read_bands(reader: Reader, value: object, path: str) -> Bands | None:
    before = len(reader.errors)
    table = reader.table(value, path, ("scale", "band", "status", "source"))
    if table is None:
        return None
    provenance = _read_provenance(reader, table, path)
    scale = reader.get(table, path, "scale", reader.identifier)
    items = reader.get(table, path, "band", reader.array)
    if items is None:
        return None
    bpath = join(path, "band")
    if not items:
        reader.fail(bpath, "expected at least one band")
        return None
    bands: list[Band | None] = []
    for i, item in enumerate(items):
        ipath = join(bpath, i)
        it = reader.table(item, ipath, ("from", "to", "rating"), ("descriptor",))
        if it is None:
            bands.append(None)
            continue
        lower = reader.get(it, ipath, "from", reader.number)
        upper = reader.get(it, ipath, "to", reader.number)
        rating = reader.get(it, ipath, "rating", reader.identifier)
        descriptor = reader.get(it, ipath, "descriptor", reader.string)
        if lower is None or upper is None or rating is None:
            bands.append(None)
            continue
        bad = False
        for key, number in (("from", lower), ("to", upper)):
            if number > HUNDRED:
                reader.fail(
                    join(ipath, key),
                    f"expected a percentage from 0 to 100, found {format_number(number)}",
                )
                bad = True
        if not bad and lower >= upper:
            reader.fail(
                ipath,
                f"band is empty or reversed: from {format_number(lower)} is not below to {format_number(upper)}",
            )
            bad = True
        bands.append(None if bad else Band(lower, upper, rating, descriptor))
    if any(b is None for b in bands):
        return None
    good = [b for b in bands if b is not None]
    _check_coverage(
        reader,
        bpath,
        [(b.lower, b.upper) for b in good],
        end=HUNDRED,
        step=0,
        unit="%",
    )
    if len(reader.errors) > before or provenance is None or scale is None:
        return None
    return Bands(scale, tuple(good), provenance)


def _check_coverage(
    reader: Reader,
    path: str,
    spans: Sequence[tuple[Fraction, Fraction]],
    *,
    end: Fraction,
    step: int,
    unit: str,
) -> None:
    """Report every coverage problem of a file's bands at its key path."""
    for i, message in coverage_problems(spans, end=end, step=step, unit=unit):
        reader.fail(join(path, i), message)


def _read_aggregations(reader: Reader, value: object, path: str) -> tuple[Aggregation, ...] | None:
    table = reader.named_tables(value, path)
    if table is None:
        return None
    if not table:
        reader.fail(path, "expected at least one aggregation")
        return None
    out: list[Aggregation] = []
    ok = True
    for agg_id, body in table.items():
        apath = join(path, agg_id)
        t = reader.table(body, apath, ("method", "status", "source"), ("individual", "summary"))
        if t is None:
            ok = False
            continue
        method = reader.get(
            t, apath, "method", lambda v, p: reader.choice(v, p, AGGREGATION_METHODS)
        )
        provenance = _read_provenance(reader, t, apath)
        individual = reader.get(t, apath, "individual", reader.number)
        summary = reader.get(t, apath, "summary", reader.number)
        if method == "weighted":
            for key in ("individual", "summary"):
                if key not in t:
                    reader.fail(join(apath, key), "missing required key for a weighted aggregation")
            if individual is not None and summary is not None and individual + summary != 1:
                reader.fail(
                    apath,
                    f"weights must sum to 1: individual {format_number(individual)} + summary "
                    f"{format_number(summary)} = {format_number(individual + summary)}",
                )
                ok = False
                continue
        elif method is not None:
            for key in ("individual", "summary"):
                if key in t:
                    reader.fail(
                        join(apath, key), f"weights go with method 'weighted', not {method!r}"
                    )
            individual = summary = None
        if (
            method is None
            or provenance is None
            or (method == "weighted" and (individual is None or summary is None))
        ):
            ok = False
            continue
        out.append(Aggregation(agg_id, method, provenance, individual, summary))
    return tuple(out) if ok else None


def _read_overall(reader: Reader, value: object, path: str) -> OverallRule | None:
    before = len(reader.errors)
    table = reader.table(value, path, ("method", "scale", "standards", "band", "status", "source"))
    if table is None:
        return None
    method = reader.get(table, path, "method", lambda v, p: reader.choice(v, p, OVERALL_METHODS))
    scale = reader.get(table, path, "scale", reader.identifier)
    standards = reader.get(table, path, "standards", reader.strings)
    provenance = _read_provenance(reader, table, path)
    if standards is not None:
        seen: set[str] = set()
        for i, sid in enumerate(standards):
            if sid in seen:
                reader.fail(join(join(path, "standards"), i), f"duplicate standard {sid!r}")
            seen.add(sid)
        if not standards:
            reader.fail(join(path, "standards"), "expected at least one standard")
    items = reader.get(table, path, "band", reader.array)
    bands: list[PointsBand] = []
    if items is not None:
        bpath = join(path, "band")
        if not items:
            reader.fail(bpath, "expected at least one band")
        complete = True
        for i, item in enumerate(items):
            ipath = join(bpath, i)
            it = reader.table(item, ipath, ("min", "max", "rating"))
            if it is None:
                complete = False
                continue
            lo = reader.get(it, ipath, "min", reader.integer)
            hi = reader.get(it, ipath, "max", reader.integer)
            rating = reader.get(it, ipath, "rating", reader.identifier)
            if lo is None or hi is None or rating is None:
                complete = False
                continue
            if hi < lo:
                reader.fail(ipath, f"band is reversed: min {lo} is above max {hi}")
                complete = False
                continue
            bands.append(PointsBand(lo, hi, rating))
        if complete and bands:
            _check_coverage(
                reader,
                bpath,
                [(Fraction(b.minimum), Fraction(b.maximum)) for b in bands],
                end=Fraction(bands[-1].maximum),
                step=1,
                unit=" points",
            )
    if len(reader.errors) > before or None in (method, scale, standards, provenance) or not bands:
        return None
    assert (
        method is not None
        and scale is not None
        and standards is not None
        and provenance is not None
    )
    return OverallRule(method, scale, standards, tuple(bands), provenance)


def _read_domains(reader: Reader, value: object, path: str) -> tuple[Domain, ...] | None:
    items = reader.array(value, path)
    if items is None:
        return None
    out: list[Domain] = []
    ok = True
    seen: set[str] = set()
    for i, item in enumerate(items):
        ipath = join(path, i)
        t = reader.table(item, ipath, ("id", "title"), ("aggregation",))
        if t is None:
            ok = False
            continue
        did = reader.get(t, ipath, "id", reader.identifier)
        title = reader.get(t, ipath, "title", reader.string)
        aggregation = reader.get(t, ipath, "aggregation", reader.identifier)
        if did is None or title is None or ("aggregation" in t and aggregation is None):
            ok = False
            continue
        if did in seen:
            reader.fail(join(ipath, "id"), f"duplicate domain id {did!r}")
            ok = False
        seen.add(did)
        out.append(Domain(did, title, aggregation))
    return tuple(out) if ok else None


def _read_threads(reader: Reader, value: object, path: str) -> tuple[Thread, ...] | None:
    table = reader.named_tables(value, path)
    if table is None:
        return None
    out: list[Thread] = []
    ok = True
    for thread_id, body in table.items():
        tpath = join(path, thread_id)
        t = reader.table(
            body, tpath, ("title", "tag", "domains", "status", "source"), ("follow_up",)
        )
        if t is None:
            ok = False
            continue
        title = reader.get(t, tpath, "title", reader.string)
        tag = reader.get(t, tpath, "tag", reader.identifier)
        domains = reader.get(t, tpath, "domains", reader.strings)
        provenance = _read_provenance(reader, t, tpath)
        follow_up: FollowUp | None = None
        fpath = join(tpath, "follow_up")
        ft = (
            reader.table(t["follow_up"], fpath, ("below", "status", "source"))
            if "follow_up" in t
            else None
        )
        if ft is not None:
            below = reader.get(ft, fpath, "below", reader.number)
            fprov = _read_provenance(reader, ft, fpath)
            if below is not None and below > HUNDRED:
                reader.fail(
                    join(fpath, "below"),
                    f"expected a percentage from 0 to 100, found {format_number(below)}",
                )
                below = None
            if below is None or fprov is None:
                ok = False
                continue
            follow_up = FollowUp(below, fprov)
        elif "follow_up" in t:
            ok = False
            continue
        if domains is not None and not domains:
            reader.fail(join(tpath, "domains"), "expected at least one domain")
            domains = None
        if title is None or tag is None or domains is None or provenance is None:
            ok = False
            continue
        out.append(Thread(thread_id, title, tag, domains, provenance, follow_up))
    return tuple(out) if ok else None


_STANDARD_REQUIRED = ("id", "domain", "title", "statement", "basis")


def _read_standards(reader: Reader, value: object, path: str) -> tuple[Standard, ...] | None:
    items = reader.array(value, path)
    if items is None:
        return None
    if not items:
        reader.fail(path, "expected at least one standard")
        return None
    out: list[Standard] = []
    ok = True
    seen_standards: dict[str, str] = {}
    seen_questions: dict[str, tuple[str, str]] = {}
    for i, item in enumerate(items):
        standard = _read_standard(reader, item, join(path, i), seen_standards, seen_questions)
        if standard is None:
            ok = False
        else:
            out.append(standard)
    return tuple(out) if ok else None


def _read_standard(
    reader: Reader,
    item: object,
    spath: str,
    seen_standards: dict[str, str],
    seen_questions: dict[str, tuple[str, str]],
) -> Standard | None:
    """One standard, or None when it or one of its questions is unreadable (a standard with an
    unreadable question is left out, so that checks of its questions as a whole do not repeat
    the question's own error)."""
    t = reader.table(
        item, spath, _STANDARD_REQUIRED, ("scale", "aggregation", "questions", "may_be_unrated")
    )
    if t is None:
        return None
    sid = reader.get(t, spath, "id", reader.identifier)
    domain = reader.get(t, spath, "domain", reader.identifier)
    title = reader.get(t, spath, "title", reader.string)
    statement = reader.get(t, spath, "statement", reader.string)
    basis = reader.get(t, spath, "basis", lambda v, p: reader.choice(v, p, BASES))
    scale = reader.get(t, spath, "scale", reader.identifier)
    aggregation = reader.get(t, spath, "aggregation", reader.identifier)
    may_be_unrated = reader.get(t, spath, "may_be_unrated", reader.boolean, default=False)
    raw_questions = reader.get(t, spath, "questions", reader.array)
    if sid is not None:
        if sid in seen_standards:
            reader.fail(
                join(spath, "id"), f"duplicate standard id {sid!r} (first at {seen_standards[sid]})"
            )
        else:
            seen_standards[sid] = spath
    _check_basis_keys(reader, t, spath, basis, scale, raw_questions)
    questions: list[Question] = []
    questions_ok = True
    for j, raw in enumerate(raw_questions or []):
        question = _read_question(reader, raw, join(join(spath, "questions"), j), seen_questions)
        if question is None:
            questions_ok = False
        else:
            questions.append(question)
    if None in (sid, domain, title, statement, basis) or not questions_ok:
        return None
    assert sid is not None and domain is not None and title is not None
    assert statement is not None and basis is not None
    return Standard(
        sid,
        domain,
        title,
        statement,
        basis,
        scale,
        aggregation,
        tuple(questions),
        bool(may_be_unrated),
    )


def _check_basis_keys(
    reader: Reader,
    t: Mapping[str, Any],
    spath: str,
    basis: str | None,
    scale: str | None,
    raw_questions: list[Any] | None,
) -> None:
    """The keys a judged or a case-based standard needs, and those it must not have."""
    if basis == "judged":
        if scale is None and "scale" not in t:
            reader.fail(join(spath, "scale"), "missing required key for a judged standard")
        for key in ("aggregation", "questions"):
            if key in t:
                reader.fail(
                    join(spath, key), "a judged standard has no key questions or aggregation"
                )
    elif basis == "cases":
        if "may_be_unrated" in t:
            reader.fail(
                join(spath, "may_be_unrated"),
                "goes with a judged standard: a case-based standard with no relevant cases "
                "is undetermined by itself",
            )
        if "scale" in t:
            reader.fail(
                join(spath, "scale"),
                "a case-based standard is rated on the bands' scale; remove this key",
            )
        for key in ("aggregation", "questions"):
            if key not in t:
                reader.fail(join(spath, key), "missing required key for a case-based standard")
        if raw_questions is not None and not raw_questions:
            reader.fail(join(spath, "questions"), "expected at least one key question")


def _read_question(
    reader: Reader, raw: object, qpath: str, seen_questions: dict[str, tuple[str, str]]
) -> Question | None:
    """One key question with its prompts, or None when it or a prompt is unreadable."""
    qt = reader.table(
        raw, qpath, ("id", "text"), ("tags", "summary", "unquoted", "source", "prompts")
    )
    if qt is None:
        return None
    qid = reader.get(qt, qpath, "id", reader.identifier)
    text = reader.get(qt, qpath, "text", reader.string)
    empty: tuple[str, ...] = ()
    tags = reader.get(qt, qpath, "tags", reader.strings, default=empty)
    summary = reader.get(qt, qpath, "summary", reader.boolean, default=False)
    unquoted = reader.get(qt, qpath, "unquoted", reader.boolean, default=False)
    qsource = reader.get(qt, qpath, "source", reader.string)
    prompts: list[Prompt] = []
    prompts_ok = True
    for k, raw_prompt in enumerate(reader.get(qt, qpath, "prompts", reader.array) or []):
        ppath = join(join(qpath, "prompts"), k)
        pt = reader.table(raw_prompt, ppath, ("id", "text"), ("source",))
        if pt is None:
            prompts_ok = False
            continue
        pid = reader.get(pt, ppath, "id", reader.identifier)
        ptext = reader.get(pt, ppath, "text", reader.string)
        psource = reader.get(pt, ppath, "source", reader.string)
        if pid is None or ptext is None:
            prompts_ok = False
            continue
        _note_question(reader, seen_questions, pid, ppath)
        prompts.append(Prompt(pid, ptext, psource))
    if qid is None or text is None or tags is None or summary is None or unquoted is None:
        return None
    _note_question(reader, seen_questions, qid, qpath)
    question = Question(qid, text, tags, bool(summary), bool(unquoted), qsource, tuple(prompts))
    return question if prompts_ok else None


def _note_question(
    reader: Reader, seen: dict[str, tuple[str, str]], qid: str | None, path: str
) -> None:
    """Record a question or prompt id; one that reads as an earlier one (the same, or alike
    but for case and spaces, which readers cannot tell apart) is a located error."""
    if qid is None:
        return
    first = seen.setdefault(name_key(qid), (qid, path))
    if first[1] == path:
        return
    if first[0] == qid:
        message = f"duplicate question id {qid!r} (first at {first[1]})"
    else:
        message = (
            f"question id {qid!r} reads as {first[0]!r} (at {first[1]}): ids are matched "
            "ignoring case and repeated spaces, so their columns cannot be told apart"
        )
    reader.fail(join(path, "id"), message)
