"""Reads shared by several pages: the inbox, the proposal list, the proposal page."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from requests_intake.models import ApplicationRequest, Attachment
from workflow.models import (
    Check,
    Comment,
    Decision,
    DesignRecord,
    Disposition,
    PrakomAssignment,
    PresentationRound,
    Receipt,
    ReportRecord,
    ReviewRound,
    Socialisation,
    TransitionLog,
)
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


def request_list(user, filters: ListFilters) -> QuerySet[ApplicationRequest]:
    qs = ApplicationRequest.objects.visible_to(user).select_related("unit")
    text = _UNIT_SYNONYMS.sub(" ", filters.q or "").strip()
    for word in text.split()[:6]:
        qs = qs.filter(
            Q(registration_number__icontains=word)
            | Q(app_name__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__short_name__icontains=word)
            | Q(unit__code__iexact=word)
            | Q(letter_number__icontains=word)
        )
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
