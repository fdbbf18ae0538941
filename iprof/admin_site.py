"""The rectorat's back office: one AdminSite whose home says what is waiting (lib.queues).

Its own pages (run, compare, publish the mouvement…) are registered on it, not bolted onto ModelAdmins:
``lib.admin_views.staff_view`` adds them to the site's registry, whose get_urls wraps each with
admin_view and its permission check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin import actions
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.admin_views import StaffViewsSite
from lib.queues import PARAMETER, QUEUES, Queue, base_queryset
from siam.models import Campagne


@dataclass(frozen=True)
class Ligne:
    label: str
    count: int
    url: str


@dataclass
class Bloc:
    titre: str
    lignes: list[Ligne] = field(default_factory=list)


def _changelist(queue: Queue, **params: Any) -> str:
    opts = queue.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode({PARAMETER: queue.key, **params})}"


def waiting(request: HttpRequest, site: admin.AdminSite) -> list[Bloc]:
    """Per open campagne, then for the whole académie: one query per queue the user may see."""
    campagnes = list(Campagne.objects.filter(resultats__gte=timezone.now()).order_by("saisie_debut", "pk"))
    blocs = {c.pk: Bloc(str(c)) for c in campagnes}
    commun = Bloc(str(_("Tous mouvements")))
    for queue in QUEUES:
        model_admin = site._registry.get(queue.model)
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        queryset = queue.select(base_queryset(queue, request.user))
        if queue.campagne_field is None:
            n = queryset.count()
            commun.lignes.append(Ligne(queue.label(n), n, _changelist(queue)))
            continue
        if not campagnes:
            continue
        path = queue.campagne_field
        rows = queryset.filter(**{f"{path}__in": list(blocs)}).values(path).annotate(n=Count("pk")).order_by()
        counts = {row[path]: row["n"] for row in rows}
        for c in campagnes:
            n = counts.get(c.pk, 0)
            blocs[c.pk].lignes.append(Ligne(queue.label(n), n, _changelist(queue, **{f"{path}__id__exact": c.pk})))
    return [b for b in [*blocs.values(), commun] if b.lignes]


# Head nouns of the project's verbose_name_plural that are feminine: the bulk delete agrees with them.
FEMININE = frozenset(
    [
        "académies",
        "adresses",
        "campagnes",
        "candidatures",
        "capacités",
        "communes",
        "conditions",
        "configurations",
        "demandes",
        "disciplines",
        "durées",
        "entrées",
        "lignes",
        "pièces",
        "règles",
        "tables",
        "vérifications",
        "zones",
    ]
)


class DeleteLabel:
    """« Supprimer les campagnes sélectionnées », « … les postes sélectionnés »: Django's French says
    « sélectionnés » for every model; the admin formats this label with the model's names (``%``)."""

    def __mod__(self, names: dict[str, Any]) -> str:
        plural = str(names["verbose_name_plural"])
        head = plural.split(" ", 1)[0].lower()
        if head in FEMININE:
            return _("Supprimer les %(plural)s sélectionnées") % {"plural": plural}
        return _("Supprimer les %(plural)s sélectionnés") % {"plural": plural}


def delete_selected(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return actions.delete_selected(modeladmin, request, queryset)


delete_selected.allowed_permissions = ("delete",)  # type: ignore[attr-defined]
delete_selected.short_description = DeleteLabel()  # type: ignore[attr-defined]


class IProfAdminSite(StaffViewsSite):
    site_header = _("I-Prof — administration du rectorat")
    site_title = _("I-Prof administration")
    index_title = _("Gestion")
    index_template = "admin/iprof_index.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_action(delete_selected, "delete_selected")  # the same view, its label agreed

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        context = {"blocs": waiting(request, self), **(extra_context or {})}
        return super().index(request, context)
