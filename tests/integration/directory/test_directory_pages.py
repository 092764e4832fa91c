"""The directory as residents and call handlers see it, on SQLite and on PostgreSQL."""

import json
import re
from urllib.parse import urlencode

import pytest

from directory import repository
from directory.loading import DEMO_FILE
from directory.postcodes import locate
from directory.search.engine import SearchRequest, lexicons
from directory.search.engine import search as run_search
from tests.support.paths import ROOT


def search(fetch, status=200, **params):
    return fetch("/directory/search?" + urlencode(params), status)


def search_page(fetch, number, **params):
    return search(fetch, **params, page=number)


def result_names(soup):
    return [a.get_text(strip=True) for a in soup.select("#results li h3 a")]


def result_ids(soup):
    return [a["href"].split("?")[0].rsplit("/", 1)[1] for a in soup.select("#results li h3 a")]


def result_distances(soup):
    distances = []
    for meta in soup.select("#results .signpost-result__meta"):
        text = meta.get_text(" ", strip=True)
        if "less than 1 mile away" in text:
            distances.append(0.0)
        elif "away" in text:
            distances.append(float(text.split("about ")[1].split(" mile")[0].replace(",", "")))
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
    ids = result_ids(soup)
    assert ids
    assert all(s.is_free for s in repository.services_by_ids(ids))


def test_category_and_district_filters_narrow_results(page, app):
    from directory import repository

    soup = search(page, category="dementia", district="Watford")
    ids = result_ids(soup)
    assert ids
    for service in repository.services_by_ids(ids):
        assert "dementia" in {t.code for t in service.taxonomy_terms}
        areas = {a.name for a in repository.get_service(service.id).service_areas}
        assert service.countywide or "Watford" in areas


def test_delivery_and_day_filters(page, app):
    from directory import repository

    ids = result_ids(search(page, delivery="online"))
    assert ids and all(s.online for s in repository.services_by_ids(ids))
    ids = result_ids(search(page, day="SA"))
    assert ids
    for service_id in ids:
        assert any("SA" in s.byday for s in repository.get_service(service_id).schedules)


def test_age_filter_respects_each_services_age_range(page, app):
    from directory import repository

    ids = result_ids(search(page, q="carers", age="12"))
    for service in repository.services_by_ids(ids):
        assert service.minimum_age is None or service.minimum_age <= 12
        assert service.maximum_age is None or service.maximum_age >= 12


def test_within_a_distance_drops_far_away_local_services(page):
    soup = search(page, q="lunch club", postcode="SG1 1AA", distance="3")
    assert all(d <= 3.0 + 0.05 for d in result_distances(soup) if d is not None)


def test_when_no_service_matches_every_word_some_matches_are_offered_and_explained(page):
    soup = search(page, q="xylophone lunch club")
    assert result_names(soup)
    assert "No service matched all your words" in soup.get_text()


def test_words_that_share_only_an_incidental_word_with_the_directory_find_nothing(page):
    """Concepts are OR-ed, but one word in common is not an answer: "car" alone is no car insurance."""
    soup = search(page, q="car insurance quote")
    assert not result_names(soup)


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
    from signpost.platform.extensions import db

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
    from directory.repository import index_state

    read_version = index_state.index_version
    monkeypatch.setattr(index_state, "index_version", lambda: reads.append(1) or read_version())
    monkeypatch.setattr(lexicons, "CHECK_SECONDS", 3600.0)
    lexicons.get()
    first = len(reads)
    lexicons.get()
    assert len(reads) == first, "within the interval, no round trip for the version"
    repository.bump_index_version()
    lexicons.get()
    assert len(reads) == first + 1, "a change made by this process is noticed at once"


# --- A resident on a phone, in their own language (issue 17) -------------------------------------------


def test_falling_does_not_find_dial_a_ride_trips_or_a_balanced_food_parcel(page):
    names = result_names(search(page, q="falling"))
    assert names, "falls services are still found"
    assert not [n for n in names if "dial-a-ride" in n.lower() or "foodbank" in n.lower()], names


def test_meals_on_wheels_does_not_find_clubs_that_do_cooking(page):
    names = result_names(search(page, q="meals on wheels"))
    assert "Verulam Thursday club" not in names and "Borehamwood Friday Friends" not in names, names


def test_a_postcode_typed_without_a_space_is_shown_tidied(page):
    text = search(page, q="lunch club", postcode="sg12ab").get_text(" ", strip=True)
    assert "near SG1 2AB, nearest first" in text


@pytest.mark.parametrize(("postcode", "place"), [("N1 9GU", "London"), ("LU1 1AA", "Luton")])
def test_a_postcode_outside_hertfordshire_is_accepted_and_the_page_says_so(page, postcode, place):
    soup = search(page, q="lunch club", postcode=postcode)
    assert soup.find(class_="govuk-error-summary") is None
    assert result_names(soup)
    assert f"{postcode} is outside Hertfordshire" in soup.find(id="outside-county").get_text()


def test_a_hertfordshire_postcode_has_no_outside_warning(page):
    assert search(page, q="lunch club", postcode="SG1 1AA").find(id="outside-county") is None


def test_result_cards_say_where_a_service_is_or_what_area_it_covers(page):
    soup = search(page, q="carers")
    cards = soup.select("#results li.signpost-result")
    assert cards
    for card in cards:
        where = card.find(class_="signpost-result__where").get_text(" ", strip=True)
        assert where.startswith(("Where:", "At ", "Covers")), where


def test_a_listing_that_does_not_cover_the_persons_district_says_so(page, app):
    soup = search(page, q="lunch club", postcode="SG1 1AA")
    by_id = {s.id: s for s in repository.services_by_ids(result_ids(soup))}
    warned = 0
    for card in soup.select("#results li.signpost-result"):
        service = by_id[card.h3.a["href"].split("?")[0].rsplit("/", 1)[1]]
        covers = service.countywide or "Stevenage" in {a.name for a in service.service_areas}
        note = card.find(class_="signpost-result__not-covered")
        assert (note is None) == covers, service.name
        if note is not None:
            assert note.get_text(strip=True) == "Does not cover Stevenage"
            warned += 1
    assert warned, "a lunch club elsewhere in the county is among the results, labelled"


def test_distances_read_naturally_with_no_zero_miles(page):
    texts = [m.get_text(" ", strip=True) for m in search(page, postcode="SG1 1AA").select(".signpost-result__meta")]
    assert any("less than 1 mile away" in t for t in texts)
    assert not [t for t in texts if "0 miles" in t or "1 miles" in t or "about 0" in t]


def test_the_service_page_back_link_returns_to_the_search(page):
    soup = search(page, q="lunch club", postcode="SG1 1AA", free="y")
    link = soup.select_one("#results li h3 a")["href"]
    back = page(link).find(class_="govuk-back-link")
    assert back.get_text(strip=True) == "Back to search results"
    assert back["href"].startswith("/directory/search?")
    for part in ("q=lunch+club", "postcode=SG1+1AA", "free=y"):
        assert part in back["href"], back["href"]
    again = page(back["href"])
    assert result_names(again) == result_names(soup)


def test_a_service_page_reached_directly_links_to_search(page, app):
    service_id = run_search(SearchRequest(text="carers")).hits[0].service_id
    back = page(f"/directory/services/{service_id}").find(class_="govuk-back-link")
    assert back["href"] == "/directory/search" and back.get_text(strip=True) == "Search for services"


def test_the_results_page_has_a_skip_link_and_filters_behind_a_filter_control(page):
    soup = search(page, q="carers")
    skip = soup.find("a", string="Skip to results")
    assert skip is not None and soup.find(id=skip["href"][1:]) is not None
    filters = soup.find("details", id="filters")
    assert filters is not None and not filters.has_attr("open"), "closed until opened (or widened, with JS)"
    assert filters.summary.get_text(strip=True) == "Filter"
    assert filters.find("select", id="category")


def test_the_filter_control_counts_filters_in_use_and_opens_on_a_filter_error(page):
    assert (
        search(page, q="carers", free="y", day="MO").find("details", id="filters").summary.get_text(strip=True)
        == "Filter (2 applied)"
    )
    assert search(page, q="carers", age="seventy").find("details", id="filters").has_attr("open")


@pytest.mark.parametrize(
    ("query", "guide"),
    [("paying for care", "paying-for-care"), ("care home cost", "paying-for-care"), ("carers allowance", "carers")],
)
def test_a_search_about_a_guides_topic_links_to_the_guide_first(page, query, guide):
    soup = search(page, q=query)
    suggestion = soup.find(class_="signpost-guide-suggestion")
    assert suggestion is not None and suggestion.a["href"] == f"/guides/{guide}"
    column = suggestion.parent
    assert column.find(class_="signpost-guide-suggestion") is next(iter(column.find_all(recursive=False)))


def test_an_unrelated_search_shows_no_guide(page):
    assert search(page, q="lunch club").find(class_="signpost-guide-suggestion") is None


def in_language(page, url, lang):
    """A page in one language (the test's app context would otherwise keep the first request's locale)."""
    from flask_babel import refresh

    refresh()
    return page(f"{url}{'&' if '?' in url else '?'}lang={lang}")


# The two searches each home page suggests, in its own quotation marks: ‘my mum keeps falling’ or ‘lunch club’.
SUGGESTED = re.compile(r"[‘“„]([^’”]+)[’”]")


@pytest.mark.parametrize("lang", ["pl", "ro", "ur", "pa", "pt", "ar"])
def test_each_search_a_translated_home_page_suggests_finds_services(page, lang):
    """Listings are in English; a search in the page's language is understood as the need it names."""
    examples = SUGGESTED.findall(in_language(page, "/", lang).find(id="q-hint").get_text())
    assert len(examples) == 2, f"the {lang} home page's hint has two quoted examples"
    found = {example: in_language(page, "/directory/search?" + urlencode({"q": example}), lang) for example in examples}
    for example, soup in found.items():
        assert result_ids(soup), f"the {lang} home page suggests ‘{example}’, which finds nothing"
    english = in_language(page, "/directory/search?q=my+mum+keeps+falling", "en")
    assert english.find(id="understood") is None, "an English search is searched as typed"
    falls = found[examples[0]]
    assert set(result_ids(falls)) == set(result_ids(english)), f"‘{examples[0]}’ finds what ‘my mum keeps falling’ does"


def test_a_search_in_another_language_says_what_it_was_searched_as_and_offers_the_words_as_typed(page):
    soup = in_language(page, "/directory/search?" + urlencode({"q": "moja mama często się przewraca"}), "pl")
    understood = soup.find(id="understood")
    assert understood is not None and understood.strong.get_text(strip=True) == "Upadki i utrzymanie równowagi"
    assert "exact=1" in understood.a["href"]


@pytest.mark.parametrize("typed", ["zzzz qqqq", "xylophone lessons"])
def test_gibberish_or_english_the_directory_lacks_is_not_passed_off_as_a_need_on_a_translated_page(page, typed):
    soup = in_language(page, "/directory/search?" + urlencode({"q": typed}), "pl")
    assert soup.find(id="understood") is None and not result_ids(soup)


def test_only_helplines_own_listings_give_its_number_as_their_phone(page, app):
    """A listing that gives the helpline's number sends people back where they started: only its own do."""
    helpline = app.config["HELPLINE_PHONE"].replace(" ", "")
    services = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["services"]
    giving_it = {
        s["name"]: s["organization"]
        for s in services
        if any(p["number"].replace(" ", "") == helpline for p in s["phones"])
    }
    assert giving_it and set(giving_it.values()) == {"hertshelp"}, giving_it
    found = search(page, q="lunch club", postcode="SG1 1AA")
    cards = [card for card in found.select("#results > li") if card.select_one(f"a[href='tel:{helpline}']")]
    assert {card.h3.get_text(strip=True) for card in cards} <= set(giving_it)


def test_the_type_of_help_list_is_translated(page):
    english, polish = (
        {o.get_text(strip=True) for o in in_language(page, "/directory/search?q=x", code).select("#category option")}
        for code in ("en", "pl")
    )
    assert "Dementia and memory" in english
    assert len(english & polish) <= 1, f"untranslated types of help in Polish: {english & polish}"


def test_the_hidden_error_prefix_is_translated(page):
    hidden = ".govuk-error-message .govuk-visually-hidden"
    polish = in_language(page, "/directory/search?q=carers&age=seventy", "pl")
    assert polish.select_one(hidden).get_text(strip=True) == "Błąd:"
    english = in_language(page, "/directory/search?q=carers&age=seventy", "en")
    assert english.select_one(hidden).get_text(strip=True) == "Error:"


def test_the_error_message_macro_differs_from_the_package_only_in_its_translated_prefix():
    from pathlib import Path

    import govuk_frontend_jinja

    package = Path(govuk_frontend_jinja.__file__).parent / "templates/components/error-message/macro.html"
    ours = ROOT / "signpost/platform/templates/govuk_frontend_jinja/components/error-message/macro.html"
    theirs, mine = package.read_text(), ours.read_text().split("#}\n", 1)[1]
    changed = {
        'default("Error")': 'default(_("Error:"))',
        "{{ visuallyHiddenText }}:</span>": (
            "{{ visuallyHiddenText }}{% if params.visuallyHiddenText %}:{% endif %}</span>"
        ),
    }
    for old, new in changed.items():
        theirs = theirs.replace(old, new)
    assert mine == theirs


def test_listing_text_is_marked_english_on_translated_pages(page, app):
    service = repository.get_service(run_search(SearchRequest(text="carers")).hits[0].service_id)
    urdu = in_language(page, f"/directory/services/{service.id}", "ur")
    heading = urdu.h1.find("span", lang="en")
    assert heading is not None and heading["dir"] == "ltr" and heading.get_text() == service.name
    assert urdu.find("span", lang="en", string=service.description)
    results = in_language(page, "/directory/search?q=carers", "ur")
    assert all(a.find("span", lang="en", dir="ltr") for a in results.select("#results li h3 a"))
    english = in_language(page, f"/directory/services/{service.id}", "en")
    assert english.h1.find("span") is None, "English pages need no marking"


def test_a_translated_service_page_never_mixes_the_listings_english_and_its_own_language_in_one_sentence(page):
    """Once one paragraph: "Just turn up, or phone to book a seat. Może Pan/Pani skontaktować się z nimi."."""
    service_ids = result_ids(search(page, q="lunch club", postcode="SG1 1AA"))[:5]
    for service_id in service_ids:
        polish = in_language(page, f"/directory/services/{service_id}", "pl")
        for paragraph in polish.select(".govuk-summary-list__value p"):
            marked = paragraph.find_all("span", lang="en")
            outside = "".join(t for t in paragraph.find_all(string=True) if not t.find_parent("span", lang="en"))
            assert not (marked and outside.strip(" .")), (
                f"mixed English and Polish: {paragraph.get_text(' ', strip=True)!r}"
            )
    how = polish.find("dt", string=lambda t: t and "Jak skorzysta" in t).find_next_sibling("dd")
    assert len(how.find_all("p")) == 2, "the listing's words, then ours"


def test_the_languages_a_service_offers_are_named_in_the_pages_language(page):
    service_id = result_ids(search(page, q="lunch club", postcode="SG1 1AA"))[0]
    languages = {
        code: in_language(page, f"/directory/services/{service_id}", code)
        .find("dt", string=lambda t: t and t.strip() in ("Languages", "Języki", "زبانیں"))
        .find_next_sibling("dd")
        .get_text(strip=True)
        for code in ("en", "pl", "ur")
    }
    assert languages == {"en": "English", "pl": "Angielski", "ur": "انگریزی"}


def test_english_pages_use_british_date_formats(page, app):
    from datetime import date

    from signpost.platform.extensions import db

    service = repository.get_service(run_search(SearchRequest(text="carers")).hits[0].service_id)
    service.assured_date = date(2026, 4, 29)
    db.session.flush()
    text = page(f"/directory/services/{service.id}").get_text(" ", strip=True)
    assert "29 April 2026" in text and "April 29, 2026" not in text


def test_the_home_page_shows_the_guides_and_ask_us(page):
    soup = page("/")
    entry = soup.find(id="other-ways")
    hrefs = [a["href"] for a in entry.find_all("a")]
    assert "/guides/paying-for-care" in hrefs and "/guides/carers" in hrefs and "/ask" in hrefs


@pytest.mark.parametrize("url", ["/", "/directory/search", "/privacy", "/cookies", "/directory/my-list"])
def test_every_footer_links_to_the_privacy_notice_and_cookies(page, url):
    footer = page(url).find("footer")
    hrefs = {a["href"] for a in footer.find_all("a")}
    assert {"/privacy", "/cookies"} <= hrefs


def test_the_privacy_notice_covers_what_why_basis_retention_rights_and_the_dpo(page, app):
    app.config.update(RETENTION_DAYS=200, DPO_EMAIL="dpo@council.example")
    soup = page("/privacy")
    text = soup.get_text(" ", strip=True)
    for section in ("what-we-collect", "lawful-basis", "retention", "rights", "contact-dpo"):
        assert soup.find(id=section), section
    assert "public task" in text and "200 days" in text and "email address" in text
    assert soup.find("a", href="mailto:dpo@council.example")


def test_without_a_dpo_configured_the_notice_says_how_to_reach_them(page, app):
    app.config.update(DPO_EMAIL="", DPO_ADDRESS="")
    assert "pass your request to the council's data protection officer" in page("/privacy").get_text()


def test_the_cookies_page_lists_each_cookie_we_set(page, app):
    text = page("/cookies").get_text(" ", strip=True)
    assert app.config["SESSION_COOKIE_NAME"] in text and "signpost_lang" in text


def test_printing_a_service_shows_the_date_and_address_and_the_website_once(page, app):
    service = next(
        s
        for s in repository.services_by_ids([h.service_id for h in run_search(SearchRequest(text="carers")).hits])
        if s.url
    )
    soup = page(f"/directory/services/{service.id}")
    printed = soup.select(".signpost-print-only")[-1].get_text(" ", strip=True)
    assert printed.startswith("Printed on ") and f"/directory/services/{service.id}" in printed
    assert soup.find("a", href=service.url)["class"] == ["govuk-link", "signpost-url"]


def test_the_category_inferred_from_the_words_is_shown_with_a_link_to_narrow_to_it(page):
    soup = search(page, q="lunch club")
    line = soup.find(id="inferred-category")
    assert line and "lunch club" in line.get_text()
    assert "category=meals" in line.find("a")["href"]
    assert not search(page, q="lunch club", category="meals").find(id="inferred-category")


def test_a_listing_with_every_concept_comes_before_ones_that_say_one_concept_many_ways(page):
    """Each concept scores once: "Hitchin" and "lunch club" together beat any number of ways of saying lunch club."""
    names = result_names(search(page, q="hitchin lunch club"))
    assert names[0] == "Hitchin Tuesday Lunch Club"


def test_a_misspelling_that_completes_a_phrase_is_corrected_to_it(page):
    soup = search(page, q="dail a ride")
    assert "dial a ride" in soup.find(id="correction").get_text()
    assert all("dial-a-ride" in name.lower() for name in result_names(soup)[:3])
