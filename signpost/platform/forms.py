"""Form helpers every feature shares: cleaning typed text, and GOV.UK radios that must be answered."""

from __future__ import annotations

from typing import Any

from wtforms import Field, RadioField, ValidationError
from wtforms.fields.choices import SelectChoice

from signpost.platform.security import strip_unsafe
from signpost.platform.widgets import GovRadioInput


def options(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms wants from 3.3 on (it deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


# Requests are already cleaned (signpost.platform.security); this is for values that come from elsewhere.
clean_text = strip_unsafe


def one_of(choices: Any, message: Any):
    """The answer must be one of these (value, label) choices; otherwise this message."""

    def check(_form: Any, field: Field) -> None:
        if field.data not in {value for value, _label in choices}:
            raise ValidationError(message)

    return check


def radios(label: Any, choices: Any, message: Any, **kwargs: Any) -> RadioField:
    """GOV.UK radios whose answer must be one of `choices`; otherwise `message`, in the error summary."""
    return RadioField(
        label,
        choices=options(choices),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[one_of(choices, message)],
        **kwargs,
    )
