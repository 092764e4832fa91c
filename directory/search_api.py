"""GET /api/v1/search: the directory's search for other tools, each result with why it was found and ranked.

The parameters are the search page's (``q``, ``postcode``, ``category``, ``district``, ``distance``, ``age``,
``day``, ``delivery``, ``free``, ``page``), read by the same form and run the same way
(`directory.views.search_in_language`, over `directory.search.engine.search`), plus ``per_page`` (1 to 100),
``exact=1`` (no typo correction) and ``lang`` (the language the words are in, as the page's). Bad
input gets a 400 with one message per field. Each result carries its ``reasons``: the search's concepts its
listing matched, the typo correction, the inferred category, the full-text and ranking scores, the distance
and whether it covers the person's district.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from directory import repository
from directory.forms import SearchForm, searched
from directory.search.engine import MAX_PER_PAGE, Hit, SearchResults
from directory.views import search_in_language
from signpost.platform.extensions import limiter
from signpost.platform.i18n import available_languages

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
MAX_PAGE = 10_000


def _whole(raw: str | None, low: int, high: int, default: int) -> int | None:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        return None
    return int(raw)


def _result(hit: Hit, service, matched: tuple[str, ...]) -> dict:
    reasons = hit.reasons
    return {
        "id": hit.service_id,
        "name": service.name,
        "organisation": service.organization.name if service.organization else None,
        "url": url_for("directory.service", service_id=hit.service_id, _external=True),
        "miles": None if hit.miles is None else round(hit.miles, 1),
        "reasons": {
            "matched_concepts": list(matched),
            "corrected_text": reasons.corrected_text,
            "category": reasons.category,
            "in_category": reasons.in_category,
            "offers_language": reasons.offers_language,
            "keyword_score": round(reasons.keyword_score, 4),
            "score": round(reasons.score, 4),
            "miles": None if reasons.miles is None else round(reasons.miles, 2),
            "not_covered": reasons.not_covered,
        },
    }


def _body(results: SearchResults, understood_category: str | None) -> dict:
    query = results.query
    by_id = {s.id: s for s in repository.listings_shown([hit.service_id for hit in results.hits])}
    matched = results.matched_concepts
    return {
        "query": {
            "text": results.request.text,
            "corrected_text": query.corrected_text if query is not None and query.was_corrected else None,
            "translated": bool(query is not None and query.translated),
            "concepts": [] if query is None else [concept.label for concept in query.concepts],
            "semantic_concepts": []
            if query is None
            else [{"label": c.label, "similarity": c.semantic} for c in query.concepts if c.semantic is not None],
            "category": results.category,
            "category_because": results.category_because,
            "understood_category": understood_category,
        },
        "total": results.total,
        "page": results.page,
        "per_page": results.request.per_page,
        "total_pages": results.total_pages,
        "relaxed": results.relaxed,
        "low_confidence": results.low_confidence,
        "results": [
            _result(hit, by_id[hit.service_id], matched.get(hit.service_id, ()))
            for hit in results.hits
            if hit.service_id in by_id
        ],
    }


@bp.get("/search")
@limiter.limit(lambda: current_app.config["SEARCH_RATE_LIMIT"])
def search():
    categories = [(t.code, t.name) for t in repository.categories()]
    form = SearchForm(MultiDict(request.args), categories)
    errors: dict[str, str] = {}
    if not form.validate():
        errors.update({name: str(messages[0]) for name, messages in form.errors.items() if messages})
    page = _whole(request.args.get("page"), 1, MAX_PAGE, 1)
    if page is None:
        errors["page"] = f"Must be a whole number from 1 to {MAX_PAGE}"
    per_page = _whole(request.args.get("per_page"), 1, MAX_PER_PAGE, 20)
    if per_page is None:
        errors["per_page"] = f"Must be a whole number from 1 to {MAX_PER_PAGE}"
    lang = request.args.get("lang") or "en"
    if lang not in available_languages():
        errors["lang"] = "Must be one of: " + ", ".join(available_languages())
    if request.args.get("exact") not in (None, "", "0", "1"):
        errors["exact"] = "Must be 0 or 1"
    if not searched(request.args):
        errors.setdefault("q", "Give the words to search for, a postcode or a filter")
    if errors:
        return jsonify({"errors": errors}), 400
    wanted = form.search_request(page or 1, request.args.get("exact") == "1")
    results, understood_category = search_in_language(replace(wanted, per_page=per_page or 20), lang)
    return jsonify(_body(results, understood_category))
