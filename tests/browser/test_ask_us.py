"""Every "Ask us" reply kind, by keyboard, without JavaScript and through axe, in English and Arabic (RTL)."""

from __future__ import annotations

import pytest
from browser_support import assert_accessible, assert_focus_visible, open_page, submit, tab_to

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "ar"]
# (message, the reply kind it gets): the urgent one in the page's language as well as English.
MESSAGES = {
    "en": [
        ("my mum keeps falling over", "answer"),
        ("help with forms", "clarify"),
        ("my partner hits me and takes my money", "urgent"),
    ],
    "ar": [
        ("my mum keeps falling over", "answer"),
        ("help with forms", "clarify"),
        ("زوجي يضربني ويأخذ مالي", "urgent"),
    ],
}


def say(tab, message: str, postcode: str = "") -> None:
    tab.locator("#message").fill(message)
    tab.locator("#postcode").fill(postcode)
    submit(tab, lambda: tab.locator("#submit").click())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reply_kind_has_no_wcag_violations(tab, lang):
    open_page(tab, f"/ask?lang={lang}")
    assert tab.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    for message, kind in MESSAGES[lang]:
        say(tab, message, "SG1 1AA")
        latest = tab.locator("#latest")
        if kind == "clarify":
            assert 2 <= latest.locator('button[name="intent"]').count() <= 4
        if kind == "urgent":
            assert latest.locator('a[href="tel:999"]').count() == 1
        assert_accessible(tab, f"an ask us {kind} reply in {lang}")
    say(tab, "she is 85 and lives alone")
    assert tab.locator('[aria-labelledby="urgent-help"] a[href^="tel:"]').count() >= 3
    assert_accessible(tab, f"an ask us follow-up after a disclosure in {lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ask_us_by_keyboard_alone(tab, lang):
    open_page(tab, f"/ask?lang={lang}")
    tab_to(tab, "#message")
    assert_focus_visible(tab, "the message box")
    tab.keyboard.type("help")
    tab_to(tab, "#submit")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    tab_to(tab, '#latest button[name="intent"]', limit=120)
    assert_focus_visible(tab, "a choice")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    assert tab.locator("#latest a").count() > 0, "the choice is answered with a guide or services"
    tab_to(tab, "#message", limit=120)
    tab.keyboard.type("I want to end my life")
    tab_to(tab, "#submit")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    tab_to(tab, '#latest a[href="tel:116123"]', limit=120)
    assert_focus_visible(tab, "the Samaritans number")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reply_kind_works_without_javascript(no_js, lang):
    open_page(no_js, f"/ask?lang={lang}")
    assert not no_js.evaluate("document.body.classList.contains('js-enabled')")
    say(no_js, "help")
    submit(no_js, lambda: no_js.locator('#latest button[name="intent"]').first.click())
    assert no_js.locator("#latest a").count() > 0
    say(no_js, MESSAGES[lang][2][0], "SG1 1AA")
    assert no_js.locator('#latest a[href="tel:999"]').count() == 1
    say(no_js, "is there a lunch club")
    assert no_js.locator('[aria-labelledby="urgent-help"]').is_visible(), "the disclosure stays at the top"
    assert no_js.locator("#latest a[href*='category=meals']").count() > 0
    submit(no_js, lambda: no_js.locator('form[action$="/ask/start-again"] button').click())
    assert no_js.locator(".signpost-turn").count() == 0
    assert no_js.locator('[aria-labelledby="urgent-help"]').count() == 0


@pytest.fixture
def no_js(new_context):
    return new_context(java_script_enabled=False).new_page()
