"""Admin change lists that answer a bad date-hierarchy link with the admin's own message.

Django's change list turns ``?issued_at__year=9999`` into the range [9999-01-01, 10000-01-01)
and the upper bound overflows ``datetime`` (ValueError, or OverflowError when made aware):
a server error instead of the "invalid lookup" answer it gives other bad parameters.
"""

from django.contrib.admin.options import IncorrectLookupParameters


class SafeDateHierarchyMixin:
    """Every change list: a date lookup out of range is an invalid lookup, not a 500."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc
