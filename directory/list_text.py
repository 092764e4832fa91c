"""A list of services as plain text, for an email or a text message (a resident's own list, a signposting list)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from directory.models import Service


def list_text(services: Sequence[Service]) -> str:
    lines = []
    for service in services:
        lines.append(f"{service.name} ({service.organization.name})")
        if service.phones:
            lines.append(_("Phone: %(number)s", number=service.phones[0].number))
        if service.url:
            lines.append(service.url)
        lines.append("")
    return "\n".join(lines).strip()
