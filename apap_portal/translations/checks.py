"""System checks: a language in settings.LANGUAGES has a catalogue to be read in."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from apap_portal.translations.languages import default_language, other_site_languages


def catalogue_of(code: str) -> Path | None:
    """The language's django.po in one of LOCALE_PATHS, or None when there is none."""
    for folder in settings.LOCALE_PATHS:
        catalogue = Path(folder) / code / "LC_MESSAGES" / "django.po"
        if catalogue.is_file():
            return catalogue
    return None


@checks.register(checks.Tags.translation)
def check_catalogues(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn of a site language without a catalogue: its pages would be English under /<code>/."""
    return [
        checks.Warning(
            f"The language {code!r} in LANGUAGES has no locale/{code}/LC_MESSAGES/django.po: "
            "its pages would show the default language's text.",
            hint="Run `make makemessages` and translate the new catalogue.",
            id="translations.W001",
        )
        for code in other_site_languages(default_language())
        if catalogue_of(code) is None
    ]
