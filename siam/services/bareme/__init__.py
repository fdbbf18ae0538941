"""Barèmes of a campagne: computed in bulk, stored, read by the mouvement, locked when définitifs.

The mouvement engine reads the campagne through three functions, each a bounded number of queries:

    voeu_totals(campagne) -> dict[int, Decimal]        voeu id -> total
    extension_totals(campagne) -> dict[int, Decimal]   demande id -> extension barème total
    tiebreak_ranks(campagne) -> dict[int, int]         demande id -> rank (1 wins ties)

Totals have one decimal; the engine multiplies them by 10 to work on integers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siam import bareme as core
from siam.bareme.components import REGISTRY
from siam.calendar import at_or_after
from siam.errors import PhaseFermee, SiamError
from siam.models import Campagne, Demande, EtatDemande, Phase
from siam.models.bareme import BaremeExtension, BaremeVoeu, ObjetChange, log_bareme_change
from siam.services.bareme.departage import tiebreak_ranks
from siam.services.bareme.load import Participant, load_participants
from siam.services.bareme.rules import (
    check_rows,
    compiled_rules,
    default_rows,
    rule_changes,
    stored_rows,
    write_rows,
)
from siam.services.bareme.store import NONE, BaremeLike, BaremeWriter, Corrections, corrections_by_demande
from siam.text import moment

if TYPE_CHECKING:
    import datetime

    from accounts.models import Agent

__all__ = [
    "extension_totals",
    "recompute_baremes",
    "tiebreak_ranks",
    "voeu_totals",
]


# --- guards ---------------------------------------------------------------------------------------


def require_modifiable(campagne: Campagne, now: datetime.datetime) -> None:
    """Nothing changes a barème once the campagne's barèmes are définitifs: by the date, or by a milestone (the
    barèmes marked définitifs, a result published) that the calendar can no longer undo."""
    if now >= campagne.baremes_definitifs:
        raise PhaseFermee(
            _("Les barèmes sont définitifs depuis le %(date)s\u00a0: plus aucune modification n'est possible.")
            % {"date": moment(campagne.baremes_definitifs)}
        )
    if at_or_after(campagne.phase_at(now), Phase.BAREMES_DEFINITIFS):
        raise PhaseFermee(
            _(
                "Les barèmes de cette campagne ont été arrêtés définitivement\u00a0: plus aucune modification n'est possible."
            )
        )


def require_recompute_open(campagne: Campagne, now: datetime.datetime) -> None:
    require_modifiable(campagne, now)
    if not at_or_after(campagne.phase_at(now), Phase.CLOTURE):
        raise PhaseFermee(
            _(
                "La saisie des vœux est ouverte jusqu'au %(date)s\u00a0: les barèmes se calculent à sa fermeture "
                "(pendant la saisie, chaque participant voit son barème provisoire)."
            )
            % {"date": moment(campagne.saisie_fin)}
        )


def baremes_stored(campagne: Campagne) -> bool:
    return BaremeVoeu.objects.for_campagne(campagne).exists()


def baremes_shown(campagne: Campagne, now: datetime.datetime) -> bool:
    """Teachers see the stored barèmes from the display date on."""
    return now >= campagne.bareme_affichage_debut


# --- computing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recalcul:
    demandes: int
    voeux: int
    extensions: int


Result = tuple[int, Sequence[int], Sequence[BaremeLike], tuple[int, BaremeLike] | None]


def compute_each(
    participants: Sequence[Participant],
    rules: core.CompiledRules,
    corrections: dict[int, Corrections],
    *,
    extensions: bool = True,
) -> Iterator[Result]:
    """Per participant: (demande id, voeu ids, their barèmes, (rang, extension barème) or None).

    Staff corrections go through the calculator (corrected facts, overrides of applied lines only):
    nothing here writes points.
    """
    for participant in participants:
        if participant.situation is None or not participant.facts:
            continue
        own = corrections.get(participant.demande_id, NONE)
        situation, ids, facts = participant.situation, participant.voeu_ids, participant.facts
        baremes: Sequence[BaremeLike] = own.baremes(situation, ids, facts, rules)
        extension = None
        if extensions and participant.obligatoire:
            # The extension barème is only used for those whose participation is obligatoire.
            found = own.extension(situation, ids, facts, rules)
            extension = (found.rang, found.bareme)
        yield participant.demande_id, participant.voeu_ids, baremes, extension


def recompute_baremes(*, campagne: Campagne, demandes: Sequence[Demande | int] | None = None) -> Recalcul:
    """Compute and store the barèmes of every participant of the campagne, or of ``demandes`` only.

    Bulk: a fixed number of queries whatever the number of participants, one transaction, the
    campagne row locked so that two recomputes never interleave. Refused once barèmes are définitifs.
    """
    ids = None if demandes is None else [d if isinstance(d, int) else d.pk for d in demandes]
    with transaction.atomic():
        locked = Campagne.objects.select_for_update(no_key=True).get(pk=campagne.pk)
        require_recompute_open(locked, timezone.now())
        participants = load_participants(locked, ids)
        rules = compiled_rules(locked)
        corrections = corrections_by_demande(ids, locked)
        extensions = 0
        with BaremeWriter(locked, ids) as writer:
            for demande_id, voeu_ids, baremes, extension in compute_each(participants, rules, corrections):
                writer.add(demande_id, voeu_ids, baremes, extension)
                extensions += extension is not None
    return Recalcul(len(participants), writer.voeux, extensions)


def refresh_demande(demande: Demande) -> bool:
    """After a decision on one dossier: recompute it if the campagne's barèmes are already stored."""
    campagne = demande.campagne
    now = timezone.now()
    if not at_or_after(campagne.phase_at(now), Phase.CLOTURE) or not baremes_stored(campagne):
        return False
    recompute_baremes(campagne=campagne, demandes=[demande.pk])
    return True


def provisional_baremes(demande: Demande) -> dict[int, BaremeLike]:
    """Each voeu's barème computed now from the dossier and the claims as they stand (voeu id -> barème)."""
    participants = load_participants(demande.campagne, [demande.pk])
    corrections = corrections_by_demande([demande.pk], demande.campagne)
    found = compute_each(participants, compiled_rules(demande.campagne), corrections, extensions=False)
    return {pk: bareme for _, ids, baremes, _ext in found for pk, bareme in zip(ids, baremes, strict=True)}


def provisional_totals(demande: Demande) -> dict[int, Decimal]:
    """The confirmation PDF's column: each voeu's provisional total."""
    return {pk: bareme.total for pk, bareme in provisional_baremes(demande).items()}


def totals_of(demande: Demande) -> dict[str, str]:
    """Stored totals by voeu rank (as text), kept before and after a change in its history."""
    rows = BaremeVoeu.objects.filter(voeu__demande=demande).values_list("voeu__rang", "total")
    return {str(rang): format(total, "f") for rang, total in rows}


# --- what the mouvement reads ---------------------------------------------------------------------


def voeu_totals(campagne: Campagne) -> dict[int, Decimal]:
    """Voeu id -> stored barème total, for every voeu of a demande that was not cancelled. One query."""
    rows = (
        BaremeVoeu.objects.for_campagne(campagne)
        .exclude(demande__etat=EtatDemande.ANNULEE)
        .order_by()
        .values_list("voeu_id", "total")
    )
    return dict(rows)


def extension_totals(campagne: Campagne) -> dict[int, Decimal]:
    """Demande id -> extension barème total. One query.

    Present for the demandes whose participation is obligatoire and which have at least one voeu:
    the extension only concerns them.
    """
    rows = (
        BaremeExtension.objects.filter(demande__campagne=campagne)
        .exclude(demande__etat=EtatDemande.ANNULEE)
        .order_by()
        .values_list("demande_id", "total")
    )
    return dict(rows)


# --- the definitive lock ----------------------------------------------------------------------------


def freeze_baremes(*, campagne: Campagne) -> int:
    """Mark the stored barèmes définitifs, once their date has come; returns the voeux marked."""
    now = timezone.now()
    if now < campagne.baremes_definitifs:
        raise PhaseFermee(
            _("Les barèmes deviendront définitifs le %(date)s.") % {"date": moment(campagne.baremes_definitifs)}
        )
    with transaction.atomic():
        count = BaremeVoeu.objects.for_campagne(campagne).filter(definitif=False).update(definitif=True)
        BaremeExtension.objects.filter(demande__campagne=campagne, definitif=False).update(definitif=True)
    return count


# --- the rules ------------------------------------------------------------------------------------


def _normalised(rows: list[dict[str, Any]], rules: core.Rules) -> list[dict[str, Any]]:
    """Active rows as the calculator writes them back (decimals as text, defaults filled in)."""
    active = iter(rules.to_dicts())
    result = []
    for row in sorted(rows, key=lambda r: r["ordre"]):
        result.append({"ordre": row["ordre"], "actif": True, **next(active)} if row["actif"] else dict(row))
    return result


def set_rules(*, campagne: Campagne, rows: list[dict[str, Any]], auteur: Agent | None, motif: str) -> bool:
    """Replace the campagne's rules; recorded with who and why, and every stored barème recomputed.

    ``rows``: dicts with ordre, code, voeu_specific, applique_a, params, actif. Returns False when
    nothing changed. Once barèmes are computed or shown, the motif is required.
    """
    motif = motif.strip()
    with transaction.atomic():
        locked = Campagne.objects.select_for_update(no_key=True).get(pk=campagne.pk)
        require_modifiable(locked, timezone.now())
        new = _normalised(rows, check_rows(rows))
        before, after = rule_changes(stored_rows(locked), new)
        if not before and not after:
            return False
        stored = baremes_stored(locked)
        if (stored or baremes_shown(locked, timezone.now())) and not motif:
            raise SiamError(
                _("Indiquez le motif du changement des règles\u00a0: il est conservé et montré aux participants."),
                field="motif",
            )
        write_rows(locked, new)
        changed = [REGISTRY[(a or b)["code"]].label for b, a in zip(before, after, strict=True)]
        log_bareme_change(
            locked, ObjetChange.REGLES, auteur=auteur,
            libelle=(_("Règles du barème modifiées\u00a0: %(composantes)s") % {"composantes": ", ".join(changed)})[:300],
            avant=before, apres=after, motif=motif or _("Configuration des règles avant le calcul des barèmes."),
        )  # fmt: skip
        if stored:
            recompute_baremes(campagne=locked)
    return True


def load_default_rules(*, campagne: Campagne, auteur: Agent | None, motif: str = "") -> bool:
    """« Charger les règles par défaut »: the defaults of the campagne's kind, as any other change of rules."""
    return set_rules(campagne=campagne, rows=default_rows(campagne), auteur=auteur, motif=motif)
