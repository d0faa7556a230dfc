"""Protected areas tallied by a field (IUCN category, realm, governance, site type), with
their reported areas: the figures "in numbers" and the country profiles show.

One GROUP BY over the visible areas gives rows of every combination of the fields asked
for; each tally then sums the rows by one field. Areas are counted as the WDPA reports
them, so overlapping sites add up to more than the area protected (the pages say so).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum


@dataclass(frozen=True)
class AreaGroup:
    """The sites of one value of a field (an IUCN category, a realm…), and their area."""

    key: str
    count: int
    area_km2: Decimal  # the sum of the reported areas (0 when none is reported)
    with_area: int  # how many have a reported area


def area_rows(areas: QuerySet, *fields: str) -> list[dict]:
    """The areas counted and their reported areas summed for each combination of `fields`."""
    return list(
        areas.order_by()
        .values(*fields)
        .annotate(
            count=Count("pk"), area=Sum("reported_area_km2"), with_area=Count("reported_area_km2")
        )
    )


def grouped(rows: Iterable[dict], field: str, order: Sequence[str]) -> tuple[AreaGroup, ...]:
    """The rows summed by `field`, in `order` (its choices), values holding none left out."""
    totals: dict[str, list] = {}
    for row in rows:
        total = totals.setdefault(row[field], [0, Decimal(0), 0])
        total[0] += row["count"]
        total[1] += row["area"] or Decimal(0)
        total[2] += row["with_area"]
    return tuple(AreaGroup(key, *totals[key]) for key in order if key in totals)


class RealmTotals:
    """Totals of a tally over its realms: every site has one realm, so each counts once."""

    by_realm: tuple[AreaGroup, ...]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.by_realm)

    @property
    def area_km2(self) -> Decimal:
        return sum((group.area_km2 for group in self.by_realm), Decimal(0))

    @property
    def with_area(self) -> int:
        return sum(group.with_area for group in self.by_realm)
