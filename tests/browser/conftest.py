"""Browser fixtures: the real app served by gunicorn on a migrated SQLite copy of the demo directory,
driven by Debian's Chromium through Playwright, with axe-core checks and screenshot helpers.

The live server is started once per session; every test gets a fresh browser context (no cookies).
Without /usr/bin/chromium (`make browser` installs it) every browser test skips with a reason.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000


def _bin(name: str) -> str:
    """A console script from the same virtual environment as the running Python."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the live server exited early with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"the live server did not answer {url}/healthz within {seconds} seconds")


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory) -> str:
    """A temporary SQLite database, migrated, with the demo directory loaded (by the real CLI commands)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'signpost.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "browser-test-secret"}
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(
            [_bin("flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True
        )
    return url


@pytest.fixture(scope="session")
def live_server(live_database_url, tmp_path_factory) -> Iterator[str]:
    """gunicorn (two workers) serving wsgi:app on a free port; yields its base URL."""
    env = {
        **os.environ,
        "DATABASE_URL": live_database_url,
        "SECRET_KEY": "browser-test-secret",
        "LOGIN_RATE_LIMIT": "100000 per minute",  # every staff page test signs in afresh
        "SEARCH_RATE_LIMIT": "100000 per minute",
        "ASK_RATE_LIMIT": "100000 per minute",
        "PYTHONUNBUFFERED": "1",
    }
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.getbasetemp() / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [_bin("gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}: run `make browser` (as root) to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server):
    """Make fresh browser contexts (their own cookies) on the live server; all are closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def tab(new_context):
    """A page in a fresh desktop-sized browser context, with JavaScript on."""
    return new_context().new_page()
