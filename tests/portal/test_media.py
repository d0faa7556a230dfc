"""Uploaded files: stored under names nobody can guess, served only to those who may see
their record, and served so that they cannot run.

Anna is anonymous; Minh (member_client) uploads a cover image with his best practice;
Oyuna is a member of another agency; Mark (manager_client) adds resources in the admin.
"""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_sendfile.utils import _get_sendfile
from PIL import Image

from activities.models import ActivityDocument
from apap_portal import uploads
from apap_portal.uploads import rename_stored_files
from knowledge.models import BestPractice, Resource
from tests.factories import ActivityFactory, BestPracticeFactory, ResourceFactory, StoryFactory
from tests.knowledge.test_submission import TWO_BLOCKS, image_upload, practice_data
from tests.portal.test_settings import STRONG_KEY, manage

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
RANDOM_NAME = r"[A-Za-z0-9_-]{22}"


def put(media_root, path: str, content: bytes = b"content") -> str:
    target = media_root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return path


def png(size=(8, 6), extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (34, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue() + extra


# Who may read a file: the rule of its record


def _files_of_each_kind(media_root, member_org) -> dict[str, tuple[str, dict[str, int]]]:
    """A file of each kind of record in each visibility, and who gets it (status codes)."""
    everyone = {"anonymous": 200, "member": 200, "other member": 200, "editor": 200}
    members = {"anonymous": 302, "member": 200, "other member": 200, "editor": 200}
    own_draft = {"anonymous": 404, "member": 200, "other member": 404, "editor": 200}
    staff_only = {"anonymous": 404, "member": 404, "other member": 404, "editor": 200}

    def resource(visibility):
        name = put(media_root, f"resources/2026/{visibility}.pdf", PDF)
        ResourceFactory(title=f"{visibility} report", file=name, visibility=visibility)
        return name

    def document(visibility):
        name = put(media_root, f"activities/documents/2026/{visibility}.pdf", PDF)
        activity = ActivityFactory(title=f"{visibility} workshop", visibility=visibility)
        ActivityDocument.objects.create(activity=activity, title="Report", file=name)
        return name

    def cover(visibility, status="published"):
        name = put(media_root, f"best-practices/2026/{visibility}-{status}.png", png())
        BestPracticeFactory(
            title=f"{visibility} {status}",
            cover_image=name,
            visibility=visibility,
            status=status,
            organization=member_org,
        )
        return name

    def story_image(visibility, published=True):
        name = put(media_root, f"stories/2026/{visibility}-{published}.png", png())
        StoryFactory(
            title=f"{visibility} {published}",
            image=name,
            visibility=visibility,
            **({} if published else {"published_at": None}),
        )
        return name

    return {
        "public resource": (resource("public"), everyone),
        "members-only resource": (resource("members"), members),
        "public activity's document": (document("public"), everyone),
        "members-only activity's document": (document("members"), members),
        "public best practice's cover": (cover("public"), everyone),
        "members-only best practice's cover": (cover("members"), members),
        "draft best practice's cover": (cover("public", "draft"), own_draft),
        "public story's image": (story_image("public"), everyone),
        "members-only story's image": (story_image("members"), members),
        "unpublished story's image": (story_image("public", published=False), staff_only),
    }


def test_each_file_answers_each_persona_as_its_record_does(
    media_root, member_org, client, member_client, other_member_client, editor_client
):
    personas = {
        "anonymous": client,
        "member": member_client,
        "other member": other_member_client,
        "editor": editor_client,
    }
    for kind, (name, expected) in _files_of_each_kind(media_root, member_org).items():
        answers = {persona: c.get(f"/media/{name}").status_code for persona, c in personas.items()}
        assert answers == expected, kind


def test_an_anonymous_visitor_is_asked_to_sign_in_for_a_members_only_file(client, media_root):
    name = put(media_root, "resources/2026/secret.pdf", PDF)
    ResourceFactory(file=name, visibility="members")
    response = client.get(f"/media/{name}")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/media/{name}"


def test_a_file_no_record_holds_is_not_found_even_for_members(member_client, media_root):
    """Guessing finds nothing: only names a record holds are served."""
    put(media_root, "resources/2026/members-secret-report.pdf", PDF)
    assert member_client.get("/media/resources/2026/members-secret-report.pdf").status_code == 404


# How files are served


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("cover.jpg", "image/jpeg"), ("cover.png", "image/png"), ("photo.webp", "image/webp")],
)
def test_images_show_inline_and_are_never_sniffed(client, media_root, path, content_type):
    name = put(media_root, f"stories/2024/{path}")
    StoryFactory(image=name)

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, max-age=3600"


@pytest.mark.parametrize(
    "path",
    ["guidelines.pdf", "report.docx", "figures.csv", "drawing.svg", "page.html", "no-extension"],
)
def test_every_other_file_is_a_download(client, media_root, path):
    """Names like page.html are what files stored before content checks could be called."""
    name = put(media_root, f"resources/2015/{path}", HTML_PAGE)
    ResourceFactory(file=name)

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "html" not in response["Content-Type"]
    assert "svg" not in response["Content-Type"]
    # Should a browser open it all the same, it runs nothing.
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_file_downloads_under_the_name_it_was_uploaded_with(client, media_root):
    name = put(media_root, f"resources/2023/{'a' * 22}.pdf", PDF)
    ResourceFactory(file=name, file_name="báo cáo hội thảo.pdf")

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert (
        "filename*=UTF-8''b%C3%A1o%20c%C3%A1o%20h%E1%BB%99i%20th%E1%BA%A3o.pdf"
        in (response["Content-Disposition"])
    )


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
    ResourceFactory(file=put(media_root, "resources/2015/guidelines.pdf"))
    put(media_root, ".env", b"DJANGO_SECRET_KEY=secret")
    put(media_root, "resources/.hidden", b"secret")

    response = client.get(f"/media/{path}")

    assert response.status_code == 404


def test_files_are_read_not_posted(client, media_root):
    name = put(media_root, "resources/2015/guidelines.pdf")
    ResourceFactory(file=name)

    assert client.head(f"/media/{name}").status_code == 200
    assert client.post(f"/media/{name}").status_code == 405


@pytest.fixture
def sendfile_backend(settings):
    """Set the backend of django-sendfile2, which remembers the one it loaded first."""

    def use(backend: str) -> None:
        settings.SENDFILE_BACKEND = backend
        _get_sendfile.cache_clear()

    yield use
    _get_sendfile.cache_clear()


def test_behind_nginx_the_web_server_sends_the_bytes(client, media_root, sendfile_backend):
    """X-Accel-Redirect to the internal location of the README's nginx section."""
    sendfile_backend("django_sendfile.backends.nginx")
    name = put(media_root, "resources/2026/report.pdf", PDF)
    ResourceFactory(file=name, file_name="Report.pdf")

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="Report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({}, "django_sendfile.backends.simple"),
        ({"MEDIA_SERVER": "nginx"}, "django_sendfile.backends.nginx"),
        ({"MEDIA_SERVER": "apache"}, "django_sendfile.backends.xsendfile"),
    ],
)
def test_who_sends_the_bytes_is_configured(environment, backend):
    code = "from django.conf import settings; print(settings.SENDFILE_BACKEND)"
    result = manage("shell", "--no-imports", "-c", code, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == backend


def test_an_unknown_media_server_refuses_to_start():
    result = manage("check", MEDIA_SERVER="lighttpd")
    assert result.returncode != 0
    assert "MEDIA_SERVER must be one of django, nginx, apache" in result.stderr


# On S3-compatible storage: a signed URL that works for a few minutes


def test_on_s3_a_visitor_who_may_read_is_sent_to_a_short_lived_signed_url(
    client, s3_storage, member_client
):
    resource = ResourceFactory(visibility="members", file=None, url="https://example.org")
    resource.file.save("Báo cáo.pdf", ContentFile(PDF, name="Báo cáo.pdf"))
    assert re.fullmatch(rf"resources/\d{{4}}/{RANDOM_NAME}\.pdf", resource.file.name)

    assert client.get(f"/media/{resource.file.name}").status_code == 302  # to sign in
    response = member_client.get(f"/media/{resource.file.name}")

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://apap-media.s3.amazonaws.com/resources/")
    assert "X-Amz-Expires=300" in location
    assert "X-Amz-Signature=" in location
    assert "response-content-disposition=attachment" in location
    assert "B%25C3%25A1o%2520c%25C3%25A1o.pdf" in location  # the uploader's name, encoded


# Stored names


def test_an_upload_is_stored_under_a_random_name_with_the_detected_extension(
    manager_client, media_root
):
    """A PDF called page.html is stored as .pdf; its uploader's name is kept apart."""
    response = manager_client.post(
        "/admin/knowledge/resource/add/",
        {
            "kind": "guideline",
            "title": "Guidelines",
            "slug": "guidelines",
            "language": "en",
            "visibility": "members",
            "file": SimpleUploadedFile("members-secret-report.html", PDF),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get()
    assert re.fullmatch(rf"resources/\d{{4}}/{RANDOM_NAME}\.pdf", resource.file.name)
    assert resource.file_name == "members-secret-report.html"
    assert (media_root / resource.file.name).read_bytes() == PDF
    assert not list(media_root.rglob("members-secret-report*"))


def test_an_image_is_stored_without_what_was_appended_to_it(member_client, media_root):
    payload = b"<html><script>alert(document.domain)</script></html>"
    upload = SimpleUploadedFile("cover.png", png((40, 30), extra=payload), "image/png")

    response = member_client.post(
        "/knowledge/best-practices/submit/",
        practice_data(blocks=TWO_BLOCKS, cover_image=upload, cover_image_alt="Rangers"),
    )

    assert response.status_code == 302
    stored = (media_root / BestPractice.objects.get().cover_image.name).read_bytes()
    assert payload not in stored
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert image.size == (40, 30)


# Sizes: refused before they are written


class ChunksPassedOn:
    """Counts the bytes the capped handler lets through to the handlers that store them."""

    def __init__(self, monkeypatch):
        self.largest = 0
        original = uploads.CappedUploadHandler.receive_data_chunk

        def counting(handler, raw_data, start):
            passed = original(handler, raw_data, start)
            if passed is not None:
                self.largest = max(self.largest, start + len(passed))
            return passed

        monkeypatch.setattr(uploads.CappedUploadHandler, "receive_data_chunk", counting)


def test_a_file_over_the_largest_limit_is_refused_and_not_kept(
    manager_client, media_root, monkeypatch
):
    """Its bytes past the cap are read and dropped; the form says how large it was."""
    monkeypatch.setattr(uploads, "UPLOAD_MAX_BYTES", 1024 * 1024)
    monkeypatch.setattr(uploads, "DOCUMENT_MAX_BYTES", 1024 * 1024)
    passed = ChunksPassedOn(monkeypatch)
    big = PDF + b"0" * (3 * 1024 * 1024)

    response = manager_client.post(
        "/admin/knowledge/resource/add/",
        {
            "kind": "guideline",
            "title": "Guidelines typed in full",
            "slug": "guidelines",
            "language": "en",
            "visibility": "public",
            "file": SimpleUploadedFile("huge.pdf", big),
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert errors == ["The file is 3.0\xa0MB; the limit is 1.0\xa0MB."]
    assert 'value="Guidelines typed in full"' in response.text  # nothing typed is lost
    assert passed.largest <= 1024 * 1024
    assert not Resource.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_body_larger_than_any_upload_has_nothing_written(member_client, media_root, monkeypatch):
    """Its Content-Length says it cannot be accepted: not one byte of the file is kept."""
    monkeypatch.setattr(uploads, "UPLOAD_MAX_BYTES", 1024 * 1024)
    monkeypatch.setattr(uploads, "IMAGE_MAX_BYTES", 1024 * 1024)
    monkeypatch.setattr(uploads, "FORM_FIELDS_MAX_BYTES", 1024 * 1024)
    passed = ChunksPassedOn(monkeypatch)
    upload = SimpleUploadedFile("cover.png", png() + b"0" * (3 * 1024 * 1024), "image/png")

    response = member_client.post(
        "/knowledge/best-practices/submit/",
        practice_data(blocks=TWO_BLOCKS, cover_image=upload, cover_image_alt="Big"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["cover_image"] == [
        "The file is 3.0\xa0MB; the limit is 1.0\xa0MB."
    ]
    assert passed.largest == 0
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_an_image_over_its_limit_is_refused_before_it_is_read(member_client, media_root):
    upload = SimpleUploadedFile("cover.png", png() + b"0" * (6 * 1024 * 1024), "image/png")
    response = member_client.post(
        "/knowledge/best-practices/submit/",
        practice_data(blocks=TWO_BLOCKS, cover_image=upload, cover_image_alt="Big"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cover_image"] == [
        "The file is 6.0\xa0MB; the limit is 5.0\xa0MB."
    ]


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


def test_a_member_uploads_a_real_image_and_sees_it_while_it_is_reviewed(
    member_client, client, media_root
):
    response = member_client.post(
        "/knowledge/best-practices/submit/",
        practice_data(
            blocks=TWO_BLOCKS, cover_image=image_upload(), cover_image_alt="Rangers on patrol"
        ),
    )
    assert response.status_code == 302

    cover = BestPractice.objects.get().cover_image
    served = member_client.get(cover.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    # Not published yet: the public does not see it, nor its image.
    assert client.get(cover.url).status_code == 404


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


def test_an_activity_document_must_be_a_document(manager_client, media_root):
    activity = ActivityFactory()
    document = ActivityDocument(activity=activity, title="Agenda")
    document.file = SimpleUploadedFile("agenda.pdf", HTML_PAGE)
    with pytest.raises(Exception, match="Upload a PDF"):
        document.full_clean()


# Files stored before names were random (the data migrations)


def test_old_files_get_random_names_and_lose_nothing(
    media_root, django_capture_on_commit_callbacks
):
    """Run with the models of the migration itself, as `migrate` does."""
    old_pdf = put(media_root, "resources/2026/members-secret-report.pdf", PDF)
    old_html = put(media_root, "resources/2026/old-page.html", HTML_PAGE)
    cover = put(media_root, "best-practices/2026/cover.png", png(extra=b"<script>"))
    secret = ResourceFactory(title="Secret", file=old_pdf, visibility="members")
    page = ResourceFactory(title="Page", file=old_html)
    missing = ResourceFactory(title="Missing", file="resources/2026/not-there.pdf")
    practice = BestPracticeFactory(cover_image=cover)
    state = MigrationExecutor(connection).loader.project_state(
        ("knowledge", "0010_rename_stored_files")
    )

    with django_capture_on_commit_callbacks(execute=True):
        counts = rename_stored_files(
            state.apps.get_model("knowledge", "Resource"),
            "file",
            kind="document",
            original_name_field="file_name",
        )
        rename_stored_files(
            state.apps.get_model("knowledge", "BestPractice"), "cover_image", kind="image"
        )

    assert counts == {"renamed": 1, "undetected": 1, "missing": 1}
    secret.refresh_from_db()
    page.refresh_from_db()
    missing.refresh_from_db()
    practice.refresh_from_db()
    assert re.fullmatch(rf"resources/2026/{RANDOM_NAME}\.pdf", secret.file.name)
    assert secret.file_name == "members-secret-report.pdf"
    assert (media_root / secret.file.name).read_bytes() == PDF
    assert re.fullmatch(rf"resources/2026/{RANDOM_NAME}\.bin", page.file.name)
    assert (media_root / page.file.name).read_bytes() == HTML_PAGE  # kept, as a download
    assert missing.file.name == "resources/2026/not-there.pdf"
    assert re.fullmatch(rf"best-practices/2026/{RANDOM_NAME}\.png", practice.cover_image.name)
    assert b"<script>" not in (media_root / practice.cover_image.name).read_bytes()
    # The old names are gone: guessing them finds nothing.
    assert not (media_root / old_pdf).exists()
    assert not (media_root / old_html).exists()
    assert not (media_root / cover).exists()


def test_a_failed_migration_deletes_no_old_file(media_root):
    """The old files go only once the migration's transaction commits."""
    old = put(media_root, "resources/2026/report.pdf", PDF)
    ResourceFactory(file=old)
    rename_stored_files(Resource, "file", kind="document", original_name_field="file_name")
    # The test's transaction never commits: the old file is still there.
    assert (media_root / old).read_bytes() == PDF


def test_the_production_settings_keep_media_behind_the_portal():
    """No setting serves /media/ past the checks: the route is there in production too."""
    code = (
        "from django.urls import resolve\n"
        "print(resolve('/media/resources/x.pdf').func.__module__)\n"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="apap.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "apap_portal.media"
