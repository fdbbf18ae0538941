"""Work queues of the staff home: what is waiting, counted once and listed by the same filter.

An app declares a queue (`register`) with the filter that selects the waiting rows of one model; the
staff home counts it per open campagne and links to that model's changelist with `?file=<key>`, where
`QueueFilter` (in the admin's list_filter) applies the very same filter: the count is the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

PARAMETER = "file"


@dataclass(frozen=True)
class Queue:
    key: str
    model: type[Model]
    title: Any  # lazy text: the filter's choice in the changelist
    label: Callable[[int], str]  # "3 pièces à vérifier": the count, with plural agreement
    select: Callable[[QuerySet[Any]], QuerySet[Any]]
    campagne_field: str | None = None  # the path to the campagne; None: one count for everybody's queue
    scope: Callable[[QuerySet[Any], Any], QuerySet[Any]] | None = None  # rows this staff member may see


QUEUES: list[Queue] = []


def register(queue: Queue) -> Queue:
    if any(q.key == queue.key for q in QUEUES):
        raise ValueError(f"queue {queue.key!r} registered twice")
    QUEUES.append(queue)
    return queue


def queues_of(model: type[Model]) -> list[Queue]:
    return [q for q in QUEUES if q.model is model]


def base_queryset(queue: Queue, user: Any) -> QuerySet[Any]:
    queryset = queue.model._default_manager.all()
    return queue.scope(queryset, user) if queue.scope else queryset


class QueueFilter(admin.SimpleListFilter):
    title = _("à traiter")
    parameter_name = PARAMETER

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(q.key, q.title) for q in queues_of(model_admin.model)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        for queue in queues_of(queryset.model):
            if self.value() == queue.key:
                return queue.select(queryset)
        return queryset
