"""Filters of the activity list, shared by the page and its iCalendar feed.

The work-area and GBF-target filters are the library's too (knowledge/filters.py).
"""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, FocalActivity, WorkArea
from apap_portal.filters import ChoiceByKeyFilter
from apap_portal.fulltext.filters import SearchFilterSet
from knowledge.models import GbfTarget
from members.filters import InCountryFilter


class WorkAreaFilter(ChoiceByKeyFilter):
    """A work area chosen by its slug: ?work_area=transboundary-cooperation."""

    model = WorkArea
    defaults = {
        "queryset": WorkArea.objects.translated(),  # options in the reader's language
        "label": _("Work area"),
        "empty_label": _("All work areas"),
    }


# Here rather than in knowledge/filters.py, which imports this module: the library's
# lists filter by work area too, and an import back would be a cycle.
class GbfTargetFilter(ChoiceByKeyFilter):
    """A GBF target chosen by its number: ?gbf_target=3."""

    model = GbfTarget
    key = "number"
    defaults = {
        "queryset": GbfTarget.objects.translated(),  # named in the reader's language
        "field_name": "gbf_targets",
        "label": _("GBF target"),
        "empty_label": _("All GBF targets"),
    }


class ActivityFilter(SearchFilterSet):
    work_area = WorkAreaFilter()
    focal_activity = django_filters.ModelChoiceFilter(
        field_name="focal_activities",
        queryset=FocalActivity.objects.for_choices(),
        label=_("Focal activity"),
        empty_label=_("All focal activities"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Activity.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    country = InCountryFilter()
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=1900, max_value=2200
    )
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        empty_label=_("Any time"),
        method="filter_when",
    )
    gbf_target = GbfTargetFilter()

    class Meta:
        model = Activity
        fields = [
            "q",
            "work_area",
            "focal_activity",
            "kind",
            "country",
            "year",
            "when",
            "gbf_target",
        ]

    def filter_year(self, queryset, name, year):
        """Activities held in the year, in part at least (a 2017–2018 study is in 2018)."""
        year = int(year)
        return queryset.overlapping(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def filter_when(self, queryset, name, when):
        today = timezone.localdate()
        if when == "upcoming":
            return queryset.upcoming(today).soonest_first(today)
        return queryset.past(today)
