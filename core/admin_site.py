"""Django's admin for the central admin, on the console only (``/admin/``).

Only the central committee's ``admin`` role (or a superuser) gets in; anyone else signed in
gets the 403 page, and signing in goes through the platform's own login (its limits apply).
Each app registers its models in its ``admin.py`` on ``site``; what would break an invariant
if edited here (the outbox, the figures, past index standards) is read-only, and changes that
have a service go through it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Youth Voice central administration")
    site_title = _("Youth Voice administration")
    index_title = _("Platform data")
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and (user.is_superuser or access.is_central_admin(user))  # type: ignore[union-attr]
        )

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The platform's sign-in page; a signed-in account that may not enter gets a 403."""
        if request.user.is_authenticated:
            raise PermissionDenied
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, reverse("core:login"))


site = PlatformAdminSite(name="admin")


class PlatformAdmin(admin.ModelAdmin):
    """Everything allowed to whoever may enter the site (the central admin)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)


class ReadOnlyAdmin(PlatformAdmin):
    """Seen, never edited here (it is written by the platform itself)."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)


def label(model: type[Model], singular: Any, plural: Any, **fields: Any) -> None:
    """Chinese names for a model and its fields in the admin.

    Set on the model's options at start-up rather than in its ``Meta``: a ``verbose_name``
    in ``Meta`` or on a field is part of the migration state, and these names are only for
    the admin. (Django's migrations read ``Meta``'s original attributes and a field's
    ``_verbose_name``, neither of which this touches.)"""
    meta = model._meta
    meta.verbose_name = singular
    meta.verbose_name_plural = plural
    for name, text in fields.items():
        meta.get_field(name).verbose_name = text  # type: ignore[union-attr]
