"""The hearing page and the join-credential endpoint (personal links: test_links.py)."""

import pytest
from django.core import signing

from case_core.models import HearingStatus
from signaling.services import credential_redeem

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def test_it_serves_the_hearing_page_to_a_signed_in_invitee(client, hearing, clerk):
    client.force_login(clerk)
    page = client.get(f"/hearings/{hearing.pk}/")
    assert page.status_code == 200
    config = page.context["config"]
    assert config["role"] == "clerk" and "identity.verify" in config["may"]
    assert config["wsPath"] == f"/ws/hearings/{hearing.pk}/?lang=zh-hans"
    body = page.content.decode()
    assert "hearing-config" in body and "signaling/hearing.js" in body
    assert "signaling/precheck.js" in body and 'id="verify-dialog"' in body
    assert "site-header" not in body  # a full-viewport call: no site chrome


def test_it_hides_the_hearing_from_an_outsider(client, hearing, outsider):
    client.force_login(outsider)
    assert client.get(f"/hearings/{hearing.pk}/").status_code == 404
    reply = client.post(f"/hearings/{hearing.pk}/credential/", **JSON)
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "not_found"


def test_it_issues_a_credential_to_a_signed_in_invitee(client, hearing, arbitrator):
    client.force_login(arbitrator)
    reply = client.post(f"/hearings/{hearing.pk}/credential/", **JSON)
    assert reply.status_code == 200
    data = reply.json()
    assert data["hearing"] == hearing.pk and data["ttl"] == 120
    assert data["ws_url"] == f"ws://testserver/ws/hearings/{hearing.pk}/"
    payload = signing.loads(data["credential"], salt="signaling.join")
    assert payload["h"] == hearing.pk and payload["u"] == arbitrator.pk and payload["n"]
    assert credential_redeem(token=data["credential"], hearing_id=hearing.pk) == arbitrator


def test_it_refuses_credentials_for_a_closed_hearing(client, hearing, clerk):
    hearing.status = HearingStatus.CLOSED
    hearing.save()
    client.force_login(clerk)
    reply = client.post(f"/hearings/{hearing.pk}/credential/", **JSON)
    assert reply.status_code == 410
    assert reply.json()["error"]["code"] == "hearing_closed"
