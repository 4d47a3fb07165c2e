"""The highest-risk fields are encrypted in the application: the database never holds them in
plain text, and the key lives only in the environment."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from whole_system.core.testing.dump import database_dump
from whole_system.people import services
from whole_system.people.models import Address, Disclosure
from whole_system.privacy import encryption
from whole_system.privacy.encryption import decrypt, encrypt

ADDRESS_MARKER = "Canary Refuge Lane 4417"
POSTCODE_MARKER = "ZX9 9QQ"
NARRATIVE_MARKER = "canary-disclosure-9f31 he took her keys"


@pytest.fixture
def secrets_recorded(keyworker, woman):
    services.update_address(
        woman,
        by=keyworker,
        data={
            "line_1": ADDRESS_MARKER,
            "town": "Testtown",
            "postcode": POSTCODE_MARKER,
            "is_confidential": True,
        },
        version=woman.version,
    )
    woman.refresh_from_db()
    services.add_disclosure(
        woman,
        by=keyworker,
        data={"kind": "domestic_abuse", "narrative": NARRATIVE_MARKER},
        version=woman.version,
    )
    return woman


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_confidential_address_or_disclosure_in_plain_text(
    secrets_recorded,
):
    dump = database_dump()

    assert ADDRESS_MARKER not in dump
    assert POSTCODE_MARKER not in dump
    assert NARRATIVE_MARKER not in dump
    # The rows are there, encrypted; the record itself is not.
    assert "Kelly" in dump
    assert encryption.PREFIX in dump


def test_the_application_reads_them_back(secrets_recorded):
    assert Address.objects.get(person=secrets_recorded).line_1 == ADDRESS_MARKER
    assert Disclosure.objects.get(person=secrets_recorded).narrative == NARRATIVE_MARKER
    assert _raw("people_address", "line_1")[0].startswith(encryption.PREFIX)


def test_each_encryption_of_the_same_text_differs():
    assert encrypt("same") != encrypt("same")
    assert decrypt(encrypt("same")) == "same"


def test_a_value_encrypted_with_an_unknown_key_is_refused(settings):
    stored = encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError, match="not configured"):
        decrypt(stored)


def test_keys_rotate_without_losing_a_value(settings, secrets_recorded):
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, *old]

    call_command("rotate_field_keys", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert Address.objects.get(person=secrets_recorded).line_1 == ADDRESS_MARKER
    assert Disclosure.objects.get(person=secrets_recorded).narrative == NARRATIVE_MARKER


def test_production_refuses_to_start_without_a_key():
    import subprocess
    import sys
    from pathlib import Path

    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "WS_DEMO": "0", "SECRET_KEY": "x" * 50}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
