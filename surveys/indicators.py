"""Indicator maths for the "Your Views" surveys: % positive, Wilson intervals, suppression, trends, breakdowns.

Pure functions over plain data; no Flask, no database.

- % positive = positive / n, where n = positive + negative. Excluded answers (e.g. "I haven't contacted
  them") and blanks are counted but never enter n. An indicator's ``restrict_to`` (e.g. voluntary
  organisations only) drops other responses entirely.
- Percentages and confidence limits in results are 0–100, rounded half-up to 1 decimal place as published
  statistics are; ``met_target`` compares that rounded figure, so what is shown agrees with the verdict.
- Below ``MIN_N`` the % and CI are hidden. In breakdowns, counts from 1 to ``MAX_SMALL_COUNT`` are hidden
  ("[c]"), with secondary suppression so that no hidden count can be worked out from the others.
- At scale, aggregate in SQL (``GROUP BY`` answer code, plus month or group) and call the ``*_from_counts``
  functions; the response-level functions tally in one pass and call those same functions.

Responses are mappings or objects with: ``answer`` (the code for the indicator's question, or None) or
``answers`` (question id → code), ``organisation_type``, ``submitted_on`` (a date), ``district``,
``channel`` and ``need_category``. Missing fields read as None.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from surveys.definition import Direction, Indicator, PeriodValue, is_financial_year

Z_95 = 1.959964
MIN_N = 10
"""Hide % and CI when fewer than this many answers are in the denominator."""
MAX_SMALL_COUNT = 4
"""In breakdowns, counts from 1 to this are hidden."""
SUPPRESSED = "[c]"

PeriodKind = Literal["year", "quarter", "month"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("year", "quarter", "month")
BreakdownField = Literal["district", "channel", "need_category", "organisation_type"]
BREAKDOWN_FIELDS: tuple[BreakdownField, ...] = ("district", "channel", "need_category", "organisation_type")

Counts = Mapping[str | None, int]
"""Answer code (None or "" for blank) → number of responses."""

_UK = ZoneInfo("Europe/London")
_QUARTER_LABEL = re.compile(r"^(\d{4}-\d{2}) Q([1-4])$")
_MONTH_LABEL = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_ONE_DP = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Response:
    """One survey response as the indicator layer sees it (any mapping or object with these fields also works)."""

    answer: str | None = None
    organisation_type: str | None = None
    submitted_on: date | None = None
    district: str | None = None
    channel: str | None = None
    need_category: str | None = None
    answers: Mapping[str, str | None] | None = field(default=None, hash=False)


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator over one set of responses. Percentages are 0–100, rounded to 1 decimal place.

    When ``suppressed`` the counts are still here for internal use; public pages must show only that there
    were fewer than ``MIN_N`` responses.
    """

    indicator_id: str
    period: str | None
    positive: int
    negative: int
    excluded: int
    blank: int
    n: int
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    target: PeriodValue | None
    met_target: bool | None
    baseline: PeriodValue | None
    counts: Mapping[str, int] = field(default_factory=dict, hash=False)
    """Responses per answer code, every code of the question included (blanks are in ``blank``)."""


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A financial year ("2025-26"), quarter ("2025-26 Q1" = April–June) or month ("2025-04")."""

    start: date
    end: date
    """The first day after the period."""
    kind: PeriodKind
    label: str
    financial_year: str

    def __contains__(self, day: date) -> bool:
        return self.start <= _as_date(day) < self.end


@dataclass(frozen=True, slots=True)
class Cell:
    """A count in a breakdown; ``value`` is None when it is hidden to protect small numbers."""

    value: int | None
    suppressed: bool = False

    @property
    def display(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.value)


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    group: str | None
    """The group's value (e.g. a district); None for responses where it was not recorded."""
    positive: Cell
    negative: Cell
    n: Cell
    excluded: Cell
    blank: Cell
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    """True when % and CI are hidden; ``reason`` says why."""
    reason: Literal["small_n", "small_counts"] | None


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Rows per group plus a total row (whose ``group`` is None), all with the same suppression rules."""

    indicator_id: str
    by: str
    period: str | None
    rows: tuple[BreakdownRow, ...]
    total: BreakdownRow


# --- Confidence intervals ------------------------------------------------------------------------------


def wilson_interval(positive: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for ``positive / n`` as proportions from 0 to 1 (95% with the default z).

    OHID's preferred method for proportions: unlike the normal approximation it behaves with small n and
    gives an interval when ``positive`` is 0 or ``n``. Raises ValueError when n is 0: there is no
    proportion to estimate (results with n < MIN_N are suppressed before this is called).
    """
    if n <= 0:
        raise ValueError("a confidence interval needs at least one answer (n >= 1)")
    if not 0 <= positive <= n:
        raise ValueError(f"positive must be between 0 and n, got {positive} of {n}")
    if z <= 0:
        raise ValueError("z must be positive")
    z2 = z * z
    spread = z * math.sqrt(z2 + 4 * positive * (1 - positive / n))
    denominator = 2 * (n + z2)
    # At 0 and n the limits are exactly 0 and 1; floating point alone can miss them by 1e-16.
    lower = 0.0 if positive == 0 else max(0.0, (2 * positive + z2 - spread) / denominator)
    upper = 1.0 if positive == n else min(1.0, (2 * positive + z2 + spread) / denominator)
    return lower, upper


# --- Periods -------------------------------------------------------------------------------------------


def financial_year(day: date) -> str:
    """The UK financial year (April to March) containing ``day``, e.g. 31 March 2026 → "2025-26"."""
    day = _as_date(day)
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def period_of(day: date, by: PeriodKind) -> Period:
    """The year, quarter or month containing ``day``."""
    day = _as_date(day)
    year = financial_year(day)
    if by == "month":
        start = date(day.year, day.month, 1)
        return Period(start, _add_months(start, 1), "month", f"{day.year}-{day.month:02d}", year)
    year_start = date(int(year[:4]), 4, 1)
    if by == "year":
        return Period(year_start, _add_months(year_start, 12), "year", year, year)
    if by == "quarter":
        quarter = (day.month - 4) % 12 // 3 + 1
        start = _add_months(year_start, 3 * (quarter - 1))
        return Period(start, _add_months(start, 3), "quarter", f"{year} Q{quarter}", year)
    raise ValueError(f"by must be one of {PERIOD_KINDS}, got {by!r}")


def parse_period(label: str) -> Period:
    """The period for a label made by ``period_of``: "2025-26", "2025-26 Q1" or "2025-04".

    A label that is a valid financial year is read as one ("2011-12" is never December 2011).
    """
    if is_financial_year(label):
        return period_of(date(int(label[:4]), 4, 1), "year")
    quarter = _QUARTER_LABEL.match(label)
    if quarter and is_financial_year(quarter.group(1)):
        year_start = date(int(label[:4]), 4, 1)
        return period_of(_add_months(year_start, 3 * (int(quarter.group(2)) - 1)), "quarter")
    month = _MONTH_LABEL.match(label)
    if month:
        return period_of(date(int(month.group(1)), int(month.group(2)), 1), "month")
    raise ValueError(f"not a period label: {label!r}")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _as_date(value: date | datetime) -> date:
    """Dates pass through; an aware datetime is read in UK time, so 23:30 UTC on 31 March BST is 1 April."""
    if isinstance(value, datetime):
        return value.astimezone(_UK).date() if value.tzinfo else value.date()
    if not isinstance(value, date):
        raise TypeError(f"submitted_on must be a date, got {value!r}")
    return value


def _to_period(period: str | Period | None) -> Period | None:
    return parse_period(period) if isinstance(period, str) else period


# --- Single results ------------------------------------------------------------------------------------


def compute_indicator(
    indicator: Indicator,
    responses: Iterable[Any],
    period: str | Period | None = None,
    *,
    min_n: int = MIN_N,
) -> IndicatorResult:
    """The indicator over ``responses`` in one pass.

    With a ``period`` only responses submitted in it count (those without a date are left out), and the
    target is that of its financial year.
    """
    wanted = _to_period(period)
    counts = Counter(answer for _, answer in _in_scope(indicator, responses, wanted))
    return compute_from_counts(indicator, counts, wanted, min_n=min_n)


def compute_from_counts(
    indicator: Indicator,
    counts: Counts,
    period: str | Period | None = None,
    *,
    min_n: int = MIN_N,
) -> IndicatorResult:
    """The indicator from counts per answer code, e.g. from ``SELECT answer, COUNT(*) … GROUP BY answer``.

    The caller must already have applied ``indicator.restrict_to`` and any date range. An answer code
    that the question does not have raises ValueError: it means responses from another survey or version
    were mixed in, and guessing would publish a wrong figure.
    """
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    wanted = _to_period(period)
    tally = _Tally.of(indicator, counts)
    suppressed = tally.n < min_n
    percent, ci_low, ci_high = (None, None, None) if suppressed else _percent_and_ci(tally.positive, tally.n)
    target = indicator.target_for(wanted.financial_year if wanted else None)
    met = None if suppressed or target is None else _meets(tally.positive, tally.n, target, indicator.direction)
    return IndicatorResult(
        indicator_id=indicator.id,
        period=wanted.label if wanted else None,
        positive=tally.positive,
        negative=tally.negative,
        excluded=tally.excluded,
        blank=tally.blank,
        n=tally.n,
        percent=percent,
        ci_low=ci_low,
        ci_high=ci_high,
        suppressed=suppressed,
        target=target,
        met_target=met,
        baseline=indicator.baseline,
        counts=tally.by_code,
    )


@dataclass(frozen=True, slots=True)
class _Tally:
    positive: int
    negative: int
    excluded: int
    blank: int
    by_code: dict[str, int]

    @property
    def n(self) -> int:
        return self.positive + self.negative

    @classmethod
    def of(cls, indicator: Indicator, counts: Counts) -> _Tally:
        by_code = dict.fromkeys(indicator.codes, 0)
        blank = 0
        unknown: list[str] = []
        for code, count in counts.items():
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise ValueError(f"count for {code!r} must be a whole number of 0 or more, got {count!r}")
            if code is None or code == "":
                blank += count
            elif code in by_code:
                by_code[code] += count
            elif count:
                unknown.append(code)
        if unknown:
            raise ValueError(
                f"indicator {indicator.id}: {sorted(unknown)} are not answers to question {indicator.question!r}"
            )
        return cls(
            positive=sum(by_code[code] for code in indicator.positive),
            negative=sum(by_code[code] for code in indicator.negative),
            excluded=sum(by_code[code] for code in indicator.excluded),
            blank=blank,
            by_code=by_code,
        )


def _percent_and_ci(positive: int, n: int) -> tuple[float, float, float]:
    low, high = wilson_interval(positive, n)
    return _tenths(positive, n) / 10, _round_1dp(100 * low), _round_1dp(100 * high)


def _tenths(positive: int, n: int) -> int:
    """100 * positive / n in tenths of a percent, rounded half-up exactly (no floating point)."""
    return (2000 * positive + n) // (2 * n)


def _round_1dp(value: float) -> float:
    return float(Decimal(repr(value)).quantize(_ONE_DP, rounding=ROUND_HALF_UP))


def _meets(positive: int, n: int, target: PeriodValue, direction: Direction) -> bool:
    target_tenths = int((Decimal(repr(target.value)) * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if direction is Direction.LOWER_IS_BETTER:
        return _tenths(positive, n) <= target_tenths
    return _tenths(positive, n) >= target_tenths


# --- Reading responses ---------------------------------------------------------------------------------


def _get(response: Any, name: str) -> Any:
    if isinstance(response, Mapping):
        return response.get(name)
    return getattr(response, name, None)


def _answer(response: Any, question_id: str) -> str | None:
    answers = _get(response, "answers")
    if isinstance(answers, Mapping):
        return answers.get(question_id)
    return _get(response, "answer")


def _in_scope(indicator: Indicator, responses: Iterable[Any], period: Period | None) -> Iterator[tuple[Any, Any]]:
    """Yield (response, answer code) for the responses the indicator covers."""
    restrictions = tuple(indicator.restrict_to.items())
    for response in responses:
        if any(_get(response, name) != value for name, value in restrictions):
            continue
        if period is not None:
            submitted = _get(response, "submitted_on")
            if submitted is None or submitted not in period:
                continue
        yield response, _answer(response, indicator.question)


# --- Trends --------------------------------------------------------------------------------------------


def trend(
    indicator: Indicator,
    responses: Iterable[Any],
    by: PeriodKind = "quarter",
    *,
    min_n: int = MIN_N,
) -> list[tuple[str, IndicatorResult]]:
    """The indicator per financial year, quarter or month, oldest first, in one pass.

    Periods between the first and last with responses are included even when empty, so a chart's axis has
    no gaps. Responses without ``submitted_on`` cannot be placed and are left out.
    """
    if by not in PERIOD_KINDS:
        raise ValueError(f"by must be one of {PERIOD_KINDS}, got {by!r}")
    by_month: defaultdict[date, Counter[Any]] = defaultdict(Counter)
    for response, answer in _in_scope(indicator, responses, None):
        submitted = _get(response, "submitted_on")
        if submitted is not None:
            by_month[_as_date(submitted).replace(day=1)][answer] += 1
    return trend_from_counts(indicator, by_month, by, min_n=min_n)


def trend_from_counts(
    indicator: Indicator,
    counts_by_date: Mapping[date, Counts],
    by: PeriodKind = "quarter",
    *,
    min_n: int = MIN_N,
) -> list[tuple[str, IndicatorResult]]:
    """As ``trend``, from counts keyed by any date inside each period (SQL may group by day or by month)."""
    if by not in PERIOD_KINDS:
        raise ValueError(f"by must be one of {PERIOD_KINDS}, got {by!r}")
    buckets: defaultdict[Period, Counter[Any]] = defaultdict(Counter)
    for day, counts in counts_by_date.items():
        buckets[period_of(day, by)].update(counts)
    if not buckets:
        return []
    results: list[tuple[str, IndicatorResult]] = []
    period, last = min(buckets), max(buckets)
    while period <= last:
        results.append((period.label, compute_from_counts(indicator, buckets.get(period, {}), period, min_n=min_n)))
        period = period_of(period.end, by)
    return results


# --- Breakdowns ----------------------------------------------------------------------------------------

_COLUMNS = ("positive", "negative", "n", "excluded", "blank")
_ROW_SUM = frozenset({"positive", "negative", "n"})


def breakdown(
    indicator: Indicator,
    responses: Iterable[Any],
    by: BreakdownField,
    *,
    period: str | Period | None = None,
    groups: Iterable[str] = (),
    min_n: int = MIN_N,
    max_small_count: int = MAX_SMALL_COUNT,
) -> Breakdown:
    """The indicator per district, channel, need category or organisation type, in one pass.

    ``groups`` lists values to show even with no responses (e.g. all ten districts).
    """
    if by not in BREAKDOWN_FIELDS:
        raise ValueError(f"by must be one of {BREAKDOWN_FIELDS}, got {by!r}")
    wanted = _to_period(period)
    by_group: defaultdict[str | None, Counter[Any]] = defaultdict(Counter)
    for response, answer in _in_scope(indicator, responses, wanted):
        by_group[_get(response, by)][answer] += 1
    return breakdown_from_counts(
        indicator, by_group, by, period=wanted, groups=groups, min_n=min_n, max_small_count=max_small_count
    )


def breakdown_from_counts(
    indicator: Indicator,
    counts_by_group: Mapping[str | None, Counts],
    by: str,
    *,
    period: str | Period | None = None,
    groups: Iterable[str] = (),
    min_n: int = MIN_N,
    max_small_count: int = MAX_SMALL_COUNT,
) -> Breakdown:
    """As ``breakdown``, from counts per group and answer code (``GROUP BY district, answer``).

    Rows are sorted by group, with "not recorded" (None) last, then a total row.
    """
    wanted = _to_period(period)
    names = sorted({*counts_by_group, *groups}, key=lambda group: (group is None, group or ""))
    tallies = [_Tally.of(indicator, counts_by_group.get(name, {})) for name in names]
    rows = [_columns(tally) for tally in tallies]
    total = {column: sum(row[column] for row in rows) for column in _COLUMNS}
    masks, total_mask = _suppression_masks(rows, total, max_small_count)
    return Breakdown(
        indicator_id=indicator.id,
        by=by,
        period=wanted.label if wanted else None,
        rows=tuple(_row(name, row, mask, min_n) for name, row, mask in zip(names, rows, masks, strict=True)),
        total=_row(None, total, total_mask, min_n),
    )


def _columns(tally: _Tally) -> dict[str, int]:
    return {
        "positive": tally.positive,
        "negative": tally.negative,
        "n": tally.n,
        "excluded": tally.excluded,
        "blank": tally.blank,
    }


def _row(group: str | None, counts: dict[str, int], mask: set[str], min_n: int) -> BreakdownRow:
    cells = {column: Cell(None, True) if column in mask else Cell(counts[column]) for column in _COLUMNS}
    reason: Literal["small_n", "small_counts"] | None = None
    if counts["n"] < min_n:
        reason = "small_n"
    elif mask & {"positive", "negative", "n"}:
        reason = "small_counts"  # the % would give the hidden count back: positive = % × n
    percent, ci_low, ci_high = (None, None, None) if reason else _percent_and_ci(counts["positive"], counts["n"])
    return BreakdownRow(
        group, **cells, percent=percent, ci_low=ci_low, ci_high=ci_high, suppressed=bool(reason), reason=reason
    )


def _suppression_masks(
    rows: list[dict[str, int]], total: dict[str, int], max_small_count: int
) -> tuple[list[set[str]], set[str]]:
    """Which cells to hide, per row and for the total row.

    Primary: counts from 1 to ``max_small_count`` (0 is shown). Secondary: a hidden cell must not be
    recoverable by subtraction, across a row (positive + negative = n) or down a column (the rows add up to
    the total), so wherever exactly one cell of such a sum is hidden, hide the smallest other one. Hiding
    one cell can expose another, so repeat until nothing changes; it ends because cells are only added.
    """
    table = [*rows, total]
    masks = [{column for column in _COLUMNS if 1 <= row[column] <= max_small_count} for row in table]
    changed = True
    while changed:
        changed = False
        for row, mask in zip(table, masks, strict=True):
            changed |= _protect_row(row, mask)
        for column in _COLUMNS:
            changed |= _protect_column(table, masks, column)
    return masks[:-1], masks[-1]


def _protect_row(row: dict[str, int], mask: set[str]) -> bool:
    hidden = [column for column in ("positive", "negative", "n") if column in mask]
    if len(hidden) != 1:
        return False
    if hidden[0] == "n":
        mask.add(min(("positive", "negative"), key=lambda column: (row[column] == 0, row[column])))
    else:
        mask.add("negative" if hidden[0] == "positive" else "positive")
    return True


def _protect_column(table: list[dict[str, int]], masks: list[set[str]], column: str) -> bool:
    *row_masks, total_mask = masks
    if column in total_mask:
        return False
    hidden = [i for i, mask in enumerate(row_masks) if column in mask]
    if len(hidden) != 1:
        return False
    shown = [i for i, mask in enumerate(row_masks) if column not in mask]
    if not shown:
        total_mask.add(column)  # a single row equals the total
        return True
    row_masks[min(shown, key=lambda i: _secondary_preference(table[i], row_masks[i], column, i))].add(column)
    return True


def _secondary_preference(row: dict[str, int], mask: set[str], column: str, index: int) -> tuple[bool, bool, int, int]:
    """Sort key for the cell to hide next in a column: first a row that already hides part of its own
    positive + negative = n sum (hiding one more there exposes nothing new, so nothing cascades), then the
    smallest count that is not 0 (hiding a 0 protects little), then the first row."""
    cascades = not (column in _ROW_SUM and mask & _ROW_SUM)
    return cascades, row[column] == 0, row[column], index


# --- Funnel plots --------------------------------------------------------------------------------------

FUNNEL_LEVELS = (0.95, 0.998)
"""The two control limits NHS funnel plots draw: 95% ("about 2 standard deviations") and 99.8% ("about 3")."""


def _binomial_cdfs(n: int, p: float) -> list[float]:
    """P(X <= r) for r = 0..n, X ~ Binomial(n, p), summed from log-probabilities (no overflow at large n)."""
    if p <= 0.0:
        return [1.0] * (n + 1)
    if p >= 1.0:
        return [0.0] * n + [1.0]
    log_p, log_q = math.log(p), math.log1p(-p)
    total, cdfs = 0.0, []
    for r in range(n + 1):
        log_pmf = math.lgamma(n + 1) - math.lgamma(r + 1) - math.lgamma(n - r + 1) + r * log_p + (n - r) * log_q
        total += math.exp(log_pmf)
        cdfs.append(min(total, 1.0))
    cdfs[-1] = 1.0
    return cdfs


def binomial_quantile_limit(n: int, p0: float, level: float) -> float:
    """The exact binomial limit for a proportion at the ``level`` quantile, as a proportion from 0 to 1.

    Spiegelhalter (2005) "Funnel plots for comparing institutional performance", Statistics in Medicine
    24:1185–1202, appendix A.1.1, the method of NHS England's and OHID's funnel plots: r_p is the smallest
    r with P(X <= r) >= level for X ~ Binomial(n, p0), interpolated so the limit is a smooth curve:
    alpha = (F(r_p) - level) / (F(r_p) - F(r_p - 1)) and the limit is (r_p - alpha) / n.
    Lower limits are the ``1 - level`` quantile (e.g. 0.001 for a two-sided 99.8% funnel).
    """
    if n <= 0:
        raise ValueError("a funnel limit needs at least one rating (n >= 1)")
    if not 0.0 <= p0 <= 1.0:
        raise ValueError(f"p0 must be a proportion from 0 to 1, got {p0!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    cdfs = _binomial_cdfs(n, p0)
    r = next(index for index, value in enumerate(cdfs) if value >= level)
    below = cdfs[r - 1] if r > 0 else 0.0
    step = cdfs[r] - below
    alpha = (cdfs[r] - level) / step if step > 0 else 0.0
    return min(1.0, max(0.0, (r - alpha) / n))


@dataclass(frozen=True, slots=True)
class FunnelLimits:
    """Two-sided control limits at one number of ratings, as proportions from 0 to 1."""

    n: int
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


def funnel_limits(n: int, p0: float) -> FunnelLimits:
    """The 95% and 99.8% two-sided limits around ``p0`` for an organisation with ``n`` ratings."""
    lows, highs = [], []
    for level in FUNNEL_LEVELS:
        tail = (1 - level) / 2
        lows.append(binomial_quantile_limit(n, p0, tail))
        highs.append(binomial_quantile_limit(n, p0, 1 - tail))
    return FunnelLimits(n, lows[0], highs[0], lows[1], highs[1])


FunnelVerdict = Literal["above_998", "above_95", "within", "below_95", "below_998"]


def funnel_verdict(positive: int, n: int, p0: float) -> FunnelVerdict:
    """Where one organisation falls against the county's funnel (on the limits counts as within)."""
    value, limits = positive / n, funnel_limits(n, p0)
    if value > limits.upper_998:
        return "above_998"
    if value > limits.upper_95:
        return "above_95"
    if value < limits.lower_998:
        return "below_998"
    if value < limits.lower_95:
        return "below_95"
    return "within"
