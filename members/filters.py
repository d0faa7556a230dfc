"""Filters of the member directory and the protected-area pages."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from apap_portal.filters import ChoiceByKeyFilter, FixedChoiceFilter
from apap_portal.fulltext.filters import SearchFilterSet
from members.map_tiles import MAX_ZOOM, Tile
from members.models import (
    Country,
    GovernanceType,
    GreenListState,
    IucnCategory,
    Membership,
    Organization,
    ProtectedArea,
    Realm,
    SiteType,
    Subregion,
)


class CountryChoiceFilter(ChoiceByKeyFilter):
    """A country chosen by its ISO3 code: ?country=NPL."""

    model = Country
    key = "iso3"
    defaults = {"label": _("Country"), "empty_label": _("All countries")}


class IucnCategoryFilter(FixedChoiceFilter):
    defaults = {
        "choices": IucnCategory.choices,
        "label": _("IUCN category"),
        "empty_label": _("All categories"),
    }


class InCountryFilter(CountryChoiceFilter):
    """A country as the listed rows' queryset places them in it: its `in_country()`.

    An activity is in the countries it is held in and those that took part; a best
    practice in those it is tagged with and its protected area's.
    """

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.in_country(value, user=getattr(self.parent.request, "user", None))


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
    search_title_field = "name"

    # Found under every country of a site that spans several, not only its first.
    country = InCountryFilter()
    iucn_category = IucnCategoryFilter()
    realm = django_filters.ChoiceFilter(
        choices=Realm.choices, label=_("Realm"), empty_label=_("All realms")
    )
    governance_type = django_filters.ChoiceFilter(
        choices=GovernanceType.choices, label=_("Governance"), empty_label=_("All governance types")
    )
    site_type = django_filters.ChoiceFilter(
        choices=SiteType.choices, label=_("Site type"), empty_label=_("All site types")
    )
    transboundary = django_filters.ChoiceFilter(
        label=_("Transboundary"),
        choices=[("yes", _("Part of a transboundary area")), ("no", _("Not transboundary"))],
        empty_label=_("Either"),
        method="filter_transboundary",
    )
    green_list = django_filters.ChoiceFilter(
        label=_("IUCN Green List"),
        choices=GreenListState.choices,
        empty_label=_("Listed or not"),
        method="filter_green_list",
    )
    evaluated = django_filters.ChoiceFilter(
        label=_("Management effectiveness"),
        choices=[("yes", _("Evaluated")), ("no", _("Not evaluated"))],
        empty_label=_("Either"),
        method="filter_evaluated",
    )

    class Meta:
        model = ProtectedArea
        fields = [
            "q",
            "country",
            "site_type",
            "iucn_category",
            "realm",
            "governance_type",
            "transboundary",
            "green_list",
            "evaluated",
        ]

    def filter_transboundary(self, queryset, name, value):
        return queryset.transboundary(joined=value == "yes")

    def filter_green_list(self, queryset, name, value):
        return queryset.in_green_list_state(value)

    def filter_evaluated(self, queryset, name, value):
        return queryset.evaluated(yes=value == "yes")


# The map's viewport


@dataclass(frozen=True)
class BoundingBox:
    """A box of degrees on the map; a west edge east of the east edge crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float

    def __str__(self) -> str:
        return f"{self.west:g},{self.south:g},{self.east:g},{self.north:g}"

    @property
    def crosses_antimeridian(self) -> bool:
        return self.west > self.east

    @property
    def width(self) -> float:
        return self.east - self.west + (360 if self.crosses_antimeridian else 0)

    def widened(self) -> BoundingBox:
        """The box grown outward to a grid a tenth of its size (0.01° at the finest).

        A map moved by a few pixels asks for nearly the same box; snapped outward to a
        grid, neighbouring requests name the same box and share one cached answer, and
        the areas shown still cover the whole viewport.
        """
        step = _grid_step(max(self.width, self.north - self.south))
        widened = BoundingBox(
            west=max(-180.0, _snap(self.west, step, math.floor)),
            south=max(-90.0, _snap(self.south, step, math.floor)),
            east=min(180.0, _snap(self.east, step, math.ceil)),
            north=min(90.0, _snap(self.north, step, math.ceil)),
        )
        if self.crosses_antimeridian and not widened.crosses_antimeridian:
            return BoundingBox(-180.0, widened.south, 180.0, widened.north)  # all the way round
        return widened


def _grid_step(size: float) -> float:
    """The coarsest of 10°, 1°, 0.1° and 0.01° that is at most a tenth of `size`."""
    for step in (10.0, 1.0, 0.1):
        if step <= size / 10:
            return step
    return 0.01


def _snap(degrees: float, step: float, direction: Callable[[float], int]) -> float:
    # In hundredths of a degree, so that the grid's multiples are exact integers; rounded
    # first, so that a value on the grid (30.2 is 3020.0000000000005 hundredths) stays put.
    hundredths = round(step * 100)
    return direction(round(degrees * 100, 6) / hundredths) * hundredths / 100


class BoundingBoxField(forms.Field):
    """`west,south,east,north` in degrees, as Leaflet's `getBounds().toBBoxString()` gives.

    West greater than east means the box crosses the antimeridian (from 170 to -170
    covers Fiji); equal west and east name no box and are refused, as is a south edge
    not below the north edge.
    """

    default_error_messages = {
        "invalid": _("Give the box as four numbers: west,south,east,north, in degrees."),
        "out_of_range": _("Longitudes go from -180 to 180 and latitudes from -90 to 90."),
        "inverted": _("The south edge must be below the north edge."),
        "empty": _("The west and east edges must differ."),
    }

    def to_python(self, value) -> BoundingBox | None:
        if value in self.empty_values:
            return None
        parts = str(value).split(",")
        try:
            degrees = [float(part) for part in parts]
        except ValueError:
            degrees = []
        if len(degrees) != 4 or not all(math.isfinite(number) for number in degrees):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        west, south, east, north = degrees
        in_range = all(-180 <= lon <= 180 for lon in (west, east)) and all(
            -90 <= lat <= 90 for lat in (south, north)
        )
        if not in_range:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        if south >= north:
            raise forms.ValidationError(self.error_messages["inverted"], code="inverted")
        if west == east:
            raise forms.ValidationError(self.error_messages["empty"], code="empty")
        return BoundingBox(west, south, east, north)


class MapViewportForm(forms.Form):
    """The part of the map a GeoJSON request asks for: the whole map when `bbox` is absent."""

    bbox = BoundingBoxField(required=False)


class MapTileForm(forms.Form):
    """A tile of the map (members.map_tiles): a zoom, and a column and a row of that zoom."""

    zoom = forms.IntegerField(min_value=0, max_value=MAX_ZOOM)
    x = forms.IntegerField(min_value=0)
    y = forms.IntegerField(min_value=0)

    def clean(self):
        cleaned = super().clean()
        zoom = cleaned.get("zoom")
        if zoom is None:
            return cleaned
        side = 2**zoom
        for name in ("x", "y"):
            if cleaned.get(name) is not None and cleaned[name] >= side:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("At zoom %(zoom)s, tiles are numbered from 0 to %(last)s."),
                        code="out_of_range",
                        params={"zoom": zoom, "last": side - 1},
                    ),
                )
        return cleaned

    @property
    def tile(self) -> Tile:
        return Tile(self.cleaned_data["zoom"], self.cleaned_data["x"], self.cleaned_data["y"])
