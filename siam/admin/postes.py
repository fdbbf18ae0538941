"""A campagne's posts in the admin: the list, and their CSV import (dossier.admin.imports, one page for all)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from dossier.admin.imports import IMPORT_CHANGE_LIST, CSVImportMixin
from siam.models import Campagne, Poste
from siam.postes_import import PosteImporter


@admin.register(Poste)
class PosteAdmin(CSVImportMixin, admin.ModelAdmin):
    importer_class = PosteImporter
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ("campagne", "discipline", "lieu", "nombre", "susceptible_vacant", "profile")
    list_filter = ("campagne", "profile", "susceptible_vacant", "discipline")
    search_fields = ("etablissement__nom", "etablissement__uai", "zone_remplacement__code", "academie__nom", "profil")
    autocomplete_fields = ()
    raw_id_fields = ("etablissement", "zone_remplacement")
    list_select_related = ("campagne", "discipline", "etablissement__commune", "zone_remplacement", "academie")

    def import_form_fields(self) -> dict[str, forms.Field]:
        return {"campagne": forms.ModelChoiceField(label=gettext_lazy("Campagne"), queryset=Campagne.objects.all())}
