"""The académie e-mail is the account's one verified address, by construction (issue 17, point 3).

Agents never manage their address (the administration holds it), so allauth's EmailAddress table only
mirrors ``Agent.email``: whatever allauth creates along the way (a password reset syncs the address as
« unverified », which then forbids enrolling TOTP) is saved verified and primary when it is the agent's
address, and never kept when it is not.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from accounts.models import Agent


def _taken_elsewhere(agent: Agent, email: str) -> bool:
    """Two agents sharing one address (rare): allauth allows one verified owner; the other keeps no record."""
    return EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user_id=agent.pk).exists()


def on_email_address_saving(sender: Any, instance: EmailAddress, raw: bool = False, **kwargs: Any) -> None:
    agent = instance.user
    if raw or instance.verified or instance.email.lower() != (agent.email or "").lower():
        return
    if not _taken_elsewhere(agent, instance.email):
        instance.verified = True
        instance.primary = True


def on_agent_saved(sender: Any, instance: Agent, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and "email" not in update_fields):
        return  # a login's last_login update leaves the address alone
    mirror_email_address(instance)


def mirror_email_address(agent: Agent) -> None:
    """At most one EmailAddress per agent, his own, verified and primary; never an unverified one."""
    email = (agent.email or "").lower()
    if not email or _taken_elsewhere(agent, email):
        EmailAddress.objects.filter(user_id=agent.pk).delete()
        return
    EmailAddress.objects.filter(user_id=agent.pk).exclude(email__iexact=email).delete()
    EmailAddress.objects.update_or_create(
        user_id=agent.pk, email__iexact=email, defaults={"email": email, "verified": True, "primary": True}
    )


def connect() -> None:
    from django.db.models.signals import post_save, pre_save

    pre_save.connect(on_email_address_saving, sender=EmailAddress, dispatch_uid="emailaddress_verified")
    post_save.connect(on_agent_saved, sender=Agent, dispatch_uid="agent_emailaddress_mirror")
