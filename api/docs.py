"""/api/v1/docs/: Swagger UI over the OpenAPI description, from our own static files.

Swagger UI's files come from drf-spectacular-sidecar (collected as static files); its
start is a static script of ours (static/js/api-docs.js), not an inline one, which the
content security policy would refuse.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def documentation(request):
    return render(request, "api/docs.html")
