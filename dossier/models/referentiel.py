"""Reference data administered by the rectorat: geography, établissements, corps and grades."""

from __future__ import annotations

import re

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from dossier.uai import is_valid_uai


class Academie(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Ex. CLERMONT, LYON."))
    nom = models.CharField(_("nom"), max_length=100)
    # The ministry's two-digit code ("06" for Clermont-Ferrand): siam.bareme.geography keys on it.
    code_ministere = models.CharField(
        _("code ministériel"), max_length=2, blank=True, help_text=_("Code à deux chiffres, ex. 06 pour Clermont.")
    )
    is_dom = models.BooleanField(_("outre-mer (DOM)"), default=False)
    is_corse = models.BooleanField(_("Corse"), default=False)
    limitrophes = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("académies limitrophes"))

    class Meta:
        verbose_name = _("académie")
        verbose_name_plural = _("académies")
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_ministere"],
                condition=~models.Q(code_ministere=""),
                name="academie_code_ministere_unique",
                violation_error_message=_("Ce code ministériel est déjà celui d'une autre académie."),
            ),
        ]

    def __str__(self) -> str:
        return self.nom


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    nom = models.CharField(_("nom"), max_length=100)
    academie = models.ForeignKey(
        Academie, on_delete=models.PROTECT, related_name="departements", verbose_name=_("académie")
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.nom}"


class SearchName(models.Func):
    """The name as searched: unaccented, lower case, hyphens and apostrophes as spaces.

    ``iprof_search_name`` is an IMMUTABLE SQL function over PostgreSQL's ``unaccent`` (migration
    dossier 0003), so that the trigram index below can be built on it.
    """

    function = "iprof_search_name"
    output_field = models.CharField()


INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


class CommuneQuerySet(QuerySet["Commune"]):
    def search(self, q: str) -> QuerySet[Commune]:
        """By INSEE code, or by name whatever its accents and hyphens: exact names first, then prefixes."""
        q = q.strip()
        if INSEE_CODE.match(q.upper()):
            return self.filter(code_insee=q.upper())
        name = SearchName(Value(q))
        return (
            self.alias(searched=SearchName("nom"))
            .filter(searched__contains=name)  # commune_nom_trgm_idx
            .annotate(
                pertinence=Case(
                    When(searched=name, then=Value(0)),
                    When(searched__startswith=name, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("pertinence", "nom", "code_insee")
        )


class Commune(models.Model):
    code_insee = models.CharField(_("code INSEE"), max_length=5, unique=True)
    nom = models.CharField(_("nom"), max_length=100)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="communes", verbose_name=_("département")
    )
    # SIAM orders the posts of a large voeu by distance as the crow flies. The COG gives no
    # coordinates: communes loaded from it have none until the rectorat enters them.
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["nom"]
        indexes = [
            models.Index(fields=["nom"], name="commune_nom_idx"),  # voeu search by name
            # CommuneQuerySet.search: LIKE '%…%' on the unaccented name (pg_trgm)
            GinIndex(OpClass(SearchName("nom"), name="gin_trgm_ops"), name="commune_nom_trgm_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="commune_coordinates_both_or_none",
                violation_error_message=_("Indiquez la latitude et la longitude de la commune, ou aucune des deux."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.departement_id and self.departement.code})"


class GroupementCommunes(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    nom = models.CharField(_("nom"), max_length=100)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="groupements", verbose_name=_("département")
    )
    communes = models.ManyToManyField(Commune, related_name="groupements", verbose_name=_("communes"))

    class Meta:
        verbose_name = _("groupement de communes")
        verbose_name_plural = _("groupements de communes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.nom}"


class ZoneRemplacement(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    nom = models.CharField(_("nom"), max_length=100)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="zones_remplacement", verbose_name=_("département")
    )
    siege = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune de rattachement")
    )
    communes = models.ManyToManyField(
        Commune, related_name="zones_remplacement", blank=True, verbose_name=_("communes couvertes")
    )

    class Meta:
        verbose_name = _("zone de remplacement")
        verbose_name_plural = _("zones de remplacement")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.nom}"


class TypeEtablissement(models.TextChoices):
    COLLEGE = "CLG", _("collège")
    LYCEE = "LGT", _("lycée général et technologique")
    LYCEE_POLYVALENT = "LPO", _("lycée polyvalent")
    LYCEE_PRO = "LP", _("lycée professionnel")
    EREA = "EREA", _("EREA")
    CIO = "CIO", _("centre d'information et d'orientation")


class EducationPrioritaire(models.TextChoices):
    AUCUNE = "", _("hors éducation prioritaire")
    REP = "REP", _("REP")
    REP_PLUS = "REP+", _("REP+")
    POLITIQUE_VILLE = "PV", _("politique de la ville")


def validate_uai(value: str) -> None:
    if not is_valid_uai(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un code UAI valide (7 chiffres suivis de la lettre de contrôle)."),
            params={"value": value},
            code="uai",
        )


class Etablissement(models.Model):
    uai = models.CharField(_("code UAI"), max_length=8, unique=True, validators=[validate_uai])
    nom = models.CharField(_("nom"), max_length=150)
    type = models.CharField(_("type"), max_length=4, choices=TypeEtablissement)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="etablissements", verbose_name=_("commune")
    )
    education_prioritaire = models.CharField(
        _("éducation prioritaire"), max_length=4, choices=EducationPrioritaire, blank=True, default=""
    )

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["nom"]
        indexes = [models.Index(fields=["nom"], name="etablissement_nom_idx")]  # voeu search by name

    def __str__(self) -> str:
        return f"{self.nom} — {self.commune.nom if self.commune_id else ''} ({self.uai})"


class Discipline(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("Ex. L0202 (lettres modernes)."))
    libelle = models.CharField(_("libellé"), max_length=100)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class Corps(models.Model):
    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("Ex. CERT, AGREG, PLP, CPE, PSYEN, PEPS.")
    )
    libelle = models.CharField(_("libellé"), max_length=100)

    class Meta:
        verbose_name = _("corps")
        verbose_name_plural = _("corps")
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class Classe(models.TextChoices):
    NORMALE = "normale", _("classe normale")
    HORS_CLASSE = "hors_classe", _("hors classe")
    EXCEPTIONNELLE = "exceptionnelle", _("classe exceptionnelle")


class Grade(models.Model):
    corps = models.ForeignKey(Corps, on_delete=models.PROTECT, related_name="grades", verbose_name=_("corps"))
    classe = models.CharField(_("classe"), max_length=16, choices=Classe)
    libelle = models.CharField(_("libellé"), max_length=100)
    echelon_max = models.PositiveSmallIntegerField(_("dernier échelon"))

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["corps", "classe"]
        constraints = [
            models.UniqueConstraint(
                fields=["corps", "classe"],
                name="grade_corps_classe_unique",
                violation_error_message=_("Ce corps a déjà un grade de cette classe."),
            )
        ]

    def __str__(self) -> str:
        return self.libelle


class EchelonDuree(models.Model):
    """The échelon grid as data (DOMAIN.md §1): how long one stays in an échelon."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="durees", verbose_name=_("grade"))
    echelon = models.PositiveSmallIntegerField(_("échelon"))
    duree_mois = models.PositiveSmallIntegerField(_("durée (mois)"))
    duree_acceleree_mois = models.PositiveSmallIntegerField(
        _("durée accélérée (mois)"),
        null=True,
        blank=True,
        help_text=_("Après le rendez-vous de carrière, pour 30 % de la cohorte."),
    )

    class Meta:
        verbose_name = _("durée d'échelon")
        verbose_name_plural = _("durées d'échelon")
        ordering = ["grade", "echelon"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade", "echelon"],
                name="echelon_duree_unique",
                violation_error_message=_("La durée de cet échelon est déjà définie pour ce grade."),
            ),
            models.CheckConstraint(
                condition=models.Q(duree_acceleree_mois__isnull=True)
                | models.Q(duree_acceleree_mois__lt=models.F("duree_mois")),
                name="echelon_acceleration_shorter",
                violation_error_message=_(
                    "La durée accélérée doit être plus courte que la durée normale de l'échelon."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} — échelon {self.echelon} → {self.echelon + 1}"


class ConditionPromotion(models.Model):
    """When an agent becomes promouvable to a higher grade (DOMAIN.md §1), as data.

    Hors-classe: 2 years in the 9th échelon of the classe normale. Classe
    exceptionnelle: vivier 1 (3rd échelon of the hors-classe and 8 years of
    fonctions particulières), vivier 2 (last échelon of the hors-classe).
    Conditions are appreciated on a given day of the year (31 August).
    """

    grade = models.ForeignKey(
        Grade, on_delete=models.CASCADE, related_name="conditions_promotion", verbose_name=_("grade d'origine")
    )
    vers = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="+", verbose_name=_("grade d'accès"))
    libelle = models.CharField(_("libellé"), max_length=100, help_text=_("Ex. « vivier 1 — fonctions particulières »."))
    echelon_min = models.PositiveSmallIntegerField(_("échelon minimal"))
    anciennete_echelon_mois = models.PositiveSmallIntegerField(_("ancienneté dans cet échelon (mois)"), default=0)
    fonctions_particulieres_mois = models.PositiveSmallIntegerField(
        _("durée de fonctions particulières exigée (mois)"),
        default=0,
        help_text=_("Éducation prioritaire, etc. 0\u00a0: pas de condition."),
    )
    appreciation_jour = models.PositiveSmallIntegerField(_("appréciée au (jour)"), default=31)
    appreciation_mois = models.PositiveSmallIntegerField(_("appréciée au (mois)"), default=8)

    class Meta:
        verbose_name = _("condition de promotion")
        verbose_name_plural = _("conditions de promotion")
        ordering = ["grade", "vers", "echelon_min"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade", "vers", "libelle"],
                name="condition_promotion_unique",
                violation_error_message=_("Cette condition de promotion existe déjà pour ce grade."),
            ),
            models.CheckConstraint(
                condition=models.Q(appreciation_mois__gte=1, appreciation_mois__lte=12)
                & models.Q(appreciation_jour__gte=1, appreciation_jour__lte=31),
                name="condition_promotion_appreciation_valid",
                violation_error_message=_(
                    "La date d'appréciation doit être un jour (1 à 31) et un mois (1 à 12) valides."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} → {self.vers} ({self.libelle})"
