"""Recording a need area and a disclosure: the three doors, clear errors, nothing half-saved."""

from __future__ import annotations

from django.urls import reverse

from whole_system.people.models import Disclosure, Need
from whole_system.privacy.models import AccessEvent


def test_not_signed_in_is_sent_to_sign_in(client, woman):
    for name in ("people:add_need", "people:add_disclosure"):
        response = client.get(reverse(name, args=[woman.pk]))
        assert response.status_code == 302
        assert reverse("accounts:sign_in") in response["Location"]


def test_another_organisation_is_told_not_found(outsider_client, woman):
    for name in ("people:add_need", "people:add_disclosure"):
        assert outsider_client.get(reverse(name, args=[woman.pk])).status_code == 404
    response = outsider_client.post(
        reverse("people:add_need", args=[woman.pk]),
        {"area": "drugs", "level": "high", "version": woman.version},
    )
    assert response.status_code == 404
    assert not Need.objects.exists()


def test_a_need_without_a_level_is_refused_and_nothing_is_saved(keyworker_client, woman):
    response = keyworker_client.post(
        reverse("people:add_need", args=[woman.pk]), {"area": "drugs", "version": woman.version}
    )

    assert response.status_code == 200
    assert "Select the level of need" in response.content.decode()
    assert not Need.objects.exists()


def test_a_need_is_recorded_once_per_area_by_the_keyworkers_organisation(
    keyworker_client, woman, centre
):
    url = reverse("people:add_need", args=[woman.pk])
    keyworker_client.post(url, {"area": "drugs", "level": "some", "version": 1})
    keyworker_client.post(
        url, {"area": "drugs", "level": "high", "notes": "More now", "version": 2}
    )

    need = Need.objects.get(person=woman)
    assert (need.level, need.notes, need.recorded_by_organisation) == ("high", "More now", centre)
    change = AccessEvent.objects.filter(action="person.need_added").latest("pk")
    assert "More now" not in str(change.values)


def test_a_disclosure_without_words_is_refused_and_nothing_is_saved(keyworker_client, woman):
    response = keyworker_client.post(
        reverse("people:add_disclosure", args=[woman.pk]),
        {"kind": "domestic_abuse", "narrative": "", "version": woman.version},
    )

    assert response.status_code == 200
    assert "Enter what she said" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_a_disclosure_belongs_to_the_organisation_that_recorded_it(keyworker_client, woman, centre):
    response = keyworker_client.post(
        reverse("people:add_disclosure", args=[woman.pk]),
        {"kind": "sex_work", "narrative": "Told me about last winter.", "version": woman.version},
    )

    assert response.status_code == 302
    disclosure = Disclosure.objects.get(person=woman)
    assert disclosure.recorded_by_organisation == centre
    page = keyworker_client.get(reverse("people:detail", args=[woman.pk])).content.decode()
    assert "Told me about last winter." in page
