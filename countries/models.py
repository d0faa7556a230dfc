"""The countries' progress toward GBF Target 3, from Protected Planet's country statistics.

Target 3 of the Kunming-Montreal Global Biodiversity Framework: 30 % of land and of sea
conserved by 2030, through protected areas and OECMs. Protected Planet publishes, month
by month, each country's land and marine area and how much of each its protected areas
cover, alone and together with its OECMs; `import_country_statistics` loads that file.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Country, Organization

# GBF Target 3: the share of land and of sea to conserve by 2030, in per cent.
TARGET_PERCENT = Decimal(30)

percentage_validators = [MinValueValidator(0), MaxValueValidator(100)]


def _area(verbose_name) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )


def _percentage(verbose_name) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=percentage_validators
    )


class CountryStatistics(models.Model):
    """A country's figures from one Protected Planet release (one row per country: a new
    import replaces it). Areas are in km², coverage in per cent of the land or sea."""

    country = models.OneToOneField(
        Country,
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        related_name="statistics",
    )
    land_area_km2 = _area(_("land area (km²)"))
    marine_area_km2 = _area(_("marine area (km²)"))
    pa_land_area_km2 = _area(_("land in protected areas (km²)"))
    pa_marine_area_km2 = _area(_("sea in protected areas (km²)"))
    pa_land_percent = _percentage(_("land in protected areas (%)"))
    pa_marine_percent = _percentage(_("sea in protected areas (%)"))
    oecm_pa_land_area_km2 = _area(_("land in protected areas and OECMs (km²)"))
    oecm_pa_marine_area_km2 = _area(_("sea in protected areas and OECMs (km²)"))
    oecm_pa_land_percent = _percentage(_("land in protected areas and OECMs (%)"))
    oecm_pa_marine_percent = _percentage(_("sea in protected areas and OECMs (%)"))
    national_report_url = models.URLField(_("national report"), max_length=500, blank=True)
    as_of = models.DateField(
        _("statistics as of"),
        help_text=_("The month of Protected Planet's release (its first day)."),
    )
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        ordering = ["country__name"]
        verbose_name = _("country statistics")
        verbose_name_plural = _("country statistics")

    def __str__(self) -> str:
        return f"{self.country} ({self.as_of:%Y-%m})"

    @property
    def has_sea(self) -> bool:
        """Whether the country has a sea (Bhutan, Nepal, Mongolia… have none)."""
        return self.marine_area_km2 > 0


# The orders of the countries list (`?sort=`): the first is the default. Coverage counts
# protected areas and OECMs together, as GBF Target 3 does; countries without statistics
# come last, by name.
COUNTRY_ORDERS = {
    "name": ("name",),
    "land": (F("statistics__oecm_pa_land_percent").desc(nulls_last=True), "name"),
    "sea": (F("statistics__oecm_pa_marine_percent").desc(nulls_last=True), "name"),
}
DEFAULT_ORDER = "name"


def countries_with_coverage(order: str = DEFAULT_ORDER) -> QuerySet[Country]:
    """The countries of Asia with their statistics and whether APAP has a member there,
    in one query, in `order` (a key of COUNTRY_ORDERS; any other: by name)."""
    has_member = Organization.objects.members().filter(country=OuterRef("pk"))
    return (
        Country.objects.of_asia()
        .select_related("statistics")
        .annotate(has_member=Exists(has_member))
        .order_by(*COUNTRY_ORDERS.get(order, COUNTRY_ORDERS[DEFAULT_ORDER]))
    )
