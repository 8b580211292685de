"""Real-name identity: the verifier interface and the built-in verifiers.

A verifier is a class named by TRIBUNAL_IDENTITY_VERIFIER (a dotted path) with

    name: str
    def verify(self, *, user, name: str, id_type: str, id_number: str) -> Verdict

that answers VERIFIED (the platform or vendor vouches for the person: give `reference`, its
transaction id), PENDING (a person must look: the clerk's manual check) or REFUSED (with
`message`). It is called after the number passed its format and check-digit test
(case_core.validators.validate_id_document), outside any database transaction, and may raise
nothing but DomainError. An adapter for a provincial unified identity platform (e.g. a real-name
API answering name + ID number + a liveness token) or a face-verification vendor implements
`verify` by calling that service and mapping its answer; the face or liveness step itself runs
in the vendor's page or SDK and its token comes in through `extra`.

Built in:
* ClerkCheckVerifier (the default): always PENDING; a clerk compares the document in person or
  on a video call and confirms it (accounts.services.identity.identity_confirm).
* FormatOnlyVerifier: VERIFIED as soon as the number is well-formed. For demonstrations and
  tests only; it proves nothing about the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.module_loading import import_string

from accounts.conf import setting


class Outcome(StrEnum):
    VERIFIED = "verified"
    PENDING = "pending"
    REFUSED = "refused"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reference: str = ""
    message: str = ""


class ClerkCheckVerifier:
    name = "clerk"

    def verify(self, *, user, name, id_type, id_number, extra=None) -> Verdict:
        return Verdict(Outcome.PENDING)


class FormatOnlyVerifier:
    name = "format-only (demonstration)"

    def verify(self, *, user, name, id_type, id_number, extra=None) -> Verdict:
        return Verdict(Outcome.VERIFIED, reference=f"format-only:{user.pk}")


def current_verifier():
    return import_string(setting("TRIBUNAL_IDENTITY_VERIFIER"))()
