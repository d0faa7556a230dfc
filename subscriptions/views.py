"""Subscribing and managing subscriptions: with an address (/subscribe/…), or signed in (/my/…).

The pages reached from an email's signed link need no account: the link is the key. None
of them changes anything on a GET (mail scanners open links): a GET shows a button, the
POST acts. The one-click unsubscribe POST (RFC 8058) comes from the reader's mail
program, without a CSRF token: it is exempt, the signed link being the proof.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apap_portal.limits import limit_reached
from members.models import is_member_or_staff
from subscriptions import links, services
from subscriptions.forms import FollowForm, FollowSearchForm, PublicSubscribeForm
from subscriptions.models import Subscription


def invalid_link(request) -> HttpResponse:
    return render(request, "subscriptions/invalid_link.html", status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The public's form: an address, what to follow, how often; then a confirmation email.

    The answer is the same whether the address is new, waiting or already subscribed, and
    an address is sent at most a few confirmations an hour, whoever asks.
    """
    form = PublicSubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if limit_reached(request, "subscribe"):
            form.add_error(
                None,
                _(
                    "Too many subscription requests came from your connection. "
                    "Please try again later."
                ),
            )
            return render(request, "subscriptions/subscribe.html", {"form": form}, status=429)
        email = form.cleaned_data["email"]
        if not limit_reached(request, "subscribe-email", email=email):
            services.subscription_request(_request_of(form, email), get_language())
        return redirect("subscriptions:sent")
    return render(request, "subscriptions/subscribe.html", {"form": form})


def _request_of(form, email: str) -> links.Request:
    data = form.cleaned_data
    return links.Request(
        email=email,
        kinds=tuple(data["kinds"]),
        frequency=data["frequency"],
        work_areas=tuple(area.pk for area in data["work_areas"]),
        countries=tuple(country.pk for country in data["countries"]),
    )


@require_http_methods(["GET"])
def sent(request):
    return render(request, "subscriptions/sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    try:
        asked = links.read_confirmation(token)
    except links.InvalidLink:
        return invalid_link(request)
    if request.method == "POST":
        subscriber = services.subscription_confirm(asked, get_language())
        messages.success(request, _("Thank you: your subscription is confirmed."))
        return redirect("subscriptions:manage", token=links.manage_token(subscriber))
    kinds = [Subscription.Kind(kind).label for kind in asked.kinds]
    return render(request, "subscriptions/confirm.html", {"asked": asked, "kinds": kinds})


@never_cache
@require_http_methods(["GET"])
def manage(request, token: str):
    """Every subscription of the address, each with its own unsubscribe button."""
    try:
        subscriber = links.read_manage(token)
    except links.InvalidLink:
        return invalid_link(request)
    subscriptions = [
        (subscription, links.unsubscribe_token(subscriber, subscription))
        for subscription in subscriber.subscriptions.prefetch_related("work_areas", "countries")
    ]
    return render(
        request,
        "subscriptions/manage.html",
        {
            "subscriber": subscriber,
            "subscriptions": subscriptions,
            "token": token,
            "unsubscribe_all_token": links.unsubscribe_token(subscriber),
        },
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """A GET shows a button; a POST (the button, or the mail program's one click) unsubscribes."""
    try:
        subscriber, subscription_id = links.read_unsubscribe(token)
    except links.InvalidLink:
        return invalid_link(request)
    context = {
        "subscriber": subscriber,
        "all": subscription_id is None,
        "manage_token": links.manage_token(subscriber),
    }
    if request.method == "POST":
        services.unsubscribe(subscriber, subscription_id)
        return render(request, "subscriptions/unsubscribed.html", context)
    if subscription_id is not None:
        context["subscription"] = subscriber.subscriptions.filter(pk=subscription_id).first()
        if context["subscription"] is None:  # already stopped
            return render(request, "subscriptions/unsubscribed.html", context)
    return render(request, "subscriptions/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request, token: str):
    """The subscriber erases their data: the address and all it follows, after a confirmation."""
    try:
        subscriber = links.read_manage(token)
    except links.InvalidLink:
        return invalid_link(request)
    if request.method == "POST":
        services.subscriber_erase(subscriber)
        return render(request, "subscriptions/deleted.html")
    return render(request, "subscriptions/delete.html", {"subscriber": subscriber, "token": token})


# Signed in


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    """A signed-in user's subscriptions, saved library searches included, and adding some."""
    if not request.user.email:
        return render(request, "subscriptions/no_email.html", status=400)
    subscriber = services.subscriber_for_member(request.user)
    form = FollowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for kind in data["kinds"]:
            is_activities = kind == Subscription.Kind.ACTIVITIES
            services.subscription_add(
                subscriber,
                kind,
                data["frequency"],
                work_areas=data["work_areas"] if is_activities else (),
                countries=data["countries"] if is_activities else (),
            )
        messages.success(request, _("Your subscriptions are saved."))
        return redirect("subscriptions:mine")
    subscriptions = subscriber.subscriptions.prefetch_related("work_areas", "countries")
    return render(
        request,
        "subscriptions/mine.html",
        {
            "subscriber": subscriber,
            "subscriptions": subscriptions,
            "form": form,
            "is_member": is_member_or_staff(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def follow_search(request):
    """ "Follow this search" on a library list: a member saves the list's filters and query."""
    back = reverse("subscriptions:mine")
    if not is_member_or_staff(request.user):
        messages.error(request, _("Saved searches are for members of APAP."))
        return redirect(back)
    if not request.user.email:
        return render(request, "subscriptions/no_email.html", status=400)
    form = FollowSearchForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    subscriber = services.subscriber_for_member(request.user)
    services.subscription_add(
        subscriber,
        form.cleaned_data["kind"],
        form.cleaned_data["frequency"],
        query=form.cleaned_data["query"],
    )
    messages.success(request, _("You follow this search: new matches will be emailed to you."))
    return redirect(back)


@login_required
@require_POST
def stop(request, pk: int):
    """A signed-in user stops one of their subscriptions."""
    subscription = get_object_or_404(Subscription, pk=pk, subscriber__user=request.user)
    subscription.delete()
    messages.success(request, _("You no longer follow this."))
    return redirect("subscriptions:mine")
