from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("case_core.api.urls")),
    path(  # signing links texted before the pages moved to /documents/
        "transcripts/documents/<int:document_id>/",
        RedirectView.as_view(pattern_name="documents:page", permanent=True),
    ),
    path("transcripts/", include("transcription.urls")),
    path("minutes/", include("minutes.urls")),
    path("documents/", include("web_client.documents_urls")),
    path("paperwork/", include("documents.urls")),
    path("hearings/", include("signaling.urls")),
    path("recordings/", include("recording.urls")),
    path("", include("web_client.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
