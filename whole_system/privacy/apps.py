from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _install_log_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Make sure the log tables' append-only triggers exist after every migrate and flush
    (a test database is emptied by flush, which needs them lifted for a moment)."""
    from . import triggers

    triggers.install(connections[using])


class PrivacyConfig(AppConfig):
    name = "whole_system.privacy"
    label = "privacy"

    def ready(self) -> None:
        post_migrate.connect(_install_log_triggers, sender=self)
