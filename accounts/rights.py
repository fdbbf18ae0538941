"""``Agent.staff_rights``: true while the agent holds any group or permission (issue 17, point 1).

Kept up to date by the m2m signals of ``Agent.groups`` and ``Agent.user_permissions`` (whichever side
changes them: the agent admin, ``group.user_set.add``, the shell), so that the one second-factor check
(accounts.middleware) needs no query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from accounts.models import Agent

HOLDS = Q(groups__isnull=False) | Q(user_permissions__isnull=False)


def refresh_staff_rights(agent_ids: Iterable[int] | None = None) -> None:
    agents = Agent.objects.all() if agent_ids is None else Agent.objects.filter(pk__in=list(agent_ids))
    holders = agents.filter(HOLDS).values("pk")
    agents.filter(pk__in=holders).exclude(staff_rights=True).update(staff_rights=True)
    agents.exclude(pk__in=holders).exclude(staff_rights=False).update(staff_rights=False)


def on_rights_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:  # agent.groups.add(...): the instance is the agent
        ids = [instance.pk]
        instance.staff_rights = Agent.objects.filter(pk=instance.pk).filter(HOLDS).exists()
    elif action == "post_clear":  # group.user_set.clear(): every agent may have lost it
        ids = None
    else:  # group.user_set.add(agent, ...)
        ids = list(pk_set or [])
    refresh_staff_rights(ids)


def connect() -> None:
    from django.db.models.signals import m2m_changed

    m2m_changed.connect(on_rights_changed, sender=Agent.groups.through, dispatch_uid="agent_groups_rights")
    m2m_changed.connect(
        on_rights_changed, sender=Agent.user_permissions.through, dispatch_uid="agent_permissions_rights"
    )
