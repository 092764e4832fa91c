"""Paying for care walked as the issue's three residents would, in Chromium, on a phone and a desktop, in
English, Urdu and Arabic: the result page gives the estimate API's answer for the same facts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from browser_support import assert_accessible, open_page, screenshot, submit
from guide_answers import answer_for, fill_answer

from tests.support.guide_answers import CARE_HOME_MOVE_WITH_A_HOUSE, PENSIONER_WHO_RENTS, WORKING_AGE_ON_PIP, as_json

pytestmark = pytest.mark.browser

PERSONAS = {
    "pensioner-renting-on-attendance-allowance": PENSIONER_WHO_RENTS,
    "working-age-on-pip": WORKING_AGE_ON_PIP,
    "care-home-move-with-a-house": CARE_HOME_MOVE_WITH_A_HOUSE,
}
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
AMOUNT = re.compile(r"£([\d,]+\.\d{2})")


def money_in(tab, selector: str) -> list[Decimal]:
    if tab.locator(selector).count() == 0:
        return []
    return [Decimal(m.replace(",", "")) for m in AMOUNT.findall(tab.locator(selector).inner_text())]


def expected_from_api(tab, persona: dict) -> dict:
    body = as_json(persona)
    body.pop("tax_year")  # today's, as the pages use
    response = tab.request.post("/api/v1/paying-for-care/estimate", data=body)
    assert response.ok, response.text()
    result = response.json()
    if result["self_funder"]:
        headline = [Decimal(result["weekly_contribution"])]
    else:
        headline = [Decimal(result["weekly_contribution"]), Decimal(result["council_pays"])]
    later = result["from_week_13"]
    return {"headline": headline, "from_week_13": Decimal(later["weekly_contribution"]) if later else None}


@pytest.mark.parametrize("lang", ["en", "ur", "ar"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PERSONAS)
def test_the_result_page_gives_the_apis_answer(new_context, name, viewport, lang):
    persona = PERSONAS[name]
    tab = new_context(viewport=VIEWPORTS[viewport]).new_page()
    open_page(tab, f"/guides/paying-for-care?lang={lang}")
    submit(tab, lambda: tab.locator("main a.govuk-button--start").click())
    for _ in range(30):
        if tab.url.endswith("/check-your-answers"):
            break
        fill_answer(tab, answer_for(persona, tab.url))
        submit(tab, lambda: tab.locator("main form button.govuk-button").first.click())
    assert tab.url.endswith("/check-your-answers")
    submit(tab, lambda: tab.locator("main a.govuk-button[href$='/result']").click())
    assert tab.url.endswith("/result")
    expected = expected_from_api(tab, persona)
    assert money_in(tab, "#headline") == expected["headline"]
    if expected["from_week_13"] is not None:
        assert money_in(tab, "#from-week-13")[0] == expected["from_week_13"]
    assert tab.locator("#figures li[data-figure]").count() >= 5
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page reflows"
    screenshot(tab, f"paying-for-care-{name}-{viewport}-{lang}")
    if viewport == "phone":
        assert_accessible(tab, f"the paying-for-care result ({name}, {lang})")
