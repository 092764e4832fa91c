"""The language mechanism: the list of languages, <html lang/dir>, the switcher, the remembered choice."""

from __future__ import annotations

import re
from pathlib import Path

import govuk_frontend_jinja
import pytest
from browser_support import open_page, submit

from signpost.platform.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for package in ("signpost", "directory", "surveys") for p in (ROOT / package).rglob("templates"))
# Templates owned by work still in progress that format dates by hand (strftime gives English month names
# whatever the language); they should use format_date / format_datetime. Remove each once fixed.
KNOWN_HAND_FORMATTED: set[str] = set()


def test_the_languages_are_english_and_the_most_spoken_after_it_each_named_in_itself():
    assert {code: (info["name"], info["dir"]) for code, info in LANGUAGES.items()} == {
        "en": ("English", "ltr"),
        "pl": ("Polski", "ltr"),
        "ro": ("Română", "ltr"),
        "ur": ("اردو", "rtl"),
        "pa": ("ਪੰਜਾਬੀ", "ltr"),
        "pt": ("Português", "ltr"),
        "ar": ("العربية", "rtl"),
    }


def test_our_copy_of_the_govuk_page_template_differs_only_by_the_dir_attribute():
    package = Path(govuk_frontend_jinja.__file__).parent / "templates" / "template.html"
    ours = (ROOT / "signpost" / "platform" / "templates" / "govuk_template.html").read_text(encoding="utf-8")
    ours = re.sub(r"\A\{#-.*?#\}\n", "", ours, flags=re.S)
    ours = ours.replace(" dir=\"{{ htmlDir | default('ltr', true) }}\"", "", 1)
    assert ours == package.read_text(encoding="utf-8"), "govuk-frontend-jinja changed: update govuk_template.html"


def test_templates_format_numbers_money_and_dates_with_babel_not_by_hand():
    by_hand = re.compile(r"strftime|%\.\d+f|\{:[,.]|£\{\{|\|\s*format\(")
    offenders = []
    for folder in TEMPLATES:
        for path in folder.rglob("*.html"):
            name = path.relative_to(folder).as_posix()
            if name not in KNOWN_HAND_FORMATTED and by_hand.search(path.read_text(encoding="utf-8")):
                offenders.append(name)
    assert offenders == [], "use format_currency / format_decimal / format_date in these templates"


@pytest.mark.browser
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_sets_html_lang_and_dir_and_the_switcher_names_each_language_in_itself(tab, code):
    open_page(tab, f"/guides/?lang={code}")
    html = tab.locator("html")
    assert html.get_attribute("lang") == code
    assert html.get_attribute("dir") == LANGUAGES[code]["dir"]
    switcher = tab.locator(".signpost-language-switcher li > *")
    assert switcher.count() == len(LANGUAGES)
    for index, (other, info) in enumerate(LANGUAGES.items()):
        item = switcher.nth(index)
        assert item.inner_text().strip() == info["name"]
        assert item.get_attribute("lang") == other and item.get_attribute("dir") == info["dir"]
        if other == code:
            assert item.get_attribute("aria-current") == "true"
        else:
            assert item.get_attribute("hreflang") == other
            assert f"lang={other}" in item.get_attribute("href")


@pytest.mark.browser
def test_the_chosen_language_is_remembered_and_the_browser_language_is_the_default(new_context):
    tab = new_context(locale="pl-PL").new_page()
    open_page(tab, "/")
    assert tab.locator("html").get_attribute("lang") == "pl", "Accept-Language picks Polish"
    submit(tab, lambda: tab.locator('.signpost-language-switcher a[lang="ar"]').click())
    assert tab.locator("html").get_attribute("dir") == "rtl"
    open_page(tab, "/directory/search")
    assert tab.locator("html").get_attribute("lang") == "ar", "the choice is remembered in a cookie"
