"""The site-wide search: /search/?q= over everything the visitor may see.

Best practices, resources, stories, activities and protected areas are searched at once
and mixed in one list ranked by relevance (each kind's newest `MAX_RANKED` matches, when
more match: `apap_portal.search`). Each kind's rows come from its model's
`visible_to(user)`, the one place visibility is decided. The kinds meet in a UNION ALL
of rows with the same columns, so whatever the number of matches a page costs two
queries: the counts per kind, then the page of results. When the full-text search finds
nothing in any kind, the misspelling-tolerant trigram search on titles runs instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.db.models import Count, F, Value
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from activities.models import Activity

# The same snippets and fallback rule as the filtered lists (apap_portal.search).
from apap_portal import search as full_text
from apap_portal.search import (
    allows_near_misses,
    clean_query,
    headline,
    near_misses,
    opening,
    ranked_candidates,
    snippet_html,
    web_query,
)
from knowledge.models import BestPractice, Resource, Story
from members.models import ProtectedArea

RESULTS_PER_PAGE = 20

# Shown on the empty search page; each one is a link that runs it.
EXAMPLES = ["transboundary", "Cúc Phương", '"human-wildlife conflict"', "mangrove -shrimp"]


@dataclass(frozen=True)
class SearchableKind:
    """A kind of content the site-wide search covers."""

    key: str  # ?kind= and the UNION's kind column
    label: str  # one result's label: "Best practice"
    label_plural: str  # the filter by kind: "Best practices"
    url_name: str  # its detail page, reversed with the slug
    visible_to: Callable[..., models.QuerySet]  # user -> the rows that user may find
    snippet_field: str
    title_field: str = "title"

    def url(self, slug: str) -> str:
        return reverse(self.url_name, kwargs={"slug": slug})


# Drafts are never search results (staff find them in the admin, authors on /my/).
KINDS = (
    SearchableKind(
        "bestpractice",
        _("Best practice"),
        _("Best practices"),
        "knowledge:bestpractice_detail",
        lambda user: BestPractice.objects.visible_to(user).published(),
        snippet_field="summary",
    ),
    SearchableKind(
        "resource",
        _("Resource"),
        _("Resources"),
        "knowledge:resource_detail",
        lambda user: Resource.objects.visible_to(user),
        snippet_field="summary",
    ),
    SearchableKind(
        "story",
        _("Story"),
        _("Stories"),
        "knowledge:story_detail",
        lambda user: Story.objects.visible_to(user).published(),
        snippet_field="lead",
    ),
    SearchableKind(
        "activity",
        _("Activity"),
        _("Activities"),
        "activities:activity_detail",
        lambda user: Activity.objects.visible_to(user),
        snippet_field="summary",
    ),
    SearchableKind(
        "protectedarea",
        _("Protected area"),
        _("Protected areas"),
        "members:protectedarea_detail",
        lambda user: ProtectedArea.objects.visible_to(user),
        snippet_field="description",
        title_field="name",
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}

# The columns every kind's rows share, in this order: UNION matches columns by position.
COLUMNS = (
    "result_kind",
    "result_id",
    "result_title",
    "result_slug",
    "result_rank",
    "result_snippet",
)
RANKED = ("-result_rank", "result_kind", "result_id")


@dataclass(frozen=True)
class SearchResult:
    kind: SearchableKind
    title: str
    url: str
    snippet: SafeString


class SiteSearch:
    """One query typed by one user, searched in every kind that user may see."""

    def __init__(self, text: str, user):
        self.text = text
        self.user = user
        self.query = web_query(text)
        self.approximate = False
        self.counts = self._counts()
        # Decided for the whole query: a near miss in one kind is no use beside exact
        # matches in another, and "phrases" or -exclusions must not be loosened.
        if not any(self.counts.values()) and allows_near_misses(text):
            self.approximate = True
            self.counts = self._counts()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _matches(self, kind: SearchableKind) -> models.QuerySet:
        """The kind's matches that are ranked: all of them, or its newest MAX_RANKED."""
        rows = kind.visible_to(self.user).order_by()
        if self.approximate:
            matches = near_misses(rows, self.text, kind.title_field)
        else:
            matches = rows.filter(search_vector=self.query)
        return rows.filter(pk__in=ranked_candidates(matches))

    @property
    def capped(self) -> bool:
        """Whether some kind matched more rows than are ranked (see apap_portal.search)."""
        return any(count >= full_text.MAX_RANKED for count in self.counts.values())

    def _counts(self) -> dict[str, int]:
        """The number of matches of each kind, in one query."""
        per_kind = [
            self._matches(kind)
            .annotate(result_kind=Value(kind.key, output_field=models.CharField()))
            .values("result_kind")
            .annotate(total=Count("pk"))
            for kind in KINDS
        ]
        first, *others = per_kind
        counts = {kind.key: 0 for kind in KINDS}
        rows = first.union(*others, all=True).order_by()  # not the first model's ordering
        counts.update((row["result_kind"], row["total"]) for row in rows)
        return counts

    def _rows(self, kind: SearchableKind) -> models.QuerySet:
        """The kind's matches as rows of COLUMNS."""
        if self.approximate:
            rank = TrigramWordSimilarity(self.text, kind.title_field)
            snippet = opening(kind.snippet_field)
        else:
            rank = SearchRank(F("search_vector"), self.query)
            snippet = headline(kind.snippet_field, self.query)
        return (
            self._matches(kind)
            .annotate(
                result_kind=Value(kind.key, output_field=models.CharField()),
                result_id=F("pk"),
                result_title=F(kind.title_field),
                result_slug=F("slug"),
                result_rank=rank,
                result_snippet=snippet,
            )
            .values(*COLUMNS)
        )

    def results(self, kind: SearchableKind | None = None) -> RankedResults:
        kinds = [kind] if kind else [k for k in KINDS if self.counts[k.key]]
        total = self.counts[kind.key] if kind else self.total
        return RankedResults([self._rows(k) for k in kinds], total)


class RankedResults:
    """Ranked rows of one or more kinds, as a sequence for the Paginator.

    Slicing it runs one query: each kind's best `stop` rows (ranked, then limited, so
    PostgreSQL builds snippets for those rows only), merged by rank, then the page.
    """

    def __init__(self, rows_per_kind: list[models.QuerySet], total: int):
        self.rows_per_kind = rows_per_kind
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, page: slice) -> list[SearchResult]:
        if not self.rows_per_kind or page.start >= page.stop:
            return []
        if len(self.rows_per_kind) == 1:
            rows = self.rows_per_kind[0].order_by(*RANKED)[page]
        else:
            first, *others = (rows.order_by(*RANKED)[: page.stop] for rows in self.rows_per_kind)
            rows = first.union(*others, all=True).order_by(*RANKED)[page]
        return [self._result(row) for row in rows]

    @staticmethod
    def _result(row: dict) -> SearchResult:
        kind = KINDS_BY_KEY[row["result_kind"]]
        return SearchResult(
            kind=kind,
            title=row["result_title"],
            url=kind.url(row["result_slug"]),
            snippet=snippet_html(row["result_snippet"]),
        )


@require_GET
def search(request):
    """One search over all public content, and members-only content for members."""
    text = clean_query(request.GET.get("q"))
    context = {"query": text, "examples": EXAMPLES, "kinds": KINDS}
    if not text:
        return render(request, "search.html", context)

    selected = KINDS_BY_KEY.get(request.GET.get("kind", ""))
    found = SiteSearch(text, request.user)
    paginator = Paginator(found.results(selected), RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(_("There is no such page of results.")) from error
    context.update(
        selected_kind=selected,
        approximate=found.approximate,
        capped=found.capped,
        max_ranked=full_text.MAX_RANKED,
        total=found.total,
        kind_counts=[(kind, found.counts[kind.key]) for kind in KINDS],
        paginator=paginator,
        page_obj=page,
        results=page.object_list,
    )
    return render(request, "search.html", context)
