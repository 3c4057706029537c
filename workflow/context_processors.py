from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from workflow.masterdata import active_units, role_titles
from workflow.models import Notification
from workflow.roles import acting_assignments, is_official, own_roles, user_roles
from workflow.selectors import inbox_total
from workflow.states import Role


def navigation(request: HttpRequest) -> dict:
    """Navigation data, computed only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def lazy_nav() -> dict:
        roles = sorted(user_roles(user))
        acting = acting_assignments(user)
        titles = role_titles()
        # Shared with the {% role_title %} tag so a page reads the titles once.
        request._sop_role_titles = titles  # type: ignore[attr-defined]  # a per-request memo
        return {
            "roles": roles,
            "role_titles": [_title(r, titles, acting, own_roles(user)) for r in roles],
            "unit_short": dict(active_units()).get(user.unit_id, "") if user.unit_id else "",
            "inbox_total": inbox_total(user),
            "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
            "is_pemohon": Role.PEMOHON in roles and user.unit_id is not None,
            "is_admin": Role.ADMIN in roles or user.is_superuser,
            "can_see_catalogue": is_official(user)
            or user.is_superuser
            or (Role.PEMOHON in roles and user.unit_id is not None),
            "can_see_dashboard": bool(set(roles) & {Role.KASI, Role.KABID, Role.KADIS, Role.ADMIN}),
        }

    return {"nav": SimpleLazyObject(lazy_nav)}


def _title(role: str, titles: dict, acting: dict, own: frozenset[str]) -> str:
    """The role's short title; "Plt. …" where the person only stands in for the post (the
    acting assignments are the person's own)."""
    title = titles.get(role, (None, None))[1] or str(Role(role).label)
    assignment = acting.get(role)
    if assignment is not None and role not in own:
        return f"{assignment.get_kind_display()} {title}"
    return title
