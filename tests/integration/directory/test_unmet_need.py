"""Unmet need: searches and questions counted as need codes by district and month; small counts hidden."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from directory import unmet_need
from directory.models import UnmetNeedEvent
from signpost.platform.extensions import db
from tests.support.staff_helpers import sign_in


def test_record_keeps_only_a_need_code_a_district_and_the_month(app):
    with app.test_request_context():
        unmet_need.record(
            "search", "not a code: my neighbour hits me", district="Watford", found=False, today=date(2026, 5, 17)
        )
        event = db.session.scalar(select(UnmetNeedEvent))
        assert (event.need, event.district, event.month, event.found) == ("other", "Watford", date(2026, 5, 1), False)
        db.session.rollback()


def test_table_hides_small_counts(app):
    with app.test_request_context():
        for index in range(7):
            unmet_need.record("ask", "other", district="Dacorum", found=index >= 3, today=date(2026, 6, 2))
        unmet_need.record("search", "other", district="Broxbourne", found=False, today=date(2026, 6, 9))
        rows = {row["district"]: row for row in unmet_need.table(date(2026, 4, 1), date(2026, 12, 31))}
        assert (rows["Dacorum"]["asked"], rows["Dacorum"]["found_nothing"]) == (7, "[c]")
        assert (rows["Broxbourne"]["asked"], rows["Broxbourne"]["found_nothing"]) == ("[c]", "[c]")
        db.session.rollback()


def test_a_search_is_counted_and_the_commissioners_page_shows_it(app, client):
    assert client.get("/directory/search?district=Watford").status_code == 200
    assert db.session.scalar(select(UnmetNeedEvent.district)) == "Watford"
    sign_in(client, "commissioner")
    page = client.get("/commissioners/unmet-need")
    assert page.status_code == 200 and "Unmet need" in page.get_data(as_text=True)
