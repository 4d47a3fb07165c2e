"""Every response carries a request id, the same id the access log records; pages carry the
security headers; and the production settings pass Django's deployment checklist."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

from whole_system.privacy.models import AccessEvent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("url", ["/", "/sign-in/", "/healthz", "/no-such-page/", "/language/cy/"])
def test_every_response_has_a_request_id(client, url):
    response = client.get(url)

    assert len(response["X-Request-ID"]) >= 8


def test_each_request_gets_its_own_id(client):
    first = client.get("/sign-in/")["X-Request-ID"]
    second = client.get("/sign-in/")["X-Request-ID"]

    assert first != second


def test_a_well_formed_upstream_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a9c01-77"})

    assert response["X-Request-ID"] == "lb-4f2a9c01-77"


@pytest.mark.parametrize("incoming", ["short", "has spaces in it!", "x" * 65, "<script>"])
def test_a_malformed_upstream_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})

    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_access_event_records_the_request_id_of_the_page_that_read_her(keyworker_client, woman):
    response = keyworker_client.get(reverse("people:detail", kwargs={"person_id": woman.pk}))

    assert response.status_code == 200
    event = AccessEvent.objects.filter(person_id=woman.pk, action="person.view").latest("pk")
    assert event.request_id == response["X-Request-ID"]


def test_page_has_a_strict_content_security_policy_and_refuses_framing(keyworker_client):
    response = keyworker_client.get("/")

    assert response.status_code == 200
    directives = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sign_in_page_has_no_inline_script(client):
    body = client.get("/sign-in/").content.decode()

    assert "<script>" not in body
    assert " onclick=" not in body


def test_production_settings_pass_the_deployment_checklist():
    # A clean environment, as on a server: not the test run's (which allows async-unsafe code).
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "WS_DEMO": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "whole-system.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
