"""League committees (团委) as tenants: each has its own schema, domains and branding."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

CODE_RE = r"^[a-z][a-z0-9]{0,15}(-[a-z0-9]{1,15}){0,3}$"
# Subdomains that must never name a committee.
RESERVED_CODES = frozenset({"www", "api", "admin", "static", "media", "public", "console", "mail"})
code_validator = RegexValidator(
    CODE_RE,
    _("Use lower-case letters and digits, parts joined by '-', such as gd or gd-gz."),
    code="invalid_code",
)
colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Give the colour as #RRGGBB."), code="invalid_colour"
)


class Committee(TenantMixin):
    """A League committee (团委), from the central office down to a university's."""

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        SECTOR = "sector", _("Sector")
        UNIVERSITY = "university", _("University")
        ENTERPRISE = "enterprise", _("Enterprise")

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes of the ancestors and itself, "/central/gd/gd-gz/": a subtree is one prefix query.
    path = models.CharField(max_length=512, db_index=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Branding: the only way a portal differs in looks (统一界面形象).
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    logo = models.FileField(_("logo"), upload_to="branding/logos/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#c8161d", validators=[colour_validator]
    )
    slogan = models.CharField(_("slogan"), max_length=120, blank=True)
    banner = models.FileField(_("banner"), upload_to="branding/banners/", blank=True)

    # Schemas are built by tenants.schema (one batch of DDL), never by django-tenants' save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["path"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return self.display_name or self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to the parent."""
        return self.path.strip("/").split("/")[:-1]

    def is_within(self, other: "Committee") -> bool:
        """Whether this committee is ``other`` or below it in the tree."""
        return self.path.startswith(other.path)


class Domain(DomainMixin):
    """A host name that serves a committee's portal."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class OutboxQuerySet(models.QuerySet["OutboxMessage"]):
    def waiting(self) -> "OutboxQuerySet":
        """Messages still to be applied: neither delivered nor discarded (dead ones too)."""
        return self.filter(delivered_at__isnull=True, discarded_at__isnull=True)

    def dead(self) -> "OutboxQuerySet":
        """Messages that failed ``OUTBOX_MAX_ATTEMPTS`` times, each holding up its receiver."""
        return self.waiting().filter(dead_at__isnull=False)


class OutboxMessage(models.Model):
    """A change one committee (or the central office, sender ``"public"``) sends to another
    committee (a transfer, a mirrored event, an item for the parent's supervision board).
    Written in the same transaction as the change in the sender's schema, applied in the
    receiver's schema by ``tenants.outbox.deliver``, in the order sent per receiver.

    Its state: waiting, then delivered (applied, ``delivered_at``); or dead (``dead_at``:
    it failed too often and waits for the central admin, its receiver's later messages
    waiting behind it) and from there waiting again (retried) or discarded (never applied,
    ``discarded_at``)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        DELIVERED = "delivered", _("delivered")
        DEAD = "dead", _("dead")
        DISCARDED = "discarded", _("discarded")

    topic = models.CharField(max_length=64)
    sender = models.CharField(max_length=64)  # committee codes, or "public"
    receiver = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)
    discarded_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            # Each receiver's oldest waiting message (dead ones included: they hold the
            # receiver up) by a loose index scan, one probe per receiver.
            models.Index(
                fields=["receiver", "id"],
                name="outbox_heads",
                condition=models.Q(delivered_at__isnull=True, discarded_at__isnull=True),
            ),
            # The backlog and its oldest message (the operator's gauges).
            models.Index(
                fields=["id"],
                name="outbox_waiting",
                condition=models.Q(
                    delivered_at__isnull=True, discarded_at__isnull=True, dead_at__isnull=True
                ),
            ),
            models.Index(
                fields=["id"],
                name="outbox_dead",
                condition=models.Q(
                    delivered_at__isnull=True, discarded_at__isnull=True, dead_at__isnull=False
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.topic} {self.sender}→{self.receiver}"

    @property
    def state(self) -> str:
        if self.delivered_at is not None:
            return self.State.DELIVERED
        if self.discarded_at is not None:
            return self.State.DISCARDED
        if self.dead_at is not None:
            return self.State.DEAD
        return self.State.WAITING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class OutboxAction(models.Model):
    """What the central admin did to a dead message, and why: the outbox's audit log."""

    class Kind(models.TextChoices):
        RETRY = "retry", _("Retried")
        DISCARD = "discard", _("Discarded")

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    # The message as the admin saw it.
    attempts = models.PositiveIntegerField()
    last_error = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id} by {self.actor_id}"
