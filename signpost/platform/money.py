"""Money as residents read it: always en-GB ("£1,234.50"), whatever the page's language.

A Polish or Arabic page still talks about pounds charged by an English council, and a figure must read the
same as on the council's letters, so money is never formatted in the page's locale.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency


def pounds(amount: Decimal | int) -> str:
    """``Decimal("1234.5")`` -> ``"£1,234.50"``."""
    return format_currency(amount, "GBP", locale="en_GB")
