"""National scale: one long file of many inspections (SYNTHETIC data: 70 cases x 12 key
questions each), CSV to per-inspection ratings, against the tools an analyst would pick instead.

For each size, in one run: the library's CSV path (``score_groups`` on the file) with each of
its two decoders (numpy's, the default for a plain file, on the file, on a copy with every
field quoted as csv.writer's QUOTE_ALL writes it and on a copy with its lines shuffled; the
csv module's, which a file the numpy decoder does not take goes to, such as one with line
breaks in quoted values), and its DataFrame path (``score_groups`` on a pandas frame read
with ``keep_default_na=False``); pandas doing read_csv + groupby + banding, and polars
(eager; lazy; lazy on the shuffled copy; lazy with the library's checks) and DuckDB when
installed (extra ``bench``). Each tool runs in its own process, so that its peak memory (VmHWM on Linux, see ``peak_memory``) is its
own; its libraries are imported before its clock starts (``IMPORTS``). Every tool's
per-inspection ratings are checked equal to the library's. Every tool is timed to its own
result, banded in its own engine (a frame of band ranks, a ``GroupScores``); turning that into
the mapping the tools are checked by happens after its clock. Prints times, ratios to pandas and
to polars lazy (time and peak memory), and the growth per 10x rows.

Then, from a frame already in memory, the library against the frame library's own group and
band (pandas, polars, pyarrow, DuckDB), and against polars doing so with the checks the
library makes of every row; every
input form from memory against the CSV path; what row order costs (the file against a
shuffled copy, in one process); then ``agreement`` on 10,000 and 100,000 double-marked
cases, with its growth per 10x rows.

Last, ``rate_many`` and the default ``rating_probabilities`` against their numpy floors.

Run: python benchmarks/bench_national.py [--sizes 200 2000] [--large] [--agreement-only]
[--floors-only]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

RUBRIC_ID = "hmip-probation-2023"
QUESTIONS = [f"P2.{s}.{q}" for s in range(1, 5) for q in range(1, 4)]
STANDARDS = ["P2.1", "P2.2", "P2.3", "P2.4"]
LABELS = ["Inadequate", "Requires improvement", "Good", "Outstanding"]
CASES = 70


def quoted_copy(path: Path) -> Path:
    """The file beside ``path`` with every field quoted (as csv.writer's QUOTE_ALL writes)."""
    return path.with_name(f"{path.stem}-quoted{path.suffix}")


def shuffled_copy(path: Path) -> Path:
    """The file beside ``path`` with its data lines in a random order (the header first)."""
    return path.with_name(f"{path.stem}-shuffled{path.suffix}")


def make_file(path: Path, inspections: int, seed: int = 7) -> int:
    """SYNTHETIC national file, its quoted copy and its shuffled copy; returns the number of
    rows."""
    rng = np.random.default_rng(seed)
    quality = rng.uniform(0.2, 0.95, size=inspections)
    with path.open("w", encoding="utf-8", newline="") as fp:
        fp.write("inspection,case_id,question_id,judgment\n")
        for i in range(inspections):
            draws = rng.random((CASES, len(QUESTIONS)))
            unit = f"UNIT{i:05d}"
            lines = []
            for c in range(CASES):
                for j, q in enumerate(QUESTIONS):
                    d = draws[c, j]
                    judgment = (
                        "n/a" if d < 0.08 else ("yes" if d < 0.08 + 0.92 * quality[i] else "no")
                    )
                    lines.append(f"{unit},C{c:02d},{q},{judgment}\n")
            fp.write("".join(lines))
    with path.open(encoding="utf-8") as fp, quoted_copy(path).open("w", encoding="utf-8") as out:
        for line in fp:
            out.write('"' + line.rstrip("\n").replace(",", '","') + '"\n')
    header, *lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    order = rng.permutation(len(lines))
    shuffled_copy(path).write_text(header + "".join(lines[i] for i in order), encoding="utf-8")
    return inspections * CASES * len(QUESTIONS)


def band(percent: Any) -> Any:
    """Rank of the band of exact percentages (bands 50/65/80, lower bounds inclusive)."""
    return (percent >= 50).astype(int) + (percent >= 65) + (percent >= 80)


def run_library(path: Path, frame: bool, reader: str = "numpy") -> Any:
    """``score_groups`` on the file; ``reader`` says which CSV decoder it uses: "numpy" (the
    default for a plain file), "numpy, quoted" or "numpy, shuffled" (the same, on the quoted
    or the shuffled copy) or "csv" (the csv module, for a file the numpy decoder does not
    take)."""
    import probation_audit as pa
    from probation_audit import _csvfiles as csvfiles

    if reader == "csv":
        setattr(csvfiles, "code_columns", lambda *args, **kwargs: None)  # noqa: B010
    rubric = pa.load_rubric(RUBRIC_ID)
    copies = {"numpy, quoted": quoted_copy(path), "numpy, shuffled": shuffled_copy(path)}
    source: Any = copies.get(reader, path)
    if frame:
        import pandas

        source = pandas.read_csv(path, keep_default_na=False, dtype=str)
    return pa.score_groups(rubric, source)


def library_ratings(scores: Any) -> dict[str, str]:
    """The library's ratings (a ``GroupScores``) as group -> "label,label,..." (after the
    clock: every tool is timed to its own result, then converted for the check)."""
    return {
        g: ",".join(str(scores.ratings.rating(i, s)) for s in STANDARDS)
        for i, g in enumerate(scores.groups)
    }


def pandas_group_and_band(df: Any) -> Any:
    """pandas' own group-and-band on a frame already in memory: a frame of band ranks, one row
    per inspection, one column per standard."""
    import pandas

    yes = df["judgment"] == "yes"
    relevant = df["judgment"] != "n/a"
    counts = (
        df[["inspection", "question_id"]]
        .assign(yes=yes, relevant=relevant)
        .groupby(["inspection", "question_id"])[["yes", "relevant"]]
        .sum()
    )
    wide = (100 * counts["yes"] / counts["relevant"]).unstack("question_id")
    return pandas.DataFrame(
        {s: band(wide[[f"{s}.{k}" for k in (1, 2, 3)]].min(axis=1)) for s in STANDARDS}
    )


def pandas_ratings(ranks: Any) -> dict[str, str]:
    labels = np.array(LABELS)[ranks[STANDARDS].to_numpy()]
    return {g: ",".join(row) for g, row in zip(ranks.index, labels.tolist(), strict=True)}


def run_pandas(path: Path) -> Any:
    import pandas

    return pandas_group_and_band(pandas.read_csv(path, keep_default_na=False, dtype=str))


def polars_group_and_band(df: Any) -> Any:
    """polars' own group-and-band on a frame already in memory: a frame of (inspection,
    standard, band rank), banded by polars expressions."""
    import polars as pl

    counts = df.group_by(["inspection", "question_id"]).agg(
        (pl.col("judgment") == "yes").sum().alias("yes"),
        (pl.col("judgment") != "n/a").sum().alias("relevant"),
    )
    counts = counts.with_columns(
        (100 * pl.col("yes") / pl.col("relevant")).alias("percent"),
        pl.col("question_id").str.slice(0, 4).alias("standard"),
    )
    lowest = counts.group_by(["inspection", "standard"]).agg(pl.col("percent").min())
    percent = pl.col("percent")
    return lowest.select(
        "inspection",
        "standard",
        rank=(percent >= 50).cast(pl.Int8) + (percent >= 65) + (percent >= 80),
    )


def polars_checked(df: Any) -> Any:
    """polars' own group-and-band with the checks the library makes of every row, written in
    polars: no case answers a key question twice or leaves one out, every question id and
    answer is known, no case id is blank. The checks and the banding run in one
    ``collect_all``, so that polars overlaps them."""
    import polars as pl

    frame = df.lazy()
    per_case = (
        frame.group_by(["inspection", "case_id"])
        .agg(pl.len().alias("rows"), pl.col("question_id").n_unique().alias("questions"))
        .filter((pl.col("rows") != pl.col("questions")) | (pl.col("questions") != len(QUESTIONS)))
        .select(pl.len())
    )
    unknown = frame.filter(
        ~pl.col("question_id").is_in(QUESTIONS)
        | ~pl.col("judgment").is_in(["yes", "no", "n/a"])
        | (pl.col("case_id").str.strip_chars() == "")
        | (pl.col("inspection").str.strip_chars() == "")
    ).select(pl.len())
    banded, repeated, bad = pl.collect_all([polars_group_and_band(frame), per_case, unknown])
    if repeated.item() or bad.item():
        raise ValueError("the checks found a problem in SYNTHETIC data that has none")
    return banded


def polars_ratings(banded: Any) -> dict[str, str]:
    out: dict[str, dict[str, str]] = {}
    for g, s, r in banded.iter_rows():
        out.setdefault(g, {})[s] = LABELS[r]
    return {g: ",".join(v[s] for s in STANDARDS) for g, v in out.items()}


def run_polars(path: Path) -> Any:
    import polars as pl

    return polars_group_and_band(pl.read_csv(path, infer_schema_length=0))


def run_polars_lazy(path: Path) -> Any:
    import polars as pl

    return polars_group_and_band(pl.scan_csv(path, infer_schema_length=0)).collect()


def run_polars_lazy_shuffled(path: Path) -> Any:
    return run_polars_lazy(shuffled_copy(path))


def run_polars_lazy_checked(path: Path) -> Any:
    import polars as pl

    return polars_checked(pl.scan_csv(path, infer_schema_length=0))


def frame_timings(path: Path) -> None:
    """From a frame already in memory: the library (``score_groups(rubric, frame)``) against
    the frame's own library grouping and banding it (and, for polars, doing so with the
    library's checks), best of three runs each, every tool timed to its own result, ratings
    checked equal (target: at most 1.2x the frame's own)."""
    import importlib.util

    import probation_audit as pa

    rubric = pa.load_rubric(RUBRIC_ID)
    print("  from a frame already in memory (best of 3; target: at most 1.2x the frame's own):")
    frames: list[tuple[str, Any, Any, Any]] = []
    import pandas

    frame = pandas.read_csv(path, keep_default_na=False, dtype=str)
    frames.append(("pandas", frame, pandas_group_and_band, pandas_ratings))
    if importlib.util.find_spec("polars") is not None:
        import polars as pl

        frame = pl.read_csv(path, infer_schema_length=0)
        frames.append(("polars", frame, polars_group_and_band, polars_ratings))
        frames.append(("polars, with the checks", frame, polars_checked, polars_ratings))
    if importlib.util.find_spec("pyarrow") is not None:
        import pyarrow.csv

        frame = pyarrow.csv.read_csv(path)
        frames.append(("pyarrow Table", frame, arrow_group_and_band, arrow_ratings))
    if importlib.util.find_spec("duckdb") is not None:
        import duckdb

        connection = duckdb.connect()
        connection.execute(
            f"create table national as select * from read_csv('{path}', all_varchar = true)"
        )
        frames.append(
            (
                "DuckDB relation",
                connection.table("national"),
                lambda _: duckdb_group_and_band(connection, "national"),
                duckdb_ratings,
            )
        )
    for name, frame, own, convert in frames:
        times = {}
        found = {}
        for label in ("own", "library"):
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                result = own(frame) if label == "own" else pa.score_groups(rubric, frame)
                best = min(best, time.perf_counter() - start)
            found[label] = convert(result) if label == "own" else library_ratings(result)
            times[label] = best
        same = "ratings equal" if found["own"] == found["library"] else "RATINGS DIFFER"
        print(
            f"    {name:<24} own {times['own']:6.3f} s  library {times['library']:6.3f} s  "
            f"{times['library'] / times['own']:5.2f}x  {same}"
        )


def form_timings(path: Path) -> None:
    """Every input form of the same data, from memory, against the library's CSV path on the
    file, best of three each, in this process (target: every form within 1.5x the CSV path;
    ratings checked equal)."""
    import importlib.util

    import probation_audit as pa

    rubric = pa.load_rubric(RUBRIC_ID)
    forms: list[tuple[str, Any]] = []
    import pandas

    forms.append(("pandas (dtype=str)", pandas.read_csv(path, keep_default_na=False, dtype=str)))
    if importlib.util.find_spec("pyarrow") is not None:
        import pyarrow.csv

        table = pyarrow.csv.read_csv(path)
        forms.append(("pandas (ArrowDtype)", table.to_pandas(types_mapper=pandas.ArrowDtype)))
        forms.append(("pyarrow Table", table))
    if importlib.util.find_spec("polars") is not None:
        import polars as pl

        frame = pl.read_csv(path, infer_schema_length=0)
        forms.append(("polars DataFrame", frame))
        forms.append(("polars LazyFrame", frame.lazy()))
    if importlib.util.find_spec("duckdb") is not None:
        import duckdb

        connection = duckdb.connect()
        connection.execute(
            f"create table national as select * from read_csv('{path}', all_varchar = true)"
        )
        forms.append(("DuckDB relation", connection.table("national")))

    def best(source: Any) -> tuple[float, Any]:
        fastest, result = float("inf"), None
        for _ in range(3):
            start = time.perf_counter()
            result = pa.score_groups(rubric, source)
            fastest = min(fastest, time.perf_counter() - start)
        return fastest, result

    base, reference = best(path)
    expected = library_ratings(reference)
    print(
        f"  every input form from memory (best of 3; target: within 1.5x the CSV path, {base:.3f} s):"
    )
    for name, source in forms:
        seconds, result = best(source)
        same = "ratings equal" if library_ratings(result) == expected else "RATINGS DIFFER"
        print(f"    {name:<26} {seconds:6.3f} s  {seconds / base:5.2f}x the CSV path  {same}")


def duckdb_group_and_band(connection: Any, source: str) -> Any:
    """DuckDB's own group-and-band of ``source`` (a table, or ``read_csv(...)`` of a file):
    rows of (inspection, standard, band rank)."""
    relation = connection.sql(
        f"""
        with counts as (
            select inspection, question_id,
                   100.0 * sum((judgment = 'yes')::int) / sum((judgment <> 'n/a')::int) as percent
            from {source}
            group by inspection, question_id),
        lowest as (
            select inspection, substr(question_id, 1, 4) as standard, min(percent) as percent
            from counts group by inspection, standard)
        select inspection, standard,
               (percent >= 50)::int + (percent >= 65)::int + (percent >= 80)::int as rank
        from lowest
        """
    )
    assert relation is not None
    return relation.fetchall()


def run_duckdb(path: Path) -> Any:
    import duckdb

    return duckdb_group_and_band(duckdb, f"read_csv('{path}', all_varchar = true)")


def arrow_group_and_band(table: Any) -> Any:
    """pyarrow's own group-and-band of a Table already in memory (``pyarrow.compute`` and
    ``Table.group_by``): a table of (inspection, standard, band rank)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    counted = pa.table(
        {
            "inspection": table["inspection"],
            "question_id": table["question_id"],
            "yes": pc.equal(table["judgment"], "yes"),
            "relevant": pc.not_equal(table["judgment"], "n/a"),
        }
    )
    counts = counted.group_by(["inspection", "question_id"]).aggregate(
        [("yes", "sum"), ("relevant", "sum")]
    )
    percent = pc.divide(
        pc.multiply(pc.cast(counts["yes_sum"], pa.float64()), 100.0), counts["relevant_sum"]
    )
    lowest = (
        pa.table(
            {
                "inspection": counts["inspection"],
                "standard": pc.utf8_slice_codeunits(counts["question_id"], 0, 4),
                "percent": percent,
            }
        )
        .group_by(["inspection", "standard"])
        .aggregate([("percent", "min")])
    )
    rank = pc.cast(pc.greater_equal(lowest["percent_min"], 50.0), pa.int8())
    for edge in (65.0, 80.0):
        rank = pc.add(rank, pc.cast(pc.greater_equal(lowest["percent_min"], edge), pa.int8()))
    return pa.table(
        {"inspection": lowest["inspection"], "standard": lowest["standard"], "rank": rank}
    )


def arrow_ratings(banded: Any) -> dict[str, str]:
    return duckdb_ratings(
        zip(*(banded[c].to_pylist() for c in ("inspection", "standard", "rank")), strict=True)
    )


def duckdb_ratings(rows: Any) -> dict[str, str]:
    out: dict[str, dict[str, str]] = {}
    for g, s, r in rows:
        out.setdefault(g, {})[s] = LABELS[r]
    return {g: ",".join(v[s] for s in STANDARDS) for g, v in out.items()}


#: Each tool: how it runs (timed, to its own result) and how its result becomes the
#: group -> ratings mapping that the tools are checked by (not timed).
TOOLS: dict[str, tuple[Callable[[Path], Any], Callable[[Any], dict[str, str]]]] = {
    "library CSV (numpy reader, no extra)": (
        lambda p: run_library(p, frame=False),
        library_ratings,
    ),
    "library CSV quoted, numpy reader": (
        lambda p: run_library(p, frame=False, reader="numpy, quoted"),
        library_ratings,
    ),
    "library CSV shuffled, numpy reader": (
        lambda p: run_library(p, frame=False, reader="numpy, shuffled"),
        library_ratings,
    ),
    "library CSV, csv module": (
        lambda p: run_library(p, frame=False, reader="csv"),
        library_ratings,
    ),
    "pandas read_csv + library": (lambda p: run_library(p, frame=True), library_ratings),
    "pandas": (run_pandas, pandas_ratings),
    "polars": (run_polars, polars_ratings),
    "polars lazy": (run_polars_lazy, polars_ratings),
    "polars lazy shuffled": (run_polars_lazy_shuffled, polars_ratings),
    "polars lazy, with the checks": (run_polars_lazy_checked, polars_ratings),
    "duckdb": (run_duckdb, duckdb_ratings),
}


#: What each tool imports, loaded before its clock starts: the times are of the work (read,
#: group, band), not of starting the libraries, which a script pays once.
IMPORTS = {
    "library CSV (numpy reader, no extra)": ["probation_audit"],
    "library CSV quoted, numpy reader": ["probation_audit"],
    "library CSV shuffled, numpy reader": ["probation_audit"],
    "library CSV, csv module": ["probation_audit"],
    "pandas read_csv + library": ["probation_audit", "pandas"],
    "pandas": ["pandas"],
    "polars": ["polars"],
    "polars lazy": ["polars"],
    "polars lazy shuffled": ["polars"],
    "polars lazy, with the checks": ["polars"],
    "duckdb": ["duckdb"],
}


def order_timings(path: Path) -> None:
    """What row order costs: the file and its shuffled copy timed in turn in this process, best
    of 5 each (a single run of each in a process of its own differs by more than the cost);
    the library (``score_groups``) and, when installed, polars lazy."""
    import importlib.util

    import probation_audit as pa

    rubric = pa.load_rubric(RUBRIC_ID)
    tools: dict[str, tuple[Callable[[Path], Any], Callable[[Any], dict[str, str]]]] = {
        "library CSV": (lambda p: pa.score_groups(rubric, p), library_ratings)
    }
    if importlib.util.find_spec("polars") is not None:
        tools["polars lazy"] = (run_polars_lazy, polars_ratings)
    costs = []
    for name, (run, convert) in tools.items():
        best = [float("inf"), float("inf")]
        results: list[Any] = [None, None]
        for _ in range(5):
            for k, source in enumerate((path, shuffled_copy(path))):
                start = time.perf_counter()
                results[k] = run(source)
                best[k] = min(best[k], time.perf_counter() - start)
        same = "" if convert(results[0]) == convert(results[1]) else ", RATINGS DIFFER"
        costs.append(f"{name} {best[1]:.3f} s / {best[0]:.3f} s = {best[1] / best[0]:.2f}x{same}")
    print(f"  row order (best of 5, interleaved; shuffled over sorted): {'; '.join(costs)}")


def one(tool: str, path: Path) -> None:
    """Child process: run one tool, print its time, peak memory and ratings as JSON."""
    import importlib

    for module in IMPORTS[tool]:
        importlib.import_module(module)
    run, convert = TOOLS[tool]
    start = time.perf_counter()
    result = run(path)
    elapsed = time.perf_counter() - start
    ratings = convert(result)
    print(json.dumps({"seconds": elapsed, "peak": peak_memory(), "ratings": ratings}))


def peak_memory() -> int:
    """This process's peak resident memory in bytes. On Linux, VmHWM of /proc/self/status:
    ru_maxrss is not used there, because it keeps the high-water mark of the process that
    started this one (it survives fork and exec), which would charge the parent's memory to
    every tool."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def available(tool: str) -> bool:
    module = "polars" if tool.startswith("polars") else "duckdb" if tool == "duckdb" else None
    if module is None:
        return True
    import importlib.util

    return importlib.util.find_spec(module) is not None


def agreement_timings(folder: Path) -> None:
    """``agreement`` on 10,000 and 100,000 double-marked cases (SYNTHETIC; target: under 2 s
    at 100,000, linear in rows): reading the one file with an auditor column, then agreement
    per key question and pooled, ratings by auditor, single-marked cases."""
    import probation_audit as pa
    from probation_audit.reading import read_double_marked
    from probation_audit.statistics import agreement_report

    rubric = pa.load_rubric(RUBRIC_ID)
    answers = np.array(["no", "yes", "n/a"])
    previous = None
    print("\nagreement on double-marked cases (SYNTHETIC), reading included:")
    for cases in (10_000, 100_000):
        rng = np.random.default_rng(cases)
        first = rng.integers(0, 3, size=(cases, len(QUESTIONS)))
        second = np.where(rng.random(first.shape) < 0.05, rng.integers(0, 3, first.shape), first)
        path = folder / f"double-{cases}.csv"
        with path.open("w", encoding="utf-8") as f:
            f.write("case_id,auditor," + ",".join(QUESTIONS) + "\n")
            for i in range(cases):
                f.write(f"C{i},first," + ",".join(answers[first[i]]) + "\n")
                f.write(f"C{i},second," + ",".join(answers[second[i]]) + "\n")
        start = time.perf_counter()
        marked = read_double_marked(path, rubric)
        report = agreement_report(rubric, *marked.samples, marked.auditors)
        seconds = time.perf_counter() - start
        growth = "" if previous is None else f", x{seconds / previous:.1f} for x10 rows"
        print(
            f"  {cases:>7,} cases ({2 * cases:,} rows): {seconds:5.2f} s, pooled agreement "
            f"{report.pooled.percent:.1f}%{growth}"
        )
        previous = seconds


#: Judged ratings given to both the library and the floors, so that overall ratings exist.
JUDGED = {"P1.1": "Good", "P1.2": "Requires improvement", "P1.3": "Good"}


def _floor_ratings(rules: Any, yes: Any, relevant: Any) -> Any:
    """The numpy floor of ``rate_many``: the same integer band tests, lowest band per standard,
    points and overall band, with none of its checks (counts, shapes, ratings); overall
    ranks (-1 undetermined)."""
    band = np.zeros(yes.shape, dtype=np.int8)
    hundred = 100 * yes
    for t in rules.bands.thresholds[1:]:
        band += hundred * t.denominator >= t.numerator * relevant
    band[relevant == 0] = -1
    rank_of = np.array([-1, *rules.bands.ranks], dtype=np.int64)
    assert rules.overall is not None
    total = np.zeros(yes.shape[0], dtype=np.int64)
    unrated = np.zeros(yes.shape[0], dtype=bool)
    for position in rules.overall.positions:
        s = rules.standards[position]
        assert s.scale.points is not None
        if s.judged:
            total += s.scale.points[s.scale.rank(JUDGED[s.id])]
            continue
        lowest = band[:, s.columns[0]]
        for column in s.columns[1:]:
            lowest = np.minimum(lowest, band[:, column])
        rank = rank_of[lowest + 1]
        unrated |= rank < 0
        total += np.array(s.scale.points, dtype=np.int64)[rank]
    highs = np.array([high for _, high, _ in rules.overall.bands])
    ranks = np.array([rank for _, _, rank in rules.overall.bands])
    return np.where(unrated, -1, ranks[np.searchsorted(highs, total)])


def _floor_probabilities(rules: Any, codes: Any, resamples: int, seed: int, m: int) -> Any:
    """The numpy floor of the default ``rating_probabilities`` (no caseload): the same draws
    (case weights, widened for the audit's size, and the pseudo-cases' weights; the unit's level, ``m`` pseudo-cases' answers: as many as the pooled prior
    gives this sample, worked out before the clock starts) and tallies, rated by the floor
    above, overall shares counted."""
    rng = np.random.default_rng(seed)
    yes_codes = (codes == 1).astype(np.float64)
    relevant_codes = (codes != -1).astype(np.float64)
    n, nq = codes.shape
    weights = np.empty((resamples, n + m))
    weights[:, :n] = rng.standard_gamma((n - 2) / n, size=(resamples, n))
    weights[:, n:] = rng.standard_gamma(1.0, size=(resamples, m))
    weights /= weights.sum(axis=1, keepdims=True)
    level = rng.beta(2.0, 2.0, size=(resamples, 1, 1))
    pseudo_yes = rng.random((resamples, m, nq)) < level
    y = weights[:, :n] @ yes_codes + np.einsum("bm,bmq->bq", weights[:, n:], pseudo_yes)
    r = weights[:, :n] @ relevant_codes + weights[:, n:].sum(axis=1, keepdims=True)
    r_int = np.rint(r * 2.0**40).astype(np.int64)
    y_int = np.minimum(np.rint(y * 2.0**40).astype(np.int64), r_int)
    return np.bincount(_floor_ratings(rules, y_int, r_int) + 1)


def floor_timings() -> None:
    """``rate_many`` on 1,000,000 samples and the default ``rating_probabilities`` of a
    70-case audit (10,000 resamples) against their numpy floors (above), best of 5,
    interleaved (target: at most 1.2x)."""
    import probation_audit as pa
    from probation_audit._probabilities import _level, pooled_prior_cases, rating_probabilities
    from probation_audit._rules import rules_of

    rubric = pa.load_rubric(RUBRIC_ID)
    rules = rules_of(rubric)
    rng = np.random.default_rng(5)
    relevant = rng.integers(0, 71, size=(1_000_000, len(QUESTIONS)))
    yes = (relevant * rng.random(relevant.shape)).astype(np.int64)
    expected = pa.rate_many(rubric, yes, relevant, JUDGED).overall
    assert (_floor_ratings(rules, yes, relevant) == expected).all()
    codes = rng.choice(np.array([1, 0, -1], dtype=np.int8), p=[0.7, 0.2, 0.1], size=(70, 12))
    answers = np.array(["no", "yes", "n/a"])[np.where(codes < 0, 2, codes)]
    sample = pa.from_records(
        [
            {"case_id": f"C{i:02d}", "question_id": q, "judgment": answers[i, j]}
            for i in range(70)
            for j, q in enumerate(QUESTIONS)
        ],
        rubric,
        missing="not-relevant",
    )
    yes_codes = (codes == 1).astype(np.float64)
    relevant_codes = (codes != -1).astype(np.float64)
    level_a, level_b = _level(yes_codes, relevant_codes)
    pseudo = pooled_prior_cases(yes_codes, relevant_codes, level_a / (level_a + level_b))
    pairs: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "rate_many, 1,000,000 samples": (
            lambda: pa.rate_many(rubric, yes, relevant, JUDGED),
            lambda: _floor_ratings(rules, yes, relevant),
        ),
        "rating_probabilities, 70 cases": (
            lambda: rating_probabilities(rubric, sample, JUDGED),
            lambda: _floor_probabilities(rules, codes, 10_000, 0, pseudo),
        ),
    }
    print(
        "\nagainst numpy floors (best of 5, interleaved; target: at most 1.2x the floor; "
        f"the probabilities' sample takes {pseudo} pseudo-cases):"
    )
    for name, (ours, floor) in pairs.items():
        best = [float("inf"), float("inf")]
        for _ in range(5):
            for k, run in enumerate((ours, floor)):
                start = time.perf_counter()
                run()
                best[k] = min(best[k], time.perf_counter() - start)
        print(f"  {name:<32} {best[0]:6.3f} s  floor {best[1]:6.3f} s  {best[0] / best[1]:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--large", action="store_true", help="also 20,000 inspections (16.8M rows)")
    parser.add_argument("--one", nargs=2, metavar=("TOOL", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--agreement-only", action="store_true", help="only the agreement timings")
    parser.add_argument("--floors-only", action="store_true", help="only the numpy floors")
    args = parser.parse_args()
    if args.agreement_only:
        with tempfile.TemporaryDirectory() as folder:
            agreement_timings(Path(folder))
        return
    if args.floors_only:
        floor_timings()
        return
    if args.one:
        one(args.one[0], Path(args.one[1]))
        return
    sizes = [*args.sizes, *([20_000] if args.large else [])]
    previous: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"national-{size}.csv"
            rows = make_file(path, size)
            print(
                f"\n{size:,} inspections, {rows:,} long rows (SYNTHETIC), {path.stat().st_size / 2**20:.0f} MiB"
            )
            results: dict[str, dict[str, Any]] = {}
            for tool in TOOLS:
                if not available(tool):
                    print(f"  {tool:<37} not installed (pip install '.[bench]')")
                    continue
                done = subprocess.run(
                    [sys.executable, __file__, "--one", tool, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results[tool] = json.loads(done.stdout)
            reference = results["library CSV (numpy reader, no extra)"]["ratings"]
            base = results["pandas"]["seconds"]
            base_peak = results["pandas"]["peak"]
            lazy = results.get("polars lazy")
            for tool, r in results.items():
                same = "ratings equal" if r["ratings"] == reference else "RATINGS DIFFER"
                growth = ""
                if tool in previous:
                    growth = f", x{r['seconds'] / previous[tool]:.1f} for x10 rows"
                against_lazy = (
                    ""
                    if lazy is None
                    else f"{r['seconds'] / lazy['seconds']:5.2f}x / {r['peak'] / lazy['peak']:4.2f}x "
                    "polars lazy  "
                )
                print(
                    f"  {tool:<37}{r['seconds']:7.2f} s  {r['seconds'] / base:5.2f}x pandas  "
                    f"peak {r['peak'] / 2**20:6.0f} MiB ({r['peak'] / base_peak:4.2f}x pandas, "
                    f"{r['peak'] / rows:5.0f} B/row)  {against_lazy}{same}{growth}"
                )
                previous[tool] = r["seconds"]
            frame_timings(path)
            form_timings(path)
            order_timings(path)
    # In a process of its own, like every tool: the parent holds the frames' libraries.
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, "--agreement-only"], check=True)
    subprocess.run([sys.executable, __file__, "--floors-only"], check=True)


if __name__ == "__main__":
    main()
