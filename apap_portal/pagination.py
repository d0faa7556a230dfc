"""Pages of long lists that stay cheap however deep the page and however many the rows.

Two costs grow with a list: counting its rows for "Page 3 of 4,167", and skipping the rows
before a deep page (OFFSET 10,000 reads and throws away 10,000 rows). `KeyedPages` takes
a count already known (cached: the facet counts of the library, the activity count) and
finds a page's rows by their primary keys first: the keys come from an index alone, then
only the page's own rows are read in full. `PagesInOrder` pages through keys known in
advance, in order: a search's cached ranking, whose pages are cached with it (their
snippets cost more to mark than the rows to read). A Paginator reads either as it reads a
queryset (`apap_portal.fulltext.filters.Listing.pages`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from apap_portal.caching import cached


class Pages(Sequence):
    """Rows the Paginator reads a page (a slice) at a time, whose number is known ahead.

    Subclasses give `__len__` and `page(slice)`: the rows of one page, in one query.
    """

    def count(self) -> int:
        return len(self)

    def __getitem__(self, page):
        if not isinstance(page, slice):
            raise TypeError(f"{type(self).__name__} is read a page (a slice) at a time.")
        return self.page(page)

    def page(self, page: slice) -> list:
        raise NotImplementedError


class KeyedPages(Pages):
    """A queryset with a known count, whose pages are found by key.

    A page is one query: its keys (ordered, offset and limited in a subquery that an
    index-only scan can answer), then those rows, in the queryset's own order.
    """

    def __init__(self, queryset: QuerySet, count: int):
        if not queryset.ordered:
            raise ValueError("KeyedPages needs an ordered queryset: pages must be stable.")
        self.queryset = queryset
        self._count = count

    def __len__(self) -> int:
        return self._count

    def page(self, page: slice) -> list:
        if page.start is not None and page.stop is not None and page.start >= page.stop:
            return []
        keys = self.queryset.values("pk")[page]
        return list(self.queryset.filter(pk__in=keys))


class PagesInOrder(Pages):
    """Rows whose keys are already known in order (a search's ranking).

    A page is the slice of the keys, then one query for those rows alone, cached until
    a table it read changes (`apap_portal.caching`): the next visitor reading the same
    search, or this one coming back to it, reads no row and marks no snippet again.
    """

    def __init__(self, queryset: QuerySet, keys: list[int]):
        self.queryset = queryset
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def page(self, page: slice) -> list:
        wanted = self.keys[page]
        if not wanted:
            return []

        def read() -> list:
            rows = {row.pk: row for row in self.queryset.filter(pk__any_of=wanted)}
            return [rows[key] for key in wanted if key in rows]

        return cached(("rows-in-order", self.queryset, tuple(wanted)), read)
