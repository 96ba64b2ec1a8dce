"""Written reports of a result, laid out like the inspectorate's: Markdown and a self-contained
HTML page (no network, no JavaScript).

The report's metadata (title, period, auditor, date) heads the page; the ratings table comes
first, with how sure each case-based rating is when rating probabilities are given; then, per
case-based standard, its key-question table with the driving (lowest) question in bold, the
margins to the next band, the intervals and flags when they are given, and the prompts that
had relevant cases. Optional sections follow: a breakdown by a case attribute and feedback on
each case. Both formats are rendered from one outline, so they always say the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from ._about import About
from ._cells import html_text, markdown_text
from ._feedback import CaseFeedback, GroupFeedback
from ._probabilities import METHOD_NAMES, RatingProbabilities
from ._shims import moved_names
from ._trends import Trend
from ._version import __version__
from .analysis import Analysis, how_sure_words
from .results import Result, StandardResult, percent_text
from .statistics import GroupResult, Interval, chance_caution, significance_note

__all__ = [
    "ReportDetails",
    "breakdown_table",
    "render_html",
    "render_markdown",
    "render_trend_html",
    "render_trend_markdown",
]


@attrs.frozen
class ReportDetails:
    """Who wrote a report, of what and when: shown at its head and in its chart's title;
    ``workbook`` names the results workbook written with the report, which the report then
    points to for the counts it gives as percentages (a report names no workbook unless one
    is given)."""

    title: str | None = None
    period: str | None = None
    auditor: str | None = None
    date: str | None = None
    source: str | None = None
    workbook: str | None = None

    def heading(self, rubric_id: str) -> str:
        return self.title or f"Case audit: {rubric_id}"

    def chart_title(self, rubric_id: str) -> str:
        head = self.heading(rubric_id)
        return f"{head} ({self.period})" if self.period else head

    def facts(self) -> list[str]:
        return [
            f"{name}: {value}"
            for name, value in (
                ("Period", self.period),
                ("Auditor", self.auditor),
                ("Date", self.date),
                ("Source", self.source),
            )
            if value
        ]


# -- the outline both formats render ------------------------------------------------------


@attrs.frozen
class _Cell:
    text: str
    bold: bool = False
    numeric: bool = False
    #: a rating label: the HTML page colours the cell by it
    rating: str | None = None
    #: an id that must not wrap
    nowrap: bool = False


@attrs.frozen
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[_Cell, ...], ...]
    css: str = ""


@attrs.frozen
class _Section:
    heading: str
    #: paragraphs (str), bullet lists (tuple of str) and tables, in order
    blocks: tuple[str | tuple[str, ...] | _Table, ...]
    anchor: str | None = None
    #: a rating shown after the heading
    rating: str | None = None


def _score_text(value: Fraction | None, printed: int | None) -> str:
    return "undetermined" if value is None else f"{percent_text(value)} ({printed}%)"


def _interval_text(i: Interval | None) -> str:
    return "" if i is None else f"{i.low * 100:.1f}% to {i.high * 100:.1f}%"


def _margins(s: StandardResult) -> list[str]:
    out = s.margin_notes()
    if s.boundary_sensitive:
        out.append(
            f"Boundary-sensitive: the exact percentage gives {s.exact_rating}, the printed whole "
            f"number {s.rounded_rating}."
        )
    return out


def _how_sure(s: StandardResult, probabilities: RatingProbabilities | None) -> str:
    return "" if s.basis == "judged" else how_sure_words(probabilities, s.id, s.shown_rating)


def _method_note(p: RatingProbabilities) -> str:
    note = (
        "How sure: the chance that the rating would be the same if every case in the caseload "
        f"were inspected. Method: {p.method}"
    )
    if p.resamples:
        note += f", {p.resamples:,} resamples (seed {p.seed})"
    if p.key == "bayesian-bootstrap":
        note += (
            f", caseload of {p.population:,} cases."
            if p.population is not None
            else ", caseload size not given (treated as unlimited)."
        )
    else:
        note += "."
    if p.key in METHOD_NAMES and p.key != "bayesian-bootstrap":
        note += " An alternative to the recommended method, chosen by the user."
    return note


def _ratings_section(
    result: Result, probabilities: RatingProbabilities | None
) -> tuple[_Section, list[str]]:
    sure = probabilities is not None
    header = ("Standard", "Rating", "How sure") if sure else ("Standard", "Rating")
    rows: list[tuple[_Cell, ...]] = []
    flagged = False
    for s in result.standards:
        label = s.shown_rating
        if s.boundary_sensitive:
            label += " (boundary-sensitive)"
            flagged = True
        row = [_Cell(f"{s.id} {s.title}"), _Cell(label, rating=s.rating or "undetermined")]
        if sure:
            row.append(_Cell(_how_sure(s, probabilities)))
        rows.append(tuple(row))
    if result.overall is not None:
        o = result.overall
        row = [
            _Cell("Overall", bold=True),
            _Cell(o.rating or "undetermined", bold=True, rating=o.rating or "undetermined"),
        ]
        if sure:
            row.append(_Cell(_overall_sure(o.rating, probabilities)))
        rows.append(tuple(row))
    for d in result.domains:
        rows.append(
            (_Cell(f"Section {d.id} {d.title}"), _Cell(_score_text(d.value, d.printed)))
            + ((_Cell(""),) if sure else ())
        )
    for t in result.threads:
        rows.append(
            (_Cell(f"Thread: {t.title}"), _Cell(_score_text(t.value, t.printed)))
            + ((_Cell(""),) if sure else ())
        )
    notes = []
    if flagged:
        notes.append(
            "Boundary-sensitive: the exact percentage and the printed whole number fall in "
            "different bands."
        )
    if probabilities is not None:
        notes.append(_method_note(probabilities))
    return _Section("Ratings", (_Table(header, tuple(rows), "ratings"), *notes)), notes


def _overall_sure(rating: str | None, probabilities: RatingProbabilities | None) -> str:
    return how_sure_words(probabilities, "overall", rating)


def _standard_section(
    s: StandardResult,
    intervals: Mapping[str, Interval] | None,
    uncertain: Mapping[str, bool] | None,
    probabilities: RatingProbabilities | None,
    distribution: bool,
) -> _Section:
    blocks: list[str | tuple[str, ...] | _Table] = []
    if s.rating is None:
        blocks.append(f"Undetermined: {s.reason}.")
    header = ["Key question", "Yes", "Relevant", "% 'Yes'"]
    if intervals:
        header.append("95% interval")
    rows = []
    for q in s.questions:
        bold = q.id in s.driven_by
        pct = "-" if q.printed is None else f"{q.printed}%"
        row = [
            _Cell(f"{q.id} {q.text}", bold),
            _Cell(str(q.yes), bold, True),
            _Cell(str(q.relevant), bold, True),
            _Cell(pct, bold, True),
        ]
        if intervals:
            row.append(_Cell(_interval_text(intervals.get(q.id)), bold, True))
        rows.append(tuple(row))
    blocks.append(_Table(tuple(header), tuple(rows), "questions"))
    if s.rating is not None:
        items = _margins(s)
        if uncertain and uncertain.get(s.id):
            items.append("Uncertain: the driving question's interval crosses a band edge.")
        if probabilities is not None and distribution:
            try:
                shown = ", ".join(
                    f"{label} {value:.3f}" for label, value in probabilities.of(s.id).items()
                )
                items.append(f"Probability of each rating: {shown}.")
            except KeyError:
                pass
        blocks.append(tuple(items))
    prompts = [p for q in s.questions for p in q.prompts]
    answered = [p for p in prompts if p.relevant]
    if answered:
        blocks.append("Prompts (reported, never rated):")
        blocks.append(tuple(p.describe() for p in answered))
    if len(answered) < len(prompts):
        left = len(prompts) - len(answered)
        blocks.append(
            f"{left} prompt{'s' if left != 1 else ''} with no relevant cases left out "
            f"({', '.join(p.id for p in prompts if not p.relevant)})."
        )
    return _Section(f"{s.id} {s.title}", tuple(blocks), anchor=s.id, rating=s.shown_rating)


def breakdown_table(groups: Sequence[GroupResult]) -> tuple[list[str], list[list[str | int]]]:
    """The breakdown by a case attribute as one table, the same in the report and its
    workbook: each group's value, cases and case-based standards' ratings (in brackets when
    the group is too small to rate).

    Returns:
        The header (the attribute, ``Cases``, the standards' ids) and one row per group.

    Raises:
        Nothing of its own: ``groups`` is what
        :func:`~probation_audit.statistics.by_attribute` returns, at least one group.
    """
    first = groups[0]
    standards = [s.id for s in first.result.standards if s.basis != "judged"]
    rows = []
    for g in groups:
        cells: list[str | int] = [g.value, g.cases]
        for s in g.result.standards:
            if s.basis != "judged":
                cells.append(f"({s.shown_rating})" if g.too_small else s.shown_rating)
        rows.append(cells)
    return [first.attribute, "Cases", *standards], rows


def _groups_section(groups: Sequence[GroupResult]) -> _Section:
    first = groups[0]
    header, texts = breakdown_table(groups)
    rows = []
    for g, text in zip(groups, texts, strict=True):
        ratings = [s for s in g.result.standards if s.basis != "judged"]
        rows.append(
            (
                _Cell(g.value),
                _Cell(str(g.cases), numeric=True),
                *(
                    _Cell(str(t))
                    if g.too_small
                    else _Cell(str(t), rating=s.rating or "undetermined")
                    for t, s in zip(text[2:], ratings, strict=True)
                ),
            )
        )
    small = any(g.too_small for g in groups)
    blocks: list[str | tuple[str, ...] | _Table] = [
        f"Each group of cases sharing a value of {first.attribute}, rated on its own.",
        _Table(tuple(header), tuple(rows), "groups"),
    ]
    if small:
        blocks.append(
            f"Ratings in brackets are not rated: some key question has fewer than "
            f"{first.min_relevant} relevant cases in the group."
        )
    return _Section(f"By {first.attribute}", tuple(blocks), anchor="by")


def _id_order(item: str) -> tuple[tuple[int, str], ...]:
    """An id's place in the rubric's numbering (P2.1.10 after P2.1.9, a prompt after its key
    question)."""
    parts = re.split(r"(\d+)", item)
    return tuple((int(part), "") if part.isdigit() else (0, part) for part in parts)


def _feedback_section(
    cases: Sequence[CaseFeedback], groups: Sequence[GroupFeedback], workbook: str | None
) -> _Section:
    rows = []
    for c in cases:
        who = "; ".join(f"{k}: {v}" for k, v in c.attributes if v)
        rows.append(
            (
                _Cell(c.case_id, nowrap=True),
                _Cell(who),
                _Cell(", ".join(q for q, _ in c.questions) or "none"),
                _Cell(", ".join(p for p, _ in c.prompts) or "none"),
            )
        )
    any_prompt = any(c.prompts for c in cases)
    header: tuple[str, ...] = ("Case", "Attributes", "Key questions answered No")
    table_rows: list[tuple[_Cell, ...]] = list(rows)
    if any_prompt:
        header += ("Prompts answered No",)
    else:
        table_rows = [row[:3] for row in rows]
    blocks: list[str | tuple[str, ...] | _Table] = [
        "For each case, the key questions and prompts answered No: what to talk through with "
        "the practitioner."
        + ("" if any_prompt else " No case answered a prompt No (or no prompt was recorded)."),
        _Table(header, tuple(table_rows), "feedback"),
    ]
    wording = {i: t for c in cases for i, t in (*c.questions, *c.prompts)}
    if wording:
        blocks.append("What each question and prompt above asks:")
        blocks.append(tuple(f"{i}: {wording[i]}" for i in sorted(wording, key=_id_order)))
    if groups:
        attribute = groups[0].attribute
        qids = [q for q, _, _ in groups[0].questions]
        compared = [g for g in groups if not g.too_small]
        small = [g for g in groups if g.too_small]
        group_rows: list[tuple[_Cell, ...]] = []
        for g in compared:
            shares = {q: (y, r) for q, y, r in g.questions}
            group_rows.append(
                (
                    _Cell(g.value, nowrap=True),
                    _Cell(str(g.cases), numeric=True),
                    *(
                        _Cell(f"{round(100 * y / r)}%" if r else "-", numeric=True)
                        for y, r in (shares[q] for q in qids)
                    ),
                )
            )
        blocks.append(
            f"By {attribute}: each key question's 'yes' as a percentage of the group's relevant "
            "cases ('-': none relevant)"
            + (f"; the counts are in the Groups sheet of {workbook}." if workbook else ".")
        )
        if group_rows:
            blocks.append(_Table((attribute, "Cases", *qids), tuple(group_rows), "feedback-groups"))
        if small:
            first = small[0]
            blocks.append(
                f"Too few cases to compare (under {first.min_cases}), so not shown: "
                + ", ".join(f"{g.value} ({g.cases})" for g in small)
                + "."
            )
    return _Section("Feedback on each case", tuple(blocks), anchor="feedback")


def _outline(analysis: Analysis, details: ReportDetails) -> tuple[str, list[str], list[_Section]]:
    result = analysis.result
    intervals = analysis.interval_map or None
    uncertain = analysis.uncertain_map or None
    probabilities = analysis.probabilities
    distribution = analysis.distribution
    groups = analysis.groups
    feedback = analysis.feedback
    feedback_groups = analysis.feedback_groups
    facts = details.facts()
    facts.append(
        f"{result.cases} cases, rubric {result.rubric_label}, scored by probation-audit "
        f"{__version__}."
    )
    sections = [_ratings_section(result, probabilities)[0]]
    sections += [
        _standard_section(s, intervals, uncertain, probabilities, distribution)
        for s in result.standards
        if s.basis != "judged"
    ]
    if groups:
        sections.append(_groups_section(groups))
    if feedback is not None:
        sections.append(_feedback_section(feedback, feedback_groups, details.workbook))
    if result.assumptions:
        sections.append(_Section("Assumptions", (tuple(result.assumptions),)))
    sections += _notes_sections(About.of_result(result))
    return details.heading(result.rubric), facts, sections


def _notes_sections(about: About) -> list[_Section]:
    """ "Notes on the data", every report's last section, when there is a note."""
    return [_Section("Notes on the data", (about.notes,))] if about.notes else []


def _analysis_of(subject: Result | Analysis, **figures: Any) -> Analysis:
    """The analysis a writer renders: ``subject`` when it is one (no other figure may be given
    then), else the result with the figures given as keywords."""
    if isinstance(subject, Analysis):
        given = [k for k, v in figures.items() if v not in (None, False, (), {})]
        if given:
            raise TypeError(
                f"an Analysis carries its own figures: leave out {', '.join(sorted(given))}"
            )
        return subject
    return Analysis.of(subject, **figures)


def _probabilities(
    probabilities: RatingProbabilities | Sequence[RatingProbabilities] | None,
) -> RatingProbabilities | None:
    # Until 0.2 reports took a tuple of methods; the first is the one shown.
    if probabilities is None or isinstance(probabilities, RatingProbabilities):
        return probabilities
    return probabilities[0] if probabilities else None


# -- Markdown -----------------------------------------------------------------------------


def _md_table(table: _Table) -> list[str]:
    lines = ["| " + " | ".join(markdown_text(h) for h in table.header) + " |"]
    aligns = ["---:" if cell.numeric else "---" for cell in table.rows[0]] if table.rows else []
    lines.append("|" + "|".join(aligns or ["---"] * len(table.header)) + "|")
    for row in table.rows:
        cells = [
            f"**{markdown_text(c.text)}**" if c.bold and c.text else markdown_text(c.text)
            for c in row
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_markdown(
    subject: Result | Analysis,
    *,
    title: str | None = None,
    source: str | None = None,
    details: ReportDetails | None = None,
    intervals: Mapping[str, Interval] | None = None,
    uncertain: Mapping[str, bool] | None = None,
    probabilities: RatingProbabilities | Sequence[RatingProbabilities] | None = None,
    distribution: bool = False,
    groups: Sequence[GroupResult] = (),
    feedback: Sequence[CaseFeedback] | None = None,
    feedback_groups: Sequence[GroupFeedback] = (),
) -> str:
    """An analysis (or a result) as a Markdown report. ``details`` (or ``title`` and
    ``source``) head it. An :class:`~probation_audit.analysis.Analysis` carries its figures;
    with a bare result, the other keywords add them.

    Returns:
        The Markdown text of the report.

    Raises:
        TypeError: an Analysis is given with figures of its own beside it.
        ValueError: from :func:`~probation_audit._certainty.certainty`, when a distribution in
            ``probabilities`` is empty or its largest probability lies outside 0 to 1 (those the
            library computes never are).
    """
    analysis = _analysis_of(
        subject,
        intervals=intervals,
        uncertain=uncertain,
        probabilities=_probabilities(probabilities),
        distribution=distribution,
        groups=groups,
        feedback=feedback,
        feedback_groups=feedback_groups,
    )
    heading, facts, sections = _outline(
        analysis, details or ReportDetails(title=title, source=source)
    )
    return _markdown(heading, facts, sections)


def _markdown(heading: str, facts: Sequence[str], sections: Sequence[_Section]) -> str:
    lines = [
        f"# {markdown_text(heading)}",
        "",
        "; ".join(markdown_text(f.rstrip(".")) for f in facts) + ".",
        "",
    ]
    for section in sections:
        head = section.heading + (f": {section.rating}" if section.rating else "")
        lines += [f"## {markdown_text(head)}", ""]
        for block in section.blocks:
            if isinstance(block, _Table):
                lines += [*_md_table(block), ""]
            elif isinstance(block, tuple):
                lines += [*(f"- {markdown_text(item)}" for item in block), ""]
            else:
                lines += [markdown_text(block), ""]
    return "\n".join(lines)


# -- HTML ---------------------------------------------------------------------------------

_CSS = """
body { font-family: Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 60em;
  padding: 0 1em; color: #1d1d1b; }
h1 { color: #4b2e83; } h2 { color: #4b2e83; border-bottom: 2px solid #4b2e83; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .8em 0; width: 100%; table-layout: auto; }
th, td { border: 1px solid #b5b5b5; padding: .35em .6em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #efeaf7; white-space: nowrap; } td.num { text-align: right; white-space: nowrap; }
td.bold { font-weight: bold; } td.nowrap { white-space: nowrap; } .rating { font-weight: bold; } .Inadequate { background: #f4c7c3; }
.Requires-improvement { background: #fde6b3; } .Good { background: #d7ecd0; }
.Outstanding { background: #b7dfb0; } tr.driver td { font-weight: bold; }
.note { color: #555; } ul li { margin: .2em 0; }
table.feedback-groups th, table.feedback-groups td { padding: .3em .3em; font-size: 90%; }
"""


def _rating_class(rating: str) -> str:
    return "rating " + rating.replace(" ", "-")


def _html_table(table: _Table) -> list[str]:
    e = html_text
    out = [
        f'<table class="{e(table.css)}"><tr>' + "".join(f"<th>{e(h)}</th>" for h in table.header)
    ]
    out[0] += "</tr>"
    for row in table.rows:
        driver = ' class="driver"' if row and row[0].bold and table.css == "questions" else ""
        cells = []
        for cell in row:
            classes = []
            if cell.numeric:
                classes.append("num")
            if cell.nowrap:
                classes.append("nowrap")
            if cell.rating:
                classes.append(_rating_class(cell.rating))
            elif cell.bold and not driver:
                classes.append("bold")
            attr = f' class="{e(" ".join(classes))}"' if classes else ""
            cells.append(f"<td{attr}>{e(cell.text)}</td>")
        out.append(f"<tr{driver}>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


def render_html(
    subject: Result | Analysis,
    *,
    title: str | None = None,
    source: str | None = None,
    details: ReportDetails | None = None,
    intervals: Mapping[str, Interval] | None = None,
    uncertain: Mapping[str, bool] | None = None,
    probabilities: RatingProbabilities | Sequence[RatingProbabilities] | None = None,
    distribution: bool = False,
    groups: Sequence[GroupResult] = (),
    feedback: Sequence[CaseFeedback] | None = None,
    feedback_groups: Sequence[GroupFeedback] = (),
) -> str:
    """The result as one self-contained HTML page (inline CSS; no scripts, no external
    links), with the same content as :func:`render_markdown`.

    Returns:
        The HTML page, as text.

    Raises:
        TypeError: an Analysis is given with figures of its own beside it.
        ValueError: from :func:`~probation_audit._certainty.certainty`, when a distribution in
            ``probabilities`` is empty or its largest probability lies outside 0 to 1 (those the
            library computes never are).
    """
    analysis = _analysis_of(
        subject,
        intervals=intervals,
        uncertain=uncertain,
        probabilities=_probabilities(probabilities),
        distribution=distribution,
        groups=groups,
        feedback=feedback,
        feedback_groups=feedback_groups,
    )
    heading, facts, sections = _outline(
        analysis, details or ReportDetails(title=title, source=source)
    )
    return _html(heading, facts, sections)


def _html(heading: str, facts: Sequence[str], sections: Sequence[_Section]) -> str:
    e = html_text
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(heading)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(heading)}</h1>",
        f'<p class="note">{"<br>".join(e(f) for f in facts)}</p>',
    ]
    for section in sections:
        anchor = f' id="{e(section.anchor)}"' if section.anchor else ""
        rating = (
            f': <span class="{e(_rating_class(section.rating))}">{e(section.rating)}</span>'
            if section.rating
            else ""
        )
        parts.append(f"<h2{anchor}>{e(section.heading)}{rating}</h2>")
        for block in section.blocks:
            if isinstance(block, _Table):
                parts += _html_table(block)
            elif isinstance(block, tuple):
                parts.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in block) + "</ul>")
            else:
                parts.append(f'<p class="note">{e(block)}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# -- trends -------------------------------------------------------------------------------


def _trend_outline(trend: Trend, details: ReportDetails) -> tuple[str, list[str], list[_Section]]:
    periods = trend.periods
    last = {c.id: c for c in trend.last_change}
    rows = []
    for qid, points in trend.questions:
        cells = [_Cell(qid, nowrap=True), _Cell(trend.name(qid))]
        for p in points:
            if p.proportion is None or p.interval is None:
                cells.append(_Cell("-", numeric=True))
            else:
                cells.append(
                    _Cell(
                        f"{100 * p.proportion:.0f}% ({100 * p.interval.low:.0f} to "
                        f"{100 * p.interval.high:.0f})",
                        numeric=True,
                    )
                )
        cells.append(_Cell(last[qid].sentence() + (" *" if last[qid].significant else "")))
        rows.append(tuple(cells))
    questions = _Table(
        ("Key question", "Wording", *periods, f"Last change ({periods[-2]} to {periods[-1]})"),
        tuple(rows),
        "trend",
    )
    ratings = _Table(
        ("Standard", *periods),
        tuple(
            (_Cell(f"{sid} {trend.name(sid)}".strip()), *(_Cell(r, rating=r) for r in per))
            for sid, per in trend.ratings
        ),
        "ratings",
    )
    facts = details.facts()
    facts.append(
        f"{len(periods)} audits, rubric {trend.rubric_label}, scored by probation-audit "
        f"{__version__}."
    )
    sections = [
        _Section("Ratings by period", (ratings,), anchor="ratings"),
        _Section(
            "Key questions by period",
            (
                f"Each key question's share of 'yes' with its {trend.confidence:.0%} interval, "
                "and the change in the last period.",
                questions,
                significance_note(trend.last_change) + ".",
                *([chance_caution(trend.chance_moves)] if trend.chance_moves else []),
            ),
            anchor="trend",
        ),
        *_notes_sections(trend.about),
    ]
    return details.heading(f"trend, {trend.rubric}"), facts, sections


def render_trend_markdown(trend: Trend, *, details: ReportDetails | None = None) -> str:
    """A trend (:func:`probation_audit._trends.trend`) as a Markdown report.

    Returns:
        The Markdown text of the report.

    Raises:
        Nothing of its own: ``trend`` is taken to be made by :func:`~probation_audit._trends.trend`.
    """
    return _markdown(*_trend_outline(trend, details or ReportDetails()))


def render_trend_html(trend: Trend, *, details: ReportDetails | None = None) -> str:
    """A trend as a self-contained HTML page, like :func:`render_html`.

    Returns:
        The HTML page, as text.

    Raises:
        Nothing of its own: ``trend`` is taken to be made by :func:`~probation_audit._trends.trend`.
    """
    return _html(*_trend_outline(trend, details or ReportDetails()))


# Until 0.2 this module held published figures; their names still resolve, with a warning,
# until 0.3.
__getattr__ = moved_names(__name__)
