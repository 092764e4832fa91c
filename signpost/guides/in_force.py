"""Which charging figures are in force for a request: today's tax year, from the rates file the app is
configured with (`CHARGING_RATES_FILE`, default the shipped one), with the local choices of the council
profile `COUNCIL` (a code in `data/councils/`, or a path to a profile's JSON; default hertfordshire).
`GUIDES_DATE` pins "today" (an ISO date), so a council can preview next year's figures and tests can replay a
published example's year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import current_app

from signpost.guides.rates import DATA_FILE, DEFAULT_COUNCIL, ChargingRates, load_council, load_table, rates_for


def guide_date() -> date:
    pinned = current_app.config.get("GUIDES_DATE")
    if not pinned:
        return date.today()
    return pinned if isinstance(pinned, date) else date.fromisoformat(str(pinned))


def rates_in_force(on: date | None = None) -> ChargingRates:
    """The figures for the tax year containing ``on`` (default: the guide's today)."""
    path = current_app.config.get("CHARGING_RATES_FILE") or DATA_FILE
    council = load_council(current_app.config.get("COUNCIL") or DEFAULT_COUNCIL)
    return rates_for(on or guide_date(), load_table(Path(path)), council)
