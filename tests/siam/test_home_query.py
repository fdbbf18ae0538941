"""The SIAM home's one query for the dossier and the campagnes: the same objects as the two reads it replaces."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Agent
from siam.models import Campagne, Demande, EtatDemande, MouvementRun, StatutRun, Voeu
from siam.models.campagne import CALENDAR_FIELDS, JALON_ANNOTATIONS
from siam.portal import dossier_and_campagnes, dossier_for_depart
from siam.selectors import DEMANDE_COLUMNS, campagnes_of

pytestmark = pytest.mark.django_db


def _campagne(campagne: Campagne) -> dict[str, Any]:
    fields = {f.attname: getattr(campagne, f.attname) for f in Campagne._meta.concrete_fields}
    return {**fields, **{name: getattr(campagne, name) for name in JALON_ANNOTATIONS}, "jalons": campagne.jalons}


def _demande(demande: Demande | None) -> dict[str, Any] | None:
    if demande is None:
        return None
    return {**{n: getattr(demande, n) for n in DEMANDE_COLUMNS}, "nb_voeux": demande.nb_voeux}  # type: ignore[attr-defined]


def test_the_folded_query_reads_the_same_dossier_campagnes_jalons_and_demandes(
    intra: Campagne, inter: Campagne, demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    Voeu.objects.create(demande=demande_a, rang=1, type="COM", commune=ref["clermont"])
    Voeu.objects.create(demande=demande_a, rang=2, type="ETB", etablissement=ref["college"])
    sent = timezone.now() - datetime.timedelta(hours=1)
    Demande.objects.filter(pk=demande_a.pk).update(
        etat=EtatDemande.ENREGISTREE, accuse_envoye_le=sent, participation_raisons=["entré(e) dans l'académie"]
    )
    MouvementRun.objects.create(
        campagne=inter, statut=StatutRun.DONE, verdict_ok=True, finished_at=sent, published_at=sent
    )
    now = timezone.now()

    dossier, rows = dossier_and_campagnes(teacher_a, now)

    expected = dossier_for_depart(teacher_a)
    assert dossier is not None and expected is not None and dossier.pk == expected.pk
    assert dossier.grade == expected.grade and dossier.etablissement == expected.etablissement
    separate = campagnes_of(teacher_a, now)
    assert [c.slug for c, _ in rows] == [c.slug for c, _ in separate] == ["inter-2027", "intra-2027"]
    assert [_campagne(c) for c, _ in rows] == [_campagne(c) for c, _ in separate]
    assert [_demande(d) for _, d in rows] == [_demande(d) for _, d in separate]
    (_, no_demande), (intra_read, demande) = rows
    assert no_demande is None and demande is not None and demande.campagne is intra_read
    assert demande.nb_voeux == 2 and demande.accuse_envoye_le == sent  # type: ignore[attr-defined]
    assert intra_read.jalon_accuses and rows[0][0].jalon_publie  # type: ignore[attr-defined]
    assert intra_read.calendrier == Campagne.objects.get(pk=intra.pk).calendrier
    assert all(getattr(intra_read, name) == getattr(intra, name) for name in CALENDAR_FIELDS)


def test_an_agent_without_a_dossier_still_reads_the_campagnes(intra: Campagne, rectorat: Agent) -> None:
    dossier, rows = dossier_and_campagnes(rectorat, timezone.now())
    assert dossier is None and [(c.slug, d) for c, d in rows] == [("intra-2027", None)]
