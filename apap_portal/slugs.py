"""Slugs made from a title that no other record holds yet."""

from collections.abc import Iterator, Set
from itertools import batched, count

from django.db.models import QuerySet
from django.utils.text import slugify

# Candidates checked against the database in one query; more are asked for only when
# all of these are taken.
CANDIDATES_PER_QUERY = 20


def unique_slug(
    text: str,
    taken: QuerySet | Set[str],
    *,
    max_length: int,
    fallback: str,
    qualifier: str = "",
    reserved: Set[str] = frozenset(),
) -> str:
    """A slug of `text`, at most `max_length` long, that is not `taken` nor `reserved`.

    `taken` is the queryset whose rows' `slug` is taken (one query, however many
    candidates are tried first), or the set of slugs taken, for a batch that checks its
    rows in memory. Text that does not transliterate (Thai, Chinese…) gives `fallback`.
    A slug that is taken gets a suffix, cut from the end of the base so that it fits:
    `-2`, `-3`… or, with a `qualifier` (a record's own id), `-<qualifier>`,
    `-<qualifier>-2`…
    """
    candidates = slug_candidates(
        text, max_length=max_length, fallback=fallback, qualifier=qualifier
    )
    if not isinstance(taken, QuerySet):
        # One candidate at a time, in order: a set that asks the database for a slug it
        # has not read yet (the WDPA import's) asks only as far as the first free one.
        return next(slug for slug in candidates if slug not in taken and slug not in reserved)
    for batch in batched(candidates, CANDIDATES_PER_QUERY):
        used = set(taken.filter(slug__in=batch).values_list("slug", flat=True))
        for candidate in batch:
            if candidate not in used and candidate not in reserved:
                return candidate
    raise AssertionError("the candidates are endless")


def slug_candidates(
    text: str, *, max_length: int, fallback: str, qualifier: str = ""
) -> Iterator[str]:
    """The slugs `unique_slug` tries, in order (endless): for a batch that reads the
    first few of many records' candidates in one query."""
    base = slugify(text)[:max_length].strip("-") or fallback
    yield base
    if qualifier:
        yield _suffixed(base, f"-{qualifier}", max_length)
    stem = f"-{qualifier}" if qualifier else ""
    for number in count(2):
        yield _suffixed(base, f"{stem}-{number}", max_length)


def _suffixed(base: str, suffix: str, max_length: int) -> str:
    return base[: max_length - len(suffix)].rstrip("-") + suffix
