"""Indicators through the SQL path on hand-made response sets with known answers; API; CSV safety; import."""

from __future__ import annotations

import csv
import io
import math
from datetime import date

import pytest

from surveys import reporting, repository
from surveys.repository import Scope
from tests.support.staff_helpers import sign_in

Q1 = date(2023, 5, 10)  # 2023-24 Q1, whose target is 62%


def add(answer: str | None, organisation_type: str = "statutory", on: date = Q1, district: str = "Watford", **extra):
    response = {
        "survey_id": "signposting",
        "survey_version": 1,
        "submitted_on": on,
        "source": "paper",
        "district": district,
        "organisation_type": organisation_type,
        "organisation_id": extra.get("organisation_id", "org-1"),
        "organisation_name": extra.get("organisation_name", "Org One"),
        "need_category": extra.get("need_category"),
    }
    answers = [{"question_id": "helpfulness", "code": answer, "text": None}] if answer else []
    repository.add_responses([response], [answers])


def known_set() -> None:
    """Voluntary: 6 very, 4 quite, 2 quite un-, 1 very unhelpful, 3 not contacted, 1 blank.
    Statutory: 4 very, 4 quite, 2 quite un-, 2 very unhelpful, 2 not contacted, 1 blank."""
    plan = {
        "voluntary": {
            "very_helpful": 6,
            "quite_helpful": 4,
            "quite_unhelpful": 2,
            "very_unhelpful": 1,
            "not_contacted": 3,
            None: 1,
        },
        "statutory": {
            "very_helpful": 4,
            "quite_helpful": 4,
            "quite_unhelpful": 2,
            "very_unhelpful": 2,
            "not_contacted": 2,
            None: 1,
        },
    }
    for organisation_type, counts in plan.items():
        for answer, count in counts.items():
            for _ in range(count):
                add(answer, organisation_type)
    add("very_helpful", "voluntary", on=date(2023, 3, 31))  # before the range: must not count
    add("very_helpful", "voluntary", on=date(2023, 7, 1))  # after it


def reference_wilson(positive: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Centre ± half-width form, written independently of surveys.indicators."""
    p = positive / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


SCOPE = Scope(date(2023, 4, 1), date(2023, 6, 30))


def test_indicator_0_3_counts_quite_and_very_helpful_and_leaves_out_not_contacted(app):
    known_set()
    result = reporting.result(reporting.survey("signposting").indicator("0.3"), SCOPE)
    assert (result.positive, result.n, result.excluded, result.blank) == (18, 25, 5, 2)
    assert result.percent == 72.0
    low, high = reference_wilson(18, 25)
    assert (result.ci_low, result.ci_high) == (round(100 * low, 1), round(100 * high, 1)) == (52.4, 85.7)
    assert result.target.value == 62 and result.met_target is True and result.baseline.value == 58.1


def test_indicator_1_2_is_very_helpful_among_voluntary_ratings(app):
    known_set()
    result = reporting.result(reporting.survey("signposting").indicator("1.2"), SCOPE)
    assert (result.positive, result.n, result.excluded) == (6, 13, 3)
    assert result.percent == 46.2


def test_fewer_than_ten_ratings_are_suppressed_and_not_contacted_never_counts(app, client):
    for _ in range(9):
        add("very_helpful", "voluntary", district="Stevenage")
    for _ in range(20):
        add("not_contacted", "voluntary", district="Stevenage")
    body = client.get("/api/v1/indicators?from=2023-04-01&to=2023-06-30&district=stevenage").get_json()
    by_id = {item["id"]: item for item in body["indicators"]}
    assert by_id["0.3"] == {
        "id": "0.3",
        "numerator": None,
        "denominator": None,
        "value": None,
        "ci95": None,
        "baseline": 0.581,
        "target": 0.62,
        "suppressed": True,
    }
    add("quite_helpful", "voluntary", district="Stevenage")
    body = client.get("/api/v1/indicators?from=2023-04-01&to=2023-06-30&district=Stevenage").get_json()
    figures = {item["id"]: item for item in body["indicators"]}["0.3"]
    assert (figures["numerator"], figures["denominator"], figures["value"], figures["suppressed"]) == (
        10,
        10,
        1.0,
        False,
    )


def test_api_returns_fractions_for_the_known_set(app, client):
    known_set()
    body = client.get("/api/v1/indicators?from=2023-04-01&to=2023-06-30").get_json()
    figures = {item["id"]: item for item in body["indicators"]}
    low, high = reference_wilson(18, 25)
    assert figures["0.3"]["numerator"] == 18 and figures["0.3"]["denominator"] == 25
    assert figures["0.3"]["value"] == 0.72
    assert figures["0.3"]["ci95"] == pytest.approx([low, high], abs=1e-4)
    assert figures["1.2"]["value"] == pytest.approx(6 / 13, abs=1e-4)
    assert set(figures["0.3"]) == {
        "id",
        "numerator",
        "denominator",
        "value",
        "ci95",
        "baseline",
        "target",
        "suppressed",
    }


@pytest.mark.parametrize(
    "query",
    ["from=2023-13-01", "to=yesterday", "from=2023-06-01&to=2023-05-01", "district=Narnia", "from=1066-10-14"],
)
def test_api_rejects_bad_parameters_with_a_clear_message(client, query):
    response = client.get(f"/api/v1/indicators?{query}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]


def test_trend_by_quarter_and_breakdowns_come_from_sql(app):
    known_set()
    indicator = reporting.survey("signposting").indicator("0.3")
    wide = Scope(date(2023, 1, 1), date(2023, 12, 31))
    trend = dict(reporting.trend(indicator, wide))
    assert list(trend) == ["2022-23 Q4", "2023-24 Q1", "2023-24 Q2"]
    assert trend["2023-24 Q1"].n == 25 and trend["2022-23 Q4"].suppressed
    by_type = reporting.breakdown(indicator, SCOPE, "organisation_type")
    rows = {row.group: row for row in by_type.rows}
    assert rows["voluntary"].n.value == 13 and rows["statutory"].n.value == 12
    by_district = reporting.breakdown(indicator, SCOPE, "district")
    assert len(by_district.rows) == 10
    by_organisation = reporting.breakdown(indicator, SCOPE, "organisation")
    assert by_organisation.rows[0].group == "Org One"


def test_csv_exports_are_utf8_with_bom_and_defuse_formulas(app, client):
    sign_in(client, "commissioner")
    for _ in range(3):
        add("very_helpful", organisation_name='=HYPERLINK("http://evil.example")', need_category="+cmd")
    add("quite_helpful", organisation_name="@SUM(A1)", need_category="-2+3")
    response = client.get("/commissioners/responses.csv?from=2023-04-01&to=2023-06-30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells and "'+cmd" in cells and "'@SUM(A1)" in cells
    assert "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    table = client.get("/commissioners/indicators.csv?from=2023-04-01&to=2023-06-30")
    assert table.status_code == 200 and table.get_data().startswith("\ufeff".encode())
    assert client.get("/commissioners/indicators.csv?from=nonsense").status_code == 400


def test_dashboard_and_public_page_render(app, client):
    known_set()
    sign_in(client, "commissioner")
    page = client.get("/commissioners/indicators?from=2023-04-01&to=2023-06-30")
    assert page.status_code == 200 and "72.0%" in page.get_data(as_text=True)
    bad = client.get("/commissioners/indicators?from=2023-02-30")
    assert bad.status_code == 200 and "govuk-error-summary" in bad.get_data(as_text=True)
    assert client.get("/how-we-are-doing").status_code == 200


def write(tmp_path, text: str):
    path = tmp_path / "returns.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_responses_all_or_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    before = repository.count_responses()
    good = write(
        tmp_path,
        "submitted_at,district,organisation_type,helpfulness,organisation_id,need_category\n"
        "2022-05-01,Watford,voluntary,very_helpful,,dementia\n"
        "2022-05-02,st albans,statutory,not_contacted,abc,\n"
        "2022-05-03,Dacorum,private,,,\n"
        "2022-05-04,Dacorum,private,empty,,\n",
    )
    result = runner.invoke(args=["surveys", "import-responses", str(good)])
    assert result.exit_code == 0, result.output
    assert repository.count_responses() == before + 4
    indicator = reporting.survey("signposting").indicator("0.3")
    figures = reporting.result(indicator, Scope(date(2022, 5, 1), date(2022, 5, 4)))
    assert (figures.positive, figures.n, figures.excluded, figures.blank) == (1, 1, 1, 2)

    bad = write(
        tmp_path,
        "submitted_at,district,organisation_type,helpfulness\n"
        "2022-06-01,Watford,voluntary,very_helpful\n"
        "2022-13-01,Watford,voluntary,very_helpful\n"
        "2022-06-03,Gotham,voluntary,very_helpful\n"
        "2022-06-04,Watford,charity,brilliant\n",
    )
    result = runner.invoke(args=["surveys", "import-responses", str(bad)])
    assert result.exit_code != 0
    assert "line 3" in result.output and "line 4" in result.output and "line 5" in result.output
    assert "line 2" not in result.output
    assert repository.count_responses() == before + 4  # nothing half-imported

    missing = write(tmp_path, "submitted_at,district\n2022-06-01,Watford\n")
    result = runner.invoke(args=["surveys", "import-responses", str(missing)])
    assert result.exit_code != 0 and "missing column" in result.output


def test_indicator_counts_blank_is_every_response_in_scope_without_an_answer_to_that_question(app):
    """Blanks are counted per group, after the scope's district and the indicator's restrict_to, whether the
    response answered other questions or none; a group holding only blanks still appears."""
    plan = [  # helpfulness, organisation type, district, channel, answered information_ease too
        ("very_helpful", "voluntary", "Watford", "phone", True),
        ("very_helpful", "statutory", "Watford", "web", False),
        (None, "voluntary", "Watford", "phone", True),  # skipped helpfulness, answered another question
        (None, "voluntary", "Dacorum", "phone", False),  # answered nothing at all
        (None, "statutory", "Dacorum", "web", True),
        ("not_contacted", "voluntary", "Dacorum", "web", False),
        ("quite_helpful", "voluntary", "Dacorum", "phone", True),
        (None, "private", "Stevenage", "email", True),  # a district with nothing but a blank
    ]
    responses, answers = [], []
    for helpfulness, organisation_type, district, channel, ease in plan:
        responses.append(
            {
                "survey_id": "signposting",
                "survey_version": 1,
                "submitted_on": Q1,
                "source": "online",
                "district": district,
                "channel": channel,
                "need_category": "meals",
                "organisation_id": f"org-{organisation_type}",
                "organisation_type": organisation_type,
            }
        )
        chosen = {"helpfulness": helpfulness, "information_ease": "very_easy" if ease else None}
        answers.append(repository.answer_rows(reporting.survey("signposting"), chosen))
    responses.append({**responses[0], "submitted_on": date(2023, 7, 1)})  # out of range: counts nowhere
    answers.append([])
    repository.add_responses(responses, answers)

    helpfulness = reporting.survey("signposting").indicator("0.3")
    voluntary = reporting.survey("signposting").indicator("1.2")  # restrict_to organisation_type voluntary
    ease = reporting.survey("signposting").indicator("0.1")
    counts = repository.indicator_counts
    assert counts(helpfulness, SCOPE) == {None: {"very_helpful": 2, "not_contacted": 1, "quite_helpful": 1, None: 4}}
    assert counts(voluntary, SCOPE) == {None: {"very_helpful": 1, "not_contacted": 1, "quite_helpful": 1, None: 2}}
    assert counts(ease, SCOPE) == {None: {"very_easy": 5, None: 3}}
    watford = Scope(SCOPE.date_from, SCOPE.date_to, "Watford")
    assert counts(helpfulness, watford) == {None: {"very_helpful": 2, None: 1}}
    assert counts(voluntary, watford) == {None: {"very_helpful": 1, None: 1}}
    assert counts(helpfulness, Scope(date(2023, 1, 1), date(2023, 3, 31))) == {}
    assert counts(helpfulness, SCOPE, group="district") == {
        "Watford": {"very_helpful": 2, None: 1},
        "Dacorum": {"not_contacted": 1, "quite_helpful": 1, None: 2},
        "Stevenage": {None: 1},
    }
    assert counts(voluntary, Scope(SCOPE.date_from, SCOPE.date_to, "Dacorum"), group="channel") == {
        "phone": {"quite_helpful": 1, None: 1},
        "web": {"not_contacted": 1},
    }
    assert counts(helpfulness, SCOPE, group="organisation") == {
        "org-voluntary": {"very_helpful": 1, "not_contacted": 1, "quite_helpful": 1, None: 2},
        "org-statutory": {"very_helpful": 1, None: 1},
        "org-private": {None: 1},
    }
    assert counts(ease, SCOPE, group="need_category") == {"meals": {"very_easy": 5, None: 3}}
    assert counts(helpfulness, SCOPE, group="day") == {
        Q1: {"very_helpful": 2, "not_contacted": 1, "quite_helpful": 1, None: 4}
    }
    figures = reporting.result(helpfulness, SCOPE)
    assert (figures.positive, figures.n, figures.excluded, figures.blank) == (3, 3, 1, 4)
