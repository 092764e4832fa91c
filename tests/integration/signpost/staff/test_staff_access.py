"""Staff accounts and the role matrix (README, "Staff and roles"): every /staff and /commissioners route."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from signpost.platform import accounts
from signpost.platform.auth import LAST_SEEN_KEY
from tests.support.staff_helpers import PASSWORD, csrf_token, make_user, sign_in

ALL = set(accounts.ROLES)
# The role matrix, by URL prefix (longest prefix wins). Keep in step with the README.
MATRIX = {
    "/staff/": ALL,
    "/staff/signpost": {"call_handler", "team_lead", "admin"},
    "/staff/signposting": {"call_handler", "team_lead", "admin"},
    "/staff/calls": {"call_handler", "team_lead", "admin"},
    "/staff/outbox": {"call_handler", "team_lead", "admin"},
    "/staff/assessment-requests": {"call_handler", "team_lead", "admin"},
    "/staff/directory": {"editor", "admin"},
    "/commissioners/": {"commissioner", "admin"},
}
PUBLIC = {"/staff/login", "/staff/logout"}


def expected_roles(rule: str, declared: frozenset[str] | None) -> set[str]:
    prefixes = [prefix for prefix in MATRIX if rule.startswith(prefix) and (prefix != "/staff/" or rule == "/staff/")]
    if prefixes:
        return MATRIX[max(prefixes, key=len)]
    assert declared is not None, f"{rule} is a staff page without roles_required; add it to the role matrix"
    return set(declared)


def staff_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/staff", "/commissioners")) and rule.rule not in PUBLIC:
            yield rule


def url_for_rule(rule) -> str:
    """The rule with each argument filled in: a number for an int converter, else a random id."""

    def value(match: re.Match) -> str:
        return "1" if (match.group(1) or "").startswith("int") else str(uuid.uuid4())

    return re.sub(r"<(?:([a-z]+(?:\([^)]*\))?):)?\w+>", value, rule.rule)


def request_rule(client, rule):
    url = url_for_rule(rule)
    return client.get(url) if "GET" in rule.methods else client.post(url, data={})


def test_every_staff_route_is_in_the_matrix_and_declares_its_roles(app):
    rules = list(staff_rules(app))
    assert len(rules) >= 10
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "allowed_roles", None)
        assert declared is not None, f"{rule.rule} must use roles_required"
        assert set(declared) == expected_roles(rule.rule, declared), rule.rule


def test_anonymous_visitors_are_sent_to_sign_in(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    for rule in staff_rules(app):
        response = request_rule(client, rule)
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/staff/login"), rule.rule


@pytest.mark.parametrize("role", accounts.ROLES)
def test_each_role_gets_what_the_matrix_says(app, client, role, monkeypatch):
    sign_in(client, role)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        allowed = role in expected_roles(rule.rule, getattr(view, "allowed_roles", None))
        response = request_rule(client, rule)
        if allowed:
            assert response.status_code not in (401, 403, 500), (rule.rule, response.status_code)
            assert not response.headers.get("Location", "").startswith("/staff/login"), rule.rule
        else:
            assert response.status_code == 403, (rule.rule, response.status_code)
            assert "You do not have permission" in response.get_data(as_text=True) or response.status_code == 403


def test_sign_in_with_a_wrong_password_shows_an_error_summary(client):
    user = make_user("commissioner")
    token = csrf_token(client, "/staff/login")
    response = client.post("/staff/login", data={"email": user.email, "password": "wrong", "csrf_token": token})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "Enter the email address and password" in html
    assert client.get("/commissioners/indicators").status_code == 302


def test_sign_in_without_a_csrf_token_is_refused(client):
    user = make_user("admin")
    response = client.post("/staff/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (200, 400)
    assert client.get("/staff/").status_code == 302


def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(client):
    user = make_user("commissioner")
    token = csrf_token(client, "/staff/login")
    response = client.post(
        "/staff/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/staff/"
    redirect = client.get("/commissioners/indicators")
    assert redirect.status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/%0a/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%5Cevil.example",
        "javascript:alert(1)",
        "/%00/evil.example",
    ],
)
def test_sign_in_never_redirects_off_site_whatever_the_next_parameter_holds(client, target):
    user = make_user("commissioner")
    token = csrf_token(client, "/staff/login")
    shown = client.get(f"/staff/login?next={target}")
    assert shown.status_code == 200
    response = client.post(
        f"/staff/login?next={target}", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"


def test_sign_in_keeps_a_same_site_path_and_its_query(client):
    user = make_user("commissioner")
    token = csrf_token(client, "/staff/login")
    response = client.post(
        "/staff/login?next=/commissioners/indicators%3Fperiod%3D2026",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/commissioners/indicators?period=2026"


def test_passwords_are_hashed(app):
    user = make_user("editor")
    assert PASSWORD not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_sign_out_and_idle_timeout(app, client):
    sign_in(client, "admin")
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - app.config["STAFF_SESSION_MINUTES"] * 60 - 5
    response = client.get("/staff/")
    assert response.status_code == 302 and "timeout=1" in response.headers["Location"]
    assert client.get("/staff/").status_code == 302

    sign_in(client, "admin")
    token = csrf_token(client, "/staff/")
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302


def test_users_create_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "New.Person@herts.example", "--role", "editor", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = accounts.find_by_email("new.person@herts.example")
    assert user.role == "editor" and accounts.authenticate("new.person@herts.example", "a long enough password")
    again = runner.invoke(
        args=["users", "create", "new.person@herts.example", "--role", "admin", "--password-stdin"], input="x" * 20
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["users", "create", "b@herts.example", "--role", "admin", "--password-stdin"], input="x")
    assert short.exit_code != 0
    bad_role = runner.invoke(
        args=["users", "create", "c@herts.example", "--role", "boss", "--password-stdin"], input="x"
    )
    assert bad_role.exit_code != 0


@pytest.mark.parametrize(
    "path",
    [
        "/staff/signposting/{id}",
        "/staff/signposting/{id}/answers",
        "/staff/assessment-requests/{id}",
    ],
)
def test_a_record_that_is_not_there_or_not_an_id_is_not_found(client, path):
    sign_in(client, "call_handler")
    for record_id in (str(uuid.uuid4()), "not-an-id", "1; drop table"):
        assert client.get(path.format(id=record_id)).status_code == 404, record_id
