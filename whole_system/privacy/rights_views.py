"""Her rights, handled by the data protection lead of an organisation holding her case:
subject access requests (with their deadlines and her copy as JSON or PDF), and requests to
erase her record or restrict its use.

Each view: fetch her through the policy (action "rights.manage": 404 off her team, 403 on it
but not the lead), validate, call one service in privacy.rights, respond.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from whole_system.core.http import AuthenticatedRequest
from whole_system.people.models import Person

from . import policy, rights, sharing, subject_access
from .groups import FieldGroup
from .models import Channel, Purpose, RightsRequest, SubjectAccessRequest
from .rights_forms import (
    AgreeErasureForm,
    CompleteForm,
    ConfirmForm,
    ExtendForm,
    RefuseForm,
    RightsRequestForm,
    SubjectAccessRequestForm,
)

SAR = SubjectAccessRequest
Kind = RightsRequest.Kind
# Every part of her record goes into her copy.
EVERYTHING = [group.value for group in FieldGroup]


def _person(request: AuthenticatedRequest, person_id: Any, purpose: str) -> Person:
    """Her, for the data protection lead of an organisation holding her case. The pages show
    her name; the exports read everything (and log it as such)."""
    return policy.get_person(
        request.user, person_id, purpose=purpose, action="rights.manage", what=["identity"]
    )


def _organisation_id(request: AuthenticatedRequest) -> uuid.UUID:
    """The user's organisation: every page here is behind a rule that needs one."""
    organisation_id = request.user.organisation_id
    if organisation_id is None:
        raise PermissionDenied
    return organisation_id


def _sar(request: AuthenticatedRequest, person: Person, request_id: Any) -> SubjectAccessRequest:
    """One of her subject access requests, made to the user's organisation."""
    found = SAR.objects.filter(
        pk=request_id, person=person, organisation_id=_organisation_id(request)
    ).first()
    if found is None:
        raise Http404("No such request.")
    return found


def _rights_request(
    request: AuthenticatedRequest, person: Person, request_id: Any
) -> RightsRequest:
    found = RightsRequest.objects.filter(
        pk=request_id, person=person, organisation_id=_organisation_id(request)
    ).first()
    if found is None:
        raise Http404("No such request.")
    return found


def _posted(request: AuthenticatedRequest) -> Any:
    """The submitted data, even when a form with no fields of its own posts nothing else."""
    return request.POST if request.method == "POST" else None


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


@dataclass(frozen=True)
class Row:
    """A request as the pages list it."""

    request: SubjectAccessRequest | RightsRequest
    reference: str
    kind: str
    deadline: date
    overdue: bool
    is_open: bool


def _sar_row(sar: SubjectAccessRequest, today: date) -> Row:
    is_open = sar.status != SAR.Status.COMPLETED
    return Row(
        sar,
        rights.reference(sar),
        _("Subject access"),
        sar.deadline,
        is_open and rights.is_overdue(sar.deadline, today),
        is_open,
    )


def _rights_row(item: RightsRequest, today: date) -> Row:
    deadline = rights.rights_request_deadline(item)
    is_open = item.status == RightsRequest.Status.OPEN
    return Row(
        item,
        rights.reference(item),
        item.get_kind_display(),
        deadline,
        is_open and rights.is_overdue(deadline, today),
        is_open,
    )


@require_GET
def person_rights(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = _person(request, person_id, Purpose.MANAGEMENT)
    organisation_id = _organisation_id(request)
    today = timezone.localdate()
    sars = SAR.objects.filter(person=person, organisation_id=organisation_id).order_by(
        "-received_on"
    )
    others = RightsRequest.objects.filter(person=person, organisation_id=organisation_id)
    return render(
        request,
        "privacy/rights/person_rights.html",
        {
            "person": person,
            "sars": [_sar_row(sar, today) for sar in sars],
            "rights_requests": [_rights_row(item, today) for item in others],
        },
    )


def _form_page(
    request: AuthenticatedRequest,
    person: Person,
    form: forms.Form,
    *,
    title: str,
    save: Callable[[dict[str, Any]], str],
    intro: list[str] | None = None,
    warning: str = "",
    next_url: str = "",
) -> HttpResponse:
    """Call the service with a valid form and go back to her rights, or show the form with
    its errors (a refusal from the service included: nothing is saved)."""
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form.cleaned_data)
        except rights.RightsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect(next_url or reverse("privacy:rights", kwargs={"person_id": person.pk}))
    return render(
        request,
        "privacy/rights/form.html",
        {"person": person, "form": form, "title": title, "intro": intro or [], "warning": warning},
    )


@require_http_methods(["GET", "POST"])
def sar_open(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = _person(request, person_id, Purpose.SUBJECT_ACCESS)
    form = SubjectAccessRequestForm(data=_posted(request))

    def save(data: dict[str, Any]) -> str:
        sar = rights.open_subject_access_request(
            person, by=request.user, received_on=data["received_on"]
        )
        return _("Subject access request %(reference)s recorded. Reply by %(deadline)s") % {
            "reference": rights.reference(sar),
            "deadline": _day(sar.deadline),
        }

    return _form_page(
        request,
        person,
        form,
        title=_("Record a subject access request"),
        intro=[
            _(
                "She is asking for a copy of everything held about her. You must reply within "
                "one calendar month of the day the request reached your organisation."
            )
        ],
        save=save,
    )


@require_http_methods(["GET", "POST"])
def sar_extend(request: AuthenticatedRequest, person_id: Any, request_id: Any) -> HttpResponse:
    person = _person(request, person_id, Purpose.SUBJECT_ACCESS)
    sar = _sar(request, person, request_id)
    form = ExtendForm(data=_posted(request))

    def save(data: dict[str, Any]) -> str:
        extended = rights.extend(sar, by=request.user, reason=data["reason"])
        return _("Request extended. Reply by %(deadline)s") % {"deadline": _day(extended.deadline)}

    return _form_page(
        request,
        person,
        form,
        title=_("Extend the deadline by two months"),
        intro=[
            _(
                "You can extend a request once, by two months, if it is complex or she has made "
                "several. You must tell her, and why, before %(deadline)s."
            )
            % {"deadline": _day(sar.due_on)}
        ],
        save=save,
    )


@require_http_methods(["GET", "POST"])
def sar_complete(request: AuthenticatedRequest, person_id: Any, request_id: Any) -> HttpResponse:
    person = _person(request, person_id, Purpose.SUBJECT_ACCESS)
    sar = _sar(request, person, request_id)
    form = CompleteForm(data=_posted(request))

    def save(data: dict[str, Any]) -> str:
        rights.complete(sar, by=request.user)
        return _("Request %(reference)s completed") % {"reference": rights.reference(sar)}

    return _form_page(request, person, form, title=_("Mark the request as completed"), save=save)


def _export(request: AuthenticatedRequest, person_id: Any, request_id: Any) -> tuple[Any, Any]:
    person = policy.get_person(
        request.user,
        person_id,
        purpose=Purpose.SUBJECT_ACCESS,
        action="rights.manage",
        what=EVERYTHING,
        channel=Channel.EXPORT,
    )
    sar = _sar(request, person, request_id)
    organisation = sar.organisation  # the lead's own: _sar finds only its requests
    export = subject_access.build_export(person, for_organisation=organisation, request=sar)
    return sar, export


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_GET
def sar_export_json(request: AuthenticatedRequest, person_id: Any, request_id: Any) -> HttpResponse:
    sar, export = _export(request, person_id, request_id)
    content = json.dumps(export, ensure_ascii=False, indent=2).encode()
    return _download(
        content, "application/json; charset=utf-8", f"subject-access-request-{sar.pk}.json"
    )


@never_cache
@require_GET
def sar_export_pdf(request: AuthenticatedRequest, person_id: Any, request_id: Any) -> HttpResponse:
    sar, export = _export(request, person_id, request_id)
    pdf = subject_access.render_pdf(export)
    return _download(pdf, "application/pdf", f"subject-access-request-{sar.pk}.pdf")


@require_http_methods(["GET", "POST"])
def rights_request_open(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = _person(request, person_id, Purpose.MANAGEMENT)
    form = RightsRequestForm(data=_posted(request))

    def save(data: dict[str, Any]) -> str:
        item = rights.open_rights_request(
            person,
            by=request.user,
            kind=data["kind"],
            received_on=data["received_on"],
            notes=data["notes"],
        )
        return _("Request %(reference)s recorded. Reply by %(deadline)s") % {
            "reference": rights.reference(item),
            "deadline": _day(rights.rights_request_deadline(item)),
        }

    return _form_page(
        request,
        person,
        form,
        title=_("Record an erasure or restriction request"),
        intro=[
            _(
                "She can ask for her record to be erased, or for its use to be restricted while "
                "something is resolved, such as whether it is accurate. You must reply within "
                "one calendar month."
            )
        ],
        save=save,
    )


@require_http_methods(["GET", "POST"])
def rights_request_agree(
    request: AuthenticatedRequest, person_id: Any, request_id: Any
) -> HttpResponse:
    person = _person(request, person_id, Purpose.MANAGEMENT)
    item = _rights_request(request, person, request_id)
    if item.kind == Kind.ERASURE:
        return _agree_erasure(request, person, item)

    def save(data: dict[str, Any]) -> str:
        rights.agree_restriction(person, item, by=request.user)
        return _("Her record is restricted")

    return _form_page(
        request,
        person,
        ConfirmForm(data=_posted(request)),
        title=_("Restrict her record"),
        intro=[
            _(
                "From now on her record is left out of sharing, search, lists, reports and "
                "exports. Organisations she agreed to share with, and those with another lawful "
                "basis, lose access. Only organisations holding her case can open it, from a "
                "link to it."
            )
        ],
        save=save,
    )


def _agree_erasure(
    request: AuthenticatedRequest, person: Person, item: RightsRequest
) -> HttpResponse:
    own = _organisation_id(request)
    others = sorted(
        {
            row.organisation.name
            for row in sharing.current_case_team(person)
            if row.is_holder and row.organisation_id != own
        }
    )

    def save(data: dict[str, Any]) -> str:
        tombstone = rights.agree_erasure(person, item, by=request.user)
        return _("Her record has been erased (%(rule)s)") % {"rule": tombstone.rule}

    warning = ""
    if others:
        warning = _(
            "These organisations also hold her case and will lose her record too. Agree the "
            "erasure with them first: %(organisations)s."
        ) % {"organisations": ", ".join(others)}
    return _form_page(
        request,
        person,
        AgreeErasureForm(data=_posted(request)),
        title=_("Erase her record"),
        intro=[
            _(
                "Her whole record is deleted: her details, needs, disclosures, children, "
                "consents, shares and requests. What stays is a note that a record was erased "
                "at her request, and the log of who viewed it, which holds nothing about her."
            )
        ],
        warning=warning,
        save=save,
        next_url=reverse("privacy:rights_list"),
    )


@require_http_methods(["GET", "POST"])
def rights_request_refuse(
    request: AuthenticatedRequest, person_id: Any, request_id: Any
) -> HttpResponse:
    person = _person(request, person_id, Purpose.MANAGEMENT)
    item = _rights_request(request, person, request_id)
    form = RefuseForm(data=_posted(request))

    def save(data: dict[str, Any]) -> str:
        rights.refuse(item, by=request.user, notes=data["notes"])
        return _("Request %(reference)s refused") % {"reference": rights.reference(item)}

    return _form_page(
        request,
        person,
        form,
        title=_("Refuse the %(kind)s request") % {"kind": item.get_kind_display().lower()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def rights_request_lift(
    request: AuthenticatedRequest, person_id: Any, request_id: Any
) -> HttpResponse:
    person = _person(request, person_id, Purpose.MANAGEMENT)
    item = _rights_request(request, person, request_id)

    def save(data: dict[str, Any]) -> str:
        rights.lift_restriction(person, item, by=request.user)
        if person.restricted_at is not None:
            return _("Restriction lifted. Another restriction on her record is still in force")
        return _("Restriction lifted")

    return _form_page(
        request,
        person,
        ConfirmForm(data=_posted(request)),
        title=_("Lift the restriction"),
        intro=[
            _(
                "Tell her before you lift it. Her record is then shared, searched and reported "
                "on again as before."
            )
        ],
        save=save,
    )


@require_GET
def rights_list(request: AuthenticatedRequest) -> HttpResponse:
    """The lead's open requests, by deadline, overdue first. No names: each links to her
    rights page, which reads her record through the policy and logs it."""
    if not policy.can(request.user, "rights.list"):
        raise PermissionDenied
    organisation_id = _organisation_id(request)
    today = timezone.localdate()
    rows = [
        _sar_row(sar, today)
        for sar in SAR.objects.filter(organisation_id=organisation_id, status__in=rights.OPEN_SAR)
    ] + [
        _rights_row(item, today)
        for item in RightsRequest.objects.filter(
            organisation_id=organisation_id, status=RightsRequest.Status.OPEN
        )
    ]
    rows.sort(key=lambda row: (row.deadline, row.reference))
    return render(request, "privacy/rights/rights_list.html", {"rows": rows})
