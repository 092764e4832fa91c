"""GOV.UK Frontend form widgets that keep what they rendered: the same field, in the same language, with the same
value and error, is the same HTML, so it is rendered through GOV.UK Frontend's Jinja macros once, not on every page.

Each widget here is govuk_frontend_wtf's, with `render(params)` remembered in a bounded, least-recently-used
store keyed by the language, the widget's template and every value in `params` (with its type: a label that is
Markup renders differently from one that is text). What a widget renders depends on nothing else (its
templates read only `params`), so a remembered field is exactly the field rendered again. A select of the
search filters costs about 2 ms through the macros and microseconds from here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask_babel import get_locale
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup

MAX_ENTRIES = 1024
_PLAIN = (str, int, float, bool, type(None))


class Uncacheable(Exception):
    """A params value we cannot key on faithfully; the field is rendered as it always was."""


def freeze(value: Any) -> Any:
    """`value` as a hashable key that tells apart everything that could render differently, in order."""
    if isinstance(value, dict):
        return ("d", tuple((key, freeze(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return ("l", tuple(freeze(item) for item in value))
    kind = type(value)
    if kind in _PLAIN or isinstance(value, Markup):
        return (kind.__name__, value)
    if kind.__name__ == "LazyString":  # flask_babel's: keyed by its text in this request's language
        return ("lazy", str(value))
    raise Uncacheable(kind.__name__)


class RenderedFields:
    """A bounded least-recently-used store of rendered fields, safe to share between threads."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[Any, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Markup | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Any, html: Markup) -> None:
        with self._lock:
            self._entries[key] = html
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


rendered = RenderedFields()


class Remembered:
    """Mixed in before a govuk_frontend_wtf widget: its `render(params)`, remembered."""

    template: str

    def render(self, params: dict) -> Markup:
        try:
            key = (self.template, str(get_locale()), freeze(params))
        except Uncacheable:
            return super().render(params)  # type: ignore[misc]
        html = rendered.get(key)
        if html is None:
            html = super().render(params)  # type: ignore[misc]
            rendered.put(key, html)
        return html


class GovTextInput(Remembered, gov.GovTextInput):
    pass


class GovSelect(Remembered, gov.GovSelect):
    pass


class GovCheckboxInput(Remembered, gov.GovCheckboxInput):
    pass


class GovCheckboxesInput(Remembered, gov.GovCheckboxesInput):
    pass


class GovRadioInput(Remembered, gov.GovRadioInput):
    pass


class GovSubmitInput(Remembered, gov.GovSubmitInput):
    pass


class GovTextArea(Remembered, gov.GovTextArea):
    pass
