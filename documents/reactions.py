"""Reactions to lower layers (connected in DocumentsConfig.ready).

`serve_completed`: when the last signer of a drafted document (e.g. the award) signs and the
committee seals it (case_core.services.signing_signals.document_completed, inside that
transaction), serve it. Documents issued under the seal alone are served by draft_issue itself.
"""

from __future__ import annotations

from documents.models import Draft


def serve_completed(sender, document, **kwargs) -> None:
    from documents.services.service import service_start

    draft = Draft.objects.filter(document=document).first()
    if draft is None:
        return
    service_start(document=document, actor=draft.created_by)
