"""Storing barèmes: bulk recompute, what the mouvement reads, the rules as data, the définitifs lock."""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Agent
from siam import bareme as core
from siam.errors import PhaseFermee, SiamError
from siam.models import Campagne, Demande, Participation, StatutMotif
from siam.models.bareme import BaremeChange, BaremeExtension, BaremeLigne, BaremeVoeu, ObjetChange, RegleBareme
from siam.services.bareme import (
    extension_totals,
    freeze_baremes,
    load_default_rules,
    provisional_baremes,
    recompute_baremes,
    set_rules,
    voeu_totals,
)
from siam.services.bareme.rules import ReglesInvalides, compiled_rules, stored_rows
from tests.factories import make_teacher
from tests.siam.bareme_cast import (
    AFFICHAGE,
    DEFINITIFS,
    RC,
    SANS_FAMILLE,
    VERIFICATION,
    VOEU_1,
    academies,  # noqa: F401
    closed,  # noqa: F401
    dossier_rc,  # noqa: F401
    family,
    inter_demande,
    totals_by_rang,
)
from tests.siam.conftest import PENDANT

pytestmark = pytest.mark.django_db


def test_recompute_stores_each_voeu_total_and_its_explained_lines(dossier_rc: Demande, closed: Any) -> None:
    result = recompute_baremes(campagne=dossier_rc.campagne)
    assert (result.demandes, result.voeux) == (1, 3)
    assert totals_by_rang(dossier_rc) == {1: VOEU_1, 2: VOEU_1, 3: SANS_FAMILLE}
    stored = BaremeVoeu.objects.get(voeu__demande=dossier_rc, voeu__rang=1)
    lines = BaremeLigne.objects.in_bulk(stored.lignes)
    computed = provisional_baremes(dossier_rc)[stored.voeu_id]
    assert [(lines[pk].code, lines[pk].phrase) for pk in stored.lignes] == [
        (x.code, x.sentence) for x in computed.lines
    ]
    assert lines[stored.lignes[2]].phrase.startswith("Rapprochement de conjoints : 150,2 points")
    assert sum(line.points for line in lines.values() if line.compte) == stored.total


def test_identical_lines_are_stored_once_per_campagne(
    dossier_rc: Demande, teacher_b: Agent, ref: dict[str, Any], academies: dict[str, Any], closed: Any
) -> None:
    family(teacher_b, ref)
    inter_demande(teacher_b, dossier_rc.campagne, academies, rc=StatutMotif.VALIDE)
    recompute_baremes(campagne=dossier_rc.campagne)
    rc_lines = BaremeLigne.objects.filter(code="rc", points=RC)
    # Lyon as voeu 1 for both, Grenoble (limitrophe) for both: two distinct RC lines, not four.
    assert rc_lines.count() == 2


def test_recompute_is_refused_while_the_saisie_is_open(dossier_rc: Demande, at: Any) -> None:
    at(PENDANT)
    with pytest.raises(PhaseFermee, match="la saisie"):
        recompute_baremes(campagne=dossier_rc.campagne)
    assert not BaremeVoeu.objects.exists()


def many_participants(campagne: Campagne, academies: dict[str, Any], ref: dict[str, Any], n: int) -> None:
    for i in range(n):
        agent = make_teacher(f"Prénom{i}", f"Nom{i}", echelon=1 + i % 11)
        if i % 2:
            family(agent, ref)
        inter_demande(agent, campagne, academies, rc=(StatutMotif.VALIDE, StatutMotif.DECLARE, None)[i % 3])


@pytest.mark.parametrize("participants", [1, 50])
def test_recompute_runs_in_the_same_number_of_queries_for_1_or_50_participants(
    participants: int, inter: Campagne, academies: dict[str, Any], ref: dict[str, Any], closed: Any,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    many_participants(inter, academies, ref, participants)
    Demande.objects.filter(campagne=inter, pk__in=Demande.objects.order_by("pk")[:1]).update(
        participation=Participation.OBLIGATOIRE
    )
    recompute_baremes(campagne=inter)  # the lines exist: the second run reuses them
    # The same bound for 1 and 50: the lock, loading (14 queries), two deletes, two COPY, the unused lines.
    with django_assert_max_num_queries(22):  # +1: the campagne's jalons (calendar locks)
        result = recompute_baremes(campagne=inter)
    assert result.voeux == 3 * participants
    assert BaremeVoeu.objects.for_campagne(inter).count() == 3 * participants
    assert BaremeExtension.objects.filter(demande__campagne=inter).count() == 1


def test_voeu_and_extension_totals_are_what_the_mouvement_reads(dossier_rc: Demande, closed: Any) -> None:
    Demande.objects.filter(pk=dossier_rc.pk).update(participation=Participation.OBLIGATOIRE)
    recompute_baremes(campagne=dossier_rc.campagne)
    by_rang = {v.rang: v.pk for v in dossier_rc.voeux.all()}
    totals = voeu_totals(dossier_rc.campagne)
    assert totals == {by_rang[1]: VOEU_1, by_rang[2]: VOEU_1, by_rang[3]: SANS_FAMILLE}
    assert all(isinstance(t, Decimal) for t in totals.values())
    # extension: the lowest voeu without voeu-specific bonuses (RC is not voeu-specific at the inter)
    assert extension_totals(dossier_rc.campagne) == {dossier_rc.pk: SANS_FAMILLE}


def test_a_cancelled_demande_is_left_out_of_the_totals(dossier_rc: Demande, closed: Any) -> None:
    recompute_baremes(campagne=dossier_rc.campagne)
    Demande.objects.filter(pk=dossier_rc.pk).update(etat="annulee")
    assert voeu_totals(dossier_rc.campagne) == {}


def test_a_new_campagne_gets_the_default_rules_of_its_kind(inter: Campagne, intra: Campagne) -> None:
    assert [r["code"] for r in stored_rows(inter)] == [r.code for r in core.default_rules_inter().components]
    assert [r["code"] for r in stored_rows(intra)] == [r.code for r in core.default_rules_intra_clermont().components]


def rows_with(campagne: Campagne, code: str, **params: Any) -> list[dict[str, Any]]:
    rows = stored_rows(campagne)
    for row in rows:
        if row["code"] == code:
            row["params"] = {**row["params"], **params}
    return rows


def test_changing_a_value_once_computed_requires_a_motif_and_recomputes(
    dossier_rc: Demande, rectorat: Agent, at: Any
) -> None:
    at(AFFICHAGE)
    recompute_baremes(campagne=dossier_rc.campagne)
    rows = rows_with(dossier_rc.campagne, "rc", points="160.2")
    with pytest.raises(SiamError, match="motif du changement"):
        set_rules(campagne=dossier_rc.campagne, rows=rows, auteur=rectorat, motif=" ")
    assert totals_by_rang(dossier_rc)[1] == VOEU_1

    assert set_rules(
        campagne=dossier_rc.campagne, rows=rows, auteur=rectorat, motif="Erreur de saisie de la note de service"
    )
    assert totals_by_rang(dossier_rc)[1] == VOEU_1 + 10
    change = BaremeChange.objects.get(action=ObjetChange.REGLES)
    assert change.auteur == rectorat and change.motif == "Erreur de saisie de la note de service"
    assert change.avant[0]["params"]["points"] == "150.2" and change.apres[0]["params"]["points"] == "160.2"
    assert change.libelle == "Règles du barème modifiées\u00a0: Rapprochement de conjoints"


def test_invalid_rules_are_refused_with_a_french_message_and_nothing_changes(inter: Campagne, rectorat: Agent) -> None:
    before = stored_rows(inter)
    rows = rows_with(inter, "rc", points="beaucoup")
    with pytest.raises(ReglesInvalides, match=re.escape("Composante « rc ».params.points : 'beaucoup' n'est pas")):
        set_rules(campagne=inter, rows=rows, auteur=rectorat, motif="essai")
    assert stored_rows(inter) == before


def test_compiled_rules_follow_the_stored_rows(inter: Campagne, rectorat: Agent) -> None:
    set_rules(campagne=inter, rows=rows_with(inter, "rqth", points="120"), auteur=rectorat, motif="")
    assert compiled_rules(inter).rules.components[7].params["points"] == Decimal(120)


def test_loading_the_defaults_puts_back_the_table_values(inter: Campagne, rectorat: Agent) -> None:
    set_rules(campagne=inter, rows=rows_with(inter, "rqth", points="120"), auteur=rectorat, motif="")
    assert load_default_rules(campagne=inter, auteur=rectorat, motif="retour aux valeurs de la note de service")
    assert RegleBareme.objects.get(campagne=inter, code="rqth").params["points"] == "100"


def test_nothing_changes_the_baremes_once_definitifs(dossier_rc: Demande, rectorat: Agent, at: Any) -> None:
    at(VERIFICATION)
    recompute_baremes(campagne=dossier_rc.campagne)
    at(DEFINITIFS)
    assert freeze_baremes(campagne=dossier_rc.campagne) == 3
    with pytest.raises(PhaseFermee, match="définitifs depuis le 5 juin 2027"):
        recompute_baremes(campagne=dossier_rc.campagne)
    with pytest.raises(PhaseFermee, match="définitifs"):
        set_rules(
            campagne=dossier_rc.campagne,
            rows=rows_with(dossier_rc.campagne, "rc", points="1"),
            auteur=rectorat,
            motif="trop tard",
        )
    assert set(BaremeVoeu.objects.values_list("definitif", flat=True)) == {True}
    assert totals_by_rang(dossier_rc)[1] == VOEU_1


def test_freezing_before_the_date_is_refused(dossier_rc: Demande, at: Any) -> None:
    at(VERIFICATION)
    with pytest.raises(PhaseFermee, match="deviendront définitifs le 5 juin 2027"):
        freeze_baremes(campagne=dossier_rc.campagne)


def test_the_command_computes_then_marks_definitifs_and_then_refuses(dossier_rc: Demande, at: Any) -> None:
    at(VERIFICATION)
    out = io.StringIO()
    call_command("siam_baremes", "inter-2027", stdout=out)
    assert "barèmes de 3 voeu(x) de 1 demande(s) calculés" in out.getvalue()
    at(DEFINITIFS)
    out = io.StringIO()
    call_command("siam_baremes", "inter-2027", "--definitifs", stdout=out)
    assert "3 barème(s) de voeux marqué(s) définitif(s)" in out.getvalue()
    with pytest.raises(CommandError, match="définitifs depuis le"):
        call_command("siam_baremes", "inter-2027", stdout=io.StringIO())
