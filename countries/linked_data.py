"""What a country's profile tells search engines: a schema.org Country with its ISO3 code."""

from __future__ import annotations

from apap_portal.linked_data import absolute_url, described, thing
from members.models import Country


def country_data(request, country: Country) -> dict:
    return described(
        "Country",
        name=country.name,
        url=absolute_url(request, country.get_absolute_url()),
        identifier=thing("PropertyValue", propertyID="ISO 3166-1 alpha-3", value=country.iso3),
    )
