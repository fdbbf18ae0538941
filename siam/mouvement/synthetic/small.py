"""Small unstructured instances for property tests."""

from __future__ import annotations

import random

from siam.mouvement.engine import Instance


def random_instance(
    seed: int,
    n_teachers: int,
    n_posts: int,
    *,
    tenured_share: float = 0.5,
    max_list: int = 8,
    score_levels: int = 3,
    max_capacity: int = 2,
) -> Instance:
    """A small unstructured instance with many equal barèmes, for tests.

    Few score levels make ties frequent, so the tie-break is exercised;
    consecutive positions are grouped into voeux as large voeux would be.
    """
    rng = random.Random(seed)
    capacities = [rng.randint(0, max_capacity) for _ in range(n_posts)]
    prefs: list[list[int]] = []
    scores: list[list[int]] = []
    ranks: list[list[int]] = []
    current: list[int | None] = []
    for _ in range(n_teachers):
        posts = rng.sample(range(n_posts), rng.randint(0, min(max_list, n_posts)))
        rank, voeu_ranks, voeu_scores = 0, [], []
        for i in range(len(posts)):
            if i == 0 or rng.random() < 0.6:  # start a new voeu
                rank += 1
                score = rng.randint(0, score_levels)
            voeu_ranks.append(rank)
            voeu_scores.append(score)
        prefs.append(posts)
        scores.append(voeu_scores)
        ranks.append(voeu_ranks)
        tenured = n_posts > 0 and rng.random() < tenured_share
        current.append(rng.randrange(n_posts) if tenured else None)
    tiebreak = rng.sample(range(10 * n_teachers + 1), n_teachers)
    return Instance(capacities, prefs, scores, tiebreak, current, ranks)
