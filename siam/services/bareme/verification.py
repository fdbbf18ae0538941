"""Staff verification of a dossier's barème: decisions on claimed bonuses, corrections of a line.

Every change is kept in BaremeChange (who, when, what before and after, why), shown to the teacher,
and recomputes that demande's barèmes when they are already stored. Refused once barèmes are définitifs.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siam.bareme.text import format_points
from siam.errors import SiamError
from siam.models import Demande, MotifDeclare, StatutMotif, Voeu
from siam.models.bareme import BaremeChange, BaremeCorrection, ObjetChange
from siam.services.bareme import refresh_demande, require_modifiable, totals_of
from siam.services.bareme.rules import active_dicts, default_rows, stored_rows
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
    return BaremeChange.objects.create(
        campagne=demande.campagne, demande=demande, voeu=voeu, auteur=auteur, objet=objet,
        libelle=libelle[:300], avant=avant, apres=apres, motif=motif,
    )  # fmt: skip


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
        libelle = _("%(motif)s : %(statut)s") % {
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


def override_line(
    *, demande: Demande, staff: Agent, code: str, points: object, justification: str, voeu: Voeu | None = None
) -> BaremeCorrection:
    """Set a line by hand (one voeu, or every voeu): it replaces the computed line of that component."""
    justification = justification.strip()
    if not justification:
        raise SiamError(_("Justifiez la correction : elle est communiquée à l'agent."), field="justification")
    value = parse_points(points)
    with transaction.atomic():
        locked = _locked_demande(demande.pk)
        codes = {row["code"] for row in active_dicts(stored_rows(locked.campagne) or default_rows(locked.campagne))}
        if code not in codes:
            raise SiamError(_("Cette composante ne fait pas partie des règles de la campagne."), field="code")
        if voeu is not None and voeu.demande_id != locked.pk:
            raise SiamError(_("Ce voeu n'appartient pas à cette demande."), field="voeu")
        totaux = totals_of(locked)
        existing = BaremeCorrection.objects.filter(demande=locked, voeu=voeu, code=code).first()
        avant = {"code": code, "points": format(existing.points, "f") if existing else None}
        correction, _created = BaremeCorrection.objects.update_or_create(
            demande=locked, voeu=voeu, code=code,
            defaults={"points": value, "justification": justification, "auteur": staff, "date": timezone.now()},
        )  # fmt: skip
        label = correction.get_code_display()
        where = _("voeu %(rang)s") % {"rang": voeu.rang} if voeu else _("tous les voeux")
        _record(
            locked, objet=ObjetChange.CORRECTION, auteur=staff, voeu=voeu,
            libelle=_("Ligne « %(ligne)s » corrigée (%(ou)s) : %(points)s")
            % {"ligne": label, "ou": where, "points": format_points(value)},
            avant=avant, apres={"code": code, "points": format(value, "f")}, motif=justification, totaux=totaux,
        )  # fmt: skip
    return correction


def remove_override(*, correction: BaremeCorrection, staff: Agent, justification: str) -> None:
    """Withdraw a correction: the computed line applies again."""
    justification = justification.strip()
    if not justification:
        raise SiamError(_("Justifiez le retrait de la correction."), field="justification")
    with transaction.atomic():
        locked = _locked_demande(correction.demande_id)
        totaux = totals_of(locked)
        voeu = correction.voeu
        BaremeCorrection.objects.filter(pk=correction.pk).delete()
        _record(
            locked, objet=ObjetChange.CORRECTION, auteur=staff, voeu=voeu,
            libelle=_("Correction retirée : ligne « %(ligne)s »") % {"ligne": correction.get_code_display()},
            avant={"code": correction.code, "points": format(correction.points, "f")}, apres={"code": correction.code, "points": None},
            motif=justification, totaux=totaux,
        )  # fmt: skip
