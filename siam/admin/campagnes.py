from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.admin_errors import DomainErrorsAsMessages
from siam.admin.charts import bareme_distribution, saves_per_day
from siam.errors import CalendrierVerrouille
from siam.models import Campagne, TypeVoeu
from siam.models.campagne import CALENDAR_FIELDS, ChangementCalendrier
from siam.services.campagnes import MAX_MOTIF, check_calendar, update_calendar
from siam.text import moment


class CampagneForm(forms.ModelForm):
    types_voeux = forms.MultipleChoiceField(
        label=gettext_lazy("Types de vœux autorisés"), choices=TypeVoeu.choices, widget=forms.CheckboxSelectMultiple
    )
    motif_calendrier = forms.CharField(
        label=gettext_lazy("Motif du changement de calendrier"),
        help_text=gettext_lazy(
            "Obligatoire pour tout changement de date une fois la saisie ouverte\u00a0; conservé avec votre nom."
        ),
        required=False,
        max_length=MAX_MOTIF,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Campagne
        fields = (
            "libelle",
            "slug",
            "kind",
            "year",
            "academie",
            "campagne_inter",
            "publiee",
            "max_voeux",
            "types_voeux",
            *CALENDAR_FIELDS,
        )

    def clean(self) -> dict[str, Any]:
        """The jalons' locks, with the instance still holding the stored dates (set after clean)."""
        data = super().clean() or {}
        dates = {name: data[name] for name in CALENDAR_FIELDS if data.get(name) is not None}
        if self.instance.pk is not None and len(dates) == len(CALENDAR_FIELDS):
            try:
                check_calendar(
                    campagne=self.instance, dates=dates, motif=data.get("motif_calendrier", ""), now=timezone.now()
                )
            except CalendrierVerrouille as exc:
                field = exc.field if exc.field in self.fields else None
                self.add_error("motif_calendrier" if exc.field == "motif" else field, exc.message)
        return data


@admin.register(Campagne)
class CampagneAdmin(DomainErrorsAsMessages):
    form = CampagneForm
    readonly_fields = ("journal_calendrier", "graphique_saisie", "graphique_baremes")
    list_display = ("libelle", "kind", "year", "academie", "phase_display", "saisie_debut", "saisie_fin", "publiee")
    list_filter = ("kind", "year", "publiee")
    prepopulated_fields = {"slug": ("libelle",)}
    fieldsets = (
        (None, {"fields": ("libelle", "slug", "kind", "year", "academie", "campagne_inter", "publiee")}),
        (gettext_lazy("Vœux"), {"fields": ("max_voeux", "types_voeux")}),
        (
            gettext_lazy("Calendrier (heure de Paris)"),
            {
                "fields": (
                    ("saisie_debut", "saisie_fin"),
                    "confirmation_debut",
                    "retour_pieces_fin",
                    ("bareme_affichage_debut", "bareme_affichage_fin"),
                    "baremes_definitifs",
                    "annulation_fin",
                    "resultats",
                    "motif_calendrier",
                )
            },
        ),
        (gettext_lazy("Journal des changements du calendrier"), {"fields": ("journal_calendrier",)}),
        (gettext_lazy("Saisie des vœux"), {"fields": ("graphique_saisie",)}),
        (gettext_lazy("Barèmes"), {"fields": ("graphique_baremes",)}),
    )

    @admin.display(description=gettext_lazy("enregistrements par jour"))
    def graphique_saisie(self, obj: Campagne) -> str:
        return saves_per_day(obj) if obj.pk else "—"

    @admin.display(description=gettext_lazy("barème du vœu 1 par discipline"))
    def graphique_baremes(self, obj: Campagne) -> str:
        return bareme_distribution(obj) if obj.pk else "—"

    @admin.display(description=gettext_lazy("changements après l'ouverture"))
    def journal_calendrier(self, obj: Campagne) -> str:
        if obj.pk is None:
            return "—"
        rows = ChangementCalendrier.objects.for_object(obj).select_related("auteur").order_by("-date", "pk")
        lines = format_html_join(
            "",
            "<li>{} — {} : {} → {} — {} ({})</li>",
            (
                (moment(c.le), c.get_champ_display(), moment(c.ancienne), moment(c.nouvelle), c.motif, c.auteur)
                for c in rows
            ),
        )
        return format_html("<ul>{}</ul>", lines) if lines else _("Aucun changement.")

    def save_model(self, request: HttpRequest, obj: Campagne, form: forms.ModelForm, change: bool) -> None:
        if change:
            dates = {name: getattr(obj, name) for name in CALENDAR_FIELDS}
            motif = form.cleaned_data.get("motif_calendrier", "")
            update_calendar(campagne=obj, by=request.user, dates=dates, motif=motif)  # type: ignore[arg-type]
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Campagne]:
        return super().get_queryset(request).with_jalons()  # type: ignore[attr-defined, no-any-return]

    @admin.display(description=gettext_lazy("phase en cours"))
    def phase_display(self, obj: Campagne) -> str:
        return str(obj.phase.label)
