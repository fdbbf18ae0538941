"""Changes to a dossier and its rows, journaled here whatever the caller: the admin, an import, the shell.

Each function saves, compares with what was stored, and writes one journal entry per changed field
(lib.audit, through history.record_changes), all in one transaction: a change is never saved without
its history, nor the history without the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

from django.db import models, transaction
from django.utils.translation import gettext as _

from dossier.models import Dossier
from dossier.services.history import Change, describe_row, diff, record_changes

if TYPE_CHECKING:
    from accounts.models import Agent


@transaction.atomic
def save_dossier(*, dossier: Dossier, auteur: Agent | None, motif: str, fields: Iterable[str] | None = None) -> int:
    """Save ``dossier`` (created or changed) and journal it; ``fields``: those changed (default: all).

    Returns the number of journal entries written.
    """
    if dossier.pk is None or not Dossier.objects.filter(pk=dossier.pk).exists():
        dossier.save()
        return record_changes(
            dossier=dossier, auteur=auteur, motif=motif or _("création du dossier"),
            changes=[Change(_("création du dossier"), "", str(dossier.agent))],
        )  # fmt: skip
    before = Dossier.objects.select_for_update().get(pk=dossier.pk)
    names = list(fields) if fields is not None else [f.name for f in Dossier._meta.concrete_fields]
    changes = diff(before, dossier, [n for n in names if n not in ("id", "agent")])
    dossier.save()
    return record_changes(dossier=dossier, auteur=auteur, motif=motif, changes=changes)


@transaction.atomic
def save_rows(
    *,
    dossier: Dossier,
    auteur: Agent | None,
    motif: str,
    added: Sequence[models.Model] = (),
    changed: Sequence[tuple[models.Model, Sequence[str]]] = (),
    deleted: Sequence[models.Model] = (),
) -> int:
    """Save the dossier's rows (enfants, échelons, affectations…): added, changed (with their fields), deleted."""
    changes: list[Change] = []
    for row in deleted:
        if row.pk is not None:
            changes.append(Change(_("suppression — %(what)s") % {"what": row._meta.verbose_name}, str(row), ""))
            row.delete()
    for row, names in changed:
        model = cast(type[models.Model], type(row))
        before = model._default_manager.get(pk=row.pk)
        changes += diff(before, row, names, prefix=f"{row._meta.verbose_name} — ")
        row.save()
    for row in added:
        row.save()
        what = _("ajout — %(what)s") % {"what": row._meta.verbose_name}
        changes.append(Change(what, "", describe_row(row).split(" : ", 1)[-1]))
    return record_changes(dossier=dossier, auteur=auteur, motif=motif or _("création du dossier"), changes=changes)


@transaction.atomic
def create_agent_dossier(*, agent: Agent, dossier: Dossier, auteur: Agent | None, motif: str) -> Dossier:
    """Save a new agent (without a usable password: they choose theirs) and their dossier, journaled (the import)."""
    agent.set_unusable_password()
    agent.save()  # assigns the identifier (fdupont, fdupont1…)
    dossier.agent = agent
    save_dossier(dossier=dossier, auteur=auteur, motif=motif)
    return dossier
