"""The demo data: what a newcomer sees after `make run`, loadable any number of times."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from demo.members import (
    DEMO_MEMBER_PASSWORD,
    DEMO_MEMBER_USERNAME,
    DEMO_STAFF_PASSWORD,
    DEMO_STAFF_USERNAME,
)
from members.models import (
    Membership,
    Organization,
    ProtectedArea,
    TransboundaryArea,
    User,
)
from tests.factories import ProtectedAreaFactory

pytestmark = pytest.mark.django_db


def signs_in(client: Client, username: str, password: str) -> bool:
    """Through the sign-in page, as a person does (django-axes watches every attempt)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


DEMO_MODELS = [
    Organization,
    Membership,
    ProtectedArea,
    TransboundaryArea,
    TransboundaryArea.protected_areas.through,
    User,
]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of the demo's tables, every column (updated_at and password included)."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


def test_loading_twice_changes_nothing(demo):
    first = snapshot()

    output = load_demo()

    assert snapshot() == first
    assert "0 created, 0 updated" in output
    assert {model: len(rows) for model, rows in first.items()} == {
        "members.Organization": 14,
        "members.Membership": 11,
        "members.ProtectedArea": 13,
        "members.TransboundaryArea": 1,
        "members.TransboundaryArea_protected_areas": 2,
        "members.User": 2,
    }


def test_loading_again_leaves_every_updated_at_alone(demo):
    stamps = {
        model: dict(model.objects.values_list("slug", "updated_at"))
        for model in (Organization, ProtectedArea, TransboundaryArea)
    }

    load_demo()

    for model, before in stamps.items():
        assert dict(model.objects.values_list("slug", "updated_at")) == before


def test_loading_again_restores_an_edited_fact_and_only_that_record(demo):
    ProtectedArea.objects.filter(slug="chitwan-national-park").update(description="")
    untouched = ProtectedArea.objects.get(slug="shiretoko").updated_at

    load_demo()

    chitwan = ProtectedArea.objects.get(slug="chitwan-national-park")
    assert "one-horned rhinoceros" in chitwan.description
    assert ProtectedArea.objects.get(slug="shiretoko").updated_at == untouched


def test_loading_again_keeps_a_changed_password(demo):
    member = User.objects.get(username=DEMO_MEMBER_USERNAME)
    member.set_password("a passphrase the member chose")
    member.save()

    load_demo()

    assert signs_in(Client(), DEMO_MEMBER_USERNAME, "a passphrase the member chose")


def test_protected_areas_have_wdpa_ids_only_where_verified(demo):
    assert ProtectedArea.objects.get(name="Chitwan National Park").wdpa_id == 10905
    assert dict(
        ProtectedArea.objects.filter(wdpa_id__isnull=False).values_list("slug", "wdpa_id")
    ) == {
        "chitwan-national-park": 10905,
        "shiretoko": 902482,
        "dong-phayayen-khao-yai-forest-complex": 902480,
    }


def test_an_imported_wdpa_record_is_completed_not_duplicated():
    ProtectedAreaFactory(
        wdpa_id=10905, name="Chitwan", slug="chitwan-from-wdpa", latitude=None, longitude=None
    )

    load_demo()

    chitwan = ProtectedArea.objects.get(wdpa_id=10905)
    assert chitwan.slug == "chitwan-from-wdpa"
    assert chitwan.name == "Chitwan National Park"
    assert ProtectedArea.objects.count() == 13


def test_sundarbans_transboundary_area_joins_bangladesh_and_india(demo):
    sundarbans = TransboundaryArea.objects.get(slug="sundarbans")

    assert sorted(sundarbans.protected_areas.values_list("country__iso3", flat=True)) == [
        "BGD",
        "IND",
    ]
    assert sundarbans.description


def test_every_located_protected_area_lies_in_asia(demo):
    located = ProtectedArea.objects.with_location()

    assert located.count() == ProtectedArea.objects.count()
    for area in located:
        assert -11 <= area.latitude <= 56, area
        assert 25 <= area.longitude <= 150, area


def test_cuc_phuong_keeps_its_local_script_name(demo):
    cuc_phuong = ProtectedArea.objects.get(slug="cuc-phuong-national-park")

    assert cuc_phuong.name == "Cúc Phương National Park"
    assert cuc_phuong.original_name == "Vườn quốc gia Cúc Phương"
    assert cuc_phuong.country.iso3 == "VNM"


def test_members_and_partners(demo):
    icimod = Organization.objects.get(acronym="ICIMOD")
    assert icimod.country is None
    assert icimod.membership.category == Membership.Category.ASSOCIATE
    assert Membership.objects.filter(status=Membership.Status.ACTIVE).count() == 11
    # The chair and the cooperation partner are organizations, not member agencies.
    assert not Organization.objects.members().filter(acronym__in=["IUCN ARO", "NBCA"]).exists()
    bhutan = Membership.objects.get(organization__country__iso3="BTN")
    assert str(bhutan.letter_of_intent_on) == "2015-08-28"
    assert bhutan.joined_on is None


def test_joining_dates_keep_the_precision_the_sources_give(demo):
    """DEMO_DATA.md: China "January 2018", ICIMOD "March 2018", VNFOREST and DNP "2019"."""
    joined = {
        membership.organization.acronym or membership.organization.country.iso3: (
            membership.joined_label
        )
        for membership in Membership.objects.select_related("organization__country")
    }
    assert joined["NFGA"] == "January 2018"
    assert joined["ICIMOD"] == "March 2018"
    assert joined["VNFOREST"] == "2019"
    assert joined["DNP"] == "2019"
    assert joined["PAK"] == "3 September 2015"
    # No date is invented where the sources give none.
    assert joined["MOEJ"] == ""
    assert joined["MoEFCC"] == ""
    china = Membership.objects.get(organization__country__iso3="CHN")
    assert str(china.joined_on) == "2018-01-01"
    assert china.joined_on_precision == "month"


def test_demo_member_can_sign_in_and_belongs_to_vnforest(demo):
    assert signs_in(Client(), DEMO_MEMBER_USERNAME, DEMO_MEMBER_PASSWORD)
    member = User.objects.get(username=DEMO_MEMBER_USERNAME)
    assert member.organization.acronym == "VNFOREST"
    assert member.is_member
    assert not member.is_staff


def test_demo_staff_can_sign_in_to_the_admin(demo):
    client = Client()

    assert signs_in(client, DEMO_STAFF_USERNAME, DEMO_STAFF_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_demo_data_is_refused_where_it_is_not_allowed(settings):
    """Production must never get accounts whose passwords the README publishes."""
    from django.core.management.base import CommandError

    from members.models import User

    settings.ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="DJANGO_ALLOW_DEMO_DATA"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()
