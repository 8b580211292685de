"""`tribunal seed` includes a finished case with an issued award and a served mediation agreement,
with their receipts; the documents validate offline."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.test import Client

from case_core.models import SignableDocument, User
from documents.models import Service
from tests.support.paperwork import pyhanko_check


def test_it_seeds_a_served_award_and_mediation_agreement_with_receipts(db, capsys):
    call_command("seed", "--json")
    data = json.loads(capsys.readouterr().out)
    kinds = {row["kind"]: row for row in data["documents"]}
    assert set(kinds) == {"award", "mediation_agreement"}
    for row in kinds.values():
        assert row["served"] and all(s["status"] == "served" for s in row["served"])
        document = SignableDocument.objects.get(pk=row["document"])
        pyhanko_check(document.evidence.file.read())
    worker = User.objects.get(username="worker")
    service = Service.objects.filter(recipient=worker, document__kind="award").get()
    client = Client()
    client.force_login(worker)
    receipt = client.get(f"/paperwork/services/{service.pk}/receipt/")
    assert receipt.status_code == 200
    pyhanko_check(receipt.content)
    call_command("seed", "--json")  # idempotent
    assert SignableDocument.objects.filter(kind="award").count() == 1
