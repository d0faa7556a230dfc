"""Django's makemessages, which by default updates the catalogue of every site language."""

from django.core.management.commands import makemessages

from apap_portal.translations.languages import default_language, other_site_languages


class Command(makemessages.Command):
    """Without --locale nor --all: every language of settings.LANGUAGES but the default.

    A language just added to the settings has no catalogue yet, so --all would miss it.
    """

    def handle(self, *args, **options):
        if not options["locale"] and not options["all"]:
            options["locale"] = other_site_languages(default_language())
        return super().handle(*args, **options)
