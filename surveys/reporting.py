"""Indicator figures from SQL counts: the one place pages, exports and the API get their numbers.

Counting happens in the database (``repository.indicator_counts``); the maths (% positive, Wilson interval,
suppression, targets) is ``surveys.indicators``, unchanged.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any

from directory.postcodes import HERTFORDSHIRE_DISTRICTS
from surveys import indicators as maths
from surveys import repository
from surveys.charts import funnel_chart, trend_chart
from surveys.definition import Indicator, SurveyDefinition, load_all
from surveys.repository import Scope

BREAKDOWNS = ("district", "organisation", "organisation_type", "need_category")
EARLIEST = date(2000, 1, 1)


class ScopeError(ValueError):
    """A date range or district that cannot be used; the message is safe to show."""


@cache
def surveys() -> dict[str, SurveyDefinition]:
    return load_all()


def survey(survey_id: str) -> SurveyDefinition:
    return surveys()[survey_id]


# The council plan's headline indicators come first on every page and in the API.
HEADLINE_ORDER = ("0.3", "1.2")


def all_indicators() -> list[Indicator]:
    indicators = [indicator for definition in surveys().values() for indicator in definition.indicators]
    return sorted(indicators, key=lambda i: (HEADLINE_ORDER.index(i.id) if i.id in HEADLINE_ORDER else 99, i.id))


def default_scope(today: date | None = None) -> Scope:
    """From the start of the financial year two years back to today: about three years of quarters."""
    today = today or date.today()
    year_start = maths.period_of(today, "year").start
    return Scope(date(year_start.year - 2, 4, 1), today)


def financial_year_scope(today: date | None = None) -> Scope:
    """The commissioners' default: from 1 April of the current financial year to today."""
    today = today or date.today()
    return Scope(maths.period_of(today, "year").start, today)


def previous_year(scope: Scope) -> Scope:
    """The whole financial year before the one ``scope`` starts in, for the same district."""
    start = maths.period_of(scope.date_from, "year").start
    return Scope(date(start.year - 1, 4, 1), start - timedelta(days=1), scope.district)


def period_label(scope: Scope) -> str:
    """The financial year's name ("2025-26") when the scope is exactly one, else "from to"."""
    year = maths.period_of(scope.date_from, "year")
    if scope.date_from == year.start and scope.date_to == year.end - timedelta(days=1):
        return year.label
    return f"{scope.date_from.isoformat()} to {scope.date_to.isoformat()}"


def parse_date(raw: str, name: str) -> date:
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ScopeError(f"'{name}' must be a date written YYYY-MM-DD, like 2025-04-01") from None


def parse_scope(args: Mapping[str, str], today: date | None = None) -> Scope:
    """A scope from ``from``, ``to`` (inclusive, YYYY-MM-DD) and ``district`` query parameters."""
    today = today or date.today()
    default = default_scope(today)
    raw_from, raw_to = (args.get("from") or "").strip(), (args.get("to") or "").strip()
    date_to = parse_date(raw_to, "to") if raw_to else default.date_to
    date_from = parse_date(raw_from, "from") if raw_from else min(default.date_from, date_to)
    latest = today + timedelta(days=366)
    if not EARLIEST <= date_from <= latest or not EARLIEST <= date_to <= latest:
        raise ScopeError(f"dates must be between {EARLIEST.isoformat()} and {latest.isoformat()}")
    if date_from > date_to:
        raise ScopeError("'from' must be on or before 'to'")
    return Scope(date_from, date_to, parse_district(args.get("district")))


def parse_district(raw: str | None) -> str | None:
    wanted = (raw or "").strip().casefold()
    if not wanted:
        return None
    for district in HERTFORDSHIRE_DISTRICTS:
        if district.casefold() == wanted:
            return district
    raise ScopeError("'district' must be one of: " + ", ".join(HERTFORDSHIRE_DISTRICTS))


class Tallies:
    """The counts a page or an export needs, fetched together: every (indicator, scope, group) in one
    statement and the names of every organisation among them in one more, however many indicators, groups
    and organisations there are. A figure asked for that was not fetched is counted on its own."""

    def __init__(self, requests: Iterable[repository.CountRequest] = ()) -> None:
        unique = {_key(request): request for request in requests}
        fetched = repository.indicator_counts_many(list(unique.values()))
        self._counts = dict(zip(unique, fetched, strict=True))
        organisations = {
            group for key, counts in self._counts.items() if key[3] == "organisation" for group in counts if group
        }
        self._names = repository.organisation_names(organisations) if organisations else {}

    @classmethod
    def of(
        cls,
        indicators: Iterable[Indicator],
        scope: Scope,
        *,
        breakdowns: bool,
        trends: bool = True,
        previous: bool = False,
    ) -> Tallies:
        """Each indicator's result [and trend] over ``scope``; with ``breakdowns`` also its breakdowns (the
        organisation one is also the funnel's), with ``previous`` its result over the previous year."""
        requests = []
        for indicator in indicators:
            requests.append(repository.CountRequest(indicator, scope))
            if trends:
                requests.append(repository.CountRequest(indicator, scope, "day"))
            if previous:
                requests.append(repository.CountRequest(indicator, previous_year(scope)))
            if breakdowns:
                requests.extend(repository.CountRequest(indicator, scope, by) for by in BREAKDOWNS)
        return cls(requests)

    def counts(self, indicator: Indicator, scope: Scope, group: str | None = None) -> repository.IndicatorCounts:
        key = _key(repository.CountRequest(indicator, scope, group))
        if key not in self._counts:
            self._counts[key] = repository.indicator_counts(indicator, scope, group)
            if group == "organisation":
                self._names.update(repository.organisation_names(g for g in self._counts[key] if g))
        return self._counts[key]

    def organisation_names(self) -> Mapping[str, str]:
        return self._names


def _key(request: repository.CountRequest) -> tuple[str, str, Scope, str | None]:
    return (request.indicator.survey_id, request.indicator.id, request.scope, request.group)


def result(indicator: Indicator, scope: Scope, tallies: Tallies | None = None) -> maths.IndicatorResult:
    """The indicator over the scope, with the target of the financial year the range ends in."""
    counts = (tallies or Tallies()).counts(indicator, scope).get(None, {})
    computed = maths.compute_from_counts(indicator, counts, maths.period_of(scope.date_to, "year"))
    return dataclasses.replace(computed, period=f"{scope.date_from.isoformat()} to {scope.date_to.isoformat()}")


def trend(
    indicator: Indicator, scope: Scope, tallies: Tallies | None = None
) -> list[tuple[str, maths.IndicatorResult]]:
    """The indicator per financial quarter (with each quarter's target), from counts per day."""
    by_day = (tallies or Tallies()).counts(indicator, scope, "day")
    return maths.trend_from_counts(indicator, {day: counts for day, counts in by_day.items() if day}, "quarter")


def breakdown(
    indicator: Indicator,
    scope: Scope,
    by: str,
    labels: Mapping[str, str] | None = None,
    tallies: Tallies | None = None,
) -> maths.Breakdown:
    """The indicator per group; organisation rows are labelled with the organisation's name."""
    tallies = tallies or Tallies()
    counts = tallies.counts(indicator, scope, by)
    groups: tuple[str, ...] = ()
    if by == "district":
        groups = (scope.district,) if scope.district else HERTFORDSHIRE_DISTRICTS
    if by == "organisation":
        labels = tallies.organisation_names()
    table = maths.breakdown_from_counts(indicator, counts, by, groups=groups)
    if labels:
        rows = tuple(dataclasses.replace(row, group=labels.get(row.group, row.group)) for row in table.rows)
        table = dataclasses.replace(table, rows=rows)
    return table


def sections(
    scope: Scope, breakdown_titles: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every indicator as a page shows it: its result, its trend by quarter and the trend's chart; with
    ``breakdown_titles`` (a title for each of ``BREAKDOWNS``) also its breakdowns, groups named by ``labels``.
    All of its counts come from one statement (``Tallies``)."""
    shown = []
    indicators = all_indicators()
    detailed = breakdown_titles is not None
    tallies = Tallies.of(indicators, scope, breakdowns=detailed, previous=detailed)
    for indicator in indicators:
        by_quarter = trend(indicator, scope, tallies)
        section = {
            "indicator": indicator,
            "result": result(indicator, scope, tallies),
            "trend": by_quarter,
            "chart": trend_chart(by_quarter),
        }
        if breakdown_titles is not None:
            figures = funnel(indicator, scope, tallies)
            section["funnel"] = figures
            section["funnel_chart"] = funnel_chart(figures)
            section["previous"] = result(indicator, previous_year(scope), tallies)
        if breakdown_titles is not None:
            section["breakdowns"] = [
                (breakdown_titles[by], breakdown(indicator, scope, by, labels, tallies)) for by in BREAKDOWNS
            ]
        shown.append(section)
    return shown


@dataclasses.dataclass(frozen=True, slots=True)
class FunnelPoint:
    """One organisation on the funnel. When ``suppressed`` (fewer than ``MIN_N`` ratings) only its name is
    shown: not its count, not its %, and it is not drawn."""

    organisation: str
    positive: int | str
    n: int | str
    percent: float | str
    lower_998: float | str
    lower_95: float | str
    upper_95: float | str
    upper_998: float | str
    verdict: str
    suppressed: bool


@dataclasses.dataclass(frozen=True, slots=True)
class Funnel:
    indicator_id: str
    county_positive: int
    county_n: int
    county_percent: float | None
    points: tuple[FunnelPoint, ...]
    curve: tuple[maths.FunnelLimits, ...]
    """Limits at a spread of ratings counts, for drawing the funnel's lines."""


def _pct(value: float) -> float:
    return maths._round_1dp(100 * value)


def funnel(indicator: Indicator, scope: Scope, tallies: Tallies | None = None) -> Funnel:
    """Each organisation's % positive against its number of ratings, with 95% and 99.8% limits around the
    county rate (all ratings in the scope). Each organisation is disclosed by the rule for one result
    (``disclosed``: fewer than ``MIN_N`` ratings hides everything but that it has few), and below that
    its count is hidden too, as the organisation breakdown hides counts from 1 to 4."""
    tallies = tallies or Tallies()
    counts = tallies.counts(indicator, scope, "organisation")
    names = tallies.organisation_names()
    pooled: Counter[str | None] = Counter()
    for group_counts in counts.values():
        pooled.update(group_counts)
    total = maths.compute_from_counts(indicator, pooled)
    p0 = total.positive / total.n if total.n else None
    points = []
    for key, group_counts in counts.items():
        if not key:
            continue
        figures = maths.compute_from_counts(indicator, group_counts)
        name = names.get(key, key)
        if figures.suppressed or p0 is None:
            hidden = maths.SUPPRESSED
            points.append(FunnelPoint(name, hidden, hidden, hidden, hidden, hidden, hidden, hidden, "", True))
            continue
        limits = maths.funnel_limits(figures.n, p0)
        points.append(
            FunnelPoint(
                name,
                figures.positive,
                figures.n,
                figures.percent,
                _pct(limits.lower_998),
                _pct(limits.lower_95),
                _pct(limits.upper_95),
                _pct(limits.upper_998),
                maths.funnel_verdict(figures.positive, figures.n, p0),
                False,
            )
        )
    points.sort(key=lambda point: (point.suppressed, point.organisation.casefold()))
    shown = [point.n for point in points if isinstance(point.n, int)]
    curve: tuple[maths.FunnelLimits, ...] = ()
    if p0 is not None and shown:
        top = max(max(shown), maths.MIN_N * 2)
        steps = sorted({maths.MIN_N, *(round(maths.MIN_N * (top / maths.MIN_N) ** (i / 24)) for i in range(25))})
        curve = tuple(maths.funnel_limits(n, p0) for n in steps)
    return Funnel(indicator.id, total.positive, total.n, None if p0 is None else total.percent, tuple(points), curve)


def disclosed(figures: maths.IndicatorResult) -> dict[str, Any]:
    """The figures of one result that may be shown, the one disclosure rule for the dashboard, CSV and API.

    Below ``MIN_N`` ratings only how many there are so far is shown; the positive count, the excluded and
    blank counts, the percentage and its interval are all hidden (``SUPPRESSED``), since with a count under
    10 any of them could single someone out.
    """
    hidden = figures.suppressed
    return {
        "positive": maths.SUPPRESSED if hidden else figures.positive,
        "n": figures.n,
        "excluded": maths.SUPPRESSED if hidden else figures.excluded,
        "blank": maths.SUPPRESSED if hidden else figures.blank,
        "percent": maths.SUPPRESSED if hidden else figures.percent,
        "ci_low": maths.SUPPRESSED if hidden else figures.ci_low,
        "ci_high": maths.SUPPRESSED if hidden else figures.ci_high,
    }


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 4)


def api_indicator(indicator: Indicator, scope: Scope, tallies: Tallies | None = None) -> dict:
    """One indicator as the public API gives it: fractions 0–1; counts and figures hidden when suppressed."""
    figures = result(indicator, scope, tallies)
    shown = disclosed(figures)
    ci = None
    value = None
    if not figures.suppressed:
        low, high = maths.wilson_interval(figures.positive, figures.n)
        ci = [round(low, 4), round(high, 4)]
        value = round(figures.positive / figures.n, 4)
    return {
        "id": indicator.id,
        "numerator": None if shown["positive"] == maths.SUPPRESSED else shown["positive"],
        "denominator": None if figures.suppressed else figures.n,
        "value": value,
        "ci95": ci,
        "baseline": _fraction(indicator.baseline.value) if indicator.baseline else None,
        "target": _fraction(figures.target.value) if figures.target else None,
        "suppressed": figures.suppressed,
    }


def api_payload(scope: Scope) -> dict:
    indicators = all_indicators()
    tallies = Tallies.of(indicators, scope, breakdowns=False, trends=False)
    return {"indicators": [api_indicator(indicator, scope, tallies) for indicator in indicators]}
