"""Staff reports: the cooperation report for a partner and the funding-proposal pipeline."""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from activities.forms import CooperationReportForm
from activities.models import Activity
from activities.reports import (
    COOPERATION_CSV_HEADER,
    FUNDING_CSV_HEADER,
    cooperation_csv_rows,
    cooperation_report,
    funding_csv_rows,
    funding_pipeline,
)
from apap_portal.downloads import csv_response


class StaffPermissionRequiredMixin(UserPassesTestMixin):
    """Secretariat staff whose group may view the report's records.

    Visitors are sent to sign in; members, and staff without the permission, are
    refused (403).
    """

    permission_required: str

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_staff and user.has_perm(self.permission_required)


class CooperationReportView(StaffPermissionRequiredMixin, View):
    """The activities a partner cooperated on during a period, as a page or as CSV."""

    permission_required = "activities.view_activity"
    template_name = "activities/cooperation_report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        wants_csv = request.GET.get("format") == "csv"
        asked = wants_csv or any(name in request.GET for name in CooperationReportForm.base_fields)
        form = CooperationReportForm(request.GET if asked else None)
        if not asked:
            return self.page(request, form)
        if not form.is_valid():
            # A CSV of nothing would be mistaken for "no cooperation": show what is wrong.
            return self.page(request, form, status=400)
        report = cooperation_report(
            Activity.objects.visible_to(request.user),
            form.cleaned_data["partner"],
            form.cleaned_data["start"],
            form.cleaned_data["end"],
        )
        if wants_csv:
            return csv_response(
                report.filename,
                COOPERATION_CSV_HEADER,
                cooperation_csv_rows(report, request.build_absolute_uri),
            )
        return self.page(request, form, report=report)

    def page(self, request, form, report=None, status=200) -> HttpResponse:
        context = {"form": form, "report": report, "prepared_on": timezone.localdate()}
        return render(request, self.template_name, context, status=status)


class FundingPipelineView(StaffPermissionRequiredMixin, View):
    """Funding proposals by status, with their totals per currency, as a page or as CSV."""

    permission_required = "activities.view_fundingproposal"
    template_name = "activities/fundingproposal_pipeline.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        pipeline = funding_pipeline()
        if request.GET.get("format") == "csv":
            filename = f"funding-proposals-{timezone.localdate():%Y-%m-%d}.csv"
            return csv_response(filename, FUNDING_CSV_HEADER, funding_csv_rows(pipeline))
        context = {"pipeline": pipeline, "prepared_on": timezone.localdate()}
        return render(request, self.template_name, context)
