"""Dossiers in the admin: every change by staff is recorded (who, when, what, before/after, motif)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agent
from dossier.admin.imports import IMPORT_CHANGE_LIST, CSVImportMixin
from dossier.models import (
    Affectation,
    Diplome,
    Dossier,
    DossierChange,
    EchelonHistorique,
    Enfant,
    Formation,
)
from dossier.services.dossiers import save_dossier, save_rows
from dossier.services.imports import AgentImporter
from lib.admin_search import SemiJoinSearchMixin


class DossierAdminForm(forms.ModelForm[Dossier]):
    motif = forms.CharField(
        label=gettext_lazy("Motif de la modification"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Obligatoire pour toute modification (ex. « arrêté d'avancement du 10 mars 2025 »)\u00a0; "
            "conservé dans l'historique du dossier avec votre nom et la date."
        ),
    )

    class Meta:
        model = Dossier
        fields = (
            "agent",
            "adresse",
            "code_postal",
            "ville",
            "telephone",
            "situation_familiale",
            "conjoint_nom",
            "conjoint_profession",
            "conjoint_academie",
            "conjoint_commune",
            "position",
            "corps",
            "grade",
            "echelon",
            "date_echelon",
            "reclassement_echelon",
            "academie_stage",
            "debut_ags",
            "discipline",
            "etablissement",
            "zone_remplacement",
            "affectation_provisoire",
            "date_entree_poste",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        commune, academie = data.get("conjoint_commune"), data.get("conjoint_academie")
        if commune is not None and academie is not None and academie != commune.departement.academie:
            # the barème reads the commune first: the académie must be the commune's, never another
            self.add_error(
                "conjoint_academie",
                _(
                    "La commune %(commune)s est dans l'académie de %(academie)s\u00a0: l'académie du conjoint en découle."
                )
                % {"commune": commune.nom, "academie": commune.departement.academie.nom},
            )
        if self.instance.pk and not (data.get("motif") or "").strip():
            self.add_error("motif", _("Indiquez le motif de la modification\u00a0: il est conservé dans l'historique."))
        return data


class HistoryInline(admin.TabularInline):
    extra = 0


class EnfantInline(HistoryInline):
    model = Enfant
    fields = ("prenom", "date_naissance")


class EchelonHistoriqueInline(HistoryInline):
    model = EchelonHistorique
    fields = ("date_effet", "grade", "echelon", "modalite")


class AffectationInline(HistoryInline):
    model = Affectation
    fields = ("date_debut", "date_fin", "etablissement", "zone_remplacement", "libelle", "nature")
    autocomplete_fields = ("etablissement", "zone_remplacement")


class DiplomeInline(HistoryInline):
    model = Diplome
    fields = ("annee", "intitule", "specialite", "etablissement")


class FormationInline(HistoryInline):
    model = Formation
    fields = ("nature", "libelle", "date_debut", "date_fin")


class DossierChangeColumns:
    """The journal's columns as staff read a dossier's history."""

    @admin.display(description=gettext_lazy("objet"))
    def objet(self, obj: DossierChange) -> str:
        return obj.libelle

    @admin.display(description=gettext_lazy("avant"))
    def avant_texte(self, obj: DossierChange) -> str:
        return str(obj.avant or "")

    @admin.display(description=gettext_lazy("après"))
    def apres_texte(self, obj: DossierChange) -> str:
        return str(obj.apres or "")


class DossierChangeInline(DossierChangeColumns, GenericTabularInline):
    """The history, read from the journal, read-only, most recent first."""

    model = DossierChange
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("date", "auteur", "objet", "avant_texte", "apres_texte", "motif")
    readonly_fields = fields
    ordering = ("-date", "-id")
    verbose_name_plural = gettext_lazy("Historique des modifications (qui, quand, quoi, pourquoi)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[DossierChange]:
        return super().get_queryset(request).select_related("auteur")


@admin.register(Dossier)
class DossierAdmin(SemiJoinSearchMixin, CSVImportMixin, admin.ModelAdmin):
    importer_class = AgentImporter
    change_list_template = IMPORT_CHANGE_LIST
    form = DossierAdminForm
    list_display = ("agent", "corps", "grade", "echelon", "date_echelon", "discipline", "affectation")
    list_filter = ("corps", "grade__classe", "position", "discipline", "situation_familiale", "affectation_provisoire")
    search_fields = ("agent__nom", "agent__prenom", "agent__identifiant", "agent__numen", "etablissement__uai")
    list_select_related = ("agent", "corps", "grade", "discipline", "etablissement__commune", "zone_remplacement")
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    autocomplete_fields = (
        "agent",
        "etablissement",
        "zone_remplacement",
        "conjoint_commune",
        "conjoint_academie",
        "academie_stage",
        "discipline",
    )
    readonly_fields = ("cv",)
    inlines = [
        EnfantInline,
        EchelonHistoriqueInline,
        AffectationInline,
        DiplomeInline,
        FormationInline,
        DossierChangeInline,
    ]
    fieldsets = (
        (None, {"fields": ("agent", "cv")}),
        (gettext_lazy("Identité et contacts"), {"fields": ("adresse", "code_postal", "ville", "telephone")}),
        (
            gettext_lazy("Situation familiale"),
            {
                "fields": (
                    "situation_familiale",
                    "conjoint_nom",
                    "conjoint_profession",
                    "conjoint_academie",
                    "conjoint_commune",
                )
            },
        ),
        (
            gettext_lazy("Carrière"),
            {
                "fields": (
                    "position",
                    "corps",
                    "grade",
                    "echelon",
                    "date_echelon",
                    "reclassement_echelon",
                    "academie_stage",
                    "debut_ags",
                )
            },
        ),
        (
            gettext_lazy("Affectation"),
            {
                "fields": (
                    "discipline",
                    "etablissement",
                    "zone_remplacement",
                    "affectation_provisoire",
                    "date_entree_poste",
                )
            },
        ),
        (gettext_lazy("Motif de la modification"), {"fields": ("motif",)}),
    )

    def has_import_permission(self, request: HttpRequest) -> bool:
        user: Agent = request.user  # type: ignore[assignment]
        return user.has_perms(["accounts.add_agent", "dossier.add_dossier"])

    def get_readonly_fields(self, request: HttpRequest, obj: Dossier | None = None) -> tuple[str, ...]:
        return ("agent", "cv") if obj else ("cv",)

    @admin.display(description=gettext_lazy("affectation"))
    def affectation(self, obj: Dossier) -> str:
        return str(obj.etablissement or obj.zone_remplacement or "—")

    @admin.display(description=gettext_lazy("CV"))
    def cv(self, obj: Dossier) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:dossier_cventry_changelist") + f"?agent__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Lire le CV de l'agent"))

    def save_model(self, request: HttpRequest, obj: Dossier, form: forms.ModelForm[Dossier], change: bool) -> None:
        """Saved and journaled by the dossier service, as an import or the shell would."""
        fields = [n for n in form.changed_data if n != "motif"]
        motif = form.cleaned_data.get("motif") or ""
        save_dossier(dossier=obj, auteur=request.user, motif=motif, fields=fields)  # type: ignore[arg-type]

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm[Dossier], formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is DossierChange:  # read-only: nothing to save, nothing to record
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # lists new, changed and deleted rows (for the admin's message too)
        save_rows(
            dossier=form.instance, auteur=request.user, motif=form.cleaned_data.get("motif") or "",  # type: ignore[arg-type]
            added=formset.new_objects, changed=formset.changed_objects, deleted=formset.deleted_objects,
        )  # fmt: skip


@admin.register(DossierChange)
class DossierChangeAdmin(DossierChangeColumns, admin.ModelAdmin):
    list_display = ("date", "dossier", "auteur", "objet", "avant_texte", "apres_texte", "motif")
    list_filter = ("date", ("auteur", admin.RelatedOnlyFieldListFilter))  # the authors, not 50,000 agents
    search_fields = ("libelle", "motif")
    list_select_related = ("auteur",)
    show_full_result_count = False  # the journal only grows

    def get_queryset(self, request: HttpRequest) -> QuerySet[DossierChange]:
        # each row names its dossier's agent: one query for the page's dossiers, not one per row
        dossiers = GenericPrefetch("content_object", [Dossier.objects.select_related("agent")])
        return super().get_queryset(request).prefetch_related(dossiers)

    @admin.display(description=gettext_lazy("dossier"))
    def dossier(self, obj: DossierChange) -> Any:
        return obj.content_object

    date_hierarchy = "date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
