from __future__ import annotations

import json
import math
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import probation_audit as pa
from probation_audit import statistics as st
from probation_audit.rubric import round_half_up
from probation_audit.statistics import QuestionChange, significance_note

from .conftest import DATA, EXAMPLE_CASES, JUDGED_2024, ROOT, examples


@pytest.fixture(scope="module")
def example(rubric: pa.Rubric) -> tuple[pa.Sample, pa.Result]:
    sample = pa.read_csv(EXAMPLE_CASES, rubric)
    return sample, pa.score(rubric, sample, JUDGED_2024)


# -- intervals ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
def test_intervals_contain_the_proportion_and_narrow_with_n(method: st.Method) -> None:
    for k, n in [(0, 5), (1, 5), (5, 5), (11, 70), (35, 70), (69, 70)]:
        ci = st.interval(k, n, 0.95, method)
        assert ci.low <= k / n <= ci.high
        wider = st.interval(k * 4, n * 4, 0.95, method)
        assert wider.high - wider.low < ci.high - ci.low
    assert st.interval(0, 10, method=method).low == 0.0
    assert st.interval(10, 10, method=method).high == 1.0


def test_interval_input_errors() -> None:
    with pytest.raises(ValueError, match="relevant > 0"):
        st.wilson(0, 0)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        st.clopper_pearson(1, 2, confidence=1.0)
    with pytest.raises(ValueError, match="method must be"):
        st.interval(1, 2, method="wald")  # type: ignore[arg-type]


def test_intervals_match_scipy() -> None:
    # scipy's references for every case at once: Clopper-Pearson as the beta quantiles
    # (what binomtest's "exact" interval computes), Wilson's score interval from the normal
    # quantile (binomtest's "wilson"), both checked against binomtest on a few cases.
    stats = pytest.importorskip("scipy.stats")
    np = pytest.importorskip("numpy")
    rng = random.Random(4)
    cases = [(0, 1), (1, 1), (11, 70), (3, 2000), (1234, 3000), (4999, 5000)]
    cases += [
        (k, n)
        for n in (rng.randint(1, 3000) for _ in range(examples(150)))
        for k in [rng.randint(0, n)]
    ]
    k, n = (np.array(column, dtype=float) for column in zip(*cases, strict=True))
    for confidence in (0.9, 0.95, 0.99):
        alpha = 1 - confidence
        low = np.where(k > 0, stats.beta.ppf(alpha / 2, k, n - k + 1), 0.0)
        high = np.where(k < n, stats.beta.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
        z = stats.norm.ppf(1 - alpha / 2)
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        for i, (ki, ni) in enumerate(cases):
            if i < 6:  # the references are binomtest's own
                ref = stats.binomtest(ki, ni).proportion_ci(confidence, method="exact")
                assert (ref.low, ref.high) == pytest.approx((low[i], high[i]), rel=1e-7)
                ref = stats.binomtest(ki, ni).proportion_ci(confidence, method="wilson")
                wide = (centre[i] - half[i], centre[i] + half[i])
                assert (ref.low, ref.high) == pytest.approx(wide, rel=1e-9, abs=1e-12)
            ours = st.wilson(ki, ni, confidence)
            assert ours.low == pytest.approx(centre[i] - half[i], rel=1e-9, abs=1e-12)
            assert ours.high == pytest.approx(centre[i] + half[i], rel=1e-9, abs=1e-12)
            ours = st.clopper_pearson(ki, ni, confidence)
            assert ours.low == pytest.approx(low[i], rel=1e-7, abs=1e-12)
            assert ours.high == pytest.approx(high[i], rel=1e-7, abs=1e-12)


def test_beta_cdf_against_known_values() -> None:
    assert st.beta_cdf(0.5, 3, 3) == pytest.approx(0.5, abs=1e-14)
    assert st.beta_cdf(0.2, 1, 1) == pytest.approx(0.2, abs=1e-14)
    # I_x(1, b) = 1 - (1 - x)^b
    assert st.beta_cdf(0.1, 1, 40) == pytest.approx(1 - 0.9**40, rel=1e-12)


# -- rating probabilities -------------------------------------------------------------------


def test_exact_probabilities_sum_to_one_and_match_monte_carlo(mini: pa.Rubric) -> None:
    tally = {"S1.1": (12, 20), "S1.2": (15, 22), "S2.1": (9, 14)}
    result = pa.score_tally(mini, tally, {"J1": "Good"})
    exact = st.exact_probabilities(mini, result, {"J1": "Good"})
    rng = np.random.default_rng(11)
    draws = 400_000
    s1 = np.minimum(rng.beta(13, 9, draws), rng.beta(16, 8, draws))
    s2 = rng.beta(10, 6, draws)
    edges = [0.5, 0.65, 0.8]
    rank1 = np.searchsorted(edges, s1, side="right")
    rank2 = np.searchsorted(edges, s2, side="right")
    labels = mini.rating_scale.labels
    for sid, ranks in (("S1", rank1), ("S2", rank2)):
        probs = exact.of(sid)
        assert sum(probs.values()) == pytest.approx(1.0, abs=1e-12)
        for r, label in enumerate(labels):
            assert probs[label] == pytest.approx(float((ranks == r).mean()), abs=0.004)
    points = 2 + rank1 + rank2  # J1 Good is 2 points
    overall = np.select([points <= 1, points <= 4, points <= 7], [0, 1, 2], 3)
    for r, label in enumerate(labels):
        assert exact.of("overall")[label] == pytest.approx(float((overall == r).mean()), abs=0.004)
    assert sum(exact.of("overall").values()) == pytest.approx(1.0, abs=1e-12)


def test_bootstrap_is_reproducible(rubric: pa.Rubric, example: tuple[pa.Sample, pa.Result]) -> None:
    sample, _ = example
    a = st.bootstrap_probabilities(rubric, sample, JUDGED_2024, resamples=2000, seed=5)
    b = st.bootstrap_probabilities(rubric, sample, JUDGED_2024, resamples=2000, seed=5)
    c = st.bootstrap_probabilities(rubric, sample, JUDGED_2024, resamples=2000, seed=6)
    assert a == b
    assert a.resamples == 2000 and a.seed == 5
    for _, probs in a.ratings:
        assert sum(dict(probs).values()) == pytest.approx(1.0)
    assert c.of("overall")["Inadequate"] == pytest.approx(a.of("overall")["Inadequate"], abs=0.02)


def test_bootstrap_reports_undetermined_resamples(mini: pa.Rubric) -> None:
    # One case relevant to S2.1 out of ten: resamples without it leave S2 undetermined.
    rows = {
        f"C{i}": {"S1.1": "yes", "S1.2": "yes", "S2.1": "yes" if i == 0 else "n/a"}
        for i in range(10)
    }
    sample = pa.from_wide(rows, mini)
    probs = st.bootstrap_probabilities(mini, sample, {"J1": "Good"}, resamples=5000, seed=1).of(
        "S2"
    )
    # P(no draw of C0 in 10) = 0.9^10 = 0.349
    assert probs["undetermined"] == pytest.approx(0.9**10, abs=0.02)


def test_uncertain_flags(mini: pa.Rubric) -> None:
    near = pa.score_tally(mini, {"S1.1": (10, 21), "S1.2": (20, 20), "S2.1": (1, 1)})
    far = pa.score_tally(mini, {"S1.1": (1, 21), "S1.2": (20, 20), "S2.1": (20, 20)})
    assert st.uncertain_standards(mini, near)["S1"] is True
    assert st.uncertain_standards(mini, far) == {"S1": False, "S2": False}


def test_probabilities_refuse_weighted_rubrics() -> None:
    omi = pa.load_rubric(DATA / "omi-mini.toml")
    result = pa.score_tally(omi, {q: (1, 2) for q in omi.question_ids})
    with pytest.raises(ValueError, match="'lowest' aggregation"):
        st.exact_probabilities(omi, result)


# -- planning -------------------------------------------------------------------------------


def brute_force(
    rubric: pa.Rubric, p: Fraction, target: Fraction, max_n: int
) -> tuple[int | None, int | None]:
    meets = []
    for n in range(1, max_n + 1):
        total = Fraction(0)
        true_band = rubric.bands.rating(p * 100)
        for k in range(n + 1):
            if rubric.bands.rating(Fraction(100 * k, n)) == true_band:
                total += Fraction(math.comb(n, k)) * p**k * (1 - p) ** (n - k)
        meets.append(total >= target)
    first = next((n for n, ok in enumerate(meets, 1) if ok), None)
    stable = None
    for n in range(max_n, 0, -1):
        if not meets[n - 1]:
            break
        stable = n
    return first, stable


def test_plan_issue_example(rubric: pa.Rubric) -> None:
    # At a true 45% and the 50% edge: 71 cases reach 80% but 72 do not; every n from 89 does.
    plan = st.plan(rubric, Fraction(45, 100), target=Fraction(4, 5), max_n=150)
    assert (plan.first, plan.stable_from, plan.band) == (71, 89, "Inadequate")
    assert st.band_match_probability(rubric, Fraction(45, 100), 71) >= Fraction(4, 5)
    assert st.band_match_probability(rubric, Fraction(45, 100), 72) < Fraction(4, 5)


@pytest.mark.parametrize(
    "p",
    [Fraction(30, 100), Fraction(45, 100), Fraction(55, 100), Fraction(7, 10), Fraction(81, 100)],
)
def test_plan_matches_brute_force(rubric: pa.Rubric, p: Fraction) -> None:
    plan = st.plan(rubric, p, target=Fraction(3, 4), max_n=60)
    assert (plan.first, plan.stable_from) == brute_force(rubric, p, Fraction(3, 4), 60)


def test_plan_relevant_share_and_margin(rubric: pa.Rubric) -> None:
    plan = st.plan(rubric, "0.45", relevant_share="0.8", max_n=120)
    assert plan.cases_for_stable == 112  # ceil(89 / 0.8)
    assert st.margin_of_error_cases(0.5, 0.1) == 97
    assert st.margin_of_error_cases(0.5, 0.1, population=200) == 66
    with pytest.raises(ValueError, match="relevant_share"):
        st.plan(rubric, "0.45", relevant_share=0)


# -- subgroups, comparison, agreement -------------------------------------------------------


def test_groups_partition_the_sample(
    rubric: pa.Rubric, example: tuple[pa.Sample, pa.Result]
) -> None:
    sample, result = example
    groups = st.by_attribute(rubric, sample, "sentence_type", JUDGED_2024)
    assert [(g.value, g.cases) for g in groups] == [("community order", 45), ("licence", 25)]
    for q in result.questions:
        parts = [g.result.question(q.id) for g in groups]
        assert sum(p.yes for p in parts) == q.yes
        assert sum(p.relevant for p in parts) == q.relevant
    assert not any(g.too_small for g in groups)
    small = st.by_attribute(rubric, sample, "sentence_type", JUDGED_2024, min_relevant=30)
    assert [g.too_small for g in small] == [False, True]
    assert len(small[1].small) == 12
    with pytest.raises(KeyError, match="no case attribute 'sex'"):
        st.by_attribute(rubric, sample, "sex")


def test_newcombe_published_example() -> None:
    # Newcombe (1998), example (a): 56/70 - 48/80 = 0.2000, 95% CI 0.0524 to 0.3339.
    diff, low, high = st.newcombe(48, 80, 56, 70)
    assert diff == pytest.approx(0.2)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_compare_two_audits(mini: pa.Rubric) -> None:
    before = pa.score_tally(
        mini, {"S1.1": (5, 20), "S1.2": (15, 20), "S2.1": (10, 10)}, {"J1": "Good"}
    )
    after = pa.score_tally(
        mini, {"S1.1": (14, 20), "S1.2": (15, 20), "S2.1": (10, 10)}, {"J1": "Good"}
    )
    changes, changed = st.compare(before, after)
    first = changes[0]
    assert (first.id, first.before, first.after) == ("S1.1", (5, 20), (14, 20))
    assert first.difference == pytest.approx(0.45)
    assert first.low is not None and first.low > 0
    assert changed == (("S1", "Inadequate", "Good"),)  # overall stays Good: 5 and 7 points


def _comparison(mini: pa.Rubric) -> st.Comparison:
    before = pa.score_tally(
        mini, {"S1.1": (5, 20), "S1.2": (15, 20), "S2.1": (0, 0)}, {"J1": "Good"}
    )
    after = pa.score_tally(
        mini, {"S1.1": (14, 20), "S1.2": (15, 20), "S2.1": (10, 10)}, {"J1": "Good"}
    )
    return st.compare(before, after)


def test_a_comparison_is_a_value_that_unpacks_as_before(mini: pa.Rubric) -> None:
    comparison = _comparison(mini)
    changes, changed = comparison
    assert changes is comparison.questions and changed == comparison.changed == comparison[1]
    assert len(comparison) == 2
    assert [r[0] for r in comparison.ratings] == ["J1", "S1", "S2", "overall"]
    assert changed == (
        ("S1", "Inadequate", "Good"),
        ("S2", None, "Outstanding"),
        ("overall", None, "Good"),  # S2 undetermined before: so is the overall rating
    )
    assert repr(comparison) == (
        "<Comparison mini: 3 key questions (1 changed by more than chance), 3 of 4 ratings changed>"
    )
    plain = comparison.to_dict()
    assert plain["ratings_changed"] == [
        {"id": "S1", "before": "Inadequate", "after": "Good"},
        {"id": "S2", "before": None, "after": "Outstanding"},
        {"id": "overall", "before": None, "after": "Good"},
    ]
    assert len(plain["ratings"]) == 4 and plain["questions"][0]["id"] == "S1.1"


def test_a_comparison_becomes_a_typed_frame(mini: pa.Rubric) -> None:
    pytest.importorskip("pandas")
    comparison = _comparison(mini)
    frame = comparison.to_frame()
    assert list(frame["row"]) == ["question"] * 3 + ["rating"] * 4
    assert frame["yes_before"].dtype == "Int64" and frame["p_value"].dtype == "float64"
    assert frame["significant"].dtype == "boolean" and frame["rating_changed"].dtype == "boolean"
    assert list(frame["rating_after"].cat.categories) == list(mini.rating_scale.labels)
    s21 = frame[frame["id"] == "S2.1"].iloc[0]
    assert s21["relevant_before"] == 0 and math.isnan(s21["difference"])
    assert s21["significant"] is pd_na()
    s1 = frame[frame["id"] == "S1"]
    assert (s1["rating_before"] < s1["rating_after"]).all() and s1["rating_changed"].all()
    assert (frame["rating_after"].dropna() > "Requires improvement").all()  # in scale order
    polars = pytest.importorskip("polars")
    other = comparison.to_frame(backend="polars")
    assert other.columns == list(frame.columns)
    assert other.schema["rating_before"] == polars.Enum(list(mini.rating_scale.labels))


def pd_na() -> object:
    import pandas

    return pandas.NA


def test_a_comparison_shows_itself_escaped_and_coloured(mini: pa.Rubric) -> None:
    page = _comparison(mini)._repr_html_()
    assert "S1.1 *</td>" in page and "rose from 25% to 70%" in page
    assert '<td style="background:#d7ecd0;font-weight:bold;text-align:left">Good</td>' in page
    assert '<td style="font-weight:bold;text-align:left">undetermined</td>' in page


def test_kappa_hand_computed() -> None:
    # Observed agreement 7/10; chance 0.6 * 0.5 + 0.4 * 0.5 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    a = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    b = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    assert st.cohen_kappa(a, b) == pytest.approx(0.4)
    assert st.cohen_kappa([1, 1], [1, 1]) is None


@pytest.mark.parametrize(
    ("table", "kappa"),
    [
        # Wikipedia, "Cohen's kappa", worked examples: 50 grant proposals read by two
        # readers (yes/yes 20, yes/no 5, no/yes 10, no/no 15): kappa 0.4; and the two tables
        # with the same 60% agreement but different kappas, 0.1304 and 0.2593.
        ((20, 5, 10, 15), 0.4),
        ((45, 15, 25, 15), 0.1304),
        ((25, 35, 5, 35), 0.2593),
    ],
)
def test_kappa_against_published_worked_examples(
    table: tuple[int, int, int, int], kappa: float
) -> None:
    a, b = _rater_codes(table)
    assert st.cohen_kappa(a, b) == pytest.approx(kappa, abs=5e-5)


def _rater_codes(table: tuple[int, int, int, int]) -> tuple[list[int], list[int]]:
    """Two raters' codes from a 2x2 table (yes/yes, yes/no, no/yes, no/no)."""
    yy, yn, ny, nn = table
    first = [1] * (yy + yn) + [0] * (ny + nn)
    second = [1] * yy + [0] * yn + [1] * ny + [0] * nn
    return first, second


def test_ac1_against_its_definition_and_the_kappa_paradox() -> None:
    # Gwet (2008), "Computing inter-rater reliability and its variance in the presence of
    # high agreement", British Journal of Mathematical and Statistical Psychology 61: AC1 =
    # (pa - pe) / (1 - pe), pe = sum_k pi_k (1 - pi_k) / (q - 1). For the first Wikipedia
    # table with q = 2: pa = 0.7, pi_yes = 0.55, pe = 0.495, AC1 = 0.205 / 0.505.
    a, b = _rater_codes((20, 5, 10, 15))
    assert st.gwet_ac1(a, b, categories=2) == pytest.approx(0.205 / 0.505)
    # The paradox: 93% agreement when nearly every answer is Yes. Kappa falls near zero, AC1
    # stays near the agreement.
    a, b = _rater_codes((93, 4, 3, 0))
    kappa = st.cohen_kappa(a, b)
    assert kappa is not None and kappa < 0.05
    assert st.gwet_ac1(a, b, categories=2) > 0.9
    assert st.gwet_ac1([1, 0, -1], [1, 0, -1]) == 1.0
    with pytest.raises(ValueError, match="more answers than the 2 categories"):
        st.gwet_ac1([1, 0, -1], [1, 0, -1], categories=2)


def test_kappa_and_ac1_against_gwets_published_three_category_example() -> None:
    """Gwet, K.L. (2014), Handbook of Inter-Rater Reliability, 4th edition: two abstractors
    classifying 100 pregnancies into three types (the table published as
    ``cont3x3abstractors`` with the irrCAC package and its vignette "Calculating
    Chance-corrected Agreement Coefficients", 2019), for which the published coefficients
    are Cohen's kappa 0.7964094 and Gwet's AC1 0.8493305."""
    table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]  # rows: first abstractor; columns: second
    first = [i for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    second = [j for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    codes = [-1, 0, 1]  # three answers, coded as the library codes its three judgments
    a, b = [codes[i] for i in first], [codes[j] for j in second]
    assert st.cohen_kappa(a, b) == pytest.approx(0.7964094, abs=5e-8)
    assert st.gwet_ac1(a, b, categories=3) == pytest.approx(0.8493305, abs=5e-8)


def test_fisher_exact_against_scipy() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    for yes1, n1, yes2, n2 in [(3, 10, 9, 10), (12, 30, 16, 24), (0, 5, 5, 5), (7, 7, 7, 7)]:
        table = [[yes1, n1 - yes1], [yes2, n2 - yes2]]
        expected = scipy_stats.fisher_exact(table).pvalue
        assert st.fisher_exact(yes1, n1, yes2, n2) == pytest.approx(expected, rel=1e-9)


def test_agreement_report_lists_single_marked_cases_and_rating_differences(
    mini: pa.Rubric,
) -> None:
    one = pa.from_wide(
        {
            "C1": {"S1.1": "y", "S1.2": "n", "S2.1": "n/a"},
            "C2": {"S1.1": "y", "S1.2": "y", "S2.1": "y"},
            "C3": {"S1.1": "y", "S1.2": "y", "S2.1": "y"},
        },
        mini,
    )
    two = pa.from_wide(
        {
            "C1": {"S1.1": "y", "S1.2": "y", "S2.1": "n/a"},
            "C2": {"S1.1": "y", "S1.2": "y", "S2.1": "y"},
            "C4": {"S1.1": "n", "S1.2": "n", "S2.1": "n"},
        },
        mini,
    )
    report = st.agreement_report(mini, one, two, ("ann", "bob"))
    assert (report.only_first, report.only_second) == (("C3",), ("C4",))
    assert report.pooled.cases == 6 and report.pooled.agreed == 5
    assert report.ratings_differ == ("S1",)
    assert dict((sid, (a, b)) for sid, a, b in report.ratings)["S2"] == (
        "Outstanding",
        "Outstanding",
    )
    assert repr(report) == (
        "<AgreementReport ann and bob: 3 key questions, 83% agreed, 1 of 3 ratings differ>"
    )
    records = report.to_records()
    assert [r["row"] for r in records] == ["question"] * 3 + ["pooled"] + ["rating"] * 3
    assert records[1]["disagreements"] == "C1: no / yes" and records[3]["disagreements"] is None
    assert records[3]["proportion"] == pytest.approx(5 / 6)
    s1 = next(r for r in records if r["id"] == "S1")
    assert s1["cases"] is None and s1["ratings_differ"] is True
    page = report._repr_html_()
    assert "marked by ann only (not compared): 1 cases" in page and "<th" in page
    pandas = pytest.importorskip("pandas")
    frame = report.to_frame()
    assert frame["cases"].dtype == "Int64" and frame["kappa"].dtype == "float64"
    assert list(frame["rating_first"].cat.categories) == list(mini.rating_scale.labels)
    assert pandas.isna(frame.loc[4, "cases"]) and frame.loc[0, "cases"] == 2
    polars = pytest.importorskip("polars")
    assert report.to_frame(backend="polars").schema["agreed"] == polars.Int64


def test_agreement_lists_disagreements(mini: pa.Rubric) -> None:
    one = pa.from_wide(
        {
            "C1": {"S1.1": "y", "S1.2": "n", "S2.1": "n/a"},
            "C2": {"S1.1": "y", "S1.2": "y", "S2.1": "y"},
        },
        mini,
    )
    two = pa.from_wide(
        {
            "C1": {"S1.1": "y", "S1.2": "y", "S2.1": "n/a"},
            "C2": {"S1.1": "y", "S1.2": "y", "S2.1": "n"},
        },
        mini,
    )
    rows = {r.question: r for r in st.agreement(one, two)}
    assert (rows["S1.1"].agreed, rows["S1.1"].cases, rows["S1.1"].kappa) == (2, 2, None)
    assert rows["S1.2"].disagreements == (("C1", "no", "yes"),)
    assert rows["S2.1"].disagreements == (("C2", "yes", "no"),)
    assert rows["S1.2"].percent == 50.0
    found = st.agreement(one, two)
    assert isinstance(found, tuple) and found == tuple(found) and len(found) == 3
    assert repr(found) == "<Agreements: 3 key questions, 67% of answers agreed>"
    assert repr(found[1]) == "<Agreement S1.2: agreed on 1 of 2 cases (50%); kappa 0.00, AC1 0.38>"
    records = found.to_records()
    assert records[1] == {
        "id": "S1.2",
        "cases": 2,
        "agreed": 1,
        "proportion": 0.5,
        "kappa": 0.0,
        "ac1": pytest.approx(5 / 13),  # (1/2 - 3/16) / (1 - 3/16)
        "disagreements": "C1: no / yes",
    }
    assert records[0]["kappa"] is None and records[0]["disagreements"] == ""
    assert found.to_dict()["questions"][2]["disagreements"] == [["C2", "yes", "no"]]
    assert found._repr_html_().count("<tr>") == 4
    pandas = pytest.importorskip("pandas")
    frame = found.to_frame()
    assert frame["agreed"].dtype == "Int64" and pandas.isna(frame.loc[0, "kappa"])
    polars = pytest.importorskip("polars")
    assert found.to_frame(backend="polars").schema["cases"] == polars.Int64


def test_cli_statistics_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from probation_audit.cli import main

    assert (
        main(["plan", "--rubric", "hmip-probation-2023", "--proportion", "0.45", "--max-n", "120"])
        == 0
    )
    out = capsys.readouterr().out
    assert (
        "If the weakest key question is truly 45% (Inadequate), an audit of 89 relevant cases or "
        "more (checked up to 120) gives that rating at least 80% of the time; 71 is the smallest "
        "that does, but some sizes in between fall short."
    ) in out
    double = tmp_path / "double.csv"
    double.write_text(
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,ann,yes,no,n/a\nC1,bob,yes,yes,n/a\nC2,ann,yes,yes,yes\nC2,bob,yes,yes,no\n",
        encoding="utf-8",
    )
    mini = str(DATA / "mini.toml")
    assert main(["agreement", str(double), "--rubric", mini]) == 0
    out = capsys.readouterr().out
    assert "agreement between ann and bob" in out
    assert "  S1.2        agreed on 1 of 2 cases (50%); kappa 0.00, AC1 0.38" in out
    assert "      C1: no (ann) / yes (bob)" in out
    assert "  all         agreed on 4 of 6 answers (67%); kappa 0.33, AC1 0.56" in out
    assert "  S1          differs: Requires improvement (ann), Outstanding (bob)" in out
    before, after = tmp_path / "q1.csv", tmp_path / "q2.csv"
    before.write_text(
        "case_id,S1.1,S1.2,S2.1\n"
        + "".join(f"C{i},{'yes' if i < 3 else 'no'},yes,yes\n" for i in range(10)),
        encoding="utf-8",
    )
    after.write_text(
        "case_id,S1.1,S1.2,S2.1\n"
        + "".join(f"C{i},{'yes' if i < 9 else 'no'},yes,yes\n" for i in range(10)),
        encoding="utf-8",
    )
    assert main(["compare", str(before), str(after), "--rubric", mini, "--rating", "J1=Good"]) == 0
    out = capsys.readouterr().out
    assert (
        "  S1.1        rose from 30% to 90% (3 of 10, then 9 of 10); a change this large would "
        "be unusual by chance (p = 0.02) *"
    ) in out
    assert "  * a change this large would be unusual by chance (Fisher's exact test" in out
    assert "  S1          Inadequate -> Outstanding (up 3 bands)" in out
    assert "  S2          Outstanding, unchanged" in out
    three = tmp_path / "three.csv"
    three.write_text(
        "case_id,auditor,S1.1,S1.2,S2.1\nC1,a,y,y,y\nC1,b,y,y,y\nC1,c,y,y,y\n", encoding="utf-8"
    )
    assert main(["agreement", str(three), "--rubric", mini]) == 1
    assert "expected exactly two auditors, found 3: a, b, c" in capsys.readouterr().err


def test_cli_score_with_analytics(capsys: pytest.CaptureFixture[str]) -> None:
    from probation_audit.cli import main

    args = ["score", "--rubric", "hmip-probation-2023", str(EXAMPLE_CASES)]
    args += [f"--rating={k}={v}" for k, v in JUDGED_2024.items()]
    assert (
        main(
            [*args, "--intervals", "--probabilities", "--resamples", "500", "--by", "sentence_type"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "    P2.1.3         9.0% to  26.0%" in out
    assert "uncertain ratings (the driving question's interval crosses a band edge): none" in out
    assert "  how sure (the rating if every case in the caseload were inspected):" in out
    assert "    P2.1     Inadequate — almost certain (at least 99 in 100)" in out
    assert (
        "  (method: Bayesian bootstrap of whole cases with 11 prior pseudo-cases (pooled: as many"
        " as the spread of the key questions supports), the cases' weights widened for a small"
        " audit, 500 resamples, seed 0; caseload size not given (--population), treated as"
        " unlimited)"
    ) in out
    assert "  sentence_type = licence: 25 cases" in out
    assert (
        main(
            [
                *args,
                "--intervals",
                "--probabilities",
                "--resamples",
                "500",
                "--by",
                "risk_level",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data["intervals"]) == set(pa.load_rubric("hmip-probation-2023").question_ids)
    assert data["uncertain"] == {"P2.1": False, "P2.2": False, "P2.3": False, "P2.4": False}
    assert data["probabilities"]["key"] == "bayesian-bootstrap"
    assert data["probabilities"]["headlines"]["P2.1"]["words"] == "almost certain"
    assert set(data["probabilities"]["ratings"]) == {"P2.1", "P2.2", "P2.3", "P2.4", "overall"}
    groups = {g["value"]: g for g in data["groups"]}
    assert (groups["high"]["cases"], groups["high"]["too_small"]) == (14, False)  # 14 >= 10
    assert groups["not high"]["cases"] == 56
    with pytest.raises(SystemExit) as info:
        main([*args, "--by", "sex"])
    assert info.value.code == 2
    assert (
        "no case attribute 'sex' (attributes: sentence_type, risk_level)" in capsys.readouterr().err
    )


def test_bootstrap_counts_equal_the_direct_gather() -> None:
    """The bincount-and-product tallies are the gathered sums of the same random draws."""
    rubric = pa.load_rubric("hmip-probation-2023")
    sample = pa.read_csv(EXAMPLE_CASES, rubric)
    ratings = {"P1.1": "Requires improvement", "P1.2": "Inadequate", "P1.3": "Requires improvement"}
    got = st.bootstrap_probabilities(rubric, sample, ratings, resamples=300, seed=11)
    rng = np.random.default_rng(11)
    picks = rng.integers(0, len(sample), size=(300, len(sample)))
    yes = (sample.codes == 1).astype(np.int64)[picks].sum(axis=1)
    relevant = (sample.codes != -1).astype(np.int64)[picks].sum(axis=1)
    bulk = pa.rate_many(rubric, yes, relevant, ratings)
    share = float(np.mean(bulk.overall == bulk.labels.index("Inadequate")))
    assert dict(got.of("overall"))["Inadequate"] == share


def test_cli_plan_answers_how_likely_an_audit_is_right(capsys: pytest.CaptureFixture[str]) -> None:
    from probation_audit.cli import main

    args = ["plan", "--rubric", "hmip-probation-2023", "--cases", "30", "--simulations", "500"]
    assert main([*args, "--from-audit", str(EXAMPLE_CASES)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"If the percentages {EXAMPLE_CASES} found are the unit's true figures")
    assert "  P2.1: an audit of 30 cases gives a unit its true rating (Inadequate) in " in out
    percents = ["--percent", "P2.1.1=70", "--percent", "P2.1.2=75", "--percent", "P2.1.3=72"]
    assert main([*args, *percents, "--population", "200", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (standard,) = data["standards"]
    assert (standard["standard"], standard["true_rating"]) == ("P2.1", "Good")
    assert 0.3 < standard["accuracy"] < 0.8
    for bad, message in [
        ([], "--cases needs the true percentages"),
        (["--percent", "P2.1.1=170"], "--percent expects QUESTION=PERCENT from 0 to 100"),
        ([*percents, "--population", "20"], "--population 20 is smaller than --cases 30"),
        (["--percent", "P2.1.1=70"], "give a percentage for every key question"),
    ]:
        with pytest.raises(SystemExit) as info:
            main([*args, *bad])
        assert info.value.code == 2
        assert message in capsys.readouterr().err


def test_confusion_tables_of_any_integer_codes() -> None:
    """Few codes are counted directly, others sorted: the same tables, even for codes near
    the ends of uint64 and int64."""
    big = np.array([2**63, 2**63, 2**63 + 1], dtype=np.uint64)
    assert st.cohen_kappa(big, big) == 1.0
    assert st.cohen_kappa([2**63, 2**63], [2**63, 2**63]) is None
    low = np.array([-(2**63), -(2**63) + 1, -(2**63)], dtype=np.int64)
    assert st.cohen_kappa(low, low[::-1]) == st.cohen_kappa([0, 1, 0], [0, 1, 0])
    rng = np.random.default_rng(5)
    for _ in range(50):
        a, b = rng.integers(-3, 4, 40), rng.integers(-3, 4, 40)
        spread = a * 1000, b * 1000  # a span too wide to count directly: sorted
        assert st.cohen_kappa(a, b) == st.cohen_kappa(*spread)
        assert st.gwet_ac1(a, b, 7) == st.gwet_ac1(*spread, 7)


def test_a_subset_of_every_case_drops_reading_notes_as_any_subset_does(tmp_path: Path) -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    path = tmp_path / "cases.csv"
    rows = [f"C1,{q},yes" for q in rubric.question_ids]
    path.write_text(
        "case_id,question_id,judgment\n" + "\n".join([*rows, rows[0]]) + "\n", encoding="utf-8"
    )
    sample = pa.read_judgments(path, rubric)
    assert sample.notes  # the repeated answer, counted once
    whole = sample.subset([0])
    assert whole.notes == () and whole.case_ids == sample.case_ids
    path.write_text("case_id,question_id,judgment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    clean = pa.read_judgments(path, rubric)
    assert not clean.notes and clean.subset([0]) is clean  # nothing to drop: itself


# -- planning from a caseload (drawn without replacement) ------------------------------------


def test_planning_from_a_caseload_is_hypergeometric_against_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    rubric = pa.load_rubric("hmip-probation-2023")
    cases: list[tuple[int, Fraction, int]] = [
        (60, Fraction(45, 100), 41),
        (37, Fraction(2, 3), 10),
        (12, Fraction(0), 5),
    ]
    for population, share, n in cases:
        yes = round_half_up(share * population)
        got = st.band_match_probability(rubric, share, n, population=population)
        truth = rubric.bands.index(rubric.rounding.apply(Fraction(100 * yes, population)))
        expected = sum(
            stats.hypergeom.pmf(k, population, yes, n)
            for k in range(n + 1)
            if rubric.bands.index(rubric.rounding.apply(Fraction(100 * k, n))) == truth
        )
        assert float(got) == pytest.approx(expected, abs=1e-12)


def test_a_45_percent_question_in_a_caseload_of_60_needs_41_cases() -> None:
    """Not the 89 an unlimited caseload needs: more than the caseload holds."""
    rubric = pa.load_rubric("hmip-probation-2023")
    unlimited = st.plan(rubric, "0.45")
    assert unlimited.stable_from == 89
    finite = st.plan(rubric, "0.45", population=60)
    assert (finite.stable_from, finite.caseload_yes, finite.caseload_relevant) == (41, 27, 60)
    assert finite.checked_to == 60 and finite.cases_for_stable == 41
    # On each side of the answer, exactly.
    goal = Fraction(4, 5)
    assert st.band_match_probability(rubric, Fraction(45, 100), 41, population=60) >= goal
    assert st.band_match_probability(rubric, Fraction(45, 100), 40, population=60) < goal
    # The whole caseload is a census: always right.
    assert st.band_match_probability(rubric, Fraction(45, 100), 60, population=60) == 1
    # A relevant share thins the caseload's relevant cases, and no plan passes the caseload.
    thin = st.plan(rubric, "0.45", population=60, relevant_share="0.5")
    assert thin.caseload_relevant == 30 and thin.checked_to == 30
    assert thin.cases_for_stable is not None and thin.cases_for_stable <= 60


def test_a_caseload_smaller_than_the_audit_is_refused() -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    with pytest.raises(ValueError, match="population must be a whole number from n"):
        st.band_match_probability(rubric, Fraction(1, 2), 10, population=9)
    with pytest.raises(ValueError, match="population must be a whole number from 1"):
        st.plan(rubric, "0.5", population=0)


def test_plan_takes_the_caseload_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from probation_audit.cli import main

    argv = ["plan", "--rubric", "hmip-probation-2023", "--proportion", "0.45"]
    assert main([*argv, "--population", "60"]) == 0
    out = capsys.readouterr().out
    assert "in a caseload of 60 (27 'yes' of 60 relevant), an audit of 41 relevant cases" in out


def test_plan_to_3000_cases_is_quick_and_agrees_with_the_exact_sums(rubric: pa.Rubric) -> None:
    import time
    from fractions import Fraction

    from probation_audit import statistics as st

    start = time.perf_counter()
    plan = st.plan(rubric, "0.45", max_n=3000)
    elapsed = time.perf_counter() - start
    assert (plan.first, plan.stable_from, plan.checked_to) == (71, 89, 3000)
    assert elapsed < 10  # generous: about 0.1 s here; the exact sums took minutes
    for p in (Fraction(45, 100), Fraction(1, 2), Fraction(79, 100), Fraction(0), Fraction(1)):
        approximate, _ = st._match_probabilities(rubric, p, 60)
        for n in (1, 2, 7, 33, 60):
            assert abs(approximate[n - 1] - float(st.band_match_probability(rubric, p, n))) < 1e-12
    with pytest.raises(ValueError, match="max_n must be a whole number from 1 to 100000"):
        st.plan(rubric, "0.45", max_n=0)


def test_groups_come_out_sorted_whatever_the_row_order(mini: pa.Rubric) -> None:
    from probation_audit import statistics as st

    records = [
        {"case_id": c, "question_id": q, "judgment": "yes", "team": team}
        for c, team in (("C1", "south"), ("C2", "north"), ("C3", "east"))
        for q in mini.question_ids
    ]
    forward = st.by_attribute(mini, records, "team")
    backward = st.by_attribute(mini, list(reversed(records)), "team")
    assert [g.value for g in forward] == ["east", "north", "south"]
    assert [g.value for g in backward] == ["east", "north", "south"]


def test_statistics_refuse_a_rubric_id(rubric: pa.Rubric) -> None:
    from probation_audit import statistics as st

    result = pa.score_tally(rubric, {q: (1, 2) for q in rubric.question_ids})
    for call in (
        lambda: st.plan("hmip-probation-2023", "0.45"),  # type: ignore[arg-type]
        lambda: st.uncertain_standards("hmip-probation-2023", result),  # type: ignore[arg-type]
        lambda: st.exact_probabilities("hmip-probation-2023", result),  # type: ignore[arg-type]
        lambda: st.by_attribute("hmip-probation-2023", [], "team"),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match="load it with load_rubric"):
            call()


def test_plan_at_the_edges_of_the_unit_interval(rubric: pa.Rubric) -> None:
    import time

    from probation_audit import statistics as st

    tiny = st.plan(rubric, "1e-400", max_n=50)
    assert tiny.band == "Inadequate" and tiny.first == 1
    nearly = st.plan(rubric, "0.99999999999999999999", max_n=50)
    assert nearly.band == "Outstanding" and nearly.first is not None
    start = time.perf_counter()
    sure = st.plan(rubric, "0.57", target=1, max_n=3000)
    assert time.perf_counter() - start < 10
    assert (sure.first, sure.stable_from) == (None, None)
    assert st.plan(rubric, "1", target=1, max_n=5).first == 1


def test_the_footnote_says_whether_anything_is_marked() -> None:
    calm = QuestionChange("Q", (5, 10), (6, 10), 0.1, -0.3, 0.5, 1.0)
    sharp = QuestionChange("Q", (1, 20), (18, 20), 0.85, 0.6, 0.95, 0.0001)
    assert significance_note([calm]).startswith("No change here is large enough")
    assert significance_note([calm, sharp]).startswith("* a change this large")


def _blank_audit(tmp_path: Path, name: str, blanks: int) -> Path:
    """The SYNTHETIC unit audit's first quarter with its first ``blanks`` P2.1.3 answers left
    blank."""
    rows = (ROOT / "examples" / "unit-audit" / "q1.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    column = header.index("P2.1.3")
    out = [rows[0]]
    for k, line in enumerate(rows[1:]):
        cells = line.split(",")
        if k < blanks:
            cells[column] = ""
        out.append(",".join(cells))
    path = tmp_path / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_comparison_names_the_rubric_and_both_audits_notes(tmp_path: Path) -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    before = pa.score(rubric, _blank_audit(tmp_path, "q1.csv", 2), missing="not-relevant")
    after = pa.score(rubric, _blank_audit(tmp_path, "q2.csv", 0), missing="not-relevant")
    found = st.compare(before, after)
    assert (found.rubric_file, found.rubric_fingerprint) == (
        "hmip-probation-2023.toml (bundled)",
        before.rubric_fingerprint,
    )
    assert found.notes == tuple(f"before: {note}" for note in before.notes)
    assert len(found.notes) == 1 and "2 blank answers" in found.notes[0]
    changes, changed = found  # still unpacks as in 0.1
    assert changes == found.questions and changed == found.changed


def test_results_of_one_id_but_other_rules_are_not_compared(tmp_path: Path) -> None:
    bundled = (ROOT / "rubrics" / "hmip-probation-2023.toml").read_text(encoding="utf-8")
    copy = tmp_path / "SYNTHETIC-copy.toml"
    copy.write_text(
        bundled.replace(
            '{ from = 0, to = 50, rating = "Inadequate"',
            '{ from = 0, to = 40, rating = "Inadequate"',
        ).replace("{ from = 50, to = 65", "{ from = 40, to = 65"),
        encoding="utf-8",
    )
    audit = ROOT / "examples" / "unit-audit" / "q1.csv"
    one = pa.score(pa.load_rubric("hmip-probation-2023"), audit)
    other = pa.score(pa.load_rubric(copy), audit)
    assert one.rubric == other.rubric and one.rubric_fingerprint != other.rubric_fingerprint
    with pytest.raises(ValueError, match="but different rules") as caught:
        st.compare(one, other)
    assert str(caught.value) == (
        "the audits use rubrics with the id 'hmip-probation-2023' but different rules "
        f"(fingerprints {', '.join(sorted([one.rubric_fingerprint, other.rubric_fingerprint]))}"  # type: ignore[list-item]
        "): rate them by one rubric file"
    )


def test_an_agreement_report_names_the_rubric_and_each_markings_notes(tmp_path: Path) -> None:
    rubric = pa.load_rubric("hmip-probation-2023")
    first = pa.read_judgments(_blank_audit(tmp_path, "a.csv", 3), rubric, missing="not-relevant")
    second = pa.read_judgments(_blank_audit(tmp_path, "b.csv", 0), rubric)
    report = st.agreement_report(rubric, first, second, auditors=("AB", "CD"))
    assert report.rubric_file == "hmip-probation-2023.toml (bundled)"
    assert report.notes == tuple(f"AB: {note}" for note in first.notes)
    assert len(report.notes) == 1 and "3 blank answers" in report.notes[0]
