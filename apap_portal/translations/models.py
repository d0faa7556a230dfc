"""A record's versions in other languages: linked rows, each with its own status and history.

The original text stays on the record's own row, in the language the record says it is
written in (its `language` field, or the site's default language). Each translation is a
row of its own model (`StoryTranslation` beside `Story`), linked to the original by
`original` (`translation_of`), holding the translated fields (`Translatable.translated_copy`) and:

- `language`, one of `settings.LANGUAGES` (a new language needs no migration: the
  choices are read from the settings);
- `status`: a draft translation is never shown, whatever the original's status;
- its own history (django-reversion) and its own optimistic lock (`VersionedModel`);
- `source_digest`: the digest of the original's text the translation was made from. The
  original keeps the digest of its current text in a generated column,
  `translation_source` (`translation_source_field`), so a translation whose digest differs
  is out of date: the original changed after it was written. `source_version` keeps the
  original's version then, to find that text in the original's history.

docs/translations.md says why the portal keeps translations this way rather than with
django-parler or django-modeltranslation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import MD5, Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from apap_portal.editing.locking import VersionedModel
from apap_portal.translations.languages import default_language, language_name, site_languages

# Between two fields in a digest, so that moving text from one field to the next counts.
FIELD_SEPARATOR = "\x1f"


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def translation_source_field(*fields: str) -> models.GeneratedField:
    """The digest of a record's translatable text, kept by the database on every save."""
    parts: list = []
    for field in fields:
        if parts:
            parts.append(Value(FIELD_SEPARATOR))
        parts.append(Coalesce(field, Value(""), output_field=models.TextField()))
    text = Concat(*parts, output_field=models.TextField()) if len(parts) > 1 else parts[0]
    return models.GeneratedField(
        expression=MD5(text),
        output_field=models.CharField(max_length=32),
        db_persist=True,
        editable=False,
        verbose_name=_("digest of the translatable text"),
    )


def translation_of(original: type[models.Model]) -> models.ForeignKey:
    """The `original` field of a translation model: the record it translates."""
    return models.ForeignKey(
        original,
        verbose_name=_("original"),
        on_delete=models.CASCADE,
        related_name="translations",
    )


class Translatable:
    """Mixin of a model whose records have translations (`translations` in other languages).

    The model names its translatable fields in `translated_fields` and keeps their digest in
    `translation_source`. A record read with `.translated()` (`TranslatableQuerySet`) shows
    the published translation into the reader's language where one exists: its translated
    fields then hold the translation's text, `shown_language` says which language the
    reader sees, and the record refuses to be saved (the original would take the
    translation's words).
    """

    translated_fields: tuple[str, ...] = ()
    shown_translation = False

    @classmethod
    def translated_copy(cls, name: str) -> models.Field:
        """A field for a translation model made like this model's field `name` (never unique)."""
        _name, _path, args, kwargs = cls._meta.get_field(name).deconstruct()
        kwargs.pop("unique", None)
        return type(cls._meta.get_field(name))(*args, **kwargs)

    @property
    def original_language(self) -> str:
        """The language the record is written in."""
        return getattr(self, "language", None) or default_language()

    @property
    def shown_language(self) -> str:
        return self.__dict__.get("_shown_language") or self.original_language

    @property
    def shown_language_name(self) -> str:
        """The name of the language shown, in the active language ("Tiếng Anh")."""
        if not self.shown_translation and hasattr(self, "get_language_display"):
            return self.get_language_display()  # the record's own choices name every language
        return language_name(self.shown_language)

    def show_translation(self, language: str, values: dict[str, str]) -> None:
        """Show `values` (translated fields) in `language` instead of the original's text."""
        self.__dict__.update(values)
        self.__dict__["_shown_language"] = language
        self.shown_translation = True

    def save(self, *args, **kwargs) -> None:
        if self.shown_translation:
            raise ValueError(
                f"{self!r} shows its {self.shown_language} translation: saving it would write "
                "the translation over the original. Read the record without .translated()."
            )
        super().save(*args, **kwargs)


class Translation(VersionedModel):
    """A record's text in one other language, with its status and the original it follows.

    Each concrete translation model adds `original = translation_of(Model)` and a copy of
    each translatable field (`Model.translated_copy(name)`).
    """

    language = models.CharField(_("language"), max_length=8, choices=site_languages)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TranslationStatus.choices,
        default=TranslationStatus.DRAFT,
        help_text=_("A draft is not shown to readers; the original is shown instead."),
    )
    source_digest = models.CharField(
        _("original's digest"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("The digest of the original's text this translation follows."),
    )
    source_version = models.PositiveIntegerField(
        _("original's version"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The original's version when the translation last followed it."),
    )
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["original", "language"], name="%(app_label)s_%(class)s_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original} [{self.language}]"

    @property
    def is_published(self) -> bool:
        return self.status == TranslationStatus.PUBLISHED

    def follow_original(self) -> None:
        """Record that this translation follows the original's current text."""
        model = type(self.original)
        fields = ["translation_source"]
        if isinstance(self.original, VersionedModel):
            fields.append("version")
        current = model._base_manager.filter(pk=self.original_id).values(*fields).get()
        self.source_digest = current["translation_source"]
        self.source_version = current.get("version")

    @property
    def is_out_of_date(self) -> bool:
        """The original changed after this translation last followed it."""
        return self.source_digest != self.original.translation_source


def published_in(language: str, prefix: str = "") -> Q:
    """The condition of a translation a reader of `language` is shown (`prefix` its path)."""
    return Q(**{f"{prefix}language": language, f"{prefix}status": TranslationStatus.PUBLISHED})
