"""Large synthetic directories for benchmarks and scale tests, in the demo data's record shape."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from directory.loading import CATEGORIES_FILE
from directory.postcodes import HERTFORDSHIRE_DISTRICTS, centroids

PLACE_WORDS = ("Community", "Neighbourhood", "Village", "Town", "Parish", "Friends of", "Together", "Connect")
SERVICE_SHAPES = {
    "carers": ("Carers Café", "Carers Support Group", "Carer Wellbeing Sessions"),
    "young-carers": ("Young Carers Club", "Young Carers Activity Days"),
    "respite": ("Sitting Service", "Short Breaks Scheme", "Respite at Home"),
    "dementia": ("Memory Café", "Dementia Support Group", "Singing for the Brain"),
    "falls": ("Strength and Balance Class", "Steady Steps", "Falls Prevention Session"),
    "loneliness": ("Befriending Scheme", "Friendship Calls", "Coffee Morning"),
    "meals": ("Lunch Club", "Meals at Home", "Community Kitchen"),
    "money": ("Benefits Advice", "Debt Advice Clinic", "Money Matters Drop-in"),
    "housing": ("Housing Advice", "Handyperson Scheme", "Home Adaptations Advice"),
    "domestic-abuse": ("Domestic Abuse Outreach", "Safe Space Drop-in"),
    "mental-health": ("Wellbeing Café", "Talking Space", "Peer Support Group"),
    "sensory-loss": ("Sight Loss Support", "Hearing Aid Clinic", "Deaf Social Club"),
    "learning-disability": ("Learning Disability Social Club", "Skills for Life"),
    "autism": ("Autism Adult Support", "Autism Family Group"),
    "transport": ("Community Transport", "Dial-a-Ride", "Volunteer Car Scheme"),
    "day-opportunities": ("Day Centre", "Day Opportunities"),
    "bereavement": ("Bereavement Support", "Grief Café"),
    "advocacy": ("Independent Advocacy", "Care Act Advocacy"),
    "hospital-discharge": ("Home from Hospital", "Settle at Home Service"),
    "physical-disability": ("Equipment Loan", "Disability Advice Line"),
    "information-advice": ("Advice Drop-in", "Information Point"),
}
SENTENCES = (
    "Run by local volunteers who understand what you are going through.",
    "You can come on your own or bring the person you look after.",
    "Sessions are relaxed and friendly, with tea and a chance to talk.",
    "We can visit you at home if you cannot get out easily.",
    "Call us first so we can tell you what to expect.",
    "Interpreters can be arranged if you ask in advance.",
    "The venue has step-free access and an accessible toilet.",
    "We work closely with the council and local health services.",
)
DAY_SETS = (["MO", "WE", "FR"], ["TU", "TH"], ["MO", "TU", "WE", "TH", "FR"], ["SA"], ["WE"], ["TH", "FR"])


def hertfordshire_outcodes() -> list[str]:
    return sorted(code for code, place in centroids().items() if place.district in HERTFORDSHIRE_DISTRICTS)


def generate(services: int, seed: int = 1) -> dict:
    """A directory of `services` plausible listings spread across the county's districts."""
    rng = random.Random(seed)
    codes = [t["code"] for t in json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))["terms"]]
    outcodes = hertfordshire_outcodes()
    places = centroids()
    organizations = []
    records = []
    org_count = max(1, services // 4)
    for number in range(org_count):
        outcode = rng.choice(outcodes)
        town = places[outcode].town
        organizations.append(
            {
                "key": f"org-{number}",
                "name": f"{town} {rng.choice(PLACE_WORDS)} Trust {number}",
                "type": rng.choices(["voluntary", "statutory", "private"], weights=[7, 2, 1])[0],
                "description": f"A local organisation based in {town}.",
                "website": f"https://org{number}.example.org",
                "email": None,
                "outcode": outcode,
            }
        )
    for number in range(services):
        org = organizations[number % org_count]
        category = rng.choice(codes)
        extra = rng.sample(codes, k=rng.choice([0, 0, 1]))
        place = places[org["outcode"]]
        countywide = rng.random() < 0.1
        delivery = rng.choice([["in_person"], ["in_person", "phone"], ["phone"], ["online", "phone"], ["in_person"]])
        minimum_age = rng.choice([None, 18, 18, 50, 65])
        records.append(
            {
                "key": f"svc-{number}",
                "organization": org["key"],
                "name": f"{place.town} {rng.choice(SERVICE_SHAPES[category])} {number}",
                "description": " ".join(rng.sample(SENTENCES, k=3)),
                "categories": [category, *[c for c in extra if c != category]],
                "eligibility": "Adults living in Hertfordshire.",
                "minimum_age": minimum_age,
                "maximum_age": rng.choice([None, None, None, 25]) if minimum_age in (None, 18) else None,
                "free": rng.random() < 0.7,
                "cost_description": rng.choice(["Free", "£3 a session", "£4.50 a meal"]),
                "how_to_access": "Call to book a place.",
                "referral": rng.choice(["self", "either", "professional"]),
                "delivery": delivery,
                "area": "countywide" if countywide else [place.district],
                "phones": [{"number": f"01632 {960000 + number % 1000}", "description": "Enquiries"}],
                "email": None,
                "url": None,
                "locations": []
                if delivery == ["phone"] or delivery == ["online", "phone"]
                else [
                    {
                        "name": f"{place.town} Centre",
                        "address_1": "1 High Street",
                        "city": place.town,
                        "postcode": f"{org['outcode']} 1AA",
                    }
                ],
                "schedules": [{"days": rng.choice(DAY_SETS), "opens_at": "10:00", "closes_at": "15:00"}],
                "languages": ["en"],
                "assured_date": (date(2026, 11, 1) - timedelta(days=rng.randint(0, 500))).isoformat(),
            }
        )
    return {"source": f"Synthetic directory, seed {seed}", "organizations": organizations, "services": records}
