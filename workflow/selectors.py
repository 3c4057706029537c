"""Reads shared by several pages: the inbox, the proposal list, the proposal page."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
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


def _units_matching(words: list[str]) -> list[list[int] | None]:
    """For each word, the ids of the units whose name, short name or code it matches;
    ``None`` when it matches every unit (the word then holds for every proposal).

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
    return [None if len(ids) == len(rows) else ids for ids in found]


def _text_condition(word: str) -> Q:
    return (
        Q(registration_number__icontains=word)
        | Q(app_name__icontains=word)
        | Q(letter_number__icontains=word)
    )


def _full_text(words: list[str]) -> Q:
    """SQLite: the rows whose searched columns hold every word (trigram index).

    A superset of what the LIKE conditions keep (the index also folds case beyond ASCII),
    so those conditions stay and decide. Words under three characters have no trigram.
    """
    phrases = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
    return Q(
        pk__in=RawSQL(  # noqa: S611 - fixed SQL, the phrases are a parameter
            f"SELECT rowid FROM {_SEARCH_TABLE} WHERE {_SEARCH_TABLE} MATCH %s",  # noqa: S608
            [phrases],
        )
    )


def request_list(user, filters: ListFilters) -> QuerySet[ApplicationRequest]:
    qs = ApplicationRequest.objects.visible_to(user).select_related("unit")
    text = _UNIT_SYNONYMS.sub(" ", filters.q or "").strip()
    words = text.split()[:6]
    if words:
        indexed = connections[qs.db].vendor == "sqlite"
        only_own_columns = []  # words no unit matches: one index lookup for all of them
        for word, unit_ids in zip(words, _units_matching(words), strict=True):
            if unit_ids is None:
                continue
            condition = _text_condition(word)
            if indexed and len(word) >= 3:
                if unit_ids:
                    condition &= _full_text([word])
                else:
                    only_own_columns.append(word)
            if unit_ids:
                condition |= Q(unit_id__in=unit_ids)
            qs = qs.filter(condition)
        if only_own_columns:
            qs = qs.filter(_full_text(only_own_columns))
    if filters.state:
        qs = qs.running() if filters.state == "running" else qs.filter(state=filters.state)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.year:
        qs = qs.filter(created_at__year=filters.year)
    return qs.order_by("-created_at", "-pk")


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
