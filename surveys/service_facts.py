"""What a call handler reads out about a service, and what the caller's text or email gives for each one: the
phone number, address, opening times, cost and who it is for, in plain words."""

from __future__ import annotations

from flask_babel import gettext as _

from directory.models import Service
from directory.oruk.schedule_words import schedule_in_words


def phone(service: Service) -> str | None:
    return service.phones[0].number if service.phones else None


def addresses(service: Service) -> list[str]:
    """Each place the service is offered, on one line ("Name, 1 High Street, Watford, WD17 1AA")."""
    lines = []
    for place in service.service_at_locations:
        location = place.location
        parts = [location.name, location.address_1, location.city, location.postal_code]
        line = ", ".join(p.strip() for p in parts if p and p.strip())
        if line and line not in lines:
            lines.append(line)
    return lines


def opening_times(service: Service) -> list[str]:
    lines = []
    for schedule in service.schedules:
        words = schedule_in_words(schedule)
        if schedule.description:
            words += f" ({schedule.description})"
        if words:
            lines.append(words)
    return lines


def cost(service: Service) -> str:
    """As the service page says it: "Free", the cost options, the fees, or "Ask the service"."""
    parts = [_("Free")] if service.is_free else []
    parts += [
        option.amount_description
        for option in service.cost_options
        if option.amount_description and option.amount_description.lower() != "free"
    ]
    if service.fees_description and not service.cost_options and not service.is_free:
        parts.append(service.fees_description)
    return " ".join(parts) or _("Ask the service")


def eligibility(service: Service) -> str:
    text = service.eligibility_description or ""
    if service.minimum_age is not None and service.maximum_age is not None:
        ages = _("Ages %(min)s to %(max)s.", min=service.minimum_age, max=service.maximum_age)
    elif service.minimum_age is not None:
        ages = _("Aged %(min)s and over.", min=service.minimum_age)
    elif service.maximum_age is not None:
        ages = _("Aged up to %(max)s.", max=service.maximum_age)
    else:
        ages = ""
    return " ".join(p for p in (text.strip(), ages) if p)
