from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("grantees", "0004_occupation_licensing_body_occupation_title_es"),
        ("labor_market", "0002_priority_from_target_occupations"),
    ]

    operations = [migrations.RemoveField(model_name="grantee", name="target_occupations")]
