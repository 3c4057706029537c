"""A paginator that never counts more than it must.

Counting every matching row costs as much as the table is large; past ``cap`` rows the
list says "more than …" and a person narrows the search instead of paging on.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    @property
    def cap(self) -> int:
        return settings.SOPAPP_LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: self.cap + 1].count()  # type: ignore[attr-defined]  # a QuerySet
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False
