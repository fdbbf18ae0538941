"""CSV import in the admin: upload → preview table → confirm. Nothing is written before the confirmation,
and the confirmation writes every line or none (dossier.services.imports)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.errors import DossierError
from dossier.services.imports import IMPORTERS, Importer, ImportRefused, decode_upload
from lib.text import accord

IMPORT_CHANGE_LIST = "dossier/admin/change_list_import.html"
SALT = "dossier.csv-import"
MAX_AGE = 3600  # a preview can be confirmed for an hour


class CSVUploadForm(forms.Form):
    fichier = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy("Séparateur « ; » ou « , », encodage UTF-8 ou Windows (Excel), 2 Mo au plus."),
    )


class CSVImportMixin:
    """Adds /importer/ and /importer/modele.csv to a ModelAdmin whose `import_key` names an importer."""

    import_key: str  # the ModelAdmin also sets change_list_template = IMPORT_CHANGE_LIST

    def has_import_permission(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta  # type: ignore[attr-defined]
        name = f"{opts.app_label}_{opts.model_name}_import"
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("importer/", view(self.import_view), name=name),
            path("importer/modele.csv", view(self.import_template_view), name=f"{name}_template"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        extra["import_label"] = IMPORTERS[self.import_key].label
        return super().changelist_view(request, extra)  # type: ignore[misc]

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        importer = IMPORTERS[self.import_key]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerows([importer.columns, importer.example])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="modele-{self.import_key}.csv"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        importer = IMPORTERS[self.import_key]()
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm(request, importer)
        form = CSVUploadForm(request.POST, request.FILES) if request.method == "POST" else CSVUploadForm()
        context: dict[str, Any] = {"form": form}
        if form.is_bound and form.is_valid():
            try:
                text = decode_upload(form.cleaned_data["fichier"].read())
            except DossierError as exc:
                form.add_error("fichier", exc.message)
            else:
                preview = importer.preview(text)
                context["preview"] = preview
                if preview.ok:
                    context["payload"] = signing.dumps(text, salt=SALT, compress=True)
        return self._render(request, importer, context)

    def _confirm(self, request: HttpRequest, importer: Importer) -> HttpResponse:
        try:
            text = signing.loads(request.POST["payload"], salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("L'aperçu a expiré ou a été modifié\u00a0: déposez à nouveau le fichier."))
            return redirect(request.path)
        try:
            count = importer.apply(text, auteur=request.user)  # type: ignore[arg-type]
        except ImportRefused as exc:
            messages.error(request, exc.message)
            return self._render(request, importer, {"form": CSVUploadForm(), "refused": exc.errors})
        lignes = accord(count, _("%(n)s ligne importée"), _("%(n)s lignes importées"))
        messages.success(request, _("%(lignes)s\u00a0: %(label)s.") % {"lignes": lignes, "label": importer.label})
        opts = self.model._meta  # type: ignore[attr-defined]
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def _render(self, request: HttpRequest, importer: Importer, context: dict[str, Any]) -> HttpResponse:
        opts = self.model._meta  # type: ignore[attr-defined]
        return TemplateResponse(
            request,
            "dossier/admin/import.html",
            {
                **self.admin_site.each_context(request),  # type: ignore[attr-defined]
                "opts": opts,
                "title": _("Importer des %(label)s depuis un fichier CSV") % {"label": importer.label},
                "importer": importer,
                "template_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import_template"),
                **context,
            },
        )
