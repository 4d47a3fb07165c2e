""" "Who has viewed this record": for the managers of an organisation on her team, through the
same policy point, and itself logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from whole_system.accounts.models import Membership, User
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import make_user
from whole_system.privacy import policy
from whole_system.privacy.models import AccessEvent, Channel, Purpose

pytestmark = pytest.mark.django_db


def _url(person) -> str:
    return reverse("privacy:access_log", kwargs={"person_id": person.pk})


def test_anonymous_visitor_is_sent_to_sign_in(client, woman):
    response = client.get(_url(woman))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_outsider_gets_not_found(outsider_client, woman):
    before = AccessEvent.objects.count()

    response = outsider_client.get(_url(woman))

    assert response.status_code == 404
    assert AccessEvent.objects.count() == before


def test_outside_manager_gets_not_found(other_centre, woman):
    client = sign_in(Client(), make_user(other_centre, Membership.Role.SERVICE_MANAGER))

    assert client.get(_url(woman)).status_code == 404


def test_analyst_gets_not_found(analyst_client, woman):
    assert analyst_client.get(_url(woman)).status_code == 404


def test_keyworker_on_the_team_is_forbidden(keyworker_client, woman):
    before = AccessEvent.objects.count()

    response = keyworker_client.get(_url(woman))

    assert response.status_code == 403
    assert AccessEvent.objects.count() == before


def test_manager_sees_who_viewed_her_record_and_from_which_organisation(
    keyworker, keyworker_client, manager_client, woman, centre
):
    User.objects.filter(pk=keyworker.pk).update(full_name="Bethan Testworker")
    keyworker_client.get(reverse("people:detail", kwargs={"person_id": woman.pk}))

    response = manager_client.get(_url(woman))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Who has viewed this record" in body
    assert "Bethan Testworker" in body
    assert centre.name.replace("'", "&#x27;") in body
    events = list(response.context["page"])
    assert [e.action for e in events if e.actor_id == keyworker.pk][:2] == [
        "person.view",
        "person.create",
    ]


def test_viewing_the_access_log_is_itself_logged(manager, manager_client, centre, woman):
    response = manager_client.get(_url(woman))

    event = AccessEvent.objects.filter(person_id=woman.pk).latest("pk")
    assert event.action == "person.view_access_log"
    assert event.purpose == Purpose.MANAGEMENT
    assert event.kind == AccessEvent.Kind.READ
    assert event.actor == manager
    assert event.organisation == centre
    assert event.role == Membership.Role.SERVICE_MANAGER
    assert event.channel == Channel.PAGE
    assert event.fields == ["access_log"]
    assert event.request_id == response["X-Request-ID"]


def test_access_log_is_read_only(manager_client, woman):
    assert manager_client.post(_url(woman)).status_code == 405


def test_access_log_page_queries_do_not_grow_with_the_number_of_views(
    keyworker, manager_client, woman, django_assert_max_num_queries
):
    for _ in range(30):
        policy.get_person(keyworker, woman.pk, purpose=Purpose.CASEWORK)

    # Measured: 15 queries (session, user, device, membership, organisation, the policy's
    # fetch and case-team check, the log insert, count and one page of events with actor and
    # organisation joined, savepoints, session save) with 31 rows listed; the bound is near it.
    with django_assert_max_num_queries(16):
        response = manager_client.get(_url(woman))

    assert response.status_code == 200
    assert len(response.context["page"]) == 32


def test_the_log_says_what_happened_in_words_not_codes(keyworker_client, manager_client, woman):
    keyworker_client.get(reverse("people:detail", args=[woman.pk]))
    keyworker_client.get(reverse("people:edit", args=[woman.pk, "contact"]))

    page = manager_client.get(reverse("privacy:access_log", args=[woman.pk])).content.decode()

    assert "Opened her record" in page
    assert "Opened a form to change her record" in page
    assert "Created her record" in page
    assert "name, date of birth and identifiers" in page
    assert "contact and safety" in page
    assert "Keyworker" in page
    for code in ("person.view", "person.edit", "access_log", "identifiers, identity", "keyworker"):
        assert code not in page


def test_a_change_names_the_fields_by_their_labels(keyworker, manager_client, woman):
    from whole_system.people import services

    services.update_person(woman, by=keyworker, data={"family_name": "Kelly-Ní"}, version=1)

    page = manager_client.get(reverse("privacy:access_log", args=[woman.pk])).content.decode()

    assert "Changed her record" in page
    assert "family name" in page
    change = AccessEvent.objects.get(action="person.update")
    assert "Kelly-Ní" not in f"{change.fields} {change.values}"  # the value is never logged


def test_the_log_is_in_welsh_for_a_welsh_reader(keyworker_client, manager_client, woman):
    keyworker_client.get(reverse("people:detail", args=[woman.pk]))
    manager_client.cookies["ws_language"] = "cy"

    page = manager_client.get(reverse("privacy:access_log", args=[woman.pk])).content.decode()

    assert "Opened her record" not in page
    assert "name, date of birth and identifiers" not in page
