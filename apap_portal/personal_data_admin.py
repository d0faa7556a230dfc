"""The admin's page for one person's data: see it, download it as JSON, erase it.

For those who manage accounts (`members.change_user`): a person's data is theirs to ask
for, and erasing it cannot be undone. Erasing asks to confirm first, naming what goes.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apap_portal import personal_data

PERMISSION = "members.change_user"


class PersonForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The address the person wrote from; case does not matter."),
    )


def _download(email: str, data: dict) -> HttpResponse:
    body = json.dumps({"email": email, "data": data}, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in email)
    response["Content-Disposition"] = f'attachment; filename="personal-data-{safe_name}.json"'
    return response


def person(request: HttpRequest, site) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    form = PersonForm(source if "email" in source else None)
    context = {**site.each_context(request), "title": _("One person's data"), "form": form}
    if not form.is_valid():
        return TemplateResponse(request, "admin/personal_data.html", context)
    email = form.cleaned_data["email"]
    if request.method == "POST" and request.POST.get("confirm") == "erase":
        erased = personal_data.erase(email, by=request.user.get_username())
        messages.success(
            request,
            _("The data of %(email)s is erased (%(count)d records).")
            % {"email": email, "count": sum(erased.values())},
        )
        return redirect(f"{reverse('admin:personal_data')}?{urlencode({'email': email})}")
    page_url = reverse("admin:personal_data")
    data = personal_data.export(email)
    if request.GET.get("format") == "json":
        return _download(email, data)
    context.update(
        email=email,
        data=data,
        pretty=json.dumps(data, ensure_ascii=False, indent=2),
        confirming=request.method == "POST" and request.POST.get("confirm") != "erase",
        json_url=f"{page_url}?{urlencode({'email': email, 'format': 'json'})}",
    )
    return TemplateResponse(request, "admin/personal_data.html", context)
