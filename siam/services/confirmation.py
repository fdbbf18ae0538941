"""The confirmation de demande (PDF, WeasyPrint) and the accusés de réception posted to the courrier."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iprof.courrier.models import Categorie
from iprof.courrier.services import post_courrier
from siam.errors import PhaseFermee
from siam.models import Campagne, Demande, EtatDemande, MotifDeclare, Participation, Phase, Voeu
from siam.motifs import PIECES_PAR_MOTIF
from siam.selectors import dossier_for_bareme, motifs_of, voeux_of
from siam.text import moment


def provisional_baremes(demande: Demande, voeux: list[Voeu]) -> dict[int, Decimal]:
    """The provisional barème of each voeu, by voeu id (computed now by the barème service)."""
    from siam.services.bareme import provisional_totals

    return provisional_totals(demande)


@dataclass(frozen=True)
class LigneVoeu:
    voeu: Voeu
    bareme: Decimal | None


def precisions(motif: MotifDeclare) -> list[str]:
    """The « Précisions » cell, one fact a line: « Commune du conjoint : Lyon », « Durée : 2 ans »…"""
    lines = []
    if motif.conjoint_commune is not None:
        lines.append(_("Commune du conjoint\u00a0: %(commune)s") % {"commune": motif.conjoint_commune.nom})
    if motif.academie is not None:
        lines.append(_("Académie\u00a0: %(academie)s") % {"academie": motif.academie.nom})
    if motif.annees:
        duree = ngettext("%(n)s an", "%(n)s ans", motif.annees) % {"n": motif.annees}
        lines.append(_("Durée\u00a0: %(duree)s") % {"duree": duree.replace(" ", "\u00a0")})
    if motif.precision:
        lines.append(motif.precision)
    return lines


def confirmation_context(demande: Demande) -> dict[str, Any]:
    voeux = voeux_of(demande)
    baremes = provisional_baremes(demande, voeux)
    return {
        "demande": demande,
        "campagne": demande.campagne,
        "agent": demande.agent,
        "dossier": dossier_for_bareme(demande.agent),
        "lignes": [LigneVoeu(v, baremes.get(v.pk)) for v in voeux],
        "avec_bareme": bool(baremes),
        "motifs": [(m, precisions(m), PIECES_PAR_MOTIF.get(m.motif, ())) for m in motifs_of(demande)],
        # the « type d'établissement » filter exists only at the intra: no empty column at the inter
        "avec_filtre": demande.campagne.is_intra,
        "edition": timezone.localtime(),
        "academie": settings.IPROF_ACADEMIE,
    }


def render_confirmation_pdf(demande: Demande) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_to_string("siam/confirmation_pdf.html", confirmation_context(demande))
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def confirmation_filename(demande: Demande) -> str:
    return f"confirmation-{demande.campagne.slug}-{slugify(demande.agent.nom)}-{demande.pk}.pdf"


def accuse_key(demande: Demande) -> str:
    return f"siam-accuse-{demande.campagne.slug}-{demande.pk}"


def post_accuses(*, campagne: Campagne) -> tuple[int, int]:
    """Post each participant's accusé de réception once; returns (posted now, already posted).

    One demande per transaction: an interrupted run resumes where it stopped, and the
    courrier's idempotency key makes a demande posted but not yet marked harmless.
    """
    if campagne.phase_at(timezone.now()) in (Phase.A_VENIR, Phase.SAISIE):
        raise PhaseFermee(_("La saisie est encore ouverte\u00a0: les accusés de réception partent après sa fermeture."))
    posted = already = 0
    pending = (
        Demande.objects.filter(campagne=campagne, etat=EtatDemande.EN_SAISIE)
        .with_nb_voeux()
        .select_related("agent", "campagne__academie")
        .order_by("pk")
    )
    already = Demande.objects.filter(campagne=campagne, accuse_envoye_le__isnull=False).count()
    for demande in pending:
        if getattr(demande, "nb_voeux", 0) == 0 and demande.participation != Participation.OBLIGATOIRE:
            continue  # a volontaire without voeux does not take part
        posted += _post_one(demande)
    return posted, already


def _post_one(demande: Demande) -> int:
    pdf = render_confirmation_pdf(demande)
    campagne = demande.campagne
    with transaction.atomic():
        result = post_courrier(
            recipients=[demande.agent_id],
            sujet=_("Accusé de réception — %(campagne)s") % {"campagne": campagne.libelle},
            corps=_(
                "Votre demande de mutation pour « %(campagne)s » a bien été enregistrée à la fermeture de la "
                "saisie des vœux.\n\nVous trouverez ci-joint votre confirmation de demande. Vérifiez-la, "
                "signez-la et déposez-la avec vos pièces justificatives dans SIAM avant le %(date)s."
            )
            % {"campagne": campagne.libelle, "date": moment(campagne.retour_pieces_fin)},
            key=accuse_key(demande),
            categorie=Categorie.ACCUSE_RECEPTION,
            attachments=[(confirmation_filename(demande), pdf, "application/pdf")],
            description=_("Accusé de réception SIAM, demande n° %(pk)s") % {"pk": demande.pk},
        )
        Demande.objects.filter(pk=demande.pk).update(etat=EtatDemande.ENREGISTREE, accuse_envoye_le=timezone.now())
    return result.created
