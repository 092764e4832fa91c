"""An import that never finished (the process was killed) is closed as failed when the next one starts."""

from __future__ import annotations

import json

from directory import repository


def test_an_interrupted_import_is_marked_failed_by_the_next_run(app):
    interrupted = repository.start_import_run("https://feed.example/services.json")
    assert interrupted.finished_at is None
    interrupted_id = interrupted.id

    following = repository.start_import_run("https://feed.example/services.json")

    old = repository.get_import_run(interrupted_id)
    assert old.finished_at is not None
    assert any("stopped before it finished" in " ".join(e["errors"]) for e in json.loads(old.errors))
    assert following.finished_at is None, "the new run itself is open"
