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

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from workflow.models import ActingAssignment, User
from workflow.states import ACTOR_OF_STATE, Role

if TYPE_CHECKING:
    from requests_intake.models import ApplicationRequest

_CACHE_ATTR = "_sop_roles"
_ACTING_ATTR = "_sop_acting"
_HOLDS_ATTR = "_sop_holds"


_ACTING_FIELDS = (
    "id",
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
# A person's own roles (groups named by role code) and today's Plt./Plh. assignments in one
# statement, read on every page and transition (written out: the ORM's union of the same
# costs 2 ms of CPU to compile). The assignments come first: their columns' types stand for
# the group rows' NULLs on PostgreSQL.
_ROLES_SQL = (
    'SELECT \'a\', a."id", a."user_id", a."role", a."kind", a."absent_official_id", '
    'a."decree_number", a."start_date", a."end_date", a."note", a."created_by_id", '
    'a."created_at" FROM "workflow_actingassignment" a '
    'WHERE a."user_id" = %s AND a."start_date" <= %s AND a."end_date" >= %s '
    'UNION ALL SELECT \'g\', NULL, ug."user_id", g."name", NULL, NULL, NULL, NULL, NULL, '
    'NULL, NULL, NULL FROM "workflow_user_groups" ug '
    'JOIN "auth_group" g ON g."id" = ug."group_id" WHERE ug."user_id" = %s'
)


# Holding a role today, for the person ``{user}`` (an SQL expression), written once for the
# two statements below: their own post (a group named by the role; parameter: the role) and
# a Plt./Plh. assignment running today (parameters: the role, the day, the day).
_OWN_POST = (
    'SELECT 1 FROM "workflow_user_groups" ug JOIN "auth_group" g ON g."id" = ug."group_id" '
    'WHERE ug."user_id" = {user} AND g."name" = %s'
)
_ACTING_TODAY = (
    'SELECT a."id" FROM "workflow_actingassignment" a WHERE a."user_id" = {user} '
    'AND a."role" = %s AND a."start_date" <= %s AND a."end_date" >= %s'
)

# Whether one person holds one role today, as two columns a query reads beside another row
# (``workflow.services.core._lock`` reads them with the proposal it locks); the same rule as
# ``_ROLES_SQL``, for one role. ``holding_params`` gives its parameters.
HOLDS_ROLE_COLUMNS = " ".join(
    [
        "EXISTS (" + _OWN_POST.replace("{user}", "%s") + ") AS holds_own_role,",
        "(" + _ACTING_TODAY.replace("{user}", "%s"),
        'ORDER BY a."start_date", a."id" LIMIT 1) AS holds_acting_id',
    ]
)


def holding_params(user, role: str) -> list:
    day = timezone.localdate()
    return [user.pk, role, user.pk, role, day, day]


def remember_holding(user, role: str, *, own: bool, acting_id: int | None) -> bool:
    """Memoise whether ``user`` holds ``role`` today, as read with ``HOLDS_ROLE_COLUMNS``
    (``has_role`` answers from it; ``forget_roles`` drops it). Returns the answer."""
    active = bool(getattr(user, "is_authenticated", False) and user.is_active)
    holds = active and (bool(own) or acting_id is not None)
    known = getattr(user, _HOLDS_ATTR, None) or {}
    known[role] = holds
    setattr(user, _HOLDS_ATTR, known)
    return holds


def _load(user) -> None:
    """Memoise a person's own roles and today's Plt./Plh. assignments, in one query."""
    day = timezone.localdate()
    known = set(Role.values)
    own: set[str] = set()
    assignments = []
    with connection.cursor() as cursor:
        cursor.execute(_ROLES_SQL, [user.pk, day, day, user.pk])
        rows = cursor.fetchall()
    for source, *values in rows:
        if source == "g":
            if values[2] in known:
                own.add(values[2])
            continue
        fields = dict(zip(_ACTING_FIELDS, values, strict=True))
        for name in ("start_date", "end_date"):
            if isinstance(fields[name], str):  # SQLite: a union's columns carry no type
                fields[name] = datetime.date.fromisoformat(fields[name])
        created = fields["created_at"]
        if isinstance(created, str):
            created = datetime.datetime.fromisoformat(created)
        if created is not None and timezone.is_naive(created):
            created = created.replace(tzinfo=datetime.UTC)
        fields["created_at"] = created
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
    for attr in (_CACHE_ATTR, _ACTING_ATTR, _HOLDS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def has_role(user, role: str) -> bool:
    known = getattr(user, _HOLDS_ATTR, None)
    if known is not None and role in known:
        return bool(known[role])
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


# ``role_holders`` as a condition on people (``workflow_user`` as ``u``), for a statement
# that writes from it (``workflow.notifications``): one post-holding rule with
# ``HOLDS_ROLE_COLUMNS``, the role's scope from ``SCOPE``. The property test
# ``test_who_may_act`` keeps it equal to ``role_holders``.
_HOLDER_SQL = " ".join(
    [
        'u."is_active" AND (EXISTS (' + _OWN_POST.replace("{user}", 'u."id"') + ")",
        "OR EXISTS (" + _ACTING_TODAY.replace("{user}", 'u."id"') + "))",
    ]
)
_SCOPE_SQL = {Scope.OWN_UNIT: ' AND u."unit_id" = %s', Scope.ASSIGNED: ' AND u."id" = %s'}


def holders_condition(
    role: str, req: ApplicationRequest, *, on: datetime.date | None = None
) -> tuple[str, list]:
    """``role_holders(role, req)`` as SQL over ``workflow_user u``: (condition, params)."""
    day = on or timezone.localdate()
    params: list = [role, role, day, day]
    scope = SCOPE[role]
    narrowed = {Scope.OWN_UNIT: req.unit_id, Scope.ASSIGNED: req.assigned_prakom_id}.get(scope)
    if scope is Scope.OWN_UNIT or narrowed is not None:
        return _HOLDER_SQL + _SCOPE_SQL[scope], [*params, narrowed]
    return _HOLDER_SQL, params


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
