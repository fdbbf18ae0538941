"""What the courrier needs to know of a dossier, given to it from here (the courrier imports no dossier).

- the DRH posting page's selections by discipline, établissement and corps, and « Tous les enseignants »
  (the agents with a dossier);
- the agent's discipline and département, by which a message finds its correspondant de gestion;
- the agents of a discipline, for the filter of the correspondant's inbox.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Agent
from dossier.models import Corps, Discipline, Dossier, Etablissement
from iprof.courrier.models import register_affectation_resolver, register_discipline_agents
from iprof.courrier.selectors import RecipientSelector, register_selector


def affectation_of(agent: Agent) -> tuple[int | None, int | None]:
    """(discipline id, département id) of the agent's current post, for the correspondant de gestion."""
    dossier = Dossier.objects.select_related("etablissement__commune", "zone_remplacement").filter(agent=agent).first()
    if dossier is None:
        return None, None
    departement_id = None
    if dossier.etablissement_id:
        departement_id = dossier.etablissement.commune.departement_id  # type: ignore[union-attr]
    elif dossier.zone_remplacement_id:
        departement_id = dossier.zone_remplacement.departement_id  # type: ignore[union-attr]
    return dossier.discipline_id, departement_id


def register_courrier_hooks() -> None:
    register_affectation_resolver(affectation_of)
    register_discipline_agents(lambda discipline_id: Agent.objects.filter(dossier__discipline_id=discipline_id))
    register_selector(
        RecipientSelector(
            name="discipline",
            position=10,
            label=_("Les enseignants d'une discipline"),
            make_field=lambda: forms.ModelChoiceField(Discipline.objects.all(), label=_("Discipline")),
            agents=lambda discipline: Agent.objects.filter(is_active=True, dossier__discipline=discipline),
            describe=lambda discipline: gettext("Discipline\u00a0: %s") % discipline,
        )
    )
    register_selector(
        RecipientSelector(
            name="etablissement",
            position=20,
            label=_("Les enseignants d'un établissement"),
            make_field=lambda: forms.ModelChoiceField(
                Etablissement.objects.select_related("commune"), label=_("Établissement")
            ),
            agents=lambda etab: Agent.objects.filter(is_active=True, dossier__etablissement=etab),
            describe=lambda etab: gettext("Établissement\u00a0: %s") % etab,
        )
    )
    register_selector(
        RecipientSelector(
            name="corps",
            position=30,
            label=_("Les agents d'un corps"),
            make_field=lambda: forms.ModelChoiceField(Corps.objects.all(), label=_("Corps")),
            agents=lambda corps: Agent.objects.filter(is_active=True, dossier__corps=corps),
            describe=lambda corps: gettext("Corps\u00a0: %s") % corps,
        )
    )
    register_selector(
        RecipientSelector(
            name="tous",
            position=100,
            label=_("Tous les enseignants"),
            agents=lambda _value: Agent.objects.filter(is_active=True, dossier__isnull=False),
            describe=lambda _value: gettext("Tous les enseignants"),
        )
    )
