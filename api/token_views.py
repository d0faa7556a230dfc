"""/my/api-tokens/: a member's personal tokens for the API, created and revoked here.

A new token is shown once, on the page that answers its creation (never in a URL, a
message or a log); only its hash is kept. Revoking asks for confirmation. Members (and
staff) have tokens: the token adds the members-only records; anyone else is refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api.forms import ApiTokenForm
from api.models import ApiToken, api_token_create
from members.models import is_member_or_staff


def _require_member(request: HttpRequest) -> None:
    if not is_member_or_staff(request.user):
        raise PermissionDenied(_("API tokens are for members of APAP."))


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The member's tokens and the form for a new one; a new token is shown once here."""
    _require_member(request)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _record, new_token = api_token_create(request.user, form.cleaned_data["name"])
            form = ApiTokenForm()
        else:
            status = 400
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": ApiToken.objects.of(request.user), "new_token": new_token},
        status=status,
    )
    add_never_cache_headers(response)  # the token must not stay in any cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the member's tokens, after asking (a revoked one stays revoked)."""
    _require_member(request)
    token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
    if request.method == "POST":
        token.revoke()
        revoked = _("The token “%(name)s” is revoked: it no longer opens the API.")
        messages.success(request, revoked % {"name": token.name})
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
