"""Reflow at 320 px, text at 200% zoom, and the mirrored right-to-left layout, with screenshots in test-results/."""

from __future__ import annotations

import pytest
from browser_support import open_page, screenshot, submit
from guide_answers import GUIDES, answer_for, fill_answer

pytestmark = pytest.mark.browser

MAIN_PAGES = {
    "home": "/",
    "search": "/directory/search?q=dementia&postcode=SG1+1AA",
    "guides": "/guides/",
    "question": f"/guides/{next(iter(GUIDES))}",
    "ask-us": "/ask",
    "accessibility": "/accessibility",
}

CLIPPED_TEXT = """() => {
  const clipped = [];
  for (const element of document.querySelectorAll('body *')) {
    const style = getComputedStyle(element);
    if (style.display === 'none' || element.closest('.govuk-visually-hidden, .govuk-skip-link')) continue;
    const hides = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
    if (hides && (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1)
        && element.innerText && element.innerText.trim()) {
      clipped.push(element.tagName + '.' + element.className);
    }
  }
  return clipped;
}"""


def _open(tab, name: str, lang: str) -> None:
    url = MAIN_PAGES[name]
    open_page(tab, f"{url}{'&' if '?' in url else '?'}lang={lang}")
    if name == "question":
        submit(tab, lambda: tab.locator(".govuk-button--start").click())


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_pages_reflow_at_320_pixels_without_sideways_scrolling(new_context, lang):
    tab = new_context(viewport={"width": 320, "height": 640}).new_page()
    for name in MAIN_PAGES:
        _open(tab, name, lang)
        width = tab.evaluate("document.documentElement.scrollWidth")
        screenshot(tab, f"reflow-320-{lang}-{name}")
        assert width <= 320, f"{name} in {lang} scrolls sideways at 320px: {width}px wide"


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_text_is_not_clipped_at_200_percent_zoom(new_context, lang):
    # 200% zoom on a 1280 × 900 window is a 640 × 450 CSS viewport at twice the pixel density.
    tab = new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2).new_page()
    for name in MAIN_PAGES:
        _open(tab, name, lang)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 640, f"{name} scrolls sideways at 200%"
        assert tab.evaluate(CLIPPED_TEXT) == [], f"{name} in {lang} cuts off text at 200% zoom"
        screenshot(tab, f"zoom-200-{lang}-{name}")


EDGES = """(selector) => {
  const element = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(element);
  const text = range.getBoundingClientRect();
  const container = document.querySelector('.govuk-width-container').getBoundingClientRect();
  return {textLeft: text.left, textRight: text.right, left: container.left, right: container.right};
}"""


@pytest.mark.parametrize(("lang", "side"), [("en", "left"), ("ur", "right")])
def test_the_layout_mirrors_for_right_to_left_languages(tab, lang, side):
    guide = next(iter(GUIDES))
    open_page(tab, f"/guides/{guide}?lang={lang}")
    submit(tab, lambda: tab.locator(".govuk-button--start").click())
    fill_answer(tab, answer_for(GUIDES[guide], tab.url))
    submit(tab, lambda: tab.locator("#submit").click())  # the second question has a back link
    assert tab.locator("html").get_attribute("dir") == ("rtl" if side == "right" else "ltr")
    screenshot(tab, f"direction-{lang}-question", full_page=False)
    for selector in (".govuk-back-link", "h1", ".govuk-caption-l", ".govuk-button"):
        edges = tab.evaluate(EDGES, selector)
        if side == "right":
            gap = edges["right"] - edges["textRight"]
            far = edges["textLeft"] - edges["left"]
        else:
            gap = edges["textLeft"] - edges["left"]
            far = edges["right"] - edges["textRight"]
        assert gap < 60, f"{selector} in {lang} should start at the {side}: {edges}"
        assert far > 100, f"{selector} in {lang} should not reach the other side: {edges}"
    # The back link's chevron sits on the reading side of its text.
    arrow = tab.evaluate(
        """() => { const link = document.querySelector('.govuk-back-link');
        const box = link.getBoundingClientRect(); const before = getComputedStyle(link, '::before');
        return {left: parseFloat(before.left), right: parseFloat(before.right), width: box.width}; }"""
    )
    assert (arrow["right"] < arrow["left"]) == (side == "right"), arrow


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_screenshots_of_the_main_pages_at_desktop_width(tab, lang):
    for name in MAIN_PAGES:
        _open(tab, name, lang)
        screenshot(tab, f"desktop-1280-{lang}-{name}")
