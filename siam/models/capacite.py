"""The capacités d'accueil of the inter: how many entrants each académie takes in each discipline.

The ministry sets them; at the inter they are the "piles" of the mouvement (DOMAIN.md §6):
one engine post per académie × discipline with ``places`` seats, plus the seats tenured
teachers free when they leave.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossier.models import Academie, Discipline
from siam.models.campagne import Campagne
from siam.models.choices import CampagneKind


class CapaciteAccueilQuerySet(models.QuerySet["CapaciteAccueil"]):
    def for_campagne(self, campagne: Campagne) -> CapaciteAccueilQuerySet:
        return self.filter(campagne=campagne)


class CapaciteAccueil(models.Model):
    campagne = models.ForeignKey(
        Campagne,
        on_delete=models.CASCADE,
        related_name="capacites",
        limit_choices_to={"kind": CampagneKind.INTER},
        verbose_name=_("campagne inter"),
    )
    academie = models.ForeignKey(Academie, on_delete=models.PROTECT, related_name="+", verbose_name=_("académie"))
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="+", verbose_name=_("discipline"))
    places = models.PositiveIntegerField(_("capacité d'accueil (places)"))

    objects = CapaciteAccueilQuerySet.as_manager()

    class Meta:
        verbose_name = _("capacité d'accueil (inter)")
        verbose_name_plural = _("capacités d'accueil (inter)")
        ordering = ["campagne", "discipline", "academie"]
        constraints = [
            models.UniqueConstraint(
                fields=["campagne", "academie", "discipline"],
                name="capaciteaccueil_campagne_aca_disc_unique",
                violation_error_message=_(
                    "La capacité d'accueil de cette académie dans cette discipline est déjà saisie pour cette campagne."
                ),
            ),
            models.CheckConstraint(
                condition=Q(places__lte=100_000),
                name="capaciteaccueil_places_bounded",
                violation_error_message=_("Une capacité d'accueil ne dépasse pas 100 000 places."),
            ),
        ]
        # the unique constraint's index serves the market loading (campagne first)

    def __str__(self) -> str:
        return f"{self.academie} — {self.discipline} : {self.places}"
