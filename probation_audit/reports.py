"""Written reports of a result, laid out like the inspectorate's: Markdown and a self-contained
HTML page (no network, no JavaScript).

The ratings table comes first; then, per case-based standard, its key-question table with the
driving (lowest) question in bold, the margins to the next band, and the intervals and flags
when they are given.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from fractions import Fraction

from .results import Result, StandardResult, percent_text
from .statistics import Interval, RatingProbabilities

__all__ = ["render_html", "render_markdown"]


def _margins(s: StandardResult) -> list[str]:
    out = s.margin_notes()
    if s.boundary_sensitive:
        out.append(
            f"Boundary-sensitive: the exact percentage gives {s.exact_rating}, the printed whole "
            f"number {s.rounded_rating}."
        )
    return out


def _score_text(value: Fraction | None, printed: int | None) -> str:
    return "undetermined" if value is None else f"{percent_text(value)} ({printed}%)"


def _interval_text(i: Interval | None) -> str:
    return "" if i is None else f"{i.low * 100:.1f}% to {i.high * 100:.1f}%"


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(
    result: Result,
    *,
    title: str | None = None,
    source: str | None = None,
    intervals: Mapping[str, Interval] | None = None,
    uncertain: Mapping[str, bool] | None = None,
    probabilities: tuple[RatingProbabilities, ...] = (),
) -> str:
    """The result as a Markdown report."""
    lines = [f"# {title or 'Case audit: ' + result.rubric}", ""]
    if source:
        lines += [
            f"Source: {_md_cell(source)}. {result.cases} cases, rubric `{result.rubric}`.",
            "",
        ]
    lines += ["## Ratings", "", "| Standard | Rating |", "|---|---|"]
    for s in result.standards:
        lines.append(f"| {_md_cell(s.id + ' ' + s.title)} | {_md_cell(s.shown_rating)} |")
    if result.overall is not None:
        lines.append(f"| **Overall** | **{_md_cell(result.overall.rating or 'undetermined')}** |")
    for d in result.domains:
        score = _score_text(d.value, d.printed)
        lines.append(f"| Section {_md_cell(d.id + ' ' + d.title)} | {score} |")
    for t in result.threads:
        score = _score_text(t.value, t.printed)
        lines.append(f"| Thread: {_md_cell(t.title)} | {score} |")
    lines.append("")
    for s in result.standards:
        if s.basis == "judged":
            continue
        lines += [
            f"## {_md_cell(s.id + ' ' + s.title)}: {_md_cell(s.shown_rating)}",
            "",
        ]
        if s.rating is None:
            lines += [f"Undetermined: {_md_cell(s.reason)}.", ""]
        header = "| Key question | Yes | Relevant | % 'Yes' |"
        rule = "|---|---:|---:|---:|"
        if intervals:
            header += " 95% interval |"
            rule += "---|"
        lines += [header, rule]
        for q in s.questions:
            pct = "-" if q.printed is None else f"{q.printed}%"
            text = _md_cell(f"{q.id} {q.text}")
            if q.id in s.driven_by:
                text, pct = f"**{text}**", f"**{pct}**"
            row = f"| {text} | {q.yes} | {q.relevant} | {pct} |"
            if intervals:
                row += f" {_interval_text(intervals.get(q.id))} |"
            lines.append(row)
        lines.append("")
        if s.rating is not None:
            lines += [f"- {m}" for m in _margins(s)]
            if uncertain and uncertain.get(s.id):
                lines.append("- Uncertain: the driving question's interval crosses a band edge.")
            lines.append("")
        prompts = [p for q in s.questions for p in q.prompts]
        if prompts:
            lines += ["Prompts (reported, never rated):", ""]
            lines += [f"- {_md_cell(p.describe())}" for p in prompts]
            lines.append("")
    for p in probabilities:
        lines += [f"## Rating probabilities ({_md_cell(p.method)})", ""]
        for sid, probs in p.ratings:
            shown = ", ".join(f"{label} {value:.3f}" for label, value in probs if value >= 0.0005)
            lines.append(f"- {sid}: {shown}")
        lines.append("")
    if result.assumptions:
        lines += ["## Assumptions", ""] + [f"- {_md_cell(a)}" for a in result.assumptions] + [""]
    if result.notes:
        lines += ["## Notes on the data", ""] + [f"- {_md_cell(n)}" for n in result.notes] + [""]
    return "\n".join(lines)


_CSS = """
body { font-family: Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 60em; color: #1d1d1b; }
h1 { color: #4b2e83; } h2 { color: #4b2e83; border-bottom: 2px solid #4b2e83; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .8em 0; width: 100%; }
th, td { border: 1px solid #b5b5b5; padding: .35em .6em; text-align: left; vertical-align: top; }
th { background: #efeaf7; } td.num { text-align: right; white-space: nowrap; }
.rating { font-weight: bold; } .Inadequate { background: #f4c7c3; }
.Requires-improvement { background: #fde6b3; } .Good { background: #d7ecd0; }
.Outstanding { background: #b7dfb0; } tr.driver td { font-weight: bold; }
.note { color: #555; } ul.margins li { margin: .2em 0; }
"""


def _rating_class(rating: str | None) -> str:
    return "rating " + ("undetermined" if rating is None else rating.replace(" ", "-"))


def render_html(
    result: Result,
    *,
    title: str | None = None,
    source: str | None = None,
    intervals: Mapping[str, Interval] | None = None,
    uncertain: Mapping[str, bool] | None = None,
    probabilities: tuple[RatingProbabilities, ...] = (),
) -> str:
    """The result as one self-contained HTML page (inline CSS; no scripts, no external links)."""
    e = html.escape
    heading = title or f"Case audit: {result.rubric}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(heading)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(heading)}</h1>",
    ]
    if source:
        parts.append(
            f'<p class="note">Source: {e(source)}. {result.cases} cases, rubric {e(result.rubric)}.</p>'
        )
    parts.append('<h2>Ratings</h2><table class="ratings"><tr><th>Standard</th><th>Rating</th></tr>')
    for s in result.standards:
        parts.append(
            f"<tr><td>{e(s.id)} {e(s.title)}</td>"
            f'<td class="{e(_rating_class(s.rating))}">{e(s.shown_rating)}</td></tr>'
        )
    if result.overall is not None:
        o = result.overall
        parts.append(
            f'<tr><td><strong>Overall</strong></td><td class="{e(_rating_class(o.rating))}">'
            f"{e(o.rating or 'undetermined')}</td></tr>"
        )
    for d in result.domains:
        score = _score_text(d.value, d.printed)
        parts.append(f"<tr><td>Section {e(d.id)} {e(d.title)}</td><td>{e(score)}</td></tr>")
    for t in result.threads:
        score = _score_text(t.value, t.printed)
        parts.append(f"<tr><td>Thread: {e(t.title)}</td><td>{e(score)}</td></tr>")
    parts.append("</table>")
    for s in result.standards:
        if s.basis == "judged":
            continue
        parts.append(
            f'<h2 id="{e(s.id)}">{e(s.id)} {e(s.title)}: '
            f'<span class="{e(_rating_class(s.rating))}">{e(s.shown_rating)}</span></h2>'
        )
        if s.rating is None:
            parts.append(f'<p class="note">Undetermined: {e(s.reason or "")}.</p>')
        head = "<tr><th>Key question</th><th>Yes</th><th>Relevant</th><th>% 'Yes'</th>"
        head += "<th>95% interval</th></tr>" if intervals else "</tr>"
        parts.append(f'<table class="questions">{head}')
        for q in s.questions:
            driver = ' class="driver"' if q.id in s.driven_by else ""
            pct = "-" if q.printed is None else f"{q.printed}%"
            row = (
                f'<tr{driver}><td>{e(q.id)} {e(q.text)}</td><td class="num">{q.yes}</td>'
                f'<td class="num">{q.relevant}</td><td class="num">{e(pct)}</td>'
            )
            if intervals:
                row += f'<td class="num">{e(_interval_text(intervals.get(q.id)))}</td>'
            parts.append(row + "</tr>")
        parts.append("</table>")
        if s.rating is not None:
            items = _margins(s)
            if uncertain and uncertain.get(s.id):
                items.append("Uncertain: the driving question's interval crosses a band edge.")
            parts.append(
                '<ul class="margins">' + "".join(f"<li>{e(m)}</li>" for m in items) + "</ul>"
            )
        prompts = [p for q in s.questions for p in q.prompts]
        if prompts:
            parts.append('<p class="note">Prompts (reported, never rated):</p><ul class="prompts">')
            parts += [f"<li>{e(p.describe())}</li>" for p in prompts]
            parts.append("</ul>")
    for p in probabilities:
        parts.append(f"<h2>Rating probabilities ({e(p.method)})</h2><ul>")
        for sid, probs in p.ratings:
            shown = ", ".join(f"{label} {value:.3f}" for label, value in probs if value >= 0.0005)
            parts.append(f"<li>{e(sid)}: {e(shown)}</li>")
        parts.append("</ul>")
    if result.assumptions:
        parts.append(
            "<h2>Assumptions</h2><ul>"
            + "".join(f"<li>{e(a)}</li>" for a in result.assumptions)
            + "</ul>"
        )
    if result.notes:
        parts.append(
            "<h2>Notes on the data</h2><ul>"
            + "".join(f"<li>{e(n)}</li>" for n in result.notes)
            + "</ul>"
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


_MOVED_TO_PUBLISHED = frozenset(
    ("Comparison", "PercentCheck", "PublishedReport", "Row", "bundled_reports", "reproduce")
)


def __getattr__(name: str) -> object:
    # Until 0.2 this module held published figures; their names still resolve, with a warning,
    # for one release.
    if name in _MOVED_TO_PUBLISHED:
        import warnings

        from . import published

        warnings.warn(
            f"probation_audit.reports.{name} is now probation_audit.published.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(published, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
