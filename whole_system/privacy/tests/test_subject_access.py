"""Her copy of everything held about her: what it holds, what it withholds for another
organisation, what it marks for review before release, and the JSON and PDF downloads."""

from __future__ import annotations

import json
import re
import zlib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from whole_system.accounts.models import Membership
from whole_system.core.testing.auth import sign_in
from whole_system.core.testing.factories import add_to_case_team, make_person, make_user
from whole_system.people.models import Address, Dependant, Disclosure, Need, Person
from whole_system.privacy import policy, rights, sharing
from whole_system.privacy.groups import ConsentPurpose, FieldGroup
from whole_system.privacy.models import (
    AccessEvent,
    Channel,
    EmergencyAccess,
    Purpose,
    RightsRequest,
    SafeguardingShare,
)
from whole_system.privacy.subject_access import build_export, render_html, render_pdf

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def dp_lead(centre):
    return make_user(centre, Role.SERVICE_MANAGER, data_protection_lead=True)


@pytest.fixture
def dp_client(dp_lead):
    return sign_in(Client(), dp_lead)


@pytest.fixture
def sar(woman, dp_lead):
    return rights.open_subject_access_request(woman, by=dp_lead, received_on=timezone.localdate())


@pytest.fixture
def full_record(woman, keyworker, centre, probation, police, other_centre, outsider):
    """Her record with something in every part: shares on each basis, free text and children."""
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ConsentPurpose.ENGAGEMENT_PROBATION,
        decision="given",
        method="written",
        recipient_organisation=probation,
        notes="Agreed after talking it over with her sister Nia",
    )
    sharing.share(
        woman, by=keyworker, purpose=ConsentPurpose.ENGAGEMENT_PROBATION, recipient=probation
    )
    sharing.record_consent(
        woman,
        by=keyworker,
        purpose=ConsentPurpose.ENGAGEMENT_PROBATION,
        decision="withdrawn",
        method="spoken",
        recipient_organisation=probation,
    )
    lead = make_user(centre, Role.KEYWORKER, safeguarding_lead=True)
    sharing.share_for_safeguarding(
        woman,
        by=lead,
        recipient=police,
        reason_category=SafeguardingShare.Reason.RISK_TO_CHILD,
        reason="Her former partner Darren has threatened the children",
        groups=[FieldGroup.CONTACT],
    )
    sharing.break_the_glass(
        woman,
        by=outsider,
        reason_category=EmergencyAccess.Reason.MISSING,
        reason="Reported missing by her mother",
    )
    Dependant.objects.create(
        person=woman, first_name="Cerys", lives_with="her", social_services="none"
    )
    Need.objects.create(
        person=woman,
        area=Need.Area.ACCOMMODATION,
        level=Need.Level.HIGH,
        notes="Staying with a friend, Bronwen",
        recorded_by_organisation=centre,
    )
    Disclosure.objects.create(
        person=woman,
        kind=Disclosure.Kind.DOMESTIC_ABUSE,
        narrative="Ours: what she told the centre",
        recorded_by_organisation=centre,
    )
    add_to_case_team(woman, other_centre)
    Disclosure.objects.create(
        person=woman,
        kind=Disclosure.Kind.SEX_WORK,
        narrative="Theirs: what she told Hillside",
        recorded_by_organisation=other_centre,
    )
    Need.objects.create(
        person=woman,
        area=Need.Area.DOMESTIC_ABUSE,
        level=Need.Level.URGENT,
        notes="Hillside's own note",
        recorded_by_organisation=other_centre,
    )
    Address.objects.create(
        person=woman,
        line_1="Refuge Lane 1",
        postcode="CF10 1AA",
        is_confidential=True,
        recorded_by_organisation=other_centre,
    )
    return woman


def _values(section) -> list[dict]:
    return [{f["name"]: f["value"] for f in item["fields"]} for item in section["items"]]


def _export(person, organisation):
    # As the view reads it: through the policy, by the lead of an organisation holding her case.
    return build_export(person, for_organisation=organisation)


# What the copy holds ---------------------------------------------------------------------------


def test_the_copy_is_plain_json(full_record, centre):
    export = _export(full_record, centre)

    assert json.loads(json.dumps(export)) == export


def test_the_copy_holds_her_record_and_every_consent_decision(full_record, centre):
    export = _export(full_record, centre)
    sections = export["sections"]

    record = _values(sections["record"])[0]
    assert record["given_name"] == "Siobhán"
    assert record["preferred_name"] == "Shiv"
    assert record["nhs_number"] == "9434765919"
    consents = _values(sections["consents"])
    assert [c["decision"] for c in consents] == ["Given", "Withdrawn"]
    assert consents[0]["recipient"] == "North London Probation Delivery Unit"
    assert consents[0]["notes"] == "Agreed after talking it over with her sister Nia"


def test_the_copy_says_who_her_record_was_shared_with_and_on_what_basis(
    full_record, centre, probation, police
):
    rows = _values(_export(full_record, centre)["sections"]["case_team"])
    by_org = {(r["organisation"], r["basis"]): r for r in rows}

    probation_row = by_org[(probation.name, "She agreed to share")]
    assert probation_row["purpose"] == "Telling probation whether she is engaging"
    assert probation_row["current"] is False  # she withdrew
    assert probation_row["ended"]
    assert "Whether she is engaging with support" in probation_row["groups"]
    police_row = by_org[(police.name, "Safeguarding share without consent")]
    assert police_row["current"] is True
    assert by_org[(centre.name, "Holds her case")]["groups"] == ["Her whole record"]
    shares = _values(_export(full_record, centre)["sections"]["safeguarding_shares"])
    assert shares[0]["to"] == police.name
    assert shares[0]["reason_category"] == "Risk of harm to a child"
    assert shares[0]["reason"] == "Her former partner Darren has threatened the children"


def test_the_copy_holds_emergency_accesses_and_the_access_log_without_digests(
    full_record, centre, other_centre, keyworker
):
    policy.get_person(keyworker, full_record.pk, purpose=Purpose.CASEWORK)

    export = _export(full_record, centre)

    emergencies = _values(export["sections"]["emergency_accesses"])
    assert emergencies[0]["organisation"] == other_centre.name
    assert emergencies[0]["role"] == "Keyworker"
    assert emergencies[0]["reason_category"] == "She is missing"
    log = _values(export["sections"]["access_log"])
    assert len(log) == AccessEvent.objects.filter(person_id=full_record.pk).count()
    opened = [row for row in log if row["action"] == "Opened her record"]
    assert opened[-1]["organisation"] == centre.name
    assert opened[-1]["purpose"] == "Providing support"
    assert opened[-1]["basis"] == ["Holds her case"]
    assert opened[-1]["role"] == "Keyworker"
    dumped = json.dumps(export)
    for event in AccessEvent.objects.filter(person_id=full_record.pk):
        assert event.digest not in dumped


def test_another_organisations_disclosures_stay_with_it_and_she_is_told_whom_to_ask(
    full_record, centre, other_centre
):
    sections = _export(full_record, centre)["sections"]

    narratives = [v["narrative"] for v in _values(sections["disclosures"])]
    assert narratives == ["Ours: what she told the centre"]
    assert [v["area"] for v in _values(sections["needs"])] == ["Accommodation"]
    others = _values(sections["other_organisations"])
    assert [o["organisation"] for o in others] == [other_centre.name]
    assert "she can ask them" in others[0]["note"]
    address = sections["address"]["items"]
    assert address[0]["withheld"] is True
    assert _values(sections["address"])[0]["held_by"] == other_centre.name
    dumped = json.dumps(sections, ensure_ascii=False)
    for secret in (
        "Theirs: what she told Hillside",
        "Refuge Lane",
        "CF10 1AA",
        "Hillside's own",
        "What she has disclosed about sex work",
    ):
        assert secret not in dumped, secret


def test_the_organisation_that_recorded_them_gives_its_own_sensitive_items(
    full_record, other_centre
):
    sections = _export(full_record, other_centre)["sections"]

    assert _values(sections["address"])[0]["line_1"] == "Refuge Lane 1"
    narratives = [v.get("narrative") for v in _values(sections["disclosures"])]
    assert "Theirs: what she told Hillside" in narratives
    assert "Ours: what she told the centre" not in narratives


def test_other_people_and_free_text_are_marked_for_review_before_release(full_record, centre):
    sections = _export(full_record, centre)["sections"]

    assert sections["dependants"]["review_before_release"] is True
    assert "children" in sections["dependants"]["why"]
    assert _values(sections["dependants"])[0]["first_name"] == "Cerys"
    for key in ("consents", "safeguarding_shares", "emergency_accesses", "needs", "disclosures"):
        noted = [
            item
            for item in sections[key]["items"]
            if not item.get("withheld")
            and any(
                f["name"] in {"notes", "reason", "narrative"} and f["value"] for f in item["fields"]
            )
        ]
        assert noted, key
        assert all(item["review_before_release"] and item["why"] for item in noted), key
    # A decision without notes names no one.
    withdrawn = sections["consents"]["items"][1]
    assert "review_before_release" not in withdrawn
    assert sections["record"]["review_before_release"] is False


def test_the_copy_says_who_made_it_and_for_which_request(woman, centre, sar):
    metadata = build_export(woman, for_organisation=centre, request=sar)["metadata"]

    assert metadata["generated_by"] == centre.name
    assert metadata["request_id"] == str(sar.pk)
    assert metadata["deadline"] == sar.due_on.isoformat()
    assert metadata["generated_at"]


# The printed copy ------------------------------------------------------------------------------


def test_the_printed_copy_shows_welsh_letters_and_boxes_what_needs_review(keyworker, centre):
    person = make_person(keyworker, given_name="Gwenllïan", family_name="Ŵyn", preferred_name="Ŷna")
    Dependant.objects.create(
        person=person, first_name="Dŵr", lives_with="her", social_services="none"
    )

    html = render_html(build_export(person, for_organisation=centre))

    assert 'font-family: "DejaVu Sans"' in html
    assert "Gwenllïan" in html and "Ŵyn" in html and "Ŷna" in html
    # Her children; nothing else of hers that could name someone is recorded.
    assert html.count("Review before release:") == 1
    assert '<div class="review">' in html
    assert "Review before release: This names other people" in html
    assert "Dŵr" in html


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to read its fonts and pages."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_has_every_page_in_dejavu_sans_with_its_welsh_letters(full_record, centre):
    Person.objects.filter(pk=full_record.pk).update(given_name="Gwenllŵyn", family_name="Ŷstrad")
    full_record.refresh_from_db()

    pdf = render_pdf(_export(full_record, centre))

    assert pdf.startswith(b"%PDF")
    content = _inflated(pdf)
    pages = max(int(n) for n in re.findall(rb"/Type /Pages.*?/Count (\d+)", content))
    assert pages > 1
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^/\s]+)", content))
    assert fonts and all(font.startswith(b"DejaVu") for font in fonts), fonts
    # Each letter is drawn from DejaVu Sans and maps back to its character (w and y with a
    # circumflex, U+0175 and U+0176), so it can be copied and read aloud.
    assert b"> <0175>" in content
    assert b"> <0176>" in content


# Downloads -------------------------------------------------------------------------------------


def _url(name, woman, sar) -> str:
    return reverse(name, kwargs={"person_id": woman.pk, "request_id": sar.pk})


EXPORTS = ["privacy:sar_export_json", "privacy:sar_export_pdf"]


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, woman, sar, name):
    response = client.get(_url(name, woman, sar))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("name", EXPORTS)
def test_other_organisations_get_not_found_and_nothing_is_logged(
    outsider_client, other_centre, woman, sar, name
):
    other_lead = make_user(other_centre, Role.SERVICE_MANAGER, data_protection_lead=True)
    before = AccessEvent.objects.count()

    for client in (outsider_client, sign_in(Client(), other_lead)):
        assert client.get(_url(name, woman, sar)).status_code == 404

    assert AccessEvent.objects.count() == before


@pytest.mark.parametrize("name", EXPORTS)
def test_staff_on_her_team_who_are_not_the_lead_are_forbidden(
    keyworker_client, manager_client, woman, sar, name
):
    for client in (keyworker_client, manager_client):
        assert client.get(_url(name, woman, sar)).status_code == 403


def test_the_json_download_is_an_attachment_named_by_the_request_and_logged(
    dp_client, dp_lead, full_record, sar
):
    response = dp_client.get(_url("privacy:sar_export_json", full_record, sar))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="subject-access-request-{sar.pk}.json"'
    assert "Kelly" not in disposition and "Shiv" not in disposition
    assert "no-store" in response["Cache-Control"]
    export = json.loads(response.content)
    assert export["metadata"]["request_id"] == str(sar.pk)
    assert _values(export["sections"]["record"])[0]["family_name"] == "Kelly"
    event = AccessEvent.objects.filter(actor=dp_lead).latest("id")
    assert (event.action, event.purpose, event.channel) == (
        "rights.manage",
        Purpose.SUBJECT_ACCESS,
        Channel.EXPORT,
    )
    assert {"identity", "abuse", "dependants", "case_team"} <= set(event.fields)
    # The copy's access log includes the read that made it.
    assert _values(export["sections"]["access_log"])[-1]["channel"] == "Export"


def test_the_pdf_download_is_an_attachment_named_by_the_request(dp_client, woman, sar):
    response = dp_client.get(_url("privacy:sar_export_pdf", woman, sar))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-request-{sar.pk}.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_a_restricted_record_can_still_be_copied_for_her_by_the_lead(
    dp_client, dp_lead, woman, sar
):
    restriction = rights.open_rights_request(
        woman,
        by=dp_lead,
        kind=RightsRequest.Kind.RESTRICTION,
        received_on=timezone.localdate() - timedelta(days=1),
    )
    rights.agree_restriction(woman, restriction, by=dp_lead)

    response = dp_client.get(_url("privacy:sar_export_json", woman, sar))

    assert response.status_code == 200
    assert _values(json.loads(response.content)["sections"]["record"])[0]["restricted_at"]
