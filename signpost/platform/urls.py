"""Absolute links (in messages, documents, security.txt) from configuration, never from the Host header.

Set ``SERVER_NAME`` (and ``PREFERRED_URL_SCHEME``, "https" whenever ``SESSION_COOKIE_SECURE`` is on) in
production; without it (a local run) the request's own host is used.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def absolute_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` as an absolute URL on the configured canonical host and scheme."""
    server_name = current_app.config.get("SERVER_NAME")
    if not server_name:
        return url_for(endpoint, _external=True, **values)
    return f"{current_app.config['PREFERRED_URL_SCHEME']}://{server_name}{url_for(endpoint, **values)}"


def canonical_root() -> str:
    """The service's own address (scheme and host, no trailing slash), from configuration when it is set."""
    server_name = current_app.config.get("SERVER_NAME")
    if not server_name:
        return request.host_url.rstrip("/")
    return f"{current_app.config['PREFERRED_URL_SCHEME']}://{server_name}"
