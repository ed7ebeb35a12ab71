"""Onboarding a committee: its schema is the one migrations make, and it is all or nothing."""

import io
import shutil
import sys
import uuid
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django_tenants.utils import schema_context
from PIL import Image

import portal.migrations
from core.errors import ServiceError
from core.models import Role, User
from portal.models import Notice
from tenants import schema, services
from tenants.models import Committee, Domain
from tests import factories

MIGRATED = "x_migrated"


def schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {name for (name,) in cursor.fetchall()}


def columns(schema_name: str, table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            [schema_name, table],
        )
        return [name for (name,) in cursor.fetchall()]


def migrate_fresh_schema(name: str) -> None:
    """A schema made the slow way: empty, then every tenant migration applied to it."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema.quote(name)}")
    call_command("migrate_schemas", tenant=True, schema_name=name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def assert_same_schema(built: str, migrated: str) -> None:
    ours, theirs = schema.describe_schema(built), schema.describe_schema(migrated)
    assert set(ours) == {
        "columns",
        "constraints",
        "indexes",
        "sequences",
        "relations",
        "migrations",
    }
    assert set(ours) == set(theirs)
    for key in ours:
        assert ours[key] == theirs[key], key
    tables = {name for name, kind, _persistence in ours["relations"] if kind == "r"}
    assert {"portal_notice", "django_migrations"} <= tables


def template_migrations() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT app, name FROM {schema.quote(schema.template_schema())}.django_migrations "
            "WHERE app = 'portal' ORDER BY name"
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_a_provisioned_schema_equals_a_migrated_one():
    made = []
    try:
        made.append(factories.committee("central", level="central"))
        made.append(factories.committee("gd", level="province", parent=made[0]))
        migrate_fresh_schema(MIGRATED)
        assert_same_schema("gd", MIGRATED)
        assert_same_schema("central", MIGRATED)
    finally:
        schema.drop_schema(MIGRATED)
        for committee in reversed(made):
            services.remove_committee(committee=committee)
    assert not {"central", "gd", MIGRATED} & schemas()


PROBE = ("portal", "9999_notice_probe")
PROBE_MIGRATION = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "{latest}")]

    operations = [
        migrations.AddField(
            model_name="notice", name="probe", field=models.CharField(max_length=20, null=True)
        ),
    ]
"""


@dataclass
class NewMigration:
    settings: override_settings  # MIGRATION_MODULES pointing portal at the copy
    latest: str  # portal's own newest migration, which the probe follows

    def unapply(self) -> None:
        """Take the template back to portal's own newest migration, as a rollback would."""
        with self.settings:
            call_command(
                "migrate_schemas",
                tenant=True,
                schema_name=schema.template_schema(),
                app_label="portal",
                migration_name=self.latest,
                interactive=False,
                verbosity=0,
            )
        connection.set_schema_to_public()


@pytest.fixture
def portal_with_a_new_migration(tmp_path, monkeypatch):
    """A copy of portal's migrations plus one more, adding the column portal_notice.probe."""
    package = f"yv_probe_migrations_{uuid.uuid4().hex[:8]}"
    folder = tmp_path / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    own = sorted(Path(portal.migrations.__file__).parent.glob("[0-9]*.py"))
    for migration in own:
        shutil.copy(migration, folder)
    latest = own[-1].stem
    (folder / f"{PROBE[1]}.py").write_text(PROBE_MIGRATION.format(latest=latest))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield NewMigration(override_settings(MIGRATION_MODULES={"portal": package}), latest)
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_provisioned_schema_follows_a_new_migration(portal_with_a_new_migration):
    new_migration = portal_with_a_new_migration
    original = schema.blueprint()
    own = template_migrations()
    assert own[-1] == ("portal", new_migration.latest)
    assert '"probe"' not in original.ddl
    made = []
    try:
        with new_migration.settings:
            schema.migrate_template()
            assert template_migrations() == [*own, PROBE]
            moved_on = schema.blueprint()
            assert moved_on.fingerprint != original.fingerprint
            assert '"probe"' in moved_on.ddl

            made.append(factories.committee("central", level="central"))
            assert columns("central", "portal_notice")[-1] == "probe"
            migrate_fresh_schema(MIGRATED)
            assert columns(MIGRATED, "portal_notice")[-1] == "probe"
            assert_same_schema("central", MIGRATED)
            assert PROBE in schema.describe_schema("central")["migrations"]

        new_migration.unapply()
        assert template_migrations() == own
        restored = schema.blueprint()
        assert restored.fingerprint == original.fingerprint
        assert '"probe"' not in restored.ddl

        # The template now holds a dropped column; what it builds still equals a migration.
        schema.drop_schema(MIGRATED)
        made.append(factories.committee("bj", level="province", parent=made[0]))
        assert "probe" not in columns("bj", "portal_notice")
        migrate_fresh_schema(MIGRATED)
        assert_same_schema("bj", MIGRATED)
    finally:
        if PROBE in template_migrations():  # the test failed half-way
            new_migration.unapply()
        schema.drop_schema(MIGRATED)
        for committee in reversed(made):
            services.remove_committee(committee=committee)


def _fail(*args, **kwargs):
    raise RuntimeError("the database went away")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("breaking", ["admin account", "admin role"])
def test_a_failure_after_the_schema_was_built_leaves_nothing(monkeypatch, breaking):
    built = []
    build_schema = schema.build_schema

    def build_and_look(name):
        build_schema(name)
        built.append(name in schemas())

    monkeypatch.setattr(schema, "build_schema", build_and_look)
    if breaking == "admin account":
        monkeypatch.setattr(User.objects, "create_user", _fail)
    else:
        monkeypatch.setattr(Role.objects, "get_or_create", _fail)
    phone = factories.phone()
    try:
        with pytest.raises(RuntimeError, match="went away"):
            services.provision_committee(
                code="central",
                name="共青团中央",
                level="central",
                parent=None,
                admin_phone=phone,
                logo=_image("logo.png")(),
            )
        assert built == [True]  # the schema did exist before the failure
        assert not Committee.objects.filter(code="central").exists()
        assert not Domain.objects.filter(domain="central.localhost").exists()
        assert not User.objects.filter(phone=phone).exists()
        assert not Role.objects.exists()
        assert "central" not in schemas()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'central'"
            )
            assert cursor.fetchone()[0] == 0
    finally:
        schema.drop_schema("central")


def _media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "branding"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _image(name: str, size: int | None = None, kind: str = "PNG"):
    """An upload of a real image of ``kind``, padded to ``size`` bytes if given."""

    def upload() -> SimpleUploadedFile:
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(out, format=kind)
        content = out.getvalue()
        if size is not None:
            content += b"\0" * (size - len(content))
        return SimpleUploadedFile(name, content, "image/png")

    return upload


def _file(name: str, content: bytes):
    return lambda: SimpleUploadedFile(name, content, "image/png")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


BAD_INPUT = [
    ({"code": "gd_sz"}, "invalid", "code"),
    ({"code": "GD-SZ!"}, "invalid", "code"),
    ({"code": ""}, "invalid", "code"),
    ({"code": "gd-"}, "invalid", "code"),
    # Fits the code's pattern and length, but not PostgreSQL's 63 characters for a schema.
    ({"code": "-".join(["a" * 16, "b" * 15, "c" * 15, "d" * 15])}, "invalid", "code"),
    ({"code": "www"}, "reserved_code", "code"),
    ({"code": "public"}, "reserved_code", "code"),
    ({"code": "pg-sz"}, "reserved_code", "code"),
    ({"code": "tenant-template"}, "reserved_code", "code"),
    ({"code": "information-schema"}, "reserved_code", "code"),
    ({"code": "gd"}, "code_taken", "code"),
    ({"code": " GD-GZ "}, "code_taken", "code"),
    ({"level": "city", "parent": "central"}, "invalid_parent", "parent"),
    ({"level": "county", "parent": "bj"}, "invalid_parent", "parent"),
    ({"level": "province", "parent": None}, "invalid_parent", "parent"),
    ({"level": "central", "parent": None}, "invalid_level", "level"),
    ({"level": "galaxy"}, "invalid_level", "level"),
    ({"admin_phone": "12345"}, "invalid_phone", "admin_phone"),
    ({"admin_phone": "23800000000"}, "invalid_phone", "admin_phone"),
    ({"primary_colour": "red"}, None, "primary_colour"),
    ({"primary_colour": "#12345g"}, None, "primary_colour"),
    ({"name": "   "}, None, "name"),
    ({"logo": _image("logo.png", 2 * 1024 * 1024 + 1)}, "image_too_large", "logo"),
    # What a file is counts, not its name: SVG (script on the portal's origin), HTML, a
    # program and a broken image are refused whatever they are called.
    ({"logo": _file("logo.svg", SVG)}, "invalid_image", "logo"),
    ({"logo": _file("logo.png", SVG)}, "invalid_image", "logo"),
    (
        {"logo": _file("logo.png", b"<html><script>alert(1)</script></html>")},
        "invalid_image",
        "logo",
    ),
    ({"logo": _file("logo.png", _image("x.png")().read()[:40])}, "invalid_image", "logo"),
    ({"banner": _file("banner.jpg", b"MZ\x90\x00" + b"\0" * 100)}, "invalid_image", "banner"),
    ({"banner": _image("banner.jpg", 3 * 1024 * 1024)}, "image_too_large", "banner"),
]


def _good_input(tree, **changes) -> dict:
    parents = {"central": tree.central, "gd": tree.gd, "bj": tree.bj, None: None}
    kwargs = {
        "code": "gd-sz",
        "name": "共青团深圳市委",
        "level": "city",
        "parent": tree.gd,
        "admin_phone": factories.phone(),
        "primary_colour": "#123abc",
    }
    for key, value in changes.items():
        if key == "parent":
            value = parents[value]
        elif callable(value):
            value = value()
        kwargs[key] = value
    return kwargs


def _snapshot() -> dict:
    return {
        "committees": sorted(Committee.objects.values_list("code", flat=True)),
        "domains": sorted(Domain.objects.values_list("domain", flat=True)),
        "accounts": User.objects.count(),
        "roles": Role.objects.count(),
        "schemas": schemas(),
        "files": _media_files(),
    }


@pytest.mark.parametrize(
    ("changes", "code", "field"), BAD_INPUT, ids=[f"{c[2]}-{i}" for i, c in enumerate(BAD_INPUT)]
)
def test_bad_input_is_refused_on_its_field_and_leaves_nothing(tree, changes, code, field):
    before = _snapshot()
    with pytest.raises(ServiceError) as refused:
        services.provision_committee(**_good_input(tree, **changes))
    assert refused.value.field == field
    if code is not None:
        assert refused.value.code == code
    assert refused.value.message
    assert _snapshot() == before


def test_good_input_makes_the_committee_its_domain_admin_and_branding(tree):
    kwargs = _good_input(tree, logo=_image("logo.png"), banner=_image("banner", kind="WEBP"))
    committee = services.provision_committee(**kwargs, display_name=" 深圳 ", slogan="来了就是")
    try:
        committee.refresh_from_db()
        assert (committee.schema_name, committee.path) == ("gd_sz", "/central/gd/gd-sz/")
        assert committee.parent == tree.gd
        assert committee.get_primary_domain().domain == "gd-sz.localhost"
        assert (committee.display_name, committee.primary_colour) == ("深圳", "#123abc")
        admin = User.objects.get(phone=kwargs["admin_phone"])
        assert not admin.has_usable_password()
        assert Role.objects.filter(user=admin, committee=committee, kind="admin").exists()
        assert committee.logo.name.startswith("branding/logos/")
        assert committee.logo.name.endswith(".png")
        assert committee.banner.name.endswith(".webp")
        assert committee.banner.storage.exists(committee.banner.name)
        assert "gd_sz" in schemas()
    finally:
        committee.logo.delete(save=False)
        committee.banner.delete(save=False)


def test_an_existing_account_becomes_the_admin(tree):
    cadre = tree["gd_cadre"]
    committee = services.provision_committee(
        **_good_input(tree, admin_phone=f"+86 {cadre.phone[:3]}-{cadre.phone[3:]}")
    )
    assert User.objects.filter(phone=cadre.phone).count() == 1
    assert Role.objects.filter(user=cadre, committee=committee, kind="admin").exists()
    cadre.refresh_from_db()
    assert cadre.check_password(factories.PASSWORD)


def test_a_built_schema_starts_its_own_sequences(tree):
    for code in ("gd", "bj"):
        with schema_context(code):
            first = Notice.objects.create(title="第一", body="正文", author=tree["youth"])
            second = Notice.objects.create(title="第二", body="正文", author=tree["youth"])
        assert (first.pk, second.pk) == (1, 2), code
    with schema_context(schema.template_schema()):
        assert not Notice.objects.exists()


def test_a_built_schema_has_the_templates_migration_rows_and_a_sequence_after_them(tree):
    tpl = schema.quote(schema.template_schema())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, app, name FROM {tpl}.django_migrations ORDER BY id")
        template_rows = cursor.fetchall()
    assert len(template_rows) > 10
    with schema_context("gd"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, app, name FROM gd.django_migrations ORDER BY id")
            assert cursor.fetchall() == template_rows
        recorder = MigrationRecorder(connection)
        recorder.record_applied("portal", "9999_probe")
        recorder.record_applied("portal", "9999_probe_2")
        rows = recorder.migration_qs.filter(name__startswith="9999").order_by("id")
        ids = list(rows.values_list("id", flat=True))
    top = max(row[0] for row in template_rows)
    assert ids == [top + 1, top + 2]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {tpl}.django_migrations")
        assert cursor.fetchone()[0] == len(template_rows)


def test_the_command_onboards_a_committee(tree):
    out = StringIO()
    call_command(
        "provision_committee",
        "gd-sz",
        "共青团深圳市委",
        level="city",
        parent="gd",
        admin_phone="139 0000 0001",
        admin_password=factories.PASSWORD,
        colour="#00aa00",
        stdout=out,
    )
    assert "gd-sz.localhost" in out.getvalue()
    committee = Committee.objects.get(code="gd-sz")
    assert (committee.parent, committee.level, committee.primary_colour) == (
        tree.gd,
        "city",
        "#00aa00",
    )
    admin = User.objects.get(phone="13900000001")
    assert admin.check_password(factories.PASSWORD)
    assert Role.objects.filter(user=admin, committee=committee, kind="admin").exists()
    assert "gd_sz" in schemas()


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (["gd-sz", "深圳"], {"level": "city", "parent": "nowhere"}, "nowhere"),
        (["gd", "广东"], {"level": "province", "parent": "central"}, "code"),
        (["www", "万维网"], {"level": "city", "parent": "gd"}, "code"),
        (["gd-sz", "深圳"], {"level": "county", "parent": "gd"}, "parent"),
        (["gd-sz", "深圳"], {"level": "city", "parent": "gd", "admin_phone": "110"}, "admin_phone"),
        (["gd-sz", "深圳"], {"level": "city", "parent": "gd", "colour": "red"}, "primary_colour"),
    ],
)
def test_the_command_reports_errors_as_command_errors(tree, args, options, message):
    options.setdefault("admin_phone", "13900000002")
    before = _snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("provision_committee", *args, **options, stdout=StringIO())
    assert _snapshot() == before
