"""Accounts (one for every portal, 一号通), roles per committee and one-time codes.

All of it lives in the public schema: a young person registers once and is known on every
committee's portal; what they may do on a portal depends on their roles in that committee.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .phones import normalise_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **fields) -> "User":
        user = self.model(phone=normalise_phone(phone), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(phone, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A real-name account, logged in with a mainland mobile number and a password."""

    phone = models.CharField(_("mobile number"), max_length=11, unique=True)
    name = models.CharField(_("name"), max_length=50, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # may open Django's admin site
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.name or self.masked_phone

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}"


class Role(models.Model):
    """A staff role of an account in one committee. Being a youth needs no role."""

    class Kind(models.TextChoices):
        CADRE = "cadre", _("League cadre")
        EXPERT = "expert", _("Expert")
        ORG_MEMBER = "org_member", _("Organisation member")
        ADMIN = "admin", _("Committee admin")
        AUDITOR = "auditor", _("Central auditor")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    committee = models.ForeignKey(
        "tenants.Committee", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "committee", "kind"], name="one_role_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.committee}"


# Roles a committee admin may grant; auditors are appointed centrally.
GRANTABLE_KINDS = [choice for choice in Role.Kind.choices if choice[0] != Role.Kind.AUDITOR]


class PhoneCode(models.Model):
    """A one-time code sent by SMS to confirm that a person holds a mobile number."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        LOGIN = "login", _("Sign-in")
        RESET = "reset", _("Password reset")

    phone = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["phone", "purpose", "-created_at"], name="phonecode_latest")
        ]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} · {self.purpose}"


class Notification(models.Model):
    """Something an account should know about (in-app, with an unread count). Kept in the
    public schema: one account follows its questions and its work on every portal."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    committee = models.ForeignKey(
        "tenants.Committee", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32)
    data = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=200, blank=True)  # a path on the committee's portal
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When the backends besides the in-app list (SMS…) had it; None while that is pending.
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["user", "-id"], name="notification_user"),
            models.Index(
                fields=["user"], name="notification_unread", condition=models.Q(read_at=None)
            ),
            models.Index(
                fields=["id"],
                name="notification_undelivered",
                condition=models.Q(delivered_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class AuditAccess(models.Model):
    """A reader from above (the central auditor, an admin of a higher committee) opening a
    committee's workbench: read by the central admin."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey("tenants.Committee", on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.committee_id} {self.path}"
