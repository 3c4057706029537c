"""Who holds which SOP role, and who may act on a proposal: the rule, written once.

Roles are Django groups named by their code (``kasi``, ``kabid`` …) so the admin can
manage membership with Django's own screens; the title shown to people comes from
``workflow.RoleTitle`` because many offices renamed their echelon-IV posts.

A person may act on a proposal in a role when they hold the role today (their own post,
or as Plt./Plh.) and the proposal is within the role's ``SCOPE``. That rule has three
readings, all derived from ``SCOPE`` below: ``can_act_as`` (Python, one person and one
proposal), ``proposals_in_scope`` (SQL over proposals: the inbox,
``ApplicationRequest.objects.waiting_for``) and ``role_holders`` (SQL over people: who is
notified and reminded). ``tests/workflow/test_who_may_act.py`` keeps them equal.
"""

from __future__ import annotations

import datetime
import enum
from typing import TYPE_CHECKING, Any

from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from workflow.models import ActingAssignment, User
from workflow.states import ACTOR_OF_STATE, Role

if TYPE_CHECKING:
    from requests_intake.models import ApplicationRequest

_CACHE_ATTR = "_sop_roles"
_ACTING_ATTR = "_sop_acting"


_ACTING_FIELDS = (
    "pk",
    "user_id",
    "role",
    "kind",
    "absent_official_id",
    "decree_number",
    "start_date",
    "end_date",
    "note",
    "created_by_id",
    "created_at",
)


def _load(user) -> None:
    """Memoise a person's own roles and today's Plt./Plh. assignments, in one query.

    The acting assignments come first in the union (their columns' types then stand for
    the group rows' NULLs on PostgreSQL); group rows carry only the role's name.
    """
    day = timezone.localdate()
    acting = (
        ActingAssignment.objects.filter(user=user, start_date__lte=day, end_date__gte=day)
        .annotate(source=Value("a"))
        .values_list("source", *_ACTING_FIELDS)
        .order_by()
    )
    blanks = {
        f"blank{i}": Value(None, output_field=field)
        for i, field in enumerate(
            (IntegerField(), CharField(), IntegerField(), CharField())
            + (DateField(), DateField(), CharField(), IntegerField(), DateTimeField())
        )
    }
    groups = (
        User.groups.through.objects.filter(user_id=user.pk, group__name__in=Role.values)
        .annotate(source=Value("g"), **blanks)
        .values_list("source", "blank0", "user_id", "group__name", *list(blanks)[1:])
        .order_by()
    )
    own: set[str] = set()
    assignments = []
    for source, *values in acting.union(groups, all=True):
        if source == "g":
            own.add(values[2])
        else:
            fields = dict(zip(_ACTING_FIELDS, values, strict=True))
            fields["id"] = fields.pop("pk")
            assignments.append(ActingAssignment(**fields))
    assignments.sort(key=lambda a: (a.start_date, a.pk))
    setattr(user, _CACHE_ATTR, frozenset(own))
    setattr(user, _ACTING_ATTR, {a.role: a for a in assignments})


def own_roles(user) -> frozenset[str]:
    """Roles held through group membership (the person's own posts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        _load(user)
        cached = getattr(user, _CACHE_ATTR)
    return cached


def acting_assignments(user, on: datetime.date | None = None) -> dict:
    """Active Plt./Plh. assignments of a person, by role (today unless ``on`` is given)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    if on is None:
        cached = getattr(user, _ACTING_ATTR, None)
        if cached is None:
            _load(user)
            cached = getattr(user, _ACTING_ATTR)
        return cached
    return {
        a.role: a
        for a in ActingAssignment.objects.filter(
            user=user, start_date__lte=on, end_date__gte=on
        ).order_by("start_date", "pk")
    }


def user_roles(user) -> frozenset[str]:
    """Every role a person may act in today: their own and those they stand in for."""
    return own_roles(user) | frozenset(acting_assignments(user))


def forget_roles(user) -> None:
    """Drop the memoised roles (after group or assignment changes)."""
    for attr in (_CACHE_ATTR, _ACTING_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def has_role(user, role: str) -> bool:
    return role in user_roles(user)


def is_official(user) -> bool:
    """Diskominfo staff who see every proposal (not a requesting unit)."""
    return bool(user_roles(user) & {Role.KASI, Role.KABID, Role.KADIS, Role.PRAKOM, Role.ADMIN})


class Scope(enum.Enum):
    """Which proposals a holder of a role acts on."""

    ANY = "any"  # every proposal (Diskominfo's officials)
    OWN_UNIT = "own_unit"  # proposals of the person's own Perangkat Daerah
    ASSIGNED = "assigned"  # the proposals assigned to them, and any not yet assigned


# Who may act: holding the role today, and the proposal within the role's scope.
SCOPE: dict[str, Scope] = {
    Role.PEMOHON: Scope.OWN_UNIT,
    Role.KASI: Scope.ANY,
    Role.KABID: Scope.ANY,
    Role.KADIS: Scope.ANY,
    Role.PRAKOM: Scope.ASSIGNED,
    Role.ADMIN: Scope.ANY,
}


def can_act_as(user: Any, role: str, req: ApplicationRequest) -> bool:
    """Whether ``user`` may act on ``req`` in ``role`` (unit and assignment included)."""
    if not has_role(user, role):
        return False
    scope = SCOPE[role]
    if scope is Scope.OWN_UNIT:
        return user.unit_id is not None and user.unit_id == req.unit_id
    if scope is Scope.ASSIGNED:
        return req.assigned_prakom_id is None or req.assigned_prakom_id == user.pk
    return True


def proposals_in_scope(user: Any, role: str) -> Q:
    """The proposals within ``role``'s scope for ``user`` (who holds the role), as SQL."""
    scope = SCOPE[role]
    if scope is Scope.OWN_UNIT:
        return Q(unit_id=user.unit_id) if user.unit_id is not None else Q(pk__in=[])
    if scope is Scope.ASSIGNED:
        return Q(assigned_prakom_id=user.pk) | Q(assigned_prakom__isnull=True)
    return Q()


def role_holders(
    role: str, req: ApplicationRequest, *, on: datetime.date | None = None
) -> QuerySet[User]:
    """Everyone who may act on ``req`` in ``role`` on day ``on`` (today): the post's
    holders and acting officials, within the role's scope."""
    day = on or timezone.localdate()
    acting = ActingAssignment.objects.filter(role=role, start_date__lte=day, end_date__gte=day)
    holders = Q(groups__name=role) | Q(pk__in=acting.values("user_id"))
    scope = SCOPE[role]
    if scope is Scope.OWN_UNIT:
        holders &= Q(unit_id=req.unit_id)
    elif scope is Scope.ASSIGNED and req.assigned_prakom_id is not None:
        holders &= Q(pk=req.assigned_prakom_id)
    return User.objects.filter(holders, is_active=True).distinct()


def is_current_actor(user, req: ApplicationRequest) -> bool:
    role = ACTOR_OF_STATE.get(req.state)
    return role is not None and can_act_as(user, role, req)


def permission_for(role: Role):
    """A django-fsm-2 ``permission=`` callable for transitions taken by ``role``."""

    def check(instance: ApplicationRequest, user) -> bool:
        return can_act_as(user, role, instance)

    check.__name__ = f"is_{role.value}"
    check.role = role  # type: ignore[attr-defined]  # read back by the registry's test
    return check
