"""The application factory: configuration, the platform's extensions, and one short list of features."""

from __future__ import annotations

from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from signpost.platform import config, database
from signpost.platform.extensions import babel, compress, csrf, db, limiter, migrate

MIGRATIONS_DIR = str(config.INSTANCE_DIR.parent / "migrations")
# Each package keeps its templates beside its code, in its own `templates/` folder; the platform's come first
# (the base page, error pages and GOV.UK Frontend overrides).
TEMPLATE_PACKAGES = (
    "signpost.platform",
    "signpost.pages",
    "signpost.ask",
    "signpost.guides",
    "signpost.staff",
    "signpost.assessments",
    "surveys.staff",
    "surveys",
    "directory",
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR), static_url_path="/static")
    app.config.update(config.from_environment())
    if overrides:
        app.config.update(overrides)
    if app.config.get("BEHIND_PROXY"):
        # Trust exactly PROXY_HOPS proxies' X-Forwarded-For/-Proto entries, counted from the right; the host
        # is never taken from a header (absolute links use SERVER_NAME).
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    app.jinja_loader = ChoiceLoader(
        [
            *(PackageLoader(package) for package in TEMPLATE_PACKAGES),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from signpost.pages import views as web
    from signpost.platform import assets, errors, i18n, json_limits, security

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.babel_locale, default_translation_directories="../translations")
    limiter.init_app(app)
    compress.init_app(app)
    assets.init_app(app)
    WTFormsHelpers(app)
    i18n.init_app(app)
    security.init_app(app)
    json_limits.init_app(app)
    errors.init_app(app)
    web.init_app(app)
    from signpost.platform import auth, notifications

    auth.init_app(app)
    notifications.init_app(app)

    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    from directory.views import NEEDS_FOR_SEARCH
    from signpost.ask.search_needs import categories_for_search

    # Directory search in the page's language goes through "Ask us"'s needs understanding (a layer above it).
    app.extensions[NEEDS_FOR_SEARCH] = categories_for_search
    from signpost.cli import register_commands

    register_commands(app)
    return app


def blueprints() -> tuple:
    """Every part of the service, one blueprint each (the staff pages of several features share `staff`)."""
    from directory.curation.views import bp as curation
    from directory.my_list import bp as my_list
    from directory.oruk.api import bp as oruk_api
    from directory.reports import bp as problem_reports
    from directory.search_api import bp as search_api
    from directory.views import bp as directory
    from signpost.ask.api import bp as ask_api
    from signpost.ask.views import bp as ask
    from signpost.assessments.staff_views import bp as assessment_queue
    from signpost.guides.api import bp as guides_api
    from signpost.guides.next_steps import bp as next_steps
    from signpost.guides.views import bp as guides
    from signpost.pages.disclosure import bp as disclosure
    from signpost.pages.views import bp as pages
    from signpost.platform.auth import staff_bp as staff
    from signpost.staff import views as _sign_in_outbox_audit  # noqa: F401  (their routes are on `staff`)
    from surveys.dashboard import bp as commissioners
    from surveys.staff import views as _signposting_a_caller  # noqa: F401  (their routes are on `staff`)
    from surveys.views import bp as your_views
    from surveys.views import public as public_indicators

    return (
        pages,
        directory,
        guides,
        next_steps,
        guides_api,
        ask,
        ask_api,
        oruk_api,
        search_api,
        problem_reports,
        my_list,
        staff,
        curation,
        assessment_queue,
        your_views,
        public_indicators,
        commissioners,
        disclosure,
    )
