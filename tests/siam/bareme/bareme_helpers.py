"""Builders shared by the barème tests: places, vœux and situations on plain data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from siam.bareme import (
    Bareme,
    BaremeLine,
    Claim,
    Claims,
    ClaimStatus,
    Lieu,
    Situation,
    TypeVoeu,
    VoeuFacts,
    default_rules_inter,
    default_rules_intra_clermont,
)

INTER = default_rules_inter().compile()
INTRA = default_rules_intra_clermont().compile()

PARIS, AIX, BESANCON, BORDEAUX, CLERMONT, DIJON, GRENOBLE, LILLE, LYON = (
    "01", "02", "03", "04", "06", "07", "08", "09", "10"
)  # fmt: skip
TOULOUSE, CRETEIL, VERSAILLES, CORSE, REUNION, MARTINIQUE, NORMANDIE = "16", "24", "25", "27", "28", "31", "70"

VALIDATED = Claim(status=ClaimStatus.VALIDATED)
DECLARED = Claim(status=ClaimStatus.DECLARED)
REFUSED = Claim(status=ClaimStatus.REFUSED, motif_refus="pièce justificative manquante")

# A teacher in the 8th échelon with 3 years in post: 56 + 60 = 116 before any bonus.
BASE_TOTAL = Decimal(116)


def situation(claims: Claims | None = None, **fields: Any) -> Situation:
    values: dict[str, Any] = {"corps": "CERT", "echelon": 8, "anciennete_poste": 3, **fields}
    return Situation(claims=claims or Claims(), **values)


def academies(*codes: str) -> list[VoeuFacts]:
    return [VoeuFacts(rang=rang, academie=code) for rang, code in enumerate(codes, start=1)]


def voeu(rang: int, type_: TypeVoeu, **fields: Any) -> VoeuFacts:
    """An intra vœu in the académie de Clermont-Ferrand."""
    return VoeuFacts(rang=rang, type=type_, **{"academie": CLERMONT, **fields})


def conjoint_clermont() -> Lieu:
    return Lieu(academie=CLERMONT, departement="063", commune="63113")


def line_of(bareme: Bareme, code: str) -> BaremeLine:
    found = bareme.line(code)
    assert found is not None, f"no {code} line in {[line.code for line in bareme.lines]}"
    return found
