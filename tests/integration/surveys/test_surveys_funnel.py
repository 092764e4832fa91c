"""The commissioners' funnel plot: one set of figures on the page, in the CSV and in the JSON, same suppression."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

from bs4 import BeautifulSoup

from signpost.platform.extensions import db
from surveys import reporting, repository
from surveys.signposting import uk_today
from tests.support.staff_helpers import sign_in

ORGANISATIONS = {"Alpha Advice": (22, 3), "Beta Befriending": (6, 2), "Gamma Carers": (30, 10)}


def seed() -> None:
    rows, answers = [], []
    for name, (positive, negative) in ORGANISATIONS.items():
        organisation_id = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
        for index in range(positive + negative):
            rows.append(
                {
                    "survey_id": "signposting",
                    "survey_version": 1,
                    "submitted_on": uk_today(),
                    "source": "paper",
                    "organisation_id": organisation_id,
                    "organisation_name": name,
                    "organisation_type": "voluntary",
                }
            )
            code = "very_helpful" if index < positive else "quite_unhelpful"
            answers.append([{"question_id": "helpfulness", "code": code, "text": None}])
    repository.add_responses(rows, answers)
    db.session.commit()


def test_page_csv_and_json_give_the_same_funnel_with_the_same_suppression(app, client):
    seed()
    sign_in(client, "commissioner")
    today = uk_today().isoformat()
    query = f"from={today}&to={today}"
    page = BeautifulSoup(client.get(f"/commissioners/indicators?{query}").get_data(as_text=True), "html.parser")
    table = page.select_one('table[data-funnel="0.3"]')
    shown = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")[:3]]
        for row in table.tbody.find_all("tr")
    }
    text = client.get(f"/commissioners/funnel.csv?{query}").get_data(as_text=True).lstrip("\ufeff")
    exported = {row["organisation"]: row for row in csv.DictReader(io.StringIO(text)) if row["indicator"] == "0.3"}
    api = client.get(f"/commissioners/funnel.json?{query}").get_json()
    given = {row["organisation"]: row for row in api["organisations"] if row["indicator"] == "0.3"}
    assert set(shown) == set(exported) == set(given) == set(ORGANISATIONS)
    # 8 ratings: nothing but the name, everywhere.
    assert shown["Beta Befriending"] == ["[c]", "[c]", "[c]"]
    assert [exported["Beta Befriending"][key] for key in ("positive", "ratings", "percent")] == ["[c]"] * 3
    assert [given["Beta Befriending"][key] for key in ("positive", "ratings", "percent")] == ["[c]"] * 3
    # 25 ratings with 3 negative: compared, not suppressed (the breakdown table would hide it).
    assert shown["Alpha Advice"] == ["22", "25", "88.0%"]
    assert [exported["Alpha Advice"][key] for key in ("positive", "ratings", "percent")] == ["22", "25", "88.0"]
    assert [given["Alpha Advice"][key] for key in ("positive", "ratings", "percent")] == [22, 25, 88.0]
    for name in ("Alpha Advice", "Gamma Carers"):
        for key in ("lower_998", "lower_95", "upper_95", "upper_998", "verdict"):
            assert str(given[name][key]) == exported[name][key]
    assert given["Gamma Carers"]["county_percent"] == round(1000 * 58 / 73) / 10
    assert len(page.select("svg circle")) >= 2


def test_the_dashboard_defaults_to_this_financial_year_and_says_so(app, client):
    sign_in(client, "commissioner")
    body = client.get("/commissioners/indicators").get_data(as_text=True)
    scope = reporting.financial_year_scope()
    assert scope.date_from.month == 4 and scope.date_from.day == 1
    assert f'value="{scope.date_from.isoformat()}"' in body
    said = f"1 April {scope.date_from.year} to {scope.date_to.day} {scope.date_to:%B} {scope.date_to.year}"
    assert said in body, "the period in words, as a person says it"
    assert "Red dashes: target" not in body or "Target for" in body


def test_period_labels_and_the_year_before():
    year = reporting.repository.Scope(date(2025, 4, 1), date(2026, 3, 31))
    assert reporting.period_label(year) == "2025-26"
    previous = reporting.previous_year(reporting.repository.Scope(date(2026, 4, 1), date(2026, 12, 3)))
    assert (previous.date_from, previous.date_to) == (date(2025, 4, 1), date(2026, 3, 31))
