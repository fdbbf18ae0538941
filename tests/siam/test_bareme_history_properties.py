"""Random sequences of staff decisions and corrections (hypothesis), on PostgreSQL through the services.

Each change that is accepted appears exactly once in the history, with who, when and why; a refused one
changes nothing. Paris (voeu 3, not the conjoint's académie nor next to it) never carries the RC, its
children or its years of separation, whatever staff do.
"""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Agent
from siam.errors import SiamError
from siam.models import Demande, MotifDeclare, StatutMotif
from siam.models.bareme import BaremeChange, BaremeCorrection, BaremeLigne, BaremeVoeu
from siam.services.bareme import recompute_baremes
from siam.services.bareme.contestation import CorrectionDemandee, answer_contestation, open_contestation
from siam.services.bareme.verification import correct_fact, decide_claim, override_line, remove_override
from tests.properties import examples
from tests.siam.bareme_cast import AFFICHAGE, academies, dossier_rc  # noqa: F401

pytestmark = pytest.mark.django_db

facts = st.tuples(
    st.just("fact"), st.sampled_from(["annees_separation", "enfants", "echelon", "anciennete_poste"]), st.integers(0, 6)
)
lines = st.tuples(
    st.just("line"),
    st.sampled_from(["poste", "echelon", "rc", "enfants", "separation"]),
    st.decimals(min_value=0, max_value=900, places=1, allow_nan=False, allow_infinity=False),
    st.none() | st.integers(1, 3),
)
claims = st.tuples(st.just("claim"), st.sampled_from([StatutMotif.VALIDE, StatutMotif.REFUSE, StatutMotif.DECLARE]))
removals = st.tuples(st.just("remove"))
# A request accepted with a correction of a line on every voeu (the reproduction, when "separation").
contests = st.tuples(st.just("contest"), st.sampled_from(["separation", "rc", "poste"]), st.sampled_from(["475", "0"]))
operations = st.lists(st.one_of(facts, lines, claims, removals, contests), min_size=1, max_size=3)


def apply(op: tuple[Any, ...], demande: Demande, staff: Agent, why: str) -> None:
    if op[0] == "fact":
        correct_fact(demande=demande, staff=staff, fait=op[1], valeur=op[2], justification=why)
    elif op[0] == "line":
        voeu = demande.voeux.get(rang=op[3]) if op[3] else None
        override_line(demande=demande, staff=staff, code=op[1], points=op[2], voeu=voeu, justification=why)
    elif op[0] == "claim":
        motif = MotifDeclare.objects.get(demande=demande)
        decide_claim(motif=motif, staff=staff, statut=op[1], motif_refus=why if op[1] == StatutMotif.REFUSE else "")
    elif op[0] == "contest":
        with transaction.atomic():  # a refused correction leaves no request open
            contestation = open_contestation(demande=demande, motif="Erreur sur mon barème.")
            correction = CorrectionDemandee(op[1], op[2])
            answer_contestation(
                contestation=contestation, staff=staff, accepte=True, reponse=why, correction=correction
            )
    else:
        last = BaremeCorrection.objects.filter(demande=demande).order_by("-pk").first()
        if last is None:
            raise SiamError("rien à retirer")
        remove_override(correction=last, staff=staff, justification=why)


@pytest.fixture
def affiche(dossier_rc: Demande, at: Any) -> Demande:
    at(AFFICHAGE)
    recompute_baremes(campagne=dossier_rc.campagne)
    return dossier_rc


@settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_every_change_is_in_the_history_once_with_who_when_and_why(
    affiche: Demande, rectorat: Agent, ops: list[tuple[Any, ...]]
) -> None:
    with transaction.atomic():
        for n, op in enumerate(ops):
            why = f"décision n° {n}"
            before = BaremeChange.objects.for_object(affiche).count()
            corrections = list(BaremeCorrection.objects.filter(demande=affiche).values_list("pk", "valeur", "points"))
            started = timezone.now()
            decision = MotifDeclare.objects.filter(demande=affiche).values_list("statut", "motif_refus").get()
            try:
                apply(op, affiche, rectorat, why)
            except SiamError:
                assert BaremeChange.objects.for_object(affiche).count() == before
                assert list(BaremeCorrection.objects.filter(demande=affiche).values_list("pk", "valeur", "points")) == (
                    corrections
                )
                continue
            unchanged = (
                decision == MotifDeclare.objects.filter(demande=affiche).values_list("statut", "motif_refus").get()
            )
            if op[0] == "claim" and unchanged:
                # Deciding what was already decided changes nothing, so records nothing.
                assert BaremeChange.objects.for_object(affiche).count() == before
                continue
            assert BaremeChange.objects.for_object(affiche).count() == before + 1
            change = BaremeChange.objects.for_object(affiche).order_by("-pk").first()
            assert change is not None and change.auteur == rectorat and change.date >= started
            reason = "pièces justificatives examinées" if op[0] == "claim" and op[1] != StatutMotif.REFUSE else why
            assert change.motif == reason
        paris = BaremeVoeu.objects.get(voeu__demande=affiche, voeu__rang=3)
        on_paris = BaremeLigne.objects.filter(pk__in=paris.lignes, code__in=["rc", "enfants", "separation"])
        assert all(line.points == Decimal(0) for line in on_paris)
        transaction.set_rollback(True)
