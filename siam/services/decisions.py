"""Bulk decisions of the back office: each row through the service a single decision uses.

A row already in the state asked for (decided by another gestionnaire, or the same form submitted twice)
is counted as « déjà traité » and left as it is: the second submit changes nothing and writes no second
history entry. A row in the other state is decided again (staff may reverse a decision).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from siam.errors import SiamError
from siam.models import Demande, MotifDeclare, StatutMotif
from siam.services.bareme.verification import decide_claim
from siam.services.pieces import Bilan

if TYPE_CHECKING:
    from accounts.models import Agent


def decide_claims(*, motifs: Iterable[int], staff: Agent, statut: str, motif_refus: str = "") -> Bilan:
    """Validate or refuse each motif not already so, through decide_claim (history, recomputed barème)."""
    if statut == StatutMotif.REFUSE and not motif_refus.strip():
        raise SiamError(_("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."), field="motif_refus")
    traitees = deja = 0
    rows = dict(MotifDeclare.objects.filter(pk__in=set(motifs)).values_list("pk", "demande_id"))
    with transaction.atomic():  # a domain error (phase closed) on one row: nothing is written
        for pk, demande_id in sorted(rows.items()):
            Demande.objects.select_for_update(no_key=True).filter(pk=demande_id).first()  # decide_claim's order
            motif = MotifDeclare.objects.select_for_update().get(pk=pk)
            if motif.statut == statut:
                deja += 1
                continue
            decide_claim(motif=motif, staff=staff, statut=statut, motif_refus=motif_refus)
            traitees += 1
    return Bilan(traitees, deja + len(set(motifs)) - len(rows))
