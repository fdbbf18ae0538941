"""Import of établissements: one line per UAI; an existing UAI is updated, a new one created."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from dossier.models import Commune, EducationPrioritaire, Etablissement, TypeEtablissement
from dossier.services.imports.base import Importer, Row
from dossier.uai import is_valid_uai, uai_check_letter

if TYPE_CHECKING:
    from accounts.models import Agent


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


class EtablissementImporter(Importer):
    label = "établissements"
    columns = ("uai", "nom", "type", "commune_insee", "education_prioritaire")
    required = ("uai", "nom", "type", "commune_insee")
    example = ("0630018C", "Lycée Blaise-Pascal", "LGT", "63113", "")

    def load_references(self) -> None:
        self.communes = {c.code_insee: c for c in Commune.objects.all()}
        self.existing = set(Etablissement.objects.values_list("uai", flat=True))
        self.seen: dict[str, int] = {}

    def validate(self, line: int, data: dict[str, str]) -> tuple[Row | None, list[str]]:
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
        if errors:
            return None, errors
        action = _("mise à jour") if uai in self.existing else _("création")
        values = {"nom": nom, "type": type_, "commune": commune, "education_prioritaire": ep}
        return Row(line, action, (), {"uai": uai, **values}), []

    def write(self, rows: list[Row], auteur: Agent | None) -> int:
        Etablissement.objects.bulk_create(
            [Etablissement(**row.values) for row in rows],
            update_conflicts=True,
            unique_fields=["uai"],
            update_fields=["nom", "type", "commune", "education_prioritaire"],
        )
        return len(rows)
