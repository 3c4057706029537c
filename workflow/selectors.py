"""Reads shared by several pages: the inbox, the proposal list, the proposal page."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from catalogue.models import Release
from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind, PerangkatDaerah
from workflow import masterdata
from workflow.models import (
    ApplicationReuse,
    Check,
    Comment,
    CommentRevision,
    CompletionRequest,
    Decision,
    DesignRecord,
    Disposition,
    Handover,
    Invitation,
    Meeting,
    PresentationRound,
    Receipt,
    ReportRecord,
    ReviewRound,
    Socialisation,
    StepVisit,
    StudyChecklist,
    TransitionLog,
    UnitAgreement,
)
from workflow.queries import ProposalQuerySet
from workflow.roles import is_official
from workflow.rows import Part
from workflow.rows import fetch as rows_of
from workflow.sla import StepTiming, timings_of
from workflow.states import STEP_OF_STATE


def inbox(user) -> QuerySet[ApplicationRequest]:
    return (
        ApplicationRequest.objects.waiting_for(user)
        .select_related("unit")
        .order_by("state_entered_at", "pk")
    )


def inbox_counts(user) -> list[dict]:
    """Waiting proposals per SOP step for this person."""
    rows = ApplicationRequest.objects.waiting_for(user).values("state").annotate(n=Count("pk"))
    per_step: dict[int, int] = {}
    for row in rows:
        step = STEP_OF_STATE[row["state"]]
        per_step[step] = per_step.get(step, 0) + row["n"]
    return [{"step": step, "count": per_step[step]} for step in sorted(per_step)]


def inbox_total(user) -> int:
    return ApplicationRequest.objects.waiting_for(user).count()


# People still say SKPD or OPD for a Perangkat Daerah: these words alone match nothing.
_UNIT_SYNONYMS = re.compile(r"\b(skpd|opd|perangkat\s+daerah)\b", re.IGNORECASE)


@dataclass
class ListFilters:
    q: str = ""
    state: str = ""
    unit: int | None = None
    year: int | None = None


# The SQLite full-text table (trigram tokenizer) over the proposal's searched columns; see
# requests_intake/migrations/0007_search_indexes.py. PostgreSQL uses pg_trgm indexes instead.
_SEARCH_TABLE = "requests_intake_search"


def _unit_condition(word: str) -> Q:
    return Q(name__icontains=word) | Q(short_name__icontains=word) | Q(code__iexact=word)


def _units_matching(words: list[str]) -> tuple[list[list[int] | None], int]:
    """For each word, the ids of the units whose name, short name or code it matches;
    ``None`` when it matches every unit (the word then holds for every proposal). And how
    many units there are.

    One query on the small unit table. With the units as ids, every condition left on the
    proposal is on its own table, where a substring index can serve it (a condition through
    the join would make the engine read every proposal).
    """
    marks = {
        f"w{index}": ExpressionWrapper(_unit_condition(word), output_field=BooleanField())
        for index, word in enumerate(words)
    }
    found: list[list[int]] = [[] for _ in words]
    rows = list(PerangkatDaerah.objects.annotate(**marks).values_list("pk", *marks))
    for pk, *matched in rows:
        for index, hit in enumerate(matched):
            if hit:
                found[index].append(pk)
    return [None if len(ids) == len(rows) else ids for ids in found], len(rows)


def _text_condition(word: str) -> Q:
    return (
        Q(registration_number__icontains=word)
        | Q(app_name__icontains=word)
        | Q(letter_number__icontains=word)
    )


# SQLite: the full-text table gives the rows whose searched columns hold the words (trigram
# index), a superset of what the LIKE conditions keep (it also folds case beyond ASCII), so
# those conditions stay and decide. Words under three characters have no trigram.


def _phrases(words: list[str]) -> str:
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def _full_text(word: str) -> Q:
    """SQLite: the rows whose searched columns hold ``word``, as a condition (it sits in an
    OR with the units the word names)."""
    return Q(
        pk__in=RawSQL(  # noqa: S611 - fixed SQL, the phrases are a parameter
            f"SELECT rowid FROM {_SEARCH_TABLE} WHERE {_SEARCH_TABLE} MATCH %s",  # noqa: S608
            [_phrases([word])],
        )
    )


def _joined_full_text(
    qs: QuerySet[ApplicationRequest], words: list[str]
) -> QuerySet[ApplicationRequest]:
    """SQLite: only the rows whose searched columns hold every word, joined to the full-text
    table. A join, not ``id IN (…)``: the engine then reads the matches one at a time, so a
    count that stops at the cap stops reading (``IN`` first gathers every match)."""
    quote = connections[qs.db].ops.quote_name
    meta = ApplicationRequest._meta
    pk = f"{quote(meta.db_table)}.{quote(meta.pk.column)}"
    return qs.extra(  # noqa: S610 - fixed SQL, the phrases are a parameter
        tables=[_SEARCH_TABLE],
        where=[f"{_SEARCH_TABLE}.rowid = {pk}", f"{_SEARCH_TABLE} MATCH %s"],
        params=[_phrases(words)],
    )


@dataclass
class ProposalRows:
    """The proposals of a list, newest first, in two forms holding the same rows.

    ``found`` gathers the matches through the indexes that fit the conditions, then sorts
    them: quick while they are few. On SQLite it is told to: it narrows through the
    full-text table, and it sorts by ``+created_at``, since SQLite's statistics know no
    value's frequency and it would otherwise walk the date index hoping for a page soon.
    ``in_order`` keeps the exact conditions alone and reads newest first along the date
    index, stopping after a page: quick when the matches are many. (``CappedPaginator``
    counts with the one and reads past its cap with the other.)
    """

    found: QuerySet[ApplicationRequest]
    in_order: QuerySet[ApplicationRequest]


def _filtered(qs: ProposalQuerySet, filters: ListFilters) -> ProposalQuerySet:
    if filters.state:
        qs = qs.running() if filters.state == "running" else qs.filter(state=filters.state)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.year:
        qs = qs.filter(created_at__year=filters.year)
    return qs


class _Unindexed(Func):
    """SQLite's ``+column``: the column's value, which no index can supply in order."""

    template = "+%(expressions)s"


def request_rows(user, filters: ListFilters) -> ProposalRows:
    in_order = found = ApplicationRequest.objects.visible_to(user).select_related("unit")
    indexed = connections[found.db].vendor == "sqlite"
    text = _UNIT_SYNONYMS.sub(" ", filters.q or "").strip()
    words = text.split()[:6]
    own_columns = []  # words no unit matches: one index join for all of them
    if words:
        matches, units = _units_matching(words)
        for word, unit_ids in zip(words, matches, strict=True):
            if unit_ids is None:
                continue
            condition = narrowed = _text_condition(word)
            if indexed and len(word) >= 3:
                if not unit_ids:
                    own_columns.append(word)
                elif len(unit_ids) * 2 <= units:
                    # (A word naming most units holds for most proposals: looking it up
                    # would gather nearly every row and narrow nothing.)
                    narrowed &= _full_text(word)
            if unit_ids:
                condition |= Q(unit_id__in=unit_ids)
                narrowed |= Q(unit_id__in=unit_ids)
            in_order = in_order.filter(condition)
            found = found.filter(narrowed)
    gathered: QuerySet[ApplicationRequest] = _filtered(found, filters)
    if own_columns:
        gathered = _joined_full_text(gathered, own_columns)
    newest = _Unindexed("created_at", output_field=DateTimeField()) if indexed else F("created_at")
    return ProposalRows(
        found=gathered.order_by(newest.desc(), "-pk"),
        in_order=_filtered(in_order, filters).order_by("-created_at", "-pk"),
    )


def request_list(user, filters: ListFilters) -> QuerySet[ApplicationRequest]:
    return request_rows(user, filters).found


# --- The proposal page ------------------------------------------------------------------

# Transitions whose notes are Diskominfo's internal working (dispositions, study and check
# notes): the requesting unit sees that they happened, not what was written.
INTERNAL_NOTES = frozenset(
    {
        "receive",
        "forward_to_kabid",
        "forward_to_kadis",
        "kabid_return_to_kasi",
        "kasi_accept",
        "kabid_accept",
        "kadis_accept",
        "kasi_return",
        "kabid_return",
        "kadis_return",
    }
)

# What the page shows of a person: ``str(user)``, the full name or else the username.
_PERSON = ("first_name", "last_name", "username")
_RECORDED = ("created_by", "created_at")
_BY = {"created_by": _PERSON}


def _page_parts(proposal_id: int, internal: bool) -> dict[str, Part]:
    """What the proposal page reads besides the proposal, as parts of one query.

    The unit's people (not ``internal``) get no dispositions and no study checklists:
    the page would not show them.
    """
    own = {"request_id": proposal_id}
    parts = {
        "log": Part(
            TransitionLog.objects.filter(**own),
            ("transition", "from_state", "to_state", "actor", "role", "note", "late_reason")
            + ("created_at", "acting"),
            {"actor": _PERSON, "acting": ("kind",)},
        ),
        "attachments": Part(
            Attachment.objects.filter(**own),
            ("request", "kind", "version", "original_name", "size", "uploaded_by", "uploaded_at"),
            {"uploaded_by": _PERSON},
        ),
        "visits": Part(
            StepVisit.objects.filter(**own),
            ("step", "entered_at", "due_date", "standard_amount", "calendar_days")
            + ("finished_at", "taken", "on_time"),
        ),
        "receipt": Part(
            Receipt.objects.filter(**own),
            ("agenda_number", "received_date", "sifat", "study_notes", *_RECORDED),
            _BY,
        ),
        "decision": Part(
            Decision.objects.filter(**own),
            ("needed", "reason", "assigned_prakom", *_RECORDED),
            {"assigned_prakom": _PERSON, **_BY},
        ),
        "designs": Part(DesignRecord.objects.filter(**own), ("summary", *_RECORDED), _BY),
        "presentations": Part(
            PresentationRound.objects.filter(**own),
            ("round", "held_on", "place", "attendees", "points_raised", *_RECORDED),
            _BY,
        ),
        "reviews": Part(
            ReviewRound.objects.filter(**own),
            ("round", "requested_changes", "changes_made", "outcome", *_RECORDED),
            _BY,
        ),
        "reports": Part(
            ReportRecord.objects.filter(**own),
            ("round", "summary", "manual_version", "application_url", *_RECORDED),
            _BY,
        ),
        "checks": Part(Check.objects.filter(**own), ("role", "accepted", "note", *_RECORDED), _BY),
        "socialisation": Part(
            Socialisation.objects.filter(**own),
            ("held_on", "place", "participants", "material", *_RECORDED),
            _BY,
        ),
        "comments": Part(
            Comment.objects.filter(**own),
            ("author", "author_title", "body", "file", "original_name", "size", "created_at")
            + ("edited_at", "deleted_at", "deleted_by"),
            {"author": _PERSON, "deleted_by": _PERSON},
        ),
        "revisions": Part(
            CommentRevision.objects.filter(comment__request_id=proposal_id),
            ("comment", "body", "written_at"),
        ),
        "completions": Part(
            CompletionRequest.objects.filter(**own),
            ("round", "to_unit", "missing", *_RECORDED),
            _BY,
        ),
        "meetings": Part(
            Meeting.objects.filter(**own),
            ("kind", "round", "date", "time", "place", "online_link", "held", "created_at"),
        ),
        "invitations": Part(
            Invitation.objects.filter(meeting__request_id=proposal_id),
            ("meeting", "user", "confirmed_at", "attended"),
            {"user": _PERSON},
        ),
        "agreements": Part(
            UnitAgreement.objects.filter(**own),
            ("round", "agreed", "points", "role", *_RECORDED),
            _BY,
        ),
        "release": Part(
            Release.objects.filter(proposal_id=proposal_id),
            ("url", "test_account_note", "source_repository", "version", "hosting")
            + ("hosting_note", "uat_document", "uat_original_name", "security_document")
            + ("security_original_name", "security_assessed_on", "security_assessor"),
            order=("pk",),
        ),
        "handover": Part(
            Handover.objects.filter(**own),
            ("address", "source", "documentation", "admin_accounts_separately", "receiver")
            + ("note", "application", *_RECORDED),
            {"receiver": _PERSON, "application": ("name", "status"), **_BY},
            order=("pk",),
        ),
        "reuse": Part(
            ApplicationReuse.objects.filter(**own),
            ("application",),
            {"application": ("name", "url")},
            order=("pk",),
        ),
    }
    if internal:
        parts["dispositions"] = Part(
            Disposition.objects.filter(**own),
            ("from_role", "to_role", "instructions", "note", *_RECORDED),
            _BY,
        )
        parts["checklists"] = Part(
            StudyChecklist.objects.filter(**own),
            ("letter_signed", "tor_attached", "existing_app", "personal_data", "budget")
            + ("hosting", "note", *_RECORDED),
            _BY,
        )
    return parts


def proposal_detail(req: ApplicationRequest, user: Any) -> dict:
    """Everything the proposal page shows besides the proposal itself, in one query.

    Comments carry ``earlier_versions`` (their revisions) and meetings ``invited`` (their
    invitations, each with its meeting).
    """
    internal = is_official(user)
    rows = rows_of(_page_parts, req.pk, internal)
    kind_labels = dict(AttachmentKind.choices)
    by_kind: dict[str, list[Attachment]] = {}
    for attachment in rows["attachments"]:
        by_kind.setdefault(attachment.kind, []).append(attachment)
    revisions: dict[int, list[CommentRevision]] = {}
    for revision in rows["revisions"]:
        revisions.setdefault(revision.comment_id, []).append(revision)
    for comment in rows["comments"]:
        comment.earlier_versions = revisions.get(comment.pk, [])
    meetings = rows["meetings"]
    for meeting in meetings:
        meeting.invited = [i for i in rows["invitations"] if i.meeting_id == meeting.pk]
        for invitation in meeting.invited:
            invitation.meeting = meeting
    return {
        "internal": internal,
        "internal_notes": INTERNAL_NOTES,
        "log": rows["log"],
        "attachments_by_kind": [
            {"kind": kind_labels.get(kind, kind), "latest": versions[0], "older": versions[1:]}
            for kind, versions in by_kind.items()
        ],
        "timings": _timings(rows["visits"]),
        "receipt": next(iter(rows["receipt"]), None),
        "dispositions": rows.get("dispositions", []),
        "decision": next(iter(rows["decision"]), None),
        "designs": rows["designs"],
        "presentations": rows["presentations"],
        "reviews": rows["reviews"],
        "reports": rows["reports"],
        "checks": rows["checks"],
        "socialisation": next(iter(rows["socialisation"]), None),
        "comments": rows["comments"],
        "completions": rows["completions"],
        "checklists": rows.get("checklists", []),
        "meetings": meetings,
        "my_invitations": [
            i for m in meetings if not m.held for i in m.invited if i.user_id == user.pk
        ],
        "agreements": rows["agreements"],
        "release": next(iter(rows["release"]), None),
        "handover": next(iter(rows["handover"]), None),
        "reuse": next(iter(rows["reuse"]), None),
    }


def _timings(visits: list[StepVisit]) -> list[StepTiming]:
    """``workflow.sla.step_timings`` over visits already read, with the cached standards."""
    return timings_of(visits, masterdata.step_standards())
