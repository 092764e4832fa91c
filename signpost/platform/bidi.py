"""Left-to-right runs inside right-to-left pages: sums of money, tax years, date ranges and phone numbers.

In Urdu or Arabic running text the Unicode bidirectional algorithm treats digits after Arabic letters as
Arabic numbers. A pound sign then drifts to the wrong side ("£48.20" is shown as "48.20£"), and a hyphen
between two numbers is not part of either, so each number is placed right to left: the tax year "2026-27"
is shown as "27-2026", the date "2026-04-01" as "01-04-2026" and the phone number "0300 123 4044" as
"4044 123 0300". Each such run is wrapped in a left-to-right isolate (U+2066 LRI ... U+2069 PDI; a
first-strong isolate would take the page's direction), so it reads as written, as on the council's letters.
"""

from __future__ import annotations

import re

LRI, PDI = "\u2066", "\u2069"

_NUMBER = r"[0-9]+(?:[.:,][0-9]+)*"
_LEFT_TO_RIGHT = re.compile(
    # A sum of money: "£48.20", "£1,234.50".
    r"(?<!\u2066)£[0-9][0-9,]*(?:\.[0-9]+)?"
    # Numbers joined by hyphens, en dashes or spaces: "2026-27", "2026-04-01", "16–25", the phone number
    # "0300 123 4044"; not part of a longer word or number ("charging-figures-2025-27.md" is left alone).
    rf"|(?<![\w\u2066.:,+\-–])\+?{_NUMBER}(?:(?:[-–]| |\u00a0){_NUMBER})+(?![\w\-–])"
)
# Text that is shown as it is typed or run, never as prose: left exactly as written.
_RAW = re.compile(r"(<(script|style|textarea)\b[^>]*>.*?</\2\s*>|<!--.*?-->|<[^>]*>)", re.IGNORECASE | re.DOTALL)


def isolated(text: str) -> str:
    """Each sum of money and each range of numbers in `text` kept left to right inside right-to-left text
    (already isolated runs are left as they are)."""
    return _LEFT_TO_RIGHT.sub(lambda run: f"{LRI}{run.group(0)}{PDI}", text)


def isolated_html(html: str) -> str:
    """`isolated` on the text of an HTML page only: tags and their attributes (links, identifiers), comments,
    scripts, styles and the text in a textarea are left exactly as they are."""
    parts = _RAW.split(html)
    # re.split with two groups gives: text, raw, inner group, text, raw, inner group, ..., text.
    out = []
    for index in range(0, len(parts), 3):
        out.append(isolated(parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)
