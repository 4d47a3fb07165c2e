"""Keeping her record up to date: each section saves, the change log names what changed without
copying sensitive values, and an edit made from an out-of-date page is refused."""

from __future__ import annotations

import html
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from whole_system.core.models import Area
from whole_system.people import choices, services
from whole_system.people.models import Dependant, PersonName
from whole_system.privacy.models import AccessEvent

STALE = "Someone else changed this record while you were editing it"


def text(response) -> str:
    return html.unescape(response.content.decode())


def edit_url(person, section):
    return reverse("people:edit", args=[person.pk, section])


def changes(person):
    return AccessEvent.objects.filter(person=person, kind=AccessEvent.Kind.CHANGE).exclude(
        action="person.create"
    )


def logged(event) -> str:
    """Everything the change log row holds about the change, as text."""
    return json.dumps([event.fields, event.values], ensure_ascii=False)


def identity_data(person, **overrides):
    dob = person.date_of_birth
    data = {
        "version": person.version,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth_0": dob.day if dob else "",
        "date_of_birth_1": dob.month if dob else "",
        "date_of_birth_2": dob.year if dob else "",
        "pnc_number": person.pnc_number,
        "prison_number": person.prison_number,
        "probation_crn": person.probation_crn,
        "nhs_number": person.nhs_number,
    }
    data.update(overrides)
    return data


def needs_data(person, **overrides):
    data = {
        "version": person.version,
        "first_language": "",
        "interpreter_needed": "no",
        "accessibility_needs": "",
        "pregnancy": "",
        "due_date_0": "",
        "due_date_1": "",
        "due_date_2": "",
    }
    data.update(overrides)
    return data


def search_finds(client, query):
    results_url = client.post(reverse("people:search"), {"q": query}).url
    return {p.pk for p in client.get(results_url).context["results"]}


# Each section saves -----------------------------------------------------------------------


def test_keyworker_changes_her_names_and_the_log_names_the_fields_without_the_values(
    keyworker, keyworker_client, woman
):
    response = keyworker_client.post(
        edit_url(woman, "identity"),
        identity_data(
            woman,
            family_name="Okonjo-Testname",
            preferred_name="",
            date_of_birth_2="1991",
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[woman.pk])
    woman.refresh_from_db()
    assert woman.family_name == "Okonjo-Testname"
    assert woman.preferred_name == ""
    assert woman.date_of_birth == date(1991, 4, 3)
    assert woman.version == 2
    event = changes(woman).get()
    assert event.action == "person.update"
    assert event.actor == keyworker
    assert sorted(event.fields) == ["date_of_birth", "family_name", "preferred_name"]
    for value in ["Okonjo", "Testname", "Kelly", "Shiv", "1991", "1990"]:
        assert value not in logged(event), value
    assert event.values == {}
    assert "Siobhán Okonjo-Testname" in text(keyworker_client.get(response.url))


def test_changing_her_name_changes_what_search_finds(keyworker_client, woman):
    keyworker_client.post(edit_url(woman, "identity"), identity_data(woman, family_name="Brennan"))
    assert search_finds(keyworker_client, "Brennan") == {woman.pk}
    assert search_finds(keyworker_client, "Siobhan Brennan") == {woman.pk}
    assert search_finds(keyworker_client, "Shiv Brennan") == {woman.pk}
    assert search_finds(keyworker_client, "Kelly") == set()
    woman.refresh_from_db()
    keyworker_client.post(
        reverse("people:add_name", args=[woman.pk]),
        {
            "version": woman.version,
            "kind": PersonName.Kind.PREVIOUS,
            "given_name": "Siobhán",
            "family_name": "Kelly",
        },
    )
    assert search_finds(keyworker_client, "Kelly") == {woman.pk}
    assert search_finds(keyworker_client, "Brennan") == {woman.pk}


def test_a_new_identifier_is_checked_and_saved(keyworker_client, woman):
    response = keyworker_client.post(
        edit_url(woman, "identity"), identity_data(woman, prison_number="b9876yz")
    )
    assert response.status_code == 302
    woman.refresh_from_db()
    assert woman.prison_number == "B9876YZ"
    assert changes(woman).get().fields == ["prison_number"]


def test_a_bad_identifier_in_an_edit_is_refused_and_nothing_is_saved(keyworker_client, woman):
    response = keyworker_client.post(
        edit_url(woman, "identity"),
        identity_data(woman, nhs_number="9434765918", family_name="Brennan"),
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "Enter a valid NHS number" in text(response)
    woman.refresh_from_db()
    assert (woman.family_name, woman.version) == ("Kelly", 1)
    assert not changes(woman).exists()


def test_saving_without_changes_logs_nothing_and_keeps_the_version(keyworker_client, woman):
    response = keyworker_client.post(edit_url(woman, "identity"), identity_data(woman))
    assert response.status_code == 302
    woman.refresh_from_db()
    assert woman.version == 1
    assert not changes(woman).exists()


def test_needs_are_saved_and_the_log_keeps_language_and_interpreter_values(keyworker_client, woman):
    due = timezone.localdate() + timedelta(days=90)
    response = keyworker_client.post(
        edit_url(woman, "needs"),
        needs_data(
            woman,
            first_language="Bengali",
            interpreter_needed="yes",
            accessibility_needs="Step-free access",
            pregnancy=choices.Pregnancy.PREGNANT,
            due_date_0=due.day,
            due_date_1=due.month,
            due_date_2=due.year,
        ),
    )
    assert response.status_code == 302
    woman.refresh_from_db()
    assert (woman.first_language, woman.interpreter_needed) == ("Bengali", True)
    assert (woman.pregnancy, woman.due_date) == (choices.Pregnancy.PREGNANT, due)
    event = changes(woman).get()
    assert sorted(event.fields) == [
        "accessibility_needs",
        "due_date",
        "first_language",
        "interpreter_needed",
        "pregnancy",
    ]
    # Named as changed but not copied into the log: the log keeps nothing about her that would
    # outlive her record.
    assert event.values == {}
    assert "Bengali" not in logged(event)
    assert "Step-free" not in logged(event)
    assert "pregnant" not in logged(event)


def test_a_due_date_is_refused_when_she_is_not_pregnant(keyworker_client, woman):
    due = timezone.localdate() + timedelta(days=90)
    response = keyworker_client.post(
        edit_url(woman, "needs"),
        needs_data(
            woman,
            pregnancy=choices.Pregnancy.NO,
            due_date_0=due.day,
            due_date_1=due.month,
            due_date_2=due.year,
        ),
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "Only give a due date if she is pregnant" in text(response)
    woman.refresh_from_db()
    assert (woman.pregnancy, woman.due_date, woman.version) == ("", None, 1)


def test_the_interpreter_question_must_be_answered(keyworker_client, woman):
    data = needs_data(woman)
    del data["interpreter_needed"]
    response = keyworker_client.post(edit_url(woman, "needs"), data)
    assert "Select yes if she needs an interpreter" in text(response)


def test_contact_details_are_saved_and_not_copied_into_the_log(keyworker_client, woman):
    response = keyworker_client.post(
        edit_url(woman, "contact"),
        {
            "version": woman.version,
            "phone": "07700 900 982",
            "email": "maeve@example.org",
            "may_text": "on",
            "may_email": "on",
            "safe_times": "After 6pm",
            "safe_word": "Bluebell",
        },
    )
    assert response.status_code == 302
    contact = woman.contact
    assert (contact.phone, contact.may_text, contact.may_phone) == ("07700 900 982", True, False)
    event = changes(woman).get()
    assert event.action == "person.contact"
    assert {"phone", "email", "may_text", "may_email", "safe_times", "safe_word"} <= set(
        event.fields
    )
    for value in ["07700", "maeve@example.org", "After 6pm", "Bluebell"]:
        assert value not in logged(event)
    page = text(keyworker_client.get(response.url))
    assert "Safe to text, Safe to email" in page


@pytest.mark.parametrize("phone", ["call me", "07700 900 98x", "07700;900982"])
def test_a_phone_number_with_letters_is_refused(keyworker_client, woman, phone):
    response = keyworker_client.post(
        edit_url(woman, "contact"), {"version": woman.version, "phone": phone}
    )
    assert response.status_code == 200
    assert "Enter a phone number, like 01632 960 001 or 07700 900 982" in text(response)
    assert not hasattr(woman, "contact") or woman.contact.phone == ""


def test_an_address_is_saved_with_its_postcode_tidied(keyworker, keyworker_client, woman):
    area = Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY).order_by("code").first()
    response = keyworker_client.post(
        edit_url(woman, "address"),
        {
            "version": woman.version,
            "line_1": "1 Testing Row",
            "town": "Exampleton",
            "postcode": " sw1a2aa ",
            "area": area.pk,
        },
    )
    assert response.status_code == 302
    woman.refresh_from_db()
    address = woman.address
    assert (address.line_1, address.postcode, address.area) == ("1 Testing Row", "SW1A 2AA", area)
    assert address.recorded_by_organisation_id == keyworker.membership.organisation_id
    event = changes(woman).get()
    assert event.action == "person.address"
    assert "line_1" in event.fields and "postcode" in event.fields
    assert "Testing Row" not in logged(event) and "SW1A" not in logged(event)


@pytest.mark.parametrize("postcode", ["12345", "SW1A", "SW1A 2A", "SW1A2AAAA", "ZZ 99"])
def test_a_postcode_that_is_not_real_is_refused(keyworker_client, woman, postcode):
    response = keyworker_client.post(
        edit_url(woman, "address"), {"version": woman.version, "postcode": postcode}
    )
    assert response.status_code == 200
    assert "Enter a real postcode, like SW1A 2AA" in text(response)
    woman.refresh_from_db()
    assert woman.version == 1


def test_equality_answers_are_saved_and_not_copied_into_the_log(keyworker_client, woman):
    response = keyworker_client.post(
        edit_url(woman, "equality"),
        {
            "version": woman.version,
            "ethnicity": choices.Ethnicity.ASIAN_BANGLADESHI,
            "religion": choices.Religion.MUSLIM,
            "disability": choices.PREFER_NOT_TO_SAY,
        },
    )
    assert response.status_code == 302
    woman.refresh_from_db()
    assert woman.equality.ethnicity == choices.Ethnicity.ASIAN_BANGLADESHI
    assert woman.equality.sexual_orientation == ""
    event = changes(woman).get()
    assert event.action == "person.equality"
    assert sorted(event.fields) == ["disability", "ethnicity", "religion"]
    assert "bangladeshi" not in logged(event) and "muslim" not in logged(event)
    assert "Asian or Asian British: Bangladeshi" in text(keyworker_client.get(response.url))


# Out-of-date pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "data"),
    [
        ("identity", None),
        ("needs", {"first_language": "Welsh", "interpreter_needed": "no"}),
        ("contact", {"phone": "01632 960 001"}),
        ("address", {"line_1": "2 Late Street", "postcode": "ZZ1 1ZZ"}),
        ("equality", {"religion": choices.Religion.NONE}),
    ],
)
def test_an_edit_from_an_out_of_date_page_is_refused_and_saves_nothing(
    manager, keyworker_client, woman, section, data
):
    page = keyworker_client.get(edit_url(woman, section)).content.decode()
    assert 'name="version" value="1"' in page
    services.update_person(
        woman, by=manager, data={"accessibility_needs": "Large print"}, version=1
    )
    post = (
        identity_data(woman, family_name="Latechange") if data is None else {"version": 1, **data}
    )
    response = keyworker_client.post(edit_url(woman, section), post)
    assert response.status_code == 200
    assert STALE in text(response)
    assert "govuk-error-summary" in text(response)
    woman.refresh_from_db()
    assert woman.version == 2
    assert woman.family_name == "Kelly"
    assert [e.action for e in changes(woman)] == ["person.update"]


def test_adding_a_name_from_an_out_of_date_page_is_refused(manager, keyworker_client, woman):
    services.update_person(woman, by=manager, data={"first_language": "Irish"}, version=1)
    response = keyworker_client.post(
        reverse("people:add_name", args=[woman.pk]),
        {
            "version": 1,
            "kind": PersonName.Kind.ALIAS,
            "given_name": "Roisin",
            "family_name": "Quill",
        },
    )
    assert response.status_code == 200
    assert STALE in text(response)
    assert not woman.names.filter(kind=PersonName.Kind.ALIAS).exists()


def test_adding_a_dependant_from_an_out_of_date_page_is_refused(manager, keyworker_client, woman):
    services.update_person(woman, by=manager, data={"first_language": "Irish"}, version=1)
    response = keyworker_client.post(
        reverse("people:add_dependant", args=[woman.pk]),
        {
            "version": 1,
            "first_name": "Aoife",
            "lives_with": Dependant.LivesWith.HER,
            "social_services": Dependant.SocialServices.NONE,
        },
    )
    assert response.status_code == 200
    assert STALE in text(response)
    assert not woman.dependants.exists()


# Other names and dependants ---------------------------------------------------------------


def test_keyworker_adds_and_removes_an_alias(keyworker_client, woman):
    response = keyworker_client.post(
        reverse("people:add_name", args=[woman.pk]),
        {
            "version": woman.version,
            "kind": PersonName.Kind.ALIAS,
            "given_name": "Roisin",
            "family_name": "Quill",
        },
    )
    assert response.status_code == 302
    alias = woman.names.get(kind=PersonName.Kind.ALIAS)
    assert "Roisin Quill" in text(keyworker_client.get(response.url))
    assert search_finds(keyworker_client, "Quill") == {woman.pk}
    event = changes(woman).get()
    assert event.action == "person.name_added"
    assert "Quill" not in logged(event) and "Roisin" not in logged(event)

    woman.refresh_from_db()
    response = keyworker_client.post(
        reverse("people:remove_name", args=[woman.pk, alias.pk]), {"version": woman.version}
    )
    assert response.status_code == 302
    assert not woman.names.filter(pk=alias.pk).exists()
    assert search_finds(keyworker_client, "Quill") == set()
    assert changes(woman).filter(action="person.name_removed").count() == 1


def test_her_legal_name_cannot_be_removed_as_another_name(keyworker_client, woman):
    legal = woman.names.get(kind=PersonName.Kind.LEGAL)
    keyworker_client.post(
        reverse("people:remove_name", args=[woman.pk, legal.pk]), {"version": woman.version}
    )
    assert woman.names.filter(pk=legal.pk).exists()
    woman.refresh_from_db()
    assert woman.version == 1


def test_removing_a_name_from_an_out_of_date_page_is_refused(
    keyworker, manager, keyworker_client, woman
):
    alias = services.add_other_name(
        woman,
        by=keyworker,
        kind=PersonName.Kind.ALIAS,
        given_name="Roisin",
        family_name="Quill",
        version=1,
    )
    services.update_person(woman, by=manager, data={"first_language": "Irish"}, version=2)
    response = keyworker_client.post(
        reverse("people:remove_name", args=[woman.pk, alias.pk]), {"version": 2}, follow=True
    )
    assert STALE in text(response)
    assert woman.names.filter(pk=alias.pk).exists()


def test_keyworker_adds_and_removes_a_dependant(keyworker_client, woman):
    response = keyworker_client.post(
        reverse("people:add_dependant", args=[woman.pk]),
        {
            "version": woman.version,
            "first_name": "Aoife",
            "date_of_birth_0": "1",
            "date_of_birth_1": "6",
            "date_of_birth_2": "2015",
            "lives_with": Dependant.LivesWith.FAMILY,
            "social_services": Dependant.SocialServices.CHILD_IN_NEED,
        },
    )
    assert response.status_code == 302
    child = woman.dependants.get()
    assert (child.first_name, child.date_of_birth) == ("Aoife", date(2015, 6, 1))
    page = text(keyworker_client.get(response.url))
    assert "Aoife" in page and "Child in need plan" in page
    event = changes(woman).get()
    assert event.action == "person.dependant_added"
    assert "Aoife" not in logged(event)

    woman.refresh_from_db()
    response = keyworker_client.post(
        reverse("people:remove_dependant", args=[woman.pk, child.pk]), {"version": woman.version}
    )
    assert response.status_code == 302
    assert not woman.dependants.exists()


def test_a_dependant_needs_where_they_live_and_social_services_answered(keyworker_client, woman):
    response = keyworker_client.post(
        reverse("people:add_dependant", args=[woman.pk]),
        {"version": woman.version, "first_name": "Aoife"},
    )
    assert response.status_code == 200
    assert text(response).count("Select an answer") >= 2
    assert not woman.dependants.exists()


def test_removing_a_dependant_from_an_out_of_date_page_is_refused(
    keyworker, manager, keyworker_client, woman
):
    child = services.add_dependant(
        woman,
        by=keyworker,
        version=1,
        data={
            "first_name": "Cian",
            "lives_with": Dependant.LivesWith.HER,
            "social_services": Dependant.SocialServices.NONE,
        },
    )
    services.update_person(woman, by=manager, data={"first_language": "Irish"}, version=2)
    response = keyworker_client.post(
        reverse("people:remove_dependant", args=[woman.pk, child.pk]), {"version": 2}, follow=True
    )
    assert STALE in text(response)
    assert woman.dependants.filter(pk=child.pk).exists()


def test_removing_another_womans_dependant_through_her_record_does_nothing(
    keyworker, keyworker_client, woman
):
    from whole_system.core.testing.factories import make_person

    other = make_person(keyworker, given_name="Maeve", family_name="Otherwoman")
    child = services.add_dependant(
        other,
        by=keyworker,
        version=1,
        data={
            "first_name": "Cian",
            "lives_with": Dependant.LivesWith.HER,
            "social_services": Dependant.SocialServices.NONE,
        },
    )
    keyworker_client.post(
        reverse("people:remove_dependant", args=[woman.pk, child.pk]), {"version": woman.version}
    )
    assert other.dependants.filter(pk=child.pk).exists()
