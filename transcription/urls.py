from django.urls import path

from transcription import views, views_signing

app_name = "transcription"
urlpatterns = [
    path("<int:transcript_id>/", views.review_page, name="review"),
    path("<int:transcript_id>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
    path("<int:transcript_id>/export.<slug:fmt>", views.export, name="export"),
    path("segments/<int:segment_id>/edit/", views.segment_edit, name="segment_edit"),
    path("segments/<int:segment_id>/merge/", views.segment_merge, name="segment_merge"),
    path("segments/<int:segment_id>/split/", views.segment_split, name="segment_split"),
    path("segments/<int:segment_id>/speaker/", views.segment_speaker, name="segment_speaker"),
    path("cases/<int:case_id>/", views.case_transcripts, name="case"),
    path("hearings/<int:hearing_id>/minutes/", views_signing.generate_minutes, name="minutes"),
    path("documents/<int:document_id>/", views_signing.document_page, name="document"),
    path("documents/<int:document_id>/file/", views_signing.document_file, name="document_file"),
    path("documents/<int:document_id>/code/", views_signing.request_code, name="document_code"),
    path("documents/<int:document_id>/sign/", views_signing.confirm, name="document_sign"),
    path("documents/<int:document_id>/withdraw/", views_signing.withdraw, name="document_withdraw"),
]
