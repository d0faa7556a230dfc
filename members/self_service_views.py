"""Members serving themselves: asking for an account, and keeping their organization's profile."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.formsets import TOTAL_FORM_COUNT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apap_portal.editing.history import revision
from apap_portal.editing.locking import LOADED_VERSION
from apap_portal.limits import limit_reached
from members.forms import AccountRequestForm, ProfileChangeForm, proposed_focal_point_formset
from members.models import AccountRequest, Organization, ProfileChange, User
from members.services import account_request_receive, profile_change_submit

logger = logging.getLogger(__name__)

# Account requests


def account_request(request: HttpRequest) -> HttpResponse:
    """The request form; every accepted form gets the same answer, "your request was received".

    Whether the address has an account already, has a request waiting or was throttled is
    never told: each goes through the same steps and lands on the same page.
    """
    if request.user.is_authenticated:
        return render(request, "members/account_request.html", {"signed_in": True})
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Both counted on every request, so that one limit does not hide the other.
        from_here = limit_reached(request, "account-request")
        for_this_email = limit_reached(request, "account-request-email", email=email)
        if from_here or for_this_email:
            logger.warning("Account request: limit reached, not recorded")
        elif AccountRequest.objects.pending().filter(email__iexact=email).exists():
            logger.info("Account request: one is waiting for this address already")
        else:
            account_request_receive(
                form.save(commit=False), base_url=request.build_absolute_uri("/")
            )
        return redirect("members:account_request_received")
    return render(request, "members/account_request.html", {"form": form})


@require_safe
def account_request_received(request: HttpRequest) -> HttpResponse:
    return render(request, "members/account_request_received.html")


# The organization's profile

FOCAL_POINTS_PREFIX = "focal"
SUBMIT_FOR_REVIEW = "submit"


def _open_change(organization: Organization, *, lock: bool = False) -> ProfileChange | None:
    changes = ProfileChange.objects.open().filter(organization=organization)
    if lock:
        changes = changes.select_for_update(of=("self",))
    return changes.select_related("submitted_by").first()


def _proposal_of(organization: Organization) -> tuple[ProfileChange, list[dict]]:
    """A new change that starts from the profile as published, with its focal points."""
    change = ProfileChange(
        organization=organization,
        description=organization.description,
        website=organization.website,
        logo_alt=organization.logo_alt,
    )
    membership = getattr(organization, "membership", None)
    points = list(membership.focal_points.all()) if membership is not None else []
    initial = [
        {"name": p.name, "role": p.role, "email": p.email, "focal_point": p.pk, "ORDER": n}
        for n, p in enumerate(points, start=1)
    ]
    return change, initial


def _organization_of(user: User) -> Organization | None:
    if user.organization_id is None:
        return None
    return (
        Organization.objects.select_related("membership")
        .prefetch_related("membership__focal_points")
        .get(pk=user.organization_id)
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """A member proposes changes to their organization's page, for the secretariat's review."""
    organization = _organization_of(request.user)
    if organization is None:
        return render(request, "members/profile_form.html", {"not_a_member": True}, status=403)
    membership = getattr(organization, "membership", None)
    if request.method != "POST":
        change = _open_change(organization)
        initial = []
        if change is None:
            change, initial = _proposal_of(organization)
        if change.pk and change.status not in ProfileChange.EDITABLE_STATUSES:
            return _render(request, organization, change, None, None)
        formset_class = proposed_focal_point_formset(extra=len(initial) + 1 if initial else 1)
        if change.pk is None:
            formset = formset_class(
                prefix=FOCAL_POINTS_PREFIX, initial=initial, membership=membership
            )
        else:
            formset = formset_class(
                instance=change, prefix=FOCAL_POINTS_PREFIX, membership=membership
            )
        form = ProfileChangeForm(instance=change, current_logo=bool(organization.logo))
        return _render(request, organization, change, form, formset)
    with transaction.atomic():
        return _save(request, organization, membership)


def _save(request: HttpRequest, organization: Organization, membership) -> HttpResponse:
    # Lock the organization: two members starting a change at once make one, not two.
    list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk"))
    change = _open_change(organization, lock=True)
    opened_on_existing = bool(request.POST.get(LOADED_VERSION))
    conflict = ""
    if change is None:
        if opened_on_existing:
            # The change this form was opened on was published or declined meanwhile.
            conflict = _(
                "The secretariat reviewed your organization's pending change after you opened "
                "this form. Nothing you typed was saved; it is kept below. Copy what you need, "
                "then reload the page to start from the profile as it is now."
            )
        change, _initial = _proposal_of(organization)
    elif not opened_on_existing:
        who = change.submitted_by or _("A colleague")
        conflict = _(
            "%(who)s started a change to this profile after you opened it. Nothing you typed "
            "was saved; it is kept below. Copy what you need, then reload the page to make your "
            "changes on theirs."
        ) % {"who": who}
        change = ProfileChange(organization=organization)
    submitting = request.POST.get("action") == SUBMIT_FOR_REVIEW
    form = ProfileChangeForm(
        request.POST, request.FILES, instance=change, current_logo=bool(organization.logo)
    )
    formset = proposed_focal_point_formset()(
        request.POST,
        instance=change,
        prefix=FOCAL_POINTS_PREFIX,
        membership=membership,
    )
    form_is_valid = form.is_valid()
    formset_error = ""
    try:
        formset_is_valid = membership is None or formset.is_valid()
    except ValidationError:
        formset_is_valid = False
    if membership is not None and _formset_unreadable(formset):
        formset = proposed_focal_point_formset()(
            instance=change if change.pk else None,
            prefix=FOCAL_POINTS_PREFIX,
            membership=membership,
        )
        formset_error = _(
            "The focal points could not be read: the form was changed or is out of date. "
            "The other fields are kept; enter the focal points again."
        )
        formset_is_valid = False
        status = 400
    else:
        status = 200
    if conflict:
        form.add_error(None, conflict)
    if change.pk and change.status not in ProfileChange.EDITABLE_STATUSES and form_is_valid:
        form.add_error(
            None,
            _(
                "This change was sent for review meanwhile: nothing you typed was saved. "
                "It is kept below."
            ),
        )
    if not (form.is_valid() and formset_is_valid) or conflict:
        transaction.set_rollback(True)
        return _render(
            request, organization, change, form, formset, formset_error=formset_error, status=status
        )
    creating = change.pk is None
    with revision("Created." if creating else "Changed.", user=request.user):
        change = form.save(commit=False)
        change.organization = organization
        if creating:
            change.submitted_by = request.user
        change.save()
        if membership is not None:
            formset.instance = change
            formset.save_in_order()
        if submitting:
            profile_change_submit(change, request.user, base_url=request.build_absolute_uri("/"))
    if submitting:
        messages.success(
            request,
            _(
                "Your changes to the profile of %(organization)s are submitted. The secretariat "
                "will review them; the public page shows the current profile until then."
            )
            % {"organization": organization.name},
        )
        return redirect("submissions:dashboard")
    messages.success(request, _("Your changes are saved as a draft. Submit them when ready."))
    return redirect("members:profile_edit")


def _formset_unreadable(formset) -> bool:
    management = formset.management_form
    return (
        not management.is_valid()
        or management.cleaned_data[TOTAL_FORM_COUNT] > formset.absolute_max
    )


def _render(
    request: HttpRequest,
    organization: Organization,
    change: ProfileChange,
    form,
    formset,
    *,
    formset_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "organization": organization,
        "change": change,
        "form": form,
        "formset": formset,
        "has_membership": getattr(organization, "membership", None) is not None,
        "formset_error": formset_error,
        # Browsers never send a chosen file again after a round trip: say so.
        "logo_not_kept": form is not None and form.is_bound and bool(request.FILES.get("logo")),
    }
    return render(request, "members/profile_form.html", context, status=status)
