"""Helpers for the browser tests: page loads, axe-core checks, screenshots and focus checks."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def open_page(tab, url: str, status: int = 200):
    """Go to a URL, wait until it has loaded, and check the status."""
    response = tab.goto(url, wait_until="load")
    assert response is not None and response.status == status, f"{url}: {response and response.status}"
    return response


def submit(tab, locator) -> None:
    """Click (or press Enter on) something that submits a form, waiting for the next page to load."""
    with tab.expect_navigation(wait_until="load"):
        locator()


def describe_violations(violations: list[dict]) -> list[str]:
    """axe-core's violations as lines a person can read: the rule, then up to five elements and what is wrong."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {' '.join(node['target'])}: {node['failureSummary']}" for node in violation["nodes"][:5])
    return lines


def assert_accessible(tab, label: str) -> None:
    """Run axe-core on the page and fail with a readable list of WCAG 2.2 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe found WCAG violations on {label} ({tab.url}):\n" + "\n".join(
        describe_violations(violations)
    )


def inject_axe_on_every_page(context) -> None:
    """Have Chromium run axe-core's script in every document the context loads (sent once, not per page)."""
    from axe_playwright_python.base import AXE_SCRIPT

    context.add_init_script(script=AXE_SCRIPT)


# axe.run on an already injected axe, returning only the violations (and only what describe_violations reads).
AXE_RUN = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, failureSummary: n.failureSummary}))}));
}"""


def axe_violations(tab, contrast: bool = True) -> list[dict]:
    """The WCAG 2.2 A/AA violations on the page, with axe-core injected by inject_axe_on_every_page.
    `contrast=False` leaves out color-contrast, the slowest rule by far (about 5/6 of a run)."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
        "rules": {"color-contrast": {"enabled": contrast}},
    }
    return tab.evaluate(AXE_RUN, options)


# What color-contrast depends on, for every element with its own text: its colour, size and weight, and the
# background it sits on (the nearest ancestor with one). A page showing a combination not seen before needs
# color-contrast run on it; one showing only combinations already checked does not.
TEXT_STYLES = """() => {
  const found = new Set();
  for (const element of document.querySelectorAll('body *')) {
    if (![...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    let background = 'rgba(0, 0, 0, 0)';
    for (let up = element; up && background === 'rgba(0, 0, 0, 0)'; up = up.parentElement) {
      background = getComputedStyle(up).backgroundColor;
    }
    found.add([style.color, background, style.fontSize, style.fontWeight, style.opacity].join(' '));
  }
  return [...found];
}"""


def screenshot(tab, name: str, full_page: bool = True, folder: Path = RESULTS) -> Path:
    """Save a screenshot under test-results/ (or `folder`, such as DOCS_SCREENSHOTS) for a person to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^a-z0-9.-]+', '-', name.lower()).strip('-')}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    return path


FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(style.outlineColor);
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = element.labels && element.labels[0] ? getComputedStyle(element.labels[0], '::before') : null;
  const ring = label && label.boxShadow && label.boxShadow !== 'none';
  return {outline, shadow, ring, tag: element.tagName, id: element.id, cls: element.className};
}"""


def assert_focus_visible(tab, what: str) -> None:
    """The focused element shows a visible focus indicator: an outline, or GOV.UK's yellow box-shadow
    (radios and checkboxes draw theirs on the label's ::before, as the input itself is invisible)."""
    found = tab.evaluate(FOCUS_STYLE)
    assert found["outline"] or found["shadow"] or found["ring"], f"no visible focus on {what}: {found}"


def tab_to(tab, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector} on {tab.url}")


# Words of English that are not words of Polish or Urdu (so "a", "to", "na", "menu", "problem" are left out).
ENGLISH_WORDS = frozenset(
    "the and your you with this that are for from what how who when where can not will our about more back "
    "search service services help find save saved list email send sent page results result cost free phone "
    "website opening times guide guides start continue check answers change yes no care carer carers money "
    "pay paying week month year contact report print skip content cookies privacy accessibility "
    "statement language error there is".split()
)
# Official names the translations keep in English (with a gloss), as residents meet them on GOV.UK, letters and
# phone menus; and a translator's English gloss in brackets after the translated term ("(carer)").
OFFICIAL_NAMES = re.compile(
    r"\b(?:Carer['’]s Allowance|carer['’]s assessment|Adult Care Services|Money Advice Unit|Carers in Hertfordshire"
    r"|Department for Work and Pensions)\b|\([A-Za-z'’ -]+\)",
    re.I,
)

# The visible text outside listing content (which is marked lang="en"), and outside anything else marked with a
# language other than the page's (the language switcher names each language in itself).
VISIBLE_TEXT = """() => {
  const page = document.documentElement.lang;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent.trim() || parent.closest('script, style, noscript, template')) continue;
    const marked = parent.closest('[lang]');
    if (marked && marked.lang !== page) continue;
    if (!parent.checkVisibility({visibilityProperty: true}) || parent.closest('.govuk-visually-hidden')) continue;
    const box = parent.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    texts.push([node.textContent.replace(/\\s+/g, ' ').trim(), parent.tagName + '.' + parent.className]);
  }
  return texts;
}"""


@functools.cache
def _pending_patterns(lang: str) -> list[re.Pattern]:
    """Messages in the source that the language's catalog does not hold yet (`make translations` not run since
    they were added): they show in English until the lead updates the catalogs and translators translate them."""
    from babel.messages.pofile import read_po

    with tempfile.TemporaryDirectory() as temp:
        pot = Path(temp) / "messages.pot"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
            + ["-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        with pot.open("rb") as handle:
            source = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    return [
        re.compile(".+?".join(re.escape(part.replace("%%", "%")) for part in placeholder.split(msgid)))
        for msgid in sorted(source - known)
    ]


def visible_english(tab) -> tuple[list[str], list[str]]:
    """English words shown outside listing content, each with its element; and the texts among them that are
    messages not yet in the page language's catalog (pending translation, not a fault of the page)."""
    lang = tab.locator("html").get_attribute("lang")
    english, pending = set(), set()
    for text, where in tab.evaluate(VISIBLE_TEXT):
        words = {w for w in re.findall(r"[^\W\d_]+", OFFICIAL_NAMES.sub(" ", text)) if w.lower() in ENGLISH_WORDS}
        if not words:
            continue
        if any(pattern.fullmatch(text) for pattern in _pending_patterns(lang)):
            pending.add(text)
        else:
            english |= {f"{word!r} in {where}: {text[:80]!r}" for word in words}
    return sorted(english), sorted(pending)


def assert_no_visible_english(tab, label: str) -> None:
    """No English of ours on a translated page; messages still waiting for translation are a warning."""
    lang = tab.locator("html").get_attribute("lang")
    if lang == "en":
        return
    english, pending = visible_english(tab)
    if pending:
        warnings.warn(f"not yet in the {lang} catalog, shown in English on {label}: {pending}", stacklevel=2)
    assert not english, f"visible English on {label} in {lang} ({tab.url}):\n" + "\n".join(english[:10])
