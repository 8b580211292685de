from case_core.audit import audit_verify
from case_core.models import CaseStatus


def test_it_files_a_case_with_members_and_an_intact_audit_chain(filed_case):
    assert filed_case.status == CaseStatus.SUBMITTED
    assert filed_case.members.count() == 5
    report = audit_verify()
    assert report.ok and report.entries == 5
