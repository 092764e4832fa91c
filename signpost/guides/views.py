"""Guided help pages: any flow, one question per page, answers kept in the session only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from signpost.guides.facts import CannotEstimate, yearly
from signpost.guides.flow import Flow, Invalid, Kind, Outcome, Question, parse_answer, walk
from signpost.guides.flows import paying_for_care
from signpost.guides.forms import question_form
from signpost.guides.in_force import rates_in_force
from signpost.guides.registry import FLOWS
from signpost.platform import guide_index
from signpost.platform.guide_index import GuideLink
from signpost.platform.money import pounds

bp = Blueprint("guides", __name__, url_prefix="/guides")
bp.record_once(
    lambda state: guide_index.register(
        state.app, [GuideLink(flow.id, flow.title, flow.description) for flow in FLOWS.values()]
    )
)
SESSION_KEY = "guide_answers"


def get_flow(flow_id: str) -> Flow:
    flow = FLOWS.get(flow_id)
    if flow is None:
        abort(404)
    return flow


def raw_answers(flow: Flow) -> dict[str, Any]:
    stored = session.get(SESSION_KEY, {}).get(flow.id, {})
    return stored if isinstance(stored, dict) else {}


def save_raw_answers(flow: Flow, answers: dict[str, Any]) -> None:
    everything = dict(session.get(SESSION_KEY, {}))
    everything[flow.id] = answers
    session[SESSION_KEY] = everything


def typed_answers(flow: Flow) -> dict[str, Any]:
    """Answers as values (numbers, Decimals, lists), re-checked on every read; bad ones are dropped."""
    typed = {}
    for question_id, raw in raw_answers(flow).items():
        question = flow.question(question_id)
        if question is None:
            continue
        value = parse_answer(question, raw)
        if not isinstance(value, Invalid):
            typed[question_id] = value
    return typed


def display_answer(question: Question, value: Any) -> str:
    from flask_babel import format_decimal, gettext

    if question.kind is Kind.MONEY:
        return pounds(value)
    if question.kind is Kind.WHOLE_NUMBER:
        return format_decimal(value)
    if question.kind is Kind.YES_NO:
        return gettext("Yes") if value == "yes" else gettext("No")
    labels = {o.value: str(o.label) for o in question.options}
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    return labels.get(value, str(value))


@bp.get("/")
def index():
    return render_template("guides/index.html", flows=FLOWS.values())


@bp.get("/<flow_id>")
def start(flow_id: str):
    flow = get_flow(flow_id)
    return render_template("guides/start.html", flow=flow, in_progress=bool(raw_answers(flow)))


@bp.post("/<flow_id>/start-again")
def start_again(flow_id: str):
    flow = get_flow(flow_id)
    save_raw_answers(flow, {})
    return redirect(url_for("guides.ask", flow_id=flow.id, node_id=flow.start))


@bp.route("/<flow_id>/<node_id>", methods=["GET", "POST"])
def ask(flow_id: str, node_id: str):
    flow = get_flow(flow_id)
    question = flow.question(node_id)
    if question is None:
        abort(404)
    answers = typed_answers(flow)
    position = walk(flow, answers)
    if node_id not in position.path and node_id != position.next_id:
        return redirect(next_url(flow, position.next_id))
    raw = raw_answers(flow)
    if request.method == "POST":
        formdata = request.form
        form = question_form(question, formdata=formdata)
        if form.validate():
            raw = {
                **raw,
                question.id: request.form.getlist("answer")
                if question.kind is Kind.CHOICES
                else request.form.get("answer", ""),
            }
            save_raw_answers(flow, raw)
            answers = typed_answers(flow)
            position = walk(flow, answers)
            if request.args.get("change") and position.finished:
                return redirect(url_for("guides.check", flow_id=flow.id))
            return redirect(next_url(flow, position.next_id))
    else:
        form = question_form(question, data=raw.get(question.id))
    path = list(position.path)
    index = path.index(node_id) if node_id in path else len(path)
    back = (
        url_for("guides.ask", flow_id=flow.id, node_id=path[index - 1])
        if index > 0
        else url_for("guides.start", flow_id=flow.id)
    )
    return render_template("guides/question.html", flow=flow, question=question, form=form, back=back)


def next_url(flow: Flow, node_id: str) -> str:
    if flow.question(node_id) is not None:
        return url_for("guides.ask", flow_id=flow.id, node_id=node_id)
    return url_for("guides.check", flow_id=flow.id)


@bp.get("/<flow_id>/check-your-answers")
def check(flow_id: str):
    flow = get_flow(flow_id)
    answers = typed_answers(flow)
    position = walk(flow, answers)
    if not position.finished:
        return redirect(next_url(flow, position.next_id))
    rows = [(flow.question(q), display_answer(flow.question(q), answers[q])) for q in position.path]
    return render_template("guides/check.html", flow=flow, rows=rows)


class NotFinished(Exception):
    """The guide has questions left to answer; ``url`` is the next one."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def finished_result(flow: Flow) -> tuple[Outcome, dict[str, Any], Any]:
    """The outcome, the answers that led to it and its result, worked out from the session's answers: the
    one way the result page, "send my result" and anything else get a result.

    Raises ``NotFinished`` while questions are left, and ``CannotEstimate`` when no figure can stand in.
    """
    answers = typed_answers(flow)
    position = walk(flow, answers)
    if not position.finished:
        raise NotFinished(next_url(flow, position.next_id))
    outcome = flow.outcome(position.next_id)
    if outcome is None:
        abort(404)
    relevant = {q: answers[q] for q in position.path}
    return outcome, relevant, outcome.calculate(relevant, rates_in_force()) if outcome.calculate else None


@bp.get("/<flow_id>/result")
def result(flow_id: str):
    flow = get_flow(flow_id)
    try:
        outcome, relevant, calculated = finished_result(flow)
    except NotFinished as unfinished:
        return redirect(unfinished.url)
    except CannotEstimate as missing:
        outcome = flow.outcome(walk(flow, typed_answers(flow)).next_id)
        return render_template("guides/cannot_estimate.html", flow=flow, outcome=outcome, figure=missing.figure)
    return render_template(
        outcome.template,
        flow=flow,
        outcome=outcome,
        answers=relevant,
        result=calculated,
        explain=paying_for_care.explain,
        figure_name=paying_for_care.figure_name,
        figure_amount=paying_for_care.figure_amount,
        yearly=yearly,
    )
