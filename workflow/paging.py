"""A paginator that never counts more than it must.

Counting every matching row costs as much as the table is large; past ``cap`` rows the
list says "more than …" and a person narrows the search instead of paging on.

The count also tells how the page is best read. Up to the cap, the matches are few and
``object_list`` gathers them through the indexes that fit the conditions and sorts them.
Past it they are many, and a list that gives ``in_order`` (the same rows, read along the
date index: see ``workflow.selectors.ProposalRows``) is read from that, which stops after a
page, where gathering and sorting would cost as much as there are matches.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, in_order=None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.in_order = in_order

    @property
    def cap(self) -> int:
        return settings.SOPAPP_LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: self.cap + 1].count()  # type: ignore[attr-defined]  # a QuerySet
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.in_order if self.capped and self.in_order is not None else self.object_list
        return self._get_page(rows[bottom:top], number, self)
