"""Staff reports, under /reports/."""

from django.urls import path

from activities import report_views

app_name = "reports"

urlpatterns = [
    path(
        "reports/cooperation/",
        report_views.CooperationReportView.as_view(),
        name="cooperation",
    ),
    path(
        "reports/funding-proposals/",
        report_views.FundingPipelineView.as_view(),
        name="funding_pipeline",
    ),
]
