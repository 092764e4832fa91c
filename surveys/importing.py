"""Importing historical and paper survey returns from CSV: every row checked first, then one transaction."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from directory import repository as directory_repository
from directory.postcodes import HERTFORDSHIRE_DISTRICTS
from surveys import repository
from surveys.reporting import survey

REQUIRED_COLUMNS = ("submitted_at", "district", "organisation_type", "helpfulness")
OPTIONAL_COLUMNS = ("organisation_id", "need_category")
ORGANISATION_TYPES = ("voluntary", "statutory", "private")
BLANK_ANSWERS = ("", "empty")
MAX_ROWS = 2_000_000


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


def _check_row(row: dict[str, Any], line: int, needs: set[str], districts: dict[str, str]) -> tuple[dict, list[str]]:
    problems: list[str] = []
    raw_date = (row.get("submitted_at") or "").strip()
    submitted = None
    try:
        submitted = date.fromisoformat(raw_date[:10]) if raw_date else None
    except ValueError:
        pass
    if submitted is None or submitted > date.today():
        problems.append(f"submitted_at {raw_date!r} is not an ISO date (YYYY-MM-DD) on or before today")
    raw_district = (row.get("district") or "").strip()
    district = districts.get(raw_district.casefold())
    if raw_district and district is None:
        problems.append(f"district {raw_district!r} is not one of the ten Hertfordshire districts")
    organisation_type = (row.get("organisation_type") or "").strip().lower()
    if organisation_type not in ORGANISATION_TYPES:
        problems.append(f"organisation_type {organisation_type!r} must be voluntary, statutory or private")
    helpfulness = (row.get("helpfulness") or "").strip().lower()
    codes = survey("signposting").question("helpfulness").codes
    if helpfulness not in codes and helpfulness not in BLANK_ANSWERS:
        problems.append(f"helpfulness {helpfulness!r} must be one of {', '.join(codes)} or empty")
    organisation_id = (row.get("organisation_id") or "").strip() or None
    if organisation_id and len(organisation_id) > 36:
        problems.append("organisation_id is longer than 36 characters")
    need = (row.get("need_category") or "").strip() or None
    if need and need not in needs:
        problems.append(f"need_category {need!r} is not a directory category code")
    response = {
        "survey_id": "signposting",
        "survey_version": survey("signposting").version,
        "submitted_on": submitted,
        "source": "import",
        "district": district,
        "need_category": need,
        "organisation_id": organisation_id,
        "organisation_type": organisation_type,
        "helpfulness": None if helpfulness in BLANK_ANSWERS else helpfulness,
    }
    return response, [f"line {line}: {problem}" for problem in problems]


def check_rows(lines: Iterable[str]) -> tuple[list[dict], list[str]]:
    reader = csv.DictReader(lines)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return [], [f"line 1: missing column(s): {', '.join(missing)}"]
    reader.fieldnames = header
    needs = directory_repository.category_codes()
    districts = {name.casefold(): name for name in HERTFORDSHIRE_DISTRICTS}
    rows: list[dict] = []
    errors: list[str] = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            errors.append(f"line {reader.line_num}: more than {MAX_ROWS} rows; split the file")
            break
        if None in row:
            errors.append(f"line {reader.line_num}: more values than columns")
            continue
        response, problems = _check_row(row, reader.line_num, needs, districts)
        errors.extend(problems)
        rows.append(response)
    return rows, errors


def import_responses(path: Path) -> ImportReport:
    """Check every row; import all of them in one transaction only if none has a problem."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows, errors = check_rows(handle)
    except UnicodeDecodeError:
        return ImportReport(errors=["the file is not UTF-8 text"])
    if errors:
        return ImportReport(errors=errors)
    answers = [
        [{"question_id": "helpfulness", "code": row["helpfulness"], "text": None}] if row["helpfulness"] else []
        for row in rows
    ]
    return ImportReport(imported=repository.add_responses(rows, answers))  # the command commits
