"""Database triggers that refuse any change to the log tables, whoever asks.

Installed by a migration. The test suite removes them just before Django empties the test
database between transactional tests, and puts them back before the next test.
"""

from __future__ import annotations

from typing import Any

TABLES = ("privacy_accessevent", "privacy_accesslogseal", "privacy_integritycheck")


def install(connection: Any, execute: Any = None) -> None:
    """Create the triggers (again, if they exist) on PostgreSQL or SQLite."""
    run = execute or _executor(connection)
    if connection.vendor == "postgresql":
        # No parameters: the % in RAISE is PL/pgSQL's, not a query placeholder.
        run(
            "CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'append-only table: % refused on %', TG_OP, TG_TABLE_NAME; "
            "END; $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            run(
                f"CREATE OR REPLACE TRIGGER {table}_append_only "
                f"BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION privacy_refuse_change()"
            )
    elif connection.vendor == "sqlite":
        for table in TABLES:
            for op in ("update", "delete"):
                run(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {op.upper()} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, 'append-only table'); END"
                )


def remove(connection: Any, execute: Any = None) -> None:
    run = execute or _executor(connection)
    for table in TABLES:
        if connection.vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif connection.vendor == "sqlite":
            for op in ("update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


def _executor(connection: Any) -> Any:
    def run(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    return run
