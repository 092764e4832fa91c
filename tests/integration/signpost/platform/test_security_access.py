"""Sign-in lockout (on top of the per-IP rate limit), session timeout and sign-out."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from signpost.platform import audit, lockout
from signpost.platform.auth import LAST_SEEN_KEY
from tests.support.staff_helpers import PASSWORD, csrf_token, make_user, sign_in

LOCKED = "too many failed attempts"


def attempt(client, email: str, password: str):
    token = csrf_token(client, "/staff/login")
    return client.post("/staff/login", data={"email": email, "password": password, "csrf_token": token})


def test_five_failures_lock_the_account_for_fifteen_minutes(app, client):
    user = make_user("admin")
    for _ in range(audit.LOCKOUT_ATTEMPTS):
        response = attempt(client, user.email, "wrong password")
        assert response.status_code == 200 and LOCKED not in response.get_data(as_text=True)
    locked = attempt(client, user.email, PASSWORD)
    assert locked.status_code == 429 and LOCKED in locked.get_data(as_text=True), "even the right password"
    assert "govuk-error-summary" in locked.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302

    later = datetime.now(UTC) + timedelta(minutes=audit.LOCKOUT_MINUTES, seconds=5)
    assert audit.locked_until(user.email) is not None
    assert audit.locked_until(user.email, now=later) is None
    assert audit.locked_until(user.email.upper()) is not None, "the address is matched whatever its case"


def test_the_lock_ends_after_fifteen_minutes_and_a_success_clears_the_count(app, client):
    user = make_user("editor")
    key = audit.sign_in_key(user.email)
    long_ago = datetime.now(UTC) - timedelta(minutes=audit.LOCKOUT_MINUTES + 1)
    for seconds in range(audit.LOCKOUT_ATTEMPTS):
        lockout.count_attempt(key, long_ago + timedelta(seconds=seconds))
    assert audit.locked_until(user.email, now=long_ago + timedelta(seconds=10)) is not None
    assert audit.locked_until(user.email) is None
    assert attempt(client, user.email, PASSWORD).status_code == 302

    for _ in range(audit.LOCKOUT_ATTEMPTS - 1):
        attempt(client, "someone.else@test.invalid", "wrong password")
    assert audit.locked_until(user.email) is None, "failures for one address never lock another"


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(app):
    user = make_user("editor")
    key = audit.sign_in_key(user.email)
    start = datetime.now(UTC) - timedelta(minutes=20)
    for minutes in (0, 5, 10, 15, 19):
        assert lockout.count_attempt(key, start + timedelta(minutes=minutes)) <= audit.LOCKOUT_ATTEMPTS
    assert audit.locked_until(user.email, now=start + timedelta(minutes=19, seconds=1)) is None


def test_an_unknown_address_locks_the_same_way_so_the_message_gives_nothing_away(app, client):
    known = make_user("commissioner")
    pages = {}
    for email in (known.email, "nobody@test.invalid"):
        for _ in range(audit.LOCKOUT_ATTEMPTS):
            attempt(client, email, "wrong password")
        response = attempt(client, email, "wrong password")
        pages[email] = (response.status_code, LOCKED in response.get_data(as_text=True))
    assert pages[known.email] == pages["nobody@test.invalid"] == (429, True)


def test_idle_sessions_time_out_and_sign_out_ends_the_session(app, client):
    sign_in(client, "call_handler")
    assert client.get("/staff/signpost").status_code == 200
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - app.config["STAFF_SESSION_MINUTES"] * 60 - 1
    timed_out = client.get("/staff/signpost")
    assert timed_out.status_code == 302 and "timeout=1" in timed_out.headers["Location"]
    assert client.get("/staff/signpost").status_code == 302

    sign_in(client, "call_handler")
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - app.config["STAFF_SESSION_MINUTES"] * 60 + 30
    assert client.get("/staff/signpost").status_code == 200, "a request just inside the limit keeps the session"
    assert client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")}).status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/staff/signpost").status_code == 302
