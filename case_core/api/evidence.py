"""Evidence: uploads (multipart), downloads (streamed, audited) and cross-examination opinions."""

from __future__ import annotations

from django.http import FileResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from case_core.api.common import load_case
from case_core.api.schemas import EvidenceOut, OpinionIn, OpinionOut, with_errors
from case_core.errors import not_found
from case_core.models import Evidence
from case_core.services import evidence_opinion, evidence_upload
from case_core.services.evidence import evidence_open

router = Router(tags=["evidence"])


def _evidence(case, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(pk=evidence_id, case=case).select_related("case").first()
    if evidence is None:
        raise not_found()
    return evidence


@router.post("/{case_id}/evidence", response=with_errors({201: EvidenceOut}, 409, 413, 415))
def upload_evidence(
    request,
    case_id: int,
    file: File[UploadedFile],
    title: Form[str],
    description: Form[str] = "",
):
    """Upload a file (PDF, image, audio, video, Word, text) with a title; stored with its SHA-256.

    Refused: empty files (400 `empty_file`), files over the size limit (413 `too_large`) and
    other types (415 `unsupported_type`).
    """
    case = load_case(request, case_id, "evidence.upload")
    evidence = evidence_upload(
        actor=request.auth, case=case, upload=file, title=title, description=description
    )
    return Status(201, evidence)


FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "The stored file, as an attachment; header X-Evidence-SHA256.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


@router.get(
    "/{case_id}/evidence/{evidence_id}/file",
    response=with_errors({200: None}),
    openapi_extra=FILE_RESPONSE,
)
def download_evidence(request, case_id: int, evidence_id: int):
    """The stored file, streamed; each download is recorded in the audit log."""
    case = load_case(request, case_id, "evidence.download")
    evidence = _evidence(case, evidence_id)
    handle = evidence_open(actor=request.auth, evidence=evidence)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Evidence-SHA256"] = evidence.sha256
    return response


@router.post(
    "/{case_id}/evidence/{evidence_id}/opinions", response=with_errors({201: OpinionOut}, 409)
)
def give_opinion(request, case_id: int, evidence_id: int, payload: OpinionIn):
    """A party's cross-examination opinion on the other side's evidence (one per side)."""
    case = load_case(request, case_id, "evidence.opinion")
    evidence = _evidence(case, evidence_id)
    opinion = evidence_opinion(
        actor=request.auth, evidence=evidence, **payload.model_dump(mode="json")
    )
    return Status(201, opinion)
