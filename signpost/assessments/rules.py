"""The plain rules of assessment requests: which guide asks for which assessment, references, phone numbers.

No Flask here: these are tested directly.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

# No 0/O, 1/I/L or 5/S, so a reference read out over the phone is not misheard or mistyped.
REFERENCE_ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"
REFERENCE_LENGTH = 4
# Mobiles (07), 02 and 03 numbers have 11 digits; a few 01 areas have 10.
UK_PHONE_RE = re.compile(r"^(?:0[237]\d{9}|01\d{8,9})$")
UK_MOBILE_RE = re.compile(r"^07\d{9}$")
STATUSES = ("open", "contacted", "closed")
BEST_TIMES = (
    ("morning", _l("Morning (9am to 12pm)")),
    ("afternoon", _l("Afternoon (12pm to 5pm)")),
    ("any", _l("Any time")),
)
"""When a resident asks to be contacted: asked on the guides' request form, shown in the staff queue."""


@dataclass(frozen=True)
class AssessmentKind:
    """The assessment a guide's result leads to."""

    id: str
    prefix: str
    title: Any  # the form's heading: "Ask for a financial assessment"
    what: Any  # in a sentence: "a financial assessment"
    label: Any  # in the staff queue: "Financial assessment"


KINDS = {
    "paying-for-care": AssessmentKind(
        "financial",
        "FA",
        _l("Ask for a financial assessment"),
        _l("a financial assessment"),
        _l("Financial assessment"),
    ),
    "carers": AssessmentKind(
        "carers", "CA", _l("Ask for a carer's assessment"), _l("a carer's assessment"), _l("Carer's assessment")
    ),
}
KIND_LABELS = {kind.id: kind.label for kind in KINDS.values()}


def new_reference(prefix: str, choice: Callable[[str], str] = secrets.choice) -> str:
    """A short reference to quote on the phone, like ``FA-7K3Q``."""
    return prefix + "-" + "".join(choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def uk_phone(text: str) -> str | None:
    """A UK landline or mobile number as ``01…``/``07…`` digits, or None if it is not one.

    Spaces, brackets and dashes are ignored, and +44 / 0044 become 0.
    """
    digits = re.sub(r"[\s().-]", "", text or "")
    for prefix in ("+44", "0044"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :].removeprefix("0")
    return digits if UK_PHONE_RE.match(digits) else None


def is_mobile(number: str) -> bool:
    """A number ``uk_phone`` accepted is a mobile, so a text message can reach it."""
    return bool(UK_MOBILE_RE.match(number))
