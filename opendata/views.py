"""/data/: what the portal publishes, for people and, as DCAT, for programs."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opendata import dcat
from opendata.catalog import DATASETS, last_updates
from opendata.linked_data import data_catalogue


@require_GET
def index(request):
    updates = last_updates()
    datasets = [(dataset, updates[dataset.key]) for dataset in DATASETS]
    return render(
        request,
        "opendata/index.html",
        {"datasets": datasets, "structured_data": data_catalogue(request, datasets)},
    )


@require_GET
def catalogue(request):
    return JsonResponse(
        dcat.catalogue(request), content_type="application/ld+json", json_dumps_params={"indent": 1}
    )
