"""A campagne's barème rules: an ordered list of configured components.

The order is the order of evaluation and of display. A component that reads
another one's line on the same voeu (enfants on RC/APC, APC not cumulative
with RC) must come after it; ``Rules`` refuses anything else.

Serialised as a list of plain JSON dicts, one per component::

    {"code": "rc", "voeu_specific": false,
     "applique_a": {"rangs": "tous", "types": [], "types_exclus": ["ETB"], "filtres": ["TOUT"]},
     "params": {"points": "90.2", "points_par_type": {"DPT": "150.2"}, ...}}

Decimals are written as strings so that JSON never rounds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from siam.bareme.components import REGISTRY
from siam.bareme.config import (
    JSON,
    AppliesTo,
    ComponentRule,
    RulesError,
    dump_params,
    parse_params,
)
from siam.bareme.engine import CompiledRules
from siam.bareme.geography import FRANCE, Geographie


@dataclass(frozen=True, slots=True)
class Rules:
    components: tuple[ComponentRule, ...]

    def __post_init__(self) -> None:
        earlier: list[str] = []
        for rule in self.components:
            cls = REGISTRY.get(rule.code)
            where = f"Composante « {rule.code} »"
            if cls is None:
                raise RulesError(f"{where} : composante inconnue (connues : {', '.join(sorted(REGISTRY))})")
            if rule.code in earlier:
                raise RulesError(f"{where} : configurée deux fois")
            # Re-parse what was dumped: a rule built in code gets the same checks as JSON.
            parse_params(cls.PARAMS, dump_params(cls.PARAMS, rule.params), f"{where}.params")
            cls.check(rule, earlier)
            earlier.append(rule.code)

    @classmethod
    def from_dicts(cls, rows: Iterable[Mapping[str, object]]) -> Rules:
        components = []
        for position, row in enumerate(rows, start=1):
            code = row.get("code")
            if not isinstance(code, str) or code not in REGISTRY:
                raise RulesError(f"Ligne {position} : code de composante inconnu {code!r}")
            where = f"Composante « {code} »"
            unknown = set(row) - {"code", "params", "applique_a", "voeu_specific"}
            if unknown:
                raise RulesError(f"{where} : clé inconnue {sorted(unknown)}")
            voeu_specific = row.get("voeu_specific", False)
            if not isinstance(voeu_specific, bool):
                raise RulesError(f"{where}.voeu_specific : true ou false est attendu")
            components.append(
                ComponentRule(
                    code=code,
                    params=parse_params(REGISTRY[code].PARAMS, row.get("params", {}), f"{where}.params"),
                    applique_a=AppliesTo.from_dict(row.get("applique_a", {}), f"{where}.applique_a"),
                    voeu_specific=voeu_specific,
                )
            )
        return cls(tuple(components))

    def to_dicts(self) -> list[dict[str, JSON]]:
        return [
            {
                "code": rule.code,
                "voeu_specific": rule.voeu_specific,
                "applique_a": rule.applique_a.to_dict(),
                "params": dump_params(REGISTRY[rule.code].PARAMS, rule.params),
            }
            for rule in self.components
        ]

    def compile(self, geographie: Geographie = FRANCE) -> CompiledRules:
        """Do once per campagne: the result computes any number of barèmes."""
        return CompiledRules(self, geographie)

    def without_voeu_specific(self) -> Rules:
        """The rules of the extension barème: bonuses tied to one voeu are dropped."""
        kept: list[ComponentRule] = []
        for rule in self.components:
            if rule.voeu_specific:
                continue
            try:
                REGISTRY[rule.code].check(rule, [k.code for k in kept])
            except RulesError:
                continue  # it reads a dropped component's line, so it goes with it
            kept.append(rule)
        return Rules(tuple(kept))

    def relaxed(self) -> Rules:
        """The same rules without voeu-type and filter restrictions: what a voeu could have had."""
        return Rules(
            tuple(replace(rule, applique_a=AppliesTo(rangs=rule.applique_a.rangs)) for rule in self.components)
        )
