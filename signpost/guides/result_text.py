"""A guide's result as plain text, for "send my result" by email or text message.

The key figures and findings only, in the same words as the result page (the same msgids), so a resident
reads the same thing in the message as on the screen. The result comes from ``views.finished_result``, the
one path to a result; nothing here works anything out.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from signpost.guides.carers import CarerAdvice
from signpost.guides.charging import Estimate
from signpost.guides.facts import yearly
from signpost.platform.money import pounds

BENEFIT_NAMES = {
    "attendance_allowance": _l("Attendance Allowance"),
    "pension_credit": _l("Pension Credit"),
    "pip": _l("Personal Independence Payment"),
}


def _headline(estimate: Estimate, first_weeks: bool) -> str:
    """The result page's headline (guides/paying_for_care_outcome.html), word for word."""
    if estimate.self_funding:
        if first_weeks:
            return _(
                "For your first 12 weeks in the care home you would probably pay the full cost: %(cost)s a week.",
                cost=pounds(estimate.weekly_care_cost),
            )
        return _(
            "You would probably pay the full cost of your care: %(cost)s a week.",
            cost=pounds(estimate.weekly_care_cost),
        )
    if estimate.estimate_available:
        you, council = pounds(estimate.weekly_contribution), pounds(estimate.council_pays_weekly)
        if first_weeks:
            return _(
                "For your first 12 weeks in the care home you might pay about %(you)s a week, and the council about "
                "%(council)s a week.",
                you=you,
                council=council,
            )
        return _(
            "You might pay about %(you)s a week, and the council about %(council)s a week.", you=you, council=council
        )
    return _("We cannot estimate this online. Ask the council for a financial assessment.")


def paying_for_care_lines(estimate: Estimate) -> list[str]:
    """The estimate's key figures, one line each."""
    later = estimate.from_week_13
    lines = [_headline(estimate, later is not None)]
    if estimate.weekly_contribution is not None and later is None:
        lines.append(_("Over a year that is about %(year)s.", year=pounds(yearly(estimate.weekly_contribution))))
    elif estimate.weekly_contribution is not None:
        lines.append(_("Over the 12 weeks that is about %(total)s.", total=pounds(estimate.weekly_contribution * 12)))
    if later is not None:
        if later.self_funding:
            lines.append(
                _(
                    "From week 13 your home counts as savings, so you would probably pay the full cost: "
                    "%(cost)s a week (about %(year)s a year).",
                    cost=pounds(later.weekly_care_cost),
                    year=pounds(yearly(later.weekly_care_cost)),
                )
            )
        elif later.estimate_available:
            lines.append(
                _(
                    "From week 13 your home counts as savings. You might then pay about %(you)s a week (about %(year)s "
                    "a year), and the council about %(council)s a week.",
                    you=pounds(later.weekly_contribution),
                    year=pounds(yearly(later.weekly_contribution)),
                    council=pounds(later.council_pays_weekly),
                )
            )
    if estimate.deferred_payment_may_apply:
        lines.append(_("You may not have to sell your home straight away: ask the council about a deferred payment."))
    missing = [str(BENEFIT_NAMES[b]) for b in estimate.benefits_to_check if b in BENEFIT_NAMES]
    if missing:
        lines.append(_("Benefits you may be missing: %(benefits)s.", benefits=", ".join(missing)))
    lines.append(_("Figures for the %(year)s tax year (6 April to 5 April).", year=estimate.tax_year))
    lines.append(
        _("This is an estimate, not a decision. The council works out what you pay in a free financial assessment.")
    )
    return lines


CARERS_HEADINGS = {
    "carers_assessment": _l("Ask for a carer's assessment"),
    "young_carers_assessment": _l("Support for young carers"),
    "carers_allowance_likely": _l("You may be able to get Carer's Allowance"),
    "carers_allowance_unlikely": _l("Carer's Allowance is unlikely at the moment"),
    "severe_disability_premium_warning": _l(
        "Before you claim: your Carer's Allowance can stop a severe disability premium or addition the person "
        "you look after gets. Get free benefits advice first."
    ),
    "cared_for_benefit_check": _l("Check the benefits of the person you look after"),
    "carers_credit": _l("Carer's Credit"),
    "breaks": _l("Breaks from caring"),
    "emergency_plan": _l("Plan for an emergency"),
    "own_health": _l("Your own health"),
    "work": _l("Work and caring"),
}
"""Each finding's heading on the carers result page (guides/carers_outcome.html); others are not sent."""


def _carers_figure(key: str, params: Any) -> str | None:
    if key == "carers_allowance_likely" and params.get("weekly"):
        return _("Carer's Allowance is %(amount)s a week.", amount=pounds(params["weekly"]))
    if key == "carers_allowance_unlikely" and "earnings" in params.get("reasons", ()) and params.get("limit"):
        return _("You can earn up to %(limit)s a week after deductions.", limit=pounds(params["limit"]))
    return None


def carers_lines(advice: CarerAdvice) -> list[str]:
    """Each finding's heading, with Carer's Allowance's weekly amount or earnings limit, as on the result page."""
    lines = []
    for finding in advice.findings:
        heading = CARERS_HEADINGS.get(finding.key)
        if heading is None:
            continue
        figure = _carers_figure(finding.key, finding.params)
        lines.append(f"{heading}: {figure}" if figure else str(heading))
    lines.append(_("This is a guide, not a decision: the council or the Department for Work and Pensions decides."))
    return lines


def result_lines(result: Any) -> list[str]:
    """The key lines of either guide's result."""
    if isinstance(result, Estimate):
        return paying_for_care_lines(result)
    if isinstance(result, CarerAdvice):
        return carers_lines(result)
    return []


def message_body(title: str, result: Any, guide_url: str, helpline: str) -> str:
    """The whole message: what it is, the key lines, where to see the guide again and whom to call."""
    return "\n".join(
        [
            title,
            "",
            *("- " + line for line in result_lines(result)),
            "",
            _("See the guide again: %(url)s", url=guide_url),
            helpline,
        ]
    )
