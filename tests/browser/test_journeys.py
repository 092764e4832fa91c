"""Journeys a resident makes with only a keyboard, and with JavaScript turned off."""

from __future__ import annotations

import pytest
from browser_support import assert_focus_visible, open_page, submit, tab_to
from guide_answers import GUIDES, answer_for, fill_answer, question_id

pytestmark = pytest.mark.browser

GUIDE = next(iter(GUIDES))  # paying for care: the longest guide, with radios, checkboxes and money


def test_the_skip_link_is_first_and_moves_focus_to_the_main_content(tab):
    open_page(tab, "/directory/search")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.classList.contains('govuk-skip-link')")
    assert_focus_visible(tab, "the skip link")
    assert tab.locator(".govuk-skip-link").is_visible()
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.activeElement && document.activeElement.id === 'main-content'")
    tab.keyboard.press("Tab")
    in_main = "document.getElementById('main-content').contains(document.activeElement)"
    assert tab.evaluate(in_main), "the next Tab after the skip link lands inside the main content"


def test_search_then_a_service_then_print_by_keyboard(tab):
    open_page(tab, "/")
    tab_to(tab, "#q")
    assert_focus_visible(tab, "the search box")
    tab.keyboard.type("lunch club")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    assert "/directory/search" in tab.url and "q=lunch+club" in tab.url
    tab_to(tab, "#results a", limit=120)
    assert_focus_visible(tab, "the first result")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    assert "/directory/services/" in tab.url
    tab.evaluate("window.print = () => { window.signpostPrinted = true; }")
    tab_to(tab, "[data-signpost-print]", limit=120)
    assert_focus_visible(tab, "the print button")
    tab.keyboard.press("Enter")
    assert tab.evaluate("window.signpostPrinted === true"), "Enter on the print button prints"


def _answer_by_keyboard(tab, value) -> None:
    """Answer the question on the page with Tab, Space and Enter (and arrows within a radio group)."""
    kind = tab.locator('input[name="answer"]').first.get_attribute("type")
    if kind == "radio":
        tab_to(tab, 'input[name="answer"]')
        assert_focus_visible(tab, "a radio")
        for _ in range(10):
            if tab.evaluate("document.activeElement.value") == value:
                break
            tab.keyboard.press("ArrowDown")
        tab.keyboard.press("Space")
        assert tab.locator(f'input[name="answer"][value="{value}"]').is_checked()
    elif kind == "checkbox":
        wanted = set(value)
        boxes = tab.locator('input[name="answer"]').count()
        tab_to(tab, 'input[name="answer"]')
        for index in range(boxes):
            assert_focus_visible(tab, "a checkbox")
            if tab.evaluate("document.activeElement.value") in wanted:
                tab.keyboard.press("Space")
            if index < boxes - 1:
                tab.keyboard.press("Tab")
        for chosen in wanted:
            assert tab.locator(f'input[name="answer"][value="{chosen}"]').is_checked()
    else:
        tab_to(tab, "#answer")
        assert_focus_visible(tab, "a text box")
        tab.keyboard.type(value)
    tab_to(tab, "#submit")
    assert_focus_visible(tab, "the continue button")
    submit(tab, lambda: tab.keyboard.press("Enter"))


def test_a_whole_guide_by_keyboard(tab):
    answers = GUIDES[GUIDE]
    open_page(tab, f"/guides/{GUIDE}")
    tab_to(tab, ".govuk-button--start")
    assert_focus_visible(tab, "the start button")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    # An empty answer: the error summary takes the focus, and its link leads to the field.
    tab_to(tab, "#submit")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    tab.wait_for_function("document.activeElement && document.activeElement.closest('.govuk-error-summary')")
    for _ in range(len(answers) + 1):
        if "/check-your-answers" in tab.url:
            break
        _answer_by_keyboard(tab, answer_for(answers, tab.url))
    assert "/check-your-answers" in tab.url
    tab_to(tab, 'a.govuk-button[href$="/result"]', limit=120)
    assert_focus_visible(tab, "see your result")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    assert tab.url.endswith("/result") and tab.locator("h1").is_visible()


@pytest.fixture
def no_js(new_context):
    return new_context(java_script_enabled=False).new_page()


def test_search_works_without_javascript(no_js):
    open_page(no_js, "/")
    assert not no_js.evaluate("document.body.classList.contains('js-enabled')")
    no_js.locator("#q").fill("dementia")
    no_js.locator("#postcode").fill("AL1 3JE")
    submit(no_js, lambda: no_js.locator("main form button[type=submit]").first.click())
    assert no_js.locator("#results li").count() > 0
    submit(no_js, lambda: no_js.locator("#results h3 a").first.click())
    assert "/directory/services/" in no_js.url
    assert not no_js.locator("[data-signpost-print]").is_visible(), "the print button needs JavaScript, so it hides"


def test_a_guide_reaches_its_result_without_javascript(no_js):
    answers = GUIDES[GUIDE]
    open_page(no_js, f"/guides/{GUIDE}")
    submit(no_js, lambda: no_js.locator(".govuk-button--start").click())
    for _ in range(len(answers) + 1):
        if "/check-your-answers" in no_js.url:
            break
        fill_answer(no_js, answer_for(answers, no_js.url))
        previous = question_id(no_js.url)
        submit(no_js, lambda: no_js.locator("#submit").click())
        assert question_id(no_js.url) != previous, f"the answer to {previous} was refused"
    submit(no_js, lambda: no_js.locator('a.govuk-button[href$="/result"]').click())
    assert no_js.url.endswith("/result")
    assert no_js.locator("#headline").is_visible()


def test_ask_us_works_without_javascript(no_js):
    open_page(no_js, "/ask")
    no_js.locator("#message").fill("my dad keeps falling over")
    submit(no_js, lambda: no_js.locator("#submit").click())
    latest = no_js.locator("#latest")
    assert latest.is_visible()
    assert latest.locator("a").count() > 0, "the reply offers a guide or services"
