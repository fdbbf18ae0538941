"""What staff export from the lists: demandes, their barèmes per vœu and mouvement results, as filtered on the page."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func
from django.utils.translation import gettext as _
from import_export import fields

from lib.exports import SafeResource
from siam.models import Demande, MouvementResultat
from siam.models.bareme import BaremeLigne, BaremeVoeu


class DemandeResource(SafeResource):
    identifiant = fields.Field(attribute="agent__identifiant", column_name="identifiant")
    nom = fields.Field(attribute="agent__nom", column_name="nom")
    prenom = fields.Field(attribute="agent__prenom", column_name="prénom")
    campagne = fields.Field(attribute="campagne__slug", column_name="campagne")
    etat = fields.Field(column_name="état")
    participation = fields.Field(attribute="participation", column_name="participation")
    nb_voeux = fields.Field(attribute="nb_voeux", column_name="vœux")
    modifiee_le = fields.Field(attribute="modifiee_le", column_name="modifiée le")

    class Meta:
        model = Demande
        fields = ("identifiant", "nom", "prenom", "campagne", "etat", "participation", "nb_voeux", "modifiee_le")
        export_order = fields
        name = "demandes"

    def dehydrate_etat(self, demande: Demande) -> str:
        return str(demande.get_etat_display())


class ResultatResource(SafeResource):
    identifiant = fields.Field(attribute="demande__agent__identifiant", column_name="identifiant")
    nom = fields.Field(attribute="demande__agent__nom", column_name="nom")
    prenom = fields.Field(attribute="demande__agent__prenom", column_name="prénom")
    poste = fields.Field(column_name="poste obtenu")
    voeu_rang = fields.Field(attribute="voeu_rang", column_name="rang du vœu obtenu")
    kept = fields.Field(attribute="kept", column_name="maintenu")
    extended = fields.Field(attribute="extended", column_name="extension")

    class Meta:
        model = MouvementResultat
        fields = ("identifiant", "nom", "prenom", "poste", "voeu_rang", "kept", "extended")
        export_order = fields
        name = "résultats"

    def dehydrate_poste(self, resultat: Any) -> str:
        return str(resultat.poste) if resultat.poste_id else ""


class BaremeResource(SafeResource):
    """The barèmes of the filtered demandes: one row per vœu, with its stored total and the lines that make it."""

    identifiant = fields.Field(attribute="demande__agent__identifiant", column_name="identifiant")
    nom = fields.Field(attribute="demande__agent__nom", column_name="nom")
    prenom = fields.Field(attribute="demande__agent__prenom", column_name="prénom")
    discipline = fields.Field(attribute="demande__agent__dossier__discipline__libelle", column_name="discipline")
    campagne = fields.Field(attribute="demande__campagne__slug", column_name="campagne")
    rang = fields.Field(attribute="voeu__rang", column_name="rang")
    voeu = fields.Field(column_name="vœu")
    total = fields.Field(attribute="total", column_name="barème")
    definitif = fields.Field(attribute="definitif", column_name="définitif")
    lignes = fields.Field(column_name="lignes du barème")

    class Meta:
        model = BaremeVoeu
        fields = (
            "identifiant",
            "nom",
            "prenom",
            "discipline",
            "campagne",
            "rang",
            "voeu",
            "total",
            "definitif",
            "lignes",
        )
        export_order = fields
        name = "barèmes par vœu"

    def export(self, queryset: Any = None, **kwargs: Any) -> Any:
        """``queryset``: the demandes of the list, as filtered; their vœux' barèmes are what is exported."""
        demandes = (queryset if queryset is not None else Demande.objects.all()).order_by().values_list("pk", flat=True)
        baremes = (
            BaremeVoeu.objects.filter(demande__in=demandes)
            .select_related(
                "demande__agent__dossier__discipline",
                "demande__campagne",
                "voeu__etablissement__commune",
                "voeu__commune__departement",
                "voeu__groupement",
                "voeu__departement",
                "voeu__academie",
                "voeu__zone_remplacement",
            )
            .order_by("demande__agent__nom", "demande__agent__prenom", "demande_id", "voeu__rang")
        )
        ids = baremes.order_by().annotate(ligne=Func(F("lignes"), function="unnest")).values("ligne")
        self.lines = {line.pk: line for line in BaremeLigne.objects.filter(pk__in=ids)}
        return super().export(queryset=baremes, **kwargs)

    def dehydrate_voeu(self, bareme: BaremeVoeu) -> str:
        voeu = bareme.voeu
        return f"{voeu.get_type_display()} — {voeu.cible}"

    def dehydrate_lignes(self, bareme: BaremeVoeu) -> str:
        """« Échelon 7 : 49 points (retenue) ; … », in the order the barème page shows them."""
        return " ; ".join(_line(self.lines[i]) for i in bareme.lignes if i in self.lines)


def _line(line: BaremeLigne) -> str:
    points = f"{line.points.normalize():f}".replace(".", ",")
    return _("%(phrase)s\u00a0: %(points)s points (%(etat)s)") % {
        "phrase": line.phrase,
        "points": points,
        "etat": line.get_etat_display(),
    }
