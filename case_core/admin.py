"""Django admin for administrators: a window on the case file, not a back door.

Cases, parties, claims, memberships, agents, hearings, evidence and the audit log are read-only
here: they change only through the audited services (the case pages, the workbench, the API).
Accounts can be created and switched on or off, and their staff role set, and every such change
(passwords included) is audited as `account.admin_changed` / `account.admin_added`; the mobile
phone, where signing codes go, is read-only: its owner changes it on /account/ after proving
the new number with a texted code (`account.phone_changed`)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from case_core.audit import audit_record
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
        (_("Committee"), {"fields": ("staff_role", "display_name", "email")}),
    )
    readonly_fields = ("phone", "last_login", "date_joined")

    def has_delete_permission(self, request, obj=None):
        return False  # the audit log and the case file refer to accounts: deactivate instead

    def log_addition(self, request, obj, message):
        audit_record(
            actor=request.user,
            case=None,
            action="account.admin_added",
            data={"user": obj.pk, "staff_role": obj.staff_role},
        )
        return super().log_addition(request, obj, message)

    def save_model(self, request, obj, form, change):
        obj._admin_changed_fields = list(form.changed_data)
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        changed = getattr(obj, "_admin_changed_fields", None)
        if changed is None:  # the password form: Django's message says what changed
            changed = [str(message)[:200]]
        audit_record(
            actor=request.user,
            case=None,
            action="account.admin_changed",
            data={"user": obj.pk, "fields": changed},
        )
        return super().log_change(request, obj, message)

    list_display = ("username", "display_name", "staff_role", "email", "phone", "is_active")
    list_filter = ("staff_role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "phone")


class ReadOnlyInline:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartyInline(ReadOnlyInline, admin.StackedInline):
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


class ClaimInline(ReadOnlyInline, admin.TabularInline):
    model = Claim
    extra = 0


class MembershipInline(ReadOnlyInline, admin.TabularInline):
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
class CaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
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
class AgentAdmin(ReadOnlyMixin, admin.ModelAdmin):
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


class InviteeInline(ReadOnlyInline, admin.TabularInline):
    model = Invitee
    extra = 0
    raw_id_fields = ("user", "party")


@admin.register(Hearing)
class HearingAdmin(ReadOnlyMixin, admin.ModelAdmin):
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
