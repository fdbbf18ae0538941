"""Seeded synthetic mouvements: a national inter, an intra, small instances.

Pure and deterministic, so the ``mouvement generate`` management command,
the benchmark and the property tests draw the same mouvement from a seed.
"""

from siam.mouvement.synthetic.inter import ACADEMIES, DISCIPLINES, SyntheticInter, generate_inter
from siam.mouvement.synthetic.intra import SyntheticIntra, generate_intra
from siam.mouvement.synthetic.small import random_instance

__all__ = [
    "ACADEMIES",
    "DISCIPLINES",
    "SyntheticInter",
    "SyntheticIntra",
    "generate_inter",
    "generate_intra",
    "random_instance",
]
