"""The compose file and scripts/cluster run the same roles (hearing_server/cluster/roles.py)."""

from __future__ import annotations

import yaml

from hearing_server.cluster.roles import CLUSTER_COUNTS, ROLES
from hearing_server.cluster.run import Cluster, Ports
from tests.support.require import PROJECT_ROOT

# Started by the cluster before its long-running processes (found or started, or one-shot).
BEFORE = {"db", "redis", "setup"}


def _compose_roles() -> dict[str, int]:
    compose = yaml.safe_load((PROJECT_ROOT / "docker" / "compose.yaml").read_text())
    counts: dict[str, int] = {}
    for service in compose["services"].values():
        role = service["labels"]["org.opentribunal.role"]
        counts[role] = counts.get(role, 0) + 1
    return counts


def test_it_labels_every_compose_service_with_a_known_role():
    assert set(_compose_roles()) == set(ROLES)


def test_it_starts_in_the_cluster_every_role_of_the_compose_file(tmp_path):
    cluster = Cluster(tmp_path, Ports())
    started = {name.rsplit("-", 1)[0] for name in cluster.process_names()} | BEFORE
    compose = _compose_roles()
    # storage: S3 in compose, the local disk in the cluster (roles.py says so).
    assert started == set(compose) - {"storage"}
    assert CLUSTER_COUNTS["storage"] == 0
    for role in ("web", "media"):
        in_cluster = sum(1 for name in cluster.process_names() if name.startswith(role + "-"))
        assert in_cluster >= 2 and compose[role] >= 2, role


def test_it_gives_the_cluster_the_deployment_settings_of_the_compose_file(tmp_path):
    compose = yaml.safe_load((PROJECT_ROOT / "docker" / "compose.yaml").read_text())
    web_env = compose["x-app"]["environment"]
    cluster = Cluster(
        tmp_path,
        Ports(),
        database_url="postgres://x@127.0.0.1/x",
        redis_url="redis://127.0.0.1:6379/3",
    )
    env = cluster.env()
    for name in ("TRIBUNAL_EMBEDDED", "TRIBUNAL_BEHIND_PROXY", "LOG_FORMAT"):
        assert env[name] == web_env[name], name
    for name in ("SECRET_KEY_FILE", "TRIBUNAL_TURN_SECRET_FILE", "TRIBUNAL_TURN_URLS"):
        assert env[name] and web_env[name], name


def test_it_passes_the_deployment_checks_with_the_cluster_settings(tmp_path):
    import subprocess
    import sys

    from tests.support.scaleout import PG_URL, REDIS_URL

    cluster = Cluster(tmp_path, Ports(), database_url=f"{PG_URL}/postgres", redis_url=REDIS_URL)
    done = subprocess.run(
        [sys.executable, "-m", "hearing_server.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=cluster.env(), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
