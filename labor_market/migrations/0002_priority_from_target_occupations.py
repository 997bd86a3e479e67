"""Grantee profiles had a plain list of target occupations; they become priority occupations
(which carry a rationale). Reversible: going back copies them into the list again."""

from django.db import migrations

MOVED_RATIONALE = "Chosen as a target occupation on the grantee profile."


def forwards(apps, schema_editor):
    Grantee = apps.get_model("grantees", "Grantee")
    PriorityOccupation = apps.get_model("labor_market", "PriorityOccupation")
    rows = []
    for grantee in Grantee.objects.prefetch_related("target_occupations"):
        for position, occupation in enumerate(grantee.target_occupations.order_by("title")):
            rows.append(
                PriorityOccupation(
                    grantee=grantee,
                    occupation=occupation,
                    rationale=MOVED_RATIONALE,
                    position=position,
                )
            )
    PriorityOccupation.objects.bulk_create(rows, ignore_conflicts=True)


def backwards(apps, schema_editor):
    Grantee = apps.get_model("grantees", "Grantee")
    PriorityOccupation = apps.get_model("labor_market", "PriorityOccupation")
    for priority in PriorityOccupation.objects.all():
        Grantee.objects.get(pk=priority.grantee_id).target_occupations.add(priority.occupation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("labor_market", "0001_initial"),
        ("grantees", "0004_occupation_licensing_body_occupation_title_es"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
