"""The staff home says what is waiting: per open campagne, counts that link to exactly the counted rows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from iprof.courrier.models import CorrespondantGestion
from iprof.courrier.services import start_conversation
from siam.models import (
    Campagne,
    Demande,
    EtatDemande,
    Motif,
    MotifDeclare,
    Participation,
    PieceJustificative,
    StatutMotif,
    StatutPiece,
    Voeu,
)
from siam.models.bareme import Contestation
from tests.factories import make_teacher
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db


def piece(demande: Demande, motif: MotifDeclare | None = None, statut: str = StatutPiece.EN_ATTENTE) -> None:
    refus = "illisible" if statut == StatutPiece.REFUSEE else ""
    PieceJustificative.objects.create(
        demande=demande,
        motif=motif,
        fichier="pieces/x.pdf",
        nom_original="x.pdf",
        content_type="application/pdf",
        taille=10,
        statut=statut,
        motif_refus=refus,
    )


@pytest.fixture
def world(intra: Campagne, inter: Campagne, ref: dict[str, Any], rectorat: Agent) -> dict[str, Any]:
    t = [make_teacher("Agent", f"Numero{chr(65 + i)}") for i in range(6)]
    # intra: 0 obligatoire sans voeu (enregistrée, no confirmation), 1 obligatoire with a voeu,
    # 2 enregistrée with its confirmation, 3 a motif without pièce, 4 annulée (never waiting)
    Demande.objects.create(
        agent=t[0], campagne=intra, participation=Participation.OBLIGATOIRE, etat=EtatDemande.ENREGISTREE
    )
    d1 = Demande.objects.create(agent=t[1], campagne=intra, participation=Participation.OBLIGATOIRE)
    Voeu.objects.create(demande=d1, rang=1, type="COM", commune=ref["clermont"])
    d2 = Demande.objects.create(agent=t[2], campagne=intra, etat=EtatDemande.ENREGISTREE)
    piece(d2)  # the signed confirmation, waiting for a look
    d3 = Demande.objects.create(agent=t[3], campagne=intra)
    MotifDeclare.objects.create(demande=d3, motif=Motif.RQTH)
    avec_piece = MotifDeclare.objects.create(demande=d3, motif=Motif.HANDICAP)
    piece(d3, avec_piece, StatutPiece.ACCEPTEE)
    piece(
        d2, MotifDeclare.objects.create(demande=d2, motif=Motif.RQTH, statut=StatutMotif.VALIDE), StatutPiece.ACCEPTEE
    )
    d4 = Demande.objects.create(
        agent=t[4], campagne=intra, participation=Participation.OBLIGATOIRE, etat=EtatDemande.ANNULEE
    )
    MotifDeclare.objects.create(demande=d4, motif=Motif.RQTH)
    piece(d4)
    Contestation.objects.create(demande=d2, motif="Mon échelon est faux.")
    # inter: one pièce waiting, one refused; one obligatoire sans voeu
    e0 = Demande.objects.create(agent=t[0], campagne=inter, participation=Participation.OBLIGATOIRE)
    piece(e0)
    piece(e0, statut=StatutPiece.REFUSEE)
    # one teacher writes to their correspondant (the rectorat agent), another conversation is read
    CorrespondantGestion.objects.create(libelle="DPE", agent=rectorat)
    start_conversation(agent=t[5], sujet="Question", corps="Bonjour")
    lu = start_conversation(agent=t[4], sujet="Lu", corps="Bonjour")
    lu.messages.update(read_at=lu.created_at)
    return {"intra": intra, "inter": inter}


EXPECTED = {  # (campagne, queue) -> rows, counted by hand from the world above
    ("intra", "pieces_a_verifier"): 1,
    ("intra", "motifs_a_valider"): 2,  # d3's two motifs; d4 is annulée
    ("intra", "contestations_ouvertes"): 1,
    ("intra", "confirmations_non_recues"): 1,  # d0
    ("intra", "obligatoires_sans_voeu"): 1,  # d0
    ("intra", "demandes_incompletes"): 1,  # d3
    ("inter", "pieces_a_verifier"): 1,
    ("inter", "motifs_a_valider"): 0,
    ("inter", "obligatoires_sans_voeu"): 1,
}


def links(page: str) -> list[str]:
    """The hrefs of the queue links of the staff home."""
    section = page.split('class="iprof-queues"', 1)[1].split("</section>", 1)[0]
    return [href.replace("&amp;", "&") for href in re.findall(r'<a href="([^"]+)">', section)]


def rows_of(staff: Client, url: str) -> int:
    response = staff.get(url)
    assert response.status_code == 200, url  # a lookup the admin refuses would redirect to ?e=1
    return int(response.context["cl"].result_count)


def test_each_count_is_the_number_of_rows_of_the_list_it_links_to(world: dict[str, Any], rectorat: Agent) -> None:
    staff = client_for(rectorat, staff=True)
    page = staff.get("/admin/").content.decode()
    found = links(page)
    for (campagne, key), n in EXPECTED.items():
        pk = world[campagne].pk
        [url] = [u for u in found if f"file={key}&" in u and u.endswith(f"__id__exact={pk}")]
        assert rows_of(staff, url) == n, (campagne, key)
    [url] = [u for u in found if "file=messages_non_lus" in u]
    assert rows_of(staff, url) == 1


def test_the_home_words_the_counts_with_plural_agreement(world: dict[str, Any], rectorat: Agent) -> None:
    page = text(client_for(rectorat, staff=True).get("/admin/"))
    assert "1 pièce à vérifier" in page and "2 motifs à valider" in page and "0 motif à valider" in page
    assert "1 participant obligatoire sans vœu" in page and "1 confirmation signée non reçue" in page
    assert "1 échange avec un message non lu au correspondant de gestion" in page


def test_the_home_costs_a_bounded_number_of_queries(
    world: dict[str, Any], rectorat: Agent, django_assert_max_num_queries: Any
) -> None:
    staff = client_for(rectorat, staff=True)
    staff.get("/admin/")
    with django_assert_max_num_queries(13):  # session, user, MFA, perms, campagnes, 7 queues: whatever the campagnes
        staff.get("/admin/")


def test_a_staff_member_without_rights_sees_no_queue(world: dict[str, Any]) -> None:
    from tests.factories import make_staff

    page = text(client_for(make_staff("Sans", "Groupe"), staff=True).get("/admin/"))
    assert "Aucune file d'attente ouverte." in page and "à vérifier" not in page


def test_the_staff_home_sidebar_reads_in_french(rectorat: Agent) -> None:
    page = text(client_for(rectorat, staff=True).get("/admin/"))
    assert "Vos dernières actions" in page and "Aucune action pour l'instant." in page
    assert "Aucun(e)" not in page and "Mes actions" not in page
