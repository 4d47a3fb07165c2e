"""Per-organisation name index for finding a woman (people.SearchName)."""

import django.db.models.deletion
from django.db import migrations, models


def create_indexes(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    for column in ("family_folded", "given_folded"):
        schema_editor.execute(
            f"CREATE INDEX people_searchname_org_{column} "
            f"ON people_searchname (organisation_id, {column}{ops})"
        )


def drop_indexes(apps, schema_editor):
    for column in ("family_folded", "given_folded"):
        schema_editor.execute(f"DROP INDEX IF EXISTS people_searchname_org_{column}")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('people', '0002_name_trigram_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('given_folded', models.CharField(max_length=100)),
                ('family_folded', models.CharField(max_length=100)),
                ('organisation', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
