"""Passwords: NCSC-style checks (length, variety, a deny-list, guessability) and admin-forced resets."""

from __future__ import annotations

import pytest
from flask import g

from signpost.platform import accounts, staff_sessions
from tests.support.staff_helpers import PASSWORD, csrf_token, sign_in


@pytest.mark.parametrize(
    "password",
    [" " * 12, "a" * 12, "password1234", "qwertyuiop12", "abababababab", "Hertfordshire1", "iloveyou1234", "short"],
)
def test_weak_common_and_repetitive_passwords_are_refused(app, password):
    assert accounts.password_problem(password, "pat@herts.example") is not None
    with pytest.raises(accounts.AccountError):
        accounts.create_or_update_user("weak@herts.example", "editor", password)


@pytest.mark.parametrize("password", [PASSWORD, "a long enough password", "marble kettle orchard 7"])
def test_three_random_words_are_fine(app, password):
    assert accounts.password_problem(password, "pat@herts.example") is None


def test_a_password_made_from_the_email_address_is_refused(app):
    for password in ("jo.bloggs@herts.example", "bloggsbloggs12"):
        assert accounts.password_problem(password, "jo.bloggs@herts.example") is not None, password


def test_the_cli_refuses_a_common_password_without_a_traceback(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "new@herts.example", "--role", "editor", "--password-stdin"], input="password1234\n"
    )
    assert result.exit_code != 0 and "most common passwords" in result.output and "Traceback" not in result.output


def fresh(browser, url: str):
    g.pop("_login_user", None)  # test requests share one app context; a real request starts afresh
    return browser.get(url)


def test_an_admin_forces_a_reset_sessions_end_and_the_next_sign_in_must_choose_a_new_password(app, client):
    user = sign_in(client, "commissioner")
    result = app.test_cli_runner().invoke(args=["users", "force-reset", user.email])
    assert result.exit_code == 0 and "ended 1 session" in result.output
    assert fresh(client, "/staff/").status_code == 302

    token = csrf_token(client, "/staff/login")
    signed_in = client.post("/staff/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert signed_in.headers["Location"] == "/staff/password"
    held = fresh(client, "/commissioners/indicators")
    assert held.status_code == 302 and held.headers["Location"] == "/staff/password"
    page = fresh(client, "/staff/password").get_data(as_text=True)
    assert "asked you to choose a new password" in page

    token = csrf_token(client, "/staff/password")
    weak = client.post(
        "/staff/password", data={"current_password": PASSWORD, "new_password": "password1234", "csrf_token": token}
    )
    assert weak.status_code == 200 and "govuk-error-summary" in weak.get_data(as_text=True)
    other_browser = app.test_client()
    g.pop("_login_user", None)
    sign_in_again = other_browser.post(
        "/staff/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(other_browser, "/staff/login")},
    )
    assert sign_in_again.status_code == 302
    g.pop("_login_user", None)
    changed = client.post(
        "/staff/password",
        data={"current_password": PASSWORD, "new_password": "marble kettle orchard 7", "csrf_token": token},
    )
    assert changed.status_code == 302 and changed.headers["Location"] == "/staff/"
    assert fresh(client, "/commissioners/indicators").status_code == 200
    assert fresh(other_browser, "/staff/").status_code == 302, "the change ended the other session"
    assert staff_sessions.count(user.id) == 1
    assert accounts.authenticate(user.email, "marble kettle orchard 7") is not None
