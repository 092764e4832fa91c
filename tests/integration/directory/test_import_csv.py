"""The council's simple spreadsheet (CSV) import."""

from __future__ import annotations

import pytest

from directory import repository
from directory.models import OrganizationType, Service
from directory.oruk.importing import import_records
from directory.oruk.spreadsheet import COLUMNS, records_from_csv
from signpost.platform.extensions import db
from tests.support.oruk_schemas import commits_stay_in_the_test

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)

HEADER = ",".join(COLUMNS)
GOOD = (
    ",Hitchin Lunch Club,Hitchin Friends,voluntary,Hot lunch and company,meals;loneliness,01632 960123,"
    "lunch@example.org,https://example.org,1 Bancroft,Hitchin,SG5 1AA,North Hertfordshire,Tuesday;TH,12:00,14:00,"
    "60,,no,£4.50 a meal,Older people,Just turn up,self,in person,en;pl,2026-10-01"
)
COUNTYWIDE = (
    ",Carers phone line,County Council,statutory,,carers,0300 123 4042,,,,,,countywide,MO,09:00,17:00,,,yes,,,,"
    "either,phone,,"
)
BAD = ",,Nobody,charity?,,not-a-category,,,,,,,Narnia,Funday,,,,,maybe,,,,,,,"


def write(tmp_path, *rows: str):
    path = tmp_path / "services.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_spreadsheet_becomes_searchable_listings(app, client, tmp_path):
    path = write(tmp_path, GOOD, BAD, COUNTYWIDE)
    report = import_records(records_from_csv(path), str(path))
    assert (report.imported, report.failed) == (2, 1)
    errors = report.errors[0]["errors"]
    assert report.errors[0]["source"] == "row 3"
    for fragment in ("organisation_type", "not-a-category", "Narnia", "Funday", "free must be yes or no"):
        assert any(fragment in e for e in errors), fragment
    hits = client.get("/api/oruk/services?search=hitchin+lunch+club").get_json()["contents"]
    # Each concept scores once (the best of its alternatives), so on both databases the listing with both
    # concepts comes before "Bedwell Lunch Club", which says "lunch club" many ways.
    assert hits[0]["name"] == "Hitchin Lunch Club"
    lunch = db.session.get(Service, hits[0]["id"])
    assert lunch.name == "Hitchin Lunch Club" and lunch.minimum_age == 60 and not lunch.is_free
    assert lunch.in_person and not lunch.by_phone
    assert lunch.schedules[0].byday == "TU,TH" and lunch.schedules[0].opens_at == "12:00"
    assert lunch.service_at_locations[0].location.district == "North Hertfordshire"
    assert {t.code for t in lunch.taxonomy_terms} == {"meals", "loneliness"}
    found = client.get("/api/oruk/services?search=carers+phone+line").get_json()["contents"]
    phone = next(s for s in repository.full_services([h["id"] for h in found]) if s.name == "Carers phone line")
    assert phone.countywide and phone.is_free and phone.organization.organization_type == OrganizationType.STATUTORY


def test_importing_the_same_sheet_again_updates_the_same_listings(app, tmp_path):
    path = write(tmp_path, GOOD)
    before = repository.count_services()
    import_records(records_from_csv(path), str(path))
    write(tmp_path, GOOD.replace("Hot lunch and company", "Hot lunch, puddings and company"))
    import_records(records_from_csv(path), str(path))
    assert repository.count_services() == before + 1


def test_a_sheet_without_the_required_columns_is_reported(app, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("title,org\nx,y\n", encoding="utf-8")
    report = import_records(records_from_csv(path), str(path))
    assert report.imported == 0 and "name" in report.errors[0]["errors"][0]
