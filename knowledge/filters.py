"""Filters of the library's lists: facets that say how many items they hold, and search.

Each list's FilterSet narrows the visible items by its facets, then ranks them against the
search box (`?q=`, from `SearchFilterSet`). After filtering, `count_facets` relabels each
facet's options with how many of the results they hold — "Sustainable tourism (12)" — in
one query per facet, whatever the number of rows.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from activities.models import WorkArea
from apap_portal.filters import SearchFilterSet
from knowledge.models import (
    BestPractice,
    Challenge,
    Ecosystem,
    GbfTarget,
    Language,
    Resource,
    Story,
    Theme,
)
from members.filters import CountryChoiceFilter
from members.models import Country, IucnCategory


def with_count(label, count: int) -> str:
    return f"{label} ({count})"


class LibraryFilterSet(SearchFilterSet):
    """A library list's filters: facets that count their results, and the search box.

    Subclasses name their facets: `related_facets` maps a model-choice filter to the
    relation from its options to the listed model (e.g. "theme" → Theme.best_practices);
    `column_facets` maps a choice filter to the listed model's column it counts.
    """

    search_snippet_field = "summary"
    related_facets: dict[str, str] = {}
    column_facets: dict[str, str] = {}

    @property
    def search_text(self) -> str:
        """The query searched for, as cleaned ("" when not searching)."""
        if not self.is_bound or "q" in self.form.errors:
            return ""
        return self.form.cleaned_data.get("q") or ""

    def selected(self, name: str) -> str:
        """The value chosen in a filter, or "" when none was, or when it is not valid."""
        if not self.is_bound or name in self.form.errors:
            return ""
        return str(self.data.get(name, ""))

    def count_facets(self, results: QuerySet) -> None:
        """Label every facet option with how many of `results` it holds.

        Options holding none are left out, except the one asked for, so that the
        visitor always sees what they chose.
        """
        ids = results.order_by().values("pk")
        for name, relation in self.related_facets.items():
            options = self.filters[name].queryset.annotate(
                count=Count(relation, filter=Q(**{f"{relation}__in": ids}))
            )
            self.offer_options(name, options)
        for name, column in self.column_facets.items():
            rows = (
                self.queryset.model.objects.filter(pk__in=ids)
                .order_by()
                .values_list(column)
                .annotate(count=Count("pk"))
            )
            counts = {str(value): count for value, count in rows if value is not None}
            self.offer_choices(name, counts)

    def offer_options(self, name: str, options: QuerySet) -> None:
        """Show the options of a model-choice facet (annotated with `count`) with their count."""
        field = self.form.fields[name]
        shown = Q(count__gt=0)
        if selected := self.selected(name):
            to_field = self.filters[name].extra.get("to_field_name") or "pk"
            shown |= Q(**{to_field: selected})
        field.queryset = options.filter(shown)
        field.label_from_instance = lambda option: with_count(option, option.count)

    def offer_choices(self, name: str, counts: dict) -> None:
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


def in_country(country: int | OuterRef) -> Q:
    """Best practices tagged with a country, or told of a protected area in it.

    `country` is a country's id, or a reference to one (OuterRef) from a subquery.
    """
    tagged = BestPractice.countries.through.objects.filter(
        bestpractice_id=OuterRef("pk"),
        country_id=OuterRef(country) if isinstance(country, OuterRef) else country,
    )
    return Q(Exists(tagged)) | Q(protected_area__country_id=country)


class BestPracticeFilter(LibraryFilterSet):
    theme = django_filters.ModelChoiceFilter(
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        label=_("Theme"),
        empty_label=_("All themes"),
    )
    ecosystem = django_filters.ModelChoiceFilter(
        field_name="ecosystems",
        queryset=Ecosystem.objects.all(),
        to_field_name="slug",
        label=_("Ecosystem"),
        empty_label=_("All ecosystems"),
    )
    challenge = django_filters.ModelChoiceFilter(
        field_name="challenges",
        queryset=Challenge.objects.all(),
        to_field_name="slug",
        label=_("Challenge"),
        empty_label=_("All challenges"),
    )
    gbf_target = django_filters.ModelChoiceFilter(
        field_name="gbf_targets",
        queryset=GbfTarget.objects.all(),
        to_field_name="number",
        label=_("GBF target"),
        empty_label=_("All GBF targets"),
    )
    country = CountryChoiceFilter(method="filter_country")
    iucn_category = django_filters.ChoiceFilter(
        field_name="protected_area__iucn_category",
        choices=IucnCategory.choices,
        label=_("IUCN category"),
        empty_label=_("All categories"),
    )
    language = django_filters.ChoiceFilter(
        choices=Language.choices, label=_("Language"), empty_label=_("All languages")
    )

    related_facets = {
        "theme": "best_practices",
        "ecosystem": "best_practices",
        "challenge": "best_practices",
        "gbf_target": "best_practices",
    }
    column_facets = {
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

    def filter_country(self, queryset, name, country):
        # Exists rather than a join: a practice tagged with the country *and* told of one
        # of its protected areas is listed once.
        return queryset.filter(in_country(country.pk))

    def count_facets(self, results: QuerySet) -> None:
        super().count_facets(results)
        # A country's count follows the country filter: tagged, or by the protected area.
        matching = (
            BestPractice.objects.filter(pk__in=results.order_by().values("pk"))
            .filter(in_country(OuterRef("pk")))
            .order_by()
            .values(total=Func(F("pk"), function="COUNT"))
        )
        countries = Country.objects.annotate(count=Subquery(matching))
        self.offer_options("country", countries)


class ResourceFilter(LibraryFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Resource.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    language = django_filters.ChoiceFilter(
        choices=Language.choices, label=_("Language"), empty_label=_("All languages")
    )
    year = YearFilter()
    theme = django_filters.ModelChoiceFilter(
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        label=_("Theme"),
        empty_label=_("All themes"),
    )
    gbf_target = django_filters.ModelChoiceFilter(
        field_name="gbf_targets",
        queryset=GbfTarget.objects.all(),
        to_field_name="number",
        label=_("GBF target"),
        empty_label=_("All GBF targets"),
    )

    related_facets = {"theme": "resources", "gbf_target": "resources"}
    column_facets = {"kind": "kind", "language": "language", "year": "year"}

    class Meta:
        model = Resource
        fields = ["q", "kind", "language", "year", "theme", "gbf_target"]


class StoryFilter(LibraryFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Story.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    work_area = django_filters.ModelChoiceFilter(
        queryset=WorkArea.objects.all(),
        to_field_name="slug",
        label=_("Work area"),
        empty_label=_("All work areas"),
    )
    year = YearFilter(field_name="published_at", lookup_expr="year")

    search_snippet_field = "lead"
    related_facets = {"work_area": "stories"}
    column_facets = {"kind": "kind", "year": "published_at__year"}

    class Meta:
        model = Story
        fields = ["q", "kind", "work_area", "year"]
