from django.db import migrations

from whole_system.core.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps.get_model("core", "Area"), apps.get_model("core", "Prison"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
