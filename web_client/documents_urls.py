"""/documents/<id>/...: the signing pages of any signable case document (web_client.views.documents)."""

from django.urls import path

from web_client.views import documents

app_name = "documents"
urlpatterns = [
    path("<int:document_id>/", documents.document_page, name="page"),
    path("trust/root.pem", documents.trust_root, name="trust_root"),
    path("<int:document_id>/file/", documents.document_file, name="file"),
    path("<int:document_id>/code/", documents.request_code, name="code"),
    path("<int:document_id>/sign/", documents.confirm, name="sign"),
    path("<int:document_id>/withdraw/", documents.withdraw, name="withdraw"),
]
