from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from workflow.models import RoleTitle
from workflow.roles import user_roles
from workflow.selectors import inbox_total
from workflow.states import Role


def navigation(request: HttpRequest) -> dict:
    """Navigation data, computed only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def lazy_nav() -> dict:
        roles = sorted(user_roles(user))
        titles = {row.role: (row.title, row.short_title) for row in RoleTitle.objects.all()}
        # Shared with the {% role_title %} tag so a page reads the titles once.
        request._sop_role_titles = titles
        return {
            "roles": roles,
            "role_titles": [titles.get(r, (None, None))[1] or Role(r).label for r in roles],
            "inbox_total": inbox_total(user),
            "is_pemohon": Role.PEMOHON in roles and user.unit_id is not None,
            "is_admin": Role.ADMIN in roles or user.is_superuser,
            "can_see_dashboard": bool(set(roles) & {Role.KASI, Role.KABID, Role.KADIS, Role.ADMIN}),
        }

    return {"nav": SimpleLazyObject(lazy_nav)}
