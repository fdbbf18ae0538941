"""Random draws shared by the synthetic inter and intra."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence


def gumbel(rng: random.Random) -> float:
    return -math.log(-math.log(rng.random() or 1e-12))


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` seats in proportion to ``weights``, summing exactly."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    seats = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: seats[i] - shares[i])
    for i in by_remainder[: total - sum(seats)]:
        seats[i] += 1
    return seats


def common_points(rng: random.Random, tenured: bool) -> int:
    """Échelon, ancienneté dans le poste, REP, RQTH: on every voeu."""
    points = 0
    if tenured:
        if rng.random() < 0.15:
            points += 5600 + 700 * rng.randint(1, 6)  # hors-classe
        else:
            points += max(1400, 700 * rng.randint(3, 11))
        years = min(int(rng.expovariate(1 / 5)), 30)
        points += 2000 * years + 5000 * (years // 4)
        draw = rng.random()
        points += 40000 if draw < 0.08 else 20000 if draw < 0.20 else 0
    else:
        points += 1400
        if rng.random() < 0.2:  # stagiaire ex-contractuel
            points += rng.choice((15000, 16500, 18000))
    if rng.random() < 0.02:
        points += 10000
    return points
