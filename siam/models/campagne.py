"""Campagnes (with their calendar) and the posts they offer."""

from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.models import Academie, Discipline, Etablissement, ZoneRemplacement
from siam.calendar import Calendrier, annulation_open, at_or_after, phase_at, phase_end
from siam.models.choices import CampagneKind, Phase, TypeVoeu

CALENDAR_FIELDS = (
    "saisie_debut",
    "saisie_fin",
    "confirmation_debut",
    "retour_pieces_fin",
    "bareme_affichage_debut",
    "bareme_affichage_fin",
    "baremes_definitifs",
    "annulation_fin",
    "resultats",
)


def _ordered(before: str, after: str, *, strict: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{after}__gt" if strict else f"{after}__gte": F(before)})
    return models.CheckConstraint(condition=condition, name=f"campagne_{before}_before_{after}")


class CampagneQuerySet(models.QuerySet["Campagne"]):
    def visibles(self) -> CampagneQuerySet:
        """What the SIAM home lists: published campagnes whose results are not older than a year."""
        cutoff = timezone.now() - datetime.timedelta(days=365)
        return self.filter(publiee=True, resultats__gte=cutoff).select_related("academie")


class Campagne(models.Model):
    slug = models.SlugField(_("identifiant dans l'adresse"), max_length=40, unique=True)
    kind = models.CharField(_("nature"), max_length=5, choices=CampagneKind.choices)
    year = models.PositiveSmallIntegerField(_("année du mouvement"))
    academie = models.ForeignKey(
        Academie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campagnes",
        verbose_name=_("académie (mouvement intra ou SPEA)"),
    )
    campagne_inter = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campagnes_intra",
        verbose_name=_("campagne inter dont elle reçoit les entrants"),
    )
    libelle = models.CharField(_("libellé"), max_length=150)
    max_voeux = models.PositiveSmallIntegerField(_("nombre maximal de voeux"), default=31)
    types_voeux = ArrayField(
        models.CharField(max_length=3, choices=TypeVoeu.choices),
        verbose_name=_("types de voeux autorisés"),
        default=list,
    )
    publiee = models.BooleanField(_("publiée"), default=True)
    # Calendar (DOMAIN.md §2), stored in UTC, entered and shown in Europe/Paris.
    saisie_debut = models.DateTimeField(_("ouverture de la saisie des voeux"))
    saisie_fin = models.DateTimeField(_("fermeture de la saisie des voeux"))
    confirmation_debut = models.DateTimeField(_("confirmation de demande disponible"))
    retour_pieces_fin = models.DateTimeField(_("date limite de retour de la confirmation et des pièces"))
    bareme_affichage_debut = models.DateTimeField(_("début de l'affichage des barèmes"))
    bareme_affichage_fin = models.DateTimeField(_("fin de l'affichage des barèmes (contestations)"))
    baremes_definitifs = models.DateTimeField(_("barèmes définitifs"))
    annulation_fin = models.DateTimeField(_("date limite d'annulation"))
    resultats = models.DateTimeField(_("publication des résultats"))

    objects = CampagneQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-year", "kind", "saisie_debut"]
        constraints = [
            _ordered("saisie_debut", "saisie_fin", strict=True),
            _ordered("saisie_fin", "confirmation_debut"),
            _ordered("confirmation_debut", "retour_pieces_fin", strict=True),
            _ordered("retour_pieces_fin", "bareme_affichage_debut"),
            _ordered("bareme_affichage_debut", "bareme_affichage_fin", strict=True),
            _ordered("bareme_affichage_fin", "baremes_definitifs"),
            _ordered("baremes_definitifs", "annulation_fin"),
            _ordered("annulation_fin", "resultats"),
            models.CheckConstraint(condition=Q(max_voeux__gte=1), name="campagne_max_voeux_positive"),
            models.CheckConstraint(
                condition=~Q(kind=CampagneKind.INTRA) | Q(academie__isnull=False), name="campagne_intra_has_academie"
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "academie"], nulls_distinct=False, name="campagne_kind_year_academie_unique"
            ),
        ]
        # The SIAM home lists published campagnes by their results date.
        indexes = [models.Index(fields=["publiee", "resultats"], name="campagne_visible_idx")]

    def __str__(self) -> str:
        return self.libelle

    @property
    def calendrier(self) -> Calendrier:
        return Calendrier(**{name: getattr(self, name) for name in CALENDAR_FIELDS})

    def phase_at(self, now: datetime.datetime) -> Phase:
        return Phase(phase_at(self.calendrier, now))

    @property
    def phase(self) -> Phase:
        return self.phase_at(timezone.now())

    @property
    def phase_fin(self) -> datetime.datetime | None:
        return phase_end(self.calendrier, self.phase)

    def saisie_ouverte(self, now: datetime.datetime) -> bool:
        return self.phase_at(now) == Phase.SAISIE

    def confirmation_ouverte(self, now: datetime.datetime) -> bool:
        return at_or_after(self.phase_at(now), Phase.CONFIRMATION)

    def depot_pieces_ouvert(self, now: datetime.datetime) -> bool:
        return self.saisie_debut <= now < self.retour_pieces_fin

    def annulation_ouverte(self, now: datetime.datetime) -> bool:
        return annulation_open(self.calendrier, now)

    @property
    def is_inter(self) -> bool:
        return self.kind == CampagneKind.INTER

    @property
    def is_intra(self) -> bool:
        return self.kind == CampagneKind.INTRA


class PosteQuerySet(models.QuerySet["Poste"]):
    def for_list(self) -> PosteQuerySet:
        return self.select_related(
            "discipline",
            "etablissement__commune__departement",
            "zone_remplacement__departement",
            "academie",
        )


class Poste(models.Model):
    """A post offered by a campagne: known vacant, or only likely to become vacant during the run."""

    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="postes", verbose_name=_("campagne"))
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="+", verbose_name=_("discipline"))
    etablissement = models.ForeignKey(
        Etablissement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("établissement"),
    )
    zone_remplacement = models.ForeignKey(
        ZoneRemplacement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone de remplacement"),
    )
    academie = models.ForeignKey(
        Academie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("académie (mouvement inter)"),
    )
    nombre = models.PositiveSmallIntegerField(_("postes vacants connus"), default=0)
    susceptible_vacant = models.BooleanField(_("susceptible d'être vacant"), default=False)
    profile = models.BooleanField(_("poste à profil (SPEA / SPEN)"), default=False)
    profil = models.TextField(_("profil du poste"), blank=True)

    objects = PosteQuerySet.as_manager()

    class Meta:
        verbose_name = _("poste")
        verbose_name_plural = _("postes vacants et susceptibles d'être vacants")
        ordering = ["campagne", "discipline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(etablissement__isnull=False, zone_remplacement__isnull=True, academie__isnull=True)
                | Q(etablissement__isnull=True, zone_remplacement__isnull=False, academie__isnull=True)
                | Q(etablissement__isnull=True, zone_remplacement__isnull=True, academie__isnull=False),
                name="poste_exactly_one_lieu",
            ),
            models.CheckConstraint(
                condition=Q(nombre__gt=0) | Q(susceptible_vacant=True), name="poste_offers_something"
            ),
            models.CheckConstraint(condition=Q(profile=False) | ~Q(profil=""), name="poste_profile_has_profil"),
            models.UniqueConstraint(
                fields=["campagne", "discipline", "etablissement", "zone_remplacement", "academie", "profile"],
                nulls_distinct=False,
                name="poste_unique_lieu",
            ),
        ]
        indexes = [
            # the postes page: a campagne's posts in one discipline
            models.Index(fields=["campagne", "discipline"], name="poste_campagne_disc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.discipline} — {self.lieu}"

    @property
    def lieu(self) -> str:
        return str(self.etablissement or self.zone_remplacement or self.academie)
