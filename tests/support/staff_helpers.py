"""Helpers shared by the staff and survey tests: accounts and signing in through the real form."""

from __future__ import annotations

import re

from flask import g

from signpost.platform import accounts

PASSWORD = "correct horse battery"


def make_user(role: str, email: str | None = None) -> accounts.StaffUser:
    return accounts.create_or_update_user(email or f"{role}@test.invalid", role, PASSWORD, replace=True)


def csrf_token(client, url: str) -> str:
    # Test requests share the fixture's app context, so Flask-WTF's per-request token cache in ``g`` would
    # outlive a session that sign-in cleared; drop it, as a real new request would.
    g.pop("csrf_token", None)
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on " + url
    return match.group(1)


def sign_in(client, role: str) -> accounts.StaffUser:
    user = make_user(role)
    token = csrf_token(client, "/staff/login")
    response = client.post("/staff/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return user
