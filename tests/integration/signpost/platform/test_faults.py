"""Faults: an unreachable database, backups that round-trip, migrations that apply and roll back."""

import logging
import os
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, inspect, select, text

from directory.models import Service
from signpost.app import create_app
from signpost.platform.config import normalise_database_url
from signpost.platform.extensions import db
from tests.support.logs import Remember


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=1", "sqlite:////nonexistent-dir/x.sqlite"],
)
def test_an_unreachable_database_gives_a_friendly_503_and_readyz_false(url):
    app = create_app({"TESTING": False, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    client = app.test_client()
    page = client.get("/directory/search?q=carers")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "Sorry, the service is unavailable" in html and "Traceback" not in html and "0300 123 4044" in html
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["ready"] is False
    assert client.get("/healthz").status_code == 200


def test_backup_and_restore_round_trip(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Service))
    result = runner.invoke(args=["backup", str(tmp_path / "backup.sqlite")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.execute(Service.__table__.delete())
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Service)) == 0
        db.session.remove()
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "backup.sqlite")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Service)) == before
        found = db.session.execute(text("SELECT count(*) FROM service_fts WHERE service_fts MATCH 'carers'")).scalar()
        assert found > 0, "the search index comes back too"


def test_restore_refuses_a_file_that_is_not_a_signpost_backup(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}", "SECRET_KEY": "x"})
    (tmp_path / "junk.sqlite").write_text("not a database")
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "junk.sqlite")])
    assert result.exit_code != 0 and "not a SQLite database" in result.output


def _migration_urls(tmp_path):
    urls = [f"sqlite:///{tmp_path / 'migrations.sqlite'}"]
    if os.environ.get("TEST_DATABASE_URL"):
        base = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            connection.execute(text("CREATE SCHEMA migration_check"))
        engine.dispose()
        urls.append(base + ("&" if "?" in base else "?") + "options=-csearch_path%3Dmigration_check")
    return urls


def test_migrations_apply_and_roll_back_cleanly(tmp_path):
    for url in _migration_urls(tmp_path):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade()
            assert "service" in inspect(db.engine).get_table_names()
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert "service" in inspect(db.engine).get_table_names()
            db.session.remove()
            db.engine.dispose()


def test_migration_0005_copies_each_response_onto_its_existing_answers(tmp_path):
    """Answers stored before 0005 get their response's scope fields, so the counts without a join still work."""
    from datetime import date

    from surveys import reporting, repository
    from surveys.repository import Scope

    response = (
        "INSERT INTO survey_response (id, survey_id, survey_version, submitted_on, source, district, need_category,"
        " channel, organisation_id, organisation_name, organisation_type, is_demo) VALUES (:id, 'signposting', 1,"
        " :on, 'paper', :district, 'meals', 'phone', 'org-1', 'Org One', 'voluntary', :demo)"
    )
    answer = "INSERT INTO survey_answer (response_id, question_id, code, text) VALUES (:id, :question, :code, NULL)"
    for url in _migration_urls(tmp_path):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade(revision="0004")
            with db.engine.begin() as connection:
                for id_, district in ((1, "Watford"), (2, "Watford"), (3, "Dacorum")):
                    connection.execute(
                        text(response), {"id": id_, "on": date(2024, 5, 1), "district": district, "demo": False}
                    )
                connection.execute(text(answer), {"id": 1, "question": "helpfulness", "code": "very_helpful"})
                connection.execute(text(answer), {"id": 2, "question": "information_ease", "code": "very_easy"})
                connection.execute(text(answer), {"id": 3, "question": "helpfulness", "code": "not_contacted"})
            upgrade()
            indicator = reporting.survey("signposting").indicator("1.2")
            scope = Scope(date(2024, 4, 1), date(2024, 6, 30))
            assert repository.indicator_counts(indicator, scope, group="district") == {
                "Watford": {"very_helpful": 1, None: 1},
                "Dacorum": {"not_contacted": 1},
            }
            copied = db.session.execute(text("SELECT survey_id, district, channel FROM survey_answer ORDER BY 1, 2"))
            assert [tuple(row) for row in copied] == [("signposting", "Dacorum", "phone")] + [
                ("signposting", "Watford", "phone")
            ] * 2
            db.session.remove()
            downgrade(revision="0004")
            columns = {column["name"] for column in inspect(db.engine).get_columns("survey_answer")}
            assert columns == {"response_id", "question_id", "code", "text"}
            with db.engine.connect() as connection:
                assert connection.scalar(text("SELECT count(*) FROM survey_answer")) == 3
            db.session.remove()
            db.engine.dispose()


def test_migration_0007_gives_existing_responses_random_ids_and_keeps_their_answers(tmp_path):
    """Responses stored before 0007 get UUIDs with their answers still attached; invitations keep only the day;
    the downgrade numbers them again."""
    import uuid
    from datetime import date

    response = (
        "INSERT INTO survey_response (id, survey_id, survey_version, submitted_on, source, district, need_category,"
        " channel, organisation_id, organisation_name, organisation_type, is_demo) VALUES (:id, 'signposting', 1,"
        " :on, 'paper', 'Watford', 'meals', 'phone', 'org-1', 'Org One', 'voluntary', false)"
    )
    answer = (
        "INSERT INTO survey_answer (response_id, question_id, code, text, survey_id, submitted_on)"
        " VALUES (:id, 'improvements', NULL, :text, 'signposting', :on)"
    )
    record = (
        "INSERT INTO signposting_record (id, created_at, channel, survey_consent) VALUES ('r1', :at, 'phone', true)"
    )
    invitation = (
        "INSERT INTO survey_invitation (token_hash, survey_id, record_id, created_at, expires_at, used_at)"
        " VALUES ('h', 'signposting', 'r1', :at, :at, :at)"
    )
    pairs = "SELECT a.text FROM survey_response r JOIN survey_answer a ON a.response_id = r.id ORDER BY a.text"
    for url in _migration_urls(tmp_path):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade(revision="0006")
            with db.engine.begin() as connection:
                for id_ in (1, 2, 3):
                    on = date(2024, 5, id_)
                    connection.execute(text(response), {"id": id_, "on": on})
                    connection.execute(text(answer), {"id": id_, "text": f"answer {id_}", "on": on})
                at = datetime(2024, 5, 1, 14, 37, 12, tzinfo=UTC)
                connection.execute(text(record), {"at": at})
                connection.execute(text(invitation), {"at": at})
            upgrade()
            with db.engine.connect() as connection:
                ids = connection.execute(text("SELECT id FROM survey_response")).scalars().all()
                assert len(ids) == 3 and all(uuid.UUID(str(i)).version == 4 for i in ids)
                assert connection.execute(text(pairs)).scalars().all() == ["answer 1", "answer 2", "answer 3"]
                used = connection.execute(text("SELECT used_at FROM survey_invitation")).scalar_one()
                assert str(used).startswith("2024-05-01 00:00:00")
            db.session.remove()
            downgrade(revision="0006")
            with db.engine.connect() as connection:
                by_day = "SELECT r.id, a.text FROM survey_response r JOIN survey_answer a ON a.response_id = r.id"
                rows = connection.execute(text(by_day + " ORDER BY r.id")).all()
                assert [(int(i), t) for i, t in rows] == [(1, "answer 1"), (2, "answer 2"), (3, "answer 3")]
                connection.execute(text(response), {"id": 4, "on": date(2024, 6, 1)})
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def fresh_app(tmp_path):
    """An app factory on a new SQLite file; the shared limiter goes back to memory storage afterwards."""
    from signpost.platform.extensions import limiter

    made: list = []

    def make(**overrides):
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite'}", "SECRET_KEY": "x", **overrides}
        )
        with app.app_context():
            upgrade()
        # Alembic's logging set-up disables loggers that already exist; a server never migrates in-process.
        logging.getLogger("flask-limiter").disabled = False
        made.append(app)
        return app

    was_enabled = limiter.enabled
    limiter.enabled = True
    yield make
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://"})
    limiter.enabled = was_enabled


def test_redis_down_never_gives_a_500_limits_count_per_process_and_readyz_says_degraded(fresh_app):
    app = fresh_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", LOGIN_RATE_LIMIT="2 per minute")
    warnings = Remember()  # (caplog's handler is gone: the migration's logging set-up replaced the root's)
    logging.getLogger("flask-limiter").addHandler(warnings)
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.get("/directory/search?q=carers").status_code == 200
    statuses = [
        client.post("/staff/login", data={"email": "x@test.invalid", "password": "wrong"}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429], "the sign-in limit still holds, counted in this process"
    logging.getLogger("flask-limiter").removeHandler(warnings)
    assert any("falling back to in-memory storage" in message for message in warnings.messages)
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {"ready": True, "status": "degraded", "database": "ok", "disk": "ok", "redis": "degraded"}


def test_readyz_checks_real_redis_when_configured(fresh_app):
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests need TEST_REDIS_URL")
    ready = fresh_app(RATELIMIT_STORAGE_URI=url).test_client().get("/readyz")
    assert ready.status_code == 200 and ready.json["redis"] == "ok" and "status" not in ready.json


def test_readyz_is_not_ready_when_the_sqlite_disk_is_full(fresh_app, monkeypatch):
    from signpost.platform import readiness

    monkeypatch.setattr(readiness, "MIN_FREE_BYTES", 10**18)  # more than any disk here has free
    monkeypatch.setattr(readiness.disk_check, "__defaults__", (10**18,))
    ready = fresh_app().test_client().get("/readyz")
    assert ready.status_code == 503 and ready.json["disk"] == "full" and ready.json["ready"] is False


def test_backup_onto_a_file_that_is_not_a_database_says_so_and_leaves_it_alone(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}", "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database\n" * 20)
    result = app.test_cli_runner().invoke(args=["backup", str(notes)])
    assert result.exit_code != 0
    assert "is not a database" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert notes.read_text().startswith("my notes"), "the file is untouched"
