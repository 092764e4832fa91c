"""Language choice: a `lang` query parameter (remembered in a cookie), then Accept-Language, then English."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_translations

from signpost.platform.bidi import isolated_html

LANGUAGE_COOKIE = "signpost_lang"

# Each language named in itself; the text direction drives <html dir> and the mirrored layout.
# English first, then the languages most spoken in Hertfordshire and England after English (Census 2021).
# Adding a language is one line here plus a catalog in translations/<code>/LC_MESSAGES/messages.po.
LANGUAGES: dict[str, dict[str, str]] = {
    "en": {"name": "English", "dir": "ltr"},
    "pl": {"name": "Polski", "dir": "ltr"},
    "ro": {"name": "Română", "dir": "ltr"},
    "ur": {"name": "اردو", "dir": "rtl"},
    "pa": {"name": "ਪੰਜਾਬੀ", "dir": "ltr"},
    "pt": {"name": "Português", "dir": "ltr"},
    "ar": {"name": "العربية", "dir": "rtl"},
}


def available_languages() -> dict[str, dict[str, str]]:
    return current_app.config.get("LANGUAGES", LANGUAGES)


def select_locale() -> str:
    if not has_request_context():  # a command-line task: messages in English
        return "en"
    languages = available_languages()
    requested = request.args.get("lang", "")
    if requested in languages:
        g.set_language_cookie = requested
        return requested
    cookie = request.cookies.get(LANGUAGE_COOKIE, "")
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(list(languages)) or "en"


# Babel locales for formats (dates, numbers) where the language code alone would give another country's:
# plain "en" is American English ("April 29, 2026"); residents here read British English ("29 April 2026").
FORMAT_LOCALES = {"en": "en_GB"}


def babel_locale() -> str:
    """The locale Flask-Babel formats and translates with: the chosen language, in its British form."""
    code = select_locale()
    return FORMAT_LOCALES.get(code, code)


def language_url(code: str) -> str:
    """This page in another language: the same path and query with ``lang`` replaced.

    Built from the request's own path rather than ``url_for(**request.args)``, so reserved ``url_for``
    arguments someone puts in the query (``_method``, ``_external``, ``endpoint``…) are never acted on.
    """
    pairs = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    path = quote(f"{request.script_root}{request.path}", safe="/:@!$&'()*+,;=-._~")
    return f"{path}?{urlencode([*pairs, ('lang', code)])}"


def text_direction(locale: str) -> str:
    return available_languages().get(locale, {}).get("dir", "ltr")


def current_translations() -> Any:
    """Flask-Babel's translations for this request's language, remembered on its context while the language
    stays the same (a page calls gettext a hundred times or more; finding the catalog each time cost more than
    the look-up). A changed language (`force_locale`, `refresh`) is a new Locale object, so it is found again."""
    context = g.get("_flask_babel") if g else None
    if context is not None:
        remembered = getattr(context, "signpost_translations", None)
        if remembered is not None and remembered[0] is getattr(context, "babel_locale", None):
            return remembered[1]
    translations = get_translations()
    context = g.get("_flask_babel") if g else None
    if context is not None and getattr(context, "babel_locale", None) is not None:
        context.signpost_translations = (context.babel_locale, translations)
    return translations


def init_app(app: Flask) -> None:
    app.config.setdefault("LANGUAGES", LANGUAGES)
    app.jinja_env.globals["language_url"] = language_url
    # Flask-Babel's template callables, with the catalog found once per language rather than once per string.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )

    @app.after_request
    def remember_language(response):
        chosen = g.get("set_language_cookie")
        if chosen:
            response.set_cookie(
                LANGUAGE_COOKIE,
                chosen,
                max_age=60 * 60 * 24 * 365,
                samesite="Lax",
                httponly=True,
                secure=app.config["SESSION_COOKIE_SECURE"],
            )
        return response

    @app.after_request
    def keep_money_and_ranges_left_to_right(response):
        """On right-to-left pages, every sum of money, tax year and date range reads left to right (see bidi)."""
        locale = select_locale()
        if text_direction(locale) == "rtl" and response.mimetype == "text/html" and not response.direct_passthrough:
            response.set_data(isolated_html(response.get_data(as_text=True)))
        return response
