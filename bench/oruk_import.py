"""Time importing a synthetic ORUK feed: `python -m bench.oruk_import --services 10000`.

Generates a synthetic directory (directory.generator), loads it, exports it as ORUK JSON, empties the
directory and imports the file with `import-oruk`'s code, printing the time. Uses DATABASE_URL (it
replaces that database's directory, so point it at a scratch database).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from directory import repository
from directory.generator import generate
from directory.loading import load_records
from directory.oruk.importing import export_oruk, import_oruk
from signpost.app import create_app
from signpost.platform.extensions import db


def time_import(services: int) -> dict:
    """Export a synthetic directory as ORUK JSON, empty the directory and import the file back."""
    with tempfile.TemporaryDirectory() as folder:
        load_records(generate(services, seed=7))
        db.session.commit()
        feed = Path(folder) / "feed.json"
        export_oruk(feed)
        repository.delete_directory(include_taxonomies=True)
        db.session.commit()
        report = import_oruk(str(feed))
        return {
            "services": services,
            "imported": report.imported,
            "failed": report.failed,
            "seconds": round(report.seconds, 2),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    args = parser.parse_args()
    app = create_app()
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        load_records(generate(args.services, seed=7))
        db.session.commit()
        feed = Path(folder) / "feed.json"
        started = time.perf_counter()
        exported = export_oruk(feed)
        export_seconds = time.perf_counter() - started
        repository.delete_directory(include_taxonomies=True)
        db.session.commit()
        report = import_oruk(str(feed))
        print(
            f"{repository.dialect_name()}: exported {exported} services in {export_seconds:.1f}s "
            f"({feed.stat().st_size / 1e6:.1f} MB); imported {report.imported} in {report.seconds:.1f}s, "
            f"{report.failed} failed"
        )
        started = time.perf_counter()
        again = import_oruk(str(feed))
        print(
            f"re-import (no changes): {again.imported} in {time.perf_counter() - started:.1f}s, "
            f"{again.unchanged} skipped as unchanged"
        )


if __name__ == "__main__":
    main()
