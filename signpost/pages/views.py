"""The shared web layer: home page, health checks and what every template needs."""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError
from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from directory import repository
from directory.postcodes import rounded_miles
from signpost.platform import guide_index, readiness
from signpost.platform.i18n import available_languages, text_direction
from signpost.platform.money import pounds
from signpost.platform.urls import absolute_url_for, canonical_root

bp = Blueprint("main", __name__)
# Update this, and the statement, whenever the accessibility statement is reviewed.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 23)
# The council's Customer Service Centre, for easy-read, large-print and other formats (shown on /contact-us).
CUSTOMER_SERVICE_PHONE = "0300 123 4040"


@bp.get("/")
def home():
    return render_template(
        "home.html",
        categories=repository.categories(),
        counts=repository.category_counts(),
        guides=guide_index.offered(),
    )


@bp.get("/about-the-data")
def about_data():
    return render_template("about_data.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("accessibility.html", prepared=ACCESSIBILITY_STATEMENT_PREPARED)


@bp.get("/contact-us")
def contact():
    """Contact us another way: phone, Relay UK, British Sign Language, other formats and interpreters."""
    return render_template("contact.html", customer_service_phone=CUSTOMER_SERVICE_PHONE)


@bp.get("/privacy")
def privacy():
    """The privacy notice: what we collect, why, the lawful basis, how long we keep it, and people's rights."""
    return render_template("privacy.html")


@bp.get("/cookies")
def cookies():
    from signpost.platform.i18n import LANGUAGE_COOKIE

    return render_template("cookies.html", language_cookie=LANGUAGE_COOKIE)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready when the database answers and SQLite has disk to write on; Redis down is "degraded"."""
    from signpost.platform.extensions import limiter

    try:
        repository.database_is_reachable()
        database = "ok"
    except SQLAlchemyError:
        database = "unreachable"
    checks = [
        readiness.disk_check(readiness.sqlite_directory(current_app.config["SQLALCHEMY_DATABASE_URI"])),
        readiness.redis_check(current_app.config.get("RATELIMIT_STORAGE_URI", ""), lambda: limiter.storage.check()),
    ]
    body = {"database": database, **{check.name: check.status for check in checks if check}}
    ready = database == "ok" and not any(check.failing for check in checks if check)
    body["ready"] = ready
    if ready and any(check and check.status != "ok" for check in checks):
        body["status"] = "degraded"
    return jsonify(body), 200 if ready else 503


def nearby_services(category: str, postcode: str | None, count: int = 3) -> list:
    """A few services of one category, nearest first when a postcode is known (for guide outcomes)."""
    from directory.postcodes import PostcodeError, locate
    from directory.repository import Filters
    from directory.search.engine import SearchRequest, search

    try:
        place = locate(postcode) if postcode else None
    except PostcodeError:
        place = None
    results = search(SearchRequest(place=place, filters=Filters(category=category), per_page=count))
    return list(zip(repository.services_by_ids([h.service_id for h in results.hits]), results.hits, strict=False))


def listing_text(value: object) -> Markup:
    """Listing content as written (English): on a translated page it is marked lang="en" and isolated
    left-to-right, so screen readers use an English voice and its punctuation stays put (WCAG 3.1.2)."""
    if value is None or value == "":
        return Markup("")
    locale = get_locale()
    if locale is None or locale.language == "en":
        return escape(value)
    return Markup('<span lang="en" dir="ltr">%s</span>') % value


def language_name(language: object) -> Markup:
    """A listing's language (``code``, ``name``) named in the page's language by Babel ("انگریزی" on an Urdu
    page); the listing's own name, marked as listing text, when Babel does not know the code. A bare code (the
    language a search was made in, "pl") is named likewise."""
    if isinstance(language, str):
        code, name = language, ""
    else:
        code, name = getattr(language, "code", "") or "", getattr(language, "name", "") or ""
    locale = get_locale()
    try:
        named = Locale.parse(code.replace("-", "_")).get_display_name(locale) if code and locale else None
    except (ValueError, UnknownLocaleError):
        named = None
    return escape(named[:1].upper() + named[1:]) if named else listing_text(name or code)


def page_address() -> str:
    """This page's address without its query string, percent-encoded (request.url would decode what was typed)."""
    if request.endpoint and request.url_rule is not None:
        return absolute_url_for(request.endpoint, **(request.view_args or {}))
    return canonical_root() + "/"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nearby_services"] = nearby_services
    app.jinja_env.filters["listing"] = listing_text
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals["page_address"] = page_address
    app.jinja_env.globals["rounded_miles"] = rounded_miles
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        format_currency=format_currency,
        pounds=pounds,
    )

    @app.context_processor
    def template_globals() -> dict:
        locale = get_locale().language if get_locale() else "en"  # "en", not "en_GB": a language code
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "languages": available_languages(),
        }
