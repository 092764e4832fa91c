"""Every query on the signposting and survey tables (nothing else reads or writes them); the outbox's are in
``signpost.platform.outbox``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, literal_column, null, or_, select, tuple_, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from signpost.platform import database, outbox
from signpost.platform.extensions import db
from surveys.definition import Indicator, SurveyDefinition
from surveys.models import (
    SignpostedService,
    SignpostingRecord,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
)

GROUP_COLUMNS = {
    "district": SurveyResponse.district,
    "organisation": SurveyResponse.organisation_id,
    "organisation_type": SurveyResponse.organisation_type,
    "need_category": SurveyResponse.need_category,
    "channel": SurveyResponse.channel,
    "day": SurveyResponse.submitted_on,
}
RESPONSE_FIELDS = (
    "survey_id",
    "survey_version",
    "submitted_on",
    "source",
    "district",
    "need_category",
    "channel",
    "organisation_id",
    "organisation_name",
    "organisation_type",
    "is_demo",
)
COPIED_TO_ANSWERS = (
    "survey_id",
    "submitted_on",
    "district",
    "need_category",
    "channel",
    "organisation_id",
    "organisation_type",
)
"""The response fields each answer row carries a copy of: everything a scope, ``restrict_to`` or a group needs."""
ScopedTable = type[SurveyResponse] | type[SurveyAnswer]


@dataclass(frozen=True)
class Scope:
    """Which responses a figure covers: a date range (inclusive) and optionally one district."""

    date_from: date
    date_to: date
    district: str | None = None


# --- Signposting records and invitations ---------------------------------------------------------------


REFERENCE_ATTEMPTS = 8


def add_record(record: SignpostingRecord, reference: Callable[[], str] | None = None) -> SignpostingRecord:
    """Store the record (with ``reference``, under a new reference; one already in use is drawn again)."""
    if reference is None:
        db.session.add(record)
        db.session.flush()  # the record's and its services' ids, which the invitation refers to
        return record
    for _attempt in range(REFERENCE_ATTEMPTS):
        record.reference = reference()
        try:
            with db.session.begin_nested():
                db.session.add(record)
            return record
        except IntegrityError:
            continue  # the savepoint's rollback took the pending record back out of the session
    raise RuntimeError("no free signposting reference after several attempts")


def get_record(record_id: str) -> SignpostingRecord | None:
    return db.session.scalars(
        select(SignpostingRecord)
        .where(SignpostingRecord.id == record_id)
        .options(selectinload(SignpostingRecord.services), selectinload(SignpostingRecord.invitations))
    ).first()


def recent_records(created_by: str | None, limit: int = 20) -> list[SignpostingRecord]:
    query = select(SignpostingRecord).order_by(SignpostingRecord.created_at.desc()).limit(limit)
    if created_by is not None:
        query = query.where(SignpostingRecord.created_by == created_by)
    return list(db.session.scalars(query.options(selectinload(SignpostingRecord.services))))


@dataclass(frozen=True)
class RecordSearch:
    """A call history search: whose records (None: everyone's), and optionally a reference, need, area, day."""

    created_by: str | None
    reference: str | None = None
    need_category: str | None = None
    district: str | None = None
    since: datetime | None = None
    before: datetime | None = None


def find_records(search: RecordSearch, limit: int = 50) -> list[SignpostingRecord]:
    """Records matching ``search``, newest first."""
    query = select(SignpostingRecord)
    if search.created_by is not None:
        query = query.where(SignpostingRecord.created_by == search.created_by)
    if search.reference:
        query = query.where(SignpostingRecord.reference == search.reference)
    if search.need_category:
        query = query.where(SignpostingRecord.need_category == search.need_category)
    if search.district:
        query = query.where(SignpostingRecord.district == search.district)
    if search.since is not None:
        query = query.where(SignpostingRecord.created_at >= search.since)
    if search.before is not None:
        query = query.where(SignpostingRecord.created_at < search.before)
    query = query.order_by(SignpostingRecord.created_at.desc(), SignpostingRecord.id).limit(limit)
    return list(
        db.session.scalars(
            query.options(selectinload(SignpostingRecord.services), selectinload(SignpostingRecord.invitations))
        )
    )


def claim_due_surveys(now: datetime, limit: int = 500) -> list[SignpostingRecord]:
    """Mark every due, unsent survey invitation as sent and return those records: one conditional UPDATE, the
    first statement of the transaction, so two runs at once cannot both claim a record (PostgreSQL makes the
    second wait for the first's commit and re-check; SQLite lets one writer in at a time)."""
    database.will_write()
    due = (
        select(SignpostingRecord.id)
        .where(SignpostingRecord.survey_due_at <= now, SignpostingRecord.survey_sent_at.is_(None))
        .order_by(SignpostingRecord.survey_due_at)
        .limit(limit)
        .scalar_subquery()
    )
    claimed = db.session.scalars(
        update(SignpostingRecord)
        .where(SignpostingRecord.id.in_(due), SignpostingRecord.survey_sent_at.is_(None))
        .values(survey_sent_at=now)
        .returning(SignpostingRecord.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    records = db.session.scalars(
        select(SignpostingRecord)
        .where(SignpostingRecord.id.in_(claimed))
        .order_by(SignpostingRecord.survey_due_at, SignpostingRecord.id)
        .options(selectinload(SignpostingRecord.services))
        .execution_options(populate_existing=True)
    )
    return list(records)


def unclaim_due_survey(record_id: str) -> None:
    """The message was refused: leave the invitation due, for the next run."""
    db.session.execute(
        update(SignpostingRecord)
        .where(SignpostingRecord.id == record_id)
        .values(survey_sent_at=None)
        .execution_options(synchronize_session=False)
    )


def cancel_due_survey(record_id: str) -> bool:
    """The caller asked for no more messages: the invitation will not be sent."""
    result = db.session.execute(
        update(SignpostingRecord)
        .where(SignpostingRecord.id == record_id, SignpostingRecord.survey_sent_at.is_(None))
        .values(survey_due_at=None, survey_send_by=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def add_invitation(invitation: SurveyInvitation) -> SurveyInvitation:
    db.session.add(invitation)
    db.session.flush()  # stored before the claim, which is a plain UPDATE
    return invitation


def invitation_by_hash(token_hash: str) -> SurveyInvitation | None:
    return db.session.scalars(
        select(SurveyInvitation)
        .where(SurveyInvitation.token_hash == token_hash)
        .options(selectinload(SurveyInvitation.record), selectinload(SurveyInvitation.signposted_service))
    ).first()


def used_on(now: datetime) -> datetime:
    """When an invitation counts as used: the start of its day, so the moment never pairs it with a response."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def claim_invitation(token_hash: str, now: datetime) -> bool:
    """Mark the invitation used if nobody has yet: one conditional UPDATE, so two requests cannot both win.

    PostgreSQL makes a second concurrent UPDATE wait and then re-check ``used_at``; SQLite lets one writer
    in at a time. The caller stores the response in the same transaction, which its request (or command) commits.
    """
    result = db.session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.token_hash == token_hash,
            SurveyInvitation.used_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .values(used_at=used_on(now))
        .execution_options(synchronize_session="fetch")  # the invitation already loaded reads as used
    )
    return result.rowcount == 1


# --- Responses ---------------------------------------------------------------------------------------------


def answer_rows(survey: SurveyDefinition, answers: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """Answer rows for the questions answered (blank answers are simply not stored)."""
    rows = []
    for question in survey.questions:
        value = answers.get(question.id)
        if value in (None, ""):
            continue
        is_text = question.type == "free_text"
        rows.append(
            {"question_id": question.id, "code": None if is_text else value, "text": value if is_text else None}
        )
    return rows


def add_responses(responses: Sequence[Mapping[str, Any]], answers: Sequence[Sequence[Mapping[str, Any]]]) -> int:
    """Insert many responses and their answers with two executemany statements; returns how many.

    Each answer row gets copies of its response's ``COPIED_TO_ANSWERS`` fields, which ``indicator_counts`` reads.
    """
    if not responses:
        return 0
    rows = [{name: response.get(name) for name in RESPONSE_FIELDS} for response in responses]
    for row in rows:
        row["is_demo"] = bool(row["is_demo"])
        row["id"] = str(uuid.uuid4())
    db.session.execute(insert(SurveyResponse.__table__), rows)
    ids = [row["id"] for row in rows]
    answer_params = [
        {
            "response_id": response_id,
            "question_id": answer["question_id"],
            "code": answer.get("code"),
            "text": answer.get("text"),
            **{name: row[name] for name in COPIED_TO_ANSWERS},
        }
        for response_id, row, these in zip(ids, rows, answers, strict=True)
        for answer in these
    ]
    if answer_params:  # a Core insert: the ORM's per-row bookkeeping would add nothing here
        db.session.execute(insert(SurveyAnswer.__table__), answer_params)
    return len(ids)


def delete_demo_responses() -> None:
    demo_ids = select(SurveyResponse.id).where(SurveyResponse.is_demo.is_(True))
    db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(demo_ids)))
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.is_demo.is_(True)))


def count_responses(survey_id: str | None = None) -> int:
    query = select(func.count()).select_from(SurveyResponse)
    if survey_id:
        query = query.where(SurveyResponse.survey_id == survey_id)
    return db.session.scalar(query) or 0


def _scoped(query, survey_id: str, scope: Scope, table: ScopedTable = SurveyResponse):
    """Limit ``query`` to one survey's responses (or their answers, which carry copies of the fields) in scope."""
    query = query.where(
        table.survey_id == survey_id,
        table.submitted_on >= scope.date_from,
        table.submitted_on <= scope.date_to,
    )
    if scope.district:
        query = query.where(table.district == scope.district)
    return query


def _in_scope(query, table: ScopedTable, indicator: Indicator, scope: Scope):
    """``query`` over ``table``, limited to the scope and the indicator's ``restrict_to``."""
    query = _scoped(query.select_from(table), indicator.survey_id, scope, table)
    for field, value in indicator.restrict_to.items():
        query = query.where(getattr(table, field) == value)
    return query


IndicatorCounts = dict[Any, dict[str | None, int]]
"""Responses per [group and] answer code, as ``{group: {code: count}}``."""


@dataclass(frozen=True)
class CountRequest:
    """One set of counts ``indicator_counts_many`` makes: an indicator over a scope, optionally per group."""

    indicator: Indicator
    scope: Scope
    group: str | None = None


def indicator_counts(indicator: Indicator, scope: Scope, group: str | None = None) -> IndicatorCounts:
    """Responses per [group and] answer code to the indicator's question, as ``{group: {code: count}}``.

    Responses that skipped the question count as blank (None). ``restrict_to`` is applied here. With no
    group the result has one key, None; groups and codes with no responses are left out.
    """
    return indicator_counts_many([CountRequest(indicator, scope, group)])[0]


def _count_selects(index: int, request: CountRequest) -> tuple[Any, Any]:
    """The two counts of one request, tagged with its index: its question's answers per code from
    ``survey_answer`` alone (each answer carries copies of its response's scope fields) and the responses in
    scope from ``survey_response``; the responses less the answers skipped the question. The group's value is
    read as text, so requests grouped by day and by district can share one statement."""
    indicator, scope, group = request.indicator, request.scope, request.group
    answer_column = getattr(SurveyAnswer, GROUP_COLUMNS[group].key) if group else None
    response_column = GROUP_COLUMNS[group] if group else None
    answer_key = [answer_column] if answer_column is not None else []
    response_key = [response_column] if response_column is not None else []
    answers = (
        select(
            literal_column(str(2 * index)),
            cast(answer_column, String) if answer_column is not None else null(),
            SurveyAnswer.code,
            func.count(),
        )
        .where(SurveyAnswer.question_id == indicator.question)
        .group_by(*answer_key, SurveyAnswer.code)
    )
    responses = select(
        literal_column(str(2 * index + 1)),
        cast(response_column, String) if response_column is not None else null(),
        null(),
        func.count(),
    ).group_by(*response_key)
    return _in_scope(answers, SurveyAnswer, indicator, scope), _in_scope(responses, SurveyResponse, indicator, scope)


def indicator_counts_many(requests: Sequence[CountRequest]) -> list[IndicatorCounts]:
    """``indicator_counts`` for each request, in order, from one statement (so one snapshot) of index-only
    counts, however many indicators, groups and organisations there are; no join."""
    if not requests:
        return []
    parts = [part for index, request in enumerate(requests) for part in _count_selects(index, request)]
    counts: list[defaultdict[Any, dict[str | None, int]]] = [defaultdict(dict) for _ in requests]
    answered: list[defaultdict[Any, int]] = [defaultdict(int) for _ in requests]
    responded: list[dict[Any, int]] = [{} for _ in requests]
    for tag, group_value, code, count in db.session.execute(union_all(*parts) if len(parts) > 1 else parts[0]):
        index, is_total = divmod(int(tag), 2)
        if group_value is not None and requests[index].group == "day":
            group_value = date.fromisoformat(group_value)
        if is_total:
            responded[index][group_value] = count
        else:
            counts[index][group_value][code] = count
            answered[index][group_value] += count
    for these, answered_here, responded_here in zip(counts, answered, responded, strict=True):
        for group_value, total in responded_here.items():
            if total > answered_here[group_value]:
                these[group_value][None] = these[group_value].get(None, 0) + total - answered_here[group_value]
    return [dict(these) for these in counts]


def organisation_names(organisation_ids: Iterable[str]) -> dict[str, str]:
    ids = [i for i in organisation_ids if i]
    if not ids:
        return {}
    rows = db.session.execute(
        select(SurveyResponse.organisation_id, func.max(SurveyResponse.organisation_name))
        .where(SurveyResponse.organisation_id.in_(ids))
        .group_by(SurveyResponse.organisation_id)
    )
    return {organisation_id: name for organisation_id, name in rows if name}


def responses_for_export(survey_id: str, scope: Scope, batch: int = 2000) -> Iterator[tuple[SurveyResponse, dict]]:
    """Responses in scope with their answers (question id → code or text), oldest day first, in batches."""
    last: tuple[date, str] | None = None
    key = tuple_(SurveyResponse.submitted_on, SurveyResponse.id)
    while True:
        query = _scoped(select(SurveyResponse), survey_id, scope)
        if last is not None:
            query = query.where(key > tuple_(*last))
        order = (SurveyResponse.submitted_on, SurveyResponse.id)
        responses = list(db.session.scalars(query.order_by(*order).limit(batch)))
        if not responses:
            return
        answers: defaultdict[str, dict[str, str | None]] = defaultdict(dict)
        rows = db.session.execute(
            select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.code, SurveyAnswer.text).where(
                SurveyAnswer.response_id.in_([r.id for r in responses])
            )
        )
        for response_id, question_id, code, text in rows:
            answers[response_id][question_id] = code if code is not None else text
        for response in responses:
            yield response, answers[response.id]
        last = (responses[-1].submitted_on, responses[-1].id)


# --- Retention, subject access and erasure -------------------------------------------------------------

CONTACT_COLUMNS = (SignpostingRecord.contact_email, SignpostingRecord.contact_mobile)


def purge_contact_details(before: datetime) -> dict[str, int]:
    """Blank the contact details on records made before ``before`` and delete older outbox messages.

    Everything else on a record (need, district, channel, the services listed) is anonymous and stays, as do
    survey responses, which never linked back to a record.
    """
    records = db.session.execute(
        update(SignpostingRecord)
        .where(
            SignpostingRecord.created_at < before,
            (SignpostingRecord.contact_email.is_not(None)) | (SignpostingRecord.contact_mobile.is_not(None)),
        )
        .values(contact_email=None, contact_mobile=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    messages = outbox.delete_before(before)
    return {"records_cleared": records or 0, "messages_deleted": messages}


def _person_filter(emails: Sequence[str], mobiles: Sequence[str]):
    record_match = [func.lower(SignpostingRecord.contact_email).in_(emails)] if emails else []
    record_match += [SignpostingRecord.contact_mobile.in_(mobiles)] if mobiles else []
    return or_(*record_match)


def person_data(
    emails: Sequence[str], mobiles: Sequence[str]
) -> tuple[list[SignpostingRecord], list[outbox.OutboxMessage]]:
    """Every record and outbox message holding one of these addresses or numbers (already normalised)."""
    records = db.session.scalars(
        select(SignpostingRecord)
        .where(_person_filter(emails, mobiles))
        .order_by(SignpostingRecord.created_at)
        .options(selectinload(SignpostingRecord.services), selectinload(SignpostingRecord.invitations))
    )
    return list(records), outbox.messages_to(emails, mobiles)


def erase_person(emails: Sequence[str], mobiles: Sequence[str]) -> dict[str, int]:
    """Blank these contact details on every record and delete the outbox messages sent to them."""
    records = db.session.execute(
        update(SignpostingRecord)
        .where(_person_filter(emails, mobiles))
        .values(contact_email=None, contact_mobile=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return {"records_cleared": records or 0, "messages_deleted": outbox.delete_messages_to(emails, mobiles)}


def signposted_service(service_id: int) -> SignpostedService | None:
    return db.session.get(SignpostedService, service_id)
