"""The inter result feeds the intra of this portal's académie (DOMAIN.md §6, « the chain »).

    hand_off_to_intra(*, run, resultats, exchange, by) -> HandOff     (inside publish_run's transaction)

* Whoever obtained this académie at the inter (and did not merely keep it) becomes an entrant of its
  intra campagne: a demande is created or updated with ``entrant_inter``, participation obligatoire
  and its reason. The barème facts the intra needs are carried over: the family and handicap motifs
  staff validated at the inter (rapprochement de conjoints, autorité parentale conjointe, mutation
  simultanée, RQTH, handicap) with their commune, académie and years, already validated; the
  inter-only ones (CIMM, vœu préférentiel, which concern the inter's vœu 1) are not.
  The rest of the intra barème (échelon, ancienneté, situation) is read from the dossier.
* A participant who obtained another académie has his intra demande closed (« close — autre académie
  obtenue au mouvement inter »): the intra run and the saisie no longer see it; a courrier says why.

Both are idempotent: a demande already entrant or already closed is left as it is, the validated motifs
are inserted once, and the courrier's key is the run's, so publishing twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.models import Academie, Dossier
from iprof.courrier.models import Categorie
from iprof.courrier.services import CourrierError, post_courrier
from siam.errors import PublicationRefusee
from siam.models import Campagne, CampagneKind, Demande, EtatDemande, Motif, MotifDeclare, Participation, StatutMotif
from siam.models.mouvement import MouvementResultat, MouvementRun
from siam.services.demandes import participation_for

if TYPE_CHECKING:
    from accounts.models import Agent

CARRIED_MOTIFS = (
    Motif.RAPPROCHEMENT_CONJOINTS,
    Motif.AUTORITE_PARENTALE,
    Motif.MUTATION_SIMULTANEE,
    Motif.RQTH,
    Motif.HANDICAP,
)


@dataclass(frozen=True)
class HandOff:
    intra: Campagne | None
    entrants: int  # demandes made entrant by this call
    closed: int  # intra demandes closed by this call


def intra_of(inter: Campagne) -> Campagne | None:
    """The intra campagne of this portal's académie that receives the inter's entrants."""
    return (
        Campagne.objects.filter(
            kind=CampagneKind.INTRA, campagne_inter=inter, academie__code=settings.IPROF_ACADEMIE_CODE
        )
        .order_by("pk")
        .first()
    )


def obtained_academie(resultat: MouvementResultat, *, exchange: bool) -> int | None:
    poste = resultat.poste_echange if exchange and resultat.poste_echange_id is not None else resultat.poste
    return None if poste is None else poste.academie_id


def hand_off_to_intra(
    *, run: MouvementRun, resultats: Sequence[MouvementResultat], exchange: bool, by: Agent
) -> HandOff:
    intra = intra_of(run.campagne)
    if intra is None:
        return HandOff(None, 0, 0)
    ours = Academie.objects.filter(code=settings.IPROF_ACADEMIE_CODE).values_list("pk", flat=True).first()
    entrants: list[MouvementResultat] = []
    leavers: dict[int, int] = {}  # agent -> académie obtained
    for r in resultats:
        got = obtained_academie(r, exchange=exchange)
        kept = r.kept and not (exchange and r.poste_echange_id is not None)
        if got is None or kept:
            continue
        if got == ours:
            entrants.append(r)
        else:
            leavers[r.demande.agent_id] = got
    made = _make_entrants(intra, entrants, by)
    closed = _close_leavers(run, intra, leavers, by)
    return HandOff(intra, made, closed)


def _make_entrants(intra: Campagne, entrants: Sequence[MouvementResultat], by: Agent) -> int:
    agents = [r.demande.agent_id for r in entrants]
    existing = {d.agent_id: d for d in Demande.objects.filter(campagne=intra, agent_id__in=agents)}
    dossiers = {d.agent_id: d for d in Dossier.objects.filter(agent_id__in=agents)}
    made = 0
    for r in entrants:
        agent = r.demande.agent_id
        demande = existing.get(agent)
        if demande is not None and demande.entrant_inter and demande.participation == Participation.OBLIGATOIRE:
            continue
        participation, raisons = participation_for(dossiers.get(agent), intra, entrant_inter=True)
        if demande is None:
            demande = Demande.objects.create(
                agent_id=agent,
                campagne=intra,
                participation=participation,
                participation_raisons=raisons,
                entrant_inter=True,
            )
        else:
            Demande.objects.filter(pk=demande.pk).update(
                participation=participation, participation_raisons=raisons, entrant_inter=True
            )
        made += 1
        _carry_motifs(r.demande, demande, by)
    return made


def _carry_motifs(inter_demande: Demande, intra_demande: Demande, by: Agent) -> None:
    now = timezone.now()
    MotifDeclare.objects.bulk_create(
        [
            MotifDeclare(
                demande=intra_demande,
                motif=m.motif,
                conjoint_commune_id=m.conjoint_commune_id,
                academie_id=m.academie_id,
                annees=m.annees,
                precision=_("Reporté du mouvement inter-académique (motif validé)."),
                statut=StatutMotif.VALIDE,
                decided_by=by,
                decided_at=now,
            )
            for m in MotifDeclare.objects.valides().filter(demande=inter_demande, motif__in=CARRIED_MOTIFS)
        ],
        ignore_conflicts=True,  # one motif of each kind per demande: a second publication adds nothing
    )


def _close_leavers(run: MouvementRun, intra: Campagne, leavers: dict[int, int], by: Agent) -> int:
    demandes = list(
        Demande.objects.filter(campagne=intra, agent_id__in=leavers)
        .exclude(etat=EtatDemande.ANNULEE)
        .order_by("agent_id")
    )
    if not demandes:
        return 0
    names = dict(Academie.objects.filter(pk__in=set(leavers.values())).values_list("pk", "nom"))
    closed = (
        Demande.objects.filter(pk__in=[d.pk for d in demandes])
        .exclude(etat=EtatDemande.CLOSE_INTER)
        .update(etat=EtatDemande.CLOSE_INTER)
    )
    corps = {
        d.agent_id: "\n\n".join(
            [
                _("Campagne\u00a0: %(campagne)s.") % {"campagne": intra.libelle},
                _(
                    "Vous avez obtenu l'académie de %(academie)s au mouvement inter-académique (%(inter)s). "
                    "Votre demande au mouvement intra-académique de %(ours)s est donc close\u00a0: vous n'y participez "
                    "plus, vos vœux ne seront pas examinés et la saisie ne vous est plus ouverte. Vous participerez "
                    "au mouvement intra-académique de l'académie de %(academie)s."
                )
                % {
                    "academie": names.get(leavers[d.agent_id], ""),
                    "inter": run.campagne.libelle,
                    "ours": settings.IPROF_ACADEMIE,
                },
            ]
        )
        for d in demandes
    }
    try:
        post_courrier(
            recipients=list(corps),
            sujet=_("Votre demande de mutation intra-académique est close — %(campagne)s")
            % {"campagne": intra.libelle},
            corps=corps,
            key=f"siam-intra-close-{intra.slug}-run-{run.pk}",
            categorie=Categorie.RESULTAT,
            posted_by=by,
            description=_("Demandes intra closes après le %(run)s") % {"run": run},
        )
    except CourrierError as exc:
        raise PublicationRefusee(str(exc)) from exc
    return closed
