"""CSV import in the admin, one page for every importer: upload → preview table → confirm.

Nothing is written before the confirmation; the confirmation writes every line or none
(dossier.services.imports, django-import-export) after validating it again, and a preview is confirmed
once: a second submit of the same preview (a double click, the Back button) imports nothing. The previewed
file waits in the cache; the page carries a signed key to it (never the file: forms are bounded to 2 Mo).
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.errors import DossierError
from dossier.services.imports import Importer, ImportRefused, decode_upload
from dossier.services.imports.base import UNREADABLE
from lib.text import accord

IMPORT_CHANGE_LIST = "dossier/admin/change_list_import.html"
SALT = "dossier.csv-import"
FILE_KEY = "import-fichier:"  # the previewed file, in the cache until confirmed or expired
MAX_AGE = 3600  # a preview can be confirmed for an hour


class CSVUploadForm(forms.Form):
    fichier = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy("Séparateur « ; » ou « , », encodage UTF-8 ou Windows (Excel), 5 Mo au plus."),
    )


class CSVImportMixin:
    """Adds /importer/ and /importer/modele.csv to a ModelAdmin; ``importer_class`` says what is imported."""

    importer_class: ClassVar[type[Importer]]  # the ModelAdmin also sets change_list_template = IMPORT_CHANGE_LIST

    def import_form_fields(self) -> dict[str, forms.Field]:
        """What the upload asks besides the file (a campagne…): their cleaned values are the importer's context."""
        return {}

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)  # type: ignore[attr-defined, no-any-return]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        name = self._url_name("import")
        return [
            path("importer/", view(self.import_view), name=name),
            path("importer/modele.csv", view(self.import_template_view), name=f"{name}_template"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        extra["import_label"] = self.importer_class.label
        return super().changelist_view(request, extra)  # type: ignore[misc, no-any-return]

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows([self.importer_class.columns, self.importer_class.example])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="modele-{self.model._meta.model_name}.csv"'  # type: ignore[attr-defined]
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm(request)
        form = self._upload_form()(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {"form": form}
        if form.is_bound and form.is_valid():
            context.update(self._preview(form))
        return self._render(request, context)

    # --- the steps -------------------------------------------------------------------------------------

    def _preview(self, form: forms.Form) -> dict[str, Any]:
        try:
            text = decode_upload(form.cleaned_data["fichier"].read())
        except DossierError as exc:
            form.add_error("fichier", exc.message)
            return {}
        context = {name: form.cleaned_data[name] for name in self.import_form_fields()}
        preview = self.importer_class(**context).preview(text)
        found: dict[str, Any] = {"preview": preview, "unreadable": UNREADABLE in text}
        found["errors_title"] = accord(
            len(preview.errors),
            _("%(n)s erreur\u00a0: rien n'a été importé."),
            _("%(n)s erreurs\u00a0: rien n'a été importé."),
        )
        what = accord(len(preview.rows), *map(str, self.importer_class.noun))
        found["preview_title"] = _("Aperçu\u00a0: %(what)s à importer") % {"what": what}
        if preview.ok:  # the file waits server-side: the page carries a signed key, not megabytes
            once = uuid.uuid4().hex
            cache.set(f"{FILE_KEY}{once}", text, MAX_AGE)
            keys = {name: getattr(value, "pk", value) for name, value in context.items()}
            payload = {"page": self._url_name("import"), "context": keys, "once": once}
            found["payload"] = signing.dumps(payload, salt=SALT)
        return found

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        try:
            payload = signing.loads(request.POST["payload"], salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            payload = {}
        form = self._context_form()(payload.get("context"))
        if payload.get("page") != self._url_name("import") or not form.is_valid():
            return self._expired(request)
        once = f"import-confirme:{payload['once']}"
        if not cache.add(once, True, MAX_AGE):  # atomic: of two submits of one preview, one goes through
            messages.warning(request, _("Cet import a déjà été confirmé\u00a0: rien n'a été importé une seconde fois."))
            return redirect(self._url("changelist"))
        if (text := cache.get(f"{FILE_KEY}{payload['once']}")) is None:
            cache.delete(once)
            return self._expired(request)
        importer = self.importer_class(**form.cleaned_data)
        try:
            bilan = importer.run(text, auteur=request.user)  # type: ignore[arg-type]
        except ImportRefused as exc:
            cache.delete(once)  # nothing was written: the same preview may be confirmed once fixed
            messages.error(request, exc.message)
            return self._render(request, {"form": self._upload_form()(), "refused": exc.errors})
        cache.delete(f"{FILE_KEY}{payload['once']}")
        messages.success(request, importer.bilan_message(bilan))
        return redirect(self._url("changelist"))

    # --- plumbing ----------------------------------------------------------------------------------------

    def _expired(self, request: HttpRequest) -> HttpResponse:
        messages.error(request, _("L'aperçu a expiré ou a été modifié\u00a0: déposez à nouveau le fichier."))
        return redirect(request.path)

    def _context_form(self) -> type[forms.Form]:
        return type("ImportContextForm", (forms.Form,), self.import_form_fields())

    def _upload_form(self) -> type[forms.Form]:
        return type("ImportUploadForm", (CSVUploadForm,), self.import_form_fields())

    def _url_name(self, action: str) -> str:
        opts = self.model._meta  # type: ignore[attr-defined]
        return f"{opts.app_label}_{opts.model_name}_{action}"

    def _url(self, action: str) -> str:
        return reverse(f"admin:{self._url_name(action)}")

    def _render(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        importer = self.importer_class
        return TemplateResponse(
            request,
            "dossier/admin/import.html",
            {
                **self.admin_site.each_context(request),  # type: ignore[attr-defined]
                "opts": self.model._meta,  # type: ignore[attr-defined]
                "title": _("Importer des %(label)s depuis un fichier CSV") % {"label": importer.label},
                "importer": importer,
                "template_url": self._url("import_template"),
                **context,
            },
        )
