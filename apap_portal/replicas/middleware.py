"""Per request: may its reads go to a replica? And read-your-writes afterwards."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse

from apap_portal.replicas import router
from apap_portal.replicas.router import Routing, current_routing, reading_from_replicas

logger = logging.getLogger(__name__)

# Signed, so that nobody can pin others; it only says "read from the primary until it
# expires", which a visitor could ask for harmlessly anyway.
PIN_COOKIE = "apap_primary"
PIN_SALT = "apap_portal.replicas.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The JSON API is read-only and anonymous or token-signed (no session): all its reads may
# use a replica. The admin never does, whatever cookie it comes with.
API_PATH = "/api/"
ADMIN_PATH = "/admin/"


class ReplicaMiddleware:
    """Reads of the public (no session) and of the API go to a replica; the rest, the primary.

    Members and staff have a session, so they read from the primary: their pages show what
    they just wrote (a submission and its status, an edit in the admin), they are few next
    to the public, and no replication lag ever reaches them. A visitor without a session
    who writes (a subscription, a sign-in, a form) is pinned to the primary by a signed
    cookie for DATABASE_REPLICA_PIN_SECONDS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not router.replica_aliases():
            return self.get_response(request)
        if not self.may_read_from_replica(request):
            response = self.get_response(request)
            wrote = request.method not in SAFE_METHODS
        else:
            routing = Routing(view_atomic_depth=len(connections[DEFAULT_DB_ALIAS].atomic_blocks))
            with reading_from_replicas(routing):
                response = self.get_response(request)
            if routing.replica_failed:
                # A read-only request, answered again as a whole from the primary.
                logger.warning(
                    "%s %s answered again from the primary: replica %s failed",
                    request.method,
                    request.path,
                    routing.replica,
                )
                response = self.get_response(request)
            # A GET that wrote (a confirmation link): its visitor reads it back next. The
            # API's own bookkeeping (a token's last use) is nobody's content.
            wrote = routing.wrote and not request.path_info.startswith(API_PATH)
        if wrote and response.status_code < 400:
            pin(response)
        return response

    def process_exception(self, request, exception):
        """A replica's failure is answered again in __call__, not as the 503 page.

        Before apap_portal.errors.DatabaseUnavailableMiddleware's (middleware later in the
        list handle exceptions first), which would log the primary as unavailable.
        """
        routing = current_routing()
        if routing is not None and routing.replica_failed:
            return HttpResponse(status=503)
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        """The view's own transaction (ATOMIC_REQUESTS) begins after this: count it."""
        routing = current_routing()
        if routing is not None and self.view_is_atomic(view_func):
            routing.view_atomic_depth += 1

    @staticmethod
    def view_is_atomic(view_func) -> bool:
        # As django.core.handlers.base.BaseHandler.make_view_atomic decides.
        exempt = getattr(view_func, "_non_atomic_requests", set())
        return (
            connections[DEFAULT_DB_ALIAS].settings_dict.get("ATOMIC_REQUESTS", False)
            and DEFAULT_DB_ALIAS not in exempt
        )

    @staticmethod
    def may_read_from_replica(request) -> bool:
        if request.method not in SAFE_METHODS or is_pinned(request):
            return False
        path = request.path_info
        if path.startswith(API_PATH):
            return True
        if path.startswith(ADMIN_PATH):
            return False
        return settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_pinned(request) -> bool:
    return (
        request.get_signed_cookie(
            PIN_COOKIE,
            default=None,
            salt=PIN_SALT,
            max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
        )
        is not None
    )


def pin(response) -> None:
    """This visitor reads from the primary for the next DATABASE_REPLICA_PIN_SECONDS."""
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
