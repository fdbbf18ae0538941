"""Plain builders for test data: explicit, no magic."""

from __future__ import annotations

import datetime
from typing import Any

from accounts.identifiers import ascii_letters
from accounts.models import Agent
from dossier.models import Academie, Commune, Corps, Departement, Discipline, Dossier, Etablissement, Grade

PASSWORD = "correct-horse-battery-staple-42"


def referentiel() -> dict[str, Any]:
    academie, _ = Academie.objects.get_or_create(code="CLERMONT", defaults={"nom": "Clermont-Ferrand"})
    dep, _ = Departement.objects.get_or_create(code="063", defaults={"nom": "Puy-de-Dôme", "academie": academie})
    commune, _ = Commune.objects.get_or_create(
        code_insee="63113",
        defaults={"nom": "Clermont-Ferrand", "departement": dep, "latitude": "45.77722", "longitude": "3.08703"},
    )
    etab, _ = Etablissement.objects.get_or_create(
        uai="0630018C", defaults={"nom": "Lycée Blaise-Pascal", "type": "LGT", "commune": commune}
    )
    discipline, _ = Discipline.objects.get_or_create(code="L1300", defaults={"libelle": "Mathématiques"})
    corps, _ = Corps.objects.get_or_create(code="CERT", defaults={"libelle": "Professeurs certifiés"})
    grade, _ = Grade.objects.get_or_create(
        corps=corps, classe="normale", defaults={"libelle": "Professeur certifié de classe normale", "echelon_max": 11}
    )
    return {
        "academie": academie,
        "departement": dep,
        "commune": commune,
        "etablissement": etab,
        "discipline": discipline,
        "corps": corps,
        "grade": grade,
    }


def make_teacher(prenom: str = "Frédéric", nom: str = "Dupont", *, echelon: int = 7, **fields: Any) -> Agent:
    ref = referentiel()
    agent = Agent(prenom=prenom, nom=nom, email=f"{ascii_letters(prenom)}.{ascii_letters(nom)}@example.org", **fields)
    agent.set_password(PASSWORD)
    agent.save()
    Dossier.objects.create(
        agent=agent,
        corps=ref["corps"],
        grade=ref["grade"],
        echelon=echelon,
        date_echelon=datetime.date(2023, 9, 1),
        discipline=ref["discipline"],
        etablissement=ref["etablissement"],
        date_entree_poste=datetime.date(2016, 9, 1),
    )
    return agent


def make_staff(prenom: str, nom: str, *groups: str) -> Agent:
    from django.contrib.auth.models import Group

    agent = Agent(
        prenom=prenom, nom=nom, email=f"{ascii_letters(prenom)}.{ascii_letters(nom)}@ac-clermont.fr", is_staff=True
    )
    agent.set_password(PASSWORD)
    agent.save()
    agent.groups.set(Group.objects.filter(name__in=groups))
    enrol_totp(agent)
    return agent


def enrol_totp(agent: Agent) -> str:
    """Give a staff agent the TOTP second factor staff pages require; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(agent, secret)
    return secret
