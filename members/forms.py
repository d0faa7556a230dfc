from django import forms
from django.utils.translation import gettext_lazy as _

from apap_portal.editing.locking import VersionCheckedForm
from members.models import (
    AccountRequest,
    Country,
    FocalPoint,
    Organization,
    ProfileChange,
    ProposedFocalPoint,
    TransboundaryArea,
)


class TransboundaryAreaAdminForm(forms.ModelForm):
    class Meta:
        model = TransboundaryArea
        fields = ["name", "slug", "description", "protected_areas"]

    def clean_protected_areas(self):
        areas = self.cleaned_data["protected_areas"]
        if len({area.country_id for area in areas}) < 2:
            raise forms.ValidationError(
                _("A transboundary area joins protected areas in at least two countries.")
            )
        return areas


# Members serving themselves


class AccountRequestForm(forms.ModelForm):
    """What someone at an agency tells the secretariat to be given an account.

    The organization is one of the list, or a new one named with its country.
    """

    message = forms.CharField(
        label=_("Message to the secretariat"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: anything that helps the secretariat, such as who referred you."),
    )

    class Meta:
        model = AccountRequest
        fields = [
            "name",
            "email",
            "organization",
            "new_organization_name",
            "new_organization_country",
            "role",
            "message",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Your work email"),
            "organization": _("Your organization"),
            "new_organization_name": _("Or, if it is not in the list, its name"),
            "new_organization_country": _("Its country"),
            "role": _("Your role or position"),
        }
        help_texts = {
            "email": _("The address of your agency: the secretariat writes to you there."),
            "new_organization_country": _("Needed with a new organization."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "role": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.only(
            "name", "acronym"
        ).order_by("name")
        self.fields["organization"].empty_label = _("Not in the list")
        self.fields["new_organization_country"].queryset = Country.objects.order_by("name")

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_new_organization_name(self) -> str:
        return " ".join(self.cleaned_data["new_organization_name"].split())

    def clean(self):
        cleaned_data = super().clean()
        chosen = cleaned_data.get("organization")
        named = cleaned_data.get("new_organization_name")
        if "organization" in self.errors or "new_organization_name" in self.errors:
            return cleaned_data
        if chosen and named:
            self.add_error(
                "new_organization_name",
                _("Choose your organization in the list or name a new one, not both."),
            )
        elif not chosen and not named:
            self.add_error(
                "organization",
                _("Choose your organization in the list, or name it below if it is not there."),
            )
        elif (
            named
            and not cleaned_data.get("new_organization_country")
            and "new_organization_country" not in self.errors
        ):
            self.add_error(
                "new_organization_country", _("Choose the country of the new organization.")
            )
        return cleaned_data


class ProfileChangeForm(VersionCheckedForm):
    """A member's proposal for their organization's page; it refuses to save over a newer one."""

    class Meta:
        model = ProfileChange
        fields = ["description", "website", "logo", "logo_alt", "remove_logo"]
        labels = {"logo": _("Logo"), "remove_logo": _("Remove the logo")}
        help_texts = {
            "description": _("What your organization does, in a few paragraphs (Markdown)."),
            "logo_alt": _(
                "What the logo shows, usually the organization's name. Needed with a logo."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8, "data-markdown": ""}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, current_logo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The organization's logo, not one proposed here, is what may be removed.
        self.current_logo = current_logo
        if not current_logo:
            del self.fields["remove_logo"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("remove_logo") and cleaned_data.get("logo"):
            self.add_error(
                "remove_logo", _("Either upload a new logo or remove the logo, not both.")
            )
        # A new logo without its description is refused by the model (ProfileChange.clean);
        # the organization's current logo, kept, needs one too.
        keeps_current = self.current_logo and not cleaned_data.get("remove_logo")
        alt = (cleaned_data.get("logo_alt") or "").strip()
        if (
            keeps_current
            and not cleaned_data.get("logo")
            and not alt
            and "logo_alt" not in self.errors
        ):
            self.add_error(
                "logo_alt", _("Describe what the logo shows, for people who cannot see it.")
            )
        return cleaned_data


MAX_FOCAL_POINTS = 20


class ProposedFocalPointForm(forms.ModelForm):
    class Meta:
        model = ProposedFocalPoint
        fields = ["name", "role", "email", "focal_point"]
        widgets = {"focal_point": forms.HiddenInput}
        error_messages = {
            "name": {"required": _("Give this focal point's name, or tick “Remove”.")},
            "email": {"required": _("Give this focal point's email, or tick “Remove”.")},
        }


class BaseProposedFocalPointFormSet(forms.BaseInlineFormSet):
    """The focal points in the order the member gives them (the Position column)."""

    def __init__(self, *args, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A row may only stand for a focal point of the member's own organization.
        existing = (
            membership.focal_points.all() if membership is not None else FocalPoint.objects.none()
        )
        for form in self.forms:
            form.fields["focal_point"].queryset = existing
        self.empty_form.fields["focal_point"].queryset = existing

    def kept_forms(self) -> list[forms.ModelForm]:
        kept = [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk is not None or form.has_changed())
        ]

        def position(form):
            order = form.cleaned_data.get("ORDER") if hasattr(form, "cleaned_data") else None
            return (order is None, order or 0)

        return sorted(kept, key=position)

    def save_in_order(self) -> None:
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) and form.instance.pk:
                form.instance.delete()
        for position, form in enumerate(self.kept_forms()):
            point = form.save(commit=False)
            point.profile_change = self.instance
            point.order = position
            point.save()


def proposed_focal_point_formset(extra: int = 1):
    return forms.inlineformset_factory(
        ProfileChange,
        ProposedFocalPoint,
        form=ProposedFocalPointForm,
        formset=BaseProposedFocalPointFormSet,
        extra=extra,
        can_delete=True,
        can_order=True,
        max_num=MAX_FOCAL_POINTS,
        validate_max=True,
        absolute_max=MAX_FOCAL_POINTS + 10,
    )
