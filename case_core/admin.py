"""Django admin for administrators. Lifecycle fields are read-only here: a case changes state
only through the services, and the audit log and stored evidence never change at all."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from case_core.models import (
    Agent,
    AuditEntry,
    Case,
    Claim,
    CrossExamination,
    Evidence,
    Hearing,
    Invitee,
    JobProgress,
    Membership,
    Notification,
    Party,
    User,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Committee"), {"fields": ("staff_role", "display_name", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Committee"), {"fields": ("staff_role", "display_name", "phone", "email")}),
    )
    list_display = ("username", "display_name", "staff_role", "email", "phone", "is_active")
    list_filter = ("staff_role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "phone")


class PartyInline(admin.StackedInline):
    model = Party
    extra = 0
    fields = (
        "side",
        "is_organisation",
        "name",
        "id_type",
        "id_number",
        "phone",
        "address",
        "relationship",
        "is_representative",
        "user",
    )
    raw_id_fields = ("user",)


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "party", "active", "added_at")
    readonly_fields = ("added_at",)
    raw_id_fields = ("user",)


LIFECYCLE_FIELDS = (
    "number",
    "status",
    "submitted_by",
    "submitted_at",
    "accepted_at",
    "rejection_reason",
    "mediation_started_at",
    "mediation_outcome",
    "award_extended",
    "award_text",
    "awarded_at",
    "withdrawal_reason",
    "closed_at",
    "updated_at",
)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "kind", "procedure", "channel", "status", "submitted_at")
    list_filter = ("status", "kind", "procedure", "channel")
    search_fields = ("number", "title", "parties__name", "parties__id_number")
    date_hierarchy = "submitted_at"
    readonly_fields = LIFECYCLE_FIELDS
    inlines = (PartyInline, ClaimInline, MembershipInline)

    def has_add_permission(self, request):
        return False  # applications are filed through the application form or the API

    def has_delete_permission(self, request, obj=None):
        return False  # the audit log refers to cases


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "party", "user")
    search_fields = ("name", "party__name")
    raw_id_fields = ("party", "user")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "case",
        "side",
        "original_name",
        "content_type",
        "size",
        "submitted_at",
    )
    list_filter = ("kind", "content_type")
    search_fields = ("title", "sha256", "case__number")


@admin.register(CrossExamination)
class CrossExaminationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("evidence", "side", "authenticity", "legality", "relevance", "created_at")


class InviteeInline(admin.TabularInline):
    model = Invitee
    extra = 0
    raw_id_fields = ("user", "party")


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "status", "scheduled_start", "language")
    list_filter = ("kind", "status")
    readonly_fields = ("case", "status", "started_at", "ended_at", "created_at")
    inlines = (InviteeInline,)

    def has_add_permission(self, request):
        return False  # hearings are scheduled through the case's schedule step


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("seq", "created_at", "case", "actor", "action")
    list_filter = ("action",)
    search_fields = ("action", "case__number", "hash")
    ordering = ("-seq",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "channel", "address", "subject", "sent_at", "error")
    list_filter = ("channel",)


@admin.register(JobProgress)
class JobProgressAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "task_id", "case", "done", "total", "message", "updated_at")
