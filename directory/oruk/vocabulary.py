"""Taxonomies Signpost publishes for facts kept as columns: organisation type, how a service is offered,
how to get it and whether it is free. They have fixed ids, live in code rather than in the
taxonomy tables (so they never appear among the search page's categories), and are exposed through
the API's taxonomies and as attributes, and read back on import."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property

from directory.models import OrganizationType

NAMESPACE = uuid.UUID("3c1f6a52-9d0e-4c4e-8f57-2b8e3f7a9d10")


def fixed_id(kind: str, key: str) -> str:
    """A stable UUID for something Signpost derives rather than stores."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@dataclass(frozen=True)
class VirtualTaxonomy:
    key: str
    name: str
    description: str

    @cached_property
    def id(self) -> str:
        return fixed_id("taxonomy", self.key)


@dataclass(frozen=True)
class VirtualTerm:
    taxonomy: VirtualTaxonomy
    code: str
    name: str
    description: str
    field: str  # what it means: organization_type, delivery, referral or free
    value: str

    @cached_property
    def id(self) -> str:
        return fixed_id("term", f"{self.taxonomy.key}:{self.code}")


ORGANISATION_TYPE = VirtualTaxonomy(
    "organisation-type", "Organisation type", "Who runs the organisation: voluntary, statutory or private."
)
ACCESS = VirtualTaxonomy(
    "signpost-access", "Signpost access", "How a service is offered, how to get it, and whether it is free."
)
TAXONOMIES = (ORGANISATION_TYPE, ACCESS)

_O, _A = ORGANISATION_TYPE, ACCESS
TERMS = (
    VirtualTerm(_O, "voluntary", "Voluntary", "A charity or community group.", "organization_type", "voluntary"),
    VirtualTerm(_O, "statutory", "Statutory", "The council, NHS or a public body.", "organization_type", "statutory"),
    VirtualTerm(_O, "private", "Private", "A business.", "organization_type", "private"),
    VirtualTerm(_A, "in-person", "In person", "Offered face to face.", "delivery", "in_person"),
    VirtualTerm(_A, "phone", "By phone", "Offered by phone.", "delivery", "phone"),
    VirtualTerm(_A, "online", "Online", "Offered online.", "delivery", "online"),
    VirtualTerm(_A, "self-referral", "Self-referral", "People contact the service themselves.", "referral", "self"),
    VirtualTerm(_A, "professional-referral", "Professional referral", "Needs a referral.", "referral", "professional"),
    VirtualTerm(_A, "either-referral", "Self or professional referral", "Either way in.", "referral", "either"),
    VirtualTerm(_A, "free", "Free", "The service costs nothing to use.", "free", "yes"),
)
TERMS_BY_ID = {term.id: term for term in TERMS}
TAXONOMIES_BY_ID = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}


def term_for(field: str, value: str) -> VirtualTerm:
    return next(term for term in TERMS if term.field == field and term.value == value)


# Words other publishers use for organisation types, matched against a term's code or name.
ORGANISATION_TYPE_WORDS = {
    OrganizationType.VOLUNTARY: ("voluntary", "charity", "community", "vcs", "vcse", "third sector", "not for profit"),
    OrganizationType.STATUTORY: ("statutory", "council", "local authority", "nhs", "public", "government"),
    OrganizationType.PRIVATE: ("private", "business", "company", "commercial"),
}


def organisation_type_from_words(*texts: str | None) -> OrganizationType | None:
    """Read an organisation type from another publisher's term code or name, if it names one."""
    for text in texts:
        words = (text or "").strip().lower().replace("-", " ").replace("_", " ")
        if not words:
            continue
        for kind, names in ORGANISATION_TYPE_WORDS.items():
            if any(words == name or words.startswith(name + " ") for name in names):
                return kind
    return None
