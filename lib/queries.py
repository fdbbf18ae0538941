"""Reading the one row of a unique key without the cost of QuerySet.first() (queries compiled once: lib.prepared)."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def unique_row(queryset: models.QuerySet[M]) -> M | None:
    """The row of ``queryset`` filtered on a unique key (a OneToOne, a unique constraint), or None.

    ``first()`` orders the query (by the model's ordering, else by pk): with a wide select_related, compiling that
    ORDER BY costs as much Python as the rest of the query (issue 14: 2,500 calls of the SIAM home's 30,000 for the
    dossier alone), and an ordering through a foreign key (Demande: campagne, agent) joins the related table.
    A unique key needs no order; LIMIT 1 is kept.
    """
    return next(iter(queryset.order_by()[:1]), None)
