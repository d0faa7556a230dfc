"""{% untranslated_note record %}: the note on a record shown in another language."""

from django import template

from apap_portal.translations.reading import is_untranslated, versions_of

register = template.Library()


@register.inclusion_tag("includes/untranslated_note.html", takes_context=True)
def untranslated_note(context, record):
    """Nothing when the record is shown in the page's language; otherwise which one, and links."""
    if record is None or not is_untranslated(record):
        return {"shown": False}
    versions = versions_of(context["request"], record)
    return {
        "shown": True,
        "language": record.shown_language_name,
        "versions": versions,
    }
