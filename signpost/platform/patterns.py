"""What a contact detail looks like: one email pattern and one UK mobile pattern for the whole service.

Pure Python (standard library only), so rules modules such as the ORUK validator may use it without loading Flask.
"""

from __future__ import annotations

import re

# Deliberately loose: something@something.something with no spaces; the message service is the real check.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UK_MOBILE_RE = re.compile(r"^(\+44|0044|0)7\d{9}$")
