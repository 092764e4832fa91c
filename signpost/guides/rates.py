"""Care Act charging figures by tax year, read from ``data/charging_rates.json``.

The JSON holds, for each tax year (6 April to 5 April), only the figures confirmed from a primary source
(status ``P``) or from a secondary source quoting the official figure (status ``S``), each with its source.
Derived or unverified figures are never entered, and the loader refuses any other status.

``rates_for(on)`` picks the tax year that contains ``on``. A figure that year does not have (for example
a 2026-27 figure until the DHSC circular is entered) is carried forward from the latest earlier year that
has it or, when no earlier year does, taken from the nearest later year; the result is then ``provisional``
and its ``note`` says which year's figures are in use. ``check_year`` lists, for one tax year, every figure
the rules need and whether that year confirms it (``flask --app wsgi rates check``).

The national maximum interest rate on deferred payment agreements is dated data of its own
(``deferred_payment_interest_rates``): it is reset on 1 January and 1 July (Care and Support (Deferred Payment)
Regulations 2014, SI 2014/2671, reg 9: gilts rate plus 0.15%). ``rates_for(on)`` resolves the period that contains
``on``; when that period's rate is not held, the latest earlier one stands in and is flagged as not confirmed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "charging_rates.json"
COUNCILS_DIR = DATA_FILE.parent / "councils"
DEFAULT_COUNCIL = "hertfordshire"

SHIPPABLE_STATUSES = frozenset({"P", "S"})
"""P: primary source seen. S: secondary source quoting the official figure."""

FIGURE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "upper_capital_limit": "Upper capital limit (pounds)",
        "lower_capital_limit": "Lower capital limit (pounds)",
        "tariff_income_step": "Tariff income: each this many pounds, or part of it, above the lower limit",
        "tariff_income_per_step": "Tariff income: pounds a week for each step",
        "personal_expenses_allowance": "Personal expenses allowance, care home (weekly)",
        "mig_single_18_to_24": "Minimum income guarantee, single, aged 18 to 24 (weekly)",
        "mig_single_25_to_pension_age": "Minimum income guarantee, single, 25 to Pension Credit age (weekly)",
        "mig_single_pension_age": "Minimum income guarantee, single, Pension Credit age (weekly)",
        "mig_disability_premium_single": "Minimum income guarantee: disability premium, single (weekly)",
        "mig_enhanced_disability_premium_single": "Minimum income guarantee: enhanced disability premium, single",
        "attendance_allowance_lower": "Attendance Allowance, lower rate (weekly; for the night-care element)",
        "attendance_allowance_higher": "Attendance Allowance, higher rate (weekly; for the night-care element)",
        "dla_care_middle": "Disability Living Allowance care, middle rate (weekly; for the night-care element)",
        "dla_care_highest": "Disability Living Allowance care, highest rate (weekly; for the night-care element)",
        "pip_daily_living_standard": "PIP daily living, standard rate (weekly; for the night-care element)",
        "pip_daily_living_enhanced": "PIP daily living, enhanced rate (weekly; for the night-care element)",
        "savings_credit_disregard_single": "Savings Credit disregard, single (weekly; SI 2014/2672 Sch 1)",
        "carers_allowance_weekly": "Carer's Allowance (weekly)",
        "carers_allowance_earnings_limit": "Carer's Allowance earnings limit, after deductions (weekly)",
    }
)
RULE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "state_pension_age_years": "State Pension age assumed (years)",
        "deferred_payment_disposable_income_allowance": "Deferred payment: income a person may keep (weekly, at most)",
    }
)

DEFERRED_INTEREST_KEY = "deferred_payment_interest_rate"
"""The key of the deferred payment interest rate (percent a year) among an estimate's figures."""

ALL_YEARS = "all years"
"""The ``tax_year`` of a rule that does not change by year."""

_TAX_YEAR = re.compile(r"^([0-9]{4})-([0-9]{2})$")


class RatesNotAvailable(LookupError):
    """No charging figures exist for the requested date (it is before the earliest tax year held)."""


class MissingFigure(KeyError):
    """A figure is not confirmed for this tax year nor any earlier one."""


@dataclass(frozen=True)
class Figure:
    """One sourced figure. ``tax_year`` is the year it was published for, which may be earlier than the
    year asked for when it has been carried forward."""

    key: str
    amount: Decimal
    tax_year: str
    status: str
    source: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class CouncilSetting:
    """A council-level charging choice. ``value`` is ``None`` when the council's position is not confirmed."""

    key: str
    value: Any
    status: str
    source: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TaxYearEntry:
    tax_year: str
    starts: date
    ends: date
    figures: Mapping[str, Figure]
    not_shipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class InterestPeriod:
    """The national maximum deferred payment interest rate (percent a year) from ``starts`` (1 January or 1 July)."""

    starts: date
    rate_percent: Decimal
    status: str
    source: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class RatesTable:
    """Everything in the JSON file, validated."""

    years: tuple[TaxYearEntry, ...]
    rules: Mapping[str, Figure]
    deferred_interest: tuple[InterestPeriod, ...] = ()


@dataclass(frozen=True)
class CouncilProfile:
    """One council's local charging choices (``data/councils/<code>.json``), chosen by the ``COUNCIL`` setting."""

    code: str
    name: str
    settings: Mapping[str, CouncilSetting]


@dataclass(frozen=True)
class ChargingRates:
    """The figures to use for one tax year, each resolved to the latest year that confirms it."""

    tax_year: str
    starts: date
    ends: date
    figures_year: str
    figures: Mapping[str, Figure]
    provisional: bool
    note: str
    rules: Mapping[str, Figure] = field(default_factory=dict)
    council_name: str = ""
    council: Mapping[str, CouncilSetting] = field(default_factory=dict)
    deferred_interest: Figure | None = None
    """The deferred payment interest rate in force on the date asked about (``None`` when no period is held)."""

    def has(self, key: str) -> bool:
        return key in self.figures

    def figure(self, key: str) -> Figure:
        try:
            return self.figures[key]
        except KeyError:
            raise MissingFigure(key) from None

    def amount(self, key: str) -> Decimal:
        return self.figure(key).amount

    def is_carried_forward(self, key: str) -> bool:
        return self.figure(key).tax_year != self.tax_year

    def carried_forward(self) -> dict[str, str]:
        """Figure key -> the earlier tax year it comes from, for every carried-forward figure."""
        return {key: fig.tax_year for key, fig in self.figures.items() if fig.tax_year != self.tax_year}

    def council_setting(self, key: str) -> CouncilSetting | None:
        return self.council.get(key)


def tax_year_label(start_year: int) -> str:
    return f"{start_year:04d}-{(start_year + 1) % 100:02d}"


def tax_year_containing(on: date) -> str:
    """The UK tax year (6 April to 5 April) containing ``on``, as ``"2025-26"``."""
    start_year = on.year if on >= date(on.year, 4, 6) else on.year - 1
    return tax_year_label(start_year)


def tax_year_bounds(label: str) -> tuple[date, date]:
    start_year = _start_year(label)
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)


def _start_year(label: str) -> int:
    match = _TAX_YEAR.match(label)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"not a tax year label like '2025-26': {label!r}")
    return int(match.group(1))


def _decimal(raw: Any, where: str) -> Decimal:
    if isinstance(raw, float):
        raise ValueError(f"{where}: write amounts as strings, not floats")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(f"{where}: not an amount: {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{where}: not a non-negative amount: {raw!r}")
    return value


def _figure(key: str, raw: Mapping[str, Any], tax_year: str, allowed: Mapping[str, str]) -> Figure:
    where = f"{tax_year} {key}"
    if key not in allowed:
        raise ValueError(f"{where}: unknown figure key")
    status = raw.get("status")
    if status not in SHIPPABLE_STATUSES:
        raise ValueError(f"{where}: status {status!r} may not be shipped (only P or S)")
    source = (raw.get("source") or "").strip()
    if not source:
        raise ValueError(f"{where}: every figure needs a source")
    return Figure(
        key=key,
        amount=_decimal(raw.get("amount"), where),
        tax_year=tax_year,
        status=status,
        source=source,
        url=raw.get("url"),
        note=raw.get("note"),
    )


def _council_setting(key: str, raw: Mapping[str, Any]) -> CouncilSetting:
    status = raw.get("status")
    if status not in {*SHIPPABLE_STATUSES, "?"}:
        raise ValueError(f"council {key}: unknown status {status!r}")
    if status == "?" and raw.get("value") is not None:
        raise ValueError(f"council {key}: an unconfirmed setting must have value null")
    source = (raw.get("source") or "").strip()
    if not source:
        raise ValueError(f"council {key}: every setting needs a source")
    return CouncilSetting(
        key=key, value=raw.get("value"), status=status, source=source, url=raw.get("url"), note=raw.get("note")
    )


def parse_table(data: Mapping[str, Any]) -> RatesTable:
    """Validate the JSON structure and build a :class:`RatesTable`."""
    years: list[TaxYearEntry] = []
    for raw_year in data["tax_years"]:
        label = raw_year["tax_year"]
        starts, ends = tax_year_bounds(label)
        if raw_year.get("starts") != starts.isoformat() or raw_year.get("ends") != ends.isoformat():
            raise ValueError(f"{label}: starts/ends must be {starts} and {ends}")
        figures = {key: _figure(key, raw, label, FIGURE_KEYS) for key, raw in (raw_year.get("figures") or {}).items()}
        years.append(
            TaxYearEntry(
                tax_year=label,
                starts=starts,
                ends=ends,
                figures=MappingProxyType(figures),
                not_shipped=tuple(raw_year.get("not_shipped") or ()),
            )
        )
    if not years:
        raise ValueError("no tax years in the charging rates file")
    years.sort(key=lambda entry: entry.starts)
    labels = [entry.tax_year for entry in years]
    if len(set(labels)) != len(labels):
        raise ValueError("a tax year appears twice")
    rules = {key: _figure(key, raw, ALL_YEARS, RULE_KEYS) for key, raw in (data.get("rules") or {}).items()}
    interest = tuple(
        sorted(
            (_interest_period(raw) for raw in data.get("deferred_payment_interest_rates") or ()),
            key=lambda period: period.starts,
        )
    )
    if len({period.starts for period in interest}) != len(interest):
        raise ValueError("a deferred payment interest period appears twice")
    return RatesTable(years=tuple(years), rules=MappingProxyType(rules), deferred_interest=interest)


def _interest_period(raw: Mapping[str, Any]) -> InterestPeriod:
    try:
        starts = date.fromisoformat(str(raw.get("starts")))
    except ValueError:
        raise ValueError(f"deferred payment interest: not a date: {raw.get('starts')!r}") from None
    where = f"deferred payment interest from {starts}"
    if (starts.month, starts.day) not in ((1, 1), (7, 1)):
        raise ValueError(f"{where}: the national maximum rate is reset on 1 January and 1 July only")
    if raw.get("status") not in SHIPPABLE_STATUSES:
        raise ValueError(f"{where}: status {raw.get('status')!r} may not be shipped (only P or S)")
    source = (raw.get("source") or "").strip()
    if not source:
        raise ValueError(f"{where}: every figure needs a source")
    return InterestPeriod(
        starts=starts,
        rate_percent=_decimal(raw.get("rate_percent"), where),
        status=raw["status"],
        source=source,
        url=raw.get("url"),
        note=raw.get("note"),
    )


def interest_period_start(on: date) -> date:
    """The start of the deferred payment interest period containing ``on`` (1 January or 1 July)."""
    return date(on.year, 1 if on.month < 7 else 7, 1)


def deferred_interest_on(on: date, table: RatesTable, label: str) -> Figure | None:
    """The deferred payment interest rate for ``on``: its own period's rate, else the latest earlier one held
    (its ``tax_year`` then names the period it is from, so the estimate is flagged provisional)."""
    period_start = interest_period_start(on)
    held = [period for period in table.deferred_interest if period.starts <= period_start]
    if not held:
        return None
    period = held[-1]
    current = period.starts == period_start
    note = f"National maximum rate from {period.starts.isoformat()} (reset each 1 January and 1 July)."
    if not current:
        note += f" The rate from {period_start.isoformat()} is not held, so this earlier rate is used."
    return Figure(
        key=DEFERRED_INTEREST_KEY,
        amount=period.rate_percent,
        tax_year=label if current else f"period from {period.starts.isoformat()}",
        status=period.status,
        source=period.source,
        url=period.url,
        note=note if period.note is None else f"{note} {period.note}",
    )


def parse_council(data: Mapping[str, Any]) -> CouncilProfile:
    """Validate a council profile: every setting has a source; an unconfirmed one (``?``) has no value."""
    code, name = data.get("code"), data.get("name")
    if not code or not name:
        raise ValueError("a council profile needs a code and a name")
    settings = {key: _council_setting(key, raw) for key, raw in (data.get("settings") or {}).items()}
    return CouncilProfile(code=code, name=name, settings=MappingProxyType(settings))


@lru_cache(maxsize=8)
def load_council(council: str = DEFAULT_COUNCIL) -> CouncilProfile:
    """A council profile by code (a file in ``data/councils/``) or by the path of a JSON file."""
    path = Path(council) if council.endswith(".json") else COUNCILS_DIR / f"{council}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in COUNCILS_DIR.glob("*.json")))
        raise ValueError(f"no council profile {council!r}; known: {known}")
    return parse_council(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def load_table(path: Path = DATA_FILE) -> RatesTable:
    return parse_table(json.loads(Path(path).read_text(encoding="utf-8")))


def rates_for(on: date, table: RatesTable | None = None, council: CouncilProfile | None = None) -> ChargingRates:
    """The charging figures for the tax year containing ``on``.

    Each figure comes from that tax year when it is confirmed there, otherwise from the latest earlier year
    that confirms it, otherwise from the nearest later year (then ``provisional`` is true and ``note`` names
    the year in use). Dates before the earliest year held raise :class:`RatesNotAvailable`.
    """
    table = table or load_table()
    council = council or load_council()
    label = tax_year_containing(on)
    starts, ends = tax_year_bounds(label)
    earlier = [entry for entry in table.years if entry.starts <= starts]
    if not earlier:
        raise RatesNotAvailable(f"no charging figures for {on.isoformat()} (tax year {label})")

    resolved: dict[str, Figure] = {}
    for entry in earlier:  # oldest first, so later years overwrite earlier ones
        resolved.update(entry.figures)
    later = [entry for entry in table.years if entry.starts > starts]
    for entry in later:  # nearest first: a figure no earlier year holds stands in from the nearest later year
        for key, figure in entry.figures.items():
            resolved.setdefault(key, figure)
    with_figures = [entry for entry in earlier if entry.figures]
    figures_year = with_figures[-1].tax_year if with_figures else label
    carried = {key: fig.tax_year for key, fig in resolved.items() if fig.tax_year != label}

    return ChargingRates(
        tax_year=label,
        starts=starts,
        ends=ends,
        figures_year=figures_year,
        figures=MappingProxyType(resolved),
        provisional=bool(carried),
        note=describe_rates(label, figures_year, carried),
        rules=table.rules,
        council_name=council.name,
        council=council.settings,
        deferred_interest=deferred_interest_on(on, table, label),
    )


def describe_rates(label: str, figures_year: str, carried: Mapping[str, str]) -> str:
    """Say which year's figures are in use for tax year ``label`` (``carried``: figure key -> its year)."""
    if not carried:
        return f"{label} figures."
    if figures_year != label:
        text = f"{label} figures are not confirmed yet; using {figures_year} figures."
    else:
        text = f"{label} figures."
    older = sorted({year for year in carried.values() if year != figures_year})
    for year in older:
        keys = ", ".join(sorted(key for key, fig_year in carried.items() if fig_year == year))
        text += f" Not confirmed for {label}, so {year} amounts are used for: {keys}."
    return text


@dataclass(frozen=True)
class FigureCheck:
    """Whether one tax year confirms one figure the rules need. ``figure`` is what an estimate would use
    (possibly from another year); ``problem`` is ``None`` when the year itself confirms it."""

    key: str
    description: str
    figure: Figure | None
    problem: str | None


def check_year(label: str, table: RatesTable | None = None) -> list[FigureCheck]:
    """Every figure and rule the charging and carers rules need, for tax year ``label``."""
    table = table or load_table()
    starts, _ = tax_year_bounds(label)
    try:
        resolved = rates_for(starts, table)
    except RatesNotAvailable:
        resolved = None
    checks = []
    for key, description in FIGURE_KEYS.items():
        figure = resolved.figures.get(key) if resolved else None
        if figure is None:
            problem = "missing: no year holds it"
        elif figure.tax_year != label:
            problem = f"not confirmed for {label}: {figure.tax_year} amount would be used"
        else:
            problem = None
        checks.append(FigureCheck(key, description, figure, problem))
    for key, description in RULE_KEYS.items():
        figure = table.rules.get(key)
        checks.append(FigureCheck(key, description, figure, None if figure else "missing"))
    return checks
