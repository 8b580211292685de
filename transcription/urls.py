from django.urls import path

from transcription import views

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
]
