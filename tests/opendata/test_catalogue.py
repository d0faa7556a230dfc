"""Open data: /data/ for people and the DCAT catalogue for programs (issue 18, point 3).

Ana harvests the catalogue into her data portal; Lan reads /data/ in Vietnamese.
"""

import datetime
import json
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from knowledge.models import BestPractice
from opendata.catalog import DATASETS
from tests.factories import BestPracticeFactory, CountryStatisticsFactory, country

pytestmark = [pytest.mark.django_db]

CATALOGUE = "/data/catalog.jsonld"
SITE = "http://testserver"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


def catalogue_graph(client) -> Graph:
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return Graph().parse(data=response.content, format="json-ld")


def dataset_node(graph: Graph, key: str) -> URIRef:
    (node,) = (
        node
        for node, identifier in graph.subject_objects(DCTERMS.identifier)
        if str(identifier) == key
    )
    return node


def test_the_catalogue_describes_every_dataset_with_its_distributions(client):
    graph = catalogue_graph(client)

    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert str(catalogue) == f"{SITE}{CATALOGUE}"
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert graph.value(publisher, RDF.type) == FOAF.Organization
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert {str(graph.value(node, DCTERMS.identifier)) for node in datasets} == {
        dataset.key for dataset in DATASETS
    }
    for node in datasets:
        assert (node, RDF.type, DCAT.Dataset) in graph
        assert graph.value(node, DCTERMS.title), node
        assert graph.value(node, DCTERMS.license), node
        assert graph.value(node, DCTERMS.publisher) == publisher
        landing = graph.value(node, DCAT.landingPage)
        assert client.get(urlsplit(str(landing)).path).status_code == 200, landing


def test_every_distribution_in_the_catalogue_answers(client):
    """A distribution is only ever listed by the code that serves it."""
    graph = catalogue_graph(client)
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == sum(len(dataset.distributions) for dataset in DATASETS)
    assert len(distributions) >= 6  # GeoJSON, iCalendar, RSS and Atom feeds, CSV
    for node in distributions:
        address = urlsplit(str(graph.value(node, DCAT.accessURL)))
        media_type = str(graph.value(node, DCAT.mediaType)).rsplit("/", 2)[-2:]
        response = client.get(
            address.path, dict(pair.split("=") for pair in address.query.split("&") if pair)
        )
        assert response.status_code == 200, address
        assert response["Content-Type"].split(";")[0] in (
            "/".join(media_type),
            "application/json",  # the map's GeoJSON says application/geo+json or json
        ), (address, response["Content-Type"])
        assert graph.value(node, DCTERMS.license)


def test_the_api_is_described_as_the_data_service_of_every_dataset(client):
    graph = catalogue_graph(client)
    (service,) = graph.subjects(RDF.type, DCAT.DataService)
    assert str(graph.value(service, DCAT.endpointURL)) == f"{SITE}/api/v1/"
    description = urlsplit(str(graph.value(service, DCAT.endpointDescription))).path
    assert client.get(description).json()["openapi"].startswith("3.")
    served = {str(node) for node in graph.objects(service, DCAT.servesDataset)}
    assert served == {f"{SITE}/data/#{dataset.key}" for dataset in DATASETS}
    # Each dataset can be had through it: a distribution whose access service it is.
    for dataset in DATASETS:
        forms = set(graph.objects(dataset_node(graph, dataset.key), DCAT.distribution))
        assert any((form, DCAT.accessService, service) in graph for form in forms), dataset.key


def test_a_dataset_is_dated_by_its_newest_public_change(client):
    old = timezone.now() - datetime.timedelta(days=30)
    public = BestPracticeFactory(title="Public practice")
    members_only = BestPracticeFactory(title="Members' practice", visibility="members")
    BestPractice.objects.filter(pk=public.pk).update(updated_at=old)
    BestPractice.objects.filter(pk=members_only.pk).update(updated_at=timezone.now())

    graph = catalogue_graph(client)
    modified = graph.value(dataset_node(graph, "best-practices"), DCTERMS.modified)
    assert modified.datatype == XSD.dateTime
    # The members-only practice, changed since, does not date the open dataset.
    assert modified.toPython() == old


def test_protected_areas_and_coverage_keep_the_wdpas_terms(client, settings):
    settings.OPEN_DATA_LICENCE_URL = "https://example.org/our-licence"
    CountryStatisticsFactory(country=country("VNM"))
    graph = catalogue_graph(client)

    for key in ("protected-areas", "countries"):
        node = dataset_node(graph, key)
        assert str(graph.value(node, DCTERMS.license)) == settings.WDPA_TERMS_URL
        assert graph.value(node, DCTERMS.modified) is not None or key == "protected-areas"
    stories = dataset_node(graph, "stories")
    assert str(graph.value(stories, DCTERMS.license)) == "https://example.org/our-licence"


def test_the_data_page_lists_every_dataset_in_the_readers_language(client):
    english = client.get("/data/")
    assert english.status_code == 200
    for dataset in DATASETS:
        assert f'id="{dataset.key}"' in english.text
    assert 'href="/activities/calendar.ics"' in english.text
    assert 'href="/data/catalog.jsonld"' in english.text
    assert '<a href="/api/v1/docs/">The API</a>' in english.text
    assert 'href="/api/v1/best-practices/"' in english.text
    assert "The WDPA's terms of use" in english.text
    assert '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in english.text

    vietnamese = client.get("/vi/data/")
    assert vietnamese.status_code == 200
    assert "Dữ liệu mở" in vietnamese.text
    assert 'href="/vi/knowledge/best-practices/"' in vietnamese.text
    assert "Open data" in client.get("/").text  # the footer links to it


@pytest.mark.parametrize("practices", [2, 40])
def test_the_data_page_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, practices
):
    """Intended to prevent a query per dataset on every visit."""
    BestPracticeFactory.create_batch(practices)
    client.get("/data/")  # the dates, cached until a table they read changes
    # 1. SAVEPOINT  2. RELEASE SAVEPOINT (ATOMIC_REQUESTS): the dates come from the cache
    with django_assert_num_queries(2):
        client.get("/data/")


def test_the_data_page_describes_the_catalogue_to_dataset_search_engines(client):
    """schema.org's DataCatalog and Datasets, in a data block of /data/ (point 3)."""
    html = client.get("/data/").text
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    catalogue = json.loads(block)
    assert (catalogue["@context"], catalogue["@type"]) == ("https://schema.org", "DataCatalog")
    datasets = {item["identifier"]: item for item in catalogue["dataset"]}
    assert set(datasets) == {item.key for item in DATASETS}
    practices = datasets["best-practices"]
    assert practices["@type"] == "Dataset"
    assert practices["url"] == f"{SITE}/knowledge/best-practices/"
    assert {form["encodingFormat"] for form in practices["distribution"]} >= {
        "text/csv",
        "application/json",
        "application/rss+xml",
    }
    assert datasets["protected-areas"]["license"] == "https://www.protectedplanet.net/en/legal"


def test_any_site_may_read_the_catalogue_from_a_browser_but_not_the_data_page(client):
    """A harvester running in a web page reads the catalogue (CORS, as the API)."""
    origin = {"HTTP_ORIGIN": "https://data.example.org"}
    assert client.get(CATALOGUE, **origin)["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/data/", **origin)
