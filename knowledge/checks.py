"""System checks of the library: every site language is one a best practice can be written in."""

from django.core import checks

from apap_portal.translations.languages import site_languages
from knowledge.models import Language


@checks.register(checks.Tags.translation)
def check_site_languages_are_content_languages(app_configs=None, **kwargs) -> list:
    """A member submits in the page's language: it must be a choice of `Language`."""
    return [
        checks.Error(
            f"The site language {code!r} in LANGUAGES is not a value of "
            "knowledge.models.Language: members submitting on its pages could not say "
            "their text is written in it.",
            hint=f"Add {code!r} to knowledge.models.Language (and make its migration).",
            obj="knowledge.models.Language",
            id="translations.E002",
        )
        for code, _name in site_languages()
        if code not in Language.values
    ]
