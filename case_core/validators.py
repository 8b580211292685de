"""Checks on identity documents and other case input; each raises DomainError."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from case_core.errors import invalid
from case_core.models import IdDocumentType

_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK = "10X98765432"
_PATTERNS = {
    IdDocumentType.PASSPORT: re.compile(r"^[A-Z0-9]{5,20}$"),
    IdDocumentType.HK_MACAO_PERMIT: re.compile(r"^[HM]\d{8,10}$"),
    IdDocumentType.TAIWAN_PERMIT: re.compile(r"^\d{8,10}$"),
    IdDocumentType.FOREIGNER_PERMIT: re.compile(r"^[A-Z0-9]{15,18}$"),
    IdDocumentType.BUSINESS_LICENCE: re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
}


def resident_id_valid(number: str) -> bool:
    """The 18-character PRC resident ID number with its ISO 7064 check character."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK[total % 11] == number[17]


def validate_id_document(id_type: str, number: str, *, field: str) -> str:
    number = (number or "").strip().upper()
    if id_type not in IdDocumentType.values:
        raise invalid(_("Unknown identity document type."), details={"field": field})
    ok = (
        resident_id_valid(number)
        if id_type == IdDocumentType.RESIDENT_ID
        else bool(_PATTERNS[id_type].fullmatch(number))
    )
    if not ok:
        raise invalid(
            _("The identity document number is not valid for its type."), details={"field": field}
        )
    return number


def require_text(value, *, field: str, max_length: int) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise invalid(_("This field must be text."), details={"field": field})
    if not text:
        raise invalid(_("This field is required."), details={"field": field})
    if len(text) > max_length:
        raise invalid(
            _("This field is too long (at most %(n)d characters).") % {"n": max_length},
            details={"field": field},
        )
    return text
