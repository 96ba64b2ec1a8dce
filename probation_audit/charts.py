"""Charts of a result (optional extra ``plot``: matplotlib, imported only when drawing).

For the 2023 method, key-question percentages as bars over the band boundaries; for the 2007
method, the report's Chart 1: criterion scores as bars with the line of priority for
improvement. :func:`chart_data` gives the figures; :func:`save_chart` draws them to PNG or SVG.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._cells import clipped_text
from ._outputs import write_atomic
from .results import Result
from .rubric import Rubric

__all__ = [
    "ChartData",
    "chart_data",
    "chart_format",
    "render_chart",
    "render_trend_chart",
    "save_chart",
]


@attrs.frozen
class ChartData:
    """What a chart shows: bars (label, percent) and horizontal lines (label, percent)."""

    title: str
    bars: tuple[tuple[str, float], ...]
    lines: tuple[tuple[str, float], ...]
    #: bars to draw emphasised (the driving questions)
    emphasised: tuple[str, ...] = ()
    #: what a bar is, for the legend
    bar_label: str = "key question"


def chart_data(result: Result, rubric: Rubric) -> ChartData:
    """Criterion scores for weighted rubrics, key-question percentages otherwise.

    Returns:
        The :class:`ChartData` to draw, with the band edges as its lines and as bars the criterion
        scores for a rubric with a weighted aggregation, otherwise every key question's percentage,
        the driving questions emphasised.

    Raises:
        Nothing of its own: ``result`` is taken to be a result of ``rubric``.
    """
    weighted = any(
        s.aggregation is not None and rubric.aggregation(s.aggregation).method == "weighted"
        for s in rubric.standards
    )
    edges = tuple(
        (f"{b.rating} from {float(b.lower):g}%", float(b.lower)) for b in rubric.bands.bands[1:]
    )
    if weighted:
        bars = tuple(
            (s.id, float(s.value))
            for s in result.standards
            if s.basis != "judged" and s.value is not None
        )
        return ChartData(f"Criterion scores ({result.rubric})", bars, edges, (), "criterion score")
    bars = tuple((q.id, float(q.percent)) for q in result.questions if q.percent is not None)
    driving = tuple(qid for s in result.standards for qid in s.driven_by)
    return ChartData(f"Key questions, % 'Yes' ({result.rubric})", bars, edges, driving)


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no display on servers
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - exercised without the extra
        raise ImportError(
            "charts need matplotlib: pip install 'probation-audit[plot]' "
            "(from a checkout: pip install '.[plot]')"
        ) from None
    return plt


CHART_FORMATS = ("png", "svg")


def chart_format(path: str | os.PathLike[str]) -> str:
    """``png`` or ``svg`` from a file name; ValueError for any other ending.

    Returns:
        ``'png'`` or ``'svg'``, from the file name's ending in any case.

    Raises:
        ValueError: the name has another ending, or none.
    """
    target = os.fspath(path)
    suffix = target.rsplit(".", 1)[-1].lower() if "." in target else ""
    if suffix not in CHART_FORMATS:
        raise ValueError(f"chart file must end in .png or .svg, got {target!r}")
    return suffix


def _label_edges(ax: Any, edges: Sequence[tuple[str, float]], size: int) -> None:
    """Band-edge labels at the right, outside the plotting area, so that a label never
    covers a bar or a line."""
    for name, value in edges:
        ax.annotate(
            name,
            (1.01, value),
            xycoords=("axes fraction", "data"),
            ha="left",
            va="center",
            fontsize=size,
            color="#c0392b",
        )


def render_chart(
    result: Result,
    rubric: Rubric,
    format: str = "png",
    *,
    title: str | None = None,
    intervals: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[bytes, ChartData]:
    """The chart as the bytes of a PNG or SVG file, and its data. A legend says what the dark
    bars and the dashed lines are; band edges are labelled at the right, outside the bars.
    ``intervals`` (bar label -> (low, high) proportions) are drawn as whiskers.

    Returns:
        A pair of the image file's bytes and the :class:`ChartData` drawn.

    Raises:
        ValueError: ``format`` is not ``'png'`` or ``'svg'``.
        ImportError: matplotlib (the ``plot`` extra) is not installed; the message says how to
            install it.
    """
    if format not in CHART_FORMATS:
        raise ValueError(f"chart format must be png or svg, got {format!r}")
    data = chart_data(result, rubric)
    plt = _pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(max(7.0, 0.45 * len(data.bars) + 3.5), 4.8))
    labels = [label for label, _ in data.bars]
    values = [value for _, value in data.bars]
    dark, light = "#4b2e83", "#9b8ac4"
    colours = [dark if label in data.emphasised else light for label in labels]
    ax.bar(labels, values, color=colours)
    given = intervals or {}
    whiskers = [(k, given[label]) for k, label in enumerate(labels) if label in given]
    if whiskers:
        x = [k for k, _ in whiskers]
        centre = [values[k] for k in x]
        below = [max(0.0, values[k] - 100 * low) for k, (low, _) in whiskers]
        above = [max(0.0, 100 * high - values[k]) for k, (_, high) in whiskers]
        ax.errorbar(
            x, centre, yerr=[below, above], fmt="none", ecolor="#1d1d1b", elinewidth=1, capsize=3
        )
    for _, value in data.lines:
        ax.axhline(value, color="#c0392b", linestyle="--", linewidth=1)
    _label_edges(ax, data.lines, 8)
    handles: list[Any] = [Patch(color=light, label=data.bar_label)]
    if data.emphasised:
        handles.insert(0, Patch(color=dark, label="lowest of its standard (drives the rating)"))
    handles.append(
        Line2D([0], [0], color="#c0392b", linestyle="--", linewidth=1, label="band edge")
    )
    if whiskers:
        handles.append(
            Line2D([0], [0], color="#1d1d1b", linewidth=1, marker="_", label="95% interval")
        )
    ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=False, ncols=2)
    ax.set_ylim(0, 112)  # room for the legend above 100%
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("%")
    ax.set_title(title or data.title)
    ax.tick_params(axis="x", labelrotation=60, labelsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=format)
    finally:
        plt.close(fig)
    return buffer.getvalue(), data


def save_chart(
    result: Result,
    rubric: Rubric,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    intervals: Mapping[str, tuple[float, float]] | None = None,
) -> ChartData:
    """Draw the chart to ``path`` (.png or .svg), written all or nothing, and return its data.

    Returns:
        The :class:`ChartData` drawn.

    Raises:
        ValueError: ``path`` does not end in .png or .svg.
        ImportError: matplotlib (the ``plot`` extra) is not installed; the message says how to
            install it.
        AuditErrors: ``path`` cannot be written (a folder, a folder that does not exist, a read-only
            file or folder), or writing it fails; nothing new is left behind then.
    """
    content, data = render_chart(
        result, rubric, chart_format(path), title=title, intervals=intervals
    )
    write_atomic(path, content)
    return data


#: One key question over the periods: (question id, [(proportion, low, high) or Nones]).
Series = tuple[str, Sequence[tuple[float | None, float | None, float | None]]]


def render_trend_chart(
    periods: Sequence[str],
    standards: Sequence[tuple[str, Sequence[Series]]],
    rubric: Rubric,
    format: str = "png",
    *,
    title: str | None = None,
    confidence: float = 0.95,
) -> bytes:
    """A trend chart as the bytes of a PNG or SVG file: one panel per standard, one line per
    key question over the periods, its interval as a shaded band, the band edges dashed.

    Returns:
        The bytes of the PNG or SVG file.

    Raises:
        ValueError: ``format`` is not ``'png'`` or ``'svg'``, or ``standards`` is empty.
        ImportError: matplotlib (the ``plot`` extra) is not installed; the message says how to
            install it.
    """
    if format not in CHART_FORMATS:
        raise ValueError(f"chart format must be png or svg, got {format!r}")
    if not standards:
        raise ValueError("a trend chart needs at least one case-based standard")
    plt = _pyplot()
    columns = min(2, len(standards))
    rows = -(-len(standards) // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(6.4 * columns, 4.4 * rows), squeeze=False, sharey=True
    )
    x = list(range(len(periods)))
    wording = {q.id: q.text for q in rubric.questions}
    edges = [(b.rating, float(b.lower)) for b in rubric.bands.bands[1:]]
    for k, (sid, series) in enumerate(standards):
        ax = axes[k // columns][k % columns]
        for _, edge in edges:
            ax.axhline(edge, color="#c0392b", linestyle="--", linewidth=0.8)
        for qid, points in series:
            ys = [None if p is None else 100 * p for p, _, _ in points]
            (line,) = ax.plot(
                x,
                [float("nan") if y is None else y for y in ys],
                marker="o",
                label=clipped_text(f"{qid} {wording.get(qid, '')}".strip(), 70),
            )
            lows = [float("nan") if low is None else 100 * low for _, low, _ in points]
            highs = [float("nan") if high is None else 100 * high for _, _, high in points]
            ax.fill_between(x, lows, highs, color=line.get_color(), alpha=0.08, linewidth=0)
        name = next((st.title for st in rubric.standards if st.id == sid), "")
        ax.set_title(f"{sid} {name}".strip(), fontsize=10)
        ax.set_xticks(x, list(periods), fontsize=8)
        ax.set_ylim(0, 100)
        # Beneath the panel, never over the lines and their intervals.
        ax.legend(
            fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.1), frameon=False, borderaxespad=0
        )
    for k in range(len(standards), rows * columns):
        axes[k // columns][k % columns].set_visible(False)
    for r in range(rows):
        axes[r][0].set_ylabel("% 'Yes'")
        _label_edges(axes[r][-1], edges, 7)
    fig.suptitle(
        (title or f"Key questions over time ({rubric.id})")
        + f"\nshaded: {confidence:.0%} interval; dashed: band edges",
        fontsize=10,
    )
    fig.tight_layout()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=format)
    finally:
        plt.close(fig)
    return buffer.getvalue()
