"""`tribunal remind_bookings`: text tomorrow's appointments their reminder (run daily)."""

from django.core.management.base import BaseCommand

from portal.services import bookings_remind


class Command(BaseCommand):
    help = "Text a reminder to every booking in the next 36 hours that has not had one."

    def handle(self, *args, **options):
        self.stdout.write(f"{bookings_remind()} reminders sent")
