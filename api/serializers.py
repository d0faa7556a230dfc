"""What the API says of each record: the fields its pages show, in the reader's language.

Every record carries `url` (its page, absolute), `language` (the language of the text
returned), `original_language`, `translations` (every language it can be read in) and
`translated` (whether the text is a translation). Nothing a page does not show the reader
is here: no drafts, no staff notes, no focal point's email for the public.
"""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import Activity, WorkArea
from apap_portal.translations.languages import default_language
from apap_portal.translations.reading import languages_of
from countries.models import CountryStatistics
from knowledge.models import BestPractice, BuildingBlock, GbfTarget, Resource, Story
from members.models import (
    Country,
    FocalPoint,
    Membership,
    Organization,
    ProtectedArea,
    TransboundaryArea,
    is_member_or_staff,
)


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class RecordSerializer(serializers.ModelSerializer):
    """A record with its page's address and the languages it is and can be read in."""

    url = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField(help_text="The language of the text returned.")
    original_language = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField(
        help_text="Every language the record can be read in: its original's and its "
        "published translations'."
    )
    translated = serializers.SerializerMethodField(
        help_text="Whether the text returned is a translation."
    )

    record_fields = ("url", "language", "original_language", "translations", "translated")

    def get_url(self, record) -> str:
        return absolute(self.context.get("request"), record.get_absolute_url())

    def get_language(self, record) -> str:
        return getattr(record, "shown_language", default_language())

    def get_original_language(self, record) -> str:
        return getattr(record, "original_language", default_language())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_translations(self, record) -> list[str]:
        if not hasattr(record, "translated_fields"):
            return [default_language()]
        return sorted(languages_of(record))

    def get_translated(self, record) -> bool:
        return bool(getattr(record, "shown_translation", False))


# References to other records, in a few words


class CountryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ("iso3", "name")


class NamedRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="__str__")
    url = serializers.SerializerMethodField()

    def get_url(self, record) -> str:
        return absolute(self.context.get("request"), record.get_absolute_url())


class GbfTargetRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = GbfTarget
        fields = ("number", "code", "short_title")


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


# Countries


class CountryStatisticsSerializer(serializers.ModelSerializer):
    class Meta:
        model = CountryStatistics
        fields = (
            "as_of",
            "land_area_km2",
            "marine_area_km2",
            "pa_land_percent",
            "pa_marine_percent",
            "oecm_pa_land_percent",
            "oecm_pa_marine_percent",
            "national_report_url",
        )


class CountrySerializer(RecordSerializer):
    statistics = serializers.SerializerMethodField(
        help_text="Protected Planet's figures: GBF Target 3 coverage (null before any import)."
    )

    class Meta:
        model = Country
        fields = ("iso3", "name", "subregion", "statistics", *RecordSerializer.record_fields)

    @extend_schema_field(CountryStatisticsSerializer(allow_null=True))
    def get_statistics(self, country) -> dict | None:
        statistics = getattr(country, "statistics", None)
        return CountryStatisticsSerializer(statistics).data if statistics else None


# Organizations and their memberships


class FocalPointSerializer(serializers.ModelSerializer):
    email = serializers.SerializerMethodField(help_text="For members (with a token) only.")

    class Meta:
        model = FocalPoint
        fields = ("name", "role", "email")

    def get_email(self, focal_point) -> str | None:
        request = self.context.get("request")
        return focal_point.email if request and is_member_or_staff(request.user) else None


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ("category", "status", "joined_on", "joined_label", "letter_of_intent_on")


class MembershipDetailSerializer(MembershipSerializer):
    focal_points = FocalPointSerializer(many=True, read_only=True)

    class Meta(MembershipSerializer.Meta):
        fields = (*MembershipSerializer.Meta.fields, "focal_points")


class OrganizationSerializer(RecordSerializer):
    country = CountryRefSerializer(allow_null=True)
    membership = serializers.SerializerMethodField()

    membership_serializer = MembershipSerializer

    class Meta:
        model = Organization
        fields = (
            "slug",
            "name",
            "local_name",
            "acronym",
            "kind",
            "country",
            "website",
            "description",
            "membership",
            *RecordSerializer.record_fields,
        )

    @extend_schema_field(MembershipSerializer(allow_null=True))
    def get_membership(self, organization) -> dict | None:
        membership = getattr(organization, "membership", None)
        if membership is None:
            return None
        return self.membership_serializer(membership, context=self.context).data


class OrganizationDetailSerializer(OrganizationSerializer):
    managed_protected_areas = NamedRefSerializer(source="managed_areas", many=True)

    membership_serializer = MembershipDetailSerializer

    class Meta(OrganizationSerializer.Meta):
        fields = (*OrganizationSerializer.Meta.fields, "managed_protected_areas")

    @extend_schema_field(MembershipDetailSerializer(allow_null=True))
    def get_membership(self, organization) -> dict | None:
        return super().get_membership(organization)


# Protected areas and transboundary areas


class ProtectedAreaSerializer(RecordSerializer):
    country = CountryRefSerializer()
    is_transboundary = serializers.BooleanField(read_only=True)
    protected_planet_url = serializers.URLField(read_only=True)
    geometry = serializers.SerializerMethodField(
        help_text="With ?geometry=1: the boundary (MultiPolygon) where there is one, else "
        "the point, as GeoJSON."
    )

    class Meta:
        model = ProtectedArea
        fields = (
            "slug",
            "name",
            "original_name",
            "wdpa_id",
            "site_type",
            "country",
            "designation",
            "designation_type",
            "iucn_category",
            "governance_type",
            "realm",
            "status",
            "status_year",
            "reported_area_km2",
            "reported_marine_area_km2",
            "gis_area_km2",
            "latitude",
            "longitude",
            "green_list_status",
            "green_listed_on",
            "green_list_expires_on",
            "is_transboundary",
            "visibility",
            "protected_planet_url",
            "geometry",
            *RecordSerializer.record_fields,
        )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_geometry(self, area) -> dict | None:
        geometry = getattr(area, "geometry", None)
        return json.loads(geometry) if geometry else None

    def to_representation(self, area):
        data = super().to_representation(area)
        if not self.context.get("geometry"):
            data.pop("geometry")
        return data


class ProtectedAreaDetailSerializer(ProtectedAreaSerializer):
    countries = CountryRefSerializer(many=True)
    management_authority = NamedRefSerializer(allow_null=True)
    transboundary_areas = NamedRefSerializer(many=True)

    class Meta(ProtectedAreaSerializer.Meta):
        fields = (
            *ProtectedAreaSerializer.Meta.fields,
            "countries",
            "description",
            "management_authority",
            "management_authority_name",
            "transboundary_areas",
        )


class TransboundaryProtectedAreaSerializer(NamedRefSerializer):
    country = CountryRefSerializer()


class TransboundaryAreaSerializer(RecordSerializer):
    protected_areas = TransboundaryProtectedAreaSerializer(
        many=True, help_text="The protected areas it joins that the reader may see."
    )
    countries = CountryRefSerializer(many=True)

    class Meta:
        model = TransboundaryArea
        fields = (
            "slug",
            "name",
            "description",
            "protected_areas",
            "countries",
            *RecordSerializer.record_fields,
        )


# Activities and work areas


class WorkAreaRefSerializer(NamedRefSerializer):
    name = serializers.CharField()


class ActivitySerializer(RecordSerializer):
    work_area = WorkAreaRefSerializer()
    country = CountryRefSerializer(allow_null=True)

    class Meta:
        model = Activity
        fields = (
            "slug",
            "title",
            "kind",
            "status",
            "work_area",
            "start_date",
            "end_date",
            "date_precision",
            "dates_label",
            "is_online",
            "city",
            "country",
            "participants_count",
            "summary",
            "visibility",
            *RecordSerializer.record_fields,
        )


class ActivityOrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="organization.slug")
    name = serializers.CharField(source="organization.name")
    role = serializers.CharField()


class FocalActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()


class ActivityDetailSerializer(ActivitySerializer):
    focal_activities = FocalActivitySerializer(many=True)
    participating_countries = CountryRefSerializer(many=True)
    gbf_targets = GbfTargetRefSerializer(many=True)
    organizations = ActivityOrganizationSerializer(source="organization_roles", many=True)

    class Meta(ActivitySerializer.Meta):
        fields = (
            *ActivitySerializer.Meta.fields,
            "body",
            "outcomes",
            "focal_activities",
            "participating_countries",
            "gbf_targets",
            "organizations",
        )


class WorkAreaSerializer(RecordSerializer):
    focal_activities = FocalActivitySerializer(many=True)

    class Meta:
        model = WorkArea
        fields = (
            "slug",
            "name",
            "summary",
            "description",
            "order",
            "focal_activities",
            *RecordSerializer.record_fields,
        )


class GbfTargetSerializer(RecordSerializer):
    class Meta:
        model = GbfTarget
        fields = ("number", "code", "short_title", *RecordSerializer.record_fields)


# The library


class BestPracticeSerializer(RecordSerializer):
    protected_area = serializers.SerializerMethodField(
        help_text="Only when the reader may see the protected area itself."
    )
    organization = NamedRefSerializer(allow_null=True)

    class Meta:
        model = BestPractice
        fields = (
            "slug",
            "title",
            "summary",
            "protected_area",
            "organization",
            "published_at",
            "visibility",
            *RecordSerializer.record_fields,
        )

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_protected_area(self, practice) -> dict | None:
        if practice.protected_area is None or not practice.shows_protected_area:
            return None
        return NamedRefSerializer(practice.protected_area, context=self.context).data


class BuildingBlockSerializer(serializers.ModelSerializer):
    class Meta:
        model = BuildingBlock
        fields = ("order", "title", "description", "enabling_factors", "lessons_learned")


class BestPracticeDetailSerializer(BestPracticeSerializer):
    building_blocks = BuildingBlockSerializer(many=True)
    countries = CountryRefSerializer(many=True)
    themes = TagSerializer(many=True)
    ecosystems = TagSerializer(many=True)
    challenges = TagSerializer(many=True)
    gbf_targets = GbfTargetRefSerializer(many=True)

    class Meta(BestPracticeSerializer.Meta):
        fields = (
            *BestPracticeSerializer.Meta.fields,
            "context",
            "challenge_description",
            "impacts",
            "lessons_learned",
            "contributors",
            "building_blocks",
            "countries",
            "themes",
            "ecosystems",
            "challenges",
            "gbf_targets",
        )


class ResourceSerializer(RecordSerializer):
    link = serializers.URLField(source="url", help_text="Where the publication is on the web.")
    file = serializers.SerializerMethodField(help_text="The uploaded file, when there is one.")

    class Meta:
        model = Resource
        fields = (
            "slug",
            "title",
            "kind",
            "authors",
            "publisher",
            "year",
            "summary",
            "link",
            "file",
            "visibility",
            *RecordSerializer.record_fields,
        )

    def get_file(self, resource) -> str | None:
        if not resource.file:
            return None
        return absolute(self.context.get("request"), resource.file.url)


class ResourceDetailSerializer(ResourceSerializer):
    themes = TagSerializer(many=True)
    gbf_targets = GbfTargetRefSerializer(many=True)
    work_area = WorkAreaRefSerializer(allow_null=True)

    class Meta(ResourceSerializer.Meta):
        fields = (*ResourceSerializer.Meta.fields, "themes", "gbf_targets", "work_area")


class StorySerializer(RecordSerializer):
    work_area = WorkAreaRefSerializer(allow_null=True)

    class Meta:
        model = Story
        fields = (
            "slug",
            "title",
            "kind",
            "lead",
            "published_at",
            "work_area",
            "visibility",
            *RecordSerializer.record_fields,
        )


class StoryDetailSerializer(StorySerializer):
    class Meta(StorySerializer.Meta):
        fields = (*StorySerializer.Meta.fields, "body")
