"""The site's languages, read from settings.LANGUAGES and LANGUAGE_CODE and nowhere else.

Adding a language is one line in the settings plus its catalogue: every list of languages
(robots.txt, og:locale, the switcher, the card badges, `make makemessages`) asks here.
"""

from django.conf import settings
from django.utils.translation import get_language_info


def site_languages() -> list[tuple[str, str]]:
    """(code, name) of every language the site is read in; usable as a field's `choices`."""
    return list(settings.LANGUAGES)


def default_language() -> str:
    """The language of the unprefixed URLs, in which records are written unless they say."""
    return settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    """The language's name in the language now active ("Vietnamese", "Tiếng Anh")."""
    return get_language_info(code)["name_translated"]


def other_site_languages(code: str) -> list[str]:
    """The codes of the site's languages but this one, in the settings' order."""
    return [other for other, _name in settings.LANGUAGES if other != code]
