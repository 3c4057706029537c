"""Reads shared by several pages: the inbox, the proposal list, the proposal page."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from requests_intake.models import ApplicationRequest, Attachment
from workflow.access import visible_requests
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
from workflow.roles import user_roles
from workflow.states import ACTOR_OF_STATE, RUNNING_STATES, STEP_OF_STATE, Role


def inbox_condition(user) -> Q:
    """Proposals waiting for this person's action (mirrors ``roles.can_act_as``)."""
    roles = user_roles(user)
    condition = Q(pk__in=[])
    for state, role in ACTOR_OF_STATE.items():
        if role not in roles:
            continue
        if role == Role.PEMOHON:
            if user.unit_id is not None:
                condition |= Q(state=state, unit_id=user.unit_id)
        elif role == Role.PRAKOM:
            condition |= Q(state=state) & (
                Q(assigned_prakom_id=user.pk) | Q(assigned_prakom__isnull=True)
            )
        else:
            condition |= Q(state=state)
    return condition


def inbox(user) -> QuerySet[ApplicationRequest]:
    return (
        ApplicationRequest.objects.filter(inbox_condition(user))
        .select_related("unit")
        .order_by("state_entered_at", "pk")
    )


def inbox_counts(user) -> list[dict]:
    """Waiting proposals per SOP step for this person."""
    rows = (
        ApplicationRequest.objects.filter(inbox_condition(user))
        .values("state")
        .annotate(n=Count("pk"))
    )
    per_step: dict[int, int] = {}
    for row in rows:
        step = STEP_OF_STATE[row["state"]]
        per_step[step] = per_step.get(step, 0) + row["n"]
    return [{"step": step, "count": per_step[step]} for step in sorted(per_step)]


def inbox_total(user) -> int:
    return ApplicationRequest.objects.filter(inbox_condition(user)).count()


# People still say SKPD or OPD for a Perangkat Daerah: these words alone match nothing.
_UNIT_SYNONYMS = re.compile(r"\b(skpd|opd|perangkat\s+daerah)\b", re.IGNORECASE)


@dataclass
class ListFilters:
    q: str = ""
    state: str = ""
    unit: int | None = None
    year: int | None = None


def request_list(user, filters: ListFilters) -> QuerySet[ApplicationRequest]:
    qs = visible_requests(user).select_related("unit")
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
        if filters.state == "running":
            qs = qs.filter(state__in=RUNNING_STATES)
        else:
            qs = qs.filter(state=filters.state)
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


def office_detail(req: ApplicationRequest, user) -> dict:
    """Returns, checklists, meetings, the unit's agreements, the application and its handover.

    ``internal`` says whether the person is Diskominfo staff; the study checklists are only
    read for them.
    """
    from catalogue.models import Release
    from workflow.models import (
        ApplicationReuse,
        CompletionRequest,
        Handover,
        Invitation,
        Meeting,
        StudyChecklist,
        UnitAgreement,
    )
    from workflow.roles import is_official

    internal = is_official(user)
    meetings = list(
        Meeting.objects.filter(request=req).prefetch_related(
            models_prefetch(Invitation.objects.select_related("user", "user__unit"))
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


def models_prefetch(queryset):
    from django.db.models import Prefetch

    return Prefetch("invitations", queryset=queryset)
