"""The `tribunal` command and strict settings, run as a user would run them."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.support.require import PROJECT_ROOT


def tribunal(*args, env_extra=None, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "hearing_server.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def test_it_seeds_demo_data_idempotently_and_prints_json(tmp_path):
    env = {"TRIBUNAL_DATA_DIR": str(tmp_path)}
    tribunal("migrate", "-v0", env_extra=env)
    first = json.loads(tribunal("seed", "--json", env_extra=env).stdout)
    second = json.loads(tribunal("seed", "--json", env_extra=env).stdout)
    assert first == second
    roles = {p["demo_role"] for p in first["personas"]}
    assert {
        "clerk",
        "presiding",
        "mediator",
        "applicant",
        "respondent",
        "agent",
        "observer",
    } <= roles
    statuses = sorted(c["status"] for c in first["cases"])
    assert statuses == ["closed", "in_mediation", "mediated", "scheduled", "submitted"]
    scheduled = next(c for c in first["cases"] if c["status"] == "scheduled")
    assert scheduled["number"] and len(scheduled["hearings"]) == 1
    assert "intact" in tribunal("verify_audit", env_extra=env).stdout


def test_it_passes_the_deployment_checks_under_production_settings(tmp_path):
    env = {
        "TRIBUNAL_EMBEDDED": "0",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "tribunal.example.org",
        "TRIBUNAL_DATA_DIR": str(tmp_path),
    }
    out = tribunal("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert "no issues" in out.stdout


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"TRIBUNAL_EMBEDDED": "0", "DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must start with"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be an integer"),
        ({"TRIBUNAL_STORAGE": "ftp"}, "TRIBUNAL_STORAGE must be one of"),
    ],
)
def test_it_fails_loudly_on_a_bad_setting(env, message, tmp_path):
    out = tribunal("check", env_extra={"TRIBUNAL_DATA_DIR": str(tmp_path), **env}, check=False)
    assert out.returncode != 0
    assert message in out.stderr


def test_it_refuses_an_unknown_command_argument_with_an_error(tmp_path):
    out = tribunal("seed", "--jsonn", env_extra={"TRIBUNAL_DATA_DIR": str(tmp_path)}, check=False)
    assert out.returncode != 0 and "unrecognized arguments" in out.stderr
