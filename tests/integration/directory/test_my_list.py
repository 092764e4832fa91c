"""A resident saves services to their own list, prints it or emails it to themselves."""

import pytest

from directory.search.engine import SearchRequest, search
from signpost.platform.extensions import db
from signpost.platform.outbox import OutboxMessage


@pytest.fixture
def resident(client, app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield client
    app.config["WTF_CSRF_ENABLED"] = True


def test_a_resident_saves_services_and_emails_the_list_to_themselves(resident, page, app):
    first, second = (hit.service_id for hit in search(SearchRequest(text="carers")).hits[:2])
    for service_id in (first, second):
        resident.post(
            "/directory/my-list/add", data={"service_id": service_id, "next": f"/directory/services/{service_id}"}
        )
    soup = page("/directory/my-list")
    assert len(soup.find(id="saved").find_all("li")) == 2
    assert "Saved to your list" in page(f"/directory/services/{first}").get_text()
    response = resident.post("/directory/my-list", data={"email": "resident@example.org"})
    assert response.status_code == 302
    message = db.session.query(OutboxMessage).filter_by(recipient="resident@example.org").one()
    assert "Here are the services you saved" in message.body
    resident.post("/directory/my-list/remove", data={"service_id": first})
    assert len(page("/directory/my-list").find(id="saved").find_all("li")) == 1


def test_a_bad_email_address_gets_a_clear_error(resident):
    service_id = search(SearchRequest(text="carers")).hits[0].service_id
    resident.post("/directory/my-list/add", data={"service_id": service_id})
    html = resident.post("/directory/my-list", data={"email": "not-an-email"}).get_data(as_text=True)
    assert "govuk-error-summary" in html and "Enter an email address in the correct format" in html


def test_unknown_services_and_outside_redirects_are_ignored(resident):
    response = resident.post("/directory/my-list/add", data={"service_id": "nope", "next": "https://evil.example"})
    assert response.headers["Location"].endswith("/directory/my-list")
    assert "You have not saved any services yet" in resident.get("/directory/my-list").get_data(as_text=True)


def test_the_emailed_list_is_kept_after_the_request_ends(resident, app):
    service_id = search(SearchRequest(text="carers")).hits[0].service_id
    resident.post("/directory/my-list/add", data={"service_id": service_id})
    resident.post("/directory/my-list", data={"email": "kept@example.org"})
    db.session.rollback()  # anything only flushed, not committed, is gone now
    assert db.session.query(OutboxMessage).filter_by(recipient="kept@example.org").count() == 1


def test_saving_on_a_service_page_returns_to_the_confirmation(resident, page):
    service_id = search(SearchRequest(text="carers")).hits[0].service_id
    soup = page(f"/directory/services/{service_id}?q=carers")
    form = soup.find("form", action="/directory/my-list/add")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    response = resident.post("/directory/my-list/add", data=data)
    assert response.headers["Location"] == f"/directory/services/{service_id}?q=carers#saved"
    saved = page(response.headers["Location"].split("#")[0]).find(id="saved")
    assert "Saved to your list" in saved.get_text()


def test_saving_from_the_results_list_returns_to_that_result(resident, page):
    soup = page("/directory/search?q=lunch+club&postcode=SG1+1AA")
    first = soup.select_one("#results li.signpost-result")
    service_id = first["id"].removeprefix("result-")
    button = first.find("button", form=True)
    assert "Save to my list" in button.get_text()
    form = soup.find("form", id=button["form"])
    assert form.find_parent("form") is None, "a save form is not nested in the search form"
    response = resident.post(form["action"], data={i["name"]: i.get("value", "") for i in form.find_all("input")})
    location = response.headers["Location"]
    assert location.startswith("/directory/search?") and location.endswith(f"#saved-{service_id}")
    again = page(location.split("#")[0])
    assert "Saved to your list" in again.find(id=f"saved-{service_id}").get_text()
    assert again.find("form", id=f"save-{service_id}") is None


def test_the_email_form_links_to_the_privacy_notice(resident, page):
    service_id = search(SearchRequest(text="carers")).hits[0].service_id
    resident.post("/directory/my-list/add", data={"service_id": service_id})
    form = page("/directory/my-list").find("form", action="/directory/my-list")
    assert form.find("a", href="/privacy")


def test_staff_see_when_a_list_was_sent_in_british_form(resident, page, app):
    """ "3 Dec 2026, 09:01:25", never the US "Dec 3, 2026, 9:01:25 AM"."""
    import re

    from tests.support.staff_helpers import sign_in

    service_id = search(SearchRequest(text="carers")).hits[0].service_id
    resident.post("/directory/my-list/add", data={"service_id": service_id, "next": "/directory/my-list"})
    resident.post("/directory/my-list", data={"email": "resident@example.org"})
    app.config["WTF_CSRF_ENABLED"] = True  # signing in, as a member of staff does, with the form's token
    sign_in(resident, "admin")
    text = page("/staff/outbox").get_text(" ", strip=True)
    assert re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}\b", text), text[:600]
    assert not re.search(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b|\b[AP]M\b", text)
