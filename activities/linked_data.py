"""What an activity's page tells search engines: a schema.org Event."""

from __future__ import annotations

from activities.models import Activity, OrganizationRole
from apap_portal.linked_data import absolute_url, described, picture_url, thing
from members.linked_data import country_place, organization_reference

SCHEMA_ORG_EVENT_STATUS = {
    Activity.Status.PLANNED: "https://schema.org/EventScheduled",
    Activity.Status.CONFIRMED: "https://schema.org/EventScheduled",
    Activity.Status.COMPLETED: "https://schema.org/EventScheduled",  # it took place as planned
    Activity.Status.CANCELLED: "https://schema.org/EventCancelled",
}
ORGANIZING_ROLES = (
    OrganizationRole.ORGANIZER,
    OrganizationRole.CO_ORGANIZER,
    OrganizationRole.HOST,
)


def activity_location(request, activity: Activity) -> dict:
    if activity.is_online:
        return thing("VirtualLocation", name=activity.place)
    country = activity.country
    return thing(
        "Place",
        name=activity.place,
        address=thing(
            "PostalAddress",
            addressLocality=activity.city,
            addressCountry=country.name if country else None,
        ),
        containedInPlace=country_place(request, country) if country else None,
    )


def activity_data(request, activity: Activity) -> dict:
    """The activity (read by `for_detail()`) in the language it is shown in."""
    attendance = "Online" if activity.is_online else "Offline"
    organizers = activity.organizations_in_role(*ORGANIZING_ROLES)
    partners = activity.organizations_in_role(OrganizationRole.PARTNER)
    donors = activity.organizations_in_role(OrganizationRole.DONOR)
    return described(
        "Event",
        name=activity.title,
        description=activity.summary,
        url=absolute_url(request, activity.get_absolute_url()),
        startDate=activity.start_date,
        endDate=activity.last_day,
        eventStatus=SCHEMA_ORG_EVENT_STATUS[activity.status],
        eventAttendanceMode=f"https://schema.org/{attendance}EventAttendanceMode",
        location=activity_location(request, activity),
        organizer=[organization_reference(request, org) for org in organizers],
        contributor=[organization_reference(request, org) for org in partners],
        funder=[organization_reference(request, org) for org in donors],
        image=picture_url(request, activity.cover_image),
        inLanguage=activity.shown_language,
    )
