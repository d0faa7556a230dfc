"""Members share best practices and follow their review; the member dashboard."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.formsets import TOTAL_FORM_COUNT
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from apap_portal.editing.history import revision
from knowledge.forms import BestPracticeForm, BuildingBlockFormSet, unique_best_practice_slug
from knowledge.models import BestPractice, GbfTarget
from knowledge.services import best_practice_submit
from members.models import ProfileChange

FORM_TEMPLATE = "knowledge/bestpractice_form.html"
FORMSET_PREFIX = "blocks"
SUBMIT_FOR_REVIEW = "submit"  # the value of the "Submit for review" button
ADD_BLOCK = "add-block"  # "Add a building block" without JavaScript: the form comes back

# The steps of the form, in order: each section's anchor, heading and the fields it
# holds. The building blocks and the review are sections of their own (no fields here).
FORM_SECTIONS = (
    ("practice", gettext_lazy("The practice"), (
        "title", "summary", "language", "context", "challenge_description", "impacts",
        "lessons_learned",
    )),
    ("where", gettext_lazy("Where and who"), ("protected_area", "countries", "contributors")),
    ("topics", gettext_lazy("Topics"), ("themes", "ecosystems", "challenges", "gbf_targets")),
    ("blocks", gettext_lazy("Building blocks"), ()),
    # The cover image and what goes with it (its description, its credit).
    ("pictures", gettext_lazy("Pictures"), (
        "cover_image", "cover_image_alt", "cover_image_credit", "cover_image_licence",
    )),
    ("review", gettext_lazy("Review and submit"), ()),
)  # fmt: skip


@login_required
def bestpractice_submit(request: HttpRequest) -> HttpResponse:
    if not request.user.organization_id:
        return render(request, FORM_TEMPLATE, {"not_a_member": True}, status=403)
    # Written in the page's language unless the member says otherwise (a site language is
    # always a Language: the check translations.E002).
    best_practice = BestPractice(organization=request.user.organization, language=get_language())
    return _edit(request, best_practice, initial=_suggested(request))


def _suggested(request: HttpRequest) -> dict:
    """What a link to the form suggests: `?gbf_target=1` ticks Target 1 ("in numbers" invites
    members to share a best practice for a target without any). Anything else is ignored."""
    values = request.GET.getlist("gbf_target")[:23]
    numbers = [int(value) for value in values if re.fullmatch(r"[0-9]{1,2}", value)]
    if not numbers:
        return {}
    return {"gbf_targets": list(GbfTarget.objects.filter(number__in=numbers))}


@login_required
def bestpractice_edit(request: HttpRequest, slug: str) -> HttpResponse:
    editable = BestPractice.objects.editable_by(request.user)
    if request.method == "POST":
        # Lock the row: a reviewer publishing it meanwhile makes it no longer editable.
        editable = editable.select_for_update(of=("self",))
    best_practice = get_object_or_404(editable.select_related("organization"), slug=slug)
    return _edit(request, best_practice)


def _edit(
    request: HttpRequest, best_practice: BestPractice, initial: dict | None = None
) -> HttpResponse:
    """The form and its building blocks: show, validate, save, and maybe submit for review."""
    creating = best_practice.pk is None
    if request.method != "POST":
        form = BestPracticeForm(instance=best_practice, user=request.user, initial=initial)
        formset = BuildingBlockFormSet(instance=best_practice, prefix=FORMSET_PREFIX)
        return _render_form(request, best_practice, form, formset)

    if request.POST.get("action") == ADD_BLOCK:
        return _add_block(request, best_practice)
    submitting = request.POST.get("action") == SUBMIT_FOR_REVIEW
    form = BestPracticeForm(request.POST, request.FILES, instance=best_practice, user=request.user)
    formset = BuildingBlockFormSet(
        request.POST, instance=best_practice, prefix=FORMSET_PREFIX, require_blocks=submitting
    )
    form_is_valid = form.is_valid()  # both validated, so that every error shows at once
    try:
        formset_is_valid = formset.is_valid()
    except ValidationError:
        formset_is_valid = False
    if _blocks_unreadable(formset):
        # Start the blocks afresh so that the next post is readable again.
        formset = BuildingBlockFormSet(instance=best_practice, prefix=FORMSET_PREFIX)
        error = _(
            "The building blocks could not be read: the form was changed or is out of "
            "date. The other fields are kept; enter the building blocks again."
        )
        return _render_form(request, best_practice, form, formset, blocks_error=error, status=400)
    if not (form_is_valid and formset_is_valid):
        return _render_form(request, best_practice, form, formset)

    # One revision by the member, building blocks included ("Submitted for review." when
    # the service submits it too).
    with revision("Created." if creating else "Changed.", user=request.user):
        best_practice = form.save(commit=False)
        if creating:
            best_practice.slug = unique_best_practice_slug(best_practice.title)
            best_practice.organization = request.user.organization
            best_practice.submitted_by = request.user
        best_practice.save()
        form.save_m2m()
        formset.instance = best_practice
        formset.save_in_order()
        if submitting:
            best_practice_submit(
                best_practice, request.user, base_url=request.build_absolute_uri("/")
            )
    if submitting:
        messages.success(
            request,
            _("“%(title)s” is submitted. The secretariat will review it and write to you.")
            % {"title": best_practice.title},
        )
    else:
        messages.success(
            request,
            _("“%(title)s” is saved as a draft.") % {"title": best_practice.title},
        )
    return redirect("submissions:dashboard")


def _add_block(request: HttpRequest, best_practice: BestPractice) -> HttpResponse:
    """The form as it was posted, with one more empty building block, nothing saved.

    Without JavaScript, adding a block is a round trip: everything typed comes back as
    typed (a chosen file excepted: browsers never send it again, and the page says so).
    Nothing is validated yet, so no error is shown for what the member has not written.
    """
    data = request.POST.copy()
    total_key = f"{FORMSET_PREFIX}-{TOTAL_FORM_COUNT}"
    form = BestPracticeForm(data, instance=best_practice, user=request.user)
    formset = BuildingBlockFormSet(data, instance=best_practice, prefix=FORMSET_PREFIX)
    if _blocks_unreadable(formset):
        formset = BuildingBlockFormSet(instance=best_practice, prefix=FORMSET_PREFIX)
        error = _("The building blocks could not be read: enter them again.")
        return _render_form(request, best_practice, form, formset, blocks_error=error, status=400)
    total = formset.management_form.cleaned_data[TOTAL_FORM_COUNT]
    new_block = min(total + 1, formset.max_num)
    data[total_key] = str(new_block)
    formset = BuildingBlockFormSet(data, instance=best_practice, prefix=FORMSET_PREFIX)
    _show_without_errors(form, formset)
    return _render_form(request, best_practice, form, formset, new_block=new_block)


def _show_without_errors(form: BestPracticeForm, formset) -> None:
    """Mark bound forms as checked and clean, so they show what was typed and no error."""
    form._errors = ErrorDict()
    for block_form in formset.forms:
        block_form._errors = ErrorDict()
    formset._errors = [block_form.errors for block_form in formset.forms]
    formset._non_form_errors = formset.error_class()


def _blocks_unreadable(formset) -> bool:
    """The hidden form counts were changed or lost: the blocks sent cannot be matched up."""
    management = formset.management_form
    return (
        not management.is_valid()
        or management.cleaned_data[TOTAL_FORM_COUNT] > formset.absolute_max
    )


def _error_summary(form: BestPracticeForm, formset) -> list[dict]:
    """Every error on the page, each linked to where it is shown, for the summary at the top."""
    summary = []
    for name, errors in form.errors.items():
        field = form[name] if name in form.fields else None
        for message in errors:
            summary.append(
                {
                    "anchor": field.auto_id if field is not None else "main-fields",
                    "label": field.label if field is not None else "",
                    "message": message,
                }
            )
    for number, block_form in enumerate(formset.forms, start=1):
        for name, errors in block_form.errors.items():
            field = block_form[name] if name in block_form.fields else None
            visible = field is not None and not field.is_hidden
            label = _("Building block %(number)s") % {"number": number}
            for message in errors:
                summary.append(
                    {
                        "anchor": field.auto_id if visible else f"block-{number}",
                        "label": f"{label}, {field.label}" if visible else label,
                        "message": message,
                    }
                )
    summary.extend(
        {"anchor": "blocks", "label": _("Building blocks"), "message": message}
        for message in formset.non_form_errors()
    )
    return summary


def _sections(form: BestPracticeForm, *, blocks_have_errors: bool) -> list[dict]:
    """The form's sections with their fields, and whether each has something to fix."""
    sections = []
    for anchor, title, names in FORM_SECTIONS:
        fields = [form[name] for name in names]
        has_errors = any(field.errors for field in fields) if form.is_bound else False
        if anchor == "blocks":
            has_errors = blocks_have_errors
        sections.append({"id": anchor, "title": title, "fields": fields, "has_errors": has_errors})
    return sections


def _render_form(
    request: HttpRequest,
    best_practice: BestPractice,
    form: BestPracticeForm,
    formset,
    *,
    blocks_error: str = "",
    new_block: int | None = None,
    status: int = 200,
) -> HttpResponse:
    validated = form.is_bound and new_block is None
    blocks_have_errors = bool(blocks_error) or (
        validated and (any(formset.errors) or bool(formset.non_form_errors()))
    )
    context = {
        "sections": _sections(form, blocks_have_errors=blocks_have_errors),
        "best_practice": best_practice,
        "creating": best_practice.pk is None,
        "form": form,
        "formset": formset,
        "blocks_error": blocks_error,
        "error_summary": _error_summary(form, formset) if validated else [],
        # Browsers never send a chosen file again after a round trip: say so.
        "image_not_kept": form.is_bound and bool(request.FILES.get("cover_image")),
        "new_block": new_block,
        "can_add_block": formset.total_form_count() < formset.max_num,
    }
    if blocks_error:
        context["error_summary"].append(
            {"anchor": "blocks", "label": _("Building blocks"), "message": blocks_error}
        )
    return render(request, FORM_TEMPLATE, context, status=status)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A member's page: their organization and its best practices, with their review status."""
    organization = request.user.organization
    best_practices = []
    profile_change = None
    if organization is not None:
        # A change to the organization's profile under way, if any, and where it stands.
        profile_change = (
            ProfileChange.objects.open().filter(organization=organization).only("status").first()
        )
        editable = BestPractice.objects.editable_by(request.user).filter(pk=OuterRef("pk"))
        best_practices = (
            BestPractice.objects.filter(organization=organization)
            .annotate(is_editable=Exists(editable))
            .only("title", "slug", "status", "review_message", "submitted_at", "published_at",
                  "updated_at", "visibility")
            .order_by("-updated_at")
        )  # fmt: skip
    return render(
        request,
        "knowledge/dashboard.html",
        {
            "organization": organization,
            "best_practices": best_practices,
            "profile_change": profile_change,
        },
    )
