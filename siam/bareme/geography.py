"""The French académies as reference data: codes, names, départements, neighbours.

Thirty académies since 1 January 2020: Caen and Rouen merged into Normandie,
and Mayotte, until then a vice-rectorat, became an académie of its own. So
Mayotte is one of the 30 (25 in metropolitan France, 5 outre-mer), not a
31st. Codes are the ministry's: two digits for académies (Normandie took the
new code 70; Mayotte keeps 43), three characters for départements ("063",
"02A", "971"), as in the référentiel's fixtures.

"Limitrophe" means sharing a land border, derived from the départements of
each académie. Corse and the académies d'outre-mer have none. A campagne may
pass other data: the barème only reads a ``Geographie`` it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ACADEMIES: Mapping[str, str] = MappingProxyType(
    {
        "01": "Paris",
        "02": "Aix-Marseille",
        "03": "Besançon",
        "04": "Bordeaux",
        "06": "Clermont-Ferrand",
        "07": "Dijon",
        "08": "Grenoble",
        "09": "Lille",
        "10": "Lyon",
        "11": "Montpellier",
        "12": "Nancy-Metz",
        "13": "Poitiers",
        "14": "Rennes",
        "15": "Strasbourg",
        "16": "Toulouse",
        "17": "Nantes",
        "18": "Orléans-Tours",
        "19": "Reims",
        "20": "Amiens",
        "22": "Limoges",
        "23": "Nice",
        "24": "Créteil",
        "25": "Versailles",
        "27": "Corse",
        "28": "La Réunion",
        "31": "Martinique",
        "32": "Guadeloupe",
        "33": "Guyane",
        "43": "Mayotte",
        "70": "Normandie",
    }
)

DOM: frozenset[str] = frozenset({"28", "31", "32", "33", "43"})
CORSE: frozenset[str] = frozenset({"27"})

# département code -> (name, académie code)
DEPARTEMENTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "001": ("Ain", "10"),
        "002": ("Aisne", "20"),
        "003": ("Allier", "06"),
        "004": ("Alpes-de-Haute-Provence", "02"),
        "005": ("Hautes-Alpes", "02"),
        "006": ("Alpes-Maritimes", "23"),
        "007": ("Ardèche", "08"),
        "008": ("Ardennes", "19"),
        "009": ("Ariège", "16"),
        "010": ("Aube", "19"),
        "011": ("Aude", "11"),
        "012": ("Aveyron", "16"),
        "013": ("Bouches-du-Rhône", "02"),
        "014": ("Calvados", "70"),
        "015": ("Cantal", "06"),
        "016": ("Charente", "13"),
        "017": ("Charente-Maritime", "13"),
        "018": ("Cher", "18"),
        "019": ("Corrèze", "22"),
        "02A": ("Corse-du-Sud", "27"),
        "02B": ("Haute-Corse", "27"),
        "021": ("Côte-d'Or", "07"),
        "022": ("Côtes-d'Armor", "14"),
        "023": ("Creuse", "22"),
        "024": ("Dordogne", "04"),
        "025": ("Doubs", "03"),
        "026": ("Drôme", "08"),
        "027": ("Eure", "70"),
        "028": ("Eure-et-Loir", "18"),
        "029": ("Finistère", "14"),
        "030": ("Gard", "11"),
        "031": ("Haute-Garonne", "16"),
        "032": ("Gers", "16"),
        "033": ("Gironde", "04"),
        "034": ("Hérault", "11"),
        "035": ("Ille-et-Vilaine", "14"),
        "036": ("Indre", "18"),
        "037": ("Indre-et-Loire", "18"),
        "038": ("Isère", "08"),
        "039": ("Jura", "03"),
        "040": ("Landes", "04"),
        "041": ("Loir-et-Cher", "18"),
        "042": ("Loire", "10"),
        "043": ("Haute-Loire", "06"),
        "044": ("Loire-Atlantique", "17"),
        "045": ("Loiret", "18"),
        "046": ("Lot", "16"),
        "047": ("Lot-et-Garonne", "04"),
        "048": ("Lozère", "11"),
        "049": ("Maine-et-Loire", "17"),
        "050": ("Manche", "70"),
        "051": ("Marne", "19"),
        "052": ("Haute-Marne", "19"),
        "053": ("Mayenne", "17"),
        "054": ("Meurthe-et-Moselle", "12"),
        "055": ("Meuse", "12"),
        "056": ("Morbihan", "14"),
        "057": ("Moselle", "12"),
        "058": ("Nièvre", "07"),
        "059": ("Nord", "09"),
        "060": ("Oise", "20"),
        "061": ("Orne", "70"),
        "062": ("Pas-de-Calais", "09"),
        "063": ("Puy-de-Dôme", "06"),
        "064": ("Pyrénées-Atlantiques", "04"),
        "065": ("Hautes-Pyrénées", "16"),
        "066": ("Pyrénées-Orientales", "11"),
        "067": ("Bas-Rhin", "15"),
        "068": ("Haut-Rhin", "15"),
        "069": ("Rhône", "10"),
        "070": ("Haute-Saône", "03"),
        "071": ("Saône-et-Loire", "07"),
        "072": ("Sarthe", "17"),
        "073": ("Savoie", "08"),
        "074": ("Haute-Savoie", "08"),
        "075": ("Paris", "01"),
        "076": ("Seine-Maritime", "70"),
        "077": ("Seine-et-Marne", "24"),
        "078": ("Yvelines", "25"),
        "079": ("Deux-Sèvres", "13"),
        "080": ("Somme", "20"),
        "081": ("Tarn", "16"),
        "082": ("Tarn-et-Garonne", "16"),
        "083": ("Var", "23"),
        "084": ("Vaucluse", "02"),
        "085": ("Vendée", "17"),
        "086": ("Vienne", "13"),
        "087": ("Haute-Vienne", "22"),
        "088": ("Vosges", "12"),
        "089": ("Yonne", "07"),
        "090": ("Territoire de Belfort", "03"),
        "091": ("Essonne", "25"),
        "092": ("Hauts-de-Seine", "25"),
        "093": ("Seine-Saint-Denis", "24"),
        "094": ("Val-de-Marne", "24"),
        "095": ("Val-d'Oise", "25"),
        "971": ("Guadeloupe", "32"),
        "972": ("Martinique", "31"),
        "973": ("Guyane", "33"),
        "974": ("La Réunion", "28"),
        "976": ("Mayotte", "43"),
    }
)

# Each pair once; the mapping below makes it symmetric.
_BORDERS = (
    ("02", "08"),  # Aix-Marseille: Hautes-Alpes/Drôme/Isère/Savoie
    ("02", "11"),  # Vaucluse, Bouches-du-Rhône / Gard
    ("02", "23"),  # Alpes-de-Haute-Provence, Bouches-du-Rhône, Vaucluse / Var, Alpes-Maritimes
    ("20", "09"),  # Somme, Aisne / Pas-de-Calais, Nord
    ("20", "70"),  # Somme, Oise / Seine-Maritime, Eure
    ("20", "25"),  # Oise / Val-d'Oise
    ("20", "24"),  # Oise, Aisne / Seine-et-Marne
    ("20", "19"),  # Aisne / Ardennes, Marne
    ("03", "12"),  # Haute-Saône, Territoire de Belfort / Vosges
    ("03", "19"),  # Haute-Saône / Haute-Marne
    ("03", "07"),  # Haute-Saône, Jura / Côte-d'Or, Saône-et-Loire
    ("03", "10"),  # Jura / Ain
    ("03", "15"),  # Territoire de Belfort / Haut-Rhin
    ("04", "22"),  # Dordogne / Haute-Vienne, Corrèze
    (
        "04",
        "16",
    ),  # Dordogne, Lot-et-Garonne, Landes, Pyrénées-Atlantiques / Lot, Tarn-et-Garonne, Gers, Hautes-Pyrénées
    ("04", "13"),  # Dordogne, Gironde / Charente, Charente-Maritime
    ("06", "07"),  # Allier / Nièvre, Saône-et-Loire
    ("06", "10"),  # Allier, Puy-de-Dôme, Haute-Loire / Loire
    ("06", "22"),  # Allier, Puy-de-Dôme, Cantal / Creuse, Corrèze
    ("06", "18"),  # Allier / Cher
    ("06", "11"),  # Cantal, Haute-Loire / Lozère
    ("06", "16"),  # Cantal / Aveyron, Lot
    ("06", "08"),  # Haute-Loire / Ardèche
    ("24", "25"),  # Seine-et-Marne, Seine-Saint-Denis, Val-de-Marne / Val-d'Oise, Essonne, Hauts-de-Seine
    ("24", "01"),  # Seine-Saint-Denis, Val-de-Marne / Paris
    ("24", "18"),  # Seine-et-Marne / Loiret
    ("24", "07"),  # Seine-et-Marne / Yonne
    ("24", "19"),  # Seine-et-Marne / Aube, Marne
    ("07", "19"),  # Yonne, Côte-d'Or / Aube, Haute-Marne
    ("07", "18"),  # Yonne, Nièvre / Loiret, Cher
    ("07", "10"),  # Saône-et-Loire / Ain, Rhône, Loire
    ("08", "10"),  # Savoie, Haute-Savoie, Isère, Ardèche / Ain, Rhône, Loire
    ("08", "11"),  # Ardèche / Gard, Lozère
    ("22", "13"),  # Haute-Vienne / Charente, Vienne
    ("22", "18"),  # Haute-Vienne, Creuse / Indre, Cher
    ("22", "16"),  # Corrèze / Lot
    ("11", "16"),  # Lozère, Gard, Hérault, Aude, Pyrénées-Orientales / Aveyron, Tarn, Haute-Garonne, Ariège
    ("12", "19"),  # Meuse, Vosges / Ardennes, Marne, Haute-Marne
    ("12", "15"),  # Meurthe-et-Moselle, Moselle, Vosges / Bas-Rhin, Haut-Rhin
    ("17", "14"),  # Loire-Atlantique, Maine-et-Loire, Mayenne / Ille-et-Vilaine, Morbihan
    ("17", "70"),  # Mayenne, Sarthe / Manche, Orne
    ("17", "18"),  # Sarthe, Maine-et-Loire / Eure-et-Loir, Loir-et-Cher, Indre-et-Loire
    ("17", "13"),  # Maine-et-Loire, Vendée / Vienne, Deux-Sèvres, Charente-Maritime
    ("70", "14"),  # Manche / Ille-et-Vilaine
    ("70", "18"),  # Eure, Orne / Eure-et-Loir
    ("70", "25"),  # Eure / Yvelines, Val-d'Oise
    ("18", "25"),  # Eure-et-Loir, Loiret / Yvelines, Essonne
    ("18", "13"),  # Indre-et-Loire, Indre / Vienne
    ("01", "25"),  # Paris / Hauts-de-Seine
)

LIMITROPHES: Mapping[str, frozenset[str]] = MappingProxyType(
    {code: frozenset(b if a == code else a for a, b in _BORDERS if code in (a, b)) for code in ACADEMIES}
)


@dataclass(frozen=True, slots=True)
class Geographie:
    """What the barème needs to know about places: names, neighbours, outre-mer."""

    academies: Mapping[str, str]
    limitrophes: Mapping[str, frozenset[str]]
    dom: frozenset[str]
    departements: Mapping[str, str] = field(default_factory=dict)

    def academie(self, code: str) -> str:
        return self.academies.get(code, code)

    def departement(self, code: str) -> str:
        return self.departements.get(code, code)


FRANCE = Geographie(
    academies=ACADEMIES,
    limitrophes=LIMITROPHES,
    dom=DOM,
    departements=MappingProxyType({code: name for code, (name, _) in DEPARTEMENTS.items()}),
)
