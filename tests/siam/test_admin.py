"""Staff in the admin: campagnes, CSV import of postes, decisions on motifs and pièces, roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agent
from siam.models import Campagne, Demande, Motif, MotifDeclare, PieceJustificative, Poste, StatutMotif, StatutPiece
from siam.postes_import import parse_postes_csv
from tests.siam.conftest import client_for, import_csv, text

pytestmark = pytest.mark.django_db

GOOD = "discipline;lieu;nombre;susceptible;profil\nL1300;0630018C;2;non;\nL1300;ZR063CLF;0;oui;\nL1300;0631018P;1;non;Classe bilangue : allemand attendu.\n"
BAD = "discipline;lieu;nombre;susceptible;profil\nL1300;0630018C;2;non;\nXXXX;0630018C;1;non;\nL1300;0690026D;1;non;\nL1300;0631018P;deux;non;\nL1300;0631018P;0;non;\nL1300;0630018C;1;peut-être;\n"


def test_csv_with_errors_lists_them_by_line_and_writes_nothing(intra: Campagne, ref: Any) -> None:
    result = parse_postes_csv(intra, BAD)
    assert [line for line, _ in result.erreurs] == [3, 4, 5, 6, 7]
    messages = dict(result.erreurs)
    assert "Discipline inconnue\u00a0: « XXXX »" in messages[3]
    assert "Lieu inconnu pour cette campagne\u00a0: « 0690026D »" in messages[4]  # Lyon, outside the intra
    assert "Nombre de postes invalide\u00a0: « deux »" in messages[5]
    assert "vacant (nombre > 0) ou susceptible" in messages[6]
    assert "oui ou non" in messages[7]


def test_admin_import_previews_then_writes_on_confirmation(intra: Campagne, rectorat: Agent, ref: Any) -> None:
    staff = client_for(rectorat, staff=True)
    url = "/admin/siam/poste/importer/"
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"campagne": intra.pk, "fichier": SimpleUploadedFile("postes.csv", BAD.encode())})
    page = text(response)
    assert "5 erreurs : rien n'a été importé." in page and "Ligne 4 :" in page
    assert not Poste.objects.exists()
    response = staff.post(url, {"campagne": intra.pk, "fichier": SimpleUploadedFile("postes.csv", GOOD.encode())})
    assert "Aperçu : 3 postes" in text(response) and not Poste.objects.exists()
    response = import_csv(staff, url, GOOD, campagne=intra.pk)
    assert response.status_code == 302
    assert Poste.objects.filter(campagne=intra).count() == 3
    assert Poste.objects.get(etablissement=ref["college"]).profile
    response = import_csv(staff, url, GOOD.replace(";2;non;", ";5;non;"), campagne=intra.pk)
    assert Poste.objects.count() == 3 and Poste.objects.get(etablissement=ref["etablissement"]).nombre == 5


def test_drh_may_read_postes_but_not_import(intra: Campagne, drh: Agent) -> None:
    staff = client_for(drh, staff=True)
    assert staff.get("/admin/siam/poste/").status_code == 200
    upload = SimpleUploadedFile("postes.csv", GOOD.encode())
    response = staff.post("/admin/siam/poste/importer/", {"campagne": intra.pk, "fichier": upload})
    assert response.status_code == 403 and not Poste.objects.exists()  # one import page: refused by permission
    assert staff.get("/admin/siam/campagne/add/").status_code == 403


def test_rectorat_creates_a_campagne_with_its_calendar_in_the_admin(rectorat: Agent, ref: Any) -> None:
    staff = client_for(rectorat, staff=True)
    data = {
        "libelle": "Mouvement inter-académique 2028",
        "slug": "inter-2028",
        "kind": "inter",
        "year": 2028,
        "max_voeux": 31,
        "types_voeux": ["ACA"],
        "publiee": "on",
        "saisie_debut_0": "06/11/2027",
        "saisie_debut_1": "12:00",
        "saisie_fin_0": "27/11/2027",
        "saisie_fin_1": "12:00",
        "confirmation_debut": "",
        "retour_pieces_fin": "",
    }
    dates = {
        "confirmation_debut": "28/11/2027",
        "retour_pieces_fin": "08/12/2027",
        "bareme_affichage_debut": "09/01/2028",
        "bareme_affichage_fin": "30/01/2028",
        "baremes_definitifs": "05/02/2028",
        "annulation_fin": "10/02/2028",
        "resultats": "03/03/2028",
    }
    for field, day in dates.items():
        data[f"{field}_0"], data[f"{field}_1"] = day, "12:00"
    response = staff.post("/admin/siam/campagne/add/", data)
    assert response.status_code == 302, text(response)[:3000]
    campagne = Campagne.objects.get(slug="inter-2028")
    assert campagne.types_voeux == ["ACA"] and campagne.saisie_fin.hour == 11  # 12 h Paris = 11 h UTC


def test_refusing_a_motif_requires_a_reason_and_records_who(demande_a: Demande, rectorat: Agent) -> None:
    motif = MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH)
    staff = client_for(rectorat, staff=True)
    url = f"/admin/siam/motifdeclare/{motif.pk}/change/"
    response = staff.post(url, {"statut": StatutMotif.REFUSE, "motif_refus": ""})
    assert response.status_code == 200 and "Indiquez le motif du refus" in text(response)
    assert staff.post(url, {"statut": StatutMotif.REFUSE, "motif_refus": "Attestation expirée"}).status_code == 302
    motif.refresh_from_db()
    assert motif.statut == StatutMotif.REFUSE and motif.decided_by == rectorat and motif.decided_at is not None
    staff.post("/admin/siam/motifdeclare/", {"action": "valider", "_selected_action": [motif.pk]})
    motif.refresh_from_db()
    assert motif.statut == StatutMotif.VALIDE and motif.motif_refus == ""
    assert list(MotifDeclare.objects.valides()) == [motif]


def test_staff_accept_and_refuse_pieces_with_a_reason(demande_a: Demande, teacher_a: Agent, rectorat: Agent) -> None:
    client = client_for(teacher_a)
    for name in ("a.pdf", "b.pdf"):
        client.post(f"/siam/demandes/{demande_a.pk}/pieces/", {"fichier": SimpleUploadedFile(name, b"%PDF-1.4 x")})
    first, second = PieceJustificative.objects.order_by("pk")
    staff = client_for(rectorat, staff=True)
    changelist = "/admin/siam/piecejustificative/"
    staff.post(changelist, {"action": "accepter", "_selected_action": [first.pk]})
    response = staff.post(changelist, {"action": "refuser", "_selected_action": [second.pk]})
    assert "Motif du refus" in text(response)  # the intermediate page asks for the reason
    staff.post(changelist, {"action": "refuser", "_selected_action": [second.pk], "motif_refus": "Illisible"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.statut == StatutPiece.ACCEPTEE and first.decided_by == rectorat
    assert second.statut == StatutPiece.REFUSEE and second.motif_refus == "Illisible"
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/pieces/"))
    assert "Illisible" in page and "acceptée" in page
    response = staff.post(
        f"/admin/siam/piecejustificative/{first.pk}/change/", {"statut": "refusee", "motif_refus": ""}
    )
    assert "Indiquez le motif du refus" in text(response)


def test_demande_admin_shows_voeux_inline_and_history(
    demande_a: Demande, teacher_a: Agent, rectorat: Agent, ref: Any
) -> None:
    from siam.services.voeux import add_voeu

    add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type="COM", code="63113")
    page = text(client_for(rectorat, staff=True).get(f"/admin/siam/demande/{demande_a.pk}/change/"))
    assert "Clermont-Ferrand" in page and "Ajout du vœu n° 1" in page
