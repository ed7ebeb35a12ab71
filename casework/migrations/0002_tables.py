"""The tables taken over from the question app get casework's names.

PostgreSQL 18 names a column's NOT NULL constraint after its table when the table is made
(``qa_team_name_not_null``) and keeps that name when the table is renamed; a schema built
afresh would call it ``casework_team_name_not_null``. They are renamed too, so that every
schema, migrated or built from the template (``tenants.schema``), is the same. Earlier
servers have no such constraints and the loop finds nothing."""

from django.db import migrations

MOVED = ["LocalTerm", "Deadline", "LocalCategory", "Team", "RoutingRule", "ReplyTemplate", "Member"]

RENAME_NOT_NULL = r"""
DO $$
DECLARE found record;
BEGIN
    FOR found IN
        SELECT c.conname, t.relname
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_namespace s ON s.oid = t.relnamespace
        WHERE s.nspname = current_schema() AND c.contype = 'n'
          AND t.relname LIKE 'casework\_%' AND c.conname LIKE 'qa\_%'
    LOOP
        EXECUTE format(
            'ALTER TABLE %I RENAME CONSTRAINT %I TO %I',
            found.relname, found.conname, 'casework_' || substr(found.conname, 4)
        );
    END LOOP;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("qa", "0009_casework"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=name, table=None) for name in MOVED),
        migrations.RunSQL(RENAME_NOT_NULL, migrations.RunSQL.noop),
    ]
