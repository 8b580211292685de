"""The front door's services (lock -> authorize -> guard -> change -> audit, as in case_core)."""

from accounts.services.access import access_code_issue, case_claim, party_invite

__all__ = ["access_code_issue", "case_claim", "party_invite"]
