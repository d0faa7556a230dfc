"""Printable PDF profiles of records (`…/<slug>/pdf/`), rendered on the server by WeasyPrint.

A profile is the detail page's own template and context, rendered in another layout
(`pdf/profile.html`: the APAP letterhead, the page's address and the day it was printed,
page numbers in the footer), then laid out on A4 by WeasyPrint with the print
stylesheets of our static files. WeasyPrint fetches only our static and media files
(`OurFilesOnly`): a template, or a description written by a member, can make it read
nothing else — no network, no other file.

A PDF takes a few hundred milliseconds to lay out, so its bytes are cached
(`apap_portal.caching.cached`) until a table it read changes: the request that finds
it cached costs the lookup that applies the detail page's visibility rule, and nothing
else.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from apap_portal.caching import cached
from apap_portal.seo import site_url

CACHE_NAME = "pdf-profile"
# The page's layout in a PDF: a detail template extends `layout|default:"base.html"`.
LAYOUT = "pdf/profile.html"


class OurFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, reading our static and media files and refusing anything else.

    A URL is read only when it is on the site being rendered (`base_url`), under
    STATIC_URL (a file of the static files: the stylesheets, the letterhead's logo) or
    MEDIA_URL (a stored upload: the pictures of the records the page shows, which the
    visitor may see since the page shows them; Markdown allows no image). Anything else
    — another host, a `file:` or `data:` URL, a path out of those files — fails, and
    WeasyPrint leaves the resource out: no network, no other file.
    """

    def __init__(self, base_url: str):
        super().__init__()
        site = urlsplit(base_url)
        self.origin = (site.scheme, site.netloc)
        self.readers = {
            "/" + settings.STATIC_URL.strip("/") + "/": static_file,
            "/" + settings.MEDIA_URL.strip("/") + "/": media_file,
        }

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        content = self.read(url)
        if content is None:
            raise URLFetchingError(f"Not one of the portal's static or media files: {url}")
        content_type, _encoding = mimetypes.guess_type(urlsplit(url).path)
        return URLFetcherResponse(
            url, content, headers={"Content-Type": content_type or "application/octet-stream"}
        )

    def read(self, url: str) -> bytes | None:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self.origin:
            return None
        for prefix, reader in self.readers.items():
            if parts.path.startswith(prefix):
                name = unquote(parts.path.removeprefix(prefix))
                if not name or name.startswith("/") or ".." in PurePosixPath(name).parts:
                    return None
                try:
                    return reader(name)
                except (OSError, SuspiciousFileOperation):  # absent, or outside
                    return None
        return None


def static_file(name: str) -> bytes | None:
    """A static file: collected (hashed names, outside development), else from its source."""
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local paths
        collected = None
    if collected is not None and collected.is_file():
        return collected.read_bytes()
    found = finders.find(name)
    return Path(found).read_bytes() if found else None


def media_file(name: str) -> bytes:
    """An upload, from wherever uploads are kept (MEDIA_ROOT, or S3-compatible storage)."""
    with default_storage.open(name) as upload:
        return upload.read()


def render_pdf(request: HttpRequest, template_name: str | list[str], context: dict) -> bytes:
    """A page's template rendered in the PDF layout with `context`, laid out as a PDF."""
    base_url = site_url(request) + "/"
    context = {"layout": LAYOUT, "prepared_on": timezone.localdate(), **context}
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=base_url, url_fetcher=OurFilesOnly(base_url)).write_pdf()


def pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def cached_pdf(
    request: HttpRequest,
    *,
    record: QuerySet,
    audience: str,
    page: Callable[[], tuple[str | list[str], dict]],
    name: str,
) -> HttpResponse:
    """The PDF of one record, from the cache while nothing it was made from has changed.

    `record` selects the record as the visitor may see it: its SQL holds the visibility
    rule and the record's id (and, read `.translated()`, the language). `page()` returns
    the template and its context, reading everything the template shows inside the
    computation, so that the tables it reads are followed. The address the PDF prints
    (the site) and the day it was printed are part of the key too.
    """
    key = (
        CACHE_NAME,
        record,
        audience,
        # Staff see notes meant for them (what to import where data is missing).
        request.user.is_staff,
        get_language(),
        site_url(request),
        timezone.localdate().isoformat(),
    )
    content = cached(key, lambda: render_pdf(request, *page()))
    return pdf_response(content, name)


class PdfProfileMixin:
    """A detail view's record as a PDF: the same queryset, visibility and context.

    Put before the detail view: `class AreaPdfView(PdfProfileMixin, AreaDetailView)`.
    The detail page's template is rendered in the PDF layout (`LAYOUT`). The view names
    the function that tells a visitor's audience (`audience_of`, a staticmethod), which
    the context may depend on beyond the queryset (a member sees contact emails).
    """

    audience_of: Callable[[object], str]

    # It only reads, and a cached answer needs no more than the lookup: no transaction.
    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        slug = kwargs[self.slug_url_kwarg]
        queryset = self.get_queryset()
        # The lookup: the detail page's visibility rule, asked on every request.
        pk = queryset.filter(**{self.slug_field: slug}).values_list("pk", flat=True).first()
        if pk is None:
            raise Http404(f"No {queryset.model._meta.verbose_name} found.")

        def page() -> tuple[list[str], dict]:
            self.object = self.get_object()
            context = self.get_context_data(object=self.object)
            context["page_url"] = request.build_absolute_uri(self.object.get_absolute_url())
            return self.get_template_names(), context

        return cached_pdf(
            request,
            record=queryset.filter(pk=pk),
            audience=self.audience_of(request.user),
            page=page,
            name=slug,
        )
