"""The home page through its three doors, and the health check that needs no sign-in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from whole_system.core.testing.factories import make_person

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
FIND = reverse("people:search")


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next={HOME}"


def test_analyst_sees_no_caseload_and_no_way_to_find_a_woman(analyst_client, woman):
    response = analyst_client.get(HOME)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Your organisation works with" not in body
    assert "Find a woman" not in body
    assert f'href="{FIND}"' not in body
    assert "Your role does not give you access to women" in body


def test_keyworker_sees_her_organisations_caseload(keyworker, keyworker_client, woman):
    make_person(keyworker, given_name="Nia", family_name="Testperson")

    response = keyworker_client.get(HOME)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Your organisation works with 2 women." in body
    assert f'href="{FIND}"' in body
    assert "Find a woman" in body


def test_caseload_counts_only_her_organisations_women(keyworker_client, outsider, woman):
    make_person(outsider, given_name="Ffion", family_name="Testperson")

    body = keyworker_client.get(HOME).content.decode()

    assert "Your organisation works with 1 woman." in body


def test_home_page_does_not_log_a_read_of_anyone(keyworker_client, woman):
    from whole_system.privacy.models import AccessEvent

    before = AccessEvent.objects.count()
    keyworker_client.get(HOME)

    assert AccessEvent.objects.count() == before


def test_health_check_answers_without_sign_in(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
