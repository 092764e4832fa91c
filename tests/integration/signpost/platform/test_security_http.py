"""CSRF on every state-changing form, HSTS only behind TLS, and /.well-known/security.txt."""

from __future__ import annotations

import re
import runpy
import uuid

import pytest
from flask_migrate import upgrade

from signpost.app import create_app
from tests.support.limits import reset_limits
from tests.support.paths import ROOT
from tests.support.staff_helpers import sign_in

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
STATELESS_JSON_APIS = ("/api/",)


def concrete(rule) -> str:
    url = rule.rule
    for argument in rule.arguments:
        converter = re.search(rf"<(?:(\w+):)?{argument}>", url)
        value = "1" if converter and converter.group(1) == "int" else str(uuid.uuid4())
        url = url.replace(converter.group(0), value)
    return url


def state_changing_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.methods & STATE_CHANGING and not rule.rule.startswith(STATELESS_JSON_APIS)
    ]


def test_every_state_changing_route_refuses_a_post_without_a_csrf_token(app, client):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    rules = state_changing_rules(app)
    assert len(rules) >= 10
    sign_in(client, "admin")
    for rule in rules:
        for method in sorted(rule.methods & STATE_CHANGING):
            response = client.open(concrete(rule), method=method, data={"anything": "x"})
            assert response.status_code == 400, (method, rule.rule, response.status_code)
    assert client.get("/staff/").status_code == 200, "still signed in: nothing was changed"


def test_anonymous_posts_without_a_token_are_refused_too(app, client):
    for rule in state_changing_rules(app):
        response = client.post(concrete(rule), data={"email": "a@b.c", "password": "x" * 12})
        assert response.status_code == 400, rule.rule


def test_the_stateless_apis_are_the_only_exemptions(app):
    exempt = [r.rule for r in app.url_map.iter_rules() if r.methods & STATE_CHANGING and r.rule.startswith("/api/")]
    assert all(rule.startswith(("/api/v1/", "/api/oruk/")) for rule in exempt)


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    forged = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forged.headers, "the header is not trusted without BEHIND_PROXY"


@pytest.mark.parametrize("behind_proxy", [True, False])
def test_hsts_behind_a_tls_proxy(tmp_path, behind_proxy):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
            "SECRET_KEY": "x",
            "BEHIND_PROXY": behind_proxy,
        }
    )
    client = app.test_client()
    proxied = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert ("Strict-Transport-Security" in proxied.headers) is behind_proxy
    assert "Strict-Transport-Security" not in client.get("/healthz", headers={"X-Forwarded-Proto": "http"}).headers


def test_security_txt_says_how_to_report_a_vulnerability(app, client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "Contact: tel:+443001234044" in body and "HertsHelp" in body
    assert re.search(r"^Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body, re.M)
    app.config["SECURITY_CONTACT"] = "mailto:security@council.example"
    try:
        body = client.get("/.well-known/security.txt").get_data(as_text=True)
    finally:
        app.config["SECURITY_CONTACT"] = ""
    assert "Contact: mailto:security@council.example" in body and "tel:" not in body


def gunicorn_settings(monkeypatch, **env: str) -> dict:
    for name in ("BEHIND_PROXY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_trusts_forwarded_headers_only_behind_a_proxy(monkeypatch):
    assert gunicorn_settings(monkeypatch)["forwarded_allow_ips"] == ""
    assert gunicorn_settings(monkeypatch, BEHIND_PROXY="true")["forwarded_allow_ips"] == "127.0.0.1"
    behind = gunicorn_settings(monkeypatch, BEHIND_PROXY="true", FORWARDED_ALLOW_IPS="10.0.0.5")
    assert behind["forwarded_allow_ips"] == "10.0.0.5"


@pytest.mark.parametrize("hops", [1, 2])
def test_behind_a_proxy_only_its_own_hops_of_x_forwarded_for_count(tmp_path, hops):
    """Rotating what a client writes into X-Forwarded-For changes nothing: the address is the one the
    configured number of proxies appended, so the per-IP sign-in limit still holds."""
    from signpost.platform.extensions import limiter

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
            "SECRET_KEY": "x",
            "BEHIND_PROXY": True,
            "PROXY_HOPS": hops,
            "LOGIN_RATE_LIMIT": "2 per minute",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
    client = app.test_client()
    was_enabled, limiter.enabled = limiter.enabled, True
    reset_limits()
    try:
        proxies = ", ".join(["198.51.100.7", "10.0.0.2"][:hops])
        statuses = [
            client.post(
                "/staff/login",
                data={"email": "x@test.invalid", "password": "wrong"},
                headers={"X-Forwarded-For": f"203.0.113.{n}, {proxies}"},
            ).status_code
            for n in range(4)
        ]
    finally:
        limiter.enabled = was_enabled
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://"})
    assert statuses == [200, 200, 429, 429]
