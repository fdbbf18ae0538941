"""Milestones lock the calendar: what happened (accusés, barèmes définitifs, publication) cannot be undone by dates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Agent
from siam.calendar import Calendrier, Jalon, Phase, locked_dates, phase_at
from siam.errors import CalendrierVerrouille
from siam.models import Campagne, Demande, EtatDemande, MouvementRun, StatutRun, Voeu
from siam.models.campagne import CALENDAR_FIELDS, ChangementCalendrier
from siam.selectors import get_demande_for_user
from siam.services.campagnes import update_calendar
from tests.siam.conftest import CALENDRIER, PENDANT, client_for, paris, text

pytestmark = pytest.mark.django_db

PUBLIE = paris(2027, 6, 25, 10)  # after the results
DAY = datetime.timedelta(days=1)


def reopened() -> dict[str, datetime.datetime]:
    """The dates of the reproduction: everything pushed a year later, so that today is inside the saisie again."""
    return {
        name: value + datetime.timedelta(days=365) - datetime.timedelta(days=120) for name, value in CALENDRIER.items()
    }


def publish(campagne: Campagne) -> MouvementRun:
    return MouvementRun.objects.create(
        campagne=campagne,
        statut=StatutRun.DONE,
        verdict_ok=True,
        finished_at=timezone.now(),
        published_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("jalons", "phase"),
    [
        (frozenset(), Phase.SAISIE),
        (frozenset({Jalon.ACCUSES}), Phase.CLOTURE),
        (frozenset({Jalon.ACCUSES, Jalon.DEFINITIFS}), Phase.BAREMES_DEFINITIFS),
        (frozenset({Jalon.DEFINITIFS}), Phase.BAREMES_DEFINITIFS),
        (frozenset({Jalon.PUBLIE}), Phase.RESULTATS),
    ],
)
def test_jalons_set_a_floor_under_the_dated_phase(jalons: frozenset[Jalon], phase: Phase) -> None:
    assert phase_at(Calendrier(**CALENDRIER), PENDANT, jalons) is phase


def test_a_jalon_never_moves_the_phase_back() -> None:
    assert phase_at(Calendrier(**CALENDRIER), paris(2030, 1, 1), frozenset({Jalon.ACCUSES})) is Phase.RESULTATS


@pytest.mark.parametrize(
    ("jalons", "last"),
    [
        (frozenset(), None),
        (frozenset({Jalon.ACCUSES}), "saisie_fin"),
        (frozenset({Jalon.ACCUSES, Jalon.DEFINITIFS}), "baremes_definitifs"),
        (frozenset({Jalon.PUBLIE}), "resultats"),
    ],
)
def test_each_jalon_locks_its_date_and_every_earlier_one(jalons: frozenset[Jalon], last: str | None) -> None:
    locked = locked_dates(jalons)
    assert (locked[-1] if locked else None) == last
    assert locked == CALENDAR_FIELDS[: len(locked)]


def test_jalons_are_read_from_the_facts(intra: Campagne, demande_a: Demande) -> None:
    assert Campagne.objects.get(pk=intra.pk).jalons == frozenset()
    Demande.objects.filter(pk=demande_a.pk).update(accuse_envoye_le=timezone.now(), etat=EtatDemande.ENREGISTREE)
    assert Campagne.objects.get(pk=intra.pk).jalons == {Jalon.ACCUSES}
    publish(intra)
    assert Campagne.objects.get(pk=intra.pk).jalons == {Jalon.ACCUSES, Jalon.PUBLIE}
    assert Campagne.objects.with_jalons().get(pk=intra.pk).jalons == {Jalon.ACCUSES, Jalon.PUBLIE}


def test_a_demande_is_read_with_its_campagne_and_the_campagnes_jalons_in_one_query(
    intra: Campagne, demande_a: Demande, demande_b: Demande, teacher_a: Agent, django_assert_num_queries: Any
) -> None:
    request = RequestFactory().get("/")
    request.user = teacher_a
    with django_assert_num_queries(1):
        demande = get_demande_for_user(request, demande_a.pk)
        assert demande.campagne.academie == intra.academie
        assert demande.campagne.jalons == frozenset()
    Demande.objects.filter(pk=demande_b.pk).update(accuse_envoye_le=timezone.now(), etat=EtatDemande.ENREGISTREE)
    assert get_demande_for_user(request, demande_a.pk).campagne.jalons == {Jalon.ACCUSES}  # another's accusé counts
    publish(intra)
    with django_assert_num_queries(1):
        assert get_demande_for_user(request, demande_a.pk).campagne.jalons == {Jalon.ACCUSES, Jalon.PUBLIE}
    with pytest.raises(Http404):
        get_demande_for_user(request, demande_b.pk)  # the other teacher's demande: not found


def test_a_published_campagne_stays_closed_whatever_its_dates(
    filled_published: Demande, teacher_a: Agent, at: Any
) -> None:
    """The reproduction: results published, dates edited back (here behind the service's back, in the database)."""
    campagne = filled_published.campagne
    at(PUBLIE)
    Campagne.objects.filter(pk=campagne.pk).update(**reopened())
    client = client_for(teacher_a)
    before = list(Voeu.objects.filter(demande=filled_published).order_by("rang").values_list("pk", "rang"))
    voeu = Voeu.objects.get(demande=filled_published, rang=2)
    response = client.post(f"/siam/voeux/{voeu.pk}/deplacer/", {"version": 0, "direction": "up"})
    assert response.status_code == 403
    assert list(Voeu.objects.filter(demande=filled_published).order_by("rang").values_list("pk", "rang")) == before
    for url in (f"/siam/demandes/{filled_published.pk}/", f"/siam/demandes/{filled_published.pk}/voeux/", "/siam/"):
        page = text(client.get(url))
        assert "saisie des vœux ouverte" not in page.lower(), url
        assert "saisie ouverte" not in page.lower(), url
    assert "résultats" in text(client.get("/siam/")).lower()


@pytest.fixture
def filled_published(demande_a: Demande, ref: Any) -> Demande:
    Voeu.objects.create(demande=demande_a, rang=1, type="COM", commune=ref["clermont"])
    Voeu.objects.create(demande=demande_a, rang=2, type="ETB", etablissement=ref["etablissement"])
    Demande.objects.filter(pk=demande_a.pk).update(
        accuse_envoye_le=CALENDRIER["saisie_fin"], etat=EtatDemande.ENREGISTREE
    )
    publish(demande_a.campagne)
    return demande_a


def test_the_service_refuses_to_move_a_locked_date_into_the_future(
    filled_published: Demande, rectorat: Agent, at: Any
) -> None:
    campagne = Campagne.objects.get(pk=filled_published.campagne_id)
    at(PUBLIE)
    with pytest.raises(CalendrierVerrouille, match="ne peut plus être reportée dans le futur\u00a0: les accusés"):
        update_calendar(campagne=campagne, by=rectorat, dates=reopened(), motif="erreur de saisie")
    assert Campagne.objects.get(pk=campagne.pk).saisie_fin == CALENDRIER["saisie_fin"]
    assert not ChangementCalendrier.objects.exists()


def test_after_the_accuses_the_saisie_cannot_be_reopened_but_later_dates_can_move(
    demande_a: Demande, rectorat: Agent, at: Any
) -> None:
    at(paris(2027, 4, 5, 10))
    Demande.objects.filter(pk=demande_a.pk).update(accuse_envoye_le=timezone.now(), etat=EtatDemande.ENREGISTREE)
    campagne = Campagne.objects.get(pk=demande_a.campagne_id)
    with pytest.raises(CalendrierVerrouille) as refused:
        update_calendar(
            campagne=campagne, by=rectorat, dates={"saisie_fin": paris(2027, 4, 9, 12)}, motif="prolongation"
        )
    assert refused.value.field == "saisie_fin"
    # a later date may still move, with its motif, journalled
    later = CALENDRIER["bareme_affichage_debut"] + 2 * DAY
    changes = update_calendar(
        campagne=campagne, by=rectorat, dates={"bareme_affichage_debut": later}, motif="grève des services"
    )
    assert [(c.champ, c.ancienne, c.nouvelle, c.motif, c.auteur) for c in changes] == [
        ("bareme_affichage_debut", CALENDRIER["bareme_affichage_debut"], later, "grève des services", rectorat)
    ]
    assert Campagne.objects.get(pk=campagne.pk).bareme_affichage_debut == later


def test_after_the_accuses_no_phase_goes_back(demande_a: Demande, rectorat: Agent, at: Any) -> None:
    at(paris(2027, 4, 5, 10))  # confirmation phase
    Demande.objects.filter(pk=demande_a.pk).update(accuse_envoye_le=timezone.now(), etat=EtatDemande.ENREGISTREE)
    campagne = Campagne.objects.get(pk=demande_a.campagne_id)
    with pytest.raises(CalendrierVerrouille, match="rouvriraient une phase déjà passée"):
        update_calendar(
            campagne=campagne, by=rectorat, dates={"confirmation_debut": paris(2027, 4, 6, 8)}, motif="retard"
        )
    assert Campagne.objects.get(pk=campagne.pk).confirmation_debut == CALENDRIER["confirmation_debut"]


def test_after_the_opening_a_change_needs_a_motif_and_is_journalled(intra: Campagne, rectorat: Agent) -> None:
    new_fin = paris(2027, 4, 3, 7)
    with pytest.raises(CalendrierVerrouille, match="indiquez le motif") as refused:
        update_calendar(campagne=intra, by=rectorat, dates={"saisie_fin": new_fin}, motif="  ")
    assert refused.value.field == "motif"
    assert Campagne.objects.get(pk=intra.pk).saisie_fin == CALENDRIER["saisie_fin"]
    update_calendar(campagne=intra, by=rectorat, dates={"saisie_fin": new_fin}, motif="panne du serveur")
    change = ChangementCalendrier.objects.get()
    assert (change.champ, change.ancienne, change.nouvelle, change.motif, change.auteur) == (
        "saisie_fin",
        CALENDRIER["saisie_fin"],
        new_fin,
        "panne du serveur",
        rectorat,
    )


def test_before_the_opening_dates_move_freely(intra: Campagne, rectorat: Agent, at: Any) -> None:
    at(paris(2027, 2, 1, 9))
    update_calendar(campagne=intra, by=rectorat, dates={"saisie_debut": paris(2027, 3, 11, 12)})
    assert Campagne.objects.get(pk=intra.pk).saisie_debut == paris(2027, 3, 11, 12)
    assert not ChangementCalendrier.objects.exists()


def form_data(campagne: Campagne, **dates: datetime.datetime) -> dict[str, Any]:
    data: dict[str, Any] = {
        "libelle": campagne.libelle,
        "slug": campagne.slug,
        "kind": campagne.kind,
        "year": campagne.year,
        "academie": campagne.academie_id or "",
        "publiee": "on",
        "max_voeux": campagne.max_voeux,
        "types_voeux": campagne.types_voeux,
    }
    for name in CALENDAR_FIELDS:
        local = timezone.localtime(dates.get(name, getattr(campagne, name)))
        data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%d/%m/%Y"), local.strftime("%H:%M")
    return data


def test_the_admin_refuses_with_a_french_sentence_and_changes_nothing(
    filled_published: Demande, rectorat: Agent, at: Any
) -> None:
    campagne = filled_published.campagne
    at(PUBLIE)
    staff = client_for(rectorat, staff=True)
    data = {**form_data(campagne, **reopened()), "motif_calendrier": "réouverture"}
    response = staff.post(f"/admin/siam/campagne/{campagne.pk}/change/", data)
    assert response.status_code == 200
    page = text(response)
    assert "ne peut plus être reportée dans le futur" in page and "les résultats sont publiés" in page
    assert Campagne.objects.get(pk=campagne.pk).saisie_debut == CALENDRIER["saisie_debut"]


def test_the_admin_names_the_order_rule_in_french_not_the_constraint(intra: Campagne, rectorat: Agent) -> None:
    data = {**form_data(intra, saisie_fin=CALENDRIER["saisie_debut"]), "motif_calendrier": "erreur"}
    response = client_for(rectorat, staff=True).post(f"/admin/siam/campagne/{intra.pk}/change/", data)
    page = text(response)
    assert response.status_code == 200
    assert (
        "« fermeture de la saisie des vœux » doit être postérieure à la date « ouverture de la saisie des vœux »"
        in page
    )
    assert "campagne_saisie_debut_before_saisie_fin" not in page
    assert Campagne.objects.get(pk=intra.pk).saisie_fin == CALENDRIER["saisie_fin"]


def test_the_admin_journals_a_change_with_its_motif(intra: Campagne, rectorat: Agent) -> None:
    staff = client_for(rectorat, staff=True)
    new_fin = paris(2027, 4, 3, 7)
    data = form_data(intra, saisie_fin=new_fin)
    response = staff.post(f"/admin/siam/campagne/{intra.pk}/change/", data)
    assert response.status_code == 200 and "indiquez le motif" in text(response)
    response = staff.post(f"/admin/siam/campagne/{intra.pk}/change/", {**data, "motif_calendrier": "panne"})
    assert response.status_code == 302, text(response)[:2000]
    assert ChangementCalendrier.objects.get().motif == "panne"
    assert "panne" in text(staff.get(f"/admin/siam/campagne/{intra.pk}/change/"))


def test_les_services_say_results_for_a_published_campagne_whatever_its_dates(
    filled_published: Demande, teacher_a: Agent, at: Any
) -> None:
    from lib.procedures import EtatService
    from siam.portal import siam_services

    at(PUBLIE)
    Campagne.objects.filter(pk=filled_published.campagne_id).update(**reopened())
    (entry,) = siam_services(teacher_a, timezone.now())
    assert entry.etat == EtatService.FERME
    assert entry.phrase == "résultats publiés"  # not the later date the edited calendar shows


def test_the_real_accuses_lock_the_saisie(demande_a: Demande, ref: Any, rectorat: Agent, at: Any) -> None:
    from siam.services.confirmation import post_accuses

    Voeu.objects.create(demande=demande_a, rang=1, type="COM", commune=ref["clermont"])
    at(paris(2027, 4, 5, 10))
    assert post_accuses(campagne=Campagne.objects.get(pk=demande_a.campagne_id)) == (1, 0)
    campagne = Campagne.objects.get(pk=demande_a.campagne_id)
    assert campagne.jalons == {Jalon.ACCUSES}
    with pytest.raises(CalendrierVerrouille):
        update_calendar(campagne=campagne, by=rectorat, dates={"saisie_fin": paris(2027, 4, 9, 12)}, motif="retard")


def test_the_campagne_admin_page_shows_its_calendar_changes_from_the_journal(intra: Campagne, rectorat: Agent) -> None:
    update_calendar(campagne=intra, by=rectorat, dates={"saisie_fin": paris(2027, 4, 3, 7)}, motif="panne du serveur")
    page = text(client_for(rectorat).get(f"/admin/siam/campagne/{intra.pk}/change/"))
    assert "panne du serveur" in page and "Aucun changement." not in page
    assert ChangementCalendrier.objects.for_object(intra).get().get_champ_display() in page


def test_a_published_campagne_refuses_any_barème_change_whatever_its_dates(
    filled_published: Demande, rectorat: Agent, at: Any
) -> None:
    """The dates say « before the barèmes définitifs » (edited back in the database); the published run says no."""
    from siam.errors import PhaseFermee
    from siam.services.bareme import recompute_baremes, set_rules, stored_rows

    campagne = filled_published.campagne
    at(PUBLIE)
    Campagne.objects.filter(pk=campagne.pk).update(**reopened())
    campagne = Campagne.objects.get(pk=campagne.pk)
    assert timezone.now() < campagne.baremes_definitifs  # the date alone would let it through
    with pytest.raises(PhaseFermee, match="arrêtés définitivement"):
        set_rules(campagne=campagne, rows=stored_rows(campagne), auteur=rectorat, motif="erreur")
    with pytest.raises(PhaseFermee):
        recompute_baremes(campagne=campagne)
