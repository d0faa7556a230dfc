"""Two people edit the same record at once: the later save is refused, and says why.

Emma (editor) and Mark (manager) keep the partnership's records in the admin; Minh and
his colleague Lan, of Viet Nam's agency, share best practices in the member form. Each
test opens pages and posts back what a browser would send from them.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from io import StringIO

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.admin import VersionAdmin

from activities.models import Activity, ActivityTranslation, FundingProposal
from apap_portal.editing.locking import VersionCheckedAdmin, VersionedModel
from calls.models import Call, CallResponse, CallTranslation
from knowledge.models import (
    BestPractice,
    BestPracticeTranslation,
    Resource,
    ResourceTranslation,
    Story,
    StoryTranslation,
)
from knowledge.services import best_practice_publish
from members.models import (
    Organization,
    OrganizationTranslation,
    ProfileChange,
    ProtectedArea,
    ProtectedAreaTranslation,
    TransboundaryArea,
)
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    FundingProposalFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    TransboundaryAreaFactory,
    UserFactory,
    country,
)

pytestmark = pytest.mark.django_db


# What a browser sends


class _FormReader(HTMLParser):
    """Reads the fields of one form of a page, as a browser would submit them."""

    def __init__(self, is_wanted) -> None:
        super().__init__(convert_charrefs=True)
        self.is_wanted = is_wanted
        self.in_form = False
        self.in_template = 0
        self.data: dict[str, list[str]] = defaultdict(list)
        self._select: tuple[str, bool, list[list]] | None = None
        self._option: list | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.in_form = self.is_wanted(attributes)
            return
        if tag == "template":  # a pattern for scripts, not part of the form
            self.in_template += 1
            return
        if not self.in_form or self.in_template:
            return
        name = attributes.get("name")
        if "disabled" in attributes or (name is not None and "__prefix__" in name):
            return
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data[name].append(attributes.get("value", "on"))
                return
            self.data[name].append(attributes.get("value", ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes, [])
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), "selected" in attributes, []]
            self._select[2].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "template":
            self.in_template -= 1
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            values = [value if value is not None else "".join(text).strip()
                      for value, selected, text in options if selected]  # fmt: skip
            if not values and not multiple and options:
                first_value, _selected, text = options[0]
                values = [first_value if first_value is not None else "".join(text).strip()]
            self.data[name].extend(values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, chunks = self._textarea
            # A browser drops the line break that follows <textarea>.
            self.data[name].append("".join(chunks).removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option[2].append(data)


def form_data(response, *, form_id: str = "", form_class: str = "") -> dict:
    """What a browser would post from the form with this id (or class) of a page."""

    def is_wanted(attributes: dict) -> bool:
        if form_id:
            return attributes.get("id") == form_id
        return form_class in (attributes.get("class") or "").split()

    reader = _FormReader(is_wanted)
    reader.feed(response.content.decode())
    assert reader.data, f"No form {form_id or form_class} on the page."
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in reader.data.items()
        if values  # a multiple choice with nothing chosen sends nothing
    }


def admin_form_data(response) -> dict:
    """The admin change form of a page, as posted by its "Save" button."""
    opts = response.context["opts"]
    return {**form_data(response, form_id=f"{opts.model_name}_form"), "_save": "Save"}


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def emma(editor):
    editor.first_name, editor.last_name = "Emma", "Wilson"
    editor.save()
    return client_for(editor)


@pytest.fixture
def mark(manager):
    manager.first_name, manager.last_name = "Mark", "Tanaka"
    manager.save()
    return client_for(manager)


# The secretariat, in the admin


def _transboundary_area():
    return TransboundaryAreaFactory(
        protected_areas=[
            ProtectedAreaFactory(country=country("NPL")),
            ProtectedAreaFactory(country=country("IND")),
        ]
    )


def _activity():
    activity = ActivityFactory()
    ActivityOrganizationFactory(activity=activity)
    return activity


def _best_practice():
    practice = BestPracticeFactory()
    BuildingBlockFactory(best_practice=practice)
    return practice


# Each model staff edit, made with what its page needs, and a field they type in.
EDITED = [
    pytest.param(MemberOrganizationFactory, "name", id="organization"),
    pytest.param(ProtectedAreaFactory, "name", id="protectedarea"),
    pytest.param(_transboundary_area, "name", id="transboundaryarea"),
    pytest.param(_activity, "title", id="activity"),
    pytest.param(FundingProposalFactory, "title", id="fundingproposal"),
    pytest.param(_best_practice, "title", id="bestpractice"),
    pytest.param(ResourceFactory, "title", id="resource"),
    pytest.param(StoryFactory, "title", id="story"),
]


@pytest.mark.parametrize(("make", "field"), EDITED)
def test_the_later_of_two_editors_is_refused_and_keeps_what_they_typed(emma, mark, make, field):
    record = make()
    opened_on = record.version
    emmas_page = emma.get(change_url(record))
    marks_page = mark.get(change_url(record))

    emmas_post = {**admin_form_data(emmas_page), field: "As Emma wrote it"}
    assert emma.post(change_url(record), emmas_post).status_code == 302
    marks_post = {**admin_form_data(marks_page), field: "As Mark wrote it"}
    response = mark.post(change_url(record), marks_post)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    verbose_name = record._meta.verbose_name
    assert error.startswith(f"Emma Wilson changed this {verbose_name} on ")
    assert "Nothing you typed was saved" in error
    assert error in response.text
    assert 'value="As Mark wrote it"' in response.text or ">As Mark wrote it<" in response.text
    record.refresh_from_db()
    assert getattr(record, field) == "As Emma wrote it"
    assert record.version == opened_on + 1

    # Saving again does not overwrite Emma's change: Mark has to reload first.
    assert mark.post(change_url(record), marks_post).status_code == 200
    record.refresh_from_db()
    assert getattr(record, field) == "As Emma wrote it"
    reloaded = {**admin_form_data(mark.get(change_url(record))), field: "As Mark wrote it"}
    assert mark.post(change_url(record), reloaded).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "As Mark wrote it"
    assert record.version == opened_on + 2


def test_a_page_to_read_only_carries_no_version(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_protectedarea"))
    client.force_login(viewer)
    area = ProtectedAreaFactory(name="Chitwan National Park")

    page = client.get(change_url(area))

    assert page.status_code == 200
    assert "Chitwan National Park" in page.text
    assert "loaded_version" not in page.text
    assert "Loaded version" not in page.text


def test_a_form_that_does_not_say_its_version_is_refused(emma):
    area = ProtectedAreaFactory(name="Chitwan National Park")
    data = admin_form_data(emma.get(change_url(area)))
    del data["loaded_version"]

    response = emma.post(change_url(area), {**data, "name": "Renamed"})

    assert response.status_code == 200
    assert "This form does not say which version of the protected area" in response.text
    area.refresh_from_db()
    assert area.name == "Chitwan National Park"


def test_a_service_saving_meanwhile_is_noticed_by_an_open_form(emma, mark, member):
    practice = BestPracticeFactory(status="submitted", published_at=None, submitted_by=member)
    marks_page = mark.get(change_url(practice))

    # Emma publishes it from the review queue while Mark's page is open.
    emma.post(
        reverse("admin:knowledge_bestpractice_changelist"),
        {"action": "publish_selected", "_selected_action": [practice.pk]},
    )
    practice.refresh_from_db()
    assert practice.status == "published"
    response = mark.post(change_url(practice), {**admin_form_data(marks_page), "title": "Mine"})

    assert response.status_code == 200
    assert "Emma Wilson changed this best practice on " in response.text
    practice.refresh_from_db()
    assert practice.status == "published"
    assert practice.title != "Mine"


def test_a_wdpa_import_meanwhile_is_noticed_and_named(emma, tmp_path):
    area = ProtectedAreaFactory(name="Chitwan", wdpa_id=10905, country=country("NPL"))
    page = emma.get(change_url(area))
    path = tmp_path / "WDPA_Nov2026.csv"
    path.write_text("WDPAID,NAME,ISO3\n10905,Chitwan National Park,NPL\n", encoding="utf-8")
    call_command("import_wdpa", str(path), stdout=StringIO())

    response = emma.post(change_url(area), {**admin_form_data(page), "description": "Mine"})

    assert response.status_code == 200
    assert "(WDPA import WDPA_Nov2026.csv), after you opened it." in response.text
    area.refresh_from_db()
    assert area.name == "Chitwan National Park"
    assert area.description == ""


def test_every_save_moves_the_version_forward():
    area = ProtectedAreaFactory()
    assert area.version == 1
    area.name = "Renamed"
    area.save()
    assert area.version == 2
    area.save(update_fields=["name"])
    assert area.version == 3
    # Counted by the database: a stale copy saving still counts from the current one.
    stale = ProtectedArea.objects.get(pk=area.pk)
    area.save()
    stale.save()
    assert stale.version == 5
    area.refresh_from_db()
    assert area.version == 5


def test_services_move_the_version_forward(member, editor):
    practice = BestPracticeFactory(status="submitted", published_at=None, submitted_by=member)
    best_practice_publish(practice, editor, base_url="http://testserver/")
    practice.refresh_from_db()
    assert practice.version == 2


def test_every_versioned_model_is_edited_through_version_checked_admins():
    versioned = {model for model in admin.site._registry if issubclass(model, VersionedModel)}
    assert versioned == {
        Organization,
        ProtectedArea,
        TransboundaryArea,
        Activity,
        FundingProposal,
        BestPractice,
        Resource,
        Story,
        # Translations, each locked on its own (tests/translations/test_admin.py).
        ActivityTranslation,
        BestPracticeTranslation,
        OrganizationTranslation,
        ProtectedAreaTranslation,
        ResourceTranslation,
        StoryTranslation,
        # Members' proposed changes to their profile, reviewed by the secretariat.
        ProfileChange,
        # Calls to members, their translations, and members' responses to them.
        Call,
        CallTranslation,
        CallResponse,
    }
    for model in versioned:
        assert isinstance(admin.site._registry[model], VersionCheckedAdmin), model


def test_an_admin_whose_form_does_not_check_versions_fails_the_system_checks():
    class CarelessAdmin(VersionCheckedAdmin, VersionAdmin):
        form = forms.ModelForm

    errors = CarelessAdmin(ProtectedArea, AdminSite()).check()

    assert [error.id for error in errors] == ["locking.E001"]


# Members, in the submission form


def edit_url(practice: BestPractice) -> str:
    return reverse("submissions:bestpractice_edit", kwargs={"slug": practice.slug})


def test_the_later_of_two_members_is_refused_and_keeps_blocks_typed(
    member, member_client, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    member.first_name, member.last_name = "Minh", "Nguyen"
    member.save()
    lan = client_for(UserFactory(username="lan", organization=member_org))
    practice = BestPracticeFactory(
        organization=member_org, status="draft", published_at=None, title="Community patrols"
    )
    BuildingBlockFactory(best_practice=practice, title="Agree patrol routes")
    opened_on = practice.version
    minhs_page = member_client.get(edit_url(practice))
    lans_page = lan.get(edit_url(practice))

    minhs_post = {
        **form_data(minhs_page, form_class="submission-form"),
        "summary": "Minh's summary",
        "action": "draft",
    }
    assert member_client.post(edit_url(practice), minhs_post).status_code == 302
    lans_post = {
        **form_data(lans_page, form_class="submission-form"),
        "summary": "Lan's summary",
        "blocks-0-title": "Lan's first block",
        "blocks-1-title": "Lan's new block",
        "blocks-1-description": "Lan's block description",
        "action": "submit",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = lan.post(edit_url(practice), lans_post)

    assert response.status_code == 200
    text = response.text
    assert "Minh Nguyen changed this best practice on " in text
    assert "Nothing was saved: 1 thing to fix." in text
    for typed in ("Lan&#x27;s summary", "Lan&#x27;s first block", "Lan&#x27;s new block",
                  "Lan&#x27;s block description"):  # fmt: skip
        assert typed in text
    practice.refresh_from_db()
    assert practice.summary == "Minh's summary"
    assert practice.status == "draft"
    assert [block.title for block in practice.building_blocks.all()] == ["Agree patrol routes"]
    assert practice.version == opened_on + 1
    assert mailoutbox == []
