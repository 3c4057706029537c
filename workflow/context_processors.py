from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from workflow.models import RoleTitle
from workflow.roles import user_roles
from workflow.selectors import inbox_total
from workflow.states import Role


def navigation(request: HttpRequest) -> dict:
    """Navigation data: the person's roles with their configured titles, inbox count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def lazy_nav():
        roles = user_roles(user)
        titles = dict(RoleTitle.objects.values_list("role", "short_title"))
        return {
            "roles": sorted(roles),
            "role_titles": [titles.get(r) or Role(r).label for r in sorted(roles)],
            "inbox_total": inbox_total(user),
            "is_pemohon": Role.PEMOHON in roles and user.unit_id is not None,
            "is_admin": Role.ADMIN in roles or user.is_superuser,
        }

    return {"nav": SimpleLazyObject(lazy_nav)}
