"""factory_boy factories for the portal's models."""

import datetime

import factory
from django.utils.text import slugify

from members.models import (
    Country,
    EvaluationMethod,
    FocalPoint,
    ManagementEffectivenessEvaluation,
    Membership,
    Organization,
    ProtectedArea,
    TransboundaryArea,
    User,
)


def country(iso3: str) -> Country:
    """A country of the reference data (the data migration ships them)."""
    return Country.objects.get(iso3=iso3)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Department of Protected Areas {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organization.Kind.NATIONAL_AGENCY
    country = factory.LazyFunction(lambda: country("NPL"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    category = Membership.Category.COUNTRY
    status = Membership.Status.ACTIVE


class MemberOrganizationFactory(OrganizationFactory):
    class Meta:
        skip_postgeneration_save = True

    membership = factory.RelatedFactory(MembershipFactory, factory_related_name="organization")


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    membership = factory.SubFactory(MembershipFactory)
    name = factory.Faker("name")
    role = "Director"
    email = factory.Sequence(lambda n: f"focal{n}@agency.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("a long passphrase for tests")


class ProtectedAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectedArea

    name = factory.Sequence(lambda n: f"Protected Area {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    country = factory.LazyFunction(lambda: country("NPL"))
    designation = "National Park"
    latitude = 27.5
    longitude = 84.3


class ManagementEffectivenessEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementEffectivenessEvaluation

    protected_area = factory.SubFactory(ProtectedAreaFactory)
    method = EvaluationMethod.METT
    year = 2019
    report_url = factory.LazyAttribute(
        lambda o: f"https://example.org/reports/{o.method}-{o.year}.pdf"
    )


class TransboundaryAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransboundaryArea
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Transboundary Landscape {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    @factory.post_generation
    def protected_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.protected_areas.set(extracted)


# Activities


def work_area(slug: str = "knowledge-capacity"):
    """A work area of the reference data (the data migration ships them)."""
    from activities.models import WorkArea

    return WorkArea.objects.get(slug=slug)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.Activity"
        skip_postgeneration_save = True

    kind = "workshop"
    title = factory.Sequence(lambda n: f"Regional workshop on protected-area management {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    work_area = factory.LazyFunction(work_area)
    start_date = datetime.date(2023, 4, 27)
    city = "Dehradun"
    country = factory.LazyFunction(lambda: country("IND"))
    status = "completed"
    visibility = "public"
    summary = "Member agencies shared how they manage their protected areas."


class ActivityOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.ActivityOrganization"

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "organizer"


class FundingProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "activities.FundingProposal"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Transboundary cooperation proposal {n}")
    lead_organization = factory.SubFactory(OrganizationFactory)
    currency = "USD"
    amount_requested = 50000
    status = "submitted"


# Knowledge


def theme(slug: str):
    """A theme of the reference taxonomies (the data migration ships them)."""
    from knowledge.models import Theme

    return Theme.objects.get(slug=slug)


class BestPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "knowledge.BestPractice"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Community patrols that reduced poaching {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Rangers and villagers patrolled together and poaching fell."
    context = "A national park surrounded by farming villages."
    organization = factory.SubFactory(OrganizationFactory)
    status = "published"
    visibility = "public"
    published_at = factory.LazyFunction(lambda: datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC))


class BuildingBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "knowledge.BuildingBlock"

    best_practice = factory.SubFactory(BestPracticeFactory)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Building block {n}")
    description = "Joint patrol routes agreed with the village councils."


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "knowledge.Resource"
        skip_postgeneration_save = True

    kind = "guideline"
    title = factory.Sequence(lambda n: f"Best Practice Guidelines No. {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    publisher = "IUCN"
    year = 2015
    url = "https://example.org/guidelines.pdf"
    summary = "Guidance for protected-area managers."


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "knowledge.Story"

    title = factory.Sequence(lambda n: f"Rangers share what works {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    lead = "Protected-area staff from across Asia met to compare notes."
    body = "They agreed to keep **sharing**."
    published_at = factory.LazyFunction(lambda: datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))


# Country profiles


class CountryStatisticsFactory(factory.django.DjangoModelFactory):
    """Viet Nam's row of Protected Planet's country statistics of May 2026."""

    class Meta:
        model = "countries.CountryStatistics"
        django_get_or_create = ("country",)

    country = factory.LazyFunction(lambda: country("VNM"))
    land_area_km2 = "326147.32"
    marine_area_km2 = "752006.11"
    pa_land_area_km2 = "24686.51"
    pa_marine_area_km2 = "3686.93"
    pa_land_percent = "7.57"
    pa_marine_percent = "0.49"
    oecm_pa_land_area_km2 = "24686.51"
    oecm_pa_marine_area_km2 = "3686.93"
    oecm_pa_land_percent = "7.57"
    oecm_pa_marine_percent = "0.49"
    national_report_url = "https://www.cbd.int/doc/world/vn/vn-nr-05-en.pdf"
    as_of = datetime.date(2026, 5, 1)


# Translations (apap_portal.translations)


def translation(original, language: str = "vi", status: str = "published", **fields):
    """A translation of `original`: each translatable field as given, else marked "[vi]".

    It follows the original's current text (not out of date) unless the test changes either.
    """
    model = type(original)._meta.get_field("translations").related_model
    values = {}
    for name in type(original).translated_fields:
        text = getattr(original, name)
        values[name] = fields.pop(name, f"{text} [{language}]" if text else text)
    made = model(original=original, language=language, status=status, **values, **fields)
    made.follow_original()
    made.save()
    return made


# Calls to members (issue 19: calls)


class CallFactory(factory.django.DjangoModelFactory):
    """A published call to all members, open since yesterday, closing in ten days."""

    class Meta:
        model = "calls.Call"
        skip_postgeneration_save = True

    kind = "nomination"
    title = factory.Sequence(lambda n: f"Nominations to the steering committee {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Member agencies nominate their representative."
    body = "Send the **nomination form** signed by the head of the agency."
    opens_at = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    )
    deadline = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=11))
    time_zone = "Asia/Bangkok"
    status = "published"

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)


class CallResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "calls.CallResponse"

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)
    organization = factory.LazyAttribute(lambda o: o.user.organization)
    text = "We nominate our deputy director."
