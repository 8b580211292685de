"""Background tasks of the case file. Run by `tribunal worker`; they persist in the database."""

from __future__ import annotations

from django_tasks import task

from case_core.audit import audit_record
from case_core.hashing import sha256_stream
from case_core.jobs import job_progress
from case_core.models import Case, Evidence, User
from case_core.permissions import authorize


def rehash(evidence: Evidence) -> str:
    with evidence.file.open("rb") as stream:
        return sha256_stream(stream)[0]


@task(takes_context=True)
def verify_case_files(context, case_id: int, actor_id: int) -> dict:
    """Re-hash every file in a case file and report any that changed or went missing."""
    case = Case.objects.get(pk=case_id)
    actor = User.objects.get(pk=actor_id)
    authorize(actor, case, "case.view")
    files = list(Evidence.objects.filter(case=case).order_by("id"))
    bad = []
    for index, evidence in enumerate(files):
        job_progress(
            context,
            name="verify_case_files",
            done=index,
            total=len(files),
            message=evidence.title,
            case=case,
        )
        try:
            ok = rehash(evidence) == evidence.sha256
        except FileNotFoundError:
            ok = False
        if not ok:
            bad.append(evidence.pk)
    job_progress(context, name="verify_case_files", done=len(files), total=len(files), case=case)
    report = {"checked": len(files), "mismatched": bad}
    audit_record(actor=actor, case=case, action="evidence.verified", data=report)
    return report


@task()
def verify_case_record(case_id: int, reason: str) -> dict:
    """Verify one case's record (every check of `tribunal verify --case`); the run is audited."""
    from case_core.integrity.auto import record_run
    from case_core.integrity.verify import verify_record

    report = verify_record(case_id)
    record_run(report, case_id=case_id, reason=reason)
    return {"ok": report.ok, "failures": len(report.failures), "checked": report.checked}
