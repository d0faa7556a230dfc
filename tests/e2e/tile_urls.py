"""The portal's URLs, plus a stand-in for the map tile server that answers a blank tile.

For the browser tests whose browser Playwright does not drive (Lighthouse starts its
own Chromium): its requests cannot be routed to the stub of conftest.py, and the real
tile server is out of reach here. From the live server itself, the tiles stay within the
content security policy ('self') and the page logs no failed request.
"""

from django.http import HttpResponse
from django.urls import path

from apap_portal import urls as portal_urls
from tests.e2e.conftest import BLANK_TILE

TILE_PATH = "test-map-tiles/"


def blank_tile(request, z, x, y):
    return HttpResponse(BLANK_TILE, content_type="image/png")


urlpatterns = [
    path(f"{TILE_PATH}<int:z>/<int:x>/<int:y>.png", blank_tile),
    *portal_urls.urlpatterns,
]
handler400 = portal_urls.handler400
handler403 = portal_urls.handler403
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
