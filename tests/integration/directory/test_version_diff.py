"""A listing's version diff under /staff/directory/<id>/versions/<n>: every version page, on each database,
for a listing with one version, edits, imports (with ORUK fields no column holds) and damaged copies."""

from __future__ import annotations

import copy
import json
import re

import pytest

from directory import repository
from directory.models import utcnow
from directory.oruk.importing import export_oruk, import_records
from signpost.platform.extensions import db
from tests.integration.directory.test_curation import create_listing, listing_form, post
from tests.support.oruk_schemas import commits_stay_in_the_test
from tests.support.staff_helpers import sign_in

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)


def rows(soup) -> dict[str, tuple[str, str]]:
    table = soup.find("table", class_="signpost-diff")
    found = {}
    for row in table.find("tbody").find_all("tr"):
        field = row.find("th").find(string=True, recursive=False).strip()
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        found[field] = (cells[0], cells[1]) if len(cells) == 2 else ("", cells[0])  # a first version has one
    return found


def every_version_page(page, service_id: str) -> list:
    listing = page(f"/staff/directory/{service_id}")
    links = [a["href"] for a in listing.find_all("a") if "/versions/" in a.get("href", "")]
    assert len(links) == len(repository.service_versions(service_id))
    return [page(link) for link in links]


def test_a_listing_with_one_version_shows_everything_as_added(client, page):
    sign_in(client, "editor")
    service_id = create_listing(client)
    (soup,) = every_version_page(page, service_id)
    assert "This is the first kept version" in soup.get_text()
    found = rows(soup)
    assert found["Name"] == ("", "Zebrafinch Lunch Club")
    assert found["Phone 1 – Number"] == ("", "01632 960123")
    assert not soup.find(string="Added"), "nothing to compare with, so no change is tagged"
    assert not soup.find("a", rel="prev") and not soup.find("a", rel="next")


def test_an_edit_shows_each_changed_field_old_and_new(client, page):
    sign_in(client, "editor")
    service_id = create_listing(client)
    organisation_id = repository.get_service(service_id).organization_id
    changed = listing_form(
        name="Zebrafinch Supper Club",
        organisation_id=organisation_id,
        new_organisation_name="",
        phones="01632 960999\n01632 960123, Club leader",
        languages=["en", "ur"],
        days=["TU"],
    )
    assert post(client, f"/staff/directory/{service_id}/edit", changed).status_code == 302
    assert (
        post(client, f"/staff/directory/{service_id}/check", token_from=f"/staff/directory/{service_id}").status_code
        == 302
    )
    pages = every_version_page(page, service_id)
    assert len(pages) == 3
    checked, edited, _created = pages
    found = rows(edited)
    assert found["Name"] == ("Zebrafinch Lunch Club", "Zebrafinch Supper Club")
    assert any(before == "Not set" and after == "01632 960999" for before, after in found.values())
    assert "Club leader" not in " ".join(f"{b} {a}" for b, a in found.values()), "an unchanged phone is not shown"
    assert any("Languages" in field and after == "ur" for field, (_, after) in found.items())
    assert any("Opening times" in field and before and after for field, (before, after) in found.items())
    assert "Compared with version 1" in edited.get_text()
    assert edited.find("a", rel="prev")["href"].endswith("/versions/1")
    assert edited.find("a", rel="next")["href"].endswith("/versions/3")
    before, after = rows(checked)["Last checked"]
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}", after), "an ORUK date is shown in words, like 4 December 2026"
    changed_at = rows(checked)["Last changed"][1]
    assert "T" not in changed_at and "Z" not in changed_at


def test_versions_from_imports_with_fields_no_column_holds(client, page, tmp_path):
    sign_in(client, "editor")
    path = tmp_path / "feed.json"
    export_oruk(path)
    record = json.loads(path.read_text(encoding="utf-8"))[0]
    record["name"] = "Imported lunch club"
    record["x_grid"] = [[1, 2], ["a", None]]
    record["x_nested"] = {"deep": {"list": [{"k": "v"}, 3]}, "flag": True}
    import_records([record], "feed")
    changed = copy.deepcopy(record)
    changed["name"] = "Imported supper club"
    changed["x_grid"] = [[1, 2], ["b"]]
    changed["x_nested"]["flag"] = False
    import_records([changed], "feed")
    pages = every_version_page(page, record["id"])
    found = rows(pages[0])
    assert found["Name"] == ("Imported lunch club", "Imported supper club")
    assert found["X grid"] == ('[[1, 2], ["a", null]]', '[[1, 2], ["b"]]')
    assert found["X nested – Flag"] == ("Yes", "No")


def test_a_damaged_copy_and_an_unchanged_version_are_said_not_raised(client, page):
    sign_in(client, "editor")
    service_id = create_listing(client)
    snapshot = repository.service_versions(service_id)[0].snapshot
    spaced = json.dumps(json.loads(snapshot) | {"description": json.loads(snapshot)["description"] + "\u2069 "})
    for number, text in ((2, snapshot), (3, "not json"), (4, "[1, 2]"), (5, snapshot), (6, spaced)):
        repository.add_version(service_id, number, "imported", "feed", text, utcnow())
    db.session.commit()
    pages = every_version_page(page, service_id)
    texts = [soup.get_text() for soup in pages]  # newest first: 6, 5, 4, 3, 2, 1
    assert "Only spaces or characters that do not show changed" in texts[0]
    assert "cannot be read" in texts[1] and "cannot be read" in texts[2] and "cannot be read" in texts[3]
    assert "Nothing in the listing changed in this version" in texts[4]


def test_unknown_versions_are_not_found_and_others_are_refused(client, app):
    sign_in(client, "editor")
    service_id = create_listing(client)
    base = f"/staff/directory/{service_id}/versions"
    for version in ("2", "0", "-1", "99999999999999999999", "x", "1.5"):
        assert client.get(f"{base}/{version}").status_code == 404
    assert client.get("/staff/directory/00000000-0000-0000-0000-000000000000/versions/1").status_code == 404
    assert client.get(f"{base}/1").status_code == 200
    client.get("/staff/logout")
    sign_in(client, "call_handler")
    assert client.get(f"{base}/1").status_code == 403
