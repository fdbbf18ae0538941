"""SIAM cast: an intra and an inter campagne with a fixed calendar, reference data, demandes."""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Agent
from dossier.models import Academie, Commune, Departement, Etablissement, GroupementCommunes, ZoneRemplacement
from siam.models import Campagne, CampagneKind, Demande, TypeVoeu
from tests.factories import referentiel

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)  # type: ignore[misc, arg-type]


# The intra 2027 calendar used by every SIAM test, and one moment inside each phase.
CALENDRIER = {
    "saisie_debut": paris(2027, 3, 10, 12),
    "saisie_fin": paris(2027, 4, 2, 12),
    "confirmation_debut": paris(2027, 4, 3, 8),
    "retour_pieces_fin": paris(2027, 4, 13, 12),
    "bareme_affichage_debut": paris(2027, 5, 10, 8),
    "bareme_affichage_fin": paris(2027, 5, 31, 12),
    "baremes_definitifs": paris(2027, 6, 5, 8),
    "annulation_fin": paris(2027, 6, 10, 12),
    "resultats": paris(2027, 6, 20, 8),
}
AVANT = paris(2027, 3, 1, 9)
PENDANT = paris(2027, 3, 20, 10)
APRES = paris(2027, 4, 2, 12, 0, 1)
CONFIRMATION = paris(2027, 4, 5, 10)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # these tests log in with force_login: a slow password hash only slows the cast's creation
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def at() -> Iterator[Any]:
    """``at(moment)`` freezes the clock (ticking) at a moment; every test starts inside the saisie."""
    travellers: list[Any] = []

    def travel(moment: datetime.datetime) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


def build_ref() -> dict[str, Any]:
    """Reference data of the académie de Clermont-Ferrand, and of Lyon next door."""
    base = referentiel()
    dep = base["departement"]
    riom = Commune.objects.create(code_insee="63300", nom="Riom", departement=dep, latitude="45.89", longitude="3.11")
    lyon_aca = Academie.objects.create(code="LYON", nom="Lyon")
    rhone = Departement.objects.create(code="069", nom="Rhône", academie=lyon_aca)
    lyon = Commune.objects.create(code_insee="69123", nom="Lyon", departement=rhone, latitude="45.76", longitude="4.83")
    college = Etablissement.objects.create(
        uai="0631018P", nom="Collège Albert-Camus", type="CLG", commune=base["commune"], education_prioritaire="REP+"
    )
    lycee_lyon = Etablissement.objects.create(uai="0690026D", nom="Lycée du Parc", type="LGT", commune=lyon)
    geo = GroupementCommunes.objects.create(code="GEO063CLF", nom="Clermont et agglomération", departement=dep)
    geo.communes.set([base["commune"], riom])
    zr = ZoneRemplacement.objects.create(
        code="ZR063CLF", nom="Clermont-Ferrand", departement=dep, siege=base["commune"]
    )
    zr.communes.set([base["commune"], riom])
    return {
        **base,
        "riom": riom,
        "lyon_academie": lyon_aca,
        "rhone": rhone,
        "lyon": lyon,
        "college": college,
        "lycee_lyon": lycee_lyon,
        "geo": geo,
        "zr": zr,
        "clermont": base["commune"],
    }


def build_campagne(kind: str, **dates: datetime.datetime) -> Campagne:
    academie = Academie.objects.get(code="CLERMONT") if kind == CampagneKind.INTRA else None
    fields: dict[str, Any] = (
        {
            "slug": "intra-2027",
            "libelle": "Mouvement intra-académique 2027",
            "max_voeux": 25,
            "types_voeux": list(TypeVoeu.values),
        }
        if kind == CampagneKind.INTRA
        else {
            "slug": "inter-2027",
            "libelle": "Mouvement inter-académique 2027",
            "max_voeux": 31,
            "types_voeux": [TypeVoeu.ACA],
        }
    )
    return Campagne.objects.create(kind=kind, year=2027, academie=academie, **fields, **{**CALENDRIER, **dates})


@pytest.fixture
def ref(db: None) -> dict[str, Any]:
    return build_ref()


@pytest.fixture
def intra(ref: dict[str, Any], at: Any) -> Campagne:
    at(PENDANT)
    return build_campagne(CampagneKind.INTRA)


@pytest.fixture
def inter(ref: dict[str, Any], at: Any) -> Campagne:
    at(PENDANT)
    return build_campagne(CampagneKind.INTER)


@pytest.fixture
def demande_a(intra: Campagne, teacher_a: Agent) -> Demande:
    return Demande.objects.create(agent=teacher_a, campagne=intra)


@pytest.fixture
def demande_b(intra: Campagne, teacher_b: Agent) -> Demande:
    return Demande.objects.create(agent=teacher_b, campagne=intra)


def client_for(agent: Agent, *, staff: bool = False) -> Client:
    """A fresh login (after a time travel the old session would have expired)."""
    client = Client()
    client.force_login(agent)
    if staff:
        session = client.session
        session["iprof_staff_totp"] = True  # second factor done (accounts.middleware)
        session.save()
    return client


def import_csv(client: Client, url: str, csv_text: str, *, follow: bool = False, **fields: Any) -> Any:
    """Upload a CSV to an admin import page, then confirm the preview it shows (its signed payload)."""
    preview = client.post(url, {**fields, "fichier": SimpleUploadedFile("import.csv", csv_text.encode())})
    assert "payload" in preview.context, text(preview)
    return client.post(url, {"payload": preview.context["payload"]}, follow=follow)


def text(response: Any) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded, non-breaking spaces as spaces)."""
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def add(client: Client, demande: Demande, voeu_type: str, code: str, filtre: str = "TOUT", version: int | None = None):  # type: ignore[no-untyped-def]
    demande.refresh_from_db(fields=["version"])
    data = {
        "type": voeu_type,
        "code": code,
        "filtre": filtre,
        "version": demande.version if version is None else version,
    }
    return client.post(f"/siam/demandes/{demande.pk}/voeux/ajouter/", data)
