"""Staff side of the barème: rules per campagne, verification of each dossier, contestations, history, tie-break.

Every write goes through ``siam.services.bareme*``: recorded with who and why, recomputed, refused once
barèmes are définitifs. A service refusal rolls the whole page back and comes back as an error message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.admin_errors import DomainErrorsAsMessages, show_error
from lib.admin_search import SemiJoinSearchMixin
from lib.queues import QueueFilter
from lib.text import accord
from siam.errors import SiamError
from siam.models import Campagne, Demande, MotifDeclare, StatutMotif, Voeu
from siam.models.bareme import (
    COMPOSANTES,
    BaremeChange,
    BaremeCorrection,
    Contestation,
    FaitCorrige,
    ObjetChange,
    RegleBareme,
    ReglesBareme,
    StatutContestation,
    TirageDepartage,
    VerificationBareme,
)
from siam.selectors import agent_of as staff_of  # one helper for the logged-in agent
from siam.services.bareme import (
    baremes_shown,
    baremes_stored,
    freeze_baremes,
    load_default_rules,
    recompute_baremes,
    require_modifiable,
    set_rules,
)
from siam.services.bareme.contestation import CorrectionDemandee, answer_contestation
from siam.services.bareme.departage import draw_seed
from siam.services.bareme.display import bareme_page
from siam.services.bareme.rules import ReglesInvalides, check_rows
from siam.services.bareme.verification import correct_fact, decide_claim, override_line, remove_override


class MotifActionForm(forms.Form):
    motif = forms.CharField(
        label=gettext_lazy("Motif (conservé et montré aux participants)"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False, max_length=2000,
    )  # fmt: skip


# --- rules -----------------------------------------------------------------------------------------


def saved_elsewhere(formset: Any) -> None:
    """The service saved what the formset holds: the admin's change message finds nothing to list."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def rows_from(formset: BaseInlineFormSet) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("code"):
            continue
        rows.append(
            {
                "ordre": data["ordre"],
                "code": data["code"],
                "voeu_specific": bool(data.get("voeu_specific")),
                "applique_a": data.get("applique_a") or {},
                "params": data.get("params") or {},
                "actif": bool(data.get("actif")),
            }
        )
    return rows


class RegleForm(forms.ModelForm):
    class Meta:
        model = RegleBareme
        fields = ("ordre", "code", "voeu_specific", "applique_a", "params", "actif")
        widgets = {
            "applique_a": forms.Textarea(attrs={"rows": 2, "cols": 30}),
            "params": forms.Textarea(attrs={"rows": 3, "cols": 48}),
        }

    def validate_unique(self) -> None:
        """Rows are replaced as a whole: the formset checks orders and codes among themselves."""


class RulesFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        campagne = self.instance
        try:
            require_modifiable(campagne, timezone.now())
            check_rows(rows_from(self))
        except (ReglesInvalides, SiamError) as exc:
            raise forms.ValidationError(exc.message) from None
        needs_motif = baremes_stored(campagne) or baremes_shown(campagne, timezone.now())
        if self.has_changed() and needs_motif and not str(self.data.get("motif_changement", "")).strip():
            raise forms.ValidationError(
                _("Les barèmes sont calculés\u00a0: indiquez le motif du changement des règles (en haut de la page).")
            )


class RegleBaremeInline(admin.TabularInline):
    model = RegleBareme
    form = RegleForm
    formset = RulesFormSet
    extra = 0
    ordering = ("ordre",)


class ReglesForm(forms.ModelForm):
    motif_changement = forms.CharField(
        label=gettext_lazy("Motif du changement"),
        help_text=gettext_lazy("Obligatoire une fois les barèmes calculés\u00a0: conservé et montré aux participants."),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = ReglesBareme
        fields: tuple[str, ...] = ()


@admin.register(ReglesBareme)
class ReglesBaremeAdmin(DomainErrorsAsMessages):
    form = ReglesForm
    list_display = ("libelle", "kind", "year", "phase_display", "nb_regles")
    list_filter = ("kind", "year")
    readonly_fields = ("libelle", "kind", "year", "academie", "phase_display", "departage_link")
    fields = ("libelle", "kind", "year", "academie", "phase_display", "departage_link", "motif_changement")
    inlines = (RegleBaremeInline,)
    actions = ("charger_defauts", "calculer", "tirer_au_sort", "figer")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReglesBareme]:
        return super().get_queryset(request).annotate(n_regles=Count("regles_bareme"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # campagnes are created on their own page; their rules come with them

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("phase en cours"))
    def phase_display(self, obj: ReglesBareme) -> str:
        return str(obj.phase.label)

    @admin.display(description=gettext_lazy("composantes"), ordering="n_regles")
    def nb_regles(self, obj: ReglesBareme) -> int:
        return int(obj.n_regles)  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("départage publié"))
    def departage_link(self, obj: ReglesBareme) -> SafeString:
        url = reverse("siam:departage", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, _("Comment sont départagées les égalités de barème"))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The campagne itself is edited on its own page; only its rules are saved here."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            saved_elsewhere(formset)
            if formset.model is RegleBareme:
                changed = set_rules(
                    campagne=form.instance, rows=rows_from(formset), auteur=staff_of(request),
                    motif=form.cleaned_data.get("motif_changement", ""),
                )  # fmt: skip
                if changed:
                    self.message_user(
                        request, _("Règles enregistrées\u00a0; le changement est conservé dans l'historique.")
                    )

    def _motif_page(
        self, request: HttpRequest, queryset: QuerySet[Any], action: str, title: str
    ) -> HttpResponse | None:
        """Ask for the motif (the rows may already have been shown to participants), then run the action."""
        form = MotifActionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            return None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "objects": queryset,
            "action": action,
            "title": title,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "siam/bareme/admin/motif_action.html", context)

    @admin.action(description=gettext_lazy("Charger les règles par défaut"), permissions=["change"])
    def charger_defauts(self, request: HttpRequest, queryset: QuerySet[ReglesBareme]) -> HttpResponse | None:
        page = self._motif_page(request, queryset, "charger_defauts", _("Charger les règles par défaut"))
        if page is not None:
            return page
        motif = request.POST.get("motif", "")
        self._each(
            request,
            queryset,
            lambda c: load_default_rules(campagne=c, auteur=staff_of(request), motif=motif),
            _("Règles par défaut chargées\u00a0: %(campagne)s."),
        )
        return None

    @admin.action(description=gettext_lazy("Calculer (ou recalculer) tous les barèmes"), permissions=["change"])
    def calculer(self, request: HttpRequest, queryset: QuerySet[ReglesBareme]) -> None:
        self._each(
            request, queryset, lambda c: recompute_baremes(campagne=c), _("Barèmes calculés\u00a0: %(campagne)s.")
        )

    @admin.action(description=gettext_lazy("Effectuer le tirage au sort de départage"), permissions=["change"])
    def tirer_au_sort(self, request: HttpRequest, queryset: QuerySet[ReglesBareme]) -> None:
        self._each(
            request,
            queryset,
            lambda c: draw_seed(campagne=c, staff=staff_of(request)),
            _("Tirage au sort effectué et publié\u00a0: %(campagne)s."),
        )

    @admin.action(description=gettext_lazy("Marquer les barèmes définitifs"), permissions=["change"])
    def figer(self, request: HttpRequest, queryset: QuerySet[ReglesBareme]) -> None:
        self._each(
            request, queryset, lambda c: freeze_baremes(campagne=c), _("Barèmes définitifs\u00a0: %(campagne)s.")
        )

    def _each(self, request: HttpRequest, queryset: QuerySet[ReglesBareme], run: Any, done: str) -> None:
        for campagne in queryset:
            try:
                run(campagne)
            except SiamError as exc:
                show_error(request, SiamError(f"{campagne}\u00a0: {exc.message}"))
            else:
                self.message_user(request, done % {"campagne": campagne}, messages.SUCCESS)


# --- verification of one dossier ------------------------------------------------------------------


class MotifVerificationForm(forms.ModelForm):
    class Meta:
        model = MotifDeclare
        fields = ("statut", "motif_refus")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("statut") == StatutMotif.REFUSE and not str(data.get("motif_refus") or "").strip():
            self.add_error("motif_refus", _("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."))
        return data


class MotifVerificationInline(admin.TabularInline):
    model = MotifDeclare
    form = MotifVerificationForm
    extra = 0
    can_delete = False
    fields = ("motif", "precisions", "pieces", "statut", "motif_refus", "decided_by", "decided_at")
    readonly_fields = ("motif", "precisions", "pieces", "decided_by", "decided_at")
    verbose_name = gettext_lazy("bonification demandée")
    verbose_name_plural = gettext_lazy("bonifications demandées\u00a0: valider ou refuser au vu des pièces")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MotifDeclare]:
        return (
            super()
            .get_queryset(request)
            .select_related("conjoint_commune", "academie", "decided_by")
            .prefetch_related("pieces")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("précisions"))
    def precisions(self, obj: MotifDeclare) -> str:
        parts = [str(x) for x in (obj.conjoint_commune, obj.academie) if x]
        if obj.annees:
            parts.append(accord(obj.annees, _("%(n)s an"), _("%(n)s ans")))
        return " — ".join([*parts, obj.precision]) or "—"

    @admin.display(description=gettext_lazy("pièces"))
    def pieces(self, obj: MotifDeclare) -> SafeString:
        rows = [
            (reverse("siam:piece-file", args=[p.pk]), p.nom_original, p.get_statut_display()) for p in obj.pieces.all()
        ]
        return format_html_join(", ", '<a href="{}">{}</a> ({})', rows) or SafeString("—")


def check_correction(
    form: forms.BaseForm, data: dict[str, Any], *, code: str, points: str, fait: str, valeur: str
) -> None:
    """A correction is a fact (donnée + valeur) or one line's points (ligne + points), never both."""
    as_line, as_fact = bool(data.get(code)), bool(data.get(fait))
    if as_line and as_fact:
        form.add_error(fait, _("Corrigez soit une donnée, soit une ligne\u00a0: pas les deux à la fois."))
    if as_line and data.get(points) in (None, ""):
        form.add_error(points, _("Indiquez les points retenus pour cette ligne."))
    if as_fact and data.get(valeur) in (None, ""):
        form.add_error(valeur, _("Indiquez la valeur retenue pour cette donnée."))
    if not as_line and (data.get(points) not in (None, "")):
        form.add_error(code, _("Choisissez la ligne dont les points sont corrigés."))
    if not as_fact and (data.get(valeur) not in (None, "")):
        form.add_error(fait, _("Choisissez la donnée corrigée."))


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = BaremeCorrection
        fields = ("fait", "valeur", "voeu", "code", "points", "justification")
        widgets = {"justification": forms.Textarea(attrs={"rows": 2, "cols": 50})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_correction(self, data, code="code", points="points", fait="fait", valeur="valeur")
        if data.get("fait") and data.get("voeu"):
            self.add_error("voeu", _("Une donnée corrigée vaut pour tous les vœux\u00a0: laissez le vœu vide."))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """The services check and store corrections (the form only says which one)."""


class CorrectionInline(admin.TabularInline):
    model = BaremeCorrection
    form = CorrectionForm
    extra = 0
    fields = ("fait", "valeur", "valeur_avant", "voeu", "code", "points", "justification", "auteur", "date")
    readonly_fields = ("valeur_avant", "auteur", "date")
    verbose_name = gettext_lazy("correction")
    verbose_name_plural = gettext_lazy(
        "corrections\u00a0: une donnée (tous les vœux recalculés) ou les points d'une ligne là où sa règle s'applique "
        "(justification obligatoire, communiquée à l'agent)"
    )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "voeu":
            demande_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Voeu.objects.filter(demande_id=demande_id or 0).with_targets().order_by("rang")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChangeFormSet(BaseGenericInlineFormSet):
    @classmethod
    def get_default_prefix(cls) -> str:
        return "bareme_changes"


class ChangeInline(GenericTabularInline):
    """The demande's barème history, read from the journal."""

    model = BaremeChange
    formset = ChangeFormSet  # type: ignore[assignment]
    extra = 0
    can_delete = False
    fields = ("date", "auteur", "objet", "libelle", "motif")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("historique des modifications (montré à l'agent)")

    @admin.display(description=gettext_lazy("objet"))
    def objet(self, obj: BaremeChange) -> str:
        return obj.get_objet_display()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MotifsAVerifierFilter(admin.SimpleListFilter):
    title = gettext_lazy("bonifications à vérifier")
    parameter_name = "a_verifier"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("oui", _("oui")), ("non", _("non"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("oui", "non"):
            return queryset.filter(a_verifier__gt=0) if self.value() == "oui" else queryset.filter(a_verifier=0)
        return queryset


class ContestationOuverteFilter(admin.SimpleListFilter):
    title = gettext_lazy("demande de correction en cours")
    parameter_name = "contestation"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("oui", _("oui")), ("non", _("non"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("oui", "non"):
            return queryset.filter(contestation_ouverte=self.value() == "oui")
        return queryset


@admin.register(VerificationBareme)
class VerificationBaremeAdmin(SemiJoinSearchMixin, DomainErrorsAsMessages):
    list_display = ("agent", "campagne", "participation", "a_verifier_display", "contestation_display")
    list_filter = ("campagne", MotifsAVerifierFilter, ContestationOuverteFilter, "participation")
    search_fields = ("agent__nom", "agent__prenom", "agent__identifiant")
    list_select_related = ("agent", "campagne")
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    ordering = ("-modifiee_le", "-pk")  # as the demandes: along demande_modifiee_idx
    fields = ("agent", "campagne", "participation", "bareme_display")
    readonly_fields = fields
    inlines = (MotifVerificationInline, CorrectionInline, ChangeInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[VerificationBareme]:
        ouverte = Contestation.objects.filter(demande=OuterRef("pk"), statut=StatutContestation.OUVERTE)
        # subqueries, not Count("motifs"): a page counts its own rows, never GROUP BY the whole table
        declares = MotifDeclare.objects.filter(demande=OuterRef("pk"), statut=StatutMotif.DECLARE).order_by()
        a_verifier = declares.values("demande").annotate(n=Count("pk")).values("n")
        return (
            super()
            .get_queryset(request)
            .annotate(
                a_verifier=Coalesce(Subquery(a_verifier, output_field=IntegerField()), 0),
                contestation_ouverte=Exists(ouverte),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("bonifications à vérifier"), ordering="a_verifier")
    def a_verifier_display(self, obj: Any) -> int:
        return int(obj.a_verifier)

    @admin.display(description=gettext_lazy("correction demandée"), boolean=True, ordering="contestation_ouverte")
    def contestation_display(self, obj: Any) -> bool:
        return bool(obj.contestation_ouverte)

    @admin.display(description=gettext_lazy("barème"))
    def bareme_display(self, obj: VerificationBareme) -> str:
        # Staff see the stored barème once computed (before teachers do), the provisional one before.
        page = bareme_page(obj, stored=baremes_stored(obj.campagne))
        return render_to_string("siam/bareme/admin/_bareme.html", {"page": page})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The demande is the teacher's: only the inlines are saved, through the services."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        staff = staff_of(request)
        saved_elsewhere(formset)
        if formset.model is MotifDeclare:
            for f in formset.forms:
                if f.has_changed():
                    data = f.cleaned_data
                    decide_claim(
                        motif=f.instance,
                        staff=staff,
                        statut=data["statut"],
                        motif_refus=data.get("motif_refus") or "",
                    )
        elif formset.model is BaremeCorrection:
            self._save_corrections(request, form.instance, formset)

    def _save_corrections(self, request: HttpRequest, demande: Any, formset: Any) -> None:
        staff = staff_of(request)
        for f in formset.forms:
            data = getattr(f, "cleaned_data", None) or {}
            stored = BaremeCorrection.objects.filter(pk=f.instance.pk).first() if f.instance.pk else None
            moved = stored is not None and any(k in f.changed_data for k in ("fait", "voeu", "code"))
            if stored is not None and (data.get("DELETE") or moved):
                remove_override(correction=stored, staff=staff, justification=_("Correction retirée par le rectorat."))
            if data.get("DELETE") or not f.has_changed():
                continue
            why = data.get("justification") or ""
            if data.get("fait"):
                correct_fact(demande=demande, staff=staff, fait=data["fait"], valeur=data["valeur"], justification=why)
            elif data.get("code"):
                override_line(
                    demande=demande, staff=staff, code=data["code"], points=data["points"], justification=why,
                    voeu=data.get("voeu"),
                )  # fmt: skip


# --- contestations ---------------------------------------------------------------------------------


class ReponseForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[
            (StatutContestation.ACCEPTEE, gettext_lazy("accepter")),
            (StatutContestation.REJETEE, gettext_lazy("rejeter")),
        ],
        widget=forms.RadioSelect,
    )
    correction_code = forms.ChoiceField(
        label=gettext_lazy("Ligne corrigée (si acceptée)"), choices=[("", "—"), *COMPOSANTES], required=False
    )
    correction_voeu = forms.ModelChoiceField(
        label=gettext_lazy("Vœu corrigé"), queryset=Voeu.objects.none(), required=False,
        empty_label=gettext_lazy("tous les vœux"),
    )  # fmt: skip
    correction_points = forms.CharField(label=gettext_lazy("Points retenus"), required=False, max_length=10)
    correction_fait = forms.ChoiceField(
        label=gettext_lazy("Ou donnée corrigée (tous les vœux recalculés)"), choices=[("", "—"), *FaitCorrige.choices],
        required=False,
    )  # fmt: skip
    correction_valeur = forms.CharField(label=gettext_lazy("Valeur retenue"), required=False, max_length=3)

    class Meta:
        model = Contestation
        fields = ("reponse",)
        widgets = {"reponse": forms.Textarea(attrs={"rows": 4, "cols": 80})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            voeux = Voeu.objects.filter(demande_id=self.instance.demande_id).with_targets().order_by("rang")
            self.fields["correction_voeu"].queryset = voeux  # type: ignore[attr-defined]
        if "reponse" in self.fields:
            self.fields["reponse"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("correction_points", "correction_valeur"):
            data[name] = str(data.get(name) or "").strip()
        check_correction(
            self, data, code="correction_code", points="correction_points", fait="correction_fait",
            valeur="correction_valeur",
        )  # fmt: skip
        if data.get("correction_voeu") and data.get("correction_fait"):
            self.add_error(
                "correction_voeu", _("Une donnée corrigée vaut pour tous les vœux\u00a0: laissez le vœu vide.")
            )
        corrige = data.get("correction_code") or data.get("correction_fait")
        if corrige and data.get("decision") != StatutContestation.ACCEPTEE:
            self.add_error(
                "correction_code" if data.get("correction_code") else "correction_fait",
                _("Une correction accompagne une demande acceptée."),
            )
        return data


@admin.register(Contestation)
class ContestationAdmin(SemiJoinSearchMixin, DomainErrorsAsMessages):
    form = ReponseForm
    list_display = ("demande", "campagne", "creee_le", "voeu", "statut", "repondu_par")
    list_filter = (QueueFilter, "statut", "demande__campagne")
    search_fields = ("demande__agent__nom", "demande__agent__identifiant")
    list_select_related = ("demande__agent", "demande__campagne", "voeu", "repondu_par")
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    date_hierarchy = "creee_le"
    readonly_fields = ("demande_link", "voeu", "motif", "piece_link", "creee_le", "statut", "repondu_par", "repondu_le")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # teachers ask from their barème page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        shown = ["demande_link", "voeu", "motif", "piece_link", "creee_le", "statut"]
        answering = obj is not None and obj.statut == StatutContestation.OUVERTE
        if answering and self.has_change_permission(request, obj):
            return [
                *shown, "decision", "reponse", "correction_fait", "correction_valeur", "correction_code",
                "correction_voeu", "correction_points",
            ]  # fmt: skip
        return [*shown, "reponse", "repondu_par", "repondu_le"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.statut != StatutContestation.OUVERTE:
            return (*self.readonly_fields, "reponse")
        return self.readonly_fields

    @admin.display(description=gettext_lazy("campagne"))
    def campagne(self, obj: Contestation) -> str:
        return str(obj.demande.campagne)

    @admin.display(description=gettext_lazy("demande"))
    def demande_link(self, obj: Contestation) -> SafeString:
        url = reverse("admin:siam_verificationbareme_change", args=[obj.demande_id])
        return format_html('<a href="{}">{} — {}</a>', url, obj.demande, _("vérifier son barème"))

    @admin.display(description=gettext_lazy("pièce jointe"))
    def piece_link(self, obj: Contestation) -> SafeString | str:
        if not obj.piece:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("siam:contestation-piece", args=[obj.pk]), obj.piece_nom)

    def save_model(self, request: HttpRequest, obj: Contestation, form: Any, change: bool) -> None:
        data = form.cleaned_data
        correction = None
        if data.get("correction_fait"):
            correction = CorrectionDemandee(fait=data["correction_fait"], valeur=data["correction_valeur"])
        elif data.get("correction_code"):
            correction = CorrectionDemandee(
                data["correction_code"], data["correction_points"], data.get("correction_voeu")
            )
        answer_contestation(
            contestation=obj, staff=staff_of(request), accepte=data["decision"] == StatutContestation.ACCEPTEE,
            reponse=data["reponse"], correction=correction,
        )  # fmt: skip


# --- read-only registers ---------------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ObjetChangeFilter(admin.SimpleListFilter):
    title = gettext_lazy("objet")
    parameter_name = "objet"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in ObjetChange.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() in ObjetChange.values else queryset


@admin.register(BaremeChange)
class BaremeChangeAdmin(ReadOnlyAdmin):
    list_display = ("date", "sujet", "objet", "libelle", "auteur", "motif")
    list_filter = (ObjetChangeFilter,)
    search_fields = ("libelle", "motif")
    list_select_related = ("auteur",)
    show_full_result_count = False  # the journal only grows
    date_hierarchy = "date"

    def get_queryset(self, request: HttpRequest) -> QuerySet[BaremeChange]:
        # each row names its campagne or demande (agent — campagne): one query per kind, not one per row
        sujets = [Campagne.objects.all(), Demande.objects.select_related("agent", "campagne")]
        return super().get_queryset(request).prefetch_related(GenericPrefetch("content_object", sujets))

    @admin.display(description=gettext_lazy("objet"))
    def objet(self, obj: BaremeChange) -> str:
        return obj.get_objet_display()

    @admin.display(description=gettext_lazy("campagne ou demande"))
    def sujet(self, obj: BaremeChange) -> Any:
        return obj.content_object


@admin.register(TirageDepartage)
class TirageDepartageAdmin(ReadOnlyAdmin):
    list_display = ("campagne", "seed", "drawn_at", "drawn_by")
    list_select_related = ("campagne", "drawn_by")
