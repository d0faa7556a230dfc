"""Pictures of records: their sizes, made once when the upload is stored, and their markup.

A picture (`uploads.PictureField`) is stored once as uploaded (re-encoded) and, in the
same step, in a few widths, each as WebP and in the picture's own format (JPEG or PNG):
`best-practices/2026/<random>.jpg` gets `best-practices/2026/<random>.jpg.480w.webp`,
`….480w.jpg` and so on. The sizes are made by django-imagekit's image specs (pilkit's
resizing, Pillow's encoders) and saved through the default storage, so they land beside
the original on the file system or on S3 alike.

Why at upload and not on first view: a page then never waits for Pillow nor asks the
storage whether a size exists (an S3 request per picture), so a list of cards costs
what it cost without pictures — no query, no storage call per card. The names of the
sizes follow from the original's name, and their pixel sizes from the original's width
and height (kept on the record), so `Picture` builds `srcset` from the row alone. The
price is paid once by whoever uploads: a few hundred milliseconds for a photograph.

The sizes are served like the original, by `apap_portal.media`, which finds the record
from the original's name (`source_name`) and applies the record's visibility.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from imagekit.cachefiles import ImageCacheFile
from imagekit.specs import ImageSpec
from PIL import Image
from pilkit.processors import ResizeToFit

# Widths (CSS pixels × up to 2) each kind of picture is made in: a card's column, a
# detail page's measure, the full width of the home page; a logo stays small.
COVER_WIDTHS = (480, 800, 1200)
HERO_WIDTHS = (800, 1280, 1920)
LOGO_WIDTHS = (160, 320)

WEBP_OPTIONS = {"quality": 80, "method": 4}
FORMAT_OPTIONS = {"jpg": {"quality": 82, "optimize": True, "progressive": True}, "png": {}}
_EXTENSIONS = "jpg|png|webp"
_SIZE_NAME = re.compile(rf"^(?P<source>.+\.(?:{_EXTENSIONS}))\.(?P<width>\d+)w\.(?:{_EXTENSIONS})$")


class PictureSize(ImageSpec):
    """One width of a picture in one format, never wider than the original."""

    def __init__(self, source, *, width: int, extension: str):
        self.width = width
        self.extension = extension
        self.processors = [ResizeToFit(width=width, upscale=False)]
        self.format = {"webp": "WEBP", "png": "PNG"}.get(extension, "JPEG")
        self.options = WEBP_OPTIONS if extension == "webp" else FORMAT_OPTIONS.get(extension, {})
        super().__init__(source)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower()


def size_name(source_name: str, width: int, extension: str) -> str:
    """The storage name of one size: the original's name, the width and the format."""
    return f"{source_name}.{width}w.{extension}"


def source_name(name: str) -> str | None:
    """The original's name when `name` is one of its sizes, else None."""
    match = _SIZE_NAME.match(name)
    return match["source"] if match else None


def fallback_extension(source: str) -> str:
    """The format of the `<img>` itself: PNG keeps a logo's transparency, else JPEG."""
    return "png" if extension_of(source) == "png" else "jpg"


def size_extensions(source: str) -> tuple[str, ...]:
    """WebP for the browsers that take it, and the fallback (once, for a WebP original)."""
    fallback = fallback_extension(source)
    return ("webp",) if extension_of(source) == "webp" else ("webp", fallback)


def _reduced(content, widest: int) -> bytes:
    """The picture no wider than its widest size, decoded and resized once for all sizes.

    A 24-megapixel photograph takes seconds to decode and resize for each size; its
    reduction, a fraction of that. Kept losslessly (PNG) when it has transparency, else
    as a JPEG of high quality.
    """
    content.seek(0)
    with Image.open(content) as image:
        if image.width <= widest:
            content.seek(0)
            return content.read()
        image.draft("RGB", (widest, widest * image.height // image.width))
        image.thumbnail((widest, image.height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if image.mode in ("RGBA", "LA", "P"):
            image.save(buffer, "PNG")
        else:
            image.convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


class StoredAtOnce:
    """How imagekit writes a size here: straight to the storage, once, at upload.

    Its default backend also keeps each file's state in the cache, for sizes made on
    first view; here every size exists from the start, so no state is kept.
    """

    def generate(self, file, force=False) -> None:
        file._generate()

    def exists(self, file) -> bool:
        return file.storage.exists(file.name)


def make_sizes(
    name: str, content, widths: Iterable[int], storage=None, *, replace: bool = False
) -> list[str]:
    """Store every size of the picture `name` (whose bytes are `content`); their names.

    `replace` removes a size already stored under its name first (a picture sized again),
    since storages that never overwrite would store the new one under another name.
    """
    storage = storage or default_storage
    backend = StoredAtOnce()
    master = _reduced(content, max(widths))
    made = []
    for width in widths:
        for extension in size_extensions(name):
            target = size_name(name, width, extension)
            if replace and storage.exists(target):
                storage.delete(target)
            source = ContentFile(master, name=name)
            spec = PictureSize(source, width=width, extension=extension)
            ImageCacheFile(spec, name=target, storage=storage, cachefile_backend=backend).generate()
            made.append(target)
    return made


def fitted_width(width: int, original_width: int) -> int:
    """How wide the size made for `width` is: the original's width caps it."""
    return min(width, original_width)


def media_url(name: str) -> str:
    """The portal's address of a stored file: through its check, whatever the storage."""
    return f"{settings.MEDIA_URL}{quote(name)}"


@dataclass(frozen=True)
class Picture:
    """What a page needs to show one picture of a record, or the panel in its place.

    Built from the record's row alone (see the module's docstring). A picture stored
    before sizes were made has no width: it is shown as stored, without `srcset`.
    """

    name: str = ""
    alt: str = ""
    # The language the alt text is written in (a record read in the reader's language
    # shows its translation's where there is one): "" when it is the page's own.
    alt_language: str = ""
    credit: str = ""
    licence: str = ""
    width: int | None = None
    height: int | None = None
    widths: tuple[int, ...] = ()
    # The panel shown without a picture: its tint and icon (CSS classes), a short label.
    tint: str = "default"
    icon: str = ""
    label: str = ""

    def __bool__(self) -> bool:
        return bool(self.name)

    @property
    def has_sizes(self) -> bool:
        return bool(self.width and self.height and self.widths)

    def _candidates(self, extension: str) -> list[tuple[str, int]]:
        """(name, actual width) of each distinct size in one format, narrowest first."""
        seen, candidates = set(), []
        for width in sorted(self.widths):
            actual = fitted_width(width, self.width)
            if actual not in seen:
                seen.add(actual)
                candidates.append((size_name(self.name, width, extension), actual))
        return candidates

    def _srcset(self, extension: str) -> str:
        return ", ".join(f"{media_url(name)} {w}w" for name, w in self._candidates(extension))

    @property
    def webp_srcset(self) -> str:
        """The WebP sizes (the `<source>`); empty when the `<img>` is WebP already."""
        if not self.has_sizes or extension_of(self.name) == "webp":
            return ""
        return self._srcset("webp")

    @property
    def srcset(self) -> str:
        if not self.has_sizes:
            return ""
        return self._srcset(size_extensions(self.name)[-1])

    @property
    def src(self) -> str:
        """The `<img>`'s own address: a middle size, or the original without sizes."""
        if not self.has_sizes:
            return media_url(self.name)
        candidates = self._candidates(size_extensions(self.name)[-1])
        return media_url(candidates[(len(candidates) - 1) // 2][0])

    @property
    def credit_line(self) -> str:
        """ "Photo: Nguyen Van A · CC BY 4.0", or whichever of the two is known."""
        parts = []
        if self.credit:
            parts.append(_("Photo: %(credit)s") % {"credit": self.credit})
        if self.licence:
            parts.append(self.licence)
        return " · ".join(parts)


def picture_of(record, field_name: str, *, widths: tuple[int, ...], **fallback) -> Picture:
    """The `Picture` of `record.<field_name>`, from its companion fields (`_alt`, `_credit`…).

    `fallback` gives the panel shown without one (tint, icon, label).
    """
    stored = getattr(record, field_name)
    if not stored:
        return Picture(**fallback)
    value = record.__dict__.get
    return Picture(
        name=stored.name,
        alt=value(f"{field_name}_alt", ""),
        alt_language=language_of_field(record, f"{field_name}_alt"),
        credit=value(f"{field_name}_credit", ""),
        licence=value(f"{field_name}_licence", ""),
        width=value(f"{field_name}_width"),
        height=value(f"{field_name}_height"),
        widths=widths,
        **fallback,
    )


def language_of_field(record, field_name: str) -> str:
    """The language a record's field is shown in: its translation's where it is translated
    and shown translated (apap_portal.translations), else the record's own; "" for a record
    that has no language of its own."""
    if field_name in getattr(record, "translated_fields", ()):
        return record.shown_language
    return getattr(record, "original_language", "")


def initials(text: str, count: int = 3) -> str:
    """A short label for a panel: an acronym as given, else the first letters of words."""
    words = [word for word in re.split(r"[\s\-–—/]+", text) if word[:1].isalnum()]
    if len(words) == 1 and len(words[0]) <= count:
        return words[0].upper()
    return (
        "".join(word[0] for word in words if word[0].isupper() or word[0].isdigit())[:count]
        or "".join(word[0] for word in words)[:count].upper()
    )


# The fields that go with a picture field `<name>`: declared after it, named by it.

ALT_HELP = _lazy("What the image shows, for people who cannot see it. Needed with an image.")


def alt_field(verbose_name=None) -> models.CharField:
    return models.CharField(
        verbose_name or _lazy("image description"),
        max_length=255,
        blank=True,
        help_text=_lazy(
            "What the image shows, for people who cannot see it. Needed with an image."
        ),
    )


def credit_field() -> models.CharField:
    return models.CharField(
        _lazy("image credit"),
        max_length=200,
        blank=True,
        help_text=_lazy("Who took or made the image, e.g. “Nguyen Van A / IUCN”."),
    )


def licence_field() -> models.CharField:
    return models.CharField(
        _lazy("image licence"),
        max_length=100,
        blank=True,
        help_text=_lazy("e.g. “CC BY 4.0” or “© IUCN, used with permission”."),
    )


def dimension_field(verbose_name) -> models.PositiveIntegerField:
    """The original's width or height, filled when the picture is stored."""
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, editable=False)


def alt_errors(record, field_name: str) -> dict[str, ValidationError]:
    """A record with a picture says what it shows: the error of its `_alt` field, if any."""
    alt_name = f"{field_name}_alt"
    if getattr(record, field_name) and not getattr(record, alt_name, "").strip():
        message = _lazy("Describe what the image shows, for people who cannot see it.")
        return {alt_name: ValidationError(message, code="alt_required")}
    return {}


def require_alt(record, field_name: str) -> None:
    if errors := alt_errors(record, field_name):
        raise ValidationError(errors)
