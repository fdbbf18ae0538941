"""Signaler une erreur: a teacher tells their correspondant de gestion that the dossier is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from dossier.errors import DossierError
from dossier.models import Rubrique, SignalementErreur
from iprof.courrier.services import AttachmentData, CourrierError, start_conversation

if TYPE_CHECKING:
    from accounts.models import Agent


@transaction.atomic
def signaler_erreur(
    *, agent: Agent, rubrique: str, message: str, justificatif: AttachmentData | None = None
) -> SignalementErreur:
    """Record the report (staff see it in the admin) and write it to the correspondant de gestion.

    The justificatif, if any, is the attachment of that courrier message. Without a correspondant for
    the teacher's discipline, the report stays in the admin queue only (and the justificatif is not
    kept: the page tells the teacher to send it otherwise): `envoye_au_courrier` says which happened.
    """
    message = message.strip()
    if rubrique not in Rubrique.values:
        raise DossierError(_("Choisissez la rubrique concernée."))
    if not message:
        raise DossierError(_("Décrivez l'erreur constatée."))
    signalement = SignalementErreur.objects.create(agent=agent, rubrique=rubrique, message=message)
    label = signalement.get_rubrique_display()
    try:
        start_conversation(
            agent=agent,
            sujet=_("Signalement d'erreur dans mon dossier — %(rubrique)s") % {"rubrique": label},
            corps=_("Rubrique concernée\u00a0: %(rubrique)s\n\n%(message)s") % {"rubrique": label, "message": message},
            attachment=justificatif,
        )
    except CourrierError:
        return signalement
    signalement.envoye_au_courrier = True
    signalement.save(update_fields=["envoye_au_courrier"])
    return signalement
