"""``manage.py mouvement generate``: a seeded national inter and a large intra, written to the database.

The distributions are those of ``siam.mouvement.synthetic`` (same seed, same participants, lists
and barèmes); this module gives them names and places: agents, dossiers, a campagne, its postes,
demandes, typed voeux, stored barèmes (so a run needs no barème recompute), the extension barème
of the obligatory participants, the campagne's tie-break seed and its table d'extension.

Everything is bulk-written: agents share one precomputed unusable password (never a hash per
agent) and the voeux and their barèmes go through COPY. Synthetic campagnes are not published to
teachers (``publiee=False``) and synthetic agents cannot log in.
"""

from __future__ import annotations

import datetime
import io
import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agent
from dossier.models import (
    Academie,
    Commune,
    Corps,
    Departement,
    Discipline,
    Dossier,
    Etablissement,
    Grade,
    GroupementCommunes,
    Position,
    ZoneRemplacement,
)
from dossier.uai import uai_check_letter
from siam.errors import MouvementError
from siam.models import (
    Campagne,
    CampagneKind,
    CapaciteAccueil,
    Demande,
    EtatDemande,
    Participation,
    Poste,
    TypeFiltre,
    TypeVoeu,
    Voeu,
)
from siam.models.bareme import BaremeExtension, BaremeVoeu, TirageDepartage
from siam.models.mouvement import TableExtension
from siam.mouvement.synthetic import generate_inter
from siam.mouvement.synthetic import intra as synthetic_intra
from siam.mouvement.synthetic.draws import common_points, largest_remainder
from siam.mouvement.synthetic.inter import SyntheticInter

Say = Callable[[str], None]
BATCH = 5000
DISCIPLINE_CODES = {
    "Lettres modernes": "L0202",
    "Mathématiques": "L1300",
    "Anglais": "L0422",
    "Histoire-géographie": "L1000",
    "EPS": "L1900",
    "Physique-chimie": "L1500",
}
DOM_CODES = frozenset({"28", "31", "32", "33", "43"})
PRENOMS = (
    "Camille",
    "Dominique",
    "Claude",
    "Alex",
    "Sacha",
    "Lou",
    "Maxime",
    "Morgane",
    "Yannick",
    "Noa",
    "Andréa",
    "Charlie",
    "Eden",
    "Gaël",
    "Louison",
    "Marion",
    "Stéphane",
    "Jordan",
    "Loïc",
    "Anne",
)
NOMS = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
)
LIEUX = (
    "Aurec",
    "Bellerive",
    "Chanonat",
    "Dallet",
    "Enval",
    "Fayet",
    "Gerzat",
    "Herment",
    "Issoire",
    "Job",
    "Lempdes",
    "Manzat",
    "Nohanent",
    "Olliergues",
    "Pontgibaud",
    "Quinssaines",
    "Riom",
    "Sauxillanges",
    "Thiers",
    "Usson",
    "Vic",
    "Yronde",
    "Ambert",
    "Billom",
    "Courpière",
    "Durtol",
    "Ennezat",
    "Flat",
)
FILTRE_OF = {frozenset({"CLG"}): TypeFiltre.CLG, frozenset({"LGT", "LP"}): TypeFiltre.LYC}


def generate(
    *, seed: int, inter: int = 30_000, intra: int = 20_000, n_voeux: int = 20, say: Say = print
) -> Iterator[tuple[Campagne, float]]:
    """Yield each campagne written, with the seconds it took."""
    slugs = [slug for n, slug in ((inter, f"synthetique-inter-{seed}"), (intra, f"synthetique-intra-{seed}")) if n]
    taken = list(Campagne.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if taken:
        raise MouvementError(
            _(
                "Mouvement synthétique déjà généré pour la graine %(seed)s (%(slugs)s)\u00a0: choisissez une autre graine."
            )
            % {"seed": seed, "slugs": ", ".join(taken)}
        )
    base = _Base(seed)
    if inter:
        started = time.perf_counter()
        with transaction.atomic():
            campagne = _Inter(base, seed, inter, say).write()
        yield campagne, time.perf_counter() - started
    if intra:
        started = time.perf_counter()
        with transaction.atomic():
            campagne = _Intra(base, seed, intra, n_voeux, say).write()
        yield campagne, time.perf_counter() - started


# --- shared helpers ---------------------------------------------------------------------


def reachable_capacities(synthetic: SyntheticInter) -> list[int]:
    """The core's capacities, topped up so that, per discipline, the places outside Corse and the DOM cover
    the obligatory participants and the tenured of Corse and the DOM: the run refuses capacities the
    extension could not honour (siam.services.mouvement.capacites)."""
    places = list(synthetic.instance.capacities)
    n_d = len(synthetic.disciplines)
    inside = [a for a in range(len(synthetic.academies)) if not synthetic.is_forbidden(a)]
    needing = [0] * n_d  # per discipline: obligatory participants and tenured of Corse and the DOM
    for t, (obligatory, own) in enumerate(zip(synthetic.obligatory, synthetic.instance.current_post, strict=True)):
        if obligatory or (own is not None and synthetic.is_forbidden(synthetic.academie_of(own))):
            needing[synthetic.teacher_discipline[t]] += 1
    for d in range(n_d):
        must = needing[d]
        short = must - sum(places[a * n_d + d] for a in inside)
        if short > 0:
            extra = largest_remainder(short, [synthetic.academies[a].vacancies for a in inside])
            for a, seats in zip(inside, extra, strict=True):
                places[a * n_d + d] += seats
    return places


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows (None → NULL) into ``table``: the voeux of a national inter in about a second."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    with (
        connection.cursor() as cursor,
        cursor.copy(  # type: ignore[attr-defined]
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        ) as copy,
    ):
        copy.write(buffer.getvalue())


def free_codes(existing: Iterable[str], make: Callable[[int], str], count: int) -> list[str]:
    """``count`` codes ``make(0), make(1)…`` that ``existing`` does not hold."""
    used = set(existing)
    found: list[str] = []
    i = 0
    while len(found) < count:
        code = make(i)
        if code not in used:
            found.append(code)
        i += 1
    return found


def free_uais(count: int) -> list[str]:
    # département « 099 » does not exist: synthetic établissements never collide with real ones
    existing = Etablissement.objects.filter(uai__startswith="099").values_list("uai", flat=True)
    return free_codes(existing, lambda i: f"{990000 + i:07d}" + uai_check_letter(f"{990000 + i:07d}"), count)


def academie_code(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def demo_calendar(now: datetime.datetime) -> dict[str, datetime.datetime]:
    """Every phase over, the results phase open since yesterday: a run can be published at once."""
    day = datetime.timedelta(days=1)
    start = now - 120 * day
    return {
        "saisie_debut": start,
        "saisie_fin": start + 20 * day,
        "confirmation_debut": start + 21 * day,
        "retour_pieces_fin": start + 31 * day,
        "bareme_affichage_debut": start + 60 * day,
        "bareme_affichage_fin": start + 81 * day,
        "baremes_definitifs": start + 90 * day,
        "annulation_fin": start + 95 * day,
        "resultats": now - day,
    }


def free_year(kind: str, academie: Academie | None) -> int:
    last = Campagne.objects.filter(kind=kind, academie=academie).aggregate(last=Max("year"))["last"] or 2039
    return max(2040, last + 1)


def points(hundredths: int) -> Decimal:
    """The synthetic barèmes are in hundredths of a point, always whole tenths."""
    return Decimal(hundredths) / 100


class _Base:
    """Corps, grade, disciplines, the shared password and the name draws."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"noms-{seed}")
        self.password = make_password(None)  # unusable: synthetic agents never log in
        self.corps, _c = Corps.objects.get_or_create(code="CERT", defaults={"libelle": "Professeurs certifiés"})
        self.grade, _g = Grade.objects.get_or_create(
            corps=self.corps,
            classe="normale",
            defaults={"libelle": "Professeur certifié de classe normale", "echelon_max": 11},
        )
        self.disciplines: dict[str, Discipline] = {}

    def discipline(self, name: str) -> Discipline:
        if name not in self.disciplines:
            self.disciplines[name], _d = Discipline.objects.get_or_create(
                code=DISCIPLINE_CODES.get(name, name[:10].upper()), defaults={"libelle": name}
            )
        return self.disciplines[name]

    def agents(self, prefix: str, n: int) -> list[int]:
        now = timezone.now()
        rows = [
            Agent(
                identifiant=f"{prefix}{i:05d}",
                prenom=self.rng.choice(PRENOMS),
                nom=self.rng.choice(NOMS),
                password=self.password,
                date_joined=now,
            )
            for i in range(n)
        ]
        return [a.pk for a in Agent.objects.bulk_create(rows, batch_size=BATCH)]

    def dossiers(self, agent_ids: Sequence[int], fields: Sequence[dict[str, Any]]) -> None:
        Dossier.objects.bulk_create(
            [
                Dossier(agent_id=a, corps=self.corps, grade=self.grade, **f)
                for a, f in zip(agent_ids, fields, strict=True)
            ],
            batch_size=BATCH,
        )

    @staticmethod
    def demandes(campagne: Campagne, agent_ids: Sequence[int], obligatory: Sequence[bool]) -> list[int]:
        rows = [
            Demande(
                agent_id=a,
                campagne=campagne,
                etat=EtatDemande.ENREGISTREE,
                version=1,
                participation=Participation.OBLIGATOIRE if must else Participation.VOLONTAIRE,
                participation_raisons=["stagiaire ou entrant : première affectation"] if must else [],
            )
            for a, must in zip(agent_ids, obligatory, strict=True)
        ]
        return [d.pk for d in Demande.objects.bulk_create(rows, batch_size=BATCH)]

    @staticmethod
    def voeux_and_baremes(campagne: Campagne, rows: Sequence[tuple[int, int, str, str, dict[str, int], int]]) -> None:
        """rows: (demande, rang, type, filtre, {target field: id}, barème in hundredths)."""
        targets = (
            "etablissement_id",
            "commune_id",
            "groupement_id",
            "departement_id",
            "academie_id",
            "zone_remplacement_id",
        )
        copy_rows(
            Voeu._meta.db_table,
            ("demande_id", "rang", "type", "filtre", *targets),
            ((d, r, t, f, *(target.get(name) for name in targets)) for d, r, t, f, target, _s in rows),
        )
        ids = {
            (d, r): pk
            for pk, d, r in Voeu.objects.filter(demande__campagne=campagne).values_list("pk", "demande_id", "rang")
        }
        now = timezone.now().isoformat()
        copy_rows(
            BaremeVoeu._meta.db_table,
            ("voeu_id", "demande_id", "total", "lignes", "calcule_le", "definitif"),
            ((ids[(d, r)], d, points(s), "{}", now, "t") for d, r, _t, _f, _target, s in rows),
        )

    @staticmethod
    def extension(
        demande_ids: Sequence[int], obligatory: Sequence[bool], scores: Sequence[int], ranks: Sequence[int]
    ) -> None:
        now = timezone.now()
        BaremeExtension.objects.bulk_create(
            [
                BaremeExtension(demande_id=d, rang=r, total=points(s), calcule_le=now, definitif=True)
                for d, must, s, r in zip(demande_ids, obligatory, scores, ranks, strict=True)
                if must
            ],
            batch_size=BATCH,
        )


# --- the national inter ---------------------------------------------------------------


class _Inter:
    def __init__(self, base: _Base, seed: int, n: int, say: Say) -> None:
        self.base, self.seed, self.n, self.say = base, seed, n, say

    def write(self) -> Campagne:
        say = self.say
        say(f"inter : tirage de {self.n} participants (graine {self.seed})…")
        synthetic = generate_inter(self.seed, self.n, n_obligatory=min(12_800, int(self.n * 0.43)))
        instance = synthetic.instance
        academies, etabs = self._academies(synthetic.academies)
        disciplines = [self.base.discipline(name) for name in synthetic.disciplines]
        now = timezone.now()
        campagne = Campagne.objects.create(
            slug=f"synthetique-inter-{self.seed}",
            kind=CampagneKind.INTER,
            year=free_year(CampagneKind.INTER, None),
            libelle=f"Mouvement inter-académique synthétique (graine {self.seed})",
            max_voeux=31,
            types_voeux=[TypeVoeu.ACA],
            publiee=False,
            **demo_calendar(now),
        )
        TirageDepartage.objects.create(campagne=campagne, seed=f"synthetique-{self.seed}")
        n_d = len(disciplines)
        places = reachable_capacities(synthetic)
        Poste.objects.bulk_create(
            [
                Poste(
                    campagne=campagne,
                    academie=academies[a],
                    discipline=disciplines[d],
                    nombre=places[a * n_d + d],
                    susceptible_vacant=True,
                )
                for a in range(len(academies))
                for d in range(n_d)
            ]
        )
        CapaciteAccueil.objects.bulk_create(
            [
                CapaciteAccueil(
                    campagne=campagne, academie=academies[a], discipline=disciplines[d], places=places[a * n_d + d]
                )
                for a in range(len(academies))
                for d in range(n_d)
            ]
        )
        TableExtension.objects.bulk_create(
            [
                TableExtension(campagne=campagne, zone=academies[a].code, voisins=[academies[b].code for b in row])
                for a, row in synthetic.extension_table.items()
            ]
        )
        say("inter : agents, dossiers, demandes…")
        agent_ids = self.base.agents(f"syn{self.seed}i", self.n)
        fields = []
        for t in range(self.n):
            own = instance.current_post[t]
            d = synthetic.teacher_discipline[t]
            fields.append(
                {
                    "discipline": disciplines[d],
                    "echelon": 5,
                    "date_entree_poste": datetime.date(2020, 9, 1),
                    "position": Position.STAGIAIRE if own is None else Position.TITULAIRE,
                    "etablissement": None if own is None else etabs[synthetic.academie_of(own)],
                }
            )
        self.base.dossiers(agent_ids, fields)
        demande_ids = self.base.demandes(campagne, agent_ids, synthetic.obligatory)
        say("inter : voeux et barèmes…")
        rows = [
            (
                demande_ids[t],
                i + 1,
                TypeVoeu.ACA,
                TypeFiltre.TOUT,
                {"academie_id": academies[synthetic.academie_of(p)].pk},
                instance.scores[t][i],
            )
            for t in range(self.n)
            for i, p in enumerate(instance.prefs[t])
        ]
        self.base.voeux_and_baremes(campagne, rows)
        ranks = [1 + min(range(len(s)), key=s.__getitem__) if s else 1 for s in instance.scores]
        self.base.extension(demande_ids, synthetic.obligatory, synthetic.extension_score, ranks)
        return campagne

    def _academies(self, specs: Sequence[Any]) -> tuple[list[Academie], list[Etablissement]]:
        """The 30 académies (those of the référentiel when present) and one établissement in each."""
        by_code = {a.code_ministere: a for a in Academie.objects.exclude(code_ministere="")}
        academies = []
        for spec in specs:
            found = by_code.get(spec.code)
            if found is None:
                found = Academie.objects.create(
                    code=academie_code(spec.name),
                    nom=spec.name,
                    code_ministere=spec.code,
                    is_dom=spec.code in DOM_CODES,
                    is_corse=spec.code == "27",
                )
            academies.append(found)
        etabs: dict[int, Etablissement] = {}
        for etab in Etablissement.objects.filter(commune__departement__academie__in=academies).order_by("pk"):
            etabs.setdefault(etab.commune.departement.academie_id, etab)  # type: ignore[union-attr]
        missing = [(i, a) for i, a in enumerate(academies) if a.pk not in etabs]
        if missing:
            dep_codes = free_codes(
                Departement.objects.values_list("code", flat=True), lambda i: f"Y{i:02d}", len(missing)
            )
            insee = free_codes(
                Commune.objects.values_list("code_insee", flat=True), lambda i: f"Y{i:04d}", len(missing)
            )
            uais = free_uais(len(missing))
            for (i, academie), dcode, ccode, uai in zip(missing, dep_codes, insee, uais, strict=True):
                spec = specs[i]
                dep = Departement.objects.create(code=dcode, nom=f"{spec.name} (synthétique)", academie=academie)
                commune = Commune.objects.create(
                    code_insee=ccode,
                    nom=spec.name,
                    departement=dep,
                    latitude=Decimal(f"{spec.point.lat:.5f}"),
                    longitude=Decimal(f"{spec.point.lon:.5f}"),
                )
                etabs[academie.pk] = Etablissement.objects.create(
                    uai=uai, nom=f"Lycée synthétique de {spec.name}", type="LGT", commune=commune
                )
        return academies, [etabs[a.pk] for a in academies]


# --- the intra --------------------------------------------------------------------------


class _Intra:
    """Mirrors ``synthetic.intra.generate_intra`` draw for draw, keeping the typed voeux it expands."""

    def __init__(self, base: _Base, seed: int, n: int, n_voeux: int, say: Say) -> None:
        self.base, self.seed, self.n, self.n_voeux, self.say = base, seed, n, n_voeux, say

    def draw(
        self,
        departements: int = 4,
        disciplines: int = 6,
        groupements: int = 10,
        communes: int = 6,
        obligatory_share: float = 0.35,
    ) -> tuple[Any, list[dict[str, Any]], list[int]]:
        rng = random.Random(self.seed)
        aca = synthetic_intra._academie(rng, departements, groupements, communes, disciplines)
        weight_g = [3.0 if g < groupements else 1.0 for g in range(departements * groupements)]
        teachers = []
        demand = [0] * disciplines
        for _t in range(self.n):
            must = rng.random() < obligatory_share
            d = rng.randrange(disciplines)
            own = None if must else rng.choice(aca.zones[("ACA", 0, d)]).post
            common = common_points(rng, tenured=not must)
            g = rng.choices(range(len(weight_g)), weight_g)[0]
            voeux = synthetic_intra._voeux(rng, aca, g, d, must, self.n_voeux, common, rc=rng.random() < 0.2)
            teachers.append({"must": must, "d": d, "own": own, "common": common, "voeux": voeux})
            demand[d] += must
        return aca, teachers, synthetic_intra._capacities(aca, demand)

    def write(self) -> Campagne:
        say = self.say
        say(f"intra : tirage de {self.n} participants × {self.n_voeux} voeux (graine {self.seed})…")
        aca, teachers, capacities = self.draw()
        disciplines = [self.base.discipline(name) for name in synthetic_intra_disciplines(6)]
        say("intra : géographie, établissements, zones de remplacement…")
        geo = _IntraGeography(self.seed, aca)
        now = timezone.now()
        campagne = Campagne.objects.create(
            slug=f"synthetique-intra-{self.seed}",
            kind=CampagneKind.INTRA,
            academie=geo.academie,
            year=free_year(CampagneKind.INTRA, geo.academie),
            libelle=f"Mouvement intra-académique synthétique (graine {self.seed})",
            max_voeux=self.n_voeux,
            types_voeux=list(TypeVoeu.values),
            publiee=False,
            **demo_calendar(now),
        )
        TirageDepartage.objects.create(campagne=campagne, seed=f"synthetique-{self.seed}")
        TableExtension.objects.bulk_create(
            [
                TableExtension(
                    campagne=campagne, zone=geo.departements[k].code, voisins=[geo.departements[j].code for j in row]
                )
                for k, row in synthetic_intra._extension_table(aca).items()
            ]
        )
        Poste.objects.bulk_create(
            [
                Poste(
                    campagne=campagne,
                    discipline=disciplines[geo.post_discipline[p]],
                    nombre=capacities[p],
                    susceptible_vacant=True,
                    **geo.lieu(p),
                )
                for p in range(len(capacities))
            ],
            batch_size=BATCH,
        )
        say("intra : agents, dossiers, demandes…")
        agent_ids = self.base.agents(f"syn{self.seed}a", self.n)
        self.base.dossiers(
            agent_ids,
            [
                {
                    "discipline": disciplines[t["d"]],
                    "echelon": 6,
                    "date_entree_poste": datetime.date(2019, 9, 1),
                    "position": Position.STAGIAIRE if t["own"] is None else Position.TITULAIRE,
                    **({} if t["own"] is None else geo.lieu(t["own"])),
                }
                for t in teachers
            ],
        )
        obligatory = [t["must"] for t in teachers]
        demande_ids = self.base.demandes(campagne, agent_ids, obligatory)
        say("intra : voeux et barèmes…")
        rows = []
        for demande, t in zip(demande_ids, teachers, strict=True):
            seen: set[tuple[Any, ...]] = set()
            rang = 0
            for voeu in t["voeux"]:
                voeu_type, target, filtre = geo.voeu(voeu)
                key = (voeu_type, filtre, tuple(sorted(target.items())))
                if key in seen:  # the draw can name one établissement twice; the list keeps the first
                    continue
                seen.add(key)
                rang += 1
                rows.append((demande, rang, voeu_type, filtre, target, voeu.score))
        self.base.voeux_and_baremes(campagne, rows)
        ranks = [1] * len(teachers)
        self.base.extension(demande_ids, obligatory, [t["common"] for t in teachers], ranks)
        return campagne


def synthetic_intra_disciplines(n: int) -> list[str]:
    from siam.mouvement.synthetic import DISCIPLINES

    return list(DISCIPLINES[:n])


class _IntraGeography:
    """Names and places for the synthetic académie: départements, communes, groupements, établissements, ZR."""

    def __init__(self, seed: int, aca: Any) -> None:
        self.academie = Academie.objects.create(code=f"SYNTH{seed}"[:20], nom=f"Académie synthétique {seed}")
        n_dep = aca.departements
        dep_codes = free_codes(Departement.objects.values_list("code", flat=True), lambda i: f"Z{i:02d}", n_dep)
        self.departements = Departement.objects.bulk_create(
            [
                Departement(code=code, nom=f"Département synthétique {k + 1}", academie=self.academie)
                for k, code in enumerate(dep_codes)
            ]
        )
        insee = free_codes(
            Commune.objects.values_list("code_insee", flat=True), lambda i: f"Z{i:04d}", len(aca.communes)
        )
        self.communes = Commune.objects.bulk_create(
            [
                Commune(
                    code_insee=code,
                    nom=_lieu(c),
                    departement=self.departements[commune.departement],
                    latitude=Decimal(f"{commune.point.lat:.5f}"),
                    longitude=Decimal(f"{commune.point.lon:.5f}"),
                )
                for c, (code, commune) in enumerate(zip(insee, aca.communes, strict=True))
            ]
        )
        n_geo = n_dep * aca.groupements
        per = len(aca.communes) // n_geo
        geo_codes = free_codes(
            GroupementCommunes.objects.values_list("code", flat=True), lambda i: f"GSYN{i:04d}", n_geo
        )
        self.groupements = GroupementCommunes.objects.bulk_create(
            [
                GroupementCommunes(
                    code=code, nom=f"Autour de {_lieu(g * per)}", departement=self.departements[g // aca.groupements]
                )
                for g, code in enumerate(geo_codes)
            ]
        )
        GroupementCommunes.communes.through.objects.bulk_create(
            [
                GroupementCommunes.communes.through(
                    groupementcommunes_id=self.groupements[g].pk, commune_id=self.communes[g * per + c].pk
                )
                for g in range(n_geo)
                for c in range(per)
            ]
        )
        zr_codes = free_codes(ZoneRemplacement.objects.values_list("code", flat=True), lambda i: f"ZRSYN{i:04d}", n_geo)
        self.zones = ZoneRemplacement.objects.bulk_create(
            [
                ZoneRemplacement(
                    code=code,
                    nom=f"ZR de {_lieu(g * per)}",
                    departement=self.departements[g // aca.groupements],
                    siege=self.communes[g * per],
                )
                for g, code in enumerate(zr_codes)
            ]
        )
        ZoneRemplacement.communes.through.objects.bulk_create(
            [
                ZoneRemplacement.communes.through(
                    zoneremplacement_id=self.zones[g].pk, commune_id=self.communes[g * per + c].pk
                )
                for g in range(n_geo)
                for c in range(per)
            ]
        )
        self._etablissements(aca)

    def _etablissements(self, aca: Any) -> None:
        """Posts are (établissement or ZR) × discipline; the site keys say which: E0001-03, Z007-03."""
        commune_of_etab: dict[int, int] = {}
        type_of_etab: dict[int, str] = {}
        self.post_discipline: dict[int, int] = {}
        post_place: dict[int, tuple[str, int]] = {}
        for (kind, ident, d), sites in aca.zones.items():
            for site in sites:
                self.post_discipline[site.post] = d
                number = int(site.key[1:].split("-")[0])
                if kind == "COM":
                    commune_of_etab[number] = ident
                    type_of_etab[number] = site.etab_type
                    post_place[site.post] = ("E", number)
                elif kind == "ZRE":
                    post_place[site.post] = ("Z", ident)
        numbers = sorted(commune_of_etab)
        uais = free_uais(len(numbers))
        kinds = {"CLG": "Collège", "LGT": "Lycée", "LP": "Lycée professionnel"}
        created = Etablissement.objects.bulk_create(
            [
                Etablissement(
                    uai=uai,
                    nom=f"{kinds[type_of_etab[n]]} n° {n} de {_lieu(commune_of_etab[n])}",
                    type=type_of_etab[n],
                    commune=self.communes[commune_of_etab[n]],
                )
                for n, uai in zip(numbers, uais, strict=True)
            ]
        )
        etab = dict(zip(numbers, created, strict=True))
        self._lieu = {
            post: {"etablissement_id": etab[ident].pk}
            if kind == "E"
            else {"zone_remplacement_id": self.zones[ident].pk}
            for post, (kind, ident) in post_place.items()
        }
        self._etab_pk = {post: etab[ident].pk for post, (kind, ident) in post_place.items() if kind == "E"}

    def lieu(self, post: int) -> dict[str, int]:
        return self._lieu[post]

    def voeu(self, voeu: Any) -> tuple[str, dict[str, int], str]:
        """A synthetic typed voeu as the Voeu row's type, target and filter."""
        zone = voeu.zone
        filtre = FILTRE_OF.get(voeu.etab_types, TypeFiltre.TOUT) if voeu.etab_types else TypeFiltre.TOUT
        if zone[0] == "ETB":
            return TypeVoeu.ETB, {"etablissement_id": self._etab_pk[zone[1]]}, TypeFiltre.TOUT
        kind, ident = zone[0], zone[1]
        target = {
            "COM": lambda: {"commune_id": self.communes[ident].pk},
            "GEO": lambda: {"groupement_id": self.groupements[ident].pk},
            "DPT": lambda: {"departement_id": self.departements[ident].pk},
            "ACA": lambda: {"academie_id": self.academie.pk},
            "ZRE": lambda: {"zone_remplacement_id": self.zones[ident].pk},
            "ZRD": lambda: {"departement_id": self.departements[ident].pk},
            "ZRA": lambda: {"academie_id": self.academie.pk},
        }[kind]()
        return kind, target, filtre


def _lieu(i: int) -> str:
    return LIEUX[i % len(LIEUX)] + ("" if i < len(LIEUX) else f"-{i // len(LIEUX) + 1}")
