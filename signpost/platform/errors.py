"""Friendly error pages: no traceback ever reaches a user."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from signpost.platform.extensions import db

log = logging.getLogger(__name__)

ERROR_TEMPLATES = {
    400: "errors/400.html",
    404: "errors/404.html",
    413: "errors/413.html",
    429: "errors/429.html",
    503: "errors/503.html",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        template = ERROR_TEMPLATES.get(error.code or 500, "errors/generic.html")
        return render_template(template, error=error), error.code

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        log.error("Database unavailable: %s", type(error).__name__)
        db.session.rollback()
        return render_template("errors/503.html"), 503

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("Unhandled error")
        return render_template("errors/generic.html", error=InternalServerError()), 500
