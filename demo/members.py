"""Demo data of the members section: real facts about APAP (sources: docs/demo-data.md).

`load_members_demo()` can run any number of times: each record is found by its natural
key (slug, WDPA ID, ISO3 code, username) and written only when it is missing or differs
from the facts below, so a second run writes nothing. Where a fact is not known (a WDPA
ID, an exact date, a website, a local-script name), the field stays blank.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import models, transaction

from apap_portal.dates import DatePrecision
from members.models import (
    Country,
    DesignationType,
    IucnCategory,
    Membership,
    Organization,
    ProtectedArea,
    ProtectedAreaStatus,
    Realm,
    TransboundaryArea,
    User,
    Visibility,
)
from members.permissions import MANAGERS

# Demo accounts, for local use only: the README gives these credentials.
DEMO_MEMBER_USERNAME = "demo-member"
DEMO_MEMBER_PASSWORD = "apap-demo-member"
DEMO_STAFF_USERNAME = "demo-staff"
DEMO_STAFF_PASSWORD = "apap-demo-staff"

# Natural keys of organizations loaded here that the other loaders refer to.
MOEJ = "ministry-of-the-environment-japan"
KNPS = "korea-national-park-service"
MOEFCC = "ministry-of-environment-forest-and-climate-change-india"
MOAF_BHUTAN = "ministry-of-agriculture-and-forests-bhutan"
ICIMOD = "international-centre-for-integrated-mountain-development"
VNFOREST = "department-of-protected-forest-management"
DNP_THAILAND = "department-of-national-parks-wildlife-and-plant-conservation"
IUCN_ARO = "iucn-asia-regional-office"
NBCA = "nature-and-biodiversity-conservation-agency"

COUNTRY_MEMBER = Membership.Category.COUNTRY
ASSOCIATE_MEMBER = Membership.Category.ASSOCIATE


def joined(year: int, month: int | None = None) -> dict[str, Any]:
    """A joining date the sources give only to the month or the year, kept at that precision."""
    if month is None:
        return {"joined_on": date(year, 1, 1), "joined_on_precision": DatePrecision.YEAR}
    return {"joined_on": date(year, month, 1), "joined_on_precision": DatePrecision.MONTH}


# Member agencies and partners. "country" is an ISO3 code (None for regional bodies);
# "membership" is absent for organizations that are not APAP members. Dates are given as
# precisely as the sources give them (`joined`), never invented: a member without a date in
# the sources has none. The sources of these facts are listed in docs/demo-data.md.
ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "slug": MOEJ,
        "name": "Ministry of the Environment, Japan",
        "acronym": "MOEJ",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "JPN",
        "website": "https://www.env.go.jp/en/",
        "description": (
            "Japan's Ministry of the Environment was APAP's first country co-chair, "
            "alongside IUCN. The idea of the partnership was endorsed at the 1st Asia Parks "
            "Congress in Sendai, Japan, in November 2013."
        ),
        "membership": {"category": COUNTRY_MEMBER},
    },
    {
        "slug": "ministry-of-environment-republic-of-korea",
        "name": "Ministry of Environment, Republic of Korea",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "KOR",
        "website": "https://www.me.go.kr/",
        "description": (
            "The Republic of Korea's Ministry of Environment. Together with the Korea "
            "National Park Service it held APAP's country co-chair from 2017 to 2020."
        ),
        "membership": {"category": COUNTRY_MEMBER},
    },
    {
        "slug": KNPS,
        "name": "Korea National Park Service",
        "acronym": "KNPS",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "KOR",
        "website": "https://www.knps.or.kr/",
        "description": (
            "The agency that manages most of the Republic of Korea's national parks. Together "
            "with the Ministry of Environment it held APAP's country co-chair from 2017 "
            "to 2020."
        ),
        "membership": {"category": COUNTRY_MEMBER},
    },
    {
        "slug": MOEFCC,
        "name": "Ministry of Environment, Forest and Climate Change, India",
        "acronym": "MoEFCC",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "IND",
        "website": "https://moef.gov.in/",
        "description": (
            "India's Ministry of Environment, Forest and Climate Change was APAP's country "
            "co-chair from 14 December 2020 until December 2023. With IUCN's Asia Regional "
            "Office and the Wildlife Institute of India it organised the technical and "
            "Steering Committee meetings in Dehradun in April 2023."
        ),
        "membership": {"category": COUNTRY_MEMBER},
    },
    {
        "slug": MOAF_BHUTAN,
        "name": "Ministry of Agriculture and Forests, Bhutan",
        "acronym": "MoAF",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "BTN",
        "description": (
            "Bhutan's Ministry of Agriculture and Forests signed its letter of intent to "
            "join APAP on 28 August 2015, becoming the partnership's eighth member."
        ),
        "membership": {"category": COUNTRY_MEMBER, "letter_of_intent_on": date(2015, 8, 28)},
    },
    {
        "slug": "wildlife-department-khyber-pakhtunkhwa",
        "name": "Wildlife Department, Khyber Pakhtunkhwa",
        "kind": Organization.Kind.SUBNATIONAL_AGENCY,
        "country": "PAK",
        "description": (
            "The wildlife department of the province of Khyber Pakhtunkhwa, Pakistan. It "
            "joined APAP on 3 September 2015 as the ninth member and the first sub-national "
            "one."
        ),
        "membership": {"category": COUNTRY_MEMBER, "joined_on": date(2015, 9, 3)},
    },
    {
        "slug": "national-forestry-and-grassland-administration",
        "name": "National Forestry and Grassland Administration",
        "acronym": "NFGA",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "CHN",
        "description": (
            "China's national authority for forests, grasslands and protected areas. It "
            "joined APAP in January 2018 as the State Forestry Administration, which later "
            "became the National Forestry and Grassland Administration."
        ),
        "membership": {"category": COUNTRY_MEMBER, **joined(2018, 1)},
    },
    {
        "slug": ICIMOD,
        "name": "International Centre for Integrated Mountain Development",
        "acronym": "ICIMOD",
        "kind": Organization.Kind.INTERGOVERNMENTAL,
        "country": None,
        "website": "https://www.icimod.org/",
        "description": (
            "A regional intergovernmental knowledge centre for the Hindu Kush Himalaya, "
            "based in Kathmandu. It joined APAP in March 2018 as the partnership's first "
            "Associate Member."
        ),
        "membership": {"category": ASSOCIATE_MEMBER, **joined(2018, 3)},
    },
    {
        "slug": VNFOREST,
        "name": "Department of Protected Forest Management",
        "acronym": "VNFOREST",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "VNM",
        "description": (
            "Viet Nam's department for the management of protected forests, the country's "
            "special-use forests and protected areas. It joined APAP in 2019."
        ),
        "membership": {"category": COUNTRY_MEMBER, **joined(2019)},
    },
    {
        "slug": DNP_THAILAND,
        "name": "Department of National Parks, Wildlife and Plant Conservation",
        "acronym": "DNP",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "THA",
        "website": "https://www.dnp.go.th/",
        "description": (
            "Thailand's agency for national parks, wildlife sanctuaries and plant "
            "conservation, under the Ministry of Natural Resources and Environment. It "
            "joined APAP in 2019."
        ),
        "membership": {"category": COUNTRY_MEMBER, **joined(2019)},
    },
    {
        "slug": "ministry-of-climate-change-environment-and-energy-maldives",
        "name": "Ministry of Climate Change, Environment and Energy, Maldives",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "MDV",
        "description": (
            "The Maldives' Ministry of Climate Change, Environment and Energy, APAP's country "
            "co-chair from December 2023."
        ),
        "membership": {"category": COUNTRY_MEMBER},
    },
    {
        "slug": IUCN_ARO,
        "name": "IUCN Asia Regional Office",
        "acronym": "IUCN ARO",
        # IUCN is a union of states, government agencies and NGOs: neither purely
        # intergovernmental nor an NGO.
        "kind": Organization.Kind.OTHER,
        "country": None,
        "website": "https://iucn.org/",
        "description": (
            "The Asia Regional Office of the International Union for Conservation of Nature "
            "(IUCN). IUCN chairs APAP, with a rotating country co-chair, and its Asia "
            "Regional Office hosts the APAP Secretariat."
        ),
    },
    {
        "slug": NBCA,
        "name": "Nature and Biodiversity Conservation Agency",
        "local_name": "Cục Bảo tồn thiên nhiên và Đa dạng sinh học",
        "acronym": "NBCA",
        "kind": Organization.Kind.NATIONAL_AGENCY,
        "country": "VNM",
        "description": (
            "Viet Nam's national agency for nature and biodiversity conservation, and a "
            "cooperation partner of the APAP Secretariat. In April 2023 it joined the "
            "Secretariat at the meetings in Dehradun, India, to discuss APAP's contributions "
            "to the Kunming-Montreal Global Biodiversity Framework."
        ),
    },
]

WORLD_HERITAGE = {
    "designation": "World Heritage Site (natural or mixed)",
    "designation_type": DesignationType.INTERNATIONAL,
    "status": ProtectedAreaStatus.INSCRIBED,
    # The WDPA does not apply IUCN categories to World Heritage Sites.
    "iucn_category": IucnCategory.NOT_APPLICABLE,
}
NATIONAL_PARK = {
    "designation": "National Park",
    "designation_type": DesignationType.NATIONAL,
    "iucn_category": IucnCategory.II,
}

# Protected areas. A WDPA ID is given only where it is verified (docs/demo-data.md says
# how); such areas are found by their WDPA ID, the others by their slug.
# "management_authority" is the slug of a member organization, set only where it
# obviously manages the area.
# Coordinates are approximate centroids.
PROTECTED_AREAS: list[dict[str, Any]] = [
    {
        "slug": "chitwan-national-park",
        "wdpa_id": 10905,
        "name": "Chitwan National Park",
        "original_name": "चितवन राष्ट्रिय निकुञ्ज",
        "country": "NPL",
        **WORLD_HERITAGE,
        "location": ("27.50", "84.35"),
        "description": (
            "Nepal's first national park and a World Heritage Site, in the lowlands of the "
            "Inner Terai in south-central Nepal. Its sal forests, grasslands and rivers "
            "shelter the greater one-horned rhinoceros, the Bengal tiger and the gharial."
        ),
    },
    {
        "slug": "shiretoko",
        "wdpa_id": 902482,
        "name": "Shiretoko",
        "original_name": "知床",
        "country": "JPN",
        **WORLD_HERITAGE,
        "realm": Realm.COASTAL,
        "location": ("44.10", "145.10"),
        "description": (
            "A World Heritage Site on the Shiretoko Peninsula in north-eastern Hokkaido, "
            "covering both the land and the surrounding waters of the Sea of Okhotsk. Seasonal "
            "sea ice links marine and land ecosystems, from salmon to brown bears and sea "
            "eagles."
        ),
    },
    {
        "slug": "dong-phayayen-khao-yai-forest-complex",
        "wdpa_id": 902480,
        "name": "Dong Phayayen–Khao Yai Forest Complex",
        "country": "THA",
        **WORLD_HERITAGE,
        "management_authority": "department-of-national-parks-wildlife-and-plant-conservation",
        "location": ("14.25", "101.95"),
        "description": (
            "A World Heritage Site of five adjoining protected areas in eastern Thailand: "
            "the Khao Yai, Thap Lan, Pang Sida and Ta Phraya national parks and the Dong Yai "
            "Wildlife Sanctuary. Together they form a large tract of tropical forest that "
            "reaches towards the border with Cambodia."
        ),
    },
    {
        "slug": "khao-yai-national-park",
        "name": "Khao Yai National Park",
        "original_name": "อุทยานแห่งชาติเขาใหญ่",
        "country": "THA",
        **NATIONAL_PARK,
        "management_authority": "department-of-national-parks-wildlife-and-plant-conservation",
        "location": ("14.44", "101.37"),
        "description": (
            "Thailand's first national park, on the south-western edge of the Khorat Plateau "
            "and part of the Dong Phayayen–Khao Yai Forest Complex World Heritage Site. Its "
            "evergreen forests and grasslands are home to Asian elephants, gibbons and "
            "hornbills."
        ),
    },
    {
        "slug": "ba-be-national-park",
        "name": "Ba Bể National Park",
        "original_name": "Vườn quốc gia Ba Bể",
        "country": "VNM",
        **NATIONAL_PARK,
        "location": ("22.41", "105.62"),
        "description": (
            "A national park in the limestone mountains of north-eastern Viet Nam, around "
            "Ba Bể Lake, the country's largest natural freshwater lake."
        ),
    },
    {
        "slug": "cuc-phuong-national-park",
        "name": "Cúc Phương National Park",
        "original_name": "Vườn quốc gia Cúc Phương",
        "country": "VNM",
        **NATIONAL_PARK,
        "location": ("20.32", "105.61"),
        "description": (
            "Viet Nam's first national park, protecting tropical forest on limestone hills "
            "south-west of Hà Nội. It is known for its primates and its rescue and "
            "conservation work for them."
        ),
    },
    {
        "slug": "jigme-dorji-national-park",
        "name": "Jigme Dorji National Park",
        "country": "BTN",
        **NATIONAL_PARK,
        "location": ("27.85", "89.55"),
        "description": (
            "A national park in north-western Bhutan that reaches from forested valleys to "
            "the glaciers and peaks of the high Himalaya. It protects the headwaters of major "
            "rivers and the habitat of the snow leopard and the takin."
        ),
    },
    {
        "slug": "sundarbans-reserve-forest",
        "name": "Sundarbans Reserve Forest",
        "country": "BGD",
        "designation": "Reserve Forest",
        "designation_type": DesignationType.NATIONAL,
        "realm": Realm.COASTAL,
        "location": ("21.95", "89.45"),
        "description": (
            "The Bangladesh part of the Sundarbans, the world's largest contiguous mangrove "
            "forest, where the Ganges, Brahmaputra and Meghna rivers meet the Bay of Bengal. "
            "Its tidal forests and waterways are home to the Bengal tiger."
        ),
    },
    {
        "slug": "sundarbans-national-park",
        "name": "Sundarbans National Park",
        "original_name": "সুন্দরবন জাতীয় উদ্যান",
        "country": "IND",
        **NATIONAL_PARK,
        "realm": Realm.COASTAL,
        "location": ("21.90", "88.85"),
        "description": (
            "The Indian part of the Sundarbans mangrove delta, in West Bengal: the core of "
            "the Sundarban Tiger Reserve and a World Heritage Site."
        ),
    },
    {
        "slug": "kinabalu-park",
        "name": "Kinabalu Park",
        "original_name": "Taman Kinabalu",
        "country": "MYS",
        "designation_type": DesignationType.NATIONAL,
        "location": ("6.08", "116.55"),
        "description": (
            "A park in Sabah, on the island of Borneo, around Mount Kinabalu. Malaysia's "
            "first World Heritage Site, it is known for its exceptional diversity of plants."
        ),
    },
    {
        "slug": "jirisan-national-park",
        "name": "Jirisan National Park",
        "original_name": "지리산국립공원",
        "country": "KOR",
        **NATIONAL_PARK,
        "management_authority": "korea-national-park-service",
        "location": ("35.33", "127.73"),
        "description": (
            "The Republic of Korea's first national park, spread over three provinces in the "
            "south of the country around the Jirisan massif. It is known for the return of "
            "the Asiatic black bear."
        ),
    },
    {
        "slug": "gobi-gurvansaikhan-national-park",
        "name": "Gobi Gurvansaikhan National Park",
        "country": "MNG",
        **NATIONAL_PARK,
        "location": ("43.55", "103.50"),
        "description": (
            "A national park in the Gobi of southern Mongolia, named after the Gurvan Saikhan "
            '("three beauties") mountains. It includes the Yolyn Am gorge and the sand dunes '
            "of Khongoryn Els."
        ),
    },
    {
        "slug": "yala-national-park",
        "name": "Yala National Park",
        "country": "LKA",
        **NATIONAL_PARK,
        "location": ("6.37", "81.52"),
        "description": (
            "A national park on the south-eastern coast of Sri Lanka: dry forest, scrub, "
            "grassland and lagoons known for leopards, Asian elephants and water birds."
        ),
    },
]

TRANSBOUNDARY_AREAS: list[dict[str, Any]] = [
    {
        "slug": "sundarbans",
        "name": "Sundarbans",
        "description": (
            "The Sundarbans mangrove forest of the Ganges–Brahmaputra–Meghna delta lies in "
            "Bangladesh and India. This transboundary area joins the protected areas on each "
            "side of the border, which conserve one ecosystem and its tigers."
        ),
        "protected_areas": ["sundarbans-reserve-forest", "sundarbans-national-park"],
    },
]

# Demo accounts: (username, password, organization slug, staff). The staff account is a
# secretariat manager (members/permissions.py), as staff are in production.
USERS = [
    (
        DEMO_MEMBER_USERNAME,
        DEMO_MEMBER_PASSWORD,
        "department-of-protected-forest-management",
        False,
    ),
    (DEMO_STAFF_USERNAME, DEMO_STAFF_PASSWORD, None, True),
]


class DemoLoader:
    """Brings records to the demo facts, counting what it created, updated or left."""

    def __init__(self, stdout: TextIO | None) -> None:
        self.stdout = stdout
        self.counts: dict[str, Counter] = {}

    def sync(
        self,
        label: str,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        *,
        on_create: Callable[[models.Model], None] | None = None,
        related: dict[str, list[models.Model]] | None = None,
    ) -> models.Model:
        """Create the record found by `lookup`, or update it where it differs from
        `values` (and its many-to-many `related` sets); write nothing when it matches.

        `on_create` prepares a new record only (e.g. sets a password, a slug).
        """
        counter = self.counts.setdefault(label, Counter(created=0, updated=0, unchanged=0))
        related = related or {}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            if on_create:
                on_create(obj)
            obj.full_clean()
            obj.save()
            for name, targets in related.items():
                getattr(obj, name).set(targets)
            self._report("created", obj)
            counter["created"] += 1
            return obj

        changed = [name for name, value in values.items() if not _matches(obj, name, value)]
        changed_related = [
            name
            for name, targets in related.items()
            if set(getattr(obj, name).values_list("pk", flat=True)) != {t.pk for t in targets}
        ]
        if not changed and not changed_related:
            counter["unchanged"] += 1
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()  # Also when only relations changed: its updated_at tells staff.
        for name in changed_related:
            getattr(obj, name).set(related[name])
        self._report("updated", obj)
        counter["updated"] += 1
        return obj

    def _report(self, what: str, obj: models.Model) -> None:
        if self.stdout is not None:
            self.stdout.write(f"  {what} {obj._meta.verbose_name}: {obj}")


MIGRATE_FIRST = "run `manage.py migrate` first"


def finder(records: Mapping[Any, Any], what: str, missing: str) -> Callable[[Any], Any]:
    """A lookup of the records a loader refers to, by natural key: None for None, and a
    CommandError that names a missing record and the step that loads it (`missing`)."""

    def find(key: Any) -> Any:
        if key is None:
            return None
        try:
            return records[key]
        except KeyError:
            raise CommandError(f"The {what} {key} is missing: {missing}.") from None

    return find


def _matches(obj: models.Model, name: str, value: Any) -> bool:
    """Whether the field `name` of a saved record already holds `value`."""
    field = obj._meta.get_field(name)
    current = getattr(obj, field.attname)
    if field.is_relation:
        return current == (value.pk if value is not None else None)
    return current == field.to_python(value)


@transaction.atomic
def load_members_demo(stdout: TextIO | None = None) -> dict[str, dict[str, int]]:
    """Load the members section's demo data; return, per kind of record, how many were
    created, updated and left unchanged. Lines about each change go to `stdout`."""
    loader = DemoLoader(stdout)
    country = finder(Country.objects.in_bulk(field_name="iso3"), "country", MIGRATE_FIRST)

    organizations = {}
    for data in ORGANIZATIONS:
        data = dict(data)
        membership = data.pop("membership", None)
        slug = data.pop("slug")
        organization = loader.sync(
            "organizations",
            Organization,
            {"slug": slug},
            {
                "local_name": "",
                "acronym": "",
                "website": "",
                **data,
                "country": country(data["country"]),
            },
        )
        organizations[slug] = organization
        if membership is not None:
            loader.sync(
                "memberships",
                Membership,
                {"organization": organization},
                {
                    "status": Membership.Status.ACTIVE,
                    "joined_on": None,
                    "joined_on_precision": DatePrecision.DAY,
                    "letter_of_intent_on": None,
                    **membership,
                },
            )

    areas = {}
    for data in PROTECTED_AREAS:
        data = dict(data)
        slug = data.pop("slug")
        latitude, longitude = data.pop("location")
        authority = data.pop("management_authority", None)
        values = {
            "original_name": "",
            "designation": "",
            "designation_type": "",
            "iucn_category": IucnCategory.NOT_REPORTED,
            "realm": Realm.TERRESTRIAL,
            "status": ProtectedAreaStatus.DESIGNATED,
            "visibility": Visibility.PUBLIC,
            **data,
            "country": country(data["country"]),
            "management_authority": organizations[authority] if authority else None,
            "latitude": Decimal(latitude),
            "longitude": Decimal(longitude),
        }
        # An area with a verified WDPA ID is that WDPA record, whatever its slug (a WDPA
        # import may have created it); the others are ours, found by slug, and a WDPA
        # ID that staff add to them later is kept.
        wdpa_id = values.pop("wdpa_id", None)
        if wdpa_id is not None:
            lookup = {"wdpa_id": wdpa_id}
            on_create = _set_slug(slug)
        else:
            lookup, on_create = {"slug": slug}, None
        areas[slug] = loader.sync(
            "protected areas", ProtectedArea, lookup, values, on_create=on_create
        )

    for data in TRANSBOUNDARY_AREAS:
        data = dict(data)
        members = [areas[slug] for slug in data.pop("protected_areas")]
        loader.sync(
            "transboundary areas",
            TransboundaryArea,
            {"slug": data.pop("slug")},
            data,
            related={"protected_areas": members},
        )

    for username, password, organization_slug, is_staff in USERS:
        loader.sync(
            "users",
            User,
            {"username": username},
            {
                "organization": organizations[organization_slug] if organization_slug else None,
                "is_staff": is_staff,
                "is_active": True,
                # An address (of a reserved domain: nothing reaches anyone) for what is
                # sent to accounts: subscriptions, reminders, review notices.
                "email": f"{username}@apap-demo.example",
            },
            # A password is set once: a second run must not rewrite it, nor undo a change.
            on_create=_set_password(password),
        )
        if is_staff:
            # The demo staff works as a secretariat manager: the groups' permissions, not
            # a superuser's bypass of them.
            managers = Group.objects.get(name=MANAGERS)
            User.objects.get(username=username).groups.add(managers)

    return {label: dict(counter) for label, counter in loader.counts.items()}


def _set_slug(slug: str) -> Callable[[models.Model], None]:
    def set_slug(obj: models.Model) -> None:
        obj.slug = slug

    return set_slug


def _set_password(password: str) -> Callable[[models.Model], None]:
    def set_password(user: models.Model) -> None:
        user.set_password(password)

    return set_password
