"""The teacher's barème page, the provisional barème on the vœux page and in the confirmation PDF."""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Agent
from siam.bareme.engine import CompiledRules
from siam.models import Demande, StatutMotif, Voeu
from siam.models.bareme import BaremeCorrection, RegleBareme
from siam.selectors import get_demande_for_user
from siam.services.bareme import recompute_baremes
from siam.services.bareme.store import corrections_by_demande, corrections_of
from siam.services.bareme.verification import override_line
from tests.siam.bareme_cast import (
    AFFICHAGE,
    academies,  # noqa: F401
    dossier_rc,  # noqa: F401
    family,
    inter_demande,
)
from tests.siam.conftest import CONFIRMATION, PENDANT, client_for, text

pytestmark = pytest.mark.django_db

NBSP = " "  # text() shows non-breaking spaces as spaces


def plain(page: str) -> str:
    """The words of the page, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def url(demande: Demande) -> str:
    return f"/siam/demandes/{demande.pk}/bareme/"


@pytest.fixture
def affiche(dossier_rc: Demande, rectorat: Agent, at: Any) -> Demande:
    """Display phase: barèmes computed, one line corrected by staff."""
    at(AFFICHAGE)
    recompute_baremes(campagne=dossier_rc.campagne)
    override_line(
        demande=dossier_rc,
        staff=rectorat,
        code="poste",
        points="340",
        justification="Affectation au 1er septembre 2015, non 2016 : arrêté du 3 juillet 2015",
    )
    return dossier_rc


def test_the_teacher_reads_each_voeu_its_lines_and_the_history(affiche: Demande, teacher_a: Agent) -> None:
    response = client_for(teacher_a).get(url(affiche))
    assert response.status_code == 200
    page = text(response)
    assert f"1{NBSP}064,2 points" in page  # 1 044,2 + 20 corrected on the poste line
    assert (
        "Rapprochement de conjoints 150,2 Académie de résidence professionnelle du conjoint (Lyon), en vœu 1"
        in plain(page)
    )
    assert "corrigée par le rectorat" in page
    assert "Modifié par le rectorat le" in page
    assert "Affectation au 1er septembre 2015, non 2016 : arrêté du 3 juillet 2015" in page
    assert f"Vœu n° 1 : 1{NBSP}044,2 → 1{NBSP}064,2 points" in page
    assert "provisoire" not in page.lower().split("votre barème, vœu par vœu")[1]


def test_before_the_display_date_the_barème_is_provisional_and_labelled_so(
    dossier_rc: Demande, teacher_a: Agent, at: Any
) -> None:
    at(CONFIRMATION)
    page = text(client_for(teacher_a).get(url(dossier_rc)))
    assert "Barème provisoire" in page
    assert f"1{NBSP}044,2 points" in page


def test_refused_and_pending_claims_are_listed_with_their_reason(
    intra: Any, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any], inter: Any
) -> None:
    family(teacher_a, ref)
    demande = inter_demande(teacher_a, inter, academies, rc=StatutMotif.REFUSE)
    page = text(client_for(teacher_a).get(url(demande)))
    assert "Rapprochement de conjoints : refusée — attestation de l'employeur du conjoint absente" in plain(page)


def test_the_voeux_page_shows_the_provisional_barème_of_each_voeu(
    dossier_rc: Demande, teacher_a: Agent, at: Any
) -> None:
    at(PENDANT)
    page = text(client_for(teacher_a).get(f"/siam/demandes/{dossier_rc.pk}/voeux/"))
    assert page.count("Barème provisoire :") == 3
    assert f"Barème provisoire : 1{NBSP}044,2 points" in plain(page)


def test_the_confirmation_pdf_carries_the_provisional_barème(dossier_rc: Demande, teacher_a: Agent, at: Any) -> None:
    at(CONFIRMATION)
    response = client_for(teacher_a).get(f"/siam/demandes/{dossier_rc.pk}/confirmation.pdf")
    content = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Barème provisoire" in content
    # at the inter there is no « type d'établissement » column (issue 15): the barème follows the code
    assert "Lyon LYON 1 044,2 points" in content and "Paris PARIS 369 points" in content
    assert "tout type" not in content


def test_anonymous_is_sent_to_login(dossier_rc: Demande, client: Any) -> None:
    response = client.get(url(dossier_rc))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_another_teacher_gets_404(dossier_rc: Demande, teacher_b: Agent) -> None:
    assert client_for(teacher_b).get(url(dossier_rc)).status_code == 404


def test_posting_to_the_barème_page_is_405(dossier_rc: Demande, teacher_a: Agent) -> None:
    assert client_for(teacher_a).post(url(dossier_rc)).status_code == 405


@pytest.mark.parametrize("voeux", [1, 25])
def test_the_barème_page_costs_the_same_queries_for_1_or_25_voeux(
    voeux: int, intra: Any, teacher_a: Agent, ref: dict[str, Any], at: Any, django_assert_max_num_queries: Any
) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=intra)
    targets: list[tuple[str, dict[str, Any], str]] = [
        ("ETB", {"etablissement": ref[key]}, "TOUT") for key in ("college", "etablissement", "lycee_lyon")
    ] + [("ZRE", {"zone_remplacement": ref["zr"]}, "TOUT")]
    for filtre in ("TOUT", "CLG", "LYC", "LP", "SEP"):
        targets += [("COM", {"commune": ref[key]}, filtre) for key in ("clermont", "riom", "lyon")]
        targets += [("GEO", {"groupement": ref["geo"]}, filtre), ("DPT", {"departement": ref["departement"]}, filtre)]
    for rang, (kind, target, filtre) in enumerate(targets[:voeux], start=1):
        Voeu.objects.create(demande=demande, rang=rang, type=kind, filtre=filtre, **target)
    at(AFFICHAGE)
    recompute_baremes(campagne=intra)
    client = client_for(teacher_a)
    # session, agent, demande (with the campagne's jalons), voeux with targets (+2 prefetches with GEO / ZR voeux),
    # stored barèmes and their lines, extension, motifs, history, contestations, courrier, banner: 18 whatever the
    # number of voeux
    with django_assert_max_num_queries(18):
        assert client.get(url(demande)).status_code == 200


def test_a_change_of_the_rules_shows_on_the_next_voeux_page_though_the_rules_are_cached(
    dossier_rc: Demande, teacher_a: Agent, at: Any
) -> None:
    """The compiled rules are kept per process, keyed on the rows the page reads: a row changed by another
    node (here in place, behind this process's back) is a new key at the next request."""
    at(PENDANT)
    page = f"/siam/demandes/{dossier_rc.pk}/voeux/"
    client = client_for(teacher_a)
    assert f"Barème provisoire : 1{NBSP}044,2 points" in plain(text(client.get(page)))
    rc = RegleBareme.objects.get(campagne=dossier_rc.campagne, code="rc")
    RegleBareme.objects.filter(pk=rc.pk).update(params={**rc.params, "points": "200.2"})
    assert f"Barème provisoire : 1{NBSP}094,2 points" in plain(text(client.get(page)))


def test_the_voeux_page_provisional_barème_counts_the_staff_corrections_in_the_order_they_were_made(
    dossier_rc: Demande, teacher_a: Agent, rectorat: Agent, at: Any
) -> None:
    at(PENDANT)
    # made in this order: the children's number first (its row written last), then the échelon
    echelon = BaremeCorrection.objects.create(
        demande=dossier_rc, fait="echelon", valeur=8, valeur_avant=7, justification="Arrêté du 3 mars.", auteur=rectorat
    )
    enfants = BaremeCorrection.objects.create(
        demande=dossier_rc,
        fait="enfants",
        valeur=3,
        valeur_avant=2,
        justification="Naissance en juin.",
        auteur=rectorat,
    )
    BaremeCorrection.objects.filter(pk=enfants.pk).update(date=echelon.date - datetime.timedelta(days=1))
    own = corrections_of(dossier_rc)
    assert own == corrections_by_demande([dossier_rc.pk], dossier_rc.campagne)[dossier_rc.pk]
    assert [c.fait for c in own.facts] == ["enfants", "echelon"]
    page = plain(text(client_for(teacher_a).get(f"/siam/demandes/{dossier_rc.pk}/voeux/")))
    assert f"Barème provisoire : 1{NBSP}151,2 points" in page  # 1 044,2 + 100 (a third child) + 7 (an échelon)


def test_the_voeux_page_computes_the_lists_baremes_once_for_its_warnings_and_its_provisional_bareme(
    dossier_rc: Demande, teacher_a: Agent, at: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(PENDANT)
    rules_used: list[CompiledRules] = []
    compute = CompiledRules.baremes

    def counted(self: CompiledRules, situation: Any, voeux: Any) -> Any:
        rules_used.append(self)
        return compute(self, situation, voeux)

    monkeypatch.setattr(CompiledRules, "baremes", counted)
    page = plain(text(client_for(teacher_a).get(f"/siam/demandes/{dossier_rc.pk}/voeux/")))
    assert f"Barème provisoire : 1{NBSP}044,2 points" in page
    # the campagne's rules once (the warnings' and the provisional barème's), the relaxed rules once (the warnings)
    assert len(rules_used) == 2 and rules_used[0] is not rules_used[1]


def test_the_corrections_read_with_the_demande_are_its_corrections_in_the_order_they_were_made(
    dossier_rc: Demande, teacher_a: Agent, rectorat: Agent, django_assert_num_queries: Any
) -> None:
    first = BaremeCorrection.objects.create(
        demande=dossier_rc, fait="echelon", valeur=8, valeur_avant=7, justification="Arrêté du 3 mars.", auteur=rectorat
    )
    later = BaremeCorrection.objects.create(
        demande=dossier_rc,
        fait="enfants",
        valeur=3,
        valeur_avant=2,
        justification="Naissance en juin.",
        auteur=rectorat,
    )
    BaremeCorrection.objects.filter(pk=later.pk).update(date=first.date - datetime.timedelta(days=1))  # made first
    BaremeCorrection.objects.create(
        demande=dossier_rc, code="poste", points=Decimal("340.3"), justification="Arrêté du 3 juillet.", auteur=rectorat
    )
    request = RequestFactory().get("/")
    request.user = teacher_a
    read = get_demande_for_user(request, dossier_rc.pk)
    with django_assert_num_queries(0):  # they came with the demande
        own = corrections_of(read)
    assert [(c.fait, c.valeur) for c in own.facts] == [("enfants", 3), ("echelon", 8)]
    assert own.lines == ((None, "poste", Decimal("340.3"), "Arrêté du 3 juillet."),)
    assert own == corrections_of(Demande.objects.get(pk=dossier_rc.pk))  # their own query
    assert own == corrections_by_demande([dossier_rc.pk], dossier_rc.campagne)[dossier_rc.pk]
