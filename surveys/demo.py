"""Demo survey responses (a few thousand over the last three years) so the dashboard has something to show."""

from __future__ import annotations

import random
from datetime import date, timedelta

from directory import repository as directory_repository
from surveys import repository
from surveys.reporting import survey

# Roughly in proportion to each district's population.
DISTRICT_WEIGHTS = {
    "Broxbourne": 97,
    "Dacorum": 155,
    "East Hertfordshire": 151,
    "Hertsmere": 108,
    "North Hertfordshire": 134,
    "St Albans": 148,
    "Stevenage": 89,
    "Three Rivers": 94,
    "Watford": 102,
    "Welwyn Hatfield": 120,
}
CHANNEL_WEIGHTS = {"phone": 60, "web": 20, "email": 10, "face_to_face": 10}
HELPFULNESS = ("very_helpful", "quite_helpful", "quite_unhelpful", "very_unhelpful", "not_contacted")
BY_TYPE = {
    "voluntary": (52, 24, 6, 4, 14),
    "statutory": (38, 28, 10, 7, 17),
    "private": (42, 27, 9, 6, 16),
}
EASE = ("very_easy", "fairly_easy", "fairly_difficult", "very_difficult", "never_tried")
WHY_NOT = ("no_longer_needed", "not_yet", "could_not_get_through", "not_right_for_me", "other")


def _organisations() -> list[tuple[str, str, str, list[str]]]:
    ids = directory_repository.active_service_ids()
    found: dict[str, tuple[str, str, str, list[str]]] = {}
    for service in directory_repository.services_by_ids(ids):
        organisation = service.organization
        needs = [term.code for term in service.taxonomy_terms]
        found.setdefault(
            organisation.id, (organisation.id, organisation.name, str(organisation.organization_type), needs)
        )
    return list(found.values())


def load_demo_responses(count: int = 3000, seed: int = 2026, today: date | None = None) -> int:
    """Replace the demo responses (real ones are left alone) with ``count`` new ones over three years."""
    rng = random.Random(seed)
    today = today or date.today()
    organisations = _organisations()
    if not organisations:
        return 0
    definition = survey("signposting")
    districts, district_weights = zip(*DISTRICT_WEIGHTS.items(), strict=True)
    channels, channel_weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
    responses, answers = [], []
    for _ in range(count):
        days_ago = int(1095 * (1 - rng.random() ** 0.8))  # more recent answers as the service grows
        submitted = today - timedelta(days=days_ago)
        organisation_id, name, organisation_type, needs = rng.choice(organisations)
        improvement = 6 * (1 - days_ago / 1095)  # a gentle improvement over the three years
        weights = list(BY_TYPE.get(organisation_type, BY_TYPE["voluntary"]))
        weights[0] += improvement
        helpfulness = rng.choices(HELPFULNESS, weights)[0] if rng.random() > 0.03 else None
        responses.append(
            {
                "survey_id": definition.id,
                "survey_version": definition.version,
                "submitted_on": submitted,
                "source": rng.choices(("online", "phone", "paper"), (70, 20, 10))[0],
                "district": rng.choices(districts, district_weights)[0],
                "need_category": rng.choice(needs) if needs else None,
                "channel": rng.choices(channels, channel_weights)[0],
                "organisation_id": organisation_id,
                "organisation_name": name,
                "organisation_type": organisation_type,
                "is_demo": True,
            }
        )
        these = {"helpfulness": helpfulness}
        if helpfulness == "not_contacted" and rng.random() < 0.7:
            these["why_not_contacted"] = rng.choice(WHY_NOT)
        if rng.random() < 0.85:
            these["information_ease"] = rng.choices(EASE, (30, 38, 15, 7, 10))[0]
        answers.append(repository.answer_rows(definition, these))
    repository.delete_demo_responses()
    return repository.add_responses(responses, answers)  # `demo load` commits
