"""Contesting a barème: the teacher asks during the display window, staff answer, the answer goes to the courrier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iprof.courrier.models import Categorie
from iprof.courrier.services import post_courrier
from siam.errors import PhaseFermee, SiamError
from siam.models import Campagne, Demande, Phase, Voeu
from siam.models.bareme import Contestation, ObjetChange, StatutContestation, log_bareme_change
from siam.services.bareme import refresh_demande, require_modifiable, totals_of
from siam.services.bareme.verification import Changement, set_fact, set_line
from siam.services.pieces import check_upload
from siam.text import moment

if TYPE_CHECKING:
    import datetime

    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import Agent


def require_affichage(campagne: Campagne, now: datetime.datetime) -> None:
    if campagne.phase_at(now) != Phase.AFFICHAGE_BAREMES:
        raise PhaseFermee(
            _("Les demandes de correction du barème sont possibles du %(debut)s au %(fin)s.")
            % {"debut": moment(campagne.bareme_affichage_debut), "fin": moment(campagne.bareme_affichage_fin)}
        )


def open_contestation(
    *, demande: Demande, motif: str, voeu: Voeu | None = None, fichier: UploadedFile | None = None
) -> Contestation:
    """One open request per demande; the optional pièce is checked by its content (PDF, JPEG, PNG)."""
    motif = motif.strip()
    if not motif:
        raise SiamError(_("Expliquez ce qui vous semble erroné dans votre barème."), field="motif")
    require_affichage(demande.campagne, timezone.now())
    if voeu is not None and voeu.demande_id != demande.pk:
        raise SiamError(_("Ce vœu n'appartient pas à votre demande."), field="voeu")
    content = check_upload(fichier) if fichier is not None else None
    already = _("Vous avez déjà une demande de correction en cours d'examen\u00a0: attendez sa réponse.")
    try:
        with transaction.atomic():
            locked = Demande.objects.select_for_update(no_key=True, of=("self",)).get(pk=demande.pk)
            if Contestation.objects.filter(demande=locked, statut=StatutContestation.OUVERTE).exists():
                raise SiamError(already)
            contestation = Contestation(demande=demande, voeu=voeu, motif=motif)
            if fichier is not None and content is not None:
                contestation.piece_nom = (fichier.name or "piece").rsplit("/", 1)[-1][:200]
                contestation.piece_type = content[0]
                contestation.piece.save(f"piece{content[1]}", ContentFile(fichier.read()), save=False)
            contestation.save()
    except IntegrityError:
        raise SiamError(already) from None
    return contestation


@dataclass(frozen=True)
class CorrectionDemandee:
    """What staff correct when they accept a request (optional): one line's points, or one fact.

    ``code`` and ``points``: the line (on ``voeu``, or every voeu where its rule applies);
    ``fait`` and ``valeur``: a fact of the situation (years of separation, children…), every voeu recomputed.
    """

    code: str = ""
    points: object = None
    voeu: Voeu | None = None
    fait: str = ""
    valeur: object = None


def answer_contestation(
    *,
    contestation: Contestation,
    staff: Agent,
    accepte: bool,
    reponse: str,
    correction: CorrectionDemandee | None = None,
) -> Contestation:
    """Accept (optionally correcting a line or a fact) or reject, with the reason; posted to the teacher's courrier.

    One history entry says it all: the decision, the correction it carried, the totals it moved.
    """
    reponse = reponse.strip()
    if not reponse:
        raise SiamError(_("Rédigez la réponse\u00a0: elle est envoyée à l'agent."), field="reponse")
    if correction is not None and not accepte:
        raise SiamError(_("Une correction accompagne une demande acceptée."), field="correction_code")
    with transaction.atomic():
        locked = Contestation.objects.select_for_update().select_related("demande__campagne").get(pk=contestation.pk)
        require_modifiable(locked.demande.campagne, timezone.now())
        demande = (
            Demande.objects.select_for_update(no_key=True, of=("self",))
            .select_related("campagne")
            .get(pk=locked.demande_id)
        )
        if locked.statut != StatutContestation.OUVERTE:
            raise SiamError(_("Cette demande de correction a déjà reçu une réponse."))
        totaux = totals_of(demande)
        change = _apply(demande, staff, correction, reponse) if correction is not None else None
        locked.statut = StatutContestation.ACCEPTEE if accepte else StatutContestation.REJETEE
        locked.reponse, locked.repondu_par, locked.repondu_le = reponse, staff, timezone.now()
        locked.save(update_fields=["statut", "reponse", "repondu_par", "repondu_le"])
        refresh_demande(demande)
        libelle = _("Demande de correction du %(date)s\u00a0: %(statut)s") % {
            "date": moment(locked.creee_le),
            "statut": locked.get_statut_display(),
        }
        avant, apres = {"totaux": totaux}, {"totaux": totals_of(demande)}
        if change is not None:
            libelle = f"{libelle} — {change.libelle}"
            avant, apres = {**change.avant, **avant}, {**change.apres, **apres}
        log_bareme_change(
            demande, ObjetChange.CONTESTATION, auteur=staff, voeu=locked.voeu, libelle=libelle,
            avant=avant, apres=apres, motif=reponse,
        )  # fmt: skip
        _post_answer(locked, staff)
    return locked


def _apply(demande: Demande, staff: Agent, correction: CorrectionDemandee, reponse: str) -> Changement:
    if correction.fait:
        return set_fact(demande, staff=staff, fait=correction.fait, valeur=correction.valeur, justification=reponse)
    return set_line(
        demande, staff=staff, code=correction.code, points=correction.points, justification=reponse,
        voeu=correction.voeu,
    )  # fmt: skip


def _post_answer(contestation: Contestation, staff: Agent) -> None:
    demande = contestation.demande
    accepted = contestation.statut == StatutContestation.ACCEPTEE
    corps = _(
        "Votre demande de correction de barème du %(date)s pour « %(campagne)s » a été %(decision)s.\n\n"
        "Réponse du rectorat\u00a0: %(reponse)s\n\nVotre barème et l'historique de ses modifications sont dans SIAM, "
        "page « Votre barème » de votre demande."
    ) % {
        "date": moment(contestation.creee_le),
        "campagne": demande.campagne.libelle,
        "decision": _("acceptée") if accepted else _("rejetée"),
        "reponse": contestation.reponse,
    }
    post_courrier(
        recipients=[demande.agent_id],
        sujet=_("Votre demande de correction de barème — %(campagne)s") % {"campagne": demande.campagne.libelle},
        corps=corps,
        key=f"siam-contestation-{contestation.pk}",
        categorie=Categorie.INFORMATION,
        posted_by=staff,
        description=_("Réponse à la demande de correction de barème n° %(pk)s") % {"pk": contestation.pk},
    )
