"""The live preview of Markdown fields: the server's own renderer, so that what a writer
previews is exactly what the page will show (apap_portal.markdown, sanitised).

Signed-in users only, by POST with the CSRF token (the request carries what was typed),
and limited per address: each preview renders Markdown on the server.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apap_portal.limits import limit_reached
from apap_portal.markdown import render_markdown

# Longer than any field a person writes in one go (the longest is a few thousand words).
MAX_PREVIEW_LENGTH = 50_000


@require_POST
def preview(request: HttpRequest) -> JsonResponse:
    """{"html": the sanitised HTML of the Markdown posted as `text`}, or {"error": why}."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to preview.")}, status=403)
    if limit_reached(request, "markdown-preview"):
        return JsonResponse(
            {"error": _("Too many previews in a short time: wait a minute and try again.")},
            status=429,
        )
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_LENGTH:
        message = _("This text is too long to preview (at most %(count)s characters).")
        return JsonResponse({"error": message % {"count": MAX_PREVIEW_LENGTH}}, status=400)
    return JsonResponse({"html": render_markdown(text)})
