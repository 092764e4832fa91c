"""Money, tax years and date ranges read left to right inside Urdu and Arabic text."""

from __future__ import annotations

from signpost.platform.bidi import isolated, isolated_html

L, P = "\u2066", "\u2069"


def test_money_is_isolated_left_to_right_for_right_to_left_text():
    assert isolated("آپ £48.20 ہر ہفتے") == f"آپ {L}£48.20{P} ہر ہفتے"
    assert isolated("£1,234.50 و £7") == f"{L}£1,234.50{P} و {L}£7{P}"
    assert isolated(isolated("£5.00")) == f"{L}£5.00{P}"
    assert isolated("no money here, £ alone") == "no money here, £ alone"


def test_tax_years_and_date_ranges_are_isolated_left_to_right():
    """Unisolated, "ٹیکس سال 2026-27" is shown as "ٹیکس سال 27-2026"."""
    assert isolated("ٹیکس سال 2026-27 کے اعداد") == f"ٹیکس سال {L}2026-27{P} کے اعداد"
    assert isolated("2025-26 (2026-27 کے لیے)") == f"{L}2025-26{P} ({L}2026-27{P} کے لیے)"
    assert isolated("من 2026-04-01 إلى 2027-03-31") == f"من {L}2026-04-01{P} إلى {L}2027-03-31{P}"
    assert isolated("16–25 سال") == f"{L}16–25{P} سال"
    assert isolated("9:00-17:00") == f"{L}9:00-17:00{P}"
    assert isolated(isolated("2026-27")) == f"{L}2026-27{P}"


def test_phone_numbers_are_isolated_left_to_right():
    """Unisolated, "HertsHelp کو 0300 123 4044 پر کال کریں" shows the number as "4044 123 0300"."""
    assert isolated("HertsHelp کو 0300 123 4044 پر کال کریں") == f"HertsHelp کو {L}0300 123 4044{P} پر کال کریں"
    assert isolated("اتصل على 18001 0300 123 4044.") == f"اتصل على {L}18001 0300 123 4044{P}."
    assert isolated("+44 1632 960001") == f"{L}+44 1632 960001{P}"
    assert isolated("12 اکتوبر 2026") == "12 اکتوبر 2026"


def test_numbers_inside_words_and_lone_numbers_are_left_alone():
    assert isolated("charging-figures-2025-27.md") == "charging-figures-2025-27.md"
    assert isolated("SG1 2AB, 12 مئی 2026") == "SG1 2AB, 12 مئی 2026"
    assert isolated("a1-2 and 3-b") == "a1-2 and 3-b"


def test_in_a_page_only_the_text_is_changed_not_tags_links_comments_scripts_or_what_was_typed():
    page = (
        '<a href="/directory/services/b2e25645-71ce-5392" data-year="2026-27">ٹیکس سال 2026-27</a>'
        "<textarea>2026-27 £5</textarea><script>let y = '2026-27';</script><!-- 2026-27 --><p>£5</p>"
    )
    assert isolated_html(page) == (
        f'<a href="/directory/services/b2e25645-71ce-5392" data-year="2026-27">ٹیکس سال {L}2026-27{P}</a>'
        f"<textarea>2026-27 £5</textarea><script>let y = '2026-27';</script><!-- 2026-27 --><p>{L}£5{P}</p>"
    )
