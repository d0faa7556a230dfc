"""/sitemap.xml: every public page, in English and Vietnamese, from Django's sitemaps framework.

Each section uses its model's public queryset, the same rule the pages use; members-only
items and drafts never appear.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from activities.models import Activity, WorkArea
from knowledge.models import BestPractice, Resource, Story
from members.models import Organization, ProtectedArea


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class StaticPagesSitemap(LocalizedSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "about",
            "members:organization_list",
            "members:protectedarea_list",
            "members:transboundary_list",
            "activities:activity_list",
            "knowledge:index",
            "knowledge:bestpractice_list",
            "knowledge:resource_list",
            "knowledge:story_list",
        ]

    def location(self, item):
        return reverse(item)


def public(model):
    """What an anonymous visitor may see: the models' own visibility rule."""
    return model.objects.visible_to(AnonymousUser())


class ModelSitemap(LocalizedSitemap):
    def lastmod(self, item):
        return getattr(item, "updated_at", None)


class WorkAreaSitemap(LocalizedSitemap):
    def items(self):
        return WorkArea.objects.all()


class OrganizationSitemap(ModelSitemap):
    def items(self):
        return Organization.objects.members().order_by("pk")


class ProtectedAreaSitemap(ModelSitemap):
    def items(self):
        return public(ProtectedArea).only("slug", "updated_at").order_by("pk")


class ActivitySitemap(ModelSitemap):
    def items(self):
        return public(Activity).only("slug", "updated_at").order_by("pk")


class BestPracticeSitemap(ModelSitemap):
    def items(self):
        return public(BestPractice).only("slug", "updated_at").order_by("pk")


class ResourceSitemap(ModelSitemap):
    def items(self):
        return public(Resource).only("slug", "updated_at").order_by("pk")


class StorySitemap(ModelSitemap):
    def items(self):
        return public(Story).only("slug", "updated_at").order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "work-areas": WorkAreaSitemap,
    "members": OrganizationSitemap,
    "protected-areas": ProtectedAreaSitemap,
    "activities": ActivitySitemap,
    "best-practices": BestPracticeSitemap,
    "resources": ResourceSitemap,
    "stories": StorySitemap,
}
