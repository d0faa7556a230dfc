"""Translating in the admin: the original beside the translation, and what needs translating.

- `TranslationAdmin`: the admin of a translation model. Its form shows, beside each
  translated field, the original's text (marked with its `lang`); a new translation's
  original comes from `?original=<pk>&language=<code>` (the links of the original's page).
  Saving records who translated, and, when "This translation follows the current original"
  is ticked, the original's digest and version (`Translation.follow_original`). The box is
  unticked on an out-of-date translation, so that fixing a typo does not hide that it is.
- `TranslatedOriginalAdmin`: mixed into an original's admin, it adds a column of chips
  (one per site language: current, out of date, draft, or a link to add one), read in the
  changelist's one query; the same list on the original's page; the filter "Needs
  translation into …"; and, for reference data, an inline of its translations.
- `translated_parts` (both admins) names the parts a record owns whose translations belong
  to its translation (a best practice's building blocks): a translation is also out of
  date when one of them changed or has no translation.

A translation is *current* when its digest is the original's (and each part's is its
part's); a draft is never current for readers, whatever its digest.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apap_portal.editing.admin import MarkdownPreviewMixin
from apap_portal.editing.locking import VersionCheckedAdmin, VersionCheckedForm
from apap_portal.translations.languages import default_language, language_name, site_languages
from apap_portal.translations.models import TranslationStatus

CURRENT, OUT_OF_DATE, DRAFT = "current", "outdated", "draft"
STATE_LABELS = {
    CURRENT: _("✓ current"),
    OUT_OF_DATE: _("out of date"),
    DRAFT: _("draft"),
}


NEEDS_THE_TEXT = _(
    "The original has this text: a published translation needs it too. Translate it, or "
    "keep the translation a draft."
)


# Which translations are current: expressions for one query


def translations_of(model: type[models.Model]) -> type[models.Model]:
    return model._meta.get_field("translations").related_model


def _part_translation_link(original_model, part_relation: str):
    """(part model, its key to the record, part translation model, its key to the translation,
    the translation's accessor of its part translations)."""
    relation = original_model._meta.get_field(part_relation)
    part_model = relation.related_model
    part_translations = translations_of(part_model)
    translation_model = translations_of(original_model)
    link = next(
        field
        for field in part_translations._meta.concrete_fields
        if field.is_relation and field.related_model is translation_model
    )
    return part_model, relation.field.name, part_translations, link.name, link.related_query_name()


def part_missing(original_model, part_relation: str) -> Exists:
    """Inside a query of translations: a part of the original that this translation lacks, or
    whose translation does not follow the part's current text."""
    part_model, parent_key, part_translations, link, _accessor = _part_translation_link(
        original_model, part_relation
    )
    followed = part_translations._base_manager.filter(
        original=OuterRef("pk"),
        source_digest=OuterRef("translation_source"),
        **{link: OuterRef(OuterRef("pk"))},
    )
    return Exists(
        part_model._base_manager.filter(**{parent_key: OuterRef("original")}).filter(
            ~Exists(followed)
        )
    )


def follows_condition(original_model, source, parts: tuple[str, ...] = ()) -> Q:
    """Inside a query of translations: it follows the original's current text (`source`, the
    original's digest as seen from there) and that of each of its parts."""
    condition = Q(source_digest=source)
    for part in parts:
        condition &= ~part_missing(original_model, part)
    return condition


def translation_state(original_model, source, parts: tuple[str, ...] = ()) -> Case:
    """Inside a query of translations: "draft", "current" or "outdated"."""
    return Case(
        When(status=TranslationStatus.DRAFT, then=Value(DRAFT)),
        When(follows_condition(original_model, source, parts), then=Value(CURRENT)),
        default=Value(OUT_OF_DATE),
        output_field=models.CharField(),
    )


def translation_states(original_model, parts: tuple[str, ...] = ()) -> ArraySubquery:
    """For a query of originals: each translation as "language:state:pk", by language."""
    state = translation_state(original_model, OuterRef("translation_source"), parts)
    return ArraySubquery(
        translations_of(original_model)
        ._base_manager.filter(original=OuterRef("pk"))
        .order_by("language")
        .values(
            text=Concat(
                "language",
                Value(":"),
                state,
                Value(":"),
                F("pk"),
                output_field=models.CharField(),
            )
        )
    )


def current_published_in(original_model, language: str, parts: tuple[str, ...] = ()) -> Exists:
    """For a query of originals: a published translation into `language` that is current."""
    return Exists(
        translations_of(original_model)._base_manager.filter(
            follows_condition(original_model, OuterRef("translation_source"), parts),
            original=OuterRef("pk"),
            language=language,
            status=TranslationStatus.PUBLISHED,
        )
    )


def has_own_language(model) -> bool:
    return any(field.name == "language" for field in model._meta.concrete_fields)


def parse_states(states) -> dict[str, tuple[str, int]]:
    """{language: (state, translation's pk)} from the annotation."""
    parsed = {}
    for text in states or ():
        language, state, pk = text.split(":")
        parsed[language] = (state, int(pk))
    return parsed


# The filter "Needs translation into …"


class NeedsTranslationFilter(admin.SimpleListFilter):
    """The records without a current published translation into a language (not their own).

    One choice per site language a record of this kind can be translated into: the site's
    other languages, and the default one too for records that say which language they are in.
    """

    title = _("translation")
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        default = default_language()
        return [
            (code, _("Needs translation into %(language)s") % {"language": language_name(code)})
            for code, _name in site_languages()
            if code != default or has_own_language(model_admin.model)
        ]

    def queryset(self, request, queryset):
        language = self.value()
        if not language:
            return queryset
        if language not in dict(site_languages()):
            return queryset.none()
        model = queryset.model
        if has_own_language(model):
            queryset = queryset.exclude(language=language)
        elif language == default_language():
            return queryset.none()
        parts = getattr(self, "translated_parts", ())
        return queryset.filter(~current_published_in(model, language, parts))


# The original beside the translation


class OriginalBeside(forms.Widget):
    """A form widget shown beside the original's text of the same field (two columns)."""

    template = "admin/translations/original_beside.html"

    def __init__(self, widget: forms.Widget, original_text: str, original_language: str):
        self.widget = widget
        self.original_text = original_text or ""
        self.original_language = original_language
        super().__init__(attrs=widget.attrs)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.widget = self.widget.__deepcopy__(memo)
        return copy

    @property
    def is_hidden(self):
        return self.widget.is_hidden

    @property
    def media(self):
        return self.widget.media

    def id_for_label(self, id_):
        return self.widget.id_for_label(id_)

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.widget.value_omitted_from_data(data, files, name)

    def use_required_attribute(self, initial):
        return self.widget.use_required_attribute(initial)

    def render(self, name, value, attrs=None, renderer=None):
        return render_to_string(
            self.template,
            {
                "field": self.widget.render(name, value, attrs, renderer),
                "original_text": self.original_text,
                "original_language": self.original_language,
                "original_language_name": language_name(self.original_language),
            },
        )


class TranslationFormMixin:
    """Puts the original's text beside each translated field; says whether it follows it.

    `original` is the record translated (None: not chosen yet, nothing to show beside).
    """

    def _set_up_translation(self, original) -> None:
        self.original = original
        self.fields["follows_original"].initial = self._follows_by_default()
        if original is None:
            return
        # The translation's fields are marked with the language they are written in.
        written_in = self.instance.language or self.initial.get("language")
        if written_in not in dict(site_languages()):
            written_in = None
        for name in type(original).translated_fields:
            field = self.fields.get(name)
            if field is not None:
                if written_in:
                    field.widget.attrs["lang"] = written_in
                field.widget = OriginalBeside(
                    field.widget, getattr(original, name), original.original_language
                )

    def _follows_by_default(self) -> bool:
        if self.instance.pk is None:
            return True
        current = getattr(self.instance, "is_current", None)
        return current if current is not None else not self.instance.is_out_of_date

    def check_translation(self, cleaned_data) -> None:
        """A published translation fills every field its original fills; one per language."""
        original = self.original
        if original is None:
            return
        language = cleaned_data.get("language", self.instance.language)
        if language and language == original.original_language:
            self.add_error(
                "language" if "language" in self.fields else None,
                gettext("The original is written in %(language)s: translate it into another.")
                % {"language": language_name(language)},
            )
        if language and "language" in self.fields:
            others = type(self.instance)._base_manager.filter(original=original, language=language)
            if self.instance.pk is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "language",
                    gettext("This record already has a translation into %(language)s.")
                    % {"language": language_name(language)},
                )
        if cleaned_data.get("status") == TranslationStatus.PUBLISHED:
            for name in type(original).translated_fields:
                if self._left_empty(name, cleaned_data) and getattr(original, name):
                    self.add_error(
                        name,
                        str(NEEDS_THE_TEXT),
                    )

    def _left_empty(self, name: str, cleaned_data) -> bool:
        """The field is on the form, was left empty, and has no other error yet."""
        return name in self.fields and name not in self.errors and not cleaned_data.get(name)

    def save(self, commit=True):
        if self.cleaned_data.get("follows_original"):
            self.instance.follow_original()
        return super().save(commit)


def follows_original_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("This translation follows the current original"),
        required=False,
        help_text=_(
            "Tick it when the translation says what the original says now; leave it "
            "unticked when you only fix the translation, so that it stays marked out of date."
        ),
    )


class TranslationForm(TranslationFormMixin, VersionCheckedForm):
    """The form of a translation's own page (optimistic locking as any record's)."""

    follows_original = follows_original_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_translation(self._original())

    def _original(self):
        if self.instance.original_id is not None:
            return self.instance.original
        key = self.data.get("original") if self.is_bound else None
        key = key or self.initial.get("original")
        model = type(self.instance)._meta.get_field("original").related_model
        if key is None or not str(key).isdigit():
            return None
        return model._base_manager.filter(pk=key).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.original is None and cleaned_data.get("original") is not None:
            self.original = cleaned_data["original"]
        self.check_translation(cleaned_data)
        return cleaned_data


class InlineTranslationForm(TranslationFormMixin, forms.ModelForm):
    """A translation edited on its original's page (reference data)."""

    follows_original = follows_original_field()

    def __init__(self, *args, original=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_translation(original)

    def clean(self):
        cleaned_data = super().clean()
        self.check_translation(cleaned_data)
        return cleaned_data


class TranslationLayout:
    """The fields of a translation's page: what it translates, then its text, then who."""

    def get_fieldsets(self, request, obj=None):
        text = list(self.original_model.translated_fields)
        fieldsets = [
            (None, {"fields": ["original", ("language", "status"), "follows_original"]}),
            (_("Translation, beside the original"), {"fields": text}),
        ]
        if obj is not None:
            record = ["translated_by", "source_version", "updated_at"]
            fieldsets.append((_("Record"), {"fields": record, "classes": ["collapse"]}))
        return fieldsets


class TranslationAdmin(
    MarkdownPreviewMixin, VersionCheckedAdmin, TranslationLayout, admin.ModelAdmin
):
    """The admin of a translation model; mix reversion's VersionAdmin in after it."""

    form = TranslationForm
    change_form_template = "admin/translations/change_form.html"
    list_filter = ["language", "status"]
    list_select_related = ["original", "translated_by"]
    autocomplete_fields = ["original"]
    translated_parts: tuple[str, ...] = ()

    @property
    def original_model(self):
        return self.model._meta.get_field("original").related_model

    def get_queryset(self, request):
        source = F("original__translation_source")
        parts = self.translated_parts
        return (
            super()
            .get_queryset(request)
            .annotate(
                translation_state=translation_state(self.original_model, source, parts),
                is_current=follows_condition(self.original_model, source, parts),
            )
        )

    def get_list_display(self, request):
        return ["original", "language", "status", "state", "translated_by", "updated_at"]

    @admin.display(description=_("state"), ordering="translation_state")
    def state(self, obj):
        return format_html(
            '<span class="translation-chip translation-chip--{}">{}</span>',
            obj.translation_state,
            STATE_LABELS[obj.translation_state],
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["translated_by", "source_version", "updated_at"]
        if obj is not None:
            readonly.append("original")
        return readonly

    def save_model(self, request, obj, form, change):
        obj.translated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("follows_original"):
            for part in self.translated_parts:
                _m, _k, part_translations, _link, accessor = _part_translation_link(
                    self.original_model, part
                )
                following = list(getattr(form.instance, accessor).select_related("original"))
                for part_translation in following:
                    part_translation.source_digest = part_translation.original.translation_source
                part_translations._base_manager.bulk_update(following, ["source_digest"])

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PartTranslationInline):
            kwargs |= inline.formset_kwargs(request, obj)
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["out_of_date"] = not getattr(obj, "is_current", not obj.is_out_of_date)
            original = obj.original
            opts = original._meta
            try:
                context["original_history_url"] = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                    args=[original.pk],
                )
            except NoReverseMatch:
                context["original_history_url"] = ""
        return super().render_change_form(request, context, add, change, form_url, obj)


class PartTranslationForm(forms.ModelForm):
    """A part's translation (a building block's), its original part's text beside."""

    def __init__(self, *args, originals=None, **kwargs):
        super().__init__(*args, **kwargs)
        originals = originals or {}
        part_model = self._meta.model._meta.get_field("original").related_model
        self.fields["original"].widget = forms.HiddenInput()
        self.fields["original"].queryset = part_model._base_manager.filter(pk__in=list(originals))
        key = self.instance.original_id or self.initial.get("original")
        self.part = originals.get(int(key)) if str(key or "").isdigit() else None
        if self.part is None:
            return
        for name in part_model.translated_fields:
            if name in self.fields:
                self.fields[name].widget = OriginalBeside(
                    self.fields[name].widget, getattr(self.part, name), self.part.original_language
                )


class PartTranslationFormSet(forms.BaseInlineFormSet):
    """A published translation's parts fill every field their originals fill."""

    def clean(self):
        super().clean()
        chosen = [
            form.cleaned_data["original"]
            for form in self.forms
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("original")
        ]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(
                gettext("Each part of the original is translated once: reload the page.")
            )
        if self.instance.status != TranslationStatus.PUBLISHED:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.part is None:
                continue
            for name in type(form.part).translated_fields:
                empty = name in form.fields and name not in form.errors and not data.get(name)
                if empty and getattr(form.part, name):
                    form.add_error(
                        name,
                        str(NEEDS_THE_TEXT),
                    )


class PartTranslationInline(MarkdownPreviewMixin, admin.StackedInline):
    """The translations of a record's parts (building blocks) on its translation's page: one
    form per part of the original, the part's text beside, the untranslated ones empty."""

    form = PartTranslationForm
    formset = PartTranslationFormSet
    extra = 0

    def parts(self, request, obj) -> list:
        """The parts of the original `obj` (a translation, or None when adding) translates."""
        original_model = self.parent_model._meta.get_field("original").related_model
        part_model = self.model._meta.get_field("original").related_model
        parent_key = next(
            field.attname
            for field in part_model._meta.concrete_fields
            if field.is_relation and field.related_model is original_model
        )
        original_key = obj.original_id if obj is not None else None
        if original_key is None:
            key = request.GET.get("original", "")
            original_key = int(key) if key.isdigit() else None
        if original_key is None:
            return []
        return list(part_model._base_manager.filter(**{parent_key: original_key}))

    def untranslated(self, request, obj, parts: list) -> list:
        translated = set()
        if obj is not None and obj.pk is not None:
            translated = set(
                self.model._base_manager.filter(**{self.fk_name: obj}).values_list(
                    "original_id", flat=True
                )
            )
        return [part for part in parts if part.pk not in translated]

    def get_extra(self, request, obj=None, **kwargs):
        return len(self.untranslated(request, obj, self.parts(request, obj)))

    def formset_kwargs(self, request, obj) -> dict:
        parts = self.parts(request, obj)
        return {
            "form_kwargs": {"originals": {part.pk: part for part in parts}},
            "initial": [{"original": part.pk} for part in self.untranslated(request, obj, parts)],
        }


# The original's side


class TranslatedOriginalAdmin:
    """Mixed into an original's admin (before the ModelAdmin classes): which translations
    exist and which are current, the filter "Needs translation into …", and, with
    `translations_inline`, the translations edited on the original's page."""

    translated_parts: tuple[str, ...] = ()
    translations_inline = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(translation_states=translation_states(self.model, self.translated_parts))
        )

    def get_list_display(self, request):
        # Beside the record's name, where a list wider than the screen still shows it.
        first, *rest = super().get_list_display(request)
        return [first, "translations_column", *rest]

    def get_list_filter(self, request):
        parts = self.translated_parts
        needs = type(NeedsTranslationFilter.__name__, (NeedsTranslationFilter,), {})
        needs.translated_parts = parts
        return [*super().get_list_filter(request), needs]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("translations_on_page")
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        shown = {
            name
            for _title, options in fieldsets
            for entry in options["fields"]
            for name in (entry if isinstance(entry, (tuple, list)) else (entry,))
        }
        if "translations_on_page" in shown:
            return fieldsets
        return [*fieldsets, (_("Translations"), {"fields": ["translations_on_page"]})]

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if self.translations_inline:
            inlines.append(translations_inline_for(self.model))
        return inlines

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, TranslationInline):
            kwargs["form_kwargs"] = {"original": obj if obj is not None and obj.pk else None}
        return kwargs

    def save_formset(self, request, form, formset, change):
        if formset.model is translations_of(self.model):
            for translation_form in formset.forms:
                if translation_form.has_changed():
                    translation_form.instance.translated_by = request.user
        super().save_formset(request, form, formset, change)

    # What the lists and the page show

    def _translation_links(self, obj) -> list[dict]:
        """Each site language but the record's own: its translation's state and page, or where
        to add one (the translation's admin, or the inline on the original's page)."""
        states = parse_states(getattr(obj, "translation_states", None))
        opts = translations_of(self.model)._meta
        site = self.admin_site.name
        if translations_of(self.model) in self.admin_site._registry:
            change = f"{site}:{opts.app_label}_{opts.model_name}_change"
            add_url = reverse(f"{site}:{opts.app_label}_{opts.model_name}_add")
        else:
            change = None
            here = reverse(
                f"{site}:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
            )
            add_url = f"{here}#translations-group"
        links = []
        for code, _name in site_languages():
            if code in states:
                state, pk = states[code]
                url = reverse(change, args=[pk]) if change else add_url
                label = f"{code} {STATE_LABELS[state]}"
            elif code == obj.original_language:
                continue
            else:
                state = "missing"
                url = f"{add_url}?original={obj.pk}&language={code}" if change else add_url
                label = f"+ {code}"
            links.append({"code": code, "state": state, "url": url, "label": label})
        return links

    def _chips(self, links: list[dict]):
        return format_html_join(
            " ",
            '<a class="translation-chip translation-chip--{}" href="{}" title="{}">{}</a>',
            (
                (link["state"], link["url"], language_name(link["code"]), link["label"])
                for link in links
            ),
        )

    @admin.display(description=_("translations"))
    def translations_column(self, obj):
        return self._chips(self._translation_links(obj))

    @admin.display(description=_("translations"))
    def translations_on_page(self, obj):
        links = self._translation_links(obj)
        if not links:
            return "—"
        return render_to_string(
            "admin/translations/translations_on_page.html",
            {
                "links": [{**link, "language": language_name(link["code"])} for link in links],
                "labels": STATE_LABELS,
            },
        )


class TranslationInline(admin.StackedInline):
    """The translations of a piece of reference data, on its own page."""

    form = InlineTranslationForm
    extra = 0
    exclude = ["translated_by"]


_INLINES: dict[type, type] = {}


def translations_inline_for(model) -> type[TranslationInline]:
    """The inline of `model`'s translations (one class per model, made once)."""
    if model not in _INLINES:
        translation_model = translations_of(model)
        _INLINES[model] = type(
            f"{translation_model.__name__}Inline",
            (TranslationInline,),
            {
                "model": translation_model,
                "fields": ["language", "status", "follows_original", *model.translated_fields],
            },
        )
    return _INLINES[model]
