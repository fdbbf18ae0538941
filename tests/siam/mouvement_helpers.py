"""A small intra mouvement in the database, built by hand, whose result is known.

Six participants in mathématiques at the intra of Clermont-Ferrand:

- A (tenured at Lycée Blaise-Pascal, E1) asks for Collège Albert-Camus (E2) with 500 points;
- B (tenured at E2) asks for Lycée Jeanne-d'Arc (E3) with 400;
- C (tenured at E3) asks for Lycée Virlogeux in Riom (E4, one known vacancy) with 300;
- D, obligatory, asks for E2 then the commune of Clermont-Ferrand, with 100;
- F (tenured at Collège Mendès-France in Riom, E5) asks for E4 with 200;
- G, obligatory, asks for E2 with 50; the extension table walks from Puy-de-Dôme to Allier.

Result: a chain of three moves (C → E4, B → E3, A → E2), D takes E1 (voeu 2) that A freed,
F keeps E5 (C's 300 beat their 200 on E4), G is extended to Collège de Moulins (E6, vacant).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import Agent
from dossier.models import Commune, Departement, Dossier, Etablissement, Position
from dossier.uai import uai_check_letter
from siam.models import Campagne, Demande, EtatDemande, Participation, Poste, TypeVoeu, Voeu
from siam.models.bareme import BaremeExtension, BaremeVoeu, TirageDepartage
from siam.models.choices import CIBLE_PAR_TYPE
from tests.factories import make_teacher


def uai(n: int) -> str:
    return f"{n:07d}{uai_check_letter(f'{n:07d}')}"


@dataclass
class Scenario:
    campagne: Campagne
    etabs: dict[str, Etablissement]
    agents: dict[str, Agent]
    demandes: dict[str, Demande]


def etablissements(ref: dict[str, Any]) -> dict[str, Etablissement]:
    clermont, riom = ref["clermont"], ref["riom"]
    allier = Departement.objects.create(code="003", nom="Allier", academie=ref["academie"])
    moulins = Commune.objects.create(
        code_insee="03190", nom="Moulins", departement=allier, latitude="46.56", longitude="3.33"
    )
    return {
        "E1": ref["etablissement"],
        "E2": ref["college"],
        "E3": Etablissement.objects.create(uai=uai(630020), nom="Lycée Jeanne-d'Arc", type="LGT", commune=clermont),
        "E4": Etablissement.objects.create(uai=uai(630040), nom="Lycée Virlogeux", type="LGT", commune=riom),
        "E5": Etablissement.objects.create(uai=uai(630050), nom="Collège Mendès-France", type="CLG", commune=riom),
        "E6": Etablissement.objects.create(uai=uai(30060), nom="Collège Emile-Guillaumin", type="CLG", commune=moulins),
    }


def participant(
    campagne: Campagne,
    prenom: str,
    nom: str,
    etab: Etablissement | None,
    voeux: list[tuple[str, Any, str]],
    *,
    obligatory: bool = False,
    extension: str | None = None,
) -> tuple[Agent, Demande]:
    """voeux: (type, target, barème); the target is the object the type names (établissement, commune…)."""
    agent = make_teacher(prenom, nom)
    Dossier.objects.filter(agent=agent).update(
        etablissement=etab, position=Position.STAGIAIRE if obligatory else Position.TITULAIRE
    )
    demande = Demande.objects.create(
        agent=agent,
        campagne=campagne,
        etat=EtatDemande.ENREGISTREE,
        participation=Participation.OBLIGATOIRE if obligatory else Participation.VOLONTAIRE,
    )
    now = timezone.now()
    for rang, (voeu_type, target, bareme) in enumerate(voeux, 1):
        field = CIBLE_PAR_TYPE[voeu_type]
        voeu = Voeu.objects.create(demande=demande, rang=rang, type=voeu_type, **{field: target})
        BaremeVoeu.objects.create(voeu=voeu, demande=demande, total=Decimal(bareme), calcule_le=now)
    if extension is not None:
        BaremeExtension.objects.create(demande=demande, rang=1, total=Decimal(extension), calcule_le=now)
    return agent, demande


def chain_scenario(campagne: Campagne, ref: dict[str, Any]) -> Scenario:
    e = etablissements(ref)
    maths = ref["discipline"]
    Poste.objects.create(campagne=campagne, discipline=maths, etablissement=e["E4"], nombre=1)
    Poste.objects.create(campagne=campagne, discipline=maths, etablissement=e["E6"], nombre=1)
    TirageDepartage.objects.create(campagne=campagne, seed="graine-des-tests")
    ETB, COM = TypeVoeu.ETB, TypeVoeu.COM
    cast = {
        "A": participant(campagne, "Alice", "Arnaud", e["E1"], [(ETB, e["E2"], "500")]),
        "B": participant(campagne, "Bruno", "Blanc", e["E2"], [(ETB, e["E3"], "400")]),
        "C": participant(campagne, "Chloé", "Caron", e["E3"], [(ETB, e["E4"], "300")]),
        "D": participant(
            campagne,
            "David",
            "Dumas",
            None,
            [(ETB, e["E2"], "100"), (COM, ref["clermont"], "100")],
            obligatory=True,
            extension="100",
        ),
        "F": participant(campagne, "Fanny", "Fabre", e["E5"], [(ETB, e["E4"], "200.5")]),
        "G": participant(campagne, "Gilles", "Garnier", None, [(ETB, e["E2"], "50")], obligatory=True, extension="50"),
    }
    return Scenario(
        campagne,
        e,
        {key: agent for key, (agent, _d) in cast.items()},
        {key: demande for key, (_a, demande) in cast.items()},
    )


def crowd(campagne: Campagne, ref: dict[str, Any], n: int) -> None:
    """``n`` participants, tenured or not, with an établissement and a commune voeu each."""
    e = etablissements(ref)
    Poste.objects.create(campagne=campagne, discipline=ref["discipline"], etablissement=e["E4"], nombre=2)
    TirageDepartage.objects.create(campagne=campagne, seed="graine-des-tests")
    places = [e["E1"], e["E2"], e["E3"], e["E5"], None]
    for i in range(n):
        participant(
            campagne,
            "Prof",
            f"Nombre{chr(97 + i % 26)}{chr(97 + i // 26)}",
            places[i % 5],
            [(TypeVoeu.ETB, e["E4"], str(10 + i)), (TypeVoeu.COM, ref["clermont"], str(5 + i))],
            obligatory=places[i % 5] is None,
            extension=str(5 + i),
        )


RESULTS_OPEN = datetime.datetime(2027, 6, 21, 10, tzinfo=datetime.UTC)
AFTER_CLOSING = datetime.datetime(2027, 6, 6, 10, tzinfo=datetime.UTC)
