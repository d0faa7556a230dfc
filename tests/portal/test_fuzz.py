"""A small, bounded fuzz of the paths that take what anyone sends: uploads and password
resets. Whatever arrives, the answer is a page (a form with its errors, or the usual
redirect), never a server error, and nothing that is not a real document or image is
stored. Hypothesis draws the inputs; the number of examples is fixed and the run is
derandomised, so the suite stays deterministic.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from knowledge.models import Resource

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SIGNATURES = [b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x89PNG\r\n\x1a\n"]
SIGNATURES += [b"\xff\xd8\xff", b"RIFF\x00\x00\x00\x00WEBP", b"<svg", b"<!DOCTYPE html>", b""]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3)).save(buffer, "PNG")
    return buffer.getvalue()


names = st.text(min_size=0, max_size=80).map(
    lambda text: text.replace("\x00", "")
) | st.sampled_from(
    ["report.pdf", "page.html", "x.svg", "a" * 300 + ".pdf", "../../etc/passwd", "cover.png"]
)
bodies = st.builds(
    lambda head, tail, valid: (png() if valid else head) + tail,
    st.sampled_from(SIGNATURES),
    st.binary(max_size=2048),
    st.booleans(),
)


@FUZZ
@given(name=names, body=bodies)
def test_whatever_is_uploaded_the_admin_answers_with_a_page(manager_client, media_root, name, body):
    response = manager_client.post(
        "/admin/knowledge/resource/add/",
        {
            "kind": "guideline",
            "title": "Fuzzed",
            "slug": "fuzzed",
            "language": "en",
            "visibility": "public",
            "file": SimpleUploadedFile(name or "unnamed", body),
        },
    )
    assert response.status_code in (200, 302)
    for resource in Resource.objects.all():
        stored = (media_root / resource.file.name).read_bytes()
        assert stored.startswith((b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")), name
        assert resource.file.name.rsplit(".", 1)[1] in {"pdf", "docx", "doc", "xlsx", "pptx"}
    Resource.objects.all().delete()


@FUZZ
@given(email=st.text(max_size=300) | st.emails())
def test_whatever_is_typed_the_password_reset_answers_with_a_page(client, email):
    response = client.post("/accounts/password-reset/", {"email": email.replace("\x00", "")})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == "/accounts/password-reset/done/"
