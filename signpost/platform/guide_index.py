"""The guides the site offers, as pages in lower layers link to them.

The directory's search page suggests a guide when a search is about its topic, and the home page lists every
guide; neither may import the guides feature, which sits above them. So the guides feature registers a link for
each of its guides here when its blueprint is registered, and those pages read the links back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

EXTENSION_KEY = "signpost.guide_index"


@dataclass(frozen=True)
class GuideLink:
    id: str
    title: Any  # lazily translated
    description: Any


def register(app: Flask, links: list[GuideLink]) -> None:
    app.extensions[EXTENSION_KEY] = {link.id: link for link in links}


def offered() -> list[GuideLink]:
    """Every guide, in the order the guides feature registered them (none when it is not installed)."""
    return list(current_app.extensions.get(EXTENSION_KEY, {}).values())


def by_ids(ids: list[str]) -> list[GuideLink]:
    links = current_app.extensions.get(EXTENSION_KEY, {})
    return [links[guide_id] for guide_id in ids if guide_id in links]
