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
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from catalogue.models import Release
from requests_intake.models import ApplicationRequest, Attachment, PerangkatDaerah
from workflow.models import (
    ApplicationReuse,
    Check,
    Comment,
    CompletionRequest,
    Decision,
    DesignRecord,
    Disposition,
    Handover,
    Invitation,
    Meeting,
    PrakomAssignment,
    PresentationRound,
    Receipt,
    ReportRecord,
    ReviewRound,
    Socialisation,
    StudyChecklist,
    TransitionLog,
    UnitAgreement,
)
from workflow.queries import ProposalQuerySet
from workflow.roles import is_official
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


def request_detail(req: ApplicationRequest) -> dict:
    """Everything the proposal page shows besides the proposal itself."""
    log = list(
        TransitionLog.objects.filter(request=req)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    attachments = list(
        Attachment.objects.filter(request=req)
        .select_related("uploaded_by")
        .order_by("kind", "-version")
    )
    by_kind: dict[str, list[Attachment]] = {}
    for attachment in attachments:
        by_kind.setdefault(attachment.kind, []).append(attachment)

    def records(model, *related):
        return list(model.objects.filter(request=req).select_related("created_by", *related))

    return {
        "log": log,
        "attachments_by_kind": [
            {"kind": versions[0].get_kind_display(), "latest": versions[0], "older": versions[1:]}
            for versions in by_kind.values()
        ],
        "receipt": next(iter(records(Receipt)), None),
        "dispositions": records(Disposition),
        "decision": next(iter(records(Decision, "assigned_prakom")), None),
        "designs": records(DesignRecord),
        "presentations": records(PresentationRound),
        "reviews": records(ReviewRound),
        "reports": records(ReportRecord),
        "checks": records(Check),
        "socialisation": next(iter(records(Socialisation)), None),
        "comments": list(
            Comment.objects.filter(request=req)
            .select_related("author", "deleted_by")
            .prefetch_related("revisions")
            .order_by("created_at", "pk")
        ),
        "assignments": list(
            PrakomAssignment.objects.filter(request=req).select_related(
                "prakom", "previous", "assigned_by"
            )
        ),
    }


# --- The office around the steps: what the proposal page shows of it -----------------

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


def office_detail(req: ApplicationRequest, user: Any) -> dict:
    """Returns, checklists, meetings, the unit's agreements, the application and its handover.

    ``internal`` says whether the person is Diskominfo staff; the study checklists are only
    read for them.
    """
    internal = is_official(user)
    meetings = list(
        Meeting.objects.filter(request=req).prefetch_related(
            Prefetch(
                "invitations", queryset=Invitation.objects.select_related("user", "user__unit")
            )
        )
    )
    return {
        "internal": internal,
        "completions": list(
            CompletionRequest.objects.filter(request=req).select_related("created_by")
        ),
        "checklists": list(StudyChecklist.objects.filter(request=req).select_related("created_by"))
        if internal
        else [],
        "meetings": meetings,
        "my_invitations": [
            i for m in meetings if not m.held for i in m.invitations.all() if i.user_id == user.pk
        ],
        "agreements": list(UnitAgreement.objects.filter(request=req).select_related("created_by")),
        "release": Release.objects.filter(proposal=req).first(),
        "handover": Handover.objects.filter(request=req)
        .select_related("receiver", "application", "created_by")
        .first(),
        "reuse": ApplicationReuse.objects.filter(request=req).select_related("application").first(),
    }
