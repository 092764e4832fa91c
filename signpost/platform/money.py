"""Money as residents read it: always en-GB ("£1,234.50"), whatever the page's language.

A Polish or Arabic page still talks about pounds charged by an English council, and a figure must read the
same as on the council's letters, so money is never formatted in the page's locale.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_currency


def pounds(amount: Decimal | int) -> str:
    """``Decimal("1234.5")`` -> ``"£1,234.50"``."""
    return format_currency(amount, "GBP", locale="en_GB")


# First-strong isolates: U+2068 ... U+2069 would take the page's direction; a sum of money always reads
# left to right, so it is a left-to-right isolate (U+2066 LRI ... U+2069 PDI).
LRI, PDI = "\u2066", "\u2069"
_AMOUNT = re.compile(r"(?<!\u2066)£[0-9][0-9,]*(?:\.[0-9]+)?")


def isolated(text: str) -> str:
    """Each sum of money in `text` kept left to right inside right-to-left text.

    In Urdu or Arabic running text, "£48.20" after Arabic letters is shown as "48.20£": the digits take the
    Arabic number rules and the pound sign drifts to their right. Isolating the amount shows it as written.
    """
    return _AMOUNT.sub(lambda amount: f"{LRI}{amount.group(0)}{PDI}", text)
