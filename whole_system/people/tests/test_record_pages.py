"""Her record page and the pages that change it, through their three doors: not signed in,
signed in but not allowed, allowed (and the access log row written)."""

from __future__ import annotations

import html
import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from whole_system.accounts.models import Membership
from whole_system.core.models import Area
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import add_to_case_team, make_user
from whole_system.people import choices, services
from whole_system.people.models import Dependant, PersonName
from whole_system.privacy.groups import HOLDER
from whole_system.privacy.models import AccessEvent, Channel

Role = Membership.Role
SECTIONS = ["identity", "needs", "contact", "address", "equality"]


def text(response) -> str:
    return html.unescape(response.content.decode())


def reads(person, action):
    return AccessEvent.objects.filter(person=person, kind=AccessEvent.Kind.READ, action=action)


@pytest.fixture
def referrer(centre):
    """On the team but may not edit: a referrer at the centre."""
    return make_user(centre, Role.REFERRER)


@pytest.fixture
def referrer_client(client, referrer):
    return sign_in(client, referrer)


@pytest.fixture
def full_record(keyworker, woman):
    """Her record with every part filled in, made through the services (synthetic data)."""
    area = Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY).order_by("code").first()

    def current():
        woman.refresh_from_db()
        return woman.version

    services.add_other_name(
        woman,
        by=keyworker,
        kind=PersonName.Kind.PREVIOUS,
        given_name="Siobhán",
        family_name="Brennan",
        version=current(),
    )
    services.add_other_name(
        woman,
        by=keyworker,
        kind=PersonName.Kind.ALIAS,
        given_name="Shiv",
        family_name="Quill",
        version=current(),
    )
    for name, born in [("Aoife", date(2015, 6, 1)), ("Cian", date(2018, 2, 14))]:
        services.add_dependant(
            woman,
            by=keyworker,
            version=current(),
            data={
                "first_name": name,
                "date_of_birth": born,
                "lives_with": Dependant.LivesWith.HER,
                "social_services": Dependant.SocialServices.NONE,
            },
        )
    services.update_contact(
        woman,
        by=keyworker,
        version=current(),
        data={
            "phone": "07700 900 982",
            "may_phone": True,
            "may_text": True,
            "safe_times": "Weekday mornings",
            "safe_word": "Bluebell",
        },
    )
    services.update_address(
        woman,
        by=keyworker,
        version=current(),
        data={
            "line_1": "1 Testing Row",
            "town": "Exampleton",
            "postcode": "ZZ1 1ZZ",
            "area": area,
        },
    )
    services.update_equality(
        woman,
        by=keyworker,
        version=current(),
        data={
            "ethnicity": choices.Ethnicity.WHITE_IRISH,
            "religion": choices.Religion.CHRISTIAN,
        },
    )
    current()
    return woman


# The record page --------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_from_her_record(client, woman):
    url = reverse("people:detail", args=[woman.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))
    assert "Kelly" not in response.content.decode()
    assert not reads(woman, "person.view").exists()


def test_outsider_gets_the_same_not_found_as_for_a_record_that_does_not_exist(
    outsider_client, woman
):
    missing_id = uuid.uuid4()
    theirs = outsider_client.get(reverse("people:detail", args=[woman.pk]))
    missing = outsider_client.get(reverse("people:detail", args=[missing_id]))
    assert theirs.status_code == missing.status_code == 404
    assert "Kelly" not in theirs.content.decode()
    assert [t.name for t in theirs.templates] == [t.name for t in missing.templates]
    assert not reads(woman, "person.view").exists()


def test_analyst_cannot_see_her_record(analyst_client, woman):
    response = analyst_client.get(reverse("people:detail", args=[woman.pk]))
    assert response.status_code == 404


def test_keyworker_sees_her_whole_record_and_the_view_is_logged(
    keyworker, keyworker_client, full_record
):
    response = keyworker_client.get(reverse("people:detail", args=[full_record.pk]))
    assert response.status_code == 200
    page = text(response)
    for shown in [
        "Siobhán Kelly",
        "Shiv",
        "9434765919",
        "Siobhán Brennan",
        "Shiv Quill",
        "Aoife",
        "Cian",
        "07700 900 982",
        "Safe to phone, Safe to text",
        "Bluebell",
        "1 Testing Row",
        "ZZ1 1ZZ",
        "White: Irish",
        "Riverside Women's Centre",
    ]:
        assert shown in page, shown
    event = reads(full_record, "person.view").get()
    assert event.actor == keyworker
    assert event.organisation_id == keyworker.membership.organisation_id
    assert event.role == Role.KEYWORKER
    assert event.purpose == "casework"
    assert event.channel == Channel.PAGE
    # The holding organisation sees every part but the sensitive classes held item by item.
    assert event.fields == sorted(HOLDER)
    assert event.request_id == response["X-Request-ID"]


def test_keyworker_is_offered_the_change_links(keyworker_client, woman):
    page = keyworker_client.get(reverse("people:detail", args=[woman.pk])).content.decode()
    for section in SECTIONS:
        assert reverse("people:edit", args=[woman.pk, section]) in page
    assert reverse("people:add_name", args=[woman.pk]) in page


def test_referrer_on_the_team_sees_her_record_without_change_links(
    referrer, referrer_client, woman
):
    response = referrer_client.get(reverse("people:detail", args=[woman.pk]))
    assert response.status_code == 200
    assert "Siobhán Kelly" in text(response)
    for section in SECTIONS:
        assert reverse("people:edit", args=[woman.pk, section]) not in response.content.decode()
    assert reads(woman, "person.view").get().actor == referrer


def test_record_page_query_count_does_not_grow_with_her_record(
    keyworker_client, full_record, django_assert_max_num_queries
):
    url = reverse("people:detail", args=[full_record.pk])
    # Measured at 18 on SQLite and PostgreSQL: session, user, device, membership,
    # organisation, the record with its one-to-one parts, names, dependants, need areas,
    # disclosures, case team, the policy's case-team rows, one access event, the session save
    # and four savepoint statements. A query per name, dependant, need or organisation would
    # push it past the bound.
    with django_assert_max_num_queries(18):
        response = keyworker_client.get(url)
    assert response.status_code == 200


def test_an_unknown_section_is_not_found(keyworker_client, woman):
    response = keyworker_client.get(reverse("people:edit", args=[woman.pk, "secrets"]))
    assert response.status_code == 404


# The change pages: three doors each -------------------------------------------------------


def _edit_pages(person) -> list[tuple[str, str]]:
    """(method, url) for every page that changes her record."""
    name = person.names.filter(kind=PersonName.Kind.PREVIOUS).first()
    dependant = person.dependants.first()
    return [
        *[("get", reverse("people:edit", args=[person.pk, s])) for s in SECTIONS],
        ("get", reverse("people:add_name", args=[person.pk])),
        ("get", reverse("people:add_dependant", args=[person.pk])),
        ("post", reverse("people:remove_name", args=[person.pk, name.pk])),
        ("post", reverse("people:remove_dependant", args=[person.pk, dependant.pk])),
    ]


def _random_edit_pages(person) -> list[tuple[str, str]]:
    """The same pages for a record that does not exist."""
    missing = uuid.uuid4()
    return [
        (method, url.replace(str(person.pk), str(missing))) for method, url in _edit_pages(person)
    ]


def test_anonymous_visitor_is_sent_to_sign_in_from_every_change_page(client, full_record):
    version = full_record.version
    for method, url in _edit_pages(full_record):
        response = getattr(client, method)(url, {"version": version} if method == "post" else {})
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:sign_in")), url
    full_record.refresh_from_db()
    assert full_record.version == version
    assert full_record.names.count() == 4 and full_record.dependants.count() == 2


def test_outsider_gets_not_found_on_every_change_page_as_for_a_missing_record(
    outsider_client, full_record
):
    version = full_record.version
    pages = zip(_edit_pages(full_record), _random_edit_pages(full_record), strict=True)
    for (method, url), (_, missing_url) in pages:
        data = {"version": version} if method == "post" else {}
        assert getattr(outsider_client, method)(url, data).status_code == 404, url
        assert getattr(outsider_client, method)(missing_url, data).status_code == 404, url
    full_record.refresh_from_db()
    assert full_record.version == version
    assert full_record.names.count() == 4 and full_record.dependants.count() == 2
    assert not AccessEvent.objects.filter(person=full_record, action="person.edit").exists()


def test_referrer_on_the_team_is_refused_every_change_page(referrer_client, full_record):
    version = full_record.version
    for method, url in _edit_pages(full_record):
        data = {"version": version} if method == "post" else {}
        assert getattr(referrer_client, method)(url, data).status_code == 403, url
    full_record.refresh_from_db()
    assert full_record.version == version
    assert full_record.names.count() == 4 and full_record.dependants.count() == 2
    assert not AccessEvent.objects.filter(person=full_record, action="person.edit").exists()


@pytest.mark.parametrize("section", SECTIONS)
def test_keyworker_opens_each_section_and_the_read_is_logged(
    keyworker, keyworker_client, full_record, section
):
    response = keyworker_client.get(reverse("people:edit", args=[full_record.pk, section]))
    assert response.status_code == 200
    assert f'name="version" value="{full_record.version}"' in response.content.decode()
    event = reads(full_record, "person.edit").get()
    assert event.actor == keyworker
    assert event.organisation_id == keyworker.membership.organisation_id
    assert event.role == Role.KEYWORKER
    assert event.purpose == "casework"
    assert event.channel == Channel.PAGE
    assert event.fields == [section]
    assert event.request_id == response["X-Request-ID"]


@pytest.mark.parametrize("page", ["add_name", "add_dependant"])
def test_keyworker_opens_the_add_pages_and_the_read_is_logged(keyworker_client, woman, page):
    response = keyworker_client.get(reverse(f"people:{page}", args=[woman.pk]))
    assert response.status_code == 200
    expected = {"add_name": ["names"], "add_dependant": ["dependants"]}[page]
    assert reads(woman, "person.edit").get().fields == expected


def test_the_identity_section_shows_what_is_recorded(keyworker_client, woman):
    response = keyworker_client.get(reverse("people:edit", args=[woman.pk, "identity"]))
    page = text(response)
    assert 'value="Siobhán"' in page and 'value="Kelly"' in page and 'value="9434765919"' in page


def test_keyworker_removes_a_name_and_a_dependant(keyworker_client, full_record):
    for method, url in _edit_pages(full_record)[-2:]:
        full_record.refresh_from_db()
        response = getattr(keyworker_client, method)(url, {"version": full_record.version})
        assert response.status_code == 302
        assert response.url == reverse("people:detail", args=[full_record.pk])
    assert not full_record.names.filter(kind=PersonName.Kind.PREVIOUS).exists()
    assert full_record.dependants.count() == 1


def test_remove_pages_only_take_a_post(keyworker_client, full_record):
    for _method, url in _edit_pages(full_record)[-2:]:
        assert keyworker_client.get(url).status_code == 405


# A confidential address -------------------------------------------------------------------


@pytest.fixture
def refuge(keyworker, woman, probation):
    services.update_address(
        woman,
        by=keyworker,
        version=woman.version,
        data={
            "line_1": "Flat 9, Safe House Lane",
            "town": "Exampleton",
            "postcode": "ZZ9 9ZZ",
            "is_confidential": True,
        },
    )
    add_to_case_team(woman, probation)
    woman.refresh_from_db()
    return woman


def test_the_organisation_that_recorded_a_confidential_address_sees_it(keyworker_client, refuge):
    response = keyworker_client.get(reverse("people:detail", args=[refuge.pk]))
    page = text(response)
    assert "Flat 9, Safe House Lane" in page
    assert "Confidential address. Do not share it" in page
    assert (
        keyworker_client.get(reverse("people:edit", args=[refuge.pk, "address"])).status_code == 200
    )


def test_another_organisation_on_the_case_team_sees_only_who_holds_a_confidential_address(
    probation_officer, refuge
):
    client = sign_in(Client(), probation_officer)
    response = client.get(reverse("people:detail", args=[refuge.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Her address is confidential. It is held by Riverside Women's Centre." in page
    assert "Safe House Lane" not in page and "ZZ9 9ZZ" not in page
    assert reverse("people:edit", args=[refuge.pk, "address"]) not in page


def test_another_organisation_is_refused_the_confidential_address_edit_page(
    probation_officer, refuge
):
    client = sign_in(Client(), probation_officer)
    url = reverse("people:edit", args=[refuge.pk, "address"])
    response = client.get(url)
    assert response.status_code == 403
    assert "Safe House Lane" not in response.content.decode()
    response = client.post(
        url, {"version": refuge.version, "line_1": "Overwritten", "postcode": "ZZ1 1ZZ"}
    )
    assert response.status_code == 403
    refuge.refresh_from_db()
    assert refuge.address.line_1 == "Flat 9, Safe House Lane"


def test_another_organisation_sees_an_ordinary_address(
    keyworker, woman, probation, probation_officer
):
    services.update_address(
        woman,
        by=keyworker,
        version=woman.version,
        data={
            "line_1": "2 Open Street",
            "postcode": "ZZ2 2ZZ",
            "is_confidential": False,
        },
    )
    add_to_case_team(woman, probation)
    client = sign_in(Client(), probation_officer)
    page = text(client.get(reverse("people:detail", args=[woman.pk])))
    assert "2 Open Street" in page
    assert "Her address is confidential" not in page
