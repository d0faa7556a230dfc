from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The sections of the portal, in the order the header shows them. A section
# whose URL is not installed yet is left out rather than linked to a 404. The calls to
# members are not among them (the header holds eight at 1280 px): members find them on
# /my/ and the home page's next deadline, everyone in the footer.
SECTIONS = [
    ("about", _("About")),
    ("activities:activity_list", _("Activities")),
    ("members:organization_list", _("Members")),
    ("members:protectedarea_list", _("Protected areas")),
    ("members:transboundary_list", _("Transboundary")),
    ("knowledge:index", _("Knowledge")),
    ("knowledge:story_list", _("Stories")),
    ("in_numbers:index", _("In numbers")),
]


def navigation_links() -> list[dict]:
    links = []
    for url_name, label in SECTIONS:
        try:
            links.append({"url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    return links


def site(request):
    """Values every page's layout needs."""
    path = request.path
    links = navigation_links()
    for link in links:
        link["current"] = path.startswith(link["url"])
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL,
        "nav_links": links,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
