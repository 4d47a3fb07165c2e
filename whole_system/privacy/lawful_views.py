"""Pages for the lawful bases other than her consent: a safeguarding share without consent,
made by a designated lead, and emergency access ("break the glass"), reviewed by a manager.

Each view: fetch through the policy, validate, call one service (privacy.sharing), respond.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from whole_system.core.http import AuthenticatedRequest
from whole_system.people.models import CaseTeamMembership, Person
from whole_system.people.views import record_context

from . import policy, sharing
from .groups import FieldGroup
from .lawful_forms import (
    EmergencyOpenForm,
    EmergencyReviewForm,
    EmergencySearchForm,
    SafeguardingShareForm,
)
from .models import EmergencyAccess, Purpose, SafeguardingShare

SAFEGUARDING = Purpose.SAFEGUARDING
EMERGENCY = Purpose.EMERGENCY

# Who may read a safeguarding share made by their organisation, and who may stop it
# (privacy.policy RULES).
READ_SHARE = ("safeguarding.view",)
REVOKE_SHARE = ("safeguarding.revoke",)


def _person_for_one_of(
    user: Any, person_id: Any, actions: Iterable[str], *, what: Iterable[str]
) -> Person:
    """Her record, for the first of `actions` the user may do to it; PermissionDenied when
    she is visible but none is allowed, Http404 when she is not visible."""
    for action in actions:
        try:
            return policy.get_person(
                user, person_id, purpose=SAFEGUARDING, action=action, what=what
            )
        except PermissionDenied:
            continue
    raise PermissionDenied


def _group_labels(groups: Iterable[str]) -> list[str]:
    chosen = set(groups)
    return [str(group.label) for group in FieldGroup if group in chosen]


# Safeguarding share without consent


@require_http_methods(["GET", "POST"])
def safeguarding_share(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    """Choose, preview, then confirm a share without her consent. The preview and the
    confirmation post the same form again; nothing is kept between the steps."""
    membership = request.user.membership_or_none
    form = SafeguardingShareForm(
        data=request.POST or None,
        organisation=membership.organisation if membership is not None else None,
    )
    step = request.POST.get("step")
    valid = request.method == "POST" and form.is_valid() and step != "change"
    # The preview shows her record as the recipient would see it: those parts are read.
    previewing = valid and step != "confirm"
    person = policy.get_person(
        request.user,
        person_id,
        purpose=SAFEGUARDING,
        action="safeguarding.share",
        what=_shared_groups(form) if previewing else [FieldGroup.IDENTITY],
    )
    if valid:
        data = form.cleaned_data
        if step != "confirm":
            return _preview(request, person, form)
        try:
            sharing.share_for_safeguarding(
                person,
                by=request.user,
                recipient=data["recipient"],
                reason_category=data["reason_category"],
                reason=data["reason"],
                groups=data["groups"],
                hours=data["hours"],
            )
        except sharing.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Information shared with %(organisation)s. Your data protection lead has "
                    "been told."
                )
                % {"organisation": data["recipient"].name},
            )
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "privacy/lawful/safeguarding_share.html", {"person": person, "form": form}
    )


def _shared_groups(form: SafeguardingShareForm) -> list[str]:
    return sorted(set(form.cleaned_data["groups"]) | {FieldGroup.IDENTITY})


def _preview(
    request: AuthenticatedRequest, person: Person, form: SafeguardingShareForm
) -> HttpResponse:
    data = form.cleaned_data
    groups = _shared_groups(form)
    # What the recipient will see: these field groups and nothing else, drawn as her record
    # page draws it for them.
    view = policy.share_view(groups, None, CaseTeamMembership.Basis.SAFEGUARDING)
    return render(
        request,
        "privacy/lawful/safeguarding_share_preview.html",
        {
            "person": person,
            "form": form,
            "recipient": data["recipient"],
            "reason_category": dict(SafeguardingShare.Reason.choices)[data["reason_category"]],
            "hours": data["hours"],
            "ends_at": timezone.now() + timedelta(hours=data["hours"]),
            **record_context(person, view),
            "group_labels": _group_labels(groups),
        },
    )


def _share_of_my_organisation(user: Any, share_id: Any) -> SafeguardingShare:
    """A safeguarding share made by the user's organisation, or Http404 (also for a share
    made by anyone else, so its existence never leaks)."""
    organisation_id = user.organisation_id
    share = (
        SafeguardingShare.objects.select_related("made_by", "to_organisation", "from_organisation")
        .filter(pk=share_id, from_organisation_id=organisation_id)
        .first()
        if organisation_id is not None
        else None
    )
    if share is None:
        raise Http404("No such share.")
    return share


@require_GET
def safeguarding_detail(request: AuthenticatedRequest, share_id: Any) -> HttpResponse:
    """The share, for the leads and managers of the organisation that made it (the link in
    the data protection lead's e-mail). Anyone else is told it does not exist."""
    share = _share_of_my_organisation(request.user, share_id)
    try:
        person = _person_for_one_of(
            request.user, share.person_id, READ_SHARE, what=[FieldGroup.IDENTITY]
        )
    except PermissionDenied as refused:
        raise Http404("No such share.") from refused
    now = timezone.now()
    return render(
        request,
        "privacy/lawful/safeguarding_detail.html",
        {
            "person": person,
            "share": share,
            "group_labels": _group_labels(share.groups),
            "is_active": share.is_active(now),
            "has_expired": share.revoked_at is None and share.expires_at <= now,
            "can_revoke": share.is_active(now)
            and any(policy.can(request.user, action, person) for action in REVOKE_SHARE),
        },
    )


@require_POST
def safeguarding_revoke(
    request: AuthenticatedRequest, person_id: Any, share_id: Any
) -> HttpResponse:
    person = _person_for_one_of(request.user, person_id, REVOKE_SHARE, what=[FieldGroup.IDENTITY])
    share = _share_of_my_organisation(request.user, share_id)
    if share.person_id != person.pk:
        raise Http404("No such share.")
    if sharing.revoke_safeguarding_share(person, by=request.user, share_id=share.pk):
        messages.success(
            request,
            _("Share revoked. %(organisation)s can no longer see her record.")
            % {"organisation": share.to_organisation.name},
        )
    else:
        messages.info(request, _("This share had already been revoked."))
    return redirect("privacy:safeguarding_detail", share_id=share.pk)


# Emergency access ("break the glass")


def _may_search_in_emergency(user: Any) -> None:
    if not policy.can(user, "emergency.search"):
        raise PermissionDenied


def _search_page(request: AuthenticatedRequest, form: EmergencySearchForm) -> HttpResponse:
    return render(
        request,
        "privacy/lawful/emergency_search.html",
        {"form": form, "emergency_hours": settings.EMERGENCY_ACCESS_HOURS},
    )


@require_http_methods(["GET", "POST"])
def emergency_search(request: AuthenticatedRequest) -> HttpResponse:
    """Why, and exactly who: the matches show only a name and date of birth, and are logged.
    The form posts, so no name is ever in a URL."""
    _may_search_in_emergency(request.user)
    form = EmergencySearchForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        people = list(policy.people_for_emergency(request.user, **form.terms()))
        policy.record_listed(request.user, people, purpose=EMERGENCY)
        results = [
            {"person": person, "can_open": policy.can(request.user, "emergency.open", person)}
            for person in people
        ]
        return render(
            request, "privacy/lawful/emergency_results.html", {"form": form, "results": results}
        )
    return _search_page(request, form)


@require_POST
def emergency_open(request: AuthenticatedRequest) -> HttpResponse:
    """Open the chosen woman's record: she must be one of the exact matches for the details
    posted again with her id."""
    _may_search_in_emergency(request.user)
    form = EmergencyOpenForm(data=request.POST)
    if not form.is_valid():
        return _search_page(request, form)
    chosen = form.cleaned_data["person"]
    matches = policy.people_for_emergency(request.user, **form.terms())
    person = next((p for p in matches if p.pk == chosen), None)
    if person is None:
        raise Http404("No such record.")
    if not policy.can(request.user, "emergency.open", person):
        raise PermissionDenied
    try:
        access = sharing.break_the_glass(
            person,
            by=request.user,
            reason_category=form.cleaned_data["reason_category"],
            reason=form.cleaned_data["reason"],
        )
    except sharing.SharingError as error:
        form.add_error(None, str(error))
        return _search_page(request, form)
    messages.success(
        request,
        _("Emergency access is open until %(time)s. A manager will review it.")
        % {"time": timezone.localtime(access.expires_at).strftime("%H:%M")},
    )
    return redirect("people:detail", person_id=person.pk)


@require_GET
def emergency_reviews(request: AuthenticatedRequest) -> HttpResponse:
    """The emergency accesses staff of the manager's organisation opened, unreviewed first.
    No woman is named here."""
    organisation_id = request.user.organisation_id
    if organisation_id is None or not policy.can(request.user, "emergency.review_list"):
        raise PermissionDenied
    accesses = (
        EmergencyAccess.objects.filter(organisation_id=organisation_id)
        .select_related("user", "reviewed_by")
        .annotate(
            reviewed=ExpressionWrapper(Q(reviewed_at__isnull=False), output_field=BooleanField())
        )
        .order_by("reviewed", "-started_at")
    )
    page = Paginator(accesses, 50).get_page(request.GET.get("page"))
    return render(
        request, "privacy/lawful/emergency_reviews.html", {"page": page, "now": timezone.now()}
    )


def _access_of_my_organisation(user: Any, access_id: Any) -> EmergencyAccess:
    """An emergency access opened by someone at the user's organisation, or Http404."""
    organisation_id = user.organisation_id
    access = (
        EmergencyAccess.objects.select_related("user", "reviewed_by")
        .filter(pk=access_id, organisation_id=organisation_id)
        .first()
        if organisation_id is not None
        else None
    )
    if access is None:
        raise Http404("No such emergency access.")
    return access


@require_http_methods(["GET", "POST"])
def emergency_review(request: AuthenticatedRequest, access_id: Any) -> HttpResponse:
    access = _access_of_my_organisation(request.user, access_id)
    if not policy.can(request.user, "emergency.review", access):
        raise PermissionDenied
    form = EmergencyReviewForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sharing.review_emergency_access(
                access,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
            )
        except sharing.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Review recorded"))
            return redirect("privacy:emergency_reviews")
    return render(
        request,
        "privacy/lawful/emergency_review.html",
        {"access": access, "form": form, "now": timezone.now()},
    )
