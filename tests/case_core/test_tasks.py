"""The background task queue: jobs persist in the database, a worker runs them, progress is kept."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from case_core.jobs import progress_of
from case_core.models import AuditEntry
from case_core.services import evidence_upload
from case_core.tasks import verify_case_files

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_queued_job_in_a_worker_and_reports_progress(filed_case, applicant):
    good = evidence_upload(
        actor=applicant, case=filed_case, upload=ContentFile(PDF, name="a.pdf"), title="A"
    )
    bad = evidence_upload(
        actor=applicant, case=filed_case, upload=ContentFile(PDF + b"x", name="b.pdf"), title="B"
    )
    with open(bad.file.path, "ab") as f:  # a file changed on disk behind the case file's back
        f.write(b"tampered")
    result = verify_case_files.enqueue(filed_case.pk, applicant.pk)
    result.refresh()
    assert result.status == "READY"  # persisted, waiting for a worker
    call_command("worker", batch=True, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value == {"checked": 2, "mismatched": [bad.pk]}
    progress = progress_of(result.id)
    assert (progress.done, progress.total, progress.percent) == (2, 2, 100)
    assert AuditEntry.objects.filter(action="evidence.verified", case=filed_case).exists()
    assert good.pk not in result.return_value["mismatched"]


@pytest.mark.django_db(transaction=True)
def test_it_fails_a_job_for_an_outsider_without_touching_the_case(filed_case, outsider):
    result = verify_case_files.enqueue(filed_case.pk, outsider.pk)
    call_command("worker", batch=True, verbosity=0)
    result.refresh()
    assert result.status == "FAILED"
    assert not AuditEntry.objects.filter(action="evidence.verified").exists()
