"""Import of établissements: one line per UAI; an existing UAI is updated, a new one created."""

from __future__ import annotations

from typing import Any

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.models import Commune, EducationPrioritaire, Etablissement, TypeEtablissement
from dossier.services.imports.base import Importer, ImportOptions, ImportResource
from dossier.uai import is_valid_uai, uai_check_letter


def choice_lookup(choices: Any) -> dict[str, str]:
    """Accept a choice by its code or by its label, whatever the case: 'CLG', 'collège'."""
    lookup = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        lookup[str(label).lower()] = value
    return lookup


TYPES = choice_lookup(TypeEtablissement.choices)
EDUCATION_PRIORITAIRE = {**choice_lookup(EducationPrioritaire.choices), "": "", "aucune": "", "non": ""}


def uai_problem(uai: str) -> str | None:
    if is_valid_uai(uai):
        return None
    if len(uai) == 8 and uai[:7].isdigit() and uai[7].isalpha():
        return _("le code UAI « %(uai)s » a une lettre de contrôle fausse (attendu\u00a0: %(letter)s).") % {
            "uai": uai,
            "letter": uai_check_letter(uai[:7]),
        }
    return _("le code UAI « %(uai)s » doit comporter 7 chiffres suivis d'une lettre.") % {"uai": uai}


class EtablissementResource(ImportResource):
    class Meta(ImportOptions):
        model = Etablissement
        fields = ("uai", "nom", "type", "commune", "education_prioritaire")

    def load_references(self, dataset: tablib.Dataset) -> None:
        insees = {str(code).zfill(5) for code in dataset["commune_insee"]} if dataset.height else set()
        self.communes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=insees)}
        codes = {str(uai).upper() for uai in dataset["uai"]} if dataset.height else set()
        self.existing = {e.uai: e for e in Etablissement.objects.filter(uai__in=codes)}
        self.seen: dict[str, int] = {}

    def find(self, values: dict[str, Any]) -> Etablissement | None:
        return self.existing.get(values["uai"])

    def clean_row(self, line: int, data: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        errors = []
        uai = data["uai"].upper()
        if (problem := uai_problem(uai)) is not None:
            errors.append(problem)
        elif uai in self.seen:
            errors.append(_("le code UAI %(uai)s figure déjà ligne %(other)s.") % {"uai": uai, "other": self.seen[uai]})
        else:
            self.seen[uai] = line
        nom = data["nom"]
        if not nom:
            errors.append(_("le nom est obligatoire."))
        elif len(nom) > 150:
            errors.append(_("le nom dépasse 150 caractères."))
        type_ = TYPES.get(data["type"].lower())
        if type_ is None:
            errors.append(
                _("type « %(value)s » inconnu (attendu\u00a0: %(choices)s).")
                % {"value": data["type"], "choices": ", ".join(TypeEtablissement.values)}
            )
        commune = self.communes.get(data["commune_insee"].zfill(5))
        if commune is None:
            errors.append(_("commune de code INSEE « %(code)s » inconnue.") % {"code": data["commune_insee"]})
        ep = EDUCATION_PRIORITAIRE.get(data.get("education_prioritaire", "").lower())
        if ep is None:
            errors.append(
                _("éducation prioritaire « %(value)s » inconnue (attendu\u00a0: vide, REP, REP+ ou PV).")
                % {"value": data["education_prioritaire"]}
            )
        return {"uai": uai, "nom": nom, "type": type_, "commune": commune, "education_prioritaire": ep}, errors


class EtablissementImporter(Importer):
    resource_class = EtablissementResource
    label = gettext_lazy("établissements")
    columns = ("uai", "nom", "type", "commune_insee", "education_prioritaire")
    required = ("uai", "nom", "type", "commune_insee")
    example = ("0630018C", "Lycée Blaise-Pascal", "LGT", "63113", "")
    noun = (gettext_lazy("%(n)s établissement"), gettext_lazy("%(n)s établissements"))
    created_phrase = (gettext_lazy("%(n)s établissement créé"), gettext_lazy("%(n)s établissements créés"))
    updated_phrase = (gettext_lazy("%(n)s mis à jour"), gettext_lazy("%(n)s mis à jour"))
