"""Providers' "suggest a change to this listing": the public form (CSRF, rate limit, error summary, nothing typed
lost), the editors' queue beside problem reports, resolving or rejecting with a note, and the optional email as
personal data (deleted on close, by the purge and by erasure; in a subject access export)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from directory import repository
from signpost.platform.extensions import db
from tests.support.limits import limit_on
from tests.support.oruk_schemas import commits_stay_in_the_test
from tests.support.staff_helpers import csrf_token, sign_in

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)

QUEUE = "/staff/directory/reports"


def a_service_id() -> str:
    return repository.exportable_service_ids()[0]


def url_for(service_id: str) -> str:
    return f"/directory/services/{service_id}/suggest-a-change"


def suggest(client, service_id: str, **fields):
    url = url_for(service_id)
    data = {"relationship": "update_provider", "changes": "Open on Fridays now, 10am to 2pm", "email": ""} | fields
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def update_requests(service_id: str):
    return [r for r in repository.problem_reports_for(service_id) if r.topic.startswith("update_")]


def test_each_service_page_links_to_the_form(page):
    service_id = a_service_id()
    link = page(f"/directory/services/{service_id}").find("a", href=url_for(service_id))
    assert link and "Suggest a change to this listing" in link.get_text()


def test_a_suggestion_is_stored_confirmed_and_queued_for_editors(client, page):
    service_id = a_service_id()
    form = page(url_for(service_id))
    assert form.find("input", attrs={"name": "csrf_token"})
    assert "delete it when the change is dealt with" in form.get_text(), "the form says why it asks for an email"
    response = suggest(client, service_id, email=" Owner@Example.org ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/suggest-a-change/sent")
    assert "Thank you for your suggested change" in client.get(response.headers["Location"]).get_data(as_text=True)
    (stored,) = update_requests(service_id)
    assert (stored.topic, stored.details, stored.contact_email, stored.status) == (
        "update_provider",
        "Open on Fridays now, 10am to 2pm",
        "Owner@Example.org",
        "open",
    )
    sign_in(client, "editor")
    queue = page(QUEUE)
    card = next(c for c in queue.find_all(class_="govuk-summary-card") if "Open on Fridays" in c.get_text())
    assert "Suggested change" in card.get_text() and "someone who runs the service" in card.get_text()
    assert card.find("a", href="mailto:Owner@Example.org")
    assert "Open on Fridays" in page(f"/staff/directory/{service_id}").get_text()


@pytest.mark.parametrize("action, status", [("resolve", "resolved"), ("reject", "rejected")])
def test_an_editor_resolves_or_rejects_with_a_note_and_the_email_is_deleted(client, page, action, status):
    service_id = a_service_id()
    suggest(client, service_id, relationship="update_other", email="someone@example.org")
    (stored,) = update_requests(service_id)
    editor = sign_in(client, "editor")
    response = client.post(
        f"{QUEUE}/{stored.id}/{action}", data={"csrf_token": csrf_token(client, QUEUE), "note": "Changed the times"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    closed = repository.get_problem_report(stored.id)
    assert (closed.status, closed.resolution_note, closed.resolved_by) == (status, "Changed the times", editor.email)
    assert closed.contact_email is None
    assert "someone@example.org" not in page(QUEUE).get_text()


@pytest.mark.parametrize(
    "fields, messages",
    [
        (
            {"relationship": "", "changes": ""},
            ["Select how you know this service", "Enter what the listing should say"],
        ),
        ({"relationship": "nonsense"}, ["Not a valid choice"]),
        ({"changes": "x" * 2001}, ["2000 characters or fewer"]),
        ({"email": "not an email"}, ["Enter an email address in the correct format"]),
        ({"email": "a@" + "b" * 260 + ".org"}, ["254 characters or fewer"]),
    ],
)
def test_errors_are_summarised_and_nothing_typed_is_lost(client, fields, messages):
    service_id = a_service_id()
    response = suggest(client, service_id, **fields)
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = soup.find(class_="govuk-error-summary")
    assert summary and soup.title.get_text().startswith("Error:")
    for message in messages:
        assert message in summary.get_text()
    sent = {"relationship": "update_provider", "changes": "Open on Fridays now, 10am to 2pm", "email": ""} | fields
    assert soup.find("textarea", attrs={"name": "changes"}).get_text().strip() == sent["changes"].strip()
    if sent["email"]:
        assert soup.find("input", attrs={"name": "email"})["value"] == sent["email"]
    if sent["relationship"] == "update_provider":
        assert soup.find("input", attrs={"name": "relationship", "value": "update_provider"}).has_attr("checked")
    assert not update_requests(service_id)


def test_a_csrf_token_is_needed_and_unknown_listings_are_not_found(client):
    service_id = a_service_id()
    response = client.post(url_for(service_id), data={"relationship": "update_provider", "changes": "x"})
    assert response.status_code == 400 and not update_requests(service_id)
    assert client.get(url_for("00000000-0000-0000-0000-000000000000")).status_code == 404
    assert client.get("/directory/services/nope/suggest-a-change").status_code == 404


@pytest.fixture
def limited(app):
    with limit_on(app, "REPORT_RATE_LIMIT", "2 per minute"):
        yield app


def test_sending_is_rate_limited(limited, client):
    service_id = a_service_id()
    token = csrf_token(client, url_for(service_id))
    data = {"csrf_token": token, "relationship": "update_provider", "changes": "New phone 01632 960000"}
    statuses = [client.post(url_for(service_id), data=data).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert client.get(url_for(service_id)).status_code == 200, "only sending is limited"


def test_the_email_is_exported_purged_and_erased_as_personal_data(app, client):
    service_id = a_service_id()
    suggest(client, service_id, email="provider@example.org")
    suggest(client, service_id, email="other@example.org")
    runner = app.test_cli_runner()
    held = json.loads(runner.invoke(args=["data", "export-person", "--email", "PROVIDER@example.org"]).output)
    assert [s["contact_email"] for s in held["suggested_changes"]] == ["provider@example.org"]
    result = runner.invoke(args=["data", "erase-person", "--email", "provider@example.org", "--yes"])
    assert result.exit_code == 0 and "the email from 1 suggested changes" in result.output
    db.session.expire_all()
    assert sorted(filter(None, (r.contact_email for r in update_requests(service_id)))) == ["other@example.org"]
    for report in update_requests(service_id):
        report.created_at = datetime.now(UTC) - timedelta(days=400)
    db.session.commit()
    result = runner.invoke(args=["data", "purge"])
    assert result.exit_code == 0 and "the email from 1 suggested changes" in result.output
    db.session.expire_all()
    assert [r.contact_email for r in update_requests(service_id)] == [None, None]
