"""axe-core on every public page, in English and in a right-to-left language (Urdu): no WCAG 2.2 A/AA violations.

Pages that need earlier steps (a service page, every page of both guides with and without an error, check your
answers, results, an "Ask us" conversation) are reached by driving the site the way a resident would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from browser_support import assert_accessible, open_page, submit
from guide_answers import GUIDES, answer_for, fill_answer, question_id

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "ur"]  # English and one right-to-left language

PUBLIC_PAGES = {
    "home": "/",
    "search": "/directory/search",
    "search-with-results": "/directory/search?q=dementia&postcode=SG1+1AA",
    "search-with-many-results": "/directory/search?category=carers",
    "search-without-results": "/directory/search?q=xylophone+quintessence",
    "search-with-errors": "/directory/search?postcode=nowhere&age=old&distance=5",
    "about-the-data": "/about-the-data",
    "accessibility-statement": "/accessibility",
    "contact-us": "/contact-us",
    "guides": "/guides/",
    **{f"{guide}-start": f"/guides/{guide}" for guide in GUIDES},
    "ask-us": "/ask",
    "how-we-are-doing": "/how-we-are-doing",
}

# Staff pages to check once signed in. Add each staff page here as it is built; /staff/login is checked
# signed out. The staff test skips (with the reason) while /staff/login does not exist.
STAFF_URLS = [
    "/staff/",
    "/staff/signpost",
    "/staff/signpost?q=carers&postcode=SG1+1AA",
    "/staff/signpost/record",
    "/staff/calls",
    "/staff/outbox",
    "/staff/assessment-requests",
    "/staff/assessment-requests?status=all",
    "/staff/directory/",
    "/staff/directory/?stale=y",
    "/staff/directory/archived",
    "/staff/directory/new",
    "/staff/directory/reports",
    "/commissioners/indicators",
]
STAFF_EMAIL = "axe.tester@example.org"
STAFF_PASSWORD = "a long browser-test passphrase 42"


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(tab, name, lang):
    open_page(tab, with_lang(PUBLIC_PAGES[name], lang))
    assert tab.locator("html").get_attribute("lang") == lang
    assert_accessible(tab, f"{name} in {lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page_has_no_wcag_violations(tab, lang):
    open_page(tab, with_lang("/no-such-page", lang), status=404)
    assert_accessible(tab, f"the 404 page in {lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_service_page_has_no_wcag_violations(tab, lang):
    open_page(tab, with_lang("/directory/search?q=lunch+club", lang))
    submit(tab, lambda: tab.locator("#results h3 a").first.click())
    assert "/directory/services/" in tab.url
    assert_accessible(tab, f"a service page in {lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("guide", GUIDES)
def test_every_page_of_a_guide_has_no_wcag_violations(tab, guide, lang):
    answers = GUIDES[guide]
    open_page(tab, with_lang(f"/guides/{guide}", lang))
    submit(tab, lambda: tab.locator(".govuk-button--start").click())
    # The first question, sent empty, shows the error summary.
    submit(tab, lambda: tab.locator("#submit").click())
    assert tab.locator(".govuk-error-summary").is_visible()
    assert_accessible(tab, f"{guide}: a question with an error, in {lang}")
    for _ in range(len(answers) + 1):
        if "/check-your-answers" in tab.url:
            break
        assert_accessible(tab, f"{guide}: question {question_id(tab.url)} in {lang}")
        fill_answer(tab, answer_for(answers, tab.url))
        submit(tab, lambda: tab.locator("#submit").click())
    assert "/check-your-answers" in tab.url
    assert tab.locator("html").get_attribute("lang") == lang, "the chosen language is remembered"
    assert_accessible(tab, f"{guide}: check your answers in {lang}")
    submit(tab, lambda: tab.locator('a.govuk-button[href$="/result"]').click())
    assert tab.url.endswith("/result")
    assert_accessible(tab, f"{guide}: the result in {lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_ask_us_conversation_has_no_wcag_violations(tab, lang):
    open_page(tab, with_lang("/ask", lang))
    submit(tab, lambda: tab.locator("#submit").click())
    assert tab.locator(".govuk-error-summary").is_visible()
    assert_accessible(tab, f"ask us with an error, in {lang}")
    for message in ["my mum keeps falling over", "help", "I am scared my partner will hurt me"]:
        tab.locator("#message").fill(message)
        tab.locator("#postcode").fill("SG1 1AA")
        submit(tab, lambda: tab.locator("#submit").click())
    assert tab.locator(".signpost-turn").count() >= 6
    assert_accessible(tab, f"an ask us conversation in {lang}")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def staff_account(live_server, live_database_url):
    """A staff account on the live server's database, or a skip while the staff pages are not built."""
    if _status(f"{live_server}/staff/login") == 404:
        pytest.skip("the staff pages are not built yet: /staff/login returns 404")
    script = (
        "from signpost.app import create_app\nfrom signpost.platform import accounts\n"
        "from signpost.platform.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    accounts.create_or_update_user({STAFF_EMAIL!r}, 'admin', {STAFF_PASSWORD!r}, replace=True)\n"
        "    db.session.commit()\n"
    )
    env = {**os.environ, "DATABASE_URL": live_database_url, "SECRET_KEY": "browser-test-secret"}
    made = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        pytest.skip(f"could not create a staff account for the browser tests: {made.stderr.strip()[-300:]}")
    return STAFF_EMAIL, STAFF_PASSWORD


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_sign_in_page_has_no_wcag_violations(tab, live_server, lang):
    if _status(f"{live_server}/staff/login") == 404:
        pytest.skip("the staff pages are not built yet: /staff/login returns 404")
    open_page(tab, with_lang("/staff/login", lang))
    assert_accessible(tab, f"staff sign-in in {lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_page_has_no_wcag_violations(tab, staff_account, url, lang):
    email, password = staff_account
    open_page(tab, with_lang("/staff/login", lang))
    tab.locator("#email").fill(email)
    tab.locator("#password").fill(password)
    submit(tab, lambda: tab.locator("form [type=submit]").first.click())
    response = tab.goto(url, wait_until="load")
    if response.status == 404:
        pytest.skip(f"{url} is in STAFF_URLS but returns 404: build it or remove it from the list")
    assert response.status == 200, f"{url}: {response.status}"
    assert "/staff/login" not in tab.url, "signing in did not work"
    assert_accessible(tab, f"staff page {url} in {lang}")
