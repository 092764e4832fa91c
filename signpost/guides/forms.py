"""One WTForms form per question, built from the flow's data with GOV.UK widgets."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, ValidationError

from signpost.guides.flow import Invalid, Kind, Question, parse_answer
from signpost.platform.forms import options
from signpost.platform.widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextInput

ERROR_MESSAGES = {
    "required_choice": _l("Select an answer"),
    "required": _l("Enter an answer"),
    "whole_number": _l("Enter a whole number, like 12"),
    "money": _l("Enter an amount in pounds, like 150 or 150.50"),
    "too_small": _l("The number must be %(minimum)s or more"),
    "too_big": _l("The number must be %(maximum)s or less"),
    "postcode": _l("Enter a real postcode, like SG1 1AA"),
    "unknown_postcode": _l("We could not find that postcode. Check it and try again"),
}
YES_NO = (("yes", _l("Yes")), ("no", _l("No")))


def error_message(question: Question, invalid: Invalid) -> Any:
    message = question.errors.get(invalid.key) or ERROR_MESSAGES[invalid.key]
    return message % dict(invalid.params) if invalid.params else message


class QuestionForm(FlaskForm):
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    question: Question
    parsed: Any = None

    def validate_answer(self, field) -> None:
        parsed = parse_answer(self.question, field.data)
        if isinstance(parsed, Invalid):
            raise ValidationError(error_message(self.question, parsed))
        self.parsed = parsed


def question_form(question: Question, formdata=None, data: Any = None) -> QuestionForm:
    """A form for this question; `data` pre-fills a previous answer."""

    class Form(QuestionForm):
        pass

    common = {"label": question.text, "description": question.hint or ""}
    if question.kind is Kind.CHOICE:
        field = RadioField(
            choices=options((o.value, o.label) for o in question.options), widget=GovRadioInput(), **common
        )
    elif question.kind is Kind.YES_NO:
        field = RadioField(choices=options(YES_NO), widget=GovRadioInput(), **common)
    elif question.kind is Kind.CHOICES:
        field = SelectMultipleField(
            choices=options((o.value, o.label) for o in question.options), widget=GovCheckboxesInput(), **common
        )
    else:
        field = StringField(widget=GovTextInput(), **common)
    Form.answer = field
    Form.question = question
    form = Form(formdata=formdata, data={"answer": data} if data is not None else None)
    if question.kind in (Kind.CHOICE, Kind.YES_NO):
        form.answer.pre_validate = lambda _form: None  # parse_answer gives the GOV.UK message instead
    if question.kind is Kind.CHOICES:
        form.answer.pre_validate = lambda _form: None
    return form
