"""The commissioner dashboard: indicators against target over time, breakdowns, CSV exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, StringField, SubmitField

from directory import repository as directory_repository
from directory import unmet_need
from directory.postcodes import HERTFORDSHIRE_DISTRICTS
from signpost.platform import audit
from signpost.platform.auth import roles_required
from signpost.platform.widgets import GovSelect, GovSubmitInput, GovTextInput
from surveys import reporting, repository
from surveys.definition import QuestionType
from surveys.exporting import csv_response
from surveys.indicators import Breakdown, BreakdownRow, IndicatorResult
from surveys.repository import Scope

bp = Blueprint("commissioners", __name__, url_prefix="/commissioners")

COMMISSIONERS = ("commissioner",)
BREAKDOWN_TITLES = {
    "district": _l("By district"),
    "organisation": _l("By organisation"),
    "organisation_type": _l("By organisation type"),
    "need_category": _l("By type of help needed"),
}


class FilterForm(Form):
    """A GET form (it changes nothing), checked by the same rules as the API."""

    date_from = StringField(_l("From"), name="from", description=_l("For example, 2025-04-01"), widget=GovTextInput())
    date_to = StringField(_l("To"), name="to", description=_l("For example, 2026-03-31"), widget=GovTextInput())
    district = SelectField(_l("District"), widget=GovSelect(), validate_choice=False)
    submit = SubmitField(_l("Show figures"), widget=GovSubmitInput())

    def __init__(self, formdata: MultiDict, default: Scope) -> None:
        super().__init__(formdata)
        self.district.choices = [("", _l("All of Hertfordshire")), *[(d, d) for d in HERTFORDSHIRE_DISTRICTS]]
        self.date_from.data = self.date_from.data or default.date_from.isoformat()
        self.date_to.data = self.date_to.data or default.date_to.isoformat()
        self.scope: Scope = default

    def validate(self, extra_validators: Any = None) -> bool:
        super().validate(extra_validators)
        fields = {"from": self.date_from, "to": self.date_to, "district": self.district}
        try:
            self.scope = reporting.parse_scope(
                {"from": self.date_from.data, "to": self.date_to.data, "district": self.district.data}
            )
        except reporting.ScopeError as error:
            message = str(error)
            name = next((key for key in fields if message.startswith(f"'{key}'")), "from")
            fields[name].errors = [*fields[name].errors, _scope_message(message)]
            return False
        return True


def _scope_message(message: str) -> Any:
    if "YYYY-MM-DD" in message:
        return _l("Enter the date as year-month-day, like 2025-04-01")
    if "on or before" in message:
        return _l("The ‘from’ date must be the same as or before the ‘to’ date")
    if "district" in message:
        return _l("Select a district from the list")
    return _l("Enter a date between 2000 and next year")


def _filters() -> tuple[FilterForm, Scope | None]:
    form = FilterForm(MultiDict(request.args), reporting.financial_year_scope())
    return form, (form.scope if form.validate() else None)


def period_shown(scope: Scope) -> str:
    """The period as a page says it: the financial year ("2025-26"), else its first and last days in words in
    the page's language ("1 April 2026 to 4 December 2026"); the CSV and JSON keep ``reporting.period_label``."""
    label = reporting.period_label(scope)
    if scope.date_from.isoformat() not in label:
        return label
    return _(
        "%(start)s to %(end)s",
        start=format_date(scope.date_from, "d MMMM y"),
        end=format_date(scope.date_to, "d MMMM y"),
    )


@bp.get("/indicators")
@roles_required(*COMMISSIONERS)
def indicators():
    form, scope = _filters()
    sections = []
    if scope is not None:
        need_names = {term.code: term.name for term in directory_repository.categories()}
        sections = reporting.sections(scope, BREAKDOWN_TITLES, need_names)
    query = {"from": form.date_from.data, "to": form.date_to.data, "district": form.district.data or None}
    period = period_shown(scope) if scope else None
    previous = reporting.period_label(reporting.previous_year(scope)) if scope else None
    return render_template(
        "surveys/dashboard.html",
        form=form,
        scope=scope,
        sections=sections,
        query=query,
        period=period,
        previous_period=previous,
    )


FUNNEL_HEADER = (
    "indicator",
    "name",
    "organisation",
    "positive",
    "ratings",
    "percent",
    "county_percent",
    "lower_998",
    "lower_95",
    "upper_95",
    "upper_998",
    "verdict",
    "suppressed",
)


def funnel_rows(scope: Scope) -> list[list[Any]]:
    """The funnel figures of every indicator, one row per organisation: the CSV and JSON give exactly these."""
    rows: list[list[Any]] = []
    indicators = reporting.all_indicators()
    tallies = reporting.Tallies(repository.CountRequest(indicator, scope, "organisation") for indicator in indicators)
    for indicator in indicators:
        figures = reporting.funnel(indicator, scope, tallies)
        for point in figures.points:
            rows.append(
                [
                    indicator.id,
                    indicator.name,
                    point.organisation,
                    point.positive,
                    point.n,
                    point.percent,
                    figures.county_percent,
                    point.lower_998,
                    point.lower_95,
                    point.upper_95,
                    point.upper_998,
                    point.verdict,
                    point.suppressed,
                ]
            )
    return rows


@bp.get("/funnel.csv")
@roles_required(*COMMISSIONERS)
def funnel_csv():
    form, scope = _filters()
    if scope is None:
        return render_template("surveys/dashboard.html", form=form, scope=None, sections=[], query={}), 400
    filename = f"funnel-{scope.date_from.isoformat()}-to-{scope.date_to.isoformat()}.csv"
    audit.record("export.funnel_csv", filename)
    return csv_response(filename, FUNNEL_HEADER, funnel_rows(scope))


@bp.get("/funnel.json")
@roles_required(*COMMISSIONERS)
def funnel_json():
    form, scope = _filters()
    if scope is None:
        return jsonify(error="invalid filters"), 400
    return jsonify(
        period=reporting.period_label(scope),
        organisations=[dict(zip(FUNNEL_HEADER, row, strict=True)) for row in funnel_rows(scope)],
    )


def _result_row(indicator_id: str, name: str, by: str, group: str, figures: IndicatorResult) -> list[Any]:
    shown = reporting.disclosed(figures)
    return [
        indicator_id,
        name,
        by,
        group,
        *(shown[key] for key in ("positive", "n", "excluded", "blank", "percent", "ci_low", "ci_high")),
        figures.suppressed,
        figures.target.value if figures.target else None,
        figures.baseline.value if figures.baseline else None,
    ]


def _breakdown_rows(indicator_id: str, name: str, table: Breakdown) -> Iterator[list[Any]]:
    rows: list[BreakdownRow] = [*table.rows, table.total]
    for row in rows:
        yield [
            indicator_id,
            name,
            table.by,
            row.group if row is not table.total else "Total",
            row.positive.display,
            row.n.display,
            row.excluded.display,
            row.blank.display,
            "[c]" if row.suppressed else row.percent,
            "[c]" if row.suppressed else row.ci_low,
            "[c]" if row.suppressed else row.ci_high,
            row.suppressed,
            None,
            None,
        ]


INDICATOR_HEADER = (
    "indicator",
    "name",
    "breakdown",
    "group",
    "positive",
    "denominator",
    "excluded",
    "blank",
    "percent",
    "ci95_low",
    "ci95_high",
    "suppressed",
    "target",
    "baseline",
)


@bp.get("/indicators.csv")
@roles_required(*COMMISSIONERS)
def indicators_csv():
    form, scope = _filters()
    if scope is None:
        return render_template("surveys/dashboard.html", form=form, scope=None, sections=[], query={}), 400
    need_names = {term.code: term.name for term in directory_repository.categories()}
    rows: list[list[Any]] = []
    indicators = reporting.all_indicators()
    tallies = reporting.Tallies.of(indicators, scope, breakdowns=True)
    for indicator in indicators:
        overall = reporting.result(indicator, scope, tallies)
        rows.append(_result_row(indicator.id, indicator.name, "overall", "", overall))
        for label, figures in reporting.trend(indicator, scope, tallies):
            rows.append(_result_row(indicator.id, indicator.name, "quarter", label, figures))
        for by in reporting.BREAKDOWNS:
            table = reporting.breakdown(indicator, scope, by, need_names, tallies)
            rows.extend(_breakdown_rows(indicator.id, indicator.name, table))
    filename = f"indicators-{scope.date_from.isoformat()}-to-{scope.date_to.isoformat()}.csv"
    audit.record("export.indicators_csv", filename)
    return csv_response(filename, INDICATOR_HEADER, rows)


@bp.get("/responses.csv")
@roles_required(*COMMISSIONERS)
def responses_csv():
    """Anonymised responses: no contact details, no free text (it may name people), dates only."""
    form, scope = _filters()
    survey_id = request.args.get("survey", "signposting")
    if scope is None or survey_id not in reporting.surveys():
        return render_template("surveys/dashboard.html", form=form, scope=None, sections=[], query={}), 400
    definition = reporting.survey(survey_id)
    questions = [q for q in definition.questions if q.type is not QuestionType.FREE_TEXT]
    header = [
        "submitted_on",
        "source",
        "district",
        "need_category",
        "channel",
        "organisation",
        "organisation_type",
        *[q.id for q in questions],
    ]
    rows = (
        [
            response.submitted_on.isoformat(),
            response.source,
            response.district,
            response.need_category,
            response.channel,
            response.organisation_name,
            response.organisation_type,
            *[answers.get(q.id) for q in questions],
        ]
        for response, answers in repository.responses_for_export(survey_id, scope)
    )
    filename = f"{survey_id}-responses-{scope.date_from.isoformat()}-to-{scope.date_to.isoformat()}.csv"
    audit.record("export.responses_csv", filename)
    return csv_response(filename, header, rows)


@bp.get("/unmet-need")
@roles_required(*COMMISSIONERS)
def unmet_need_page():
    """What residents search for and ask about, by month, district and need, and how often nothing nearby
    was found: counts only, small ones hidden."""
    form, scope = _filters()
    rows = unmet_need.table(scope.date_from, scope.date_to, scope.district) if scope else []
    need_names = {term.code: term.name for term in directory_repository.categories()}
    return render_template(
        "surveys/unmet_need.html",
        form=form,
        scope=scope,
        rows=rows,
        need_names=need_names,
        period=period_shown(scope) if scope else None,
    )
