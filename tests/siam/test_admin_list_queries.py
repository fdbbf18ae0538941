"""Every large staff list costs the same queries for 3 rows as for 15: no query per row (issue 13, point 7).

The back office at the real size (50,000 demandes) is measured by bench/bench_admin.py; here, each list is
requested with 3 rows, then with 15, and must run the same number of queries, under a pinned ceiling. The
lists of the other apps (agents, dossiers, courrier, journals) are here too: they are the same back office.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agent, AuditEvent
from dossier.models import Dossier, DossierChange
from iprof.courrier.models import Categorie, Conversation, CorrespondantGestion, Envoi, Message
from iprof.courrier.services import start_conversation
from lib.audit import log_action
from siam.models import (
    Campagne,
    Demande,
    Motif,
    MotifDeclare,
    MouvementResultat,
    MouvementRun,
    PieceJustificative,
    Poste,
    StatutMotif,
    Voeu,
)
from siam.models.bareme import BaremeChange, Contestation, ObjetChange, VerificationBareme
from siam.models.mouvement import StatutRun
from tests.factories import make_staff, make_teacher
from tests.siam.conftest import client_for

pytestmark = pytest.mark.django_db


class World:
    """Rows added n at a time, each with what the lists show of it (agent, dossier, voeu, motif, pièce…)."""

    def __init__(self, intra: Campagne, ref: dict[str, Any], staff: Agent) -> None:
        self.intra, self.ref, self.staff, self.n = intra, ref, staff, 0
        self.run = MouvementRun.objects.create(campagne=intra, statut=StatutRun.DONE, finished_at=timezone.now())
        self.poste = Poste.objects.create(
            campagne=intra, discipline=ref["discipline"], etablissement=ref["college"], nombre=1
        )
        CorrespondantGestion.objects.create(libelle="DPE", agent=staff)
        self.envoi = Envoi.objects.create(
            key="accuses", sujet="Accusé de réception", categorie=Categorie.ACCUSE_RECEPTION, fingerprint="0" * 64
        )

    def add(self, k: int) -> None:
        for _ in range(k):
            self.n += 1
            agent = make_teacher(f"Prenom{self.n}", f"Nom{self.n}", numen=f"NUMEN{self.n:08d}")
            demande = Demande.objects.create(agent=agent, campagne=self.intra)
            Voeu.objects.create(demande=demande, rang=1, type="COM", commune=self.ref["clermont"])
            motif = MotifDeclare.objects.create(demande=demande, motif=Motif.RQTH, statut=StatutMotif.DECLARE)
            PieceJustificative.objects.create(
                demande=demande, motif=motif, fichier="pieces/x.pdf", nom_original="rqth.pdf",
                content_type="application/pdf", taille=10,
            )  # fmt: skip
            Contestation.objects.create(demande=demande, motif="Mon échelon est faux.")
            MouvementResultat.objects.create(run=self.run, demande=demande, poste=self.poste, voeu_rang=1)
            Message.objects.create(
                envoi=self.envoi, recipient=agent, sujet="Accusé", corps="…", created_at=demande.creee_le
            )
            start_conversation(agent=agent, sujet="Question", corps="Bonjour")
            dossier = Dossier.objects.get(agent=agent)
            log_action(dossier, DossierChange.ACTION, auteur=self.staff, libelle="échelon", avant="7", apres="8")
            log_action(demande, ObjetChange.MOTIF, auteur=self.staff, libelle="RQTH : validée", motif="pièce reçue")
            log_action(agent, AuditEvent.action_of("login"), auteur=agent, libelle="connexion réussie")
        MouvementRun.objects.create(campagne=self.intra, statut=StatutRun.DONE, finished_at=timezone.now())


def changelist(model: Any, query: str = "") -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + (f"?{query}" if query else "")


# (the list, its queries: session, user, second factor, the list's count and page, its filters' choices…)
LISTS: dict[str, tuple[Callable[[World], str], int]] = {
    "agents": (lambda w: changelist(Agent), 5),
    # a search: one query more, the word unaccented once (lib.admin_search)
    "agents searched by nom": (lambda w: changelist(Agent, "q=nom"), 6),
    "agents searched by NUMEN": (lambda w: changelist(Agent, "q=NUMEN00000002"), 6),
    "dossiers": (lambda w: changelist(Dossier), 6),
    "dossiers searched by NUMEN": (lambda w: changelist(Dossier, "q=NUMEN00000002"), 6),
    "demandes": (lambda w: changelist(Demande), 5),
    "demandes searched by nom": (lambda w: changelist(Demande, "q=nom"), 6),
    "demandes of one campagne": (lambda w: changelist(Demande, f"campagne__id__exact={w.intra.pk}"), 5),
    "barème checks": (lambda w: changelist(VerificationBareme, "a_verifier=oui"), 5),
    "pièces to check": (lambda w: changelist(PieceJustificative, "file=pieces_a_verifier"), 6),
    "motifs to validate": (lambda w: changelist(MotifDeclare, "file=motifs_a_valider"), 5),
    "contestations": (lambda w: changelist(Contestation), 7),
    "contestations searched by nom": (lambda w: changelist(Contestation, "q=nom"), 7),
    "mouvement runs": (lambda w: changelist(MouvementRun), 8),
    "mouvement results": (lambda w: changelist(MouvementResultat), 5),
    "mouvement results searched by nom": (lambda w: changelist(MouvementResultat, "q=nom"), 5),
    "courrier diffusions": (lambda w: changelist(Message), 4),
    "échanges": (lambda w: changelist(Conversation), 5),
    "gestion inbox": (lambda w: reverse("courrier:gestion"), 7),
    "journal of the dossiers": (lambda w: changelist(DossierChange), 8),
    "journal of the barèmes": (lambda w: changelist(BaremeChange), 7),
    "journal of security": (lambda w: changelist(AuditEvent), 6),
}


def queries_of(client: Client, url: str) -> int:
    client.get(url)  # caches (content types, permissions) warm, as on any page after the first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def world(intra: Campagne, ref: dict[str, Any]) -> World:
    superuser = make_staff("Super", "Utilisateur")
    Agent.objects.filter(pk=superuser.pk).update(is_superuser=True)
    return World(intra, ref, Agent.objects.get(pk=superuser.pk))


@pytest.mark.parametrize("name", LISTS)
def test_the_list_costs_the_same_queries_for_3_rows_as_for_15(
    world: World, name: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.staff, staff=True)
    url, ceiling = LISTS[name][0](world), LISTS[name][1]
    world.add(3)
    few = queries_of(client, url)
    world.add(12)
    client.get(url)
    with django_assert_max_num_queries(ceiling) as many:
        client.get(url)
    assert len(many) == few, (name, few, len(many))


def test_the_lists_show_the_rows_they_count(world: World) -> None:
    """The query counts above are of lists that show their rows (not of empty or refused pages)."""
    client = client_for(world.staff, staff=True)
    world.add(15)
    for name in ("demandes", "pièces to check", "motifs to validate", "mouvement results", "journal of the barèmes"):
        response = client.get(LISTS[name][0](world))
        assert response.context["cl"].result_count == 15, name
    assert client.get(changelist(Agent, "q=NUMEN00000002")).context["cl"].result_count == 1


@pytest.mark.parametrize(
    ("q", "found"),
    [("Prenom2 Nom2", {"Nom2"}), ("nom2 PRENOM2", {"Nom2"}), ("Prenom2 Nom3", set()), ('"Prenom1"', {"Nom1", "Nom10"})],
)
def test_each_word_of_a_search_matches_a_field_and_a_row_is_listed_once(world: World, q: str, found: set[str]) -> None:
    client = client_for(world.staff, staff=True)
    world.add(10)
    lists = (Agent, Demande, PieceJustificative, MotifDeclare, VerificationBareme)  # those that search the prénom
    for url in map(changelist, lists):
        rows = client.get(url, {"q": q}).context["cl"].result_list
        assert sorted(agent_of(row).nom for row in rows) == sorted(found), url


def agent_of(row: Any) -> Agent:
    if isinstance(row, Agent):
        return row
    return row.agent if isinstance(row, Demande) else row.demande.agent  # VerificationBareme is a Demande
