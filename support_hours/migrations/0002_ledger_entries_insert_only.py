"""On PostgreSQL the database itself refuses to change or delete a ledger entry.

The application never updates entries (LedgerEntry.save/delete refuse too); this trigger makes the
rule hold for raw SQL, the admin, and any future code. TRUNCATE (the test runner's flush) is a
statement-level operation and is not affected. SQLite has no equivalent we rely on: production and
CI run on PostgreSQL.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION support_hours_ledger_entry_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are insert-only: % refused on entry %', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Post a reversing entry instead.';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_entry_insert_only
    BEFORE UPDATE OR DELETE ON support_hours_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION support_hours_ledger_entry_insert_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_entry_insert_only ON support_hours_ledgerentry;
DROP FUNCTION IF EXISTS support_hours_ledger_entry_insert_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor with no parameters, so the '%' of RAISE is not read as a placeholder.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("support_hours", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
