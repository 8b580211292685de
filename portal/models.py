"""Public content (bilingual fields, chosen by the active language), bookings and mail intake."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from case_core.models import DisputeKind


class Bilingual(models.Model):
    """Content kept in zh-hans and English; `t(field)` reads the active language's version."""

    order = models.PositiveIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def t(self, field: str) -> str:
        lang = "en" if (get_language() or "").startswith("en") else "zh"
        return getattr(self, f"{field}_{lang}") or getattr(self, f"{field}_zh")


class GuidePage(Bilingual):
    """An "I want to know" guide: who may apply, time limits, materials, where and when."""

    slug = models.SlugField(_("address"), unique=True)
    dispute_kind = models.CharField(
        _("dispute kind"), max_length=32, choices=DisputeKind.choices, blank=True
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=400, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"), blank=True)

    class Meta(Bilingual.Meta):
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return self.title_zh

    @property
    def title(self):
        return self.t("title")

    @property
    def summary(self):
        return self.t("summary")

    @property
    def body(self):
        return self.t("body")


class FaqEntry(Bilingual):
    question_zh = models.CharField(_("question (Chinese)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer_zh = models.TextField(_("answer (Chinese)"))
    answer_en = models.TextField(_("answer (English)"), blank=True)

    class Meta(Bilingual.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question_zh

    @property
    def question(self):
        return self.t("question")

    @property
    def answer(self):
        return self.t("answer")


class Office(Bilingual):
    """Where applications are received on site and by appointment."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    hours_zh = models.CharField(_("hours (Chinese)"), max_length=300)
    hours_en = models.CharField(_("hours (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)

    class Meta(Bilingual.Meta):
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self):
        return self.t("name")

    @property
    def address(self):
        return self.t("address")

    @property
    def hours(self):
        return self.t("hours")


class BookingSlot(models.Model):
    """A time at an office when a clerk receives applications by appointment."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="slots")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(_("places"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["start", "id"]


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


class Booking(models.Model):
    slot = models.ForeignKey(BookingSlot, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("mobile phone"), max_length=32)
    kind = models.CharField(_("dispute kind"), max_length=32, choices=DisputeKind.choices)
    workers = models.PositiveIntegerField(_("number of workers"), default=1)
    reference = models.CharField(max_length=16, unique=True)
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)


class MailIntake(models.Model):
    """An application received by mail: what the envelope says and what arrived."""

    case = models.ForeignKey(
        "case_core.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sender = models.CharField(_("sender"), max_length=200)
    postmark_date = models.DateField(_("postmark date"))
    received_date = models.DateField(_("received on"))
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    counts_from = models.DateField(_("date that counts for time limits"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)


class MailScan(models.Model):
    intake = models.ForeignKey(MailIntake, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(upload_to="mail/%Y/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=200)
