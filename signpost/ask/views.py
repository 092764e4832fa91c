""" "Ask us": a conversation rendered on the server, each turn a small form; script only enhances."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from directory import repository
from directory.forms import clean_text
from directory.postcodes import PostcodeError, locate
from directory.repository import Filters
from directory.search.engine import SearchRequest, search
from signpost.ask.matching import load_intents, match
from signpost.extensions import limiter
from signpost.guides.registry import FLOWS

bp = Blueprint("ask", __name__, url_prefix="/ask")
SESSION_KEY = "ask_transcript"
MAX_TURNS = 20
# The transcript lives in the signed session cookie, which browsers refuse beyond 4 KB: keep the newest
# entries that fit in this many bytes of JSON (the latest exchange always; what the next turn needs).
TRANSCRIPT_BYTES = 1800
NEARBY = 3


class MessageForm(FlaskForm):
    message = TextAreaField(
        _l("What do you need help with?"),
        filters=[clean_text],
        widget=GovTextArea(),
        validators=[
            InputRequired(_l("Write what you need help with")),
            Length(max=500, message=_l("Write 500 characters or fewer")),
        ],
        description=_l("For example: ‘my dad keeps falling and I am worried about him’"),
    )
    postcode = StringField(
        _l("Postcode (optional)"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional()],
        description=_l("To show services near you"),
    )
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())

    def validate_postcode(self, field) -> None:
        try:
            locate(field.data)
        except PostcodeError:
            raise ValidationError(_l("Enter a real postcode, like SG1 1AA, or leave it empty")) from None


def reply_for(intent_id: str | None, postcode: str | None) -> dict:
    """What Signpost says about one intent: a guide, categories and a few services, as ids."""
    if intent_id is None:
        return {"kind": "unsure"}
    intent = load_intents().get(intent_id)
    services: list[str] = []
    if intent.categories:
        place = locate(postcode) if postcode else None
        results = search(SearchRequest(place=place, filters=Filters(category=intent.categories[0]), per_page=NEARBY))
        services = [hit.service_id for hit in results.hits]
    return {"kind": "answer", "intent": intent_id, "services": services}


def respond(text: str, postcode: str | None) -> dict:
    found = match(text)
    if found.urgent:
        return {"kind": "urgent", "urgent": found.urgent, "also": list(found.alternatives)}
    if found.needs_clarifying and found.alternatives:
        return {"kind": "clarify", "options": list(found.alternatives)}
    return reply_for(found.intent if not found.needs_clarifying else None, postcode)


def kept(transcript: list[dict]) -> list[dict]:
    """The newest entries that fit the cookie's budget (at least the last two)."""
    entries = transcript[-MAX_TURNS:]
    while len(entries) > 2 and len(json.dumps(entries)) > TRANSCRIPT_BYTES:
        entries = entries[1:]
    return entries


@bp.route("", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["ASK_RATE_LIMIT"], methods=["POST"])
def conversation():
    transcript = list(session.get(SESSION_KEY, []))
    form = MessageForm()
    if form.validate_on_submit():
        postcode = form.postcode.data or None
        transcript.append({"who": "you", "text": form.message.data})
        transcript.append({"who": "signpost", "postcode": postcode, **respond(form.message.data, postcode)})
        session[SESSION_KEY] = kept(transcript)
        return redirect(url_for("ask.conversation", _anchor="latest"))
    return render_template("ask/conversation.html", form=form, transcript=transcript, **reply_context())


@bp.post("/choose")
def choose():
    """The person picked one of the topics offered when their message was unclear."""
    transcript = list(session.get(SESSION_KEY, []))
    chosen = request.form.get("intent", "")
    if FlaskForm().validate_on_submit() and chosen in load_intents().ids and transcript:
        postcode = transcript[-1].get("postcode")
        transcript.append({"who": "signpost", "postcode": postcode, **reply_for(chosen, postcode)})
        session[SESSION_KEY] = kept(transcript)
    return redirect(url_for("ask.conversation", _anchor="latest"))


@bp.post("/start-again")
def start_again():
    if FlaskForm().validate_on_submit():
        session.pop(SESSION_KEY, None)
    return redirect(url_for("ask.conversation"))


def reply_context() -> dict:
    terms = {t.code: t for t in repository.categories()}
    return {"intents": load_intents(), "terms": terms, "flows": FLOWS, "services_by_id": _services_by_id}


def _services_by_id(ids: list[str]) -> list:
    return repository.services_by_ids(ids)
