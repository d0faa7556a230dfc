"""Reading records in the reader's language, in the same query that reads them.

`queryset.translated()` changes nothing in the query it is given: counts, keys of pages
and `values()` stay as they were. When its rows are read, and only then, the query joins
each row's published translation into the active language (one LEFT JOIN on the unique
(original, language) index of the translation table, a `FilteredRelation`) and reads the
translated fields beside the original ones; each record then shows the translation where
there is one (`Translatable.show_translation`) and its original text elsewhere. Records
reached through a `select_related` relation named in `related` (a story's work area) are
shown the same way, by one more join each. No query is added.

Because the language is chosen when the rows are read, a queryset that stands in a cache
key (`apap_portal.caching.key_text`) adds the language to its key (`cache_key_suffix`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import F, FilteredRelation, OuterRef
from django.db.models.query import ModelIterable
from django.utils.translation import get_language

from apap_portal.translations.models import TranslationStatus, published_in

JOINED = "_translation"  # the alias of a row's translation, `<related>_translation` for a relation


@dataclass(frozen=True)
class Reading:
    """How to read a translatable queryset: in which language, and which relations too."""

    language: str | None
    related: tuple[str, ...]

    def language_now(self) -> str:
        return self.language or get_language()


def loaded_fields(queryset: models.QuerySet, fields: tuple[str, ...], prefix: str = "") -> list:
    """Those of `fields` (of the model at `prefix`, "" the row's own) the queryset loads."""
    names, defer = queryset.query.deferred_loading
    if prefix:
        mine = {
            name.removeprefix(f"{prefix}__") for name in names if name.startswith(f"{prefix}__")
        }
    else:
        mine = {name for name in names if "__" not in name}
    if defer:
        return [field for field in fields if field not in mine]
    # only(): what it names; all of a relation it names nothing of
    if not names or (prefix and not mine):
        return list(fields)
    return [field for field in fields if field in mine]


def _columns(queryset, language: str, path: str, model) -> tuple[dict, dict, list[str]]:
    """The aliases and annotations that read `model`'s translation at `path` ("" the row)."""
    relation = f"{path}__translations" if path else "translations"
    alias = f"{path}{JOINED}" if path else JOINED
    fields = loaded_fields(queryset, model.translated_fields, path)
    aliases = {alias: FilteredRelation(relation, condition=published_in(language, f"{relation}__"))}
    annotations = {f"{alias}_id": F(f"{alias}__id")}
    annotations |= {f"{alias}_{field}": F(f"{alias}__{field}") for field in fields}
    return aliases, annotations, fields


class TranslatedModelIterable(ModelIterable):
    """Reads the rows with their translations joined, and shows each where there is one."""

    def __iter__(self):
        queryset = self.queryset
        reading: Reading = queryset._translation_reading
        language = reading.language_now()
        model = queryset.model
        plans = [("", model)]
        for path in reading.related:
            plans.append((path, model._meta.get_field(path).related_model))
        aliases, annotations, shown = {}, {}, []
        for path, related_model in plans:
            more_aliases, more_annotations, fields = _columns(
                queryset, language, path, related_model
            )
            aliases |= more_aliases
            annotations |= more_annotations
            shown.append((path, f"{path}{JOINED}" if path else JOINED, fields))
        joined = queryset._chain().alias(**aliases).annotate(**annotations)
        rows = ModelIterable(joined, self.chunked_fetch, self.chunk_size)
        for row in rows:
            for path, alias, fields in shown:
                target = row
                if path:
                    target = getattr(row, path, None)
                translation_id = row.__dict__.pop(f"{alias}_id")
                values = {field: row.__dict__.pop(f"{alias}_{field}") for field in fields}
                if target is not None and translation_id is not None:
                    target.show_translation(language, values)
            yield row


class TranslatableQuerySet(models.QuerySet):
    """A queryset of a `Translatable` model: `.translated()` reads it in the reader's language."""

    _translation_reading: Reading | None = None

    def translated(self, language: str | None = None, related: tuple[str, ...] = ()):
        """The records in `language` (the active one by default) where a translation is published.

        `related` names `select_related` relations whose records are shown the same way.
        """
        clone = self._chain()
        clone._translation_reading = Reading(language, tuple(related))
        clone._iterable_class = TranslatedModelIterable
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._translation_reading = self._translation_reading
        return clone

    def cache_key_suffix(self) -> str:
        """What a cache key holding this queryset must add to its SQL: the language read in."""
        language = self.reading_language()
        if language is None:
            return ""
        return f" translated:{language}:{','.join(self._translation_reading.related)}"

    def reading_language(self) -> str | None:
        """The language its records are shown in when read (`.translated()`), else None."""
        reading = self._translation_reading
        if reading is None or self._iterable_class is not TranslatedModelIterable:
            return None
        return reading.language_now()

    def with_languages(self):
        """Annotate `translation_languages`: the languages of its published translations."""
        translations = self.model._meta.get_field("translations").related_model
        return self.annotate(
            translation_languages=ArraySubquery(
                translations._base_manager.filter(
                    original=OuterRef("pk"), status=TranslationStatus.PUBLISHED
                )
                .order_by("language")
                .values("language")
            )
        )
