"""The two next-step forms from a guide's result, "send your result" and "ask for an assessment", on a phone
(375 px) in English and Arabic: no WCAG 2.2 A/AA violations with and without errors, no sideways scrolling,
and a request that ends with its reference on the page."""

from __future__ import annotations

import re

import pytest
from browser_support import assert_accessible, open_page, screenshot, submit
from guide_answers import GUIDES, answer_for, fill_answer
from test_axe import staff_account  # noqa: F401  (a fixture: an admin on the live server)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def reflows(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def walk_to_result(tab, flow: str, lang: str) -> None:
    open_page(tab, f"/guides/{flow}?lang={lang}")
    submit(tab, lambda: tab.locator("main a.govuk-button--start").click())
    for _ in range(30):
        if tab.url.endswith("/check-your-answers"):
            break
        fill_answer(tab, answer_for(GUIDES[flow], tab.url))
        submit(tab, lambda: tab.locator("main form button.govuk-button").first.click())
    submit(tab, lambda: tab.locator("main a.govuk-button[href$='/result']").click())
    assert tab.url.endswith("/result")


def press_the_button(tab) -> None:
    submit(tab, lambda: tab.locator("main form button.govuk-button").click())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_sending_the_carers_result_on_a_phone(new_context, lang):
    tab = new_context(viewport=PHONE).new_page()
    walk_to_result(tab, "carers", lang)
    submit(tab, lambda: tab.locator("#send-result").click())
    assert tab.url.endswith("/guides/carers/result/send")
    assert reflows(tab)
    assert_accessible(tab, f"the send-your-result form ({lang})")

    tab.locator('input[name="send_by"][value="sms"]').check()
    tab.locator('input[name="mobile"]').fill("0123")
    press_the_button(tab)
    assert (
        tab.locator(".govuk-error-summary").is_visible() and tab.locator('input[name="mobile"]').input_value() == "0123"
    )
    assert reflows(tab)
    assert_accessible(tab, f"the send-your-result form with an error ({lang})")
    screenshot(tab, f"send-result-error-375-{lang}")

    tab.locator('input[name="mobile"]').fill("07700 900 982")
    press_the_button(tab)
    assert tab.url.endswith("/guides/carers/result/sent")
    assert_accessible(tab, f"the result-sent page ({lang})")


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(("flow", "prefix"), [("paying-for-care", "FA"), ("carers", "CA")])
def test_asking_for_an_assessment_on_a_phone(new_context, flow, prefix, lang):
    tab = new_context(viewport=PHONE).new_page()
    walk_to_result(tab, flow, lang)
    submit(tab, lambda: tab.locator("#ask-for-assessment").click())
    assert tab.url.endswith(f"/guides/{flow}/result/ask-for-an-assessment")
    assert reflows(tab)
    assert_accessible(tab, f"the {flow} request form ({lang})")

    tab.locator('input[name="name"]').fill("Pat Resident")
    press_the_button(tab)
    assert tab.locator(".govuk-error-summary").is_visible()
    assert tab.locator('input[name="name"]').input_value() == "Pat Resident", "nothing typed is lost"
    assert reflows(tab)
    assert_accessible(tab, f"the {flow} request form with errors ({lang})")
    screenshot(tab, f"ask-for-assessment-{flow}-errors-375-{lang}")

    tab.locator('input[name="contact_by"][value="phone"]').check()
    tab.locator('input[name="phone"]').fill("01992 555 555")
    tab.locator('input[name="best_time"][value="afternoon"]').check()
    tab.locator('input[name="consent"]').check()
    press_the_button(tab)
    assert tab.url.endswith("/ask-for-an-assessment/sent")
    assert re.fullmatch(prefix + r"-[A-Z0-9]{4}", tab.locator("#reference").inner_text().strip())
    assert reflows(tab)
    assert_accessible(tab, f"the {flow} request sent page ({lang})")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_staff_queue_lists_views_and_closes_a_request(new_context, staff_account, lang):  # noqa: F811
    resident = new_context(viewport=PHONE).new_page()
    open_page(resident, f"/guides/carers/result/ask-for-an-assessment?lang={lang}")
    resident.locator('input[name="name"]').fill("Sam Carer")
    resident.locator('input[name="contact_by"][value="email"]').check()
    resident.locator('input[name="email"]').fill("sam@example.org")
    resident.locator('input[name="best_time"][value="any"]').check()
    resident.locator('input[name="consent"]').check()
    press_the_button(resident)
    reference = resident.locator("#reference").inner_text().strip()

    tab = new_context().new_page()
    email, password = staff_account
    open_page(tab, f"/staff/login?lang={lang}")
    tab.locator("#email").fill(email)
    tab.locator("#password").fill(password)
    submit(tab, lambda: tab.locator("form [type=submit]").first.click())
    open_page(tab, "/staff/assessment-requests")
    assert_accessible(tab, f"the assessment request queue ({lang})")
    submit(tab, lambda: tab.get_by_role("link", name=reference).click())
    assert_accessible(tab, f"an assessment request ({lang})")
    tab.locator('input[name="status"][value="closed"]').check()
    press_the_button(tab)
    assert tab.locator(".govuk-error-summary").is_visible(), "a note is needed"
    assert_accessible(tab, f"an assessment request with an error ({lang})")
    tab.locator('textarea[name="note"]').fill("Called back; carer's assessment booked")
    press_the_button(tab)
    assert "booked" in tab.locator("#closed-note").inner_text()
