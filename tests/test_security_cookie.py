"""The signed session cookie stays under the 4 KB browsers accept, however long an "Ask us" conversation."""

from __future__ import annotations

import pytest

MESSAGES = {
    "english": "my dad keeps falling and I am worried about him, he lives alone in Watford and " * 6,
    "arabic": "والدي يسقط كثيرا وأنا قلق عليه " * 16,
    "emoji": "😀🏠👵🦽" * 120,
}


def session_cookie_size(client) -> int:
    cookie = client.get_cookie("session")
    return len(cookie.key) + len(cookie.value) + 1 if cookie else 0


@pytest.mark.parametrize("language", list(MESSAGES))
def test_the_session_cookie_stays_under_4_kb_after_many_ask_us_messages(app, client, language):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for _ in range(25):
            sent = client.post("/ask", data={"message": MESSAGES[language][:500], "postcode": "SG1 1AA"})
            assert sent.status_code == 302
            assert session_cookie_size(client) < 4000
        page = client.get("/ask").get_data(as_text=True)
        assert MESSAGES[language][:40] in page, "the latest exchange is still shown"
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
