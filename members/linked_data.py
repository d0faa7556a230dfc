"""What a member's profile and a protected area's page tell search engines (schema.org)."""

from __future__ import annotations

from apap_portal.linked_data import absolute_url, described, picture_url, plain_text, thing
from members.models import Country, Organization, ProtectedArea


def country_place(request, country: Country) -> dict:
    return thing(
        "Country", name=country.name, url=absolute_url(request, country.get_absolute_url())
    )


def organization_reference(request, organization: Organization) -> dict:
    """An organization named in another record (an organizer, an author): its name and page."""
    return thing(
        "Organization",
        name=organization.name,
        url=absolute_url(request, organization.get_absolute_url()),
    )


def organization_data(request, organization: Organization) -> dict:
    """A member's (or partner's) profile; its description in the language shown."""
    country = organization.country
    return described(
        "Organization",
        name=organization.name,
        alternateName=[name for name in (organization.acronym, organization.local_name) if name],
        url=absolute_url(request, organization.get_absolute_url()),
        logo=picture_url(request, organization.logo),
        description=plain_text(organization.description),
        address=thing("PostalAddress", addressCountry=country.name) if country else None,
        sameAs=organization.website,
    )


def protected_area_data(request, area: ProtectedArea) -> dict:
    """A protected area (or OECM) as a park, with its WDPA ID and its Protected Planet page."""
    point = area.map_point  # the reported point, else one inside the boundary
    countries = [area.country, *(c for c in area.countries.all() if c.pk != area.country_id)]
    return described(
        "Park",
        name=area.name,
        alternateName=area.original_name,
        url=absolute_url(request, area.get_absolute_url()),
        description=plain_text(area.description),
        geo=thing("GeoCoordinates", latitude=point.y, longitude=point.x) if point else None,
        containedInPlace=[country_place(request, country) for country in countries if country],
        identifier=thing("PropertyValue", propertyID="WDPA ID", value=area.wdpa_id)
        if area.wdpa_id is not None
        else None,
        sameAs=area.protected_planet_url,
    )
