"""Editors' curation under /staff/directory: create, edit, archive, restore, check, versions, problem reports."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from flask_babel import refresh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory import repository
from directory.models import Language, Service
from directory.postcodes import locate
from directory.search.engine import SearchRequest, search
from signpost.platform.extensions import db
from tests.support.oruk_schemas import commits_stay_in_the_test
from tests.support.staff_helpers import csrf_token, sign_in

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)

NEW = "/staff/directory/new"


def listing_form(**changes) -> dict:
    """A complete, valid listing for a new organisation; `changes` override fields."""
    terms = repository.categories()
    data = {
        "name": "Zebrafinch Lunch Club",
        "organisation_id": "",
        "new_organisation_name": "Zebrafinch Friends",
        "new_organisation_type": "voluntary",
        "description": "A weekly hot lunch and company for older people in Hertford.",
        "categories": [terms[0].id],
        "eligibility": "People over 60",
        "minimum_age": "60",
        "maximum_age": "",
        "free": "no",
        "cost": "£4 a meal",
        "how_to_access": "Just turn up",
        "referral": "self",
        "delivery": ["in_person"],
        "area": "districts",
        "districts": ["East Hertfordshire"],
        "phones": "01632 960123, Club leader",
        "email": "club@example.org",
        "website": "https://example.org/lunch",
        "address": "Church Hall, Fore Street",
        "town": "Hertford",
        "postcode": "sg13 8dq",
        "days": ["TU", "TH"],
        "opens_at": "11:30",
        "closes_at": "14:00",
    }
    data.update(changes)
    return data


def post(client, url: str, data: dict | None = None, token_from: str | None = None):
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, token_from or url)
    return client.post(url, data=payload)


def create_listing(client, **changes) -> str:
    response = post(client, NEW, listing_form(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[-1]


def found_by_search(text: str, service_id: str) -> bool:
    return service_id in [hit.service_id for hit in search(SearchRequest(text=text, per_page=100)).hits]


@pytest.fixture
def editor(client):
    return sign_in(client, "editor")


def test_an_editor_creates_a_listing_and_it_is_found_by_search(client, editor, page):
    service_id = create_listing(client)
    service = repository.get_service(service_id)
    assert service.name == "Zebrafinch Lunch Club" and service.organization.name == "Zebrafinch Friends"
    assert service.organization.organization_type.value == "voluntary"
    assert service.minimum_age == 60 and service.maximum_age is None and not service.is_free
    assert [p.number for p in service.phones] == ["01632 960123"] and service.phones[0].description == "Club leader"
    location = service.service_at_locations[0].location
    assert location.postal_code == "SG13 8DQ" and location.latitude and location.district == "East Hertfordshire"
    assert service.schedules[0].byday == "TU,TH" and service.schedules[0].opens_at == "11:30"
    assert found_by_search("zebrafinch", service_id)
    public = client.get("/directory/search?q=zebrafinch").get_data(as_text=True)
    assert "Zebrafinch Lunch Club" in public
    staff = page("/staff/directory/?q=zebrafinch")
    assert "Zebrafinch Lunch Club" in staff.get_text()
    versions = repository.service_versions(service_id)
    assert [(v.version, v.action, v.changed_by) for v in versions] == [(1, "created", editor.email)]
    assert json.loads(versions[0].snapshot)["name"] == "Zebrafinch Lunch Club"


def test_editing_changes_the_listing_and_keeps_version_two(client, editor, page):
    service_id = create_listing(client)
    edit_url = f"/staff/directory/{service_id}/edit"
    form = page(edit_url)
    assert form.find("input", attrs={"name": "name"})["value"] == "Zebrafinch Lunch Club"
    organisation_id = repository.get_service(service_id).organization_id
    before = datetime.now(UTC)
    response = post(
        client,
        edit_url,
        listing_form(name="Zebrafinch Supper Club", organisation_id=organisation_id, new_organisation_name=""),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert repository.get_service(service_id).name == "Zebrafinch Supper Club"
    assert repository.get_service(service_id).organization_id == organisation_id
    assert found_by_search("supper zebrafinch", service_id)
    newest = repository.service_versions(service_id)[0]
    assert (newest.version, newest.action, newest.changed_by) == (2, "edited", editor.email)
    changed_at = newest.changed_at if newest.changed_at.tzinfo else newest.changed_at.replace(tzinfo=UTC)
    assert before - timedelta(seconds=5) <= changed_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert json.loads(newest.snapshot)["name"] == "Zebrafinch Supper Club"
    history = page(f"/staff/directory/{service_id}").get_text()
    assert "Version history" in history and editor.email in history and "Edited" in history and "Created" in history


def test_archive_hides_the_listing_and_restore_brings_it_back(client, editor, page):
    service_id = create_listing(client)
    listing = f"/staff/directory/{service_id}"
    assert post(client, f"{listing}/archive", token_from=listing).status_code == 302
    assert not found_by_search("zebrafinch", service_id)
    assert "Zebrafinch Lunch Club" not in client.get("/directory/search?q=zebrafinch").get_data(as_text=True)
    assert client.get(f"/directory/services/{service_id}").status_code == 404
    assert "Zebrafinch Lunch Club" in page("/staff/directory/archived").get_text()
    assert "Restore" in page(listing).get_text()

    assert post(client, f"{listing}/restore", token_from=listing).status_code == 302
    assert found_by_search("zebrafinch", service_id)
    assert client.get(f"/directory/services/{service_id}").status_code == 200
    actions = [v.action for v in repository.service_versions(service_id)]
    assert actions == ["restored", "archived", "created"]


def test_search_follows_a_listing_that_moves_or_starts_covering_the_county(client, editor):
    service_id = create_listing(client)
    hertford = locate("SG13 8DQ")

    def miles_from_hertford() -> float:
        hits = search(SearchRequest(text="zebrafinch", place=hertford, within_miles=100)).hits
        return next(hit.miles for hit in hits if hit.service_id == service_id)

    assert miles_from_hertford() < 1
    organisation_id = repository.get_service(service_id).organization_id
    moved = listing_form(postcode="WD17 1DS", town="Watford", organisation_id=organisation_id, new_organisation_name="")
    assert post(client, f"/staff/directory/{service_id}/edit", moved).status_code == 302
    assert miles_from_hertford() > 10
    assert not search(SearchRequest(text="zebrafinch", place=hertford, within_miles=5)).hits

    countywide = dict(moved, area="countywide", districts=[])
    assert post(client, f"/staff/directory/{service_id}/edit", countywide).status_code == 302
    assert [
        hit.service_id for hit in search(SearchRequest(text="zebrafinch", place=hertford, within_miles=5)).hits
    ] == [service_id]


def test_mark_as_checked_sets_today_and_clears_the_flag(client, editor, page):
    service_id = create_listing(client)
    service = db.session.get(Service, service_id)
    service.assured_date = date.today() - timedelta(days=400)
    db.session.flush()
    cutoff = date.today() - timedelta(days=365)
    flagged = repository.count_not_checked(cutoff)
    stale_page = page("/staff/directory/?stale=y&q=zebrafinch")
    assert "Zebrafinch Lunch Club" in stale_page.get_text() and "Needs checking" in stale_page.get_text()
    assert f"{flagged} listings have not been checked" in " ".join(page("/staff/directory/").get_text().split())

    listing = f"/staff/directory/{service_id}"
    assert post(client, f"{listing}/check", token_from=listing).status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service_id).assured_date == date.today()
    assert repository.count_not_checked(cutoff) == flagged - 1
    assert "Zebrafinch Lunch Club" not in page("/staff/directory/?stale=y&q=zebrafinch").get_text()
    assert repository.service_versions(service_id)[0].action == "checked"


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"name": "", "minimum_age": "70", "maximum_age": "18", "postcode": "ZZ99 9ZZ", "email": "nope"},
            [
                "Enter the name of the service",
                "The maximum age must be the same as or more than the minimum age",
                "Enter a real postcode",
                "Enter an email address in the correct format",
            ],
        ),
        (
            {"new_organisation_name": "", "new_organisation_type": "", "area": "districts", "districts": []},
            ["Choose an organisation, or enter the name of a new one", "Select the districts where the service"],
        ),
        (
            {"minimum_age": "²", "opens_at": "25:00", "closes_at": "09:00", "website": "javascript:alert(1)"},
            ["Enter an age as a whole number", "Enter the opening time", "Enter a website address starting https://"],
        ),
        (
            {"categories": ["not-a-term"], "free": "maybe", "referral": "x", "organisation_id": "nope"},
            ["Select types of help from the list", "Select yes if the service is free", "Select an organisation"],
        ),
    ],
)
def test_a_bad_form_shows_errors_and_keeps_what_was_typed(client, editor, changes, messages):
    before = repository.count_services()
    response = post(client, NEW, listing_form(**changes))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.find(class_="govuk-error-summary")
    assert summary is not None and "<title>Error:" in html
    text = " ".join(summary.get_text().split())
    for message in messages:
        assert message in text, (message, text)
    assert soup.find("input", attrs={"name": "town"})["value"] == "Hertford"
    if changes.get("email"):
        assert soup.find("input", attrs={"name": "email"})["value"] == changes["email"]
    assert soup.find("textarea", attrs={"name": "description"}).get_text().strip().startswith("A weekly hot lunch")
    assert repository.count_services() == before


def test_forms_need_a_csrf_token(client, editor):
    before = repository.count_services()
    assert client.post(NEW, data=listing_form()).status_code == 400
    assert repository.count_services() == before
    service_id = repository.exportable_service_ids()[0]
    assert client.post(f"/staff/directory/{service_id}/archive", data={}).status_code == 400
    assert repository.get_service(service_id) is not None


def test_a_call_handler_is_refused_and_anonymous_visitors_are_sent_to_sign_in(client, app):
    service_id = repository.exportable_service_ids()[0]
    urls = ["/staff/directory/", NEW, f"/staff/directory/{service_id}", "/staff/directory/reports"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login"), url
    sign_in(client, "call_handler")
    for url in urls:
        assert client.get(url).status_code == 403, url
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert client.post(f"/staff/directory/{service_id}/archive").status_code == 403
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert repository.get_service(service_id) is not None


def test_admin_may_curate(client):
    sign_in(client, "admin")
    assert client.get("/staff/directory/").status_code == 200
    assert client.get(NEW).status_code == 200


def test_a_problem_report_is_queued_and_resolved(client, editor, page):
    service_id = repository.exportable_service_ids()[0]
    name = repository.get_service(service_id).name
    report_url = f"/directory/services/{service_id}/report-a-problem"
    response = post(client, report_url, {"topic": "closed", "details": "Closed since March"})
    assert response.status_code == 302
    queue = page("/staff/directory/reports").get_text()
    assert name in queue and "The service has closed" in queue and "Closed since March" in queue
    assert "Closed since March" in page(f"/staff/directory/{service_id}").get_text()

    report = next(r for r in repository.problem_reports_for(service_id) if r.details == "Closed since March")
    response = post(client, f"/staff/directory/reports/{report.id}/resolve", token_from="/staff/directory/reports")
    assert response.status_code == 302
    db.session.expire_all()
    report = repository.get_problem_report(report.id)
    assert report.status == "resolved" and report.resolved_by == editor.email and report.resolved_at is not None
    assert "Closed since March" not in page("/staff/directory/reports").get_text()


def test_a_problem_report_is_rejected_with_a_note(client, editor, page):
    service_id = repository.exportable_service_ids()[0]
    post(client, f"/directory/services/{service_id}/report-a-problem", {"topic": "other", "details": "Spam text"})
    report = next(r for r in repository.problem_reports_for(service_id) if r.details == "Spam text")
    response = post(
        client,
        f"/staff/directory/reports/{report.id}/reject",
        {"note": "Not about this service"},
        token_from="/staff/directory/reports",
    )
    assert response.status_code == 302
    db.session.expire_all()
    report = repository.get_problem_report(report.id)
    assert (report.status, report.resolution_note, report.resolved_by) == (
        "rejected",
        "Not about this service",
        editor.email,
    )
    assert "Spam text" not in page("/staff/directory/reports").get_text()


def test_unknown_ids_are_not_found(client, editor):
    token = csrf_token(client, NEW)
    assert client.get("/staff/directory/not-a-uuid").status_code == 404
    assert client.get("/staff/directory/00000000-0000-0000-0000-000000000000/edit").status_code == 404
    assert client.post("/staff/directory/reports/nope/resolve", data={"csrf_token": token}).status_code == 404


FIELD_VALUES = st.one_of(st.text(max_size=40), st.lists(st.text(max_size=10), max_size=3))


FIELDS = [
    "name",
    "organisation_id",
    "new_organisation_name",
    "new_organisation_type",
    "description",
    "categories",
    "minimum_age",
    "maximum_age",
    "free",
    "cost",
    "referral",
    "delivery",
    "area",
    "districts",
    "phones",
    "email",
    "website",
    "postcode",
    "days",
    "opens_at",
    "closes_at",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(FIELDS), FIELD_VALUES, max_size=6), q=st.text(max_size=30))
def test_any_input_gets_a_page_not_an_error(client, app, values, q):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        with client.session_transaction() as session:
            logged_in = bool(session.get("_user_id"))
        if not logged_in:
            app.config["WTF_CSRF_ENABLED"] = True
            sign_in(client, "editor")
            app.config["WTF_CSRF_ENABLED"] = False
        response = client.post(NEW, data=listing_form(**values))
        assert response.status_code in (200, 302)
        for page in (q, "²", "99999999999"):
            assert client.get("/staff/directory/", query_string={"q": q, "stale": q, "page": page}).status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_languages_are_chosen_on_the_form_and_imported_ones_kept(client, editor):
    service_id = create_listing(client, languages=["en", "pl"])
    db.session.expire_all()
    service = repository.get_service(service_id)
    assert sorted(language.code for language in service.languages) == ["en", "pl"]
    service.languages.append(Language(code="kw", name="Cornish"))
    db.session.commit()
    response = post(client, f"/staff/directory/{service_id}/edit", listing_form(languages=["ur"]))
    assert response.status_code == 302
    db.session.expire_all()
    service = repository.get_service(service_id)
    assert sorted(language.code for language in service.languages) == ["kw", "ur"]


def home_count(client, code: str) -> int:
    """The number of services the home page gives for a category (0 when it shows none)."""
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    link = soup.find("a", href=f"/directory/search?category={code}")
    hidden = link.find_parent("li").select_one(".govuk-visually-hidden")
    return int(hidden.get_text().strip("() ").split()[0]) if hidden else 0


def test_a_save_shows_at_once_in_the_home_page_counts(client, editor, monkeypatch):
    """The counts are kept between requests (``ByIndexVersion``), and a save in this process renews them at once,
    without waiting for the version check."""
    from directory.repository.index_state import ByIndexVersion

    term = repository.categories()[0]
    before = home_count(client, term.code)
    monkeypatch.setattr(ByIndexVersion, "CHECK_SECONDS", 3600.0)
    service_id = create_listing(client, categories=[term.id])
    assert home_count(client, term.code) == before + 1
    listing = f"/staff/directory/{service_id}"
    assert post(client, f"{listing}/archive", token_from=listing).status_code == 302
    assert home_count(client, term.code) == before


def form_as_sent(form) -> dict:
    """What a browser sends for `form` unchanged: inputs, checked boxes, chosen options and textareas."""
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "textarea":
            value = field.get_text()
            value = value[1:] if value.startswith("\n") else value  # as HTML parsing drops the first newline
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen.get("value", chosen.get_text()) if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if not field.has_attr("checked"):
                continue
            value = field.get("value", "on")
        else:
            value = field.get("value", "")
        data.setdefault(name, []).append(value)
    return data


@pytest.mark.parametrize("lang", ["en", "ur", "ar"])
def test_saving_a_listing_unchanged_from_a_page_in_any_language_changes_nothing(client, editor, page, lang):
    """A right-to-left page isolates sums of money and tax years for display; what is in the form's fields must
    come back exactly as it was, or every save from an Urdu page would change the listing invisibly."""
    service_id = create_listing(
        client,
        cost="£4 a meal, £2.50 for tea (2026-27 prices)",
        description="Lunch for £4 in 2026-27. Call 01632 960123.",
    )
    before = repository.get_service(service_id)
    kept = (before.name, before.description, [c.amount_description for c in before.cost_options])
    edit_url = f"/staff/directory/{service_id}/edit"
    refresh()  # the test's app context would otherwise keep the first request's locale
    shown = page(f"{edit_url}?lang={lang}")
    assert shown.html["lang"] == lang and shown.html.get("dir", "ltr") == ("ltr" if lang == "en" else "rtl")
    response = client.post(edit_url, data=form_as_sent(shown.find("form", method="post")))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    after = repository.get_service(service_id)
    assert (after.name, after.description, [c.amount_description for c in after.cost_options]) == kept
