"""The pages people wait for read the database a small, fixed number of times: never once per listing shown."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from directory.models import Contact, Phone, Schedule, Service, ServiceArea, ServiceAtLocation
from signpost.platform.extensions import db
from tests.support.queries import statements

# What each page may run (the search statement and its count, the categories for the filter, the listings and
# their collections; a service's page its collections; the home page the categories and their counts), with
# a little room; the point is that it does not grow with what is shown. The home page's counts are kept
# per index version, so it reads the version (in tests on every request) rather than counting.
# The search page's first page also counts one unmet-need row (one INSERT, after the response, in its own transaction).
MOST = {"search": 8, "service": 9, "home": 3}


def fetched(client, url: str) -> tuple[int, BeautifulSoup]:
    """How many statements a page ran (each different: a lazy load per row would repeat one) and the page."""
    client.get(url)  # warm the search's vocabulary and the statement caches
    with statements() as seen:
        response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert len(set(seen)) == len(seen), [s for s in seen if seen.count(s) > 1][:1]
    return len(seen), BeautifulSoup(response.get_data(as_text=True), "html.parser")


def results_on(soup: BeautifulSoup) -> int:
    return len(soup.select("#results li.signpost-result"))


def test_a_search_page_reads_the_same_few_times_for_5_results_as_for_20(client):
    many, twenty = fetched(client, "/directory/search?postcode=SG1+1AA")
    assert results_on(twenty) == 20
    total = int(twenty.select_one("#results-summary").get_text().split()[0])
    last_page = (total + 19) // 20
    few, last = fetched(client, f"/directory/search?postcode=SG1+1AA&page={last_page}")
    assert 0 < results_on(last) < 20
    assert few <= many <= MOST["search"], (many, few)


def _richest_and_plainest() -> tuple[str, str]:
    children = (Phone, Contact, Schedule, ServiceArea, ServiceAtLocation)
    counts = {
        service_id: sum(
            db.session.scalar(select(func.count()).select_from(model).where(model.service_id == service_id)) or 0
            for model in children
        )
        for service_id in db.session.scalars(select(Service.id).where(Service.status == "active").limit(60))
    }
    ordered = sorted(counts, key=counts.get)
    assert counts[ordered[-1]] > counts[ordered[0]]
    return ordered[-1], ordered[0]


def test_a_service_page_reads_the_same_few_times_however_much_the_listing_holds(client):
    richest, plainest = _richest_and_plainest()
    rich, _ = fetched(client, f"/directory/services/{richest}")
    plain, _ = fetched(client, f"/directory/services/{plainest}")
    assert plain <= rich <= MOST["service"], (rich, plain)


def test_the_home_page_reads_the_categories_and_their_counts(client):
    count, _ = fetched(client, "/")
    assert count <= MOST["home"]


def test_the_home_page_counts_the_services_per_category_only_when_listings_change(client, monkeypatch):
    from directory.repository.index_state import ByIndexVersion

    client.get("/")
    monkeypatch.setattr(ByIndexVersion, "CHECK_SECONDS", 3600.0)
    with statements() as seen:
        assert client.get("/").status_code == 200
    assert not [statement for statement in seen if "count(" in statement.lower()], seen


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_a_remembered_field_is_the_field_rendered_again(app, lang):
    """The GOV.UK widgets remember what they rendered per language and params (signpost.platform.widgets)."""
    from directory.forms import SearchForm
    from signpost.platform import widgets

    with app.test_request_context(f"/directory/search?lang={lang}&category=meals&age=abc"):
        from werkzeug.datastructures import MultiDict

        form = SearchForm(MultiDict({"category": "meals", "age": "abc"}), [("meals", "Meals")])
        form.validate()
        widgets.rendered.clear()
        first = [str(field()) for field in (form.category, form.day, form.age, form.free, form.submit)]
        assert len(widgets.rendered._entries) == 5
        again = [str(field()) for field in (form.category, form.day, form.age, form.free, form.submit)]
        assert again == first
        assert 'value="meals" selected' in first[0] and "govuk-error-message" in first[2]


def test_templates_translate_in_the_language_of_the_moment(app):
    """Templates find the catalog once per language (signpost.platform.i18n.current_translations), and a
    changed language, such as force_locale for an email, is noticed at once."""
    from flask_babel import force_locale, gettext, refresh

    template = app.jinja_env.from_string(
        "{{ _('Free') }}|{{ ngettext('%(num)d service found', '%(num)d services found', 2) }}"
    )
    with app.test_request_context("/?lang=ur"):
        urdu = template.render()
        assert urdu.split("|")[0] == gettext("Free") != "Free"
        with force_locale("pl"):
            assert template.render().split("|")[0] == gettext("Free") not in (urdu.split("|")[0], "Free")
        assert template.render() == urdu
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context (and so Flask-Babel's remembered language) outlives one request
        assert template.render() == "Free|2 services found"
