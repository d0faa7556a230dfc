"""The admin's widgets: autocompletes safe against values that are not keys, and the
browser's date picker for date-only fields.

Django's AutocompleteSelect looks the submitted values up as primary keys when it shows a
form again (after an error), without checking them first: a value like "1e309" or a NUL
byte becomes a server error. These subclasses keep only the values the target field
accepts; the form itself still reports the bad value as an invalid choice.
"""

from django.contrib.admin import options, site, widgets
from django.core.exceptions import ValidationError
from django.db import connection, models

from apap_portal.dates import DateInput

BIGINT_RANGE = connection.ops.integer_field_range("BigIntegerField")


class SafeAutocompleteMixin:
    def _is_key(self, value) -> bool:
        target = self.field.target_field
        try:
            key = target.to_python(value)
        except (ValidationError, TypeError, ValueError):
            return False
        if isinstance(key, int):
            low, high = BIGINT_RANGE
            return low <= key <= high
        return "\x00" not in str(key)

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_key(v)], attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, widgets.AutocompleteSelectMultiple):
    pass


def install() -> None:
    """ModelAdmin builds its autocomplete widgets from these module names, and each form
    field's widget from these defaults.

    Django's admin widget for a date-only field is a text box whose script adds "Note:
    Enter times in the Asia/Bangkok timezone" under a field that holds no time; the
    browser's date picker has no such note. Date-and-time fields keep the admin's widgets:
    for them the note is true.
    """
    options.AutocompleteSelect = SafeAutocompleteSelect
    options.AutocompleteSelectMultiple = SafeAutocompleteSelectMultiple
    date_picker = {"widget": DateInput}
    # Inlines are made per request, from the defaults...
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = date_picker
    # ... the registered admins were made when the admin app was ready, before this one:
    # those keeping the stock widget get the date picker (one of their own stays).
    for model_admin in site._registry.values():
        overrides = model_admin.formfield_overrides
        if overrides.get(models.DateField, {}).get("widget") is widgets.AdminDateWidget:
            overrides[models.DateField] = date_picker
