"""The commissioners' dashboard, its exports and the public indicators read the database a small, fixed number of
times: every indicator's counts in one statement and the organisations' names in one more, never once per
indicator, breakdown or organisation."""

from __future__ import annotations

import uuid

import pytest

from signpost.platform.extensions import db
from surveys import repository
from surveys.signposting import uk_today
from tests.support.queries import statements
from tests.support.staff_helpers import sign_in

# The staff session and account, the need categories' names, the counts and the organisations' names; an export
# also writes its audit row. A little room; the point is that it does not grow with the organisations.
MOST = 7
PAGES = (
    "/commissioners/indicators",
    "/commissioners/indicators.csv",
    "/commissioners/funnel.csv",
    "/commissioners/funnel.json",
    "/how-we-are-doing",
    "/api/v1/indicators",
)


def seed(organisations: range) -> None:
    rows, answers = [], []
    for number in organisations:
        name = f"Organisation {number:02d}"
        for index in range(12):
            rows.append(
                {
                    "survey_id": "signposting",
                    "survey_version": 1,
                    "submitted_on": uk_today(),
                    "source": "paper",
                    "district": ("Watford", "Stevenage")[number % 2],
                    "organisation_id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
                    "organisation_name": name,
                    "organisation_type": ("voluntary", "statutory")[number % 2],
                    "need_category": "meals",
                }
            )
            code = "very_helpful" if index < 9 else "quite_unhelpful"
            answers.append([{"question_id": "helpfulness", "code": code, "text": None}])
    repository.add_responses(rows, answers)
    db.session.commit()


def counted(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm the statement caches
    with statements() as seen:
        response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return len(seen), response.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES)
def test_a_page_of_figures_reads_as_often_for_twelve_organisations_as_for_two(app, client, url):
    sign_in(client, "commissioner")
    today = uk_today().isoformat()
    query = f"{url}?from={today}&to={today}"
    seed(range(2))
    few, shown = counted(client, query)
    seed(range(2, 12))
    many, shown_more = counted(client, query)
    if url.startswith("/commissioners/") and url != "/commissioners/indicators.csv":
        assert "Organisation 01" in shown and "Organisation 11" not in shown
        assert "Organisation 11" in shown_more
    assert many == few <= MOST, (few, many)
