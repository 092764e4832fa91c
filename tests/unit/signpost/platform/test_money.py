"""Money as residents read it, in any language."""

from __future__ import annotations

from signpost.platform.money import isolated


def test_money_is_isolated_left_to_right_for_right_to_left_text():
    assert isolated("آپ £48.20 ہر ہفتے") == "آپ \u2066£48.20\u2069 ہر ہفتے"
    assert isolated("£1,234.50 و £7") == "\u2066£1,234.50\u2069 و \u2066£7\u2069"
    assert isolated(isolated("£5.00")) == "\u2066£5.00\u2069"
    assert isolated("no money here, £ alone") == "no money here, £ alone"
