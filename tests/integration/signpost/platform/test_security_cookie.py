"""The signed session cookie stays under the 4 KB browsers accept, however long an "Ask us" conversation."""

from __future__ import annotations

import random

import pytest

ALPHABETS = {
    "english": "abcdefghijklmnopqrstuvwxyz     ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي  ",
    "emoji": "😀🏠👵🦽🧓👴🚑💊",
}


def message(language: str, seed: int) -> str:
    """500 characters that do not compress (compression would hide the cookie's real growth)."""
    pick = random.Random(seed).choice
    return "".join(pick(ALPHABETS[language]) for _ in range(500))


def session_cookie_size(client) -> int:
    cookie = client.get_cookie("session")
    return len(cookie.key) + len(cookie.value) + 1 if cookie else 0


@pytest.mark.parametrize("language", list(ALPHABETS))
def test_the_session_cookie_stays_under_4_kb_after_many_ask_us_messages(app, client, language):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for turn in range(25):
            sent = client.post("/ask", data={"message": message(language, turn), "postcode": "SG1 1AA"})
            assert sent.status_code == 302
            assert session_cookie_size(client) < 4000
        page = client.get("/ask").get_data(as_text=True)
        assert message(language, 24)[:40] in page, "the latest exchange is still shown"
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
