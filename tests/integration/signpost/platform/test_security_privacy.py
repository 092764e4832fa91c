"""Personal data: the retention purge, subject access, erasure, and nothing personal in the logs."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError

from signpost.platform.extensions import db
from signpost.platform.outbox import OutboxMessage
from surveys import repository as survey_repository
from surveys.models import SignpostedService, SignpostingRecord, SurveyInvitation
from surveys.signposting import Outcome, hash_token, new_token, submit_answers
from tests.support.security_helpers import CALLER_EMAIL, signpost_a_caller
from tests.support.staff_helpers import csrf_token


def age_everything(days: int) -> None:
    when = datetime.now(UTC) - timedelta(days=days)
    db.session.execute(update(SignpostingRecord).values(created_at=when))
    db.session.execute(update(OutboxMessage).values(created_at=when))
    db.session.commit()


def indicators(client) -> dict:
    body = client.get("/api/v1/indicators").get_json()
    return {item["id"]: item for item in body["indicators"]}


def key_in(client, record_id: str) -> None:
    token = csrf_token(client, f"/staff/signposting/{record_id}/answers")
    response = client.post(
        f"/staff/signposting/{record_id}/answers",
        data={"csrf_token": token, "source": "phone", "q_helpfulness": "very_helpful"},
    )
    assert response.status_code == 302


def test_purge_removes_old_contact_details_and_keeps_answers_and_indicators(app, client):
    old = signpost_a_caller(client, "old.caller@example.org")
    key_in(client, old)
    age_everything(400)
    recent = signpost_a_caller(client, "recent.caller@example.org", district="Dacorum")
    before = indicators(client)

    result = app.test_cli_runner().invoke(args=["data", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 signposting records" in result.output and "1 outbox messages" in result.output

    assert indicators(client) == before, "indicator history is untouched"
    purged = db.session.get(SignpostingRecord, old)
    db.session.refresh(purged)
    assert purged.contact_email is None and purged.contact_mobile is None
    assert (purged.district, purged.need_category, purged.channel) == ("Watford", "dementia", "phone")
    assert len(purged.services) == 1, "the anonymous part of the record stays"
    kept = db.session.get(SignpostingRecord, recent)
    assert kept.contact_email == "recent.caller@example.org", "records inside the retention period stay whole"
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert recipients == ["recent.caller@example.org"]


def test_retention_days_is_a_setting(app, client):
    signpost_a_caller(client)
    age_everything(40)
    app.config["RETENTION_DAYS"] = 30
    try:
        result = app.test_cli_runner().invoke(args=["data", "purge"])
    finally:
        app.config["RETENTION_DAYS"] = 365
    assert "1 signposting records" in result.output
    assert db.session.scalars(select(SignpostingRecord.contact_email)).all() == [None]


def test_subject_access_export_lists_everything_held_about_one_person(app, client):
    record_id = signpost_a_caller(client, "Pat.Caller@Example.org")
    signpost_a_caller(client, "someone.else@example.org")
    result = app.test_cli_runner().invoke(args=["data", "export-person", "--email", CALLER_EMAIL])
    assert result.exit_code == 0, result.output
    held = json.loads(result.output)
    assert [r["id"] for r in held["signposting_records"]] == [record_id]
    assert held["signposting_records"][0]["contact_email"] == "Pat.Caller@Example.org"
    assert held["signposting_records"][0]["services"]
    assert [m["to"] for m in held["messages"]] == ["Pat.Caller@Example.org"]
    assert "someone.else" not in result.output

    no_one = app.test_cli_runner().invoke(args=["data", "export-person"])
    assert no_one.exit_code != 0


def test_erasure_removes_one_persons_contact_details_and_keeps_answers(app, client):
    record_id = signpost_a_caller(client)
    key_in(client, record_id)
    other = signpost_a_caller(client, "someone.else@example.org")
    before = indicators(client)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["data", "erase-person", "--email", CALLER_EMAIL.upper(), "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 signposting records" in result.output and "1 outbox messages" in result.output
    assert db.session.get(SignpostingRecord, record_id).contact_email is None
    assert db.session.get(SignpostingRecord, other).contact_email == "someone.else@example.org"
    assert indicators(client) == before
    held = json.loads(runner.invoke(args=["data", "export-person", "--email", CALLER_EMAIL]).output)
    assert held["signposting_records"] == [] and held["messages"] == []


def test_mobile_numbers_are_found_however_they_were_written(app):
    record = SignpostingRecord(channel="phone", survey_consent=True, contact_mobile="+447700900982")
    db.session.add(record)
    db.session.add(OutboxMessage(kind="sms", recipient="07700900982", subject="", body="x", purpose="t"))
    db.session.commit()
    runner = app.test_cli_runner()
    held = json.loads(runner.invoke(args=["data", "export-person", "--mobile", "07700 900 982"]).output)
    assert len(held["signposting_records"]) == 1 and len(held["messages"]) == 1
    erased = runner.invoke(args=["data", "erase-person", "--mobile", "+44 7700 900982", "--yes"])
    assert erased.exit_code == 0 and "1 signposting records" in erased.output


def test_nothing_personal_reaches_the_logs(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    postcode = "WD17 1AB"
    client.get(f"/directory/search?q=dementia&postcode={postcode.replace(' ', '+')}")
    record_id = signpost_a_caller(client, "log.watcher@example.org")
    client.get(f"/staff/signposting/{record_id}")
    client.get("/staff/outbox")
    app.test_cli_runner().invoke(args=["data", "export-person", "--email", "log.watcher@example.org"])
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in ("log.watcher@example.org", postcode, postcode.replace(" ", ""), "WD17+1AB"):
        assert secret.lower() not in logged.lower(), f"{secret} appeared in the logs"


def test_no_query_pairs_an_anonymous_response_with_the_person_invited(app):
    """The attack from issue 16: rank the invitations by when they were used and the responses by id, and pair
    them. With a sequence and exact times that paired nearly every response (free text included) with the
    person's contact details; with random ids and the day alone nothing lines up."""
    marker = f"Pairing {uuid.uuid4()}"
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    truth = {}
    for n in range(8):
        record = SignpostingRecord(
            channel="phone",
            district="Watford",
            survey_consent=True,
            contact_email=f"caller{n}@example.org",
            services=[
                SignpostedService(
                    service_id=str(uuid.uuid4()),
                    service_name=marker,
                    organisation_name=marker,
                    organisation_type="voluntary",
                )
            ],
        )
        survey_repository.add_record(record)
        token = new_token()
        survey_repository.add_invitation(
            SurveyInvitation(
                token_hash=hash_token(token),
                survey_id="signposting",
                record_id=record.id,
                signposted_service_id=record.services[0].id,
                expires_at=start + timedelta(days=7),
            )
        )
        db.session.commit()
        answered = submit_answers(
            hash_token(token), {"improvements": f"I am caller {n}"}, "online", now=start + timedelta(minutes=7 * n)
        )
        assert answered is Outcome.SAVED
        truth[record.id] = f"I am caller {n}"

    pairs = db.session.execute(
        sql(
            "WITH i AS (SELECT record_id, ROW_NUMBER() OVER (ORDER BY used_at, id) AS n FROM survey_invitation"
            "           WHERE record_id IN (SELECT record_id FROM signposted_service WHERE service_name = :m)),"
            " r AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM survey_response"
            "       WHERE organisation_name = :m)"
            " SELECT i.record_id, a.text FROM i JOIN r ON r.n = i.n"
            " JOIN survey_answer a ON a.response_id = r.id AND a.question_id = 'improvements'"
        ),
        {"m": marker},
    ).all()
    assert len(pairs) == 8
    assert sum(truth[record_id] == answer for record_id, answer in pairs) < 8, "the ranks lined up"

    used = db.session.execute(
        sql(
            "SELECT DISTINCT used_at FROM survey_invitation WHERE record_id IN"
            " (SELECT record_id FROM signposted_service WHERE service_name = :m)"
        ),
        {"m": marker},
    ).all()
    assert len(used) == 1, "invitations record the day they were used, not the moment"
    ids = db.session.execute(sql("SELECT id FROM survey_response WHERE organisation_name = :m"), {"m": marker})
    assert all(uuid.UUID(str(row.id)).version == 4 for row in ids)
    if db.engine.dialect.name == "sqlite":
        with pytest.raises(OperationalError):  # no hidden rowid numbering the rows in the order they came
            db.session.execute(sql("SELECT rowid FROM survey_response"))
