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


def cost_parts(service: Service) -> tuple[str, str]:
    """Our words ("Free", or "Ask the service" when the listing says nothing) and the listing's own words (as
    written, in English), kept apart so a translated page can mark each in its own language."""
    listing = [
        option.amount_description
        for option in service.cost_options
        if option.amount_description and option.amount_description.lower() != "free"
    ]
    if service.fees_description and not service.cost_options and not service.is_free:
        listing.append(service.fees_description)
    ours = _("Free") if service.is_free else ("" if listing else _("Ask the service"))
    return ours, " ".join(listing)


def cost(service: Service) -> str:
    """As the service page says it: "Free", the cost options, the fees, or "Ask the service"."""
    return " ".join(part for part in cost_parts(service) if part)


def eligibility_parts(service: Service) -> tuple[str, str]:
    """The listing's own words on who it is for (English, as written) and our words on ages, kept apart."""
    text = (service.eligibility_description or "").strip()
    if service.minimum_age is not None and service.maximum_age is not None:
        ages = _("Ages %(min)s to %(max)s.", min=service.minimum_age, max=service.maximum_age)
    elif service.minimum_age is not None:
        ages = _("Aged %(min)s and over.", min=service.minimum_age)
    elif service.maximum_age is not None:
        ages = _("Aged up to %(max)s.", max=service.maximum_age)
    else:
        ages = ""
    return text, ages


def eligibility(service: Service) -> str:
    return " ".join(part for part in eligibility_parts(service) if part)
