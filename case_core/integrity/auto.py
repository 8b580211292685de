"""Verification that runs by itself, each run audited, failures alerting the administrators.

After a recording is filed, a document fully signed or an award made (`case_core.audit.
VERIFY_AFTER`, asked for by `audit_record` on commit) the case's record is verified by a background job
(`case_core.tasks.verify_case_record`); `tribunal verify --checkpoint` runs nightly (cron or a
systemd timer) over the whole record. Each run is audited as `record.verified` (in the case's
chain, or the system chain for the whole record, plus one entry per case that fails); a failure
notifies every administrator and `record_alert(case)` (the last run's failures for that case)
puts a banner on its pages.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from case_core.models import AuditEntry, Case, StaffRole, User

log = logging.getLogger(__name__)

MAX_LISTED = 50  # findings kept in one audit entry


def _summary(findings) -> list[dict]:
    return [
        {"check": f.check, "subject": f.subject, "problem": f.problem}
        for f in findings[:MAX_LISTED]
    ]


def record_run(report, *, case_id: int | None, reason: str) -> None:
    """Audit a verification run; on failure alert the administrators."""
    from case_core.audit import audit_record

    failures = report.failures
    by_case: dict[int, list] = {}
    for finding in failures:
        if finding.case is not None:
            by_case.setdefault(finding.case, []).append(finding)
    case = Case.objects.filter(pk=case_id).first() if case_id is not None else None
    with transaction.atomic():
        audit_record(
            actor=None,
            case=case,
            action="record.verified",
            data={
                "reason": reason,
                "ok": report.ok,
                "checked": report.checked,
                "failures": len(failures),
                "findings": _summary(failures),
            },
        )
        if case_id is None:
            for failed in Case.objects.filter(pk__in=by_case):
                audit_record(
                    actor=None,
                    case=failed,
                    action="record.verified",
                    data={
                        "reason": reason,
                        "ok": False,
                        "failures": len(by_case[failed.pk]),
                        "findings": _summary(by_case[failed.pk]),
                    },
                )
            for cleared in Case.objects.filter(pk__in=_alerted_cases()).exclude(pk__in=by_case):
                audit_record(
                    actor=None,
                    case=cleared,
                    action="record.verified",
                    data={"reason": reason, "ok": True, "failures": 0, "findings": []},
                )
    if failures:
        transaction.on_commit(lambda: _alert(failures, case_id))


def _alerted_cases() -> list[int]:
    """Cases whose last verification failed."""
    last: dict[int, bool] = {}
    for case_id, data in (
        AuditEntry.objects.filter(case__isnull=False, action="record.verified")
        .order_by("case", "seq")
        .values_list("case_id", "data")
    ):
        last[case_id] = bool(data.get("ok"))
    return [case_id for case_id, ok in last.items() if not ok]


def record_alert(case: Case) -> list[dict]:
    """The failures of the last verification of this case ([] when it passed or never ran)."""
    entry = AuditEntry.objects.filter(case=case, action="record.verified").order_by("-seq").first()
    if entry is None or entry.data.get("ok"):
        return []
    return list(entry.data.get("findings") or [])


def _alert(failures, case_id) -> None:
    from case_core.notifications import notify

    subject = _("The record failed verification")
    lines = [f"[{f.check}] {f.subject}: {f.problem}" for f in failures[:10]]
    body = _("%(n)d mismatches found by the record's verification.") % {"n": len(failures)}
    case = Case.objects.filter(pk=case_id).first() if case_id is not None else None
    for admin in User.objects.filter(staff_role=StaffRole.ADMIN, is_active=True):
        notify(user=admin, subject=subject, body=body + "\n" + "\n".join(lines), case=case)


def verify_on_commit(*, case_id: int | None, reason: str) -> None:
    """After the current transaction commits, queue a verification of the case's record."""
    if not settings.TRIBUNAL_VERIFY_AFTER_MILESTONES or case_id is None:
        return

    def queue() -> None:
        from case_core.tasks import verify_case_record

        try:
            verify_case_record.enqueue(case_id, reason)
        except Exception:  # the action stands; the nightly run covers it
            log.exception("could not queue the verification of case %s", case_id)

    transaction.on_commit(queue)
