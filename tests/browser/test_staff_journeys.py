"""Each staff role's journey in Chromium (call handler, team lead, editor, commissioner) at a phone's width and a
desktop's, in English and Urdu, with screenshots for a person to look at (test-results/, or STAFF_SHOTS_DIR), and
the call handler's keyboard shortcuts (Alt+Shift and a letter; never while typing; can be turned off)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import RESULTS, open_page, submit

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
