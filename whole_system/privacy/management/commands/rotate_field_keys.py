"""Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS.

Put the new key first in FIELD_ENCRYPTION_KEYS (keeping the old ones after it), deploy, run
this, then remove the old keys."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from whole_system.privacy.encryption import EncryptedTextField, rotate


def encrypted_columns() -> list[tuple[str, str, list[str]]]:
    """(table, primary key column, encrypted columns) for every model with encrypted fields."""
    found = []
    for model in apps.get_models():
        columns = [
            str(f.column) for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if columns:
            found.append((model._meta.db_table, str(model._meta.pk.column), columns))
    return found


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields with the newest FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        quote = connection.ops.quote_name
        for table, pk, columns in encrypted_columns():
            rewritten = 0
            with transaction.atomic(), connection.cursor() as cursor:
                # Table and column names come from the models, quoted; values are parameters.
                cursor.execute(
                    f"SELECT {quote(pk)}, {', '.join(map(quote, columns))} FROM {quote(table)}"  # noqa: S608
                )
                for row_id, *values in cursor.fetchall():
                    new = [rotate(v) if v else v for v in values]
                    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
                    with connection.cursor() as update:
                        update.execute(
                            f"UPDATE {quote(table)} SET {sets} WHERE {quote(pk)} = %s",  # noqa: S608
                            [*new, row_id],
                        )
                    rewritten += 1
            self.stdout.write(f"{table}: {rewritten} rows re-encrypted.")
