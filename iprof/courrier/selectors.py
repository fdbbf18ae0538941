"""Named selections of recipients for the DRH posting page.

Each selector brings its own form field (the parameter the DRH chooses, or none) and
turns the chosen value into a QuerySet of agents. Apps register theirs from their
AppConfig.ready(), e.g. SIAM:

    from iprof.courrier.selectors import RecipientSelector, register_selector

    register_selector(RecipientSelector(
        name="campagne",
        label=_("Participants d'une campagne SIAM"),
        make_field=lambda: forms.ModelChoiceField(Campagne.objects.all(), label=_("Campagne")),
        agents=lambda campagne: Agent.objects.filter(demandes__campagne=campagne),
        describe=lambda campagne: _("Participants de %(c)s") % {"c": campagne},
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Agent


@dataclass(frozen=True)
class RecipientSelector:
    name: str
    label: str | Promise
    agents: Callable[[Any], QuerySet[Agent]]
    describe: Callable[[Any], str]
    make_field: Callable[[], forms.Field] | None = None
    position: int = 50  # order on the posting page: one agent first, everybody last


_REGISTRY: dict[str, RecipientSelector] = {}


def register_selector(selector: RecipientSelector) -> None:
    """Add (or replace, by name) a selection offered on the DRH posting page."""
    _REGISTRY[selector.name] = selector


def selectors() -> list[RecipientSelector]:
    return sorted(_REGISTRY.values(), key=lambda selector: selector.position)


def get_selector(name: str) -> RecipientSelector | None:
    return _REGISTRY.get(name)


class AgentIdentifiantField(forms.CharField):
    def clean(self, value: Any) -> Agent | None:
        identifiant = super().clean(value)
        if not identifiant:
            return None
        agent = Agent.objects.filter(identifiant__iexact=identifiant.strip(), is_active=True).first()
        if agent is None:
            raise forms.ValidationError(gettext("Aucun agent actif n'a l'identifiant « %s ».") % identifiant)
        return agent


def register_builtin_selectors() -> None:
    register_selector(
        RecipientSelector(
            name="agent",
            position=0,
            label=_("Un agent"),
            make_field=lambda: AgentIdentifiantField(label=_("Identifiant de l'agent"), max_length=40),
            agents=lambda agent: Agent.objects.filter(pk=agent.pk),
            describe=lambda agent: gettext("Agent\u00a0: %s") % agent,
        )
    )
