"""/data/ for search engines: the catalogue as a schema.org DataCatalog of Datasets.

Dataset search engines read schema.org, not DCAT: the same datasets, their licence, last
update and files (`DataDownload`), in the language of the page (apap_portal.linked_data).
"""

from __future__ import annotations

import datetime

from apap_portal.linked_data import absolute_url, apap, described, thing
from opendata.catalog import Dataset


def dataset(request, item: Dataset, updated: datetime.datetime | None) -> dict:
    return thing(
        "Dataset",
        name=str(item.title),
        description=str(item.description),
        url=absolute_url(request, item.landing_path),
        identifier=item.key,
        keywords=[str(keyword) for keyword in item.keywords],
        license=item.licence,
        dateModified=updated.isoformat() if updated else None,
        creator=apap(request),
        isAccessibleForFree=True,
        distribution=[
            thing(
                "DataDownload",
                name=form.format,
                encodingFormat=form.media_type,
                contentUrl=absolute_url(request, form.path),
            )
            for form in item.distributions
        ],
    )


def data_catalogue(request, datasets: list[tuple[Dataset, datetime.datetime | None]]) -> dict:
    return described(
        "DataCatalog",
        name="Asia Protected Areas Partnership: open data",
        url=absolute_url(request, request.path),
        publisher=apap(request),
        dataset=[dataset(request, item, updated) for item, updated in datasets],
    )
