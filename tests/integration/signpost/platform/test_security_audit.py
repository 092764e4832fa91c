"""The audit log: staff actions are recorded (who, what, which record, when; no IP) and cannot be changed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from signpost.platform import audit
from signpost.platform.audit_store import AuditEvent
from signpost.platform.extensions import db
from tests.support.security_helpers import CALLER_EMAIL, signpost_a_caller
from tests.support.staff_helpers import PASSWORD, csrf_token, make_user, sign_in

_before: list[int] = [0]


@pytest.fixture(autouse=True)
def only_this_tests_events(app):
    """The log is append-only, so events that tests committed for real (concurrency tests that use the
    database itself) stay in it: each test here reads only the events written after it began."""
    with app.app_context():
        _before[0] = db.session.scalar(select(func.max(AuditEvent.id))) or 0


def events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > _before[0]).order_by(AuditEvent.id)))


def actions() -> list[tuple[str, str]]:
    return [(event.actor, event.action) for event in events()]


def test_sign_in_failure_success_and_sign_out_are_recorded(client):
    user = make_user("admin")
    token = csrf_token(client, "/staff/login")
    client.post("/staff/login", data={"email": user.email, "password": "wrong password", "csrf_token": token})
    sign_in(client, "admin")
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert actions() == [
        ("anonymous", "sign_in.failed"),
        (user.email, "sign_in.succeeded"),
        (user.email, "sign_out"),
    ]
    failed = events()[0]
    assert user.email not in (failed.target or ""), "what was typed is not stored, only a keyed hash"
    assert failed.occurred_at is not None


def test_signposting_messages_keying_in_and_exports_are_recorded(app, client):
    record_id = signpost_a_caller(client)
    client.get("/staff/outbox")
    token = csrf_token(client, f"/staff/signposting/{record_id}/answers")
    keyed = client.post(
        f"/staff/signposting/{record_id}/answers",
        data={"csrf_token": token, "source": "phone", "q_helpfulness": "very_helpful"},
    )
    assert keyed.status_code == 302, keyed.get_data(as_text=True)[:500]
    handler = "call_handler@test.invalid"
    assert (handler, "signposting.recorded") in actions()
    assert (handler, "message.sent") in actions()
    assert (handler, "outbox.viewed") in actions()
    assert (handler, "survey.keyed_in") in actions()
    assert {e.target for e in events() if e.action in ("signposting.recorded", "survey.keyed_in")} == {record_id}

    sign_in(client, "commissioner")
    assert client.get("/commissioners/indicators.csv").status_code == 200
    assert client.get("/commissioners/responses.csv?survey=signposting").status_code == 200
    assert ("commissioner@test.invalid", "export.indicators_csv") in actions()
    assert ("commissioner@test.invalid", "export.responses_csv") in actions()
    assert not any(CALLER_EMAIL in f"{e.actor} {e.target}" for e in events()), "no caller details in the log"


def test_curation_changes_and_user_creation_are_recorded(app, client):
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=["users", "create", "audited@herts.example", "--role", "editor", "--password-stdin"],
        input="a long enough password\n",
    )
    assert made.exit_code == 0, made.output
    assert ("cli", "user.created") in actions()

    sign_in(client, "editor")
    html = client.get("/staff/directory/").get_data(as_text=True)
    service_id = re.search(r'href="/staff/directory/([0-9a-f-]{36})"', html).group(1)
    link = f"/staff/directory/{service_id}"
    token = csrf_token(client, link)
    assert client.post(f"/staff/directory/{service_id}/check", data={"csrf_token": token}).status_code == 302
    assert ("editor@test.invalid", "listing.checked") in actions()
    assert [e.target for e in events() if e.action == "listing.checked"] == [service_id]


def test_the_log_is_append_only_in_the_database(app):
    audit.record("sign_out", "someone")
    for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
        nested = db.session.begin_nested()
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement))
        nested.rollback()
    assert [e.actor for e in events()] == ["cli"]


def test_no_route_changes_the_log_and_only_admins_read_it(app, client):
    mentions = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule or "audit" in rule.endpoint]
    assert [rule.rule for rule in mentions] == ["/staff/audit"]
    rule = mentions[0]
    assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, "the audit list is read only"
    assert app.view_functions[rule.endpoint].allowed_roles == {"admin"}

    sign_in(client, "call_handler")
    assert client.get("/staff/audit").status_code == 403
    sign_in(client, "admin")
    page = client.get("/staff/audit")
    assert page.status_code == 200 and "sign_in.succeeded" in page.get_data(as_text=True)
    assert client.get("/staff/audit?action=sign_in.succeeded").status_code == 200
    assert client.post("/staff/audit", data={}).status_code in (400, 405)


def test_unknown_actions_are_refused(app):
    with pytest.raises(ValueError):
        audit.record("made.up")


def test_password_is_never_logged(client):
    user = make_user("editor")
    token = csrf_token(client, "/staff/login")
    client.post("/staff/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert not any(PASSWORD in f"{e.actor} {e.target}" for e in events())


def test_a_failed_request_keeps_its_audit_events_and_nothing_else(app):
    """An audit event is written in the request's transaction (so a listing saved and then rolled back is not
    half-kept), yet it outlives a request that fails: it is written again after the rollback."""
    from signpost.platform.accounts import StaffUser

    with app.test_request_context("/staff/anything", method="POST"):
        app.preprocess_request()
        db.session.add(StaffUser(email="rolled.back@test.invalid", password_hash="x", role="admin"))
        audit.record("outbox.viewed", "kept")
        app.process_response(app.response_class(status=400))
    with app.app_context():
        kept = [(e.action, e.target) for e in events()]
        users = db.session.scalars(select(StaffUser.email)).all()
    assert ("outbox.viewed", "kept") in kept
    assert "rolled.back@test.invalid" not in users
