"""Public content is edited here by staff, without a deploy; bookings and mail records are
read-only (they change through the booking and intake pages, which audit)."""

from django.contrib import admin

from portal.models import Booking, BookingSlot, FaqEntry, GuidePage, MailIntake, Office


@admin.register(GuidePage)
class GuidePageAdmin(admin.ModelAdmin):
    list_display = ("title_zh", "title_en", "dispute_kind", "order", "published")
    list_editable = ("order", "published")
    prepopulated_fields = {"slug": ("title_en",)}


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ("question_zh", "question_en", "order", "published")
    list_editable = ("order", "published")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "address_zh", "hours_zh", "phone", "order")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BookingSlot)
class BookingSlotAdmin(ReadOnly):
    list_display = ("office", "start", "end", "capacity")


@admin.register(Booking)
class BookingAdmin(ReadOnly):
    list_display = ("reference", "slot", "name", "kind", "workers", "status")


@admin.register(MailIntake)
class MailIntakeAdmin(ReadOnly):
    list_display = ("sender", "postmark_date", "received_date", "tracking_number", "case")
