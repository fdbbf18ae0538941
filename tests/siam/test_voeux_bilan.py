"""Warnings before the loss: each change says what it does to the barème, and can be undone (without JavaScript)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from dossier.models import Academie
from siam.models import Campagne, Demande, DemandeVersion, StatutMotif, Voeu
from siam.views.voeux import LAST_CHANGE
from tests.siam.bareme_cast import SANS_FAMILLE, VOEU_1, family, inter_demande
from tests.siam.conftest import APRES, add, client_for, paris, text

pytestmark = pytest.mark.django_db


def order(demande: Demande) -> list[str]:
    return [str(v.cible) for v in Voeu.objects.filter(demande=demande).with_targets().order_by("rang")]


def version(demande: Demande) -> int:
    demande.refresh_from_db(fields=["version"])
    return demande.version


def move_to(client: Client, voeu: Voeu, rang: Any, v: int | None = None) -> Any:
    return client.post(
        f"/siam/voeux/{voeu.pk}/rang/", {"rang": rang, "version": version(voeu.demande) if v is None else v}
    )


def nb(value: str) -> str:
    return value.replace("\u00a0", " ")


@pytest.fixture
def dossier_rc(inter: Campagne, teacher_a: Agent, ref: dict[str, Any]) -> Demande:
    """The barème cast's inter demande: RC validated, conjoint in Lyon, vœux Lyon, Grenoble, Paris."""
    family(teacher_a, ref)
    places = {
        "lyon": ref["lyon_academie"],
        "grenoble": Academie.objects.create(code="GRENOBLE", nom="Grenoble"),
        "paris": Academie.objects.create(code="PARIS", nom="Paris"),
        "lyon_commune": ref["lyon"],
    }
    return inter_demande(teacher_a, inter, places, rc=StatutMotif.VALIDE)


@pytest.fixture
def lyon_grenoble(dossier_rc: Demande) -> Demande:
    """The issue's reproduction: RC validated towards Lyon, Lyon vœu 1, Grenoble (limitrophe) vœu 2."""
    Voeu.objects.filter(demande=dossier_rc, rang=3).delete()
    return dossier_rc


def test_moving_the_conjoints_academie_to_2_warns_with_both_totals_and_undo_puts_it_back(
    lyon_grenoble: Demande, teacher_a: Agent
) -> None:
    client = client_for(teacher_a)
    lyon = Voeu.objects.get(demande=lyon_grenoble, rang=1)
    response = move_to(client, lyon, 2)
    assert response.status_code == 302
    assert order(lyon_grenoble) == ["Grenoble", "Lyon"]
    page = text(client.get(response["Location"]))
    # totals computed by hand from DOMAIN.md §3 (tests/siam/bareme_cast.py): 1 044,2 with RC, 369 without
    assert Decimal("1044.2") == VOEU_1 and Decimal(369) == SANS_FAMILLE
    assert (
        "En plaçant Lyon en 2e position, vous perdez la bonification de rapprochement de conjoints "
        "sur tous vos vœux : 1 044,2 → 369 points." in page
    )
    assert 'role="alert" data-testid="dernier-changement"' in page
    assert "Annuler : remettre Lyon au rang 1" in page

    response = client.post(f"/siam/voeux/{lyon.pk}/rang/", {"rang": 1, "version": version(lyon_grenoble)})
    assert response.status_code == 302
    assert order(lyon_grenoble) == ["Lyon", "Grenoble"]
    page = text(client.get(response["Location"]))
    assert (
        "En plaçant Lyon en 1re position, vous obtenez la bonification de rapprochement de conjoints "
        "sur tous vos vœux : 369 → 1 044,2 points." in page
    )
    actions = list(
        DemandeVersion.objects.filter(demande=lyon_grenoble).order_by("version").values_list("action", flat=True)
    )
    assert actions == ["Vœu n° 1 placé en n° 2", "Vœu n° 2 placé en n° 1"]


def test_moving_with_the_arrows_warns_too_and_names_only_the_voeux_that_lose(
    dossier_rc: Demande, teacher_a: Agent
) -> None:
    client = client_for(teacher_a)
    grenoble = Voeu.objects.get(demande=dossier_rc, rang=2)
    response = client.post(f"/siam/voeux/{grenoble.pk}/deplacer/", {"direction": "up", "version": version(dossier_rc)})
    page = text(client.get(response["Location"]))
    # Paris never had the RC: only the two voeux that lose it are named
    assert (
        "En plaçant Grenoble en 1re position, vous perdez la bonification de rapprochement de conjoints "
        "sur vos vœux Grenoble et Lyon : 1 044,2 → 369 points." in page
    )


def test_removing_voeu_1_warns_and_annuler_restores_it_at_its_rank(dossier_rc: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    lyon = Voeu.objects.get(demande=dossier_rc, rang=1)
    response = client.post(f"/siam/voeux/{lyon.pk}/supprimer/", {"version": version(dossier_rc)})
    assert order(dossier_rc) == ["Grenoble", "Paris"]
    page = text(client.get(response["Location"]))
    assert (
        "En supprimant Lyon (vœu n° 1), vous perdez la bonification de rapprochement de conjoints "
        "sur votre vœu Grenoble : 1 044,2 → 369 points." in page
    )
    assert "Vous avez supprimé le vœu n° 1 : Lyon." in page
    # « Annuler » is a plain POST form: type, code and rank of the voeu removed, and the list's version
    assert 'name="code" value="LYON"' in page and 'name="rang" value="1"' in page
    data = {"type": "ACA", "code": "LYON", "filtre": "TOUT", "rang": 1, "version": version(dossier_rc)}
    response = client.post(f"/siam/demandes/{dossier_rc.pk}/voeux/ajouter/", data)
    assert response.status_code == 302
    assert order(dossier_rc) == ["Lyon", "Grenoble", "Paris"]
    page = text(client.get(response["Location"]))
    assert "vous obtenez la bonification de rapprochement de conjoints sur votre vœu Grenoble : 369 → 1 044,2" in page


def test_a_change_that_loses_nothing_says_nothing_but_still_offers_annuler(
    dossier_rc: Demande, teacher_a: Agent
) -> None:
    client = client_for(teacher_a)
    paris_ = Voeu.objects.get(demande=dossier_rc, rang=3)
    response = move_to(client, paris_, 2)
    page = text(client.get(response["Location"]))
    assert order(dossier_rc) == ["Lyon", "Paris", "Grenoble"]
    assert "vous perdez" not in page and "vous obtenez" not in page
    assert "Annuler : remettre Paris au rang 3" in page


def test_annuler_from_a_stale_tab_is_a_conflict_and_changes_nothing(lyon_grenoble: Demande, teacher_a: Agent) -> None:
    tab_1, tab_2 = client_for(teacher_a), client_for(teacher_a)
    lyon = Voeu.objects.get(demande=lyon_grenoble, rang=1)
    move_to(tab_1, lyon, 2)
    stale = version(lyon_grenoble)
    grenoble = Voeu.objects.get(demande=lyon_grenoble, rang=1)
    tab_2.post(f"/siam/voeux/{grenoble.pk}/supprimer/", {"version": stale})
    response = tab_1.post(f"/siam/voeux/{lyon.pk}/rang/", {"rang": 1, "version": stale})
    assert response.status_code == 409
    assert "Votre liste a été modifiée dans un autre onglet" in text(response)
    assert order(lyon_grenoble) == ["Lyon"]
    # the list has changed since: the old « Annuler » is no longer offered
    assert "Annuler : remettre Lyon" not in text(tab_1.get(f"/siam/demandes/{lyon_grenoble.pk}/voeux/"))


@pytest.mark.parametrize(
    ("rang", "message"),
    [
        (0, "Le rang commence à 1."),
        (4, "Choisissez un rang entre 1 et 3."),
        ("", "Indiquez le rang où placer ce vœu."),
        ("deux", "Le rang est un nombre entier."),
        (1, "Ce vœu est déjà au rang 1."),
    ],
)
def test_move_to_a_rank_outside_the_list_is_refused_in_french(
    dossier_rc: Demande, teacher_a: Agent, rang: Any, message: str
) -> None:
    client = client_for(teacher_a)
    lyon = Voeu.objects.get(demande=dossier_rc, rang=1)
    before = version(dossier_rc)
    response = move_to(client, lyon, rang)
    assert response.status_code == 400
    assert message in text(response)
    assert order(dossier_rc) == ["Lyon", "Grenoble", "Paris"] and version(dossier_rc) == before


def test_move_to_rank_n_shifts_the_voeux_in_between(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    for voeu_type, code in (("ETB", "0631018P"), ("COM", "63113"), ("GEO", "GEO063CLF"), ("ZRE", "ZR063CLF")):
        add(client, demande_a, voeu_type, code)
    fourth = Voeu.objects.get(demande=demande_a, rang=4)
    assert move_to(client, fourth, 1).status_code == 302
    assert [v.type for v in Voeu.objects.filter(demande=demande_a).order_by("rang")] == ["ZRE", "ETB", "COM", "GEO"]
    assert move_to(client, fourth, 3).status_code == 302
    assert [v.type for v in Voeu.objects.filter(demande=demande_a).order_by("rang")] == ["ETB", "COM", "ZRE", "GEO"]
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/"))
    assert page.count('name="rang"') >= 4 and 'max="4"' in page


def test_move_to_is_post_only_login_required_and_scoped(
    demande_a: Demande, teacher_a: Agent, teacher_b: Agent, ref: Any
) -> None:
    voeu = Voeu.objects.create(demande=demande_a, rang=1, type="ETB", etablissement=ref["college"])
    Voeu.objects.create(demande=demande_a, rang=2, type="COM", commune=ref["riom"])
    url = f"/siam/voeux/{voeu.pk}/rang/"
    assert client_for(teacher_a).get(url).status_code == 405
    anonymous = Client().post(url, {"rang": 2, "version": 0})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/compte/login/")
    assert client_for(teacher_b).post(url, {"rang": 2, "version": 0}).status_code == 404
    assert Voeu.objects.get(pk=voeu.pk).rang == 1


def test_last_modified_date_in_french_with_1er(demande_a: Demande, teacher_a: Agent, ref: Any, at: Any) -> None:
    client = client_for(teacher_a)
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/"))
    assert "Dernière modification" not in page  # nothing saved yet
    at(paris(2027, 4, 1, 14, 5))
    client = client_for(teacher_a)
    add(client, demande_a, "COM", "63113")
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/"))
    assert "Dernière modification le 1er avril 2027 à 14 h 05." in page


def test_help_text_tells_the_truth_about_ranks_at_the_inter(dossier_rc: Demande, teacher_a: Agent) -> None:
    page = text(client_for(teacher_a).get(f"/siam/demandes/{dossier_rc.pk}/voeux/"))
    assert "ne change jamais son barème" not in page
    assert "Le rang d'un vœu peut changer le barème de tous vos vœux" in page
    assert "vous propose d'annuler" in page


def test_moving_in_a_list_of_31_voeux_holds_its_query_count(
    inter: Campagne, teacher_a: Agent, ref: Any, django_assert_max_num_queries: Any
) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    academies_ = [Academie.objects.create(code=f"A{i:02d}", nom=f"Académie {i}") for i in range(31)]
    Voeu.objects.bulk_create(
        Voeu(demande=demande, rang=i + 1, type="ACA", academie=a) for i, a in enumerate(academies_)
    )
    client = client_for(teacher_a)
    last = Voeu.objects.get(demande=demande, rang=31)
    client.get(f"/siam/demandes/{demande.pk}/voeux/")  # warm the session
    # session, agent, the voeu, the version checked and bumped (the UPDATE locks the row) returning the campagne
    # with its jalons and its barème rules, the motifs (the snapshot and the bilan) and the voeux before (targets
    # loaded) and the dossier with its children: one statement; the shift, the move, the version's row (the list
    # after is the one before reordered in memory, not read again), the session saved, savepoints: 13 whatever the
    # number of voeux (measured with 31; 23 before)
    with django_assert_max_num_queries(13):
        response = move_to(client, last, 1, v=0)
    assert response.status_code == 302
    assert Voeu.objects.get(pk=last.pk).rang == 1


def test_adding_the_31st_voeu_holds_its_query_count(
    inter: Campagne, teacher_a: Agent, ref: Any, django_assert_num_queries: Any
) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    academies_ = [Academie.objects.create(code=f"A{i:02d}", nom=f"Académie {i}") for i in range(31)]
    Voeu.objects.bulk_create(
        Voeu(demande=demande, rang=i + 1, type="ACA", academie=a) for i, a in enumerate(academies_[:30])
    )
    client = client_for(teacher_a)
    client.get(f"/siam/demandes/{demande.pk}/voeux/")  # warm the session
    # session with its agent, the version checked and bumped on the asker's demande (the UPDATE locks the row)
    # returning the demande's row, the campagne read after the lock with its jalons and its barème rules, the motifs
    # (the snapshot and the bilan) and the voeux before (targets loaded; the same voeu already listed? and the count
    # are read from them) and the dossier with its children (the validity rules and the bilan) and the académie
    # typed: one statement (the demande is not read before it); the insert (at the end: no shift) with the
    # version's row in the same statement (the snapshot is the list in memory), the service's savepoint: 5,
    # measured with 30 (the list after is the one before with the new voeu); the session is not written (the change
    # to offer undoing goes in a cookie of the session, lib.session_cookies: 3 queries fewer in this test's
    # transaction, its savepoint, the UPDATE and the release)
    data = {"type": "ACA", "code": "A30", "filtre": "TOUT", "version": 0}
    with django_assert_num_queries(5):
        response = client.post(f"/siam/demandes/{demande.pk}/voeux/ajouter/", data)
    assert response.status_code == 302
    assert Voeu.objects.filter(demande=demande).count() == 31


def test_annuler_is_no_longer_offered_once_the_saisie_is_closed(
    demande_a: Demande, teacher_a: Agent, ref: Any, at: Any
) -> None:
    client = client_for(teacher_a)
    add(client, demande_a, "COM", "63113")
    assert "Annuler l'ajout de" in text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/"))
    at(APRES)
    client = client_for(teacher_a)
    session = client.session
    voeu = Voeu.objects.get(demande=demande_a)
    undo = {"action": "remove", "voeu": voeu.pk}
    session[LAST_CHANGE] = {
        "demande": demande_a.pk,
        "version": 1,
        "libelle": "X",
        "pertes": [],
        "gains": [],
        "undo": undo,
    }
    session.save()
    assert "Annuler" not in text(client.get(f"/siam/demandes/{demande_a.pk}/voeux/"))


def test_the_page_words_are_printed_as_written_in_the_title_the_trail_and_the_help(
    demande_a: Demande, teacher_a: Agent
) -> None:
    raw = client_for(teacher_a).get(f"/siam/demandes/{demande_a.pk}/voeux/").content.decode()
    assert "<title>Vos vœux — " in raw and '<a class="fr-breadcrumb__link" aria-current="page">Vos vœux</a>' in raw
    assert "<h1>Vos vœux</h1>" in raw
    assert "Le barème d'un vœu dépend surtout de son type" in raw  # the intra's help, its apostrophe as written
    assert "examinés dans l'ordre où vous les classez" in raw and "vous propose d'annuler" in raw
    assert "&#x27;" not in raw.split('data-testid="voeux-aide"')[1].split("</div>")[0]


def test_the_bilan_of_a_change_follows_the_rules_as_staff_left_them_read_with_the_version_bump(
    lyon_grenoble: Demande, teacher_a: Agent
) -> None:
    from siam.models.bareme import RegleBareme

    switched_off = RegleBareme.objects.filter(campagne=lyon_grenoble.campagne, code="rc").update(actif=False)
    assert switched_off == 1
    client = client_for(teacher_a)
    lyon = Voeu.objects.get(demande=lyon_grenoble, rang=1)
    response = move_to(client, lyon, 2)
    assert response.status_code == 302 and order(lyon_grenoble) == ["Grenoble", "Lyon"]
    page = text(client.get(response["Location"]))
    assert "la bonification de rapprochement de conjoints" not in page  # no such bonus in this campagne: none lost
    assert "Annuler : remettre Lyon au rang 1" in page

    RegleBareme.objects.filter(campagne=lyon_grenoble.campagne, code="rc").update(actif=True)
    response = move_to(client, lyon, 1)
    page = text(client.get(response["Location"]))
    assert "vous obtenez la bonification de rapprochement de conjoints sur tous vos vœux" in page
