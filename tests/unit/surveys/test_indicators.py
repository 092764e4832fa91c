"""Indicator maths: Wilson intervals, denominator rules, suppression, targets, trends and breakdowns."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.definition import Direction, Indicator, PeriodValue, load_all
from surveys.indicators import (
    MIN_N,
    SUPPRESSED,
    Breakdown,
    BreakdownRow,
    Response,
    binomial_quantile_limit,
    breakdown,
    breakdown_from_counts,
    compute_from_counts,
    compute_indicator,
    financial_year,
    funnel_limits,
    funnel_verdict,
    parse_period,
    period_of,
    trend,
    trend_from_counts,
    wilson_interval,
)

SURVEYS = load_all()
HELPFUL_03 = SURVEYS["signposting"].indicator("0.3")
VERY_HELPFUL_12 = SURVEYS["signposting"].indicator("1.2")
EASY_01 = SURVEYS["signposting"].indicator("0.1")
COLUMNS = ("positive", "negative", "n", "excluded", "blank")


def rated(positive: int, negative: int) -> dict[str | None, int]:
    """Counts for indicator 0.3 with the given numbers of helpful and unhelpful answers."""
    return {"very_helpful": positive, "very_unhelpful": negative}


def responses(code: str | None, count: int, **fields: object) -> list[Response]:
    return [Response(answer=code, **fields) for _ in range(count)]  # type: ignore[arg-type]


# --- Wilson score interval -----------------------------------------------------------------------------

WORKED = [(37, 50, 74.0, 60.4, 84.1), (9, 10, 90.0, 59.6, 98.2), (0, 12, 0.0, 0.0, 24.2), (412, 560, 73.6, 69.8, 77.1)]


@pytest.mark.parametrize(("positive", "n", "percent", "low", "high"), WORKED)
def test_wilson_matches_the_worked_values(positive: int, n: int, percent: float, low: float, high: float) -> None:
    lower, upper = wilson_interval(positive, n)
    assert (round(100 * lower, 1), round(100 * upper, 1)) == (low, high)


@pytest.mark.parametrize(("positive", "n", "percent", "low", "high"), WORKED)
def test_results_carry_the_worked_values(positive: int, n: int, percent: float, low: float, high: float) -> None:
    result = compute_from_counts(HELPFUL_03, rated(positive, n - positive))
    assert (result.percent, result.ci_low, result.ci_high) == (percent, low, high)


def test_wilson_refuses_an_empty_sample() -> None:
    with pytest.raises(ValueError, match="n >= 1"):
        wilson_interval(0, 0)


@pytest.mark.parametrize(("positive", "n", "z"), [(11, 10, 1.96), (-1, 10, 1.96), (5, 10, 0.0)])
def test_wilson_refuses_impossible_input(positive: int, n: int, z: float) -> None:
    with pytest.raises(ValueError):
        wilson_interval(positive, n, z)


def test_wilson_gives_an_interval_when_everyone_is_positive() -> None:
    lower, upper = wilson_interval(12, 12)
    assert upper == 1.0
    assert round(100 * lower, 1) == 75.8  # mirror image of 0 / 12


def test_a_larger_z_widens_the_interval() -> None:
    low95, high95 = wilson_interval(37, 50)
    low99, high99 = wilson_interval(37, 50, z=2.575829)
    assert low99 < low95 and high99 > high95


@settings(database=None)  # write nothing into the working tree
@given(st.integers(min_value=1, max_value=5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_estimate_and_is_symmetric(sample: tuple[int, int]) -> None:
    positive, n = sample
    lower, upper = wilson_interval(positive, n)
    assert 0.0 <= lower <= positive / n <= upper <= 1.0
    mirror_lower, mirror_upper = wilson_interval(n - positive, n)
    assert lower == pytest.approx(1 - mirror_upper, abs=1e-12)
    assert upper == pytest.approx(1 - mirror_lower, abs=1e-12)


# --- Denominator rules ---------------------------------------------------------------------------------


def test_not_contacted_and_blank_are_counted_but_left_out_of_the_denominator() -> None:
    counts = {
        "very_helpful": 20,
        "quite_helpful": 10,
        "quite_unhelpful": 6,
        "very_unhelpful": 4,
        "not_contacted": 25,
        None: 3,
        "": 2,
    }
    result = compute_from_counts(HELPFUL_03, counts)
    assert (result.positive, result.negative, result.n) == (30, 10, 40)
    assert (result.excluded, result.blank) == (25, 5)
    assert result.percent == 75.0
    assert result.counts == {
        "very_helpful": 20,
        "quite_helpful": 10,
        "quite_unhelpful": 6,
        "very_unhelpful": 4,
        "not_contacted": 25,
    }


def test_every_answer_code_is_reported_even_when_nobody_chose_it() -> None:
    result = compute_from_counts(HELPFUL_03, {"very_helpful": 12})
    assert result.counts["very_unhelpful"] == 0
    assert result.percent == 100.0


def test_responses_and_counts_give_the_same_result() -> None:
    mix = ["very_helpful"] * 7 + ["quite_helpful"] * 5 + ["very_unhelpful"] * 4 + ["not_contacted"] * 3 + [None] * 2
    from_responses = compute_indicator(HELPFUL_03, [Response(answer=code) for code in mix])
    assert from_responses == compute_from_counts(HELPFUL_03, Counter(mix))
    assert (from_responses.positive, from_responses.n, from_responses.excluded, from_responses.blank) == (12, 16, 3, 2)


def test_indicator_1_2_counts_only_voluntary_organisations_and_only_very_helpful() -> None:
    data = [
        *responses("very_helpful", 6, organisation_type="voluntary"),
        *responses("quite_helpful", 5, organisation_type="voluntary"),
        *responses("quite_unhelpful", 1, organisation_type="voluntary"),
        *responses("not_contacted", 4, organisation_type="voluntary"),
        *responses("very_helpful", 50, organisation_type="statutory"),
        *responses("very_helpful", 50, organisation_type="private"),
        *responses("very_helpful", 50),  # organisation type not recorded
    ]
    result = compute_indicator(VERY_HELPFUL_12, data)
    assert (result.positive, result.negative, result.n, result.excluded) == (6, 6, 12, 4)
    assert result.percent == 50.0
    # The same responses under 0.3: every organisation type, and quite helpful counts as positive.
    assert compute_indicator(HELPFUL_03, data).positive == 161


def test_restriction_matches_string_enums() -> None:
    class OrganisationType(StrEnum):
        VOLUNTARY = "voluntary"

    data = responses("very_helpful", 10, organisation_type=OrganisationType.VOLUNTARY)
    assert compute_indicator(VERY_HELPFUL_12, data).n == 10


def test_responses_may_be_mappings_objects_or_carry_all_answers() -> None:
    class Row:
        answer = "very_helpful"
        organisation_type = "voluntary"

    data: list[object] = [
        {"answer": "very_helpful", "organisation_type": "voluntary"},
        Row(),
        {
            "answers": {"helpfulness": "quite_helpful", "information_ease": "very_easy"},
            "organisation_type": "voluntary",
        },
        Response(answers={"helpfulness": "not_contacted", "information_ease": "never_tried"}),
    ]
    result = compute_indicator(HELPFUL_03, data)
    assert (result.positive, result.excluded) == (3, 1)
    # Responses carrying every answer serve each indicator from the right question.
    easy = compute_indicator(EASY_01, data[2:])
    assert (easy.positive, easy.excluded) == (1, 1)
    # A plain "answer" is taken to be for the indicator's question, so mixing surveys is caught.
    with pytest.raises(ValueError, match="not answers to question 'information_ease'"):
        compute_indicator(EASY_01, data)


def test_an_answer_code_from_another_question_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(ValueError, match="not answers to question 'helpfulness'"):
        compute_from_counts(HELPFUL_03, {"very_helpful": 10, "very_easy": 1})


def test_unknown_codes_with_no_responses_are_harmless() -> None:
    assert compute_from_counts(HELPFUL_03, {"very_helpful": 10, "retired_code": 0}).n == 10


@pytest.mark.parametrize("count", [-1, 1.5, True, "3"])
def test_counts_must_be_whole_numbers(count: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        compute_from_counts(HELPFUL_03, {"very_helpful": count})  # type: ignore[dict-item]


def test_compute_indicator_reads_its_input_once() -> None:
    def once() -> Iterator[Response]:
        yield from responses("very_helpful", 8, organisation_type="voluntary")
        yield from responses("very_unhelpful", 4, organisation_type="voluntary")

    assert compute_indicator(HELPFUL_03, once()).n == 12


# --- Suppression of small samples ----------------------------------------------------------------------


def test_nine_answers_are_suppressed() -> None:
    result = compute_from_counts(HELPFUL_03, {"very_helpful": 5, "very_unhelpful": 4, "not_contacted": 30}, "2023-24")
    assert result.n == 9 == MIN_N - 1
    assert result.suppressed
    assert (result.percent, result.ci_low, result.ci_high, result.met_target) == (None, None, None, None)
    assert result.target == PeriodValue("2023-24", 62.0)  # the target itself is not sensitive


def test_ten_answers_are_shown() -> None:
    result = compute_from_counts(HELPFUL_03, {"very_helpful": 9, "very_unhelpful": 1}, "2023-24")
    assert result.n == 10
    assert not result.suppressed
    assert (result.percent, result.ci_low, result.ci_high, result.met_target) == (90.0, 59.6, 98.2, True)


def test_no_answers_at_all_is_suppressed_without_error() -> None:
    result = compute_from_counts(HELPFUL_03, {})
    assert (result.n, result.suppressed, result.percent) == (0, True, None)


def test_the_threshold_can_be_configured() -> None:
    assert not compute_from_counts(HELPFUL_03, rated(3, 2), min_n=5).suppressed
    assert compute_from_counts(HELPFUL_03, rated(30, 19), min_n=50).suppressed
    with pytest.raises(ValueError):
        compute_from_counts(HELPFUL_03, rated(3, 2), min_n=0)


# --- Targets and baselines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "positive", "target", "met"),
    [
        ("2021-22", 30, 60.0, True),  # exactly on target
        ("2022-23", 29, 60.0, False),  # 58.0%
        ("2023-24", 31, 62.0, True),
        ("2023-24", 30, 62.0, False),  # 60% met 2022-23's target but not 2023-24's
        ("2023-24 Q3", 31, 62.0, True),  # a quarter is judged against its financial year's target
        ("2023-11", 30, 62.0, False),  # and so is a month
    ],
)
def test_targets_are_looked_up_by_financial_year(period: str, positive: int, target: float, met: bool) -> None:
    result = compute_from_counts(HELPFUL_03, rated(positive, 50 - positive), period)
    assert result.target is not None and result.target.value == target
    assert result.met_target is met
    assert result.period == period
    assert result.baseline == PeriodValue("2019-20", 58.1)


@pytest.mark.parametrize("period", [None, "2024-25", "2019-20"])
def test_no_target_means_no_verdict(period: str | None) -> None:
    result = compute_from_counts(HELPFUL_03, rated(40, 10), period)
    assert (result.target, result.met_target) == (None, None)
    assert result.percent == 80.0


def test_the_verdict_agrees_with_the_rounded_figure_shown() -> None:
    shown_as_62 = compute_from_counts(HELPFUL_03, rated(6195, 3805), "2023-24")  # 61.95% → "62.0%"
    assert (shown_as_62.percent, shown_as_62.met_target) == (62.0, True)
    shown_as_619 = compute_from_counts(HELPFUL_03, rated(6194, 3806), "2023-24")  # 61.94% → "61.9%"
    assert (shown_as_619.percent, shown_as_619.met_target) == (61.9, False)


def test_lower_is_better_targets() -> None:
    complaints = Indicator(
        id="9.9",
        name="Complaints",
        survey_id="test",
        question="q",
        positive=("yes",),
        negative=("no",),
        targets=(PeriodValue("2025-26", 10.0),),
        direction=Direction.LOWER_IS_BETTER,
    )
    assert compute_from_counts(complaints, {"yes": 1, "no": 9}, "2025-26").met_target is True
    assert compute_from_counts(complaints, {"yes": 2, "no": 8}, "2025-26").met_target is False


def test_indicators_without_baseline_or_targets() -> None:
    result = compute_from_counts(EASY_01, {"very_easy": 8, "very_difficult": 2, "never_tried": 5}, "2025-26")
    assert (result.baseline, result.target, result.met_target, result.percent) == (None, None, None, 80.0)
    assert result.excluded == 5


def test_a_period_filters_responses_by_date() -> None:
    data = [
        *responses("very_helpful", 10, submitted_on=date(2024, 3, 31)),  # 2023-24
        *responses("very_unhelpful", 10, submitted_on=date(2024, 4, 1)),  # 2024-25
        *responses("very_unhelpful", 10),  # no date: only counted when no period is asked for
    ]
    in_2023 = compute_indicator(HELPFUL_03, data, "2023-24")
    assert (in_2023.n, in_2023.percent, in_2023.met_target) == (10, 100.0, True)
    assert compute_indicator(HELPFUL_03, data, "2024-25").percent == 0.0
    assert compute_indicator(HELPFUL_03, data).n == 30
    assert compute_indicator(HELPFUL_03, data, "2024-25 Q1").n == 10
    assert compute_indicator(HELPFUL_03, data, "2024-03").n == 10


# --- Periods -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 3, 31), "2025-26"),
        (date(2026, 4, 1), "2026-27"),
        (date(2025, 12, 31), "2025-26"),
        (date(2026, 1, 1), "2025-26"),
        (date(2000, 1, 1), "1999-00"),
        (date(2009, 4, 1), "2009-10"),
    ],
)
def test_financial_year(day: date, year: str) -> None:
    assert financial_year(day) == year


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(4, "2025-26 Q1"), (6, "2025-26 Q1"), (7, "2025-26 Q2"), (9, "2025-26 Q2"), (10, "2025-26 Q3")]
    + [(12, "2025-26 Q3")],
)
def test_quarters_start_in_april(month: int, quarter: str) -> None:
    assert period_of(date(2025, month, 15), "quarter").label == quarter


@pytest.mark.parametrize(("month", "quarter"), [(1, "2025-26 Q4"), (3, "2025-26 Q4")])
def test_january_to_march_is_the_last_quarter_of_the_previous_year(month: int, quarter: str) -> None:
    assert period_of(date(2026, month, 15), "quarter").label == quarter


def test_periods_have_exact_bounds() -> None:
    q4 = period_of(date(2026, 2, 1), "quarter")
    assert (q4.start, q4.end, q4.financial_year) == (date(2026, 1, 1), date(2026, 4, 1), "2025-26")
    year = period_of(date(2026, 2, 1), "year")
    assert (year.start, year.end) == (date(2025, 4, 1), date(2026, 4, 1))
    december = period_of(date(2025, 12, 25), "month")
    assert (december.label, december.end, december.financial_year) == ("2025-12", date(2026, 1, 1), "2025-26")
    assert date(2026, 3, 31) in q4 and date(2026, 4, 1) not in q4


@pytest.mark.parametrize("label", ["2025-26", "2025-26 Q1", "2025-26 Q4", "2025-04", "2026-03", "2011-12"])
def test_period_labels_round_trip(label: str) -> None:
    assert parse_period(label).label == label


def test_a_label_that_is_a_financial_year_is_never_read_as_a_month() -> None:
    assert parse_period("2011-12").kind == "year"


@pytest.mark.parametrize("label", ["2025-27", "2025-26 Q5", "2025-13", "2025/26", "Q1 2025-26", ""])
def test_bad_period_labels_are_refused(label: str) -> None:
    with pytest.raises(ValueError, match="not a period label"):
        parse_period(label)


def test_period_kind_is_checked() -> None:
    with pytest.raises(ValueError, match="by must be one of"):
        period_of(date(2025, 1, 1), "week")  # type: ignore[arg-type]


def test_timestamps_are_read_in_uk_time() -> None:
    # 23:30 UTC on 31 March 2025 is 00:30 BST on 1 April: the new financial year.
    late = datetime(2025, 3, 31, 23, 30, tzinfo=UTC)
    assert period_of(late, "quarter").label == "2025-26 Q1"
    assert financial_year(late) == "2025-26"
    assert period_of(datetime(2025, 3, 31, 23, 30), "quarter").label == "2024-25 Q4"  # naive: taken as local
    # In winter UK time is UTC.
    assert period_of(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), "month").label == "2025-12"


def test_dates_must_be_dates() -> None:
    with pytest.raises(TypeError, match="must be a date"):
        compute_indicator(HELPFUL_03, [Response("very_helpful", submitted_on="2025-04-01")], "2025-26")  # type: ignore[arg-type]


# --- Trends --------------------------------------------------------------------------------------------


def test_trend_splits_31_march_from_1_april() -> None:
    data = [
        *responses("very_helpful", 10, submitted_on=date(2025, 3, 31)),
        *responses("very_unhelpful", 10, submitted_on=date(2025, 4, 1)),
    ]
    by_quarter = trend(HELPFUL_03, data, by="quarter")
    assert [(label, result.percent) for label, result in by_quarter] == [("2024-25 Q4", 100.0), ("2025-26 Q1", 0.0)]
    by_year = trend(HELPFUL_03, data, by="year")
    assert [(label, result.n) for label, result in by_year] == [("2024-25", 10), ("2025-26", 10)]
    by_month = trend(HELPFUL_03, data, by="month")
    assert [label for label, _ in by_month] == ["2025-03", "2025-04"]


def test_trend_fills_empty_periods_and_uses_each_years_target() -> None:
    data = [
        *responses("very_helpful", 12, submitted_on=date(2022, 12, 1)),  # 2022-23 Q3
        *responses("very_helpful", 3, submitted_on=date(2023, 8, 1)),  # 2023-24 Q2
        *responses("quite_unhelpful", 2, submitted_on=date(2023, 8, 2)),
    ]
    results = trend(HELPFUL_03, data, by="quarter")
    assert [label for label, _ in results] == ["2022-23 Q3", "2022-23 Q4", "2023-24 Q1", "2023-24 Q2"]
    first, empty, _, small = (result for _, result in results)
    assert (first.percent, first.target, first.met_target) == (100.0, PeriodValue("2022-23", 60.0), True)
    assert (empty.n, empty.suppressed, empty.percent) == (0, True, None)
    assert (small.n, small.suppressed, small.target) == (5, True, PeriodValue("2023-24", 62.0))
    assert all(result.period == label for label, result in results)


def test_trend_is_sorted_whatever_the_input_order() -> None:
    data = [
        *responses("very_helpful", 1, submitted_on=date(2026, 2, 1)),
        *responses("very_helpful", 1, submitted_on=date(2024, 5, 1)),
    ]
    assert [label for label, _ in trend(HELPFUL_03, data, by="year")] == ["2024-25", "2025-26"]


def test_trend_leaves_out_undated_and_restricted_responses() -> None:
    data = [
        *responses("very_helpful", 10, submitted_on=date(2025, 5, 1), organisation_type="voluntary"),
        *responses("very_helpful", 10, organisation_type="voluntary"),
        *responses("very_helpful", 10, submitted_on=date(2025, 5, 1), organisation_type="statutory"),
    ]
    [(label, result)] = trend(VERY_HELPFUL_12, data, by="year")
    assert (label, result.n) == ("2025-26", 10)


def test_trend_from_counts_accepts_daily_or_monthly_sql_groups() -> None:
    data = [
        *responses("very_helpful", 7, submitted_on=date(2025, 4, 30)),
        *responses("very_unhelpful", 5, submitted_on=date(2025, 5, 1)),
        *responses("not_contacted", 2, submitted_on=date(2025, 6, 30)),
    ]
    daily = {
        date(2025, 4, 30): {"very_helpful": 7},
        date(2025, 5, 1): {"very_unhelpful": 5},
        date(2025, 6, 30): {"not_contacted": 2},
    }
    assert trend_from_counts(HELPFUL_03, daily, "quarter") == trend(HELPFUL_03, data, "quarter")
    [(_, quarter)] = trend_from_counts(HELPFUL_03, daily, "quarter")
    assert (quarter.positive, quarter.negative, quarter.excluded) == (7, 5, 2)


def test_trend_of_nothing_is_empty_and_kind_is_checked() -> None:
    assert trend(HELPFUL_03, [], by="month") == []
    with pytest.raises(ValueError, match="by must be one of"):
        trend(HELPFUL_03, [], by="week")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="by must be one of"):
        trend_from_counts(HELPFUL_03, {}, by="day")  # type: ignore[arg-type]


def test_monthly_trend_runs_across_the_calendar_year() -> None:
    data = [
        *responses("very_helpful", 1, submitted_on=date(2025, 11, 3)),
        *responses("very_helpful", 1, submitted_on=date(2026, 2, 3)),
    ]
    labels = [label for label, _ in trend(HELPFUL_03, data, by="month")]
    assert labels == ["2025-11", "2025-12", "2026-01", "2026-02"]


# --- Breakdowns ----------------------------------------------------------------------------------------


def cells(row: BreakdownRow) -> list[str]:
    return [getattr(row, column).display for column in COLUMNS]


def test_breakdown_rows_are_sorted_with_not_recorded_last_and_a_total() -> None:
    data = [
        *responses("very_helpful", 20, district="Watford"),
        *responses("very_unhelpful", 10, district="Watford"),
        *responses("quite_helpful", 15, district="Dacorum"),
        *responses("quite_unhelpful", 5, district="Dacorum"),
        *responses("not_contacted", 6, district="Dacorum"),
        *responses("very_helpful", 12),
        *responses("very_unhelpful", 6),
    ]
    table = breakdown(HELPFUL_03, data, "district")
    assert isinstance(table, Breakdown)
    assert [row.group for row in table.rows] == ["Dacorum", "Watford", None]
    assert cells(table.rows[0]) == ["15", "5", "20", "6", "0"]
    assert table.rows[0].percent == 75.0 and not table.rows[0].suppressed
    assert cells(table.total) == ["47", "21", "68", "6", "0"]
    overall = compute_indicator(HELPFUL_03, data)
    assert (table.total.percent, table.total.ci_low, table.total.ci_high) == (
        overall.percent,
        overall.ci_low,
        overall.ci_high,
    )


def test_counts_of_1_to_4_are_hidden_and_0_and_5_are_shown() -> None:
    table = breakdown_from_counts(
        HELPFUL_03,
        {
            "A": {"very_helpful": 40, "very_unhelpful": 20, "not_contacted": 4, None: 5},
            "B": {"very_helpful": 30, "very_unhelpful": 20, "not_contacted": 1, None: 0},
            "C": {"very_helpful": 30, "very_unhelpful": 25, "not_contacted": 9, None: 7},
        },
        "district",
    )
    a, b, c = table.rows
    assert a.excluded.value is None and a.excluded.suppressed and a.excluded.display == SUPPRESSED
    assert b.excluded.display == SUPPRESSED
    assert b.blank.display == "0" and not b.blank.suppressed
    assert a.blank.display == "5"
    # Two hidden cells in the excluded column already protect each other; the total stays visible.
    assert c.excluded.display == "9"
    assert table.total.excluded.display == "14"
    # None of the small cells touch the % (positive, negative and n are all large).
    assert [row.percent for row in table.rows] == [66.7, 60.0, 54.5]


def test_secondary_suppression_across_a_row() -> None:
    # 3 helpful out of 23: showing 20 unhelpful and n = 23 would give the 3 back.
    table = breakdown_from_counts(
        HELPFUL_03,
        {"A": {"very_helpful": 3, "very_unhelpful": 20}, "B": {"very_helpful": 30, "very_unhelpful": 30}},
        "district",
    )
    a = table.rows[0]
    assert (a.positive.suppressed, a.negative.suppressed, a.n.display) == (True, True, "23")
    assert (a.percent, a.ci_low, a.reason) == (None, None, "small_counts")  # 13.0% × 23 would give 3 back


def test_secondary_suppression_down_a_column() -> None:
    table = breakdown_from_counts(
        HELPFUL_03,
        {
            "A": {"very_helpful": 20, "very_unhelpful": 20, "not_contacted": 2},
            "B": {"very_helpful": 20, "very_unhelpful": 20, "not_contacted": 7},
            "C": {"very_helpful": 20, "very_unhelpful": 20, "not_contacted": 12},
        },
        "district",
    )
    assert [row.excluded.display for row in table.rows] == [SUPPRESSED, SUPPRESSED, "12"]  # the next smallest
    assert table.total.excluded.display == "21"
    assert all(row.percent == 50.0 for row in table.rows)


def test_a_zero_is_only_hidden_when_nothing_else_can_be() -> None:
    table = breakdown_from_counts(
        HELPFUL_03,
        {"A": {"very_helpful": 20, None: 3}, "B": {"very_helpful": 20}, "C": {"very_helpful": 20, None: 8}},
        "district",
    )
    assert [row.blank.display for row in table.rows] == [SUPPRESSED, "0", SUPPRESSED]


def test_a_single_group_hides_its_total_too() -> None:
    table = breakdown_from_counts(HELPFUL_03, {"Watford": {"very_helpful": 30, "not_contacted": 6}}, "district")
    assert table.rows[0].excluded.display == "6"
    table = breakdown_from_counts(HELPFUL_03, {"Watford": {"very_helpful": 30, "not_contacted": 2}}, "district")
    assert table.rows[0].excluded.display == SUPPRESSED
    assert table.total.excluded.display == SUPPRESSED


def test_secondary_suppression_prefers_cells_that_do_not_cascade() -> None:
    # A's 3 hides A's negative (row) and forces one more hidden cell in each column. Hiding B's positive and
    # negative keeps C fully visible, although C's negative (12) is smaller than B's (15).
    table = breakdown_from_counts(
        HELPFUL_03,
        {
            "A": {"very_helpful": 3, "quite_unhelpful": 20},
            "B": {"quite_helpful": 15, "very_unhelpful": 15},
            "C": {"very_helpful": 30, "very_unhelpful": 12},
        },
        "district",
    )
    a, b, c = table.rows
    assert cells(a)[:3] == [SUPPRESSED, SUPPRESSED, "23"]
    assert cells(b)[:3] == [SUPPRESSED, SUPPRESSED, "30"]
    assert cells(c)[:3] == ["30", "12", "42"]
    assert (c.percent, c.ci_low, c.ci_high) == (71.4, 56.4, 82.8)
    assert cells(table.total)[:3] == ["48", "47", "95"]


def test_small_groups_hide_the_percentage_for_small_n() -> None:
    table = breakdown_from_counts(
        HELPFUL_03,
        {"A": {"very_helpful": 5, "very_unhelpful": 0}, "B": {"very_helpful": 50, "very_unhelpful": 50}},
        "district",
    )
    a = table.rows[0]
    assert cells(a)[:3] == ["5", "0", "5"]
    assert (a.suppressed, a.reason, a.percent) == (True, "small_n", None)


def test_groups_with_no_responses_can_be_listed() -> None:
    data = responses("very_helpful", 12, district="Stevenage")
    table = breakdown(HELPFUL_03, data, "district", groups=["Broxbourne", "Stevenage", "Watford"])
    assert [(row.group, row.n.display) for row in table.rows] == [
        ("Broxbourne", "0"),
        ("Stevenage", "12"),
        ("Watford", "0"),
    ]


def test_breakdown_applies_the_indicator_restriction_and_period() -> None:
    data = [
        *responses("very_helpful", 12, organisation_type="voluntary", channel="phone", submitted_on=date(2025, 5, 1)),
        *responses("very_helpful", 12, organisation_type="statutory", channel="phone", submitted_on=date(2025, 5, 1)),
        *responses("very_helpful", 12, organisation_type="voluntary", channel="web", submitted_on=date(2024, 5, 1)),
    ]
    by_type = breakdown(VERY_HELPFUL_12, data, "organisation_type")
    assert [row.group for row in by_type.rows] == ["voluntary"]
    this_year = breakdown(VERY_HELPFUL_12, data, "channel", period="2025-26")
    assert this_year.period == "2025-26"
    assert [(row.group, row.n.value) for row in this_year.rows] == [("phone", 12)]


@pytest.mark.parametrize("by", ["need_category", "channel", "district", "organisation_type"])
def test_every_breakdown_field_is_supported(by: str) -> None:
    data = [Response("very_helpful", **{by: "x"}), Response("very_unhelpful", **{by: "y"})]  # type: ignore[arg-type]
    assert [row.group for row in breakdown(HELPFUL_03, data, by).rows] == ["x", "y"]  # type: ignore[arg-type]


def test_breakdown_field_is_checked() -> None:
    with pytest.raises(ValueError, match="by must be one of"):
        breakdown(HELPFUL_03, [], "postcode")  # type: ignore[arg-type]


def test_an_empty_breakdown_has_a_zero_total() -> None:
    table = breakdown(HELPFUL_03, [], "district")
    assert table.rows == ()
    assert cells(table.total) == ["0", "0", "0", "0", "0"]
    assert table.total.reason == "small_n"


small_count = st.integers(min_value=0, max_value=30)
group_counts = st.fixed_dictionaries(
    {"very_helpful": small_count, "very_unhelpful": small_count, "not_contacted": small_count, None: st.integers(0, 6)}
)


@settings(database=None)
@given(st.lists(group_counts, min_size=1, max_size=6))
def test_no_hidden_count_can_be_worked_out(groups: list[dict[str | None, int]]) -> None:
    table = breakdown_from_counts(HELPFUL_03, {f"g{i}": counts for i, counts in enumerate(groups)}, "district")
    rows = [*table.rows, table.total]
    raw = [breakdown_row_counts(counts) for counts in groups]
    raw.append({column: sum(row[column] for row in raw) for column in COLUMNS})
    for row, counts in zip(rows, raw, strict=True):
        for column in COLUMNS:
            cell = getattr(row, column)
            # Every count from 1 to 4 is hidden; shown cells carry their true value.
            assert cell.suppressed or not 1 <= counts[column] <= 4
            assert cell.suppressed or cell.value == counts[column]
        # Across a row, positive + negative = n: never exactly one of the three hidden.
        assert sum(getattr(row, column).suppressed for column in ("positive", "negative", "n")) != 1
        # The % is shown only for n >= 10 with none of positive, negative or n hidden.
        hides_sum = any(getattr(row, column).suppressed for column in ("positive", "negative", "n"))
        assert (row.percent is None) == (counts["n"] < MIN_N or hides_sum)
    for column in COLUMNS:
        # Down a column the rows add up to the total: if it is shown, never exactly one row hidden.
        if not getattr(table.total, column).suppressed:
            assert sum(getattr(row, column).suppressed for row in table.rows) != 1


def breakdown_row_counts(counts: dict[str | None, int]) -> dict[str, int]:
    positive, negative = counts["very_helpful"], counts["very_unhelpful"]
    return {
        "positive": positive,
        "negative": negative,
        "n": positive + negative,
        "excluded": counts["not_contacted"],
        "blank": counts[None],
    }


def test_breakdown_at_scale_is_a_single_pass() -> None:
    start = date(2024, 4, 1)
    codes = ["very_helpful", "quite_helpful", "quite_unhelpful", "very_unhelpful", "not_contacted", None]
    districts = ["Broxbourne", "Dacorum", "Stevenage", "Watford"]

    def many() -> Iterator[Response]:
        for i in range(60_000):
            yield Response(codes[i % 6], "voluntary", start + timedelta(days=i % 730), districts[i % 4], "web")

    table = breakdown(HELPFUL_03, many(), "district")
    assert table.total.n.value == 40_000 and table.total.percent == 50.0
    assert len(trend(HELPFUL_03, many(), "quarter")) == 8


# --- Funnel plot limits ---------------------------------------------------------------------------------
# Method: Spiegelhalter D J (2005) "Funnel plots for comparing institutional performance", Statistics in
# Medicine 24(8):1185-1202, https://doi.org/10.1002/sim.1970 , appendix A.1.1 (exact binomial limits with
# interpolation), the method of the binomial funnel plots in NHS England / OHID guidance. The expected
# values are worked by hand (below) and in exact fractions, not copied from a table.


def _exact_limit(n: int, p0: Fraction, level: Fraction) -> Fraction:
    """The same rule worked in exact fractions, independently of the module's floating-point sums."""
    cdf, previous = Fraction(0), Fraction(0)
    for r in range(n + 1):
        previous, cdf = cdf, cdf + math.comb(n, r) * p0**r * (1 - p0) ** (n - r)
        if cdf >= level:
            return (r - (cdf - level) / (cdf - previous)) / n
    raise AssertionError("unreachable")


def test_funnel_limit_hand_checked_at_20_ratings_around_a_half() -> None:
    # Binomial(20, 0.5): F(14) = 1 - 21700/2^20 = 0.979305, F(13) = F(14) - 38760/2^20 = 0.942341;
    # r = 14, alpha = (0.979305 - 0.975) / 0.036964 = 0.11647, limit = (14 - 0.11647) / 20 = 0.69418.
    assert binomial_quantile_limit(20, 0.5, 0.975) == pytest.approx(0.694176, abs=1e-6)
    # Lower: F(6) = 60460/2^20 = 0.057659, F(5) = 0.020695; alpha = (0.057659 - 0.025) / 0.036964 = 0.88354,
    # limit = (6 - 0.88354) / 20 = 0.25582 (interpolation makes the limits not quite mirror images).
    assert funnel_limits(20, 0.5).lower_95 == pytest.approx(0.255824, abs=1e-6)


@pytest.mark.parametrize("n", [10, 19, 31, 57, 120])
@pytest.mark.parametrize("p0", ["0.8", "0.65", "0.93"])
@pytest.mark.parametrize("level", ["0.001", "0.025", "0.975", "0.999"])
def test_funnel_limits_match_exact_arithmetic(n: int, p0: str, level: str) -> None:
    expected = float(_exact_limit(n, Fraction(p0), Fraction(level)))
    assert binomial_quantile_limit(n, float(p0), float(level)) == pytest.approx(expected, abs=1e-9)


def test_funnel_limits_approach_the_normal_ones_at_large_n() -> None:
    # Spiegelhalter's z for 95% and 99.8% two-sided limits: 1.96 and 3.09.
    n, p0 = 10_000, 0.8
    spread = math.sqrt(p0 * (1 - p0) / n)
    limits = funnel_limits(n, p0)
    assert limits.upper_95 == pytest.approx(p0 + 1.959964 * spread, abs=3e-4)
    assert limits.lower_95 == pytest.approx(p0 - 1.959964 * spread, abs=3e-4)
    assert limits.upper_998 == pytest.approx(p0 + 3.090232 * spread, abs=3e-4)
    assert limits.lower_998 == pytest.approx(p0 - 3.090232 * spread, abs=3e-4)


def test_funnel_limits_narrow_as_ratings_grow_and_stay_in_range() -> None:
    widths = [funnel_limits(n, 0.85).upper_998 - funnel_limits(n, 0.85).lower_998 for n in (10, 40, 160, 640)]
    assert widths == sorted(widths, reverse=True)
    limits = funnel_limits(10, 0.99)
    assert 0.0 <= limits.lower_998 <= limits.lower_95 <= limits.upper_95 <= limits.upper_998 <= 1.0


def test_funnel_verdicts() -> None:
    assert funnel_verdict(17, 20, 0.85) == "within"
    assert funnel_verdict(8, 20, 0.85) == "below_998"
    assert funnel_verdict(200, 200, 0.85) == "above_998"


@pytest.mark.parametrize(("n", "p0", "level"), [(0, 0.5, 0.975), (10, 1.5, 0.975), (10, 0.5, 1.0)])
def test_funnel_limits_refuse_impossible_input(n: int, p0: float, level: float) -> None:
    with pytest.raises(ValueError):
        binomial_quantile_limit(n, p0, level)
