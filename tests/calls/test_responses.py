"""A member responds to a call: text and files, one response each, editable until the deadline."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calls.models import CallResponse
from tests.factories import CallFactory, CallResponseFactory, country

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name: str = "nomination.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def call():
    return CallFactory(title="Nominations to the steering committee")


def respond(client, call, **data):
    return client.post(call.get_absolute_url(), {"text": "", **data})


def test_minh_responds_with_a_text_and_a_file_and_the_secretariat_is_told(
    member_client, member, call, media_root, mailoutbox, run_worker, settings
):
    settings.SECRETARIAT_EMAIL = "secretariat@apap.example"
    answer = respond(
        member_client, call, text="We nominate Ms Lan.", attachments=[pdf(), pdf("cv.pdf")]
    )

    assert answer.status_code == 302
    assert answer["Location"] == f"{call.get_absolute_url()}#response"
    response = CallResponse.objects.get(call=call, user=member)
    assert response.text == "We nominate Ms Lan."
    assert response.organization == member.organization
    assert sorted(response.attachment_names) == ["cv.pdf", "nomination.pdf"]
    run_worker()
    [email] = [message for message in mailoutbox if message.to == ["secretariat@apap.example"]]
    assert "Nominations to the steering committee" in email.subject
    assert member.organization.name in email.body
    assert f"/admin/calls/callresponse/?call__id__exact={call.pk}" in email.body
    page = member_client.get(call.get_absolute_url())
    assert "Thank you: your response was sent to the secretariat." in page.text
    assert "You responded" in page.text


def test_minh_changes_his_response_before_the_deadline_without_a_second_one_or_email(
    member_client, member, call, media_root, mailoutbox, run_worker
):
    respond(member_client, call, text="First draft.", attachments=[pdf()])
    run_worker()
    emails_before = len(mailoutbox)
    response = CallResponse.objects.get(call=call, user=member)
    [attached] = response.attachments.all()

    answer = respond(
        member_client,
        call,
        text="Final text.",
        loaded_version=response.version,
        remove_attachments=[attached.pk],
    )

    assert answer.status_code == 302
    assert CallResponse.objects.filter(call=call, user=member).count() == 1
    response.refresh_from_db()
    assert response.text == "Final text."
    assert response.attachment_names == []
    run_worker()
    assert len(mailoutbox) == emails_before  # the secretariat is told of new responses only


def test_an_empty_response_is_refused_with_a_message(member_client, call):
    answer = respond(member_client, call, text="   ")
    assert answer.status_code == 400
    assert "This field is required." in answer.text
    assert not CallResponse.objects.exists()


def test_a_bad_file_is_refused_by_name_and_the_text_typed_comes_back(member_client, call):
    script = SimpleUploadedFile("nomination.exe", b"MZ\x90\x00binary", "application/octet-stream")
    answer = respond(member_client, call, text="Our long, careful answer.", attachments=[script])

    assert answer.status_code == 400
    assert "nomination.exe: Upload a PDF" in answer.text
    assert "Our long, careful answer.</textarea>" in answer.text
    assert "choose them again" in answer.text
    assert not CallResponse.objects.exists()


def test_more_than_five_files_are_refused(member_client, call, media_root):
    files = [pdf(f"annex-{number}.pdf") for number in range(6)]
    answer = respond(member_client, call, text="Six annexes.", attachments=files)
    assert answer.status_code == 400
    assert "at most 5 files" in answer.text
    assert "Six annexes.</textarea>" in answer.text


def test_after_the_deadline_the_form_is_closed_and_a_late_text_is_given_back(
    member_client, member, call
):
    CallResponseFactory(call=call, user=member, text="Sent in time.")
    call.opens_at = timezone.now() - datetime.timedelta(days=10)
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save()

    page = member_client.get(call.get_absolute_url())
    assert page.context["respond"] == "closed"
    assert 'name="text"' not in page.text
    assert "responses can no longer be sent or changed" in page.text
    assert "Sent in time." in page.text  # their response, to read

    late = respond(member_client, call, text="A late change.")
    assert late.status_code == 403
    assert "A late change.</textarea>" in late.text  # nothing typed is lost
    assert CallResponse.objects.get().text == "Sent in time."


def test_oyuna_cannot_respond_to_a_call_for_viet_nam(other_member_client):
    call = CallFactory(eligibility="countries", countries=[country("VNM")])
    answer = respond(other_member_client, call, text="From Mongolia.")
    assert answer.status_code == 403
    assert not CallResponse.objects.exists()


def test_anna_is_sent_to_sign_in_and_staff_cannot_respond(client, editor_client, call):
    answer = respond(client, call, text="Anonymous.")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
    assert respond(editor_client, call, text="Staff.").status_code == 403
    assert not CallResponse.objects.exists()


def test_a_form_opened_before_a_colleague_tab_saved_does_not_overwrite_it(
    member_client, member, call
):
    response = CallResponseFactory(call=call, user=member, text="Saved in another tab.")
    stale = response.version
    response.text = "Changed since."
    response.save()
    answer = respond(member_client, call, text="Old tab.", loaded_version=stale)
    assert answer.status_code == 400
    assert "Old tab.</textarea>" in answer.text
    assert CallResponse.objects.get().text == "Changed since."


def test_attachments_are_served_to_their_responder_and_staff_only(
    member_client, other_member_client, client, editor_client, call, media_root
):
    respond(member_client, call, text="With a file.", attachments=[pdf()])
    url = CallResponse.objects.get().attachments.get().file.url

    assert member_client.get(url).status_code == 200
    assert editor_client.get(url).status_code == 200
    assert other_member_client.get(url).status_code == 404
    assert client.get(url).status_code == 404
