"""The library's public pages: its landing page, best practices, resources and stories.

Who sees what is decided by the models' querysets only (`visible_to(user)` for a detail,
`listed_for(user)` for a list: members.models.ListedQuerySet); these views pick the rows
a page needs and say what a visitor who may not see an item is told.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView

from activities.models import Activity
from apap_portal.caching import cached
from apap_portal.downloads import DownloadableListMixin
from apap_portal.pdf import PdfProfileMixin
from apap_portal.translations.reading import TranslatedDetailMixin
from knowledge.downloads import best_practices_csv, resources_csv, stories_csv
from knowledge.filters import BestPracticeFilter, ResourceFilter, StoryFilter
from knowledge.linked_data import best_practice_data, resource_data, story_data
from knowledge.models import BestPractice, Resource, Story
from members.models import ProtectedArea, audience_of

LATEST_PRACTICES = 6


@require_GET
def index(request):
    """The library's landing page: what it holds, for this visitor, and where to start."""
    practices = BestPractice.objects.listed_for(request.user)
    resources = Resource.objects.listed_for(request.user)
    stories = Story.objects.listed_for(request.user)

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
    counts = cached(("library-index", practices, resources, stories), count)
    for kind in counts["resource_kinds"]:
        kind["label"] = Resource.Kind(kind["value"]).label  # in the visitor's language
    return render(
        request,
        "knowledge/index.html",
        {**counts, "latest_practices": practices.for_list(request.user)[:LATEST_PRACTICES]},
    )


class LibraryListView(DownloadableListMixin, FilterView):
    """A list of the library: facets with their counts, search, pagination."""

    paginate_by = settings.PAGINATE_BY
    # A bad value is explained next to its field while the other filters still apply.
    strict = False

    def get_context_data(self, **kwargs):
        listing = self.filterset.listing
        # The facet counts hold the total, so the paginator need not count again.
        counts = self.filterset.facet_counts(listing.rows)
        self.filterset.offer_facets(counts)
        kwargs["object_list"] = listing.pages(counts.total)
        return super().get_context_data(facet_counts=counts, search=listing.search, **kwargs)


class BestPracticeListView(LibraryListView):
    filterset_class = BestPracticeFilter
    downloads = {"csv": best_practices_csv}
    template_name = "knowledge/bestpractice_list.html"

    def get_queryset(self) -> QuerySet[BestPractice]:
        # Drafts of one's own organization are followed on /my/, not listed in the library.
        return BestPractice.objects.listed_for(self.request.user).for_list(self.request.user)


class ResourceListView(LibraryListView):
    filterset_class = ResourceFilter
    downloads = {"csv": resources_csv}
    template_name = "knowledge/resource_list.html"

    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.listed_for(self.request.user).for_list()


class StoryListView(LibraryListView):
    filterset_class = StoryFilter
    downloads = {"csv": stories_csv}
    template_name = "knowledge/story_list.html"

    def get_queryset(self) -> QuerySet[Story]:
        # Staff see the stories they may open, those not out yet too, to check them.
        return Story.objects.visible_to(self.request.user).for_list()


class SignInForMembersOnlyMixin:
    """An anonymous visitor asking for a published members-only item is sent to sign in.

    Anything else they may not see answers 404, so drafts stay unknown.
    """

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            members_only = self.get_queryset().model.objects.members_only()
            if not request.user.is_authenticated and (
                members_only.filter(slug=kwargs.get("slug")).exists()
            ):
                return redirect_to_login(request.get_full_path())
            raise


class BestPracticeDetailView(TranslatedDetailMixin, SignInForMembersOnlyMixin, DetailView):
    """A best practice; its organization's members also see it while it is in review."""

    context_object_name = "practice"

    def get_queryset(self) -> QuerySet[BestPractice]:
        return BestPractice.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.object.protected_area
        # The practice may be public while the protected area it tells of is members-only.
        visible_area = (
            area is not None
            and ProtectedArea.objects.listed_for(self.request.user).filter(pk=area.pk).exists()
        )
        context["protected_area"] = area if visible_area else None
        context["structured_data"] = best_practice_data(
            self.request, self.object, context["protected_area"]
        )
        return context


class BestPracticePdfView(PdfProfileMixin, BestPracticeDetailView):
    """A best practice as a printable PDF: to whoever may see its page, or 404."""

    audience_of = staticmethod(audience_of)


class ResourceDetailView(TranslatedDetailMixin, SignInForMembersOnlyMixin, DetailView):
    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resource = self.object
        original_id = resource.translation_of_id or resource.pk
        # The same publication in other languages: the original and its translations.
        editions = list(
            Resource.objects.listed_for(self.request.user)
            .filter(Q(pk=original_id) | Q(translation_of_id=original_id))
            .exclude(pk=resource.pk)
            .order_by("language", "title")
        )
        context["editions"] = editions
        context["original"] = next(
            (edition for edition in editions if edition.pk == resource.translation_of_id), None
        )
        context["structured_data"] = resource_data(self.request, resource)
        return context


class StoryDetailView(TranslatedDetailMixin, SignInForMembersOnlyMixin, DetailView):
    def get_queryset(self) -> QuerySet[Story]:
        # Staff may open a story before it is published; the page says so.
        return (
            Story.objects.visible_to(self.request.user)
            .for_detail()
            .annotate(is_published=Exists(Story.objects.published().filter(pk=OuterRef("pk"))))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        story = self.object
        visible_activity = (
            story.related_activity_id is not None
            and Activity.objects.listed_for(self.request.user)
            .filter(pk=story.related_activity_id)
            .exists()
        )
        context["related_activity"] = story.related_activity if visible_activity else None
        context["structured_data"] = story_data(self.request, story)
        return context
