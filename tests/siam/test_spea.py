"""Mouvement spécifique (SPEA): applying to a profiled post, withdrawing, review by staff, decision, the market."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Agent
from dossier.models import CVEntry, Discipline
from iprof.courrier.models import Message
from siam.errors import PhaseFermee, SiamError
from siam.models import Avis, Campagne, CandidatureSpea, EtatCandidature, Poste
from siam.models.mouvement import MouvementResultat
from siam.services.mouvement import run_mouvement
from siam.services.spea import decide_candidature, record_review, submit_candidature
from tests.siam.conftest import APRES, PENDANT, client_for, text
from tests.siam.mouvement_helpers import AFTER_CLOSING, chain_scenario

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def lettre(content: bytes = PDF, name: str = "lettre.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def poste_spea(intra: Campagne, ref: dict[str, Any]) -> Poste:
    return Poste.objects.create(
        campagne=intra,
        discipline=ref["discipline"],
        etablissement=ref["college"],
        nombre=1,
        profile=True,
        profil="Section européenne anglais (DNL) : certification complémentaire attendue.",
    )


@pytest.fixture
def cv_a(teacher_a: Agent) -> CVEntry:
    return CVEntry.objects.create(
        agent=teacher_a, section="diplome", titre="Certification DNL anglais", date_debut=datetime.date(2016, 9, 1)
    )


def apply(client: Client, poste: Poste, content: bytes = PDF) -> Any:
    return client.post(f"/siam/postes-a-profil/{poste.pk}/candidater/", {"lettre": lettre(content)})


def reviewed(candidature: CandidatureSpea, classement: int = 1) -> CandidatureSpea:
    return record_review(
        candidature=candidature,
        avis_chef=Avis.FAVORABLE,
        avis_chef_motif="Projet européen solide.",
        avis_inspecteur=Avis.RESERVE,
        avis_inspecteur_motif="Certification à compléter.",
        classement=classement,
    )


def test_teacher_applies_with_a_pdf_letter_and_his_cv_frozen_at_submission(
    poste_spea: Poste, teacher_a: Agent, cv_a: CVEntry
) -> None:
    client = client_for(teacher_a)
    listing = client.get("/siam/postes-a-profil/")
    assert "Section européenne anglais" in text(listing)
    form = client.get(f"/siam/postes-a-profil/{poste_spea.pk}/candidater/")
    assert "Certification DNL anglais, depuis septembre 2016" in text(form)  # the CV preview
    assert "Un fichier PDF de 2 Mo au plus." in text(form)
    response = apply(client, poste_spea)
    candidature = CandidatureSpea.objects.get(agent=teacher_a)
    assert response.status_code == 302 and response["Location"] == f"/siam/candidatures/{candidature.pk}/"
    assert candidature.etat == EtatCandidature.DEPOSEE and candidature.campagne_id == poste_spea.campagne_id
    cv_a.titre = "Titre changé après le dépôt"
    cv_a.save()
    page = text(client.get(f"/siam/candidatures/{candidature.pk}/"))
    assert "Certification DNL anglais" in page and "Titre changé" not in page
    assert [e["titre"] for e in CandidatureSpea.objects.get(pk=candidature.pk).cv["entrees"]] == [
        "Certification DNL anglais"
    ]
    download = client.get(f"/siam/candidatures/{candidature.pk}/lettre/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("content", "limit", "message"),
    [
        (PNG, 2048, "doit être un fichier PDF"),
        (b"<html><script>alert(1)</script></html>", 2048, "doit être un fichier PDF"),
        (b"", 2048, "est vide"),
        (b"%PDF-" + b"x" * 2048, 2048, "dépasse la taille maximale autorisée (2 Ko)"),
    ],
)
def test_a_letter_that_is_not_a_small_pdf_is_refused_and_nothing_is_written(
    poste_spea: Poste, teacher_a: Agent, cv_a: CVEntry, settings: Any, content: bytes, limit: int, message: str
) -> None:
    settings.SIAM_SPEA_LETTRE_MAX_BYTES = limit
    response = apply(client_for(teacher_a), poste_spea, content)
    assert response.status_code == 400
    assert message in text(response)
    assert not CandidatureSpea.objects.exists()


def test_an_empty_cv_is_refused(poste_spea: Poste, teacher_a: Agent) -> None:
    response = apply(client_for(teacher_a), poste_spea)
    assert response.status_code == 400
    assert "Votre CV est vide" in text(response)
    assert not CandidatureSpea.objects.exists()


def test_applying_after_the_saisie_is_refused(poste_spea: Poste, teacher_a: Agent, cv_a: CVEntry, at: Any) -> None:
    at(APRES)
    response = apply(client_for(teacher_a), poste_spea)
    assert response.status_code == 403
    assert "pendant la saisie des vœux" in text(response)
    assert not CandidatureSpea.objects.exists()


def test_a_second_application_on_the_same_post_is_refused(poste_spea: Poste, teacher_a: Agent, cv_a: CVEntry) -> None:
    client = client_for(teacher_a)
    apply(client, poste_spea)
    response = apply(client, poste_spea)
    assert response.status_code == 400 and "déjà déposé une candidature" in text(response)
    assert CandidatureSpea.objects.count() == 1


def test_a_post_of_another_discipline_or_not_profiled_is_404(
    poste_spea: Poste, teacher_a: Agent, cv_a: CVEntry, ref: dict[str, Any]
) -> None:
    lettres = Discipline.objects.create(code="L0202", libelle="Lettres modernes")
    other = Poste.objects.create(
        campagne=poste_spea.campagne,
        discipline=lettres,
        etablissement=ref["college"],
        nombre=1,
        profile=True,
        profil="x",
    )
    plain = Poste.objects.create(
        campagne=poste_spea.campagne, discipline=ref["discipline"], etablissement=ref["college"], nombre=1
    )
    client = client_for(teacher_a)
    listing = text(client.get("/siam/postes-a-profil/"))
    assert "Lettres modernes" not in listing and listing.count("Candidater") == 1
    for poste in (other, plain):
        assert client.get(f"/siam/postes-a-profil/{poste.pk}/candidater/").status_code == 404
        assert apply(client, poste).status_code == 404
    assert not CandidatureSpea.objects.exists()


def test_another_teacher_gets_404_on_the_application_its_letter_and_its_withdrawal(
    poste_spea: Poste, teacher_a: Agent, teacher_b: Agent, cv_a: CVEntry
) -> None:
    candidature = submit_candidature(agent=teacher_a, poste=poste_spea, lettre=lettre())
    client = client_for(teacher_b)
    assert client.get(f"/siam/candidatures/{candidature.pk}/").status_code == 404
    assert client.get(f"/siam/candidatures/{candidature.pk}/lettre/").status_code == 404
    assert client.post(f"/siam/candidatures/{candidature.pk}/retirer/").status_code == 404
    assert "Certification DNL" not in text(client.get("/siam/postes-a-profil/"))
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE


def test_the_teacher_withdraws_before_the_deadline_but_not_after(
    poste_spea: Poste, teacher_a: Agent, cv_a: CVEntry, at: Any
) -> None:
    first = submit_candidature(agent=teacher_a, poste=poste_spea, lettre=lettre())
    client = client_for(teacher_a)
    assert client.get(f"/siam/candidatures/{first.pk}/retirer/").status_code == 405
    response = client.post(f"/siam/candidatures/{first.pk}/retirer/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.etat == EtatCandidature.RETIREE and first.retiree_le is not None
    second = submit_candidature(agent=teacher_a, poste=poste_spea, lettre=lettre())  # a new one is allowed
    at(APRES)
    client = client_for(teacher_a)
    response = client.post(f"/siam/candidatures/{second.pk}/retirer/", follow=True)
    assert "pendant la saisie des vœux" in text(response)
    second.refresh_from_db()
    assert second.etat == EtatCandidature.DEPOSEE


def test_the_candidate_reads_his_avis_only_once_decided(
    poste_spea: Poste, teacher_a: Agent, rectorat: Agent, cv_a: CVEntry, at: Any
) -> None:
    candidature = reviewed(submit_candidature(agent=teacher_a, poste=poste_spea, lettre=lettre()))
    page = text(client_for(teacher_a).get(f"/siam/candidatures/{candidature.pk}/"))
    assert "Projet européen solide" not in page and "réservé" not in page
    at(APRES)
    decide_candidature(candidature=candidature, staff=rectorat, retenue=False)
    page = text(client_for(teacher_a).get(f"/siam/candidatures/{candidature.pk}/"))
    assert "Projet européen solide" in page and "Certification à compléter" in page
    assert "non retenue" in page


def test_deciding_needs_both_avis_a_ranking_and_a_closed_saisie(
    poste_spea: Poste, teacher_a: Agent, rectorat: Agent, cv_a: CVEntry, at: Any
) -> None:
    candidature = submit_candidature(agent=teacher_a, poste=poste_spea, lettre=lettre())
    with pytest.raises(PhaseFermee, match="après la fermeture de la saisie"):
        decide_candidature(candidature=candidature, staff=rectorat, retenue=True)
    at(APRES)
    with pytest.raises(SiamError, match="avis du chef d'établissement et celui de l'inspecteur"):
        decide_candidature(candidature=candidature, staff=rectorat, retenue=True)
    record_review(
        candidature=candidature,
        avis_chef=Avis.FAVORABLE,
        avis_chef_motif="",
        avis_inspecteur=Avis.FAVORABLE,
        avis_inspecteur_motif="",
        classement=None,
    )
    with pytest.raises(SiamError, match="Classez la candidature"):
        decide_candidature(candidature=candidature, staff=rectorat, retenue=True)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE and not Message.objects.exists()


def test_a_post_is_given_to_no_more_candidates_than_it_offers(
    poste_spea: Poste, teacher_a: Agent, teacher_b: Agent, rectorat: Agent, cv_a: CVEntry, at: Any
) -> None:
    CVEntry.objects.create(agent=teacher_b, section="diplome", titre="Agrégation")
    a = reviewed(submit_candidature(agent=teacher_a, poste=poste_spea, lettre=lettre()), 1)
    b = reviewed(submit_candidature(agent=teacher_b, poste=poste_spea, lettre=lettre()), 2)
    at(APRES)
    decide_candidature(candidature=a, staff=rectorat, retenue=True)
    with pytest.raises(SiamError, match="déjà attribués"):
        decide_candidature(candidature=b, staff=rectorat, retenue=True)
    with pytest.raises(SiamError, match="pas en cours d'examen"):
        decide_candidature(candidature=a, staff=rectorat, retenue=False)
    assert list(CandidatureSpea.objects.order_by("classement").values_list("etat", flat=True)) == [
        EtatCandidature.RETENUE,
        EtatCandidature.DEPOSEE,
    ]


def test_a_retained_teacher_leaves_the_general_intra_and_is_told_once_in_his_courrier(
    intra: Campagne, ref: dict[str, Any], rectorat: Agent, at: Any
) -> None:
    scenario = chain_scenario(intra, ref)
    alice = scenario.agents["A"]
    CVEntry.objects.create(agent=alice, section="activite", titre="Professeure en section européenne")
    poste = Poste.objects.create(
        campagne=intra, discipline=ref["discipline"], etablissement=scenario.etabs["E3"], nombre=1, profile=True,
        profil="Section européenne.",
    )  # fmt: skip
    at(PENDANT)
    candidature = reviewed(submit_candidature(agent=alice, poste=poste, lettre=lettre()))
    at(AFTER_CLOSING)
    decided = decide_candidature(candidature=candidature, staff=rectorat, retenue=True)
    message = Message.objects.get(recipient=alice)
    assert (
        "est retenue" in message.corps and "Vos autres vœux du mouvement intra ne sont plus examinés" in message.corps
    )
    assert message.envoi.key == decided.courrier_key == f"siam:spea:{candidature.pk}:decision"  # type: ignore[union-attr]
    # the post Alice held (Lycée Blaise-Pascal) joins the intra as a known vacancy
    freed = Poste.objects.get(campagne=intra, etablissement=ref["etablissement"], profile=False)
    assert (freed.nombre, freed.discipline_id) == (1, ref["discipline"].pk)
    run = run_mouvement(campagne=intra, by=None)
    results = MouvementResultat.objects.filter(run=run)
    assert not results.filter(demande=scenario.demandes["A"]).exists()
    assert results.count() == 5
    # without Alice, Dumas obtains his vœu 1 (Albert-Camus, freed by Blanc) and Garnier is extended to the
    # post Alice left, in the Puy-de-Dôme, instead of Moulins
    obtained = {
        r.demande.agent.nom: (r.poste.etablissement.nom, r.extended)  # type: ignore[union-attr]
        for r in results.filter(poste__isnull=False, kept=False).select_related(
            "demande__agent", "poste__etablissement"
        )
    }  # type: ignore[union-attr]
    assert obtained == {
        "Blanc": ("Lycée Jeanne-d'Arc", False),
        "Caron": ("Lycée Virlogeux", False),
        "Dumas": ("Collège Albert-Camus", False),
        "Garnier": ("Lycée Blaise-Pascal", True),
    }
    # the profiled post is not in the general intra: nobody obtains it there
    assert not results.filter(poste=poste).exists()
    run.refresh_from_db()
    assert run.verdict_ok is True


def test_decisions_are_refused_once_the_intra_result_is_published(
    intra: Campagne, ref: dict[str, Any], rectorat: Agent, drh: Agent, at: Any
) -> None:
    from siam.services.mouvement.publication import publish_run

    scenario = chain_scenario(intra, ref)
    alice = scenario.agents["A"]
    CVEntry.objects.create(agent=alice, section="activite", titre="Professeure")
    poste = Poste.objects.create(
        campagne=intra, discipline=ref["discipline"], etablissement=scenario.etabs["E3"], nombre=1, profile=True,
        profil="Section européenne.",
    )  # fmt: skip
    at(PENDANT)
    candidature = reviewed(submit_candidature(agent=alice, poste=poste, lettre=lettre()))
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=intra, by=None)
    at(datetime.datetime(2027, 6, 21, 10, tzinfo=datetime.UTC))
    publish_run(run=run, by=drh)
    with pytest.raises(PhaseFermee, match="résultats du mouvement intra sont publiés"):
        decide_candidature(candidature=candidature, staff=rectorat, retenue=True)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE


def test_the_list_page_reads_a_fixed_number_of_queries(
    poste_spea: Poste, teacher_a: Agent, cv_a: CVEntry, ref: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        CVEntry.objects.create(agent=teacher_a, section="jury", titre=f"Jury {n}")
    second = Poste.objects.create(
        campagne=poste_spea.campagne, discipline=poste_spea.discipline, etablissement=ref["etablissement"], nombre=1,
        profile=True, profil="CPGE.",
    )  # fmt: skip
    for poste in (poste_spea, second):
        submit_candidature(agent=teacher_a, poste=poste, lettre=lettre())
    client = client_for(teacher_a)
    with django_assert_max_num_queries(9):  # session, user, candidatures, posts, unread courrier, banner, session save
        response = client.get("/siam/postes-a-profil/")
    assert response.status_code == 200 and "déposée" in text(response)


def test_the_rectorat_enters_the_avis_and_decides_in_the_admin(
    poste_spea: Poste, teacher_a: Agent, rectorat: Agent, drh: Agent, cv_a: CVEntry, at: Any
) -> None:
    candidature = submit_candidature(agent=teacher_a, poste=poste_spea, lettre=lettre())
    at(APRES)
    staff = client_for(rectorat, staff=True)
    change = f"/admin/siam/candidaturespea/{candidature.pk}/change/"
    form = staff.get(change)
    assert form.status_code == 200 and "Certification DNL anglais" in text(form)  # the frozen CV
    avis = {"avis_chef": "favorable", "avis_chef_motif": "Très bon projet.", "avis_inspecteur": "favorable"}
    response = staff.post(change, {**avis, "avis_inspecteur_motif": "", "classement": "1"})
    assert response.status_code == 302
    staff.post("/admin/siam/candidaturespea/", {"action": "retenir", "_selected_action": [candidature.pk]})
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RETENUE and candidature.decidee_par == rectorat
    assert Message.objects.filter(recipient=teacher_a, envoi__key=candidature.courrier_key).count() == 1
    page = text(client_for(teacher_a).get(f"/siam/candidatures/{candidature.pk}/"))
    assert "Vos autres vœux du mouvement intra ne sont plus examinés" in page and "Très bon projet." in page
    # decided: the avis no longer change, and the DRH only reads
    staff.post(change, {**avis, "avis_chef": "defavorable", "classement": "1"})
    candidature.refresh_from_db()
    assert candidature.avis_chef == "favorable"
    reader = client_for(drh, staff=True)
    assert reader.get(change).status_code == 200
    reader.post("/admin/siam/candidaturespea/", {"action": "ne_pas_retenir", "_selected_action": [candidature.pk]})
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RETENUE


def test_siam_home_links_the_profiled_posts_during_the_intra_saisie(intra: Campagne, teacher_a: Agent, at: Any) -> None:
    assert 'href="/siam/postes-a-profil/"' in client_for(teacher_a).get("/siam/").content.decode()
    at(APRES)
    assert 'href="/siam/postes-a-profil/"' not in client_for(teacher_a).get("/siam/").content.decode()
