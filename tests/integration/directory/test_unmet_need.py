"""Unmet need: searches and questions counted as need codes by district and month; small counts hidden."""

from __future__ import annotations

from datetime import date

from flask import has_request_context
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from directory import unmet_need
from directory.models import UnmetNeedEvent
from signpost.platform import database
from signpost.platform.extensions import db
from tests.support.logs import Remember
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


def test_a_search_writes_its_count_after_the_response_in_a_transaction_of_its_own(app, client):
    """A search only reads in its own transaction (on SQLite it never takes the write lock, so a busy database
    cannot fail it); its count is stored once the response has gone."""
    written: list[tuple[str, bool]] = []

    def seen(_conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            written.append((statement, has_request_context()))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        response = client.get("/directory/search?district=Watford&category=meals")
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    assert [inside for statement, inside in written if "unmet_need_event" in statement] == [False]
    stored = db.session.execute(select(UnmetNeedEvent.source, UnmetNeedEvent.need, UnmetNeedEvent.district)).all()
    assert stored == [("search", "meals", "Watford")]


def test_a_search_answers_even_when_its_count_cannot_be_stored(app, client, monkeypatch):
    def locked(*_args, **_kwargs):
        raise OperationalError("INSERT INTO unmet_need_event", {}, Exception("database is locked"))

    # (caplog cannot see it: the migration's logging set-up disabled the loggers that existed then)
    logged = Remember()
    monkeypatch.setattr(database.log, "disabled", False)
    database.log.addHandler(logged)
    monkeypatch.setattr(unmet_need, "record", locked)
    try:
        response = client.get("/directory/search?district=Watford&category=meals")
    finally:
        database.log.removeHandler(logged)
    assert response.status_code == 200 and "signpost-result" in response.get_data(as_text=True)
    assert logged.messages == ["could not store an unmet-need count after the response; it is not counted"]
    assert db.session.scalar(select(func.count()).select_from(UnmetNeedEvent)) == 0
    # The next search is counted as usual.
    monkeypatch.undo()
    assert client.get("/directory/search?district=Dacorum").status_code == 200
    assert db.session.scalar(select(UnmetNeedEvent.district)) == "Dacorum"


def test_a_question_to_ask_us_is_counted_after_the_response(app):
    with app.test_request_context("/ask"):
        unmet_need.record_ask(("meals",), None, found=True)
        assert db.session.scalar(select(func.count()).select_from(UnmetNeedEvent)) == 0  # not yet: it waits
    with app.app_context():
        unmet_need.record_ask(("meals",), None, found=True)  # outside a request it is stored at once
        assert db.session.scalar(select(UnmetNeedEvent.need)) == "meals"
        db.session.rollback()
