"""Directory pages: search and a service's own page. Thin: rules live in search/ and repository."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from directory import forms, repository, unmet_need
from directory.forms import SearchForm, page_number
from directory.listing_facts import is_not_checked
from directory.my_list import saved_ids
from directory.oruk.schedule_words import schedule_in_words
from directory.postcodes import covers
from directory.search.engine import SearchRequest, SearchResults
from directory.search.engine import search as run_search
from directory.search.query import guide_topics
from signpost.platform import guide_index
from signpost.platform.extensions import limiter

bp = Blueprint("directory", __name__, url_prefix="/directory")

SEARCH_KEYS = ("q", "postcode", "category", "district", "distance", "age", "day", "delivery", "free", "page")
MAX_ARG_LENGTH = 200


def carried_search(args) -> dict[str, str]:
    """The search a person came from, carried on a service's link so its back link can return to it."""
    return {k: v for k in SEARCH_KEYS if (v := args.get(k)) and isinstance(v, str) and len(v) <= MAX_ARG_LENGTH}


NEEDS_FOR_SEARCH = "signpost.needs_for_search"
"""app.extensions key: the `engine.NeedsReader` the engine consults for a search on a page in another language
(the application sets "Ask us"'s needs understanding, signpost.ask.search_needs)."""


def search_in_language(asked: SearchRequest, lang: str) -> tuple[SearchResults, str | None]:
    """The search a page in `lang` (or the API asked for in it) shows, and the category a search in another
    language was understood as. Listings are in English, so the engine searches for the English needs the
    words name and ranks as for any search: one translation (`engine.understand`), which the search page and
    GET /api/v1/search both answer through."""
    results = run_search(replace(asked, lang=lang), current_app.extensions.get(NEEDS_FOR_SEARCH))
    translated = results.query is not None and results.query.translated
    return results, results.category if translated and not asked.filters.category else None


def _guides(text: str) -> list:
    return guide_index.by_ids(guide_topics(text))


@bp.get("/search")
@limiter.limit(lambda: current_app.config["SEARCH_RATE_LIMIT"])
def search():
    categories = [(t.code, _(t.name)) for t in repository.categories()]
    formdata = MultiDict(request.args)
    form = SearchForm(formdata, categories)
    searched = forms.searched(request.args)
    results = None
    understood_category = None
    services = []
    if searched and form.validate():
        asked = form.search_request(page_number(request.args.get("page")), request.args.get("exact") == "1")
        locale = get_locale()
        results, understood_category = search_in_language(asked, locale.language if locale else "en")
        by_id = {s.id: s for s in repository.listings_shown([hit.service_id for hit in results.hits])}
        services = [(by_id[hit.service_id], hit.miles) for hit in results.hits if hit.service_id in by_id]
        unmet_need.record_search(
            form.category.data,
            form.district.data,
            form.postcode.data,
            results.total,
            results.request.page,
            codes={code for code, _name in categories},
        )
    place = form.place
    here = place.district if place is not None and place.in_hertfordshire else None
    saved = saved_ids()
    return render_template(
        "directory/search.html",
        form=form,
        results=results,
        services=services,
        searched=searched,
        search_url=lambda **changes: url_for("directory.search", **form.link_args(**changes)),
        saved_count=len(saved),
        saved_services=saved,
        guides=_guides(form.q.data or "") if searched and not form.errors else [],
        district=here,
        outside_county=place is not None and not place.in_hertfordshire,
        not_covered=lambda service: (
            here is not None and not covers(service.countywide, [a.name for a in service.service_areas], here)
        ),
        carried=carried_search(request.args),
        category_names=dict(categories),
        understood_category=understood_category,
    )


@bp.get("/services/<uuid:service_id>")
def service(service_id: UUID):
    found = repository.get_service(str(service_id))
    if found is None:
        abort(404)
    carried = carried_search(request.args)
    return render_template(
        "directory/service.html",
        service=found,
        stale=is_not_checked(found.assured_date),
        schedule_in_words=schedule_in_words,
        saved_services=saved_ids(),
        carried=carried,
        back_to_search=url_for("directory.search", **carried),
    )
