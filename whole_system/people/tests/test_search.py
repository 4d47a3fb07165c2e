"""Finding a woman: by any name she is known by, her date of birth or an identifier; only among
the women the user may see; every result shown is logged."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from whole_system.accounts.models import Membership
from whole_system.core.testing.factories import make_person
from whole_system.people import services
from whole_system.people.identifiers import normalise_nhs_number, pnc_check_letter
from whole_system.people.models import PersonName
from whole_system.people.search import find_people
from whole_system.privacy.models import AccessEvent, Channel

PNC = f"2012/0123456{pnc_check_letter('2012', '0123456')}"
SEARCH = reverse("people:search")


def search(client, query):
    """Search as the page does: the form posts, then the results page is a GET."""
    response = client.post(SEARCH, {"q": query})
    if response.status_code != 302:
        return response
    assert response.url.startswith(f"{SEARCH}?s=")
    return client.get(response.url)


def found(response):
    assert response.status_code == 200
    return {person.pk for person in response.context["results"]}


@pytest.fixture
def identified(keyworker):
    """A second woman with every identifier recorded (synthetic)."""
    return make_person(
        keyworker,
        given_name="Amara",
        family_name="Testwoman",
        date_of_birth=date(1985, 11, 30),
        pnc_number=PNC,
        prison_number="A1234BC",
        probation_crn="X123456",
        nhs_number=normalise_nhs_number("999 000 0034"),  # a valid number in the 999 range
    )


# Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Kel", "kelly", "Siobhán", "siob", "Siobhan Kelly", "Kelly Siobhan", "shiv", "Shiv Kelly"],
)
def test_keyworker_finds_woman_by_any_part_of_her_name(keyworker_client, woman, query):
    assert found(search(keyworker_client, query)) == {woman.pk}


def test_search_shows_her_preferred_name_and_legal_name(keyworker_client, woman):
    response = search(keyworker_client, "Kelly")
    assert "Shiv Kelly" in response.content.decode()
    assert "Legal name: Siobhán Kelly" in response.content.decode()


@pytest.mark.parametrize("query", ["Smith", "Zara Okafor", "Okafor 03/04/1990", "elly"])
def test_search_does_not_find_her_by_names_she_does_not_have(keyworker_client, woman, query):
    response = search(keyworker_client, query)
    assert found(response) == set()
    if connection.vendor != "postgresql":
        assert "No woman you can see matches" in response.content.decode()


def test_keyworker_finds_woman_by_a_previous_name_and_an_alias(keyworker, keyworker_client, woman):
    services.add_other_name(
        woman,
        by=keyworker,
        kind=PersonName.Kind.PREVIOUS,
        given_name="Siobhán",
        family_name="Brennan",
        version=woman.version,
    )
    woman.refresh_from_db()
    services.add_other_name(
        woman,
        by=keyworker,
        kind=PersonName.Kind.ALIAS,
        given_name="Roisin",
        family_name="Quill",
        version=woman.version,
    )
    assert found(search(keyworker_client, "Brennan")) == {woman.pk}
    assert found(search(keyworker_client, "siobhan brennan")) == {woman.pk}
    assert found(search(keyworker_client, "Roisin Quill")) == {woman.pk}
    assert found(search(keyworker_client, "quill")) == {woman.pk}


def test_accents_are_folded_both_ways(keyworker, keyworker_client):
    zoe = make_person(keyworker, given_name="Zoë", family_name="Testfield")
    lan = make_person(keyworker, given_name="Thị Lan", family_name="Nguyễn")
    assert found(search(keyworker_client, "zoe")) == {zoe.pk}
    assert found(search(keyworker_client, "ZOË testfield")) == {zoe.pk}
    assert found(search(keyworker_client, "nguyen")) == {lan.pk}
    assert found(search(keyworker_client, "Thi Nguyen")) == {lan.pk}


def test_arabic_and_bengali_names_are_found_by_typing_them(keyworker, keyworker_client):
    noor = make_person(keyworker, given_name="نور", family_name="الهاشمي")  # invented
    rumana = make_person(keyworker, given_name="রুমানা", family_name="আক্তার")  # invented
    assert found(search(keyworker_client, "الهاشمي")) == {noor.pk}
    assert found(search(keyworker_client, "نور الهاشمي")) == {noor.pk}
    assert found(search(keyworker_client, "আক্তার")) == {rumana.pk}
    assert found(search(keyworker_client, "রুমানা আক্তার")) == {rumana.pk}
    assert "রুমানা আক্তার" in search(keyworker_client, "রুমানা").content.decode()


# Date of birth and identifiers ------------------------------------------------------------


@pytest.mark.parametrize("query", ["30/11/1985", "1985-11-30", "testwoman 30/11/1985"])
def test_keyworker_finds_woman_by_date_of_birth(keyworker_client, woman, identified, query):
    assert found(search(keyworker_client, query)) == {identified.pk}


def test_a_date_of_birth_narrows_a_name_search(keyworker_client, woman, identified):
    assert found(search(keyworker_client, "kelly 30/11/1985")) == set()
    assert found(search(keyworker_client, "kelly 03/04/1990")) == {woman.pk}


@pytest.mark.parametrize(
    "query",
    [PNC, PNC.lower(), PNC.replace("/", ""), "A1234BC", "a1234bc", "X123456", "9990000034"],
)
def test_keyworker_finds_woman_by_each_identifier(keyworker_client, woman, identified, query):
    assert found(search(keyworker_client, query)) == {identified.pk}


def test_an_identifier_she_does_not_have_finds_nobody(keyworker_client, identified):
    assert found(search(keyworker_client, "B9999ZZ")) == set()


# Who may search and what is logged --------------------------------------------------------


def test_outsider_never_sees_the_centres_women_even_for_an_exact_match(
    outsider_client, woman, identified
):
    for query in ["Siobhán Kelly", "9434765919", "A1234BC", PNC, "30/11/1985", "Shiv"]:
        response = search(outsider_client, query)
        assert found(response) == set()
        assert reverse("people:detail", args=[woman.pk]) not in response.content.decode()
        assert "Amara" not in response.content.decode()
    assert (
        not AccessEvent.objects.filter(person_id__in=[woman.pk, identified.pk])
        .exclude(action="person.create")
        .exists()
    )


def test_outsider_finds_her_own_centres_women_only(outsider, outsider_client, woman):
    theirs = make_person(outsider, given_name="Siobhán", family_name="Kellett")
    assert found(search(outsider_client, "Siobhan Kel")) == {theirs.pk}


def test_analyst_is_refused_the_search_page(analyst_client, woman):
    response = search(analyst_client, "Kelly")
    assert response.status_code == 403
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


def test_anonymous_search_redirects_to_sign_in(client, woman):
    response = client.post(SEARCH, {"q": "Kelly"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


def test_every_result_shown_is_logged_with_who_searched_and_why(
    keyworker, keyworker_client, woman, identified
):
    other = make_person(keyworker, given_name="Siobhan", family_name="Kelso")
    response = search(keyworker_client, "Kel")
    assert found(response) == {woman.pk, other.pk}
    events = AccessEvent.objects.filter(action="person.search_result")
    assert {e.person_id for e in events} == {woman.pk, other.pk}
    for event in events:
        assert event.kind == AccessEvent.Kind.READ
        assert event.actor == keyworker
        assert event.organisation_id == keyworker.membership.organisation_id
        assert event.role == Membership.Role.KEYWORKER
        assert event.purpose == "casework"
        assert event.channel == Channel.PAGE
        assert event.fields == ["identity"]
        assert event.request_id == response["X-Request-ID"]


def test_a_search_with_no_results_logs_nothing(keyworker_client, woman):
    search(keyworker_client, "Nobodyhere")
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a name, date of birth or identifier"),
        ("   ", "Enter a name, date of birth or identifier"),
        ("kelly " * 34, "must be 200 characters or fewer"),
    ],
)
def test_an_empty_or_too_long_search_shows_an_error_and_logs_nothing(
    keyworker_client, woman, query, message
):
    response = search(keyworker_client, query)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert message in content
    assert response.context["results"] == []
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


def test_the_search_page_without_a_query_shows_the_box_and_no_error(keyworker_client, woman):
    response = keyworker_client.get(SEARCH)
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


def test_results_are_limited_to_twenty_and_only_those_shown_are_logged(keyworker, keyworker_client):
    for n in range(21):
        make_person(keyworker, given_name=f"Ann{'a' * (n % 5)}", family_name="Manyresults")
    response = search(keyworker_client, "manyresults")
    assert len(found(response)) == 20
    assert "Showing the first 20" in response.content.decode()
    assert AccessEvent.objects.filter(action="person.search_result").count() == 20


def test_a_full_page_that_is_everything_does_not_ask_to_narrow_the_search(
    keyworker, keyworker_client
):
    for n in range(20):
        make_person(keyworker, given_name=f"Ann{'a' * (n % 5)}", family_name="Manyresults")
    response = search(keyworker_client, "manyresults")
    assert len(found(response)) == 20
    assert "Showing the first" not in response.content.decode()


def test_search_page_query_count_does_not_grow_with_results(
    keyworker, keyworker_client, django_assert_max_num_queries
):
    for n in range(30):
        make_person(
            keyworker,
            given_name=f"Test{chr(97 + n % 26)}",
            family_name="Samename",
            preferred_name="Sam" if n % 2 else "",
        )
    # Measured at 13 on SQLite and PostgreSQL: session, user, device, membership,
    # organisation, the organisation's name index, the one query for the women, one bulk
    # insert of the 20 access events shown, the session save and their savepoints. One query per
    # result would be 40 or more.
    results_url = keyworker_client.post(SEARCH, {"q": "samename"}).url
    with django_assert_max_num_queries(13):
        response = keyworker_client.get(results_url)
    assert len(found(response)) == 20


def test_find_people_logs_api_results_with_the_api_channel(keyworker, woman):
    result = find_people(keyworker, "Kelly", channel=Channel.API)
    assert [p.pk for p in result.people] == [woman.pk]
    assert result.similar is False
    assert result.more is False
    event = AccessEvent.objects.get(action="person.search_result")
    assert event.channel == Channel.API


# PostgreSQL: spelling-tolerant search -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search needs PostgreSQL")
@pytest.mark.parametrize("query", ["Siobhan Kely", "Shiobhan"])
def test_a_misspelt_name_is_found_through_similar_spellings(keyworker_client, woman, query):
    response = search(keyworker_client, query)
    assert found(response) == {woman.pk}
    assert "These names are spelt similarly" in response.content.decode()
    assert AccessEvent.objects.filter(action="person.search_result", person=woman).count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search needs PostgreSQL")
def test_similar_spellings_are_still_limited_to_the_users_organisation(outsider_client, woman):
    response = search(outsider_client, "Siobhan Kely")
    assert found(response) == set()
    assert not AccessEvent.objects.filter(action="person.search_result").exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search needs PostgreSQL")
def test_an_exact_match_does_not_say_names_are_spelt_similarly(keyworker_client, woman):
    response = search(keyworker_client, "Siobhan Kelly")
    assert found(response) == {woman.pk}
    assert "spelt similarly" not in response.content.decode()


def test_the_results_address_holds_no_names_or_identifiers(keyworker_client, woman):
    response = keyworker_client.post(SEARCH, {"q": "Siobhan Kelly 9434765919"})
    assert response.status_code == 302
    for part in ("Siobhan", "Kelly", "9434765919"):
        assert part not in response.url
    assert found(keyworker_client.get(response.url)) == {woman.pk}


def test_a_results_address_from_another_session_shows_nothing(
    keyworker_client, manager_client, woman
):
    results_url = keyworker_client.post(SEARCH, {"q": "Kelly"}).url
    response = manager_client.get(results_url)
    assert found(response) == set()
    assert not AccessEvent.objects.filter(
        actor__isnull=False, action="person.search_result", request_id=response["X-Request-ID"]
    ).exists()


@pytest.mark.parametrize(
    ("given", "family", "query"),
    [
        ("Mary", "O'Brien", "O'Brien"),
        ("Mary", "O'Brien", "Mary O'Brien"),
        ("Mary", "O'Brien", "o’brien mary"),
        # Typed without the apostrophe, as many people will.
        ("Mary", "O'Brien", "obrien"),
        ("Mary", "O'Brien", "mary obrien"),
        ("Siobhán", "Ní Bhriain", "Ní Bhriain"),
        ("Siobhán", "Ní Bhriain", "Siobhan Ni Bhriain"),
        ("Thị Lan", "Nguyễn", "Nguyen Thi Lan"),
        ("Thị Lan", "Nguyễn", "Thi Lan Nguyen"),
        ("Anne-Marie", "Testlong", "Anne-Marie Testlong"),
        ("Siobhán Mary", "Testlong", "Siobhan Testlong"),
    ],
)
def test_names_of_more_than_one_word_are_found_whole(
    keyworker, keyworker_client, given, family, query
):
    person = make_person(keyworker, given_name=given, family_name=family)
    assert found(search(keyworker_client, query)) == {person.pk}


def test_an_nhs_number_typed_in_its_printed_groups_finds_her(keyworker_client, woman):
    assert found(search(keyworker_client, "943 476 5919")) == {woman.pk}
    assert found(search(keyworker_client, "Kelly 943 476 5919")) == {woman.pk}
