"""Uploaded files, served by the portal in development (or when SERVE_MEDIA is set).

Uploads are judged by their content when they arrive (knowledge/validators.py); what is
served is treated as hostile all the same. Browsers must not guess a type
(`X-Content-Type-Options: nosniff`), and anything but a raster image is a download
(`Content-Disposition: attachment`), never a page that could run in the portal's origin.
In production the web server or S3 serves /media/ and must send the same headers (README).
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

# Shown in the page (cover images, story images); everything else is downloaded.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Types a browser would run as a page or a script: sent as plain bytes.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
    }
)
# Uploads can never run as a page, even if a browser were to open one.
MEDIA_CSP = "default-src 'none'; sandbox"


@require_safe
def serve(request: HttpRequest, path: str) -> FileResponse:
    file_path = _media_file(path)
    content_type, encoding = mimetypes.guess_type(file_path.name)
    if content_type is None or content_type in ACTIVE_TYPES:
        content_type = "application/octet-stream"
    inline = content_type in INLINE_TYPES and encoding is None
    response = FileResponse(
        file_path.open("rb"),
        as_attachment=not inline,
        filename=file_path.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response


def _media_file(path: str) -> Path:
    """The file under MEDIA_ROOT that `path` names; 404 for anything outside it, hidden,
    or not a regular file."""
    if any(part.startswith(".") for part in path.split("/")) or "\\" in path or "\x00" in path:
        raise Http404
    try:
        file_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation as error:
        raise Http404 from error
    if not file_path.is_file():
        raise Http404
    return file_path
