"""Fingerprinted static assets: `asset_url("signpost.css")` names the built, hashed file.

The build (assets/build.mjs) writes each file as name.<hash>.ext and a manifest; because a file's
name changes whenever its content does, browsers may cache it for a year.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from flask import Flask, url_for

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
FINGERPRINT = re.compile(r"\.[0-9a-f]{12}\.")
ONE_YEAR = 365 * 24 * 60 * 60


@cache
def manifest() -> dict[str, str]:
    path = STATIC_DIR / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def asset_url(logical: str) -> str:
    return url_for("static", filename=manifest().get(logical, logical))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
    default_max_age = app.get_send_file_max_age

    def send_file_max_age(filename: str | None) -> int | None:
        if filename and FINGERPRINT.search(filename):
            return ONE_YEAR
        return default_max_age(filename)

    app.get_send_file_max_age = send_file_max_age

    @app.after_request
    def immutable_assets(response):
        if response.cache_control.max_age == ONE_YEAR:
            response.cache_control.immutable = True
            response.cache_control.public = True
        return response
