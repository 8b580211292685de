"""Reminders and the scheduler: hearing reminders 24 h and 1 h before with time and link, party
and staff deadlines, the clerks' daily digest, each sent once; one runner at a time (the lease),
another takes over when a lease expires; `tribunal scheduler --once`."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from case_core.models import AuditEntry, Case, Checkpoint, Notification
from documents.models import Reminder, SchedulerLease
from documents.scheduler import LEASE, tick


def texts_to(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, channel="sms").values_list("body", flat=True)
    )


def test_it_reminds_everyone_invited_24_hours_and_1_hour_before_the_hearing_once_each(
    paper_case, applicant, arbitrator
):
    hearing = paper_case.hearings.get()
    start = timezone.now() + timedelta(hours=20)
    hearing.scheduled_start = start
    hearing.save(update_fields=["scheduled_start"])
    assert tick("runner-a")["reminders"] >= 2
    [text] = [t for t in texts_to(applicant) if "Reminder" in t or "提醒" in t]
    assert timezone.localtime(start).strftime("%Y-%m-%d %H:%M") in text
    assert f"/hearings/{hearing.pk}/" in text
    assert tick("runner-a", now=timezone.now() + timedelta(minutes=1))["reminders"] == 0
    later = start - timedelta(minutes=50)
    tick("runner-a", now=later)
    assert len([t for t in texts_to(arbitrator) if f"/hearings/{hearing.pk}/" in t]) == 2


def test_it_runs_on_one_scheduler_at_a_time_and_another_takes_over_an_expired_lease(paper_case):
    now = timezone.now()
    assert tick("runner-a", now=now) is not None
    assert tick("runner-b", now=now + timedelta(seconds=30)) is None
    assert tick("runner-a", now=now + timedelta(seconds=60)) is not None
    taken = tick("runner-b", now=now + LEASE + timedelta(minutes=2))
    assert taken is not None
    assert SchedulerLease.objects.get().holder == "runner-b"


def test_it_reminds_the_respondent_of_its_answer_and_the_clerks_of_overdue_cases(
    paper_case, respondent, applicant, clerk
):
    Case.objects.filter(pk=paper_case.pk).update(accepted_at=timezone.now() - timedelta(days=9))
    tick("runner-a")
    assert any("answer" in t.lower() or "答辩" in t for t in texts_to(respondent))
    assert not [t for t in texts_to(applicant) if "answer" in t.lower() or "答辩" in t]
    Case.objects.filter(pk=paper_case.pk).update(accepted_at=timezone.now() - timedelta(days=50))
    tick("runner-a", now=timezone.now() + timedelta(minutes=1))
    assert any(paper_case.number in t for t in texts_to(clerk))
    assert Reminder.objects.filter(key__startswith="digest:").count() == 1
    tick("runner-a", now=timezone.now() + timedelta(minutes=2))
    assert Reminder.objects.filter(key__startswith="digest:").count() == 1


def test_it_runs_one_tick_from_the_command(paper_case, capsys):
    call_command("scheduler", "--once")
    assert "scheduler tick" in capsys.readouterr().out
    assert SchedulerLease.objects.get().holder == ""


def test_it_checkpoints_and_verifies_the_record_once_a_night(paper_case):
    night = timezone.localtime(timezone.now()).replace(hour=1, minute=30)
    assert tick("runner-a", now=night)["nightly"] is False  # before 02:00
    checkpoints = Checkpoint.objects.count()
    after_two = night.replace(hour=2, minute=5)
    assert tick("runner-a", now=after_two)["nightly"] is True
    assert Checkpoint.objects.count() == checkpoints + 1
    assert Checkpoint.objects.order_by("-pk").first().reason == "nightly"
    run = AuditEntry.objects.filter(case=None, action="record.verified").order_by("-pk").first()
    assert run is not None and run.data["reason"] == "nightly" and run.data["ok"] is True
    assert tick("runner-b", now=after_two + timedelta(hours=3))["nightly"] is False  # once a day
    next_night = after_two + timedelta(days=1)
    assert tick("runner-a", now=next_night)["nightly"] is True
