"""Staff verification of a dossier's barème: decisions on claimed bonuses, corrections of a line.

Every change is kept in the journal as a BaremeChange (who, when, what before and after, why), shown to the teacher,
and recomputes that demande's barèmes when they are already stored. Refused once barèmes are définitifs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siam import bareme as core
from siam.bareme.text import format_points
from siam.errors import SiamError
from siam.models import Demande, MotifDeclare, StatutMotif, Voeu
from siam.models.bareme import (
    COMPOSANTES,
    BaremeChange,
    BaremeCorrection,
    FaitCorrige,
    ObjetChange,
    log_bareme_change,
)
from siam.services.bareme import refresh_demande, require_modifiable, totals_of
from siam.services.bareme.load import Participant, load_participants
from siam.services.bareme.rules import active_dicts, compiled_rules, default_rows, stored_rows
from siam.services.bareme.store import NONE, Corrections, corrections_by_demande
from siam.services.motifs import decide_motif

if TYPE_CHECKING:
    from accounts.models import Agent

MAX_POINTS = Decimal("9999.9")


def _locked_demande(demande_id: int) -> Demande:
    # NO KEY: a recompute inserting rows that reference the demande must not wait on it.
    locked = Demande.objects.select_for_update(no_key=True, of=("self",)).select_related("campagne").get(pk=demande_id)
    require_modifiable(locked.campagne, timezone.now())
    return locked


def _record(
    demande: Demande, *, objet: str, auteur: Agent | None, libelle: str, avant: dict[str, Any], apres: dict[str, Any],
    motif: str, voeu: Voeu | None = None, totaux: dict[str, str] | None = None,
) -> BaremeChange:  # fmt: skip
    """Recompute the demande, then keep the change with the totals it moved."""
    refresh_demande(demande)
    if totaux is not None:
        avant, apres = {**avant, "totaux": totaux}, {**apres, "totaux": totals_of(demande)}
    return log_bareme_change(
        demande, objet, auteur=auteur, voeu=voeu, libelle=libelle, avant=avant, apres=apres, motif=motif
    )


def decide_claim(*, motif: MotifDeclare, staff: Agent, statut: str, motif_refus: str = "") -> MotifDeclare:
    """Validate or refuse a claimed bonus against its pièces (their decide_motif), then recompute and record."""
    with transaction.atomic():
        demande = _locked_demande(motif.demande_id)
        before = MotifDeclare.objects.get(pk=motif.pk)
        totaux = totals_of(demande)
        decided = decide_motif(motif=before, staff=staff, statut=statut, motif_refus=motif_refus)
        if (before.statut, before.motif_refus) == (decided.statut, decided.motif_refus):
            return decided
        label = decided.get_motif_display()
        libelle = _("%(motif)s\u00a0: %(statut)s") % {
            "motif": label[:1].upper() + label[1:],
            "statut": decided.get_statut_display(),
        }
        reason = decided.motif_refus if decided.statut == StatutMotif.REFUSE else ""
        _record(
            demande, objet=ObjetChange.MOTIF, auteur=staff, libelle=libelle,
            avant={"motif": before.motif, "statut": before.statut}, apres={"motif": decided.motif, "statut": decided.statut},
            motif=reason or _("pièces justificatives examinées"), totaux=totaux,
        )  # fmt: skip
    return decided


def parse_points(raw: object) -> Decimal:
    try:
        points = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise SiamError(_("Indiquez un nombre de points, par exemple 150,2."), field="points") from None
    if not points.is_finite() or points < 0 or points > MAX_POINTS or points != points.quantize(Decimal("0.1")):
        raise SiamError(_("Les points vont de 0 à 9 999,9, avec au plus une décimale."), field="points")
    return points


MAX_VALEUR = 99


@dataclass(frozen=True)
class Changement:
    """What a correction changed, for the one history entry that records it."""

    libelle: str
    avant: dict[str, Any]
    apres: dict[str, Any]
    voeu: Voeu | None = None


_NOLINE = core.BaremeLine("", core.LineState.NOT_APPLICABLE, Decimal(0), Decimal(0), "", "")


def _participant(demande: Demande) -> tuple[Participant, core.CompiledRules, Corrections]:
    found = load_participants(demande.campagne, [demande.pk])
    if not found or found[0].situation is None:
        raise SiamError(_("Cet agent n'a pas de dossier administratif\u00a0: son barème ne peut pas être calculé."))
    own = corrections_by_demande([demande.pk], demande.campagne).get(demande.pk, NONE)
    return found[0], compiled_rules(demande.campagne), own


def _check_line_applies(demande: Demande, code: str, voeu: Voeu | None) -> None:
    """A line override may only change points the rule gives: refuse it where the rule gives none."""
    participant, rules, own = _participant(demande)
    if not participant.facts:
        raise SiamError(_("Cette demande n'a aucun vœu\u00a0: il n'y a pas de ligne à corriger."), field="code")
    # The lines as the rule gives them, on the corrected facts but before any line override.
    facts_only = Corrections(facts=own.facts)
    assert participant.situation is not None  # _participant refuses a demande without a dossier
    baremes = facts_only.baremes(participant.situation, participant.voeu_ids, participant.facts, rules)
    by_voeu = dict(zip(participant.voeu_ids, baremes, strict=True))
    label = rules.labels.get(code, code)
    if voeu is not None:
        line = by_voeu[voeu.pk].line(code)
        if line is None or line.state is not core.LineState.APPLIED:
            why = line.detail if line is not None else _("aucune ligne pour cette composante")
            raise SiamError(
                _(
                    "La ligne « %(ligne)s » ne donne pas de points sur le vœu n° %(rang)s (%(raison)s)\u00a0: une correction "
                    "ne peut changer que les points d'une ligne que la règle applique. Corrigez plutôt la donnée "
                    "(années de séparation, enfants…) ou la décision sur la bonification."
                )
                % {"ligne": label, "rang": voeu.rang, "raison": why},
                field="code",
            )
    elif not any((b.line(code) or _NOLINE).state is core.LineState.APPLIED for b in baremes):
        raise SiamError(
            _(
                "La ligne « %(ligne)s » ne donne de points sur aucun vœu\u00a0: une correction ne peut changer que les "
                "points d'une ligne que la règle applique. Corrigez plutôt la donnée ou la décision sur la bonification."
            )
            % {"ligne": label},
            field="code",
        )


def set_line(
    demande: Demande, *, staff: Agent, code: str, points: object, justification: str, voeu: Voeu | None
) -> Changement:
    """Inside the caller's transaction, the demande locked: store an override of one line (not recorded)."""
    value = parse_points(points)
    codes = {row["code"] for row in active_dicts(stored_rows(demande.campagne) or default_rows(demande.campagne))}
    if code not in codes:
        raise SiamError(_("Cette composante ne fait pas partie des règles de la campagne."), field="code")
    if voeu is not None and voeu.demande_id != demande.pk:
        raise SiamError(_("Ce vœu n'appartient pas à cette demande."), field="voeu")
    _check_line_applies(demande, code, voeu)
    existing = BaremeCorrection.objects.filter(demande=demande, voeu=voeu, code=code, fait="").first()
    BaremeCorrection.objects.update_or_create(
        demande=demande, voeu=voeu, code=code, fait="",
        defaults={"points": value, "justification": justification, "auteur": staff, "date": timezone.now()},
    )  # fmt: skip
    label = dict(COMPOSANTES).get(code, code)
    where = _("vœu n° %(rang)s") % {"rang": voeu.rang} if voeu else _("sur chaque vœu où la règle s'applique")
    return Changement(
        _("Ligne « %(ligne)s » corrigée (%(ou)s)\u00a0: %(points)s")
        % {"ligne": label, "ou": where, "points": format_points(value)},
        {"code": code, "points": format(existing.points, "f") if existing and existing.points is not None else None},
        {"code": code, "points": format(value, "f")},
        voeu,
    )


def parse_valeur(raw: object) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise SiamError(_("Indiquez un nombre entier, par exemple 3."), field="valeur") from None
    if not 0 <= value <= MAX_VALEUR:
        raise SiamError(_("La valeur va de 0 à %(max)s.") % {"max": MAX_VALEUR}, field="valeur")
    return value


def set_fact(demande: Demande, *, staff: Agent, fait: str, valeur: object, justification: str) -> Changement:
    """Inside the caller's transaction, the demande locked: store a corrected fact (not recorded)."""
    if fait not in FaitCorrige.values:
        raise SiamError(_("Cette donnée ne peut pas être corrigée."), field="fait")
    value = parse_valeur(valeur)
    participant, _rules, own = _participant(demande)
    assert participant.situation is not None
    kind = core.Fait(fait)
    dossier_value = core.fact_value(participant.situation, kind)
    current = core.fact_value(core.corrected_situation(participant.situation, own.facts), kind)
    label = FaitCorrige(fait).label
    if value == current:
        raise SiamError(
            _("%(fait)s\u00a0: la valeur retenue est déjà %(valeur)s.")
            % {"fait": label[:1].upper() + label[1:], "valeur": value},
            field="valeur",
        )
    BaremeCorrection.objects.update_or_create(
        demande=demande, voeu=None, code="", fait=fait,
        defaults={"valeur": value, "valeur_avant": dossier_value, "justification": justification, "auteur": staff,
                  "date": timezone.now()},
    )  # fmt: skip
    return Changement(
        _("Donnée corrigée, « %(fait)s »\u00a0: %(avant)s → %(apres)s (barème recalculé sur chaque vœu)")
        % {"fait": label, "avant": current, "apres": value},
        {"fait": fait, "valeur": current},
        {"fait": fait, "valeur": value},
    )


def _justified(justification: str) -> str:
    justification = justification.strip()
    if not justification:
        raise SiamError(_("Justifiez la correction\u00a0: elle est communiquée à l'agent."), field="justification")
    return justification


def override_line(
    *, demande: Demande, staff: Agent, code: str, points: object, justification: str, voeu: Voeu | None = None
) -> BaremeCorrection:
    """New points for one line (one voeu, or every voeu): only where the rule applies that line."""
    justification = _justified(justification)
    with transaction.atomic():
        locked = _locked_demande(demande.pk)
        totaux = totals_of(locked)
        change = set_line(locked, staff=staff, code=code, points=points, justification=justification, voeu=voeu)
        _record(
            locked, objet=ObjetChange.CORRECTION, auteur=staff, voeu=voeu, libelle=change.libelle,
            avant=change.avant, apres=change.apres, motif=justification, totaux=totaux,
        )  # fmt: skip
    return BaremeCorrection.objects.get(demande=locked, voeu=voeu, code=code, fait="")


def correct_fact(*, demande: Demande, staff: Agent, fait: str, valeur: object, justification: str) -> BaremeCorrection:
    """Correct a fact of the situation (years of separation, children…): every voeu is recomputed by the rules."""
    justification = _justified(justification)
    with transaction.atomic():
        locked = _locked_demande(demande.pk)
        totaux = totals_of(locked)
        change = set_fact(locked, staff=staff, fait=fait, valeur=valeur, justification=justification)
        _record(
            locked, objet=ObjetChange.CORRECTION, auteur=staff, libelle=change.libelle,
            avant=change.avant, apres=change.apres, motif=justification, totaux=totaux,
        )  # fmt: skip
    return BaremeCorrection.objects.get(demande=locked, voeu=None, code="", fait=fait)


def remove_override(*, correction: BaremeCorrection, staff: Agent, justification: str) -> None:
    """Withdraw a correction: the rule (or the dossier's fact) applies again."""
    justification = justification.strip()
    if not justification:
        raise SiamError(_("Justifiez le retrait de la correction."), field="justification")
    with transaction.atomic():
        locked = _locked_demande(correction.demande_id)
        totaux = totals_of(locked)
        voeu = correction.voeu
        BaremeCorrection.objects.filter(pk=correction.pk).delete()
        if correction.fait:
            libelle = _("Correction retirée\u00a0: donnée « %(fait)s »") % {"fait": correction.get_fait_display()}
            avant = {"fait": correction.fait, "valeur": correction.valeur}
            apres = {"fait": correction.fait, "valeur": correction.valeur_avant}
        else:
            libelle = _("Correction retirée\u00a0: ligne « %(ligne)s »") % {"ligne": correction.get_code_display()}
            points = format(correction.points, "f") if correction.points is not None else None
            avant, apres = {"code": correction.code, "points": points}, {"code": correction.code, "points": None}
        _record(
            locked, objet=ObjetChange.CORRECTION, auteur=staff, voeu=voeu, libelle=libelle,
            avant=avant, apres=apres, motif=justification, totaux=totaux,
        )  # fmt: skip
