"""Pages for finding a woman, reading her record and keeping it up to date.

Each view: fetch through the policy, validate, call one service, respond.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from whole_system.core.http import AuthenticatedRequest
from whole_system.privacy import policy, sharing
from whole_system.privacy.groups import FieldGroup
from whole_system.privacy.models import Purpose

from . import services
from .forms import (
    AddressForm,
    ContactForm,
    CreatePersonForm,
    DependantForm,
    DisclosureForm,
    EqualityForm,
    IdentityForm,
    NeedForm,
    NeedsForm,
    OtherNameForm,
    SearchForm,
)
from .models import CaseTeamMembership, Disclosure, Need, Person
from .search import find_people

CASEWORK = Purpose.CASEWORK
STALE = gettext_lazy(
    "Someone else changed this record while you were editing it. Check the record and make "
    "your change again"
)


SEARCHES = "ws_searches"
MAX_SEARCHES = 20


def _remember_search(request: HttpRequest, query: str) -> str:
    """Keep the search terms in the session, so the URL carries only an opaque token."""
    token = secrets.token_urlsafe(8)
    searches = request.session.get(SEARCHES, {})
    searches[token] = query
    request.session[SEARCHES] = dict(list(searches.items())[-MAX_SEARCHES:])
    return token


@require_http_methods(["GET", "POST"])
def search(request: AuthenticatedRequest) -> HttpResponse:
    """Find a woman. The form posts; the results page is a GET whose URL holds no names."""
    if not policy.can(request.user, "person.search"):
        raise PermissionDenied
    query: str | None = None
    if request.method == "POST":
        form = SearchForm(data=request.POST)
        if form.is_valid():
            token = _remember_search(request, form.cleaned_data["q"])
            return redirect(f"{reverse('people:search')}?s={token}")
    else:
        query = request.session.get(SEARCHES, {}).get(request.GET.get("s", ""))
        form = SearchForm(initial={"q": query} if query else None)
    found = find_people(request.user, query) if query is not None else None
    return render(
        request,
        "people/person_search.html",
        {
            "form": form,
            "searched": found is not None,
            "results": found.people if found else [],
            "similar": found.similar if found else False,
            "more_than_shown": found.more if found else False,
        },
    )


@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can(request.user, "person.create"):
        raise PermissionDenied
    form = CreatePersonForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(
            by=request.user, data=form.person_data(), submission=form.cleaned_data["submission"]
        )
        messages.success(request, _("Record created"))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_create.html", {"form": form})


RECORD_RELATED = ["contact", "address__area", "address__recorded_by_organisation", "equality"]


def record_prefetch() -> list[Any]:
    return [
        "names",
        "dependants",
        "need_areas",
        "disclosures",
        Prefetch(
            "case_team",
            queryset=CaseTeamMembership.objects.current().select_related("organisation"),
            to_attr="current_case_team",
        ),
    ]


def _part(person: Person, name: str) -> Any:
    """A one-to-one part of the record, or None when nothing has been recorded yet."""
    # A missing one-to-one row raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(person, name, None)


# Need areas that are themselves one of the field groups (the rest form the needs summary).
NEED_GROUPS: dict[str, str] = {
    Need.Area.ACCOMMODATION: FieldGroup.ACCOMMODATION,
    Need.Area.PHYSICAL_HEALTH: FieldGroup.HEALTH,
    Need.Area.MENTAL_HEALTH: FieldGroup.HEALTH,
    Need.Area.NEURODIVERSITY: FieldGroup.HEALTH,
    Need.Area.DRUGS: FieldGroup.HEALTH,
    Need.Area.ALCOHOL: FieldGroup.HEALTH,
    Need.Area.DOMESTIC_ABUSE: FieldGroup.ABUSE,
    Need.Area.SEXUAL_VIOLENCE: FieldGroup.ABUSE,
    Need.Area.EXPLOITATION: FieldGroup.ABUSE,
    Need.Area.SEX_WORK: FieldGroup.SEX_WORK,
    Need.Area.IMMIGRATION: FieldGroup.IMMIGRATION,
}
DISCLOSURE_GROUPS: dict[str, str] = {
    Disclosure.Kind.DOMESTIC_ABUSE: FieldGroup.ABUSE,
    Disclosure.Kind.SEXUAL_VIOLENCE: FieldGroup.ABUSE,
    Disclosure.Kind.EXPLOITATION: FieldGroup.ABUSE,
    Disclosure.Kind.SEX_WORK: FieldGroup.SEX_WORK,
}


def need_group(need: Need) -> str:
    return NEED_GROUPS.get(need.area, FieldGroup.NEEDS_SUMMARY)


def _sees_item(view: policy.View, group: str, recorded_by: Any) -> bool:
    if group in policy.ITEM_CLASSES:
        return view.shows_item(group, recorded_by)
    return view.shows(group)


def record_context(person: Person, view: policy.View) -> dict[str, Any]:
    """What her record shows to someone with `view`: her record page, and the preview of a
    share, which shows exactly what the recipient will see."""
    contact = _part(person, "contact")
    address = _part(person, "address")
    if address is not None:
        group: str = (
            FieldGroup.CONFIDENTIAL_ADDRESS if address.is_confidential else FieldGroup.ADDRESS
        )
        address_shown = _sees_item(view, group, address.recorded_by_organisation_id)
    else:
        address_shown = view.shows(FieldGroup.ADDRESS)
    needs = []
    for need in person.need_areas.all():
        group = need_group(need)
        if _sees_item(view, group, need.recorded_by_organisation_id):
            # The needs summary is the area and level only; detail goes with its own group.
            needs.append((need, group != FieldGroup.NEEDS_SUMMARY or view.holder))
    disclosures = [
        d
        for d in person.disclosures.all()
        if view.shows_item(DISCLOSURE_GROUPS[d.kind], d.recorded_by_organisation_id)
    ]
    return {
        "view": view,
        "shows": {group: view.shows(group) for group in FieldGroup.values},
        "contact": contact,
        "safe_ways": (", ".join(contact.safe_methods()) if contact else "")
        or _("None recorded – check before contacting her"),
        "address": address,
        "address_shown": address_shown,
        "address_lines": address.lines if address is not None and address_shown else "",
        "equality": _part(person, "equality"),
        "other_names": [n for n in person.names.all() if n.kind in ("previous", "alias")],
        "needs": needs,
        "disclosures": disclosures,
    }


@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = policy.get_person(
        request.user,
        person_id,
        purpose=CASEWORK,
        select_related=RECORD_RELATED,
        prefetch_related=record_prefetch(),
    )
    view = policy.view_of(request.user, person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            **record_context(person, view),
            "can_edit": policy.can(request.user, "person.edit", person),
            "emergency": sharing.emergency_access_of(request.user, person)
            if "emergency" in view.bases
            else None,
            "can_share_for_safeguarding": policy.can(request.user, "safeguarding.share", person),
            "safeguarding_shares": sharing.active_safeguarding_shares(person)
            if policy.can(request.user, "safeguarding.view", person)
            else [],
        },
    )


@dataclass(frozen=True)
class Section:
    title: Any
    form: type[forms.Form]
    save: Callable[..., Any]
    part: str | None = None  # the one-to-one part a model form edits
    fields: tuple[str, ...] = ()  # fields on Person a plain form edits


SECTIONS = {
    "identity": Section(
        gettext_lazy("Name, date of birth and identifiers"),
        IdentityForm,
        services.update_person,
        fields=Person.IDENTITY_FIELDS,
    ),
    "needs": Section(
        gettext_lazy("Language, access and pregnancy"),
        NeedsForm,
        services.update_person,
        fields=(
            "first_language",
            "interpreter_needed",
            "accessibility_needs",
            "pregnancy",
            "due_date",
        ),
    ),
    "contact": Section(
        gettext_lazy("Contact and safety"), ContactForm, services.update_contact, part="contact"
    ),
    "address": Section(
        gettext_lazy("Address"), AddressForm, services.update_address, part="address"
    ),
    "equality": Section(
        gettext_lazy("Equality monitoring"), EqualityForm, services.update_equality, part="equality"
    ),
}


def _edit_form(section: Section, person: Person, data: Any) -> forms.Form:
    initial: dict[str, Any] = {"version": person.version}
    if section.part is not None:
        instance = _part(person, section.part)
        return section.form(data=data, instance=instance, initial=initial)  # type: ignore[call-arg]
    initial.update(model_to_dict(person, fields=section.fields))
    if "interpreter_needed" in initial:
        initial["interpreter_needed"] = "yes" if initial["interpreter_needed"] else "no"
    return section.form(data=data, initial=initial)


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, person_id: Any, section: str) -> HttpResponse:
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    person = policy.get_person(
        request.user,
        person_id,
        purpose=CASEWORK,
        action="person.edit",
        what=[section],
        select_related=[spec.part] if spec.part else [],
    )
    if spec.part == "address" and not policy.can(
        request.user, "person.view_confidential_address", person
    ):
        raise PermissionDenied
    form = _edit_form(spec, person, request.POST or None)
    return _save_or_show(
        request,
        person,
        form,
        spec.title,
        lambda: _saved_by(spec.save, request.user)(person, form),
    )


def _save_or_show(
    request: AuthenticatedRequest,
    person: Person,
    form: forms.Form,
    title: Any,
    save: Callable[[], Any],
) -> HttpResponse:
    """Save a valid form and go back to her record, or show the form (with its errors)."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except services.StaleRecord:
            form.add_error(None, STALE)
        else:
            messages.success(request, _("Changes saved"))
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/person_edit.html", {"person": person, "form": form, "title": title}
    )


def _for_change(request: AuthenticatedRequest, person_id: Any, part: str) -> Person:
    return policy.get_person(
        request.user, person_id, purpose=CASEWORK, action="person.edit", what=[part]
    )


def _add(
    request: AuthenticatedRequest,
    person_id: Any,
    part: str,
    form_class: type[forms.Form],
    title: Any,
    save: Callable[[Person, forms.Form], Any],
) -> HttpResponse:
    person = _for_change(request, person_id, part)
    form = form_class(data=request.POST or None, initial={"version": person.version})
    return _save_or_show(request, person, form, title, lambda: save(person, form))


@require_http_methods(["GET", "POST"])
def add_name(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    def save(person: Person, form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.add_other_name(
            person,
            by=request.user,
            kind=data["kind"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            version=data["version"],
        )

    return _add(request, person_id, "names", OtherNameForm, _("Add a previous name or alias"), save)


def _saved_by(service: Callable[..., Any], by: Any) -> Callable[[Person, forms.Form], Any]:
    """Save a VersionMixin form's answers to her record with `service`."""

    def save(person: Person, form: forms.Form) -> Any:
        return service(
            person,
            by=by,
            data=form.person_data(),  # type: ignore[attr-defined]
            version=form.cleaned_data["version"],
        )

    return save


@require_http_methods(["GET", "POST"])
def add_dependant(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    save = _saved_by(services.add_dependant, request.user)
    return _add(
        request, person_id, "dependants", DependantForm, _("Add a child or dependant"), save
    )


def _remove(
    request: AuthenticatedRequest,
    person_id: Any,
    part: str,
    remove: Callable[[Person, int], None],
) -> HttpResponse:
    person = _for_change(request, person_id, part)
    try:
        version = int(request.POST.get("version", ""))
        remove(person, version)
    except (ValueError, services.StaleRecord):
        messages.error(request, STALE)
    else:
        messages.success(request, _("Removed"))
    return redirect("people:detail", person_id=person.pk)


@require_POST
def remove_name(request: AuthenticatedRequest, person_id: Any, name_id: int) -> HttpResponse:
    return _remove(
        request,
        person_id,
        "names",
        lambda person, version: services.remove_other_name(
            person, by=request.user, name_id=name_id, version=version
        ),
    )


@require_POST
def remove_dependant(
    request: AuthenticatedRequest, person_id: Any, dependant_id: Any
) -> HttpResponse:
    return _remove(
        request,
        person_id,
        "dependants",
        lambda person, version: services.remove_dependant(
            person, by=request.user, dependant_id=dependant_id, version=version
        ),
    )


@require_http_methods(["GET", "POST"])
def add_need(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    save = _saved_by(services.record_need, request.user)
    return _add(request, person_id, "needs_summary", NeedForm, _("Record a need"), save)


@require_POST
def remove_need(request: AuthenticatedRequest, person_id: Any, need_id: Any) -> HttpResponse:
    return _remove(
        request,
        person_id,
        "needs_summary",
        lambda person, version: services.remove_need(
            person, by=request.user, need_id=need_id, version=version
        ),
    )


@require_http_methods(["GET", "POST"])
def add_disclosure(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    save = _saved_by(services.add_disclosure, request.user)
    return _add(request, person_id, "abuse", DisclosureForm, _("Record a disclosure"), save)
