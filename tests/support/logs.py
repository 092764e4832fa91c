"""Catching what the app logs, where pytest's caplog cannot: the migration's logging set-up replaces the root
logger's handlers, so a test adds this handler to the logger it watches."""

from __future__ import annotations

import logging


class Remember(logging.Handler):
    """Keeps the message of every record at WARNING or above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
