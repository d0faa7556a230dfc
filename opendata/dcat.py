"""The catalogue as DCAT in JSON-LD: what `/data/catalog.jsonld` answers.

Terms from DCAT 2 (`dcat:`), Dublin Core (`dct:`) and FOAF (`foaf:`), with the context
inline (a harvester needs no other request). Addresses are IRIs (`{"@id": …}`), dates
typed `xsd:dateTime`, so the document reads as the same graph in any JSON-LD processor.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apap_portal.seo import site_url
from opendata.catalog import DATASETS, Dataset, Distribution, last_updates

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def iri(address: str) -> dict:
    return {"@id": address}


def date_time(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def distribution(dataset: Dataset, form: Distribution, base: str) -> dict:
    address = iri(base + form.path)
    described = {
        "@id": f"{base}/data/#{dataset.key}-{form.key}",
        "@type": "dcat:Distribution",
        "dct:title": f"{dataset.title} ({form.format})",
        "dct:format": form.format,
        "dcat:mediaType": iri(f"https://www.iana.org/assignments/media-types/{form.media_type}"),
        "dcat:accessURL": address,
        "dct:license": iri(dataset.licence),
    }
    if form.download:
        described["dcat:downloadURL"] = address
    else:  # an endpoint of the API, the catalogue's data service
        described["dcat:accessService"] = iri(base + reverse("api:api-root"))
    return described


def api_service(base: str) -> dict:
    """The API as a DCAT data service: its endpoint, its OpenAPI description, what it serves."""
    return {
        "@id": base + reverse("api:api-root"),
        "@type": "dcat:DataService",
        "dct:title": "APAP portal API",
        "dct:description": (
            "A read-only JSON API over every dataset of the catalogue: the lists' filters, "
            "cursor pages, records in the language asked for. Members add their "
            "members-only records with a personal token."
        ),
        "dcat:endpointURL": iri(base + reverse("api:api-root")),
        "dcat:endpointDescription": iri(base + reverse("api:openapi")),
        "dcat:landingPage": iri(base + reverse("api:docs")),
        "dct:license": iri(settings.OPEN_DATA_LICENCE_URL),
        "dcat:servesDataset": [iri(f"{base}/data/#{dataset.key}") for dataset in DATASETS],
    }


def catalogue(request) -> dict:
    """The DCAT catalogue of every dataset, its addresses on the host the request reached."""
    base = site_url(request)
    updates = last_updates()
    with translation.override(settings.LANGUAGE_CODE):
        datasets = []
        for dataset in DATASETS:
            described = {
                "@id": f"{base}/data/#{dataset.key}",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": str(dataset.title),
                "dct:description": str(dataset.description),
                "dcat:keyword": [str(keyword) for keyword in dataset.keywords],
                "dcat:landingPage": iri(base + dataset.landing_path),
                "dct:license": iri(dataset.licence),
                "dct:publisher": iri(f"{base}/data/#publisher"),
                "dcat:distribution": [
                    distribution(dataset, form, base) for form in dataset.distributions
                ],
            }
            if (updated := updates[dataset.key]) is not None:
                described["dct:modified"] = date_time(updated)
            datasets.append(described)
        return {
            "@context": CONTEXT,
            "@id": f"{base}/data/catalog.jsonld",
            "@type": "dcat:Catalog",
            "dct:title": "Asia Protected Areas Partnership: open data",
            "dct:description": (
                "The records of the Asia Protected Areas Partnership's secretariat: its "
                "members, Asia's protected areas, activities, best practices, resources "
                "and stories, as files to download and through the portal's API."
            ),
            "dct:language": [
                iri(f"http://id.loc.gov/vocabulary/iso639-1/{code}")
                for code, _name in settings.LANGUAGES
            ],
            "dct:license": iri(settings.OPEN_DATA_LICENCE_URL),
            "foaf:homepage": iri(f"{base}/data/"),
            "dct:publisher": {
                "@id": f"{base}/data/#publisher",
                "@type": "foaf:Organization",
                "foaf:name": "Asia Protected Areas Partnership secretariat (IUCN)",
                "foaf:homepage": iri(f"{base}/"),
            },
            "dcat:dataset": datasets,
            "dcat:service": [api_service(base)],
        }
