"""Directory search in the page's language, through the needs understanding "Ask us" uses.

The listings are written in English. A search typed in Polish, Urdu or another of the site's languages that the
directory's own words cannot place ("klub obiadowy", "میری والدہ بار بار گر جاتی ہیں") is understood as a need
here, and the search page shows that need's category. The directory sits in a layer below "Ask us", so the
application hands it this function (``signpost.app``; ``directory.views.understood_categories``).
"""

from __future__ import annotations

from signpost.ask.understanding import understand

SURE_CONFIDENCE = 0.3
"""The best need is taken over what the directory's words found when it is at least this sure..."""
SURE_LEAD = 0.05
"""...and this much surer than the next need (set on the example searches the translated home pages suggest)."""


def categories_for_search(text: str, lang: str, found: bool) -> tuple[str, ...]:
    """The categories of the need a search in another language is about, or () to keep what search found.

    When the directory's words found something, the need must be sure (``SURE_CONFIDENCE``, ``SURE_LEAD``) to
    replace it; when they found nothing, the best need is better than nothing.
    """
    needs = understand(text, lang).needs
    if not needs:
        return ()
    best, runner_up = needs[0], needs[1].confidence if len(needs) > 1 else 0.0
    sure = best.confidence >= SURE_CONFIDENCE and best.confidence - runner_up >= SURE_LEAD
    return best.categories if sure or not found else ()
