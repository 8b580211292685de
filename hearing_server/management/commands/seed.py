"""`tribunal seed [--json]`: load the demo data (idempotent) and describe it."""

import json

from django.core.management.base import BaseCommand

from case_core.demo import load_demo
from case_core.models import User
from documents.demo import load_documents_demo
from portal.demo import load_front_door_demo


class Command(BaseCommand):
    help = "Load the demo personas and cases (idempotent); --json prints them for scripts."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the demo data as JSON.")

    def handle(self, *args, **options):
        data = load_demo()
        names = [p["username"] for p in data["personas"]]
        documents = load_documents_demo(
            {u.username: u for u in User.objects.filter(username__in=names)}
        )
        front_door = load_front_door_demo(
            {u.username: u for u in User.objects.filter(username__in=names)}
        )
        data = load_demo()  # again (idempotent): the cases now include the documents' cases
        data["documents"] = documents
        data["front_door"] = front_door
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Demo password for every persona: {data['password']}")
        for p in data["personas"]:
            self.stdout.write(f"  {p['username']:<12} {p['demo_role']:<11} {p['name']}")
        for c in data["cases"]:
            self.stdout.write(f"  case {c['id']}: {c['number'] or '-'} {c['status']} {c['title']}")
        for c in data["front_door"]["claims"]:
            self.stdout.write(
                f"  claim {c['case']} with access code {c['access_code']} ({c['identifier']}; "
                f"{c['for']})"
            )
        for d in data["documents"]:
            served = ", ".join(f"{s['name']} {s['status']}" for s in d["served"])
            self.stdout.write(
                f"  {d['kind']} of {d['number']}: /documents/{d['document']}/ ({served})"
            )
