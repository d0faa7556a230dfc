"""The secretariat's call form (its dates in the call's own time zone) and a member's response."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apap_portal.editing.locking import VersionCheckedForm
from apap_portal.uploads import detect_document
from calls.models import Call, CallResponse, CallResponseAttachment, time_zone_names

DATE_FIELDS = ("opens_at", "deadline")
MAX_ATTACHMENTS = 5


class CallAdminForm(VersionCheckedForm):
    """A call as the secretariat sets it: its dates are read and shown in the call's zone.

    The admin's date and time fields speak the site's zone (Bangkok); a call set "17:00"
    in Asia/Kolkata means 17:00 there. So the stored instants are shown in the call's zone,
    and what is typed is taken as a time of the zone chosen in the form.
    """

    class Meta:
        model = Call
        fields = "__all__"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zone = self.instance.zone
        for name in DATE_FIELDS:
            value = self.initial.get(name)
            if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                # A naive time is shown as it is: the call's own wall-clock time.
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        cleaned_data = super().clean()
        zone_name = cleaned_data.get("time_zone")
        if zone_name in time_zone_names():
            zone = ZoneInfo(zone_name)
            for name in DATE_FIELDS:
                value = cleaned_data.get(name)
                if value is not None:
                    # The field made the typed time aware in the site's zone: take the
                    # same wall-clock time in the call's zone instead.
                    typed = timezone.make_naive(value)
                    cleaned_data[name] = typed.replace(tzinfo=zone)
        eligibility = cleaned_data.get("eligibility")
        if eligibility == Call.Eligibility.COUNTRIES and not cleaned_data.get("countries"):
            self.add_error(
                "countries", _("Choose the countries whose members may respond to this call.")
            )
        return cleaned_data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each judged by its content (`apap_portal.uploads`)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for upload in files:
            try:
                detect_document(upload)
            except ValidationError as error:
                for message in error.messages:
                    errors.append(
                        ValidationError(
                            _("%(name)s: %(message)s"),
                            code="attachment",
                            params={"name": upload.name, "message": message},
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return list(files)


class CallResponseForm(VersionCheckedForm):
    """A member's response: a text, files to attach, attached files to remove.

    Files cannot come back in a form (browsers do not allow it): when something is wrong,
    the text comes back as typed and the page asks for the files again.
    """

    attachments = AttachmentsField(
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, office documents or text files, at most 25 MB each, 5 in all."),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove attached files"),
        queryset=CallResponseAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CallResponse
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}
        labels = {"text": _("Your response")}
        help_texts = {
            "text": _("You can change your response until the deadline."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            attached = self.instance.attachments.all()
            self.fields["remove_attachments"].queryset = attached
            self.fields["remove_attachments"].label_from_instance = lambda file: file.file_name
        else:
            del self.fields["remove_attachments"]

    def clean(self):
        cleaned_data = super().clean()
        kept = 0
        if self.instance.pk:
            removed = {file.pk for file in cleaned_data.get("remove_attachments") or ()}
            kept = sum(1 for file in self.instance.attachments.all() if file.pk not in removed)
        added = len(cleaned_data.get("attachments") or ())
        if kept + added > MAX_ATTACHMENTS:
            self.add_error(
                "attachments",
                _("A response holds at most %(limit)d files; it would hold %(count)d.")
                % {"limit": MAX_ATTACHMENTS, "count": kept + added},
            )
        return cleaned_data
