"""Security headers: a nonce-based Content-Security-Policy with no inline script or style."""

from __future__ import annotations

import re
import secrets

from flask import Flask, g, request
from flask.wrappers import Request
from werkzeug.datastructures import ImmutableMultiDict

# Characters no one means to type and HTML may not contain: C0/C1 controls (but tab and newlines)
# and Unicode non-characters.
UNSAFE_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def strip_unsafe(value):
    return UNSAFE_CHARACTERS.sub("", value) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """Query and form parameters with unsafe characters removed, so nothing echoed back breaks a page."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        pairs = (
            mapping.items(multi=True)
            if hasattr(mapping, "items") and hasattr(mapping, "getlist")
            else (mapping.items() if hasattr(mapping, "items") else mapping)
        )
        super().__init__([(strip_unsafe(key), strip_unsafe(value)) for key, value in pairs])


class SignpostRequest(Request):
    parameter_storage_class = CleanParameters


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def init_app(app: Flask) -> None:
    app.request_class = SignpostRequest
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def set_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
