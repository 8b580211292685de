"""/paperwork/...: drafts, issue, service links and tables, receipts, filings (documents.views)."""

from django.urls import path

from documents import views

app_name = "paperwork"
urlpatterns = [
    path("s/<str:token>/", views.open_page, name="open"),
    path("s/<str:token>/file/", views.open_file, name="open_file"),
    path("s/<str:token>/receipt/", views.token_receipt, name="token_receipt"),
    path("s/<str:token>/calendar.ics", views.token_calendar, name="token_calendar"),
    path("services/<int:service_id>/file/", views.inbox_file, name="inbox_file"),
    path("services/<int:service_id>/receipt/", views.receipt, name="receipt"),
    path("services/<int:service_id>/calendar.ics", views.calendar, name="calendar"),
    path("services/<int:service_id>/postal/", views.postal, name="postal"),
    path("cases/<int:case_id>/drafts/", views.draft_new, name="draft_new"),
    path("drafts/<int:draft_id>/", views.draft_page, name="draft"),
    path("drafts/<int:draft_id>/preview/", views.draft_preview, name="draft_preview"),
    path("drafts/<int:draft_id>/issue/", views.draft_issue_view, name="draft_issue"),
    path("documents/<int:document_id>/service/", views.service_table, name="service_table"),
    path("cases/<int:case_id>/filings/", views.filing_new, name="filing_new"),
    path("filings/<int:filing_id>/decide/", views.filing_decide_view, name="filing_decide"),
    path("cases/<int:case_id>/evidence-period/", views.evidence_period, name="evidence_period"),
]
