"""On PostgreSQL the database refuses two live 1:1 bookings of one coach whose times overlap.

The unique (coach, starts_at) constraint catches the same start; this exclusion constraint also
catches overlapping ranges that start at different times (a 90-minute booking at 10:00 and a
60-minute one at 10:30). It needs btree_gist for the `=` on coach_id (a trusted extension since
PostgreSQL 13). SQLite has no equivalent; there the service's row lock and the unique constraint hold.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CREATE = """
ALTER TABLE booking_booking ADD CONSTRAINT booking_coach_no_overlap
    EXCLUDE USING gist (coach_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status = 'booked' AND kind = 'one_on_one');
"""
DROP = "ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS booking_coach_no_overlap;"


def create_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(create_constraint, drop_constraint),
    ]
