"""The calls: their list (open ones first), a call's page, and a member's response on it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from apap_portal.translations.reading import TranslatedDetailMixin
from calls.forms import CallResponseForm
from calls.models import Call, CallResponse
from calls.services import call_response_save


class CallListView(ListView):
    paginate_by = settings.PAGINATE_BY
    template_name = "calls/call_list.html"

    def get_queryset(self) -> QuerySet[Call]:
        self.now = timezone.now()
        return Call.objects.listed_for(self.request.user).for_list().open_first(self.now)

    def get_context_data(self, **kwargs):
        return super().get_context_data(now=self.now, **kwargs)


class CallDetailView(TranslatedDetailMixin, DetailView):
    """A call's page; for a member who may answer it, their response form (GET and POST).

    Whoever may not respond is told why: sign in, a member account is needed, the call is
    for other countries, it is not open yet, or it has closed.
    """

    template_name = "calls/call_detail.html"

    def get_queryset(self) -> QuerySet[Call]:
        return Call.objects.visible_to(self.request.user).for_detail()

    def get(self, request, *args, **kwargs) -> HttpResponse:
        self.now = timezone.now()
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs) -> HttpResponse:
        self.now = timezone.now()
        self.object = call = self.get_object()
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.is_eligible():
            return self.render_to_response(self.get_context_data(), status=403)
        with transaction.atomic():
            # Locked: two tabs of the same member saving at once wait for each other.
            existing = self.response_of(user, lock=True)
            form = CallResponseForm(request.POST, request.FILES, instance=existing)
            if not call.is_open(self.now):
                # Nothing is saved; the text typed comes back for the member to keep.
                context = self.get_context_data(form=form, refused_text=request.POST.get("text"))
                return self.render_to_response(context, status=403)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            try:
                with transaction.atomic():
                    call_response_save(
                        call,
                        form.save(commit=False),
                        user,
                        now=self.now,
                        new_files=form.cleaned_data.get("attachments") or [],
                        removed=list(form.cleaned_data.get("remove_attachments") or []),
                        base_url=request.build_absolute_uri("/"),
                    )
            except IntegrityError:
                # Another request of the same member made the response first.
                form.add_error(
                    None, _("Your response was saved meanwhile; check it and save again.")
                )
                return self.render_to_response(self.get_context_data(form=form), status=409)
        if existing is None:
            messages.success(request, _("Thank you: your response was sent to the secretariat."))
        else:
            messages.success(request, _("Your response was updated."))
        return redirect(f"{call.get_absolute_url()}#response")

    def is_eligible(self) -> bool:
        if not hasattr(self, "_eligible"):
            user = self.request.user
            self._eligible = Call.objects.filter(pk=self.object.pk).eligible_for(user).exists()
        return self._eligible

    def response_of(self, user, lock: bool = False) -> CallResponse | None:
        responses = CallResponse.objects.filter(call_id=self.object.pk, user_id=user.pk)
        if lock:
            responses = responses.select_for_update()
        else:
            responses = responses.prefetch_related("attachments")
        return responses.first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call, user, now = self.object, self.request.user, self.now
        context.update(now=now, is_open=call.is_open(now), is_closed=call.is_closed(now))
        context["time_left"] = call.time_left(now)
        if not user.is_authenticated:
            context["respond"] = "sign-in"
        elif user.organization_id is None:
            context["respond"] = "not-a-member"
        elif not self.is_eligible():
            context["respond"] = "not-eligible"
        else:
            if "form" in kwargs:
                response = kwargs["form"].instance if kwargs["form"].instance.pk else None
            else:
                response = self.response_of(user)
            context["own_response"] = response
            if call.is_open(now):
                context["respond"] = "form"
                context.setdefault("form", CallResponseForm(instance=response))
            else:
                context["respond"] = "closed" if call.is_closed(now) else "not-yet"
        return context
