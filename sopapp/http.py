"""Shared view helpers: the cache header for a unit's data, and the logged-in request type."""

from django.http import HttpRequest
from django.views.decorators.cache import cache_control

from workflow.models import User

# Proposal pages and files hold a unit's data: no shared cache may keep them, and the
# browser keeps no copy on disk once the person has logged out.
private_no_store = cache_control(private=True, no_store=True)


class AuthenticatedRequest(HttpRequest):
    """The request of a ``login_required`` view: its user is a ``User``, never anonymous."""

    user: User  # narrowed from User | AnonymousUser
