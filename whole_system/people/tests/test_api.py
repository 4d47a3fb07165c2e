"""The people API for other agencies' systems: the same policy and the same access log as the
pages, through the same three doors."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import make_person, make_user
from whole_system.privacy.models import AccessEvent, Channel

SEARCH = reverse("api:people_search")


def detail_url(person) -> str:
    return reverse("api:person", args=[getattr(person, "pk", person)])


def api_search(client, query=None):
    data = {} if query is None else {"q": query}
    return client.post(SEARCH, data, content_type="application/json")


def api_reads(person):
    return AccessEvent.objects.filter(person=person, kind=AccessEvent.Kind.READ)


# Not signed in ----------------------------------------------------------------------------


def test_anonymous_caller_is_refused_the_detail_with_no_data(client, woman):
    response = client.get(detail_url(woman))
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert "Kelly" not in response.content.decode()
    assert not api_reads(woman).exists()


def test_anonymous_caller_is_refused_the_search_with_no_data(client, woman):
    response = api_search(client, "Kelly")
    assert response.status_code in (401, 403)
    assert "results" not in response.json()
    assert "Kelly" not in response.content.decode()
    assert not api_reads(woman).exists()


def test_a_session_without_a_security_code_gets_no_data(centre, woman):
    # A member who never set up a security code: signed in, timers running, no device.
    client = sign_in(Client(), make_user(centre, Membership.Role.KEYWORKER, with_device=False))
    response = client.get(detail_url(woman))
    # The session policy ends such a session before the API sees it (a redirect to sign in).
    assert response.status_code in (302, 401, 403)
    assert "Kelly" not in response.content.decode()
    assert not api_reads(woman).exists()


# Signed in but not allowed ----------------------------------------------------------------


def test_outsider_gets_not_found_for_her_just_as_for_a_missing_record(outsider_client, woman):
    theirs = outsider_client.get(detail_url(woman))
    missing = outsider_client.get(detail_url(uuid.uuid4()))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert not api_reads(woman).exists()


def test_outsider_search_does_not_return_the_centres_woman(outsider_client, woman):
    for query in ["Siobhán Kelly", "Kelly", "9434765919", "03/04/1990"]:
        response = api_search(outsider_client, query)
        assert response.status_code == 200
        assert response.json()["results"] == []
    assert not api_reads(woman).exists()


def test_analyst_may_not_search_or_read_records(analyst_client, woman):
    assert api_search(analyst_client, "Kelly").status_code == 403
    assert analyst_client.get(detail_url(woman)).status_code == 404
    assert not api_reads(woman).exists()


# Allowed ----------------------------------------------------------------------------------


def test_keyworker_reads_her_record_and_the_read_is_logged_as_api(
    keyworker, keyworker_client, woman
):
    response = keyworker_client.get(detail_url(woman))
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == str(woman.pk)
    assert (data["given_name"], data["family_name"], data["preferred_name"]) == (
        "Siobhán",
        "Kelly",
        "Shiv",
    )
    assert data["date_of_birth"] == "1990-04-03"
    assert data["nhs_number"] == "9434765919"
    assert data["version"] == 1
    assert {"kind": "legal", "given_name": "Siobhán", "family_name": "Kelly"} in data["names"]
    assert {"first_language", "interpreter_needed", "accessibility_needs", "pregnancy"} <= set(data)
    event = api_reads(woman).get()
    assert event.action == "person.view"
    assert event.channel == Channel.API
    assert event.actor == keyworker
    assert event.organisation_id == keyworker.membership.organisation_id
    assert event.role == Membership.Role.KEYWORKER
    assert event.purpose == "casework"
    assert event.fields == ["engagement", "health", "identity", "needs_summary"]
    assert event.request_id == response["X-Request-ID"]


def test_the_api_does_not_give_out_contact_address_or_equality_answers(keyworker_client, woman):
    data = keyworker_client.get(detail_url(woman)).json()
    assert not {"contact", "address", "equality", "dependants"} & set(data)


def test_keyworker_searches_and_each_result_is_logged_as_api(keyworker, keyworker_client, woman):
    other = make_person(keyworker, given_name="Maeve", family_name="Kellett")
    response = api_search(keyworker_client, "Kel")
    assert response.status_code == 200
    data = response.json()
    assert {r["id"] for r in data["results"]} == {str(woman.pk), str(other.pk)}
    assert data["similar_only"] is False
    kelly = next(r for r in data["results"] if r["id"] == str(woman.pk))
    assert (kelly["given_name"], kelly["nhs_number"]) == ("Siobhán", "9434765919")
    events = AccessEvent.objects.filter(action="person.search_result")
    assert {e.person_id for e in events} == {woman.pk, other.pk}
    assert {e.channel for e in events} == {Channel.API}
    assert {e.request_id for e in events} == {response["X-Request-ID"]}


def test_search_by_identifier_through_the_api(keyworker_client, woman):
    results = api_search(keyworker_client, "9434765919").json()["results"]
    assert [r["id"] for r in results] == [str(woman.pk)]


@pytest.mark.parametrize("query", [None, "", "   "])
def test_a_search_without_terms_is_refused_with_a_message(keyworker_client, woman, query):
    response = api_search(keyworker_client, query)
    assert response.status_code == 400
    assert response.json()["q"] == ["Enter a name, date of birth or identifier"]
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


def test_a_search_over_200_characters_is_refused(keyworker_client, woman):
    response = api_search(keyworker_client, "kelly " * 34)
    assert response.status_code == 400
    assert "200 characters" in response.json()["q"][0]
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


def test_the_search_is_a_post_so_names_never_sit_in_a_url(keyworker_client, woman):
    response = keyworker_client.get(SEARCH, {"q": "Kelly"})
    assert response.status_code == 405
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


# The OpenAPI schema -----------------------------------------------------------------------


def test_the_schema_is_served_to_a_signed_in_user_and_names_both_paths(keyworker_client):
    response = keyworker_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/people/search/" in paths
    assert "post" in paths["/api/v1/people/search/"]
    assert "/api/v1/people/{person_id}/" in paths
    assert "get" in paths["/api/v1/people/{person_id}/"]


def test_the_schema_is_not_served_to_an_anonymous_caller(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code in (302, 401, 403)
    assert "/api/v1/people/" not in response.content.decode()


# Another organisation, on what she agreed to ---------------------------------------------


def test_probation_sees_only_identity_and_engagement_on_her_consent(
    keyworker, woman, probation, probation_officer
):
    from whole_system.privacy import sharing

    sharing.record_consent(
        woman,
        by=keyworker,
        purpose="engagement_probation",
        decision="given",
        method="spoken",
        recipient_organisation=probation,
    )
    sharing.share(woman, by=keyworker, purpose="engagement_probation", recipient=probation)
    client = sign_in(Client(), probation_officer)

    body = client.get(detail_url(woman)).json()

    assert body["family_name"] == "Kelly"
    assert body["engagement_status"] == "awaiting"
    # Her NHS number is a health field, her language a need: neither is in the table for
    # probation on this purpose, so neither key is sent at all.
    for absent in ("nhs_number", "pregnancy", "first_language", "accessibility_needs"):
        assert absent not in body
    assert "9434765919" not in str(body)
    event = api_reads(woman).filter(actor=probation_officer).get()
    assert event.fields == ["engagement", "identity"]
    assert event.basis == "consent"


def test_probation_without_a_share_gets_not_found(woman, probation_officer):
    client = sign_in(Client(), probation_officer)
    assert client.get(detail_url(woman)).status_code == 404
