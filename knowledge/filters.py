"""Filters of the library's lists: facets that say how many items they hold, and search.

Each list's FilterSet narrows the visible items by its facets, then ranks them against the
search box (`?q=`, from `SearchFilterSet`). After filtering, `count_facets` counts what
each facet's options hold of the results — "Sustainable tourism (12)" — and the total, in
one query whatever the number of rows and facets; the counts are cached until the content
changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from activities.filters import GbfTargetFilter, WorkAreaFilter
from apap_portal.caching import cached
from apap_portal.filters import ChoiceByKeyFilter, FixedChoiceFilter
from apap_portal.fulltext.filters import SearchFilterSet
from knowledge.models import (
    BestPractice,
    Challenge,
    Ecosystem,
    Language,
    Resource,
    Story,
    Theme,
)
from members.filters import InCountryFilter, IucnCategoryFilter
from members.models import audience_of, related_visibility


def with_count(label, count: int) -> str:
    return f"{label} ({count})"


@dataclass(frozen=True)
class FacetCounts:
    """How many results a list holds, and how many each facet option holds.

    `options` maps a facet's name to {option value as text: count}: the option's primary
    key for a model choice, its value for a plain choice.
    """

    total: int
    options: dict[str, dict[str, int]] = field(default_factory=dict)

    def of(self, name: str) -> dict[str, int]:
        return self.options.get(name, {})


class LibraryFilterSet(SearchFilterSet):
    """A library list's filters: facets that count their results, and the search box.

    Subclasses name their facets in `facets`: each maps a filter to the path from the
    listed model to the value it counts ("theme" → "themes", "iucn_category" →
    "protected_area__iucn_category"), or to several paths when a row can hold a value in
    more than one way; a row is then counted once per value.

    The counts and the total are computed in one query (`count_facets`) and cached until
    the content changes (`apap_portal.caching`): the library's facets are the costliest
    part of its pages at scale.
    """

    facets: dict[str, str | tuple[str, ...]] = {}

    def selected(self, name: str) -> str:
        """The value chosen in a filter, or "" when none was, or when it is not valid."""
        if not self.is_bound or name in self.form.errors:
            return ""
        return str(self.data.get(name, ""))

    def facet_counts(self, results: QuerySet) -> FacetCounts:
        """The total and facet counts of `results`, from the cache when they are there.

        They are cached under the SQL of `results`, which holds the filters, the search's
        matches and the visitor's visibility rules, and the visitor's audience (which
        related records they may see): two visitors share counts exactly when they would
        see the same rows.
        """
        if not self.cacheable:
            return self.count_facets(results)
        key = ("facets", audience_of(self.viewer), results)
        return cached(key, lambda: self.count_facets(results))

    @property
    def viewer(self):
        """Who the list is for: a facet by a related record counts only those they may see."""
        return getattr(self.request, "user", None) or AnonymousUser()

    def count_facets(self, results: QuerySet) -> FacetCounts:
        """Count `results` and what each facet option holds of them, in one query.

        Every facet is a GROUP BY over the results' keys, joined in one UNION ALL with the
        total. A facet with several paths counts a row by a later path only when an earlier
        one does not already give it the same value. A value reached through a related
        record the visitor may not see (a members-only protected area's country) is not
        counted.
        """
        model = self.queryset.model
        keys = results.order_by().values("pk")
        rows = model.objects.filter(pk__in=keys).order_by()
        branches = [_facet_rows(rows, "", Value(""))]
        for name, paths in self.facets.items():
            paths = (paths,) if isinstance(paths, str) else paths
            for index, path in enumerate(paths):
                branch = rows
                for earlier in paths[:index]:
                    branch = branch.exclude(**{earlier: F(path)})
                branch = branch.filter(**{f"{path}__isnull": False})
                branch = branch.filter(related_visibility(model, path, self.viewer))
                branches.append(_facet_rows(branch, name, Cast(path, models.TextField())))
        first, *others = branches
        counts: dict[str, dict[str, int]] = {}
        combined = first.union(*others, all=True).order_by()  # not the model's ordering
        for facet, value, count in combined.values_list("facet", "value", "count"):
            options = counts.setdefault(facet, {})
            options[value] = options.get(value, 0) + count
        return FacetCounts(total=counts.pop("", {}).get("", 0), options=counts)

    def offer_facets(self, counts: FacetCounts) -> None:
        """Label every facet option with how many results it holds.

        Options holding none are left out, except the one asked for, so that the
        visitor always sees what they chose.
        """
        for name in self.facets:
            if isinstance(self.filters[name], django_filters.ModelChoiceFilter):
                self.offer_options(name, counts.of(name))
            else:
                self.offer_choices(name, counts.of(name))

    def offer_options(self, name: str, counts: dict[str, int]) -> None:
        """Show the options of a model-choice facet that hold results, with their count."""
        field = self.form.fields[name]
        shown = Q(pk__in=[int(pk) for pk in counts])
        if selected := self.selected(name):
            to_field = self.filters[name].extra.get("to_field_name") or "pk"
            shown |= Q(**{to_field: selected})
        field.queryset = self.filters[name].queryset.filter(shown)
        field.label_from_instance = lambda option: with_count(option, counts.get(str(option.pk), 0))

    def offer_choices(self, name: str, counts: dict[str, int]) -> None:
        """Show the choices of a choice facet with their count; `counts` maps value → count."""
        selected = self.selected(name)
        filter_ = self.filters[name]
        if isinstance(filter_, YearFilter):
            choices = filter_.choices_in_use(counts, selected)
        else:
            choices = filter_.extra["choices"]
        self.form.fields[name].choices = [
            (value, with_count(label, counts.get(value, 0)))
            for value, label in choices
            if counts.get(value) or value == selected
        ]


def _facet_rows(rows: QuerySet, facet: str, value) -> QuerySet:
    """`rows` grouped by `value`: (facet, value, count) rows for the UNION of facets."""
    return (
        rows.annotate(facet=Value(facet, output_field=models.TextField()), value=value)
        .values("facet", "value")
        .annotate(count=Count("pk"))
    )


class YearFilter(django_filters.ChoiceFilter):
    """A year, offered among the years the results hold."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(str(year), str(year)) for year in range(1900, 2101)])
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("empty_label", _("Any year"))
        super().__init__(*args, **kwargs)

    def choices_in_use(self, counts: dict[str, int], selected: str) -> list[tuple[str, str]]:
        """The years counted, and the one chosen, latest first."""
        years = set(counts) | ({selected} if selected else set())
        return [(year, year) for year in sorted(years, reverse=True)]


class LanguageFilter(FixedChoiceFilter):
    defaults = {
        "choices": Language.choices,
        "label": _("Language"),
        "empty_label": _("All languages"),
    }


class ThemeFilter(ChoiceByKeyFilter):
    """A theme chosen by its slug: ?theme=sustainable-tourism."""

    model = Theme
    defaults = {
        "queryset": Theme.objects.translated(),  # named in the reader's language
        "field_name": "themes",
        "label": _("Theme"),
        "empty_label": _("All themes"),
    }


class EcosystemFilter(ChoiceByKeyFilter):
    model = Ecosystem
    defaults = {
        "queryset": Ecosystem.objects.translated(),
        "field_name": "ecosystems",
        "label": _("Ecosystem"),
        "empty_label": _("All ecosystems"),
    }


class ChallengeFilter(ChoiceByKeyFilter):
    model = Challenge
    defaults = {
        "queryset": Challenge.objects.translated(),
        "field_name": "challenges",
        "label": _("Challenge"),
        "empty_label": _("All challenges"),
    }


class BestPracticeFilter(LibraryFilterSet):
    theme = ThemeFilter()
    ecosystem = EcosystemFilter()
    challenge = ChallengeFilter()
    gbf_target = GbfTargetFilter()
    country = InCountryFilter()
    iucn_category = IucnCategoryFilter(method="filter_iucn_category")
    language = LanguageFilter()

    facets = {
        "theme": "themes",
        "ecosystem": "ecosystems",
        "challenge": "challenges",
        "gbf_target": "gbf_targets",
        # As the country filter: tagged with the country, or told of a protected area in it.
        "country": ("countries", "protected_area__country"),
        "iucn_category": "protected_area__iucn_category",
        "language": "language",
    }

    class Meta:
        model = BestPractice
        fields = [
            "q",
            "theme",
            "ecosystem",
            "challenge",
            "gbf_target",
            "country",
            "iucn_category",
            "language",
        ]

    def filter_iucn_category(self, queryset, name, category):
        """Told of a protected area of the category that the visitor may see."""
        return queryset.filter(
            Q(protected_area__iucn_category=category) & queryset.area_seen_by(self.viewer)
        )


class ResourceFilter(LibraryFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Resource.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    language = LanguageFilter()
    year = YearFilter()
    theme = ThemeFilter()
    gbf_target = GbfTargetFilter()

    facets = {
        "kind": "kind",
        "language": "language",
        "year": "year",
        "theme": "themes",
        "gbf_target": "gbf_targets",
    }

    class Meta:
        model = Resource
        fields = ["q", "kind", "language", "year", "theme", "gbf_target"]


class StoryFilter(LibraryFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Story.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    work_area = WorkAreaFilter()
    year = YearFilter(field_name="published_at", lookup_expr="year")

    facets = {"kind": "kind", "work_area": "work_area", "year": "published_at__year"}

    class Meta:
        model = Story
        fields = ["q", "kind", "work_area", "year"]
