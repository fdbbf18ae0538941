"""Mouvement runs: what was computed, from which inputs, certified how, and what each participant obtained.

A run is a record, never edited after it finished: its inputs snapshot lets anyone
re-run the engine and the checker on exactly the same data (``manage.py mouvement verify``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siam.models.campagne import Campagne, Poste
from siam.models.demande import Demande

if TYPE_CHECKING:
    from accounts.models import Agent

# Barèmes are Decimals with one decimal place (150,2 points); the engine compares ints.
SCORE_SCALE = 10


class StatutRun(models.TextChoices):
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    FAILED = "failed", _("échoué")


class RaisonEchec(models.TextChoices):
    """Why a better-ranked voeu was not obtained (the why-not table)."""

    BARRE = "barre", _("barème inférieur à la barre")
    EGALITE = "egalite", _("égalité départagée par l'ordre publié")
    PLACE = "place", _("aucune place ne s'est libérée")
    DEJA_DEMANDE = "deja", _("ses postes figuraient déjà dans vos vœux mieux classés")
    AUCUN_POSTE = "aucun", _("aucun poste de votre discipline dans cette zone")


class MouvementRunQuerySet(models.QuerySet["MouvementRun"]):
    def for_campagne(self, campagne: Campagne) -> MouvementRunQuerySet:
        return self.filter(campagne=campagne)

    def published(self) -> MouvementRunQuerySet:
        return self.filter(published_at__isnull=False)


class MouvementRun(models.Model):
    campagne = models.ForeignKey(  # indexed with started_at below
        Campagne, on_delete=models.PROTECT, related_name="mouvement_runs", verbose_name=_("campagne"), db_index=False
    )
    statut = models.CharField(_("statut"), max_length=8, choices=StatutRun, default=StatutRun.RUNNING)
    started_at = models.DateTimeField(_("lancé le"), default=timezone.now)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lancé par"),
    )
    seed = models.CharField(
        _("graine du tirage de départage"),
        max_length=64,
        blank=True,
        help_text=_("Celle du tirage publié de la campagne\u00a0: le départage est reproductible."),
    )
    exchange = models.BooleanField(_("étape d'échanges simulée"), default=False)
    extension = models.BooleanField(_("procédure d'extension"), default=True)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    inputs = models.BinaryField(_("données d'entrée (JSON compressé)"), null=True, blank=True, editable=False)
    inputs_sha256 = models.CharField(_("empreinte des données d'entrée"), max_length=64, blank=True)
    verdict_ok = models.BooleanField(_("certifié par le vérificateur"), null=True, blank=True)
    violations = models.JSONField(_("violations relevées"), default=list, blank=True)
    violations_total = models.PositiveIntegerField(_("nombre de violations"), default=0)
    stats = models.JSONField(_("statistiques"), default=dict, blank=True)
    barres = models.JSONField(_("barres par poste"), default=dict, blank=True)
    exchange_report = models.JSONField(_("comparaison avec les échanges"), null=True, blank=True)
    durations = models.JSONField(_("durées par étape (s)"), default=dict, blank=True)
    erreur = models.TextField(_("erreur"), blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publié par"),
    )
    published_exchange = models.BooleanField(_("résultat publié\u00a0: après échanges"), default=False)
    courrier_key = models.CharField(_("clé de l'envoi au courrier"), max_length=200, blank=True)

    objects = MouvementRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("run du mouvement")
        verbose_name_plural = _("runs du mouvement")
        ordering = ["-started_at", "-pk"]
        permissions = [
            ("run_mouvement", _("Lancer un mouvement")),
            ("publish_mouvement", _("Publier les résultats d'un mouvement")),
        ]
        constraints = [
            # one result per campagne reaches the teachers
            models.UniqueConstraint(
                fields=["campagne"],
                condition=Q(published_at__isnull=False),
                name="mouvementrun_one_published",
                violation_error_message=_("Un autre run de cette campagne est déjà publié."),
            ),
            # two runs computing at once would race on the implicit postes and confuse staff
            models.UniqueConstraint(
                fields=["campagne"],
                condition=Q(statut=StatutRun.RUNNING),
                name="mouvementrun_one_running",
                violation_error_message=_("Un calcul du mouvement est déjà en cours pour cette campagne."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(verdict_ok=True, statut=StatutRun.DONE),
                name="mouvementrun_published_is_certified",
                violation_error_message=_("Seul un run terminé et certifié par le vérificateur peut être publié."),
            ),
            models.CheckConstraint(
                condition=Q(statut=StatutRun.RUNNING) | Q(finished_at__isnull=False),
                name="mouvementrun_finished_has_date",
                violation_error_message=_("Un run terminé doit porter sa date de fin."),
            ),
        ]
        # the admin list and "the previous run" of a campagne
        indexes = [models.Index(fields=["campagne", "-started_at"], name="mvtrun_campagne_started_idx")]

    def __str__(self) -> str:
        return f"{self.campagne} — run n° {self.pk} du {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"

    @property
    def duration(self) -> datetime.timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def previous(self) -> MouvementRun | None:
        """The run of the same campagne finished just before this one, to compare with."""
        return (
            MouvementRun.objects.filter(
                campagne_id=self.campagne_id, statut=StatutRun.DONE, started_at__lt=self.started_at
            )
            .order_by("-started_at")
            .first()
        )


class MouvementResultatQuerySet(models.QuerySet["MouvementResultat"]):
    def for_agent(self, agent: Agent) -> MouvementResultatQuerySet:
        return self.filter(demande__agent=agent)

    def published(self) -> MouvementResultatQuerySet:
        return self.filter(run__published_at__isnull=False)

    def with_postes(self) -> MouvementResultatQuerySet:
        return self.select_related(
            "poste__discipline",
            "poste__etablissement__commune",
            "poste__zone_remplacement",
            "poste__academie",
            "poste_echange__etablissement__commune",
            "poste_echange__zone_remplacement",
            "poste_echange__academie",
        )


class MouvementResultat(models.Model):
    """One participant's outcome in one run, and why they did not obtain their better voeux.

    ``why_not`` rows, one per better-ranked voeu: ``[rang, barème × 10, barre × 10 or null,
    raison, postes couverts, poste de la barre or null]`` — compact because a national
    run stores 30,000 of them.
    """

    # indexed by the (run, demande) constraint, which the admin list and the comparison of runs read
    run = models.ForeignKey(
        MouvementRun, on_delete=models.CASCADE, related_name="resultats", verbose_name=_("run"), db_index=False
    )
    # its own index serves the teacher's result page: their demande's result in the published run
    demande = models.ForeignKey(
        Demande, on_delete=models.PROTECT, related_name="resultats_mouvement", verbose_name=_("demande")
    )
    poste = models.ForeignKey(
        Poste, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("poste obtenu")
    )
    voeu_rang = models.PositiveSmallIntegerField(_("rang du vœu obtenu"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position dans la liste développée"), null=True, blank=True)
    score = models.IntegerField(_("barème sur le poste obtenu (× 10)"), null=True, blank=True)
    kept = models.BooleanField(_("maintenu sur son poste"), default=False)
    extended = models.BooleanField(_("affecté en extension"), default=False)
    why_not = models.JSONField(_("explication"), default=list, blank=True)
    poste_echange = models.ForeignKey(
        Poste,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poste après échanges (simulation)"),
    )
    voeu_rang_echange = models.PositiveSmallIntegerField(_("rang du vœu après échanges"), null=True, blank=True)

    objects = MouvementResultatQuerySet.as_manager()

    class Meta:
        verbose_name = _("résultat du mouvement")
        verbose_name_plural = _("résultats du mouvement")
        ordering = ["run", "demande"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "demande"],
                name="mouvementresultat_run_demande_unique",
                violation_error_message=_("Cette demande a déjà un résultat dans ce run."),
            ),
            models.CheckConstraint(
                condition=~Q(kept=True, extended=True),
                name="mouvementresultat_kept_or_extended",
                violation_error_message=_(
                    "Un participant est maintenu sur son poste ou affecté en extension, pas les deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kept=False, extended=False) | Q(poste__isnull=False),
                name="mouvementresultat_has_poste",
                violation_error_message=_("Un participant maintenu ou affecté en extension a un poste."),
            ),
            models.CheckConstraint(
                condition=Q(extended=False) | Q(voeu_rang__isnull=True),
                name="mouvementresultat_extended_no_rang",
                violation_error_message=_("Une affectation en extension ne correspond à aucun rang de vœu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demande} — {self.poste or _('aucun poste')}"

    @property
    def obtained_voeu(self) -> bool:
        return self.poste_id is not None and not self.kept and not self.extended

    @property
    def moved(self) -> bool:
        return self.poste_id is not None and not self.kept


class TableExtensionQuerySet(models.QuerySet["TableExtension"]):
    def for_campagne(self, campagne: Campagne) -> TableExtensionQuerySet:
        return self.filter(campagne=campagne)


class TableExtension(models.Model):
    """One row of the table d'extension: from a zone, the zones tried next, nearest first.

    Zones are académies at the inter (their code, e.g. CLERMONT) and départements at the
    intra (e.g. 063). Without rows, the inter follows the académies limitrophes and the
    intra the départements by distance.
    """

    campagne = models.ForeignKey(
        Campagne, on_delete=models.CASCADE, related_name="table_extension", verbose_name=_("campagne")
    )
    zone = models.CharField(
        _("zone de départ"), max_length=20, help_text=_("Code de l'académie (inter) ou du département (intra).")
    )
    voisins = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("zones suivantes, dans l'ordre"),
        help_text=_("Codes séparés par des virgules, la plus proche d'abord."),
    )

    objects = TableExtensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ligne de la table d'extension")
        verbose_name_plural = _("lignes de la table d'extension")
        ordering = ["campagne", "zone"]
        constraints = [
            models.UniqueConstraint(
                fields=["campagne", "zone"],
                name="tableextension_campagne_zone_unique",
                violation_error_message=_("Cette zone a déjà sa table d'extension pour cette campagne."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone} → {', '.join(self.voisins)}"
