"""The case file: users and roles, cases, parties, claims, evidence, hearings, audit log."""

from case_core.models.audit import AuditEntry, AuditHead
from case_core.models.cases import Case, CaseCounter, CaseStatus, Channel, DisputeKind, Procedure
from case_core.models.checkpoints import Checkpoint, CheckpointHead
from case_core.models.evidence import CrossExamination, Evidence
from case_core.models.hearings import Hearing, HearingKind, HearingStatus, Invitee, InviteeRole
from case_core.models.jobs import JobProgress
from case_core.models.members import CaseRole, Membership
from case_core.models.notifications import Notification
from case_core.models.parties import Agent, Claim, IdDocumentType, Party, PartySide
from case_core.models.signing import (
    DocumentStatus,
    RequiredSigner,
    SignableDocument,
    Signature,
    SigningCode,
)
from case_core.models.users import StaffRole, User

__all__ = [
    "Agent",
    "AuditEntry",
    "AuditHead",
    "Case",
    "CaseCounter",
    "CaseRole",
    "CaseStatus",
    "Checkpoint",
    "CheckpointHead",
    "Channel",
    "Claim",
    "CrossExamination",
    "DisputeKind",
    "DocumentStatus",
    "Evidence",
    "Hearing",
    "HearingKind",
    "HearingStatus",
    "IdDocumentType",
    "Invitee",
    "InviteeRole",
    "JobProgress",
    "Membership",
    "Notification",
    "Party",
    "PartySide",
    "Procedure",
    "RequiredSigner",
    "Signature",
    "SignableDocument",
    "SigningCode",
    "StaffRole",
    "User",
]
