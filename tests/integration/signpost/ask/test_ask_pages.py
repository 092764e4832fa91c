"""The "Ask us" conversation as a resident sees it: plain replies, urgent help first, a person offered."""

import pytest


@pytest.fixture
def chat(client, app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield client
    app.config["WTF_CSRF_ENABLED"] = True


def say(chat, message, postcode=""):
    response = chat.post("/ask", data={"message": message, "postcode": postcode})
    assert response.status_code == 302
    return chat.get("/ask").get_data(as_text=True)


def test_the_helper_says_it_is_not_a_person_and_offers_phone_numbers(page):
    text = page("/ask").get_text(" ", strip=True)
    assert "not a person" in text
    assert "0300 123 4044" in text and "0300 123 4042" in text


def test_a_question_about_paying_for_care_offers_the_guide_and_services(chat):
    html = say(chat, "will I have to sell my house to pay for a care home", "SG1 1AA")
    assert "/guides/paying-for-care" in html
    assert "/directory/services/" in html


def test_a_carer_is_offered_the_carers_guide(chat):
    html = say(chat, "I look after my mum and I am exhausted")
    assert "/guides/carers" in html


def test_urgent_words_are_answered_first_with_emergency_routes(chat):
    html = say(chat, "I want to end my life")
    assert "116 123" in html and "999" in html
    assert "/guides/" not in html.split("You said:")[-1].split("Start again")[0].split("Signpost:")[-1]


def test_abuse_is_answered_with_safeguarding_routes(chat):
    html = say(chat, "my husband hits me and I need help with money")
    assert "0808 2000 247" in html and "tel:08082000247" in html
    assert "category=money" in html


def test_an_unclear_message_gets_a_clarifying_question_or_a_person(chat):
    html = say(chat, "hello")
    assert "not sure I understood" in html or "could not work out" in html


def test_choosing_a_topic_after_a_clarifying_question_answers_it(chat):
    say(chat, "hello")
    chat.post("/ask/choose", data={"intent": "carer"})
    assert "/guides/carers" in chat.get("/ask").get_data(as_text=True)


def test_an_empty_message_gets_a_clear_error(chat):
    response = chat.post("/ask", data={"message": "", "postcode": ""})
    assert response.status_code == 200
    assert "Write what you need help with" in response.get_data(as_text=True)


def test_a_bad_postcode_keeps_the_message_typed(chat):
    response = chat.post("/ask", data={"message": "lunch club please", "postcode": "nonsense"})
    html = response.get_data(as_text=True)
    assert "Enter a real postcode" in html and "lunch club please" in html


def test_the_conversation_refuses_posts_without_a_csrf_token(client):
    assert client.post("/ask", data={"message": "carers"}).status_code == 400


def test_every_urgent_number_is_a_link_to_call(chat):
    html = say(chat, "I want to end my life")
    assert 'href="tel:999"' in html and 'href="tel:116123"' in html and 'href="tel:111"' in html


@pytest.mark.parametrize("message", ["I want to end my life", "is there a lunch club", "help", "asdfgh"])
def test_the_hertshelp_number_is_a_link_to_call_in_every_reply(chat, message):
    html = say(chat, message)
    intro, latest = html.split('aria-label="Conversation"')[0], html.split('id="latest"')[1].split("</ol>")[0]
    assert 'href="tel:03001234044">0300 123 4044</a>' in intro and 'href="tel:03001234042"' in intro
    assert 'href="tel:03001234044">0300 123 4044</a>' in latest
    assert "0300 123 4044" not in latest.replace('href="tel:03001234044">0300 123 4044</a>', "")


def test_a_disclosure_stays_at_the_top_for_the_rest_of_the_conversation(chat):
    say(chat, "my son takes my pension and I am scared of him")
    html = say(chat, "I am 85 and live alone")
    top = html.split('aria-label="Conversation"')[0]
    assert "Urgent help" in top and 'href="tel:08082000247"' in top and 'href="tel:03001234042"' in top
    html = say(chat, "is there a lunch club near me")
    assert "Urgent help" in html.split('aria-label="Conversation"')[0]
    assert "category=meals" in html.split('id="latest"')[1]


def test_help_and_help_with_forms_offer_choices_not_a_dead_end(chat):
    for message in ("help", "help with forms"):
        latest = say(chat, message).split('id="latest"')[1]
        assert 2 <= latest.count('name="intent"') <= 4


def test_the_postcode_is_remembered_for_the_next_message(chat):
    say(chat, "lunch club please", "SG1 1AA")
    page = chat.get("/ask").get_data(as_text=True)
    assert 'value="SG1 1AA"' in page
    chat.post("/ask", data={"message": "and a befriending service", "postcode": ""})
    latest = chat.get("/ask").get_data(as_text=True).split('id="latest"')[1]
    assert "postcode=SG1" in latest


def test_start_again_clears_the_conversation_the_postcode_and_a_disclosure(chat):
    say(chat, "I want to end my life", "SG1 1AA")
    chat.post("/ask/start-again")
    html = chat.get("/ask").get_data(as_text=True)
    assert "You said:" not in html and "Urgent help" not in html and 'value="SG1 1AA"' not in html


def test_the_session_cookie_stays_under_4_kb_however_long_the_conversation(chat):
    long_arabic = ("أحتاج مساعدة في رعاية والدتي المسنة " * 20)[:500]
    for n in range(30):
        response = chat.post("/ask", data={"message": long_arabic if n % 2 else "x" * 500, "postcode": "SG1 1AA"})
        assert response.status_code == 302
        cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
        assert len(cookie.encode()) < 4096, len(cookie)
    assert "You said:" in chat.get("/ask").get_data(as_text=True)


def test_a_reply_is_in_the_pages_language(chat):
    html = chat.post("/ask?lang=pl", data={"message": "moja mama ma demencję"}, follow_redirects=True)
    page = chat.get("/ask?lang=pl").get_data(as_text=True)
    assert html.status_code == 200 and 'lang="pl"' in page
    assert "category=dementia" in page.split('id="latest"')[1]


def test_a_tampered_session_does_not_break_the_page(chat):
    with chat.session_transaction() as stored:
        stored["ask"] = {"state": {"disclosure": 5, "postcode": ["x"]}, "turns": ["junk", {"who": "signpost"}]}
    assert chat.get("/ask").status_code == 200


def test_on_a_translated_page_the_services_english_names_are_marked_english(chat):
    """A screen reader reads a listing's name with an English voice on an Urdu page (WCAG 3.1.2)."""
    from bs4 import BeautifulSoup
    from flask_babel import refresh

    chat.post("/ask?lang=ur", data={"message": "lunch club for my dad", "postcode": "SG1 1AA"})
    refresh()
    soup = BeautifulSoup(chat.get("/ask?lang=ur").get_data(as_text=True), "html.parser")
    names = soup.select("a[href^='/directory/services/']")
    assert names, "services are offered"
    assert all(a.find("span", lang="en", dir="ltr") for a in names)
