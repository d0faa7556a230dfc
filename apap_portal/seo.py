"""What search engines and link previews need on every page: canonical and language URLs."""

from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info, pgettext, to_locale

from apap_portal.translations.languages import site_languages


def site_url(request) -> str:
    """The scheme and host the request reached, e.g. "https://apap.example.org".

    Empty when the request named a host not allowed here: its 400 page must still render
    (URLs in it are then relative), where asking again would fail.
    """
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return ""


def seo(request):
    """The page's canonical URL (without its query) and the same page in each language."""
    base = site_url(request)
    path = request.path
    current = get_language()
    alternates = []
    for code, _name in site_languages():
        translated = translate_url(path, code)
        alternates.append({"code": code, "url": f"{base}{translated}"})
    return {
        "site_url": base,
        "canonical_url": f"{base}{path}",
        "alternate_urls": alternates,
        "language_links": language_links(request.get_full_path(), current),
        "og_locale": og_locale(current),
    }


def og_locale(language: str) -> str:
    """The page's Open Graph locale (language_TERRITORY), as the language's catalogue says.

    The territory is the translator's choice (British English, Vietnam's Vietnamese), not
    something a code tells, so each catalogue translates this entry; its source is the
    default language's. A catalogue that has not translated it yet would answer with the
    default's, so then the language's own code stands alone ("th") rather than a wrong one.
    """
    locale = pgettext("og:locale", "en_GB")
    own = to_locale(language)
    return locale if locale.split("_")[0] == own.split("_")[0] else own


def language_links(full_path: str, current: str) -> list[dict]:
    """This page (its query kept) in each language, named in that language, for the switcher."""
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(full_path, code),
            "current": code == current,
        }
        for code, _name in site_languages()
    ]
