"""Django's admin, with the secretariat's site as `admin.site` (in INSTALLED_APPS).

Its own module: apps.py may hold one application config only, and the site itself
(apap_portal.admin_site) imports models, which INSTALLED_APPS must not.
"""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "apap_portal.admin_site.PortalAdminSite"
