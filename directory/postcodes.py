"""Postcodes to places: full postcodes and outcodes, located by their district centroid."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CENTROIDS_FILE = Path(__file__).resolve().parent / "data" / "postcode_districts.csv"

HERTFORDSHIRE_DISTRICTS = (
    "Broxbourne",
    "Dacorum",
    "East Hertfordshire",
    "Hertsmere",
    "North Hertfordshire",
    "St Albans",
    "Stevenage",
    "Three Rivers",
    "Watford",
    "Welwyn Hatfield",
)

_OUTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_INCODE = r"[0-9][A-Z]{2}"
FULL_POSTCODE_RE = re.compile(rf"^({_OUTCODE}) ?({_INCODE})$")
OUTCODE_RE = re.compile(rf"^({_OUTCODE})$")


class PostcodeError(ValueError):
    """The text is not a postcode, or not one we know."""


@dataclass(frozen=True)
class Place:
    outcode: str
    latitude: float
    longitude: float
    town: str
    district: str

    @property
    def in_hertfordshire(self) -> bool:
        return self.district in HERTFORDSHIRE_DISTRICTS


@cache
def centroids() -> dict[str, Place]:
    places: dict[str, Place] = {}
    with CENTROIDS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            places[row["outcode"]] = Place(
                outcode=row["outcode"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                town=row["post_town"] or row["town_area"],
                district=row["main_district"],
            )
    return places


@cache
def towns() -> dict[str, Place]:
    """Hertfordshire's post towns by name (lower case, "st albans"), each at the mean of its postcode
    districts' centroids, in the district most of them are in."""
    found: dict[str, list[Place]] = {}
    for place in centroids().values():
        if not place.in_hertfordshire:
            continue
        for town in place.town.split(","):
            name = " ".join(re.sub(r"[^\w' ]", " ", town).replace("'", "").lower().split())
            name = re.sub(r"^st ", "st ", name)
            if name:
                found.setdefault(name, []).append(place)
    towns = {}
    for name, places in found.items():
        districts = [p.district for p in places]
        towns[name] = Place(
            outcode=places[0].outcode,
            latitude=sum(p.latitude for p in places) / len(places),
            longitude=sum(p.longitude for p in places) / len(places),
            town=name.title(),
            district=max(set(districts), key=districts.count),
        )
    return towns


def town_named(words: list[str]) -> Place | None:
    """The first Hertfordshire post town named in these (lower-case) words, the longest name at each point."""
    known = towns()
    for start in range(len(words)):
        for length in (3, 2, 1):
            if (name := " ".join(words[start : start + length])) in known and start + length <= len(words):
                return known[name]
    return None


def normalise(text: str) -> str:
    """Upper-case and tidy spacing: " sg1  1aa " -> "SG1 1AA"."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if match := FULL_POSTCODE_RE.match(compact):
        return f"{match.group(1)} {match.group(2)}"
    return compact


def covers(countywide: bool, areas: list[str], district: str) -> bool:
    """Whether a service offered in `areas` (district names), or the whole county, covers this district."""
    return countywide or district in areas


def rounded_miles(miles: float) -> float | None:
    """A distance as we say it: whole miles from 10, tenths below; None when under a mile ("less than 1 mile")."""
    if miles < 0.95:
        return None
    return float(round(miles)) if miles >= 9.95 else round(miles, 1)


def outcode_of(text: str) -> str:
    compact = re.sub(r"\s+", "", text or "").upper()
    if match := FULL_POSTCODE_RE.match(compact):
        return match.group(1)
    if match := OUTCODE_RE.match(compact):
        return match.group(1)
    raise PostcodeError("not a postcode")


def locate(text: str) -> Place:
    """Find a postcode or outcode; raise PostcodeError if it is malformed or unknown."""
    outcode = outcode_of(text)
    place = centroids().get(outcode)
    if place is None:
        raise PostcodeError("unknown postcode")
    return place
