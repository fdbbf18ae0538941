"""Publishing a run: one courrier per participant with their result and where its explanation is.

    publish_run(*, run, by, exchange=False) -> Publication

At the inter, the same transaction hands the result to this académie's intra (``handoff``).

Only the DRH, only a certified run, only from the results phase of the campagne, only to
the participants of the run (DOMAIN.md §5: never to anybody else). The courrier's key is
the run's, so publishing again posts nothing new (and completes an interrupted envoi).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iprof.courrier.models import Categorie
from iprof.courrier.services import CourrierError, post_courrier
from siam.calendar import at_or_after
from siam.errors import PublicationRefusee
from siam.models import EtatDemande, Phase, Poste
from siam.models.mouvement import MouvementResultat, MouvementRun, StatutRun
from siam.services.mouvement.handoff import hand_off_to_intra
from siam.text import moment

if TYPE_CHECKING:
    from accounts.models import Agent

PUBLISH_PERMISSION = "siam.publish_mouvement"


@dataclass(frozen=True)
class Publication:
    run: MouvementRun
    created: int  # courriers posted by this call
    already_posted: int  # participants who had it already
    entrants: int = 0  # inter: demandes made entrant of this académie's intra by this call
    closed: int = 0  # inter: intra demandes closed by this call (another académie obtained)


def courrier_key(run: MouvementRun) -> str:
    return f"siam-mouvement-{run.campagne.slug}-run-{run.pk}"


def poste_label(poste: Poste) -> str:
    return f"{poste.lieu} ({poste.discipline})"


def result_text(resultat: MouvementResultat, *, exchange: bool, obligatory: bool) -> str:
    """The sentence the teacher reads first; the same wording as the result page."""
    poste, rang = resultat.poste, resultat.voeu_rang
    if exchange and resultat.poste_echange_id is not None:
        poste, rang = resultat.poste_echange, resultat.voeu_rang_echange
        return _("Vous avez obtenu votre vœu n° %(rang)s\u00a0: %(poste)s.") % {
            "rang": rang,
            "poste": poste_label(poste),  # type: ignore[arg-type]
        }
    if poste is None:
        if obligatory:
            return _(
                "Vous n'avez obtenu aucun de vos vœux et la procédure d'extension n'a trouvé aucun poste libre. "
                "Les services du rectorat vont prendre contact avec vous."
            )
        return _("Vous n'avez obtenu aucun de vos vœux.")
    if resultat.extended:
        return _(
            "Vous n'avez obtenu aucun de vos vœux. Au titre de la procédure d'extension, vous êtes affecté(e)\u00a0: "
            "%(poste)s."
        ) % {"poste": poste_label(poste)}
    if resultat.kept and rang is not None:
        return _(
            "Vous n'avez obtenu aucun des vœux classés avant votre poste actuel\u00a0; vous restez affecté(e) sur "
            "votre poste actuel\u00a0: %(poste)s (vœu n° %(rang)s)."
        ) % {"poste": poste_label(poste), "rang": rang}
    if resultat.kept:
        return _(
            "Vous n'avez obtenu aucun de vos vœux\u00a0; vous restez affecté(e) sur votre poste actuel\u00a0: %(poste)s."
        ) % {"poste": poste_label(poste)}
    return _("Vous avez obtenu votre vœu n° %(rang)s\u00a0: %(poste)s.") % {"rang": rang, "poste": poste_label(poste)}


def courrier_text(resultat: MouvementResultat, *, exchange: bool, obligatory: bool, url: str) -> str:
    campagne = resultat.run.campagne
    return "\n\n".join(
        [
            _("Campagne\u00a0: %(campagne)s.") % {"campagne": campagne.libelle},
            result_text(resultat, exchange=exchange, obligatory=obligatory),
            _(
                "Pour chaque vœu classé avant votre résultat, SIAM vous montre votre barème sur ce vœu, "
                "la barre à laquelle il s'est fermé (le plus petit barème admis) et la raison\u00a0: "
                "Les services → SIAM → « Consulter votre résultat » (%(url)s)."
            )
            % {"url": url},
        ]
    )


def publish_run(*, run: MouvementRun, by: Agent, exchange: bool = False) -> Publication:
    if not by.has_perm(PUBLISH_PERMISSION):
        raise PublicationRefusee(_("Seule la DRH peut publier les résultats d'un mouvement."))
    with transaction.atomic():
        run = MouvementRun.objects.select_for_update().select_related("campagne").get(pk=run.pk)
        campagne = run.campagne
        _check_publishable(run, exchange)
        resultats = list(
            MouvementResultat.objects.filter(run=run).with_postes().select_related("demande").order_by("demande_id")
        )
        cancelled = sum(1 for r in resultats if r.demande.etat == EtatDemande.ANNULEE)
        if cancelled:
            raise PublicationRefusee(
                _("%(n)s demande(s) ont été annulées depuis ce calcul\u00a0: relancez le mouvement avant de publier.")
                % {"n": cancelled}
            )
        url = reverse("siam:resultat", args=[campagne.slug])
        corps = {}
        for r in resultats:
            r.run = run
            corps[r.demande.agent_id] = courrier_text(
                r, exchange=exchange, obligatory=r.demande.est_obligatoire, url=url
            )
        try:
            posted = post_courrier(
                recipients=list(corps),
                sujet=_("Résultat de votre demande de mutation — %(campagne)s") % {"campagne": campagne.libelle},
                corps=corps,
                key=courrier_key(run),
                categorie=Categorie.RESULTAT,
                posted_by=by,
                description=_("Participants du %(run)s") % {"run": run},
            )
        except CourrierError as exc:
            raise PublicationRefusee(str(exc)) from exc
        handoff = (
            hand_off_to_intra(run=run, resultats=resultats, exchange=exchange, by=by) if campagne.is_inter else None
        )
        if run.published_at is None:
            run.published_at = timezone.now()
            run.published_by = by
            run.published_exchange = exchange
            run.courrier_key = courrier_key(run)
            run.save(update_fields=["published_at", "published_by", "published_exchange", "courrier_key"])
    if handoff is None:
        return Publication(run, posted.created, posted.already_posted)
    return Publication(run, posted.created, posted.already_posted, handoff.entrants, handoff.closed)


def _check_publishable(run: MouvementRun, exchange: bool) -> None:
    campagne = run.campagne
    now = timezone.now()
    if not at_or_after(campagne.phase_at(now), Phase.RESULTATS):
        raise PublicationRefusee(
            _("Les résultats de cette campagne ne peuvent être publiés qu'à partir du %(date)s.")
            % {"date": moment(campagne.resultats)}
        )
    if run.statut != StatutRun.DONE or run.verdict_ok is not True:
        raise PublicationRefusee(_("Ce run n'est pas certifié par le vérificateur\u00a0: il ne peut pas être publié."))
    other = MouvementRun.objects.published().filter(campagne=campagne).exclude(pk=run.pk).first()
    if other is not None:
        raise PublicationRefusee(_("Un autre run de cette campagne est déjà publié\u00a0: %(run)s.") % {"run": other})
    if run.published_at is not None and run.published_exchange != exchange:
        raise PublicationRefusee(_("Ce run est déjà publié avec l'autre résultat\u00a0: il ne peut pas changer."))
    if exchange and not (run.exchange_report and run.exchange_report.get("sound")):
        raise PublicationRefusee(
            _("Ce run n'a pas d'étape d'échanges vérifiée\u00a0: seul le résultat du mouvement peut être publié.")
        )
