"""Offline assets: the API docs page loads Swagger UI from the product's own static files, and
the hearing and case pages reference nothing on another host."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def test_it_serves_the_api_docs_with_local_swagger_ui(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    body = page.content.decode()
    assert "cdn.jsdelivr.net" not in body and not EXTERNAL.search(body)
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert asset in body and finders.find(asset), asset


def test_it_loads_nothing_from_another_host_on_the_hearing_and_case_pages(
    as_user, hearing, applicant
):
    client = as_user(applicant)
    for url in (
        reverse("signaling:hearing", args=[hearing.pk]),
        reverse("web:case", args=[hearing.case_id]),
        reverse("web:my_cases"),
    ):
        body = client.get(url).content.decode()
        assert not EXTERNAL.search(body), url
