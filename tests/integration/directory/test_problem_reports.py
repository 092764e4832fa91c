"""Residents' "report a problem with this listing": the form, its errors, the stored report."""

from __future__ import annotations

import re

import pytest

from directory import repository
from tests.support.oruk_schemas import commits_stay_in_the_test

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)


def a_service_id() -> str:
    return repository.exportable_service_ids()[0]


def token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_the_service_page_links_to_the_form(page):
    service_id = a_service_id()
    soup = page(f"/directory/services/{service_id}")
    assert soup.find("a", href=f"/directory/services/{service_id}/report-a-problem")


def test_a_report_is_stored_and_confirmed(client):
    service_id = a_service_id()
    url = f"/directory/services/{service_id}/report-a-problem"
    soup_html = client.get(url).get_data(as_text=True)
    for topic in ("out_of_date", "closed", "wrong_contact", "other"):
        assert f'value="{topic}"' in soup_html
    response = client.post(
        url, data={"csrf_token": token(client, url), "topic": "wrong_contact", "details": "New number 01632 960999"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/report-a-problem/sent")
    assert "Thank you for your report" in client.get(response.headers["Location"]).get_data(as_text=True)
    reports = repository.problem_reports_for(service_id)
    assert [(r.topic, r.details, r.status) for r in reports] == [("wrong_contact", "New number 01632 960999", "open")]


def test_missing_topic_shows_an_error_summary(client):
    url = f"/directory/services/{a_service_id()}/report-a-problem"
    response = client.post(url, data={"csrf_token": token(client, url), "topic": "", "details": "x" * 1300})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Select what is wrong with this listing" in html
    assert "1200 characters or fewer" in html and "<title>Error:" in html


@pytest.mark.parametrize("topic", ["nonsense", "CLOSED"])
def test_unknown_topics_are_refused_without_storing(client, topic):
    service_id = a_service_id()
    url = f"/directory/services/{service_id}/report-a-problem"
    response = client.post(url, data={"csrf_token": token(client, url), "topic": topic})
    assert response.status_code == 200 and not repository.problem_reports_for(service_id)


def test_a_post_without_a_csrf_token_is_refused(client):
    response = client.post(f"/directory/services/{a_service_id()}/report-a-problem", data={"topic": "closed"})
    assert response.status_code == 400


@pytest.mark.parametrize("service_id", ["not-an-id", "00000000-0000-4000-8000-000000000000"])
def test_unknown_listings_are_not_found(client, service_id):
    assert client.get(f"/directory/services/{service_id}/report-a-problem").status_code == 404
