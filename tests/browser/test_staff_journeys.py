"""Each staff role's journey in Chromium (call handler, team lead, editor, commissioner) at a phone's width and a
desktop's, in English and Urdu, with screenshots for a person to look at (test-results/, or STAFF_SHOTS_DIR), and
the call handler's keyboard shortcuts (Alt+Shift and a letter; never while typing; can be turned off)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import RESULTS, assert_accessible, open_page, screenshot, submit

pytestmark = pytest.mark.browser

PASSWORD = "a long browser-test passphrase 42"
ROLES = ("call_handler", "team_lead", "editor", "commissioner")
SHOTS = Path(os.environ.get("STAFF_SHOTS_DIR", RESULTS / "staff"))


def email(role: str) -> str:
    return f"{role.replace('_', '.')}.journey@example.org"


@pytest.fixture(scope="module")
def accounts(live_server, live_database_url):
    """One account for each staff role on the live server's database."""
    lines = "".join(
        f"    accounts.create_or_update_user({email(role)!r}, {role!r}, {PASSWORD!r}, replace=True)\n" for role in ROLES
    )
    script = (
        "from signpost.app import create_app\nfrom signpost.platform import accounts\n"
        "from signpost.platform.extensions import db\napp = create_app()\nwith app.app_context():\n"
        f"{lines}    db.session.commit()\n"
    )
    env = {**os.environ, "DATABASE_URL": live_database_url, "SECRET_KEY": "browser-test-secret"}
    made = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr[-500:]
    return {role: email(role) for role in ROLES}


def sign_in(tab, who: str, lang: str = "en") -> None:
    open_page(tab, f"/staff/login?lang={lang}")
    tab.locator("#email").fill(who)
    tab.locator("#password").fill(PASSWORD)
    submit(tab, lambda: tab.locator("form [type=submit]").first.click())
    assert "/staff/login" not in tab.url, "signing in did not work"


def test_call_handler_shortcuts_focus_add_and_record_but_never_while_typing(tab, accounts):
    sign_in(tab, accounts["call_handler"])
    open_page(tab, "/staff/signpost?q=lunch+club")
    assert tab.locator("[data-signpost-shortcuts] summary").is_visible(), "the shortcuts are listed on the page"
    tab.keyboard.press("Alt+Shift+KeyS")
    assert tab.evaluate("document.activeElement.name") == "q"
    tab.keyboard.type("Sandwich")
    tab.keyboard.press("Alt+Shift+KeyN")
    assert tab.evaluate("document.activeElement.name") == "q", "no shortcut acts while typing in a box"
    assert tab.locator("input[name=q]").input_value() == "Sandwichlunch club", "typed letters go in the box"
    tab.locator("input[name=q]").fill("lunch club")
    submit(tab, lambda: tab.keyboard.press("Enter"))
    tab.keyboard.press("Alt+Shift+KeyN")
    tab.keyboard.press("Alt+Shift+KeyN")
    second = tab.locator("[data-shortcut-result]").nth(1)
    assert second.evaluate("(result) => result.contains(document.activeElement)")
    name = second.locator("h3").inner_text()
    submit(tab, lambda: tab.keyboard.press("Alt+Shift+KeyA"))
    assert name in tab.locator("#record-call").locator("xpath=..").inner_text(), "the focused result was added"
    assert tab.url.endswith("#result-" + second.get_attribute("id").removeprefix("result-"))
    submit(tab, lambda: tab.keyboard.press("Alt+Shift+KeyR"))
    assert "/staff/signpost/record" in tab.url


def test_shortcuts_can_be_turned_off_and_stay_off(tab, accounts):
    sign_in(tab, accounts["call_handler"])
    open_page(tab, "/staff/signpost?q=lunch+club")
    tab.locator("[data-signpost-shortcuts] summary").click()
    toggle = tab.locator("[data-signpost-shortcuts-toggle]")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false" and "on" in toggle.inner_text()
    open_page(tab, "/staff/signpost?q=lunch+club")
    tab.locator("h1").click()
    tab.keyboard.press("Alt+Shift+KeyS")
    assert tab.evaluate("document.activeElement.name") != "q", "turned off, the shortcut does nothing"
    tab.locator("[data-signpost-shortcuts] summary").click()
    tab.locator("[data-signpost-shortcuts-toggle]").click()
    tab.keyboard.press("Alt+Shift+KeyS")
    assert tab.evaluate("document.activeElement.name") == "q"


WIDTHS = {"phone": 375, "desktop": 1280}
SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


def look(tab, name: str) -> None:
    """Screenshot the page for a person to look at, and check it does not scroll sideways on the whole page."""
    screenshot(tab, name, folder=SHOTS)
    screenshot(tab, f"{name}-top", full_page=False, folder=SHOTS / "top")
    assert not tab.evaluate(SIDEWAYS), f"{name}: the page scrolls sideways at {tab.viewport_size['width']} px"


def call_handler_journey(tab, who: str, lang: str, size: str) -> str:
    """Search, add two results, record the call, find it in the call history and key in the answers."""
    sign_in(tab, who, lang)
    open_page(tab, "/staff/")
    look(tab, f"call-handler-{lang}-{size}-1-home")
    open_page(tab, "/staff/signpost?q=lunch+club&postcode=SG13+8DQ")
    look(tab, f"call-handler-{lang}-{size}-2-search")
    for _ in range(2):
        submit(tab, lambda: tab.locator("[data-shortcut-target=add]").first.click())
    if size == "desktop":
        assert tab.locator("#record-call").is_visible() and tab.evaluate(
            "() => { const r = document.querySelector('#record-call').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= innerHeight; }"
        ), "the caller's list stays in view beside the result just added"
    screenshot(tab, f"call-handler-{lang}-{size}-3-list-in-view", full_page=False, folder=SHOTS / "top")
    look(tab, f"call-handler-{lang}-{size}-3-list")
    submit(tab, lambda: tab.locator("#record-call").click())
    look(tab, f"call-handler-{lang}-{size}-4-record-form")
    tab.locator("input[name=channel][value=phone]").check()
    tab.locator("input[name=survey_consent][value=yes]").check()
    tab.locator("input[name=send_by][value=sms]").check()
    tab.locator("input[name=mobile]").fill("07700 900982")
    submit(tab, lambda: tab.locator("form [type=submit]").last.click())
    look(tab, f"call-handler-{lang}-{size}-5-recorded")
    reference = tab.locator("#reference strong").inner_text()
    open_page(tab, f"/staff/calls?reference={reference}")
    look(tab, f"call-handler-{lang}-{size}-6-call-history")
    submit(tab, lambda: tab.locator("#calls a[href$='/answers']").first.click())
    look(tab, f"call-handler-{lang}-{size}-7-key-in")
    return reference


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_each_roles_journey_at_phone_and_desktop_width(new_context, accounts, lang, size):
    def fresh_tab():
        return new_context(viewport={"width": WIDTHS[size], "height": 900}).new_page()

    tab = fresh_tab()
    call_handler_journey(tab, accounts["call_handler"], lang, size)
    assert_accessible(tab, f"key-in in {lang} at {size}")

    tab = fresh_tab()
    sign_in(tab, accounts["team_lead"], lang)
    open_page(tab, "/staff/calls")
    look(tab, f"team-lead-{lang}-{size}-1-team-calls")
    open_page(tab, "/staff/outbox")
    look(tab, f"team-lead-{lang}-{size}-2-outbox")

    tab = fresh_tab()
    open_page(tab, f"/directory/search?q=lunch+club&lang={lang}")
    tab.locator("main a[href^='/directory/services/']").first.click()
    tab.wait_for_load_state("load")
    service_url = tab.url.split("?")[0]
    submit(tab, lambda: tab.locator("a[href$='/suggest-a-change']").click())
    submit(tab, lambda: tab.locator("form [type=submit]").last.click())
    look(tab, f"provider-{lang}-{size}-1-suggest-change-errors")
    tab.locator("input[name=relationship][value=update_provider]").check()
    tab.locator("textarea[name=changes]").fill("We now open on Fridays, 10am to 2pm.")
    submit(tab, lambda: tab.locator("form [type=submit]").last.click())
    look(tab, f"provider-{lang}-{size}-2-suggestion-sent")

    tab = fresh_tab()
    sign_in(tab, accounts["editor"], lang)
    open_page(tab, "/staff/directory/reports")
    look(tab, f"editor-{lang}-{size}-1-queue")
    service_id = service_url.rstrip("/").rsplit("/", 1)[-1]
    open_page(tab, f"/staff/directory/{service_id}/edit")
    tab.locator("input[name=name]").fill(tab.locator("input[name=name]").input_value() + " (Fridays too)")
    submit(tab, lambda: tab.locator("form [type=submit]").last.click())
    look(tab, f"editor-{lang}-{size}-2-listing")
    submit(tab, lambda: tab.locator("a[href*='/versions/']").first.click())
    look(tab, f"editor-{lang}-{size}-3-version-diff")
    assert_accessible(tab, f"version diff in {lang} at {size}")
    open_page(tab, "/staff/directory/?stale=y")
    look(tab, f"editor-{lang}-{size}-4-stale-queue")

    tab = fresh_tab()
    sign_in(tab, accounts["commissioner"], lang)
    open_page(tab, "/commissioners/indicators")
    look(tab, f"commissioner-{lang}-{size}-1-dashboard")
    open_page(tab, "/commissioners/unmet-need")
    look(tab, f"commissioner-{lang}-{size}-2-unmet-need")
