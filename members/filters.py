"""Filters of the member directory and the protected-area pages, and the `?q=` search."""

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef
from django.utils.translation import gettext_lazy as _

from apap_portal.search import clean_query, search, snippet_html
from members.models import (
    Country,
    GovernanceType,
    IucnCategory,
    Membership,
    Organization,
    ProtectedArea,
    Realm,
    Subregion,
    TransboundaryArea,
)


class CountryChoiceFilter(django_filters.ModelChoiceFilter):
    """A country chosen by its ISO3 code, so filtered URLs read well: ?country=NPL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Country.objects.all())
        kwargs.setdefault("to_field_name", "iso3")
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("empty_label", _("All countries"))
        super().__init__(*args, **kwargs)


class HighlightedSnippet(models.TextField):
    """A snippet of `apap_portal.search` read as HTML: escaped, the matched words in <mark>."""

    def from_db_value(self, value, expression, connection):
        return snippet_html(value)


class SearchQueryField(forms.CharField):
    """The search box: a query too long or holding NUL bytes is cleaned, not refused."""

    widget = forms.SearchInput

    def to_python(self, value) -> str:
        return clean_query(super().to_python(value))


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

    q = SearchFilter(label=_("Search"), method="filter_search")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_approximate = False  # True when only the misspelling fallback matched

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
        )
        self.search_approximate = results.approximate
        # The same snippet expression (computed once), read back as HTML for the templates.
        snippet = results.queryset.query.annotations["snippet"]
        return results.queryset.annotate(
            snippet=ExpressionWrapper(snippet, output_field=HighlightedSnippet())
        )


class OrganizationFilter(django_filters.FilterSet):
    country = CountryChoiceFilter()
    subregion = django_filters.ChoiceFilter(
        field_name="country__subregion",
        choices=Subregion.choices,
        label=_("Subregion"),
        empty_label=_("All subregions"),
    )
    category = django_filters.ChoiceFilter(
        field_name="membership__category",
        choices=Membership.Category.choices,
        label=_("Category"),
        empty_label=_("All categories"),
    )
    status = django_filters.ChoiceFilter(
        field_name="membership__status",
        choices=Membership.Status.choices,
        label=_("Status"),
        empty_label=_("Any status"),
    )

    class Meta:
        model = Organization
        fields = ["country", "subregion", "category", "status"]


class ProtectedAreaFilter(SearchFilterSet):
    search_snippet_field = "description"
    search_title_field = "name"

    country = CountryChoiceFilter()
    iucn_category = django_filters.ChoiceFilter(
        choices=IucnCategory.choices, label=_("IUCN category"), empty_label=_("All categories")
    )
    realm = django_filters.ChoiceFilter(
        choices=Realm.choices, label=_("Realm"), empty_label=_("All realms")
    )
    governance_type = django_filters.ChoiceFilter(
        choices=GovernanceType.choices, label=_("Governance"), empty_label=_("All governance types")
    )
    transboundary = django_filters.ChoiceFilter(
        label=_("Transboundary"),
        choices=[("yes", _("Part of a transboundary area")), ("no", _("Not transboundary"))],
        empty_label=_("Either"),
        method="filter_transboundary",
    )

    class Meta:
        model = ProtectedArea
        fields = ["q", "country", "iucn_category", "realm", "governance_type", "transboundary"]

    def filter_transboundary(self, queryset, name, value):
        joined = Exists(
            TransboundaryArea.protected_areas.through.objects.filter(
                protectedarea_id=OuterRef("pk")
            )
        )
        return queryset.filter(joined if value == "yes" else ~joined)
