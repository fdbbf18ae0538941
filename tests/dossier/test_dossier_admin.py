"""Staff in the admin: the history of dossier changes, signalements, CVs, reference data, permissions."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from dossier.models import (
    Academie,
    Commune,
    CVEntry,
    Departement,
    Dossier,
    DossierChange,
    EchelonHistorique,
    Enfant,
    SignalementErreur,
)
from lib.audit import log_action
from lib.roles import DRH, RECTORAT

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(rectorat: Agent) -> Client:
    client = Client()
    client.force_login(rectorat)
    return client


def change_form_data(response: Any) -> dict[str, Any]:
    """What the browser would send back from an admin change page, unchanged."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def change_url(agent: Agent) -> str:
    return reverse("admin:dossier_dossier_change", args=[agent.pk])


def test_a_change_by_staff_is_recorded_with_who_what_before_after_and_why(
    staff_client: Client, rectorat: Agent, teacher_a: Agent
) -> None:
    data = change_form_data(staff_client.get(change_url(teacher_a)))
    data.update(echelon="8", date_echelon="2026-09-01", motif="Arrêté d'avancement du 15 septembre 2026")
    response = staff_client.post(change_url(teacher_a), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    changes = {c.objet: c for c in DossierChange.objects.filter(object_id=teacher_a.pk)}
    assert (changes["échelon"].avant, changes["échelon"].apres) == ("7", "8")
    assert (changes["date d'effet de l'échelon"].avant, changes["date d'effet de l'échelon"].apres) == (
        "01/09/2023",
        "01/09/2026",
    )
    assert {c.auteur for c in changes.values()} == {rectorat}
    assert {c.motif for c in changes.values()} == {"Arrêté d'avancement du 15 septembre 2026"}


def test_changes_to_related_rows_are_recorded_too(staff_client: Client, teacher_a: Agent) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    row = EchelonHistorique.objects.create(
        dossier=dossier, grade=dossier.grade, echelon=6, date_effet=datetime.date(2020, 9, 1)
    )
    Enfant.objects.create(dossier=dossier, prenom="Erreur", date_naissance=datetime.date(2019, 1, 1))
    data = change_form_data(staff_client.get(change_url(teacher_a)))
    # correct the history row, delete the wrong child, add the right one
    prefix_echelons = next(
        k for k, v in data.items() if k.startswith("echelons-") and k.endswith("-id") and v == str(row.pk)
    ).removesuffix("-id")
    data[f"{prefix_echelons}-echelon"] = "5"
    prefix_enfants = next(k for k in data if k.startswith("enfants-") and k.endswith("-prenom")).removesuffix("-prenom")
    data[f"{prefix_enfants}-DELETE"] = "on"
    data["enfants-TOTAL_FORMS"] = str(int(data["enfants-TOTAL_FORMS"]) + 1)
    new = f"enfants-{int(data['enfants-TOTAL_FORMS']) - 1}"
    data.update({f"{new}-prenom": "Léo", f"{new}-date_naissance": "2015-05-12", f"{new}-dossier": str(teacher_a.pk)})
    data["motif"] = "Pièces justificatives reçues le 2 novembre"
    response = staff_client.post(change_url(teacher_a), data)
    assert response.status_code == 302
    recorded = {(c.objet, c.avant, c.apres) for c in DossierChange.objects.for_object(dossier)}
    assert ("historique d'échelon — échelon", "6", "5") in recorded
    assert ("suppression — enfant", "Erreur (01/01/2019)", "") in recorded
    assert ("ajout — enfant", "", "Léo (12/05/2015)") in recorded
    assert list(Enfant.objects.filter(dossier=dossier).values_list("prenom", flat=True)) == ["Léo"]


def test_a_change_without_motif_is_refused_and_nothing_is_written(staff_client: Client, teacher_a: Agent) -> None:
    data = change_form_data(staff_client.get(change_url(teacher_a)))
    data.update(echelon="9", motif="")
    response = staff_client.post(change_url(teacher_a), data)
    assert response.status_code == 200
    assert "Indiquez le motif de la modification" in html.unescape(response.content.decode())
    assert Dossier.objects.get(agent=teacher_a).echelon == 7
    assert not DossierChange.objects.exists()


def test_the_history_is_shown_to_staff_on_the_dossier_and_in_its_own_list(
    staff_client: Client, rectorat: Agent, teacher_a: Agent
) -> None:
    log_action(
        Dossier.objects.get(pk=teacher_a.pk),
        DossierChange.ACTION,
        auteur=rectorat,
        libelle="échelon",
        avant="6",
        apres="7",
        motif="Arrêté n° 2023-118",
    )
    page = staff_client.get(change_url(teacher_a)).content.decode()
    assert "Historique des modifications" in page and "Arrêté n° 2023-118" in page
    listing = staff_client.get(reverse("admin:dossier_dossierchange_changelist")).content.decode()
    assert "Arrêté n° 2023-118" in listing


def test_drh_read_dossiers_but_cannot_change_them(drh: Agent, teacher_a: Agent) -> None:
    client = Client()
    client.force_login(drh)
    assert client.get(reverse("admin:dossier_dossier_changelist")).status_code == 200
    page = client.get(change_url(teacher_a))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url(teacher_a), {"echelon": "9", "motif": "x"}).status_code == 403
    assert client.get(reverse("admin:dossier_etablissement_add")).status_code == 403


def test_rectorat_role_has_the_dossier_permissions() -> None:
    rectorat = set(Group.objects.get(name=RECTORAT).permissions.values_list("codename", flat=True))
    assert {"add_etablissement", "change_grade", "change_echelonduree", "change_dossier", "view_cventry"} <= rectorat
    assert {"view_signalementerreur", "change_signalementerreur", "view_dossierchange"} <= rectorat
    assert "delete_dossier" not in rectorat and "change_cventry" not in rectorat
    drh = set(Group.objects.get(name=DRH).permissions.values_list("codename", flat=True))
    assert "view_dossier" in drh and "change_dossier" not in drh


def test_staff_read_cvs_but_cannot_change_them(staff_client: Client, teacher_a: Agent) -> None:
    mine = CVEntry.objects.create(agent=teacher_a, section="langue", titre="Anglais C1")
    listing = staff_client.get(reverse("admin:dossier_cventry_changelist") + f"?agent__id__exact={teacher_a.pk}")
    assert "Anglais C1" in listing.content.decode()
    page = staff_client.get(reverse("admin:dossier_cventry_change", args=[mine.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert "Lire le CV de l" in html.unescape(staff_client.get(change_url(teacher_a)).content.decode())


def test_staff_see_and_close_signalements(staff_client: Client, rectorat: Agent, teacher_a: Agent) -> None:
    signalement = SignalementErreur.objects.create(agent=teacher_a, rubrique="carriere", message="Échelon faux.")
    listing = staff_client.get(reverse("admin:dossier_signalementerreur_changelist"))
    assert "Échelon faux." in listing.content.decode()
    staff_client.post(
        reverse("admin:dossier_signalementerreur_changelist"),
        {"action": "marquer_traites", "_selected_action": [signalement.pk]},
    )
    signalement.refresh_from_db()
    assert (signalement.statut, signalement.traite_par) == ("traite", rectorat)
    assert signalement.traite_le is not None


# Whether the rectorat may create each object by hand, decided by the domain, not read from the admin:
# the référentiel and dossiers are the rectorat's; the history, the CV and the signalements are written
# by the service or by the teacher himself, never added in the admin.
RECTORAT_MAY_ADD = {
    "academie": True,
    "departement": True,
    "commune": True,
    "groupementcommunes": True,
    "zoneremplacement": True,
    "etablissement": True,
    "discipline": True,
    "corps": True,
    "grade": True,
    "echelonduree": True,
    "conditionpromotion": True,
    "dossier": True,
    "dossierchange": False,
    "cventry": False,
    "cvcontact": False,
    "signalementerreur": False,
}


@pytest.mark.parametrize(("name", "may_add"), sorted(RECTORAT_MAY_ADD.items()))
def test_every_admin_list_and_add_page_opens_for_the_rectorat(
    staff_client: Client, teacher_a: Agent, name: str, may_add: bool
) -> None:
    assert staff_client.get(reverse(f"admin:dossier_{name}_changelist") + "?q=a").status_code == 200
    add = staff_client.get(reverse(f"admin:dossier_{name}_add"))
    assert add.status_code == (200 if may_add else 403)


def test_the_conjoints_academie_cannot_contradict_the_commune_and_nothing_is_written(
    staff_client: Client, teacher_a: Agent
) -> None:
    toulouse = Academie.objects.create(code="TOULOUSE", nom="Toulouse")
    garonne = Departement.objects.create(code="031", nom="Haute-Garonne", academie=toulouse)
    commune = Commune.objects.create(code_insee="31555", nom="Toulouse", departement=garonne)
    clermont = Academie.objects.get(code="CLERMONT")
    data = change_form_data(staff_client.get(change_url(teacher_a)))
    data.update(conjoint_commune=str(commune.pk), conjoint_academie=str(clermont.pk), motif="Attestation employeur")
    response = staff_client.post(change_url(teacher_a), data)
    assert response.status_code == 200
    assert "La commune Toulouse est dans l'académie de Toulouse" in html.unescape(response.content.decode())
    assert Dossier.objects.get(agent=teacher_a).conjoint_commune is None
    assert not DossierChange.objects.filter(object_id=teacher_a.pk).exists()
    data.update(conjoint_academie=str(toulouse.pk))
    assert staff_client.post(change_url(teacher_a), data).status_code == 302
    assert Dossier.objects.get(agent=teacher_a).conjoint_commune == commune
