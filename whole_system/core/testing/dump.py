"""A full dump of the test database as text, as an attacker with a backup would read it."""

from __future__ import annotations

import os
import subprocess

from django.db import connection


def database_dump() -> str:
    """Every table's contents, as SQL text (SQLite's iterdump, or pg_dump on PostgreSQL)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = ["pg_dump", "--data-only", "--no-owner", "--dbname", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    # A fixed program with the test database's own connection settings.
    dumped = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return dumped.stdout
