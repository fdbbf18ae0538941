"""Pure barème core on a seeded synthetic inter campagne: 30,000 participants x 31 voeux.

Run: .venv/bin/python bench/bench_bareme_core.py [participants] [seed]
Prints the time of the pure computation alone (no database), best of 3 runs,
each on the rules compiled once as the Django service does. Shared machines
are noisy, so it also prints the ratio to a fixed pure-Python reference loop
timed in the same run: compare ratios between runs, not seconds.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from siam.bareme import (  # the path above makes the script runnable from anywhere
    FRANCE,
    CimmClaim,
    Claim,
    Claims,
    ClaimStatus,
    Classe,
    EducationPrioritaire,
    EducationPrioritaireType,
    ExContractuelClaim,
    Famille,
    HandicapClaim,
    Lieu,
    PreferentielClaim,
    Situation,
    Stagiaire,
    VoeuFacts,
    compute_baremes,
    default_rules_inter,
)

VOEUX = 31
ACADEMIES = sorted(FRANCE.academies)
STATUSES = (ClaimStatus.VALIDATED,) * 8 + (ClaimStatus.DECLARED, ClaimStatus.REFUSED)


def claim(rng: random.Random, rate: float) -> Claim | None:
    if rng.random() >= rate:
        return None
    status = rng.choice(STATUSES)
    return Claim(status=status, motif_refus="pièce justificative manquante" if status is ClaimStatus.REFUSED else "")


def situation(rng: random.Random) -> Situation:
    """Rates loosely follow the inter: many stagiaires, a third with a family bonus."""
    stagiaire = rng.random() < 0.4
    home = rng.choice(ACADEMIES)
    classe = rng.choices(list(Classe), weights=(80, 17, 3))[0]
    rc = claim(rng, 0.3)
    return Situation(
        corps=rng.choice(("CERT", "CERT", "CERT", "AGREG", "PLP", "EPS", "CPE", "PSYEN")),
        classe=classe,
        echelon=rng.randint(1, 11 if classe is Classe.NORMALE else 4),
        annees_4e_echelon_hc=rng.randint(0, 3),
        anciennete_poste=0 if stagiaire else rng.randint(0, 15),
        poste=None if stagiaire else Lieu(academie=home),
        education_prioritaire=EducationPrioritaire(
            type=rng.choice(list(EducationPrioritaireType)), annees=rng.randint(1, 8)
        )
        if not stagiaire and rng.random() < 0.15
        else None,
        stagiaire=Stagiaire(academie_stage=home) if stagiaire else None,
        famille=Famille(
            conjoint=Lieu(academie=rng.choice(ACADEMIES)) if rc else None,
            residence_enfants=Lieu(academie=rng.choice(ACADEMIES)),
            enfants=rng.choice((0, 0, 1, 2, 3)),
            annees_separation=rng.choice((0, 0, 1, 2, 4)) if rc else 0,
        ),
        claims=Claims(
            rc=rc,
            apc=claim(rng, 0.03),
            mutation_simultanee=claim(rng, 0.03),
            rqth=claim(rng, 0.03),
            handicap=HandicapClaim(academies=frozenset(rng.sample(ACADEMIES, 2)), status=ClaimStatus.VALIDATED)
            if rng.random() < 0.01
            else None,
            cimm=CimmClaim(academie=rng.choice(sorted(FRANCE.dom)), status=ClaimStatus.VALIDATED)
            if rng.random() < 0.02
            else None,
            preferentiel=PreferentielClaim(academie=home, annees_precedentes=rng.randint(0, 5))
            if rng.random() < 0.1
            else None,
            stagiaire_ex_contractuel=ExContractuelClaim(echelon_reclassement=rng.randint(1, 7))
            if stagiaire and rng.random() < 0.3
            else None,
            stagiaire_voeu_1=claim(rng, 0.2) if stagiaire else None,
        ),
    )


def voeux(rng: random.Random) -> list[VoeuFacts]:
    # 31 voeux but 30 académies: one académie is asked twice, which the core does not forbid.
    chosen = [*rng.sample(ACADEMIES, len(ACADEMIES)), rng.choice(ACADEMIES)][:VOEUX]
    return [VoeuFacts(rang=rang, academie=code) for rang, code in enumerate(chosen, start=1)]


def reference_loop() -> float:
    """Ten million integer additions in a Python loop: the yardstick of this machine, now."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def main() -> None:
    participants = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    rng = random.Random(seed)
    population = [(situation(rng), voeux(rng)) for _ in range(participants)]
    compiled = default_rules_inter().compile()
    best = reference = float("inf")
    for _ in range(3):
        reference = min(reference, reference_loop())
        start = time.perf_counter()
        total = sum(bareme.total for s, vs in population for bareme in compute_baremes(s, vs, compiled))
        best = min(best, time.perf_counter() - start)
    print(
        f"bareme core {participants}x{VOEUX}: {best:.2f} s "
        f"({best / reference:.2f}x the reference loop of {reference:.2f} s; checksum {total})"
    )


if __name__ == "__main__":
    main()
