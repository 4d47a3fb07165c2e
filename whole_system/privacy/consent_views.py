"""The consent and sharing pages a keyworker uses with the woman in front of her: her decisions,
the shares made on them (after a preview of exactly what the recipient will see), conditions
of cautions and orders, whether she is engaging, and her own printable summary of who can see
what.

Each view: fetch through the policy, validate, call one service in privacy.sharing, respond.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from whole_system.accounts.models import Organisation, User
from whole_system.core.http import AuthenticatedRequest
from whole_system.people.models import CaseTeamMembership, Person
from whole_system.people.views import RECORD_RELATED, record_context, record_prefetch

from . import policy, sharing
from .consent_forms import (
    ConditionForm,
    ConfirmShareForm,
    ConsentForm,
    EngagementForm,
    PurposeForm,
    ShareForm,
    WithdrawForm,
)
from .groups import PURPOSES, SENSITIVE, ConsentPurpose, FieldGroup, carried
from .models import Consent, OrderCondition, Purpose

CASEWORK = Purpose.CASEWORK
Basis = CaseTeamMembership.Basis
SUMMARY_LANGUAGES = ("en", "cy")
# A second submit of the same decision within this time is the same submit (a double click,
# or the back button and submit again), not a new decision.
RESUBMIT_WINDOW = timedelta(minutes=10)


def _person(
    request: AuthenticatedRequest, person_id: Any, *, action: str, what: Iterable[str], **kw: Any
) -> Person:
    return policy.get_person(
        request.user, person_id, purpose=CASEWORK, action=action, what=list(what), **kw
    )


def _organisation(user: User) -> Organisation | None:
    return user.membership.organisation


def _posted(request: AuthenticatedRequest) -> Any:
    """The form data of a POST (even an empty one, which is then invalid), or None."""
    return request.POST if request.method == "POST" else None


def _consents_page(person: Person) -> HttpResponse:
    return redirect("privacy:consents", person_id=person.pk)


def last_day(moment: datetime) -> date:
    """The last day a row ending at `moment` covers (sharing.end_of is midnight after it)."""
    return timezone.localdate(moment - timedelta(microseconds=1))


def group_labels(groups: Iterable[str]) -> list[str]:
    """Field groups as the worker reads them, in the order of the table."""
    chosen = set(groups)
    return [str(group.label) for group in FieldGroup if group in chosen]


def purpose_label(purpose: str) -> str:
    return str(ConsentPurpose(purpose).label) if purpose in ConsentPurpose.values else purpose


# Her consents and case team


@dataclass(frozen=True)
class TeamRow:
    """One organisation on her case team, and the basis it is there on."""

    row: CaseTeamMembership
    purpose: str
    groups: list[str]

    @property
    def stoppable(self) -> bool:
        return self.row.basis == Basis.CONSENT

    @property
    def last_day(self) -> date | None:
        """The last day the row covers: a consent or order ends at midnight after its day."""
        return last_day(self.row.ends_at) if self.row.ends_at else None

    @property
    def condition_id(self) -> Any:
        return self.row.source_id if self.row.basis == Basis.CONDITION else None


def _team(person: Person) -> list[TeamRow]:
    return [
        TeamRow(row, purpose_label(row.purpose) if row.purpose else "", group_labels(row.groups))
        for row in sharing.current_case_team(person)
    ]


@require_http_methods(["GET"])
def consents(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = _person(request, person_id, action="consent.manage", what=["consent", "case_team"])
    history = person.consents.select_related("recipient_organisation", "recorded_by")
    return render(
        request,
        "privacy/consent/consents.html",
        {
            "person": person,
            "decisions": sharing.current_consents(person),
            "history": history,
            "team": _team(person),
            "today": timezone.localdate(),
            "can_share": policy.can(request.user, "share.manage", person),
            "can_condition": policy.can(request.user, "condition.manage", person),
        },
    )


# Recording a decision


@require_http_methods(["GET", "POST"])
def choose_purpose(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = _person(request, person_id, action="consent.manage", what=["consent"])
    form = PurposeForm(data=_posted(request))
    if request.method == "POST" and form.is_valid():
        return redirect(
            "privacy:consent_record", person_id=person.pk, purpose=form.cleaned_data["purpose"]
        )
    return render(
        request,
        "privacy/consent/purpose_choose.html",
        {"person": person, "form": form, "title": _("Record her decision")},
    )


def _already_recorded(person: Person, user: User, purpose: str, data: dict[str, Any]) -> bool:
    """Is her latest decision for this purpose and recipient exactly this one, recorded by
    this user moments ago? Then this submit is a repeat of that one."""
    organisation = data["recipient_organisation"]
    key = (
        str(organisation.pk) if organisation else "",
        "" if organisation else data["recipient_type"],
    )
    for consent in sharing.current_consents(person):
        if consent.purpose == purpose and consent.recipient_key == key:
            return (
                consent.recorded_by_id == user.pk
                and timezone.now() - consent.recorded_at < RESUBMIT_WINDOW
                and consent.decision == data["decision"]
                and consent.method == data["method"]
                and sorted(consent.sensitive_classes) == sorted(data["sensitive_classes"])
                and consent.review_on == data["review_on"]
                and consent.expires_on == data["expires_on"]
                and consent.notes == data["notes"]
            )
    return False


@require_http_methods(["GET", "POST"])
def record_decision(request: AuthenticatedRequest, person_id: Any, purpose: str) -> HttpResponse:
    person = _person(request, person_id, action="consent.manage", what=["consent"])
    rule = PURPOSES.get(purpose)
    if rule is None:
        return redirect("privacy:consent_purpose", person_id=person.pk)
    form = ConsentForm(data=_posted(request), rule=rule, organisation=_organisation(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.decision_data()
        try:
            if not _already_recorded(person, request.user, purpose, data):
                sharing.record_consent(person, by=request.user, purpose=purpose, **data)
        except sharing.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Her decision has been recorded"))
            return _consents_page(person)
    return render(
        request,
        "privacy/consent/consent_record.html",
        {"person": person, "form": form, "rule": rule, "title": rule.label},
    )


def _current_decision(person: Person, consent_id: Any) -> Consent | None:
    """Her decision `consent_id`, if it is still her latest for its purpose and recipient and
    is an agreement in force (the only kind that can be withdrawn)."""
    today = timezone.localdate()
    for consent in sharing.current_consents(person):
        if str(consent.pk) == str(consent_id) and consent.in_force_on(today):
            return consent
    return None


def _shares_on(person: Person, consent: Consent) -> list[CaseTeamMembership]:
    """The organisations seeing her record on this agreement now."""
    return [
        row
        for row in sharing.current_case_team(person)
        if row.basis == Basis.CONSENT
        and row.purpose == consent.purpose
        and (
            row.organisation_id == consent.recipient_organisation_id
            or (
                not consent.recipient_organisation_id
                and row.organisation.type == consent.recipient_type
            )
        )
    ]


@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, person_id: Any, consent_id: Any) -> HttpResponse:
    person = _person(request, person_id, action="consent.manage", what=["consent", "case_team"])
    consent = _current_decision(person, consent_id)
    if consent is None:
        messages.error(request, _("That agreement has already changed. Check her decisions below"))
        return _consents_page(person)
    form = WithdrawForm(data=_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            sharing.record_consent(
                person,
                by=request.user,
                purpose=consent.purpose,
                decision=Consent.Decision.WITHDRAWN,
                method=form.cleaned_data["method"],
                recipient_organisation=consent.recipient_organisation,
                recipient_type=consent.recipient_type,
                notes=form.cleaned_data["notes"],
            )
        except sharing.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Her consent has been withdrawn"))
            return _consents_page(person)
    return render(
        request,
        "privacy/consent/consent_withdraw.html",
        {
            "person": person,
            "form": form,
            "consent": consent,
            "rule": PURPOSES[consent.purpose],
            "shares": _shares_on(person, consent),
            "title": _("Withdraw her consent"),
        },
    )


# Sharing


@dataclass(frozen=True)
class ShareOption:
    purpose: str
    organisation: Organisation
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def value(self) -> str:
        return f"{self.purpose}:{self.organisation.pk}"

    @property
    def label(self) -> str:
        return f"{self.organisation.name}: {purpose_label(self.purpose)}"


def share_options(person: Person, organisation: Organisation | None) -> list[ShareOption]:
    """Every share she has an agreement in force for now: a purpose and an active organisation
    other than the user's own, which would see something."""
    today = timezone.localdate()
    options: dict[tuple[str, Any], ShareOption] = {}
    for consent in sharing.current_consents(person):
        rule = PURPOSES.get(consent.purpose)
        if rule is None or not rule.is_share or not consent.in_force_on(today):
            continue
        if consent.recipient_organisation_id:
            candidates = [consent.recipient_organisation]
        else:
            candidates = list(
                Organisation.objects.filter(type=consent.recipient_type, is_active=True)
            )
        for candidate in candidates:
            if candidate is None or not candidate.is_active:
                continue
            if organisation is not None and candidate.pk == organisation.pk:
                continue
            key = (consent.purpose, candidate.pk)
            if key in options:
                continue
            # The service's own answer, so a named decision overrides one about a kind.
            groups = sharing.preview_groups(person, consent.purpose, candidate)
            if groups:
                options[key] = ShareOption(consent.purpose, candidate, groups)
    return sorted(options.values(), key=lambda o: (o.organisation.name, o.purpose))


def _chosen(options: list[ShareOption], purpose: str, organisation_id: Any) -> ShareOption | None:
    return next(
        (
            o
            for o in options
            if o.purpose == purpose and str(o.organisation.pk) == str(organisation_id)
        ),
        None,
    )


def _preview_parts(data: Any) -> list[str]:
    """What a preview of the posted choice reads: at most what the purpose can carry, with
    every sensitive class (the log may say more than was shown, never less)."""
    purpose, _sep, organisation_id = str(data.get("share", "")).partition(":")
    if purpose not in PURPOSES:
        return []
    recipient = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    if recipient is None:
        return []
    return sorted(carried(purpose, recipient.type, SENSITIVE))


@require_http_methods(["GET", "POST"])
def share(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    """Choose a share she has agreed to, then see exactly what the recipient will see."""
    try:
        parts = _preview_parts(request.POST) if request.method == "POST" else []
    except (ValidationError, ValueError, TypeError):
        # Not an organisation's id: the form says so below.
        parts = []
    person = _person(
        request,
        person_id,
        action="share.manage",
        what=["consent", "case_team", *parts],
        select_related=RECORD_RELATED,
        prefetch_related=record_prefetch(),
    )
    organisation = _organisation(request.user)
    options = share_options(person, organisation)
    form = ShareForm(data=_posted(request), options=[(o.value, o.label) for o in options])
    if request.method == "POST" and form.is_valid():
        purpose, _sep, organisation_id = form.cleaned_data["share"].partition(":")
        option = _chosen(options, purpose, organisation_id)
        if option is not None and organisation is not None:
            view = policy.share_view(option.groups, organisation.pk, Basis.CONSENT)
            return render(
                request,
                "privacy/consent/share_preview.html",
                {
                    "person": person,
                    **record_context(person, view),
                    "option": option,
                    "rule": PURPOSES[option.purpose],
                    "shared_groups": group_labels(option.groups),
                    "confirm": ConfirmShareForm(
                        initial={"purpose": option.purpose, "recipient": option.organisation.pk}
                    ),
                    "title": _("Before you share"),
                },
            )
    return render(
        request,
        "privacy/consent/share_choose.html",
        {"person": person, "form": form, "options": options, "title": _("Share her information")},
    )


@require_POST
def share_confirm(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    """Make the share previewed. Everything posted is checked again: her agreement may have
    changed since the preview."""
    person = _person(request, person_id, action="share.manage", what=["consent", "case_team"])
    form = ConfirmShareForm(data=request.POST)
    option = None
    if form.is_valid():
        options = share_options(person, _organisation(request.user))
        option = _chosen(options, form.cleaned_data["purpose"], form.cleaned_data["recipient"])
    if option is None:
        messages.error(request, _("She has not agreed to that share now. Choose again"))
        return redirect("privacy:share", person_id=person.pk)
    try:
        sharing.share(
            person, by=request.user, purpose=option.purpose, recipient=option.organisation
        )
    except sharing.SharingError as error:
        messages.error(request, str(error))
        return redirect("privacy:share", person_id=person.pk)
    messages.success(
        request,
        _("Shared with %(organisation)s. They can see it now")
        % {"organisation": option.organisation.name},
    )
    return _consents_page(person)


@require_POST
def end_share(request: AuthenticatedRequest, person_id: Any, row_id: int) -> HttpResponse:
    person = _person(request, person_id, action="share.manage", what=["case_team"])
    shared = any(
        row.pk == row_id and row.basis == Basis.CONSENT for row in sharing.current_case_team(person)
    )
    if shared and sharing.end_share(person, by=request.user, row_id=row_id):
        messages.success(request, _("Sharing stopped. The organisation cannot see her record now"))
    else:
        messages.error(request, _("That share has already ended"))
    return _consents_page(person)


# Conditions of cautions and orders


def _open_condition(person: Person, data: dict[str, Any]) -> bool:
    """Is this condition already recorded and open (a second submit of the same form)?"""
    return any(
        condition.organisation_id == data["organisation"].pk
        and condition.kind == data["kind"]
        and condition.starts_on == data["starts_on"]
        and condition.ends_on == data["ends_on"]
        and condition.ended_at is None
        for condition in person.order_conditions.all()
    )


@require_http_methods(["GET", "POST"])
def record_condition(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = _person(request, person_id, action="condition.manage", what=["case_team"])
    form = ConditionForm(data=_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if not _open_condition(person, data):
                sharing.record_condition(
                    person,
                    by=request.user,
                    organisation=data["organisation"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
        except sharing.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Condition recorded"))
            return _consents_page(person)
    return render(
        request,
        "privacy/consent/condition_record.html",
        {"person": person, "form": form, "title": _("Record a condition of a caution or order")},
    )


@require_POST
def end_condition(request: AuthenticatedRequest, person_id: Any, condition_id: Any) -> HttpResponse:
    person = _person(request, person_id, action="condition.manage", what=["case_team"])
    if sharing.end_condition(person, by=request.user, condition_id=condition_id):
        messages.success(request, _("Condition ended. The organisation cannot see her record now"))
    else:
        messages.error(request, _("That condition has already ended"))
    return _consents_page(person)


# Engagement


@require_http_methods(["GET", "POST"])
def engagement(request: AuthenticatedRequest, person_id: Any) -> HttpResponse:
    person = _person(request, person_id, action="person.edit", what=["engagement"])
    form = EngagementForm(data=_posted(request), initial={"status": person.engagement_status})
    if request.method == "POST" and form.is_valid():
        try:
            sharing.set_engagement(person, by=request.user, status=form.cleaned_data["status"])
        except sharing.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved"))
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "privacy/consent/engagement.html",
        {"person": person, "form": form, "title": _("Whether she is engaging")},
    )


# Her consent summary, addressed to her

# The field groups and purposes in her own words (the tables in privacy.groups speak of her).
YOUR_GROUPS: dict[str, Promise] = {
    FieldGroup.IDENTITY: gettext_lazy(
        "Who you are: your names, date of birth and any police, prison or probation numbers"
    ),
    FieldGroup.ENGAGEMENT: gettext_lazy("Whether you are coming to your support"),
    FieldGroup.NEEDS_SUMMARY: gettext_lazy(
        "A short summary of what you need help with, without the details"
    ),
    FieldGroup.PLAN_PROGRESS: gettext_lazy("How your support plan is going"),
    FieldGroup.DEPENDANTS: gettext_lazy("Your children and anyone else who depends on you"),
    FieldGroup.CONTACT: gettext_lazy("How to contact you safely"),
    FieldGroup.ADDRESS: gettext_lazy("Your address"),
    FieldGroup.ACCOMMODATION: gettext_lazy("What help you need with somewhere to live"),
    FieldGroup.HEALTH: gettext_lazy("Your health needs and NHS number"),
    FieldGroup.EQUALITY: gettext_lazy("Your answers to equality questions"),
    FieldGroup.CASE_TEAM: gettext_lazy("Which organisations are working with you"),
    FieldGroup.ABUSE: gettext_lazy("What you told us about abuse or exploitation"),
    FieldGroup.SEX_WORK: gettext_lazy("What you told us about sex work"),
    FieldGroup.CONFIDENTIAL_ADDRESS: gettext_lazy("Your confidential address, such as a refuge"),
    FieldGroup.IMMIGRATION: gettext_lazy("Your immigration status"),
}
YOUR_PURPOSES: dict[str, Promise] = {
    ConsentPurpose.SUPPORT: gettext_lazy("Keeping a record of your support with us"),
    ConsentPurpose.CONTACT_PHONE: gettext_lazy("Phoning you"),
    ConsentPurpose.CONTACT_TEXT: gettext_lazy("Sending you text messages"),
    ConsentPurpose.CONTACT_EMAIL: gettext_lazy("Emailing you"),
    ConsentPurpose.CONTACT_POST: gettext_lazy("Writing to you by post"),
    ConsentPurpose.ENGAGEMENT_PROBATION: gettext_lazy(
        "Telling probation whether you are coming to your support"
    ),
    ConsentPurpose.PSR_NEEDS: gettext_lazy("A summary of your needs for a pre-sentence report"),
    ConsentPurpose.HEALTH_NEEDS: gettext_lazy(
        "Sharing the health needs the liaison and diversion team found"
    ),
    ConsentPurpose.HOUSING: gettext_lazy("Telling the housing authority about your housing need"),
    ConsentPurpose.STATISTICS: gettext_lazy("Counting you, anonymously, in statistics"),
}


def _day(value: date | datetime) -> str:
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class SummaryReason:
    """Why one organisation can see something of hers, what, and until when, in her words."""

    why: str
    what: list[str]
    purpose: str = ""
    until: str = ""


@dataclass
class SummaryEntry:
    """One organisation on her case team, with each reason it is there."""

    organisation: Organisation
    reasons: list[SummaryReason] = field(default_factory=list)


def _your_groups(groups: Iterable[str]) -> list[str]:
    chosen = set(groups)
    return [str(YOUR_GROUPS[group]) for group in FieldGroup if group in chosen]


def _reason(
    row: CaseTeamMembership,
    consents_by_id: dict[Any, Consent],
    conditions: dict[Any, OrderCondition],
) -> SummaryReason:
    until = _("Until %(date)s") % {"date": _day(last_day(row.ends_at))} if row.ends_at else ""
    if row.basis == Basis.HOLDER:
        return SummaryReason(
            why=_("They are supporting you and keep your record"),
            what=[
                _(
                    "Everything on your record with them. What you told another organisation "
                    "about abuse, sex work or a confidential address stays with that organisation"
                )
            ],
        )
    what = _your_groups(row.groups)
    if row.basis == Basis.CONSENT:
        consent = consents_by_id.get(row.source_id)
        return SummaryReason(
            why=_("You agreed on %(date)s") % {"date": _day(consent.recorded_at)}
            if consent
            else _("You agreed"),
            what=what,
            purpose=str(YOUR_PURPOSES.get(row.purpose, "")) or purpose_label(row.purpose),
            until=until or _("Until you change your mind"),
        )
    if row.basis == Basis.CONDITION:
        condition = conditions.get(row.source_id)
        kind = str(condition.get_kind_display()).lower() if condition else _("caution or order")
        return SummaryReason(
            why=_("It is a condition of your %(kind)s") % {"kind": kind}, what=what, until=until
        )
    return SummaryReason(
        why=_("To keep you or someone else safe. This did not need your agreement"),
        what=what,
        until=until,
    )


def summary_entries(person: Person) -> list[SummaryEntry]:
    """For each organisation on her case team now: what it can see and why."""
    consents_by_id = {c.pk: c for c in person.consents.all()}
    conditions = {c.pk: c for c in person.order_conditions.all()}
    entries: dict[Any, SummaryEntry] = {}
    for row in sharing.current_case_team(person):
        entry = entries.setdefault(row.organisation_id, SummaryEntry(row.organisation))
        entry.reasons.append(_reason(row, consents_by_id, conditions))
    return list(entries.values())


def your_decisions(person: Person) -> list[tuple[str, str, str]]:
    """Her decisions about contact, support and statistics (not shares), in her words."""
    said: dict[str, Promise] = {
        Consent.Decision.GIVEN: gettext_lazy("You said yes on %(date)s"),
        Consent.Decision.DECLINED: gettext_lazy("You said no on %(date)s"),
        Consent.Decision.WITHDRAWN: gettext_lazy("You changed your mind on %(date)s"),
    }
    decisions = []
    for consent in sharing.current_consents(person):
        rule = PURPOSES.get(consent.purpose)
        if rule is None or rule.is_share:
            continue
        text = str(said[consent.decision]) % {"date": _day(consent.recorded_at)}
        until = ""
        if consent.expires_on and consent.decision == Consent.Decision.GIVEN:
            until = _("Until %(date)s") % {"date": _day(consent.expires_on)}
        decisions.append((str(YOUR_PURPOSES[consent.purpose]), text, until))
    return sorted(decisions)


@require_http_methods(["GET"])
def summary(request: AuthenticatedRequest, person_id: Any, lang: str | None = None) -> HttpResponse:
    """Her consent summary, to print and give her, in English or Welsh."""
    person = _person(request, person_id, action="consent.manage", what=["consent", "case_team"])
    if lang is not None and lang not in SUMMARY_LANGUAGES:
        return redirect("privacy:consent_summary", person_id=person.pk)
    language = lang or ("cy" if translation.get_language() == "cy" else "en")
    other = "en" if language == "cy" else "cy"
    with translation.override(language):
        response = render(
            request,
            "privacy/consent/summary.html",
            {
                "person": person,
                "entries": summary_entries(person),
                "decisions": your_decisions(person),
                "organisation": _organisation(request.user),
                "today": timezone.localdate(),
                "other_language": other,
                "other_language_name": "Cymraeg" if other == "cy" else "English",
                "other_url": reverse(
                    "privacy:consent_summary_language",
                    kwargs={"person_id": person.pk, "lang": other},
                ),
            },
        )
    response["Content-Language"] = language
    return response
