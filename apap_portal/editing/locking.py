"""Optimistic locking: a form refuses to save over a change made since it was opened.

Each record staff or members edit counts its saves in `version`. A form carries the
version it was opened on in a hidden field; on saving, it locks the record's row and
compares (`SELECT … FOR UPDATE`, inside the request's transaction, so that no other
save can come between the comparison and the write). If the version moved on, the
form comes back with everything that was typed and an error naming who changed the
record and when (from its latest revision); nothing is saved. A second click on
"Save" is refused again: to keep their changes, the person reloads the page and
makes them on the current version.

Every save bumps the version in the database (`version = version + 1`), forms or not:
services, the demo loader, the WDPA import (which locks its rows and counts itself),
and reverting a revision. So an open form always notices.
"""

from __future__ import annotations

from django import forms
from django.core import checks
from django.db import models
from django.db.models import F
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apap_portal.editing.history import latest_revision

LOADED_VERSION = "loaded_version"  # the name of the hidden form field


class VersionedModel(models.Model):
    """A record edited in forms, whose every save moves its version forward."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts the saves; a form opened on an older version cannot save."),
    )

    class Meta:
        abstract = True

    def save(self, **kwargs) -> None:
        if not self._state.adding:
            # Counted by the database, so that two saves at once both count; the
            # new number comes back with the UPDATE (RETURNING).
            self.version = F("version") + 1
            if update_fields := kwargs.get("update_fields"):
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(**kwargs)


@receiver(pre_save, dispatch_uid="apap_portal.editing.locking.raw_save_moves_version_forward")
def _raw_save_moves_version_forward(sender, instance, raw, using, **kwargs) -> None:
    """Reverting a revision (a raw save of a stored copy) moves the version forward.

    Without this the record would take back the version number it had then, and a
    form opened on that number long ago would pass the check again.
    """
    if not raw or not isinstance(instance, VersionedModel):
        return
    current = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    instance.version = max(current or 0, instance.version) + 1


def edit_conflict(instance: VersionedModel, loaded_version: int | None) -> str:
    """Why `instance` cannot be saved from a form opened on `loaded_version` ("" if it can).

    Locks the record's row until the transaction ends, so that the save that follows
    is the next change.
    """
    current = (
        type(instance)
        ._base_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    what = instance._meta.verbose_name
    if current is None:
        return gettext("This %(what)s was deleted after you opened it.") % {"what": what}
    if loaded_version is None:
        return gettext(
            "This form does not say which version of the %(what)s you opened, so saving it "
            "could undo someone else's changes. Nothing was saved: reload the page and make "
            "your changes again."
        ) % {"what": what}
    if current == loaded_version:
        return ""
    return _changed_since_message(instance)


def _changed_since_message(instance: VersionedModel) -> str:
    what = instance._meta.verbose_name
    kept = gettext(
        "Nothing you typed was saved; it is kept below. Copy what you need, then reload "
        "the page to make your changes on the current version."
    )
    revision = latest_revision(instance)
    if revision is None:
        changed = gettext("Someone else changed this %(what)s after you opened it.") % {
            "what": what
        }
        return f"{changed} {kept}"
    when = formats.date_format(timezone.localtime(revision.date_created), "DATETIME_FORMAT")
    if revision.user is not None:
        changed = gettext("%(who)s changed this %(what)s on %(when)s, after you opened it.") % {
            "who": revision.user,
            "what": what,
            "when": when,
        }
    else:
        changed = gettext(
            "This %(what)s was changed on %(when)s (%(comment)s), after you opened it."
        ) % {"what": what, "when": when, "comment": revision.get_comment()}
    return f"{changed} {kept}"


class VersionCheckedForm(forms.ModelForm):
    """A model form of a `VersionedModel` that refuses to save over a newer version."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Whether clean() compares versions; VersionCheckedAdmin turns it off for reverts.
    checks_version = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial[LOADED_VERSION] = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.checks_version and not self.instance._state.adding:
            conflict = edit_conflict(self.instance, cleaned_data.get(LOADED_VERSION))
            if conflict:
                self.add_error(None, forms.ValidationError(conflict, code="edit_conflict"))
        return cleaned_data


class VersionCheckedAdmin:
    """The ModelAdmin hook of optimistic locking; mix it in before the ModelAdmin class.

    Its form (a `VersionCheckedForm`) carries the version in a hidden field, at the end
    of the first fieldset.
    """

    form = VersionCheckedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != LOADED_VERSION]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets  # a page to read only: nothing is saved, no version to carry
        (name, options), *others = fieldsets
        return [(name, {**options, "fields": [*options["fields"], LOADED_VERSION]}), *others]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        match = request.resolver_match
        if match is not None and match.url_name.endswith(("_revision", "_recover")):
            # Reverting writes a stored copy, which moves the version forward (see
            # above) on saving but not while django-reversion shows the form: the
            # form's version cannot match, and a revert overwrites by definition.
            form.checks_version = False
        return form

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not issubclass(self.form, VersionCheckedForm):
            errors.append(
                checks.Error(
                    f"The form of {type(self).__name__} does not check versions.",
                    hint="Make it a subclass of apap_portal.editing.locking.VersionCheckedForm.",
                    obj=type(self),
                    id="locking.E001",
                )
            )
        if not issubclass(self.model, VersionedModel):
            errors.append(
                checks.Error(
                    f"{self.model._meta.label} has no version to check.",
                    hint="Make it a subclass of apap_portal.editing.locking.VersionedModel.",
                    obj=type(self),
                    id="locking.E002",
                )
            )
        return errors
