"""No secrets where they need not be: access log, outbox, absolute links built from configuration."""

from __future__ import annotations

import re
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from sqlalchemy import select

from signpost.platform.outbox import OutboxMessage
from signpost.platform.serving import RedactingLogger, redact_path, truncate_ip
from signpost.platform.urls import absolute_url_for
from tests.support.paths import ROOT
from tests.support.security_helpers import signpost_a_caller
from tests.support.staff_helpers import csrf_token


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/your-views/Zm9vYmFyYmF6cXV4cXV1eA12ab", "/your-views/…"),
        ("/your-views/Zm9vYmFyYmF6cXV4cXV1eA12ab/helpfulness", "/your-views/…/helpfulness"),
        ("/your-views/thank-you", "/your-views/thank-you"),
        ("/directory/search", "/directory/search"),
        ("/your-views", "/your-views"),
    ],
)
def test_survey_tokens_never_reach_the_access_log(path, logged):
    assert redact_path(path) == logged


@pytest.mark.parametrize(
    ("address", "logged"),
    [("203.0.113.77", "203.0.113.0"), ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"), ("", "-"), ("junk", "-")],
)
def test_client_addresses_are_cut_to_their_network(address, logged):
    assert truncate_ip(address) == logged


def test_gunicorns_access_log_line_has_neither_token_nor_full_address():
    logger = RedactingLogger(Config())
    environ = {
        "REMOTE_ADDR": "203.0.113.77",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/your-views/Zm9vYmFyYmF6cXV4cXV1eA12ab/helpfulness?x=1",
        "PATH_INFO": "/your-views/Zm9vYmFyYmF6cXV4cXV1eA12ab/helpfulness",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://example.org/your-views/Zm9vYmFyYmF6cXV4cXV1eA12ab",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["logger_class"] == "signpost.platform.serving.RedactingLogger"
    line = settings["access_log_format"] % atoms
    assert line == '203.0.113.0 "GET /your-views/…/helpfulness" 200 10 5ms'
    for atom in ("r", "f", "{referer}i", "q"):
        assert "Zm9vYmFy" not in str(atoms[atom]), atom


def outbox_link(app) -> tuple[OutboxMessage, str]:
    from signpost.platform.extensions import db

    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return message, re.search(r"https?://[^/\s]+(/your-views/[A-Za-z0-9_-]+)", message.body)


def test_the_outbox_copy_of_a_survey_link_is_masked_once_it_has_been_used(app, client, monkeypatch):
    from signpost.platform.extensions import db

    monkeypatch.setitem(app.config, "SURVEY_DELAY_DAYS", 0)  # due at once; the scheduled job sends it
    signpost_a_caller(client)
    sent = app.test_cli_runner().invoke(args=["surveys", "send-due"])
    assert sent.exit_code == 0, sent.output
    message, link = outbox_link(app)
    path = link.group(1)
    token = path.rsplit("/", 1)[-1]
    resident = app.test_client()
    question = f"{path}/helpfulness"
    csrf = csrf_token(resident, question)
    resident.post(question, data={"csrf_token": csrf, "answer": "very_helpful"})
    resident.post(f"{path}/information_ease", data={"csrf_token": csrf, "answer": "fairly_easy"})
    done = resident.post(f"{path}/improvements", data={"csrf_token": csrf, "answer": ""})
    assert done.headers["Location"].endswith("/your-views/thank-you")
    db.session.refresh(message)
    assert token not in message.body and "/your-views/…" in message.body


def test_absolute_links_use_the_configured_host_never_the_host_header(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", "signpost.herts.example")
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")
    security_txt = client.get("/.well-known/security.txt", headers={"Host": "evil.example"})
    assert security_txt.status_code == 200
    assert "Canonical: https://signpost.herts.example/.well-known/security.txt" in security_txt.get_data(as_text=True)
    assert "evil.example" not in security_txt.get_data(as_text=True)

    with app.test_request_context("/staff/signpost/record", headers={"Host": "evil.example"}):
        link = absolute_url_for("your_views.start", token="abc")
    assert link == "https://signpost.herts.example/your-views/abc", "the survey link in a message"


def test_without_a_server_name_a_local_run_links_to_its_own_host(app):
    with app.test_request_context("/", headers={"Host": "127.0.0.1:5000"}):
        assert absolute_url_for("your_views.start", token="abc") == "http://127.0.0.1:5000/your-views/abc"
