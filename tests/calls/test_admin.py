"""The secretariat keeps calls in the admin and reads the members' responses, with CSV."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.urls import reverse

from calls.models import Call
from tests.factories import CallFactory, CallResponseFactory, UserFactory, country

pytestmark = pytest.mark.django_db

MODELS = [model for model in admin.site._registry if model._meta.app_label == "calls"]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records(member):
    call = CallFactory(title="Nominations to the steering committee")
    CallResponseFactory(call=call, user=member, text="We nominate our director.")
    return call


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_search_and_add_pages_load(admin_client, records, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "changelist"), {"q": "steering"}).status_code == 200
    assert admin_client.get(_url(model, "add")).status_code == 200


def test_the_calls_list_counts_responses_and_links_to_them(editor_client, records):
    page = editor_client.get(_url(Call, "changelist"))
    assert page.status_code == 200
    assert f'/admin/calls/callresponse/?call__id__exact={records.pk}">1</a>' in page.text


def test_the_responses_of_a_call_are_listed_and_exported_as_csv(editor_client, records):
    other_call = CallFactory(title="Survey on ranger training")
    colleague = UserFactory(organization=records.responses.get().organization)
    CallResponseFactory(call=other_call, user=colleague)
    url = reverse("admin:calls_callresponse_changelist")
    listed = editor_client.get(url, {"call__id__exact": records.pk})
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == 1

    export = editor_client.post(
        url,
        {"action": "export_csv", "_selected_action": [r.pk for r in records.responses.all()]},
    )

    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Call", "Call deadline", "Organization"]
    assert rows[1][0] == "Nominations to the steering committee"
    assert "We nominate our director." in rows[1]


def test_an_editor_reads_responses_but_cannot_change_or_delete_them(editor_client, records):
    response = records.responses.get()
    assert editor_client.get(_url(type(response), "change", response.pk)).status_code == 200
    assert editor_client.post(_url(type(response), "delete", response.pk)).status_code == 403


def test_the_publish_action_publishes_drafts(editor_client):
    draft = CallFactory(status="draft")
    editor_client.post(
        _url(Call, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Call.Status.PUBLISHED


def call_form(**changes) -> dict:
    data = {
        "title": "Expression of interest: transboundary exchange",
        "slug": "transboundary-exchange",
        "kind": "expression-of-interest",
        "summary": "",
        "body": "",
        "time_zone": "Asia/Kolkata",
        "opens_at_0": "2027-01-01",
        "opens_at_1": "09:00",
        "deadline_0": "2027-01-15",
        "deadline_1": "17:00",
        "eligibility": "all",
        "status": "published",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "reminders-TOTAL_FORMS": "0",
        "reminders-INITIAL_FORMS": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_dates_typed_in_the_admin_are_times_of_the_calls_zone(editor_client):
    answer = editor_client.post(_url(Call, "add"), call_form())
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    call = Call.objects.get()
    assert call.deadline == datetime.datetime(2027, 1, 15, 17, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert call.deadline_label() == "15 January 2027, 17:00 (Asia/Kolkata, UTC+5:30)"
    # Opened again, the form shows the same wall-clock time, not Bangkok's.
    page = editor_client.get(_url(Call, "change", call.pk))
    assert 'value="17:00:00"' in page.text


def test_a_deadline_before_the_opening_and_a_call_for_no_country_are_refused(editor_client):
    answer = editor_client.post(
        _url(Call, "add"),
        call_form(deadline_0="2026-12-01", eligibility="countries", title="Kept title"),
    )
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert errors["deadline"] == ["The deadline must come after the opening."]
    assert "Choose the countries" in errors["countries"][0]
    assert "Kept title" in answer.text
    assert not Call.objects.exists()


def test_a_call_for_chosen_countries_saves_them(editor_client):
    answer = editor_client.post(
        _url(Call, "add"),
        call_form(eligibility="countries", countries=[country("VNM").pk, country("LAO").pk]),
    )
    assert answer.status_code == 302
    assert {c.iso3 for c in Call.objects.get().countries.all()} == {"VNM", "LAO"}
