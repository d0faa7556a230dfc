"""Coverage of land and sea against GBF Target 3, as the bars of a country's profile.

A bar is an inline SVG (the content security policy forbids inline styles): its widths
are SVG attributes computed here, on a scale of 0 to 100 %, with a line at the target's
30 %. The same figures are written in text beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from countries.models import TARGET_PERCENT, CountryStatistics

WIDTH = 400  # the SVG's units for 100 %
BAR_HEIGHT = 18
BAR_GAP = 8
SCALE = Decimal(WIDTH) / 100


@dataclass(frozen=True)
class CoverageBar:
    kind: str  # "pa" (protected areas) or "oecm" (protected areas and OECMs)
    percent: Decimal
    area_km2: Decimal
    y: int

    @property
    def width(self) -> Decimal:
        return (self.percent * SCALE).quantize(Decimal("0.1"))

    @property
    def reached(self) -> bool:
        return self.percent >= TARGET_PERCENT


@dataclass(frozen=True)
class Coverage:
    """The land or the sea of a country: its area and the share protected."""

    realm: str  # "land" or "sea"
    area_km2: Decimal
    protected_areas: CoverageBar
    with_oecms: CoverageBar

    @property
    def bars(self) -> tuple[CoverageBar, CoverageBar]:
        return (self.protected_areas, self.with_oecms)

    @property
    def oecms_add(self) -> Decimal:
        """The percentage points the OECMs add to the protected areas."""
        return self.with_oecms.percent - self.protected_areas.percent

    @property
    def to_target(self) -> Decimal:
        """The percentage points still missing to 30 %, with the OECMs (0 when reached)."""
        return max(TARGET_PERCENT - self.with_oecms.percent, Decimal(0))

    # The drawing
    width = WIDTH
    height = 2 * BAR_HEIGHT + 3 * BAR_GAP
    bar_height = BAR_HEIGHT
    target_x = int(TARGET_PERCENT * SCALE)
    target_percent = TARGET_PERCENT


def coverage_of(statistics: CountryStatistics) -> tuple[Coverage, ...]:
    """Land, and sea when the country has any (a landlocked country has no sea to cover)."""

    def bars(pa_percent, pa_area, oecm_percent, oecm_area) -> dict:
        return {
            "protected_areas": CoverageBar("pa", pa_percent, pa_area, BAR_GAP),
            "with_oecms": CoverageBar("oecm", oecm_percent, oecm_area, 2 * BAR_GAP + BAR_HEIGHT),
        }

    s = statistics
    land = Coverage(
        "land",
        s.land_area_km2,
        **bars(
            s.pa_land_percent, s.pa_land_area_km2, s.oecm_pa_land_percent, s.oecm_pa_land_area_km2
        ),
    )
    if not s.has_sea:
        return (land,)
    sea = Coverage(
        "sea",
        s.marine_area_km2,
        **bars(
            s.pa_marine_percent,
            s.pa_marine_area_km2,
            s.oecm_pa_marine_percent,
            s.oecm_pa_marine_area_km2,
        ),
    )
    return (land, sea)
