"""From the ORM to the calculator's inputs, in bulk: a bounded number of queries whatever the campagne's size.

The same mapping as ``siam.services.bareme.facts.situation_for`` / ``voeu_facts`` (which work on model instances
for one demande's warnings), but on ``values_list`` rows: a campagne of 30,000 participants has about a
million voeux, and building that many model instances would take longer than computing their barèmes.
Reference rows (académies, départements, communes, établissements, groupements, zones) are read once
and every voeu's facts are shared between the voeux naming the same target at the same rank.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce

from dossier.models import Academie, Affectation, Commune, Departement, Dossier, Enfant, Etablissement, Position
from dossier.models import GroupementCommunes as Groupement
from dossier.models import ZoneRemplacement as Zone
from siam import bareme as core
from siam.models import Campagne, Demande, EtatDemande, Motif, MotifDeclare, Participation, StatutMotif, Voeu
from siam.models.choices import CIBLE_PAR_TYPE, CIBLES
from siam.services.bareme.facts import ETABLISSEMENT_TYPE, STATUS, academie_code

TITULAIRE = "titulaire"


@dataclass(slots=True)
class Participant:
    demande_id: int
    agent_id: int
    obligatoire: bool
    situation: core.Situation | None = None
    # Two parallel lists, in no particular order (the calculator reads each voeu's rank).
    voeu_ids: list[int] = field(default_factory=list)
    facts: list[core.VoeuFacts] = field(default_factory=list)
    enfants: int = 0
    famille_validee: bool = False

    @property
    def voeux(self) -> list[tuple[int, core.VoeuFacts]]:
        """(voeu id, facts) in rank order."""
        return sorted(zip(self.voeu_ids, self.facts, strict=True), key=lambda pair: pair[1].rang)


@dataclass(slots=True)
class Reference:
    """Codes of the référentiel as the core knows them, loaded once for the campagne."""

    academies: dict[int, str]
    departements: dict[int, tuple[str, str]]  # id -> (code, académie code)
    communes: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (code INSEE, département id)
    etablissements: dict[int, tuple[str, str, str, int]] = field(default_factory=dict)  # uai, type, ep, commune
    groupements: dict[int, tuple[int, frozenset[str]]] = field(default_factory=dict)  # département, communes
    zones: dict[int, tuple[int, int, frozenset[str]]] = field(default_factory=dict)  # département, siège, communes

    @classmethod
    def base(cls) -> Reference:
        academies = {a.pk: academie_code(a) for a in Academie.objects.all()}
        # Département codes are the référentiel's three characters ("063"), as the core's geography.
        departements = {d.pk: (d.code, academies[d.academie_id]) for d in Departement.objects.order_by()}
        return cls(academies, departements)

    def load(self, *, communes: set[int], etablissements: set[int], groupements: set[int], zones: set[int]) -> None:
        if groupements:
            in_groupement: dict[int, set[str]] = defaultdict(set)
            links = Groupement.communes.through.objects.filter(groupementcommunes_id__in=groupements)
            for gid, insee in links.values_list("groupementcommunes_id", "commune__code_insee"):
                in_groupement[gid].add(insee)
            for gid, dep in Groupement.objects.filter(pk__in=groupements).values_list("pk", "departement_id"):
                self.groupements[gid] = (dep, frozenset(in_groupement[gid]))
        if zones:
            in_zone: dict[int, set[str]] = defaultdict(set)
            zone_links = Zone.communes.through.objects.filter(zoneremplacement_id__in=zones)  # type: ignore[misc]
            for zid, insee in zone_links.values_list("zoneremplacement_id", "commune__code_insee"):
                in_zone[zid].add(insee)
            for zid, dep, siege in Zone.objects.filter(pk__in=zones).values_list("pk", "departement_id", "siege_id"):
                self.zones[zid] = (dep, siege, frozenset(in_zone[zid]))
                communes.add(siege)
        if etablissements:
            etabs = Etablissement.objects.filter(pk__in=etablissements).values_list(
                "pk", "uai", "type", "education_prioritaire", "commune_id"
            )
            for pk, uai, kind, ep, commune in etabs:
                self.etablissements[pk] = (uai, kind, ep or "", commune)
                communes.add(commune)
        if communes:
            places = Commune.objects.filter(pk__in=communes).values_list("pk", "code_insee", "departement_id")
            self.communes.update((pk, (insee, dep)) for pk, insee, dep in places)

    def lieu_commune(self, commune_id: int, etablissement: str = "") -> core.Lieu:
        insee, dep = self.communes[commune_id]
        dep_code, aca = self.departements[dep]
        return core.Lieu(academie=aca, departement=dep_code, commune=insee, etablissement=etablissement)

    def lieu_etablissement(self, etablissement_id: int) -> core.Lieu:
        uai, _kind, _ep, commune = self.etablissements[etablissement_id]
        return self.lieu_commune(commune, uai)


def years(since: datetime.date | None, on: datetime.date) -> int:
    if since is None:
        return 0
    return max(0, on.year - since.year - ((on.month, on.day) < (since.month, since.day)))


def previous_post_years(affectations: Iterable[tuple[str, datetime.date, datetime.date | None]]) -> int | None:
    """A stagiaire's complete years in his last post held as titulaire (of another corps), or None if never.

    ``affectations``: (nature, début, fin) of his history; a post held « à titre définitif » and ended is
    one held as titulaire. The stage itself never counts (DOMAIN.md §6, note de service inter).
    """
    held = [(debut, fin) for nature, debut, fin in affectations if nature == Affectation.Nature.DEFINITIVE and fin]
    if not held:
        return None
    debut, fin = max(held)
    return years(debut, fin)


def stagiaire_facts(
    position: str, academie_stage: str, affectations: Iterable[tuple[str, datetime.date, datetime.date | None]]
) -> core.Stagiaire | None:
    if position == TITULAIRE:
        return None
    # An ex-contractuel's past contracts are not posts held as titulaire, whatever their recorded nature.
    previous = None if position == Position.STAGIAIRE_EX_CONTRACTUEL else previous_post_years(affectations)
    return core.Stagiaire(academie_stage=academie_stage, anciennete_poste_titulaire=previous)


def reference_day(campagne: Campagne) -> datetime.date:
    """Children and seniority are counted on 1 September of the campagne's year."""
    return datetime.date(campagne.year, 9, 1)


# -- loading ------------------------------------------------------------------------------------------

# Exactly one target column is filled, the one the voeu's type names (a check constraint says so).
CIBLE = Coalesce(*(f"{name}_id" for name in CIBLES))
DOSSIER_FIELDS = (
    "agent_id", "position", "corps__code", "grade__classe", "echelon", "reclassement_echelon",
    "academie_stage_id", "etablissement_id", "zone_remplacement_id", "conjoint_commune_id",
    "conjoint_academie_id", "date_entree_poste",
)  # fmt: skip
MOTIF_FIELDS = ("demande_id", "motif", "statut", "motif_refus", "conjoint_commune_id", "academie_id", "annees")
FAMILLE = (Motif.RAPPROCHEMENT_CONJOINTS, Motif.AUTORITE_PARENTALE)


def demandes_in_scope(campagne: Campagne, demandes: Sequence[int] | None) -> QuerySet[Demande]:
    """The campagne's demandes that take part (not cancelled), or only those listed."""
    queryset = Demande.objects.filter(campagne=campagne).exclude(etat=EtatDemande.ANNULEE)
    return queryset.filter(pk__in=list(demandes)) if demandes is not None else queryset


def load_participants(campagne: Campagne, demandes: Sequence[int] | None = None) -> list[Participant]:
    """Every (non-cancelled) demande of the campagne, or only ``demandes``, ready for the calculator.

    Eleven queries or so, whatever the number of demandes; a demande whose agent has no dossier
    is returned without a situation.
    """
    scope = demandes_in_scope(campagne, demandes)
    participants = {
        pk: Participant(pk, agent, participation == Participation.OBLIGATOIRE)
        for pk, agent, participation in scope.order_by("pk").values_list("pk", "agent_id", "participation")
    }
    if not participants:
        return []
    voeux = Voeu.objects.filter(demande__in=scope).order_by()
    # One row per demande with its voeux as arrays: a million voeux read as 30,000 rows.
    lists = list(
        voeux.values("demande_id")
        .annotate(ids=ArrayAgg("pk"), rangs=ArrayAgg("rang"), types=ArrayAgg("type"), filtres=ArrayAgg("filtre"),
                  cibles=ArrayAgg(CIBLE))
        .values_list("demande_id", "ids", "rangs", "types", "filtres", "cibles")
    )  # fmt: skip
    targets = set(voeux.annotate(target=CIBLE).values_list("type", "target").distinct())
    motifs = list(MotifDeclare.objects.filter(demande__in=scope).order_by("pk").values_list(*MOTIF_FIELDS))
    dossiers = list(Dossier.objects.filter(agent__demandes__in=scope).order_by().values_list(*DOSSIER_FIELDS))
    on = reference_day(campagne)
    enfants = dict(
        Enfant.objects.filter(dossier__agent__demandes__in=scope, date_naissance__gt=on.replace(year=on.year - 18))
        .order_by()
        .values("dossier__agent_id")
        .annotate(n=Count("pk"))
        .values_list("dossier__agent_id", "n")
    )
    stagiaires = [d[0] for d in dossiers if d[1] == Position.STAGIAIRE]
    history: dict[int, list[tuple[str, datetime.date, datetime.date | None]]] = defaultdict(list)
    if stagiaires:
        rows = Affectation.objects.filter(dossier_id__in=stagiaires, nature=Affectation.Nature.DEFINITIVE)
        for agent, *affectation in rows.order_by().values_list("dossier_id", "nature", "date_debut", "date_fin"):
            history[agent].append(tuple(affectation))  # type: ignore[arg-type]
    ref = _reference(targets, motifs, dossiers)
    by_demande: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for m in motifs:
        by_demande[m[0]].append(m)
    agents = {p.agent_id: p for p in participants.values()}
    for row in dossiers:
        participant = agents[row[0]]
        participant.enfants = enfants.get(row[0], 0)
        own = by_demande.get(participant.demande_id, [])
        participant.situation = situation(row, own, participant.enfants, ref, on, history.get(row[0], ()))
        participant.famille_validee = any(m[1] in FAMILLE and m[2] == StatutMotif.VALIDE for m in own)
    _attach_voeux(participants, lists, ref)
    return list(participants.values())


def _reference(
    targets: set[tuple[str, int]], motifs: list[tuple[Any, ...]], dossiers: list[tuple[Any, ...]]
) -> Reference:
    by_field: dict[str, set[int]] = defaultdict(set)
    for kind, cible in targets:
        by_field[CIBLE_PAR_TYPE[kind]].add(cible)
    ref = Reference.base()
    ref.load(
        communes=by_field["commune"] | {m[4] for m in motifs if m[4]} | {d[9] for d in dossiers if d[9]},
        etablissements=by_field["etablissement"] | {d[7] for d in dossiers if d[7]},
        groupements=by_field["groupement"],
        zones=by_field["zone_remplacement"] | {d[8] for d in dossiers if d[8]},
    )
    return ref


def _attach_voeux(participants: dict[int, Participant], lists: list[tuple[Any, ...]], ref: Reference) -> None:
    # Voeux naming the same target at the same rank share one (immutable) facts object.
    shared: dict[tuple[Any, ...], core.VoeuFacts] = {}
    get = shared.get

    def build(key: tuple[Any, ...]) -> core.VoeuFacts:
        found = shared[key] = voeu_facts(key, ref)
        return found

    for demande_id, ids, rangs, types, filtres, cibles in lists:
        participant = participants[demande_id]
        participant.voeu_ids = ids
        participant.facts = [get(key) or build(key) for key in zip(rangs, types, filtres, cibles, strict=True)]


# -- mapping (the rules of siam.services.bareme.facts, on plain rows) ------------------------------------------------


def voeu_facts(key: tuple[Any, ...], ref: Reference) -> core.VoeuFacts:
    """``key``: (rang, type, filtre, id of the target the type names)."""
    rang, kind, filtre, cible = key
    voeu_type = core.TypeVoeu(kind)
    named = CIBLE_PAR_TYPE[kind]
    etab, commune, groupement, departement, academie, zone = (cible if name == named else None for name in CIBLES)
    if etab:
        uai, etab_type, ep, commune_id = ref.etablissements[etab]
        lieu = ref.lieu_commune(commune_id, uai)
        return core.VoeuFacts(
            rang=rang, type=voeu_type, academie=lieu.academie, departement=lieu.departement,
            communes=frozenset({lieu.commune}), etablissement=uai,
            etablissement_type=ETABLISSEMENT_TYPE.get(etab_type, ""), etablissement_ep=ep, filtre=filtre,
        )  # fmt: skip
    if academie:
        return core.VoeuFacts(rang=rang, type=voeu_type, academie=ref.academies[academie], filtre=filtre)
    if departement:
        dep_code, aca = ref.departements[departement]
        return core.VoeuFacts(rang=rang, type=voeu_type, academie=aca, departement=dep_code, filtre=filtre)
    if commune:
        lieu = ref.lieu_commune(commune)
        dep_id, communes = ref.communes[commune][1], frozenset({lieu.commune})
    elif groupement:
        dep_id, communes = ref.groupements[groupement]
    else:
        assert zone is not None
        dep_id, _siege, communes = ref.zones[zone]
    dep_code, aca = ref.departements[dep_id]
    return core.VoeuFacts(
        rang=rang, type=voeu_type, academie=aca, departement=dep_code, communes=communes, filtre=filtre
    )


def _lieu(ref: Reference, commune: int | None, academie: int | None) -> core.Lieu | None:
    if commune:
        return ref.lieu_commune(commune)
    return core.Lieu(academie=ref.academies[academie]) if academie else None


def situation(
    dossier: tuple[Any, ...],
    motifs: Iterable[tuple[Any, ...]],
    enfants: int,
    ref: Reference,
    on: datetime.date,
    affectations: Iterable[tuple[str, datetime.date, datetime.date | None]] = (),
) -> core.Situation:
    (_agent, position, corps, classe, echelon, reclassement, academie_stage, etab, zone, conjoint_commune,
     conjoint_academie, entree) = dossier  # fmt: skip
    by_motif = {m[1]: m for m in motifs}
    rc, apc = by_motif.get(Motif.RAPPROCHEMENT_CONJOINTS), by_motif.get(Motif.AUTORITE_PARENTALE)
    conjoint = _lieu(ref, rc[4] if rc and rc[4] else conjoint_commune, rc[5] if rc and rc[5] else conjoint_academie)
    anciennete = years(entree, on)
    poste = ref.lieu_etablissement(etab) if etab else None
    if poste is None and zone:
        poste = ref.lieu_commune(ref.zones[zone][1])
    ep_type = ref.etablissements[etab][2] if etab else ""
    ep = core.EducationPrioritaire(type=core.EducationPrioritaireType(ep_type), annees=anciennete) if ep_type else None
    stage = ref.academies[academie_stage] if academie_stage else ""
    stagiaire = stagiaire_facts(position, stage, affectations)
    return core.Situation(
        corps=corps,
        classe=core.Classe(classe),
        echelon=echelon,
        anciennete_poste=anciennete,
        poste=poste,
        education_prioritaire=ep,
        stagiaire=stagiaire,
        famille=core.Famille(
            conjoint=conjoint,
            residence_enfants=_lieu(ref, apc[4], None) if apc else None,
            enfants=enfants,
            annees_separation=(rc[6] or 0) if rc else 0,
        ),
        claims=claims(by_motif.values(), reclassement, ref),
    )


def claims(motifs: Iterable[tuple[Any, ...]], reclassement: int | None, ref: Reference) -> core.Claims:
    found: dict[str, core.Claim] = {}
    for _demande, motif, statut, refus, _commune, academie, annees in motifs:
        status = STATUS[StatutMotif(statut)]
        code = ref.academies[academie] if academie else ""
        common = {"status": status, "motif_refus": refus}
        if motif == Motif.HANDICAP:
            found["handicap"] = core.HandicapClaim(**common)
        elif motif == Motif.CIMM:
            found["cimm"] = core.CimmClaim(**common, academie=code)
        elif motif == Motif.VOEU_PREFERENTIEL:
            found["preferentiel"] = core.PreferentielClaim(**common, academie=code, annees_precedentes=annees or 0)
        elif motif == Motif.TZR:
            found["tzr"] = core.TzrClaim(**common, annees=annees or 0)
        elif motif == Motif.STAGIAIRE_EX_CONTRACTUEL:
            found["stagiaire_ex_contractuel"] = core.ExContractuelClaim(
                **common, echelon_reclassement=reclassement or 1
            )
        else:
            found[str(motif)] = core.Claim(**common)
    return core.Claims(**found)  # type: ignore[arg-type]
