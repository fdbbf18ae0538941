"""Tie-break between equal barèmes: published criteria, then a draw anyone can reproduce.

Order, for two participants with the same barème on the same voeu:

1. a rapprochement de conjoints or an autorité parentale conjointe validated by the rectorat first;
2. then the larger number of children under 18 on 1 September of the campagne's year;
3. then the smaller tie-break number, drawn once per campagne from a recorded seed:

       number = int(sha256("<seed>:<demande number>").hexdigest()[:16], 16)

   i.e. the first 8 bytes of the SHA-256 of the seed, a colon and the demande number (the « Demande
   n° » of the confirmation), read as a big-endian integer. The seed is drawn once the saisie is
   closed (the list of participants is known), kept, and published with these rules: anyone can
   recompute every number, nobody could choose them.

In Python: ``int(hashlib.sha256(f"{seed}:{demande}".encode()).hexdigest()[:16], 16)``.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.models import Enfant
from siam.calendar import at_or_after
from siam.errors import PhaseFermee, SiamError
from siam.models import Campagne, Demande, EtatDemande, Motif, MotifDeclare, Phase, StatutMotif
from siam.models.bareme import TirageDepartage

if TYPE_CHECKING:
    from accounts.models import Agent

CRITERES = (
    gettext_lazy(
        "un rapprochement de conjoints ou une autorité parentale conjointe validé(e) par le rectorat passe en premier"
    ),
    gettext_lazy("puis le plus grand nombre d'enfants de moins de 18 ans au 1er septembre"),
    gettext_lazy("puis le plus petit numéro de départage, tiré au sort une fois pour toute la campagne"),
)
FAMILLE = (Motif.RAPPROCHEMENT_CONJOINTS, Motif.AUTORITE_PARENTALE)


def tiebreak_number(seed: str, demande_id: int) -> int:
    """The participant's number: first 8 bytes of sha256("<seed>:<demande id>"), big-endian."""
    return int(hashlib.sha256(f"{seed}:{demande_id}".encode()).hexdigest()[:16], 16)


def draw_seed(*, campagne: Campagne, staff: Agent | None) -> TirageDepartage:
    """Draw the campagne's seed, once, after the saisie has closed."""
    now = timezone.now()
    if not at_or_after(campagne.phase_at(now), Phase.CLOTURE):
        raise PhaseFermee(_("Le tirage au sort se fait une fois la saisie des vœux fermée."))
    if at_or_after(campagne.phase_at(now), Phase.RESULTATS):
        raise PhaseFermee(_("Les résultats sont publiés\u00a0: le tirage au sort ne peut plus avoir lieu."))
    try:
        with transaction.atomic():
            return TirageDepartage.objects.create(
                campagne=campagne, seed=secrets.token_hex(16), drawn_at=now, drawn_by=staff
            )
    except IntegrityError:
        raise SiamError(_("Le tirage au sort de cette campagne a déjà eu lieu\u00a0: il ne se refait pas.")) from None


def tiebreak_ranks(campagne: Campagne) -> dict[int, int]:
    """Demande id -> rank among the campagne's (non-cancelled) demandes, 1 winning ties. Two queries.

    Raises SiamError while the seed has not been drawn.
    """
    tirage = TirageDepartage.objects.filter(campagne=campagne).first()
    if tirage is None:
        raise SiamError(_("Le tirage au sort de départage de cette campagne n'a pas encore eu lieu."))
    under_18 = datetime.date(campagne.year - 18, 9, 1)
    enfants = Subquery(
        Enfant.objects.filter(dossier__agent_id=OuterRef("agent_id"), date_naissance__gt=under_18)
        .order_by()
        .values("dossier__agent_id")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    famille = MotifDeclare.objects.filter(demande=OuterRef("pk"), motif__in=FAMILLE, statut=StatutMotif.VALIDE)
    rows = (
        Demande.objects.filter(campagne=campagne)
        .exclude(etat=EtatDemande.ANNULEE)
        .annotate(famille=Exists(famille), enfants=enfants)
        .order_by()
        .values_list("pk", "famille", "enfants")
    )
    seed = tirage.seed
    ordered = sorted(rows, key=lambda r: (not r[1], -(r[2] or 0), tiebreak_number(seed, r[0]), r[0]))
    return {pk: rank for rank, (pk, _f, _e) in enumerate(ordered, start=1)}
