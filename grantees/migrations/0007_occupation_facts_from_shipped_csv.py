"""Fill the occupation facts added in 0004/0006 (licensing body, Spanish title and licensing
body) from the CSV shipped with the portal, where they are still blank, so an existing database
gets them without a manual import. Reversible: going back leaves the values (the fields go)."""

import csv
from pathlib import Path

from django.db import migrations

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "occupations.csv"
FIELDS = ("licensing_body", "title_es", "licensing_body_es")


def forwards(apps, schema_editor):
    Occupation = apps.get_model("grantees", "Occupation")
    with open(SHIPPED, newline="", encoding="utf-8") as handle:
        facts = {row["soc_code"]: row for row in csv.DictReader(handle)}
    for occupation in Occupation.objects.filter(soc_code__in=facts):
        row = facts[occupation.soc_code]
        changed = [f for f in FIELDS if not getattr(occupation, f) and row.get(f)]
        for name in changed:
            setattr(occupation, name, row[name])
        if changed:
            occupation.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("grantees", "0006_occupation_licensing_body_es")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
