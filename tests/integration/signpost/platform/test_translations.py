"""Every language is complete: no untranslated or fuzzy messages, placeholders intact, every page renders."""

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from signpost.platform.i18n import LANGUAGES
from tests.support.paths import ROOT

CATALOGS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]


def catalog(code: str):
    path = CATALOGS / code / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"{LANGUAGES[code]['name']} needs a catalog at {path}"
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    messages = [m for m in catalog(code) if m.id]
    untranslated = [m.id for m in messages if not m.string or (isinstance(m.string, tuple) and not all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {code}, e.g. {untranslated[:3]}"
    assert not fuzzy, f"fuzzy in {code}: {fuzzy[:3]}"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_translations_keep_every_placeholder(code):
    for message in catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            found = set(PLACEHOLDER.findall(text))
            assert found <= expected and {p for p in expected if p.startswith("%(") and p != "%(num)d"} <= found | {
                "%(num)d"
            }, (code, message.id, text)


def test_the_template_catalog_holds_every_message_in_the_source(tmp_path):
    """Fails when a string was added to the code without running `make translations`."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as handle:
        source_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for code in OTHER_LANGUAGES:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(code) if m.id}
        missing = source_ids - known
        assert not missing, f"{code} is missing {len(missing)} messages (run make translations): {sorted(missing)[:3]}"


PUBLIC_PAGES = [
    "/",
    "/directory/search",
    "/directory/search?q=carers&postcode=SG1+1AA",
    "/directory/search?postcode=nonsense",
    "/about-the-data",
    "/accessibility",
    "/contact-us",
    "/guides/",
    "/guides/paying-for-care",
    "/guides/carers",
    "/guides/paying-for-care/setting",
    "/guides/carers/who",
    "/ask",
    "/no-such-page",
]


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_public_page_renders_in_every_language(client, code):
    for url in PUBLIC_PAGES:
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}lang={code}")
        assert response.status_code in (200, 404), url
        html = BeautifulSoup(response.get_data(as_text=True), "html.parser").html
        assert html["lang"] == code
        assert html.get("dir", "ltr") == LANGUAGES[code]["dir"]
