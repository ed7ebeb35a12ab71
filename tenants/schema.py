"""Building tenant schemas: the template's DDL, read once from the catalog, replayed in one batch.

django-tenants' ``clone_schema`` walks the catalog for every new tenant, and that walk grows
slower as schemas accumulate. Here the walk happens once per migration state of the template
schema (``settings.TENANT_TEMPLATE_SCHEMA``, migrated on every deploy by ``migrate_platform``);
each new tenant then costs one batch of ``CREATE TABLE``/``ALTER TABLE``/``CREATE INDEX``
statements plus a copy of the template's rows (its ``django_migrations``), with the same
object names a migrated schema has. ``describe_schema`` is the yardstick the tests use to
show that a built schema and a migrated one are identical.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import schema_exists


class UnsupportedTemplate(RuntimeError):
    """The template holds an object the batch builder does not reproduce."""


@dataclass(frozen=True)
class Blueprint:
    fingerprint: str
    ddl: str  # runs with search_path set to the new schema, then public
    copies: str  # copies the template's rows and advances their sequences


_lock = threading.Lock()
_cached: Blueprint | None = None


def template_schema() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def migrate_template(verbosity: int = 0) -> None:
    """Create the template schema if needed and apply every tenant migration to it."""
    tpl = template_schema()
    if not schema_exists(tpl):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote(tpl)}")
    call_command(
        "migrate_schemas", tenant=True, schema_name=tpl, interactive=False, verbosity=verbosity
    )
    connection.set_schema_to_public()


def _fingerprint(cursor) -> str:
    cursor.execute(
        f"SELECT app, name FROM {quote(template_schema())}.django_migrations ORDER BY app, name"
    )
    return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()


def blueprint() -> Blueprint:
    """The template's DDL, re-read from the catalog whenever its migrations change."""
    global _cached
    with connection.cursor() as cursor:
        fingerprint = _fingerprint(cursor)
    with _lock:
        if _cached is None or _cached.fingerprint != fingerprint:
            _cached = _read_blueprint(fingerprint)
        return _cached


def build_schema(schema_name: str) -> None:
    """Create ``schema_name`` as a copy of the template, inside the caller's transaction."""
    bp = blueprint()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        previous = cursor.fetchone()[0]
        cursor.execute(
            f"CREATE SCHEMA {quote(schema_name)}; "
            f"SET LOCAL search_path TO {quote(schema_name)}, public; {bp.ddl} {bp.copies}"
        )
        cursor.execute("SELECT set_config('search_path', %s, true)", [previous])


def drop_schema(schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema_name)} CASCADE")


def _read_blueprint(fingerprint: str) -> Blueprint:
    tpl = template_schema()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        previous = cursor.fetchone()[0]
        # With only the template on the path, the catalog functions print the template's own
        # objects unqualified (so they land in the new schema) and public's ones qualified.
        cursor.execute(f"SET LOCAL search_path TO {quote(tpl)}")
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [tpl])
        nsp = cursor.fetchone()[0]
        _refuse_unsupported(cursor, nsp)
        tables = _tables(cursor, nsp)
        ddl = [_create_table(cursor, oid, name) for oid, name in tables]
        ddl += _constraints(cursor, nsp, foreign=False)
        ddl += _indexes(cursor, nsp, tpl)
        ddl += _constraints(cursor, nsp, foreign=True)
        copies = _copies(cursor, tables, tpl)
        cursor.execute("SELECT set_config('search_path', %s, true)", [previous])
    return Blueprint(fingerprint=fingerprint, ddl="\n".join(ddl), copies="\n".join(copies))


def _refuse_unsupported(cursor, nsp: int) -> None:
    cursor.execute(
        """
        SELECT c.relname, c.relkind FROM pg_class c
        WHERE c.relnamespace = %(nsp)s AND (
            c.relkind NOT IN ('r', 'i', 'S')
            OR (c.relkind = 'S' AND NOT EXISTS (
                SELECT 1 FROM pg_depend d
                WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'i'))
        )
        UNION ALL
        SELECT t.tgname, 'trigger' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = %(nsp)s AND NOT t.tgisinternal
        UNION ALL
        SELECT p.proname, 'function' FROM pg_proc p WHERE p.pronamespace = %(nsp)s
        UNION ALL
        SELECT t.typname, 'type' FROM pg_type t
        WHERE t.typnamespace = %(nsp)s AND t.typtype NOT IN ('c', 'b')
        """,
        {"nsp": nsp},
    )
    found = cursor.fetchall()
    if found:
        raise UnsupportedTemplate(
            f"the template schema holds objects the batch builder does not copy: {found}"
        )


def _tables(cursor, nsp: int) -> list[tuple[int, str]]:
    cursor.execute(
        "SELECT oid, relname FROM pg_class WHERE relnamespace = %s AND relkind = 'r' "
        "ORDER BY relname",
        [nsp],
    )
    return cursor.fetchall()


def _create_table(cursor, oid: int, name: str) -> str:
    cursor.execute(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
               s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               seq.relname
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_depend dep ON a.attidentity <> '' AND dep.refobjid = a.attrelid
             AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass
             AND dep.deptype = 'i'
        LEFT JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
        LEFT JOIN pg_sequence s ON s.seqrelid = seq.oid
        WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        [oid],
    )
    columns = []
    for (
        col,
        type_,
        not_null,
        default,
        identity,
        generated,
        collation,
        start,
        step,
        low,
        high,
        cache,
        cycle,
        seq_name,
    ) in cursor.fetchall():
        parts = [quote(col), type_]
        if collation:
            parts.append(f"COLLATE {quote(collation)}")
        if identity:
            kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
            options = (
                f"SEQUENCE NAME {quote(seq_name)} START WITH {start} INCREMENT BY {step} "
                f"MINVALUE {low} MAXVALUE {high} CACHE {cache} {'' if cycle else 'NO '}CYCLE"
            )
            parts.append(f"GENERATED {kind} AS IDENTITY ({options})")
        elif generated == "s":
            parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
        elif default is not None:
            parts.append(f"DEFAULT {default}")
        if not_null:
            parts.append("NOT NULL")
        columns.append(" ".join(parts))
    return f"CREATE TABLE {quote(name)} ({', '.join(columns)});"


def _constraints(cursor, nsp: int, *, foreign: bool) -> list[str]:
    # NOT NULL constraints (contype 'n', PostgreSQL 18) come with the columns.
    cursor.execute(
        """
        SELECT r.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
        WHERE r.relnamespace = %s AND c.contype <> 'n' AND (c.contype = 'f') = %s
        ORDER BY position(c.contype::text in 'puxcf'),
                 r.relname, c.conname
        """,
        [nsp, foreign],
    )
    return [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition};"
        for table, name, definition in cursor.fetchall()
    ]


def _indexes(cursor, nsp: int, tpl: str) -> list[str]:
    cursor.execute(
        """
        SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE ic.relnamespace = %s AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
              AND c.contype IN ('p', 'u', 'x'))
        ORDER BY ic.relname
        """,
        [nsp],
    )
    # pg_get_indexdef always qualifies the table: point it at the new schema's table.
    qualified = re.compile(rf' ON (ONLY )?("?){re.escape(tpl)}\2\.')
    statements = []
    for (definition,) in cursor.fetchall():
        placed, count = qualified.subn(r" ON \1", definition, count=1)
        if not count:
            raise UnsupportedTemplate(f"cannot place index in the new schema: {definition}")
        statements.append(placed + ";")
    return statements


def _copies(cursor, tables: list[tuple[int, str]], tpl: str) -> list[str]:
    statements = []
    for oid, name in tables:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(tpl)}.{quote(name)})")
        if not cursor.fetchone()[0]:
            continue
        statements.append(f"INSERT INTO {quote(name)} SELECT * FROM {quote(tpl)}.{quote(name)};")
        cursor.execute(
            """
            SELECT a.attname FROM pg_attribute a
            WHERE a.attrelid = %s AND a.attidentity <> '' AND NOT a.attisdropped
            """,
            [oid],
        )
        for (col,) in cursor.fetchall():
            # A copied row keeps its id; the new sequence must continue after it (#831).
            statements.append(
                f"SELECT setval(pg_get_serial_sequence('{quote(name)}', '{col}'), "
                f"COALESCE(MAX({quote(col)}), 1), MAX({quote(col)}) IS NOT NULL) "
                f"FROM {quote(name)};"
            )
    return statements


def describe_schema(schema_name: str) -> dict[str, list[tuple]]:
    """Everything that makes two schemas the same: columns, constraints, indexes, sequences."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema_name])
        row = cursor.fetchone()
        if row is None:
            return {}
        nsp = row[0]
        queries = {
            "columns": """
                SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                       a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity,
                       a.attgenerated, a.attcollation
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE c.relnamespace = %(nsp)s AND c.relkind = 'r' AND a.attnum > 0
                  AND NOT a.attisdropped ORDER BY 1, 2""",
            "constraints": """
                SELECT r.relname, c.conname, c.contype,
                       regexp_replace(pg_get_constraintdef(c.oid), %(tpl)s, '', 'g'),
                       c.condeferrable, c.condeferred
                FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
                WHERE r.relnamespace = %(nsp)s ORDER BY 1, 2""",
            "indexes": """
                SELECT ic.relname, regexp_replace(pg_get_indexdef(i.indexrelid), %(tpl)s, '', 'g')
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                WHERE ic.relnamespace = %(nsp)s ORDER BY 1""",
            "sequences": """
                SELECT c.relname, s.seqtypid::regtype::text, s.seqstart, s.seqincrement,
                       s.seqmax, s.seqmin, s.seqcache, s.seqcycle
                FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
                WHERE c.relnamespace = %(nsp)s ORDER BY 1""",
            "relations": """
                SELECT relname, relkind, relpersistence FROM pg_class
                WHERE relnamespace = %(nsp)s ORDER BY 1""",
        }
        # The schema's own name may appear in definitions; take it out so schemas compare.
        params = {"nsp": nsp, "tpl": f"\\m{schema_name}\\."}
        result = {}
        for key, sql in queries.items():
            cursor.execute(sql, params)
            result[key] = cursor.fetchall()
        cursor.execute(
            f"SELECT app, name FROM {quote(schema_name)}.django_migrations ORDER BY 1, 2"
        )
        result["migrations"] = cursor.fetchall()
    return result
