"""Application-level encryption for the highest-risk fields (a confidential address, what she
has disclosed about abuse). The keys come from the environment and never reach the database,
so a dump of the database holds only ciphertext for these fields.

FIELD_ENCRYPTION_KEYS is a comma-separated list of Fernet keys, newest first: values are
written with the first and read with any, so a key can be rotated without downtime
(`manage.py rotate_field_keys` rewrites old values with the newest key).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS to encrypt sensitive fields.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plain: str) -> str:
    return PREFIX + _cipher().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("Not an encrypted value.")
    try:
        return _cipher().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ValueError("Encrypted with a key that is not configured.") from error


def rotate(stored: str) -> str:
    """The same value encrypted with the newest key."""
    return PREFIX + _cipher().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. An empty value is stored empty, so "nothing recorded"
    can be told apart without the key; it cannot be searched or sorted by the database."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return decrypt(value)
