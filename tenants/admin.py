"""The committees and the outbox between them, in the central admin (core.admin_site)."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_site import PlatformAdmin, ReadOnlyAdmin, ReadOnlyInline, label, site

from . import services
from .models import Committee, Domain, OutboxAction, OutboxMessage

label(
    Committee,
    _("committee"),
    _("committees"),
    path=_("place in the tree"),
    created_at=_("created at"),
    schema_name=_("schema"),
)
label(Domain, _("domain"), _("domains"), domain=_("domain"), is_primary=_("primary domain"))
label(
    OutboxMessage,
    _("outbox message"),
    _("outbox messages"),
    topic=_("topic"),
    sender=_("sender"),
    receiver=_("receiver"),
    payload=_("content"),
    created_at=_("created at"),
    delivered_at=_("delivered at"),
    attempts=_("attempts"),
    next_attempt_at=_("next attempt at"),
    last_error=_("last error"),
    dead_at=_("dead since"),
    discarded_at=_("discarded at"),
)
label(
    OutboxAction,
    _("outbox action"),
    _("outbox actions"),
    message=_("message"),
    kind=_("action"),
    actor=_("account"),
    reason=_("reason"),
    attempts=_("attempts"),
    last_error=_("last error"),
    at=_("at"),
)


class DomainInline(ReadOnlyInline):
    model = Domain
    fields = ["domain", "is_primary"]


@admin.register(Committee, site=site)
class CommitteeAdmin(PlatformAdmin):
    """Onboarding builds a schema and removing one drops it: both stay on the console's own
    pages. Here the central admin changes a committee's status and branding (through the
    same services), never its code, level or place in the tree."""

    list_display = ["code", "name", "level", "status", "parent", "created_at"]
    list_filter = ["level", "status"]
    search_fields = ["code", "name", "display_name"]
    list_select_related = ["parent"]
    fields = [
        "code",
        "name",
        "level",
        "parent",
        "path",
        "schema_name",
        "status",
        "display_name",
        "primary_colour",
        "slogan",
        "created_at",
    ]
    readonly_fields = ["code", "name", "level", "parent", "path", "schema_name", "created_at"]
    inlines = [DomainInline]
    list_per_page = 50

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            services.set_status(committee=obj, status=obj.status)
        services.update_branding(
            committee=obj,
            display_name=obj.display_name,
            primary_colour=obj.primary_colour,
            slogan=obj.slogan,
        )


class PendingFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("waiting")),
            ("no", _("delivered")),
            ("dead", _("dead")),
            ("discarded", _("discarded")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.waiting().filter(dead_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(delivered_at__isnull=False)
        if self.value() == "dead":
            return queryset.dead()
        if self.value() == "discarded":
            return queryset.filter(discarded_at__isnull=False)
        return queryset


OUTBOX_FIELDS = (
    "topic",
    "sender",
    "receiver",
    "created_at",
    "delivered_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "dead_at",
    "discarded_at",
    "content",
)


@admin.register(OutboxMessage, site=site)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Applied in order and exactly once by the outbox: an edit here would break both. Dead
    messages are retried or discarded on the console's outbox page."""

    list_display = ["id", "topic", "sender", "receiver", "created_at", "delivered_at", "attempts"]
    list_filter = [PendingFilter, "topic"]
    search_fields = ["sender", "receiver", "topic"]
    fields = OUTBOX_FIELDS
    readonly_fields = OUTBOX_FIELDS
    list_per_page = 100

    @admin.display(description=_("content"))
    def content(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2))


@admin.register(OutboxAction, site=site)
class OutboxActionAdmin(ReadOnlyAdmin):
    """The outbox's audit log: dead messages retried or discarded (on the console's page)."""

    list_display = ["at", "kind", "message", "actor", "reason"]
    list_filter = ["kind"]
    list_select_related = ["message", "actor"]
    fields = ["at", "kind", "message", "actor", "reason", "attempts", "last_error"]
    readonly_fields = ["at", "kind", "message", "actor", "reason", "attempts", "last_error"]
    list_per_page = 100
