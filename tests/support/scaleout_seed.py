"""Seed a hearing in the database named by DATABASE_URL and print ids and credentials as JSON.

Run as `python -m tests.support.scaleout_seed [N_PARTIES]` by the two-process test and by
bench/signaling_load.py (which passes how many extra party seats to create).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearing_server.settings")
    import django

    django.setup()
    from django.utils import timezone

    from case_core.models import Invitee
    from case_core.services import case_accept, case_assign, case_schedule
    from case_core.services.members import case_add_member
    from signaling.services import credential_issue
    from tests.support.personas import make_user, submit_online

    tag = sys.argv[1] if len(sys.argv) > 1 else "s"
    clerk = make_user(f"{tag}-clerk", "clerk")
    chair = make_user(f"{tag}-chair", "arbitrator")
    applicant = make_user(f"{tag}-applicant")
    respondent = make_user(f"{tag}-respondent")
    case = submit_online(applicant)
    case_add_member(
        actor=clerk,
        case=case,
        user=respondent,
        role="respondent",
        party=case.parties.get(side="respondent"),
    )
    case_accept(actor=clerk, case=case)
    case_assign(actor=clerk, case=case, presiding=chair)
    hearing = case_schedule(
        actor=clerk, case=case, start=timezone.now() + timedelta(days=6)
    ).new_hearing
    users = {"clerk": clerk, "chair": chair, "applicant": applicant, "respondent": respondent}
    assert Invitee.objects.filter(hearing=hearing).count() == 4
    out = {
        "hearing": hearing.pk,
        "users": {k: u.pk for k, u in users.items()},
        "credentials": {
            k: credential_issue(actor=u, hearing_id=hearing.pk)["credential"]
            for k, u in users.items()
        },
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
