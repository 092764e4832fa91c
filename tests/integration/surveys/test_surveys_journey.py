"""The whole journey (signpost → outbox → resident answers → figures move) and single use under concurrency."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import delete, func, select

from signpost.platform.extensions import db
from signpost.platform.outbox import OutboxMessage
from surveys import repository
from surveys.models import SignpostedService, SignpostingRecord, SurveyInvitation, SurveyResponse
from surveys.signposting import Outcome, hash_token, new_token, submit_answers, uk_today
from tests.support.staff_helpers import csrf_token, sign_in


def figures(client, indicator_id: str = "0.3") -> dict:
    today = uk_today().isoformat()
    body = client.get(f"/api/v1/indicators?from={today}&to={today}").get_json()
    return {item["id"]: item for item in body["indicators"]}[indicator_id]


def seed_today(count: int) -> None:
    rows = [
        {"survey_id": "signposting", "survey_version": 1, "submitted_on": uk_today(), "source": "paper"}
        for _ in range(count)
    ]
    repository.add_responses(rows, [[{"question_id": "helpfulness", "code": "quite_unhelpful", "text": None}]] * count)


def test_call_handler_signposts_a_caller_and_the_resident_answers(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_DELAY_DAYS", 0)  # due at once, sent by the scheduled job
    seed_today(20)
    before = figures(client)
    assert (before["numerator"], before["denominator"]) == (0, 20)

    sign_in(client, "call_handler")
    page = BeautifulSoup(client.get("/staff/signpost?q=dementia").get_data(as_text=True), "html.parser")
    service_id = page.find("input", attrs={"name": "service_id"})["value"]
    token = csrf_token(client, "/staff/signpost?q=dementia")
    assert (
        client.post("/staff/signpost/list/add", data={"service_id": service_id, "csrf_token": token}).status_code == 302
    )

    # A form with mistakes gets the GOV.UK error summary and stores nothing.
    wrong = client.post(
        "/staff/signpost/record", data={"csrf_token": token, "send_by": "email", "email": "not-an-email"}
    )
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.get_data(as_text=True)

    saved = client.post(
        "/staff/signpost/record",
        data={
            "csrf_token": token,
            "need_category": "dementia",
            "district": "Watford",
            "channel": "phone",
            "survey_consent": "yes",
            "send_by": "email",
            "email": "resident@example.com",
        },
    )
    assert saved.status_code == 302
    record_page = client.get(saved.headers["Location"])
    assert record_page.status_code == 200

    record = db.session.scalars(select(SignpostingRecord).order_by(SignpostingRecord.created_at.desc())).first()
    assert record.contact_email == "resident@example.com" and record.services[0].organisation_type
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == "resident@example.com" and "/your-views/" not in message.body
    outbox = client.get("/staff/outbox")
    assert "resident@example.com" in outbox.get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["surveys", "send-due"])
    assert result.exit_code == 0 and "Sent 1 survey invitations" in result.output, result.output
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == "resident@example.com" and message.purpose == "survey_invitation"
    link = re.search(r"http://localhost(/your-views/[A-Za-z0-9_-]+)", message.body).group(1)

    resident = app.test_client()
    start = resident.get(link)
    assert start.status_code == 200 and record.services[0].organisation_name in start.get_data(as_text=True)
    question = f"{link}/helpfulness"
    token = csrf_token(resident, question)
    missing = resident.post(question, data={"csrf_token": token})
    assert missing.status_code == 200 and "Select an answer" in missing.get_data(as_text=True)
    step = resident.post(question, data={"csrf_token": token, "answer": "very_helpful"})
    assert step.headers["Location"].endswith("/information_ease")
    step = resident.post(f"{link}/information_ease", data={"csrf_token": token, "answer": "fairly_easy"})
    step = resident.post(step.headers["Location"], data={"csrf_token": token, "answer": "Nothing, thank you"})
    assert step.headers["Location"].endswith("/your-views/thank-you")
    assert resident.get(step.headers["Location"]).status_code == 200

    after = figures(client)
    assert (after["numerator"], after["denominator"]) == (1, 21)
    used = resident.get(link)
    assert used.status_code == 410 and "already answered" in used.get_data(as_text=True)
    assert resident.get("/your-views/not-a-real-token-at-all-xx").status_code == 404
    sign_in(client, "commissioner")
    assert client.get("/commissioners/indicators").status_code == 200


def test_expired_invitation_gets_a_clear_page(app, client):
    record = repository.add_record(SignpostingRecord(channel="phone", survey_consent=True))
    token = new_token()
    repository.add_invitation(
        SurveyInvitation(
            token_hash=hash_token(token),
            survey_id="signposting",
            record_id=record.id,
            expires_at=datetime.now(UTC) - timedelta(days=1),
        )
    )
    response = client.get(f"/your-views/{token}")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


def phone_record(created_by: str | None = None) -> SignpostingRecord:
    """A phone signposting record with consent to the survey and one voluntary service, committed."""
    record = repository.add_record(
        SignpostingRecord(
            created_by=created_by,
            channel="phone",
            survey_consent=True,
            services=[
                SignpostedService(
                    service_id=str(uuid.uuid4()), service_name="S", organisation_name="O", organisation_type="voluntary"
                )
            ],
        )
    )
    db.session.commit()
    return record


def test_staff_key_in_phone_answers_once(app, client):
    handler = sign_in(client, "call_handler")
    record = phone_record(handler.id)
    url = f"/staff/signposting/{record.id}/answers"
    token = csrf_token(client, url)
    before = repository.count_responses()
    response = client.post(url, data={"csrf_token": token, "source": "phone", "q_helpfulness": "very_helpful"})
    assert response.status_code == 302 and repository.count_responses() == before + 1
    again = client.get(url)
    assert again.status_code == 409


def test_the_same_token_fired_from_many_threads_stores_exactly_one_response(migrated_app):
    """Real commits on the migrated test database (file SQLite or PostgreSQL), cleaned up afterwards."""
    marker = f"Concurrency {uuid.uuid4()}"
    token = new_token()
    with migrated_app.app_context():
        record = SignpostingRecord(
            channel="phone",
            survey_consent=True,
            services=[
                SignpostedService(
                    service_id=str(uuid.uuid4()),
                    service_name=marker,
                    organisation_name=marker,
                    organisation_type="voluntary",
                )
            ],
        )
        repository.add_record(record)
        repository.add_invitation(
            SurveyInvitation(
                token_hash=hash_token(token),
                survey_id="signposting",
                record_id=record.id,
                signposted_service_id=record.services[0].id,
                expires_at=datetime.now(UTC) + timedelta(days=1),
            )
        )
        db.session.commit()
        record_id = record.id
        db.session.remove()

    threads_count = 16
    barrier = threading.Barrier(threads_count)
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def answer() -> None:
        with migrated_app.app_context():
            try:
                barrier.wait()
                outcome = submit_answers(hash_token(token), {"helpfulness": "very_helpful"}, "online")
                # What the request does after the view: commit when the answers were saved, else roll back.
                if outcome is Outcome.SAVED:
                    db.session.commit()
                else:
                    db.session.rollback()
                outcomes.append(outcome)
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=answer) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with migrated_app.app_context():
        try:
            stored = db.session.scalar(
                select(func.count()).select_from(SurveyResponse).where(SurveyResponse.organisation_name == marker)
            )
            assert not errors, errors
            assert outcomes.count(Outcome.SAVED) == 1 and outcomes.count(Outcome.USED) == threads_count - 1
            assert stored == 1
        finally:
            ids = select(SurveyResponse.id).where(SurveyResponse.organisation_name == marker)
            from surveys.models import SurveyAnswer

            db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(ids)))
            db.session.execute(delete(SurveyResponse).where(SurveyResponse.organisation_name == marker))
            db.session.execute(delete(SignpostingRecord).where(SignpostingRecord.id == record_id))
            db.session.commit()
            db.session.remove()


def test_the_form_that_takes_a_callers_contact_details_links_to_the_privacy_notice(app, client):
    sign_in(client, "call_handler")
    page = BeautifulSoup(client.get("/staff/signpost?q=dementia").get_data(as_text=True), "html.parser")
    token = csrf_token(client, "/staff/signpost?q=dementia")
    service_id = page.find("input", attrs={"name": "service_id"})["value"]
    client.post("/staff/signpost/list/add", data={"service_id": service_id, "csrf_token": token})
    form = BeautifulSoup(client.get("/staff/signpost/record").get_data(as_text=True), "html.parser").find(
        "form", action="/staff/signpost/record"
    )
    assert form.find("input", id="email") and form.find("a", href="/privacy")


def test_opening_the_key_in_page_writes_nothing(app, client):
    handler = sign_in(client, "call_handler")
    record = phone_record(handler.id)
    count = select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.record_id == record.id)
    for _ in range(3):
        assert client.get(f"/staff/signposting/{record.id}/answers").status_code == 200
    assert db.session.scalar(count) == 0, "a GET never creates an invitation"
    token = csrf_token(client, f"/staff/signposting/{record.id}/answers")
    saved = client.post(
        f"/staff/signposting/{record.id}/answers",
        data={"csrf_token": token, "source": "paper", "q_helpfulness": "very_helpful"},
    )
    assert saved.status_code == 302 and db.session.scalar(count) == 1


def test_the_commissioners_csv_hides_exactly_what_the_dashboard_hides(app, client):
    """8 ratings, 7 of them positive: the dashboard says only "Ratings so far: 8"; so must the CSV."""
    rows = [
        {"survey_id": "signposting", "survey_version": 1, "submitted_on": uk_today(), "source": "paper"}
        for _ in range(8)
    ]
    answers = [[{"question_id": "helpfulness", "code": "very_helpful", "text": None}]] * 7 + [
        [{"question_id": "helpfulness", "code": "quite_unhelpful", "text": None}]
    ]
    repository.add_responses(rows, answers)
    db.session.commit()
    sign_in(client, "commissioner")
    today = uk_today().isoformat()
    page = client.get(f"/commissioners/indicators?from={today}&to={today}").get_data(as_text=True)
    assert "Ratings so far: 8" in page
    csv_text = client.get(f"/commissioners/indicators.csv?from={today}&to={today}").get_data(as_text=True)
    overall = next(line.split(",") for line in csv_text.splitlines() if line.startswith("0.3,") and ",overall," in line)
    positive, n, excluded, blank, percent = overall[4:9]
    assert (positive, n, excluded, blank, percent) == ("[c]", "8", "[c]", "[c]", "[c]")
    assert figures(client, "0.3")["numerator"] is None
