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
