"""Facts about a listing that every part of the directory reads the same way (standard library only).

`DAY_CODES` are the ORUK ``byday`` codes, Monday first. A listing is *not checked* when an editor has never
confirmed it, or last did more than `STALE_AFTER_DAYS` ago: residents see a warning on its page, editors see
"Needs checking" and can list only those (the SQL form of the rule is `not_checked_cutoff` compared with
``assured_date`` in `directory.repository.curation`).
"""

from __future__ import annotations

from datetime import date, timedelta

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
STALE_AFTER_DAYS = 365


def not_checked_cutoff(today: date | None = None) -> date:
    """The oldest check date that still counts as checked: a listing checked before it needs checking again."""
    return (today or date.today()) - timedelta(days=STALE_AFTER_DAYS)


def is_not_checked(assured_date: date | None, today: date | None = None) -> bool:
    """Whether a listing checked on `assured_date` (None: never) is due to be checked again."""
    return assured_date is None or assured_date < not_checked_cutoff(today)
