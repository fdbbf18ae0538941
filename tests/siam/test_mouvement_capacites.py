"""The inter's capacités d'accueil: CSV import, the check before a run, and the piles of the inter market."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agent
from dossier.models import Academie, Discipline
from siam.errors import MouvementError
from siam.models import Campagne, CapaciteAccueil, Poste, TypeVoeu
from siam.models.bareme import TirageDepartage
from siam.models.mouvement import MouvementResultat, MouvementRun
from siam.services.mouvement import run_mouvement
from siam.services.mouvement.capacites import CapaciteDiscipline, capacity_report, import_capacites, parse_capacites_csv
from tests.siam.conftest import client_for, import_csv, text
from tests.siam.mouvement_helpers import AFTER_CLOSING, participant

pytestmark = pytest.mark.django_db
IMPORT = "/admin/siam/capaciteaccueil/importer/"
GOOD = "academie;discipline;places\nLYON;L1300;2\nCLERMONT;L1300;1\n"
BAD = "academie;discipline;places\nLYON;L1300;2\nNULLEPART;L1300;1\nLYON;XXXX;1\nCLERMONT;L1300;deux\nLYON;L1300;3\n"


def test_every_bad_line_is_named_in_french_and_nothing_is_written(inter: Campagne) -> None:
    result = parse_capacites_csv(BAD)
    assert result.erreurs == [
        (3, "Académie inconnue\u00a0: « NULLEPART »."),
        (4, "Discipline inconnue\u00a0: « XXXX »."),
        (5, "Nombre de places invalide\u00a0: « deux » (entier de 0 à 100000)."),
        (6, "Cette académie et cette discipline figurent déjà plus haut dans le fichier."),
    ]
    with pytest.raises(MouvementError, match="le fichier contient des erreurs"):
        import_capacites(campagne=inter, result=result)
    assert not CapaciteAccueil.objects.exists()


def test_a_wrong_header_and_an_intra_campagne_are_refused(intra: Campagne) -> None:
    assert parse_capacites_csv("aca;disc;n\nLYON;L1300;2\n").erreurs == [
        (1, "En-tête attendu\u00a0: academie;discipline;places.")
    ]
    with pytest.raises(MouvementError, match="ne concernent que le mouvement inter"):
        import_capacites(campagne=intra, result=parse_capacites_csv(GOOD))


def test_the_admin_import_previews_then_writes_on_confirmation_and_updates_after(
    inter: Campagne, rectorat: Agent
) -> None:
    staff = client_for(rectorat, staff=True)
    assert staff.get(IMPORT).status_code == 200
    page = text(staff.post(IMPORT, {"campagne": inter.pk, "fichier": SimpleUploadedFile("c.csv", BAD.encode())}))
    assert "4 erreurs : rien n'a été importé." in page and "Ligne 3 : Académie inconnue" in page
    page = text(staff.post(IMPORT, {"campagne": inter.pk, "fichier": SimpleUploadedFile("c.csv", GOOD.encode())}))
    assert "Aperçu : 2 capacités" in page and not CapaciteAccueil.objects.exists()
    response = import_csv(staff, IMPORT, GOOD, campagne=inter.pk)
    assert response.status_code == 302
    assert dict(CapaciteAccueil.objects.values_list("academie__code", "places")) == {"LYON": 2, "CLERMONT": 1}
    import_csv(staff, IMPORT, GOOD.replace("LYON;L1300;2", "LYON;L1300;7"), campagne=inter.pk)
    assert CapaciteAccueil.objects.count() == 2 and CapaciteAccueil.objects.get(academie__code="LYON").places == 7


def test_the_drh_may_read_capacities_but_not_import_them(inter: Campagne, drh: Agent) -> None:
    staff = client_for(drh, staff=True)
    assert staff.get("/admin/siam/capaciteaccueil/").status_code == 200
    response = staff.post(IMPORT, {"campagne": inter.pk, "fichier": SimpleUploadedFile("c.csv", GOOD.encode())})
    assert response.status_code == 403 and not CapaciteAccueil.objects.exists()  # refused by permission


@pytest.fixture
def svt(inter: Campagne, ref: dict[str, Any]) -> dict[str, Any]:
    """Three obligatory participants in SVT, one tenured volunteer; capacities in Lyon and Corse."""
    discipline = Discipline.objects.create(code="L1500", libelle="SVT")
    lyon = ref["lyon_academie"]
    corse = Academie.objects.create(code="CORSE", nom="Corse", is_corse=True)
    TirageDepartage.objects.create(campagne=inter, seed="graine-svt")
    agents = []
    for i, score in enumerate(("300", "200", "100")):
        agent, _d = participant(
            inter, f"Sam{i}", f"Svt{i}", None, [(TypeVoeu.ACA, lyon, score)], obligatory=True, extension=score
        )
        agents.append(agent)
    tenured, _d = participant(inter, "Tom", "Titulaire", ref["etablissement"], [(TypeVoeu.ACA, lyon, "400")])
    from dossier.models import Dossier

    Dossier.objects.filter(agent__in=[*agents, tenured]).update(discipline=discipline)
    CapaciteAccueil.objects.create(campagne=inter, academie=lyon, discipline=discipline, places=1)
    CapaciteAccueil.objects.create(campagne=inter, academie=corse, discipline=discipline, places=5)
    return {"discipline": discipline, "lyon": lyon, "corse": corse, "agents": agents, "tenured": tenured}


def test_before_a_run_each_discipline_shows_its_obligatory_participants_and_places(
    inter: Campagne, svt: dict[str, Any]
) -> None:
    [line] = capacity_report(inter)
    assert (line.discipline, line.obligatoires, line.volontaires_sans_poste, line.places) == ("SVT", 3, 0, 6)
    assert line.bloquant
    assert line.message == (
        "SVT\u00a0: 3 participants obligatoires, 6 places, dont 1 hors Corse et DOM (l'extension n'y affecte jamais)"
    )


def test_a_run_whose_capacities_cannot_place_every_obligatory_participant_is_refused(
    inter: Campagne, svt: dict[str, Any], at: Any
) -> None:
    at(AFTER_CLOSING)
    with pytest.raises(MouvementError, match=r"Capacités d.accueil insuffisantes.*SVT : 3 participants obligatoires"):
        run_mouvement(campagne=inter, by=None)
    assert not MouvementRun.objects.exists() and not Poste.objects.exists()


def test_the_launch_page_shows_the_blocking_warning(inter: Campagne, svt: dict[str, Any], rectorat: Agent) -> None:
    page = text(client_for(rectorat, staff=True).get("/admin/siam/mouvementrun/lancer/"))
    assert "SVT : 3 participants obligatoires, 6 places, dont 1 hors Corse et DOM" in page
    assert "le mouvement sera refusé" in page


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ((0, 0, 0, 1, 1), "SVT\u00a0: 0 participant obligatoire, 1 place"),
        ((1, 1, 1, 2, 0), "SVT\u00a0: 1 participant obligatoire, 2 places (et 1 volontaire sans poste à conserver)"
         " (et 1 titulaire de Corse ou des DOM qui peut venir sur le continent), dont 0 hors Corse et DOM"
         " (l'extension n'y affecte jamais)"),
        ((120, 0, 0, 80, 80), "SVT\u00a0: 120 participants obligatoires, 80 places"),
    ],
)  # fmt: skip
def test_the_warning_agrees_with_its_counts(counts: tuple[int, int, int, int, int], message: str) -> None:
    assert CapaciteDiscipline("SVT", *counts).message == message


def test_with_enough_capacity_the_capacities_are_the_piles_and_everyone_obligatory_is_placed(
    inter: Campagne, svt: dict[str, Any], ref: dict[str, Any], at: Any
) -> None:
    CapaciteAccueil.objects.filter(academie=svt["lyon"]).update(places=2)
    CapaciteAccueil.objects.create(campagne=inter, academie=ref["academie"], discipline=svt["discipline"], places=1)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=inter, by=None)
    obtained = {
        r.demande.agent.nom: (r.poste.academie.code if r.poste else None, r.extended)  # type: ignore[union-attr]
        for r in MouvementResultat.objects.filter(run=run).select_related("demande__agent", "poste__academie")
    }
    # Tom (400) and Sam0 (300) fill Lyon's 2 places; Sam1 and Sam2 are extended to Clermont: its place, and the
    # seat Tom freed there; never to Corse
    assert obtained == {
        "Titulaire": ("LYON", False),
        "Svt0": ("LYON", False),
        "Svt1": ("CLERMONT", True),
        "Svt2": ("CLERMONT", True),
    }
    # the posts of the capacities were created by the run, inside its transaction
    assert Poste.objects.filter(campagne=inter, academie=svt["lyon"], discipline=svt["discipline"]).exists()
    assert run.stats["obligatoires_sans_poste"] == 0


def test_the_demo_gives_every_discipline_of_its_teachers_room_outside_corse_and_the_dom() -> None:
    """No obligatory participant of the demo is left without a post by the demo itself (issue 11, point 7)."""
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    referentiel = json.loads((fixtures / "10_referentiel.json").read_text())
    far = {
        o["pk"]
        for o in referentiel
        if o["model"] == "dossier.academie" and (o["fields"].get("is_dom") or o["fields"].get("is_corse"))
    }
    assert far  # Corse and the DOM are in the référentiel
    inter = next(
        o["pk"]
        for o in json.loads((fixtures / "60_siam.json").read_text())
        if o["model"] == "siam.campagne" and o["fields"]["kind"] == "inter"
    )
    places: Counter[int] = Counter()
    for o in json.loads((fixtures / "65_capacites.json").read_text()):
        f = o["fields"]
        if f["campagne"] == inter and f["academie"] not in far:
            places[f["discipline"]] += f["places"]
    teachers = Counter(
        o["fields"]["discipline"]
        for o in json.loads((fixtures / "30_dossiers.json").read_text())
        if o["model"] == "dossier.dossier"
    )
    assert all(places[d] >= n for d, n in teachers.items()), (teachers, places)
