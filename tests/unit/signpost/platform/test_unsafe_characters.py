"""Nothing a person sends can make a page that browsers must repair: every code point HTML forbids is removed."""

from __future__ import annotations

import sys

from signpost.platform.security import strip_unsafe

ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def forbidden_in_html(code: int) -> bool:
    """HTML's rule: controls other than whitespace, surrogates and non-characters (U+FDD0–FDEF, U+nFFFE/nFFFF)."""
    return (
        (code < 0x20 and chr(code) not in ALLOWED_CONTROLS)
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE
    )


def test_every_code_point_html_forbids_is_removed_and_no_other():
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        assert strip_unsafe(f"a{character}b") == ("ab" if forbidden_in_html(code) else f"a{character}b"), hex(code)
