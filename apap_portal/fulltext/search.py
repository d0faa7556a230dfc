"""Full-text search over PostgreSQL, shared by every searchable model.

Each searchable model stores a weighted `search_vector` (a generated column with a GIN
index, built by `weighted_search_vector`). Queries use the websearch syntax ("quoted
phrases", OR, -exclusions), are ranked, and come with snippets that show the matched words in a
whole phrase (`apap_portal.fulltext.snippets`). When the
full-text search finds nothing, a trigram match on the title catches misspellings.

Ranking reads every matching row's search vector, so a word found in most of a large
library ("conservation" in 85,000 best practices) would cost a second. The rank is
therefore computed over the newest `MAX_RANKED` matches of a search (`ranked_candidates`):
every query with fewer matches is ranked in full, and a very common one shows the most
relevant of its newest matches, with a note that more matched (see docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import models
from django.db.models import ExpressionWrapper, F, Func, Value
from django.db.models.functions import Cast

from apap_portal.caching import cached
from apap_portal.fulltext.snippets import HighlightedSnippet, snippet_of

SEARCH_CONFIG = "apap"
MAX_QUERY_LENGTH = 200
# The most matches of one kind a search ranks: the newest ones when more match.
MAX_RANKED = 1000


def weighted_search_vector(*fields: tuple[str, str]) -> SearchVector:
    """A search vector of (field, weight) pairs, e.g. ("title", "A"), ("summary", "B")."""
    # SearchVector coalesces each field to text itself, so empty fields are fine.
    vectors = [SearchVector(field, weight=weight, config=SEARCH_CONFIG) for field, weight in fields]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def search_vector_field(*fields: tuple[str, str]) -> models.GeneratedField:
    return models.GeneratedField(
        expression=weighted_search_vector(*fields),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def clean_query(text: str | None) -> str:
    """The query as typed, without NUL bytes or runaway length."""
    return (text or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


@dataclass(frozen=True)
class SearchResults:
    """What a search found: the rows, and what a page says about them."""

    text: str  # the query searched for, as cleaned
    queryset: models.QuerySet  # the matches, best first, each with its HTML `snippet`
    keys: list[int]  # the matches' keys, best first
    approximate: bool  # True when only the misspelling-tolerant fallback matched
    capped: bool  # True when more rows matched than are ranked (MAX_RANKED)

    @property
    def max_ranked(self) -> int:
        return MAX_RANKED


def web_query(text: str) -> SearchQuery:
    """The query in websearch syntax: "quoted phrases", OR, -exclusions."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def near_misses(queryset: models.QuerySet, text: str, title_field: str) -> models.QuerySet:
    """Rows whose title is close to the words typed, so misspellings still find their page.

    The trigram_word_similar lookup (the %> operator) can use a trigram GIN index on the
    title; pg_trgm's word_similarity_threshold (0.6 by default) decides what is close.
    """
    return queryset.filter(**{f"{title_field}__trigram_word_similar": text})


@models.IntegerField.register_lookup
class AnyOf(models.Lookup):
    """`pk__any_of=[1, 2, …]`: "id = ANY(%s)" with the keys as one array parameter.

    `pk__in` with a thousand keys sends a thousand parameters, which the driver parses
    into the SQL each time a query is built (a few milliseconds a query at that size).
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, [int(key) for key in self.rhs]]


def ranked_candidates(matches: models.QuerySet) -> models.QuerySet:
    """The keys of the newest `MAX_RANKED` rows of `matches`, the only ones ranked.

    For a rare word PostgreSQL finds the matches through the search index and keeps the
    newest; for a common one it walks the primary key backwards and stops after
    `MAX_RANKED` matches, reading a few more rows than that, not the whole table.
    """
    return matches.order_by("-pk").values_list("pk", flat=True)[:MAX_RANKED]


def allows_near_misses(text: str) -> bool:
    """Whether the query is words only: a fallback would betray "phrases" and -exclusions."""
    return not any(mark in text for mark in ('"', "-", " or ", " OR "))


@dataclass(frozen=True)
class Ranking:
    """The rows matching a search, best first, as their keys."""

    keys: list[int]
    approximate: bool  # True when only the misspelling-tolerant fallback matched
    capped: bool  # True when more rows matched than are ranked (MAX_RANKED)


def scored(
    queryset: models.QuerySet, text: str, title_field: str = "title", *, approximate: bool
) -> models.QuerySet:
    """The rows of `queryset` that match `text`, annotated with their `score`, best first.

    Exact matches are scored by the full-text rank, near misses (`approximate`) by the
    similarity of their title. Only the candidates are scored (`ranked_candidates`).
    """
    if approximate:
        matches = near_misses(queryset, text, title_field)
        score = TrigramWordSimilarity(text, title_field)
    else:
        query = web_query(text)
        matches = queryset.filter(search_vector=query)
        score = SearchRank(F("search_vector"), query)
    return (
        queryset.filter(pk__in=ranked_candidates(matches))
        .annotate(score=score)
        .order_by("-score", "pk")
    )


def rank(queryset: models.QuerySet, text: str, title_field: str = "title") -> Ranking:
    """Rank the rows of `queryset` against `text`: one query, two for a misspelling."""
    keys = list(scored(queryset, text, approximate=False).values_list("pk", flat=True))
    approximate = not keys and allows_near_misses(text)
    if approximate:
        close = scored(queryset, text, title_field, approximate=True)
        keys = list(close.values_list("pk", flat=True))
    return Ranking(keys, approximate, capped=len(keys) >= MAX_RANKED)


def in_order(keys: list[int]) -> Func:
    """An ordering expression: rows in the order of `keys`."""
    array = Cast(Value(keys), ArrayField(models.BigIntegerField()))
    return Func(array, F("pk"), function="array_position", output_field=models.IntegerField())


def search(
    queryset: models.QuerySet,
    text: str,
    *,
    title_field: str = "title",
    cache: bool = True,
) -> SearchResults:
    """`queryset`'s rows matching `text`, best first, each with its `snippet` as HTML.

    The snippet comes from the model's `search_snippet_fields`, for the rows of the page
    shown only (`apap_portal.fulltext.snippets`).

    The ranking (the keys, best first) is cached for this queryset and query until the
    content changes, so the next page, the same search by the next visitor and the facet
    counts start from it; the page's own rows and snippets are read each time.
    """
    compute = partial(rank, queryset, text, title_field)
    ranking = cached(("search", text, title_field, queryset), compute) if cache else compute()
    query = None if ranking.approximate else web_query(text)
    snippet = snippet_of(queryset.model.search_snippet_fields, query)
    results = (
        queryset.filter(pk__any_of=ranking.keys)
        .annotate(snippet=ExpressionWrapper(snippet, output_field=HighlightedSnippet()))
        .order_by(in_order(ranking.keys), "pk")
    )
    return SearchResults(text, results, ranking.keys, ranking.approximate, ranking.capped)
