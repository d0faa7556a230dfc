"""Uploaded files: refused when they could be active, and served so they cannot run.

Minh (member_client) uploads a cover image with his best practice; Mark (manager_client)
adds resources in the admin. What the portal serves under /media/ (in development, or
with SERVE_MEDIA) is never sniffed by browsers, and only raster images show inline.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge.models import BestPractice, Resource
from tests.knowledge.test_submission import TWO_BLOCKS, image_upload, practice_data
from tests.portal.test_settings import manage

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def put(media_root, path: str, content: bytes = b"content") -> None:
    target = media_root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


# How files are served


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("best-practices/2024/cover.jpg", "image/jpeg"),
        ("best-practices/2024/cover.png", "image/png"),
        ("stories/2024/photo.webp", "image/webp"),
    ],
)
def test_images_show_inline_and_are_never_sniffed(client, media_root, path, content_type):
    put(media_root, path)

    response = client.get(f"/media/{path}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize(
    "path",
    [
        "resources/2015/guidelines.pdf",
        "resources/2015/report.docx",
        "resources/2015/figures.csv",
        "resources/2015/drawing.svg",
        "resources/2015/page.html",
        "resources/2015/no-extension",
        "resources/2015/archive.tar.gz",
    ],
)
def test_every_other_file_is_a_download(client, media_root, path):
    put(media_root, path, HTML_PAGE)

    response = client.get(f"/media/{path}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in response["Content-Type"]
    # Should a browser open it all the same, it runs nothing.
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_file_name_in_any_script_downloads_under_its_name(client, media_root):
    put(media_root, "resources/2023/báo cáo hội thảo.pdf")

    response = client.get("/media/resources/2023/báo cáo hội thảo.pdf")

    assert response.status_code == 200
    assert "filename*=utf-8''b%C3%A1o%20c%C3%A1o" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "path",
    [
        "../apap_portal/settings.py",
        "%2e%2e/%2e%2e/etc/passwd",
        "resources/../../etc/passwd",
        "resources/..%2f..%2fetc/passwd",
        "/etc/passwd",
        "resources\\..\\..\\etc\\passwd",
        ".env",
        "resources/.hidden",
        "resources",
        "resources/2015/missing.pdf",
        "resources/2015/guidelines.pdf%00.png",
    ],
)
def test_nothing_outside_the_media_folder_nor_hidden_is_served(client, media_root, path):
    put(media_root, "resources/2015/guidelines.pdf")
    put(media_root, ".env", b"DJANGO_SECRET_KEY=secret")
    put(media_root, "resources/.hidden", b"secret")

    response = client.get(f"/media/{path}")

    assert response.status_code == 404


def test_files_are_read_not_posted(client, media_root):
    put(media_root, "resources/2015/guidelines.pdf")

    assert client.head("/media/resources/2015/guidelines.pdf").status_code == 200
    assert client.post("/media/resources/2015/guidelines.pdf").status_code == 405


@pytest.mark.parametrize(
    ("serve_media", "served"),
    [({"DJANGO_DEBUG": "false"}, False), ({"DJANGO_DEBUG": "false", "SERVE_MEDIA": "true"}, True)],
)
def test_production_leaves_media_to_the_web_server_unless_told(serve_media, served):
    code = (
        "from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/media/resources/x.pdf'); print('served')\n"
        "except Resolver404:\n    print('not served')\n"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_SECRET_KEY="x7Gq2-Lk9vP0sZrT4mWc8bYhN1dJfA6eUuQiRoE3tS5yKaXlCwVnBgMjHpDzF_0",
        DJANGO_ALLOWED_HOSTS="apap.example.org",
        **serve_media,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == ("served" if served else "not served")


# Uploads through the real forms


@pytest.mark.parametrize(
    ("name", "content"),
    [("cover.svg", SVG_WITH_SCRIPT), ("cover.png", SVG_WITH_SCRIPT), ("cover.jpg", HTML_PAGE)],
)
def test_a_member_cannot_upload_markup_as_a_cover_image(member_client, media_root, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/svg+xml")

    response = member_client.post(
        "/knowledge/best-practices/submit/",
        practice_data(blocks=TWO_BLOCKS, cover_image=upload, cover_image_alt="A drawing"),
    )

    assert response.status_code == 200
    assert "cover_image" in response.context["form"].errors
    assert not BestPractice.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_member_uploads_a_real_image_and_it_is_served_inline(
    member_client, client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/knowledge/best-practices/submit/",
            practice_data(
                blocks=TWO_BLOCKS, cover_image=image_upload(), cover_image_alt="Rangers on patrol"
            ),
        )
    assert response.status_code == 302

    cover = BestPractice.objects.get().cover_image
    served = client.get(cover.url)

    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content"),
    [("guidelines.pdf", HTML_PAGE), ("drawing.svg", SVG_WITH_SCRIPT), ("page.html", HTML_PAGE)],
)
def test_the_admin_refuses_markup_as_a_resource_file(manager_client, media_root, name, content):
    response = manager_client.post(
        "/admin/knowledge/resource/add/",
        {
            "kind": "guideline",
            "title": "Guidelines",
            "slug": "guidelines",
            "language": "en",
            "visibility": "public",
            "file": SimpleUploadedFile(name, content, content_type="text/html"),
        },
    )

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Resource.objects.exists()
