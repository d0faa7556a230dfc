"""Uploads judged by their content, not their name."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
DOCUMENT_MAX_BYTES = 25 * 1024 * 1024

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def _head(upload, length: int = 2048) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def validate_cover_image(upload) -> None:
    """A JPEG, PNG or WebP that Pillow can decode, within the size and pixel limits."""
    _check_size(upload, IMAGE_MAX_BYTES)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(_("Use a JPEG, PNG or WebP image."), code="image_format")
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s×%(height)s pixels; keep it under 40 megapixels."),
                    code="image_too_many_pixels",
                    params={"width": width, "height": height},
                )
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise ValidationError(
            _("This file is not an image we can read (JPEG, PNG or WebP)."), code="image_invalid"
        ) from error
    finally:
        upload.seek(0)


def _is_office_zip(upload) -> bool:
    """An Office Open XML or OpenDocument file (both are zip archives with a manifest)."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names or "mimetype" in names


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    lowered = text.lstrip().lower()
    # Markup that a browser could run is not a document we serve.
    return not lowered.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))


def validate_document(upload) -> None:
    """A PDF, an office document (OOXML, OpenDocument or legacy) or plain text/CSV."""
    _check_size(upload, DOCUMENT_MAX_BYTES)
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="file_empty")
    head = _head(upload)
    if head.startswith(b"%PDF-") or head.startswith(OLE_SIGNATURE):
        return
    if head.startswith(b"PK\x03\x04") and _is_office_zip(upload):
        return
    if _is_plain_text(head) and upload.name.lower().endswith((".txt", ".csv")):
        return
    raise ValidationError(
        _("Upload a PDF, an office document (Word, Excel, PowerPoint, OpenDocument) or a "
          "text/CSV file."),
        code="document_type",
    )  # fmt: skip
