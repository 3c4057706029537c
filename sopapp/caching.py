"""Cache headers for pages that hold a unit's data."""

from django.views.decorators.cache import cache_control

# Proposal pages and files hold a unit's data: no shared cache may keep them, and the
# browser keeps no copy on disk once the person has logged out.
private_no_store = cache_control(private=True, no_store=True)
