"""Public survey pages: "Your Views" (one question per page, from a single-use link), "How we are doing",
and the indicators API."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for

from signpost.platform import outbox
from signpost.platform.extensions import limiter
from surveys import reporting
from surveys.forms import question_form
from surveys.signposting import TOKEN_PATTERN, Outcome, find_invitation, hash_token, invitation_outcome, submit_answers

bp = Blueprint("your_views", __name__, url_prefix="/your-views")
public = Blueprint("public_indicators", __name__)

PROGRESS = "your_views"
_TOKEN = re.compile(rf"^{TOKEN_PATTERN}$")
CLOSED_STATUS = {Outcome.UNKNOWN: 404, Outcome.USED: 410, Outcome.EXPIRED: 410}


def _open_invitation(token: str):
    """The invitation for an answerable token, or a "closed" page response."""
    invitation = find_invitation(token) if _TOKEN.match(token) else None
    outcome = invitation_outcome(invitation)
    if outcome is not None:
        return None, _closed(outcome)
    return invitation, None


def _closed(outcome: Outcome):
    return render_template("surveys/closed.html", outcome=outcome.value), CLOSED_STATUS[outcome]


def _answers(token: str) -> dict[str, str]:
    progress = session.get(PROGRESS)
    if isinstance(progress, dict) and progress.get("token") == hash_token(token)[:16]:
        answers = progress.get("answers")
        return dict(answers) if isinstance(answers, dict) else {}
    return {}


def _save_answers(token: str, answers: dict[str, str]) -> None:
    session[PROGRESS] = {"token": hash_token(token)[:16], "answers": answers}


@bp.get("/<token>")
def start(token: str):
    invitation, closed = _open_invitation(token)
    if closed:
        return closed
    definition = reporting.survey(invitation.survey_id)
    organisation = invitation.signposted_service.organisation_name if invitation.signposted_service else None
    first = url_for("your_views.question", token=token, question_id=definition.first_question.id)
    return render_template("surveys/start.html", definition=definition, organisation=organisation, first=first)


@bp.route("/<token>/<question_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SURVEY_RATE_LIMIT"], methods=["POST"])
def question(token: str, question_id: str):
    invitation, closed = _open_invitation(token)
    if closed:
        return closed
    definition = reporting.survey(invitation.survey_id)
    answers = _answers(token)
    path = definition.path(answers)
    if question_id not in path:
        if question_id not in {q.id for q in definition.questions}:
            abort(404)
        return redirect(url_for("your_views.question", token=token, question_id=path[-1]))
    current = definition.question(question_id)
    form = question_form(current, previous=answers.get(question_id))
    if form.validate_on_submit():
        value = form.answer.data
        answers = {qid: answers[qid] for qid in path[: path.index(question_id)] if qid in answers}
        answers[question_id] = value if value else ""
        following = definition.next_question_id(question_id, definition.routing_code(question_id, answers))
        if following is None:
            outcome = submit_answers(invitation.token_hash, answers, "online")
            session.pop(PROGRESS, None)
            if outcome is not Outcome.SAVED:
                return _closed(outcome)
            # The link has done its job: the outbox's copy of the message no longer needs to hold it.
            outbox.mask_token(token)
            return redirect(url_for("your_views.thank_you"))
        _save_answers(token, answers)
        return redirect(url_for("your_views.question", token=token, question_id=following))
    index = path.index(question_id)
    back = (
        url_for("your_views.question", token=token, question_id=path[index - 1])
        if index
        else url_for("your_views.start", token=token)
    )
    return render_template(
        "surveys/question.html",
        form=form,
        question=current,
        definition=definition,
        back=back,
        number=index + 1,
    )


@bp.get("/thank-you")
def thank_you():
    return render_template("surveys/thank_you.html")


# --- Public figures ------------------------------------------------------------------------------------


@public.get("/how-we-are-doing")
def how_we_are_doing():
    scope = reporting.default_scope()
    return render_template("surveys/how_we_are_doing.html", sections=reporting.sections(scope), scope=scope)


@public.get("/api/v1/indicators")
def api_indicators():
    try:
        scope = reporting.parse_scope(request.args)
    except reporting.ScopeError as error:
        return jsonify(error=str(error)), 400
    response = jsonify(reporting.api_payload(scope))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
