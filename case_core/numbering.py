"""Case numbers in the configurable format TRIBUNAL_CASE_NUMBER_FORMAT.

Placeholders: {prefix}, {year}, {procedure} (M or A), {kind}, {seq}. The sequence restarts each
year per procedure and is taken under a row lock, so two clerks never get the same number.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from case_core.models import Case, CaseCounter

PROCEDURE_CODES = {"mediation": "M", "arbitration": "A"}


def next_case_number(case: Case) -> str:
    year = timezone.localtime().year
    CaseCounter.objects.get_or_create(year=year, procedure=case.procedure)
    counter = CaseCounter.objects.select_for_update().get(year=year, procedure=case.procedure)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.TRIBUNAL_CASE_NUMBER_FORMAT.format(
        prefix=settings.TRIBUNAL_CASE_NUMBER_PREFIX,
        year=year,
        procedure=PROCEDURE_CODES[case.procedure],
        kind=case.kind,
        seq=counter.last,
    )
