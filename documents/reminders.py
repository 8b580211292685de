"""Reminders: each one sent once (its key is a unique Reminder row), by SMS and e-mail.

    hearing reminders   24 h and 1 h before a scheduled hearing, to everyone invited, with the
                        time and the hearing page's link (a reschedule makes new keys)
    party deadlines     the answer (respondent side, until it answers) and the end of the
                        evidence period (both sides), two days ahead
    staff deadlines     acceptance (committee clerks, one day ahead) and the award (the tribunal,
                        five days ahead)
    daily digest        each committee clerk, once a day: the cases past a deadline

`run_reminders(now)` sends whatever is due and returns how many went out; the scheduler
(documents.scheduler) calls it with the deemed-service sweep.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from case_core.models import Case, CaseRole, CaseStatus, Hearing, Invitee, Membership, User
from case_core.models.members import CASE_PARTY_ROLES
from case_core.notifications import notify
from documents.models import EvidencePeriod, Filing, FilingKind, Reminder

OPEN = (
    CaseStatus.SUBMITTED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_MEDIATION,
    CaseStatus.ASSIGNED,
    CaseStatus.SCHEDULED,
    CaseStatus.HEARD,
)
PARTY_AHEAD = timedelta(days=2)
ACCEPTANCE_AHEAD = timedelta(days=1)
AWARD_AHEAD = timedelta(days=5)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _once(key: str, *, user: User, case: Case | None, subject: str, body: str) -> bool:
    """Send unless a reminder with `key` was already sent (by this or any other runner)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(key=key[:200], user=user, case=case)
    except IntegrityError:
        return False
    notify(user=user, case=case, subject=subject, body=body)
    return True


def _hearing_url(hearing: Hearing) -> str:
    path = reverse("signaling:hearing", args=[hearing.pk])
    return settings.TRIBUNAL_PUBLIC_URL.rstrip("/") + path


def hearing_reminders(now) -> int:
    sent = 0
    upcoming = Hearing.objects.filter(
        status="scheduled",
        case__status__in=OPEN,
        scheduled_start__gt=now,
        scheduled_start__lte=now + timedelta(hours=24),
    ).select_related("case")
    for hearing in upcoming:
        mark = "1h" if hearing.scheduled_start <= now + timedelta(hours=1) else "24h"
        for invitee in Invitee.objects.filter(hearing=hearing).select_related("user"):
            with translation.override(hearing.language):
                body = _(
                    "Reminder: the hearing in case %(case)s starts at %(time)s. Join: %(link)s"
                ) % {
                    "case": hearing.case.number or hearing.case.title,
                    "time": _local(hearing.scheduled_start),
                    "link": _hearing_url(hearing),
                }
                subject = _("Hearing reminder")
            key = f"hearing:{hearing.pk}:{hearing.scheduled_start.isoformat()}:{mark}:{invitee.user_id}"
            sent += _once(key, user=invitee.user, case=hearing.case, subject=subject, body=body)
    return sent


def _party_users(case: Case, side: str | None = None) -> list[User]:
    members = Membership.objects.filter(
        case=case, active=True, role__in=CASE_PARTY_ROLES
    ).select_related("user", "party")
    users = {}
    for m in members:
        m_side = m.party.side if m.party else m.role
        if side is None or m_side == side:
            users[m.user_id] = m.user
    return list(users.values())


def deadline_reminders(now) -> int:
    sent = 0
    for case in Case.objects.filter(status__in=OPEN):
        label = case.number or case.title
        answer = case.answer_deadline
        if (
            answer
            and now < answer <= now + PARTY_AHEAD
            and not Filing.objects.filter(case=case, kind=FilingKind.ANSWER).exists()
        ):
            for user in _party_users(case, "respondent"):
                sent += _once(
                    f"answer:{case.pk}:{user.pk}",
                    user=user,
                    case=case,
                    subject=_("Answer due"),
                    body=_("Your answer in case %(case)s is due by %(time)s.")
                    % {"case": label, "time": _local(answer)},
                )
        period = EvidencePeriod.objects.filter(case=case).first()
        if period and now < period.ends_at <= now + PARTY_AHEAD:
            for user in _party_users(case):
                sent += _once(
                    f"evidence:{case.pk}:{period.ends_at.isoformat()}:{user.pk}",
                    user=user,
                    case=case,
                    subject=_("Evidence period ending"),
                    body=_("The evidence period in case %(case)s ends at %(time)s.")
                    % {"case": label, "time": _local(period.ends_at)},
                )
        if case.status == CaseStatus.SUBMITTED:
            due = case.acceptance_deadline
            if now < due <= now + ACCEPTANCE_AHEAD:
                for clerk in User.objects.filter(staff_role="clerk", is_active=True):
                    sent += _once(
                        f"acceptance:{case.pk}:{clerk.pk}",
                        user=clerk,
                        case=case,
                        subject=_("Acceptance due"),
                        body=_("Decide on accepting application %(case)s by %(time)s.")
                        % {"case": label, "time": _local(due)},
                    )
        award = case.award_deadline
        if award and now < award <= now + AWARD_AHEAD:
            tribunal = Membership.objects.filter(
                case=case, active=True, role__in=[CaseRole.PRESIDING, CaseRole.ARBITRATOR]
            ).select_related("user")
            for m in tribunal:
                sent += _once(
                    f"award:{case.pk}:{award.isoformat()}:{m.user_id}",
                    user=m.user,
                    case=case,
                    subject=_("Award due"),
                    body=_("The award in case %(case)s is due by %(time)s.")
                    % {"case": label, "time": _local(award)},
                )
    return sent


def daily_digest(now) -> int:
    overdue = [case for case in Case.objects.filter(status__in=OPEN) if case.overdue(now)]
    if not overdue:
        return 0
    day = timezone.localtime(now).date().isoformat()
    lines = "; ".join(
        f"{case.number or case.pk} ({', '.join(case.overdue(now))})" for case in overdue[:30]
    )
    sent = 0
    for clerk in User.objects.filter(staff_role="clerk", is_active=True):
        sent += _once(
            f"digest:{day}:{clerk.pk}",
            user=clerk,
            case=None,
            subject=_("Overdue cases"),
            body=_("%(n)d case(s) past a deadline: %(list)s") % {"n": len(overdue), "list": lines},
        )
    return sent


def run_reminders(now=None) -> int:
    now = now or timezone.now()
    return hearing_reminders(now) + deadline_reminders(now) + daily_digest(now)
