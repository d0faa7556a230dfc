"""Filters shared by the sections: the `?q=` full-text search of every filtered list."""

import hashlib
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db import models
from django.db.models import ExpressionWrapper
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from apap_portal import search as full_text
from apap_portal.search import clean_query, search, snippet_html


class HighlightedSnippet(models.TextField):
    """A snippet of `apap_portal.search` read as HTML: escaped, the matched words in <mark>."""

    def from_db_value(self, value, expression, connection):
        return snippet_html(value)


class SearchQueryField(forms.CharField):
    """The search box: a query too long or holding NUL bytes is cleaned, not refused."""

    widget = forms.SearchInput

    def to_python(self, value) -> str:
        return clean_query(super().to_python(value))

    def bound_data(self, data, initial):
        # What the box shows back is what was searched, not the raw (maybe hostile) input.
        return clean_query(data)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchQueryField


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with `?q=`: the portal's full-text search (`apap_portal.search`).

    The search runs after the other filters, whatever the order of the form: the
    misspelling fallback is then decided on the rows those filters leave, and the rank
    orders the result. Each row gains `snippet`, HTML with the matched words in <mark>.
    """

    search_snippet_field: str
    search_title_field = "title"
    # Whether what the list computes (the search's ranking, counts) may be cached until the
    # content changes. The cache keys hold the list's SQL, so rows that appear by the clock
    # are seen as the clock moves (stories: knowledge.models.StoryQuerySet.published).
    cacheable = True

    q = SearchFilter(label=_("Search"), method="filter_search")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_approximate = False  # True when only the misspelling fallback matched
        self.search_capped = False  # True when more matched than are ranked (MAX_RANKED)
        self.search_keys: list[int] | None = None  # the matches, best first, when searching

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
    def max_ranked(self) -> int:
        """The most matches a search ranks (the newest ones when more match)."""
        return full_text.MAX_RANKED

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name, value in data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return self.filters["q"].filter(queryset, data.get("q"))

    def filter_search(self, queryset, name, text):
        results = search(
            queryset,
            text,
            snippet_field=self.search_snippet_field,
            title_field=self.search_title_field,
            cache=self.cacheable,
        )
        self.search_approximate = results.approximate
        self.search_capped = results.capped
        self.search_keys = results.keys
        # The same snippet expression (computed once), read back as HTML for the templates.
        snippet = results.queryset.query.annotations["snippet"]
        return results.queryset.annotate(
            snippet=ExpressionWrapper(snippet, output_field=HighlightedSnippet())
        )
