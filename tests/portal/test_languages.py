"""The site's languages come from settings.LANGUAGES only: adding one is a line and a catalogue."""

import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.commands import makemessages
from django.test import override_settings
from django.utils import translation
from django.utils.translation import get_language_info

from apap_portal.seo import og_locale
from apap_portal.translations.checks import check_catalogues
from apap_portal.translations.languages import (
    default_language,
    language_name,
    other_site_languages,
    site_languages,
)
from tests.factories import BestPracticeFactory

ROOT = Path(settings.BASE_DIR)
WITH_THAI = [("en", "English"), ("vi", "Vietnamese"), ("th", "Thai")]


def test_the_languages_are_the_settings():
    assert site_languages() == list(settings.LANGUAGES)
    assert default_language() == "en"
    assert other_site_languages("en") == ["vi"]
    assert other_site_languages("vi") == ["en"]
    with translation.override("vi"):
        assert language_name("en") == "Tiếng Anh"
    with override_settings(LANGUAGES=WITH_THAI):
        assert other_site_languages(default_language()) == ["vi", "th"]


@pytest.mark.django_db
def test_robots_txt_hides_the_private_areas_in_every_language(client):
    text = client.get("/robots.txt").text
    assert "Disallow: /vi/my/\nDisallow: /vi/reports/\nDisallow: /vi/search/\n" in text
    assert "/th/" not in text
    with override_settings(LANGUAGES=WITH_THAI):
        text = client.get("/robots.txt").text
    for prefix in ("", "/vi", "/th"):
        for path in ("/my/", "/reports/", "/search/"):
            assert f"Disallow: {prefix}{path}\n" in text
    assert "/en/" not in text


@pytest.mark.django_db
def test_og_locale_comes_from_the_catalogue(client):
    assert '<meta property="og:locale" content="en_GB">' in client.get("/about/").text
    assert '<meta property="og:locale" content="vi_VN">' in client.get("/vi/about/").text


def test_og_locale_of_a_catalogue_without_it_is_the_language_not_the_default():
    with override_settings(LANGUAGES=WITH_THAI), translation.override("th"):
        assert og_locale("th") == "th"


@pytest.mark.django_db
def test_a_practices_language_is_named_when_it_is_not_the_pages(client):
    BestPracticeFactory(title="Patrols in Vietnamese", language="vi")
    BestPracticeFactory(title="Patrols in English", language="en")

    def badges(path):
        html = client.get(path).text
        return re.findall(r'class="badge badge--language"[^>]*>([^<]+)</span>', html)

    assert badges("/knowledge/best-practices/") == ["Vietnamese"]
    assert badges("/vi/knowledge/best-practices/") == ["Tiếng Anh"]


def test_a_language_without_a_catalogue_is_warned_of():
    assert check_catalogues() == []
    assert not [m for m in checks.run_checks(tags=["translation"]) if m.id == "translations.W001"]
    with override_settings(LANGUAGES=WITH_THAI):
        found = checks.run_checks(tags=["translation"])
    warnings = [m for m in found if m.id.startswith("translations.")]
    assert [(w.id, w.level) for w in warnings] == [("translations.W001", checks.WARNING)]
    assert "'th'" in warnings[0].msg
    assert "locale/th/LC_MESSAGES/django.po" in warnings[0].msg


# Nothing else lists the languages by hand

# Where a language code is written on purpose: the settings define the languages, and a
# record's own language (knowledge.models.Language) is any of 22 document languages, not a
# site language; the og:locale entry's source is the default language's locale; and the
# text search configurations by the language of a record's text: `apap` stems English
# (members/migrations/0004), every other language is searched word for word; and the
# WDPA's terms of use, an outside address in English.
ALLOWED = {
    "apap_portal/settings.py": (
        'LANGUAGE_CODE = "en"',
        'LANGUAGES = [("en", _("English")), ',
        'WDPA_TERMS_URL = "https://www.protectedplanet.net/en/legal"',
    ),
    "knowledge/models.py": ('ENGLISH = "en", _("English")', 'VIETNAMESE = "vi", _("Vietnamese")'),
    "apap_portal/seo.py": ('locale = pgettext("og:locale", "en_GB")',),
    "apap_portal/fulltext/search.py": ('STEMMED_CONFIGS = {"en": SEARCH_CONFIG}',),
}
# Not code: the catalogues, migrations (history), the tests, the installed packages; and the
# demo and benchmark data, which are records written in a given language.
SKIPPED = {"locale", "migrations", "tests", "demo", "bench", "node_modules", "staticfiles"}


def language_spellings() -> re.Pattern:
    """Each site language as code would spell it by hand: "vi", 'vi', /vi/, vi_VN, its name.

    Names are compared composed (NFC): Django's own spelling of "Tiếng Việt" is partly not.
    """
    spellings = []
    for code, _name in settings.LANGUAGES:
        spellings += [f'"{code}"', f"'{code}'", f"/{code}/", rf"\b{code}_[A-Z]{{2}}\b"]
        if code != settings.LANGUAGE_CODE:
            name = get_language_info(code)["name_local"]
            spellings.append(re.escape(unicodedata.normalize("NFC", name)))
    return re.compile("|".join(spellings))


def project_files(root: Path):
    """The templates, scripts and Python modules a language list could hide in."""
    for pattern in ("templates/**/*", "static/js/**/*.js", "**/*.py"):
        for path in sorted(root.glob(pattern)):
            parts = path.relative_to(root).parts
            if path.is_file() and not parts[0].startswith(".") and not SKIPPED & set(parts):
                yield path


def hand_written_languages(root: Path) -> list[str]:
    """Each language spelled out where settings.LANGUAGES should be asked, as "file:line: text"."""
    spellings = language_spellings()
    found = []
    for path in project_files(root):
        name = path.relative_to(root).as_posix()
        text = unicodedata.normalize("NFC", path.read_text(errors="replace"))
        for number, line in enumerate(text.splitlines(), 1):
            allowed = any(line.strip().startswith(a) for a in ALLOWED.get(name, ()))
            if spellings.search(line) and not allowed:
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_no_template_or_module_lists_the_languages_by_hand():
    assert hand_written_languages(ROOT) == []


def test_the_search_for_hand_written_languages_finds_them(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "card.html").write_text('{% if lang == "vi" %}\n<p>ok</p>\n')
    (tmp_path / "views.py").write_text('LOCALES = {"en": "en_GB"}\nNAME = "Tiếng Việt"\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text('assert "/vi/" in html\n')
    assert hand_written_languages(tmp_path) == [
        'templates/card.html:1: {% if lang == "vi" %}',
        'views.py:1: LOCALES = {"en": "en_GB"}',
        'views.py:2: NAME = "Tiếng Việt"',
    ]


def test_makemessages_updates_every_other_site_language(monkeypatch):
    asked = []
    monkeypatch.setattr(
        makemessages.Command, "handle", lambda self, *a, **options: asked.append(options["locale"])
    )
    with override_settings(LANGUAGES=WITH_THAI):
        call_command("makemessages")
        call_command("makemessages", locale=["vi"])
    assert asked == [["vi", "th"], ["vi"]]
