"""The one way Signpost sends email and text messages.

``notifier()`` gives GOV.UK Notify when ``NOTIFY_API_KEY`` is set, otherwise the outbox, which stores each
message in the database for staff to read at /staff/outbox (local runs and tests). Notify needs one email
template with the placeholders ((subject)) and ((body)) and one text template with ((body)); their ids are
``NOTIFY_EMAIL_TEMPLATE_ID`` and ``NOTIFY_SMS_TEMPLATE_ID``.
"""

from __future__ import annotations

import logging
import os
from typing import Protocol

from flask import Flask, current_app

from signpost.platform import outbox

log = logging.getLogger(__name__)


class NotificationError(RuntimeError):
    """The message could not be sent."""


class Notifier(Protocol):
    def send_email(self, to: str, subject: str, body: str, *, purpose: str, staff_id: str | None = None) -> str: ...

    def send_sms(self, to: str, body: str, *, purpose: str, staff_id: str | None = None) -> str: ...


class OutboxNotifier:
    """Keeps messages in the outbox (``signpost.platform.outbox``) instead of sending them."""

    def send_email(self, to: str, subject: str, body: str, *, purpose: str, staff_id: str | None = None) -> str:
        return str(outbox.add_message("email", to, subject, body, purpose, staff_id).id)

    def send_sms(self, to: str, body: str, *, purpose: str, staff_id: str | None = None) -> str:
        return str(outbox.add_message("sms", to, "", body, purpose, staff_id).id)


class NotifyNotifier:
    """GOV.UK Notify through notifications-python-client."""

    def __init__(self, api_key: str, email_template_id: str, sms_template_id: str) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)
        self.email_template_id = email_template_id
        self.sms_template_id = sms_template_id

    def send_email(self, to: str, subject: str, body: str, *, purpose: str, staff_id: str | None = None) -> str:
        return self._send(
            self.client.send_email_notification,
            email_address=to,
            template_id=self.email_template_id,
            personalisation={"subject": subject, "body": body},
            reference=purpose,
        )

    def send_sms(self, to: str, body: str, *, purpose: str, staff_id: str | None = None) -> str:
        return self._send(
            self.client.send_sms_notification,
            phone_number=to,
            template_id=self.sms_template_id,
            personalisation={"body": body},
            reference=purpose,
        )

    @staticmethod
    def _send(method, **kwargs) -> str:
        from notifications_python_client.errors import HTTPError

        try:
            return str(method(**kwargs).get("id", ""))
        except (HTTPError, OSError) as error:
            # Never log the recipient or the message: they are personal data.
            log.error("GOV.UK Notify refused a %s message: %s", kwargs.get("reference"), type(error).__name__)
            raise NotificationError(str(type(error).__name__)) from error


def notifier() -> Notifier:
    config = current_app.config
    if config.get("NOTIFY_API_KEY"):
        return NotifyNotifier(
            config["NOTIFY_API_KEY"],
            config.get("NOTIFY_EMAIL_TEMPLATE_ID", ""),
            config.get("NOTIFY_SMS_TEMPLATE_ID", ""),
        )
    return OutboxNotifier()


def init_app(app: Flask) -> None:
    for name in ("NOTIFY_API_KEY", "NOTIFY_EMAIL_TEMPLATE_ID", "NOTIFY_SMS_TEMPLATE_ID"):
        app.config.setdefault(name, os.environ.get(name, ""))
