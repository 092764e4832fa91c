"""A resident on a phone, in their own language (issue 17): every service page passes axe and reflows at 320 and
375 px in English and Urdu, the first result is near the top on a phone, and a resident's walkthrough (search → service
→ save → email my list, at 375 px in English, Polish and Urdu and at 1280 px; each guide to its result at 375 px)
shows no English of ours on the Polish and Urdu pages, with screenshots in docs/screenshots/."""

from __future__ import annotations

import sqlite3
import time
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import (
    DOCS_SCREENSHOTS,
    TEXT_STYLES,
    assert_no_visible_english,
    axe_violations,
    describe_violations,
    inject_axe_on_every_page,
    open_page,
    screenshot,
    submit,
)
from guide_answers import GUIDES, answer_for, fill_answer, question_id

from signpost.guides.rates import tax_year_containing

pytestmark = pytest.mark.browser

# Anything visible that pokes out of the viewport on either side: sideways scrolling, or in a right-to-left page
# the overflow to the left that makes a phone shrink the whole page and leave a blank band.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('.govuk-visually-hidden, .govuk-skip-link, [hidden]')) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.left < -1 || box.right > width + 1) {
      out.push(`${element.tagName}.${element.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def service_ids(live_database_url) -> list[str]:
    with sqlite3.connect(live_database_url.removeprefix("sqlite:///")) as connection:
        return [row[0] for row in connection.execute("SELECT id FROM service WHERE status != 'archived' ORDER BY name")]


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_every_service_page_has_no_wcag_violations_and_reflows_at_320_and_375_pixels(new_context, service_ids, lang):
    """axe-core (WCAG 2.2 A/AA) and reflow on each of the demo directory's service pages, in one reused page.

    axe-core is injected by the browser into each document as it loads. color-contrast, five sixths of axe's
    time, runs on a page only when it shows text in a colour, size, weight or background not yet checked on an
    earlier page (TEXT_STYLES); every other rule runs on every page.
    """
    assert len(service_ids) > 200, "the whole demo directory"
    context = new_context(viewport={"width": 375, "height": 740})
    inject_axe_on_every_page(context)
    tab = context.new_page()
    checked_styles: set[str] = set()
    contrast_runs = 0
    failures = []
    started = time.monotonic()
    for service_id in service_ids:
        open_page(tab, f"/directory/services/{service_id}?lang={lang}")
        styles = set(tab.evaluate(TEXT_STYLES))
        contrast = not styles <= checked_styles
        violations = axe_violations(tab, contrast=contrast)
        if contrast:
            contrast_runs += 1
            if not any(v["id"] == "color-contrast" for v in violations):
                checked_styles |= styles
        if violations:
            failures.append(f"{tab.url} (axe at 375px):\n" + "\n".join(describe_violations(violations)))
        for width in (375, 320):
            tab.set_viewport_size({"width": width, "height": 740})
            found = tab.evaluate(OVERFLOW)
            if found["scrollWidth"] > width or found["out"]:
                failures.append(f"{service_id} at {width}px does not reflow: {found}")
        tab.set_viewport_size({"width": 375, "height": 740})
    seconds = time.monotonic() - started
    print(
        f"\n{len(service_ids)} service pages in {lang}: axe and reflow in {seconds:.0f}s"
        f" ({seconds / len(service_ids):.2f}s a page; color-contrast on {contrast_runs} pages)"
    )
    assert not failures, f"{len(failures)} problems on service pages in {lang}:\n" + "\n".join(failures[:10])


FIRST_RESULT_TOP = "() => document.querySelector('#results li').getBoundingClientRect().top + window.scrollY"


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_on_a_phone_the_first_result_starts_near_the_top_with_filters_closed(new_context, lang):
    tab = new_context(viewport={"width": 375, "height": 740}).new_page()
    open_page(tab, f"/directory/search?q=lunch+club&postcode=SG1+1AA&lang={lang}")
    assert tab.locator("#filters").get_attribute("open") is None
    top = tab.evaluate(FIRST_RESULT_TOP)
    screenshot(tab, f"resident-results-375-{lang}", full_page=False)
    assert top < 800, f"the first result starts {top:.0f}px down at 375px in {lang}"
    tab.locator("a[href='#results-summary']").click()
    assert tab.evaluate("window.scrollY") > 0 and tab.evaluate("document.activeElement.id") == "results-summary"
    # The Filter control opens the filters in place.
    tab.locator("#filters summary").click()
    assert tab.locator("#category").is_visible()


def test_on_a_wide_screen_the_filters_are_open(tab):
    open_page(tab, "/directory/search?q=lunch+club")
    assert tab.locator("#category").is_visible()


def test_without_javascript_the_filter_control_still_opens_and_filters(new_context):
    tab = new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False).new_page()
    open_page(tab, "/directory/search?q=lunch+club")
    assert not tab.locator("#category").is_visible()
    tab.locator("#filters summary").click()
    tab.locator("#free").check()
    submit(tab, lambda: tab.get_by_role("button", name="Apply filters").click())
    assert "free=y" in tab.url and tab.locator("#results li").count() > 0


WALKS = [("en", 375), ("pl", 375), ("ur", 375), ("en", 1280), ("ur", 1280)]
# What each resident types: "lunch club" in their own language, as the home page suggests.
SEARCHED = {"en": "lunch club", "pl": "klub obiadowy", "ur": "لنچ کلب"}


def shot(tab, name: str, full_page: bool = True) -> None:
    """A walkthrough screenshot in docs/screenshots/, after checking the page shows no English of ours and
    that its phone numbers, tax years and date ranges read left to right."""
    assert_no_visible_english(tab, name)
    assert_numbers_read_left_to_right(tab)
    screenshot(tab, name, full_page=full_page, folder=DOCS_SCREENSHOTS)


@pytest.mark.parametrize(("lang", "width"), WALKS)
def test_a_resident_searches_opens_a_service_saves_it_and_emails_the_list(new_context, lang, width):
    tab = new_context(viewport={"width": width, "height": 800}).new_page()
    name = f"resident-walk-{lang}-{width}"
    open_page(tab, f"/?lang={lang}")
    shot(tab, f"{name}-1-home")
    typed = SEARCHED[lang]
    tab.locator("#q").fill(typed)
    tab.locator("#postcode").fill("sg12ab")
    submit(tab, lambda: tab.locator("main form button[type=submit]").first.click())
    assert tab.locator("#results li").count() > 0
    shot(tab, f"{name}-2-results", full_page=False)
    first = tab.locator("#results li h3 a").first
    submit(tab, lambda: first.click())
    service_url = tab.url
    back = urlsplit(tab.locator(".govuk-back-link").get_attribute("href"))
    assert parse_qs(back.query)["q"] == [typed], "the back link returns to the search"
    shot(tab, f"{name}-3-service")
    submit(tab, lambda: tab.locator("form[action$='/my-list/add'] button").click())
    assert tab.url.startswith(service_url.split("#")[0]) and tab.url.endswith("#saved")
    saved = tab.locator("#saved")
    assert saved.is_visible() and saved.evaluate(
        "e => { const b = e.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }"
    )
    shot(tab, f"{name}-4-saved", full_page=False)
    submit(tab, lambda: saved.locator("a").click())
    tab.locator("#email").fill("resident@example.org")
    submit(
        tab,
        lambda: tab.locator(
            "form[action$='/my-list'] button[type=submit], form[action$='/my-list'] input[type=submit]"
        ).first.click(),
    )
    assert tab.locator(".govuk-notification-banner--success").count() == 1
    assert "resident@example.org" in tab.locator(".govuk-notification-banner--success").inner_text()
    shot(tab, f"{name}-5-emailed")
    assert tab.evaluate("document.documentElement.scrollWidth") <= width


# Where each run of numbers joined by hyphens or spaces (the tax year "2026-27", the phone number "0300 123 4044")
# is drawn: the top left of its first number and of its last. In Urdu or Arabic, unless the run is isolated left
# to right, the bidirectional algorithm draws them as "27-2026" and "4044 123 0300". (A run broken across two
# lines reads left to right when its last number is on the later line.)
NUMBERS_DRAWN = """() => {
  const drawn = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.checkVisibility() || node.parentElement.closest('.govuk-visually-hidden')) continue;
    for (const run of node.data.matchAll(/(?<![\\w.:,-])([0-9]+)(?:[- ][0-9]+)*[- ]([0-9]+)(?![\\w-])/g)) {
      const box = (start, end) => {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        const rect = range.getBoundingClientRect();
        return {left: rect.left, top: rect.top};
      };
      const start = run.index, end = run.index + run[0].length;
      drawn.push({
        run: run[0], first: box(start, start + run[1].length), last: box(end - run[2].length, end),
      });
    }
  }
  return drawn;
}"""


def assert_numbers_read_left_to_right(tab) -> list[str]:
    """No tax year, date range or phone number on the page is drawn backwards; the runs found."""
    drawn = tab.evaluate(NUMBERS_DRAWN)
    backwards = [
        run
        for run in drawn
        if run["last"]["top"] < run["first"]["top"] - 1
        or (abs(run["last"]["top"] - run["first"]["top"]) <= 1 and run["first"]["left"] > run["last"]["left"])
    ]
    assert not backwards, f"numbers drawn right to left (as 27-2026 or 4044 123 0300) on {tab.url}: {backwards}"
    return [run["run"] for run in drawn]


def assert_tax_years_read_left_to_right(tab) -> None:
    this_year = tax_year_containing(date.today())
    assert this_year in assert_numbers_read_left_to_right(tab), f"the result names the tax year {this_year}"


def take_guide(tab, guide: str, lang: str, name: str | None = None) -> None:
    """From the home page, through the guide's questions to its result, with screenshots when `name` is given."""
    answers = GUIDES[guide]
    open_page(tab, f"/?lang={lang}")
    submit(tab, lambda: tab.locator(f"main a[href^='/guides/{guide}']").first.click())
    assert tab.url.split("?")[0].endswith(f"/guides/{guide}"), "the home page links to the guide"
    if name:
        shot(tab, f"{name}-1-start")
    submit(tab, lambda: tab.locator(".govuk-button--start").click())
    if name:
        shot(tab, f"{name}-2-first-question")
    for _ in range(len(answers) + 1):
        if "/check-your-answers" in tab.url:
            break
        assert_no_visible_english(tab, f"{guide}: question {question_id(tab.url)}")
        fill_answer(tab, answer_for(answers, tab.url))
        submit(tab, lambda: tab.locator("#submit").click())
    assert "/check-your-answers" in tab.url
    if name:
        shot(tab, f"{name}-3-check-your-answers")
    submit(tab, lambda: tab.locator('a.govuk-button[href$="/result"]').click())
    assert tab.url.endswith("/result") and tab.locator("h1").is_visible()
    assert tab.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("lang", ["en", "pl", "ur"])
@pytest.mark.parametrize("guide", GUIDES)
def test_a_resident_on_a_phone_takes_each_guide_to_its_result(new_context, guide, lang):
    tab = new_context(viewport={"width": 375, "height": 800}).new_page()
    name = f"resident-guide-{guide}-{lang}-375"
    take_guide(tab, guide, lang, name)
    shot(tab, f"{name}-4-result")
    assert_tax_years_read_left_to_right(tab)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("guide", GUIDES)
def test_in_arabic_the_tax_year_on_each_guide_result_reads_left_to_right(new_context, guide):
    tab = new_context(viewport={"width": 375, "height": 800}).new_page()
    take_guide(tab, guide, "ar")
    assert_tax_years_read_left_to_right(tab)


PRINTED = """() => {
  const column = document.querySelector('main .govuk-grid-column-two-thirds').getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  const website = document.querySelector('a.signpost-url');
  const stamp = [...document.querySelectorAll('.signpost-print-only')].pop();
  return {
    column: column.width, main: main.width,
    websiteAfter: website ? getComputedStyle(website, '::after').content : null,
    stamp: getComputedStyle(stamp).display !== 'none' ? stamp.innerText : '',
  };
}"""


def test_a_printed_service_page_is_full_width_with_the_date_and_address_and_the_website_once(tab, service_ids):
    for service_id in service_ids:
        open_page(tab, f"/directory/services/{service_id}")
        if tab.locator("a.signpost-url").count():
            break
    tab.emulate_media(media="print")
    printed = tab.evaluate(PRINTED)
    assert printed["column"] >= printed["main"] - 1, printed
    assert printed["websiteAfter"] in ("none", "normal"), "the website is not printed a second time"
    assert printed["stamp"].startswith("Printed on ") and f"/directory/services/{service_id}" in printed["stamp"]
