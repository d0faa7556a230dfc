"""Error pages in the site's layout, in the visitor's language.

The 500 page is a self-contained template: when something is broken (the database,
say), the page that says so must not depend on it.
"""

import logging

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
