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

    from directory.my_list import bp as my_list_bp
    from directory.oruk.api import bp as oruk_api_bp
    from directory.reports import bp as reports_bp
    from directory.views import bp as directory_bp
    from signpost.ask.api import bp as ask_api_bp
    from signpost.ask.views import bp as ask_bp
    from signpost.cli import register_commands
    from signpost.guides.api import bp as guides_api_bp
    from signpost.guides.next_steps import bp as next_steps_bp
    from signpost.guides.views import bp as guides_bp

    app.register_blueprint(web.bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(guides_bp)
    app.register_blueprint(next_steps_bp)
    app.register_blueprint(guides_api_bp)
    app.register_blueprint(ask_bp)
    app.register_blueprint(ask_api_bp)
    app.register_blueprint(oruk_api_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(my_list_bp)
    from directory.curation.views import bp as curation_bp
    from signpost.assessments.staff_views import bp as assessment_queue_bp
    from signpost.platform.auth import staff_bp
    from signpost.staff import views as _staff_pages  # noqa: F401  (sign-in, outbox, audit: on staff_bp)
    from surveys.dashboard import bp as commissioners_bp
    from surveys.staff import views as _signposting_pages  # noqa: F401  (signposting a caller: on staff_bp)
    from surveys.views import bp as your_views_bp
    from surveys.views import public as public_indicators_bp

    app.register_blueprint(staff_bp)
    app.register_blueprint(curation_bp)
    app.register_blueprint(assessment_queue_bp)
    app.register_blueprint(your_views_bp)
    app.register_blueprint(public_indicators_bp)
    app.register_blueprint(commissioners_bp)
    from signpost.pages.disclosure import bp as disclosure_bp

    app.register_blueprint(disclosure_bp)
    register_commands(app)
    return app
