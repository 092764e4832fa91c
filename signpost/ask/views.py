""" "Ask us": a conversation rendered on the server, each turn a small form; script only enhances.

The session keeps only what the next turn needs (``conversation.State``: postcode, a disclosed risk, the
last need and message) and the newest turns of the transcript that fit in ``COOKIE_BUDGET`` bytes
of cookie (measured with the app's own session serializer), so the cookie stays under 4 KB however long the
conversation and whatever the script.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from directory import repository, unmet_need
from directory.postcodes import PostcodeError, locate
from directory.repository import Filters
from directory.search.engine import SearchRequest, search
from signpost.ask import conversation
from signpost.ask.conversation import Reply, State
from signpost.ask.matching import load_intents
from signpost.ask.understanding import contacts_for
from signpost.guides.registry import FLOWS
from signpost.platform.extensions import limiter
from signpost.platform.forms import clean_text
from signpost.platform.widgets import GovSubmitInput, GovTextArea, GovTextInput

bp = Blueprint("ask", __name__, url_prefix="/ask")
SESSION_KEY = "ask"
MAX_TURNS = 12
COOKIE_BUDGET = 3600
"""Bytes of session cookie value allowed; older turns are dropped first (browsers refuse cookies over 4 KB)."""
NEARBY = 3

CONTACT_NAMES = {
    "999": _l("Emergency services"),
    "nhs111": _l("NHS 111"),
    "nhs111_mental_health": _l("NHS 111, option 2 (mental health)"),
    "samaritans": _l("Samaritans, free, day or night"),
    "domestic_abuse_helpline": _l("National Domestic Abuse Helpline, free, day or night"),
    "herts_safeguarding": _l("Hertfordshire adult safeguarding (to report abuse or neglect of an adult)"),
}
URGENT_LEADS = {
    "emergency": _l("If someone is in danger or seriously ill now, call 999."),
    "suicide": _l(
        "You do not have to face this alone. If you might act on thoughts of ending your life, call 999 now."
    ),
    "harm": _l("If you or someone else is badly hurt or in danger now, call 999. You can talk to someone now:"),
    "abuse": _l("If you or someone else is in danger now, call 999. You can get help and report abuse:"),
}


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


def nearby_services(categories: tuple[str, ...], postcode: str | None, limit: int = NEARBY) -> list[str]:
    """Ids of the services in the need's first category nearest the postcode that cover it (search's order)."""
    if not categories:
        return []
    try:
        place = locate(postcode) if postcode else None
    except PostcodeError:
        place = None
    results = search(SearchRequest(place=place, filters=Filters(category=categories[0]), per_page=limit))
    return [hit.service_id for hit in results.hits]


def stored_turn(reply: Reply) -> dict:
    """A reply as kept in the transcript: ids only; services looked up now so the page can show them."""
    turn = {"who": "signpost", "kind": reply.kind}
    for key in ("urgent", "intent", "postcode"):
        if getattr(reply, key):
            turn[key] = getattr(reply, key)
    if reply.options:
        turn["options"] = list(reply.options)
    if reply.disclosed_earlier:
        turn["earlier"] = True
    services = nearby_services(reply.categories, reply.postcode)
    unmet_need.record_ask(reply.categories, reply.postcode, found=bool(services))
    if services:
        turn["services"] = services
    return turn


def cookie_size(value: dict) -> int:
    """Bytes of the signed session cookie value holding ``value`` (as Flask would write it)."""
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    return len(serializer.dumps(value)) if serializer else 0


def fit(state: State, turns: list[dict]) -> dict:
    """The state and the newest turns that keep the cookie within ``COOKIE_BUDGET`` (the newest exchange always)."""
    kept = turns[-MAX_TURNS:]
    stored = {"state": state.as_dict(), "turns": kept}
    while len(kept) > 2 and cookie_size({**session, SESSION_KEY: stored}) > COOKIE_BUDGET:
        kept = kept[1:]
        stored = {"state": state.as_dict(), "turns": kept}
    return stored


def _load() -> tuple[State, list[dict]]:
    stored = session.get(SESSION_KEY)
    stored = stored if isinstance(stored, dict) else {}
    turns = stored.get("turns") if isinstance(stored.get("turns"), list) else []
    return State.from_dict(stored.get("state")), [t for t in turns if isinstance(t, dict)]


def _save(state: State, turns: list[dict]) -> None:
    session[SESSION_KEY] = fit(state, turns)


@bp.route("", methods=["GET", "POST"], endpoint="conversation")
@limiter.limit(lambda: current_app.config["ASK_RATE_LIMIT"], methods=["POST"])
def conversation_page():
    state, turns = _load()
    form = MessageForm()
    if form.validate_on_submit():
        reply, state = conversation.step(
            state, form.message.data, lang=str(get_locale()), postcode=form.postcode.data or None
        )
        turns += [{"who": "you", "text": form.message.data}, stored_turn(reply)]
        _save(state, turns)
        return redirect(url_for("ask.conversation", _anchor="latest"))
    if not form.postcode.data and state.postcode and request.method == "GET":
        form.postcode.data = state.postcode
    return render_template("ask/conversation.html", form=form, transcript=turns, state=state, **reply_context())


@bp.post("/choose")
def choose():
    """The person picked one of the topics offered when their message was unclear."""
    state, turns = _load()
    chosen = request.form.get("intent", "")
    if FlaskForm().validate_on_submit() and chosen in load_intents().ids and turns:
        reply, state = conversation.chose(state, chosen)
        turns.append(stored_turn(reply))
        _save(state, turns)
    return redirect(url_for("ask.conversation", _anchor="latest"))


@bp.post("/start-again")
def start_again():
    if FlaskForm().validate_on_submit():
        session.pop(SESSION_KEY, None)
    return redirect(url_for("ask.conversation"))


def reply_context() -> dict:
    terms = {t.code: t for t in repository.categories()}
    return {
        "intents": load_intents(),
        "terms": terms,
        "flows": FLOWS,
        "services_by_id": repository.services_by_ids,
        "contacts_for": contacts_for,
        "contact_names": CONTACT_NAMES,
        "urgent_leads": URGENT_LEADS,
    }
