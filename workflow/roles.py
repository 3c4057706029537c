"""Who holds which SOP role.

Roles are Django groups named by their code (``kasi``, ``kabid`` …) so the admin can
manage membership with Django's own screens; the title shown to people comes from
``workflow.RoleTitle`` because many offices renamed their echelon-IV posts.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from workflow.models import ActingAssignment
from workflow.states import ACTOR_OF_STATE, Role

if TYPE_CHECKING:
    from requests_intake.models import ApplicationRequest

_CACHE_ATTR = "_sop_roles"
_ACTING_ATTR = "_sop_acting"


def own_roles(user) -> frozenset[str]:
    """Roles held through group membership (the person's own posts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        known = set(Role.values)
        cached = frozenset(n for n in user.groups.values_list("name", flat=True) if n in known)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def acting_assignments(user, on: datetime.date | None = None) -> dict:
    """Active Plt./Plh. assignments of a person, by role (today unless ``on`` is given)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    if on is None:
        cached = getattr(user, _ACTING_ATTR, None)
        if cached is not None:
            return cached
    day = on or timezone.localdate()
    found = {
        a.role: a
        for a in ActingAssignment.objects.filter(
            user=user, start_date__lte=day, end_date__gte=day
        ).order_by("start_date", "pk")
    }
    if on is None:
        setattr(user, _ACTING_ATTR, found)
    return found


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


def can_act_as(user, role: str, req: ApplicationRequest) -> bool:
    """Whether ``user`` may act on ``req`` in ``role`` (unit and assignment included)."""
    if not has_role(user, role):
        return False
    if role == Role.PEMOHON:
        return user.unit_id is not None and user.unit_id == req.unit_id
    if role == Role.PRAKOM and req.assigned_prakom_id is not None:
        return req.assigned_prakom_id == user.pk
    return True


def is_current_actor(user, req: ApplicationRequest) -> bool:
    role = ACTOR_OF_STATE.get(req.state)
    return role is not None and can_act_as(user, role, req)


def permission_for(role: Role):
    """A django-fsm-2 ``permission=`` callable for transitions taken by ``role``."""

    def check(instance: ApplicationRequest, user) -> bool:
        return can_act_as(user, role, instance)

    check.__name__ = f"is_{role.value}"
    check.role = role
    return check
