"""Survey forms built from the definition data, with GOV.UK widgets (one question per page, or all at once
for staff keying in a phone or paper answer)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import Field, RadioField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import Length

from signpost.platform.forms import options
from surveys.definition import Question, QuestionType, SurveyDefinition
from surveys.signposting import MAX_TEXT

SOURCE_CHOICES = (("phone", _l("By phone")), ("paper", _l("On paper")))


def _check_choice(question: Question):
    def check(_form: Any, field: Field) -> None:
        if field.data in (None, ""):
            if question.required:
                raise ValidationError(_l("Select an answer"))
            field.data = None
            return
        if field.data not in question.codes:
            raise ValidationError(_l("Select one of the answers shown"))

    return check


def answer_field(question: Question, label: str | None = None) -> Field:
    """A field for one question; labels and hints are translated at request time."""
    text = label or gettext(question.text)
    hint = gettext(question.hint) if question.hint else ""
    if question.type is QuestionType.FREE_TEXT:
        return TextAreaField(
            text,
            description=hint,
            widget=GovTextArea(),
            validators=[
                Length(max=MAX_TEXT, message=_l("Your answer must be %(max)s characters or fewer", max=MAX_TEXT))
            ],
        )
    field = RadioField(
        text,
        description=hint,
        choices=options((option.code, gettext(option.label)) for option in question.options),
        widget=GovRadioInput(),
        validators=[_check_choice(question)],
        validate_choice=False,
    )
    return field


class QuestionForm(FlaskForm):
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


def question_form(question: Question, previous: str | None = None) -> QuestionForm:
    """The form for one question, reading the posted answer (FlaskForm's default) or showing ``previous``."""

    class Form(QuestionForm):
        answer = answer_field(question)

    return Form(data={"answer": previous} if previous else None)


class KeyInForm(FlaskForm):
    """All of a survey's questions on one page, for staff entering answers given by phone or on paper."""

    source = RadioField(
        _l("How were these answers given?"),
        choices=options(SOURCE_CHOICES),
        widget=GovRadioInput(),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save answers"), widget=GovSubmitInput())

    def validate_source(self, field: Field) -> None:
        if field.data not in {code for code, _label in SOURCE_CHOICES}:
            raise ValidationError(_l("Select how the answers were given"))


def key_in_form(definition: SurveyDefinition) -> KeyInForm:
    class Form(KeyInForm):
        pass

    for question in definition.questions:
        setattr(Form, f"q_{question.id}", answer_field(question))
    return Form()


def key_in_answers(definition: SurveyDefinition, form: KeyInForm) -> dict[str, str | None]:
    return {question.id: form[f"q_{question.id}"].data for question in definition.questions}
