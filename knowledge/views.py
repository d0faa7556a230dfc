"""The library's public pages: its landing page, best practices, resources and stories.

Who sees what is decided by the models' `visible_to(user)` querysets only; these views
pick the rows a page needs and say what a visitor who may not see an item is told.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView

from activities.models import Activity
from apap_portal import search as full_text
from apap_portal.caching import cached_for_queryset, content_generation
from apap_portal.pagination import PagesInOrder, keyed_paginator
from knowledge.filters import BestPracticeFilter, ResourceFilter, StoryFilter
from knowledge.models import BestPractice, Resource, Story
from members.models import ProtectedArea, Visibility

LATEST_PRACTICES = 6


@require_GET
def index(request):
    """The library's landing page: what it holds, for this visitor, and where to start."""
    practices = BestPractice.objects.visible_to(request.user).published()
    resources = Resource.objects.visible_to(request.user)
    stories = Story.objects.visible_to(request.user).published()

    def count() -> dict:
        kind_counts = dict(resources.order_by().values_list("kind").annotate(count=Count("pk")))
        return {
            "practice_count": practices.count(),
            "resource_count": sum(kind_counts.values()),
            "resource_kinds": [
                {"value": kind.value, "count": kind_counts[kind.value]}
                for kind in Resource.Kind
                if kind.value in kind_counts
            ],
            "story_count": stories.count(),
        }

    # Counting the whole library is the page's cost at scale: cached until it changes.
    counts = cached_for_queryset("library-index", (practices, resources, stories), count)
    for kind in counts["resource_kinds"]:
        kind["label"] = Resource.Kind(kind["value"]).label  # in the visitor's language
    return render(
        request,
        "knowledge/index.html",
        {**counts, "latest_practices": practices.for_list()[:LATEST_PRACTICES]},
    )


class LibraryListView(FilterView):
    """A list of the library: facets with their counts, search, pagination."""

    paginate_by = settings.PAGINATE_BY
    # A bad value is explained next to its field while the other filters still apply.
    strict = False

    def get_paginator(self, queryset, per_page, **kwargs):
        self.facet_counts = self.filterset.facet_counts(queryset)
        if (keys := self.filterset.search_keys) is not None:
            # A search: its ranking holds the keys of every match, best first.
            return Paginator(PagesInOrder(queryset, keys), per_page, **kwargs)
        # The facet counts hold the total, so the paginator need not count again.
        return keyed_paginator(queryset, per_page, self.facet_counts.total, **kwargs)

    def filters_cache_key(self) -> str:
        """What the filter form shows depends on: the query, the language, the counts and
        the names of the options (any edit). Rendering its hundred-odd options through
        Django's widget templates is a third of the page's time, so it is cached under this."""
        parts = (
            self.request.get_full_path(),
            get_language(),
            str(content_generation()),
            repr(self.facet_counts),
        )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.filterset.offer_facets(self.facet_counts)
        context["search_text"] = self.filterset.search_text
        context["search_capped"] = self.filterset.search_capped
        context["max_ranked"] = full_text.MAX_RANKED
        context["approximate"] = self.filterset.search_approximate
        context["filters_cache_key"] = self.filters_cache_key()
        return context


class BestPracticeListView(LibraryListView):
    filterset_class = BestPracticeFilter
    template_name = "knowledge/bestpractice_list.html"

    def get_queryset(self) -> QuerySet[BestPractice]:
        # Drafts of one's own organization are followed on /my/, not listed in the library.
        return BestPractice.objects.visible_to(self.request.user).published().for_list()


class ResourceListView(LibraryListView):
    filterset_class = ResourceFilter
    template_name = "knowledge/resource_list.html"

    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.visible_to(self.request.user).for_list()


class StoryListView(LibraryListView):
    filterset_class = StoryFilter
    template_name = "knowledge/story_list.html"

    def get_queryset(self) -> QuerySet[Story]:
        return Story.objects.visible_to(self.request.user).for_list()


class SignInForMembersOnlyMixin:
    """An anonymous visitor asking for a published members-only item is sent to sign in.

    Anything else they may not see answers 404, so drafts stay unknown.
    """

    def members_only(self) -> QuerySet:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if not request.user.is_authenticated and (
                self.members_only().filter(slug=kwargs.get("slug")).exists()
            ):
                return redirect_to_login(request.get_full_path())
            raise


class BestPracticeDetailView(SignInForMembersOnlyMixin, DetailView):
    """A best practice; its organization's members also see it while it is in review."""

    context_object_name = "practice"

    def get_queryset(self) -> QuerySet[BestPractice]:
        return BestPractice.objects.visible_to(self.request.user).for_detail()

    def members_only(self) -> QuerySet[BestPractice]:
        return BestPractice.objects.published().filter(visibility=Visibility.MEMBERS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.object.protected_area
        # The practice may be public while the protected area it tells of is members-only.
        visible_area = (
            area is not None
            and ProtectedArea.objects.visible_to(self.request.user).filter(pk=area.pk).exists()
        )
        context["protected_area"] = area if visible_area else None
        return context


class ResourceDetailView(SignInForMembersOnlyMixin, DetailView):
    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.visible_to(self.request.user).for_detail()

    def members_only(self) -> QuerySet[Resource]:
        return Resource.objects.filter(visibility=Visibility.MEMBERS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resource = self.object
        original_id = resource.translation_of_id or resource.pk
        # The same publication in other languages: the original and its translations.
        editions = list(
            Resource.objects.visible_to(self.request.user)
            .filter(Q(pk=original_id) | Q(translation_of_id=original_id))
            .exclude(pk=resource.pk)
            .order_by("language", "title")
        )
        context["editions"] = editions
        context["original"] = next(
            (edition for edition in editions if edition.pk == resource.translation_of_id), None
        )
        return context


class StoryDetailView(SignInForMembersOnlyMixin, DetailView):
    def get_queryset(self) -> QuerySet[Story]:
        # Staff may open a story before it is published; the page says so.
        return (
            Story.objects.visible_to(self.request.user)
            .for_detail()
            .annotate(is_published=Exists(Story.objects.published().filter(pk=OuterRef("pk"))))
        )

    def members_only(self) -> QuerySet[Story]:
        return Story.objects.published().filter(visibility=Visibility.MEMBERS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        story = self.object
        visible_activity = (
            story.related_activity_id is not None
            and Activity.objects.visible_to(self.request.user)
            .filter(pk=story.related_activity_id)
            .exists()
        )
        context["related_activity"] = story.related_activity if visible_activity else None
        return context
