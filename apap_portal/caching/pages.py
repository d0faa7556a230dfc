"""Whole pages for anonymous visitors, cached until what they show changes.

Most of the portal's traffic is the public reading the same pages. A page a visitor
without a session receives is the same for every such visitor, so the first rendering
of a URL is kept and served to the next ones, as a cached value of `apap_portal.caching`:
it remembers the tables its rendering read, and an edit of any of them makes it stale
at once (an edited activity refreshes the activity pages, not the library's). Entries
also expire after `PAGE_CACHE_SECONDS` (60 by default), so what changes with the clock
alone — a story whose publication minute comes, the day's upcoming activities — shows
within that time. `PAGE_CACHE_SECONDS=0` turns the page cache off.

A page is kept only when nothing in it belongs to one visitor: a GET answered 200 to a
request with no session and no pending messages, whose rendering used no CSRF token and
set no cookie, and which does not ask caches to keep it private. Signed-in members and
staff are never served a cached page; their pages still use the cached counts and
rankings underneath.
"""

from __future__ import annotations

from django.conf import settings

from apap_portal.caching import Computation, cache_key, lookup
from apap_portal.seo import site_url

# Cookies that make a request someone's: a session (signed in, or a form in progress) and
# messages waiting to be shown once.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET requests from the cache, and keep what they receive there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not self.is_anonymous_read(request):
            return self.get_response(request)
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        if (entry := lookup(key)) is not None:
            return entry.value
        with Computation() as rendering:
            response = self.get_response(request)
        if self.is_shareable(request, response):
            rendering.store(key, response, seconds)
        return response

    @staticmethod
    def is_anonymous_read(request) -> bool:
        return request.method == "GET" and not any(
            name in request.COOKIES for name in PERSONAL_COOKIES
        )

    @staticmethod
    def is_shareable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
            return False
        directives = {
            directive.split("=", 1)[0].strip().lower()
            for directive in response.get("Cache-Control", "").split(",")
        }
        return not directives & UNCACHEABLE_DIRECTIVES


def page_key(request) -> str | None:
    """The cache key of a page: its full address, or None for a host not allowed here.

    The scheme and host count: pages carry absolute canonical and language URLs. A host
    outside ALLOWED_HOSTS is left to Django, which answers 400.
    """
    site = site_url(request)
    return cache_key(("page", f"{site}{request.get_full_path()}")) if site else None
