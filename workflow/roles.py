"""Who holds which SOP role.

Roles are Django groups named by their code (``kasi``, ``kabid`` …) so the admin can
manage membership with Django's own screens; the title shown to people comes from
``workflow.RoleTitle`` because many offices renamed their echelon-IV posts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workflow.states import ACTOR_OF_STATE, Role

if TYPE_CHECKING:
    from requests_intake.models import ApplicationRequest

_CACHE_ATTR = "_sop_roles"


def user_roles(user) -> frozenset[str]:
    """The role codes a user holds, memoised on the user object for one request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        known = set(Role.values)
        cached = frozenset(n for n in user.groups.values_list("name", flat=True) if n in known)
        setattr(user, _CACHE_ATTR, cached)
    return cached


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
