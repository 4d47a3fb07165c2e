"""The database itself refuses to change or delete log rows, whoever asks."""

from django.db import migrations

from whole_system.privacy import triggers


def create(apps, schema_editor):
    triggers.install(
        schema_editor.connection, lambda sql: schema_editor.execute(sql, params=None)
    )


def drop(apps, schema_editor):
    triggers.remove(schema_editor.connection, lambda sql: schema_editor.execute(sql, params=None))


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
