"""Campagnes (with their calendar) and the posts they offer."""

from __future__ import annotations

import datetime
import functools
from typing import Any, ClassVar, cast

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from dossier.models import Academie, Discipline, Etablissement, ZoneRemplacement
from lib.audit import log_action
from lib.audit.models import LogEntry, LogEntryManager
from lib.prepared import Param, PreparedQuery
from siam.calendar import DATE_FIELDS, Calendrier, Jalon, annulation_open, at_or_after, phase_at, phase_end
from siam.models.choices import CampagneKind, EtatDemande, Phase, TypeVoeu

CALENDAR_FIELDS = DATE_FIELDS
# The field labels, also used by the constraints' messages (the class is not built when Meta is read).
DATE_LABELS = {
    "saisie_debut": _("ouverture de la saisie des vœux"),
    "saisie_fin": _("fermeture de la saisie des vœux"),
    "confirmation_debut": _("confirmation de demande disponible"),
    "retour_pieces_fin": _("date limite de retour de la confirmation et des pièces"),
    "bareme_affichage_debut": _("début de l'affichage des barèmes"),
    "bareme_affichage_fin": _("fin de l'affichage des barèmes (contestations)"),
    "baremes_definitifs": _("barèmes définitifs"),
    "annulation_fin": _("date limite d'annulation"),
    "resultats": _("publication des résultats"),
}
JALON_ANNOTATIONS = {"jalon_accuses": Jalon.ACCUSES, "jalon_definitifs": Jalon.DEFINITIFS, "jalon_publie": Jalon.PUBLIE}
# The SIAM home lists a campagne until a year after its results.
VISIBLE_FOR = datetime.timedelta(days=365)


def _ordered(before: str, after: str, *, strict: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{after}__gt" if strict else f"{after}__gte": F(before)})
    labels = {"before": DATE_LABELS[before], "after": DATE_LABELS[after]}
    message = (
        _("La date « %(after)s » doit être postérieure à la date « %(before)s ».")
        if strict
        else _("La date « %(after)s » ne peut pas précéder la date « %(before)s ».")
    )
    return models.CheckConstraint(
        condition=condition, name=f"campagne_{before}_before_{after}", violation_error_message=message % labels
    )


@functools.cache
def jalon_subqueries(outer: str = "pk") -> dict[str, Exists]:
    """The recorded facts that lock a campagne's calendar, each an EXISTS on the table that records it; ``outer``
    names the campagne's id in the outer query (``"campagne"`` on a query of demandes).

    Built once per process (1,250 Python calls saved on every list of campagnes): annotate() resolves a copy of
    each expression and of its inner query, never the cached one; callers must not mutate the dict."""
    from siam.models.bareme import BaremeVoeu
    from siam.models.demande import Demande
    from siam.models.mouvement import MouvementRun

    return {
        # an acknowledged demande is enregistrée, or annulée afterwards: the (campagne, etat) index finds it
        "jalon_accuses": Exists(
            Demande.objects.filter(
                campagne=OuterRef(outer),
                etat__in=(EtatDemande.ENREGISTREE, EtatDemande.ANNULEE),
                accuse_envoye_le__isnull=False,
            )
        ),
        "jalon_definitifs": Exists(BaremeVoeu.objects.filter(demande__campagne=OuterRef(outer), definitif=True)),
        "jalon_publie": Exists(MouvementRun.objects.filter(campagne=OuterRef(outer), published_at__isnull=False)),
    }


class CampagneQuerySet(models.QuerySet["Campagne"]):
    def visibles(self, *, cutoff: datetime.datetime | Param | None = None) -> CampagneQuerySet:
        """What the SIAM home lists: published campagnes whose results are not older than a year (``cutoff``)."""
        if cutoff is None:
            cutoff = timezone.now() - VISIBLE_FOR
        return self.filter(publiee=True, resultats__gte=cutoff).select_related("academie").with_jalons()

    def with_jalons(self) -> CampagneQuerySet:
        """Each campagne with its jalons, in the same query (lists of campagnes ask each one's phase)."""
        return self.annotate(**jalon_subqueries())


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
    max_voeux = models.PositiveSmallIntegerField(_("nombre maximal de vœux"), default=31)
    types_voeux = ArrayField(
        models.CharField(max_length=3, choices=TypeVoeu.choices),
        verbose_name=_("types de vœux autorisés"),
        default=list,
    )
    publiee = models.BooleanField(_("publiée"), default=True)
    # Calendar (DOMAIN.md §2), stored in UTC, entered and shown in Europe/Paris.
    saisie_debut = models.DateTimeField(DATE_LABELS["saisie_debut"])
    saisie_fin = models.DateTimeField(DATE_LABELS["saisie_fin"])
    confirmation_debut = models.DateTimeField(DATE_LABELS["confirmation_debut"])
    retour_pieces_fin = models.DateTimeField(DATE_LABELS["retour_pieces_fin"])
    bareme_affichage_debut = models.DateTimeField(DATE_LABELS["bareme_affichage_debut"])
    bareme_affichage_fin = models.DateTimeField(DATE_LABELS["bareme_affichage_fin"])
    baremes_definitifs = models.DateTimeField(DATE_LABELS["baremes_definitifs"])
    annulation_fin = models.DateTimeField(DATE_LABELS["annulation_fin"])
    resultats = models.DateTimeField(DATE_LABELS["resultats"])

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
            models.CheckConstraint(
                condition=Q(max_voeux__gte=1),
                name="campagne_max_voeux_positive",
                violation_error_message=_("Le nombre maximal de vœux doit être d'au moins 1."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=CampagneKind.INTRA) | Q(academie__isnull=False),
                name="campagne_intra_has_academie",
                violation_error_message=_("Une campagne intra-académique doit indiquer son académie."),
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "academie"],
                nulls_distinct=False,
                name="campagne_kind_year_academie_unique",
                violation_error_message=_("Une campagne de ce type existe déjà pour cette année et cette académie."),
            ),
        ]
        # The SIAM home lists published campagnes by their results date.
        indexes = [models.Index(fields=["publiee", "resultats"], name="campagne_visible_idx")]

    def __str__(self) -> str:
        return self.libelle

    @property
    def calendrier(self) -> Calendrier:
        return Calendrier(**{name: getattr(self, name) for name in CALENDAR_FIELDS})

    @cached_property
    def jalons(self) -> frozenset[Jalon]:
        """Accusés sent, barèmes définitifs, result published: read from the tables that record them."""
        if self.pk is None:
            return frozenset()
        if not all(hasattr(self, name) for name in JALON_ANNOTATIONS):
            values = _JALONS.first(pk=self.pk) or {}
            for name in JALON_ANNOTATIONS:
                setattr(self, name, bool(values.get(name)))
        return frozenset(jalon for name, jalon in JALON_ANNOTATIONS.items() if getattr(self, name))

    def forget_jalons(self) -> None:
        """After writing one of the facts: the next phase question reads them again."""
        self.__dict__.pop("jalons", None)
        for name in JALON_ANNOTATIONS:
            self.__dict__.pop(name, None)

    def phase_at(self, now: datetime.datetime) -> Phase:
        return Phase(phase_at(self.calendrier, now, self.jalons))

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
        phase = self.phase_at(now)
        return phase != Phase.A_VENIR and not at_or_after(phase, Phase.INSTRUCTION)

    def annulation_ouverte(self, now: datetime.datetime) -> bool:
        return annulation_open(self.calendrier, now, self.jalons)

    @property
    def is_inter(self) -> bool:
        return self.kind == CampagneKind.INTER

    @property
    def is_intra(self) -> bool:
        return self.kind == CampagneKind.INTRA


# Compiled once per process (lib.prepared: the SQL text, never a result; each call is a query): the jalons of one
# campagne, asked by every SIAM page that says a phase (2,000 Python calls to compile, 200 to run), and the campagnes
# of the SIAM home.
_JALONS = PreparedQuery(
    lambda: (
        Campagne.objects.filter(pk=Param("pk", models.IntegerField()))
        .annotate(**jalon_subqueries())
        .values(*JALON_ANNOTATIONS)[:1]
    )
)
_VISIBLES = PreparedQuery(lambda: Campagne.objects.visibles(cutoff=Param("cutoff", models.DateTimeField())))


def visible_campagnes(now: datetime.datetime) -> list[Campagne]:
    """``Campagne.objects.visibles()`` at ``now``, with their jalons, in one query of SQL compiled once."""
    return _VISIBLES.fetch(cutoff=now - VISIBLE_FOR)


class ChangementCalendrier(LogEntry):
    """One date of a campagne moved after its saisie opened: who, when, old → new, and why.

    The campagne's « campagne.calendrier » entries of the journal (lib.audit): the date's field in ``data``,
    the old and new dates (ISO) in ``avant`` and ``apres``.
    """

    ACTION = "campagne.calendrier"

    objects: ClassVar[LogEntryManager[ChangementCalendrier]] = LogEntryManager(prefix=ACTION)  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("changement du calendrier")
        verbose_name_plural = _("changements du calendrier")

    def __str__(self) -> str:
        return f"{self.content_object} — {self.get_champ_display()}"

    @classmethod
    def of(
        cls, campagne: Campagne, *, champ: str, ancienne: datetime.datetime, nouvelle: datetime.datetime, motif: str,
        auteur: Any, le: datetime.datetime,
    ) -> ChangementCalendrier:  # fmt: skip
        """An unsaved entry, for bulk_create."""
        entry = log_action(
            campagne, cls.ACTION, auteur=auteur, motif=motif, libelle=str(DATE_LABELS.get(champ, champ)),
            avant=ancienne.isoformat(), apres=nouvelle.isoformat(), data={"champ": champ}, save=False, model=cls,
        )  # fmt: skip
        entry.date = le
        return cast(ChangementCalendrier, entry)

    @property
    def champ(self) -> str:
        return str(self.info("champ"))

    def get_champ_display(self) -> str:
        return str(DATE_LABELS.get(self.champ, self.champ))

    @property
    def ancienne(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.avant)

    @property
    def nouvelle(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.apres)

    @property
    def le(self) -> datetime.datetime:
        return self.date


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
                violation_error_message=_(
                    "Un poste est situé dans un établissement, sur une zone de remplacement ou dans une académie\u00a0: un seul des trois."
                ),
            ),
            models.CheckConstraint(
                condition=Q(nombre__gt=0) | Q(susceptible_vacant=True),
                name="poste_offers_something",
                violation_error_message=_("Un poste offre au moins une place ou est susceptible d'être vacant."),
            ),
            models.CheckConstraint(
                condition=Q(profile=False) | ~Q(profil=""),
                name="poste_profile_has_profil",
                violation_error_message=_("Un poste à profil doit décrire son profil."),
            ),
            models.UniqueConstraint(
                fields=["campagne", "discipline", "etablissement", "zone_remplacement", "academie", "profile"],
                nulls_distinct=False,
                name="poste_unique_lieu",
                violation_error_message=_("Ce poste existe déjà pour cette campagne, cette discipline et ce lieu."),
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
