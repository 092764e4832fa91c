"""Shared fixtures: the app on each database, a rolled-back transaction per test, and a client
that checks every HTML page it fetches (title, one h1, unique ids, parseable HTML, language)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import html5lib
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine, text

from directory.loading import load_demo
from directory.repository.index_state import ByIndexVersion
from directory.search.engine import lexicons
from signpost.app import create_app
from signpost.platform.config import normalise_database_url
from signpost.platform.extensions import db, limiter

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_collection_modifyitems(config, items):
    """A stateless test (JSON in, JSON out, no rows read or written) runs once, on SQLite, not once per database."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("database_url") == "postgresql"
        (dropped if on_postgres and item.get_closest_marker("stateless") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _close_every_pooled_connection():
    """At the end, close the connections every app's engine still pools, rather than leave them to the garbage
    collector, which warns that a PostgreSQL connection was deleted while open (and warnings are errors)."""
    yield
    import gc

    from sqlalchemy.engine import Engine

    for engine in [thing for thing in gc.get_objects() if isinstance(thing, Engine)]:
        engine.dispose()


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(database_url: str):
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'signpost-test.sqlite'}"
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (CI sets it to the local server)")
    _reset_postgres(url)
    return url


@pytest.fixture(scope="session")
def migrated_app(database_url):
    """The app with the schema migrated and the demo directory loaded, once per database."""
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        db.session.remove()
    limiter.enabled = False
    # Each test's listing changes are rolled back, which no other process would do; so read the search
    # index version on every search rather than trusting a vocabulary built inside another test.
    lexicons.CHECK_SECONDS = 0.0
    ByIndexVersion.CHECK_SECONDS = 0.0  # the same for figures kept per index version (the home page's counts)
    return app


class ConnectionBoundSession(Session):
    """Flask-SQLAlchemy's session picks an engine by bind key, ignoring `bind`; in tests it must use the
    test's connection, or a commit made by the code under test would escape the rolled-back transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind or super().get_bind(mapper=mapper, clause=clause, **kwargs)


@pytest.fixture
def app(migrated_app):
    """Each test runs inside a transaction that is rolled back afterwards."""
    with migrated_app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": ConnectionBoundSession}
        )
        try:
            yield migrated_app
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


class PageCheckingClient(FlaskClient):
    """A test client that fails the test if any HTML page it receives is malformed."""

    def open(self, *args, **kwargs):
        # Read the whole response and close it, as a server does, so what runs after the response has been sent
        # (``database.after_response``) has run when the test looks.
        kwargs.setdefault("buffered", True)
        response = super().open(*args, **kwargs)
        pending = db.session.new or db.session.dirty or db.session.deleted
        assert not pending, f"the request left changes it did not commit: {pending!r}"
        if response.mimetype == "text/html" and response.status_code != 302 and not response.content_encoding:
            check_page(response.get_data(as_text=True))
        return response


def check_page(html: str) -> None:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(html)
    assert not [e for e in parser.errors if e[1] not in {"unexpected-end-tag-after-body"}], parser.errors
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    assert title, "every page needs a title"
    assert soup.html.get("lang"), "<html> needs a lang attribute"
    assert len(soup.find_all("h1")) == 1, "every page has exactly one h1"
    assert soup.find("main", id="main-content"), "every page has a main landmark for the skip link"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in soup.find_all("form"):
        assert form.get("action") is not None, "forms need an action"
    for script in soup.find_all("script"):
        assert script.get("nonce"), "scripts need the CSP nonce"
    for tag in soup.find_all(style=True):
        raise AssertionError(f"inline style breaks the CSP: {tag}")


@pytest.fixture
def client(app):
    app.test_client_class = PageCheckingClient
    return app.test_client()


@pytest.fixture
def page(client):
    """Fetch a page and return it parsed, after checking the status."""

    def fetch(url: str, status: int = 200) -> BeautifulSoup:
        response = client.get(url)
        assert response.status_code == status, response.get_data(as_text=True)[:500]
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    return fetch
