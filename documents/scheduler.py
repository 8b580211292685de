"""The periodic scheduler: reminders, deemed service and the record's nightly checkpoint and
verification, once a minute, by one runner at a time.

Why not a library: django-tasks (with its database backend, which runs our background jobs) has
no periodic tasks: a task can be enqueued with `run_after`, but a chain of self-re-enqueuing tasks
is lost the first time one fails and doubles when two are enqueued. Celery beat or APScheduler
would bring a broker or a second job store. So `tribunal scheduler` is a small loop with a lease
in the database (SchedulerLease, one row):

* survives restarts: nothing is kept in memory; what is due is computed from the case file each
  tick, and what was sent is in the database (Reminder rows, Service statuses);
* runs once with several workers: a tick first takes the lease row (SELECT ... FOR UPDATE); while
  another holder's lease has not expired the tick does nothing. If a runner stalls past its lease
  and another takes over, each reminder is still sent once: its key is a unique Reminder row, and
  deeming locks each service row.

    tick(holder, now=None) -> dict | None   one run if this holder gets the lease, else None
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_core.integrity.auto import record_run
from case_core.integrity.checkpoints import checkpoint_make
from case_core.integrity.verify import verify_record
from documents.models import Reminder, SchedulerLease
from documents.reminders import run_reminders
from documents.services.service import services_deem

log = logging.getLogger(__name__)
LEASE_NAME = "documents.scheduler"
LEASE = timedelta(minutes=5)
NIGHTLY_HOUR = 2  # the record's nightly checkpoint and verification, after 02:00 local time


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:128]


def _acquire(holder: str, now) -> bool:
    with transaction.atomic():
        SchedulerLease.objects.get_or_create(name=LEASE_NAME)
        lease = SchedulerLease.objects.select_for_update().get(name=LEASE_NAME)
        if lease.holder and lease.holder != holder and lease.expires_at and lease.expires_at > now:
            return False
        lease.holder = holder
        lease.expires_at = now + LEASE
        lease.save(update_fields=["holder", "expires_at"])
    return True


def tick(holder: str | None = None, now=None) -> dict | None:
    holder = holder or default_holder()
    now = now or timezone.now()
    if not _acquire(holder, now):
        return None
    result = {
        "reminders": run_reminders(now),
        "deemed": services_deem(now=now),
        "nightly": nightly_verification(now),
    }
    SchedulerLease.objects.filter(name=LEASE_NAME, holder=holder).update(
        last_run_at=now, last_result=str(result)
    )
    return result


def nightly_verification(now) -> bool:
    """Once a day (after NIGHTLY_HOUR, local time): a signed checkpoint of every chain head, then
    the whole record verified (`tribunal verify --checkpoint`), the run audited and a failure
    alerted (case_core.integrity.auto). Its Reminder key makes it run once a day whoever holds
    the lease. True when it ran in this tick."""
    local = timezone.localtime(now)
    if local.hour < NIGHTLY_HOUR:
        return False
    key = f"record.nightly:{local.date().isoformat()}"
    with transaction.atomic():
        _row, created = Reminder.objects.get_or_create(key=key)
    if not created:
        return False
    checkpoint_make(reason="nightly")
    record_run(verify_record(None), case_id=None, reason="nightly")
    return True


def release(holder: str) -> None:
    SchedulerLease.objects.filter(name=LEASE_NAME, holder=holder).update(holder="", expires_at=None)
