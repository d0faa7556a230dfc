"""The site-wide search: /search/?q= over everything the visitor may see.

Best practices, resources, stories, activities, calls to members, protected areas and
organizations are searched at once and mixed in one list ranked by relevance (each
kind's newest `MAX_RANKED` matches, when more match: `apap_portal.fulltext.search`).
Each kind's rows come from its model's `listed_for(user)`, the one place visibility is
decided. The kinds meet in UNION ALL queries, so whatever the number of matches a page
costs two queries: the ranking of every kind, then the page's rows, each cached until
the content changes (a visitor who reads a search, and the next one asking the same,
pay neither). When the full-text search finds nothing in any kind, the
misspelling-tolerant trigram search on titles runs instead.

Each record's published translation into the reader's language is searched with it, in
the same ranking query, and a record is shown in that translation where there is one
(its title, snippet and `lang`): `apap_portal.fulltext.search.scored_branches`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.db.models import F, Value
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from activities.models import Activity
from apap_portal.caching import Uncacheable, cached, key_text

# The same snippets and fallback rule as the filtered lists (apap_portal.fulltext.search).
from apap_portal.fulltext import search as full_text
from apap_portal.fulltext.search import (
    allows_near_misses,
    best_first,
    clean_query,
    reader_language,
    scored_branches,
    shown_field,
    shown_language,
    shown_snippet,
    with_translation,
)
from apap_portal.fulltext.snippets import snippet_html
from apap_portal.pagination import Pages
from calls.models import Call
from knowledge.models import BestPractice, Resource, Story
from members.models import Organization, ProtectedArea

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
    listed_for: Callable[..., models.QuerySet]  # user -> the rows that user may find
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
        BestPractice.objects.listed_for,
    ),
    SearchableKind(
        "resource",
        _("Resource"),
        _("Resources"),
        "knowledge:resource_detail",
        Resource.objects.listed_for,
    ),
    SearchableKind(
        "story",
        _("Story"),
        _("Stories"),
        "knowledge:story_detail",
        Story.objects.listed_for,
    ),
    SearchableKind(
        "activity",
        _("Activity"),
        _("Activities"),
        "activities:activity_detail",
        Activity.objects.listed_for,
    ),
    SearchableKind(
        "call",
        _("Call"),
        _("Calls"),
        "calls:call_detail",
        Call.objects.listed_for,
    ),
    SearchableKind(
        "protectedarea",
        _("Protected area"),
        _("Protected areas"),
        "members:protectedarea_detail",
        ProtectedArea.objects.listed_for,
        title_field="name",
    ),
    SearchableKind(
        "organization",
        _("Organization"),
        _("Organizations"),
        "members:organization_detail",
        Organization.objects.listed_for,
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
    "result_snippet",
    "result_language",
    "result_title_language",
)


@dataclass(frozen=True)
class SearchResult:
    kind: SearchableKind
    title: str
    url: str
    snippet: SafeString
    language: str  # of the snippet shown: the translation's or the original's
    title_language: str  # of the title: the original's where names are not translated


class SiteSearch:
    """One query typed by one user, searched in every kind that user may see.

    The ranking of every kind comes from one UNION ALL query — (kind, key, score) rows,
    each kind's candidates scored (`apap_portal.fulltext.search.scored`) — and is cached for this
    query and the visitor's visibility until the content changes. Counts and pages are
    read from it; a page then costs one query for its own rows and snippets, cached the
    same way.

    Both are keyed by what they are made of: the text, the reader's language, whether
    near misses are searched, and the rows each kind lets this visitor find (`scope`,
    their SQL). Building the ranking's UNION to key it by its own SQL would cost more
    than reading the cached ranking saves.
    """

    def __init__(self, text: str, user):
        self.text = text
        self.user = user
        self.language = reader_language()
        self.scope = visible_scope(user)
        self.approximate = False
        self.ranking, self.capped_kinds = self._ranking()
        # Decided for the whole query: a near miss in one kind is no use beside exact
        # matches in another, and "phrases" or -exclusions must not be loosened.
        if not self.ranking and allows_near_misses(text):
            self.approximate = True
            self.ranking, self.capped_kinds = self._ranking()
        self.counts = {kind.key: 0 for kind in KINDS}
        for kind_key, _key in self.ranking:
            self.counts[kind_key] += 1

    @property
    def total(self) -> int:
        return len(self.ranking)

    @property
    def capped(self) -> bool:
        """Whether some kind matched more rows than are ranked (apap_portal.fulltext.search)."""
        return bool(self.capped_kinds)

    @property
    def max_ranked(self) -> int:
        return full_text.MAX_RANKED

    def _ranking(self) -> tuple[list[tuple[str, int]], set[str]]:
        """(kind, key) of every ranked match, best first, and the kinds that had more matches.

        From the cache when it is there. A kind's own rows and its translations are two
        branches, each ranking at most MAX_RANKED; a record in both counts once, by its
        better score.
        """
        return self.cached("site-search", self._rank)

    def cached[T](self, name: str, compute: Callable[[], T], *parts) -> T:
        """`compute()` cached for this search (`apap_portal.caching.cached`), keyed as above."""
        if self.scope is None:
            return compute()
        key = (name, self.approximate, self.text, self.language, self.scope, *parts)
        return cached(key, compute)

    def _rank(self) -> tuple[list[tuple[str, int]], set[str]]:
        branches = []
        for kind in KINDS:
            for number, branch in enumerate(
                scored_branches(
                    kind.listed_for(self.user),
                    self.text,
                    kind.title_field,
                    approximate=self.approximate,
                    language=self.language,
                )
            ):
                branches.append(
                    branch.order_by()
                    .annotate(
                        result_kind=Value(kind.key, output_field=models.CharField()),
                        result_branch=Value(number, output_field=models.IntegerField()),
                    )
                    .values_list("result_kind", "pk", "score", "result_branch")
                )
        first, *others = branches
        rows = list(first.union(*others, all=True).order_by())  # not the first model's ordering
        per_branch = Counter((kind_key, number) for kind_key, _key, _score, number in rows)
        capped = {
            kind_key
            for (kind_key, _number), count in per_branch.items()
            if count >= full_text.MAX_RANKED
        }
        ranking = best_first(((kind_key, key), score) for kind_key, key, score, _n in rows)
        return ranking, capped

    def results(self, kind: SearchableKind | None = None) -> RankedResults:
        ranking = [row for row in self.ranking if kind is None or row[0] == kind.key]
        return RankedResults(ranking, self)


class RankedResults(Pages):
    """A ranking of (kind, key) as a sequence for the Paginator.

    A page is one query: the page's rows of each kind, with their snippets, in a UNION
    ALL; they are then put in the ranking's order.
    """

    def __init__(self, ranking: list[tuple[str, int]], search: SiteSearch):
        self.ranking = ranking
        self.search = search

    def __len__(self) -> int:
        return len(self.ranking)

    def page(self, page: slice) -> list[SearchResult]:
        wanted = self.ranking[page]
        if not wanted:
            return []
        found = self.search.cached("site-search-page", lambda: self._found(wanted), wanted)
        return [self._result(found[wanted_row]) for wanted_row in wanted if wanted_row in found]

    def _found(self, wanted: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
        """The rows of `wanted` ((kind, key) pairs), by (kind, key)."""
        keys: dict[str, list[int]] = {}
        for kind_key, key in wanted:
            keys.setdefault(kind_key, []).append(key)
        first, *others = [self._rows(KINDS_BY_KEY[k], kind_keys) for k, kind_keys in keys.items()]
        rows = first.union(*others, all=True).order_by() if others else first
        return {(row["result_kind"], row["result_id"]): row for row in rows}

    def _rows(self, kind: SearchableKind, keys: list[int]) -> models.QuerySet:
        """The rows of `keys` of a kind, as rows of COLUMNS, in the reader's language if it can."""
        language = self.search.language
        rows = with_translation(kind.listed_for(self.search.user), language)
        text = None if self.search.approximate else self.search.text
        return (
            rows.filter(pk__any_of=keys)
            .order_by()
            .annotate(
                result_kind=Value(kind.key, output_field=models.CharField()),
                result_id=F("pk"),
                result_title=shown_field(rows.model, kind.title_field, language),
                result_slug=F("slug"),
                result_snippet=shown_snippet(rows.model, text, language),
                result_language=shown_language(rows.model, language),
                result_title_language=shown_language(rows.model, language, kind.title_field),
            )
            .values(*COLUMNS)
        )

    @staticmethod
    def _result(row: dict) -> SearchResult:
        kind = KINDS_BY_KEY[row["result_kind"]]
        return SearchResult(
            kind=kind,
            title=row["result_title"],
            url=kind.url(row["result_slug"]),
            snippet=snippet_html(row["result_snippet"]),
            language=row["result_language"],
            title_language=row["result_title_language"],
        )


def visible_scope(user) -> str | None:
    """The rows of every kind `user` may find, as the text of a cache key (None: uncacheable)."""
    try:
        return key_text(tuple(kind.listed_for(user) for kind in KINDS))
    except Uncacheable:
        return None


@require_GET
def search(request):
    """One search over all public content, and members-only content for members."""
    text = clean_query(request.GET.get("q"))
    context = {"query": text, "examples": EXAMPLES, "kinds": KINDS}
    if not text:
        return render(request, "search/search.html", context)

    selected = KINDS_BY_KEY.get(request.GET.get("kind", ""))
    found = SiteSearch(text, request.user)
    paginator = Paginator(found.results(selected), RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(_("There is no such page of results.")) from error
    context.update(
        selected_kind=selected,
        search=found,
        max_ranked=found.max_ranked,
        total=found.total,
        kind_counts=[(kind, found.counts[kind.key]) for kind in KINDS],
        paginator=paginator,
        page_obj=page,
        results=page.object_list,
    )
    return render(request, "search/search.html", context)
