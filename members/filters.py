"""Filters of the member directory and the protected-area pages."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from apap_portal.filters import SearchFilterSet
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
