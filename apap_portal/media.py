"""Uploaded files, served only to those who may see the record they belong to.

Every uploaded file is a `DocumentField` or `PictureField` of a record
(`apap_portal.uploads`), stored under a random name. A request for `/media/<name>` finds
the record whose field holds that name and asks the record's own rule
(`Model.objects.visible_to(user)`): a members-only resource's file answers 404 to the
public — or sends an anonymous visitor to sign in — and is sent to a member. A name no
record holds answers 404, so guessing finds nothing.

Who sends the bytes is configured (settings.MEDIA_SERVER, MEDIA_STORAGE): this process in
development; in production the web server, told by an `X-Accel-Redirect` (nginx) or
`X-Sendfile` (Apache) header (django-sendfile2), so that no worker streams a file; or
S3-compatible storage, through a signed URL that works for a few minutes.

What is sent is treated as hostile all the same: browsers must not guess a type
(`nosniff`), uploads can never run as a page (a sandboxing CSP), and anything but a
raster image is a download under the uploader's own file name.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils._os import safe_join
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe
from django_sendfile import sendfile

from apap_portal.pictures import source_name
from apap_portal.uploads import DocumentField, PictureField

# Shown in the page (cover images, story images); everything else is downloaded.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Types a browser would run as a page or a script (a file stored before uploads were
# judged by content could be named so): sent as plain bytes.
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
# Browsers may keep a file for a while; shared caches (a CDN) never: it may be members-only.
MEDIA_CACHE_CONTROL = "private, max-age=3600"


@dataclass(frozen=True)
class RecordFiles:
    """One file field of a kind of record, and the folder its files are stored in."""

    model: type[models.Model]
    field: models.FileField

    @property
    def folder(self) -> str:
        """The fixed start of the names the field gives: "resources/" of "resources/%Y/"."""
        upload_to = self.field.upload_to
        return upload_to.split("%", 1)[0] if isinstance(upload_to, str) else ""

    def owned(self, name: str) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.field.name: name})

    def original_name(self, record_values: dict) -> str:
        return record_values.get(getattr(self.field, "original_name_field", "")) or ""


@cache
def record_files() -> tuple[RecordFiles, ...]:
    """Every file field of every installed model, the deepest folders first."""
    found = [
        RecordFiles(model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    return tuple(sorted(found, key=lambda files: -len(files.folder)))


@dataclass(frozen=True)
class Owner:
    files: RecordFiles
    visible: bool
    members_only: bool
    original_name: str


def owner_of(name: str, user) -> Owner | None:
    """The record holding the file `name`, and whether `user` may see it (None: no record).

    A size of a picture (`apap_portal.pictures`) belongs to the record of its original.
    """
    for files in record_files():
        if not name.startswith(files.folder):
            continue
        stored = name
        if isinstance(files.field, PictureField):
            stored = source_name(name) or name
        original = getattr(files.field, "original_name_field", "")
        columns = ["pk", original] if original else ["pk"]
        manager = files.model._default_manager
        visible = manager.visible_to(user).filter(**{files.field.name: stored}).values(*columns)
        if row := visible.first():
            return Owner(files, True, False, files.original_name(row))
        if files.owned(stored).exists():
            members_only = manager.members_only().filter(**{files.field.name: stored}).exists()
            return Owner(files, False, members_only, "")
    return None


@require_safe
def serve(request: HttpRequest, path: str) -> HttpResponse:
    name = _stored_name(path)
    owner = owner_of(name, request.user)
    if owner is None:
        raise Http404
    if not owner.visible:
        if owner.members_only and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    content_type, encoding = mimetypes.guess_type(name)
    if content_type is None or content_type in ACTIVE_TYPES or encoding is not None:
        content_type = "application/octet-stream"
    inline = content_type in INLINE_TYPES
    download_name = owner.original_name or Path(name).name
    if settings.MEDIA_STORAGE == "s3":
        response = _signed_redirect(name, content_type, inline, download_name)
    else:
        response = _sent_by_the_server(request, name, content_type, inline, download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cache-Control"] = MEDIA_CACHE_CONTROL
    return response


def _stored_name(path: str) -> str:
    """The storage name `path` names; 404 for anything hidden or outside the media root."""
    if any(part.startswith(".") for part in path.split("/")) or "\\" in path or "\x00" in path:
        raise Http404
    if isinstance(default_storage, FileSystemStorage):
        try:
            file_path = Path(safe_join(settings.MEDIA_ROOT, path))
        except SuspiciousFileOperation as error:
            raise Http404 from error
        if not file_path.is_file():
            raise Http404
    return path


def _sent_by_the_server(request, name, content_type, inline, download_name) -> HttpResponse:
    """The file from local storage: by this process, or by nginx/Apache when told."""
    return sendfile(
        request,
        Path(settings.MEDIA_ROOT) / name,
        attachment=not inline,
        attachment_filename=download_name,
        mimetype=content_type,
    )


def _signed_redirect(name, content_type, inline, download_name) -> HttpResponse:
    """To the file on S3, by a URL signed for a few minutes, with the headers it needs."""
    disposition = "inline" if inline else "attachment"
    parameters = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": (
            f"{disposition}; filename*=UTF-8''{escape_uri_path(download_name)}"
        ),
    }
    response = HttpResponseRedirect(default_storage.url(name, parameters=parameters))
    return response


@checks.register(checks.Tags.models)
def check_record_files(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every file field is one of ours, on a model that says who may see its records."""
    errors = []
    for files in record_files():
        label = f"{files.model._meta.label}.{files.field.name}"
        if not isinstance(files.field, DocumentField | PictureField):
            errors.append(
                checks.Error(
                    f"{label} is a plain file field: its files would keep the uploader's name.",
                    hint="Use apap_portal.uploads.DocumentField or PictureField.",
                    obj=files.model,
                    id="media.E001",
                )
            )
        manager = files.model._default_manager
        if not (hasattr(manager, "visible_to") and hasattr(manager, "members_only")):
            errors.append(
                checks.Error(
                    f"{label} holds files, but {files.model._meta.label} does not say who may "
                    "see its records.",
                    hint="Give its queryset visible_to(user) and members_only().",
                    obj=files.model,
                    id="media.E002",
                )
            )
        if not files.folder:
            errors.append(
                checks.Error(
                    f"{label} stores its files outside a folder of their own.",
                    hint='Give it upload_to="<folder>/%Y/".',
                    obj=files.model,
                    id="media.E003",
                )
            )
    return errors
