"""Screenshots for docs/screenshots/: `python -m tests.browser.screenshots` (Chromium and gunicorn needed).

Compiles the translation catalogs, then serves the real app the way the browser tests do
(tests/browser/conftest.py): gunicorn on a freshly migrated temporary SQLite database with the demo directory
and demo surveys. Takes full-page PNGs of the home page, a search ("carers" near SG1 1AA), the paying-for-care
result and the commissioners' dashboard, 320 px and 1280 px wide, in English and Urdu (right to left).
Files are named `<page>-<lang>-<width>.png`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, TIMEOUT_MS, _bin, _free_port, _wait_until_healthy
from tests.browser.guide_answers import PAYING_FOR_CARE, answer_for, fill_answer

OUT = ROOT / "docs" / "screenshots"
LANGUAGES = ["en", "ur"]
WIDTHS = [320, 1280]
SECRET = "screenshot-secret"
COMMISSIONER_EMAIL = "screenshots.commissioner@example.org"
COMMISSIONER_PASSWORD = "a long screenshot passphrase 42"


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


def compile_translations() -> None:
    """Compiled catalogs are built by the install step (`make setup`), not committed: build them here too."""
    subprocess.run([_bin("pybabel"), "-q", "compile", "-d", "translations"], cwd=ROOT, check=True)


def prepare_database(directory: Path) -> str:
    url = f"sqlite:///{directory / 'signpost.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([_bin("flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    script = (
        "from signpost.app import create_app\nfrom signpost.platform import accounts\n"
        "from signpost.platform.extensions import db\n"
        "with create_app().app_context():\n"
        f"    accounts.create_or_update_user({COMMISSIONER_EMAIL!r}, 'commissioner', {COMMISSIONER_PASSWORD!r},"
        " replace=True)\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True)
    return url


def start_server(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "SEARCH_RATE_LIMIT": "100000 per minute"}
    port = _free_port()
    server = subprocess.Popen(
        [_bin("gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_until_healthy(url, server)
    return server, url


def go(tab, url: str) -> None:
    response = tab.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"


def answer_paying_for_care(tab) -> None:
    go(tab, "/guides/paying-for-care?lang=en")
    with tab.expect_navigation(wait_until="load"):
        tab.locator(".govuk-button--start").click()
    while "/check-your-answers" not in tab.url:
        fill_answer(tab, answer_for(PAYING_FOR_CARE, tab.url))
        with tab.expect_navigation(wait_until="load"):
            tab.locator("#submit").click()


def sign_in_as_commissioner(tab) -> bool:
    response = tab.goto("/staff/login?lang=en", wait_until="load")
    if response is None or response.status == 404:
        return False
    tab.locator('input[name="email"]').fill(COMMISSIONER_EMAIL)
    tab.locator('input[name="password"]').fill(COMMISSIONER_PASSWORD)
    with tab.expect_navigation(wait_until="load"):
        tab.locator("form [type=submit]").first.click()
    return "/staff/login" not in tab.url


def shoot(tab, name: str, url: str, out: Path) -> list[Path]:
    paths = []
    for lang in LANGUAGES:
        for width in WIDTHS:
            tab.set_viewport_size({"width": width, "height": 900})
            go(tab, with_lang(url, lang))
            path = out / f"{name}-{lang}-{width}.png"
            tab.screenshot(path=str(path), full_page=True)
            paths.append(path)
            print(path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the PNGs (default docs/screenshots)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"screenshots need Chromium at {CHROMIUM}: run `make browser` as root", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    compile_translations()
    with tempfile.TemporaryDirectory(prefix="signpost-screenshots-") as temp:
        server, base_url = start_server(prepare_database(Path(temp)), Path(temp) / "gunicorn.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
                context.set_default_timeout(TIMEOUT_MS)
                tab = context.new_page()
                shoot(tab, "home", "/", args.out)
                shoot(tab, "search", "/directory/search?q=carers&postcode=SG1+1AA", args.out)
                answer_paying_for_care(tab)
                shoot(tab, "paying-for-care-result", "/guides/paying-for-care/result", args.out)
                if sign_in_as_commissioner(tab):
                    shoot(tab, "commissioner-dashboard", "/commissioners/indicators", args.out)
                else:
                    print("skipped the commissioners' dashboard: could not sign in as a commissioner", file=sys.stderr)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
