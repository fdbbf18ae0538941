"""Staff run the mouvement, read its certificate and statistics, compare runs; the DRH publishes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin

from dossier.models import Academie, Departement
from lib.admin_search import SemiJoinSearchMixin
from lib.admin_views import context, staff_view
from lib.exports import FORMATS
from lib.text import accord, bilan
from siam.admin.charts import run_outcomes
from siam.admin.exports import ResultatResource
from siam.errors import SiamError
from siam.models import Campagne, CampagneKind, Demande, Poste
from siam.models.mouvement import MouvementResultat, MouvementRun, RaisonEchec, StatutRun, TableExtension
from siam.services.mouvement import compare_runs, start_run
from siam.services.mouvement.capacites import CapaciteDiscipline, capacity_report
from siam.services.mouvement.publication import PUBLISH_PERMISSION, poste_label, publish_run
from siam.services.mouvement.tasks import compute_run

RUN_PERMISSION = "siam.run_mouvement"


class LaunchForm(forms.Form):
    campagne = forms.ModelChoiceField(
        label=gettext_lazy("Campagne"),
        queryset=Campagne.objects.filter(kind__in=[CampagneKind.INTER, CampagneKind.INTRA]),
    )
    extension = forms.BooleanField(label=gettext_lazy("Procédure d'extension"), required=False, initial=True)
    exchange = forms.BooleanField(
        label=gettext_lazy("Simuler aussi l'étape d'échanges (comparaison, jamais publiée sans votre choix)"),
        required=False,
    )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Je confirme l'envoi d'un courrier de résultat à chaque participant de ce run"),
        required=True,
    )
    exchange = forms.BooleanField(
        label=gettext_lazy("Publier le résultat après l'étape d'échanges (au lieu du résultat du mouvement)"),
        required=False,
    )


@admin.register(MouvementRun)
class MouvementRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "campagne", "started_at", "statut", "verdict", "resume", "publie")
    list_display_links = ("pk", "campagne")
    list_filter = ("campagne", "statut", "verdict_ok")
    list_select_related = ("campagne",)
    date_hierarchy = "started_at"
    change_list_template = "siam/mouvement/admin/run_change_list.html"
    change_form_template = "siam/mouvement/admin/run_change_form.html"
    fields = (
        "campagne",
        "statut",
        "started_at",
        "finished_at",
        "by",
        "seed",
        "extension",
        "exchange",
        "verdict_ok",
        "violations_total",
        "erreur",
        "inputs_sha256",
        "durations",
        "params",
        "published_at",
        "published_by",
        "published_exchange",
        "courrier_key",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[MouvementRun]:
        return super().get_queryset(request).defer("inputs", "barres")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # « Lancer le mouvement » computes a run; nobody types one

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # runs are the record of what was computed and published

    @admin.display(description=gettext_lazy("vérificateur"), boolean=True)
    def verdict(self, obj: MouvementRun) -> bool | None:
        return obj.verdict_ok

    @admin.display(description=gettext_lazy("résultat"))
    def resume(self, obj: MouvementRun) -> str:
        s = obj.stats
        if not s:
            return obj.erreur or "—"
        return _(
            "%(p)s participants\u00a0: %(v)s sur un vœu, %(k)s maintenus, %(e)s en extension, %(n)s sans poste, "
            "%(m)s titulaires mutés"
        ) % {
            "p": s["participants"],
            "v": s["satisfaits"],
            "k": s["maintenus"],
            "e": s["extensions"],
            "n": s["sans_poste"],
            "m": s["mutations"],
        }

    @admin.display(description=gettext_lazy("publié"), boolean=True)
    def publie(self, obj: MouvementRun) -> bool:
        return obj.is_published

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        run = get_object_or_404(MouvementRun.objects.select_related("campagne"), pk=object_id)
        previous = run.previous()
        context = {
            "run": run,
            "rangs": sorted(run.stats.get("satisfaits_par_rang", {}).items(), key=lambda item: int(item[0])),
            "previous": previous,
            "comparison": compare_runs(a=previous, b=run, sample=0)
            if previous and run.statut == StatutRun.DONE
            else None,
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION) and run.verdict_ok is True,
            "barres": self._barres(run),
            "graphique_resultats": run_outcomes(run) if run.statut == StatutRun.DONE else "",
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    @staticmethod
    def _barres(run: MouvementRun, limit: int = 30) -> list[tuple[Any, ...]]:
        """The most demanded posts (highest barre) first: what staff look at when a barre surprises."""
        rows = [(int(pk), *values) for pk, values in run.barres.items() if values[2] is not None]
        rows.sort(key=lambda row: -row[3])
        top = rows[:limit]
        postes = {p.pk: p for p in Poste.objects.filter(pk__in=[row[0] for row in top]).for_list()}
        return [(postes.get(pk), seats, entrants, score / 10) for pk, seats, entrants, score, _tb in top]


# --- the mouvement's own staff pages, registered on the site (lib.admin_views) ------------------------


@staff_view("siam/mouvementrun/lancer/", name="siam_mouvementrun_launch", model=MouvementRun,
            permissions=(RUN_PERMISSION,))  # fmt: skip
def launch_view(request: HttpRequest) -> HttpResponse:
    form = LaunchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = start_run(
                campagne=form.cleaned_data["campagne"],
                by=request.user,  # type: ignore[arg-type]
                exchange=form.cleaned_data["exchange"],
                extension=form.cleaned_data["extension"],
            )
        except SiamError as exc:
            form.add_error(None, exc.message)
        else:
            compute_run.enqueue(run.pk)
            messages.success(
                request,
                _("Calcul lancé\u00a0: %(run)s. Rechargez cette page pour voir son résultat et son certificat.")
                % {"run": run},
            )
            return redirect("admin:siam_mouvementrun_change", run.pk)
    return TemplateResponse(
        request,
        "siam/mouvement/admin/launch.html",
        context(request, MouvementRun, form=form, title=_("Lancer le mouvement"), capacites=capacites()),
    )


def capacites() -> list[tuple[Campagne, list[CapaciteDiscipline]]]:
    """Per inter campagne not yet published, per discipline: who must be placed and the places."""
    inters = Campagne.objects.filter(kind=CampagneKind.INTER).exclude(mouvement_runs__published_at__isnull=False)
    return [(c, capacity_report(c)) for c in inters.order_by("-year", "pk")]


@staff_view("siam/mouvementrun/<int:pk>/comparer/", name="siam_mouvementrun_compare", model=MouvementRun,
            permissions=("siam.view_mouvementrun",))  # fmt: skip
def compare_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MouvementRun.objects.defer("inputs"), pk=pk)
    other_pk = request.GET.get("avec")
    other = (
        get_object_or_404(MouvementRun.objects.defer("inputs"), pk=other_pk, campagne_id=run.campagne_id)
        if other_pk and other_pk.isdigit()
        else run.previous()
    )
    if other is None:
        messages.warning(request, _("Aucun run antérieur de cette campagne à comparer."))
        return redirect("admin:siam_mouvementrun_change", run.pk)
    comparison = compare_runs(a=other, b=run)
    title = _("Comparaison des runs n° %(a)s et n° %(b)s") % {"a": other.pk, "b": run.pk}
    return TemplateResponse(
        request,
        "siam/mouvement/admin/compare.html",
        context(request, MouvementRun, comparison=comparison, changes=described(comparison.sample), title=title),
    )


def described(sample: list[Any]) -> list[tuple[Any, str, str]]:
    """(demande, before, after) in words, for the changes shown."""
    postes = {
        p.pk: p
        for p in Poste.objects.filter(pk__in={c.before[0] for c in sample} | {c.after[0] for c in sample}).for_list()
    }
    demandes = Demande.objects.select_related("agent").in_bulk([c.demande_id for c in sample])

    def words(outcome: tuple[int | None, int | None, bool, bool]) -> str:
        poste_id, rang, kept, extended = outcome
        lieu = poste_label(postes[poste_id]) if poste_id in postes else ""
        if poste_id is None:
            return _("aucun poste")
        if kept:
            return _("maintenu\u00a0: %(lieu)s") % {"lieu": lieu}
        if extended:
            return _("extension\u00a0: %(lieu)s") % {"lieu": lieu}
        return _("vœu n° %(rang)s\u00a0: %(lieu)s") % {"rang": rang, "lieu": lieu}

    return [(demandes.get(c.demande_id), words(c.before), words(c.after)) for c in sample]


@staff_view("siam/mouvementrun/<int:pk>/publier/", name="siam_mouvementrun_publish", model=MouvementRun,
            permissions=(PUBLISH_PERMISSION,))  # fmt: skip
def publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MouvementRun.objects.select_related("campagne").defer("inputs"), pk=pk)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = publish_run(run=run, by=request.user, exchange=form.cleaned_data["exchange"])  # type: ignore[arg-type]
        except SiamError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, published_message(done.created, done.already_posted))
            return redirect("admin:siam_mouvementrun_change", run.pk)
    title = _("Publier les résultats du run n° %(pk)s") % {"pk": run.pk}
    return TemplateResponse(
        request,
        "siam/mouvement/admin/publish.html",
        context(request, MouvementRun, form=form, run=run, title=title, recipients=run.resultats.count()),
    )


def published_message(created: int, already: int) -> str:
    return bilan(
        accord(created, _("%(n)s courrier de résultat déposé"), _("%(n)s courriers de résultat déposés")),
        already, _("%(n)s déjà envoyé"), _("%(n)s déjà envoyés"),
    )  # fmt: skip


@admin.register(MouvementResultat)
class MouvementResultatAdmin(SemiJoinSearchMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [ResultatResource]
    formats = FORMATS
    list_display = ("demande", "run", "poste", "voeu_rang", "kept", "extended", "poste_echange")
    list_filter = ("run__campagne", "kept", "extended")
    list_select_related = (
        "run__campagne",
        "demande__agent",
        "demande__campagne",
        "poste__discipline",
        "poste__etablissement__commune",
        "poste__zone_remplacement",
        "poste__academie",
        "poste_echange__discipline",
        "poste_echange__etablissement__commune",
        "poste_echange__zone_remplacement",
        "poste_echange__academie",
    )
    search_fields = ("demande__agent__nom", "demande__agent__identifiant")
    ordering = ("-run_id", "-demande_id")  # the latest run first, along the (run, demande) unique index
    fields = (
        "run",
        "demande",
        "poste",
        "voeu_rang",
        "position",
        "score",
        "kept",
        "extended",
        "explication",
        "poste_echange",
        "voeu_rang_echange",
    )
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[MouvementResultat]:
        # the run's inputs and barres (megabytes at 30,000 participants) are never shown on a result's row
        heavy = ("run__inputs", "run__barres", "run__violations", "run__exchange_report")
        return super().get_queryset(request).defer(*heavy)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("explication (vœu\u00a0: barème / barre — raison)"))
    def explication(self, obj: MouvementResultat) -> str:
        parts = [
            format_html(
                "{} : {} / {} — {}", rang, score / 10, "—" if barre is None else barre / 10, RaisonEchec(raison).label
            )
            for rang, score, barre, raison, _covered, _poste in obj.why_not
        ]
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else "—"


class TableExtensionForm(forms.ModelForm):
    class Meta:
        model = TableExtension
        fields = ("campagne", "zone", "voisins")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        campagne: Campagne | None = data.get("campagne")
        if campagne is None:
            return data
        if campagne.kind == CampagneKind.INTER:
            known = set(Academie.objects.values_list("code", flat=True))
        else:
            known = set(Departement.objects.filter(academie=campagne.academie).values_list("code", flat=True))
        codes = [data.get("zone") or "", *(data.get("voisins") or [])]
        unknown = [code for code in codes if code and code not in known]
        if unknown:
            raise forms.ValidationError(
                _(
                    "Codes inconnus pour cette campagne\u00a0: %(codes)s (académies à l'inter, départements de l'académie à l'intra)."
                )
                % {"codes": ", ".join(unknown)}
            )
        return data


@admin.register(TableExtension)
class TableExtensionAdmin(admin.ModelAdmin):
    form = TableExtensionForm
    list_display = ("campagne", "zone", "voisins_display")
    list_filter = ("campagne",)
    search_fields = ("zone",)

    @admin.display(description=gettext_lazy("zones suivantes"))
    def voisins_display(self, obj: TableExtension) -> str:
        return " → ".join(obj.voisins)
