"""Rules are data: serialised to JSON rows, validated for staff, passed geography."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bareme_helpers import GRENOBLE, LILLE, LYON, VALIDATED, academies, line_of, situation

import siam.bareme
from siam.bareme import (
    FRANCE,
    Claims,
    Famille,
    Geographie,
    Lieu,
    Rules,
    RulesError,
    compute_baremes,
    default_rules_inter,
    default_rules_intra_clermont,
)
from siam.bareme.geography import ACADEMIES, CORSE, DEPARTEMENTS, DOM, LIMITROPHES
from siam.bareme.text import format_points


@pytest.mark.parametrize("rules", [default_rules_inter(), default_rules_intra_clermont()], ids=["inter", "intra"])
def test_default_rules_round_trip_through_json_dicts(rules):
    rows = json.loads(json.dumps(rules.to_dicts()))
    assert Rules.from_dicts(rows) == rules
    assert Rules.from_dicts(rows).to_dicts() == rows


def test_decimals_are_written_as_strings_and_read_back_exactly():
    rc: dict[str, Any] = next(row for row in default_rules_inter().to_dicts() if row["code"] == "rc")  # type: ignore[misc]
    assert rc["params"]["points"] == "150.2"
    rc["params"]["points"] = 150.2  # a float typed in a JSON editor
    assert Rules.from_dicts([rc]).components[0].params["points"] == Decimal("150.2")


def test_changing_a_value_in_the_rows_changes_the_bareme():
    rows: list[dict[str, Any]] = default_rules_inter().to_dicts()  # type: ignore[assignment]
    for row in rows:
        if row["code"] == "rc":
            row["params"]["points"] = "200"
    compiled = Rules.from_dicts(rows).compile()
    s = situation(Claims(rc=VALIDATED), famille=Famille(conjoint=Lieu(academie=LYON)))
    assert line_of(compute_baremes(s, academies(LYON), compiled)[0], "rc").points == 200


def _rows_with(code, **changes):
    rows: list[dict[str, Any]] = default_rules_inter().to_dicts()  # type: ignore[assignment]
    row = next(r for r in rows if r["code"] == code)
    for key, value in changes.items():
        if key in row["params"] or key not in row:
            row["params"][key] = value
        else:
            row[key] = value
    return rows


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"code": "prime"}], "code de composante inconnu 'prime'"),
        ([{"code": "rqth", "params": {"points": "100"}}] * 2, "configurée deux fois"),
        ([{"code": "rqth", "params": {}}], "paramètre « points » manquant"),
        ([{"code": "rqth", "params": {"points": "100", "bonus": 1}}], "paramètre inconnu ['bonus']"),
        ([{"code": "rqth", "params": {"points": True}}], "un nombre est attendu"),
        ([{"code": "rqth", "params": {"points": "cent"}}], "n'est pas un nombre"),
        ([{"code": "rqth", "params": {"points": "100"}, "ordre": 3}], "clé inconnue ['ordre']"),
        ([{"code": "rqth", "params": {"points": "100"}, "voeu_specific": "non"}], "true ou false est attendu"),
        (
            [{"code": "rqth", "params": {"points": "100"}, "applique_a": {"types": ["XYZ"]}}],
            "type de vœu inconnu ['XYZ']",
        ),
        ([{"code": "rqth", "params": {"points": "100"}, "applique_a": {"rangs": "voeu_2"}}], "« tous » ou « voeu_1 »"),
        (_rows_with("separation", paliers=[[2, "325"], [1, "190"]]), "strictement croissants"),
        (_rows_with("poste", annees_tranche=-1), "entier supérieur ou égal à 0"),
        (_rows_with("apc", non_cumulable_avec=["rqth"]), "ne sont pas des bonifications familiales"),
        (_rows_with("rc", niveau="commune"), "une valeur parmi ['academie', 'departement']"),
        # The enfants line reads the RC line of the same voeu: the RC must come first.
        (
            [{"code": "enfants", "params": {"par_enfant": "100", "avec": {"rc": 0}}}],
            "doivent être configurées avant elle",
        ),
    ],
)
def test_rules_staff_cannot_use_are_refused_with_a_french_reason(rows, message):
    with pytest.raises(RulesError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Rules.from_dicts(rows)


def test_limitrophes_are_data_passed_to_compile():
    # A campagne may decide Lille neighbours Lyon; the code only reads the data.
    limitrophes = {**FRANCE.limitrophes, LYON: FRANCE.limitrophes[LYON] | {LILLE}}
    geo = Geographie(academies=FRANCE.academies, limitrophes=limitrophes, dom=FRANCE.dom)
    s = situation(Claims(rc=VALIDATED), famille=Famille(conjoint=Lieu(academie=LYON)))
    on_lille = compute_baremes(s, academies(LYON, LILLE), default_rules_inter().compile(geo))[1]
    assert line_of(on_lille, "rc").points == Decimal("150.2")


def test_there_are_30_academies_since_normandie_and_mayotte():
    assert len(ACADEMIES) == 30
    assert ACADEMIES["70"] == "Normandie" and ACADEMIES["43"] == "Mayotte"
    assert not {"05", "21"} & set(ACADEMIES)  # Caen and Rouen are gone
    assert {ACADEMIES[c] for c in DOM} == {"Guadeloupe", "Guyane", "Martinique", "La Réunion", "Mayotte"}
    assert {ACADEMIES[c] for c in CORSE} == {"Corse"}


def test_limitrophes_are_symmetric_and_islands_have_none():
    for code, neighbours in LIMITROPHES.items():
        assert code not in neighbours
        assert all(code in LIMITROPHES[n] for n in neighbours), code
    assert all(not LIMITROPHES[c] for c in DOM | CORSE)


@pytest.mark.parametrize(
    ("academie", "neighbours"),
    [
        ("Clermont-Ferrand", {"Dijon", "Lyon", "Grenoble", "Montpellier", "Toulouse", "Limoges", "Orléans-Tours"}),
        ("Lyon", {"Besançon", "Dijon", "Grenoble", "Clermont-Ferrand"}),
        ("Normandie", {"Amiens", "Versailles", "Orléans-Tours", "Nantes", "Rennes"}),
        ("Paris", {"Créteil", "Versailles"}),
        ("Nice", {"Aix-Marseille"}),
        ("Lille", {"Amiens"}),
    ],
)
def test_limitrophes_follow_the_borders_of_the_departements(academie, neighbours):
    code = next(c for c, name in ACADEMIES.items() if name == academie)
    assert {ACADEMIES[n] for n in LIMITROPHES[code]} == neighbours


def test_every_departement_belongs_to_a_known_academie():
    assert len(DEPARTEMENTS) == 101
    assert all(academie in ACADEMIES for _, academie in DEPARTEMENTS.values())
    assert {name for name, aca in DEPARTEMENTS.values() if aca == "70"} == {
        "Calvados",
        "Eure",
        "Manche",
        "Orne",
        "Seine-Maritime",
    }
    assert FRANCE.departement("063") == "Puy-de-Dôme" and FRANCE.academie(GRENOBLE) == "Grenoble"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("150.2", "150,2 points"),
        ("150.20", "150,2 points"),
        ("0", "0 point"),
        ("1", "1 point"),
        ("0.1", "0,1 point"),
        ("2", "2 points"),
        ("1E+2", "100 points"),
        ("1500", "1\u00a0500 points"),
    ],
)
def test_points_are_written_the_french_way(value, text):
    assert format_points(Decimal(value)) == text


def test_the_core_imports_no_django():
    imported = set()
    for path in Path(siam.bareme.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "collections", "dataclasses", "decimal", "enum", "types", "typing", "siam"}
