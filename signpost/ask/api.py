"""POST /api/v1/ask: "Ask us" for other tools (the contact centre's systems). Stateless, no CSRF token.

Body ``{"message": 1-500 characters, "postcode": optional, "lang": optional site language}``; answers the
same reply the page gives to a first message, as ids, with the urgent contacts. Bad input gets a 400 with
one message per field. Every reply carries ``helpline`` (name, phone as shown, ``tel`` to dial: a ``tel:``
URI), the service's own number for a person to talk to, and each urgent contact its ``tel`` too.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from directory.postcodes import PostcodeError, locate
from signpost.ask import conversation
from signpost.ask.views import nearby_services
from signpost.platform.extensions import csrf, limiter
from signpost.platform.i18n import available_languages

bp = Blueprint("ask_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
MAX_MESSAGE = 500


def read(body: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields of a request body, and one error message per bad field."""
    if not isinstance(body, dict):
        return {}, {"body": "Send a JSON object"}
    errors: dict[str, str] = {}
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        errors["message"] = "Write the message, 1 to 500 characters"
    elif len(message) > MAX_MESSAGE:
        errors["message"] = "Must be 500 characters or fewer"
    postcode = body.get("postcode")
    if postcode is not None:
        try:
            if not isinstance(postcode, str):
                raise PostcodeError("not text")
            locate(postcode)
        except PostcodeError:
            errors["postcode"] = "Must be a real UK postcode or outcode, like SG1 1AA"
    lang = body.get("lang")
    if lang is not None and lang not in available_languages():
        errors["lang"] = "Must be one of: " + ", ".join(available_languages())
    fields = {"message": message, "postcode": postcode or None, "lang": lang or "en"}
    return fields, errors


@bp.post("/ask")
@limiter.limit(lambda: current_app.config["ASK_RATE_LIMIT"])
def ask():
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
    fields, errors = read(body)
    if errors:
        return jsonify({"errors": errors}), 400
    reply, _ = conversation.step(conversation.State(), fields["message"], fields["lang"], fields["postcode"])
    phone = current_app.config["HELPLINE_PHONE"]
    helpline = {"name": current_app.config["HELPLINE_NAME"], "phone": phone, "tel": dialable(phone)}
    services = nearby_services(reply.categories, reply.postcode)
    return jsonify({**reply.as_api(), "services": services, "helpline": helpline})


def dialable(phone: str) -> str:
    """A ``tel:`` URI for a UK number as shown ("0300 123 4044" -> "tel:03001234044")."""
    return "tel:" + "".join(char for char in phone if char.isdigit() or char == "+")
