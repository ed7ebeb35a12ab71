from django.db import connection

from tenants import schema


def test_no_tenant_table_holds_a_database_constraint_into_the_public_schema(db):
    """Each such constraint would put one more trigger on a public table per committee."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.relname, c.conname FROM pg_constraint c
            JOIN pg_class r ON r.oid = c.conrelid
            JOIN pg_class f ON f.oid = c.confrelid
            WHERE c.contype = 'f' AND r.relnamespace = %s::regnamespace
              AND f.relnamespace <> r.relnamespace
            """,
            [schema.template_schema()],
        )
        assert cursor.fetchall() == []
