"""Helpers for the API tests: a logged-in JSON client and the counts that must not change."""

from __future__ import annotations

import json

from django.test import Client

from case_core.models import AuditEntry, Case, CrossExamination, Evidence, Membership

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


class ApiClient:
    """A django test Client signed in as `user` (or anonymous), speaking JSON to /api/."""

    def __init__(self, user=None, **client_kwargs):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en", **client_kwargs)
        if user is not None:
            self.client.force_login(user)

    def get(self, path, **params):
        return self.client.get("/api" + path, params)

    def post(self, path, body=None, **extra):
        data = "" if body is None else json.dumps(body, default=str)
        return self.client.post("/api" + path, data=data, content_type="application/json", **extra)

    def upload(self, path, data):
        return self.client.post("/api" + path, data=data)  # multipart


def as_user(user=None, **kwargs) -> ApiClient:
    return ApiClient(user, **kwargs)


def snapshot() -> dict:
    """Row counts of everything a refused request must leave alone."""
    return {
        "cases": Case.objects.count(),
        "evidence": Evidence.objects.count(),
        "opinions": CrossExamination.objects.count(),
        "members": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    """The response is an error in the one documented shape, with this status and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    if field is not None:
        assert error["details"].get("field") == field, error
    return error


def application(**overrides) -> dict:
    """A valid online application body."""
    body = {
        "kind": "worker_v_employer",
        "procedure": "arbitration",
        "channel": "online",
        "title": "Unpaid overtime",
        "facts": "Overtime in 2024 was never paid.",
        "applicants": [
            {"name": "Li Si", "id_type": "resident_id", "id_number": "11010519491231002X"}
        ],
        "respondents": [
            {
                "name": "Example Logistics Ltd.",
                "id_type": "business_licence",
                "id_number": "91440300MA5EXAMPL1",
                "is_organisation": True,
                "agents": ["Wang Wu (lawyer)"],
            }
        ],
        "claims": [
            {"description": "Overtime pay", "amount": "5200.50"},
            {"description": "Apology letter"},
        ],
    }
    body.update(overrides)
    return body
