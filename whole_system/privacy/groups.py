"""What may cross an organisation's boundary: field groups, the minimisation table, the
purposes a woman consents to, and what each lawful basis carries.

This module is the written policy table. The policy point (privacy.policy) reads it; the
authorisation matrix and canary tests compare what pages and the API show against it; the
consent pages read the explanations from it. Change a rule here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from whole_system.accounts.models import Organisation

OrgType = Organisation.Type


class FieldGroup(models.TextChoices):
    """Parts of a woman's record, as they are shared. Each field of her record belongs to one."""

    IDENTITY = "identity", _("Who she is: names, date of birth and justice identifiers")
    ENGAGEMENT = "engagement", _("Whether she is engaging with support")
    NEEDS_SUMMARY = "needs_summary", _("A summary of her needs, without details")
    PLAN_PROGRESS = "plan_progress", _("Progress on her support plan")
    DEPENDANTS = "dependants", _("Her children and other dependants")
    CONTACT = "contact", _("How to contact her safely")
    ADDRESS = "address", _("Her address, when it is not confidential")
    ACCOMMODATION = "accommodation", _("Her accommodation need")
    HEALTH = "health", _("Her health needs and NHS number")
    EQUALITY = "equality", _("Equality monitoring answers")
    CASE_TEAM = "case_team", _("The organisations working with her")
    # Sensitive classes: never leave the organisation that holds them without a consent that
    # names the class.
    ABUSE = "abuse", _("What she has disclosed about abuse or exploitation")
    SEX_WORK = "sex_work", _("What she has disclosed about sex work")
    CONFIDENTIAL_ADDRESS = "confidential_address", _("A confidential address, such as a refuge")
    IMMIGRATION = "immigration", _("Her immigration status")


G = FieldGroup

SENSITIVE = frozenset({G.ABUSE, G.SEX_WORK, G.CONFIDENTIAL_ADDRESS, G.IMMIGRATION})

# What an organisation that holds her case sees. Sensitive items recorded by another
# organisation stay with that organisation (privacy.policy decides per item).
HOLDER = frozenset(G) - {G.ABUSE, G.SEX_WORK, G.CONFIDENTIAL_ADDRESS}

# The minimisation table: the most each kind of organisation may see when sharing with it is
# allowed. Commissioners see aggregates only, never a record.
MINIMISATION: dict[str, frozenset[str]] = {
    OrgType.POLICE: frozenset({G.IDENTITY, G.ENGAGEMENT}),
    OrgType.PROBATION: frozenset({G.IDENTITY, G.ENGAGEMENT, G.NEEDS_SUMMARY, G.PLAN_PROGRESS}),
    OrgType.PRISON: frozenset({G.IDENTITY, G.ENGAGEMENT, G.NEEDS_SUMMARY, G.PLAN_PROGRESS}),
    # The pre-sentence information pack.
    OrgType.COURT: frozenset({G.IDENTITY, G.ENGAGEMENT, G.NEEDS_SUMMARY, G.DEPENDANTS}),
    OrgType.LOCAL_AUTHORITY: frozenset({G.IDENTITY, G.ACCOMMODATION, G.CONTACT, G.ADDRESS}),
    OrgType.HOUSING: frozenset({G.IDENTITY, G.ACCOMMODATION, G.CONTACT, G.ADDRESS}),
    OrgType.HEALTH: frozenset({G.IDENTITY, G.HEALTH}),
    OrgType.LIAISON_AND_DIVERSION: frozenset({G.IDENTITY, G.HEALTH, G.NEEDS_SUMMARY}),
    OrgType.WOMENS_SERVICE: frozenset(
        {
            G.IDENTITY,
            G.ENGAGEMENT,
            G.NEEDS_SUMMARY,
            G.PLAN_PROGRESS,
            G.DEPENDANTS,
            G.CONTACT,
            G.ADDRESS,
            G.ACCOMMODATION,
            G.HEALTH,
        }
    ),
    OrgType.COMMISSIONER: frozenset(),
}

# A condition of a conditional caution or an order: whether she engaged, and nothing else.
CONDITION = frozenset({G.IDENTITY, G.ENGAGEMENT})
CONDITION_HOLDERS = frozenset({OrgType.POLICE, OrgType.PROBATION})

# Emergency access shows what is needed to keep her or someone else safe now.
EMERGENCY = frozenset({G.IDENTITY, G.CONTACT, G.ADDRESS, G.HEALTH, G.NEEDS_SUMMARY})

# What a safeguarding share without consent may name: never a sensitive class.
SAFEGUARDING_NAMEABLE = frozenset(G) - SENSITIVE - {G.EQUALITY, G.CASE_TEAM}


@dataclass(frozen=True)
class PurposeRule:
    """One purpose she can agree to. `groups` is what a share for it carries, cut to the
    recipient's row of the minimisation table, plus `names` (groups the purpose itself names,
    such as health needs for the liaison and diversion purpose)."""

    code: str
    label: Promise
    explanation: Promise
    recipients: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @property
    def is_share(self) -> bool:
        return bool(self.recipients)


class ConsentPurpose(models.TextChoices):
    SUPPORT = "support", _("Support from this service")
    CONTACT_PHONE = "contact_phone", _("Contacting her by phone")
    CONTACT_TEXT = "contact_text", _("Contacting her by text message")
    CONTACT_EMAIL = "contact_email", _("Contacting her by email")
    CONTACT_POST = "contact_post", _("Contacting her by post")
    ENGAGEMENT_PROBATION = "engagement_probation", _("Telling probation whether she is engaging")
    PSR_NEEDS = "psr_needs", _("A summary of her needs for a pre-sentence report")
    HEALTH_NEEDS = "health_needs", _("Sharing the health needs liaison and diversion recorded")
    HOUSING = "housing", _("Her accommodation need, with the local housing authority")
    STATISTICS = "statistics", _("Counting her, anonymously, in statistics")


P = ConsentPurpose

PURPOSES: dict[str, PurposeRule] = {
    rule.code: rule
    for rule in [
        PurposeRule(
            P.SUPPORT,
            P.SUPPORT.label,
            _(
                "We will keep a record of your support with us, so that whoever you see here "
                "knows your story and you do not have to repeat it. Only people at this service "
                "can see it unless you agree otherwise, or the law requires it."
            ),
        ),
        PurposeRule(
            P.CONTACT_PHONE,
            P.CONTACT_PHONE.label,
            _(
                "We may phone you about your support, only at the times you tell us are safe. "
                "You can change your mind at any time."
            ),
        ),
        PurposeRule(
            P.CONTACT_TEXT,
            P.CONTACT_TEXT.label,
            _(
                "We may send you text messages, such as appointment reminders, only at the "
                "times you tell us are safe and never with more detail than you agree to."
            ),
        ),
        PurposeRule(
            P.CONTACT_EMAIL,
            P.CONTACT_EMAIL.label,
            _("We may email you about your support. You can change your mind at any time."),
        ),
        PurposeRule(
            P.CONTACT_POST,
            P.CONTACT_POST.label,
            _(
                "We may write to you at your address. Our letters will not say who they are "
                "from on the envelope."
            ),
        ),
        PurposeRule(
            P.ENGAGEMENT_PROBATION,
            P.ENGAGEMENT_PROBATION.label,
            _(
                "We will tell your probation practitioner whether you are coming to your "
                "support, and nothing about what you talk about here."
            ),
            recipients=frozenset({OrgType.PROBATION}),
            groups=frozenset({G.IDENTITY, G.ENGAGEMENT}),
        ),
        PurposeRule(
            P.PSR_NEEDS,
            P.PSR_NEEDS.label,
            _(
                "We will give the probation service and the court a short summary of your "
                "needs, your children and whether you are engaging, so the court can consider "
                "them when it decides your sentence. It will not include what you have told "
                "us about abuse or sex work unless you say so."
            ),
            recipients=frozenset({OrgType.PROBATION, OrgType.COURT}),
            groups=frozenset({G.IDENTITY, G.ENGAGEMENT, G.NEEDS_SUMMARY, G.DEPENDANTS}),
        ),
        PurposeRule(
            P.HEALTH_NEEDS,
            P.HEALTH_NEEDS.label,
            _(
                "The liaison and diversion team will share the health needs they found with "
                "the police, probation and the court, so that they can take them into account."
            ),
            recipients=frozenset({OrgType.POLICE, OrgType.PROBATION, OrgType.COURT}),
            groups=frozenset({G.IDENTITY, G.HEALTH}),
            names=frozenset({G.HEALTH}),
        ),
        PurposeRule(
            P.HOUSING,
            P.HOUSING.label,
            _(
                "We will tell the local housing authority about your housing need and how to "
                "contact you safely, so that they can help you find somewhere to live."
            ),
            recipients=frozenset({OrgType.LOCAL_AUTHORITY, OrgType.HOUSING}),
            groups=frozenset({G.IDENTITY, G.ACCOMMODATION, G.CONTACT, G.ADDRESS}),
        ),
        PurposeRule(
            P.STATISTICS,
            P.STATISTICS.label,
            _(
                "We may count you in statistics about the women we support. Nobody will be "
                "able to tell from them that you are one of the women counted."
            ),
        ),
    ]
}

CONTACT_PURPOSES = {
    "phone": P.CONTACT_PHONE,
    "text": P.CONTACT_TEXT,
    "email": P.CONTACT_EMAIL,
    "post": P.CONTACT_POST,
}


def carried(purpose: str, recipient_type: str, named_classes: frozenset[str]) -> frozenset[str]:
    """The field groups a consent-based share for `purpose` shows an organisation of
    `recipient_type`: the purpose's groups cut to the minimisation table, plus what the purpose
    names itself, plus the sensitive classes the consent names."""
    rule = PURPOSES[purpose]
    if recipient_type not in rule.recipients:
        return frozenset()
    table = MINIMISATION.get(recipient_type, frozenset())
    return (rule.groups & (table | rule.names)) | (named_classes & SENSITIVE)
