"""Reference data: géographie, établissements (with CSV import), disciplines, corps, grades and the grid."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dossier.admin.imports import IMPORT_CHANGE_LIST, CSVImportMixin
from dossier.models import (
    Academie,
    Commune,
    ConditionPromotion,
    Corps,
    Departement,
    Discipline,
    EchelonDuree,
    Etablissement,
    Grade,
    GroupementCommunes,
    ZoneRemplacement,
)
from dossier.services.imports import EtablissementImporter


class DepartementInline(admin.TabularInline):
    model = Departement
    extra = 0
    fields = ("code", "nom")
    show_change_link = True


@admin.register(Academie)
class AcademieAdmin(admin.ModelAdmin):
    list_display = ("nom", "code", "code_ministere", "is_dom", "is_corse", "nb_limitrophes")
    list_filter = ("is_dom", "is_corse")
    search_fields = ("nom", "code", "code_ministere")
    filter_horizontal = ("limitrophes",)
    inlines = [DepartementInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Academie]:
        return super().get_queryset(request).annotate(_nb_limitrophes=Count("limitrophes"))

    @admin.display(description=_("limitrophes"), ordering="_nb_limitrophes")
    def nb_limitrophes(self, obj: Any) -> int:
        return obj._nb_limitrophes


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ("code", "nom", "academie")
    list_filter = ("academie",)
    search_fields = ("code", "nom")
    list_select_related = ("academie",)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("nom", "code_insee", "departement", "latitude", "longitude")
    list_filter = ("departement__academie", "departement")
    search_fields = ("nom", "code_insee")
    list_select_related = ("departement",)


@admin.register(GroupementCommunes)
class GroupementCommunesAdmin(admin.ModelAdmin):
    list_display = ("code", "nom", "departement", "nb_communes")
    list_filter = ("departement",)
    search_fields = ("code", "nom", "communes__nom")
    autocomplete_fields = ("communes",)
    list_select_related = ("departement",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[GroupementCommunes]:
        return super().get_queryset(request).annotate(_nb=Count("communes"))

    @admin.display(description=_("communes"), ordering="_nb")
    def nb_communes(self, obj: Any) -> int:
        return obj._nb


@admin.register(ZoneRemplacement)
class ZoneRemplacementAdmin(admin.ModelAdmin):
    list_display = ("code", "nom", "departement", "siege")
    list_filter = ("departement",)
    search_fields = ("code", "nom", "siege__nom")
    autocomplete_fields = ("siege", "communes")
    list_select_related = ("departement", "siege__departement")


@admin.register(Etablissement)
class EtablissementAdmin(CSVImportMixin, admin.ModelAdmin):
    importer_class = EtablissementImporter
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ("uai", "nom", "type", "commune", "education_prioritaire")
    list_filter = ("type", "education_prioritaire", "commune__departement")
    search_fields = ("uai", "nom", "commune__nom")
    autocomplete_fields = ("commune",)
    list_select_related = ("commune__departement",)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ("code", "libelle")
    search_fields = ("code", "libelle")


class GradeInline(admin.TabularInline):
    model = Grade
    extra = 0
    fields = ("classe", "libelle", "echelon_max")
    show_change_link = True


@admin.register(Corps)
class CorpsAdmin(admin.ModelAdmin):
    list_display = ("code", "libelle")
    search_fields = ("code", "libelle")
    inlines = [GradeInline]


class EchelonDureeInline(admin.TabularInline):
    model = EchelonDuree
    extra = 0
    fields = ("echelon", "duree_mois", "duree_acceleree_mois")


class ConditionPromotionInline(admin.TabularInline):
    model = ConditionPromotion
    fk_name = "grade"
    extra = 0
    fields = (
        "vers",
        "libelle",
        "echelon_min",
        "anciennete_echelon_mois",
        "fonctions_particulieres_mois",
        "appreciation_jour",
        "appreciation_mois",
    )


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ("libelle", "corps", "classe", "echelon_max")
    list_filter = ("corps", "classe")
    search_fields = ("libelle", "corps__code")
    list_select_related = ("corps",)
    inlines = [EchelonDureeInline, ConditionPromotionInline]


@admin.register(EchelonDuree)
class EchelonDureeAdmin(admin.ModelAdmin):
    """The whole grid on one page, editable in place."""

    list_display = ("grade", "echelon", "duree_mois", "duree_acceleree_mois")
    list_editable = ("duree_mois", "duree_acceleree_mois")
    list_filter = ("grade__corps", "grade__classe")
    list_select_related = ("grade",)
    ordering = ("grade__corps__code", "grade__classe", "echelon")
    list_per_page = 200


@admin.register(ConditionPromotion)
class ConditionPromotionAdmin(admin.ModelAdmin):
    list_display = (
        "grade",
        "vers",
        "libelle",
        "echelon_min",
        "anciennete_echelon_mois",
        "fonctions_particulieres_mois",
    )
    list_filter = ("grade__corps",)
    list_select_related = ("grade", "vers")
