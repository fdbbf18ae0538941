"""The shapes of a campagne's rules: component rows, vœu filters, typed parameters.

Staff edit these as JSON (one row per component), so every value is parsed
and checked here once, with a French message naming the component and the
parameter at fault, and the calculator never sees raw JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal, TypeAlias

from siam.bareme.situation import TypeVoeu

JSON: TypeAlias = bool | int | float | str | Sequence["JSON"] | Mapping[str, "JSON"] | None
Paliers: TypeAlias = tuple[tuple[int, Decimal], ...]
Rangs: TypeAlias = Literal["tous", "voeu_1"]

_MISSING = object()


class RulesError(ValueError):
    """A campagne's rules cannot be used as given; the message is for staff."""


def parse_decimal(raw: object, where: str) -> Decimal:
    # JSON edited by hand gives floats: the repr of a float is the shortest
    # text that reads back the same, so 150.2 becomes exactly Decimal("150.2").
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise RulesError(f"{where} : un nombre est attendu, pas {raw!r}")
    try:
        value = Decimal(repr(raw) if isinstance(raw, float) else str(raw).replace(",", "."))
    except InvalidOperation:
        raise RulesError(f"{where} : {raw!r} n'est pas un nombre") from None
    if not value.is_finite():
        raise RulesError(f"{where} : {raw!r} n'est pas un nombre fini")
    return value


def dump_decimal(value: Decimal) -> str:
    return format(value, "f")


def _parse_int(raw: object, where: str, minimum: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < minimum:
        raise RulesError(f"{where} : un entier supérieur ou égal à {minimum} est attendu, pas {raw!r}")
    return raw


def _parse_codes(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list | tuple | frozenset | set) or not all(isinstance(c, str) for c in raw):
        raise RulesError(f"{where} : une liste de codes est attendue, pas {raw!r}")
    codes = tuple(sorted(raw)) if isinstance(raw, frozenset | set) else tuple(raw)
    if len(set(codes)) != len(codes):
        raise RulesError(f"{where} : code en double dans {list(codes)!r}")
    return codes


def _parse_mapping(raw: object, where: str) -> Mapping[str, object]:
    if not isinstance(raw, Mapping) or not all(isinstance(k, str) for k in raw):
        raise RulesError(f"{where} : un objet {{code: valeur}} est attendu, pas {raw!r}")
    return raw


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a component: its kind, and a default when it may be omitted."""

    kind: Literal["decimal", "int", "bool", "choice", "codes", "paliers", "decimals", "ints"]
    default: object = _MISSING
    choices: tuple[str, ...] = ()

    def parse(self, raw: object, where: str) -> object:
        if self.kind == "decimal":
            return parse_decimal(raw, where)
        if self.kind == "int":
            return _parse_int(raw, where, 0)
        if self.kind == "bool":
            if not isinstance(raw, bool):
                raise RulesError(f"{where} : true ou false est attendu, pas {raw!r}")
            return raw
        if self.kind == "choice":
            if raw not in self.choices:
                raise RulesError(f"{where} : une valeur parmi {list(self.choices)} est attendue, pas {raw!r}")
            return raw
        if self.kind == "codes":
            return _parse_codes(raw, where)
        if self.kind == "paliers":
            return _parse_paliers(raw, where)
        mapping = _parse_mapping(raw, where)
        if self.kind == "decimals":
            return {k: parse_decimal(v, f"{where}[{k}]") for k, v in mapping.items()}
        return {k: _parse_int(v, f"{where}[{k}]", 0) for k, v in mapping.items()}

    def dump(self, value: object) -> JSON:
        if isinstance(value, Decimal):
            return dump_decimal(value)
        if isinstance(value, bool | int | str):
            return value
        if self.kind == "codes":
            assert isinstance(value, tuple)
            return list(value)
        if self.kind == "paliers":
            assert isinstance(value, tuple)
            return [[seuil, dump_decimal(points)] for seuil, points in value]
        assert isinstance(value, Mapping)
        return {k: dump_decimal(v) if isinstance(v, Decimal) else v for k, v in value.items()}

    @property
    def required(self) -> bool:
        return self.default is _MISSING


def _parse_paliers(raw: object, where: str) -> Paliers:
    """Steps ``[[from, points], ...]``: the points of the highest ``from`` reached."""
    if not isinstance(raw, list | tuple) or not raw:
        raise RulesError(f"{where} : une liste [[seuil, points], ...] est attendue, pas {raw!r}")
    steps: list[tuple[int, Decimal]] = []
    for item in raw:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise RulesError(f"{where} : chaque palier est [seuil, points], pas {item!r}")
        seuil = _parse_int(item[0], f"{where} (seuil)", 0)
        if steps and seuil <= steps[-1][0]:
            raise RulesError(f"{where} : les seuils doivent être strictement croissants")
        steps.append((seuil, parse_decimal(item[1], f"{where} (points au seuil {seuil})")))
    return tuple(steps)


def palier(steps: Paliers, value: int) -> Decimal | None:
    """Points of the highest step reached by ``value``; None below the first step."""
    reached = None
    for seuil, points in steps:
        if value < seuil:
            break
        reached = points
    return reached


@dataclass(frozen=True, slots=True)
class AppliesTo:
    """Which vœux a component may apply to, before its own logic is asked.

    Empty sets mean "no restriction". ``filtres`` lists the établissement type
    filters a wide voeu may carry and keep the bonus (e.g. only "TOUT").
    """

    rangs: Rangs = "tous"
    types: frozenset[str] = frozenset()
    types_exclus: frozenset[str] = frozenset()
    filtres: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, raw: object, where: str) -> AppliesTo:
        data = _parse_mapping(raw, where)
        unknown = set(data) - {"rangs", "types", "types_exclus", "filtres"}
        if unknown:
            raise RulesError(f"{where} : clé inconnue {sorted(unknown)}")
        rangs = data.get("rangs", "tous")
        if rangs not in ("tous", "voeu_1"):
            raise RulesError(f"{where}.rangs : « tous » ou « voeu_1 » est attendu, pas {rangs!r}")
        types = frozenset(_parse_codes(data.get("types", []), f"{where}.types"))
        exclus = frozenset(_parse_codes(data.get("types_exclus", []), f"{where}.types_exclus"))
        bad = (types | exclus) - set(TypeVoeu)
        if bad:
            raise RulesError(f"{where} : type de vœu inconnu {sorted(bad)}")
        filtres = frozenset(_parse_codes(data.get("filtres", []), f"{where}.filtres"))
        return cls(rangs="voeu_1" if rangs == "voeu_1" else "tous", types=types, types_exclus=exclus, filtres=filtres)

    def to_dict(self) -> dict[str, JSON]:
        return {
            "rangs": self.rangs,
            "types": sorted(self.types),
            "types_exclus": sorted(self.types_exclus),
            "filtres": sorted(self.filtres),
        }

    @property
    def unrestricted(self) -> bool:
        return self == AppliesTo()


@dataclass(frozen=True, slots=True)
class ComponentRule:
    """One component as configured for a campagne; ``params`` are already parsed."""

    code: str
    params: Mapping[str, object]
    applique_a: AppliesTo = AppliesTo()
    voeu_specific: bool = False

    def decimal(self, name: str) -> Decimal:
        value = self.params[name]
        assert isinstance(value, Decimal)
        return value

    def integer(self, name: str) -> int:
        value = self.params[name]
        assert isinstance(value, int)
        return value

    def flag(self, name: str) -> bool:
        value = self.params[name]
        assert isinstance(value, bool)
        return value

    def text(self, name: str) -> str:
        value = self.params[name]
        assert isinstance(value, str)
        return value

    def codes(self, name: str) -> tuple[str, ...]:
        value = self.params[name]
        assert isinstance(value, tuple)
        return value

    def paliers(self, name: str) -> Paliers:
        value = self.params[name]
        assert isinstance(value, tuple)
        return value

    def decimals(self, name: str) -> Mapping[str, Decimal]:
        value = self.params[name]
        assert isinstance(value, Mapping)
        return value

    def ints(self, name: str) -> Mapping[str, int]:
        value = self.params[name]
        assert isinstance(value, Mapping)
        return value


def parse_params(schema: Mapping[str, Param], raw: object, where: str) -> dict[str, object]:
    data = _parse_mapping(raw, where)
    unknown = set(data) - set(schema)
    if unknown:
        raise RulesError(f"{where} : paramètre inconnu {sorted(unknown)}")
    params: dict[str, object] = {}
    for name, param in schema.items():
        if name in data:
            params[name] = param.parse(data[name], f"{where}.{name}")
        elif param.required:
            raise RulesError(f"{where} : paramètre « {name} » manquant")
        else:
            params[name] = param.default
    return params


def dump_params(schema: Mapping[str, Param], params: Mapping[str, object]) -> dict[str, JSON]:
    return {name: schema[name].dump(params[name]) for name in schema}
