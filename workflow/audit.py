"""The tamper-evident transition log.

Each ``TransitionLog`` row carries its place in its proposal's log (``seq`` 1, 2, …) and a
SHA-256 over its content and the previous row's hash (``prev_hash``; zeros for the first).
Changing a row breaks its own hash; removing one leaves a gap in ``seq`` and a
``prev_hash`` that matches nothing; removing the newest rows leaves a log that no longer
ends where the proposal stands. ``manage.py verify_audit`` reports all three.

Rows written since hash format 2 (``hash_version``) also cover what the transition decided
and what it rests on: the step record it created (a decision's *perlu* / *tidak perlu* and
its reason, a check's accept or return, the receipt's agenda number …), the proposal's
identifying fields (number, unit, application name, letter, author), and the id and SHA-256
of every attachment uploaded before it and not covered by an earlier row. Format 1 rows
(written before) keep verifying as they were sealed. ``verify`` also re-reads every stored
file: an attachment or archived document whose bytes no longer match the SHA-256 its row
keeps is reported. Archived documents are rendered after their transition commits, so they
are not in the chain; on PostgreSQL a trigger refuses any change to a ready document's row
(and to log rows and step records), so its stored SHA-256 stays the reference.

Someone who can write to the database (and drop the triggers) could recompute a whole
chain, so the command also prints a fingerprint of every chain's head: recorded elsewhere
(the daily operations log, a printed report), it shows later that history was not
rewritten since.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

from reports.models import Document, DocumentStatus
from requests_intake.models import ApplicationRequest, Attachment
from workflow.models import StepRecord, TransitionLog

GENESIS = "0" * 64
CURRENT_VERSION = 2
# The proposal's fields that say what it is and whose it is; frozen once it is submitted.
PROPOSAL_FIELDS = (
    "registration_number",
    "unit",
    "app_name",
    "letter_number",
    "letter_date",
    "created_by",
    "created_at",
)
_CHUNK = 1024 * 1024


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return _utc(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _field_values(obj: models.Model, names: Iterable[str] | None = None) -> dict[str, Any]:
    fields = obj._meta.concrete_fields
    if names is not None:
        wanted = set(names)
        fields = [f for f in fields if f.name in wanted]  # type: ignore[assignment]
    return {f.attname: _plain(f.to_python(getattr(obj, f.attname))) for f in fields}


def step_record_models() -> list[type[StepRecord]]:
    return sorted(
        (m for m in apps.get_models() if issubclass(m, StepRecord)),
        key=lambda m: m._meta.label_lower,
    )


def record_content(record: models.Model) -> dict[str, Any]:
    """A step record as hashed: every field but its own id and its link to the log row."""
    values = _field_values(record)
    values.pop("id", None)
    values.pop("log_id", None)
    return {"model": record._meta.label_lower, **values}


def proposal_content(proposal: models.Model) -> dict[str, Any]:
    return {"id": proposal.pk, **_field_values(proposal, PROPOSAL_FIELDS)}


def canonical(
    log: TransitionLog,
    *,
    proposal: models.Model | None = None,
    records: list[models.Model] | None = None,
) -> bytes:
    """The bytes a row's hash is taken over; never change a version's bytes (old hashes
    would break): a new format is a new ``hash_version``."""
    content: dict[str, Any] = {
        "request": log.request_id,
        "seq": log.seq,
        "transition": log.transition,
        "from_state": log.from_state,
        "to_state": log.to_state,
        "actor": log.actor_id,
        "role": log.role,
        "acting": log.acting_id,
        "note": log.note,
        "created_at": _utc(log.created_at),
        "prev_hash": log.prev_hash,
    }
    version = log.hash_version or 1
    if version >= 2:
        if proposal is None:
            proposal = log.request
        if records is None:
            records = records_of(log)
        content["v"] = version
        content["proposal"] = proposal_content(proposal)
        content["records"] = sorted(
            (record_content(r) for r in records), key=lambda c: json.dumps(c, sort_keys=True)
        )
        content["attachments"] = [list(pair) for pair in log.attachments]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(log: TransitionLog, **context) -> str:
    """The hash ``log`` should carry (its proposal and records read from the database unless
    given)."""
    return hashlib.sha256(canonical(log, **context)).hexdigest()


def records_of(log: TransitionLog) -> list[models.Model]:
    if log.pk is None:
        return []
    found: list[models.Model] = []
    for model in step_record_models():
        found.extend(model._base_manager.filter(log_id=log.pk))
    return found


def seal(
    req: ApplicationRequest,
    *,
    attachments: list[list[Any]],
    record: tuple[type[StepRecord], dict] | None = None,
    **fields,
) -> tuple[TransitionLog, StepRecord | None]:
    """The next log row of ``req`` and its step record, unsaved, chained to the head the
    proposal row keeps; advances that head (the caller saves ``req`` and then both rows,
    ``write_sealed``).

    ``attachments`` are ``[id, sha256]`` of the proposal's attachments with an id above
    ``req.log_attachments_through``. The caller holds the proposal's row lock
    (``select_for_update``), so no other transaction appends to the same chain meanwhile;
    ``uniq_log_request_seq`` backs it.
    """
    draft = TransitionLog(
        request=req,
        **fields,
        hash_version=CURRENT_VERSION,
        seq=req.log_seq + 1,
        prev_hash=req.log_hash or GENESIS,
        attachments=attachments,
    )
    pending = None
    if record is not None:
        model, record_fields = record
        pending = model(**record_fields)
    draft.hash = row_hash(draft, proposal=req, records=[pending] if pending else [])
    req.log_seq, req.log_hash = req.log_seq + 1, draft.hash
    if attachments:
        req.log_attachments_through = max(pk for pk, _digest in attachments)
    return draft, pending


def write_sealed(log: TransitionLog, record: StepRecord | None) -> TransitionLog:
    log.save(force_insert=True)
    if record is not None:
        record.log = log
        record.save(force_insert=True)
    return log


@dataclass(frozen=True)
class Problem:
    request_id: int
    number: str
    detail: str

    def __str__(self) -> str:
        return f"{self.number} (id {self.request_id}): {self.detail}"


@dataclass
class AuditData:
    """What ``verify`` reads: from the database (``from_database``) or from a backup's rows.

    ``file_digest`` gives a stored file's SHA-256 (``None`` when it is missing); without it
    files are not read.
    """

    proposals: list
    logs: list
    records: dict[int, list] = field(default_factory=dict)
    attachments: dict[int, Any] = field(default_factory=dict)
    documents: list = field(default_factory=list)
    file_digest: Callable[[str], str | None] | None = None


def storage_digest(name: str) -> str | None:
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        return None
    digest = hashlib.sha256()
    with handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def from_database(request_ids: Iterable[int] | None = None, *, files: bool = True) -> AuditData:
    ids = list(request_ids) if request_ids is not None else None

    def scoped(qs, key: str = "request_id__in"):
        return qs.filter(**{key: ids}) if ids is not None else qs

    proposals = list(scoped(ApplicationRequest.objects.all(), "pk__in").order_by("pk"))
    logs = list(scoped(TransitionLog.objects.all()).order_by("request_id", "seq", "pk"))
    records: dict[int, list] = {}
    for model in step_record_models():
        for record in scoped(model._base_manager.all()).iterator(chunk_size=2000):
            records.setdefault(record.log_id, []).append(record)
    attachments = {a.pk: a for a in scoped(Attachment.objects.all())}
    documents = list(scoped(Document.objects.filter(status=DocumentStatus.READY)))
    return AuditData(
        proposals=proposals,
        logs=logs,
        records=records,
        attachments=attachments,
        documents=documents,
        file_digest=storage_digest if files else None,
    )


def _check_chain(req, rows: list[TransitionLog], data: AuditData) -> Iterator[Problem]:
    number = req.registration_number or f"draft #{req.pk}"

    def problem(detail: str) -> Problem:
        return Problem(req.pk, number, detail)

    expected_seq, expected_prev, version = 1, GENESIS, 1
    for row in rows:
        if not row.hash or row.seq is None:
            yield problem(f"log row id {row.pk} is not sealed (written outside the services?)")
            continue
        if row.seq > expected_seq:
            missing = ", ".join(str(n) for n in range(expected_seq, row.seq))
            yield problem(f"log row(s) seq {missing} removed (next present: id {row.pk})")
        elif row.seq < expected_seq:
            yield problem(f"log row id {row.pk} repeats seq {row.seq}")
        elif row.prev_hash != expected_prev:
            yield problem(
                f"log row seq {row.seq} (id {row.pk}) does not follow the row before it "
                "(that row was changed or replaced)"
            )
        if (row.hash_version or 1) < version:
            yield problem(f"log row seq {row.seq} (id {row.pk}) claims an older hash format")
        version = max(version, row.hash_version or 1)
        records = data.records.get(row.pk, [])
        if row_hash(row, proposal=req, records=records) != row.hash:
            yield problem(
                f"log row seq {row.seq} (id {row.pk}) was changed after it was written"
                + (
                    ", or the proposal's identity, the step's record or an attachment it "
                    "seals was changed"
                    if version >= 2
                    else ""
                )
            )
        for pk, digest in row.attachments or ():
            attachment = data.attachments.get(pk)
            if attachment is None or attachment.request_id != req.pk:
                yield problem(f"attachment id {pk} sealed by log row seq {row.seq} was removed")
            elif attachment.sha256 != digest:
                yield problem(
                    f"attachment id {pk} ({attachment.file}) has a SHA-256 other than the one "
                    f"log row seq {row.seq} sealed"
                )
        expected_seq, expected_prev = row.seq + 1, row.hash
    last = rows[-1] if rows else None
    if last is None:
        if req.state != "draft":
            yield problem("every log row removed (the proposal was submitted)")
        return
    if last.to_state != req.state:
        yield problem(
            f"the log ends in {last.to_state!r} but the proposal is in {req.state!r} "
            "(latest rows removed, or the state written outside the services)"
        )
    elif last.created_at != req.state_entered_at:
        # ``_take`` stamps both from the same clock reading.
        yield problem(
            f"the log's last row (seq {last.seq}) is not the transition that brought the "
            "proposal to its state (latest rows removed)"
        )


def _check_files(data: AuditData, numbers: dict[int, str]) -> Iterator[Problem]:
    if data.file_digest is None:
        return

    def problem(request_id: int, detail: str) -> Problem:
        return Problem(request_id, numbers.get(request_id, f"proposal #{request_id}"), detail)

    stored = [
        (f"attachment id {a.pk}", "file", a)
        for a in sorted(data.attachments.values(), key=lambda a: a.pk)
    ] + [
        (f"archived document {d.number or d.code_display}", "PDF", d)
        for d in sorted(data.documents, key=lambda d: d.pk)
    ]
    for label, what, row in stored:
        digest = data.file_digest(str(row.file)) if row.file else None
        if digest is None:
            yield problem(row.request_id, f"{label}: file missing")
        elif digest != row.sha256:
            yield problem(
                row.request_id,
                f"{label}: the stored {what} {row.file} does not match its SHA-256 "
                "(replaced on disk)",
            )


@dataclass
class Report:
    proposals: int
    rows: int
    problems: list[Problem]
    fingerprint: str


def verify(request_ids: Iterable[int] | None = None, *, files: bool = True) -> Report:
    """Check every proposal's chain (or the given ones); see the module docstring."""
    return verify_data(from_database(request_ids, files=files))


def verify_data(data: AuditData) -> Report:
    by_request: dict[int, list[TransitionLog]] = {}
    for row in sorted(data.logs, key=lambda r: (r.request_id, r.seq or 0, r.pk)):
        by_request.setdefault(row.request_id, []).append(row)
    problems: list[Problem] = []
    heads = hashlib.sha256()
    count = rows = 0
    numbers: dict[int, str] = {}
    for req in sorted(data.proposals, key=lambda r: r.pk):
        numbers[req.pk] = req.registration_number or f"draft #{req.pk}"
        chain = by_request.pop(req.pk, [])
        count += 1
        rows += len(chain)
        problems.extend(_check_chain(req, chain, data))
        if chain:
            heads.update(f"{req.pk}:{chain[-1].seq}:{chain[-1].hash}\n".encode())
    for request_id, chain in by_request.items():  # rows whose proposal is gone
        problems.append(
            Problem(request_id, f"proposal #{request_id}", f"{len(chain)} log rows, no proposal")
        )
    problems.extend(_check_files(data, numbers))
    return Report(proposals=count, rows=rows, problems=problems, fingerprint=heads.hexdigest())
