"""What the library's pages tell search engines (schema.org): a best practice as a HowTo,
a story as an Article, a resource as a CreativeWork (a Report for studies and briefs)."""

from __future__ import annotations

from apap_portal.linked_data import (
    absolute_url,
    apap,
    described,
    picture_url,
    plain_text,
    thing,
)
from knowledge.models import BestPractice, Resource, Story
from members.linked_data import country_place, organization_reference
from members.models import ProtectedArea

RESOURCE_TYPES = {
    Resource.Kind.STUDY: "Report",
    Resource.Kind.POLICY_BRIEF: "Report",
}


def best_practice_data(
    request, practice: BestPractice, protected_area: ProtectedArea | None
) -> dict:
    """The practice (read by `for_detail()`): its building blocks are the steps.

    `protected_area` is the practice's area when the reader may see it, else None.
    """
    themes = [theme.name for theme in practice.themes.all()]
    if protected_area is not None:
        where = [
            thing(
                "Park",
                name=protected_area.name,
                url=absolute_url(request, protected_area.get_absolute_url()),
            )
        ]
    else:
        where = [country_place(request, country) for country in practice.countries.all()]
    organization = practice.organization
    return described(
        "HowTo",
        name=practice.title,
        description=practice.summary,
        url=absolute_url(request, practice.get_absolute_url()),
        image=picture_url(request, practice.cover_image),
        step=[
            thing(
                "HowToStep",
                position=position,
                name=block.title,
                text=plain_text(block.description),
            )
            for position, block in enumerate(practice.building_blocks.all(), start=1)
        ],
        about=[thing("Thing", name=name) for name in themes],
        keywords=", ".join(themes),
        spatialCoverage=where,
        author=organization_reference(request, organization) if organization else apap(request),
        publisher=apap(request),
        datePublished=practice.published_at if practice.is_published else None,
        dateModified=practice.updated_at,
        inLanguage=practice.shown_language,
    )


def story_data(request, story: Story) -> dict:
    return described(
        "Article",
        headline=story.title,
        description=story.lead,
        url=absolute_url(request, story.get_absolute_url()),
        image=picture_url(request, story.image),
        datePublished=story.published_at,
        dateModified=story.updated_at,
        author=apap(request),
        publisher=apap(request),
        inLanguage=story.shown_language,
    )


def resource_data(request, resource: Resource) -> dict:
    """A publication: `url` is where to read it (its file, else its link), on its page."""
    page = absolute_url(request, resource.get_absolute_url())
    where = absolute_url(request, resource.file.url) if resource.file else resource.url
    return described(
        RESOURCE_TYPES.get(resource.kind, "CreativeWork"),
        name=resource.title,
        description=plain_text(resource.summary),
        genre=resource.get_kind_display(),
        url=where or page,
        mainEntityOfPage=page,
        author=resource.authors,
        publisher=resource.publisher,
        datePublished=str(resource.year) if resource.year else None,
        keywords=", ".join(theme.name for theme in resource.themes.all()),
        inLanguage=resource.shown_language,
    )
