"""Error pages in the site's layout, in the visitor's language.

The 500 page is a self-contained template: when something is broken (the database,
say), the page that says so must not depend on it.
"""

import logging

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def _error_page(request, status: int, title: str, message: str) -> HttpResponse:
    context = {"status_code": status, "error_title": title, "error_message": message}
    return render(request, "error.html", context, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error_page(
        request, 400, _("Bad request"), _("The portal could not understand this request.")
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error_page(
        request,
        403,
        _("You do not have access to this page"),
        _("This page is for the partnership's secretariat or members. If you think you "
          "should see it, sign in with your account or ask the secretariat."),
    )  # fmt: skip


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(
        request,
        404,
        _("Page not found"),
        _("The page you asked for does not exist, or has moved. Some pages are for "
          "members only: sign in to see them."),
    )  # fmt: skip


def csrf_failure(request, reason=""):
    response = _error_page(
        request,
        403,
        _("Your form could not be sent"),
        _("The form had expired or your browser did not send its security cookie. Go back, "
          "reload the page and send the form again; what you typed may still be there."),
    )  # fmt: skip
    return response


@requires_csrf_token
def server_error(request):
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else ""


class OneLineFailureFilter(logging.Filter):
    """Failures that repeat alike on every request are logged in one line, no traceback.

    - A database error (logged by Django for an error raised outside a view): while the
      database is down, every request fails the same way.
    - A request the portal refuses as suspicious (`SuspiciousOperation`: a `Host` it
      does not serve, a forged session): a load balancer probing by IP or a scanner
      sends thousands; the message says all there is (the 400 page answered them).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, OperationalError | InterfaceError):
            record.msg = f"{record.getMessage()} (database unavailable: {_first_line(error)})"
            record.args = ()
        elif not isinstance(error, SuspiciousOperation):
            return True
        record.exc_info = None
        record.exc_text = None
        return True


def database_unavailable_page() -> HttpResponse:
    """503, from the self-contained 500 template: it needs nothing the database holds."""
    template = loader.get_template("500.html")
    response = HttpResponse(template.render({"database_down": True}), status=503)
    response["Retry-After"] = "60"
    # Logged once by the middleware below, not again as a 5xx response by Django.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """While the database is down, each request logs one line and gets the 503 page.

    Without it, every request would log a full traceback (tens of MB a minute under
    load) for a failure that is one fact: the database does not answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable: %s %s (%s: %s)",
            request.method,
            request.path,
            type(exception).__name__,
            _first_line(exception),
        )
        return database_unavailable_page()
