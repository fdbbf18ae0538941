"""Import of agents with their dossier basics; the identifier is assigned by Agent.save."""

from __future__ import annotations

from typing import Any, ClassVar

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.identifiers import base_identifier, first_free
from accounts.models import Agent, Civilite
from dossier.models import (
    Classe,
    Discipline,
    Dossier,
    Etablissement,
    Grade,
    Position,
    ZoneRemplacement,
)
from dossier.services.dossiers import create_agent_dossier
from dossier.services.imports.base import Importer, ImportOptions, ImportResource, parse_date
from dossier.services.imports.etablissements import choice_lookup

CIVILITES = {**choice_lookup(Civilite.choices), "": "", "mme.": "MME", "m.": "M", "mr": "M"}
CLASSES = {
    **choice_lookup(Classe.choices),
    "": "normale",
    "cn": "normale",
    "hc": "hors_classe",
    "ce": "exceptionnelle",
    "hors classe": "hors_classe",
}
POSITIONS = {**choice_lookup(Position.choices), "": "titulaire"}
DATES = ("date_naissance", "date_echelon", "date_entree_poste", "debut_ags")
AGENT_FIELDS = ("civilite", "nom", "nom_famille", "prenom", "numen", "date_naissance", "email")
DOSSIER_FIELDS = (
    "grade",
    "echelon",
    "date_echelon",
    "discipline",
    "etablissement",
    "zone_remplacement",
    "date_entree_poste",
    "position",
    "debut_ags",
)


class AgentResource(ImportResource):
    """One line, one new agent with their dossier: the identifier is assigned by Agent.save (fdupont1…) and
    previewed from the identifiers already taken; the dossier service writes the journal."""

    bulk = False  # Agent.save assigns the identifier; the dossier service journals each creation

    class Meta(ImportOptions):
        model = Dossier
        fields = ("id",)

    def load_references(self, dataset: tablib.Dataset) -> None:
        self.grades = {(g.corps.code, g.classe): g for g in Grade.objects.select_related("corps")}
        self.disciplines = {d.code: d for d in Discipline.objects.all()}
        has_uai = "uai" in (dataset.headers or []) and dataset.height
        uais = {str(u).upper() for u in dataset["uai"]} if has_uai else set()
        self.etablissements = {e.uai: e for e in Etablissement.objects.filter(uai__in=uais)}
        self.zones = {z.code: z for z in ZoneRemplacement.objects.all()}
        numens = {str(n).upper().replace(" ", "") for n in dataset["numen"]} if dataset.height else set()
        self.numens = dict(Agent.objects.filter(numen__in=numens).values_list("numen", "identifiant"))
        self.taken = set(Agent.objects.values_list("identifiant", flat=True))
        self.seen: dict[str, int] = {}

    def clean_row(self, line: int, data: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        errors: list[str] = []
        values: dict[str, Any] = {}
        today = timezone.localdate()
        self._identity(line, data, values, errors)
        for name in DATES:
            raw = data.get(name, "")
            values[name] = parse_date(raw) if raw else None
            if raw and values[name] is None:
                errors.append(_("%(col)s « %(value)s » n'est pas une date JJ/MM/AAAA.") % {"col": name, "value": raw})
            elif values[name] and values[name] > today and name != "date_echelon":
                errors.append(_("%(col)s ne peut pas être dans le futur.") % {"col": name})
        self._career(data, values, errors)
        self._affectation(data, values, errors)
        if not errors:
            values["identifiant"] = first_free(base_identifier(values["prenom"], values["nom"]), self.taken)
            self.taken.add(values["identifiant"])
        return values, errors

    def describe(self, values: dict[str, Any], new: bool) -> str:
        return _("création — identifiant prévu\u00a0: %(id)s") % {"id": values["identifiant"]}

    def import_instance(self, instance: Dossier, row: dict[str, Any], **kwargs: Any) -> None:
        for name in DOSSIER_FIELDS:
            setattr(instance, name, self.values[name])
        instance.corps = self.values["grade"].corps

    def write(self, instance: Dossier, is_create: bool) -> None:
        agent = Agent(**{name: self.values[name] for name in AGENT_FIELDS})
        create_agent_dossier(agent=agent, dossier=instance, auteur=self.auteur, motif=_("import CSV"))

    def _identity(self, line: int, data: dict[str, str], values: dict[str, Any], errors: list[str]) -> None:
        civilite = CIVILITES.get(data.get("civilite", "").lower())
        if civilite is None:
            errors.append(_("civilité « %(value)s » inconnue (M ou MME).") % {"value": data["civilite"]})
        values["civilite"] = civilite or ""
        for name, label in (("nom", _("le nom")), ("prenom", _("le prénom"))):
            value = data[name]
            if not value:
                errors.append(_("%(label)s est obligatoire.") % {"label": label})
            elif len(value) > 100:
                errors.append(_("%(label)s dépasse 100 caractères.") % {"label": label})
            values[name] = value
        if values["nom"] and values["prenom"]:
            try:
                base_identifier(values["prenom"], values["nom"])
            except ValueError:
                errors.append(_("le prénom et le nom doivent contenir au moins une lettre."))
        values["nom_famille"] = data.get("nom_famille", "")[:100]
        numen = data["numen"].upper().replace(" ", "")
        if len(numen) != 13 or not numen.isalnum():
            errors.append(_("le NUMEN « %(value)s » doit comporter 13 caractères.") % {"value": data["numen"]})
        elif numen in self.numens:
            errors.append(_("un agent a déjà ce NUMEN (identifiant %(id)s).") % {"id": self.numens[numen]})
        elif numen in self.seen:
            errors.append(_("ce NUMEN figure déjà ligne %(other)s.") % {"other": self.seen[numen]})
        else:
            self.seen[numen] = line
        values["numen"] = numen
        email = data.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("l'adresse électronique « %(value)s » n'est pas valide.") % {"value": email})
        values["email"] = email

    def _career(self, data: dict[str, str], values: dict[str, Any], errors: list[str]) -> None:
        classe = CLASSES.get(data.get("classe", "").lower())
        grade = self.grades.get((data["corps"].upper(), classe or ""))
        if classe is None:
            errors.append(
                _("classe « %(value)s » inconnue (normale, hors_classe, exceptionnelle).") % {"value": data["classe"]}
            )
        elif grade is None:
            errors.append(
                _("aucun grade pour le corps « %(corps)s » en %(classe)s.") % {"corps": data["corps"], "classe": classe}
            )
        values["grade"] = grade
        raw = data["echelon"]
        echelon = int(raw) if raw.isdigit() else None
        if echelon is None:
            errors.append(_("l'échelon « %(value)s » doit être un nombre.") % {"value": raw})
        elif grade is not None and not 1 <= echelon <= grade.echelon_max:
            errors.append(
                _("l'échelon %(n)s n'existe pas dans le grade « %(grade)s » (1 à %(max)s).")
                % {"n": echelon, "grade": grade.libelle, "max": grade.echelon_max}
            )
        values["echelon"] = echelon
        values["discipline"] = self.disciplines.get(data["discipline"].upper())
        if values["discipline"] is None:
            errors.append(_("discipline « %(code)s » inconnue.") % {"code": data["discipline"]})
        position = POSITIONS.get(data.get("position", "").lower())
        if position is None:
            errors.append(_("position « %(value)s » inconnue (titulaire, stagiaire…).") % {"value": data["position"]})
        values["position"] = position

    def _affectation(self, data: dict[str, str], values: dict[str, Any], errors: list[str]) -> None:
        uai, zone = data.get("uai", "").upper(), data.get("zone_remplacement", "").upper()
        values["etablissement"] = self.etablissements.get(uai) if uai else None
        values["zone_remplacement"] = self.zones.get(zone) if zone else None
        if uai and zone:
            errors.append(_("indiquez un établissement ou une zone de remplacement, pas les deux."))
        if uai and values["etablissement"] is None:
            errors.append(_("établissement « %(uai)s » inconnu.") % {"uai": uai})
        if zone and values["zone_remplacement"] is None:
            errors.append(_("zone de remplacement « %(code)s » inconnue.") % {"code": zone})


class AgentImporter(Importer):
    resource_class = AgentResource
    label = gettext_lazy("agents")
    help = gettext_lazy(
        "Les dates s'écrivent JJ/MM/AAAA. Chaque ligne crée un agent (son identifiant est attribué à l'import) et "
        "son dossier\u00a0; un NUMEN déjà connu est refusé."
    )
    noun = (gettext_lazy("%(n)s agent"), gettext_lazy("%(n)s agents"))
    created_phrase = (
        gettext_lazy("%(n)s agent créé avec son dossier"),
        gettext_lazy("%(n)s agents créés avec leur dossier"),
    )
    columns = (
        "civilite",
        "nom",
        "nom_famille",
        "prenom",
        "date_naissance",
        "numen",
        "email",
        "corps",
        "classe",
        "echelon",
        "date_echelon",
        "discipline",
        "uai",
        "zone_remplacement",
        "date_entree_poste",
        "position",
        "debut_ags",
    )
    required: ClassVar[tuple[str, ...]] = ("nom", "prenom", "numen", "corps", "echelon", "discipline")
    example = (
        "MME",
        "Durand",
        "Durand",
        "Alice",
        "14/03/1990",
        "15E0300001ABC",
        "alice.durand@ac-clermont.fr",
        "CERT",
        "normale",
        "5",
        "01/09/2024",
        "L1300",
        "0630018C",
        "",
        "01/09/2022",
        "titulaire",
        "01/09/2016",
    )
