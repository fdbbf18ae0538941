"""Account mails, sent by the django-tasks worker: the request that asks never waits on (nor reveals) SMTP."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from accounts.models import Agent


def _send(template: str, agent: Agent, recipients: list[str], **extra: str) -> int:
    context = {"agent": agent, "academie": settings.IPROF_ACADEMIE, "site_url": settings.IPROF_SITE_URL, **extra}
    return send_mail(
        subject=render_to_string(f"account/email/{template}_subject.txt", context).strip(),
        message=render_to_string(f"account/email/{template}_message.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


@task()
def send_identifiant_reminder(numen: str, date_naissance: str) -> int:
    """E-mail their identifier to the agent matching NUMEN + birth date (ISO), if any; 0 mails otherwise."""
    agent = (
        Agent.objects.filter(
            numen__iexact=numen, date_naissance=datetime.date.fromisoformat(date_naissance), is_active=True
        )
        .exclude(email="")
        .first()
    )
    if agent is None:
        return 0
    return _send("identifiant_oublie", agent, [agent.email])


@task()
def notify_account_change(agent_id: int, change: str, old_email: str = "") -> int:
    """Tell the owner his e-mail or password was changed (``change``: "email" or "password").

    An e-mail change is told to the former address as well: it is the one the owner still reads.
    """
    agent = Agent.objects.filter(pk=agent_id).first()
    if agent is None:
        return 0
    recipients = [a for a in dict.fromkeys([agent.email, old_email]) if a]
    if not recipients:
        return 0
    return _send(f"compte_modifie_{change}", agent, recipients)
