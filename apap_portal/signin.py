"""Sign-in throttling (django-axes) and limits (apap_portal.limits): who is trying, from
where, and what a locked-out visitor sees.

django-axes pauses a username at one address after a few wrong passwords; one address
trying many usernames, and password resets, are limited by `apap_portal.limits`.

The address a request comes from (AXES_CLIENT_IP_CALLABLE): anyone can send an
X-Forwarded-For header. It is believed only when the request comes from one of
settings.TRUSTED_PROXIES, and then only as far as trusted proxies wrote it: reading from
the right, each trusted proxy appended the address it received the request from, so the
first address that is not itself a trusted proxy is the client. What lies further left
was written by the client and could be anything.
"""

from __future__ import annotations

import logging
from functools import cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

from apap_portal.landing import landing_url
from apap_portal.limits import limit_reached
from apap_portal.outbox import send_email

logger = logging.getLogger(__name__)

USERNAME_COLUMN_LENGTH = AccessAttempt._meta.get_field("username").max_length


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address: str) -> bool:
    try:
        parsed = ip_address(address.strip())
    except ValueError:
        return False
    return any(parsed in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _valid(address: str) -> str | None:
    try:
        return str(ip_address(address.strip()))
    except ValueError:
        return None


def client_ip_address(request: HttpRequest) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote_addr):
        return remote_addr or None
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not is_trusted_proxy(hop):
            # Not an address where a trusted proxy should have written one: the proxy
            # is misconfigured, and its own address is all that can be relied on.
            return _valid(hop) or remote_addr
    # Only trusted proxies (or no header): the request started at a proxy.
    return remote_addr


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username tried, as django-axes records it (AXES_USERNAME_CALLABLE).

    The sign-in form does not limit the length of what is typed, and axes keeps it in a
    column of 255 characters: longer, it would break the request. No username is
    that long, so the first 255 characters tell the attempts apart as well.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else request.POST.get(field)
    return username[:USERNAME_COLUMN_LENGTH] if isinstance(username, str) else username


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page in the site's layout that says sign-in is paused, and for how long
    (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(
        request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def _is_home_page(url: str) -> bool:
    try:
        return resolve(urlsplit(url).path).url_name == "home"
    except Resolver404:
        return False


class LimitedLoginView(auth_views.LoginView):
    """Sign-in, with a limit on the attempts from one address whatever the username.

    A safe `next` address comes first (Django checks it), except the home page (the
    header's "Sign in" asks to come back to the page it is on); without one, each person
    lands where their work is (`landing_url`).
    """

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)

    def get_success_url(self) -> str:
        # The header's "Sign in" asks to come back to the page it is on; from the home
        # page (the page everyone starts on) that is no wish: the user's own page serves.
        asked = self.get_redirect_url()
        if asked and not _is_home_page(asked):
            return asked
        return self.get_default_redirect_url()

    def post(self, request, *args, **kwargs):
        if limit_reached(request, "sign-in"):
            context = {"limit": settings.REQUEST_LIMITS["sign-in"]}
            return render(request, "registration/too_many_sign_ins.html", context, status=429)
        return super().post(request, *args, **kwargs)


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's form, whose email goes through the outbox (sent by the worker, retried,
    and in the reader's language), and is not sent when a limit is passed (`limited`)."""

    limited = False

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        if self.limited:
            logger.warning("Password reset: limit reached, no email sent")
            return
        send_email(
            to=to_email,
            subject=render_to_string(subject_template_name, context),
            template=email_template_name,
            html_template=html_email_template_name,
            context=context,
            kind="password reset",
            language=translation.get_language(),
        )


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Password reset, limited per address and per email address.

    A limited request gets the same answer as any other (the "email sent" page), and goes
    through the same steps — the form still looks the accounts up — so that neither the
    page nor its timing tells whether an address has an account or was limited.
    """

    form_class = LimitedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        from_here = limit_reached(self.request, "password-reset")
        for_this_email = limit_reached(
            self.request, "password-reset-email", email=form.cleaned_data["email"]
        )
        form.limited = from_here or for_this_email
        return super().form_valid(form)
