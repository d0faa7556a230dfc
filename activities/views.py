"""Public pages of the activities section."""

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView

from activities.calendar import activities_calendar, activity_calendar_file, calendar_activities
from activities.downloads import activities_csv
from activities.filters import ActivityFilter
from activities.linked_data import activity_data
from activities.models import Activity, WorkArea
from apap_portal.caching import cached
from apap_portal.downloads import DownloadableListMixin, bad_filters_response
from apap_portal.translations.reading import TranslatedDetailMixin
from knowledge.models import Resource, Story


class ActivityListView(DownloadableListMixin, FilterView):
    downloads = {"csv": activities_csv}
    filterset_class = ActivityFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "activities/activity_list.html"

    def get_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.listed_for(self.request.user).for_list()

    def get_context_data(self, **kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return super().get_context_data(search=None, **kwargs)  # bad filters list nothing
        listing = self.filterset.listing
        # Pages found by key, so that page 500 costs about what page 1 does; counting
        # 90,000 activities for "Page 1 of 3,750" costs more than reading the page, so the
        # count is cached under the list's SQL (the filters, the visibility, the day).
        rows = listing.rows
        count = None if listing.search else cached(("activity-count", rows), rows.count)
        kwargs["object_list"] = listing.pages(count)
        return super().get_context_data(search=listing.search, **kwargs)


class ActivityDetailView(TranslatedDetailMixin, DetailView):
    def get_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = activity_data(self.request, self.object)
        return context


class WorkAreaDetailView(TranslatedDetailMixin, DetailView):
    """A work area: its focal activities, latest activities, resources (studies, guidance)
    and stories (advocacy statements among them), in the reader's language where they can be."""

    latest_count = 10
    related_count = 6

    def get_queryset(self) -> QuerySet[WorkArea]:
        return WorkArea.objects.with_focal_activities()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activities = Activity.objects.listed_for(self.request.user).filter(work_area=self.object)
        # The cards name the work area: in the reader's language, as the heading does.
        latest = activities.for_list().translated(related=("work_area",))
        context["activities"] = latest[: self.latest_count]
        context["activity_count"] = activities.count()
        context["kinds"] = [
            (Activity.Kind(row["kind"]).label, row["total"])
            for row in activities.values("kind").annotate(total=Count("id")).order_by("-total")
        ]
        user = self.request.user
        context["resources"] = (
            Resource.objects.listed_for(user)
            .filter(work_area=self.object)
            .for_list()
            .order_by("-year", "title")[: self.related_count]
        )
        context["stories"] = (
            Story.objects.listed_for(user)
            .filter(work_area=self.object)
            .for_list()[: self.related_count]
        )
        return context


@require_GET
def activity_calendar(request):
    """The public activities as an iCalendar feed; the filters of the list apply.

    Calendar applications fetch it without signing in, so it holds public activities
    only, at most `activities.calendar.MAX_EVENTS` of them (current and upcoming ones
    first); unfiltered, it also holds the other sections' events (the calls' deadlines).
    The body is cached until the content changes or the day does.
    """
    filterset = ActivityFilter(request.GET, queryset=Activity.objects.public().for_calendar())
    if not filterset.is_valid():
        return bad_filters_response(filterset.errors)
    today = timezone.localdate()
    unfiltered = not any(value for name in filterset.filters for value in request.GET.getlist(name))

    def build() -> bytes:
        return activities_calendar(
            calendar_activities(filterset.qs, today),
            lambda record: request.build_absolute_uri(record.get_absolute_url()),
            # The whole feed also holds the calls' deadlines; a filtered one (a work area,
            # a kind of activity) holds the activities it asks for.
            other_events=unfiltered,
        )

    # The links name the site as this request reached it, in its language.
    site = request.build_absolute_uri("/")
    key = ("activity-calendar", today, get_language(), site, filterset.fingerprint())
    body = cached(key, build)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="apap-activities.ics"'
    return response


@require_GET
def activity_event(request, slug: str):
    """One activity as an iCalendar file, to add to a calendar ("Add to calendar").

    Whoever may open the activity's page may download it (a members-only one answers 404
    to an anonymous visitor), in the reader's language as the page is.
    """
    activity = get_object_or_404(Activity.objects.visible_to(request.user).for_event(), slug=slug)
    body = activity_calendar_file(activity, request.build_absolute_uri(activity.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{activity.slug}.ics"'
    return response
