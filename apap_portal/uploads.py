"""Uploaded files: judged by their content, stored under names nobody can guess.

- **Judged by content, not name.** A document is a PDF, an office document (Office Open
  XML, OpenDocument or the legacy OLE formats) or plain text/CSV; an image is a JPEG,
  PNG or WebP that Pillow decodes, at most 40 megapixels. SVG, HTML and anything a
  browser could run are refused, whatever they are called.
- **Stored under a random name** (`<folder>/<year>/<22 random characters>.<extension>`),
  the extension coming from the detected type, never from the uploader; the uploader's
  own name is kept in a field of the record (`original_name_field`), for the download.
- **Images re-encoded** from their pixels, so that whatever was appended to or embedded
  in the file (a script after the image data, metadata) is not stored.
- **Refused past their size before they are written**: `CappedUploadHandler` (first in
  FILE_UPLOAD_HANDLERS) stops keeping a file's bytes past `UPLOAD_MAX_BYTES` and hands
  the form a stand-in that says how large the file was, so that the form answers
  "The file is 200 MB; the limit is 25 MB" with everything else the person typed.

Every file belongs to a record and is served only to those who may see the record
(`apap_portal.media`).
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models, transaction
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apap_portal.pictures import make_sizes

MB = 1024 * 1024
IMAGE_MAX_BYTES = 5 * MB
IMAGE_MAX_PIXELS = 40_000_000
DOCUMENT_MAX_BYTES = 25 * MB
# No file is kept past this while a request is read: the largest of the limits above.
UPLOAD_MAX_BYTES = max(IMAGE_MAX_BYTES, DOCUMENT_MAX_BYTES)
# What a form's other fields may add to a body (a best practice's text, its blocks):
# a body announcing more than the largest file and this cannot hold an acceptable file.
FORM_FIELDS_MAX_BYTES = 2 * MB

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
RANDOM_NAME_BYTES = 16  # 128 bits: 22 characters, beyond guessing


@dataclass(frozen=True)
class Detected:
    """What a file turned out to be: its extension and media type."""

    extension: str
    content_type: str


IMAGE_TYPES = {
    "JPEG": Detected("jpg", "image/jpeg"),
    "PNG": Detected("png", "image/png"),
    "WEBP": Detected("webp", "image/webp"),
}
PDF = Detected("pdf", "application/pdf")
# Office documents are zip archives; the uploader's extension picks among the formats the
# archive may be, and anything else is stored as the family's generic name.
OFFICE_ZIP_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
OLE_TYPES["ppt"] = "application/vnd.ms-powerpoint"
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}


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


def _uploader_extension(upload) -> str:
    return PurePosixPath(str(getattr(upload, "name", "") or "")).suffix.lower().lstrip(".")


def detect_image(upload) -> Detected:
    """A JPEG, PNG or WebP that Pillow can decode, within the size and pixel limits."""
    _check_size(upload, IMAGE_MAX_BYTES)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in IMAGE_TYPES:
                raise ValidationError(_("Use a JPEG, PNG or WebP image."), code="image_format")
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s×%(height)s pixels; keep it under 40 megapixels."),
                    code="image_too_many_pixels",
                    params={"width": width, "height": height},
                )
            image.verify()
            return IMAGE_TYPES[image.format]
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


def _within(family: dict[str, str], extension: str, default: str) -> Detected:
    """The format of a family the uploader's extension names, or the family's default."""
    chosen = extension if extension in family else default
    return Detected(chosen, family[chosen])


def detect_document(upload) -> Detected:
    """A PDF, an office document (OOXML, OpenDocument or legacy) or plain text/CSV."""
    _check_size(upload, DOCUMENT_MAX_BYTES)
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="file_empty")
    head = _head(upload)
    extension = _uploader_extension(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE_SIGNATURE):
        return _within(OLE_TYPES, extension, "doc")
    if head.startswith(b"PK\x03\x04") and _is_office_zip(upload):
        return _within(OFFICE_ZIP_TYPES, extension, "docx")
    if _is_plain_text(head) and extension in TEXT_TYPES:
        return _within(TEXT_TYPES, extension, "txt")
    raise ValidationError(
        _("Upload a PDF, an office document (Word, Excel, PowerPoint, OpenDocument) or a "
          "text/CSV file."),
        code="document_type",
    )  # fmt: skip


def validate_image(upload) -> None:
    detect_image(upload)


def validate_document(upload) -> None:
    detect_document(upload)


def reencoded(upload, detected: Detected) -> ContentFile:
    """The image drawn again from its pixels: nothing but the picture survives.

    Turned upright as its camera said (EXIF orientation), then saved without metadata.
    """
    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.load()
    fmt = next(name for name, kind in IMAGE_TYPES.items() if kind == detected)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {"JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 88}}
    image.save(buffer, format=fmt, **options.get(fmt, {"optimize": True}))
    return ContentFile(buffer.getvalue())


def random_name(extension: str) -> str:
    return f"{secrets.token_urlsafe(RANDOM_NAME_BYTES)}.{extension}"


class _StoredUnderRandomName:
    """Saving a file: detect its type, name it at random, keep the uploader's name."""

    def save(self, name, content, save=True):
        field = self.field
        detected = field.detect(content)
        if field.reencode:
            content = reencoded(content, detected)
        if field.original_name_field:
            original = PurePosixPath(str(name).replace("\\", "/")).name
            setattr(self.instance, field.original_name_field, original[:255])
        field.before_storing(self.instance, content)
        super().save(random_name(detected.extension), content, save)
        field.after_storing(self, content)


class StoredFieldFile(_StoredUnderRandomName, FieldFile):
    pass


class StoredImageFieldFile(_StoredUnderRandomName, ImageFieldFile):
    pass


class DocumentField(models.FileField):
    """A document of a record: judged by content, stored under a random name.

    `original_name_field` names the record's field that keeps the uploader's file name.
    """

    attr_class = StoredFieldFile
    default_validators = [validate_document]
    reencode = False

    def __init__(self, *args, original_name_field: str = "", **kwargs):
        self.original_name_field = original_name_field
        super().__init__(*args, **kwargs)

    def detect(self, content) -> Detected:
        return detect_document(content)

    def before_storing(self, instance, content) -> None:
        pass

    def after_storing(self, stored: FieldFile, content) -> None:
        pass

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.original_name_field:
            kwargs["original_name_field"] = self.original_name_field
        return name, path, args, kwargs


class PictureFormField(forms.ImageField):
    """An image field of a form that says a file is too large before trying to read it."""

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            _check_size(data, IMAGE_MAX_BYTES)
        return super().to_python(data)


class PictureField(models.ImageField):
    """An image of a record: judged by content, re-encoded, stored under a random name.

    With `widths`, it is also stored in those widths (`apap_portal.pictures`), and its
    width and height are kept in the record's `<name>_width` and `<name>_height`
    fields, declared after it (saving fills the fields in their order).
    """

    attr_class = StoredImageFieldFile
    default_validators = [validate_image]
    original_name_field = ""
    reencode = True

    def __init__(self, *args, widths: tuple[int, ...] = (), **kwargs):
        self.widths = tuple(widths)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.widths:
            kwargs["widths"] = self.widths
        return name, path, args, kwargs

    def detect(self, content) -> Detected:
        return detect_image(content)

    def before_storing(self, instance, content) -> None:
        """The record keeps the picture's size, so that pages need not open the file."""
        if not self.widths:
            return
        content.seek(0)
        with Image.open(content) as image:
            width, height = image.size
        content.seek(0)
        setattr(instance, f"{self.attname}_width", width)
        setattr(instance, f"{self.attname}_height", height)

    def after_storing(self, stored: FieldFile, content) -> None:
        if self.widths:
            make_sizes(stored.name, content, self.widths, storage=stored.storage)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})


# Reading requests


class OversizedUpload(UploadedFile):
    """Stands for a file that was larger than any the portal keeps: only its size is known.

    Its validation says so ("The file is 200 MB; the limit is 25 MB"), and the form comes
    back with everything else that was typed.
    """

    def __init__(self, name: str, content_type: str, size: int, charset=None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class CappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: no file's bytes are kept past `UPLOAD_MAX_BYTES`.

    A body whose Content-Length is larger than any acceptable upload (the largest file
    and the form's fields) has none of its files' bytes kept at all: they are read and
    dropped, and each file becomes an `OversizedUpload`, so that the form answers with
    everything else typed. Otherwise the bytes before the cap go on to the next handler
    (memory, or a temporary file), and past it a file is dropped in the same way (a body
    that announced less than it sends).
    """

    too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > UPLOAD_MAX_BYTES + FORM_FIELDS_MAX_BYTES

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.too_large or self.received > UPLOAD_MAX_BYTES:
            return None  # the next handlers never see it
        return raw_data

    def file_complete(self, file_size):
        if self.too_large or self.received > UPLOAD_MAX_BYTES:
            return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
        return None  # the next handler's file


# Files stored before names were random


def rename_stored_files(
    model, field_name: str, *, kind: str, original_name_field: str = "", storage=None
) -> dict[str, int]:
    """Give each file of `model.field_name` a random name: the step of a data migration.

    Each file is written again under a random name in its folder, with the extension of
    its detected type (`kind` "document" or "image"; images re-encoded), the record then
    names it and keeps the old name as the file's original name, and the old file is
    deleted once the migration's transaction has committed: a failure leaves everything
    as it was. Nothing is lost: a file whose type cannot be told is kept, byte for byte,
    as ".bin" (a download); a record naming a file that is not in storage is left as is.
    Returns how many files were renamed, kept as ".bin", and missing.
    """
    storage = storage or default_storage
    detect = detect_image if kind == "image" else detect_document
    counts = {"renamed": 0, "undetected": 0, "missing": 0}
    records = model._default_manager.exclude(**{field_name: ""}).exclude(
        **{f"{field_name}__isnull": True}
    )
    for pk, old_name in records.values_list("pk", field_name).iterator():
        if not storage.exists(old_name):
            counts["missing"] += 1
            continue
        with storage.open(old_name, "rb") as stored:
            content = ContentFile(stored.read(), name=PurePosixPath(old_name).name)
        try:
            detected = detect(content)
        except ValidationError:
            extension = "bin"
            counts["undetected"] += 1
        else:
            extension = detected.extension
            if kind == "image":
                content = reencoded(content, detected)
            counts["renamed"] += 1
        folder = PurePosixPath(old_name).parent
        new_name = storage.save(str(folder / random_name(extension)), content)
        changes = {field_name: new_name}
        if original_name_field:
            changes[original_name_field] = PurePosixPath(old_name).name[:255]
        model._default_manager.filter(pk=pk).update(**changes)
        transaction.on_commit(lambda old=old_name: storage.delete(old))
    return counts


class AttachedDocument(models.Model):
    """A document of a record (an activity's report, a call's terms of reference): an
    uploaded file or a link, in an order. A subclass adds the record it belongs to and its
    `file = DocumentField(..., upload_to=…, original_name_field="file_name")`."""

    title = models.CharField(_("title"), max_length=255)
    file_name = models.CharField(
        _("file name"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The name the file was uploaded under, which downloads are given."),
    )
    url = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if not self.file and not self.url:
            raise ValidationError(_("Upload a file or give a link."))

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url
