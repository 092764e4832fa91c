"""Every "Ask us" reply kind, by keyboard, without JavaScript and through axe, in English and Arabic (RTL)."""

from __future__ import annotations

import pytest
from browser_support import assert_accessible, assert_focus_visible, open_page, screenshot, submit, tab_to

pytestmark = pytest.mark.browser
SECRET = "browser-test-secret"  # the live server's SECRET_KEY (conftest.py)
UNSURE_TEXT = {"en": "I could not work out what you need", "ar": None}

LANGUAGES = ["en", "ar"]
# (message, the reply kind it gets): the urgent one in the page's language as well as English.
MESSAGES = {
    "en": [
        ("is there a lunch club for my dad", "answer"),
        ("help with forms", "clarify"),
        ("asdfgh", "unsure"),
        ("my partner hits me and takes my money", "urgent"),
    ],
    "ar": [
        ("is there a lunch club for my dad", "answer"),
        ("help with forms", "clarify"),
        ("asdfgh", "unsure"),
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
        if kind in ("clarify", "unsure"):
            assert 2 <= latest.locator('button[name="intent"]').count() <= 4
        if kind == "unsure" and UNSURE_TEXT[lang]:
            assert UNSURE_TEXT[lang] in latest.inner_text()
        assert latest.locator('a[href="tel:03001234044"]').count() >= 1, "HertsHelp is a number to call"
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
    tab_to(tab, "#latest a", limit=120)
    assert_focus_visible(tab, "a link in the answer")
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
    say(no_js, "asdfgh")
    assert 2 <= no_js.locator('#latest button[name="intent"]').count() <= 4, "nonsense gets the main choices"
    say(no_js, MESSAGES[lang][-1][0], "SG1 1AA")
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


def unsure_session(context, base_url: str, lang: str) -> None:
    """Put an "unsure" turn in the browser's session cookie, signed as the app signs it.

    With the model loaded nearly every message is answered or asked about (``clarify``); ``unsure`` is the reply
    when nothing at all was recognised (as without the model), so it is set up here as the page would store it.
    """
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    app = Flask(__name__)
    app.secret_key = SECRET
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    turns = [
        {"who": "you", "text": "xq zzv"},
        {"who": "signpost", "kind": "unsure", "options": ["paying_for_care", "carer", "money"]},
    ]
    value = serializer.dumps({"ask": {"state": {"previous": "xq zzv"}, "turns": turns}})
    context.add_cookies([{"name": "session", "value": value, "url": base_url}])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unsure_reply_by_keyboard_without_javascript_and_through_axe(new_context, live_server, lang):
    for js in (True, False):
        context = new_context(java_script_enabled=js)
        unsure_session(context, live_server, lang)
        page = context.new_page()
        open_page(page, f"/ask?lang={lang}")
        latest = page.locator("#latest")
        assert 2 <= latest.locator('button[name="intent"]').count() <= 4
        if UNSURE_TEXT[lang]:
            assert UNSURE_TEXT[lang] in latest.inner_text()
        if js:
            assert_accessible(page, f"an ask us unsure reply in {lang}")
            tab_to(page, '#latest button[name="intent"]', limit=120)
            assert_focus_visible(page, "a choice after an unsure reply")
            submit(page, lambda page=page: page.keyboard.press("Enter"))
        else:
            submit(page, lambda latest=latest: latest.locator('button[name="intent"]').first.click())
        assert page.locator("#latest a").count() > 0, "the choice is answered with a guide or services"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reply_kind_at_phone_and_desktop_widths(new_context, lang):
    """Nothing runs off the page at 375 px or 1280 px; screenshots in test-results/ for a person to look at."""
    for width in (375, 1280):
        page = new_context(viewport={"width": width, "height": 800}).new_page()
        open_page(page, f"/ask?lang={lang}")
        for message, kind in MESSAGES[lang]:
            say(page, message, "SG1 1AA")
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"the {kind} reply in {lang} is {wide} px wide at {width} px"
            # A phone number is drawn on one line, never "0300 123" on one and "4042" on the next.
            broken = page.evaluate(
                "[...document.querySelectorAll('a[href^=\"tel:\"]')]"
                ".filter(a => new Set([...a.getClientRects()].map(r => Math.round(r.top))).size > 1)"
                ".map(a => a.textContent)"
            )
            assert not broken, f"phone numbers broken in two in the {kind} reply in {lang} at {width} px: {broken}"
        screenshot(page, f"ask-us-{lang}-{width}")
