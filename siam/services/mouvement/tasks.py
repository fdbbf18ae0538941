"""The admin's « Lancer le mouvement » computes in the task worker: a national run outlasts a web request."""

from __future__ import annotations

from django_tasks import task

from siam.models.mouvement import MouvementRun, StatutRun
from siam.services.mouvement import complete_run


@task()
def compute_run(run_id: int) -> int:
    """Complete a run started by the admin; returns its id. A failure is recorded on the run itself."""
    run = MouvementRun.objects.select_related("campagne").get(pk=run_id, statut=StatutRun.RUNNING)
    complete_run(run=run)
    return run.pk
