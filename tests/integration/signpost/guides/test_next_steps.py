"""A next step from each guide's result: send it to yourself, print it, or ask for an assessment that lands in
the staff queue (call handlers and admins), with a reference sent back by the one notifications path."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update

from signpost.assessments.models import AssessmentRequest
from signpost.assessments.rules import REFERENCE_ALPHABET, is_mobile, new_reference, uk_phone
from signpost.platform import audit
from signpost.platform.extensions import db
from signpost.platform.notifications import NotificationError
from signpost.platform.outbox import OutboxMessage
from tests.support.guide_answers import LOOKING_AFTER_SOMEONE, PAYING_FOR_CARE, answer_all
from tests.support.limits import limit_on
from tests.support.staff_helpers import csrf_token, sign_in

MONEY = re.compile(r"£[\d,]+\.\d{2}")
SEND = "/guides/{flow}/result/send"
ASK = "/guides/{flow}/result/ask-for-an-assessment"
QUEUE = "/staff/assessment-requests"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def finish(client, flow: str) -> BeautifulSoup:
    answers = PAYING_FOR_CARE if flow == "paying-for-care" else LOOKING_AFTER_SOMEONE
    answer_all(client, flow, answers)
    response = client.get(f"/guides/{flow}/result")
    assert response.status_code == 200
    return soup_of(response)


def post_form(client, url: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def error_summary(response) -> str:
    summary = soup_of(response).find(class_="govuk-error-summary")
    assert summary is not None, "a GOV.UK error summary"
    return summary.get_text(" ", strip=True)


# --- The rules ------------------------------------------------------------------------------------------------


def test_a_reference_is_a_prefix_and_four_characters_that_cannot_be_misread():
    reference = new_reference("FA")
    assert re.fullmatch(r"FA-[A-Z0-9]{4}", reference)
    assert not set(reference[3:]) - set(REFERENCE_ALPHABET)
    assert not set("0O1IL5S") & set(REFERENCE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900 982", "07700900982"),
        ("+44 7700 900982", "07700900982"),
        ("+44 (0)1992 555 555", "01992555555"),
        ("0044 1992-555555", "01992555555"),
        ("020 7946 0000", "02079460000"),
    ],
)
def test_uk_phone_numbers_are_accepted_however_they_are_typed(typed, stored):
    assert uk_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "12345", "07700 900 98", "+1 212 555 0100", "0800 abc", "09001234567"])
def test_other_numbers_are_not_uk_phone_numbers(typed):
    assert uk_phone(typed) is None


def test_only_07_numbers_can_get_a_text():
    assert is_mobile("07700900982") and not is_mobile("01992555555")


# --- Save or send my result -------------------------------------------------------------------------------------


@pytest.mark.parametrize("flow", ["paying-for-care", "carers"])
def test_each_result_offers_to_send_print_and_ask_for_an_assessment(client, flow):
    result = finish(client, flow)
    block = result.find(id="next-steps")
    assert block.find(id="send-result")["href"] == SEND.format(flow=flow)
    assert block.find(id="ask-for-assessment")["href"] == ASK.format(flow=flow)
    printed = block.find(id="printed-from").get_text(" ", strip=True)
    assert f"http://localhost/guides/{flow}" in printed and str(datetime.now(UTC).year) in printed


@pytest.mark.parametrize("flow", ["paying-for-care", "carers"])
@pytest.mark.parametrize("form", ["/guides/{flow}/result/send", ASK])
def test_each_form_that_takes_contact_details_links_to_the_privacy_notice(client, flow, form):
    finish(client, flow)
    page = soup_of(client.get(form.format(flow=flow)))
    assert page.find("input", attrs={"type": ["email", "tel"]}) is not None, "the form takes contact details"
    assert page.select_one("main a[href='/privacy']") is not None


def test_sending_the_estimate_by_email_lands_one_message_with_its_figures(client):
    result = finish(client, "paying-for-care")
    figures = MONEY.findall(result.find(id="headline").get_text()) + MONEY.findall(result.find(id="yearly").get_text())
    assert len(figures) == 3, "you pay, the council pays, and a year"
    before = count(OutboxMessage)
    response = post_form(
        client, SEND.format(flow="paying-for-care"), {"send_by": "email", "email": " pat@example.org "}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/guides/paying-for-care/result/sent")
    assert count(OutboxMessage) == before + 1
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert (message.kind, message.recipient, message.purpose) == ("email", "pat@example.org", "guide_result")
    for figure in figures:
        assert figure in message.body
    assert "http://localhost/guides/paying-for-care" in message.body
    assert "0300 123 4044" in message.body
    assert "Your result has been sent" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_sending_the_carers_result_by_text_lands_one_message_with_the_allowance(client):
    result = finish(client, "carers")
    weekly = MONEY.findall(result.get_text())[0]
    before = count(OutboxMessage)
    response = post_form(client, SEND.format(flow="carers"), {"send_by": "sms", "mobile": "+44 7700 900 982"})
    assert response.status_code == 302
    assert count(OutboxMessage) == before + 1
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert (message.kind, message.recipient) == ("sms", "07700900982")
    assert f"Carer's Allowance is {weekly} a week" in message.body
    assert "Ask for a carer's assessment" in message.body and "http://localhost/guides/carers" in message.body


def test_the_send_page_shows_what_the_message_will_say(client):
    finish(client, "paying-for-care")
    page = soup_of(client.get(SEND.format(flow="paying-for-care")))
    preview = page.find(id="message-preview").get_text(" ", strip=True)
    assert "You might pay about" in preview


@pytest.mark.parametrize(
    ("form", "message", "kept"),
    [
        ({"send_by": "email", "email": "pat@example"}, "Enter an email address in the correct format", "pat@example"),
        ({"send_by": "email", "email": ""}, "Enter an email address to send your result to", None),
        ({"send_by": "sms", "mobile": "01992 555 555"}, "Enter a UK mobile number", "01992 555 555"),
        ({"send_by": "sms", "mobile": "0770090098"}, "Enter a UK mobile number", "0770090098"),
        ({"email": "pat@example.org"}, "Select how to send your result", "pat@example.org"),
    ],
)
def test_a_bad_address_or_number_gets_the_error_summary_and_keeps_what_was_typed(client, form, message, kept):
    finish(client, "paying-for-care")
    before = count(OutboxMessage)
    response = post_form(client, SEND.format(flow="paying-for-care"), form)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert soup_of(response).title.get_text().startswith("Error:")
    if kept:
        assert f'value="{kept}"' in response.get_data(as_text=True)
    assert count(OutboxMessage) == before


def test_sending_needs_a_finished_guide_and_a_csrf_token(client):
    response = client.get(SEND.format(flow="paying-for-care"))
    assert response.status_code == 302 and "/guides/paying-for-care/" in response.headers["Location"]
    finish(client, "paying-for-care")
    before = count(OutboxMessage)
    refused = client.post(SEND.format(flow="paying-for-care"), data={"send_by": "email", "email": "pat@example.org"})
    assert refused.status_code in (200, 400) and count(OutboxMessage) == before
    assert client.get(SEND.format(flow="no-such-guide")).status_code == 404


# --- Ask for an assessment -----------------------------------------------------------------------------------------


def ask(client, flow: str = "paying-for-care", **given):
    form = {"name": "Pat Resident", "contact_by": "email", "email": "pat@example.org", "best_time": "morning"}
    return post_form(client, ASK.format(flow=flow), {**form, "consent": "y", **given})


def test_asking_for_a_financial_assessment_makes_one_request_and_emails_its_reference(client):
    messages, requests = count(OutboxMessage), count(AssessmentRequest)
    response = ask(client)
    assert response.status_code == 302
    assert count(AssessmentRequest) == requests + 1 and count(OutboxMessage) == messages + 1
    made = db.session.scalars(select(AssessmentRequest).order_by(AssessmentRequest.created_at.desc())).first()
    assert re.fullmatch(r"FA-[A-Z0-9]{4}", made.reference)
    assert (made.kind, made.name, made.email, made.phone, made.best_time, made.status) == (
        "financial",
        "Pat Resident",
        "pat@example.org",
        None,
        "morning",
        "open",
    )
    page = soup_of(client.get(response.headers["Location"]))
    assert page.find(id="reference").get_text() == made.reference
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == "pat@example.org" and made.reference in message.body
    assert "financial assessment" in message.body and made.reference in message.subject
    assert audit.recent(1, "assessment_request.received")[0].target == made.reference


def test_a_carers_assessment_by_mobile_texts_the_reference_and_a_landline_gets_it_on_the_page(client):
    messages = count(OutboxMessage)
    response = ask(client, "carers", contact_by="phone", email="", phone="07700 900 982")
    assert response.status_code == 302 and count(OutboxMessage) == messages + 1
    texted = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert texted.kind == "sms" and texted.recipient == "07700900982" and re.search(r"CA-[A-Z0-9]{4}", texted.body)

    landline = ask(client, "carers", contact_by="phone", email="", phone="01992 555 555", best_time="any")
    assert count(OutboxMessage) == messages + 1, "no text message can reach a landline"
    page = soup_of(client.get(landline.headers["Location"]))
    assert "Please write your reference down" in page.get_text()
    made = db.session.scalars(select(AssessmentRequest).where(AssessmentRequest.phone == "01992555555")).one()
    assert page.find(id="reference").get_text() == made.reference and made.kind == "carers"


@pytest.mark.parametrize(
    ("given", "message", "kept"),
    [
        ({"name": ""}, "Enter your name", "pat@example.org"),
        ({"email": "not an email"}, "Enter an email address in the correct format", "not an email"),
        ({"contact_by": "phone", "phone": ""}, "Enter your phone number", "Pat Resident"),
        ({"contact_by": "phone", "phone": "12345"}, "Enter a UK phone number", "12345"),
        ({"consent": ""}, "Tick the box to agree", "Pat Resident"),
        ({"best_time": "midnight"}, "Select the best time to contact you", "Pat Resident"),
        ({"contact_by": "pigeon"}, "Select how we should contact you", "Pat Resident"),
    ],
)
def test_a_bad_request_form_gets_the_error_summary_keeps_what_was_typed_and_stores_nothing(
    client, given, message, kept
):
    before = count(AssessmentRequest), count(OutboxMessage)
    response = ask(client, **given)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert f'value="{kept}"' in response.get_data(as_text=True)
    assert (count(AssessmentRequest), count(OutboxMessage)) == before


def test_the_request_form_refuses_a_post_without_a_csrf_token(client):
    before = count(AssessmentRequest)
    response = client.post(
        ASK.format(flow="carers"),
        data={"name": "Pat", "contact_by": "email", "email": "pat@example.org", "best_time": "any", "consent": "y"},
    )
    assert response.status_code in (200, 400) and count(AssessmentRequest) == before


def test_the_done_page_without_a_request_goes_back_to_the_form(client):
    response = client.get(ASK.format(flow="carers") + "/sent")
    assert response.status_code == 302 and response.headers["Location"].endswith(ASK.format(flow="carers"))


@pytest.mark.parametrize("flow", ["paying-for-care", "carers"])
def test_getting_the_forms_and_results_never_writes(client, flow):
    finish(client, flow)
    before = count(AssessmentRequest), count(OutboxMessage)
    for url in (f"/guides/{flow}/result", SEND.format(flow=flow), ASK.format(flow=flow), f"/guides/{flow}/result/sent"):
        assert client.get(url).status_code == 200, url
    assert (count(AssessmentRequest), count(OutboxMessage)) == before


@pytest.fixture
def limited(app):
    with limit_on(app, "REPORT_RATE_LIMIT", "2 per minute"):
        yield app


def test_requests_and_sends_are_rate_limited(limited, client):
    statuses = [ask(client, name="").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(ASK.format(flow="carers")).status_code == 200, "only posting is limited"


# --- The staff queue --------------------------------------------------------------------------------------------


def made_request(client, **given) -> AssessmentRequest:
    ask(client, **given)
    return db.session.scalars(select(AssessmentRequest).order_by(AssessmentRequest.created_at.desc())).first()


def test_a_call_handler_sees_the_request_marks_it_contacted_then_closed_and_each_step_is_audited(client):
    made = made_request(client)
    sign_in(client, "call_handler")
    queue = soup_of(client.get(QUEUE))
    assert made.reference in queue.find(id="requests").get_text()
    assert audit.recent(1, "assessment_requests.listed")[0].target == "open"

    url = f"{QUEUE}/{made.id}"
    shown = soup_of(client.get(url))
    assert "Pat Resident" in shown.find(id="request").get_text() and "pat@example.org" in shown.get_text()
    assert audit.recent(1, "assessment_request.viewed")[0].target == made.reference

    missing_note = post_form(client, url, {"status": "contacted", "note": ""})
    assert missing_note.status_code == 200 and "Enter a note" in error_summary(missing_note)
    response = post_form(client, url, {"status": "contacted", "note": "Called, booked for Tuesday"})
    assert response.status_code == 302
    db.session.refresh(made)
    assert made.status == "contacted" and made.contacted_note == "Called, booked for Tuesday"
    assert audit.recent(1, "assessment_request.contacted")[0].target == made.reference

    assert post_form(client, url, {"status": "contacted", "note": "again"}).status_code == 200, "only forward"
    post_form(client, url, {"status": "closed", "note": "Assessment done"})
    db.session.refresh(made)
    assert made.status == "closed" and made.closed_note == "Assessment done" and made.closed_by is not None
    assert audit.recent(1, "assessment_request.closed")[0].target == made.reference
    assert made.reference not in soup_of(client.get(QUEUE)).get_text(), "closed requests leave the open list"
    assert made.reference in soup_of(client.get(QUEUE + "?status=closed")).get_text()
    page = soup_of(client.get(url))
    assert "Assessment done" in page.find(id="closed-note").get_text() and page.find("form", action=url) is None


@pytest.mark.parametrize(("role", "status"), [("commissioner", 403), ("editor", 403), ("admin", 200)])
def test_only_call_handlers_and_admins_see_the_queue(client, role, status):
    made = made_request(client)
    sign_in(client, role)
    assert client.get(QUEUE).status_code == status
    assert client.get(f"{QUEUE}/{made.id}").status_code == status


def test_an_unknown_request_is_not_found(client):
    sign_in(client, "call_handler")
    assert client.get(f"{QUEUE}/not-a-uuid").status_code == 404
    assert client.get(f"{QUEUE}/00000000-0000-0000-0000-000000000000").status_code == 404


# --- Retention, subject access and erasure -----------------------------------------------------------------------


def test_the_purge_removes_requests_older_than_the_retention_period(app, client):
    old = made_request(client, name="Old Resident")
    db.session.execute(
        update(AssessmentRequest)
        .where(AssessmentRequest.id == old.id)
        .values(created_at=datetime.now(UTC) - timedelta(days=400))
    )
    db.session.commit()
    recent = made_request(client, name="Recent Resident")
    result = app.test_cli_runner().invoke(args=["data", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 assessment requests" in result.output
    names = db.session.scalars(select(AssessmentRequest.name)).all()
    assert "Old Resident" not in names and recent.name in names


def test_subject_access_lists_a_persons_requests_and_erasure_removes_them(app, client):
    made = made_request(client, contact_by="phone", email="", phone="07700 900 982")
    runner = app.test_cli_runner()
    held = json.loads(runner.invoke(args=["data", "export-person", "--mobile", "+447700900982"]).output)
    assert [r["reference"] for r in held["assessment_requests"]] == [made.reference]
    result = runner.invoke(args=["data", "erase-person", "--mobile", "07700 900982", "--yes"])
    assert result.exit_code == 0 and "1 assessment requests" in result.output
    assert db.session.scalars(select(AssessmentRequest).where(AssessmentRequest.phone == "07700900982")).all() == []


def test_the_contact_box_not_chosen_is_ignored_and_not_stored(client):
    made = made_request(client, contact_by="email", email="pat@example.org", phone="not a number")
    assert (made.email, made.phone) == ("pat@example.org", None)


class RefusingNotifier:
    """GOV.UK Notify refusing every message (as NotifyNotifier reports it)."""

    def send_email(self, *args, **kwargs):
        raise NotificationError("HTTPError")

    send_sms = send_email


def test_when_a_message_cannot_be_sent_the_resident_is_told_and_nothing_typed_is_lost(client, monkeypatch):
    finish(client, "paying-for-care")
    monkeypatch.setattr("signpost.guides.next_steps.notifier", RefusingNotifier)
    response = post_form(client, SEND.format(flow="paying-for-care"), {"send_by": "email", "email": "pat@example.org"})
    assert response.status_code == 200 and "We could not send it just now" in error_summary(response)
    assert 'value="pat@example.org"' in response.get_data(as_text=True)

    made = made_request(client)
    assert made is not None and made.name == "Pat Resident", "the request is kept even when the message fails"
    page = client.get(ASK.format(flow="paying-for-care") + "/sent").get_data(as_text=True)
    assert made.reference in page and "We could not send you a message with your reference" in page
