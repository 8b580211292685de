from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An SMS or e-mail the platform sent (or tried to), kept as the outbox record."""

    CHANNELS = (("sms", "SMS"), ("email", "E-mail"))
    case = models.ForeignKey(
        "case_core.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=CHANNELS)
    address = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
