"""Server-side staff sessions: a copied cookie dies with the session it came from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import g
from sqlalchemy import update

from signpost.platform import accounts, staff_sessions
from signpost.platform.auth import SESSION_ID_KEY
from signpost.platform.extensions import db
from signpost.platform.staff_sessions import StaffSession
from tests.support.staff_helpers import csrf_token, sign_in


def status(browser, url: str = "/staff/") -> int:
    """A GET as a new request would see it: test requests share the fixture's app context, so Flask-Login's
    per-request cache of the signed-in user in ``g`` must be dropped first."""
    g.pop("_login_user", None)
    return browser.get(url).status_code


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, client):
    sign_in(client, "admin")
    thief = copy_of(app, client)
    assert status(thief) == 200
    assert client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")}).status_code == 302
    assert status(thief) == 302


def test_a_password_change_ends_every_session(app, client):
    user = sign_in(client, "editor")
    other_browser = app.test_client()
    sign_in(other_browser, "editor")
    thief = copy_of(app, client)
    accounts.create_or_update_user(user.email, "editor", "a brand new passphrase", replace=True)
    for browser in (client, other_browser, thief):
        assert status(browser) == 302
    assert staff_sessions.count(user.id) == 0


def test_an_admin_can_sign_someone_out_everywhere(app, client):
    user = sign_in(client, "call_handler")
    thief = copy_of(app, client)
    result = app.test_cli_runner().invoke(args=["users", "sign-out-everywhere", user.email.upper()])
    assert result.exit_code == 0 and "Ended 1 session" in result.output
    assert status(client) == 302
    assert status(thief) == 302
    unknown = app.test_cli_runner().invoke(args=["users", "sign-out-everywhere", "nobody@test.invalid"])
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output


def test_each_sign_in_gets_a_new_session_id(app, client):
    sign_in(client, "commissioner")
    with client.session_transaction() as session:
        first = session[SESSION_ID_KEY]
    sign_in(client, "commissioner")
    with client.session_transaction() as session:
        assert session[SESSION_ID_KEY] != first
    forged = app.test_client()
    sign_in(forged, "commissioner")
    with forged.session_transaction() as session:
        session[SESSION_ID_KEY] = "made-up"
    assert status(forged) == 302, "a session id the server never issued is refused"


def age_sessions(user_id: str, **ages: timedelta) -> None:
    now = datetime.now(UTC)
    db.session.execute(
        update(StaffSession).where(StaffSession.user_id == user_id).values(**{k: now - v for k, v in ages.items()})
    )
    db.session.commit()


def test_a_session_idle_on_the_server_for_too_long_ends_even_if_the_cookie_says_otherwise(app, client):
    user = sign_in(client, "admin")
    age_sessions(user.id, last_seen_at=timedelta(minutes=app.config["STAFF_SESSION_MINUTES"] + 1))
    assert status(client) == 302


def test_a_session_ends_after_its_absolute_lifetime_however_often_it_is_used(app, client):
    user = sign_in(client, "admin")
    lifetime = timedelta(hours=app.config["STAFF_SESSION_HOURS"])
    age_sessions(user.id, created_at=lifetime - timedelta(minutes=1), last_seen_at=timedelta(minutes=29))
    assert status(client) == 200, "used within the idle limit and inside the lifetime"
    age_sessions(user.id, created_at=lifetime + timedelta(minutes=1), last_seen_at=timedelta(minutes=1))
    assert status(client) == 302
