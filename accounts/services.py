from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from accounts.models import Agent


def send_identifiant_reminder(*, numen: str, date_naissance: datetime.date) -> None:
    """E-mail their identifier to the agent matching NUMEN + birth date, if any.

    Says nothing to the caller either way: the page answers identically.
    """
    agent = (
        Agent.objects.filter(numen__iexact=numen, date_naissance=date_naissance, is_active=True)
        .exclude(email="")
        .first()
    )
    if agent is None:
        return
    context = {"agent": agent, "academie": settings.IPROF_ACADEMIE}
    send_mail(
        subject=render_to_string("account/email/identifiant_oublie_subject.txt", context).strip(),
        message=render_to_string("account/email/identifiant_oublie_message.txt", context),
        from_email=None,
        recipient_list=[agent.email],
    )
