"""A member's responses to calls in the secretariat's export and erasure of their data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reversion.models import Version

from apap_portal import personal_data
from calls.models import CallResponse, CallResponseAttachment
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def minhs_response(member_client, member, media_root):
    call = CallFactory(title="Nominations to the steering committee")
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    member_client.post(
        call.get_absolute_url(), {"text": "We nominate Ms Lan.", "attachments": [pdf]}
    )
    return CallResponse.objects.get(user=member)


def test_the_export_holds_minhs_responses(member, minhs_response):
    [held] = personal_data.export(member.email.upper())["calls"]
    assert held["call"] == "Nominations to the steering committee"
    assert held["text"] == "We nominate Ms Lan."
    assert held["attachments"] == ["letter.pdf"]


def test_erasing_deletes_the_responses_their_files_and_their_history(
    member, minhs_response, media_root, django_capture_on_commit_callbacks
):
    stored = minhs_response.attachments.get().file.name
    assert Version.objects.get_for_object(minhs_response).exists()

    with django_capture_on_commit_callbacks(execute=True):
        erased = personal_data.erase(member.email, by="mark")

    assert erased["calls"] == 1
    assert not CallResponse.objects.exists()
    assert not CallResponseAttachment.objects.exists()
    assert not Version.objects.get_for_object(minhs_response).exists()
    assert not (media_root / stored).exists()
