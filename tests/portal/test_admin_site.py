"""The secretariat's admin: its home of what needs doing, its look, its lists and forms,
the Markdown preview, and where staff land after signing in.

Emma (editor) and Mark (manager) are secretariat staff; Minh (member) submitted the
practices; Victor is staff who may only view best practices.
"""

import datetime
from datetime import UTC

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from activities.models import Activity
from apap_portal.landing import landing_url
from knowledge.models import BestPractice
from tests.factories import ActivityFactory, BestPracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = "/admin/"
PREVIEW = "/admin/markdown-preview/"
PASSWORD = "a long and careful passphrase"


def submitted(member, day: int, **kwargs) -> BestPractice:
    return BestPracticeFactory(
        organization=member.organization,
        submitted_by=member,
        status="submitted",
        published_at=None,
        submitted_at=datetime.datetime(2025, 3, day, tzinfo=UTC),
        **kwargs,
    )


def upcoming(days_ahead: int, **kwargs) -> Activity:
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return ActivityFactory(start_date=start, status="planned", **kwargs)


# The home


def test_the_home_shows_what_waits_for_review_oldest_first(editor_client, member):
    submitted(member, day=20, title="Snow leopard monitoring")
    submitted(member, day=2, title="Ranger training in Cuc Phuong")
    BestPracticeFactory(title="Already published")

    page = editor_client.get(HOME)

    assert page.status_code == 200
    text = page.text
    assert "2 submissions waiting for review" in text
    assert text.index("Ranger training in Cuc Phuong") < text.index("Snow leopard monitoring")
    assert "Already published" not in text
    # How long each has waited, counted from its submission.
    assert '<time datetime="2025-03-02' in text
    assert 'href="/admin/knowledge/bestpractice/review/"' in text


def test_the_home_counts_every_waiting_submission_beyond_those_it_lists(editor_client, member):
    for day in range(1, 12):
        submitted(member, day=day)

    page = editor_client.get(HOME)

    assert "11 submissions waiting for review" in page.text
    assert len(page.context["waiting"]) == 8


def test_the_home_lists_the_coming_activities_soonest_first(editor_client):
    upcoming(40, title="Members' webinar on OECMs")
    upcoming(5, title="Steering committee meeting")
    ActivityFactory(title="A workshop long past", start_date=datetime.date(2019, 5, 1))
    cancelled = upcoming(3, title="A cancelled visit")
    Activity.objects.filter(pk=cancelled.pk).update(status="cancelled")

    text = editor_client.get(HOME).text

    assert text.index("Steering committee meeting") < text.index("Members&#x27; webinar on OECMs")
    assert "A workshop long past" not in text
    assert "A cancelled visit" not in text


def test_the_home_shows_everyone_s_recent_edits_and_the_reports(editor_client, manager, member):
    practice = submitted(member, day=3, title="Ranger training")
    LogEntry.objects.log_actions(
        user_id=manager.pk,
        queryset=[practice],
        action_flag=CHANGE,
        change_message="Published; the submitter was emailed.",
        single_object=True,
    )

    text = editor_client.get(HOME).text

    recent = text.split('id="recent-edits-heading"')[1]
    assert f'href="/admin/knowledge/bestpractice/{practice.pk}/change/">Ranger training</a>' in (
        recent
    )
    assert "mark" in recent  # who made the edit: another member of the secretariat
    assert 'href="/reports/funding-proposals/"' in text
    assert 'href="/reports/cooperation/"' in text


def test_staff_see_only_the_parts_their_permissions_open(client, manager, member):
    practice = submitted(member, day=1, title="Ranger training")
    activity = upcoming(5, title="Steering committee meeting")
    for record in (practice, activity):
        LogEntry.objects.log_actions(
            user_id=manager.pk, queryset=[record], action_flag=CHANGE, single_object=True
        )
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_bestpractice"))
    client.force_login(viewer)

    text = client.get(HOME).text

    assert "1 submission waiting for review" in text
    assert "Steering committee meeting" not in text  # neither coming up nor among the edits
    assert "/reports/funding-proposals/" not in text
    recent = text.split('id="recent-edits-heading"')[1]
    assert "Ranger training" in recent


def test_an_app_s_page_lists_its_records_only(editor_client, member):
    submitted(member, day=1, title="Ranger training")

    page = editor_client.get("/admin/knowledge/")

    assert page.status_code == 200
    assert "waiting for review" not in page.text
    assert "All records" not in page.text
    assert 'href="/admin/knowledge/bestpractice/"' in page.text


def test_the_admin_wears_apap_s_colours(editor_client):
    text = editor_client.get(HOME).text

    assert '<link rel="stylesheet" href="/static/css/admin.css">' in text
    assert 'class="apap-brand"' in text
    assert "APAP secretariat" in text
    assert "<h1>What needs doing</h1>" in text


@pytest.mark.parametrize("rows", [2, 20])
def test_home_query_count_does_not_grow(
    editor_client, editor, member, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue on the submissions, activities and edits listed."""
    content_type = ContentType.objects.get_for_model(BestPractice)
    for number in range(rows):
        practice = submitted(member, day=number % 28 + 1)
        upcoming(number + 1)
        LogEntry.objects.create(
            user=editor,
            content_type=content_type,
            object_id=str(practice.pk),
            object_repr=practice.title,
            action_flag=CHANGE,
        )
    # 1. savepoint  2. session  3. user  4.-5. the user's permissions, own and from groups
    # 6. how many emails failed  7. the oldest waiting submissions  8. how many wait
    # 9. how many members' profile changes wait  10. how many account requests wait
    # 11. the coming activities  12. the recent edits with their users and content types
    # 13. release savepoint
    with django_assert_num_queries(13):
        response = editor_client.get(HOME)
    assert len(response.context["recent_edits"]) == min(rows, 8)


# Lists and forms


def test_lists_show_the_columns_of_the_work_with_long_titles_cut(editor_client, member):
    long_title = "Collaborative management of a transboundary wetland " * 3
    submitted(member, day=1, title=long_title.strip())
    ActivityFactory(title="Regional workshop on management effectiveness evaluation")

    practices = editor_client.get("/admin/knowledge/bestpractice/")
    activities = editor_client.get("/admin/activities/activity/")

    # Beside the filters, within 1280 px: the checkbox, five columns each, and the chips of
    # the record's translations beside its title (tests/translations/test_admin.py).
    assert [column.__name__ if callable(column) else column
            for column in practices.context["cl"].list_display] == [
        "action_checkbox", "title_column", "translations_column", "organization__name_column",
        "status", "submitted_on", "published_on",
    ]  # fmt: skip
    assert [column.__name__ if callable(column) else column
            for column in activities.context["cl"].list_display] == [
        "action_checkbox", "title_column", "translations_column", "kind", "start_date", "place",
        "status",
    ]  # fmt: skip
    assert f'<span class="apap-truncate" title="{long_title.strip()}">' in practices.text
    assert 'class="apap-truncate" title="Regional workshop on management effectiveness' in (
        activities.text
    )


def test_the_change_form_starts_with_the_review_and_previews_markdown(editor_client, member):
    practice = submitted(member, day=1)

    text = editor_client.get(f"/admin/knowledge/bestpractice/{practice.pk}/change/").text

    assert text.index("Review and publishing") < text.index("The best practice")
    assert '<input type="text" name="title"' in text
    assert '<textarea name="title"' not in text
    assert 'data-markdown-preview="/admin/markdown-preview/"' in text
    assert "/static/js/admin-markdown-preview.js" in text
    assert "<script>" not in text  # no inline script (the content security policy)


# The Markdown preview


def test_the_preview_renders_markdown_as_the_site_does_and_sanitised(editor_client):
    response = editor_client.post(
        PREVIEW,
        {"text": "**Rangers** patrol.\n\n<script>alert(1)</script>[x](javascript:alert(1))"},
    )

    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Rangers</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_the_preview_refuses_too_long_a_text_with_a_message(editor_client):
    response = editor_client.post(PREVIEW, {"text": "a" * 100_001})

    assert response.status_code == 400
    assert "too long" in response.json()["error"]


def test_the_preview_is_for_staff_and_checks_csrf(member, editor):
    member_client = Client()
    member_client.force_login(member)
    assert member_client.post(PREVIEW, {"text": "hi"}).status_code == 302

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(PREVIEW, {"text": "hi"}).status_code == 403


# Where staff land after signing in


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("editor", "/admin/knowledge/bestpractice/review/"),
        ("manager", "/admin/knowledge/bestpractice/review/"),
        ("member", "/my/"),
    ],
)
def test_each_persona_lands_at_their_work_after_signing_in(client, request, persona, landing):
    user = request.getfixturevalue(persona)
    user.set_password(PASSWORD)
    user.save()

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == landing


def test_staff_who_do_not_review_land_on_the_admin_home(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_bestpractice"))

    assert landing_url(viewer) == "/admin/"


def test_the_admin_s_own_sign_in_also_leads_to_the_landing_page(client, editor):
    editor.set_password(PASSWORD)
    editor.save()

    form = client.get("/admin/login/")
    assert '<input type="hidden" name="next" value="/admin/landing/">' in form.text
    response = client.post(
        "/admin/login/",
        {"username": editor.username, "password": PASSWORD, "next": "/admin/landing/"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/admin/knowledge/bestpractice/review/"
    # With a `next` of its own, the admin's sign-in goes there, as before.
    client.logout()
    asked = client.get("/admin/login/", {"next": "/admin/activities/activity/"})
    assert 'name="next" value="/admin/activities/activity/"' in asked.text


def test_a_safe_next_comes_before_the_landing_page(client, editor):
    editor.set_password(PASSWORD)
    editor.save()

    response = client.post(
        "/accounts/login/",
        {"username": editor.username, "password": PASSWORD, "next": "/reports/cooperation/"},
    )

    assert response["Location"] == "/reports/cooperation/"
