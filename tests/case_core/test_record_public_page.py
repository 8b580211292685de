"""The public verification page: a SHA-256 (computed in the browser from a dropped file, or
pasted) says whether the file is in the record, when and by which side it was filed, and whether
it is intact; it names no case and no person."""

from __future__ import annotations

import hashlib

from django.test import Client
from django.urls import reverse

from tests.support.record import PDF_BYTES


def _check(sha256: str, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    return client.get(reverse("web:record_check"), {"sha256": sha256})


def test_it_finds_a_filed_exhibit_and_says_it_is_intact(recorded_case):
    response = _check(hashlib.sha256(PDF_BYTES).hexdigest().upper())
    text = response.content.decode()
    assert response.status_code == 200
    assert "In the record" in text and "the applicant&#x27;s side" in text
    assert "The stored file was hashed just now." in text and "<dd>Yes <span" in text
    assert recorded_case.case.number not in text and "Payslip" not in text


def test_it_says_when_the_stored_copy_no_longer_matches(recorded_case):
    with open(recorded_case.exhibit.file.path, "ab") as out:
        out.write(b"changed")
    text = _check(hashlib.sha256(PDF_BYTES).hexdigest()).content.decode()
    assert "No: the stored copy no longer matches" in text


def test_it_says_a_file_is_not_in_the_record(db):
    text = _check("0" * 64).content.decode()
    assert "No file with this SHA-256 is in the record." in text


def test_it_refuses_something_that_is_not_a_sha256(db):
    response = _check("not-a-hash")
    assert response.status_code == 400
    assert "A SHA-256 is 64 characters, 0-9 and a-f." in response.content.decode()


def test_it_offers_the_bundle_verifier(db):
    response = Client().get(reverse("web:bundle_verifier"))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and b"def verify(bag" in body
