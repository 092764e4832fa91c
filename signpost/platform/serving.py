"""What gunicorn writes to the access log: paths without survey tokens, client addresses cut short.

A survey link's token lets anyone answer in that person's place, so ``/your-views/<token>/…`` is logged as
``/your-views/…/…``; an IPv4 address keeps its first three parts (``203.0.113.0``) and an IPv6 address its
first three groups, enough to see a flood from one network and not enough to name a household.
"""

from __future__ import annotations

import ipaddress
import re

from gunicorn.glogging import Logger

# Paths under /your-views/ that are not a token.
SURVEY_FIXED_PATHS = {"thank-you"}
_SURVEY_TOKEN = re.compile(r"^(/your-views/)([^/]+)")


def redact_path(path: str) -> str:
    """The request path with any survey token replaced by "…"."""
    match = _SURVEY_TOKEN.match(path or "")
    if not match or match.group(2) in SURVEY_FIXED_PATHS:
        return path
    return match.group(1) + "…" + path[match.end() :]


def truncate_ip(address: str | None) -> str:
    """A client address cut to its network (/24 for IPv4, /48 for IPv6); "-" if it is not an address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


class RedactingLogger(Logger):
    """gunicorn's logger with the path and client address atoms redacted (``logger_class`` in gunicorn.conf.py)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = truncate_ip(environ.get("REMOTE_ADDR"))
        atoms["U"] = redact_path(environ.get("PATH_INFO", ""))
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {atoms['U']} {environ.get('SERVER_PROTOCOL')}"
        atoms["q"] = "-"
        atoms["f"] = "-"  # a referrer can hold a survey link too
        for key in [key for key in atoms if key.startswith("{") and key.endswith("}i")]:
            atoms[key] = "-" if key in ("{referer}i", "{x-forwarded-for}i", "{cookie}i") else atoms[key]
        return atoms
