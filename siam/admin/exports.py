"""What staff export from the lists: demandes and mouvement results, as filtered on the page."""

from __future__ import annotations

from typing import Any

from import_export import fields

from lib.exports import SafeResource
from siam.models import Demande, MouvementResultat


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
