"""Accounts, roles and the audit log in the central admin (core.admin_site)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_site import PlatformAdmin, ReadOnlyAdmin, label, site
from .errors import ServiceError
from .models import AuditAccess, Role, User
from .services import check_grant, grant_role, revoke_role

label(
    User,
    _("account"),
    _("accounts"),
    is_active=_("active"),
    is_staff=_("staff status"),
    is_superuser=_("superuser status"),
    date_joined=_("joined at"),
    last_login=_("last signed in at"),
)
label(
    Role,
    _("role"),
    _("roles"),
    user=_("account"),
    committee=_("committee"),
    kind=_("role"),
    granted_at=_("granted at"),
)
label(
    AuditAccess,
    _("access from above"),
    _("accesses from above"),
    user=_("account"),
    committee=_("committee"),
    method=_("method"),
    path=_("address"),
    at=_("at"),
)


class RoleInline(admin.TabularInline):
    model = Role
    fields = ["committee", "kind", "granted_at"]
    readonly_fields = ["committee", "kind", "granted_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # granted on the role page, through the service

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User, site=site)
class UserAdmin(PlatformAdmin):
    """An account is made by registering and never deleted (questions on every portal refer
    to it without a database constraint); the central admin may rename or deactivate it."""

    list_display = ["masked_phone", "name", "is_active", "date_joined", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["phone", "name"]
    fields = ["phone", "name", "is_active", "is_staff", "is_superuser", "date_joined", "last_login"]
    readonly_fields = ["phone", "is_staff", "is_superuser", "date_joined", "last_login"]
    inlines = [RoleInline]
    list_per_page = 50

    @admin.display(description=_("mobile number"))
    def masked_phone(self, obj):
        return obj.masked_phone

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ["user", "committee", "kind"]

    def clean(self):
        data = super().clean()
        if data.get("committee") and data.get("kind"):
            try:
                check_grant(committee=data["committee"], kind=data["kind"])
            except ServiceError as exc:
                self.add_error("kind", exc.message)
        return data


@admin.register(Role, site=site)
class RoleAdmin(PlatformAdmin):
    """Roles are granted and revoked (the central auditor is appointed here), not edited."""

    list_display = ["user", "committee", "kind", "granted_at"]
    list_filter = ["kind", "committee__level"]
    search_fields = ["user__phone", "user__name", "committee__code", "committee__name"]
    form = RoleForm
    autocomplete_fields = ["user", "committee"]
    list_select_related = ["user", "committee"]
    fields = ["user", "committee", "kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        role = grant_role(user=obj.user, committee=obj.committee, kind=obj.kind)
        obj.pk, obj.granted_at = role.pk, role.granted_at

    def delete_model(self, request, obj):
        revoke_role(user=obj.user, committee=obj.committee, kind=obj.kind)

    def delete_queryset(self, request, queryset):
        for role in queryset.select_related("user", "committee"):
            self.delete_model(request, role)


@admin.register(AuditAccess, site=site)
class AuditAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "committee", "method", "path"]
    list_filter = ["method"]
    search_fields = ["user__phone", "committee__code", "path"]
    list_select_related = ["user", "committee"]
    date_hierarchy = "at"
