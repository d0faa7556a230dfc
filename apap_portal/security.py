"""Response headers Django does not send by itself."""

from django.conf import settings


class CrossOriginResourcePolicyMiddleware:
    """`Cross-Origin-Resource-Policy` on every response: pages, static files, uploads.

    Other sites' pages may link to the portal but not embed what it serves (an uploaded
    image, a script, the map's data) into themselves. Before WhiteNoise and the media
    view in MIDDLEWARE, so that their responses carry it too; in production the web
    server sends the same for /media/ and /static/ it serves (README).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.policy)
        return response
