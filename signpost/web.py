"""The shared web layer: home page, health checks and what every template needs."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, render_template
from flask_babel import format_currency, format_date, format_decimal, get_locale
from sqlalchemy.exc import SQLAlchemyError

from directory import repository
from signpost.i18n import available_languages, text_direction

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    return render_template("home.html", categories=repository.categories(), counts=repository.category_counts())


@bp.get("/about-the-data")
def about_data():
    return render_template("about_data.html")


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    try:
        repository.database_is_reachable()
    except SQLAlchemyError:
        return jsonify(ready=False, database="unreachable"), 503
    return jsonify(ready=True, database="ok")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        format_date=format_date, format_decimal=format_decimal, format_currency=format_currency
    )

    @app.context_processor
    def template_globals() -> dict:
        locale = str(get_locale() or "en")
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "languages": available_languages(),
        }
