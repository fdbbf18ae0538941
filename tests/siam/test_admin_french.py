"""The staff French: constraints speak in sentences, counts agree, the bulk delete agrees with its noun."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import BaseConstraint
from django.utils import timezone

from accounts.models import Agent
from siam.models import Campagne, Demande
from siam.models.mouvement import MouvementRun, StatutRun
from tests.factories import make_teacher
from tests.siam.conftest import client_for, text
from tests.siam.test_calendar_locks import form_data

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "dossier", "siam", "courrier", "guides", "audit")


def test_every_constraint_of_the_project_has_a_french_sentence() -> None:
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for constraint in model._meta.constraints:
            message = str(constraint.violation_error_message)
            if message == str(BaseConstraint.default_violation_error_message) or constraint.name in message:
                missing.append(f"{model._meta.label}.{constraint.name}")
    assert missing == []


def test_an_invalid_campagne_is_refused_with_one_sentence_and_no_constraint_name(
    intra: Campagne, rectorat: Agent
) -> None:
    data = {**form_data(intra), "slug": "intra-2028", "year": 2028}
    data["saisie_fin_0"], data["saisie_fin_1"] = "01/03/2027", "12:00"  # before the opening (10/03)
    response = client_for(rectorat, staff=True).post("/admin/siam/campagne/add/", data)
    assert response.status_code == 200
    page = text(response)
    sentence = "La date « fermeture de la saisie des vœux » doit être postérieure à la date « ouverture"
    assert page.count(sentence) == 1, page
    assert "campagne_saisie_debut_before_saisie_fin" not in page and "contrainte" not in page.lower()
    assert Campagne.objects.count() == 1


def test_a_duplicate_campagne_is_refused_with_a_sentence(intra: Campagne, rectorat: Agent) -> None:
    data = {**form_data(intra), "slug": "intra-2027-bis"}  # same kind, year and académie
    response = client_for(rectorat, staff=True).post("/admin/siam/campagne/add/", data)
    page = text(response)
    assert page.count("Une campagne de ce type existe déjà pour cette année et cette académie.") == 1
    assert "campagne_kind_year_academie_unique" not in page and Campagne.objects.count() == 1


# The bulk delete label of every changelist that offers it, written out by hand (the gender is the noun's).
DELETE_LABELS = {
    "account.emailaddress": "Supprimer les adresses e-mail sélectionnées",
    "accounts.agent": "Supprimer les agents sélectionnés",
    "auth.group": "Supprimer les groupes sélectionnés",
    "courrier.correspondantgestion": "Supprimer les correspondants de gestion sélectionnés",
    "dossier.academie": "Supprimer les académies sélectionnées",
    "dossier.commune": "Supprimer les communes sélectionnées",
    "dossier.conditionpromotion": "Supprimer les conditions de promotion sélectionnées",
    "dossier.corps": "Supprimer les corps sélectionnés",
    "dossier.departement": "Supprimer les départements sélectionnés",
    "dossier.discipline": "Supprimer les disciplines sélectionnées",
    "dossier.dossier": "Supprimer les dossiers administratifs sélectionnés",
    "dossier.echelonduree": "Supprimer les durées d'échelon sélectionnées",
    "dossier.etablissement": "Supprimer les établissements sélectionnés",
    "dossier.grade": "Supprimer les grades sélectionnés",
    "dossier.groupementcommunes": "Supprimer les groupements de communes sélectionnés",
    "dossier.signalementerreur": "Supprimer les signalements d'erreur sélectionnés",
    "dossier.zoneremplacement": "Supprimer les zones de remplacement sélectionnées",
    "dsfr.dsfrconfig": "Supprimer les Configurations sélectionnées",
    "guides.guide": "Supprimer les guides sélectionnés",
    "mfa.authenticator": "Supprimer les authenticators sélectionnés",
    "siam.campagne": "Supprimer les campagnes sélectionnées",
    "siam.capaciteaccueil": "Supprimer les capacités d'accueil (inter) sélectionnées",
    "siam.demande": "Supprimer les demandes de mutation sélectionnées",
    "siam.motifdeclare": "Supprimer les motifs déclarés sélectionnés",
    "siam.piecejustificative": "Supprimer les pièces justificatives sélectionnées",
    "siam.poste": "Supprimer les postes vacants et susceptibles d'être vacants sélectionnés",
    "siam.tableextension": "Supprimer les lignes de la table d'extension sélectionnées",
}


def test_each_changelist_names_its_bulk_delete_with_the_right_agreement(ref: Any) -> None:
    superuser = Agent.objects.create_superuser(identifiant="root", password="x", email="root@ac-clermont.fr")
    client = client_for(superuser, staff=True)
    found = {}
    for model in admin.site._registry:
        opts = model._meta
        page = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        assert page.status_code == 200, opts.label
        form = page.context.get("action_form")  # the menu, rendered as soon as the list has a row
        choices = dict(form.fields["action"].choices) if form is not None else {}
        if "delete_selected" in choices:
            found[opts.label_lower] = str(choices["delete_selected"])
    assert found == DELETE_LABELS


def test_the_run_page_agrees_its_counts(intra: Campagne, rectorat: Agent) -> None:
    stats = {"participants": 2, "obligatoires": 1, "titulaires": 0, "obligatoires_sans_poste": 1, "sans_poste": 1}
    run = MouvementRun.objects.create(campagne=intra, statut=StatutRun.DONE, finished_at=timezone.now(), stats=stats)
    page = text(client_for(rectorat, staff=True).get(f"/admin/siam/mouvementrun/{run.pk}/change/"))
    assert "(1 obligatoire, 0 titulaire)" in page and "(dont 1 obligatoire)" in page


def test_the_verification_list_counts_in_the_plural(intra: Campagne, rectorat: Agent) -> None:
    for i in range(2):
        Demande.objects.create(agent=make_teacher("Agent", f"Pluriel{i}"), campagne=intra)
    page = text(client_for(rectorat, staff=True).get("/admin/siam/verificationbareme/"))
    assert "2 vérifications des barèmes" in page
