"""Helpers for the browser tests: page loads, axe-core checks, screenshots and focus checks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
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


def screenshot(tab, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under test-results/ for a person to look at."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{re.sub(r'[^a-z0-9.-]+', '-', name.lower()).strip('-')}.png"
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
