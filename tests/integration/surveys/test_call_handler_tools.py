"""The call handler's tools, as a call handler sees them: the full public search in a staff layout, the
caller's list, the record form prefilled from the search, call history with references, messages from the
council's helpline, and the survey invitation sent days later by ``surveys send-due`` (exactly once)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import delete, func, select

from directory import repository as directory_repository
from signpost.platform.extensions import db
from signpost.platform.outbox import OutboxMessage
from surveys import repository
from surveys.models import SignpostedService, SignpostingRecord, SurveyInvitation, SurveyResponse
from surveys.signposting import normalise_reference, send_due_invitations
from tests.support.staff_helpers import csrf_token, make_user, sign_in

SEARCH = "/staff/signpost?q=dementia&postcode=SG1+1AA&distance=10&category=dementia&free=y"


def result_ids(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [li["id"].removeprefix("result-") for li in soup.select("li[id^=result-]")]


def add_to_list(client, search: str, service_id: str) -> None:
    token = csrf_token(client, search)
    response = client.post(
        "/staff/signpost/list/add", data={"service_id": service_id, "csrf_token": token, "next": search}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"{search}#result-{service_id}"


def record_call(client, **fields) -> str:
    """Record the call from the record form; returns the record page's URL."""
    token = csrf_token(client, "/staff/signpost/record")
    data = {"csrf_token": token, "channel": "phone", "survey_consent": "yes", "send_by": "sms"}
    data.update(fields)
    saved = client.post("/staff/signpost/record", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    return saved.headers["Location"]


def test_the_handlers_search_is_the_public_search_with_the_details_read_aloud(client):
    public = client.get(SEARCH.replace("/staff/signpost", "/directory/search"))
    sign_in(client, "call_handler")
    page = client.get(SEARCH)
    assert page.status_code == 200
    ids = result_ids(page.get_data(as_text=True))
    assert ids and ids == result_ids(public.get_data(as_text=True)), "same engine, same filters, same order"
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    # Every filter of the public form is on the page, with what was searched.
    for name in ("q", "postcode", "distance", "category", "district", "age", "day", "delivery", "free"):
        assert soup.find(attrs={"name": name}), name
    assert soup.find("input", attrs={"name": "postcode"})["value"] == "SG1 1AA"
    first = directory_repository.services_by_ids([ids[0]])[0]
    item = soup.find("li", id=f"result-{ids[0]}")
    text = item.get_text(" ", strip=True)
    assert item.find("a", href=lambda h: h and h.startswith(f"/directory/services/{first.id}"))
    assert first.phones[0].number in text and "Free" in text
    for label in ("Phone", "Who it is for", "Cost", "Opening times"):
        assert label in text, label
    assert first.description[:40] in text
    assert "miles away" in text or "less than 1 mile away" in text


def test_a_filter_the_staff_search_lacked_before_narrows_the_results(client):
    sign_in(client, "call_handler")
    everything = result_ids(client.get("/staff/signpost?q=dementia").get_data(as_text=True))
    free = result_ids(client.get("/staff/signpost?q=dementia&free=y").get_data(as_text=True))
    assert free and set(free) <= set(everything)
    assert all(s.is_free for s in directory_repository.services_by_ids(free))
    wrong = client.get("/staff/signpost?q=dementia&distance=5")
    assert "Enter a postcode to search by distance" in wrong.get_data(as_text=True)


def test_one_action_adds_a_result_and_the_record_form_carries_the_need_and_area(client):
    sign_in(client, "call_handler")
    ids = result_ids(client.get(SEARCH).get_data(as_text=True))
    add_to_list(client, SEARCH, ids[0])
    soup = BeautifulSoup(client.get(SEARCH).get_data(as_text=True), "html.parser")
    assert "On the list" in soup.find("li", id=f"result-{ids[0]}").get_text()
    record_link = soup.find("a", id="record-call")["href"]
    assert "need=dementia" in record_link and "district=Stevenage" in record_link
    form = BeautifulSoup(client.get(record_link).get_data(as_text=True), "html.parser")
    assert form.find("select", id="need_category").find("option", selected=True)["value"] == "dementia"
    assert form.find("select", id="district").find("option", selected=True)["value"] == "Stevenage"


def test_the_caller_gets_a_reference_and_a_text_from_the_helpline_with_phone_address_and_hours(client):
    sign_in(client, "call_handler")
    ids = result_ids(client.get(SEARCH).get_data(as_text=True))
    add_to_list(client, SEARCH, ids[0])
    record_page = client.get(record_call(client, mobile="07700 900982", need_category="dementia"))
    html = record_page.get_data(as_text=True)
    record = db.session.scalars(select(SignpostingRecord).order_by(SignpostingRecord.created_at.desc())).first()
    assert record.reference and normalise_reference(record.reference) == record.reference
    soup = BeautifulSoup(html, "html.parser")
    assert record.reference in soup.find(id="reference").get_text()
    assert "Text sent to 07••••••982" in soup.find(id="sent").get_text()
    values = [dd.get_text(strip=True) for dd in soup.select("dd.govuk-summary-list__value")]
    assert "Dementia and memory" in values and "Phone" in values, values  # labels, not "dementia", "phone"
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    service = directory_repository.services_by_ids([ids[0]])[0]
    body = message.body
    assert body.startswith("HertsHelp, Hertfordshire County Council:")
    assert record.reference in body and service.phones[0].number in body
    assert service.service_at_locations[0].location.postal_code in body
    assert "Open: " in body and "/your-views/" not in body, "the survey link waits until the job sends it"
    assert "If you do not want any more messages from us" in body


def test_the_email_subject_names_the_sender_not_signpost(client):
    sign_in(client, "call_handler")
    ids = result_ids(client.get(SEARCH).get_data(as_text=True))
    add_to_list(client, SEARCH, ids[0])
    record_call(client, send_by="email", email="resident@example.com")
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.subject == "Services we talked about – HertsHelp, Hertfordshire County Council"
    assert "Signpost" not in message.subject + message.body


def _call_by(client, role: str, email: str, district: str) -> tuple[str, SignpostingRecord]:
    user = make_user(role, email)
    sign_in_as(client, user)
    ids = result_ids(client.get(SEARCH).get_data(as_text=True))
    add_to_list(client, SEARCH, ids[0])
    url = record_call(client, mobile="07700 900982", district=district)
    record = db.session.scalars(select(SignpostingRecord).where(SignpostingRecord.created_by == user.id)).first()
    return url, record


def sign_in_as(client, user) -> None:
    from tests.support.staff_helpers import PASSWORD

    token = csrf_token(client, "/staff/login")
    response = client.post("/staff/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_call_history_shows_a_handler_their_own_calls_and_a_team_lead_the_teams(client):
    mine_url, mine = _call_by(client, "call_handler", "anna@test.invalid", "Watford")
    theirs_url, theirs = _call_by(client, "call_handler", "ben@test.invalid", "Dacorum")

    # Ben sees his call, not Anna's: not in the list, the record page, the answers page or the outbox.
    history = client.get("/staff/calls")
    table = BeautifulSoup(history.get_data(as_text=True), "html.parser").find("table", id="calls")
    assert theirs.reference in table.get_text() and mine.reference not in table.get_text()
    assert client.get(mine_url).status_code == 404
    assert client.get(f"{mine_url}/answers").status_code == 404
    outbox = client.get("/staff/outbox").get_data(as_text=True)
    assert theirs.reference in outbox and mine.reference not in outbox

    # A reference typed as the caller reads it out finds the call; so do the area and the day.
    found = client.get(f"/staff/calls?reference={theirs.reference.lower().replace('-', ' ')}")
    assert theirs.reference in found.get_data(as_text=True)
    assert "No calls match" in client.get("/staff/calls?district=Watford").get_data(as_text=True)
    today = theirs.created_at.astimezone(UTC).date().isoformat()
    assert theirs.reference in client.get(f"/staff/calls?on={today}").get_data(as_text=True)
    assert "Enter a real date" in client.get("/staff/calls?on=2026-02-31").get_data(as_text=True)
    # Key-in of a phone or paper answer is one click from the list.
    soup = BeautifulSoup(found.get_data(as_text=True), "html.parser")
    assert soup.find("a", href=f"/staff/signposting/{theirs.id}/answers")

    lead = make_user("team_lead", "lead@test.invalid")
    sign_in_as(client, lead)
    team = client.get("/staff/calls").get_data(as_text=True)
    assert mine.reference in team and theirs.reference in team
    assert client.get(mine_url).status_code == 200
    outbox = client.get("/staff/outbox").get_data(as_text=True)
    assert mine.reference in outbox and theirs.reference in outbox


def test_the_caller_can_opt_out_of_the_survey_from_the_record_page(app, client):
    url, record = _call_by(client, "call_handler", "cara@test.invalid", "Watford")
    assert "Invitation to be sent on" in client.get(url).get_data(as_text=True)
    token = csrf_token(client, url)
    assert client.post(f"{url}/no-more-messages", data={"csrf_token": token}).status_code == 302
    assert "The survey invitation will not be sent" in client.get(url).get_data(as_text=True)
    later = datetime.now(UTC) + timedelta(days=30)
    with app.test_request_context("/"):
        assert send_due_invitations(lambda t: f"http://localhost/your-views/{t}", later)["sent"] == 0


def _two_organisation_record(email: str, due: datetime) -> SignpostingRecord:
    items = [
        SignpostedService(position=i, service_id=str(uuid.uuid4()), service_name=f"S{i}", organisation_id=org,
                          organisation_name=f"Org {org}", organisation_type="voluntary")
        for i, org in enumerate(["a", "a", "b"])
    ]  # fmt: skip
    record = SignpostingRecord(
        channel="phone", survey_consent=True, contact_email=email, survey_send_by="email", survey_due_at=due,
        services=items,
    )  # fmt: skip
    return repository.add_record(record, lambda: "SP-" + uuid.uuid4().hex[:5].upper())


def test_send_due_waits_the_configured_days_then_sends_once_asking_about_each_organisation(app):
    email = f"{uuid.uuid4().hex}@example.com"
    record = _two_organisation_record(email, datetime.now(UTC) + timedelta(days=7))
    runner = app.test_cli_runner()
    assert "Sent 0 survey invitations" in runner.invoke(args=["surveys", "send-due"]).output
    record.survey_due_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.flush()
    first = runner.invoke(args=["surveys", "send-due"])
    second = runner.invoke(args=["surveys", "send-due"])
    assert first.exit_code == 0 and "Sent 1 survey invitations" in first.output, first.output
    assert "Sent 0 survey invitations" in second.output
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)).all()
    assert len(messages) == 1
    body = messages[0].body
    assert messages[0].subject == "How did it go? – HertsHelp, Hertfordshire County Council"
    assert "Org a: http" in body and "Org b: http" in body and record.reference in body
    invitations = db.session.scalars(select(SurveyInvitation).where(SurveyInvitation.record_id == record.id)).all()
    assert len(invitations) == 2, "one rating for each organisation, not each service"


def test_the_delay_is_configurable(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_DELAY_DAYS", 3)
    from surveys.signposting import ContactDetails, record_contact

    service = directory_repository.services_by_ids(
        result_ids(app.test_client().get("/directory/search?q=dementia").get_data(as_text=True))[:1]
    )
    details = ContactDetails("dementia", "Watford", "phone", True, "sms", mobile="07700900982")
    with app.test_request_context("/"):
        recorded = record_contact(None, service, details, lambda t: t)
    due = recorded.record.survey_due_at
    delay = (due if due.tzinfo else due.replace(tzinfo=UTC)) - datetime.now(UTC)
    assert timedelta(days=2, hours=23) < delay <= timedelta(days=3)
    assert (
        "In 3 days we will send you a short survey link"
        in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first().body
    )


def test_send_due_run_twice_at_once_sends_each_invitation_exactly_once(migrated_app):
    """Real commits on the migrated test database (file SQLite or PostgreSQL), two app contexts at once."""
    email = f"{uuid.uuid4().hex}@example.com"
    with migrated_app.app_context():
        ids = [_two_organisation_record(email, datetime.now(UTC) - timedelta(hours=1)).id for _ in range(5)]
        db.session.commit()
        db.session.remove()
    barrier = threading.Barrier(2)
    reports: list[dict] = []
    errors: list[BaseException] = []

    def run() -> None:
        with migrated_app.app_context(), migrated_app.test_request_context("/"):
            try:
                barrier.wait()
                reports.append(send_due_invitations(lambda t: f"http://localhost/your-views/{t}"))
                db.session.commit()
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with migrated_app.app_context():
        try:
            assert not errors, errors
            assert len(reports) == 2 and sum(r["sent"] for r in reports) == 5
            sent = db.session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == email)
            )
            invitations = db.session.scalar(
                select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.record_id.in_(ids))
            )
            assert (sent, invitations) == (5, 10)
        finally:
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == email))
            db.session.execute(delete(SignpostingRecord).where(SignpostingRecord.id.in_(ids)))
            db.session.commit()
            db.session.remove()


def _call_with_three_services(handler_id: str) -> SignpostingRecord:
    """A consented phone call suggesting two services of one organisation and one of another."""
    services = [
        SignpostedService(
            service_id=str(uuid.uuid4()),
            service_name=name,
            organisation_id=org_id,
            organisation_name=org,
            organisation_type="voluntary",
        )
        for name, org_id, org in (
            ("Lunch club", "org-a", "Zebrafinch Friends"),
            ("Befriending", "org-b", "Yakety Carers"),
            ("Supper club", "org-a", "Zebrafinch Friends"),
        )
    ]
    record = repository.add_record(
        SignpostingRecord(created_by=handler_id, channel="phone", survey_consent=True, services=services)
    )
    db.session.commit()
    return record


def test_answers_keyed_in_from_the_call_history_give_one_rating_per_organisation(client):
    handler = sign_in(client, "call_handler")
    record = _call_with_three_services(handler.id)
    history = BeautifulSoup(client.get("/staff/calls").get_data(as_text=True), "html.parser")
    link = history.find("a", href=f"/staff/signposting/{record.id}/answers")
    assert link, "key-in is one click from the call history"
    first = BeautifulSoup(client.get(link["href"]).get_data(as_text=True), "html.parser")
    assert "about Zebrafinch Friends" in first.find("h1").get_text()
    assert [li.get_text(" ", strip=True).split(" Entering")[0] for li in first.find(id="ratings").find_all("li")] == [
        "Zebrafinch Friends",
        "Yakety Carers Not answered",
    ], "each organisation once, though two of its services were suggested"
    before = repository.count_responses()
    action = first.find("form", method="post")["action"]
    token = csrf_token(client, link["href"])
    saved = client.post(action, data={"csrf_token": token, "source": "phone", "q_helpfulness": "very_helpful"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    second_url = saved.headers["Location"]
    assert saved.status_code == 302 and "organisation=" in second_url, "on to the organisation not yet rated"
    second = BeautifulSoup(client.get(second_url).get_data(as_text=True), "html.parser")
    assert "about Yakety Carers" in second.find("h1").get_text()
    assert "The answers about Zebrafinch Friends have been saved" in second.get_text()
    assert client.get(action).status_code == 409, "the first organisation's rating is kept once"
    history = client.get("/staff/calls").get_data(as_text=True)
    assert "1 of 2 answered" in history
    saved = client.post(
        second.find("form", method="post")["action"],
        data={"csrf_token": token, "source": "paper", "q_helpfulness": "quite_unhelpful"},
    )
    assert saved.status_code == 302 and saved.headers["Location"] == f"/staff/signposting/{record.id}"
    assert repository.count_responses() == before + 2
    names = db.session.scalars(
        select(SurveyResponse.organisation_name)
        .where(SurveyResponse.organisation_name.in_(["Zebrafinch Friends", "Yakety Carers"]))
        .order_by(SurveyResponse.organisation_name)
    ).all()
    assert names == ["Yakety Carers", "Zebrafinch Friends"]
    assert client.get(f"/staff/signposting/{record.id}/answers").status_code == 409
    row = BeautifulSoup(client.get("/staff/calls").get_data(as_text=True), "html.parser").find("table", id="calls")
    assert "Answered" in row.get_text() and not row.find("a", href=f"/staff/signposting/{record.id}/answers")
    assert client.get(f"/staff/signposting/{record.id}/answers?organisation=nope").status_code == 404


def test_key_in_uses_the_invitation_sent_about_each_organisation(client, app):
    handler = sign_in(client, "call_handler")
    record = _call_with_three_services(handler.id)
    record.contact_email, record.survey_send_by = "caller@example.org", "email"
    record.survey_due_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.flush()
    sent = app.test_cli_runner().invoke(args=["surveys", "send-due"])
    assert "Sent 1 survey invitations" in sent.output, sent.output
    invitations = db.session.scalars(select(SurveyInvitation).where(SurveyInvitation.record_id == record.id)).all()
    assert len(invitations) == 2
    url = f"/staff/signposting/{record.id}/answers"
    token = csrf_token(client, url)
    for _ in range(2):
        response = client.post(url, data={"csrf_token": token, "source": "phone", "q_helpfulness": "very_helpful"})
        assert response.status_code == 302
    db.session.expire_all()
    count = select(func.count()).select_from(SurveyInvitation).where(SurveyInvitation.record_id == record.id)
    assert db.session.scalar(count) == 2, "the sent invitations were used, no new ones made"
    used = (
        select(func.count())
        .select_from(SurveyInvitation)
        .where(SurveyInvitation.record_id == record.id, SurveyInvitation.used_at.is_not(None))
    )
    assert db.session.scalar(used) == 2


def test_each_result_says_why_it_was_found_as_the_api_does(client):
    sign_in(client, "call_handler")
    soup = BeautifulSoup(
        client.get("/staff/signpost?q=befreinding&postcode=WD17").get_data(as_text=True), "html.parser"
    )
    api = client.get("/api/v1/search?q=befreinding&postcode=WD17").get_json()["results"]
    for result in api[:5]:
        why = soup.find("li", id=f"result-{result['id']}").find(class_="staff-result__why").get_text(" ", strip=True)
        assert why.startswith("Why this result:")
        assert "spelling corrected to befriending" in why
        for concept in result["reasons"]["matched_concepts"]:
            assert concept in why
        assert f"score {result['reasons']['score']:.2f}" in why
        assert ("Does not cover Watford" in why) == result["reasons"]["not_covered"]


def test_why_this_result_says_when_a_result_offers_the_pages_language_or_is_in_the_inferred_category(client):
    """The staff page searches as the public page and the API do, in the page's language: its line says
    "oferuje język: Polski" (offers Polish) and "in Meals" for the results the API's reasons say were ranked up
    for them."""
    from flask_babel import refresh

    sign_in(client, "call_handler")
    client.get("/staff/signpost?lang=en")
    refresh()
    page = client.get("/staff/signpost?q=lunch+club&postcode=SG1+1AA&lang=pl").get_data(as_text=True)
    client.get("/staff/signpost?lang=en")
    refresh()
    soup = BeautifulSoup(page, "html.parser")
    api = client.get("/api/v1/search?q=lunch+club&postcode=SG1+1AA&lang=pl").get_json()["results"]
    assert [result["id"] for result in api[:5]] == result_ids(page)[:5]
    seen = set()
    for result in api[:5]:
        why = soup.find("li", id=f"result-{result['id']}").find(class_="staff-result__why").get_text(" ", strip=True)
        reasons = result["reasons"]
        assert ("oferuje język: Polski" in why) == (reasons["offers_language"] == "pl"), why
        assert (reasons["category"] is not None) == reasons["in_category"]
        seen |= {key for key in ("offers_language", "in_category") if reasons[key]}
    assert seen == {"offers_language", "in_category"}


def test_on_a_translated_page_the_listings_english_and_our_words_are_each_in_their_own_language(client):
    """ "Who it is for" and "Cost" once read as one English run: the Urdu age phrase and "Free" were marked
    lang="en", so a screen reader read them with an English voice."""
    from flask_babel import refresh

    sign_in(client, "call_handler")
    refresh()
    soup = BeautifulSoup(client.get(f"{SEARCH}&lang=ur").get_data(as_text=True), "html.parser")
    ids = result_ids(str(soup))
    services = {s.id: s for s in directory_repository.services_by_ids(ids)}
    checked = 0
    for service_id in ids:
        service = services[service_id]
        rows = soup.find("li", id=f"result-{service_id}").select(".govuk-summary-list__row")
        who, cost = (row.find("dd") for row in rows[1:3])
        english = [span.get_text() for span in who.find_all("span", lang="en")]
        ours = [t for t in who.find_all(string=True) if t.strip() and not t.find_parent("span", lang="en")]
        assert english == ([service.eligibility_description.strip()] if service.eligibility_description else [])
        if service.minimum_age is not None or service.maximum_age is not None:
            assert ours and all(any("\u0600" <= ch <= "\u06ff" for ch in t) for t in ours), ours
            checked += 1
        if service.is_free:
            free = [t for t in cost.find_all(string=True) if not t.find_parent("span", lang="en")]
            assert "".join(free).strip() == "مفت", free
    assert checked, "at least one result states ages"
