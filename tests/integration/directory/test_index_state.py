"""Figures kept per search index version (``repository.index_state.ByIndexVersion``): computed once, computed
again when any process changes the listings."""

from __future__ import annotations

from directory import repository
from directory.models import DirectoryMeta
from directory.repository import index_state
from signpost.platform.extensions import db


def test_a_kept_figure_is_computed_again_when_another_process_changes_the_listings(app, monkeypatch):
    computed: list[int] = []
    kept = index_state.ByIndexVersion(lambda: computed.append(1) or len(computed))
    clock = [1000.0]
    monkeypatch.setattr(index_state.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(index_state.ByIndexVersion, "CHECK_SECONDS", 30.0)
    assert kept.get() == kept.get() == 1
    # Another worker's save: a new token in the database, and nothing counted in this process.
    row = db.session.get(DirectoryMeta, repository.INDEX_VERSION_KEY)
    if row is None:
        db.session.add(DirectoryMeta(key=repository.INDEX_VERSION_KEY, value="another-worker"))
    else:
        row.value = "another-worker"
    db.session.flush()
    clock[0] += 29
    assert kept.get() == 1  # not read again yet
    clock[0] += 2
    assert kept.get() == 2
    clock[0] += 31
    assert kept.get() == 2  # read again, unchanged: kept
    repository.bump_index_version()  # a save in this process: noticed at once
    assert kept.get() == 3
