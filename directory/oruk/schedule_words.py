"""A schedule's RFC 5545 rule in plain words, in the reader's language, for the service page:
"The second Wednesday of each month, 7pm to 8.30pm", "Every other Monday, 9am to midday".

English times follow the GOV.UK style (7pm, 8.30pm, midday, midnight); other languages get their own
short time format from Babel. Lists ("Monday, Wednesday and Friday") are joined by Babel for the locale.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from babel.dates import format_date, format_time
from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from directory.forms import DAY_NAMES

TOKEN_RE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
ORDINALS = {
    1: _l("first"),
    2: _l("second"),
    3: _l("third"),
    4: _l("fourth"),
    5: _l("fifth"),
    -1: _l("last"),
    -2: _l("second to last"),
}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]


def _locale() -> str:
    return str(get_locale() or "en")


def _join(items: list[str]) -> str:
    """Babel's list for the locale; British English for English (no comma before "and")."""
    locale = "en_GB" if _locale() == "en" else _locale()
    return format_list(items, locale=locale) if len(items) > 1 else (items[0] if items else "")


def _time(value: str | None) -> str | None:
    """19:00 -> 7pm, 20:30 -> 8.30pm, 12:00 -> midday, 24:00 -> midnight (English); 19:00 elsewhere."""
    match = re.match(r"^(\d{2}):(\d{2})", value or "")
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours in (0, 24) and minutes == 0:
        return _("midnight")
    if hours == 12 and minutes == 0:
        return _("midday")
    if not _locale().startswith("en"):
        return format_time(time(hours % 24, minutes), format="short", locale=_locale())
    suffix = "am" if hours < 12 else "pm"
    hour = hours % 12 or 12
    return f"{hour}{suffix}" if minutes == 0 else f"{hour}.{minutes:02d}{suffix}"


def _times(opens: str | None, closes: str | None) -> str | None:
    opens_text, closes_text = _time(opens), _time(closes)
    if opens_text and closes_text:
        return _("%(opens)s to %(closes)s", opens=opens_text, closes=closes_text)
    if opens_text:
        return _("from %(opens)s", opens=opens_text)
    if closes_text:
        return _("until %(closes)s", closes=closes_text)
    return None


def _tokens(byday: str | None) -> list[tuple[int | None, str]]:
    found = []
    for part in (byday or "").split(","):
        match = TOKEN_RE.match(part.strip().upper())
        if match:
            found.append((int(match.group(1)) if match.group(1) else None, match.group(2)))
    return found


def _monthly_days(tokens: list[tuple[int | None, str]]) -> str | None:
    """ "2WE,4WE" -> "the second and fourth Wednesday of each month"."""
    by_day: dict[str, list[int]] = {}
    for ordinal, day in tokens:
        if ordinal in ORDINALS:
            by_day.setdefault(day, []).append(ordinal)
    if not by_day:
        return None
    phrases = [
        _("%(ordinals)s %(day)s", ordinals=_join([str(ORDINALS[o]) for o in sorted(ordinals, key=_ordinal_order)]),
          day=DAY_NAMES[day])
        for day, ordinals in by_day.items()
    ]  # fmt: skip
    return _("the %(days)s of each month", days=_join(phrases))


def _ordinal_order(ordinal: int) -> int:
    return ordinal if ordinal > 0 else 100 + ordinal


def _month_days(bymonthday: str | None) -> str | None:
    days = [int(d) for d in (bymonthday or "").split(",") if re.match(r"^[+-]?\d{1,2}$", d.strip())]
    if not days:
        return None
    if days == [-1]:
        return _("the last day of each month")
    return _("day %(days)s of each month", days=_join([str(d) for d in days if d > 0]))


def _weekly_days(days: list[str], interval: int) -> str | None:
    if not days:
        return None
    if set(days) == set(DAY_NAMES) and interval == 1:
        return _("every day")
    if days == WEEKDAYS and interval == 1:
        return _("Monday to Friday")
    names = _join([str(DAY_NAMES[day]) for day in days])
    if interval == 2:
        return _("every other %(days)s", days=names)
    if interval > 2:
        return _("every %(count)s weeks on %(days)s", count=interval, days=names)
    return _("every %(days)s", days=names)


def _until(schedule: Any) -> str | None:
    raw = getattr(schedule, "until", None) or getattr(schedule, "valid_to", None)
    try:
        day = date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None
    return _("until %(date)s", date=format_date(day, "d MMMM y", locale=_locale())) if day else None


def schedule_in_words(schedule: Any) -> str:
    """The schedule's days and times in plain words, starting with a capital letter."""
    freq = (getattr(schedule, "freq", None) or "").upper()
    interval = getattr(schedule, "interval", None) or 1
    tokens = _tokens(schedule.byday)
    if freq == "MONTHLY":
        days = _monthly_days(tokens) or _month_days(getattr(schedule, "bymonthday", None))
        if days is None and interval == 1:
            days = _("each month")
    elif freq == "DAILY" and not tokens:
        days = _("every day") if interval == 1 else _("every %(count)s days", count=interval)
    else:
        order = list(DAY_NAMES)
        plain = sorted({day for _ordinal, day in tokens}, key=order.index)
        days = _weekly_days(plain, interval)
    parts = [part for part in (days, _times(schedule.opens_at, schedule.closes_at), _until(schedule)) if part]
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]
