"""Directory search in the page's language, through the needs understanding "Ask us" uses.

The listings are written in English. A search typed in Polish, Urdu or another of the site's languages that the
directory's own words cannot place ("klub obiadowy", "میری والدہ بار بار گر جاتی ہیں") is understood as a need
here, and the search page shows that need's category. The directory sits in a layer below "Ask us", so the
application hands it this function (``signpost.app``; ``directory.views.understood_categories``).
"""

from __future__ import annotations

from signpost.ask.understanding import understand

SURE_CONFIDENCE = 0.25
"""The best need is taken over what the directory's words found when it is at least this sure..."""
SURE_LEAD = 0.05
"""...and this much surer than the next need."""
FOREIGN_CONFIDENCE = 0.2
"""When the words found nothing and are not plain English letters (on a page in another language, "prânz" or
"często" is that language), a need this sure..."""
FOREIGN_LEAD = 0.02
"""...and this much surer than the next is better than nothing. (All four set on the example searches the
translated home pages suggest, against "zzzz qqqq" and "xylophone lessons" typed on a Polish page.)"""


def not_plain_letters(text: str) -> bool:
    """Another script, or an accented Latin letter ("prânz", "często"): not gibberish or English typed on the
    page ("zzzz qqqq", "xylophone lessons"), which comes close to some need in the model."""
    return any(ch.isalpha() and not ch.isascii() for ch in text)


def categories_for_search(text: str, lang: str, found: bool) -> tuple[str, ...]:
    """The categories of the need a search in another language is about, or () to keep what search found."""
    needs = understand(text, lang).needs
    if not needs:
        return ()
    best, runner_up = needs[0].confidence, needs[1].confidence if len(needs) > 1 else 0.0
    sure = best >= SURE_CONFIDENCE and best - runner_up >= SURE_LEAD
    likely = not found and not_plain_letters(text) and best >= FOREIGN_CONFIDENCE and best - runner_up >= FOREIGN_LEAD
    return needs[0].categories if sure or likely else ()
