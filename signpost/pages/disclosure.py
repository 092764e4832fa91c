"""/.well-known/security.txt (RFC 9116): how to report a vulnerability, from the SECURITY_CONTACT setting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, current_app

from signpost.platform.urls import absolute_url_for

bp = Blueprint("disclosure", __name__)
URI = re.compile(r"^(mailto:|https://|tel:)\S+$")


def contact_lines() -> list[str]:
    """``Contact:`` lines: SECURITY_CONTACT if it is a URI, otherwise the helpline's number."""
    config = current_app.config
    configured = (config.get("SECURITY_CONTACT") or "").strip()
    if URI.match(configured):
        return [f"Contact: {configured}"]
    phone = re.sub(r"\D", "", config["HELPLINE_PHONE"])
    international = "+44" + phone[1:] if phone.startswith("0") else phone
    return [
        f"# Ask {config['HELPLINE_NAME']} ({config['HELPLINE_PHONE']}) to pass your report to "
        f"{config['COUNCIL_NAME']}'s information security team.",
        f"Contact: tel:{international}",
    ]


@bp.get("/.well-known/security.txt")
def security_txt() -> Response:
    expires = (datetime.now(UTC) + timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"# {current_app.config['SERVICE_NAME']}, {current_app.config['COUNCIL_NAME']}",
        *contact_lines(),
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en",
        f"Canonical: {absolute_url_for('disclosure.security_txt')}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
