"""The calendar of a campagne, changed by staff: what the jalons lock, the motif, the journal."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siam.calendar import DATE_FIELDS, Calendrier, Jalon, at_or_after, locked_dates, phase_at
from siam.errors import CalendrierVerrouille
from siam.models import Campagne, Phase
from siam.models.campagne import DATE_LABELS, ChangementCalendrier
from siam.text import moment

if TYPE_CHECKING:
    from accounts.models import Agent

JALON_TEXT = {
    Jalon.ACCUSES: gettext_lazy("les accusés de réception ont été envoyés"),
    Jalon.DEFINITIFS: gettext_lazy("les barèmes sont définitifs"),
    Jalon.PUBLIE: gettext_lazy("les résultats sont publiés"),
}
MAX_MOTIF = 2000


def check_calendar(
    *, campagne: Campagne, dates: Mapping[str, datetime.datetime], motif: str, now: datetime.datetime
) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """The changed dates (old, new), or CalendrierVerrouille with the first reason, under its field."""
    changes = {
        name: (getattr(campagne, name), dates[name])
        for name in DATE_FIELDS
        if name in dates and dates[name] != getattr(campagne, name)
    }
    if not changes:
        return changes
    jalons = campagne.jalons
    reached = ", ".join(str(JALON_TEXT[j]) for j in Jalon if j in jalons)
    for name in locked_dates(jalons):
        if name in changes and changes[name][1] > now:
            raise CalendrierVerrouille(
                _(
                    "La date « %(champ)s » ne peut plus être reportée dans le futur\u00a0: %(faits)s. "
                    "Elle peut seulement rester dans le passé."
                )
                % {"champ": DATE_LABELS[name], "faits": reached},
                field=name,
            )
    new = Calendrier(**{name: dates.get(name, getattr(campagne, name)) for name in DATE_FIELDS})
    before, after = campagne.phase_at(now), phase_at(new, now, jalons)
    if jalons and not at_or_after(after, before):
        raise CalendrierVerrouille(
            _("Ces dates rouvriraient une phase déjà passée (%(avant)s → %(apres)s) alors que %(faits)s.")
            % {"avant": before.label, "apres": Phase(after).label, "faits": reached}
        )
    if now >= campagne.saisie_debut and not motif.strip():
        raise CalendrierVerrouille(
            _(
                "La saisie est ouverte depuis le %(date)s\u00a0: indiquez le motif du changement de calendrier, "
                "il sera conservé avec votre nom."
            )
            % {"date": moment(campagne.saisie_debut)},
            field="motif",
        )
    if len(motif) > MAX_MOTIF:
        raise CalendrierVerrouille(_("Le motif est limité à 2 000 caractères."), field="motif")
    return changes


def update_calendar(
    *, campagne: Campagne, by: Agent, dates: Mapping[str, datetime.datetime], motif: str = ""
) -> list[ChangementCalendrier]:
    """Move the campagne's dates if its jalons allow it; after the opening, each change is journalled."""
    with transaction.atomic():
        locked = Campagne.objects.select_for_update().get(pk=campagne.pk)
        now = timezone.now()
        changes = check_calendar(campagne=locked, dates=dates, motif=motif, now=now)
        opened = now >= locked.saisie_debut
        if not changes:
            return []
        for name, (_old, value) in changes.items():
            setattr(locked, name, value)
        if not locked.calendrier.is_ordered():
            raise CalendrierVerrouille(_("Les dates du calendrier doivent se suivre dans l'ordre des phases."))
        locked.save(update_fields=list(changes))
        for name, (_old, value) in changes.items():
            setattr(campagne, name, value)
        if not opened and not motif.strip():
            return []  # before the opening the calendar is still a draft
        return ChangementCalendrier.objects.bulk_create(
            ChangementCalendrier.of(
                locked, champ=name, ancienne=old, nouvelle=value, motif=motif.strip(), auteur=by, le=now
            )
            for name, (old, value) in changes.items()
        )
