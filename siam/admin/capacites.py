"""The inter's capacités d'accueil: entered one by one or imported from a CSV (preview, then confirm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siam.admin.campagnes import ImportForm
from siam.errors import SiamError
from siam.models import Campagne, CampagneKind, CapaciteAccueil
from siam.services.mouvement.capacites import COLUMNS, import_capacites, parse_capacites_csv


class CapaciteImportForm(ImportForm):
    campagne = forms.ModelChoiceField(
        label=gettext_lazy("Campagne inter"), queryset=Campagne.objects.filter(kind=CampagneKind.INTER)
    )


@admin.register(CapaciteAccueil)
class CapaciteAccueilAdmin(admin.ModelAdmin):
    list_display = ("campagne", "discipline", "academie", "places")
    list_filter = ("campagne", "discipline", "academie")
    list_editable = ("places",)
    list_select_related = ("campagne", "discipline", "academie")
    change_list_template = "siam/mouvement/admin/capacites_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("importer/", view, name="siam_capaciteaccueil_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → preview (or the line-numbered errors) → confirm. Nothing is written before the confirmation."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return redirect("admin:index")
        form = CapaciteImportForm(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "form": form,
            "columns": ";".join(COLUMNS),
            "opts": self.model._meta,
            "title": _("Importer des capacités d'accueil (CSV)"),
        }
        if request.method == "POST" and form.is_valid():
            try:
                text = form.text()
            except forms.ValidationError as exc:
                form.add_error("fichier", exc)
                return TemplateResponse(request, "siam/mouvement/admin/capacites_import.html", context)
            campagne, result = form.cleaned_data["campagne"], parse_capacites_csv(text)
            if not result.erreurs and "confirmer" in request.POST:
                try:
                    created, updated = import_capacites(campagne=campagne, result=result)
                except SiamError as exc:
                    form.add_error(None, exc.message)
                else:
                    self.message_user(
                        request,
                        _("%(c)s capacité(s) créée(s), %(u)s mise(s) à jour.") % {"c": created, "u": updated},
                        messages.SUCCESS,
                    )
                    return redirect("admin:siam_capaciteaccueil_changelist")
            context.update(result=result, apercu=result.lignes[:100], contenu=text, campagne=campagne)
        return TemplateResponse(request, "siam/mouvement/admin/capacites_import.html", context)
