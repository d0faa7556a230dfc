"""Uploads are judged by their content, not their name (apap_portal/uploads.py)."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image

from apap_portal.uploads import (
    DOCUMENT_MAX_BYTES,
    IMAGE_MAX_BYTES,
    validate_document,
    validate_image,
)
from knowledge.models import BestPractice, Resource, Story

MB = 1024 * 1024

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(fmt: str, size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (34, 120, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares huge dimensions: the shape of a decompression
    bomb, without the memory cost of making one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    """A minimal Office Open XML word-processing document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Transboundary conservation</w:t></w:r></w:p></w:body>"
            "</w:document>",
        )
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal_code(validator, file) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(file)
    return caught.value.code


# Cover images


@pytest.mark.parametrize(
    ("name", "fmt"), [("cover.png", "PNG"), ("cover.jpg", "JPEG"), ("cover.webp", "WEBP")]
)
def test_a_real_small_image_is_accepted(name, fmt):
    file = upload(name, image_bytes(fmt))

    validate_image(file)

    assert file.tell() == 0  # left ready for storage


def test_a_text_file_renamed_jpg_is_refused():
    file = upload("holiday.jpg", b"Just some notes, not a picture at all.\n")

    assert refusal_code(validate_image, file) == "image_invalid"


def test_an_svg_with_a_script_is_refused():
    assert refusal_code(validate_image, upload("logo.svg", SVG_WITH_SCRIPT)) == ("image_invalid")
    # …also when it pretends to be a PNG.
    assert refusal_code(validate_image, upload("logo.png", SVG_WITH_SCRIPT)) == ("image_invalid")


def test_an_html_page_named_as_an_image_is_refused():
    assert refusal_code(validate_image, upload("photo.jpg", HTML_PAGE)) == "image_invalid"


def test_a_gif_is_refused_although_it_is_a_real_image():
    assert refusal_code(validate_image, upload("anim.gif", image_bytes("GIF"))) == ("image_format")


def test_an_image_over_5_mb_is_refused():
    # A real PNG padded past the limit: refused for its size before it is decoded.
    content = image_bytes("PNG") + b"\x00" * (6 * MB)
    assert len(content) > IMAGE_MAX_BYTES

    assert refusal_code(validate_image, upload("big.png", content)) == "file_too_large"


def test_an_image_of_too_many_pixels_is_refused():
    # 8000 × 8000 = 64 megapixels: over our 40-megapixel limit, under Pillow's own.
    assert refusal_code(validate_image, upload("huge.png", png_declaring(8000, 8000))) == (
        "image_too_many_pixels"
    )


def test_a_decompression_bomb_is_refused():
    # 100 000 × 100 000 pixels declared in a file of a few hundred bytes.
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 1000

    assert refusal_code(validate_image, upload("bomb.png", bomb)) == "image_invalid"


def test_a_truncated_image_is_refused():
    content = image_bytes("PNG", (64, 64))

    assert refusal_code(validate_image, upload("cut.png", content[: len(content) // 2])) == (
        "image_invalid"
    )


def test_an_empty_image_is_refused():
    assert refusal_code(validate_image, upload("empty.jpg", b"")) == "image_invalid"


# Documents


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("guidelines.pdf", MINIMAL_PDF),
        ("report.docx", docx_bytes()),
        ("old-report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
        ("participants.csv", b"name,country\nNBCA,Viet Nam\nKNPS,Korea\n"),
    ],
)
def test_a_real_document_is_accepted(name, content):
    file = upload(name, content)

    validate_document(file)

    assert file.tell() == 0


def test_an_html_file_named_pdf_is_refused():
    assert refusal_code(validate_document, upload("report.pdf", HTML_PAGE)) == "document_type"


def test_an_svg_is_refused_as_a_document_whatever_its_name():
    for name in ("drawing.svg", "drawing.pdf", "drawing.txt"):
        assert refusal_code(validate_document, upload(name, SVG_WITH_SCRIPT)) == "document_type"


def test_html_named_txt_is_refused():
    assert refusal_code(validate_document, upload("notes.txt", HTML_PAGE)) == "document_type"


def test_an_image_is_not_a_document():
    assert refusal_code(validate_document, upload("scan.pdf", image_bytes("PNG"))) == (
        "document_type"
    )


def test_a_zip_that_is_not_an_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML_PAGE)

    assert refusal_code(validate_document, upload("report.docx", buffer.getvalue())) == (
        "document_type"
    )


def test_text_with_a_document_name_is_refused():
    assert refusal_code(validate_document, upload("report.pdf", b"Plain text.\n")) == (
        "document_type"
    )


def test_an_empty_document_is_refused():
    assert refusal_code(validate_document, upload("empty.pdf", b"")) == "file_empty"
    assert refusal_code(validate_document, upload("empty.docx", b"")) == "file_empty"


def test_the_document_validator_itself_refuses_an_empty_text_file():
    with pytest.raises(ValidationError):
        validate_document(upload("empty.txt", b""))


def test_a_document_over_25_mb_is_refused():
    # A real PDF whose reported size is over the limit: the size is checked first, so
    # the test needs no 25 MB of memory.
    file = upload("huge.pdf", MINIMAL_PDF)
    file.size = DOCUMENT_MAX_BYTES + 1

    assert refusal_code(validate_document, file) == "file_too_large"


def test_a_document_of_exactly_25_mb_is_within_the_limit():
    file = upload("limit.pdf", MINIMAL_PDF)
    file.size = DOCUMENT_MAX_BYTES

    validate_document(file)


# Through the models and their forms


@pytest.mark.django_db
def test_a_resource_with_a_bad_file_does_not_validate():
    resource = Resource(
        kind=Resource.Kind.GUIDELINE,
        title="Guidelines",
        slug="guidelines",
        file=upload("guidelines.pdf", HTML_PAGE),
    )

    with pytest.raises(ValidationError) as caught:
        resource.full_clean()

    assert set(caught.value.message_dict) == {"file"}


@pytest.mark.django_db
def test_a_resource_with_a_real_pdf_validates():
    resource = Resource(
        kind=Resource.Kind.GUIDELINE,
        title="Guidelines",
        slug="guidelines",
        file=upload("guidelines.pdf", MINIMAL_PDF),
    )

    resource.full_clean()


@pytest.mark.django_db
def test_a_best_practice_cover_that_is_not_an_image_does_not_validate():
    practice = BestPractice(
        title="Patrols",
        slug="patrols",
        summary="Rangers patrolled together.",
        cover_image=upload("cover.jpg", b"not an image"),
        cover_image_alt="Two rangers on a forest path.",
    )

    with pytest.raises(ValidationError) as caught:
        practice.full_clean()

    assert set(caught.value.message_dict) == {"cover_image"}


@pytest.mark.django_db
def test_a_story_image_that_is_an_svg_does_not_validate():
    story = Story(
        title="News",
        slug="news",
        lead="Something happened.",
        image=upload("photo.png", SVG_WITH_SCRIPT),
    )

    with pytest.raises(ValidationError) as caught:
        story.full_clean()

    assert "image" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf"])
def test_forms_refuse_an_empty_upload(name):
    form_class = modelform_factory(Resource, fields=["kind", "title", "slug", "file", "url"])
    form = form_class(
        data={"kind": "guideline", "title": "Empty", "slug": "empty", "url": ""},
        files={"file": upload(name, b"")},
    )

    assert not form.is_valid()
    assert "file" in form.errors


@pytest.mark.django_db
def test_forms_refuse_a_disguised_upload():
    form_class = modelform_factory(BestPractice, fields=["title", "slug", "summary", "cover_image"])
    form = form_class(
        data={"title": "Patrols", "slug": "patrols", "summary": "Together."},
        files={"cover_image": upload("cover.jpg", b"GIF89a but really text")},
    )

    assert not form.is_valid()
    assert "cover_image" in form.errors
