from django.urls import path

from recording import views

app_name = "recording"

urlpatterns = [
    path("<int:evidence_id>/", views.recording_file, name="file"),
]
