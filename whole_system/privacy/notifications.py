"""E-mails the privacy rules send. They never name the woman or say anything about her: they
say that something needs looking at and link to it, behind sign-in."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from whole_system.accounts.models import User

from .models import SafeguardingShare


def tell_leads_of_safeguarding_share(share_id: str) -> int:
    """E-mail each active data protection lead of the sharing organisation; returns how many."""
    share = SafeguardingShare.objects.select_related("made_by").get(pk=share_id)
    leads = User.objects.filter(
        is_active=True,
        membership__is_active=True,
        membership__is_data_protection_lead=True,
        membership__organisation_id=share.from_organisation_id,
    )
    link = settings.SITE_URL + reverse("privacy:safeguarding_detail", args=[share.pk])
    sent = 0
    for lead in leads:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                _("A safeguarding share was made without consent"),
                _(
                    "%(who)s shared information without consent to keep someone safe, at "
                    "%(when)s. As data protection lead you are asked to look at it:\n\n%(link)s"
                )
                % {
                    "who": share.made_by or _("A member of staff"),
                    "when": timezone.localtime(share.made_at).strftime("%d %B %Y %H:%M"),
                    "link": link,
                },
                None,
                [lead.email],
            )
        sent += 1
    SafeguardingShare.objects.filter(pk=share.pk).update(
        data_protection_lead_told_at=timezone.now()
    )
    return sent
