"""The deployment's roles, named once: docker/compose.yaml labels each service with its role
(`org.opentribunal.role`) and `scripts/cluster` starts each role as processes; a test checks that
both have the same roles (tests/deploy/test_roles.py).

Each role: what it is, the command that runs it, and how many the cluster starts. `storage` is
S3-compatible object storage in compose (MinIO); the cluster on one machine keeps the case file
on the local disk (MEDIA_ROOT), as a small site does. `setup` is the one-shot migrate and
collectstatic before the servers start.
"""

from __future__ import annotations

ROLES: dict[str, str] = {
    "db": "PostgreSQL: the case file's rows, audit log and background jobs",
    "redis": "Redis: the channel layer and the shared cache (rate limits)",
    "setup": "one-shot: tribunal migrate, tribunal collectstatic",
    "web": "tribunal serve: HTTP and WebSockets (two or more, behind the proxy)",
    "media": "tribunal mediaworker: WebRTC media, pinned per hearing (two or more)",
    "tasks": "tribunal worker: background jobs (composites, transcripts, notifications)",
    "scheduler": "tribunal scheduler: reminders and deemed service (a database lease: one works)",
    "turn": "coturn: TURN relay for browsers behind strict NATs, REST API credentials",
    "proxy": "nginx: TLS, HTTP and WebSockets to the web role, static files",
    "storage": "S3-compatible object storage for the case file (local disk in the cluster)",
}

# How many processes the cluster starts per role (0: provided another way, see above).
CLUSTER_COUNTS: dict[str, int] = {
    "db": 1,
    "redis": 1,
    "setup": 1,
    "web": 2,
    "media": 2,
    "tasks": 1,
    "scheduler": 1,
    "turn": 1,
    "proxy": 1,
    "storage": 0,
}
