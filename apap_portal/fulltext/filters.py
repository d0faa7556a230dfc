"""The `?q=` full-text search box of every filtered list, as a django-filter FilterSet."""

import hashlib
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from apap_portal.fulltext.search import SearchResults, clean_query, search
from apap_portal.pagination import KeyedPages, Pages, PagesInOrder


class SearchQueryField(forms.CharField):
    """The search box: a query too long or holding NUL bytes is cleaned, not refused."""

    widget = forms.SearchInput

    def to_python(self, value) -> str:
        return clean_query(super().to_python(value))

    def bound_data(self, data, initial):
        # What the box shows back is what was searched, not the raw (maybe hostile) input.
        return clean_query(data)


class SearchFilter(django_filters.CharFilter):
    """The search box of a list: `SearchFilterSet.listing` searches, after the filters."""

    field_class = SearchQueryField

    def filter(self, qs, value):
        return qs


@dataclass(frozen=True)
class Listing:
    """The rows a filtered list shows: filtered, then searched when a query was given."""

    rows: QuerySet  # best first when searching, each row then with its `snippet`
    search: SearchResults | None  # None when nothing was searched

    def pages(self, count: int | None = None) -> Pages | QuerySet:
        """The rows as the Paginator reads them, a page at a time in one query.

        A search's ranking holds every match's key, best first; otherwise a known count
        (cached) lets pages be found by key, and without one the rows are counted.
        """
        if self.search is not None:
            return PagesInOrder(self.rows, self.search.keys)
        if count is not None:
            return KeyedPages(self.rows, count)
        return self.rows


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with `?q=`: the portal's full-text search (`apap_portal.fulltext.search`).

    The search runs after the other filters, whatever the order of the form: the
    misspelling fallback is then decided on the rows those filters leave, and the rank
    orders the result. `listing` holds the rows and what the search found; `qs` is its rows.
    """

    search_title_field = "title"
    # Whether what the list computes (the search's ranking, counts) may be cached until the
    # content changes. The cache keys hold the list's SQL, so rows that appear by the clock
    # are seen as the clock moves (stories: knowledge.models.StoryQuerySet.published).
    cacheable = True

    q = SearchFilter(label=_("Search"))

    def fingerprint(self) -> str:
        """The filters asked for, as a short key for results cached per filter.

        The same whatever the order of the parameters; blank ones and those that are no
        filter (`page`, a campaign tag) are left out.
        """
        data = self.data or QueryDict()
        asked = sorted(
            (name, value) for name in self.filters for value in data.getlist(name) if value
        )
        return hashlib.sha256(urlencode(asked).encode()).hexdigest()[:32]

    @property
    def search_text(self) -> str:
        """The query searched for, as cleaned ("" when not searching, or when it is not valid)."""
        if not self.is_bound or "q" in self.form.errors:
            return ""
        return self.form.cleaned_data.get("q") or ""

    @cached_property
    def listing(self) -> Listing:
        filtered = super().qs
        if not (text := self.search_text):
            return Listing(filtered, search=None)
        found = search(
            filtered,
            text,
            title_field=self.search_title_field,
            cache=self.cacheable,
        )
        return Listing(found.queryset, found)

    @property
    def qs(self) -> QuerySet:
        return self.listing.rows
