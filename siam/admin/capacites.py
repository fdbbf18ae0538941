"""The inter's capacités d'accueil: entered one by one or imported from a CSV (preview, then confirm)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from dossier.admin.imports import IMPORT_CHANGE_LIST, CSVImportMixin
from siam.models import Campagne, CampagneKind, CapaciteAccueil
from siam.services.mouvement.capacites import CapaciteImporter


@admin.register(CapaciteAccueil)
class CapaciteAccueilAdmin(CSVImportMixin, admin.ModelAdmin):
    importer_class = CapaciteImporter
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ("campagne", "discipline", "academie", "places")
    list_filter = ("campagne", "discipline", "academie")
    list_editable = ("places",)
    list_select_related = ("campagne", "discipline", "academie")

    def import_form_fields(self) -> dict[str, forms.Field]:
        inter = Campagne.objects.filter(kind=CampagneKind.INTER)
        return {"campagne": forms.ModelChoiceField(label=gettext_lazy("Campagne inter"), queryset=inter)}
