"""Tie-break: published criteria, then a number anyone can recompute from the recorded seed."""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Agent
from siam.errors import PhaseFermee, SiamError
from siam.models import Campagne, Demande, StatutMotif
from siam.models.bareme import TirageDepartage
from siam.services.bareme import tiebreak_ranks
from siam.services.bareme.departage import draw_seed
from tests.factories import make_teacher
from tests.siam.bareme_cast import INSTRUCTION, academies, family, inter_demande  # noqa: F401
from tests.siam.conftest import PENDANT, client_for, text

pytestmark = pytest.mark.django_db


def independent_number(seed: str, demande_id: int) -> int:
    """The published formula, written again here from the page's text."""
    digest = hashlib.sha256(f"{seed}:{demande_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@pytest.fixture
def participants(inter: Campagne, academies: dict[str, Any]) -> list[Demande]:
    return [inter_demande(make_teacher(f"P{i}", f"N{i}"), inter, academies, rc=None) for i in range(12)]


def test_ranks_need_the_draw(participants: list[Demande], inter: Campagne) -> None:
    with pytest.raises(SiamError, match="n'a pas encore eu lieu"):
        tiebreak_ranks(inter)


def test_the_draw_happens_once_after_the_saisie(
    participants: list[Demande], inter: Campagne, rectorat: Agent, at: Any
) -> None:
    at(PENDANT)
    with pytest.raises(PhaseFermee):
        draw_seed(campagne=inter, staff=rectorat)
    at(INSTRUCTION)
    tirage = draw_seed(campagne=inter, staff=rectorat)
    assert len(tirage.seed) == 32 and tirage.drawn_by == rectorat
    with pytest.raises(SiamError, match="déjà eu lieu"):
        draw_seed(campagne=inter, staff=rectorat)
    assert TirageDepartage.objects.get().seed == tirage.seed


def test_without_family_criteria_the_order_is_the_published_draw(participants: list[Demande], inter: Campagne) -> None:
    TirageDepartage.objects.create(campagne=inter, seed="graine-publiee-2027")
    ranks = tiebreak_ranks(inter)
    expected = sorted(participants, key=lambda d: independent_number("graine-publiee-2027", d.pk))
    assert [ranks[d.pk] for d in expected] == list(range(1, len(participants) + 1))
    assert tiebreak_ranks(inter) == ranks  # same seed, same ranks


def test_another_seed_gives_another_order(participants: list[Demande], inter: Campagne) -> None:
    tirage = TirageDepartage.objects.create(campagne=inter, seed="a")
    first = tiebreak_ranks(inter)
    tirage.seed = "b"
    tirage.save()
    assert tiebreak_ranks(inter) != first


def test_family_situation_comes_before_the_draw(
    participants: list[Demande], inter: Campagne, ref: dict[str, Any], academies: dict[str, Any]
) -> None:
    TirageDepartage.objects.create(campagne=inter, seed="graine")
    with_rc = make_teacher("Avec", "Conjoint")
    family(with_rc, ref)  # two children under 18
    rc_validated = inter_demande(with_rc, inter, academies, rc=StatutMotif.VALIDE)
    declared_only = make_teacher("Déclaré", "Seulement")
    family(declared_only, ref)
    rc_declared = inter_demande(declared_only, inter, academies, rc=StatutMotif.DECLARE)
    ranks = tiebreak_ranks(inter)
    assert ranks[rc_validated.pk] == 1
    # no validated RC: the children come next, before everybody without any
    assert ranks[rc_declared.pk] == 2


def test_the_page_publishes_the_criteria_the_seed_and_my_number(
    participants: list[Demande], inter: Campagne, teacher_a: Agent, academies: dict[str, Any]
) -> None:
    mine = inter_demande(teacher_a, inter, academies, rc=None)
    url = reverse("siam:departage", args=[inter.slug])
    assert "n'a pas encore eu lieu" in text(client_for(teacher_a).get(url))
    TirageDepartage.objects.create(campagne=inter, seed="0123456789abcdef")
    page = text(client_for(teacher_a).get(url))
    assert "rapprochement de conjoints ou une autorité parentale conjointe" in page.lower()
    assert "0123456789abcdef" in page
    assert str(independent_number("0123456789abcdef", mine.pk)) in page


def test_the_page_needs_a_login_and_only_answers_get(inter: Campagne, client: Any, teacher_a: Agent) -> None:
    url = reverse("siam:departage", args=[inter.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert client_for(teacher_a).post(url).status_code == 405
