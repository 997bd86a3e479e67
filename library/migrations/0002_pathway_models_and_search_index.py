from django.db import migrations

PATHWAY_MODELS = [
    ("bridge", "Bridge"),
    ("iet", "Integrated Education and Training (IET)"),
    ("pre-apprenticeship", "Pre-apprenticeship"),
    ("registered-apprenticeship", "Registered apprenticeship"),
]


def add_pathway_models(apps, schema_editor):
    PathwayModel = apps.get_model("library", "PathwayModel")
    for position, (slug, name) in enumerate(PATHWAY_MODELS):
        PathwayModel.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


def add_search_index(apps, schema_editor):
    # A GIN index makes full-text search fast on PostgreSQL; SQLite searches without it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS library_resource_search "
            "ON library_resource USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_resource_search")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_resources")]

    operations = [
        migrations.RunPython(add_pathway_models, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
