"""Forms members use to share best practices, and the reviewer's message form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apap_portal.editing.locking import VersionCheckedForm
from apap_portal.slugs import unique_slug
from knowledge.models import BestPractice, BuildingBlock
from members.models import ProtectedArea

# Paths under /knowledge/best-practices/ that are pages, not best practices.
RESERVED_SLUGS = frozenset({"submit"})
MAX_BUILDING_BLOCKS = 30

# Textareas written in Markdown: the form offers its help and a live preview on them.
MARKDOWN_ATTRS = {"data-markdown": ""}


def markdown_textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **MARKDOWN_ATTRS})


def unique_best_practice_slug(title: str) -> str:
    """A slug made from the title, not yet used by any best practice nor by a page."""
    return unique_slug(
        title,
        BestPractice.objects.all(),
        max_length=BestPractice._meta.get_field("slug").max_length,
        fallback="best-practice",
        reserved=RESERVED_SLUGS,
    )


class ProtectedAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProtectedArea) -> str:
        # Names repeat across countries ("Khao Yai", "Phong Nha"…): say which country.
        return f"{obj.name} ({obj.country})" if obj.country_id else obj.name


class BestPracticeForm(VersionCheckedForm):
    """What a member tells about a best practice; status and ownership are not theirs to set.

    It refuses to save over a change made since it was opened (by a colleague, or by
    the secretariat), keeping what was typed.
    """

    protected_area = ProtectedAreaChoiceField(
        label=_("Protected area"),
        queryset=ProtectedArea.objects.none(),
        required=False,
        help_text=_("Leave blank when the practice is not tied to one protected area."),
    )

    class Meta:
        model = BestPractice
        fields = [
            "title",
            "summary",
            "context",
            "challenge_description",
            "impacts",
            "lessons_learned",
            "protected_area",
            "countries",
            "themes",
            "ecosystems",
            "challenges",
            "gbf_targets",
            "language",
            "cover_image",
            "cover_image_alt",
            "cover_image_credit",
            "cover_image_licence",
            "contributors",
        ]
        # The form says once, above the fields written in Markdown, how to write it.
        help_texts = {
            "context": _("The place and the situation."),
            "challenge_description": _("What problem it solved."),
            "impacts": _("What changed, for nature and people."),
            "lessons_learned": _("What you would tell a team starting the same work."),
            "cover_image_alt": _(
                "What the image shows, for people who cannot see it. Needed with an image."
            ),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "context": markdown_textarea(6),
            "challenge_description": markdown_textarea(6),
            "impacts": markdown_textarea(6),
            "lessons_learned": markdown_textarea(6),
            "countries": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "ecosystems": forms.CheckboxSelectMultiple,
            "challenges": forms.CheckboxSelectMultiple,
            "gbf_targets": forms.CheckboxSelectMultiple,
            "cover_image": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected_area"].queryset = (
            ProtectedArea.objects.listed_for(user).select_related("country").order_by("name")
        )
        # The tags are named in the member's language where a translation is published.
        for name in ("themes", "ecosystems", "challenges", "gbf_targets"):
            self.fields[name].queryset = self.fields[name].queryset.translated()

    def clean_title(self) -> str:
        # One line: the title becomes the slug and the subject of emails.
        return " ".join(self.cleaned_data["title"].split())

    # An image without its description is refused by the model (`BestPractice.clean`).


class BuildingBlockForm(forms.ModelForm):
    """One building block. Its title and description are required only in a block that
    is used: a new block left empty is skipped (the formset permits it empty), one with
    anything typed in it needs both, and says how to leave it out instead."""

    # The fields a used block needs (the page marks them so).
    REQUIRED_WHEN_USED = ("title", "description")

    class Meta:
        model = BuildingBlock
        fields = ["title", "description", "enabling_factors", "lessons_learned"]
        help_texts = {
            "description": _("What was done, by whom, and how."),
            "enabling_factors": _("What had to be in place for it to work."),
            "lessons_learned": "",
        }
        widgets = {
            "description": markdown_textarea(5),
            "enabling_factors": markdown_textarea(3),
            "lessons_learned": markdown_textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            messages = {
                "title": _(
                    "Give this building block a title, or tick “Remove this building block”."
                ),
                "description": _(
                    "Describe this building block, or tick “Remove this building block”."
                ),
            }
        else:
            messages = {
                "title": _("Give this building block a title, or empty all its fields to skip it."),
                "description": _(
                    "Describe this building block, or empty all its fields to skip it."
                ),
            }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message


class BaseBuildingBlockFormSet(forms.BaseInlineFormSet):
    """Building blocks in the order the member lists them.

    `require_blocks` is set when the practice is submitted for review: a draft may
    have none yet, a submission needs at least one.
    """

    def __init__(self, *args, require_blocks: bool = False, **kwargs):
        self.require_blocks = require_blocks
        super().__init__(*args, **kwargs)

    def kept_forms(self) -> list[forms.ModelForm]:
        """The forms that hold a building block after saving, in their order on the page."""
        return [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk is not None or form.has_changed())
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if self.require_blocks and not self.kept_forms():
            raise forms.ValidationError(
                _("Describe at least one building block before submitting for review."),
                code="no_building_block",
            )

    def save_in_order(self) -> None:
        """Save the kept blocks numbered by their position, delete the removed ones."""
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) and form.instance.pk:
                form.instance.delete()
        for position, form in enumerate(self.kept_forms()):
            block = form.save(commit=False)
            block.best_practice = self.instance
            block.order = position
            block.save()


BuildingBlockFormSet = forms.inlineformset_factory(
    BestPractice,
    BuildingBlock,
    form=BuildingBlockForm,
    formset=BaseBuildingBlockFormSet,
    extra=1,  # more are added on the page, with or without JavaScript
    can_delete=True,
    max_num=MAX_BUILDING_BLOCKS,
    validate_max=True,
    absolute_max=MAX_BUILDING_BLOCKS + 10,
)


class RequestChangesForm(forms.Form):
    """The reviewer's message to the submitters of the selected best practices."""

    message = forms.CharField(
        label=_("Message to the submitter"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("What to change before the practice can be published. It is emailed."),
        error_messages={"required": _("Write the changes you ask for.")},
    )
