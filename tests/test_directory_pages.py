"""The directory as residents and call handlers see it, on SQLite and on PostgreSQL."""

from urllib.parse import urlencode

import pytest

from directory import repository
from directory.postcodes import locate
from directory.search.engine import SearchRequest, lexicons
from directory.search.engine import search as run_search


def search(fetch, status=200, **params):
    return fetch("/directory/search?" + urlencode(params), status)


def search_page(fetch, number, **params):
    return search(fetch, **params, page=number)


def result_names(soup):
    return [a.get_text(strip=True) for a in soup.select("#results li h3 a")]


def result_distances(soup):
    distances = []
    for meta in soup.select("#results .signpost-result__meta"):
        text = meta.get_text(" ", strip=True)
        if "miles away" in text:
            distances.append(float(text.split("about ")[1].split(" miles")[0].replace(",", "")))
    return distances


def test_home_page_offers_search_categories_and_a_phone_number(page):
    soup = page("/")
    assert soup.find("input", id="q")
    assert soup.find("input", id="postcode")
    assert "0300 123 4044" in soup.get_text()
    links = [a["href"] for a in soup.select("a[href*='category=']")]
    assert any("category=carers" in href for href in links)
    assert any("category=dementia" in href for href in links)


def test_searching_carers_near_stevenage_finds_carers_services(page):
    soup = search(page, q="carers", postcode="SG1 1AA")
    names = result_names(soup)
    assert names, "carers support must be found"
    assert any("carer" in name.lower() for name in names[:5])
    assert "near SG1 1AA, nearest first" in soup.get_text()


def test_a_misspelling_is_corrected_and_says_so(page):
    soup = search(page, q="demensia", postcode="SG1 1AA")
    correction = soup.find(id="correction")
    assert correction is not None
    assert "dementia" in correction.get_text()
    assert "exact=1" in correction.find("a")["href"]
    text = " ".join(result_names(soup)[:5]).lower()
    assert "dementia" in text or "memory" in text


def test_search_instead_for_the_exact_words_turns_correction_off(page):
    soup = search(page, q="demensia", exact="1")
    assert soup.find(id="correction") is None
    assert soup.find(id="no-results") is not None


def test_lunch_clubs_near_stevenage_come_nearest_first(page):
    soup = search(page, q="lunch club", postcode="SG1 1AA")
    names = result_names(soup)
    assert names and "lunch" in names[0].lower()
    distances = result_distances(soup)
    assert distances[0] <= 3, "the first lunch club is in or next to Stevenage"
    local = distances[:5]
    assert local == sorted(local)


def test_a_synonym_finds_services_described_in_other_words(page):
    respite = set(result_names(search(page, q="respite")))
    short_breaks = set(result_names(search(page, q="short breaks")))
    assert respite and respite == short_breaks


def test_plain_english_finds_falls_services(page):
    names = result_names(search(page, q="my mum keeps falling over"))
    assert names
    top = " ".join(names[:3]).lower()
    assert any(word in top for word in ("fall", "steady", "balance", "strength"))


def test_free_only_shows_only_free_services(page, app):
    from directory import repository

    soup = search(page, q="lunch club", free="y")
    ids = [a["href"].rsplit("/", 1)[1] for a in soup.select("#results li h3 a")]
    assert ids
    assert all(s.is_free for s in repository.services_by_ids(ids))


def test_category_and_district_filters_narrow_results(page, app):
    from directory import repository

    soup = search(page, category="dementia", district="Watford")
    ids = [a["href"].rsplit("/", 1)[1] for a in soup.select("#results li h3 a")]
    assert ids
    for service in repository.services_by_ids(ids):
        assert "dementia" in {t.code for t in service.taxonomy_terms}
        areas = {a.name for a in repository.get_service(service.id).service_areas}
        assert service.countywide or "Watford" in areas


def test_delivery_and_day_filters(page, app):
    from directory import repository

    ids = [a["href"].rsplit("/", 1)[1] for a in search(page, delivery="online").select("#results li h3 a")]
    assert ids and all(s.online for s in repository.services_by_ids(ids))
    ids = [a["href"].rsplit("/", 1)[1] for a in search(page, day="SA").select("#results li h3 a")]
    assert ids
    for service_id in ids:
        assert any("SA" in s.byday for s in repository.get_service(service_id).schedules)


def test_age_filter_respects_each_services_age_range(page, app):
    from directory import repository

    ids = [a["href"].rsplit("/", 1)[1] for a in search(page, q="carers", age="12").select("#results li h3 a")]
    for service in repository.services_by_ids(ids):
        assert service.minimum_age is None or service.minimum_age <= 12
        assert service.maximum_age is None or service.maximum_age >= 12


def test_within_a_distance_drops_far_away_local_services(page):
    soup = search(page, q="lunch club", postcode="SG1 1AA", distance="3")
    assert all(d <= 3.0 + 0.05 for d in result_distances(soup) if d is not None)


def test_when_no_service_matches_every_word_some_matches_are_offered_and_explained(page):
    soup = search(page, q="xylophone repairs")
    assert result_names(soup)
    assert "No service matched all your words" in soup.get_text()


def test_pages_of_results_do_not_overlap_and_add_up(page):
    first = search(page, postcode="SG1 1AA")
    second = search_page(page, 2, postcode="SG1 1AA")
    one, two = result_names(first), result_names(second)
    assert len(one) == 20 and two
    assert not set(one) & set(two)
    assert first.find("nav", class_="govuk-pagination")


def test_an_empty_result_offers_suggestions_and_the_helpline(page):
    soup = search(page, q="xylophone")
    empty = soup.find(id="no-results")
    assert empty is not None
    assert "0300 123 4044" in empty.get_text()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "carers", "postcode": "hello"}, "postcode", "Enter a real postcode, like SG1 1AA"),
        ({"q": "carers", "postcode": "ZZ99 9ZZ"}, "postcode", "We could not find that postcode"),
        ({"q": "carers", "age": "seventy"}, "age", "Age must be a whole number, like 70"),
        ({"q": "carers", "age": "500"}, "age", "Age must be 120 or less"),
        ({"q": "carers", "category": "nonsense"}, "category", "Select a type of help from the list"),
        ({"q": "carers", "distance": "5"}, "distance", "Enter a postcode to search by distance"),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_what_was_typed(page, params, field, message):
    soup = search(page, **params)
    summary = soup.find(class_="govuk-error-summary")
    assert summary is not None
    link = summary.find("a", href=f"#{field}")
    assert link is not None and message in link.get_text()
    assert soup.title.get_text().startswith("Error:")
    assert soup.find(id="q")["value"] == "carers"


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=" + "a" * 5000,
        "q=%22%27%29%28*",
        "q=NEAR(a+b)+AND+OR+NOT",
        "q=a%26b%7Cc%21d%3A*",
        "page=-1",
        "page=99999999999999999999",
        "page=2&q=carers&page=abc",
        "postcode=%ff%fe",
        "age=%F0%9F%98%80",
        "day=XX&delivery=teleport&free=maybe",
        "q=carers&q=dementia",
    ],
)
def test_no_query_string_causes_an_error_page(client, query):
    response = client.get("/directory/search?" + query)
    assert response.status_code == 200


def test_a_service_page_shows_how_to_get_help(page, app):
    from directory import repository

    hit = run_search(SearchRequest(text="carers", place=locate("SG1"))).hits[0]
    service = repository.get_service(hit.service_id)
    soup = page(f"/directory/services/{service.id}")
    text = soup.get_text(" ", strip=True)
    assert soup.h1.get_text(strip=True) == service.name
    assert service.phones[0].number in text
    assert "Last checked" in text
    assert soup.find("a", href=f"tel:{service.phones[0].number.replace(' ', '')}")


def test_a_listing_not_checked_for_a_year_warns_residents(page, app):
    from datetime import date, timedelta

    from directory import repository
    from signpost.extensions import db

    service = repository.get_service(run_search(SearchRequest(text="carers")).hits[0].service_id)
    service.assured_date = date.today() - timedelta(days=400)
    db.session.flush()
    text = page(f"/directory/services/{service.id}").get_text(" ", strip=True)
    assert "has not been checked for over a year" in text


@pytest.mark.parametrize("service_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00"])
def test_unknown_services_are_not_found(page, service_id):
    soup = page(f"/directory/services/{service_id}", status=404)
    assert "Page not found" in soup.h1.get_text()


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json.items() >= {"ready": True, "database": "ok"}.items()


def test_security_headers_forbid_inline_script_and_framing(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_the_search_vocabulary_is_checked_now_and_then_and_at_once_after_a_local_change(app, monkeypatch):
    reads = []
    read_version = repository.index_version
    monkeypatch.setattr(repository, "index_version", lambda: reads.append(1) or read_version())
    monkeypatch.setattr(lexicons, "CHECK_SECONDS", 3600.0)
    lexicons.get()
    first = len(reads)
    lexicons.get()
    assert len(reads) == first, "within the interval, no round trip for the version"
    repository.bump_index_version()
    lexicons.get()
    assert len(reads) == first + 1, "a change made by this process is noticed at once"
