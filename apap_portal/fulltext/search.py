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

Records written in English are indexed with the `apap` configuration (English stemming and
stop words, diacritics ignored); records in any other language with `apap_simple` (every
word as written, diacritics ignored), so that a best practice written in Vietnamese loses
no word to English stop words ("thẻ" is "the" without its accent) nor to English stemming.
A model whose records carry their language names the field in `search_language_field` and
builds its vector with `language_search_vector`. Each row is matched, ranked and
highlighted with the query in its own configuration (`matching`, `row_query`, `row_config`):
"bảo tồn" and "bao ton" both give 'bao' & 'ton', "restoring" still finds "restoration", and
English rows match and rank exactly as they did. `web_query` is the query in both
configurations at once, for a search over vectors of any configuration.

A record's published translation into the reader's language is searched with it
(`scored_translations`: the translation's own vector, in its language's configuration, with
its own candidates and its own near misses on its title). The record is ranked by the
better of its own score and its translation's, in the same query (a UNION ALL of both),
and a result shown in the translation takes its snippet from the translation's text
(`shown_snippet`). Drafts and translations into other languages are never searched.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, FilteredRelation, Func, Q, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import get_language

from apap_portal.caching import cached
from apap_portal.fulltext.snippets import HighlightedSnippet, snippet_of
from apap_portal.translations.languages import default_language, site_languages
from apap_portal.translations.models import Translatable, published_in

SEARCH_CONFIG = "apap"
# The configuration of records in each language that has its own (members/migrations/0004),
# and of records in every other language (members/migrations/0016): no stemming, no stop words.
STEMMED_CONFIGS = {"en": SEARCH_CONFIG}
UNSTEMMED_CONFIG = "apap_simple"
MAX_QUERY_LENGTH = 200
# The most matches of one kind a search ranks: the newest ones when more match.
MAX_RANKED = 1000
# The alias of each row's published translation into the reader's language in a search.
TRANSLATED = "_search_translation"


def search_config(language_code: str) -> str:
    """The text search configuration of a record written in `language_code`."""
    return STEMMED_CONFIGS.get(language_code, UNSTEMMED_CONFIG)


def weighted_search_vector(*fields: tuple[str, str], config: str = SEARCH_CONFIG) -> SearchVector:
    """A search vector of (field, weight) pairs, e.g. ("title", "A"), ("summary", "B")."""
    # SearchVector coalesces each field to text itself, so empty fields are fine.
    vectors = [SearchVector(field, weight=weight, config=config) for field, weight in fields]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def by_language(language_field: str, value_in, output_field: models.Field) -> Case:
    """`value_in(config)` for the configuration of each row's language (`search_config`).

    Every branch names its configuration as a constant, so the expression stays immutable
    and can generate a column.
    """
    return Case(
        *[
            When(**{language_field: code}, then=value_in(config))
            for code, config in STEMMED_CONFIGS.items()
        ],
        default=value_in(UNSTEMMED_CONFIG),
        output_field=output_field,
    )


def language_search_vector(*fields: tuple[str, str], language_field: str = "language") -> Case:
    """The weighted search vector of each row in the configuration of its language."""
    return by_language(
        language_field,
        lambda config: weighted_search_vector(*fields, config=config),
        SearchVectorField(),
    )


def search_vector_field(
    *fields: tuple[str, str], language_field: str | None = None
) -> models.GeneratedField:
    """The generated `search_vector` column; by the row's language with `language_field`."""
    if language_field:
        expression = language_search_vector(*fields, language_field=language_field)
    else:
        expression = weighted_search_vector(*fields)
    return models.GeneratedField(
        expression=expression,
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def search_indexes(prefix: str, title_field: str = "title") -> list:
    """The indexes of a searchable table: its vector, and its title's trigrams for misspellings."""
    return [
        GinIndex(fields=["search_vector"], name=f"{prefix}_search"),
        GinIndex(OpClass(title_field, name="gin_trgm_ops"), name=f"{prefix}_title_trgm"),
    ]


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


def config_query(text: str, config: str = SEARCH_CONFIG) -> SearchQuery:
    """The query in websearch syntax ("quoted phrases", OR, -exclusions) in one configuration."""
    return SearchQuery(text, search_type="websearch", config=config)


def web_query(text: str) -> SearchQuery:
    """The query as both configurations read it: rows in any language match it.

    'bảo tồn' and 'bao ton' give the same terms in both; the stemmed side lets
    "restoring" find "restoration" in English rows. Exclusions are looser than in
    `matching` ("forest -restoring": the unstemmed side lacks 'restoring' in any English
    row), so the searches of the site use `matching`.
    """
    return config_query(text, SEARCH_CONFIG) | config_query(text, UNSTEMMED_CONFIG)


def language_field_of(model: type[models.Model]) -> str | None:
    """The field holding the language a model's rows are indexed in, if they are."""
    return getattr(model, "search_language_field", None)


def matching(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """The rows of `queryset` that match `text`, each as its own configuration reads it.

    Rows of varying language match the query of their language's configuration: English
    rows exactly as before, so an exclusion holds ("forest -restoring" must not let an
    English row holding 'restor' through because the unstemmed query lacks 'restoring').
    The condition is an OR of `vector @@ constant query` per configuration, which the
    planner estimates from the column's statistics and can answer from the GIN index
    (a CASE choosing the query per row would be estimated blindly: a common word would
    then be read from every row instead of the newest ones, see `ranked_candidates`).
    """
    language_field = language_field_of(queryset.model)
    if not language_field:
        return queryset.filter(search_vector=config_query(text))
    condition = Q(search_vector=config_query(text, UNSTEMMED_CONFIG)) & ~Q(
        **{f"{language_field}__in": list(STEMMED_CONFIGS)}
    )
    for code, config in STEMMED_CONFIGS.items():
        condition |= Q(**{language_field: code}, search_vector=config_query(text, config))
    return queryset.filter(condition)


def row_query(model: type[models.Model], text: str) -> SearchQuery | Case:
    """Each row's query in its own configuration, to rank it and mark its words.

    A row is ranked against the terms its own vector can hold: an English row against the
    stemmed query alone, exactly as when every row was English.
    """
    language_field = language_field_of(model)
    if not language_field:
        return config_query(text)
    return by_language(language_field, partial(config_query, text), SearchQueryField())


def row_config(model: type[models.Model]) -> Value | Case:
    """Each row's text search configuration, for its snippet (ts_headline)."""
    language_field = language_field_of(model)
    if not language_field:
        return Value(SEARCH_CONFIG)
    return by_language(language_field, Value, models.CharField())


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
        matches = matching(queryset, text)
        score = SearchRank(F("search_vector"), row_query(queryset.model, text))
    return (
        queryset.filter(pk__in=ranked_candidates(matches))
        .annotate(score=score)
        .order_by("-score", "pk")
    )


def translations_of(model: type[models.Model]) -> type[models.Model] | None:
    """The model of `model`'s translations, if its records have any."""
    if not issubclass(model, Translatable):
        return None
    return model._meta.get_field("translations").related_model


def has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def reader_language(language: str | None = None) -> str | None:
    """`language`, or the active one, when it is a site language (None: originals only)."""
    language = language or get_language()
    return language if language in dict(site_languages()) else None


def with_translation(queryset: models.QuerySet, language: str | None) -> models.QuerySet:
    """`queryset` with each row's published translation into `language` as `TRANSLATED`.

    A LEFT JOIN on the translation table's unique (original, language) index, made only
    where an expression reads `TRANSLATED`.
    """
    if language is None or translations_of(queryset.model) is None:
        return queryset
    condition = published_in(language, "translations__")
    return queryset.alias(**{TRANSLATED: FilteredRelation("translations", condition=condition)})


def scored_translations(
    queryset: models.QuerySet,
    text: str,
    title_field: str = "title",
    *,
    approximate: bool,
    language: str | None,
) -> models.QuerySet | None:
    """The rows of `queryset` whose translation into `language` matches `text`, with its `score`.

    Only published translations, in `language` alone, read in its configuration; their
    candidates are capped as a table's are (`ranked_candidates`), and a near miss is read
    on the translation's title. None when there is nothing to search: no language, a
    model without searchable translations, or no translated title for a near miss.
    """
    translations = translations_of(queryset.model)
    if language is None or translations is None or not has_field(translations, "search_vector"):
        return None
    if approximate and not has_field(translations, title_field):
        return None
    joined = with_translation(queryset, language)
    if approximate:
        title = f"{TRANSLATED}__{title_field}"
        matches = near_misses(joined, text, title)
        score = TrigramWordSimilarity(text, title)
    else:
        query = config_query(text, search_config(language))
        matches = joined.filter(**{f"{TRANSLATED}__search_vector": query})
        score = SearchRank(F(f"{TRANSLATED}__search_vector"), query)
    return (
        joined.filter(pk__in=ranked_candidates(matches))
        .annotate(score=score)
        .order_by("-score", "pk")
    )


def scored_branches(
    queryset: models.QuerySet,
    text: str,
    title_field: str = "title",
    *,
    approximate: bool,
    language: str | None,
) -> list[models.QuerySet]:
    """Every way a row of `queryset` can match: its own text, then its translation's.

    Each branch is scored and capped on its own (`scored`, `scored_translations`); a
    record may come from both, and is then ranked by its better score (`best_first`).
    """
    branches = [scored(queryset, text, title_field, approximate=approximate)]
    translated = scored_translations(
        queryset, text, title_field, approximate=approximate, language=language
    )
    if translated is not None:
        branches.append(translated)
    return branches


def best_first[K: Hashable](scores: Iterable[tuple[K, float]]) -> list[K]:
    """The keys by their best score, best first; equal scores in the keys' order."""
    best: dict[K, float] = {}
    for key, score in scores:
        if key not in best or score > best[key]:
            best[key] = score
    return sorted(best, key=lambda key: (-best[key], key))


def allows_near_misses(text: str) -> bool:
    """Whether the query is words only: a fallback would betray "phrases" and -exclusions."""
    return not any(mark in text for mark in ('"', "-", " or ", " OR "))


@dataclass(frozen=True)
class Ranking:
    """The rows matching a search, best first, as their keys."""

    keys: list[int]
    approximate: bool  # True when only the misspelling-tolerant fallback matched
    capped: bool  # True when more rows matched than are ranked (MAX_RANKED)


def ranked(
    queryset: models.QuerySet, text: str, title_field: str, *, approximate: bool, language
) -> tuple[list[int], bool]:
    """The keys matching `text` best first, and whether a branch had more than it ranks."""
    branches = [
        branch.order_by()
        .annotate(branch=Value(number, output_field=models.IntegerField()))
        .values_list("pk", "score", "branch")
        for number, branch in enumerate(
            scored_branches(queryset, text, title_field, approximate=approximate, language=language)
        )
    ]
    first, *others = branches
    rows = list(first.union(*others, all=True).order_by() if others else first)
    per_branch = [0] * len(branches)
    for _key, _score, number in rows:
        per_branch[number] += 1
    keys = best_first((key, score) for key, score, _number in rows)
    return keys, any(count >= MAX_RANKED for count in per_branch)


def rank(
    queryset: models.QuerySet, text: str, title_field: str = "title", language: str | None = None
) -> Ranking:
    """Rank the rows of `queryset` against `text`: one query, two for a misspelling.

    The rows' published translations into `language` (the reader's) are searched with them.
    """
    language = reader_language(language)
    keys, capped = ranked(queryset, text, title_field, approximate=False, language=language)
    approximate = not keys and allows_near_misses(text)
    if approximate:
        keys, capped = ranked(queryset, text, title_field, approximate=True, language=language)
    return Ranking(keys, approximate, capped)


def row_snippet(model: type[models.Model], text: str | None) -> Func:
    """Each row's snippet, its words marked as its own configuration reads them.

    Without a text (a near miss of the title) the snippet is the start of the row's text.
    """
    if text is None:
        return snippet_of(model.search_snippet_fields, None)
    return snippet_of(model.search_snippet_fields, row_query(model, text), row_config(model))


def shown_snippet(model: type[models.Model], text: str | None, language: str | None) -> Func:
    """Each row's snippet from the text the reader is shown: its translation's where there is one.

    The queryset joins the translation (`with_translation`); without a `language` every row
    shows its original text (`row_snippet`). Fields that are not translated (a resource's
    authors) come from the original.
    """
    own = row_snippet(model, text)
    if language is None or translations_of(model) is None:
        return own
    fields = tuple(
        f"{TRANSLATED}__{field}" if field in model.translated_fields else field
        for field in model.search_snippet_fields
    )
    config = search_config(language)
    translated = snippet_of(fields, None if text is None else config_query(text, config))
    return Case(
        When(**{f"{TRANSLATED}__isnull": False}, then=translated),
        default=own,
        output_field=models.TextField(),
    )


def shown_field(model: type[models.Model], field: str, language: str | None) -> F | Case:
    """A field as the reader is shown it: the translation's where there is one."""
    if language is None or field not in getattr(model, "translated_fields", ()):
        return F(field)
    return Case(
        When(**{f"{TRANSLATED}__isnull": False}, then=F(f"{TRANSLATED}__{field}")),
        default=F(field),
    )


def shown_language(
    model: type[models.Model], language: str | None, field: str | None = None
) -> Value | Case:
    """The language of the text the reader is shown: the translation's, else the original's.

    With `field`, of that field alone: a name that is not translated stays in the original's.
    """
    if has_field(model, "language"):
        original = Coalesce(NullIf(F("language"), Value("")), Value(default_language()))
    else:
        original = Value(default_language())
    untranslated = field is not None and field not in getattr(model, "translated_fields", ())
    if language is None or translations_of(model) is None or untranslated:
        return original
    return Case(
        When(**{f"{TRANSLATED}__isnull": False}, then=Value(language)),
        default=original,
        output_field=models.CharField(),
    )


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

    The rows' published translations into the reader's language are searched too (`rank`).
    The snippet comes from the model's `search_snippet_fields`, for the rows of the page
    shown only (`apap_portal.fulltext.snippets`); from the translation's text for the rows
    a queryset read with `.translated()` shows in translation.

    The ranking (the keys, best first) is cached for this queryset, query and language until
    the content changes, so the next page, the same search by the next visitor and the facet
    counts start from it; the page's own rows and snippets are read each time.
    """
    language = reader_language()
    compute = partial(rank, queryset, text, title_field, language)
    key = ("search", text, title_field, language, queryset)
    ranking = cached(key, compute) if cache else compute()
    shown = getattr(queryset, "reading_language", lambda: None)()
    snippet = shown_snippet(queryset.model, None if ranking.approximate else text, shown)
    results = (
        with_translation(queryset, shown)
        .filter(pk__any_of=ranking.keys)
        .annotate(snippet=ExpressionWrapper(snippet, output_field=HighlightedSnippet()))
        .order_by(in_order(ranking.keys), "pk")
    )
    return SearchResults(text, results, ranking.keys, ranking.approximate, ranking.capped)
