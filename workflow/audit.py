"""The tamper-evident transition log.

Each ``TransitionLog`` row carries its place in its proposal's log (``seq`` 1, 2, …) and a
SHA-256 over its content and the previous row's hash (``prev_hash``; zeros for the first).
Changing a row breaks its own hash; removing one leaves a gap in ``seq`` and a
``prev_hash`` that matches nothing; removing the newest rows leaves a log that no longer
ends where the proposal stands. ``manage.py verify_audit`` reports all three.

Someone who can write to the database could recompute a whole chain, so the command also
prints a fingerprint of every chain's head: recorded elsewhere (the daily operations log,
a printed report), it shows later that history was not rewritten since.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from workflow.models import TransitionLog

GENESIS = "0" * 64


def canonical(log: TransitionLog) -> bytes:
    """The bytes a row's hash is taken over; never change them (old hashes would break)."""
    created = log.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = {
        "request": log.request_id,
        "seq": log.seq,
        "transition": log.transition,
        "from_state": log.from_state,
        "to_state": log.to_state,
        "actor": log.actor_id,
        "role": log.role,
        "acting": log.acting_id,
        "note": log.note,
        "created_at": created,
        "prev_hash": log.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(log: TransitionLog) -> str:
    return hashlib.sha256(canonical(log)).hexdigest()


def append_log(**fields) -> TransitionLog:
    """Write the next log row of ``fields["request"]``, chained to the previous one.

    The caller holds the proposal's row lock (``select_for_update``), so no other
    transaction appends to the same chain meanwhile; ``uniq_log_request_seq`` backs it.
    """
    draft = TransitionLog(**fields)
    last = (
        TransitionLog.objects.filter(request_id=draft.request_id)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    draft.seq, draft.prev_hash = (last[0] + 1, last[1]) if last and last[0] else (1, GENESIS)
    return TransitionLog.objects.create(
        **fields, seq=draft.seq, prev_hash=draft.prev_hash, hash=row_hash(draft)
    )


@dataclass(frozen=True)
class Problem:
    request_id: int
    number: str
    detail: str

    def __str__(self) -> str:
        return f"{self.number} (id {self.request_id}): {self.detail}"


def _check_chain(req, rows: list[TransitionLog]) -> Iterator[Problem]:
    number = req.registration_number or f"draft #{req.pk}"

    def problem(detail: str) -> Problem:
        return Problem(req.pk, number, detail)

    expected_seq, expected_prev = 1, GENESIS
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
        if row_hash(row) != row.hash:
            yield problem(f"log row seq {row.seq} (id {row.pk}) was changed after it was written")
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


@dataclass
class Report:
    proposals: int
    rows: int
    problems: list[Problem]
    fingerprint: str


def verify(request_ids: Iterable[int] | None = None) -> Report:
    """Check every proposal's chain (or the given ones); see the module docstring."""
    from requests_intake.models import ApplicationRequest

    proposals = ApplicationRequest.objects.only(
        "pk", "registration_number", "state", "state_entered_at"
    )
    if request_ids is not None:
        proposals = proposals.filter(pk__in=list(request_ids))
    logs = TransitionLog.objects.order_by("request_id", "seq", "pk")
    if request_ids is not None:
        logs = logs.filter(request_id__in=list(request_ids))
    by_request: dict[int, list[TransitionLog]] = {}
    for row in logs.iterator(chunk_size=2000):
        by_request.setdefault(row.request_id, []).append(row)
    problems: list[Problem] = []
    heads = hashlib.sha256()
    count = rows = 0
    for req in proposals.order_by("pk").iterator(chunk_size=2000):
        chain = by_request.pop(req.pk, [])
        count += 1
        rows += len(chain)
        problems.extend(_check_chain(req, chain))
        if chain:
            heads.update(f"{req.pk}:{chain[-1].seq}:{chain[-1].hash}\n".encode())
    for request_id, chain in by_request.items():  # rows whose proposal is gone
        problems.append(
            Problem(request_id, f"proposal #{request_id}", f"{len(chain)} log rows, no proposal")
        )
    return Report(proposals=count, rows=rows, problems=problems, fingerprint=heads.hexdigest())
