"""Adding a woman: her record is made once, her creator's organisation is on her case team, and
bad input is refused with a clear GOV.UK error before anything is saved."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import make_user
from whole_system.people.identifiers import pnc_check_letter
from whole_system.people.models import CaseTeamMembership, Person
from whole_system.privacy.models import AccessEvent

CREATE = reverse("people:create")
PNC = f"2012/0123456{pnc_check_letter('2012', '0123456')}"


def form_data(**overrides):
    data = {
        "given_name": "Maeve",
        "family_name": "Testcreate",
        "preferred_name": "",
        "date_of_birth_0": "3",
        "date_of_birth_1": "4",
        "date_of_birth_2": "1990",
        "pnc_number": "",
        "prison_number": "",
        "probation_crn": "",
        "nhs_number": "",
        "submission": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return html.unescape(response.content.decode())


def change_rows():
    return AccessEvent.objects.filter(kind=AccessEvent.Kind.CHANGE)


def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_made(client, db):
    response = client.post(CREATE, form_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))
    assert not Person.objects.exists()


def test_analyst_may_not_add_a_woman(analyst_client):
    assert analyst_client.get(CREATE).status_code == 403
    assert analyst_client.post(CREATE, form_data()).status_code == 403
    assert not Person.objects.exists()


def test_the_form_carries_a_one_time_token(keyworker_client):
    page = keyworker_client.get(CREATE).content.decode()
    assert re.search(r'name="submission" value="[0-9a-f-]{36}"', page)


def test_keyworker_adds_a_woman_and_her_centre_is_on_her_case_team(keyworker, keyworker_client):
    response = keyworker_client.post(
        CREATE,
        form_data(
            preferred_name="Mae",
            pnc_number=PNC.lower(),
            prison_number="a1234bc",
            probation_crn="x123456",
            nhs_number="943 476 5919",
        ),
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[person.pk])
    assert (person.given_name, person.family_name, person.preferred_name) == (
        "Maeve",
        "Testcreate",
        "Mae",
    )
    assert person.date_of_birth == date(1990, 4, 3)
    assert (person.pnc_number, person.prison_number, person.probation_crn, person.nhs_number) == (
        PNC,
        "A1234BC",
        "X123456",
        "9434765919",
    )
    assert person.created_by == keyworker
    team = CaseTeamMembership.objects.current().get(person=person)
    assert team.organisation_id == keyworker.membership.organisation_id
    change = change_rows().get(person=person)
    assert change.action == "person.create"
    assert change.actor == keyworker
    assert "Testcreate" not in str(change.fields) + str(change.values)
    page = text(keyworker_client.get(response.url))
    assert "Maeve Testcreate" in page and "Record created" in page


def test_a_double_submit_makes_one_record_and_both_go_to_it(keyworker_client):
    token = re.search(
        r'name="submission" value="([0-9a-f-]{36})"', keyworker_client.get(CREATE).content.decode()
    ).group(1)
    first = keyworker_client.post(CREATE, form_data(submission=token))
    second = keyworker_client.post(CREATE, form_data(submission=token))
    person = Person.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("people:detail", args=[person.pk])
    assert change_rows().filter(action="person.create").count() == 1
    assert CaseTeamMembership.objects.filter(person=person).count() == 1


def test_two_forms_make_two_records(keyworker_client):
    keyworker_client.post(CREATE, form_data())
    keyworker_client.post(CREATE, form_data())
    assert Person.objects.count() == 2


def test_a_probation_officer_who_adds_a_woman_sees_her_and_the_centre_does_not(
    probation_officer, keyworker_client
):
    client = sign_in(Client(), probation_officer)
    response = client.post(CREATE, form_data())
    person = Person.objects.get()
    assert client.get(response.url).status_code == 200
    assert keyworker_client.get(response.url).status_code == 404
    assert CaseTeamMembership.objects.get(person=person).organisation_id == (
        probation_officer.membership.organisation_id
    )


# Bad input --------------------------------------------------------------------------------

TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {
                "date_of_birth_0": str(TOMORROW.day),
                "date_of_birth_1": str(TOMORROW.month),
                "date_of_birth_2": str(TOMORROW.year),
            },
            "Date of birth must be in the past",
        ),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"},
            "Date of birth must be a real date",
        ),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "12", "date_of_birth_2": "1899"},
            "Date of birth must be after 1900",
        ),
        ({"date_of_birth_0": "3", "date_of_birth_1": "4", "date_of_birth_2": ""}, "Enter the year"),
        (
            {"date_of_birth_0": "", "date_of_birth_1": "4", "date_of_birth_2": "1990"},
            "Enter the day",
        ),
        (
            {"date_of_birth_0": "3", "date_of_birth_1": "April", "date_of_birth_2": "1990"},
            "Enter the month",
        ),
        ({"pnc_number": "12/ABC"}, "Enter a PNC number in the correct format, like 2012/0123456X"),
        (
            {"pnc_number": PNC[:-1] + ("A" if PNC[-1] != "A" else "B")},
            "Enter a PNC number with the correct check letter",
        ),
        ({"prison_number": "A12BC"}, "Enter a prison number in the correct format, like A1234BC"),
        (
            {"probation_crn": "123456X"},
            "Enter a case reference number in the correct format, like X123456",
        ),
        ({"nhs_number": "94347659"}, "Enter an NHS number with 10 digits, like 485 777 3456"),
        (
            {"nhs_number": "9434765918"},
            "Enter a valid NHS number – check you have typed it correctly",
        ),
        ({"given_name": "A" * 101}, "Given names must be 100 characters or fewer"),
        (
            {"family_name": "Testcreate2"},
            "Names must only include letters, spaces, hyphens and apostrophes",
        ),
        (
            {"family_name": "<script>alert(1)</script>"},
            "Names must only include letters, spaces, hyphens and apostrophes",
        ),
        ({"family_name": ""}, "Enter family name"),
        ({"given_name": "   "}, "Enter given names"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_saved(
    keyworker_client, overrides, message
):
    response = keyworker_client.post(CREATE, form_data(**overrides))
    assert response.status_code == 200
    page = text(response)
    assert "govuk-error-summary" in page
    assert message in page
    assert "<title>Error:" in page
    assert not Person.objects.exists()
    assert not change_rows().exists()
    assert not CaseTeamMembership.objects.exists()


def test_a_script_in_a_name_is_shown_as_text_not_run(keyworker_client):
    response = keyworker_client.post(CREATE, form_data(family_name="<script>alert(1)</script>"))
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


def test_a_date_of_birth_is_optional(keyworker_client):
    response = keyworker_client.post(
        CREATE, form_data(date_of_birth_0="", date_of_birth_1="", date_of_birth_2="")
    )
    assert response.status_code == 302
    assert Person.objects.get().date_of_birth is None


def test_a_missing_token_is_refused(keyworker_client):
    data = form_data()
    del data["submission"]
    response = keyworker_client.post(CREATE, data)
    assert response.status_code == 200
    assert not Person.objects.exists()


# Names in any script ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("Zoë", "Testcreate"),
        ("Siobhán", "Ní Bhriain"),
        ("Thị Lan", "Nguyễn"),
        ("Zoe\u0308", "D’Souza-O'Neill"),
        ("نور", "الهاشمي"),  # invented, Arabic script
        ("রুমানা", "আক্তার"),  # invented, Bengali script
    ],
)
def test_names_in_any_script_are_saved_and_shown_as_typed(keyworker_client, given, family):
    response = keyworker_client.post(CREATE, form_data(given_name=given, family_name=family))
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == (given, family)
    page = text(keyworker_client.get(response.url))
    assert f"{given} {family}" in page


def test_a_referrer_may_add_a_woman_to_refer_her(centre):
    referrer = make_user(centre, Membership.Role.REFERRER)
    client = sign_in(Client(), referrer)
    response = client.post(CREATE, form_data())
    assert response.status_code == 302
    assert Person.objects.count() == 1
