"""What a page says about the language a record is shown in, and where its other versions are.

A record read with `.translated()` is shown in the reader's language where a published
translation exists, and otherwise in its original language. The page then marks the text
with its `lang`, says it is not yet translated (`untranslated_note`), links the versions
that exist, and names only those to search engines (hreflang), with the original as the
canonical page of an untranslated one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from apap_portal.seo import site_url
from apap_portal.translations.languages import default_language, site_languages


@dataclass(frozen=True)
class Version:
    """The page of a record in one language."""

    code: str
    name: str  # in the language itself, as the switcher names it
    url: str


def languages_of(record) -> set[str]:
    """The site languages a record can be read in: its original's and its published translations'.

    Reads `translation_languages` where the queryset annotated it (`with_languages()`),
    otherwise asks the database.
    """
    if hasattr(record, "translation_languages"):
        translated = set(record.translation_languages or ())
    else:
        translated = set(
            record.translations.filter(status="published").values_list("language", flat=True)
        )
    original = record.original_language
    codes = {code for code, _name in site_languages()}
    if original not in codes:
        # A record written in a language the site is not read in is shown as it is
        # on the default language's page.
        original = default_language()
    return (translated | {original}) & codes


def versions_of(request, record, absolute: bool = False) -> list[Version]:
    """This page in each language the record can be read in, in the settings' order."""
    languages = languages_of(record)
    base = site_url(request) if absolute else ""
    return [
        Version(
            code, get_language_info(code)["name_local"], base + translate_url(request.path, code)
        )
        for code, _name in site_languages()
        if code in languages
    ]


def is_untranslated(record) -> bool:
    """The record is shown in another language than the page's."""
    return record.shown_language != get_language()


class TranslatedDetailMixin:
    """A detail view whose record is shown in the reader's language where it can be.

    `translated_related` names the `select_related` relations shown the same way (by
    default those the queryset's own `.translated()` names). Search
    engines are told only of the languages the record exists in; an untranslated page
    names the page in the language it is shown in as canonical.
    """

    translated_related: tuple[str, ...] = ()

    def get_object(self, queryset=None):
        if queryset is None:
            queryset = self.get_queryset()
        reading = queryset._translation_reading
        related = self.translated_related or (reading.related if reading else ())
        return super().get_object(queryset.translated(related=related).with_languages())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        versions = versions_of(self.request, record, absolute=True)
        context["alternate_urls"] = [{"code": v.code, "url": v.url} for v in versions]
        if is_untranslated(record):
            shown = next((v for v in versions if v.code == record.shown_language), None)
            if shown is not None:
                context["canonical_url"] = shown.url
        return context
